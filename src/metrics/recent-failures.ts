import type { Clock } from '../domain/clock.js';

const MINUTE_MS = 60_000;

/**
 * Attempts that did not deliver, per callback, over the last few minutes,
 * as this process saw them: counted in one-minute buckets, so an increment
 * is one Map update and the window slides a minute at a time. Memory holds
 * only callbacks that failed within the window.
 */
export class RecentFailures {
  private readonly buckets: { minute: number; counts: Map<number, number> }[];

  constructor(
    private readonly clock: Clock,
    readonly windowMinutes: number,
  ) {
    this.buckets = Array.from({ length: windowMinutes }, () => ({ minute: -1, counts: new Map<number, number>() }));
  }

  add(callbackId: number): void {
    const minute = Math.floor(this.clock.now() / MINUTE_MS);
    const bucket = this.buckets[minute % this.windowMinutes] as (typeof this.buckets)[number];
    if (bucket.minute !== minute) {
      bucket.minute = minute;
      bucket.counts.clear();
    }
    bucket.counts.set(callbackId, (bucket.counts.get(callbackId) ?? 0) + 1);
  }

  /** The `n` callbacks with the most failures in the window, most first (ties: lower id first). */
  top(n: number): [callbackId: number, failures: number][] {
    const minute = Math.floor(this.clock.now() / MINUTE_MS);
    const totals = new Map<number, number>();
    for (const bucket of this.buckets) {
      if (minute - bucket.minute >= this.windowMinutes) {
        // Out of the window: let its callbacks go now rather than when the slot comes round again.
        bucket.counts.clear();
        continue;
      }
      for (const [callbackId, count] of bucket.counts) totals.set(callbackId, (totals.get(callbackId) ?? 0) + count);
    }
    return [...totals].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, n);
  }
}
