/**
 * When the next attempt of an event is due after a failed one.
 *
 * The guide's `frequency` is the minimum spacing; each further retry doubles it
 * (exponential backoff) so a receiver that is down is not hammered, and up to a
 * quarter more is added at random so that many events failing together do not
 * come back together. A receiver's Retry-After (429/503) is honoured when it
 * asks for longer. Nothing waits longer than MAX_DELAY_MS unless the callback's
 * own frequency is longer.
 */
export const MAX_DELAY_MS = 60 * 60 * 1000;
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

export interface RetryInput {
  /** Seconds, from the callback. */
  frequency: number;
  /** Attempts made so far, including the one that just failed (≥ 1). */
  attempts: number;
  /** The receiver's Retry-After in milliseconds, if it sent one. */
  retryAfterMs?: number | null;
  /** A number in [0, 1); injectable so tests are exact. */
  random?: number;
}

export function retryDelayMs({ frequency, attempts, retryAfterMs, random = Math.random() }: RetryInput): number {
  const base = frequency * 1000;
  const grown = Math.min(base * 2 ** Math.max(0, attempts - 1), Math.max(base, MAX_DELAY_MS));
  const delay = Math.round(grown * (1 + 0.25 * random));
  if (retryAfterMs != null && retryAfterMs > delay) return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  return delay;
}

/** Total attempts an event may get: the first one plus `retries` retries. */
export function maxAttempts(retries: number): number {
  return retries + 1;
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
