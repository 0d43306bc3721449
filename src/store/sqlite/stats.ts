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

/**
 * The scope's conditions with these columns kept from choosing an index
 * (SQLite's unary +): an index on a network or a mailbox reads its whole
 * history, where the partial indexes by status and time read a few rows.
 */
function unindexed(sql: string, columns = ['callback_id', 'network_id', 'mailbox_id']): string {
  return sql.replace(new RegExp(` AND (${columns.join('|')}) = `, 'g'), ' AND +$1 = ');
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

  overviewCounts(
    filter: OverviewFilter,
    since: number,
    pendingSince: number,
    limit: number,
    finishedSince: number = since,
  ): OverviewCounts {
    const scope = scopeClause(filter);
    const byCallback = unindexed(scope.sql, ['network_id', 'mailbox_id']);
    const params = { ...scope.params, since, pendingSince, limit, finishedSince };
    return this.read(() => {
      // One branch per outcome, so each reads a partial index by finishing time. Delivered: events_delivered,
      // with the scope's columns written +column so that the planner never trades that range for an index
      // on the scope, which would read the scope's whole history. Failed: events_failed for one callback,
      // else events_ended, which the redundant IN lets the planner see applies. The queue and the failing
      // callbacks likewise read the partial indexes, by callback when one is named.
      const finished = this.#all<FinishedCount>(
        `SELECT (finished_at / 60000) * 60000 AS minute, 'Delivered' AS status, COUNT(*) AS count FROM events
         WHERE status = 'Delivered' AND finished_at >= @finishedSince${unindexed(scope.sql)} GROUP BY minute
         UNION ALL
         SELECT (finished_at / 60000) * 60000 AS minute, 'Failed' AS status, COUNT(*) AS count FROM events
         WHERE status = 'Failed' AND status IN ('Failed', 'Canceled') AND finished_at >= @finishedSince${byCallback}
         GROUP BY minute
         ORDER BY minute, status`,
        params,
      );
      const pending = this.#get<{ pending: number; pendingRecent: number | null; oldestPendingAt: number | null }>(
        `SELECT COUNT(*) AS pending, SUM(created_at >= @pendingSince) AS pendingRecent,
           MIN(created_at) AS oldestPendingAt
         FROM events WHERE status = 'Pending'${byCallback}`,
        params,
      );
      const failing = this.#all<{ callbackId: number; failed: number }>(
        `SELECT callback_id AS callbackId, COUNT(*) AS failed FROM events
         WHERE status = 'Failed' AND status IN ('Failed', 'Canceled') AND finished_at >= @since${byCallback}
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
    // The latest events attempted since then, gathered by outcome so each part walks a partial index
    // newest first and stops (events_delivered_by_callback, events_failed, events_due_by_callback):
    // ordering the callback's whole history by last attempt would read all of it.
    const recent = `WITH recent AS (
        SELECT id, last_attempt_at, last_http_status FROM (
          SELECT * FROM (SELECT id, last_attempt_at, last_http_status FROM events
            WHERE callback_id = @callbackId AND status = 'Delivered' AND finished_at >= @since
            ORDER BY finished_at DESC LIMIT @sample)
          UNION ALL
          SELECT * FROM (SELECT id, last_attempt_at, last_http_status FROM events
            WHERE callback_id = @callbackId AND status = 'Failed' AND finished_at >= @since
            ORDER BY finished_at DESC LIMIT @sample)
          UNION ALL
          SELECT * FROM (SELECT id, last_attempt_at, last_http_status FROM events
            WHERE callback_id = @callbackId AND status = 'Pending' AND last_attempt_at >= @since LIMIT @sample))
        ORDER BY last_attempt_at DESC, id DESC LIMIT @sample)`;
    // One pass over the sample and its attempts; the figures are worked out here rather than by
    // three statements each walking the sample again.
    const rows = this.#all<{ id: number; lastAttemptAt: number | null; lastHttpStatus: number | null; d: number | null; s: number | null }>(
      `${recent}
       SELECT r.id, r.last_attempt_at AS lastAttemptAt, r.last_http_status AS lastHttpStatus,
         a.duration_ms AS d, a.http_status AS s
       FROM recent r LEFT JOIN attempts a ON a.event_id = r.id AND a.started_at >= @since`,
      params,
    );
    const durations: number[] = [];
    let succeeded = 0;
    let last: (typeof rows)[number] | undefined;
    for (const row of rows) {
      if (row.d !== null) {
        durations.push(row.d);
        if (row.s !== null && row.s >= 200 && row.s <= 299) succeeded += 1;
      }
      const newer =
        !last || (row.lastAttemptAt ?? 0) > (last.lastAttemptAt ?? 0) || (row.lastAttemptAt === last.lastAttemptAt && row.id > last.id);
      if (newer) last = row;
    }
    durations.sort((x, y) => x - y);
    // Nearest rank: the value at position ceil(0.95 n), as PostgreSQL's percentile_disc.
    const p95DurationMs = durations.length === 0 ? null : (durations[Math.ceil(0.95 * durations.length) - 1] as number);
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
      attempts: durations.length,
      succeeded,
      p95DurationMs,
      lastHttpStatus: last?.lastHttpStatus ?? null,
      lastAttemptAt: last?.lastAttemptAt ?? null,
      pending: pending.n,
      failed: failed.n,
    };
  }
}
