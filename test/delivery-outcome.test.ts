import { describe, expect, it } from 'vitest';
import { MAX_RESPONSE_BODY_CHARS, decideOutcome } from '../src/delivery/outcome.js';
import type { SendResult } from '../src/delivery/sender.js';
import { makeJob } from './helpers/delivery-job.js';

const NOW = 1_800_000_000_000;
const STARTED = NOW - 120;

const delivered: SendResult = { httpStatus: 200, error: null, durationMs: 120, retryAfterMs: null, delivered: true };
const serverError: SendResult = { httpStatus: 500, error: 'HTTP 500', durationMs: 80, retryAfterMs: null, delivered: false };
const refused: SendResult = { httpStatus: null, error: 'connection refused', durationMs: 2, retryAfterMs: null, delivered: false };

describe('attempt outcome', () => {
  it('is Delivered on success, with no next attempt', () => {
    expect(decideOutcome(makeJob({ eventId: 5 }), delivered, 'w1', STARTED, NOW)).toEqual({
      eventId: 5,
      workerId: 'w1',
      startedAt: STARTED,
      durationMs: 120,
      httpStatus: 200,
      error: null,
      outcome: 'Delivered',
      nextAttemptAt: null,
      responseHeaders: null,
      responseBody: null,
    });
  });

  it("keeps the receiver's answer cleaned and cut short: controls become spaces, a lone surrogate U+FFFD", () => {
    const answered: SendResult = {
      ...serverError,
      response: { headers: 'content-type: text/plain\nx-odd: a\u0000b', body: `oops\u0007\ud800${'x'.repeat(5_000)}` },
    };
    const result = decideOutcome(makeJob(), answered, 'w1', STARTED, NOW);
    expect(result.responseHeaders).toBe('content-type: text/plain\nx-odd: a b');
    expect(result.responseBody!.startsWith('oops \ufffdxxx')).toBe(true);
    expect(result.responseBody!.length).toBe(MAX_RESPONSE_BODY_CHARS + 1);
    expect(result.responseBody!.endsWith('…')).toBe(true);
    expect(decideOutcome(makeJob(), { ...delivered, response: { headers: 'a: b', body: '' } }, 'w1', STARTED, NOW)).toMatchObject({
      responseHeaders: 'a: b',
      responseBody: '',
    });
  });

  it('is Retry after frequency seconds on a first failure, growing per retry', () => {
    const job = makeJob({ frequency: 10, attempts: 0, maxAttempts: 4 });
    const first = decideOutcome(job, serverError, 'w1', STARTED, NOW, 0);
    expect(first).toMatchObject({ outcome: 'Retry', httpStatus: 500, error: 'HTTP 500', nextAttemptAt: NOW + 10_000 });
    const second = decideOutcome({ ...job, attempts: 1 }, refused, 'w1', STARTED, NOW, 0);
    expect(second).toMatchObject({ outcome: 'Retry', httpStatus: null, error: 'connection refused', nextAttemptAt: NOW + 20_000 });
    const jittered = decideOutcome(job, serverError, 'w1', STARTED, NOW, 0.999);
    expect(jittered.nextAttemptAt! - NOW).toBeGreaterThanOrEqual(10_000);
    expect(jittered.nextAttemptAt! - NOW).toBeLessThanOrEqual(12_500);
  });

  it("honours a 503's longer Retry-After, using a retry", () => {
    const job = makeJob({ frequency: 1, attempts: 0, maxAttempts: 3 });
    const result = decideOutcome(job, { ...serverError, httpStatus: 503, retryAfterMs: 30_000 }, 'w1', STARTED, NOW, 0);
    expect(result).toMatchObject({ outcome: 'Retry', nextAttemptAt: NOW + 30_000 });
    expect(result.pauseCallbackUntil).toBeUndefined();
  });

  it("defers a 429 with Retry-After without using a retry, pausing the callback, even on the last attempt", () => {
    const job = makeJob({ frequency: 1, attempts: 3, maxAttempts: 4 });
    const result = decideOutcome(job, { ...serverError, httpStatus: 429, retryAfterMs: 30_000 }, 'w1', STARTED, NOW, 0);
    expect(result).toMatchObject({
      outcome: 'Deferred',
      httpStatus: 429,
      nextAttemptAt: NOW + 30_000,
      pauseCallbackUntil: NOW + 30_000,
    });
    const bare = decideOutcome(job, { ...serverError, httpStatus: 429 }, 'w1', STARTED, NOW, 0);
    expect(bare).toMatchObject({ outcome: 'Failed' });
  });

  it('defers a 410 Gone (its callback is being suspended) on the first step of the schedule', () => {
    const job = makeJob({ attempts: 3, maxAttempts: 4, retrySchedule: [60, 600, 6000] });
    const result = decideOutcome(job, { ...serverError, httpStatus: 410, error: 'HTTP 410' }, 'w1', STARTED, NOW, 0);
    expect(result).toMatchObject({ outcome: 'Deferred', nextAttemptAt: NOW + 60_000 });
    expect(result.pauseCallbackUntil).toBeUndefined();
  });

  it("follows the callback's retrySchedule step by step, frequency aside", () => {
    const job = makeJob({ frequency: 1, maxAttempts: 4, retrySchedule: [5, 300, 7200] });
    const next = (attempts: number) => decideOutcome({ ...job, attempts }, serverError, 'w1', STARTED, NOW, 0);
    expect(next(0).nextAttemptAt).toBe(NOW + 5_000);
    expect(next(1).nextAttemptAt).toBe(NOW + 300_000);
    expect(next(2).nextAttemptAt).toBe(NOW + 7_200_000);
    expect(next(3).outcome).toBe('Failed');
  });

  it('is Failed when the last allowed attempt fails', () => {
    const job = makeJob({ attempts: 3, maxAttempts: 4 });
    expect(decideOutcome(job, serverError, 'w1', STARTED, NOW)).toMatchObject({ outcome: 'Failed', nextAttemptAt: null, error: 'HTTP 500' });
    const noRetries = makeJob({ attempts: 0, maxAttempts: 1 });
    expect(decideOutcome(noRetries, refused, 'w1', STARTED, NOW)).toMatchObject({ outcome: 'Failed', nextAttemptAt: null });
  });

  it('still counts a success on the last attempt as Delivered', () => {
    expect(decideOutcome(makeJob({ attempts: 3, maxAttempts: 4 }), delivered, 'w1', STARTED, NOW).outcome).toBe('Delivered');
  });
});
