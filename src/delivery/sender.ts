/**
 * The HTTP side of one attempt: POST the signed payload, wait for the answer
 * within one total deadline, read a bounded piece of it, and describe what
 * happened. It never throws; every failure becomes a SendResult.
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher } from 'undici';
import { parseRetryAfter } from '../domain/retry-schedule.js';
import type { SealBinding } from '../services/secrets-crypto.js';
import type { CallbackSecrets, DeliveryJob } from '../store/store.js';
import { validateUrlPolicy, type LookupFunction, type UrlPolicy } from '../domain/url-policy.js';
import { credentialHeaders, redactSecrets, type CredentialHeaders } from '../domain/credentials.js';
import { createGuardedConnector } from './guarded-connector.js';
import { serializePayload } from './payload.js';
import { signatureHeaders } from './signature.js';

export interface SendResult {
  /** Status of the answer, or null when none came. */
  httpStatus: number | null;
  /** Why the attempt failed, or null when it was delivered. */
  error: string | null;
  durationMs: number;
  /** Retry-After of a 429 or 503 answer, in milliseconds. */
  retryAfterMs: number | null;
  delivered: boolean;
  /** What came back, as read (credentials redacted), or absent when no answer came. */
  response?: AnswerExcerpt | null;
}

/** An answer's header block as "name: value" lines, and the start of its body. */
export interface AnswerExcerpt {
  headers: string;
  body: string;
}

export interface SenderOptions {
  /** Whole attempt: connect, send, answer headers and the part of the body that is read. */
  timeoutMs: number;
  /** The most of an answer's body that is read; the rest is discarded with the connection. */
  maxResponseBytes: number;
  policy: UrlPolicy;
  /** Default "gridhook". */
  userAgent?: string;
  /** Most connections open to one origin (scheme + host + port). Default: no limit beyond the engine's concurrency. */
  connectionsPerOrigin?: number;
  /** DNS resolution used before every new connection; tests inject one. Default: dns.lookup with all: true. */
  lookup?: LookupFunction;
  /** Largest header block of an answer; a larger one fails the attempt. Default 16 KiB. */
  maxHeaderBytes?: number;
  /** Decrypts a callback's sealed signing secrets and credentials (services/secrets-crypto.ts). */
  openSealed: (sealed: string, binding: SealBinding) => string;
}

export interface Sender {
  send(job: DeliveryJob, now: number): Promise<SendResult>;
  /** Ends every connection at once; attempts still in flight fail. */
  close(): Promise<void>;
}

/** How much of a failed answer's body goes into the attempt's error text. */
const ERROR_SNIPPET_CHARS = 200;
/** Answer bytes read and dropped past maxResponseBytes, to keep the connection; beyond, it is closed. */
const DRAIN_BYTES = 64 * 1024;
const URL_CACHE_LIMIT = 10_000;
const CREDENTIALS_CACHE_LIMIT = 10_000;
const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
const NO_CREDENTIALS: CredentialHeaders = { headers: {}, secrets: [] };

interface Target {
  origin: string;
  path: string;
}

const DEFAULT_USER_AGENT = 'gridhook';

/** One request header as the attempt log shows it. */
export interface ShownHeader {
  name: string;
  value: string;
}

/**
 * The headers every attempt of an event sends, as the console and the API
 * show them: beside send() so the two cannot drift. The signature and the
 * callback's credentials are secrets and shown masked; the timestamp is each
 * attempt's own.
 */
export function describeSentHeaders(
  webhookId: string,
  callback: { hasBasicAuth: boolean; hasCustomHeaders: boolean } | null,
  userAgent = DEFAULT_USER_AGENT,
): ShownHeader[] {
  const headers: ShownHeader[] = [
    { name: 'content-type', value: 'application/json' },
    { name: 'user-agent', value: userAgent },
    { name: 'webhook-id', value: webhookId },
    { name: 'webhook-timestamp', value: "(the attempt's time, in seconds since 1970)" },
    { name: 'webhook-signature', value: "v1,[masked] (HMAC-SHA256 with the callback's secret; two during a rotation's grace)" },
  ];
  if (callback?.hasBasicAuth) headers.push({ name: 'authorization', value: 'Basic [masked]' });
  if (callback?.hasCustomHeaders) headers.push({ name: "(the callback's custom headers)", value: '[masked]' });
  return headers;
}

export function createSender(options: SenderOptions): Sender {
  const { timeoutMs, maxResponseBytes } = options;
  validateUrlPolicy(options.policy);
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  // One Agent for every callback: it pools keep-alive connections per origin,
  // so a busy receiver costs one TCP (and TLS) handshake, not one per attempt.
  const agent = new Agent({
    connect: createGuardedConnector({
      policy: options.policy,
      connectTimeoutMs: timeoutMs,
      ...(options.lookup ? { lookup: options.lookup } : {}),
    }),
    connections: options.connectionsPerOrigin ?? null,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    maxHeaderSize: options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES,
  });

  const targets = new Map<string, Target | null>();
  const targetOf = (url: string): Target | null => {
    let target = targets.get(url);
    if (target === undefined) {
      try {
        const parsed = new URL(url);
        target =
          parsed.protocol === 'http:' || parsed.protocol === 'https:'
            ? { origin: parsed.origin, path: parsed.pathname + parsed.search }
            : null;
      } catch {
        target = null;
      }
      if (targets.size >= URL_CACHE_LIMIT) targets.clear();
      targets.set(url, target);
    }
    return target;
  };

  // Opened once per sealed value, not per attempt; a new value (rotated
  // credentials) is a new key, so nothing stale is ever used. The callback's
  // id is part of the key: a value copied into another callback's row must
  // fail to open there, not be found here.
  const opened = new Map<string, CredentialHeaders>();
  const credentialsOf = (job: DeliveryJob): CredentialHeaders => {
    const basic = job.basicAuth ?? null;
    const custom = job.customHeaders ?? null;
    if (basic === null && custom === null) return NO_CREDENTIALS;
    const key = `${job.callbackId}|${basic ?? ''}|${custom ?? ''}`;
    let found = opened.get(key);
    if (found === undefined) {
      const { callbackId } = job;
      found = credentialHeaders(
        basic === null ? null : options.openSealed(basic, { callbackId, field: 'basic-auth' }),
        custom === null ? null : options.openSealed(custom, { callbackId, field: 'custom-headers' }),
      );
      if (opened.size >= CREDENTIALS_CACHE_LIMIT) opened.clear();
      opened.set(key, found);
    }
    return found;
  };

  const signingSecrets = new Map<string, string>();
  const signingSecretOf = (callbackId: number, sealed: string): string => {
    const key = `${callbackId}|${sealed}`;
    let secret = signingSecrets.get(key);
    if (secret === undefined) {
      secret = options.openSealed(sealed, { callbackId, field: 'signing-secret' });
      if (signingSecrets.size >= CREDENTIALS_CACHE_LIMIT) signingSecrets.clear();
      signingSecrets.set(key, secret);
    }
    return secret;
  };
  const openSecrets = (job: DeliveryJob): CallbackSecrets => {
    const { secret, previousSecret, previousSecretExpiresAt } = job.secrets;
    return {
      secret: signingSecretOf(job.callbackId, secret),
      previousSecret: previousSecret === null ? null : signingSecretOf(job.callbackId, previousSecret),
      previousSecretExpiresAt,
    };
  };

  async function send(job: DeliveryJob, now: number): Promise<SendResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const target = targetOf(job.url);
    if (target === null) {
      return failedAttempt(null, `"${job.url}" is not an http or https URL`, elapsed());
    }
    let credentials: CredentialHeaders;
    let signing: CallbackSecrets;
    try {
      signing = openSecrets(job);
    } catch (error) {
      return failedAttempt(null, `the callback's signing secret cannot be read: ${(error as Error).message}`, elapsed());
    }
    try {
      credentials = credentialsOf(job);
    } catch (error) {
      return failedAttempt(null, `the callback's credentials cannot be read: ${(error as Error).message}`, elapsed());
    }
    const body = serializePayload(job);
    const answer = await exchange(
      agent,
      {
        origin: target.origin,
        path: target.path,
        method: 'POST',
        headers: {
          ...credentials.headers,
          'content-type': 'application/json',
          'user-agent': userAgent,
          ...signatureHeaders(job.webhookId, body, signing, now),
          // W3C Trace Context: the receiver's own spans join the delivery's trace.
          ...(job.traceparent ? { traceparent: job.traceparent } : {}),
        },
        body,
      },
      timeoutMs,
      maxResponseBytes,
    );
    const durationMs = elapsed();
    const { secrets } = credentials;
    // The error text is stored in the attempt log and logged; a receiver that
    // echoes its request must not put the callback's credentials there.
    const failed = (httpStatus: number | null, error: string, ms: number, retryAfterMs: number | null = null): SendResult =>
      failedAttempt(httpStatus, secrets.length === 0 ? error : redactSecrets(error, secrets), ms, retryAfterMs);

    const code = answer.status;
    const response = code === null ? null : excerptOf(answer, secrets);
    if (answer.error !== null || code === null) {
      const reason = answer.timedOut
        ? `timeout after ${timeoutMs} ms`
        : describeError(answer.error ?? new Error('no answer'), timeoutMs);
      return failed(code, code === null ? reason : `${reason} while reading the answer`, durationMs);
    }
    if (code >= 200 && code < 300) {
      return { httpStatus: code, error: null, durationMs, retryAfterMs: null, delivered: true, response };
    }
    if (code >= 300 && code < 400) {
      const raw = headerValue(answer.headers.location);
      const location = (raw && secrets.length > 0 ? redactSecrets(raw, secrets) : raw)?.slice(0, ERROR_SNIPPET_CHARS);
      return { ...failed(code, `redirect not followed: HTTP ${code}${location ? ` to ${location}` : ''}`, durationMs), response };
    }
    const retryAfter = code === 429 || code === 503 ? headerValue(answer.headers['retry-after']) : undefined;
    const retryAfterMs = parseRetryAfter(retryAfter, now + durationMs);
    // Redacted before it is cut short, so no secret survives in part.
    const text = secrets.length === 0 ? answer.body : redactSecrets(answer.body, secrets);
    // Cut before the whitespace is folded: folding only shortens, and the body may be long.
    const snippet = text.slice(0, ERROR_SNIPPET_CHARS * 4).replace(/\s+/g, ' ').trim().slice(0, ERROR_SNIPPET_CHARS);
    return { ...failed(code, snippet ? `HTTP ${code}: ${snippet}` : `HTTP ${code}`, durationMs, retryAfterMs), response };
  }

  return {
    send,
    close: () => agent.destroy(),
  };
}

function failedAttempt(
  httpStatus: number | null,
  error: string,
  durationMs: number,
  retryAfterMs: number | null = null,
): SendResult {
  return { httpStatus, error, durationMs, retryAfterMs, delivered: false };
}

/** The answer as the attempt log keeps it; a receiver that echoes its request must not put the callback's credentials there. */
function excerptOf(answer: Answer, secrets: readonly string[]): AnswerExcerpt {
  let headers = '';
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined) continue;
    headers += `${headers ? '\n' : ''}${name}: ${Array.isArray(value) ? value.join(', ') : value}`;
  }
  if (secrets.length === 0) return { headers, body: answer.body };
  return { headers: redactSecrets(headers, secrets), body: redactSecrets(answer.body, secrets) };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

interface Answer {
  status: number | null;
  headers: IncomingHttpHeaders;
  /** The first maxResponseBytes of the body. */
  body: string;
  error: Error | null;
  timedOut: boolean;
}

/**
 * One request through undici's dispatch API rather than request(): the answer
 * is consumed as it arrives, without the body stream and AbortSignal that
 * request() builds for every call on this hot path. It settles at the deadline
 * whatever phase undici is in (queued, connecting, waiting, reading), and
 * settles once the body passes `maxBytes`, dropping the rest up to
 * DRAIN_BYTES more and closing the connection beyond: a receiver streaming an
 * endless answer can hold neither a slot nor memory. A body read to its end
 * leaves the connection free for the next attempt.
 */
function exchange(
  agent: Agent,
  options: Dispatcher.DispatchOptions,
  timeoutMs: number,
  maxBytes: number,
): Promise<Answer> {
  return new Promise((resolve) => {
    const answer: Answer = { status: null, headers: {}, body: '', error: null, timedOut: false };
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let controller: Dispatcher.DispatchController | null = null;

    const settle = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      answer.error = error;
      if (chunks.length > 0) answer.body = bodyText(Buffer.concat(chunks), error === null && size <= maxBytes, answer.headers);
      resolve(answer);
    };
    const deadline = setTimeout(() => {
      answer.timedOut = true;
      const error = new Error(`timeout after ${timeoutMs} ms`);
      settle(error);
      controller?.abort(error);
    }, timeoutMs);

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        if (settled) started.abort(answer.error ?? new Error('attempt over'));
        else controller = started;
      },
      onResponseStart(_controller, statusCode, headers) {
        // 1xx answers are interim; the real one follows.
        if (statusCode < 200) return;
        answer.status = statusCode;
        answer.headers = headers;
      },
      onResponseData(current, chunk) {
        if (settled) {
          // The attempt is decided; the rest of a moderately long answer is
          // read and dropped so the connection can serve the next attempt (a
          // new connection per attempt costs far more than reading it).
          if (!answer.timedOut && (size += chunk.length) > maxBytes + DRAIN_BYTES) {
            current.abort(new Error('answer longer than maxResponseBytes'));
          }
          return;
        }
        const room = maxBytes - size;
        if (room > 0) chunks.push(room >= chunk.length ? chunk : chunk.subarray(0, room));
        size += chunk.length;
        if (size > maxBytes) settle(null);
      },
      onResponseEnd() {
        settle(null);
      },
      onResponseError(_controller, error) {
        settle(error);
      },
    };
    try {
      agent.dispatch(options, handler);
    } catch (error) {
      settle(error as Error);
    }
  });
}

const TEXTUAL_TYPE = /^\s*(text\/|[^;]*[/+](json|xml)\b|application\/(x-www-form-urlencoded|javascript))/i;

/**
 * The body as text, or a line that says what it is when it is not text. A
 * compressed or binary answer decoded as UTF-8 is a run of replacement
 * characters that nobody can read, three bytes each in the attempt log, and
 * cleaning it costs every other delivery its share of the CPU. A body that
 * says it is text is decoded leniently: one bad byte must not hide the page.
 */
function bodyText(bytes: Buffer, complete: boolean, headers: IncomingHttpHeaders): string {
  const encoding = headerValue(headers['content-encoding'])?.trim().toLowerCase();
  const type = headerValue(headers['content-type'])?.split(';')[0]?.trim();
  const length = headerValue(headers['content-length']);
  const size = complete ? `${bytes.length} bytes` : length && /^\d+$/.test(length) ? `${length} bytes` : `more than ${bytes.length} bytes`;
  if (encoding && encoding !== 'identity') return `(${encoding}-encoded answer, ${size}, not shown)`;
  if (isUtf8(bytes)) return bytes.toString('utf8');
  // A body cut at the byte limit may end inside a character.
  if (!complete) {
    for (let cut = 1; cut <= 3 && cut < bytes.length; cut++) {
      const end = bytes.length - cut;
      if (isUtf8(bytes.subarray(0, end))) return bytes.toString('utf8', 0, end);
    }
  }
  if (type !== undefined && TEXTUAL_TYPE.test(type)) return bytes.toString('utf8');
  return `(binary answer${type ? ` of type ${type}` : ''}, ${size}, not shown)`;
}

const TLS_CODE = /CERT|SSL|TLS|SIGNATURE|ISSUER/;

/** A short reason for the attempt log, from a network or undici error. */
export function describeError(error: unknown, timeoutMs: number): string {
  const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err?.code ?? err?.cause?.code ?? '';
  switch (code) {
    case 'GRIDHOOK_FORBIDDEN_ADDRESS':
    case 'GRIDHOOK_DNS_FAILED':
      return err.message;
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return 'connection closed by the receiver before a complete answer';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NODATA':
      return `DNS lookup failed (${code})`;
    case 'EHOSTUNREACH':
      return 'host unreachable';
    case 'ENETUNREACH':
      return 'network unreachable';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `timeout after ${timeoutMs} ms while connecting`;
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return `timeout after ${timeoutMs} ms`;
    case 'UND_ERR_DESTROYED':
    case 'UND_ERR_CLOSED':
      return 'gridhook is shutting down';
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return 'invalid HTTP answer: body length does not match Content-Length';
  }
  if (code.startsWith('HPE_')) return `invalid HTTP answer (${code})`;
  const message = err instanceof Error ? err.message : String(error);
  if (TLS_CODE.test(code)) return `TLS failed: ${message}`;
  return (code ? `${code}: ${message}` : message).slice(0, ERROR_SNIPPET_CHARS);
}
