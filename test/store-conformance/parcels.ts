/**
 * The parcel part of the conformance suite: receiving in chunks, routing
 * with its events in one transaction, inbox and outbox lists, confirm and
 * reset. Called by describeStoreConformance, so it runs on every store.
 */
import { describe, expect } from 'vitest';
import type { EventType } from '../../src/domain/types.js';
import type { ParcelRoute, Store } from '../../src/store/store.js';
import { expectGridhookError, newCallback, T0 } from './fixtures.js';

type Test = (group: string) => (title: string, fn: () => Promise<void>) => void;

const PAGE = { pageNo: 1, recordsPerPage: 100 };
const EVENT_TYPES: EventType[] = ['InBox', 'OutBox', 'InBoxError', 'OutBoxError', 'ConfirmDelivery'];

export function describeParcelConformance(store: () => Store, test: Test): void {
  /** Two mailboxes of network 1 with an ID each, and a network-wide callback per event type. */
  async function network() {
    const s = store();
    const sender = await s.createMailbox(1, 'Sender');
    const recipient = await s.createMailbox(1, 'Recipient');
    const from = await s.createEcGridId({ mailboxId: sender.mailboxId, qualifier: 'ZZ', id: 'SENDER', description: '' });
    const to = await s.createEcGridId({ mailboxId: recipient.mailboxId, qualifier: 'ZZ', id: 'RECEIVER', description: '' });
    for (const eventType of EVENT_TYPES) await s.createCallback(newCallback({ eventType }), T0);
    return { s, sender, recipient, from, to };
  }

  async function received(s: Store, chunks: string[], now = T0): Promise<number> {
    const parcelId = await s.beginParcel(now);
    for (const [seq, chunk] of chunks.entries()) await s.appendParcelChunk(parcelId, seq, Buffer.from(chunk));
    return parcelId;
  }

  function route(parcelId: number, n: Awaited<ReturnType<typeof network>>, overrides: Partial<ParcelRoute> = {}): ParcelRoute {
    return {
      parcelId,
      fileName: 'order.x12',
      networkId: 1,
      senderMailboxId: n.sender.mailboxId,
      senderEcGridId: n.from.ecGridId,
      recipientEcGridId: n.to.ecGridId,
      failure: null,
      standard: 'X12',
      controlNumber: '000000001',
      now: T0 + 10,
      ...overrides,
    };
  }

  async function eventsOf(s: Store, parcelId: number) {
    const all = await s.listEvents({}, PAGE);
    return all.items
      .filter((e) => e.parcelId === parcelId)
      .map((e) => ({ eventType: e.eventType, mailboxId: e.mailboxId, ecGridId: e.ecGridId, fileName: e.fileName }))
      .sort((a, b) => a.eventType.localeCompare(b.eventType));
  }

  async function content(s: Store, parcelId: number): Promise<string> {
    const parts: Buffer[] = [];
    for await (const chunk of s.readParcelChunks(parcelId)) parts.push(Buffer.from(chunk));
    return Buffer.concat(parts).toString();
  }

  describe('parcels', () => {
    const t = test('parcels');

    t('delivers a received parcel into the inbox, with InBox for the recipient and OutBox for the sender', async () => {
      const n = await network();
      const parcelId = await received(n.s, ['ISA*00*', 'rest of it~', '']);
      const parcel = await n.s.finishParcel(route(parcelId, n));
      expect(parcel).toEqual({
        parcelId,
        networkId: 1,
        fileName: 'order.x12',
        bytes: 18,
        status: 'InBoxReady',
        statusMessage: null,
        senderMailboxId: n.sender.mailboxId,
        senderEcGridId: n.from.ecGridId,
        recipientMailboxId: n.recipient.mailboxId,
        recipientEcGridId: n.to.ecGridId,
        standard: 'X12',
        controlNumber: '000000001',
        createdAt: T0 + 10,
        statusAt: T0 + 10,
      });
      expect(await n.s.getParcel(parcelId)).toEqual(parcel);
      expect(await content(n.s, parcelId)).toBe('ISA*00*rest of it~');
      expect(await eventsOf(n.s, parcelId)).toEqual([
        { eventType: 'InBox', mailboxId: n.recipient.mailboxId, ecGridId: n.to.ecGridId, fileName: 'order.x12' },
        { eventType: 'OutBox', mailboxId: n.sender.mailboxId, ecGridId: n.from.ecGridId, fileName: 'order.x12' },
      ]);
    });

    t('keeps a parcel being received out of sight, and discards it with its chunks', async () => {
      const n = await network();
      const parcelId = await received(n.s, ['abc']);
      expect(await n.s.getParcel(parcelId)).toBeNull();
      expect((await n.s.listParcels({ box: 'outbox' }, PAGE)).totalRecords).toBe(0);
      await n.s.discardParcel(parcelId);
      await expectGridhookError(n.s.appendParcelChunk(parcelId, 1, Buffer.from('x')), 'InvalidState');
      await expectGridhookError(n.s.finishParcel(route(parcelId, n)), 'InvalidState');
      expect(await content(n.s, parcelId)).toBe('');
      expect(await eventsOf(n.s, parcelId)).toEqual([]);
    });

    t('finishes a parcel once: a second finish changes nothing and creates no event', async () => {
      const n = await network();
      const parcelId = await received(n.s, ['x']);
      await n.s.finishParcel(route(parcelId, n));
      await expectGridhookError(n.s.finishParcel(route(parcelId, n, { failure: 'again' })), 'InvalidState');
      await expectGridhookError(n.s.appendParcelChunk(parcelId, 1, Buffer.from('y')), 'InvalidState');
      await n.s.discardParcel(parcelId);
      expect(await n.s.getParcel(parcelId)).toMatchObject({ status: 'InBoxReady', bytes: 1 });
      expect(await eventsOf(n.s, parcelId)).toHaveLength(2);
    });

    t('fails a parcel routing could not place: OutBoxError for the sender only', async () => {
      const n = await network();
      const parcelId = await received(n.s, ['hello']);
      const parcel = await n.s.finishParcel(
        route(parcelId, n, { failure: 'no X12 ISA or EDIFACT UNB segment', recipientEcGridId: 0, standard: null, controlNumber: null }),
      );
      expect(parcel).toMatchObject({
        status: 'OutBoxError',
        statusMessage: 'no X12 ISA or EDIFACT UNB segment',
        recipientMailboxId: 0,
        recipientEcGridId: 0,
      });
      expect(await eventsOf(n.s, parcelId)).toEqual([
        { eventType: 'OutBoxError', mailboxId: n.sender.mailboxId, ecGridId: n.from.ecGridId, fileName: 'order.x12' },
      ]);
      expect((await n.s.listParcels({ box: 'inbox', mailboxId: n.recipient.mailboxId }, PAGE)).totalRecords).toBe(0);
    });

    t('refuses a suspended recipient: InBoxError for it and OutBoxError for the sender', async () => {
      const n = await network();
      await n.s.updateEcGridId(n.to.ecGridId, { status: 'Suspended' });
      const parcelId = await received(n.s, ['x']);
      const parcel = await n.s.finishParcel(route(parcelId, n));
      expect(parcel).toMatchObject({
        status: 'InBoxError',
        statusMessage: expect.stringMatching(/ZZ:RECEIVER .* is Suspended/),
        recipientMailboxId: n.recipient.mailboxId,
        recipientEcGridId: n.to.ecGridId,
      });
      expect(await eventsOf(n.s, parcelId)).toEqual([
        { eventType: 'InBoxError', mailboxId: n.recipient.mailboxId, ecGridId: n.to.ecGridId, fileName: 'order.x12' },
        { eventType: 'OutBoxError', mailboxId: n.sender.mailboxId, ecGridId: n.from.ecGridId, fileName: 'order.x12' },
      ]);
      const inbox = await n.s.listParcels({ box: 'inbox', mailboxId: n.recipient.mailboxId }, PAGE);
      expect(inbox.items.map((p) => p.parcelId)).toEqual([parcelId]);
    });

    t('fails terminated, unknown and other-network recipients and inactive senders for the sender only', async () => {
      const n = await network();
      const other = await n.s.createNetwork('Other');
      const otherMailbox = await n.s.createMailbox(other.networkId, 'Elsewhere');
      const elsewhere = await n.s.createEcGridId({ mailboxId: otherMailbox.mailboxId, qualifier: 'ZZ', id: 'FAR', description: '' });
      const gone = await n.s.createEcGridId({ mailboxId: n.recipient.mailboxId, qualifier: 'ZZ', id: 'GONE', description: '' });
      await n.s.updateEcGridId(gone.ecGridId, { status: 'Terminated' });
      const asleep = await n.s.createEcGridId({ mailboxId: n.sender.mailboxId, qualifier: 'ZZ', id: 'ASLEEP', description: '' });
      await n.s.updateEcGridId(asleep.ecGridId, { status: 'Suspended' });

      const cases: [Partial<ParcelRoute>, RegExp][] = [
        [{ recipientEcGridId: gone.ecGridId }, /ZZ:GONE .* is Terminated/],
        [{ recipientEcGridId: 999_999 }, /not registered in network 1/],
        [{ recipientEcGridId: elsewhere.ecGridId }, /not registered in network 1/],
        [{ senderEcGridId: asleep.ecGridId }, /sender ID ZZ:ASLEEP .* is Suspended/],
        [{ senderEcGridId: n.to.ecGridId }, /not an ECGrid ID of mailbox/],
      ];
      for (const [overrides, message] of cases) {
        const parcelId = await received(n.s, ['x']);
        const parcel = await n.s.finishParcel(route(parcelId, n, overrides));
        expect(parcel.status, JSON.stringify(overrides)).toBe('OutBoxError');
        expect(parcel.statusMessage).toMatch(message);
        expect(parcel.recipientMailboxId).toBe(0);
        expect((await eventsOf(n.s, parcelId)).map((e) => [e.eventType, e.mailboxId])).toEqual([
          ['OutBoxError', n.sender.mailboxId],
        ]);
      }
    });

    t('confirms a ready parcel once, telling the sender, and resets a transferred one', async () => {
      const n = await network();
      const parcelId = await received(n.s, ['x']);
      await n.s.finishParcel(route(parcelId, n));

      const confirmed = await n.s.confirmParcel(parcelId, T0 + 20);
      expect(confirmed).toMatchObject({ status: 'InBoxTransferred', statusAt: T0 + 20, createdAt: T0 + 10 });
      expect((await eventsOf(n.s, parcelId)).filter((e) => e.eventType === 'ConfirmDelivery')).toEqual([
        { eventType: 'ConfirmDelivery', mailboxId: n.sender.mailboxId, ecGridId: n.from.ecGridId, fileName: 'order.x12' },
      ]);
      const twice = await expectGridhookError(n.s.confirmParcel(parcelId, T0 + 30), 'InvalidState');
      expect(twice.message).toMatch(/is InBoxTransferred/);
      expect(await eventsOf(n.s, parcelId)).toHaveLength(3);

      expect(await n.s.resetParcel(parcelId, T0 + 40)).toMatchObject({ status: 'InBoxReady', statusAt: T0 + 40 });
      await expectGridhookError(n.s.resetParcel(parcelId, T0 + 50), 'InvalidState');
      expect(await n.s.confirmParcel(parcelId, T0 + 60)).toMatchObject({ status: 'InBoxTransferred' });
      expect(await eventsOf(n.s, parcelId)).toHaveLength(4);

      await expectGridhookError(n.s.confirmParcel(999_999, T0), 'ObjectNotFound');
      await expectGridhookError(n.s.resetParcel(999_999, T0), 'ObjectNotFound');
      const receiving = await received(n.s, ['y']);
      await expectGridhookError(n.s.confirmParcel(receiving, T0), 'ObjectNotFound');
    });

    t('will not confirm a parcel that was refused', async () => {
      const n = await network();
      await n.s.updateEcGridId(n.to.ecGridId, { status: 'Suspended' });
      const parcelId = await received(n.s, ['x']);
      await n.s.finishParcel(route(parcelId, n));
      await expectGridhookError(n.s.confirmParcel(parcelId, T0 + 20), 'InvalidState');
      expect(await n.s.getParcel(parcelId)).toMatchObject({ status: 'InBoxError' });
    });

    t('lists inboxes and outboxes in arrival order, filtered by mailbox, status and time, paged', async () => {
      const n = await network();
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) {
        const parcelId = await received(n.s, [`p${i}`]);
        await n.s.finishParcel(route(parcelId, n, { now: T0 + i * 1_000, failure: i === 4 ? 'unroutable' : null }));
        ids.push(parcelId);
      }
      await n.s.confirmParcel(ids[1]!, T0 + 10_000);

      const inbox = await n.s.listParcels({ box: 'inbox', mailboxId: n.recipient.mailboxId }, PAGE);
      expect(inbox.items.map((p) => p.parcelId)).toEqual(ids.slice(0, 4));
      const outbox = await n.s.listParcels({ box: 'outbox', mailboxId: n.sender.mailboxId }, PAGE);
      expect(outbox.items.map((p) => p.parcelId)).toEqual(ids);
      expect((await n.s.listParcels({ box: 'inbox', mailboxId: n.sender.mailboxId }, PAGE)).totalRecords).toBe(0);
      expect((await n.s.listParcels({ box: 'outbox', mailboxId: n.recipient.mailboxId }, PAGE)).totalRecords).toBe(0);

      const transferred = await n.s.listParcels({ box: 'inbox', mailboxId: n.recipient.mailboxId, status: 'InBoxTransferred' }, PAGE);
      expect(transferred.items.map((p) => p.parcelId)).toEqual([ids[1]]);
      const failed = await n.s.listParcels({ box: 'outbox', status: 'OutBoxError' }, PAGE);
      expect(failed.items.map((p) => p.parcelId)).toEqual([ids[4]]);

      const window = await n.s.listParcels({ box: 'outbox', createdFrom: T0 + 1_000, createdBefore: T0 + 3_000 }, PAGE);
      expect(window.items.map((p) => p.parcelId)).toEqual([ids[1], ids[2]]);

      const page2 = await n.s.listParcels({ box: 'outbox', networkId: 1 }, { pageNo: 2, recordsPerPage: 2 });
      expect(page2).toMatchObject({ totalRecords: 5, pageNo: 2, recordsPerPage: 2 });
      expect(page2.items.map((p) => p.parcelId)).toEqual([ids[2], ids[3]]);
      const past = await n.s.listParcels({ box: 'outbox', networkId: 1 }, { pageNo: 9, recordsPerPage: 2 });
      expect(past).toMatchObject({ totalRecords: 5, items: [] });
      expect((await n.s.listParcels({ box: 'inbox', networkId: 999 }, PAGE)).totalRecords).toBe(0);
    });

    t('discards only parcels whose receiving was abandoned before the given time', async () => {
      const n = await network();
      const old = await received(n.s, ['a', 'b'], T0 - 100_000);
      const fresh = await received(n.s, ['c'], T0);
      const done = await received(n.s, ['d'], T0 - 100_000);
      await n.s.finishParcel(route(done, n));
      expect(await n.s.discardAbandonedParcels(T0 - 1_000)).toBe(1);
      await expectGridhookError(n.s.appendParcelChunk(old, 2, Buffer.from('x')), 'InvalidState');
      await n.s.appendParcelChunk(fresh, 1, Buffer.from('x'));
      expect(await n.s.getParcel(done)).toMatchObject({ status: 'InBoxReady' });
    });

    t('keeps chunks byte for byte, however many and whatever they hold', async () => {
      const n = await network();
      const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(4_096 + i, i));
      const parcelId = await n.s.beginParcel(T0);
      for (const [seq, chunk] of chunks.entries()) await n.s.appendParcelChunk(parcelId, seq, chunk);
      const parcel = await n.s.finishParcel(route(parcelId, n));
      const expected = Buffer.concat(chunks);
      expect(parcel.bytes).toBe(expected.length);
      const read: Buffer[] = [];
      for await (const chunk of n.s.readParcelChunks(parcelId)) read.push(Buffer.from(chunk));
      expect(read).toHaveLength(40);
      expect(Buffer.concat(read).equals(expected)).toBe(true);
    });

    t('finds routing candidates by ID ignoring case, within one network', async () => {
      const n = await network();
      const lower = await n.s.createEcGridId({ mailboxId: n.recipient.mailboxId, qualifier: '01', id: 'receiver', description: '' });
      const other = await n.s.createNetwork('Other');
      const otherMailbox = await n.s.createMailbox(other.networkId, 'Elsewhere');
      await n.s.createEcGridId({ mailboxId: otherMailbox.mailboxId, qualifier: 'ZZ', id: 'RECEIVER', description: '' });
      const found = await n.s.findRoutingCandidates(1, 'Receiver');
      expect(found.map((r) => [r.ecGridId, r.qualifier, r.id])).toEqual([
        [n.to.ecGridId, 'ZZ', 'RECEIVER'],
        [lower.ecGridId, '01', 'receiver'],
      ]);
      expect(await n.s.findRoutingCandidates(1, 'NOBODY')).toEqual([]);
    });
  });
}
