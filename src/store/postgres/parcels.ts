/**
 * Parcels on PostgreSQL; PostgresStore's parcel methods delegate here. Each
 * chunk is one statement on the pool; routing, confirming and resetting are
 * one transaction each, with the rows they depend on locked.
 */
import type pg from 'pg';
import {
  confirmedParcelEvents,
  deliveryOutcome,
  parcelNotReceiving,
  parcelStatusConflict,
  routedParcelEvents,
  type DeliveryOutcome,
  type Parcel,
  type ParcelStatus,
  type PartyState,
} from '../../domain/parcels.js';
import type { EcGridIdRecord, EventInput, ObjectStatus, Page, PageRequest } from '../../domain/types.js';
import { notFound } from '../../errors.js';
import type { ParcelFilter, ParcelRoute } from '../store.js';
import { toEcGridId, toParcel, type EcGridIdRow, type ParcelRow } from '../rows.js';
import type { PostgresDatabase } from './database.js';

/** A transaction's client, as the store hands it out. */
export interface PostgresTx {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

/** What the parcels need of the store they belong to. */
export interface PostgresParcelContext {
  /** One statement: on the pool, or inside `tx` when given. Errors are translated as the store does. */
  query<R>(text: string, values: unknown[], tx?: PostgresTx): Promise<R[]>;
  /** Runs `fn` in one transaction, again from the start after a deadlock. */
  transaction<T>(fn: (tx: PostgresTx) => Promise<T>): Promise<T>;
  /** One page and its bounded total, as every list of the store reads them. */
  page: PostgresDatabase['page'];
  /** The store's fan-out of events to matching callbacks, inside `tx`. */
  insertEvents(inputs: EventInput[], now: number, tx: PostgresTx, traceparent: string | null): Promise<{ eventIds: number[] }>;
  /** Inside `tx`: other processes hear of new work when it commits. */
  notifyWork(tx: PostgresTx): void;
  /** Tells this process's listeners that new events are due. */
  signalWork(): void;
  /** Counts events this module created, once their transaction committed. */
  eventsCreated(count: number): void;
}

export class PostgresParcels {
  constructor(private readonly context: PostgresParcelContext) {}

  async begin(now: number): Promise<number> {
    const [row] = await this.context.query<{ id: number }>(
      "INSERT INTO parcels (status, created_at, status_at) VALUES ('Receiving', $1, $1) RETURNING id",
      [now],
    );
    return (row as { id: number }).id;
  }

  async append(parcelId: number, seq: number, data: Uint8Array): Promise<void> {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    // One statement, so the chunk and the parcel's size commit together.
    const [row] = await this.context.query<{ id: number }>(
      `WITH grown AS (
         UPDATE parcels SET bytes = bytes + $4::BIGINT WHERE id = $1 AND status = 'Receiving' RETURNING id
       )
       INSERT INTO parcel_chunks (parcel_id, seq, data) SELECT id, $2::INTEGER, $3::BYTEA FROM grown RETURNING parcel_id AS id`,
      [parcelId, seq, bytes, bytes.byteLength],
    );
    if (!row) throw parcelNotReceiving(parcelId);
  }

  async finish(route: ParcelRoute): Promise<Parcel> {
    const { parcel, events } = await this.context.transaction(async (tx) => {
      const [current] = await this.context.query<{ status: string }>(
        'SELECT status FROM parcels WHERE id = $1 FOR UPDATE',
        [route.parcelId],
        tx,
      );
      if (current?.status !== 'Receiving') throw parcelNotReceiving(route.parcelId);
      const { outcome, recipientMailboxId } = await this.#outcome(route, tx);
      const [row] = await this.context.query<ParcelRow>(
        `UPDATE parcels SET status = $2, network_id = $3, file_name = $4, sender_mailbox_id = $5, sender_ecgrid_id = $6,
           recipient_mailbox_id = $7, recipient_ecgrid_id = $8, standard = $9, control_number = $10,
           status_message = $11, created_at = $12, status_at = $12
         WHERE id = $1
         RETURNING *`,
        [
          route.parcelId,
          outcome.status,
          route.networkId,
          route.fileName,
          route.senderMailboxId,
          route.senderEcGridId,
          outcome.status === 'OutBoxError' ? 0 : recipientMailboxId,
          outcome.status === 'OutBoxError' ? 0 : route.recipientEcGridId,
          route.standard,
          route.controlNumber,
          outcome.statusMessage,
          route.now,
        ],
        tx,
      );
      const finished = toParcel(row as ParcelRow);
      const { eventIds } = await this.context.insertEvents(routedParcelEvents(finished), route.now, tx, route.traceparent ?? null);
      if (eventIds.length > 0) this.context.notifyWork(tx);
      return { parcel: finished, events: eventIds };
    });
    if (events.length > 0) this.context.signalWork();
    this.context.eventsCreated(events.length);
    return parcel;
  }

  /**
   * The sides' rows stay share-locked until the transaction ends, so a
   * suspend or terminate either waits for the delivery or is seen by it.
   */
  async #outcome(route: ParcelRoute, tx: PostgresTx): Promise<{ outcome: DeliveryOutcome; recipientMailboxId: number }> {
    if (route.failure !== null) {
      return { outcome: { status: 'OutBoxError', statusMessage: route.failure }, recipientMailboxId: 0 };
    }
    const sender = await this.#party(route.senderMailboxId, route.senderEcGridId, tx);
    if (sender === null) {
      const statusMessage = `mailbox ${route.senderMailboxId} does not exist`;
      return { outcome: { status: 'OutBoxError', statusMessage }, recipientMailboxId: 0 };
    }
    const [recipientId] = await this.context.query<{ mailbox_id: number }>(
      'SELECT mailbox_id FROM ecgrid_ids WHERE id = $1',
      [route.recipientEcGridId],
      tx,
    );
    const recipient = recipientId ? await this.#party(recipientId.mailbox_id, route.recipientEcGridId, tx) : null;
    return {
      outcome: deliveryOutcome(route.networkId, sender, recipient),
      recipientMailboxId: recipient?.mailboxId ?? 0,
    };
  }

  async #party(mailboxId: number, ecGridId: number, tx: PostgresTx): Promise<PartyState | null> {
    const [mailbox] = await this.context.query<{ network_id: number; status: ObjectStatus }>(
      'SELECT network_id, status FROM mailboxes WHERE id = $1 FOR SHARE',
      [mailboxId],
      tx,
    );
    if (!mailbox) return null;
    const [id] =
      ecGridId === 0
        ? []
        : await this.context.query<EcGridIdRow>('SELECT * FROM ecgrid_ids WHERE id = $1 FOR SHARE', [ecGridId], tx);
    return {
      networkId: mailbox.network_id,
      mailboxId,
      mailboxStatus: mailbox.status,
      ecGridId: id ? { ecGridId: id.id, qualifier: id.qualifier, id: id.value, status: id.status, mailboxId: id.mailbox_id } : null,
    };
  }

  async discard(parcelId: number): Promise<void> {
    // Chunks go with their parcel (ON DELETE CASCADE).
    await this.context.query("DELETE FROM parcels WHERE id = $1 AND status = 'Receiving'", [parcelId]);
  }

  async discardAbandoned(before: number): Promise<number> {
    const rows = await this.context.query<{ id: number }>(
      "DELETE FROM parcels WHERE status = 'Receiving' AND created_at < $1 RETURNING id",
      [before],
    );
    return rows.length;
  }

  async get(parcelId: number): Promise<Parcel | null> {
    const [row] = await this.context.query<ParcelRow>("SELECT * FROM parcels WHERE id = $1 AND status <> 'Receiving'", [
      parcelId,
    ]);
    return row ? toParcel(row) : null;
  }

  async list(filter: ParcelFilter, page: PageRequest): Promise<Page<Parcel>> {
    const values: unknown[] = [];
    const param = (value: unknown): string => {
      values.push(value);
      return `$${values.length}`;
    };
    const where: string[] = [];
    if (filter.box === 'inbox') {
      where.push("status IN ('InBoxReady', 'InBoxTransferred', 'InBoxError')");
      where.push(
        filter.mailboxId === undefined ? 'recipient_mailbox_id <> 0' : `recipient_mailbox_id = ${param(filter.mailboxId)}`,
      );
    } else {
      where.push("status <> 'Receiving'");
      if (filter.mailboxId !== undefined) where.push(`sender_mailbox_id = ${param(filter.mailboxId)}`);
    }
    if (filter.networkId !== undefined) where.push(`network_id = ${param(filter.networkId)}`);
    if (filter.status !== undefined) where.push(`status = ${param(filter.status)}`);
    if (filter.createdFrom !== undefined) where.push(`created_at >= ${param(filter.createdFrom)}`);
    if (filter.createdBefore !== undefined) where.push(`created_at < ${param(filter.createdBefore)}`);
    return this.context.page('parcels', where, values, 'id', page, toParcel);
  }

  async *readChunks(parcelId: number): AsyncIterable<Uint8Array> {
    for (let seq = 0; ; seq++) {
      const [row] = await this.context.query<{ data: Buffer }>(
        'SELECT data FROM parcel_chunks WHERE parcel_id = $1 AND seq = $2',
        [parcelId, seq],
      );
      if (!row) return;
      yield row.data;
    }
  }

  async confirm(parcelId: number, now: number, traceparent: string | null): Promise<Parcel> {
    const { parcel, events } = await this.context.transaction(async (tx) => {
      const parcel = await this.#transition(parcelId, 'InBoxReady', 'InBoxTransferred', now, tx);
      const { eventIds } = await this.context.insertEvents(confirmedParcelEvents(parcel), now, tx, traceparent);
      if (eventIds.length > 0) this.context.notifyWork(tx);
      return { parcel, events: eventIds };
    });
    if (events.length > 0) this.context.signalWork();
    this.context.eventsCreated(events.length);
    return parcel;
  }

  reset(parcelId: number, now: number): Promise<Parcel> {
    return this.context.transaction((tx) => this.#transition(parcelId, 'InBoxTransferred', 'InBoxReady', now, tx));
  }

  async #transition(parcelId: number, from: ParcelStatus, to: ParcelStatus, now: number, tx: PostgresTx): Promise<Parcel> {
    const [row] = await this.context.query<ParcelRow>(
      'UPDATE parcels SET status = $2, status_at = $3 WHERE id = $1 AND status = $4 RETURNING *',
      [parcelId, to, now, from],
      tx,
    );
    if (row) return toParcel(row);
    const [current] = await this.context.query<ParcelRow>(
      "SELECT * FROM parcels WHERE id = $1 AND status <> 'Receiving'",
      [parcelId],
      tx,
    );
    if (!current) throw notFound('Parcel', parcelId);
    throw parcelStatusConflict(toParcel(current), from, to);
  }

  async findRoutingCandidates(networkId: number, id: string): Promise<EcGridIdRecord[]> {
    const rows = await this.context.query<EcGridIdRow>(
      'SELECT * FROM ecgrid_ids WHERE network_id = $1 AND upper(value) = upper($2) ORDER BY id',
      [networkId, id],
    );
    return rows.map(toEcGridId);
  }
}
