/**
 * When the next attempt of an event is due after a failed one.
 *
 * Two policies, chosen per callback:
 * - the guide's: `frequency` is the minimum spacing; each further retry
 *   doubles it (exponential backoff) so a receiver that is down is not
 *   hammered. Nothing waits longer than MAX_DELAY_MS unless the callback's
 *   own frequency is longer.
 * - an explicit `retrySchedule` (seconds): the n-th retry waits the n-th
 *   step, so a partner can ask for Standard Webhooks' multi-day schedule.
 *   The schedule's length is the number of retries.
 *
 * Either way up to a quarter more is added at random so that many events
 * failing together do not come back together, and a receiver's Retry-After
 * (429/503) is honoured when it asks for longer, up to MAX_RETRY_AFTER_MS.
 *
 * Services validate schedules against RETRY_SCHEDULE and the delivery engine
 * applies them; both read this one module.
 */
export const MAX_DELAY_MS = 60 * 60 * 1000;
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/** Bounds of a retrySchedule: as many steps as `retries` may be, each at most a week. */
export const RETRY_SCHEDULE = { minSteps: 1, maxSteps: 100, minStepSeconds: 1, maxStepSeconds: 7 * 24 * 60 * 60 } as const;

/** Standard Webhooks' schedule after the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const STANDARD_WEBHOOKS_SCHEDULE: readonly number[] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];

export interface RetryInput {
  /** Seconds, from the callback. */
  frequency: number;
  /** The callback's explicit schedule (seconds per retry), or null for the guide's backoff. */
  retrySchedule?: readonly number[] | null;
  /** Attempts made so far, including the one that just failed (≥ 1). */
  attempts: number;
  /** The receiver's Retry-After in milliseconds, if it sent one. */
  retryAfterMs?: number | null;
  /** A number in [0, 1); injectable so tests are exact. */
  random?: number;
}

export function retryDelayMs({
  frequency,
  retrySchedule,
  attempts,
  retryAfterMs,
  random = Math.random(),
}: RetryInput): number {
  const planned = retrySchedule && retrySchedule.length > 0 ? scheduledMs(retrySchedule, attempts) : backoffMs(frequency, attempts);
  const delay = Math.round(planned * (1 + 0.25 * random));
  if (retryAfterMs != null && retryAfterMs > delay) return Math.max(delay, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
  return delay;
}

function backoffMs(frequency: number, attempts: number): number {
  const base = frequency * 1000;
  return Math.min(base * 2 ** Math.max(0, attempts - 1), Math.max(base, MAX_DELAY_MS));
}

/** The step for the retry after `attempts` attempts; past the end (retries raised by hand), the last step. */
function scheduledMs(schedule: readonly number[], attempts: number): number {
  const step = schedule[Math.min(Math.max(attempts, 1), schedule.length) - 1] as number;
  return step * 1000;
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

/**
 * How long a receiver asked that its whole callback wait: a 429 with a
 * Retry-After. It slows the callback, not just the one event, and the attempt
 * does not count against the event's retries (the receiver is busy, not
 * broken). Null when the answer asks for no pause.
 */
export function receiverPauseMs(httpStatus: number | null, retryAfterMs: number | null | undefined): number | null {
  if (httpStatus !== 429 || retryAfterMs == null) return null;
  return Math.min(Math.max(retryAfterMs, 1_000), MAX_RETRY_AFTER_MS);
}
