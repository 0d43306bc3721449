/**
 * The token bucket behind a callback's maxPerSecond. It refills at
 * maxPerSecond tokens a second and holds a twentieth of a second's worth, at
 * least two tokens: after an idle spell a callback gets that short burst, and
 * no one-second window sees more than maxPerSecond plus the burst less one,
 * which leaves room within a partner's ±10% for the network's jitter. Two at
 * least, so a worker waking a little late for its token does not lose the
 * next one (measured: with one, 20 a second came out as 18).
 * Both stores compute the same numbers; PostgreSQL in SQL, so workers take
 * tokens atomically.
 */

/** Most tokens the bucket holds: a twentieth of a second's worth, at least two. */
export function bucketSize(maxPerSecond: number): number {
  return Math.max(2, maxPerSecond / 20);
}

/** When the next whole token is in a bucket left holding `tokens` (< 1) at `now`. */
export function nextTokenAt(tokens: number, maxPerSecond: number, now: number): number {
  return now + Math.max(1, Math.ceil(((1 - tokens) * 1000) / maxPerSecond));
}
