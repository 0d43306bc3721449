/**
 * Parcels on SQLite; SqliteStore's parcel methods delegate here. Each chunk
 * commits on its own, so a large upload holds the write lock only for the
 * moments its chunks are written, never for the whole transfer.
 */
import type Database from 'better-sqlite3';
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
import type { SqliteDatabase } from './database.js';

/** What the parcels need of the store they belong to. */
export interface SqliteParcelContext {
  db: Database.Database;
  /** Runs `fn` in one BEGIN IMMEDIATE transaction. */
  write<T>(fn: () => T): T;
  /** Runs `fn` in one read transaction (a consistent snapshot). */
  read<T>(fn: () => T): T;
  /** One page and its bounded total, as every list of the store reads them. */
  page: SqliteDatabase['page'];
  /** The store's fan-out of events to matching callbacks, inside the caller's write transaction. */
  insertEvents(inputs: EventInput[], now: number, traceparent: string | null): { eventIds: number[] };
  /** Tells the store's listeners that new events are due. */
  signalWork(): void;
  /** Counts events this module created, once their transaction committed. */
  eventsCreated(count: number): void;
}

export class SqliteParcels {
  readonly #statements = new Map<string, Database.Statement>();

  constructor(private readonly context: SqliteParcelContext) {}

  /** Prepared on first use: the tables exist only once migrate() has run. */
  #sql(source: string): Database.Statement {
    let statement = this.#statements.get(source);
    if (statement === undefined) {
      statement = this.context.db.prepare(source);
      this.#statements.set(source, statement);
    }
    return statement;
  }

  #row(parcelId: number): ParcelRow | undefined {
    return this.#sql('SELECT * FROM parcels WHERE id = ?').get(parcelId) as ParcelRow | undefined;
  }

  begin(now: number): number {
    const { lastInsertRowid } = this.#sql(
      "INSERT INTO parcels (status, created_at, status_at) VALUES ('Receiving', ?, ?)",
    ).run(now, now);
    return Number(lastInsertRowid);
  }

  append(parcelId: number, seq: number, data: Uint8Array): void {
    this.context.write(() => {
      const grown = this.#sql("UPDATE parcels SET bytes = bytes + ? WHERE id = ? AND status = 'Receiving'").run(
        data.byteLength,
        parcelId,
      );
      if (grown.changes === 0) throw parcelNotReceiving(parcelId);
      this.#sql('INSERT INTO parcel_chunks (parcel_id, seq, data) VALUES (?, ?, ?)').run(parcelId, seq, data);
    });
  }

  finish(route: ParcelRoute): Parcel {
    const { parcel, events } = this.context.write(() => {
      const current = this.#row(route.parcelId);
      if (current?.status !== 'Receiving') throw parcelNotReceiving(route.parcelId);
      const outcome = this.#outcome(route);
      const recipientMailboxId =
        outcome.status === 'OutBoxError' ? 0 : (this.#ecGridId(route.recipientEcGridId)?.mailbox_id ?? 0);
      const row = this.#sql(
        `UPDATE parcels SET status = @status, network_id = @networkId, file_name = @fileName,
           sender_mailbox_id = @senderMailboxId, sender_ecgrid_id = @senderEcGridId,
           recipient_mailbox_id = @recipientMailboxId, recipient_ecgrid_id = @recipientEcGridId,
           standard = @standard, control_number = @controlNumber, status_message = @statusMessage,
           created_at = @now, status_at = @now
         WHERE id = @parcelId
         RETURNING *`,
      ).get({
        ...route,
        status: outcome.status,
        statusMessage: outcome.statusMessage,
        recipientMailboxId,
        recipientEcGridId: outcome.status === 'OutBoxError' ? 0 : route.recipientEcGridId,
      }) as ParcelRow;
      const finished = toParcel(row);
      return { parcel: finished, events: this.context.insertEvents(routedParcelEvents(finished), route.now, route.traceparent ?? null).eventIds };
    });
    if (events.length > 0) this.context.signalWork();
    this.context.eventsCreated(events.length);
    return parcel;
  }

  /** Runs inside finish's transaction, so no status can change between the checks and the update. */
  #outcome(route: ParcelRoute): DeliveryOutcome {
    if (route.failure !== null) return { status: 'OutBoxError', statusMessage: route.failure };
    const sender = this.#party(route.senderMailboxId, route.senderEcGridId);
    if (sender === null) return { status: 'OutBoxError', statusMessage: `mailbox ${route.senderMailboxId} does not exist` };
    const recipientId = this.#ecGridId(route.recipientEcGridId);
    const recipient = recipientId ? this.#party(recipientId.mailbox_id, recipientId.id) : null;
    return deliveryOutcome(route.networkId, sender, recipient);
  }

  #ecGridId(ecGridId: number): EcGridIdRow | undefined {
    if (ecGridId === 0) return undefined;
    return this.#sql('SELECT * FROM ecgrid_ids WHERE id = ?').get(ecGridId) as EcGridIdRow | undefined;
  }

  #party(mailboxId: number, ecGridId: number): PartyState | null {
    const mailbox = this.#sql('SELECT network_id, status FROM mailboxes WHERE id = ?').get(mailboxId) as
      | { network_id: number; status: ObjectStatus }
      | undefined;
    if (!mailbox) return null;
    const id = this.#ecGridId(ecGridId);
    return {
      networkId: mailbox.network_id,
      mailboxId,
      mailboxStatus: mailbox.status,
      ecGridId: id ? { ecGridId: id.id, qualifier: id.qualifier, id: id.value, status: id.status, mailboxId: id.mailbox_id } : null,
    };
  }

  discard(parcelId: number): void {
    // Chunks go with their parcel (ON DELETE CASCADE).
    this.context.write(() => this.#sql("DELETE FROM parcels WHERE id = ? AND status = 'Receiving'").run(parcelId));
  }

  discardAbandoned(before: number): number {
    return this.context.write(
      () => this.#sql("DELETE FROM parcels WHERE status = 'Receiving' AND created_at < ?").run(before).changes,
    );
  }

  get(parcelId: number): Parcel | null {
    const row = this.#row(parcelId);
    return row && row.status !== 'Receiving' ? toParcel(row) : null;
  }

  list(filter: ParcelFilter, page: PageRequest): Page<Parcel> {
    const where: string[] = [];
    if (filter.box === 'inbox') {
      where.push("status IN ('InBoxReady', 'InBoxTransferred', 'InBoxError')");
      where.push(filter.mailboxId === undefined ? 'recipient_mailbox_id <> 0' : 'recipient_mailbox_id = @mailboxId');
    } else {
      where.push("status <> 'Receiving'");
      if (filter.mailboxId !== undefined) where.push('sender_mailbox_id = @mailboxId');
    }
    if (filter.networkId !== undefined) where.push('network_id = @networkId');
    if (filter.status !== undefined) where.push('status = @status');
    if (filter.createdFrom !== undefined) where.push('created_at >= @createdFrom');
    if (filter.createdBefore !== undefined) where.push('created_at < @createdBefore');
    return this.context.page('parcels', where, { ...filter }, 'id', page, toParcel);
  }

  async *readChunks(parcelId: number): AsyncIterable<Uint8Array> {
    const chunk = this.#sql('SELECT data FROM parcel_chunks WHERE parcel_id = ? AND seq = ?').pluck();
    for (let seq = 0; ; seq++) {
      const data = chunk.get(parcelId, seq) as Buffer | undefined;
      if (data === undefined) return;
      yield data;
    }
  }

  confirm(parcelId: number, now: number, traceparent: string | null): Parcel {
    const { parcel, events } = this.context.write(() => {
      const parcel = this.#transition(parcelId, 'InBoxReady', 'InBoxTransferred', now);
      return { parcel, events: this.context.insertEvents(confirmedParcelEvents(parcel), now, traceparent).eventIds };
    });
    if (events.length > 0) this.context.signalWork();
    this.context.eventsCreated(events.length);
    return parcel;
  }

  reset(parcelId: number, now: number): Parcel {
    return this.context.write(() => this.#transition(parcelId, 'InBoxTransferred', 'InBoxReady', now));
  }

  #transition(parcelId: number, from: ParcelStatus, to: ParcelStatus, now: number): Parcel {
    const row = this.#sql(
      'UPDATE parcels SET status = ?, status_at = ? WHERE id = ? AND status = ? RETURNING *',
    ).get(to, now, parcelId, from) as ParcelRow | undefined;
    if (row) return toParcel(row);
    const current = this.get(parcelId);
    if (!current) throw notFound('Parcel', parcelId);
    throw parcelStatusConflict(current, from, to);
  }

  findRoutingCandidates(networkId: number, id: string): EcGridIdRecord[] {
    const rows = this.#sql('SELECT * FROM ecgrid_ids WHERE network_id = ? AND upper(value) = upper(?) ORDER BY id').all(
      networkId,
      id,
    ) as EcGridIdRow[];
    return rows.map(toEcGridId);
  }
}
