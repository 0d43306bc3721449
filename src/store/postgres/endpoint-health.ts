/**
 * Endpoint health on PostgreSQL; PostgresStore's health methods delegate here.
 * Suspending on gridhook's account keeps the callback's Pending events and
 * tells its network with CallBackSuspended events, in one transaction.
 */
import { fifoKeySql } from '../fifo-key-sql.js';
import type { Callback } from '../../domain/types.js';
import { toCallback, type CallbackRow } from '../rows.js';
import type { SuspendedCallback } from '../store.js';
import type { PostgresDatabase } from './database.js';

export interface PostgresHealthContext {
  db: PostgresDatabase;
  signalWork(): void;
  eventsCreated(count: number): void;
}

export class PostgresEndpointHealth {
  constructor(private readonly context: PostgresHealthContext) {}

  async suspend(callbackId: number, reason: string, now: number): Promise<SuspendedCallback | null> {
    const { db } = this.context;
    const query = db.query.bind(db);
    const result = await db.transaction(async (tx): Promise<SuspendedCallback | null> => {
      const [row] = await query<CallbackRow>(
        `UPDATE callbacks SET status = 'Suspended', suspended_by_gridhook_at = $2, suspend_reason = $3, updated_at = $2
         WHERE id = $1 AND status = 'Active' AND deleted_at IS NULL
         RETURNING *`,
        [callbackId, now, reason],
        tx,
      );
      if (!row) return null;
      // Kept events' leases are given back: they wait for re-activation, not for a lease to expire.
      const kept = await query<{ n: number }>(
        `WITH released AS (
           UPDATE events SET lease_owner = NULL, lease_until = NULL
           WHERE callback_id = $1 AND status = 'Pending' RETURNING 1)
         SELECT count(*)::INTEGER AS n FROM released`,
        [callbackId],
        tx,
      );
      const notices = await query<{ id: number }>(
        `INSERT INTO events (callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name,
                             is_test, status, attempts, max_attempts, next_attempt_at, created_at, subject_callback_id,
                             fifo_key)
         SELECT c.id, 'CallBackSuspended', $1, $2, $3, 0, '', FALSE, 'Pending', 0, c.retries + 1, $4, $4, $5,
                ${fifoKeySql('c', '0')}
         FROM callbacks c
         WHERE c.network_id = $1 AND c.event_type = 'CallBackSuspended' AND c.status = 'Active'
           AND c.deleted_at IS NULL AND c.mailbox_id IN (0, $2) AND c.ecgrid_id IN (0, $3)
         ORDER BY c.id
         RETURNING id`,
        [row.network_id, row.mailbox_id, row.ecgrid_id, now, callbackId],
        tx,
      );
      if (notices.length > 0) db.notifyWork(tx);
      return { callback: toCallback(row), keptEvents: kept[0]?.n ?? 0, noticeEventIds: notices.map((n) => n.id) };
    });
    if (result && result.noticeEventIds.length > 0) {
      this.context.eventsCreated(result.noticeEventIds.length);
      this.context.signalWork();
    }
    return result;
  }

  async failingTooLong(now: number, defaultAfterMs: number, limit: number): Promise<(Callback & { afterMs: number })[]> {
    const rows = await this.context.db.query<CallbackRow & { after_ms: number }>(
      `SELECT c.*, coalesce(n.auto_suspend_after_seconds::BIGINT * 1000, $2) AS after_ms
       FROM callbacks c JOIN networks n ON n.id = c.network_id
       WHERE c.failing_since IS NOT NULL AND c.status = 'Active' AND c.deleted_at IS NULL
         AND c.failing_since <= $1 - coalesce(n.auto_suspend_after_seconds::BIGINT * 1000, $2)
       ORDER BY c.failing_since
       LIMIT $3`,
      [now, defaultAfterMs, limit],
    );
    return rows.map((row) => ({ ...toCallback(row), afterMs: row.after_ms }));
  }
}
