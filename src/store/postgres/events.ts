/**
 * Events on PostgreSQL: publishing (with idempotency keys), test events,
 * reading, retrying and purging; PostgresStore's event methods delegate here.
 * Callbacks matched by a publish, retry or test event are share-locked until
 * it commits, so a suspend or delete either waits for it and then cancels its
 * events, or commits first and is seen by it.
 */
import type { Attempt, EventInput, EventRecord, Page, PageRequest } from '../../domain/types.js';
import { testEventKey, fifoKeyOf, partnerKeyOf } from '../../domain/types.js';
import { fifoKeySql } from '../fifo-key-sql.js';
import { callbackAtCapacity, GridhookError, idempotencyConflict, notFound } from '../../errors.js';
import { isOtherRequest, type TestEventOptions } from '../store.js';
import type {
  ClaimRequest,
  CreatedRange,
  DeliveryJob,
  EventFilter,
  EventSource,
  PublishOptions,
  PublishResult,
} from '../store.js';
import { claimParams, type JobRow } from './claims.js';
import { toAttempt, toEvent, toJob, type AttemptRow, type CallbackRow, type EventRow } from '../rows.js';
import { isRowDataError } from '../write-errors.js';
import { conditions, type NamedStatement, type PostgresDatabase, type Queryable } from './database.js';

/** What the events need of the store they belong to. */
export interface PostgresEventContext {
  db: PostgresDatabase;
  /** A callback that is not deleted; with `lock`, share-locked until `on`'s transaction ends. */
  callbackRow(callbackId: number, on: Queryable, lock: boolean): Promise<CallbackRow | undefined>;
  /** Tells this process's listeners that new events are due. */
  signalWork(): void;
  /** Counts events created, once their transaction committed. */
  eventsCreated(source: EventSource, count: number): void;
}

export const EVENT_COLUMNS = `id, webhook_id, callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name, is_test,
  status, attempts, max_attempts, next_attempt_at, lease_owner, lease_until, last_attempt_at, last_http_status,
  last_error, created_at, finished_at, subject_callback_id`;

interface QueuedPublish {
  inputs: EventInput[];
  options: PublishOptions;
  /** settled: the batch's claim took less than it could, so nothing more is due. */
  resolve(published: { result: PublishResult; settled: boolean }): void;
  reject(error: unknown): void;
}

/**
 * A batch of publishes in one call (migration 11): answers the new ids, how
 * many callbacks each input matched, and the jobs leased for the claim
 * offered, if any.
 */
const PUBLISH: NamedStatement = {
  name: 'gridhook.publish_events',
  text: 'SELECT * FROM publish_events($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)',
};

interface Published {
  out_ids: (number | string)[] | null;
  out_matched: number[] | null;
  out_jobs: JobRow[] | null;
}

function publishParams(batch: QueuedPublish[], claim: ClaimRequest | undefined): unknown[] {
  const rows = batch.flatMap(({ inputs, options }) =>
    inputs.map((input) => ({ input, now: options.now, traceparent: options.traceparent ?? null })),
  );
  return [
    rows.map((r) => r.input.networkId),
    rows.map((r) => r.input.mailboxId),
    rows.map((r) => r.input.ecGridId),
    rows.map((r) => r.input.eventType),
    rows.map((r) => r.input.parcelId),
    rows.map((r) => r.input.fileName),
    rows.map((r) => r.now),
    rows.map((r) => r.traceparent),
    ...(claim === undefined ? [null, null, null, null, null] : claimParams(claim)),
    rows.map((r) => partnerKeyOf(r.input)),
  ];
}

export class PostgresEvents {
  readonly #publishQueue: QueuedPublish[] = [];

  constructor(private readonly context: PostgresEventContext) {}

  get #db(): PostgresDatabase {
    return this.context.db;
  }

  /**
   * Publishes without an idempotency key wait for the end of the event
   * loop's current I/O phase and are then written together, in one
   * statement (group commit): one round trip and one commit serve every
   * publish of the batch. Should the database refuse a row's data, each is
   * written again on its own, so one bad publish fails alone. A publish with
   * a key is its own transaction (the key is claimed first).
   *
   * The batch's first offered claim (options.claim) is made in the same
   * call, after the insert, so the publishing process's engine gets the new
   * events without a claim of its own; a publish with a key leaves its claim
   * to the engine.
   */
  async publish(inputs: EventInput[], options: PublishOptions): Promise<PublishResult> {
    const { result, settled } =
      options.idempotencyKey === undefined || inputs.length === 0
        ? await new Promise<{ result: PublishResult; settled: boolean }>((resolve, reject) => {
            this.#publishQueue.push({ inputs, options, resolve, reject });
            if (this.#publishQueue.length === 1) setImmediate(() => void this.#publishQueued());
          })
        : { result: await this.#publishAlone(inputs, options), settled: false };
    if (!result.replayed && result.eventIds.length > 0) {
      // A claim that took less than it could found every due event: the
      // engine need not look again.
      if (!settled) this.context.signalWork();
      this.context.eventsCreated('api', result.eventIds.length);
    }
    return result;
  }

  async #publishQueued(): Promise<void> {
    const batch = this.#publishQueue.splice(0);
    const inputs = batch.flatMap((queued) => queued.inputs);
    // One claim for the batch, the first one offered; the others' slots go back unused.
    const claimant = batch.find((queued) => queued.options.claim !== undefined);
    const offer = claimant?.options.claim;
    let written: Published | undefined;
    try {
      // As of the latest publish time of the batch, or the events just
      // written would not all be due yet.
      const latest = Math.max(...batch.map((queued) => queued.options.now));
      const request = offer && { ...offer.request, now: Math.max(latest, offer.request.now) };
      [written] = await this.#db.named<Published>(PUBLISH, publishParams(batch, request));
    } catch (error) {
      for (const queued of batch) queued.options.claim?.take([]);
      if (batch.length > 1 && isRowDataError(error)) {
        for (const queued of batch) {
          this.#publishAlone(queued.inputs, queued.options).then(
            (result) => queued.resolve({ result, settled: false }),
            queued.reject,
          );
        }
      } else {
        for (const queued of batch) queued.reject(error);
      }
      return;
    }
    const ids = (written?.out_ids ?? []).map(Number).sort((a, b) => a - b);
    const matched = written?.out_matched ?? inputs.map(() => 0);
    const jobs = (written?.out_jobs ?? []).map((row) => toJob(row, row));
    for (const queued of batch) queued.options.claim?.take(queued === claimant ? jobs : []);
    const settled = offer !== undefined && ids.length > 0 && jobs.length < offer.request.limit;
    // A claim that took less than it could left nothing another process could
    // claim either (callback caps, FIFO and rate limits are the database's,
    // not this process's), so only an unsettled batch wakes the others. A
    // NOTIFY wakes every listening process: without one per publish the
    // API's publish rate rose by a quarter to a half.
    if (ids.length > 0 && !settled) this.#db.workCommitted();
    let input = 0;
    let id = 0;
    for (const queued of batch) {
      const own = matched.slice(input, input + queued.inputs.length);
      input += queued.inputs.length;
      const count = own.reduce((sum, n) => sum + n, 0);
      queued.resolve({ result: { eventIds: ids.slice(id, id + count), matched: own, replayed: false }, settled });
      id += count;
    }
  }

  /** One publish in its own transaction: the idempotency key, if any, is claimed first. */
  async #publishAlone(inputs: EventInput[], options: PublishOptions): Promise<PublishResult> {
    const { now, idempotencyKey } = options;
    const idempotencyNetworkId = options.idempotencyNetworkId ?? 0;
    return this.#db.transaction(async (tx): Promise<PublishResult> => {
      if (idempotencyKey !== undefined) {
        // Claiming the key first makes a concurrent publish with the same key
        // wait here until this one commits, and then replay its answer.
        const claimed = await this.#db.count(
          `INSERT INTO idempotency_keys (network_id, key, result, created_at, request_hash) VALUES ($1, $2, NULL, $3, $4)
           ON CONFLICT DO NOTHING`,
          [idempotencyNetworkId, idempotencyKey, now, options.idempotencyRequestHash ?? null],
          tx,
        );
        if (claimed === 0) {
          const stored = await this.#db.one<{ result: Pick<PublishResult, 'eventIds' | 'matched'>; request_hash: string | null }>(
            'SELECT result, request_hash FROM idempotency_keys WHERE network_id = $1 AND key = $2',
            [idempotencyNetworkId, idempotencyKey],
            tx,
          );
          if (isOtherRequest(stored?.request_hash ?? null, options.idempotencyRequestHash)) {
            throw idempotencyConflict(idempotencyKey);
          }
          const previous = stored?.result as Pick<PublishResult, 'eventIds' | 'matched'>;
          return { eventIds: previous.eventIds, matched: previous.matched, replayed: true };
        }
      }
      const { eventIds, matched } = await this.insert(inputs, now, tx, options.traceparent ?? null);
      if (idempotencyKey !== undefined) {
        await this.#db.query(
          'UPDATE idempotency_keys SET result = $3 WHERE network_id = $1 AND key = $2',
          [idempotencyNetworkId, idempotencyKey, JSON.stringify({ eventIds, matched })],
          tx,
        );
      }
      if (eventIds.length > 0) this.#db.notifyWork(tx);
      return { eventIds, matched, replayed: false };
    });
  }

  /** Fans inputs out to the callbacks their scopes match: two statements, whatever the batch size. */
  async insert(
    inputs: EventInput[],
    now: number,
    tx: Queryable,
    traceparent: string | null = null,
  ): Promise<Pick<PublishResult, 'eventIds' | 'matched'>> {
    if (inputs.length === 0) return { eventIds: [], matched: [] };
    // A batch often repeats one scope (many parcels into one mailbox).
    const scopeIndex = new Map<string, number>();
    const scopes: EventInput[] = [];
    for (const input of inputs) {
      const key = `${input.networkId}/${input.mailboxId}/${input.ecGridId}/${input.eventType}`;
      if (!scopeIndex.has(key)) {
        scopeIndex.set(key, scopes.length);
        scopes.push(input);
      }
    }
    const matches = await this.#db.query<{ scope: number; id: number; retries: number; ordering: string; ordering_key: string }>(
      `SELECT s.ord - 1 AS scope, c.id, c.retries, c.ordering, c.ordering_key
       FROM unnest($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::TEXT[])
         WITH ORDINALITY AS s (network_id, mailbox_id, ecgrid_id, event_type, ord)
       JOIN callbacks c ON c.network_id = s.network_id AND c.event_type = s.event_type
         AND c.status = 'Active' AND c.deleted_at IS NULL
         AND c.mailbox_id IN (0, s.mailbox_id) AND c.ecgrid_id IN (0, s.ecgrid_id)
       ORDER BY s.ord, c.id
       FOR SHARE OF c`,
      [
        scopes.map((s) => s.networkId),
        scopes.map((s) => s.mailboxId),
        scopes.map((s) => s.ecGridId),
        scopes.map((s) => s.eventType),
      ],
      tx,
    );
    const callbacksOf: (typeof matches)[] = scopes.map(() => []);
    for (const m of matches) callbacksOf[m.scope]?.push(m);

    const rows: { input: EventInput; callbackId: number; maxAttempts: number; fifoKey: string | null }[] = [];
    const matched: number[] = [];
    for (const input of inputs) {
      const scope = scopeIndex.get(`${input.networkId}/${input.mailboxId}/${input.ecGridId}/${input.eventType}`) as number;
      const callbacks = callbacksOf[scope] ?? [];
      for (const callback of callbacks) {
        rows.push({ input, callbackId: callback.id, maxAttempts: callback.retries + 1, fifoKey: fifoKeyOf(callback, input) });
      }
      matched.push(callbacks.length);
    }
    if (rows.length === 0) return { eventIds: [], matched };
    // Rows are inserted in ORDER BY order, so identities ascend with it.
    const inserted = await this.#db.query<{ id: number }>(
      `INSERT INTO events (callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name, is_test,
                           status, attempts, max_attempts, next_attempt_at, created_at, traceparent, fifo_key)
       SELECT r.callback_id, r.event_type, r.network_id, r.mailbox_id, r.ecgrid_id, r.parcel_id, r.file_name, FALSE,
              'Pending', 0, r.max_attempts, $9, $9, $10::TEXT, r.fifo_key
       FROM unnest($1::BIGINT[], $2::TEXT[], $3::BIGINT[], $4::BIGINT[], $5::BIGINT[], $6::BIGINT[], $7::TEXT[],
                   $8::INTEGER[], $11::TEXT[])
         WITH ORDINALITY AS r (callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name,
                               max_attempts, fifo_key, ord)
       ORDER BY r.ord
       RETURNING id`,
      [
        rows.map((r) => r.callbackId),
        rows.map((r) => r.input.eventType),
        rows.map((r) => r.input.networkId),
        rows.map((r) => r.input.mailboxId),
        rows.map((r) => r.input.ecGridId),
        rows.map((r) => r.input.parcelId),
        rows.map((r) => r.input.fileName),
        rows.map((r) => r.maxAttempts),
        now,
        traceparent,
        rows.map((r) => r.fifoKey),
      ],
      tx,
    );
    return { eventIds: inserted.map((r) => r.id).sort((a, b) => a - b), matched };
  }

  async createTestEvent(callbackId: number, options: TestEventOptions): Promise<DeliveryJob | null> {
    const { workerId, now, leaseMs, perCallbackLimit } = options;
    const job = await this.#db.transaction(async (tx) => {
      const callback = await this.context.callbackRow(callbackId, tx, true);
      if (!callback) return null;
      // A free slot of the callback, as a claim takes one: a test is a
      // delivery like any other, so together they keep the callback's cap.
      await this.#db.query(
        `INSERT INTO lease_slots (callback_id, slot) SELECT $1, s FROM generate_series(0, $2::INTEGER - 1) s
         ON CONFLICT DO NOTHING`,
        [callbackId, perCallbackLimit],
        tx,
      );
      const slot = await this.#db.one<{ slot: number }>(
        `SELECT slot FROM lease_slots WHERE callback_id = $1 AND slot < $2 AND until <= $3
         ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [callbackId, perCallbackLimit, now],
        tx,
      );
      if (!slot) throw callbackAtCapacity(callbackId, perCallbackLimit);
      const event = (await this.#db.one<EventRow>(
        `INSERT INTO events (callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name, is_test,
                             status, attempts, max_attempts, next_attempt_at, lease_owner, lease_until, created_at,
                             traceparent, fifo_key)
         VALUES ($1, $2, $3, $4, $5, 0, 'test.edi', TRUE, 'Pending', 0, $6, $7, $8, $9, $7, $10, $11)
         RETURNING ${EVENT_COLUMNS}, traceparent`,
        [
          callbackId,
          callback.event_type,
          callback.network_id,
          callback.mailbox_id,
          callback.ecgrid_id,
          callback.retries + 1,
          now,
          workerId,
          now + leaseMs,
          options.traceparent ?? null,
          testEventKey(callback),
        ],
        tx,
      )) as EventRow;
      await this.#db.query(
        'UPDATE lease_slots SET event_id = $3, owner = $4, until = $5 WHERE callback_id = $1 AND slot = $2',
        [callbackId, slot.slot, event.id, workerId, now + leaseMs],
        tx,
      );
      // Leased to the caller, but other workers learn when its lease would
      // expire, should the caller die before recording the attempt.
      this.#db.notifyWork(tx);
      return toJob(event, callback);
    });
    if (job) {
      this.context.signalWork();
      this.context.eventsCreated('test', 1);
    }
    return job;
  }

  async get(eventId: number): Promise<EventRecord | null> {
    const row = await this.#db.one<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = $1`, [eventId]);
    return row ? toEvent(row) : null;
  }

  async listAttempts(eventId: number): Promise<Attempt[]> {
    const rows = await this.#db.query<AttemptRow>(
      `SELECT id, event_id, started_at, duration_ms, http_status, error, response_headers, response_body FROM attempts
       WHERE event_id = $1 ORDER BY started_at, id`,
      [eventId],
    );
    return rows.map(toAttempt);
  }

  list(filter: EventFilter, page: PageRequest): Promise<Page<EventRecord>> {
    const { where, values } = conditions({
      callback_id: filter.callbackId,
      network_id: filter.networkId,
      mailbox_id: filter.mailboxId,
      status: filter.status,
      event_type: filter.eventType,
      parcel_id: filter.parcelId,
    });
    // Spelled out so that the partial index events_by_parcel (parcel_id <> 0) is seen to apply.
    if (filter.parcelId !== undefined) where.push('parcel_id <> 0');
    if (filter.createdFrom !== undefined) {
      values.push(filter.createdFrom);
      where.push(`created_at >= $${values.length}`);
    }
    if (filter.createdBefore !== undefined) {
      values.push(filter.createdBefore);
      where.push(`created_at < $${values.length}`);
    }
    if (page.after !== undefined) {
      values.push(page.after.createdAt, page.after.id);
      where.push(`(created_at, id) < ($${values.length - 1}, $${values.length})`);
    }
    return this.#db.page('events', where, values, 'created_at DESC, id DESC', page, toEvent);
  }

  async retry(eventId: number, now: number): Promise<EventRecord> {
    const row = await this.#db.transaction(async (tx) => {
      const event = await this.#db.one<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = $1 FOR UPDATE`, [eventId], tx);
      if (!event) throw notFound('Event', eventId);
      if (event.status === 'Pending' || event.status === 'Delivered') {
        throw new GridhookError(
          'InvalidState',
          `Event ${eventId} is ${event.status}; only Failed or Canceled events can be retried.`,
        );
      }
      const callback = await this.#retryableCallback(
        event.callback_id,
        () => new GridhookError('InvalidState', `Callback ${event.callback_id} was deleted; its events cannot be retried.`),
        tx,
      );
      const retried = (await this.#db.one<EventRow>(
        `UPDATE events e SET status = 'Pending', next_attempt_at = $2, lease_owner = NULL, lease_until = NULL,
           finished_at = NULL, max_attempts = e.attempts + $3, fifo_key = ${fifoKeySql('c', 'e.parcel_id')}
         FROM callbacks c
         WHERE e.id = $1 AND c.id = e.callback_id
         RETURNING ${EVENT_COLUMNS.split(',').map((c) => `e.${c.trim()}`).join(', ')}`,
        [eventId, now, callback.retries + 1],
        tx,
      )) as EventRow;
      this.#db.notifyWork(tx);
      return retried;
    });
    this.context.signalWork();
    return toEvent(row);
  }

  async skip(eventId: number, now: number): Promise<EventRecord> {
    const row = await this.#db.transaction(async (tx) => {
      const event = await this.#db.one<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = $1 FOR UPDATE`, [eventId], tx);
      if (!event) throw notFound('Event', eventId);
      if (event.status !== 'Pending' && event.status !== 'Failed') {
        throw new GridhookError('InvalidState', `Event ${eventId} is ${event.status}; only Pending or Failed events can be skipped.`);
      }
      const skipped = (await this.#db.one<EventRow>(
        `UPDATE events SET status = 'Canceled', finished_at = $2, next_attempt_at = NULL, lease_owner = NULL,
           lease_until = NULL
         WHERE id = $1 RETURNING ${EVENT_COLUMNS}`,
        [eventId, now],
        tx,
      )) as EventRow;
      // The key's next event may now be due: other workers hear of it.
      this.#db.notifyWork(tx);
      return skipped;
    });
    this.context.signalWork();
    return toEvent(row);
  }

  /**
   * A retried event of a deleted or suspended callback would be Pending but
   * never claimed; refusing says why instead. The callback stays share-locked
   * so it cannot be suspended before the retry commits.
   */
  async #retryableCallback(callbackId: number, whenDeleted: () => GridhookError, tx: Queryable): Promise<CallbackRow> {
    const callback = await this.context.callbackRow(callbackId, tx, true);
    if (!callback) throw whenDeleted();
    if (callback.status !== 'Active') {
      throw new GridhookError(
        'InvalidState',
        `Callback ${callbackId} is ${callback.status}; activate it before retrying its events.`,
      );
    }
    return callback;
  }

  async retryFailed(callbackId: number, now: number, created: CreatedRange = {}): Promise<number> {
    const retried = await this.#db.transaction(async (tx) => {
      const callback = await this.#retryableCallback(callbackId, () => notFound('Callback', callbackId), tx);
      const count = await this.#db.count(
        `UPDATE events SET status = 'Pending', next_attempt_at = $2, lease_owner = NULL, lease_until = NULL,
           finished_at = NULL, max_attempts = attempts + $3
         WHERE callback_id = $1 AND status = 'Failed' AND created_at >= $4 AND created_at < $5`,
        [callbackId, now, callback.retries + 1, created.from ?? Number.MIN_SAFE_INTEGER, created.before ?? Number.MAX_SAFE_INTEGER],
        tx,
      );
      if (count > 0) this.#db.notifyWork(tx);
      return count;
    });
    if (retried > 0) this.context.signalWork();
    return retried;
  }

  async purgeFinished(before: number, limit: number): Promise<number> {
    if (limit <= 0) return 0;
    // One statement per partial index, so each walks its own index in
    // order. Attempts have no foreign key (a check and a row lock on every
    // attempt written): they go in the same statement as their events.
    const purge = (which: string, max: number) =>
      this.#db.one<{ n: number }>(
        `WITH gone AS (
           DELETE FROM events WHERE id IN (
             SELECT id FROM events WHERE ${which} AND finished_at < $1 ORDER BY finished_at LIMIT $2)
           RETURNING id
         ), attempts_gone AS (
           DELETE FROM attempts WHERE event_id IN (SELECT id FROM gone)
         )
         SELECT count(*)::INTEGER AS n FROM gone`,
        [before, max],
      );
    const delivered = (await purge("status = 'Delivered'", limit))?.n ?? 0;
    if (delivered >= limit) return delivered;
    return delivered + ((await purge("status IN ('Failed', 'Canceled')", limit - delivered))?.n ?? 0);
  }

  async purgeIdempotencyKeys(before: number, limit: number): Promise<number> {
    if (limit <= 0) return 0;
    // A key whose publish is still running (result NULL) stays: its publisher holds it.
    return this.#db.count(
      `DELETE FROM idempotency_keys WHERE (network_id, key) IN (
         SELECT network_id, key FROM idempotency_keys WHERE created_at < $1 AND result IS NOT NULL
         ORDER BY created_at LIMIT $2)`,
      [before, limit],
    );
  }
}
