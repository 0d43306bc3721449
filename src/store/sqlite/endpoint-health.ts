/**
 * Endpoint health on SQLite; SqliteStore's health methods delegate here.
 * Suspending on gridhook's account keeps the callback's Pending events and
 * tells its network with CallBackSuspended events, in one transaction.
 */
import { fifoKeySql } from '../fifo-key-sql.js';
import type { Callback } from '../../domain/types.js';
import { toCallback, type CallbackRow } from '../rows.js';
import type { AttemptResult, SuspendedCallback } from '../store.js';
import type { SqliteDatabase } from './database.js';
import { NEW_WEBHOOK_ID } from './migration-6-webhook-ids.js';

export interface SqliteHealthContext {
  db: SqliteDatabase;
  /** Wakes this process's engine (and others polling) for new events. */
  signalWork(): void;
  eventsCreated(count: number): void;
}

export class SqliteEndpointHealth {
  constructor(private readonly context: SqliteHealthContext) {}

  #sql(source: string) {
    return this.context.db.sql(source);
  }

  suspend(callbackId: number, reason: string, now: number): SuspendedCallback | null {
    const result = this.context.db.write((): SuspendedCallback | null => {
      const { changes } = this.#sql(
        `UPDATE callbacks SET status = 'Suspended', suspended_by_gridhook_at = @now, suspend_reason = @reason,
           updated_at = @now
         WHERE id = @callbackId AND status = 'Active' AND deleted_at IS NULL`,
      ).run({ callbackId, reason, now });
      if (changes === 0) return null;
      const row = this.#sql('SELECT * FROM callbacks WHERE id = ?').get(callbackId) as CallbackRow;
      // Kept events' leases are given back: they wait for re-activation, not for a lease to expire.
      this.#sql(
        `UPDATE events SET lease_owner = NULL, lease_until = NULL WHERE callback_id = ? AND status = 'Pending'`,
      ).run(callbackId);
      const kept = this.#sql(`SELECT count(*) AS n FROM events WHERE callback_id = ? AND status = 'Pending'`).get(
        callbackId,
      ) as { n: number };
      const notices = this.#sql(
        `INSERT INTO events (webhook_id, callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name,
                             is_test, status, attempts, max_attempts, next_attempt_at, created_at, subject_callback_id,
                             fifo_key)
         SELECT ${NEW_WEBHOOK_ID}, c.id, 'CallBackSuspended', @networkId, @mailboxId, @ecGridId, 0, '',
                0, 'Pending', 0, c.retries + 1, @now, @now, @subject, ${fifoKeySql('c', '0')}
         FROM callbacks c
         WHERE c.network_id = @networkId AND c.event_type = 'CallBackSuspended' AND c.status = 'Active'
           AND c.deleted_at IS NULL AND c.mailbox_id IN (0, @mailboxId) AND c.ecgrid_id IN (0, @ecGridId)
         ORDER BY c.id
         RETURNING id`,
      )
        .pluck()
        .all({ networkId: row.network_id, mailboxId: row.mailbox_id, ecGridId: row.ecgrid_id, now, subject: callbackId }) as number[];
      return { callback: toCallback(row), keptEvents: kept.n, noticeEventIds: notices };
    });
    if (result && result.noticeEventIds.length > 0) {
      this.context.eventsCreated(result.noticeEventIds.length);
      this.context.signalWork();
    }
    return result;
  }

  /**
   * What a batch of attempt results says of their callbacks' health; the
   * caller holds the write transaction. A failure starts `failing` (if not
   * already), a success ends it; a receiver's pause moves paused_until on.
   * One statement per kind for the whole batch: the record path is hot.
   */
  noteOutcomes(results: readonly AttemptResult[]): void {
    const failed: number[] = [];
    const succeeded: number[] = [];
    let firstFailureAt = Number.MAX_SAFE_INTEGER;
    for (const result of results) {
      if (result.outcome === 'Delivered') succeeded.push(result.eventId);
      else {
        failed.push(result.eventId);
        firstFailureAt = Math.min(firstFailureAt, result.startedAt);
      }
      if (result.pauseCallbackUntil != null) {
        this.#sql(
          `UPDATE callbacks SET paused_until = max(coalesce(paused_until, 0), ?)
           WHERE id = (SELECT callback_id FROM events WHERE id = ?)`,
        ).run(result.pauseCallbackUntil, result.eventId);
      }
    }
    if (failed.length > 0) {
      this.#sql(
        `UPDATE callbacks SET failing_since = ?
         WHERE failing_since IS NULL AND id IN (SELECT callback_id FROM events WHERE id IN (SELECT value FROM json_each(?)))`,
      ).run(firstFailureAt, JSON.stringify(failed));
    }
    if (succeeded.length > 0) {
      this.#sql(
        `UPDATE callbacks SET failing_since = NULL
         WHERE failing_since IS NOT NULL
           AND id IN (SELECT callback_id FROM events WHERE id IN (SELECT value FROM json_each(?)))`,
      ).run(JSON.stringify(succeeded));
    }
  }

  failingTooLong(now: number, defaultAfterMs: number, limit: number): (Callback & { afterMs: number })[] {
    return this.context.db.read(() => {
      const rows = this.#sql(
        `SELECT c.*, coalesce(n.auto_suspend_after_seconds * 1000, @defaultAfterMs) AS after_ms
         FROM callbacks c JOIN networks n ON n.id = c.network_id
         WHERE c.failing_since IS NOT NULL AND c.status = 'Active' AND c.deleted_at IS NULL
           AND c.failing_since <= @now - coalesce(n.auto_suspend_after_seconds * 1000, @defaultAfterMs)
         ORDER BY c.failing_since
         LIMIT @limit`,
      ).all({ now, defaultAfterMs, limit }) as (CallbackRow & { after_ms: number })[];
      return rows.map((row) => ({ ...toCallback(row), afterMs: row.after_ms }));
    });
  }
}
