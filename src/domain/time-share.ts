/**
 * Background work that yields to deliveries (list calls in the API, the
 * retention purge) keeps to a share of the time by pausing after each piece
 * in proportion to what the piece took: a piece of t ms followed by
 * t × (1 − share) / share ms of pause is `share` of the time.
 */

/** The pause after a piece of work that took tookMs, so that the work is `share` (0 < share ≤ 1) of the time, at most maxMs. */
export function pauseForShare(tookMs: number, share: number, maxMs: number): number {
  return Math.min(maxMs, (Math.max(0, tookMs) * (1 - share)) / share);
}
