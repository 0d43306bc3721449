/**
 * The one registry of error codes. Services throw `GridhookError`; each adapter
 * renders it its own way (REST envelope, SOAP fault) from the entry here, so a
 * code cannot exist without its HTTP status and SOAP fault side.
 */

export const ERROR_CODES = {
  InvalidParameter: { httpStatus: 400, soapFault: 'Client' },
  InvalidAPIKey: { httpStatus: 401, soapFault: 'Client' },
  AccessDenied: { httpStatus: 403, soapFault: 'Client' },
  ObjectNotFound: { httpStatus: 404, soapFault: 'Client' },
  DuplicateObject: { httpStatus: 409, soapFault: 'Client' },
  InvalidState: { httpStatus: 409, soapFault: 'Client' },
  IdempotencyConflict: { httpStatus: 409, soapFault: 'Client' },
  PayloadTooLarge: { httpStatus: 413, soapFault: 'Client' },
  UnsupportedMediaType: { httpStatus: 415, soapFault: 'Client' },
  RateLimitExceeded: { httpStatus: 429, soapFault: 'Client' },
  ServiceUnavailable: { httpStatus: 503, soapFault: 'Server' },
  InternalError: { httpStatus: 500, soapFault: 'Server' },
} as const satisfies Record<string, { httpStatus: number; soapFault: 'Client' | 'Server' }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class GridhookError extends Error {
  override readonly name = 'GridhookError';
  /** The request field at fault, when there is one (REST message, SOAP ErrorItem). */
  readonly field: string | undefined;
  /** Seconds to wait before retrying (RateLimitExceeded). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { field?: string; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].httpStatus;
  }

  get soapFault(): 'Client' | 'Server' {
    return ERROR_CODES[this.code].soapFault;
  }
}

export function invalidParameter(field: string, message: string): GridhookError {
  return new GridhookError('InvalidParameter', `${field}: ${message}`, { field });
}

/** Out-of-scope objects answer exactly like missing ones, so existence is never revealed. */
export function notFound(what: string, id: number | string): GridhookError {
  return new GridhookError('ObjectNotFound', `${what} ${id} was not found.`);
}

/** An idempotency key used again with a request that differs from its first. */
export function idempotencyConflict(key: string): GridhookError {
  return new GridhookError(
    'IdempotencyConflict',
    `idempotencyKey: "${key}" was already used with a different request; use a new key for a new request, ` +
      'or send the first request again unchanged to get its answer.',
    { field: 'idempotencyKey' },
  );
}

/** The test call on a callback already delivering as many events as it may at once. */
export function callbackAtCapacity(callbackId: number, limit: number): GridhookError {
  return new GridhookError(
    'RateLimitExceeded',
    `callBackQueueId: callback ${callbackId} already has ${limit} deliveries in flight, its most at once; ` +
      'try the test again when they are done.',
    { field: 'callBackQueueId', retryAfterSeconds: 1 },
  );
}

/** A live stream refused: its user, or this process, has as many open as it may. */
export function tooManyStreams(scope: 'user' | 'process', limit: number): GridhookError {
  const who = scope === 'user' ? 'this user has' : 'this gridhook process serves';
  return new GridhookError(
    'RateLimitExceeded',
    `stream: ${who} ${limit} live streams open, the most at once; close one (another browser tab, another ` +
      '`gridhook events tail`) and connect again.',
    { retryAfterSeconds: 5 },
  );
}

export function accessDenied(message: string): GridhookError {
  return new GridhookError('AccessDenied', message);
}

export function duplicate(message: string, field?: string): GridhookError {
  return new GridhookError('DuplicateObject', message, field === undefined ? {} : { field });
}
