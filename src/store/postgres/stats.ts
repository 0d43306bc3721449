/**
 * The console's statistics on PostgreSQL; PostgresStore's statistics methods
 * delegate here. Pairs with sqlite/stats.ts.
 */
import { HEALTH_SAMPLE_EVENTS, type CallbackHealth, type FinishedCount, type OverviewCounts, type OverviewFilter } from '../store.js';

/** What the statistics need of the store they belong to. */
export interface PostgresStatsContext {
  query<R>(text: string, values: unknown[]): Promise<R[]>;
}

/** The scope's conditions, numbered after the `first` placeholders already taken. */
function scopeClause(filter: OverviewFilter, first: number): { sql: string; values: number[] } {
  const values: number[] = [];
  let sql = '';
  if (filter.callbackId !== undefined) {
    values.push(filter.callbackId);
    sql += ` AND callback_id = $${first + values.length}`;
  }
  if (filter.networkId !== undefined) {
    values.push(filter.networkId);
    sql += ` AND network_id = $${first + values.length}`;
  }
  if (filter.mailboxId !== undefined) {
    values.push(filter.mailboxId);
    sql += ` AND mailbox_id = $${first + values.length}`;
  }
  return { sql, values };
}

export class PostgresStats {
  constructor(private readonly context: PostgresStatsContext) {}

  async overviewCounts(
    filter: OverviewFilter,
    since: number,
    pendingSince: number,
    limit: number,
    finishedSince: number = since,
  ): Promise<OverviewCounts> {
    const one = scopeClause(filter, 1);
    const two = scopeClause(filter, 2);
    const [finished, [pending], failing] = await Promise.all([
      // One branch per outcome, so each reads its own partial index (events_delivered, events_failed).
      this.context.query<FinishedCount>(
        `SELECT (finished_at / 60000) * 60000 AS minute, 'Delivered' AS status, COUNT(*) AS count FROM events
         WHERE status = 'Delivered' AND finished_at >= $1${one.sql} GROUP BY minute
         UNION ALL
         SELECT (finished_at / 60000) * 60000 AS minute, 'Failed' AS status, COUNT(*) AS count FROM events
         WHERE status = 'Failed' AND finished_at >= $1${one.sql} GROUP BY minute
         ORDER BY minute, status`,
        [finishedSince, ...one.values],
      ),
      this.context.query<{ pending: number; pending_recent: number; oldest_pending_at: number | null }>(
        `SELECT COUNT(*) AS pending, COUNT(*) FILTER (WHERE created_at >= $1) AS pending_recent,
           MIN(created_at) AS oldest_pending_at
         FROM events WHERE status = 'Pending'${one.sql}`,
        [pendingSince, ...one.values],
      ),
      this.context.query<{ callback_id: number; failed: number }>(
        `SELECT callback_id, COUNT(*) AS failed FROM events
         WHERE status = 'Failed' AND finished_at >= $1${two.sql}
         GROUP BY callback_id ORDER BY failed DESC, callback_id LIMIT $2`,
        [since, limit, ...two.values],
      ),
    ]);
    return {
      finished,
      pending: pending?.pending ?? 0,
      pendingRecent: pending?.pending_recent ?? 0,
      oldestPendingAt: pending?.oldest_pending_at ?? null,
      failing: failing.map((row) => ({ callbackId: row.callback_id, failed: row.failed })),
    };
  }

  async callbackHealth(callbackIds: readonly number[], since: number): Promise<CallbackHealth[]> {
    if (callbackIds.length === 0) return [];
    const ids = [...callbackIds];
    // The latest HEALTH_SAMPLE_EVENTS events of each callback attempted since then, gathered by
    // outcome so each part walks a partial index newest first and stops (events_delivered_by_callback,
    // events_failed, events_due_by_callback): ordering a callback's whole history would read all of it.
    const recent = `unnest($1::bigint[]) AS c(id) JOIN LATERAL (
        SELECT id, last_attempt_at, last_http_status FROM (
          (SELECT id, last_attempt_at, last_http_status FROM events
            WHERE callback_id = c.id AND status = 'Delivered' AND finished_at >= $2 ORDER BY finished_at DESC LIMIT $3)
          UNION ALL
          (SELECT id, last_attempt_at, last_http_status FROM events
            WHERE callback_id = c.id AND status = 'Failed' AND finished_at >= $2 ORDER BY finished_at DESC LIMIT $3)
          UNION ALL
          (SELECT id, last_attempt_at, last_http_status FROM events
            WHERE callback_id = c.id AND status = 'Pending' AND last_attempt_at >= $2 LIMIT $3)) parts
        ORDER BY last_attempt_at DESC, id DESC LIMIT $3) r ON true`;
    const [figures, counts] = await Promise.all([
      // The sample is read once (a CTE used twice is materialized) for the attempts' figures and the last one.
      // Its attempts are looked up by event: OFFSET 0 keeps the planner from hashing the whole attempts
      // table instead, which it prefers while that table is small enough to guess wrong about.
      this.context.query<{
        callback_id: number;
        attempts: number | null;
        succeeded: number | null;
        p95: number | null;
        last_http_status: number | null;
        last_attempt_at: number;
      }>(
        `WITH recent AS (SELECT c.id AS callback_id, r.id, r.last_attempt_at, r.last_http_status FROM ${recent}),
         figures AS (
           SELECT r.callback_id, COUNT(*) AS attempts,
             COUNT(*) FILTER (WHERE a.http_status BETWEEN 200 AND 299) AS succeeded,
             percentile_disc(0.95) WITHIN GROUP (ORDER BY a.duration_ms) AS p95
           FROM recent r JOIN LATERAL (
             SELECT http_status, duration_ms FROM attempts WHERE event_id = r.id AND started_at >= $2 OFFSET 0) a ON true
           GROUP BY r.callback_id),
         last AS (
           SELECT DISTINCT ON (callback_id) callback_id, last_http_status, last_attempt_at FROM recent
           ORDER BY callback_id, last_attempt_at DESC, id DESC)
         SELECT l.callback_id, f.attempts, f.succeeded, f.p95, l.last_http_status, l.last_attempt_at
         FROM last l LEFT JOIN figures f ON f.callback_id = l.callback_id`,
        [ids, since, HEALTH_SAMPLE_EVENTS],
      ),
      // Each count reads its own partial index (events_due_by_callback, events_failed).
      this.context.query<{ callback_id: number; pending: number; failed: number }>(
        `SELECT c.id AS callback_id,
           (SELECT COUNT(*) FROM events WHERE callback_id = c.id AND status = 'Pending') AS pending,
           (SELECT COUNT(*) FROM events WHERE callback_id = c.id AND status = 'Failed') AS failed
         FROM unnest($1::bigint[]) AS c(id)`,
        [ids],
      ),
    ]);
    const byId = <R extends { callback_id: number }>(rows: R[]) => new Map(rows.map((row) => [row.callback_id, row]));
    const figuresOf = byId(figures);
    const countsOf = byId(counts);
    return callbackIds.map((callbackId) => {
      const f = figuresOf.get(callbackId);
      const c = countsOf.get(callbackId);
      return {
        callbackId,
        attempts: f?.attempts ?? 0,
        succeeded: f?.succeeded ?? 0,
        p95DurationMs: f?.p95 ?? null,
        lastHttpStatus: f?.last_http_status ?? null,
        lastAttemptAt: f?.last_attempt_at ?? null,
        pending: c?.pending ?? 0,
        failed: c?.failed ?? 0,
      };
    });
  }
}
