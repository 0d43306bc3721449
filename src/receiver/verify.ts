/**
 * Verifies a gridhook delivery the Standard Webhooks way (the `standardwebhooks`
 * package checks the signature) and answers its payload, typed.
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { DeliveryPayload } from '../delivery/payload.js';
import { SUBSCRIBABLE_EVENT_TYPES } from '../domain/types.js';
import { BadSignatureError, MalformedBodyError, StaleTimestampError } from './errors.js';

/** The JSON body of every delivery: the guide's nine fields, then networkId. */
export type GridhookEvent = DeliveryPayload;

/** Node's IncomingHttpHeaders, a fetch Headers, or a plain object of header names (any case) to values. */
export type HeaderSource = Headers | Record<string, string | readonly string[] | undefined>;

/**
 * Standard Webhooks' tolerance, which the library applies: long enough for
 * clock skew, short enough that a captured delivery cannot be replayed later.
 */
const TOLERANCE_SECONDS = 5 * 60;
const SIGNATURE_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | readonly string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(' ') : (value as string | undefined);
}

/**
 * Answers the delivery's payload when the body is signed by one of the
 * secrets (pass the old and the new one while you rotate yours) less than five
 * minutes ago; throws BadSignatureError, StaleTimestampError or MalformedBodyError.
 * Pass the body exactly as received: a re-serialised JSON object no longer matches.
 */
export function verifyWebhook(body: string | Uint8Array, headers: HeaderSource, secret: string | readonly string[]): GridhookEvent {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const signed: Record<string, string> = {};
  for (const name of SIGNATURE_HEADERS) {
    const value = headerValue(headers, name);
    if (!value) throw new BadSignatureError(`the ${name} header is missing`);
    signed[name] = value;
  }
  const stamp = signed['webhook-timestamp'] as string;
  if (!/^\d+$/.test(stamp)) throw new BadSignatureError(`webhook-timestamp must be whole seconds since the epoch, got "${stamp}"`);
  // Checked here as well as in the library so that the error says which check failed.
  const age = Math.floor(Date.now() / 1000) - Number(stamp);
  if (Math.abs(age) > TOLERANCE_SECONDS) {
    throw new StaleTimestampError(
      `webhook-timestamp ${stamp} is ${age} s old, beyond the ${TOLERANCE_SECONDS} s tolerance (a replayed delivery, or a clock to fix)`,
      Number(stamp),
    );
  }
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0) throw new TypeError('verifyWebhook needs at least one whsec_ secret');
  if (!secrets.some((s) => verifies(s, text, signed))) {
    throw new BadSignatureError('no signature in webhook-signature matches the secret (a tampered body, or the wrong secret)');
  }
  return parsePayload(text);
}

function verifies(secret: string, body: string, headers: Record<string, string>): boolean {
  try {
    // The payload is parsed below, so that a bad one is a MalformedBodyError.
    new Webhook(secret).verify(body, headers, { jsonParse: false });
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}

const NUMBER_FIELDS = ['eventId', 'callBackQueueId', 'ecGridId', 'mailboxId', 'parcelId', 'networkId'] as const;

function parsePayload(text: string): GridhookEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedBodyError('the body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedBodyError('the body is not a JSON object');
  const payload = value as Record<string, unknown>;
  for (const field of NUMBER_FIELDS) {
    if (!Number.isInteger(payload[field])) throw new MalformedBodyError(`${field} must be a whole number`);
  }
  if (!(SUBSCRIBABLE_EVENT_TYPES as readonly unknown[]).includes(payload.callBackEvent)) {
    throw new MalformedBodyError(`callBackEvent must be one of ${SUBSCRIBABLE_EVENT_TYPES.join(', ')}`);
  }
  for (const field of ['fileName', 'eventDateTime'] as const) {
    if (typeof payload[field] !== 'string') throw new MalformedBodyError(`${field} must be a string`);
  }
  if (typeof payload.isTest !== 'boolean') throw new MalformedBodyError('isTest must be true or false');
  return payload as unknown as GridhookEvent;
}
