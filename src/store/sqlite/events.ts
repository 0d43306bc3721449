/**
 * Events on SQLite: publishing (group-committed, with idempotency keys), test
 * events, reading, retrying and purging; SqliteStore's event methods delegate
 * here.
 */
import type { Attempt, EventInput, EventRecord, Page, PageRequest } from '../../domain/types.js';
import { testEventKey, fifoKeyOf } from '../../domain/types.js';
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
import { toAttempt, toEvent, toJob, type AttemptRow, type CallbackRow, type EventRow } from '../rows.js';
import { NEW_WEBHOOK_ID } from './migration-6-webhook-ids.js';
import type { SqliteDatabase } from './database.js';

/** What the events need of the store they belong to. */
export interface SqliteEventContext {
  db: SqliteDatabase;
  /** A callback that is not deleted. */
  callbackRow(callbackId: number): CallbackRow | undefined;
  /** Leases due events; the caller holds the write transaction. */
  claim(request: ClaimRequest): DeliveryJob[];
  /** Waits until every commit made so far is on disk. */
  durable(): Promise<void>;
  /** Tells the store's listeners that new events are due. */
  signalWork(): void;
  /** Counts events created, once their transaction committed. */
  eventsCreated(source: EventSource, count: number): void;
}

export const EVENT_COLUMNS = `id, webhook_id, callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name, is_test,
  status, attempts, max_attempts, next_attempt_at, lease_owner, lease_until, last_attempt_at, last_http_status,
  last_error, created_at, finished_at, subject_callback_id`;

/** A publish written, with the events its claim leased, not yet sent. */
interface Published {
  result: PublishResult;
  claimed: DeliveryJob[];
}

interface QueuedPublish {
  inputs: EventInput[];
  options: PublishOptions;
  resolve(published: Published): void;
  reject(error: unknown): void;
}


/** A callback a new event goes to, with what its event needs of it. */
interface MatchedCallback {
  id: number;
  retries: number;
  ordering: string;
  ordering_key: string;
}
export class SqliteEvents {
  readonly #publishQueue: QueuedPublish[] = [];

  constructor(private readonly context: SqliteEventContext) {}

  get #db(): SqliteDatabase {
    return this.context.db;
  }

  /**
   * Publishes wait for the end of the event loop's current I/O phase and are
   * then written together, each in a savepoint of one transaction (group
   * commit): when calls arrive faster than one at a time, each write and its
   * WAL frames serve many of them. One publish failing leaves the others be.
   */
  async publish(inputs: EventInput[], options: PublishOptions): Promise<PublishResult> {
    const { result, claimed } = await new Promise<Published>((resolve, reject) => {
      this.#publishQueue.push({ inputs, options, resolve, reject });
      if (this.#publishQueue.length === 1) setImmediate(() => this.#publishQueued());
    });
    try {
      await this.context.durable();
    } catch (error) {
      // Never sent: the events may be lost with the commit. Their leases expire.
      options.claim?.take([]);
      throw error;
    }
    // Sent only once durable: a receiver must never get an event that a power
    // cut could then erase, and whose eventId a later event would reuse.
    options.claim?.take(claimed);
    return result;
  }

  #publishQueued(): void {
    const batch = this.#publishQueue.splice(0);
    type Outcome = { result: PublishResult; claimed: DeliveryJob[] } | { error: unknown };
    let outcomes: Outcome[];
    // Set once a claim here took less than it could: the engine need not look again.
    let exhausted = false;
    try {
      outcomes = this.#db.writeRelaxed(() => {
        const written = batch.map(({ inputs, options }): Outcome => {
          try {
            return { result: this.#db.savepoint(() => this.#publishOne(inputs, options)) as PublishResult, claimed: [] };
          } catch (error) {
            return { error };
          }
        });
        // Leasing in the same write saves the engine a write of its own. After
        // every insert, and as of the latest publish time of the batch (or the
        // events just written would not all be due yet), so that once a claim
        // takes less than it could the rest would find nothing more.
        const latest = Math.max(...batch.map(({ options }) => options.now));
        batch.forEach(({ options }, index) => {
          const outcome = written[index] as Outcome;
          const claim = options.claim?.request;
          if (exhausted || claim === undefined || 'error' in outcome || outcome.result.eventIds.length === 0) return;
          outcome.claimed = this.context.claim({ ...claim, now: Math.max(latest, claim.now) });
          if (outcome.claimed.length < claim.limit) exhausted = true;
        });
        return written;
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    let signal = false;
    batch.forEach((pending, index) => {
      const outcome = outcomes[index] as Outcome;
      if ('error' in outcome) {
        pending.reject(outcome.error);
        return;
      }
      const { result } = outcome;
      if (!result.replayed && result.eventIds.length > 0) {
        signal = true;
        this.context.eventsCreated('api', result.eventIds.length);
      }
      pending.resolve(outcome);
    });
    if (signal && !exhausted) this.context.signalWork();
  }

  /** One publish; the caller holds the write transaction. */
  #publishOne(inputs: EventInput[], options: PublishOptions): PublishResult {
    const { now, idempotencyKey } = options;
    const idempotencyNetworkId = options.idempotencyNetworkId ?? 0;
    if (idempotencyKey !== undefined) {
      const stored = this.#db.get<{ result: string; request_hash: string | null }>(
        'SELECT result, request_hash FROM idempotency_keys WHERE network_id = ? AND key = ?',
        [idempotencyNetworkId, idempotencyKey],
      );
      if (stored && isOtherRequest(stored.request_hash, options.idempotencyRequestHash)) {
        throw idempotencyConflict(idempotencyKey);
      }
      if (stored) {
        const previous = JSON.parse(stored.result) as Pick<PublishResult, 'eventIds' | 'matched'>;
        return { eventIds: previous.eventIds, matched: previous.matched, replayed: true };
      }
    }
    const { eventIds, matched } = this.insert(inputs, now, options.traceparent ?? null);
    if (idempotencyKey !== undefined) {
      this.#db.run('INSERT INTO idempotency_keys (network_id, key, result, created_at, request_hash) VALUES (?, ?, ?, ?, ?)', [
        idempotencyNetworkId,
        idempotencyKey,
        JSON.stringify({ eventIds, matched }),
        now,
        options.idempotencyRequestHash ?? null,
      ]);
    }
    return { eventIds, matched, replayed: false };
  }

  /** Fans inputs out to the callbacks their scopes match; the caller holds the write transaction. */
  insert(
    inputs: EventInput[],
    now: number,
    traceparent: string | null = null,
  ): Pick<PublishResult, 'eventIds' | 'matched'> {
    const match = this.#db.sql(
      `SELECT id, retries, ordering, ordering_key FROM callbacks
       WHERE network_id = @networkId AND event_type = @eventType AND status = 'Active' AND deleted_at IS NULL
         AND mailbox_id IN (0, @mailboxId) AND ecgrid_id IN (0, @ecGridId)
       ORDER BY id`,
    );
    const insert = this.#db.sql(
      `INSERT INTO events (webhook_id, callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name,
                           is_test, status, attempts, max_attempts, next_attempt_at, created_at, traceparent, fifo_key)
       VALUES (${NEW_WEBHOOK_ID}, @callbackId, @eventType, @networkId, @mailboxId, @ecGridId, @parcelId, @fileName,
               0, 'Pending', 0, @maxAttempts, @now, @now, @traceparent, @fifoKey)`,
    );
    // A batch often repeats one scope (many parcels into one mailbox).
    const matches = new Map<string, MatchedCallback[]>();
    const eventIds: number[] = [];
    const matched: number[] = [];
    for (const input of inputs) {
      const { networkId, mailboxId, ecGridId, eventType } = input;
      const scope = { networkId, mailboxId, ecGridId, eventType };
      const key = `${scope.networkId}/${scope.mailboxId}/${scope.ecGridId}/${scope.eventType}`;
      let callbacks = matches.get(key);
      if (callbacks === undefined) {
        callbacks = match.all(scope) as MatchedCallback[];
        matches.set(key, callbacks);
      }
      for (const callback of callbacks) {
        const { lastInsertRowid } = insert.run({
          ...scope,
          callbackId: callback.id,
          parcelId: input.parcelId,
          fileName: input.fileName,
          maxAttempts: callback.retries + 1,
          now,
          traceparent,
          fifoKey: fifoKeyOf(callback, input),
        });
        eventIds.push(Number(lastInsertRowid));
      }
      matched.push(callbacks.length);
    }
    return { eventIds, matched };
  }

  async createTestEvent(callbackId: number, options: TestEventOptions): Promise<DeliveryJob | null> {
    const { workerId, now, leaseMs, perCallbackLimit } = options;
    const job = this.#db.write((): DeliveryJob | null => {
      const callback = this.context.callbackRow(callbackId);
      if (!callback) return null;
      const leased = this.#db.get<{ n: number }>(
        `SELECT count(*) AS n FROM events INDEXED BY events_due_by_callback
         WHERE callback_id = ? AND status = 'Pending' AND lease_until > ?`,
        [callbackId, now],
      );
      if ((leased?.n ?? 0) >= perCallbackLimit) throw callbackAtCapacity(callbackId, perCallbackLimit);
      const event = this.#db.get<EventRow>(
        `INSERT INTO events (webhook_id, callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name,
                             is_test, status, attempts, max_attempts, next_attempt_at, lease_owner, lease_until, created_at,
                             traceparent, fifo_key)
         VALUES (${NEW_WEBHOOK_ID}, @callbackId, @eventType, @networkId, @mailboxId, @ecGridId, 0, 'test.edi',
                 1, 'Pending', 0, @maxAttempts, @now, @workerId, @leaseUntil, @now, @traceparent, @fifoKey)
         RETURNING ${EVENT_COLUMNS}, traceparent`,
        {
          callbackId,
          eventType: callback.event_type,
          networkId: callback.network_id,
          mailboxId: callback.mailbox_id,
          ecGridId: callback.ecgrid_id,
          maxAttempts: callback.retries + 1,
          now,
          workerId,
          leaseUntil: now + leaseMs,
          traceparent: options.traceparent ?? null,
          fifoKey: testEventKey(callback),
        },
      ) as EventRow;
      return toJob(event, callback);
    });
    if (job) this.context.eventsCreated('test', 1);
    return job;
  }

  async get(eventId: number): Promise<EventRecord | null> {
    const row = this.#db.get<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`, [eventId]);
    return row ? toEvent(row) : null;
  }

  async listAttempts(eventId: number): Promise<Attempt[]> {
    return this.#db.all<AttemptRow>(
      `SELECT id, event_id, started_at, duration_ms, http_status, error, response_headers, response_body FROM attempts
       WHERE event_id = ? ORDER BY started_at, id`,
      [eventId],
    ).map(toAttempt);
  }

  async list(filter: EventFilter, page: PageRequest): Promise<Page<EventRecord>> {
    const where: string[] = [];
    if (filter.callbackId !== undefined) where.push('callback_id = @callbackId');
    if (filter.networkId !== undefined) where.push('network_id = @networkId');
    if (filter.mailboxId !== undefined) where.push('mailbox_id = @mailboxId');
    if (filter.status !== undefined) where.push('status = @status');
    if (filter.eventType !== undefined) where.push('event_type = @eventType');
    // Spelled out so that the partial index events_by_parcel (parcel_id <> 0) is seen to apply.
    if (filter.parcelId !== undefined) where.push('parcel_id = @parcelId', 'parcel_id <> 0');
    if (filter.createdFrom !== undefined) where.push('created_at >= @createdFrom');
    if (filter.createdBefore !== undefined) where.push('created_at < @createdBefore');
    if (page.after !== undefined) where.push('(created_at, id) < (@afterCreatedAt, @afterId)');
    return this.#db.page(
      'events',
      where,
      { ...filter, ...(page.after && { afterCreatedAt: page.after.createdAt, afterId: page.after.id }) },
      'created_at DESC, id DESC',
      page,
      toEvent,
    );
  }

  async retry(eventId: number, now: number): Promise<EventRecord> {
    const row = this.#db.write(() => {
      const event = this.#db.get<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`, [eventId]);
      if (!event) throw notFound('Event', eventId);
      if (event.status === 'Pending' || event.status === 'Delivered') {
        throw new GridhookError(
          'InvalidState',
          `Event ${eventId} is ${event.status}; only Failed or Canceled events can be retried.`,
        );
      }
      const callback = this.#retryableCallback(
        event.callback_id,
        () =>
          new GridhookError('InvalidState', `Callback ${event.callback_id} was deleted; its events cannot be retried.`),
      );
      this.#db.run(
        `UPDATE events SET status = 'Pending', next_attempt_at = @now, lease_owner = NULL, lease_until = NULL,
           finished_at = NULL, max_attempts = attempts + @fresh,
           fifo_key = (SELECT ${fifoKeySql('c', 'events.parcel_id')} FROM callbacks c WHERE c.id = events.callback_id)
         WHERE id = @eventId`,
        { eventId, now, fresh: callback.retries + 1 },
      );
      return this.#db.get<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`, [eventId]) as EventRow;
    });
    this.context.signalWork();
    return toEvent(row);
  }

  async skip(eventId: number, now: number): Promise<EventRecord> {
    const row = this.#db.write(() => {
      const event = this.#db.get<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`, [eventId]);
      if (!event) throw notFound('Event', eventId);
      if (event.status !== 'Pending' && event.status !== 'Failed') {
        throw new GridhookError('InvalidState', `Event ${eventId} is ${event.status}; only Pending or Failed events can be skipped.`);
      }
      return this.#db.get<EventRow>(
        `UPDATE events SET status = 'Canceled', finished_at = @now, next_attempt_at = NULL, lease_owner = NULL,
           lease_until = NULL
         WHERE id = @eventId RETURNING ${EVENT_COLUMNS}`,
        { eventId, now },
      ) as EventRow;
    });
    this.context.signalWork();
    return toEvent(row);
  }

  /**
   * A retried event of a deleted or suspended callback would be Pending but
   * never claimed; refusing says why instead.
   */
  #retryableCallback(callbackId: number, whenDeleted: () => GridhookError): CallbackRow {
    const callback = this.context.callbackRow(callbackId);
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
    const changes = this.#db.write(() => {
      const callback = this.#retryableCallback(callbackId, () => notFound('Callback', callbackId));
      return this.#db.run(
        `UPDATE events SET status = 'Pending', next_attempt_at = @now, lease_owner = NULL, lease_until = NULL,
           finished_at = NULL, max_attempts = attempts + @fresh
         WHERE callback_id = @callbackId AND status = 'Failed'
           AND created_at >= @from AND created_at < @before`,
        {
          callbackId,
          now,
          fresh: callback.retries + 1,
          from: created.from ?? Number.MIN_SAFE_INTEGER,
          before: created.before ?? Number.MAX_SAFE_INTEGER,
        },
      ).changes;
    });
    if (changes > 0) this.context.signalWork();
    return changes;
  }

  async purgeFinished(before: number, limit: number): Promise<number> {
    if (limit <= 0) return 0;
    // Attempts go with their events (ON DELETE CASCADE). One statement per
    // partial index, so each walks its own index in order.
    return this.#db.write(() => {
      const delivered = this.#db.run(
        `DELETE FROM events WHERE id IN (
           SELECT id FROM events WHERE status = 'Delivered' AND finished_at < ? ORDER BY finished_at LIMIT ?)`,
        [before, limit],
      ).changes;
      if (delivered >= limit) return delivered;
      return (
        delivered +
        this.#db.run(
          `DELETE FROM events WHERE id IN (
             SELECT id FROM events INDEXED BY events_ended
             WHERE status IN ('Failed', 'Canceled') AND finished_at < ? ORDER BY finished_at LIMIT ?)`,
          [before, limit - delivered],
        ).changes
      );
    });
  }

  async purgeIdempotencyKeys(before: number, limit: number): Promise<number> {
    if (limit <= 0) return 0;
    return this.#db.write(
      () =>
        this.#db.run(
          `DELETE FROM idempotency_keys WHERE (network_id, key) IN (
             SELECT network_id, key FROM idempotency_keys WHERE created_at < ? ORDER BY created_at LIMIT ?)`,
          [before, limit],
        ).changes,
    );
  }
}
