/**
 * The console's statistics on PostgreSQL; PostgresStore's statistics methods
 * delegate here. Pairs with sqlite/stats.ts.
 */
import type { CallbackHealth, FinishedCount, OverviewCounts, ScopeFilter } from '../store.js';

/** What the statistics need of the store they belong to. */
export interface PostgresStatsContext {
  query<R>(text: string, values: unknown[]): Promise<R[]>;
}

/** The scope's conditions, numbered after the `first` placeholders already taken. */
function scopeClause(filter: ScopeFilter, first: number): { sql: string; values: number[] } {
  const values: number[] = [];
  let sql = '';
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

  async overviewCounts(filter: ScopeFilter, since: number, pendingSince: number, limit: number): Promise<OverviewCounts> {
    const one = scopeClause(filter, 1);
    const two = scopeClause(filter, 2);
    const [finished, [pending], failing] = await Promise.all([
      this.context.query<FinishedCount>(
        `SELECT (finished_at / 60000) * 60000 AS minute, status, COUNT(*) AS count FROM events
         WHERE finished_at >= $1 AND status IN ('Delivered', 'Failed')${one.sql}
         GROUP BY minute, status ORDER BY minute, status`,
        [since, ...one.values],
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
    const [attempts, last, counts] = await Promise.all([
      this.context.query<{ callback_id: number; attempts: number; succeeded: number; p95: number | null }>(
        `SELECT e.callback_id, COUNT(*) AS attempts,
           COUNT(*) FILTER (WHERE a.http_status BETWEEN 200 AND 299) AS succeeded,
           percentile_disc(0.95) WITHIN GROUP (ORDER BY a.duration_ms) AS p95
         FROM attempts a JOIN events e ON e.id = a.event_id
         WHERE e.callback_id = ANY($1::bigint[]) AND a.started_at >= $2
         GROUP BY e.callback_id`,
        [ids, since],
      ),
      this.context.query<{ callback_id: number; last_http_status: number | null; last_attempt_at: number }>(
        `SELECT DISTINCT ON (callback_id) callback_id, last_http_status, last_attempt_at FROM events
         WHERE callback_id = ANY($1::bigint[]) AND last_attempt_at IS NOT NULL
         ORDER BY callback_id, last_attempt_at DESC, id DESC`,
        [ids],
      ),
      this.context.query<{ callback_id: number; pending: number; failed: number }>(
        `SELECT callback_id, COUNT(*) FILTER (WHERE status = 'Pending') AS pending,
           COUNT(*) FILTER (WHERE status = 'Failed') AS failed
         FROM events WHERE callback_id = ANY($1::bigint[]) AND status IN ('Pending', 'Failed')
         GROUP BY callback_id`,
        [ids],
      ),
    ]);
    const byId = <R extends { callback_id: number }>(rows: R[]) => new Map(rows.map((row) => [row.callback_id, row]));
    const attemptsOf = byId(attempts);
    const lastOf = byId(last);
    const countsOf = byId(counts);
    return callbackIds.map((callbackId) => {
      const a = attemptsOf.get(callbackId);
      const l = lastOf.get(callbackId);
      const c = countsOf.get(callbackId);
      return {
        callbackId,
        attempts: a?.attempts ?? 0,
        succeeded: a?.succeeded ?? 0,
        p95DurationMs: a?.p95 ?? null,
        lastHttpStatus: l?.last_http_status ?? null,
        lastAttemptAt: l?.last_attempt_at ?? null,
        pending: c?.pending ?? 0,
        failed: c?.failed ?? 0,
      };
    });
  }
}
