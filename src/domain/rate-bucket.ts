/**
 * The token bucket behind a callback's maxPerSecond. It refills at
 * maxPerSecond tokens a second and holds at most a tenth of a second's worth
 * (at least one token), so after an idle spell a callback gets a short burst
 * and no one-second window ever sees more than maxPerSecond plus that burst:
 * within the ±10% a partner's endpoint limit allows. Both stores compute the
 * same numbers; PostgreSQL in SQL, so workers take tokens atomically.
 */

/** Most tokens the bucket holds: a tenth of a second's worth, at least one. */
export function bucketSize(maxPerSecond: number): number {
  return Math.max(1, maxPerSecond / 10);
}

/** When the next whole token is in a bucket left holding `tokens` (< 1) at `now`. */
export function nextTokenAt(tokens: number, maxPerSecond: number, now: number): number {
  return now + Math.max(1, Math.ceil(((1 - tokens) * 1000) / maxPerSecond));
}
