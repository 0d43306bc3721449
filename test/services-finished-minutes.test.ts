/**
 * The overview's cache of finished minutes: after the first call it asks the
 * store only for the minutes that may still change, and what it answers is
 * what counting everything would answer.
 */
import { describe, expect, it } from 'vitest';
import { FinishedMinutes } from '../src/services/finished-minutes.js';
import type { FinishedCount } from '../src/store/store.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = Date.UTC(2026, 4, 7, 14, 0, 0);

/** Finished events as (time, outcome), counted the way the stores count them. */
function counter(finished: { at: number; status: 'Delivered' | 'Failed' }[]) {
  const asked: number[] = [];
  const count = async (since: number): Promise<{ finished: FinishedCount[]; pending: number }> => {
    asked.push(since);
    const buckets = new Map<string, FinishedCount>();
    for (const f of finished) {
      if (f.at < since) continue;
      const minute = Math.floor(f.at / MINUTE) * MINUTE;
      const key = `${minute}/${f.status}`;
      const bucket = buckets.get(key) ?? { minute, status: f.status, count: 0 };
      bucket.count += 1;
      buckets.set(key, bucket);
    }
    return { finished: [...buckets.values()].sort((a, b) => a.minute - b.minute || a.status.localeCompare(b.status)), pending: 7 };
  };
  return { count, asked };
}

describe('FinishedMinutes', () => {
  it('answers as a full count would, while asking only for the unsettled minutes', async () => {
    const finished: { at: number; status: 'Delivered' | 'Failed' }[] = [];
    for (let i = 0; i < 600; i++) finished.push({ at: T0 - DAY + i * 150_000, status: i % 7 === 0 ? 'Failed' : 'Delivered' });
    const { count, asked } = counter(finished);
    const cache = new FinishedMinutes();
    for (let step = 0; step < 10; step++) {
      const now = T0 + step * 20_000;
      // Events keep finishing as time goes on, each in the minute it is counted.
      finished.push({ at: now - 1_000, status: step % 3 === 0 ? 'Failed' : 'Delivered' });
      const { finished: cached, pending } = await cache.read({}, now - DAY, now, count);
      // The rest of the store's answer comes through as the store gave it.
      expect(pending).toBe(7);
      // The minute that straddles the start of the day is the one the cache may leave out.
      const whole = (rows: FinishedCount[]) => rows.filter((f) => f.minute >= now - DAY);
      expect(whole(cached)).toEqual(whole((await counter(finished).count(now - DAY)).finished));
    }
    expect(asked[0]).toBe(T0 - DAY);
    // Every later call starts within a few minutes of its own time.
    for (const [i, since] of asked.slice(1).entries()) expect(T0 + (i + 1) * 20_000 - since).toBeLessThanOrEqual(4 * MINUTE);
  });

  it('keeps scopes apart, and counts a scope in full again after five minutes', async () => {
    const a = counter([{ at: T0 - 10 * MINUTE, status: 'Delivered' }]);
    const b = counter([{ at: T0 - 10 * MINUTE, status: 'Failed' }]);
    const cache = new FinishedMinutes();
    expect((await cache.read({ mailboxId: 1 }, T0 - DAY, T0, a.count)).finished.map((f) => f.status)).toEqual(['Delivered']);
    expect((await cache.read({ mailboxId: 2 }, T0 - DAY, T0, b.count)).finished.map((f) => f.status)).toEqual(['Failed']);
    await cache.read({ mailboxId: 1 }, T0 + MINUTE - DAY, T0 + MINUTE, a.count);
    expect(a.asked.at(-1)).toBeGreaterThan(T0 + MINUTE - DAY);
    await cache.read({ mailboxId: 1 }, T0 + 6 * MINUTE - DAY, T0 + 6 * MINUTE, a.count);
    expect(a.asked.at(-1)).toBe(T0 + 6 * MINUTE - DAY);
  });

  it('holds a minute open long enough for results written a minute late', async () => {
    // A worker records its results in batches: an event that finished at T0 + 50 s may be written at T0 + 110 s.
    const finished: { at: number; status: 'Delivered' | 'Failed' }[] = [{ at: T0 + 10_000, status: 'Delivered' }];
    const { count } = counter(finished);
    const cache = new FinishedMinutes();
    await cache.read({}, T0 + 70_000 - DAY, T0 + 70_000, count);
    finished.push({ at: T0 + 50_000, status: 'Failed' });
    const { finished: later } = await cache.read({}, T0 + 110_000 - DAY, T0 + 110_000, count);
    expect(later.filter((f) => f.minute === T0)).toEqual([
      { minute: T0, status: 'Delivered', count: 1 },
      { minute: T0, status: 'Failed', count: 1 },
    ]);
  });
});
