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
  const attempt = {
    eventId: job.eventId,
    workerId,
    startedAt,
    durationMs: result.durationMs,
    httpStatus: result.httpStatus,
  };
  if (result.delivered) return { ...attempt, error: null, outcome: 'Delivered', nextAttemptAt: null };
  const error = result.error ?? `HTTP ${result.httpStatus ?? 'error'}`;
  const attempts = job.attempts + 1;
  if (attempts >= job.maxAttempts) return { ...attempt, error, outcome: 'Failed', nextAttemptAt: null };
  const delay = retryDelayMs({
    frequency: job.frequency,
    attempts,
    retryAfterMs: result.retryAfterMs,
    ...(random === undefined ? {} : { random }),
  });
  return { ...attempt, error, outcome: 'Retry', nextAttemptAt: now + delay };
}
