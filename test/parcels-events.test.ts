/**
 * Parcels fire the five events: real X12 850 / 810 / 997 and EDIFACT ORDERS
 * interchanges uploaded over REST, routed by their headers (or by the IDs
 * given), and each side's callbacks receiving the events of its side with its
 * own mailbox and ECGrid ID.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventType } from '../src/domain/types.js';
import {
  buildEdifactOrders,
  buildX12FunctionalAck,
  buildX12Invoice,
  buildX12PurchaseOrder,
} from './helpers/edi-builders.js';
import { download, hookPath, tradingNetwork, upload, type Side, type TradingNetwork } from './helpers/parcels.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { eventually, ok, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let receiver: Receiver;

beforeAll(async () => {
  server = await startTestServer();
  receiver = await startReceiver();
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

/** Every event the parcel caused, as [event type, mailbox, ECGrid ID], in a stable order. */
async function eventsOf(parcelId: number): Promise<[EventType, number, number][]> {
  const page = await server.store.listEvents({}, { pageNo: 1, recordsPerPage: 500 });
  return page.items
    .filter((e) => e.parcelId === parcelId)
    .map((e): [EventType, number, number] => [e.eventType, e.mailboxId, e.ecGridId])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

/** Waits for the side's callback of this event type to be posted for the parcel, and answers the body it got. */
async function delivered(net: TradingNetwork, side: Side, event: EventType, parcelId: number) {
  const path = hookPath(net, side, event);
  return eventually(async () =>
    receiver
      .requestsTo(path)
      .map((r) => r.json<Record<string, unknown>>())
      .find((body) => body.parcelId === parcelId),
  );
}

function x12(net: TradingNetwork, from: Side, to: Side) {
  return { sender: { qualifier: from.qualifier, id: from.id }, receiver: { qualifier: to.qualifier, id: to.id } };
}

describe('a delivered parcel', () => {
  it('an 850 reaches the recipient as InBoxReady: InBox for it, OutBox for the sender, each with its own side', async () => {
    const net = await tradingNetwork(server, receiver);
    const file = buildX12PurchaseOrder(x12(net, net.buyer, net.supplier));
    const answer = await upload(server, net.buyer, file, { fileName: 'po-1001.x12' });
    expect(answer.status).toBe(200);
    const parcel = answer.body.data;
    expect(parcel).toMatchObject({
      fileName: 'po-1001.x12',
      bytes: Buffer.byteLength(file),
      status: 'InBoxReady',
      statusMessage: null,
      networkId: net.networkId,
      mailboxIdFrom: net.buyer.mailboxId,
      ecGridIdFrom: net.buyer.ecGridId,
      mailboxIdTo: net.supplier.mailboxId,
      ecGridIdTo: net.supplier.ecGridId,
      standard: 'X12',
      controlNumber: '000000001',
    });
    expect(await eventsOf(parcel.parcelId)).toEqual([
      ['InBox', net.supplier.mailboxId, net.supplier.ecGridId],
      ['OutBox', net.buyer.mailboxId, net.buyer.ecGridId],
    ]);

    const inbox = await delivered(net, net.supplier, 'InBox', parcel.parcelId);
    expect(inbox).toMatchObject({
      callBackEvent: 'InBox',
      parcelId: parcel.parcelId,
      fileName: 'po-1001.x12',
      mailboxId: net.supplier.mailboxId,
      ecGridId: net.supplier.ecGridId,
      networkId: net.networkId,
      isTest: false,
    });
    const outbox = await delivered(net, net.buyer, 'OutBox', parcel.parcelId);
    expect(outbox).toMatchObject({
      callBackEvent: 'OutBox',
      parcelId: parcel.parcelId,
      fileName: 'po-1001.x12',
      mailboxId: net.buyer.mailboxId,
      ecGridId: net.buyer.ecGridId,
    });
  });

  it('download, confirm (ConfirmDelivery to the sender), reset to the inbox and download again', async () => {
    const net = await tradingNetwork(server, receiver);
    const file = buildX12Invoice(x12(net, net.supplier, net.buyer));
    const { parcelId } = (await upload(server, net.supplier, file, { fileName: 'inv-2001.x12' })).body.data;

    expect((await download(server, net.buyer, parcelId)).toString('latin1')).toBe(file);
    const raw = await ok(server, 'POST', '/v2/parcels/download', { parcelId }, { key: net.buyer.user.key });
    expect(raw).toEqual({ parcelId, fileName: 'inv-2001.x12', bytes: Buffer.byteLength(file), content: expect.any(String) });

    const confirmed = await ok(server, 'POST', '/v2/parcels/confirm', { parcelId }, { key: net.buyer.user.key });
    expect(confirmed).toMatchObject({ parcelId, status: 'InBoxTransferred' });
    const confirmation = await delivered(net, net.supplier, 'ConfirmDelivery', parcelId);
    expect(confirmation).toMatchObject({
      callBackEvent: 'ConfirmDelivery',
      parcelId,
      fileName: 'inv-2001.x12',
      mailboxId: net.supplier.mailboxId,
      ecGridId: net.supplier.ecGridId,
    });

    const reset = await ok(server, 'POST', `/v2/parcels/reset-to-inbox/${parcelId}`, undefined, { key: net.buyer.user.key });
    expect(reset).toMatchObject({ parcelId, status: 'InBoxReady' });
    expect((await download(server, net.buyer, parcelId)).toString('latin1')).toBe(file);
    expect(await ok(server, 'GET', `/v2/parcels/${parcelId}`, undefined, { key: net.supplier.user.key })).toMatchObject({
      status: 'InBoxReady',
    });
    // Resetting fires nothing: the recipient did it itself.
    expect(await eventsOf(parcelId)).toEqual([
      ['ConfirmDelivery', net.supplier.mailboxId, net.supplier.ecGridId],
      ['InBox', net.buyer.mailboxId, net.buyer.ecGridId],
      ['OutBox', net.supplier.mailboxId, net.supplier.ecGridId],
    ]);
  });

  it('a 997 goes where ecGridIdFrom and ecGridIdTo say, whatever its header names', async () => {
    const net = await tradingNetwork(server, receiver);
    const file = buildX12FunctionalAck({ sender: { qualifier: 'ZZ', id: 'NOBODY' }, receiver: { qualifier: 'ZZ', id: 'NOWHERE' } });
    const answer = await upload(server, net.supplier, file, {
      fileName: '997.x12',
      ecGridIdFrom: net.supplier.ecGridId,
      ecGridIdTo: net.buyer.ecGridId,
    });
    expect(answer.body.data).toMatchObject({ status: 'InBoxReady', mailboxIdTo: net.buyer.mailboxId, standard: 'X12' });
    await delivered(net, net.buyer, 'InBox', answer.body.data.parcelId);
    expect((await download(server, net.buyer, answer.body.data.parcelId)).toString('latin1')).toBe(file);
  });

  it('an EDIFACT ORDERS is routed by its UNB; ZZZ reaches an ID registered as ZZ', async () => {
    const net = await tradingNetwork(server, receiver);
    const file = buildEdifactOrders({
      sender: { id: net.buyer.id, qualifier: 'ZZZ' },
      receiver: { id: net.supplier.id, qualifier: 'ZZZ' },
      una: true,
      freeText: "Deliver to dock 4: ring twice + wait 'patiently'",
    });
    const answer = await upload(server, net.buyer, file, { fileName: 'orders.edi' });
    expect(answer.body.data).toMatchObject({
      status: 'InBoxReady',
      ecGridIdFrom: net.buyer.ecGridId,
      ecGridIdTo: net.supplier.ecGridId,
      standard: 'EDIFACT',
      controlNumber: 'REF00001',
    });
    const inbox = await delivered(net, net.supplier, 'InBox', answer.body.data.parcelId);
    expect(inbox).toMatchObject({ fileName: 'orders.edi', ecGridId: net.supplier.ecGridId });
    expect((await download(server, net.supplier, answer.body.data.parcelId)).toString('latin1')).toBe(file);
  });
});

describe('a parcel that cannot be delivered', () => {
  it('to an unknown recipient: OutBoxError for the sender with the reason, nothing in any inbox', async () => {
    const net = await tradingNetwork(server, receiver);
    const file = buildX12PurchaseOrder({ sender: { qualifier: 'ZZ', id: net.buyer.id }, receiver: { qualifier: 'ZZ', id: 'STRANGER' } });
    const answer = await upload(server, net.buyer, file, { fileName: 'lost.x12' });
    expect(answer.status).toBe(200);
    const parcel = answer.body.data;
    expect(parcel).toMatchObject({ status: 'OutBoxError', mailboxIdTo: 0, ecGridIdTo: 0, ecGridIdFrom: net.buyer.ecGridId });
    expect(parcel.statusMessage).toBe(
      `the interchange's recipient ZZ:STRANGER (ISA07/ISA08) is not a registered ECGrid ID in network ${net.networkId}`,
    );
    expect(await eventsOf(parcel.parcelId)).toEqual([['OutBoxError', net.buyer.mailboxId, net.buyer.ecGridId]]);
    const event = await delivered(net, net.buyer, 'OutBoxError', parcel.parcelId);
    expect(event).toMatchObject({ fileName: 'lost.x12', mailboxId: net.buyer.mailboxId, ecGridId: net.buyer.ecGridId });

    // The sender reads the reason from the parcel the event names.
    const info = await ok(server, 'GET', `/v2/parcels/${parcel.parcelId}`, undefined, { key: net.buyer.user.key });
    expect(info.statusMessage).toBe(parcel.statusMessage);
    const supplierInbox = await ok(server, 'POST', '/v2/parcels/inbox-list', {}, { key: net.supplier.user.key });
    expect(supplierInbox.totalRecords).toBe(0);
  });

  it('to a suspended recipient ID: InBoxError for the recipient and OutBoxError for the sender', async () => {
    const net = await tradingNetwork(server, receiver);
    await ok(server, 'POST', '/v2/ids/update', { ecGridId: net.supplier.ecGridId, status: 'Suspended' });
    const file = buildX12PurchaseOrder(x12(net, net.buyer, net.supplier));
    const parcel = (await upload(server, net.buyer, file, { fileName: 'held.x12' })).body.data;
    expect(parcel).toMatchObject({
      status: 'InBoxError',
      statusMessage: `the recipient ID ZZ:${net.supplier.id} (ECGrid ID ${net.supplier.ecGridId}) is Suspended`,
      mailboxIdTo: net.supplier.mailboxId,
    });
    expect(await eventsOf(parcel.parcelId)).toEqual([
      ['InBoxError', net.supplier.mailboxId, net.supplier.ecGridId],
      ['OutBoxError', net.buyer.mailboxId, net.buyer.ecGridId],
    ]);
    const refused = await delivered(net, net.supplier, 'InBoxError', parcel.parcelId);
    expect(refused).toMatchObject({ fileName: 'held.x12', mailboxId: net.supplier.mailboxId, ecGridId: net.supplier.ecGridId });
    await delivered(net, net.buyer, 'OutBoxError', parcel.parcelId);

    // Listed in the recipient's inbox as refused, not downloadable.
    const inbox = await ok(server, 'POST', '/v2/parcels/inbox-list', { status: 'InBoxError' }, { key: net.supplier.user.key });
    expect(inbox.parcels.map((p: { parcelId: number }) => p.parcelId)).toEqual([parcel.parcelId]);
  });

  it('to a terminated recipient ID: OutBoxError for the sender only', async () => {
    const net = await tradingNetwork(server, receiver);
    await ok(server, 'POST', '/v2/ids/update', { ecGridId: net.supplier.ecGridId, status: 'Terminated' });
    const parcel = (await upload(server, net.buyer, buildX12PurchaseOrder(x12(net, net.buyer, net.supplier)))).body.data;
    expect(parcel).toMatchObject({ status: 'OutBoxError', statusMessage: expect.stringMatching(/is Terminated$/), mailboxIdTo: 0 });
    expect(await eventsOf(parcel.parcelId)).toEqual([['OutBoxError', net.buyer.mailboxId, net.buyer.ecGridId]]);
  });

  it('without an envelope, or empty: OutBoxError for the sender with what is wrong', async () => {
    const net = await tradingNetwork(server, receiver);
    const cases: [string, RegExp][] = [
      ['Dear supplier, please send 12 widgets.', /^cannot route the parcel: no X12 ISA or EDIFACT UNB segment/],
      ['GS*PO*A*B*20240315*1030*1*X*004010~ST*850*0001~', /ISA interchange header that must come first is missing/],
      ['', /^cannot route the parcel: the file is empty/],
      [' \r\n\t ', /^cannot route the parcel: the file holds only blank space/],
    ];
    for (const [file, reason] of cases) {
      const answer = await upload(server, net.buyer, file, { fileName: 'letter.txt' });
      expect(answer.status, file).toBe(200);
      const parcel = answer.body.data;
      expect(parcel).toMatchObject({ status: 'OutBoxError', bytes: file.length, standard: null, controlNumber: null });
      expect(parcel.statusMessage).toMatch(reason);
      // The mailbox has one ID, so it is the sender even with no header naming it.
      expect(await eventsOf(parcel.parcelId)).toEqual([['OutBoxError', net.buyer.mailboxId, net.buyer.ecGridId]]);
      await delivered(net, net.buyer, 'OutBoxError', parcel.parcelId);
    }
    const outbox = await ok(server, 'POST', '/v2/parcels/outbox-list', {}, { key: net.buyer.user.key });
    expect(outbox.parcels.map((p: { status: string }) => p.status)).toEqual(Array(cases.length).fill('OutBoxError'));
  });

  it('from a sender whose header names an ID the mailbox does not own: OutBoxError', async () => {
    const net = await tradingNetwork(server, receiver);
    const spoofed = buildX12PurchaseOrder(x12(net, net.supplier, net.supplier));
    const parcel = (await upload(server, net.buyer, spoofed)).body.data;
    expect(parcel.status).toBe('OutBoxError');
    expect(parcel.statusMessage).toBe(
      `the interchange's sender ZZ:${net.supplier.id} (ISA05/ISA06) is not an ECGrid ID of mailbox ${net.buyer.mailboxId}; ` +
        'register it for the mailbox or name the sender with ecGridIdFrom',
    );
    expect(await eventsOf(parcel.parcelId)).toEqual([['OutBoxError', net.buyer.mailboxId, net.buyer.ecGridId]]);
  });
});
