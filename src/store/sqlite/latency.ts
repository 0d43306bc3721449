/**
 * One callback's attempt durations over time on SQLite, for the console's
 * latency chart. Pairs with postgres/latency.ts.
 *
 * The callback's events are found through events_by_callback (callback_id,
 * created_at), newest first, among those created from LATENCY_LOOKBACK_MS
 * before the window to its end; each one's row tells whether it was attempted
 * since the window began, and the attempts of the newest
 * LATENCY_SAMPLE_EVENTS that were are read through attempts_event (event_id).
 * So the work is bounded by the window and the lookback however long the
 * callback's history is, and no other callback's rows are read.
 */
import type Database from 'better-sqlite3';
import { LATENCY_LOOKBACK_MS, LATENCY_SAMPLE_EVENTS, type CallbackLatency, type LatencyBucket, type LatencyQuery } from '../store.js';

// better-sqlite3 binds numbers as reals, so the bucket number is cast to keep integer division.
// One more event than the sample is read, to tell whether the sample left any out.
// Nearest rank, as PostgreSQL's percentile_disc: the value at position ceil(p n),
// in integers so both stores pick the same row: ceil(n / 2) and ceil(95 n / 100).
const LATENCY_SQL = `
  WITH candidates AS (
    SELECT id, ROW_NUMBER() OVER (ORDER BY created_at DESC, id DESC) AS position FROM events
    WHERE callback_id = @callbackId AND created_at >= @createdFrom AND created_at < @to AND last_attempt_at >= @from
    ORDER BY created_at DESC, id DESC LIMIT @sample + 1),
  ranked AS (
    SELECT CAST((a.started_at - @from) / @bucketMs AS INTEGER) AS bucket, a.duration_ms AS d,
      ROW_NUMBER() OVER (PARTITION BY CAST((a.started_at - @from) / @bucketMs AS INTEGER) ORDER BY a.duration_ms) AS rank,
      COUNT(*) OVER (PARTITION BY CAST((a.started_at - @from) / @bucketMs AS INTEGER)) AS n
    FROM candidates c JOIN attempts a ON a.event_id = c.id
    WHERE c.position <= @sample AND a.started_at >= @from AND a.started_at < @to)
  SELECT @from + bucket * @bucketMs AS start, n AS attempts,
    MAX(d) FILTER (WHERE rank = (n + 1) / 2) AS p50DurationMs,
    MAX(d) FILTER (WHERE rank = (95 * n + 99) / 100) AS p95DurationMs,
    (SELECT COUNT(*) FROM candidates) AS candidates
  FROM ranked GROUP BY bucket, n ORDER BY bucket`;

export class SqliteLatency {
  constructor(
    private readonly db: Database.Database,
    /** Runs `fn` in one read transaction. */
    private readonly read: <T>(fn: () => T) => T,
  ) {}

  callbackLatency(query: LatencyQuery): CallbackLatency {
    const params = { ...query, createdFrom: query.from - LATENCY_LOOKBACK_MS, sample: LATENCY_SAMPLE_EVENTS };
    const rows = this.read(() => this.db.prepare(LATENCY_SQL).all(params) as (LatencyBucket & { candidates: number })[]);
    return {
      buckets: rows.map(({ candidates: _, ...bucket }) => bucket),
      sampled: rows.some((row) => row.candidates > LATENCY_SAMPLE_EVENTS),
    };
  }
}
