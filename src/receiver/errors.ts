/** Why a delivery was refused; `status` is the HTTP status a receiver should answer with. */
export type WebhookErrorCode = 'BadSignature' | 'StaleTimestamp' | 'MalformedBody';

export class WebhookError extends Error {
  constructor(
    readonly code: WebhookErrorCode,
    readonly status: 400 | 401,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The signature headers are missing, malformed, or no signature matches the secret(s). */
export class BadSignatureError extends WebhookError {
  constructor(message: string) {
    super('BadSignature', 401, message);
  }
}

/** The webhook-timestamp is too far from now: a replay, or a badly wrong clock. */
export class StaleTimestampError extends WebhookError {
  constructor(
    message: string,
    /** The signed timestamp, in seconds since the epoch. */
    readonly timestamp: number,
  ) {
    super('StaleTimestamp', 401, message);
  }
}

/** Signed by gridhook, but not a delivery payload (not JSON, or a field missing or of the wrong type). */
export class MalformedBodyError extends WebhookError {
  constructor(message: string) {
    super('MalformedBody', 400, message);
  }
}
