/**
 * Callbacks on SQLite; SqliteStore's callback methods delegate here.
 * Suspending or deleting a callback cancels its Pending events in the same
 * write.
 */
import { fifoKeySql } from '../fifo-key-sql.js';
import type { Callback, Page, PageRequest } from '../../domain/types.js';
import type {
  CallbackFilter,
  CallbackPatch,
  CallbackSecrets,
  NewCallback,
  ScopeFilter,
  StoredCallbackValues,
} from '../store.js';
import { cancelsPending, healthAfter } from '../callback-updates.js';
import { fromRetrySchedule, SEALED_COLUMNS, toCallback, toSecrets, toStoredValues, type CallbackRow, type SealedValuesRow } from '../rows.js';
import type { SqliteDatabase } from './database.js';

/** What the callbacks need of the store they belong to. */
export interface SqliteCallbackContext {
  db: SqliteDatabase;
  /** Tells the store's listeners that work may be due. */
  signalWork(): void;
}

export class SqliteCallbacks {
  constructor(private readonly context: SqliteCallbackContext) {}

  get #db(): SqliteDatabase {
    return this.context.db;
  }

  async create(input: NewCallback, now: number): Promise<Callback> {
    const { seal, ...fields } = input;
    const callback = this.#db.write(() => {
      // The secret is sealed for the id SQLite chooses, so the row is written
      // with a placeholder first; nobody sees it before this write commits.
      const { lastInsertRowid } = this.#db.run(
        `INSERT INTO callbacks (network_id, mailbox_id, ecgrid_id, url, event_type, frequency, retries, retry_schedule,
                                status, secret, created_at, updated_at, ordering, ordering_key, on_failure,
                                max_per_second)
         VALUES (@networkId, @mailboxId, @ecGridId, @url, @eventType, @frequency, @retries, @retrySchedule, @status, '',
                 @now, @now, @ordering, @orderingKey, @onFailure, @maxPerSecond)`,
        {
          ...fields,
          retrySchedule: fromRetrySchedule(fields.retrySchedule),
          ordering: fields.ordering ?? 'none',
          orderingKey: fields.orderingKey ?? 'callback',
          onFailure: fields.onFailure ?? 'block',
          maxPerSecond: fields.maxPerSecond ?? null,
          now,
        },
      );
      const callbackId = Number(lastInsertRowid);
      this.#db.run(
        'UPDATE callbacks SET secret = @secret, basic_auth = @basicAuth, custom_headers = @customHeaders WHERE id = @callbackId',
        { ...seal(callbackId), callbackId },
      );
      return this.row(callbackId) as CallbackRow;
    });
    this.context.signalWork();
    return toCallback(callback);
  }

  /** A callback that is not deleted. */
  row(callbackId: number): CallbackRow | undefined {
    return this.#db.get<CallbackRow>('SELECT * FROM callbacks WHERE id = ? AND deleted_at IS NULL', [callbackId]);
  }

  async get(callbackId: number): Promise<Callback | null> {
    const row = this.row(callbackId);
    return row ? toCallback(row) : null;
  }

  async list(filter: CallbackFilter, page: PageRequest): Promise<Page<Callback>> {
    const where = ['deleted_at IS NULL'];
    if (filter.networkId !== undefined) where.push('network_id = @networkId');
    if (filter.mailboxId !== undefined) where.push('mailbox_id = @mailboxId');
    if (filter.ecGridId !== undefined) where.push('ecgrid_id = @ecGridId');
    if (filter.eventType !== undefined) where.push('event_type = @eventType');
    if (filter.status !== undefined) where.push('status = @status');
    return this.#db.page('callbacks', where, { ...filter }, 'id', page, toCallback);
  }

  async update(callbackId: number, patch: CallbackPatch, now: number): Promise<Callback | null> {
    const row = this.#db.write(() => {
      const current = this.row(callbackId);
      if (!current) return undefined;
      const next = {
        url: patch.url ?? current.url,
        eventType: patch.eventType ?? current.event_type,
        networkId: patch.networkId ?? current.network_id,
        mailboxId: patch.mailboxId ?? current.mailbox_id,
        ecGridId: patch.ecGridId ?? current.ecgrid_id,
        frequency: patch.frequency ?? current.frequency,
        retries: patch.retries ?? current.retries,
        retrySchedule: patch.retrySchedule === undefined ? current.retry_schedule : fromRetrySchedule(patch.retrySchedule),
        status: patch.status ?? current.status,
        maxPerSecond: patch.maxPerSecond === undefined ? current.max_per_second : patch.maxPerSecond,
        // A new limit starts with a full bucket.
        resetBucket: patch.maxPerSecond === undefined ? 0 : 1,
        basicAuth: patch.basicAuth === undefined ? current.basic_auth : patch.basicAuth,
        customHeaders: patch.customHeaders === undefined ? current.custom_headers : patch.customHeaders,
        ordering: patch.ordering ?? current.ordering,
        orderingKey: patch.orderingKey ?? current.ordering_key,
        onFailure: patch.onFailure ?? current.on_failure,
        ...healthAfter(current, patch),
      };
      this.#db.run(
        `UPDATE callbacks SET url = @url, event_type = @eventType, network_id = @networkId, mailbox_id = @mailboxId,
           ecgrid_id = @ecGridId, frequency = @frequency, retries = @retries, retry_schedule = @retrySchedule,
           status = @status, basic_auth = @basicAuth, custom_headers = @customHeaders,
           failing_since = @failingSince, suspended_by_gridhook_at = @suspendedByGridhookAt,
           suspend_reason = @suspendReason, paused_until = @pausedUntil, ordering = @ordering,
           ordering_key = @orderingKey, on_failure = @onFailure, updated_at = @now,
           max_per_second = @maxPerSecond,
           rate_tokens = CASE WHEN @resetBucket THEN NULL ELSE rate_tokens END,
           rate_at = CASE WHEN @resetBucket THEN NULL ELSE rate_at END
         WHERE id = @callbackId`,
        { ...next, now, callbackId },
      );
      if (next.ordering !== current.ordering || next.orderingKey !== current.ordering_key) {
        // Events still to go (or holding a key up) take the new ordering.
        this.#db.run(
          `UPDATE events SET fifo_key = (SELECT ${fifoKeySql('c', 'events.parcel_id')} FROM callbacks c WHERE c.id = @callbackId)
           WHERE callback_id = @callbackId AND status IN ('Pending', 'Failed')`,
          { callbackId },
        );
      }
      if (cancelsPending(current, patch)) this.#cancelPending(callbackId, now);
      return this.row(callbackId);
    });
    return row ? toCallback(row) : null;
  }

  #cancelPending(callbackId: number, now: number): void {
    this.#db.run(
      `UPDATE events SET status = 'Canceled', finished_at = @now, next_attempt_at = NULL, lease_owner = NULL,
         lease_until = NULL
       WHERE callback_id = @callbackId AND status = 'Pending'`,
      { callbackId, now },
    );
  }

  async delete(callbackId: number, now: number): Promise<boolean> {
    return this.#db.write(() => {
      const { changes } = this.#db.run(
        'UPDATE callbacks SET deleted_at = @now, updated_at = @now WHERE id = @callbackId AND deleted_at IS NULL',
        { callbackId, now },
      );
      if (changes === 0) return false;
      this.#cancelPending(callbackId, now);
      return true;
    });
  }

  async count(filter: ScopeFilter): Promise<number> {
    const where = ['deleted_at IS NULL'];
    if (filter.networkId !== undefined) where.push('network_id = @networkId');
    if (filter.mailboxId !== undefined) where.push('mailbox_id = @mailboxId');
    const sql = `SELECT COUNT(*) AS n FROM callbacks WHERE ${where.join(' AND ')}`;
    const row = this.#db.get<{ n: number }>(sql, { ...filter });
    return row?.n ?? 0;
  }

  async secrets(callbackId: number): Promise<CallbackSecrets | null> {
    const row = this.row(callbackId);
    return row ? toSecrets(row) : null;
  }

  async rotateSecret(
    callbackId: number,
    secret: string,
    previousExpiresAt: number,
  ): Promise<CallbackSecrets | null> {
    const row = this.#db.write(() => {
      this.#db.run(
        `UPDATE callbacks SET previous_secret = secret, previous_secret_expires_at = @previousExpiresAt, secret = @secret
         WHERE id = @callbackId AND deleted_at IS NULL`,
        { callbackId, secret, previousExpiresAt },
      );
      return this.row(callbackId);
    });
    return row ? toSecrets(row) : null;
  }

  async listSealedValues(afterId: number, limit: number): Promise<StoredCallbackValues[]> {
    return this.#db
      .all<SealedValuesRow>(`SELECT ${SEALED_COLUMNS} FROM callbacks WHERE id > ? ORDER BY id LIMIT ?`, [afterId, limit])
      .map(toStoredValues);
  }

  async replaceSealedValues(expected: StoredCallbackValues, next: StoredCallbackValues): Promise<boolean> {
    const { changes } = this.#db.write(() =>
      this.#db.run(
        `UPDATE callbacks SET secret = ?, previous_secret = ?, basic_auth = ?, custom_headers = ?
         WHERE id = ? AND secret IS ? AND previous_secret IS ? AND basic_auth IS ? AND custom_headers IS ?`,
        [
          next.secret,
          next.previousSecret,
          next.basicAuth,
          next.customHeaders,
          expected.callbackId,
          expected.secret,
          expected.previousSecret,
          expected.basicAuth,
          expected.customHeaders,
        ],
      ),
    );
    return changes === 1;
  }
}
