/**
 * The token bucket behind a callback's maxPerSecond. It refills at
 * maxPerSecond tokens a second and holds at most a twentieth of a second's
 * worth (at least one token): after an idle spell a callback gets that short
 * burst, and no one-second window sees more than maxPerSecond plus the burst
 * less one, which leaves room within a partner's ±10% for the network's
 * jitter. Both stores compute the same numbers; PostgreSQL in SQL, so workers
 * take tokens atomically.
 */

/** Most tokens the bucket holds: a twentieth of a second's worth, at least one. */
export function bucketSize(maxPerSecond: number): number {
  return Math.max(1, maxPerSecond / 20);
}

/** When the next whole token is in a bucket left holding `tokens` (< 1) at `now`. */
export function nextTokenAt(tokens: number, maxPerSecond: number, now: number): number {
  return now + Math.max(1, Math.ceil(((1 - tokens) * 1000) / maxPerSecond));
}
