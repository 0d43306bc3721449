import { suspendsAtOnce } from '../domain/endpoint-health.js';
import { receiverPauseMs, retryDelayMs } from '../domain/retry-schedule.js';
import { cleanReceiverText } from '../domain/text-safety.js';
import type { AttemptResult, DeliveryJob } from '../store/store.js';
import type { SendResult } from './sender.js';

/** Longest error text an attempt stores. */
export const MAX_ERROR_CHARS = 1_000;
/** Longest part of an answer's body an attempt stores (the console shows it). */
export const MAX_RESPONSE_BODY_CHARS = 1_000;
/** Longest header block of an answer an attempt stores. */
export const MAX_RESPONSE_HEADERS_CHARS = 2_000;

/**
 * What one attempt means for its event: Delivered on success; Deferred (no
 * retry used) when the receiver asked the callback to pause (429 with
 * Retry-After) or answered 410 Gone (the callback is being suspended and the
 * event is kept for its return); Failed when it was the last attempt allowed;
 * otherwise Retry, due after the retry schedule's delay (the callback's
 * retrySchedule, or frequency doubled per retry; the receiver's Retry-After if
 * longer).
 *
 * Every attempt result passes here before any store sees it, so this is where
 * the receiver's text (its answer, or what its connection did) is made storable.
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
  const answer = result.response;
  const responseHeaders = answer ? cleanReceiverText(answer.headers, MAX_RESPONSE_HEADERS_CHARS) : null;
  const responseBody = answer ? cleanReceiverText(answer.body, MAX_RESPONSE_BODY_CHARS) : null;
  // Object literals, not spreads of a shared part: this runs once per attempt,
  // and V8 copies a spread property by property.
  if (result.delivered) {
    return {
      eventId: job.eventId,
      workerId,
      startedAt,
      durationMs,
      httpStatus,
      error: null,
      outcome: 'Delivered',
      nextAttemptAt: null,
      responseHeaders,
      responseBody,
    };
  }
  const error = cleanReceiverText(result.error ?? `HTTP ${httpStatus ?? 'error'}`, MAX_ERROR_CHARS);
  const pause = receiverPauseMs(httpStatus, result.retryAfterMs);
  if (pause !== null) {
    const until = now + pause;
    return { eventId: job.eventId, workerId, startedAt, durationMs, httpStatus, error, outcome: 'Deferred', nextAttemptAt: until, pauseCallbackUntil: until };
  }
  const attempts = job.attempts + 1;
  if (suspendsAtOnce(httpStatus)) {
    const delay = retryDelayMs({ frequency: job.frequency, retrySchedule: job.retrySchedule, attempts: 1, ...(random === undefined ? {} : { random }) });
    return { eventId: job.eventId, workerId, startedAt, durationMs, httpStatus, error, outcome: 'Deferred', nextAttemptAt: now + delay };
  }
  if (attempts >= job.maxAttempts) {
    return {
      eventId: job.eventId,
      workerId,
      startedAt,
      durationMs,
      httpStatus,
      error,
      outcome: 'Failed',
      nextAttemptAt: null,
      responseHeaders,
      responseBody,
    };
  }
  const delay = retryDelayMs({
    frequency: job.frequency,
    retrySchedule: job.retrySchedule,
    attempts,
    retryAfterMs: result.retryAfterMs,
    ...(random === undefined ? {} : { random }),
  });
  return {
    eventId: job.eventId,
    workerId,
    startedAt,
    durationMs,
    httpStatus,
    error,
    outcome: 'Retry',
    nextAttemptAt: now + delay,
    responseHeaders,
    responseBody,
  };
}
