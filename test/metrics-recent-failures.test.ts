/**
 * The window behind gridhook_callback_failures_top: failures count for
 * 15 minutes, then leave it a minute at a time, and the top N is ordered by
 * failures (ties: the lower callback id first). The clock is moved, not
 * waited for.
 */
import { describe, expect, it } from 'vitest';
import { RecentFailures } from '../src/metrics/recent-failures.js';

const MINUTE = 60_000;
const T0 = 1_800_000_000_000;

function windowAt(start: number): { failures: RecentFailures; at(ms: number): void } {
  let now = start;
  return { failures: new RecentFailures({ now: () => now }, 15), at: (ms) => (now = ms) };
}

describe('RecentFailures', () => {
  it('answers the N callbacks failing most, most first, the lower id first among equals', () => {
    const { failures } = windowAt(T0);
    for (const [callbackId, count] of [[7, 2], [3, 5], [9, 2], [4, 1]] as const) {
      for (let i = 0; i < count; i++) failures.add(callbackId);
    }
    expect(failures.top(3)).toEqual([[3, 5], [7, 2], [9, 2]]);
    expect(failures.top(0)).toEqual([]);
  });

  it('forgets failures older than the window, a minute at a time', () => {
    const { failures, at } = windowAt(T0);
    failures.add(1);
    failures.add(1);
    at(T0 + 5 * MINUTE);
    failures.add(2);
    at(T0 + 14 * MINUTE);
    expect(failures.top(10)).toEqual([[1, 2], [2, 1]]);
    at(T0 + 15 * MINUTE);
    expect(failures.top(10)).toEqual([[2, 1]]);
    at(T0 + 20 * MINUTE);
    expect(failures.top(10)).toEqual([]);
  });

  it('starts a reused minute afresh rather than adding to what it held a window ago', () => {
    const { failures, at } = windowAt(T0);
    failures.add(1);
    at(T0 + 15 * MINUTE);
    failures.add(1);
    expect(failures.top(10)).toEqual([[1, 1]]);
  });
});
