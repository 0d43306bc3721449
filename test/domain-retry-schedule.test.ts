import { describe, expect, it } from 'vitest';
import {
  MAX_DELAY_MS,
  MAX_RETRY_AFTER_MS,
  receiverPauseMs,
  retryDelayMs,
  STANDARD_WEBHOOKS_SCHEDULE,
} from '../src/domain/retry-schedule.js';

describe('retry schedule', () => {
  it("keeps the guide's backoff without a schedule: frequency doubled per retry, capped at an hour", () => {
    expect(retryDelayMs({ frequency: 10, attempts: 1, random: 0 })).toBe(10_000);
    expect(retryDelayMs({ frequency: 10, attempts: 3, random: 0 })).toBe(40_000);
    expect(retryDelayMs({ frequency: 10, attempts: 30, random: 0 })).toBe(MAX_DELAY_MS);
    expect(retryDelayMs({ frequency: 10, attempts: 1, retrySchedule: null, random: 0 })).toBe(10_000);
  });

  it("takes the schedule's n-th step for the n-th retry, days long if asked, past the cap", () => {
    const schedule = [...STANDARD_WEBHOOKS_SCHEDULE, 86_400, 3 * 86_400];
    const delays = schedule.map((_, i) => retryDelayMs({ frequency: 1, retrySchedule: schedule, attempts: i + 1, random: 0 }));
    expect(delays).toEqual(schedule.map((s) => s * 1000));
    // Past its end (retries raised by hand): the last step again.
    expect(retryDelayMs({ frequency: 1, retrySchedule: [5, 60], attempts: 7, random: 0 })).toBe(60_000);
  });

  it('adds at most a quarter at random to a step', () => {
    expect(retryDelayMs({ frequency: 1, retrySchedule: [100], attempts: 1, random: 0.999 })).toBeLessThanOrEqual(125_000);
    expect(retryDelayMs({ frequency: 1, retrySchedule: [100], attempts: 1, random: 0.5 })).toBe(112_500);
  });

  it("lets a receiver's Retry-After lengthen a step (to a day at most) but never shorten it", () => {
    const schedule = [5, 7_200, 3 * 86_400];
    expect(retryDelayMs({ frequency: 1, retrySchedule: schedule, attempts: 1, retryAfterMs: 60_000, random: 0 })).toBe(60_000);
    expect(retryDelayMs({ frequency: 1, retrySchedule: schedule, attempts: 2, retryAfterMs: 60_000, random: 0 })).toBe(7_200_000);
    expect(
      retryDelayMs({ frequency: 1, retrySchedule: schedule, attempts: 1, retryAfterMs: 5 * 86_400_000, random: 0 }),
    ).toBe(MAX_RETRY_AFTER_MS);
    expect(
      retryDelayMs({ frequency: 1, retrySchedule: schedule, attempts: 3, retryAfterMs: 2 * 86_400_000, random: 0 }),
    ).toBe(3 * 86_400_000);
  });

  it('pauses a callback only for a 429 that says how long, between a second and a day', () => {
    expect(receiverPauseMs(429, 30_000)).toBe(30_000);
    expect(receiverPauseMs(429, 0)).toBe(1_000);
    expect(receiverPauseMs(429, 9 * 86_400_000)).toBe(MAX_RETRY_AFTER_MS);
    expect(receiverPauseMs(429, null)).toBeNull();
    expect(receiverPauseMs(503, 30_000)).toBeNull();
  });
});
