/**
 * What a callback may ask to be sent with each attempt besides the signature:
 * HTTP Basic credentials (ECGridOS HTTPAuthentication) and custom headers.
 * Both are secrets of the receiver. The services validate and seal them
 * (services/secrets-crypto.ts) before the store sees them; the sender opens
 * them per attempt. Neither is ever answered by an API or written to a log.
 */
import { invalidParameter } from '../errors.js';

export interface BasicAuth {
  user: string;
  password: string;
}

/** Header name → value, in the order given. */
export type CustomHeaders = Record<string, string>;

export const MAX_CUSTOM_HEADERS = 20;
export const MAX_HEADER_NAME_LENGTH = 64;
export const MAX_HEADER_VALUE_LENGTH = 1_024;
export const MAX_BASIC_AUTH_LENGTH = 256;

/**
 * Headers gridhook sets itself or that change how the request is framed or
 * routed: letting a callback set them would break the signature's meaning,
 * smuggle a second request or point a proxy elsewhere.
 */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
  'proxy-connection',
  'user-agent',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
]);

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Visible ASCII, space and tab: nothing that could end the header line. */
const HEADER_VALUE = /^[\t\x20-\x7E]*$/;
const CONTROL = /[\x00-\x1F\x7F]/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks `{user, password}`; field names in errors are the API's (`basicAuth.user`). */
export function validateBasicAuth(value: unknown, field = 'basicAuth'): BasicAuth {
  if (!isRecord(value)) throw invalidParameter(field, 'must be an object {"user", "password"}, or null to remove it');
  const { user, password } = value;
  if (typeof user !== 'string' || user.length < 1 || user.length > MAX_BASIC_AUTH_LENGTH) {
    throw invalidParameter(`${field}.user`, `must be a string of 1 to ${MAX_BASIC_AUTH_LENGTH} characters`);
  }
  if (user.includes(':') || CONTROL.test(user)) {
    throw invalidParameter(`${field}.user`, 'must not contain ":" or control characters (RFC 7617)');
  }
  if (typeof password !== 'string' || password.length < 1 || password.length > MAX_BASIC_AUTH_LENGTH) {
    throw invalidParameter(`${field}.password`, `must be a string of 1 to ${MAX_BASIC_AUTH_LENGTH} characters`);
  }
  if (CONTROL.test(password)) throw invalidParameter(`${field}.password`, 'must not contain control characters');
  return { user, password };
}

/** Checks `{"X-Name": "value", …}`; an empty object means none. */
export function validateCustomHeaders(value: unknown, field = 'customHeaders'): CustomHeaders {
  if (!isRecord(value)) throw invalidParameter(field, 'must be an object of header names to values, or null to remove them');
  const entries = Object.entries(value);
  if (entries.length > MAX_CUSTOM_HEADERS) throw invalidParameter(field, `must hold at most ${MAX_CUSTOM_HEADERS} headers`);
  const seen = new Set<string>();
  // No prototype: a header named __proto__ is a header like any other.
  const headers: CustomHeaders = Object.create(null) as CustomHeaders;
  for (const [name, text] of entries) {
    const lower = name.toLowerCase();
    if (name.length < 1 || name.length > MAX_HEADER_NAME_LENGTH || !HEADER_NAME.test(name)) {
      throw invalidParameter(
        field,
        `"${name.slice(0, MAX_HEADER_NAME_LENGTH)}" is not a header name: use 1 to ${MAX_HEADER_NAME_LENGTH} ` +
          'letters, digits or !#$%&\'*+.^_`|~-',
      );
    }
    if (RESERVED_HEADERS.has(lower)) throw invalidParameter(field, `${name} is set by gridhook and cannot be replaced`);
    if (seen.has(lower)) throw invalidParameter(field, `${name} is given twice (header names ignore case)`);
    seen.add(lower);
    if (typeof text !== 'string' || text.length > MAX_HEADER_VALUE_LENGTH || !HEADER_VALUE.test(text)) {
      throw invalidParameter(
        `${field}.${name}`,
        `must be a string of at most ${MAX_HEADER_VALUE_LENGTH} printable ASCII characters`,
      );
    }
    headers[name] = text;
  }
  return headers;
}

export function encodeBasicAuth(auth: BasicAuth): string {
  return JSON.stringify({ user: auth.user, password: auth.password });
}

export function encodeCustomHeaders(headers: CustomHeaders): string {
  return JSON.stringify(Object.entries(headers));
}

export interface CredentialHeaders {
  headers: Record<string, string>;
  /** The secret strings these headers carry, to be blanked out of anything logged or stored. */
  secrets: string[];
}

/** Values this short are left in error texts: blanking every "1" or "on" would hide more than it protects. */
const MIN_REDACTED_LENGTH = 4;

/**
 * The headers an attempt carries for opened (decrypted) credentials. Basic
 * credentials take the Authorization header, over a custom one of that name.
 */
export function credentialHeaders(basicAuth: string | null, customHeaders: string | null): CredentialHeaders {
  const headers = Object.create(null) as Record<string, string>;
  const secrets: string[] = [];
  if (customHeaders !== null) {
    for (const [name, value] of JSON.parse(customHeaders) as [string, string][]) {
      headers[name.toLowerCase()] = value;
      if (value.length >= MIN_REDACTED_LENGTH) secrets.push(value);
    }
  }
  if (basicAuth !== null) {
    const { user, password } = JSON.parse(basicAuth) as BasicAuth;
    const token = Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
    headers.authorization = `Basic ${token}`;
    secrets.push(token);
    if (password.length >= MIN_REDACTED_LENGTH) secrets.push(password);
  }
  return { headers, secrets };
}

/** `text` with every secret replaced by [redacted]. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  return out;
}
