/**
 * Callbacks on PostgreSQL; PostgresStore's callback methods delegate here.
 * Suspending or deleting a callback cancels its Pending events in the same
 * transaction, after waiting for any publish that share-locked it.
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
import { conditions, type PostgresDatabase, type Queryable } from './database.js';

/** What the callbacks need of the store they belong to. */
export interface PostgresCallbackContext {
  db: PostgresDatabase;
  /** Tells this process's listeners that work may be due. */
  signalWork(): void;
}

const CANCEL_PENDING = `UPDATE events SET status = 'Canceled', finished_at = $2, next_attempt_at = NULL, lease_owner = NULL,
  lease_until = NULL
  WHERE callback_id = $1 AND status = 'Pending'`;

export class PostgresCallbacks {
  constructor(private readonly context: PostgresCallbackContext) {}

  get #db(): PostgresDatabase {
    return this.context.db;
  }

  async create(input: NewCallback, now: number): Promise<Callback> {
    // The secret is sealed for the callback's id, so the id is drawn first.
    const drawn = await this.#db.one<{ id: string }>("SELECT nextval(pg_get_serial_sequence('callbacks', 'id')) AS id");
    const callbackId = Number(drawn?.id);
    const sealed = input.seal(callbackId);
    const row = await this.#db.one<CallbackRow>(
      `INSERT INTO callbacks (id, network_id, mailbox_id, ecgrid_id, url, event_type, frequency, retries, status, secret,
                              created_at, updated_at, basic_auth, custom_headers, retry_schedule, ordering, ordering_key,
                              on_failure, max_per_second)
       OVERRIDING SYSTEM VALUE
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14, $15, $16, $17, $18)
       RETURNING *`,
      [
        callbackId,
        input.networkId,
        input.mailboxId,
        input.ecGridId,
        input.url,
        input.eventType,
        input.frequency,
        input.retries,
        input.status,
        sealed.secret,
        now,
        sealed.basicAuth,
        sealed.customHeaders,
        fromRetrySchedule(input.retrySchedule),
        input.ordering ?? 'none',
        input.orderingKey ?? 'callback',
        input.onFailure ?? 'block',
        input.maxPerSecond ?? null,
      ],
    );
    this.context.signalWork();
    return toCallback(row as CallbackRow);
  }

  async get(callbackId: number): Promise<Callback | null> {
    const row = await this.row(callbackId);
    return row ? toCallback(row) : null;
  }

  /**
   * A callback that is not deleted. With `lock`, share-locks the row until
   * the transaction ends, so it cannot be suspended or deleted before the
   * caller's work (a publish, retry or test event) commits.
   */
  row(callbackId: number, on: Queryable = this.#db.pool, lock = false): Promise<CallbackRow | undefined> {
    return this.#db.one<CallbackRow>(
      `SELECT * FROM callbacks WHERE id = $1 AND deleted_at IS NULL${lock ? ' FOR SHARE' : ''}`,
      [callbackId],
      on,
    );
  }

  list(filter: CallbackFilter, page: PageRequest): Promise<Page<Callback>> {
    const { where, values } = conditions({
      network_id: filter.networkId,
      mailbox_id: filter.mailboxId,
      ecgrid_id: filter.ecGridId,
      event_type: filter.eventType,
      status: filter.status,
    });
    return this.#db.page('callbacks', ['deleted_at IS NULL', ...where], values, 'id', page, toCallback);
  }

  async update(callbackId: number, patch: CallbackPatch, now: number): Promise<Callback | null> {
    const row = await this.#db.transaction(async (tx) => {
      const current = await this.#db.one<CallbackRow>(
        'SELECT * FROM callbacks WHERE id = $1 AND deleted_at IS NULL FOR UPDATE',
        [callbackId],
        tx,
      );
      if (!current) return undefined;
      const health = healthAfter(current, patch);
      const updated = await this.#db.one<CallbackRow>(
        `UPDATE callbacks SET url = COALESCE($2, url), event_type = COALESCE($3, event_type),
           network_id = COALESCE($4, network_id), mailbox_id = COALESCE($5, mailbox_id),
           ecgrid_id = COALESCE($6, ecgrid_id), frequency = COALESCE($7, frequency), retries = COALESCE($8, retries),
           status = COALESCE($9, status), updated_at = $10,
           basic_auth = CASE WHEN $11::boolean THEN $12::text ELSE basic_auth END,
           custom_headers = CASE WHEN $13::boolean THEN $14::text ELSE custom_headers END,
           retry_schedule = CASE WHEN $15::boolean THEN $16::text ELSE retry_schedule END,
           failing_since = $17, suspended_by_gridhook_at = $18, suspend_reason = $19, paused_until = $20,
           ordering = COALESCE($21, ordering), ordering_key = COALESCE($22, ordering_key),
           on_failure = COALESCE($23, on_failure),
           max_per_second = CASE WHEN $24::boolean THEN $25::integer ELSE max_per_second END,
           rate_tokens = CASE WHEN $24::boolean THEN NULL ELSE rate_tokens END,
           rate_at = CASE WHEN $24::boolean THEN NULL ELSE rate_at END
         WHERE id = $1 AND deleted_at IS NULL
         RETURNING *`,
        [
          callbackId,
          patch.url ?? null,
          patch.eventType ?? null,
          patch.networkId ?? null,
          patch.mailboxId ?? null,
          patch.ecGridId ?? null,
          patch.frequency ?? null,
          patch.retries ?? null,
          patch.status ?? null,
          now,
          patch.basicAuth !== undefined,
          patch.basicAuth ?? null,
          patch.customHeaders !== undefined,
          patch.customHeaders ?? null,
          patch.retrySchedule !== undefined,
          fromRetrySchedule(patch.retrySchedule),
          health.failingSince,
          health.suspendedByGridhookAt,
          health.suspendReason,
          health.pausedUntil,
          patch.ordering ?? null,
          patch.orderingKey ?? null,
          patch.onFailure ?? null,
          patch.maxPerSecond !== undefined,
          patch.maxPerSecond ?? null,
        ],
        tx,
      );
      if (updated && (updated.ordering !== current.ordering || updated.ordering_key !== current.ordering_key)) {
        // Events still to go (or holding a key up) take the new ordering.
        await this.#db.query(
          `UPDATE events e SET fifo_key = ${fifoKeySql('c', 'e.parcel_id')}
           FROM callbacks c
           WHERE c.id = $1 AND e.callback_id = $1 AND e.status IN ('Pending', 'Failed')`,
          [callbackId],
          tx,
        );
      }
      // A separate statement, so its snapshot includes the events of any
      // publish the UPDATE above had to wait for.
      if (updated && cancelsPending(current, patch)) await this.#db.query(CANCEL_PENDING, [callbackId, now], tx);
      return updated;
    });
    return row ? toCallback(row) : null;
  }

  delete(callbackId: number, now: number): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      const deleted = await this.#db.count(
        'UPDATE callbacks SET deleted_at = $2, updated_at = $2 WHERE id = $1 AND deleted_at IS NULL',
        [callbackId, now],
        tx,
      );
      if (deleted === 0) return false;
      await this.#db.query(CANCEL_PENDING, [callbackId, now], tx);
      return true;
    });
  }

  async count(filter: ScopeFilter): Promise<number> {
    const { where, values } = conditions({ network_id: filter.networkId, mailbox_id: filter.mailboxId });
    const row = await this.#db.one<{ n: number }>(
      `SELECT count(*) AS n FROM callbacks WHERE ${['deleted_at IS NULL', ...where].join(' AND ')}`,
      values,
    );
    return row?.n ?? 0;
  }

  async secrets(callbackId: number): Promise<CallbackSecrets | null> {
    const row = await this.row(callbackId);
    return row ? toSecrets(row) : null;
  }

  async rotateSecret(callbackId: number, secret: string, previousExpiresAt: number): Promise<CallbackSecrets | null> {
    const row = await this.#db.one<CallbackRow>(
      `UPDATE callbacks SET previous_secret = secret, previous_secret_expires_at = $3, secret = $2
       WHERE id = $1 AND deleted_at IS NULL
       RETURNING *`,
      [callbackId, secret, previousExpiresAt],
    );
    return row ? toSecrets(row) : null;
  }

  async listSealedValues(afterId: number, limit: number): Promise<StoredCallbackValues[]> {
    const rows = await this.#db.query<SealedValuesRow>(
      `SELECT ${SEALED_COLUMNS} FROM callbacks WHERE id > $1 ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map(toStoredValues);
  }

  async replaceSealedValues(expected: StoredCallbackValues, next: StoredCallbackValues): Promise<boolean> {
    const row = await this.#db.one<{ id: string }>(
      `UPDATE callbacks SET secret = $6, previous_secret = $7, basic_auth = $8, custom_headers = $9
       WHERE id = $1 AND secret = $2 AND previous_secret IS NOT DISTINCT FROM $3
         AND basic_auth IS NOT DISTINCT FROM $4 AND custom_headers IS NOT DISTINCT FROM $5
       RETURNING id`,
      [
        expected.callbackId,
        expected.secret,
        expected.previousSecret,
        expected.basicAuth,
        expected.customHeaders,
        next.secret,
        next.previousSecret,
        next.basicAuth,
        next.customHeaders,
      ],
    );
    return row !== undefined;
  }
}
