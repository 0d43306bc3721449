import { retryDelayMs } from '../domain/retry-schedule.js';
import type { AttemptResult, DeliveryJob } from '../store/store.js';
import type { SendResult } from './sender.js';

/**
 * What one attempt means for its event: Delivered on success; Failed when it
 * was the last attempt allowed; otherwise Retry, due after the retry schedule's
 * delay (frequency, doubled per retry, or the receiver's Retry-After if longer).
 */
export function decideOutcome(
  job: DeliveryJob,
  result: SendResult,
  workerId: string,
  startedAt: number,
  now: number,
  random?: number,
): AttemptResult {
  const { durationMs, httpStatus } = result;
  // Object literals, not spreads of a shared part: this runs once per attempt,
  // and V8 copies a spread property by property.
  if (result.delivered) {
    return { eventId: job.eventId, workerId, startedAt, durationMs, httpStatus, error: null, outcome: 'Delivered', nextAttemptAt: null };
  }
  const error = result.error ?? `HTTP ${httpStatus ?? 'error'}`;
  const attempts = job.attempts + 1;
  if (attempts >= job.maxAttempts) {
    return { eventId: job.eventId, workerId, startedAt, durationMs, httpStatus, error, outcome: 'Failed', nextAttemptAt: null };
  }
  const delay = retryDelayMs({
    frequency: job.frequency,
    attempts,
    retryAfterMs: result.retryAfterMs,
    ...(random === undefined ? {} : { random }),
  });
  return { eventId: job.eventId, workerId, startedAt, durationMs, httpStatus, error, outcome: 'Retry', nextAttemptAt: now + delay };
}
