/**
 * The console's statistics on SQLite; SqliteStore's statistics methods
 * delegate here. Each answer is read in one snapshot. Pairs with
 * postgres/stats.ts.
 */
import type Database from 'better-sqlite3';
import { HEALTH_SAMPLE_EVENTS, type CallbackHealth, type FinishedCount, type OverviewCounts, type OverviewFilter } from '../store.js';

type Params = Record<string, number>;

function scopeClause(filter: OverviewFilter): { sql: string; params: Params } {
  const params: Params = {};
  let sql = '';
  if (filter.callbackId !== undefined) {
    sql += ' AND callback_id = @callbackId';
    params.callbackId = filter.callbackId;
  }
  if (filter.networkId !== undefined) {
    sql += ' AND network_id = @networkId';
    params.networkId = filter.networkId;
  }
  if (filter.mailboxId !== undefined) {
    sql += ' AND mailbox_id = @mailboxId';
    params.mailboxId = filter.mailboxId;
  }
  return { sql, params };
}

export class SqliteStats {
  constructor(
    private readonly db: Database.Database,
    /** Runs `fn` in one read transaction (a consistent snapshot). */
    private readonly read: <T>(fn: () => T) => T,
  ) {}

  #all<R>(sql: string, params: Params): R[] {
    return this.db.prepare(sql).all(params) as R[];
  }

  #get<R>(sql: string, params: Params): R {
    return this.db.prepare(sql).get(params) as R;
  }

  overviewCounts(filter: OverviewFilter, since: number, pendingSince: number, limit: number): OverviewCounts {
    const scope = scopeClause(filter);
    const params = { ...scope.params, since, pendingSince, limit };
    return this.read(() => {
      // One branch per outcome, so each reads its own partial index (events_delivered, events_failed).
      const finished = this.#all<FinishedCount>(
        `SELECT (finished_at / 60000) * 60000 AS minute, 'Delivered' AS status, COUNT(*) AS count FROM events
         WHERE status = 'Delivered' AND finished_at >= @since${scope.sql} GROUP BY minute
         UNION ALL
         SELECT (finished_at / 60000) * 60000 AS minute, 'Failed' AS status, COUNT(*) AS count FROM events
         WHERE status = 'Failed' AND finished_at >= @since${scope.sql} GROUP BY minute
         ORDER BY minute, status`,
        params,
      );
      const pending = this.#get<{ pending: number; pendingRecent: number | null; oldestPendingAt: number | null }>(
        `SELECT COUNT(*) AS pending, SUM(created_at >= @pendingSince) AS pendingRecent,
           MIN(created_at) AS oldestPendingAt
         FROM events WHERE status = 'Pending'${scope.sql}`,
        params,
      );
      const failing = this.#all<{ callbackId: number; failed: number }>(
        `SELECT callback_id AS callbackId, COUNT(*) AS failed FROM events
         WHERE status = 'Failed' AND finished_at >= @since${scope.sql}
         GROUP BY callback_id ORDER BY failed DESC, callback_id LIMIT @limit`,
        params,
      );
      return {
        finished,
        pending: pending.pending,
        pendingRecent: pending.pendingRecent ?? 0,
        oldestPendingAt: pending.oldestPendingAt,
        failing,
      };
    });
  }

  callbackHealth(callbackIds: readonly number[], since: number): CallbackHealth[] {
    return this.read(() => callbackIds.map((callbackId) => this.#health(callbackId, since)));
  }

  #health(callbackId: number, since: number): CallbackHealth {
    const params = { callbackId, since, sample: HEALTH_SAMPLE_EVENTS };
    const recent = `WITH recent AS (
        SELECT id, last_attempt_at, last_http_status FROM events
        WHERE callback_id = @callbackId AND last_attempt_at >= @since
        ORDER BY created_at DESC, id DESC LIMIT @sample)`;
    const attempts = this.#get<{ attempts: number; succeeded: number | null }>(
      `${recent}
       SELECT COUNT(*) AS attempts, SUM(a.http_status BETWEEN 200 AND 299) AS succeeded
       FROM recent r JOIN attempts a ON a.event_id = r.id WHERE a.started_at >= @since`,
      params,
    );
    let p95DurationMs: number | null = null;
    if (attempts.attempts > 0) {
      // Nearest rank: the value at position ceil(0.95 n), as PostgreSQL's percentile_disc.
      const offset = Math.ceil(0.95 * attempts.attempts) - 1;
      p95DurationMs = this.#get<{ d: number }>(
        `${recent}
         SELECT a.duration_ms AS d FROM recent r JOIN attempts a ON a.event_id = r.id WHERE a.started_at >= @since
         ORDER BY a.duration_ms LIMIT 1 OFFSET @offset`,
        { ...params, offset },
      ).d;
    }
    const last = this.#get<{ lastHttpStatus: number | null; lastAttemptAt: number | null } | undefined>(
      `${recent}
       SELECT last_http_status AS lastHttpStatus, last_attempt_at AS lastAttemptAt FROM recent
       ORDER BY last_attempt_at DESC, id DESC LIMIT 1`,
      params,
    );
    // Each count reads its own partial index (events_due_by_callback, events_failed).
    const pending = this.#get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM events WHERE callback_id = @callbackId AND status = 'Pending'",
      { callbackId },
    );
    const failed = this.#get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM events WHERE callback_id = @callbackId AND status = 'Failed'",
      { callbackId },
    );
    return {
      callbackId,
      attempts: attempts.attempts,
      succeeded: attempts.succeeded ?? 0,
      p95DurationMs,
      lastHttpStatus: last?.lastHttpStatus ?? null,
      lastAttemptAt: last?.lastAttemptAt ?? null,
      pending: pending.n,
      failed: failed.n,
    };
  }
}
