/**
 * Parcels: uploading (receiving the content, then routing it by its X12 ISA
 * or EDIFACT UNB envelope), the inbox and outbox, download, confirm and reset.
 * Routing decides who the sides are (routing.ts); the store decides, under
 * lock, whether they may take the parcel, and records the events with the
 * new status in one transaction.
 *
 * Content arrives in pieces of any size and is stored in chunks of
 * PARCEL_CHUNK_BYTES: an upload holds at most one chunk in memory, whatever
 * the file's size, and only its first ENVELOPE_HEAD_BYTES are read to route it.
 */
import {
  INBOX_STATUSES,
  PARCEL_STATUSES,
  type EdiStandard,
  type Parcel,
  type ParcelStatus,
} from '../domain/parcels.js';
import type { EcGridIdRecord, Mailbox, Page, Principal } from '../domain/types.js';
import { ENVELOPE_HEAD_BYTES, readEnvelope, type EnvelopeResult, type PartyId } from '../edi/envelope.js';
import { GridhookError, invalidParameter, notFound } from '../errors.js';
import type { ParcelFilter } from '../store/store.js';
import type { ServiceDeps } from './deps.js';
import { MAX_FILE_NAME_LENGTH } from './events.js';
import { describeParty, matchParty } from './routing.js';
import { canSee, isMailboxRole, resolveScopeFilter } from './scope.js';
import { optionalDate } from './time-range.js';
import { objectId, optionalOneOf, page, scopeId, text } from './validate.js';

/**
 * 1 MiB: a 100 MB parcel is 100 rows and 100 commits (on SQLite each commit
 * is an fsync), while an upload holds no more than this in memory.
 */
export const PARCEL_CHUNK_BYTES = 1_048_576;

/** A parcel still being received this long after it began was abandoned (its client or process died). */
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;
/** How often one process looks for abandoned parcels, at the start of an upload. */
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

export interface UploadFields {
  fileName: unknown;
  /** The sending mailbox; 0 or absent: a mailbox key's own. */
  mailboxId?: unknown;
  /** The sender's ECGrid ID (owned by the mailbox); absent: read from the envelope. */
  ecGridIdFrom?: unknown;
  /** The recipient's ECGrid ID; absent: read from the envelope. */
  ecGridIdTo?: unknown;
}

export interface ParcelQuery {
  networkId?: number | undefined;
  mailboxId?: number | undefined;
  status?: string | undefined;
  /** ISO 8601; parcels that arrived at or after it. */
  beginDate?: string | undefined;
  /** ISO 8601; parcels that arrived before it. */
  endDate?: string | undefined;
  pageNo?: number | undefined;
  recordsPerPage?: number | undefined;
}

export interface ParcelDownload {
  parcel: Parcel;
  /** The file, chunk by chunk, read from the store as it is consumed. */
  content: AsyncIterable<Uint8Array>;
}

export { ISO_DATE_TIME } from './time-range.js';

export class ParcelService {
  #nextSweepAt = 0;

  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Opens an upload for the caller. Write the file's bytes to it as they
   * arrive, then finish it with the request's other fields; discard it if
   * the request fails on the way.
   */
  async startUpload(principal: Principal): Promise<ParcelUpload> {
    const { store, clock, logger } = this.deps;
    const now = clock.now();
    if (now >= this.#nextSweepAt) {
      this.#nextSweepAt = now + SWEEP_INTERVAL_MS;
      const swept = await store.discardAbandonedParcels(now - ABANDONED_AFTER_MS);
      if (swept > 0) logger.warn({ parcels: swept }, 'abandoned parcel uploads discarded');
    }
    return new ParcelUpload(this.deps, principal, await store.beginParcel(now));
  }

  async get(principal: Principal, parcelId: number): Promise<Parcel> {
    const parcel = await this.deps.store.getParcel(objectId('parcelId', parcelId));
    if (!parcel || !(sentBy(principal, parcel) || receivedBy(principal, parcel))) throw notFound('Parcel', parcelId);
    return parcel;
  }

  /** Parcels that reached a mailbox in scope (the inbox) or were sent from one (the outbox), in arrival order. */
  async list(principal: Principal, box: ParcelFilter['box'], query: ParcelQuery = {}): Promise<Page<Parcel>> {
    const status =
      box === 'inbox'
        ? optionalOneOf<ParcelStatus>('status', query.status, INBOX_STATUSES)
        : optionalOneOf<ParcelStatus>('status', query.status, PARCEL_STATUSES);
    const createdFrom = optionalDate('beginDate', query.beginDate);
    const createdBefore = optionalDate('endDate', query.endDate);
    if (createdFrom !== undefined && createdBefore !== undefined && createdBefore < createdFrom) {
      throw invalidParameter('endDate', 'must not be before beginDate');
    }
    const paging = page(query);
    const { ecGridId: _ignored, ...scope } = await resolveScopeFilter(this.deps.store, principal, {
      networkId: query.networkId,
      mailboxId: query.mailboxId,
    });
    return this.deps.store.listParcels(
      {
        box,
        ...scope,
        ...(status !== undefined && { status }),
        ...(createdFrom !== undefined && { createdFrom }),
        ...(createdBefore !== undefined && { createdBefore }),
      },
      paging,
    );
  }

  /** The content of a parcel waiting in the caller's inbox. */
  async download(principal: Principal, parcelId: number): Promise<ParcelDownload> {
    const parcel = await this.inInbox(principal, parcelId);
    if (parcel.status !== 'InBoxReady') {
      throw new GridhookError(
        'InvalidState',
        parcel.status === 'InBoxTransferred'
          ? `Parcel ${parcel.parcelId} was downloaded and confirmed (InBoxTransferred); reset it to the inbox to download it again.`
          : `Parcel ${parcel.parcelId} was not delivered (${parcel.status}: ${parcel.statusMessage ?? 'refused'}); it has no content to download.`,
      );
    }
    return { parcel, content: this.deps.store.readParcelChunks(parcel.parcelId) };
  }

  /** The recipient has the file: InBoxTransferred, and the sender's ConfirmDelivery callbacks fire. */
  async confirm(principal: Principal, parcelId: number): Promise<Parcel> {
    const parcel = await this.inInbox(principal, parcelId);
    const confirm = (traceparent: string | null): Promise<Parcel> =>
      this.deps.store.confirmParcel(parcel.parcelId, this.deps.clock.now(), traceparent);
    const { tracing } = this.deps;
    const confirmed = tracing ? await tracing.publish('gridhook confirm parcel', confirm) : await confirm(null);
    this.deps.logger.info({ parcelId: parcel.parcelId, userId: principal.userId }, 'parcel confirmed');
    return confirmed;
  }

  /** Puts a confirmed parcel back in the inbox (InBoxReady), to be downloaded again. */
  async reset(principal: Principal, parcelId: number): Promise<Parcel> {
    const parcel = await this.inInbox(principal, parcelId);
    return this.deps.store.resetParcel(parcel.parcelId, this.deps.clock.now());
  }

  /** Only the recipient's side acts on a parcel in an inbox; to anyone else it does not exist. */
  private async inInbox(principal: Principal, parcelId: number): Promise<Parcel> {
    const parcel = await this.deps.store.getParcel(objectId('parcelId', parcelId));
    if (!parcel || !receivedBy(principal, parcel)) throw notFound('Parcel', parcelId);
    return parcel;
  }
}

/**
 * One parcel being received. write() buffers into a chunk and stores each
 * full one, so a caller that awaits it gets backpressure from the store;
 * finish() stores the rest and routes the parcel. A failed write or finish
 * discards everything received, and so does discard(): nothing half-stored
 * ever becomes visible.
 */
export class ParcelUpload {
  readonly #chunk = Buffer.allocUnsafe(PARCEL_CHUNK_BYTES);
  readonly #head = Buffer.alloc(ENVELOPE_HEAD_BYTES);
  #filled = 0;
  #seq = 0;
  #bytes = 0;
  #closed = false;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly principal: Principal,
    readonly parcelId: number,
  ) {}

  /** Bytes received so far. */
  get bytes(): number {
    return this.#bytes;
  }

  async write(data: Uint8Array): Promise<void> {
    this.#open();
    const limit = this.deps.config.maxParcelBytes;
    if (this.#bytes + data.byteLength > limit) {
      await this.discard();
      throw new GridhookError(
        'PayloadTooLarge',
        `content: the file is larger than the limit of ${limit} bytes (setting GRIDHOOK_MAX_PARCEL_BYTES); send a smaller file.`,
        { field: 'content' },
      );
    }
    if (this.#bytes < ENVELOPE_HEAD_BYTES) this.#head.set(data.subarray(0, ENVELOPE_HEAD_BYTES - this.#bytes), this.#bytes);
    this.#bytes += data.byteLength;
    let at = 0;
    while (at < data.byteLength) {
      const taken = Math.min(PARCEL_CHUNK_BYTES - this.#filled, data.byteLength - at);
      this.#chunk.set(data.subarray(at, at + taken), this.#filled);
      this.#filled += taken;
      at += taken;
      if (this.#filled === PARCEL_CHUNK_BYTES) await this.#guard(() => this.#flush());
    }
  }

  /** Stores what is left, routes the parcel and answers it as delivered (or not). */
  async finish(fields: UploadFields): Promise<Parcel> {
    this.#open();
    return this.#guard(async () => {
      const fileName = text('fileName', fields.fileName, 1, MAX_FILE_NAME_LENGTH);
      const mailbox = await this.#mailbox(fields.mailboxId);
      const explicitFrom = await this.#explicitSender(fields.ecGridIdFrom, mailbox.mailboxId);
      const explicitTo = scopeId('ecGridIdTo', fields.ecGridIdTo);
      await this.#flush();
      const envelope = readEnvelope(this.#head.subarray(0, Math.min(this.#bytes, ENVELOPE_HEAD_BYTES)));
      const route = await this.#route(mailbox, envelope, explicitFrom, explicitTo);
      const finish = (traceparent: string | null): Promise<Parcel> =>
        this.deps.store.finishParcel({
          parcelId: this.parcelId,
          fileName,
          networkId: mailbox.networkId,
          senderMailboxId: mailbox.mailboxId,
          senderEcGridId: route.from,
          recipientEcGridId: route.to,
          failure: route.failure,
          standard: envelope.ok ? (envelope.envelope.standard satisfies EdiStandard) : null,
          controlNumber: envelope.ok ? envelope.envelope.controlNumber : null,
          now: this.deps.clock.now(),
          traceparent,
        });
      const { tracing } = this.deps;
      const parcel = tracing ? await tracing.publish('gridhook route parcel', finish) : await finish(null);
      this.#closed = true;
      this.deps.logger.info(
        { parcelId: parcel.parcelId, bytes: parcel.bytes, status: parcel.status, userId: this.principal.userId },
        'parcel uploaded',
      );
      return parcel;
    });
  }

  /** Removes whatever was received; safe to call more than once. */
  async discard(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.deps.store.discardParcel(this.parcelId);
    } catch (err) {
      // Left as it is, the parcel stays invisible and the abandoned-upload sweep removes it later.
      this.deps.logger.warn({ err, parcelId: this.parcelId }, 'could not discard a failed parcel upload');
    }
  }

  #open(): void {
    if (this.#closed) throw new GridhookError('InvalidState', `The upload of parcel ${this.parcelId} is already over.`);
  }

  async #guard<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (err) {
      await this.discard();
      throw err;
    }
  }

  async #flush(): Promise<void> {
    if (this.#filled === 0) return;
    // The chunk buffer is reused for the next chunk, so the store gets a copy it may keep.
    await this.deps.store.appendParcelChunk(this.parcelId, this.#seq, Buffer.from(this.#chunk.subarray(0, this.#filled)));
    this.#seq += 1;
    this.#filled = 0;
  }

  async #mailbox(requested: unknown): Promise<Mailbox> {
    let mailboxId = scopeId('mailboxId', requested);
    if (mailboxId === 0) {
      if (!isMailboxRole(this.principal.role)) {
        throw invalidParameter('mailboxId', 'is required: the ID of the mailbox the parcel is sent from');
      }
      mailboxId = this.principal.mailboxId;
    }
    const mailbox = await this.deps.store.getMailbox(mailboxId);
    if (!mailbox || !canSee(this.principal, mailbox)) throw notFound('Mailbox', mailboxId);
    return mailbox;
  }

  /** An ecGridIdFrom must be an ID of the sending mailbox; any other answers as missing. */
  async #explicitSender(requested: unknown, mailboxId: number): Promise<EcGridIdRecord | null> {
    const ecGridId = scopeId('ecGridIdFrom', requested);
    if (ecGridId === 0) return null;
    const record = await this.deps.store.getEcGridId(ecGridId);
    if (!record || record.mailboxId !== mailboxId || !canSee(this.principal, record)) {
      throw notFound('ECGrid ID', ecGridId);
    }
    return record;
  }

  /**
   * Who sends and who receives, and why not when it cannot tell. The first
   * problem found is the one reported: an empty file, then the sender, then
   * the recipient.
   */
  async #route(
    mailbox: { mailboxId: number; networkId: number },
    envelope: EnvelopeResult,
    explicitFrom: EcGridIdRecord | null,
    explicitTo: number,
  ): Promise<{ from: number; to: number; failure: string | null }> {
    const standard = envelope.ok ? envelope.envelope.standard : null;
    const senderSource = standard === 'X12' ? 'ISA05/ISA06' : 'UNB sender (S002)';
    const receiverSource = standard === 'X12' ? 'ISA07/ISA08' : 'UNB recipient (S003)';
    const unroutable = envelope.ok ? null : `cannot route the parcel: ${envelope.reason}`;
    if (!envelope.ok && envelope.code === 'EmptyFile') {
      return { from: explicitFrom?.ecGridId ?? (await this.#onlyId(mailbox.mailboxId)) ?? 0, to: 0, failure: unroutable };
    }

    let from = explicitFrom?.ecGridId ?? 0;
    let failure: string | null = null;
    if (explicitFrom === null) {
      if (envelope.ok) {
        const party = envelope.envelope.sender;
        const match = matchParty(party, (await this.#candidates(mailbox.networkId, party)).filter((c) => c.mailboxId === mailbox.mailboxId));
        if (match.kind === 'found') from = match.record.ecGridId;
        else {
          from = (await this.#onlyId(mailbox.mailboxId)) ?? 0;
          failure =
            match.kind === 'none'
              ? `the interchange's sender ${describeParty(party)} (${senderSource}) is not an ECGrid ID of mailbox ` +
                `${mailbox.mailboxId}; register it for the mailbox or name the sender with ecGridIdFrom`
              : ambiguity('sender', party, match.records);
        }
      } else {
        const only = await this.#onlyId(mailbox.mailboxId);
        from = only ?? 0;
        if (only === null && explicitTo !== 0) {
          failure =
            `the file has no envelope naming its sender and mailbox ${mailbox.mailboxId} does not have exactly one ` +
            'Active ECGrid ID; name the sender with ecGridIdFrom';
        }
      }
    }
    if (failure !== null) return { from, to: 0, failure };

    if (explicitTo !== 0) return { from, to: explicitTo, failure: null };
    if (!envelope.ok) return { from, to: 0, failure: unroutable };
    const party = envelope.envelope.receiver;
    const match = matchParty(party, await this.#candidates(mailbox.networkId, party));
    if (match.kind === 'found') return { from, to: match.record.ecGridId, failure: null };
    return {
      from,
      to: 0,
      failure:
        match.kind === 'none'
          ? `the interchange's recipient ${describeParty(party)} (${receiverSource}) is not a registered ECGrid ID ` +
            `in network ${mailbox.networkId}`
          : ambiguity('recipient', party, match.records),
    };
  }

  #candidates(networkId: number, party: PartyId): Promise<EcGridIdRecord[]> {
    return this.deps.store.findRoutingCandidates(networkId, party.id);
  }

  /** The mailbox's one Active ID, the sender when nothing else names one; null when it has none or several. */
  async #onlyId(mailboxId: number): Promise<number | null> {
    const active = await this.deps.store.listEcGridIds({ mailboxId, status: 'Active' }, { pageNo: 1, recordsPerPage: 2 });
    const [only] = active.items;
    return active.totalRecords === 1 && only ? only.ecGridId : null;
  }
}

function ambiguity(side: 'sender' | 'recipient', party: PartyId, records: EcGridIdRecord[]): string {
  const ids = records.map((r) => `${r.qualifier}:${r.id} (ECGrid ID ${r.ecGridId})`).join(', ');
  return (
    `the interchange's ${side} ${describeParty(party)} matches several ECGrid IDs (${ids}) and none exactly; ` +
    `write it exactly as registered${side === 'sender' ? ' or name the sender with ecGridIdFrom' : ' or name the recipient with ecGridIdTo'}`
  );
}

function sentBy(principal: Principal, parcel: Parcel): boolean {
  return canSee(principal, { networkId: parcel.networkId, mailboxId: parcel.senderMailboxId });
}

function receivedBy(principal: Principal, parcel: Parcel): boolean {
  return parcel.recipientMailboxId !== 0 && canSee(principal, { networkId: parcel.networkId, mailboxId: parcel.recipientMailboxId });
}

