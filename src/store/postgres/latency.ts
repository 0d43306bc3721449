/**
 * One callback's attempt durations over time on PostgreSQL, for the
 * console's latency chart. Pairs with sqlite/latency.ts.
 *
 * The callback's events are found through events_by_callback (callback_id,
 * created_at), newest first, among those created from LATENCY_LOOKBACK_MS
 * before the window to its end; each one's row tells whether it was attempted
 * since the window began, and the attempts of the newest
 * LATENCY_SAMPLE_EVENTS that were are read through attempts_event (event_id).
 * So the work is bounded by the window and the lookback however long the
 * callback's history is, and no other callback's rows are read.
 */
import { LATENCY_LOOKBACK_MS, LATENCY_SAMPLE_EVENTS, type CallbackLatency, type LatencyQuery } from '../store.js';

/** What the latency read needs of the store it belongs to. */
export interface PostgresLatencyContext {
  query<R>(text: string, values: unknown[]): Promise<R[]>;
}

// $1 callback, $2 events created from, $3 window start, $4 window end, $5 bucket, $6 sample size.
// One more event than the sample is read, to tell whether the sample left any out.
// Nearest rank, as percentile_disc: the value at position ceil(p n), in integers so
// both stores pick the same row: ceil(n / 2) and ceil(95 n / 100).
const LATENCY_SQL = `
  WITH candidates AS (
    SELECT id, ROW_NUMBER() OVER (ORDER BY created_at DESC, id DESC) AS position FROM events
    WHERE callback_id = $1 AND created_at >= $2 AND created_at < $4 AND last_attempt_at >= $3
    ORDER BY created_at DESC, id DESC LIMIT $6 + 1),
  ranked AS (
    SELECT (a.started_at - $3) / $5 AS bucket, a.duration_ms AS d,
      ROW_NUMBER() OVER (PARTITION BY (a.started_at - $3) / $5 ORDER BY a.duration_ms) AS rank,
      COUNT(*) OVER (PARTITION BY (a.started_at - $3) / $5) AS n
    FROM candidates c JOIN attempts a ON a.event_id = c.id
    WHERE c.position <= $6 AND a.started_at >= $3 AND a.started_at < $4)
  SELECT $3 + bucket * $5 AS start, n AS attempts,
    MAX(d) FILTER (WHERE rank = (n + 1) / 2) AS p50_duration_ms,
    MAX(d) FILTER (WHERE rank = (95 * n + 99) / 100) AS p95_duration_ms,
    (SELECT COUNT(*) FROM candidates) AS candidates
  FROM ranked GROUP BY bucket, n ORDER BY bucket`;

export class PostgresLatency {
  constructor(private readonly context: PostgresLatencyContext) {}

  async callbackLatency(query: LatencyQuery): Promise<CallbackLatency> {
    const { callbackId, from, to, bucketMs } = query;
    const rows = await this.context.query<{
      start: number;
      attempts: number;
      p50_duration_ms: number;
      p95_duration_ms: number;
      candidates: number;
    }>(LATENCY_SQL, [callbackId, from - LATENCY_LOOKBACK_MS, from, to, bucketMs, LATENCY_SAMPLE_EVENTS]);
    return {
      buckets: rows.map((row) => ({
        start: row.start,
        attempts: row.attempts,
        p50DurationMs: row.p50_duration_ms,
        p95DurationMs: row.p95_duration_ms,
      })),
      sampled: rows.some((row) => row.candidates > LATENCY_SAMPLE_EVENTS),
    };
  }
}
