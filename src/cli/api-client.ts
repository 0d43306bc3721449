/**
 * The remote commands' way to the REST API: one JSON call, answering the
 * envelope's data or throwing an error that says what to do.
 */

/** Exit codes of the remote commands (documented in the CLI's help). */
export const EXIT = { ok: 0, usage: 1, api: 2, unreachable: 3 } as const;

/** A usage mistake: a missing flag or a bad value. */
export class UsageError extends Error {}

/** The API answered with an error envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The API could not be reached at all. */
export class UnreachableError extends Error {}

export interface ApiTarget {
  url: string;
  apiKey: string;
}

/** The --url/--api-key flags, or GRIDHOOK_URL/GRIDHOOK_API_KEY. */
export function apiTarget(flags: { url?: string | undefined; 'api-key'?: string | undefined }, env: NodeJS.ProcessEnv): ApiTarget {
  const url = flags.url ?? env.GRIDHOOK_URL;
  const apiKey = flags['api-key'] ?? env.GRIDHOOK_API_KEY;
  if (!url) throw new UsageError('Which gridhook? Pass --url http://host:8080 or set GRIDHOOK_URL.');
  if (!/^https?:\/\//.test(url)) throw new UsageError(`--url must start with http:// or https://, got "${url}".`);
  if (!apiKey) throw new UsageError('No API key: pass --api-key or set GRIDHOOK_API_KEY (a key from `gridhook key generate --user ID`).');
  return { url: url.replace(/\/+$/, ''), apiKey };
}

interface Envelope {
  success?: boolean;
  data?: unknown;
  errorCode?: string;
  message?: string;
}

export interface CallOptions {
  /** A request body that is not JSON-encoded here (a stream). */
  stream?: AsyncIterable<Uint8Array>;
}

/** One call; answers `data` of a success envelope. */
export async function callApi<T = unknown>(target: ApiTarget, method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { 'x-api-key': target.apiKey, accept: 'application/json' };
  let payload: string | AsyncIterable<Uint8Array> | undefined;
  if (options.stream) payload = options.stream;
  else if (body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${target.url}${path}`, {
      method,
      headers,
      body: payload as BodyInit | undefined,
      ...(options.stream ? { duplex: 'half' } : {}),
    } as RequestInit);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code === 'ECONNREFUSED' ? 'the connection was refused' : (cause?.message ?? (error as Error).message);
    throw new UnreachableError(`Cannot reach gridhook at ${target.url}: ${why}. Is it running, and is --url (or GRIDHOOK_URL) right?`);
  }
  const text = await response.text();
  let envelope: Envelope;
  try {
    envelope = JSON.parse(text) as Envelope;
  } catch {
    throw new ApiError(response.status, 'NotGridhook', `${target.url} answered ${response.status} with something other than gridhook's JSON; is --url right?`);
  }
  if (!response.ok || envelope.success !== true) {
    const code = envelope.errorCode ?? `HTTP${response.status}`;
    const hint =
      response.status === 401 ? ' Check --api-key (or GRIDHOOK_API_KEY).' : response.status === 403 ? ' The key is not allowed to do this.' : '';
    throw new ApiError(response.status, code, `${envelope.message ?? `HTTP ${response.status}`}${hint}`);
  }
  return envelope.data as T;
}
