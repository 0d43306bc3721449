/**
 * The console's statistics on SQLite; SqliteStore's statistics methods
 * delegate here. Each answer is read in one snapshot. Pairs with
 * postgres/stats.ts.
 */
import type Database from 'better-sqlite3';
import type { CallbackHealth, FinishedCount, OverviewCounts, ScopeFilter } from '../store.js';

type Params = Record<string, number>;

function scopeClause(filter: ScopeFilter): { sql: string; params: Params } {
  const params: Params = {};
  let sql = '';
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

  overviewCounts(filter: ScopeFilter, since: number, pendingSince: number, limit: number): OverviewCounts {
    const scope = scopeClause(filter);
    const params = { ...scope.params, since, pendingSince, limit };
    return this.read(() => {
      const finished = this.#all<FinishedCount>(
        `SELECT (finished_at / 60000) * 60000 AS minute, status, COUNT(*) AS count FROM events
         WHERE finished_at >= @since AND status IN ('Delivered', 'Failed')${scope.sql}
         GROUP BY minute, status ORDER BY minute, status`,
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
    const params = { callbackId, since };
    const attempts = this.#get<{ attempts: number; succeeded: number | null }>(
      `SELECT COUNT(*) AS attempts, SUM(a.http_status BETWEEN 200 AND 299) AS succeeded
       FROM attempts a JOIN events e ON e.id = a.event_id
       WHERE e.callback_id = @callbackId AND a.started_at >= @since`,
      params,
    );
    let p95DurationMs: number | null = null;
    if (attempts.attempts > 0) {
      // Nearest rank: the value at position ceil(0.95 n), as PostgreSQL's percentile_disc.
      const offset = Math.ceil(0.95 * attempts.attempts) - 1;
      p95DurationMs = this.#get<{ d: number }>(
        `SELECT a.duration_ms AS d FROM attempts a JOIN events e ON e.id = a.event_id
         WHERE e.callback_id = @callbackId AND a.started_at >= @since
         ORDER BY a.duration_ms LIMIT 1 OFFSET @offset`,
        { ...params, offset },
      ).d;
    }
    const last = this.#get<{ lastHttpStatus: number | null; lastAttemptAt: number | null } | undefined>(
      `SELECT last_http_status AS lastHttpStatus, last_attempt_at AS lastAttemptAt FROM events
       WHERE callback_id = @callbackId AND last_attempt_at IS NOT NULL
       ORDER BY last_attempt_at DESC, id DESC LIMIT 1`,
      params,
    );
    const counts = this.#get<{ pending: number | null; failed: number | null }>(
      `SELECT SUM(status = 'Pending') AS pending, SUM(status = 'Failed') AS failed FROM events
       WHERE callback_id = @callbackId AND status IN ('Pending', 'Failed')`,
      params,
    );
    return {
      callbackId,
      attempts: attempts.attempts,
      succeeded: attempts.succeeded ?? 0,
      p95DurationMs,
      lastHttpStatus: last?.lastHttpStatus ?? null,
      lastAttemptAt: last?.lastAttemptAt ?? null,
      pending: counts.pending ?? 0,
      failed: counts.failed ?? 0,
    };
  }
}
