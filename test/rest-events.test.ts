import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { call, eventually, ok, startTestServer, type TestServer } from './helpers/server.js';

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

async function createCallback(body: Record<string, unknown>): Promise<number> {
  const data = await ok(server, 'POST', '/v2/callbacks/create', { callBackEvent: 'InBox', ...body });
  return data.callBackQueueId;
}

async function eventStatus(eventId: number): Promise<string> {
  return (await ok(server, 'GET', `/v2/callbacks/events/${eventId}`)).status;
}

async function totalEvents(): Promise<number> {
  return (await ok(server, 'POST', '/v2/callbacks/queue-list', { recordsPerPage: 1 })).totalRecords;
}

describe('publish', () => {
  it('fans each event out to every Active callback whose scope matches', async () => {
    const m1 = (await ok(server, 'POST', '/v2/mailboxes/create', { name: 'fan-out one' })).mailboxId;
    const m2 = (await ok(server, 'POST', '/v2/mailboxes/create', { name: 'fan-out two' })).mailboxId;
    const e1 = (await ok(server, 'POST', '/v2/ids/create', { mailboxId: m1, qualifier: 'ZZ', id: 'FANOUT1' })).ecGridId;
    const n2 = (await ok(server, 'POST', '/v2/networks/create', { name: 'second network' })).networkId;
    const n2mailbox = (await ok(server, 'POST', '/v2/mailboxes/create', { networkId: n2, name: 'elsewhere' })).mailboxId;

    const networkWide = await createCallback({ callBackUrl: receiver.urlFor('/fan/network') });
    const mailboxOne = await createCallback({ mailboxId: m1, callBackUrl: receiver.urlFor('/fan/m1') });
    const idOne = await createCallback({ mailboxId: m1, ecGridId: e1, callBackUrl: receiver.urlFor('/fan/e1') });
    const mailboxTwo = await createCallback({ mailboxId: m2, callBackUrl: receiver.urlFor('/fan/m2') });
    await createCallback({ callBackEvent: 'OutBox', callBackUrl: receiver.urlFor('/fan/outbox') });
    await createCallback({ status: 'Suspended', callBackUrl: receiver.urlFor('/fan/suspended') });
    const otherNetwork = await createCallback({ networkId: n2, callBackUrl: receiver.urlFor('/fan/n2') });

    const result = await ok(server, 'POST', '/v2/callbacks/events/publish', {
      events: [
        { callBackEvent: 'InBox', networkId: 0, mailboxId: m1, ecGridId: e1, parcelId: 501, fileName: '850_order.edi' },
        { callBackEvent: 'InBox', networkId: 1, mailboxId: m1, ecGridId: 0, parcelId: 502 },
        { callBackEvent: 'InBox', mailboxId: m2 },
        { callBackEvent: 'InBox', networkId: n2, mailboxId: n2mailbox },
        { callBackEvent: 'ConfirmDelivery', mailboxId: m1 },
      ],
    });
    expect(result.replayed).toBe(false);
    expect(result.matched).toEqual([3, 2, 2, 1, 0]);
    expect(result.eventIds).toHaveLength(8);

    const delivered = await receiver.waitForRequests(8, { timeoutMs: 10_000 });
    const byPath = (path: string) => delivered.filter((r) => r.path === path).map((r) => r.json());
    expect(byPath('/fan/network')).toHaveLength(3);
    expect(byPath('/fan/m1')).toHaveLength(2);
    // The guide's payload fields; more may follow.
    expect(byPath('/fan/e1')).toMatchObject([
      {
        eventId: expect.any(Number),
        callBackQueueId: idOne,
        callBackEvent: 'InBox',
        ecGridId: e1,
        mailboxId: m1,
        parcelId: 501,
        fileName: '850_order.edi',
        eventDateTime: expect.any(String),
        isTest: false,
      },
    ]);
    expect(byPath('/fan/m2')).toHaveLength(1);
    expect(byPath('/fan/n2')).toHaveLength(1);
    expect(receiver.requestsTo('/fan/outbox')).toHaveLength(0);
    expect(receiver.requestsTo('/fan/suspended')).toHaveLength(0);

    const queue = await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: mailboxOne });
    expect(queue.events.map((e: any) => e.parcelId)).toEqual([502, 501]);
    expect(queue.events[0]).toMatchObject({ callBackQueueId: mailboxOne, mailboxId: m1, isTest: false });
    for (const id of [networkWide, mailboxTwo, otherNetwork]) {
      await eventually(async () => {
        const page = await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: id });
        return page.events.every((e: any) => e.status === 'Delivered');
      });
    }
  });

  it('accepts 1,000 events at once and refuses 1,001 or none', async () => {
    const mailboxId = 1;
    const event = { callBackEvent: 'OutBoxError', mailboxId, fileName: 'x.edi' };
    const thousand = await ok(server, 'POST', '/v2/callbacks/events/publish', {
      events: Array.from({ length: 1000 }, (_, i) => ({ ...event, parcelId: i })),
    });
    expect(thousand.matched).toHaveLength(1000);

    const tooMany = await call(server, 'POST', '/v2/callbacks/events/publish', {
      events: Array.from({ length: 1001 }, () => event),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ success: false, errorCode: 'InvalidParameter', data: null });
    expect(tooMany.body.message).toBe('events: must be a list of 1 to 1000 events');

    const none = await call(server, 'POST', '/v2/callbacks/events/publish', { events: [] });
    expect(none.status).toBe(400);
    expect(none.body.message).toMatch(/^events: /);
  });

  it('checks every event before writing any', async () => {
    await createCallback({ callBackUrl: receiver.urlFor('/atomic') });
    const before = await totalEvents();
    const refused = await call(server, 'POST', '/v2/callbacks/events/publish', {
      events: [
        { callBackEvent: 'InBox', mailboxId: 1 },
        { callBackEvent: 'InBox', mailboxId: 999_999 },
      ],
    });
    expect(refused.status).toBe(404);
    expect(refused.body).toMatchObject({ errorCode: 'ObjectNotFound', message: 'Mailbox 999999 was not found.' });
    const badId = await call(server, 'POST', '/v2/callbacks/events/publish', {
      events: [
        { callBackEvent: 'InBox', mailboxId: 1 },
        { callBackEvent: 'InBox', mailboxId: 1, ecGridId: 888_888 },
      ],
    });
    expect(badId.status).toBe(404);
    const missingMailbox = await call(server, 'POST', '/v2/callbacks/events/publish', {
      events: [{ callBackEvent: 'InBox', mailboxId: 1 }, { callBackEvent: 'InBox' }],
    });
    expect(missingMailbox.status).toBe(400);
    expect(missingMailbox.body.message).toMatch(/^events\[1\]\.mailboxId: is required/);
    expect(await totalEvents()).toBe(before);
  });

  it('replays an idempotency key instead of publishing twice', async () => {
    await createCallback({ callBackUrl: receiver.urlFor('/idem'), callBackEvent: 'OutBox' });
    const body = { idempotencyKey: 'batch-2026-05-07-001', events: [{ callBackEvent: 'OutBox', mailboxId: 1, parcelId: 77 }] };
    const first = await ok(server, 'POST', '/v2/callbacks/events/publish', body);
    expect(first.replayed).toBe(false);
    expect(first.eventIds.length).toBeGreaterThan(0);
    const total = await totalEvents();

    const again = await ok(server, 'POST', '/v2/callbacks/events/publish', body);
    expect(again).toEqual({ ...first, replayed: true });
    expect(await totalEvents()).toBe(total);
  });
});

describe('event detail and retries', () => {
  it('shows the attempt log of an event that failed, then was delivered', async () => {
    receiver.reply('/flaky', (_req, nth) => (nth === 1 ? { status: 500, body: 'boom' } : { status: 200 }));
    const callbackId = await createCallback({ callBackUrl: receiver.urlFor('/flaky'), callBackEvent: 'InBoxError' });
    const { eventIds } = await ok(server, 'POST', '/v2/callbacks/events/publish', {
      events: [{ callBackEvent: 'InBoxError', mailboxId: 1, parcelId: 9, fileName: 'bad.edi' }],
    });
    const eventId = eventIds[0];
    await eventually(async () => (await eventStatus(eventId)) === 'Delivered');

    const detail = await ok(server, 'GET', `/v2/callbacks/events/${eventId}`);
    expect(detail).toMatchObject({
      eventId,
      callBackQueueId: callbackId,
      callBackEvent: 'InBoxError',
      status: 'Delivered',
      attempts: 2,
      lastHttpStatus: 200,
      parcelId: 9,
      fileName: 'bad.edi',
      isTest: false,
    });
    expect(detail.attemptLog).toEqual([
      {
        attemptDateTime: expect.any(String),
        httpStatus: 500,
        error: expect.any(String),
        durationMs: expect.any(Number),
        responseHeaders: expect.stringMatching(/^connection: keep-alive$/m),
        responseBody: 'boom',
      },
      {
        attemptDateTime: expect.any(String),
        httpStatus: 200,
        error: null,
        durationMs: expect.any(Number),
        responseHeaders: expect.any(String),
        responseBody: expect.any(String),
      },
    ]);
    expect(detail.requestHeaders).toEqual([
      { name: 'content-type', value: 'application/json' },
      { name: 'user-agent', value: 'gridhook' },
      { name: 'webhook-id', value: detail.webhookId },
      { name: 'webhook-timestamp', value: expect.any(String) },
      { name: 'webhook-signature', value: expect.stringMatching(/^v1,\[masked\]/) },
    ]);
  });

  it('retries one failed event, and every failed event of a callback', async () => {
    receiver.reply('/fails', { status: 500 });
    const callbackId = await createCallback({
      callBackUrl: receiver.urlFor('/fails'),
      callBackEvent: 'ConfirmDelivery',
      retries: 0,
    });
    const { eventIds } = await ok(server, 'POST', '/v2/callbacks/events/publish', {
      events: [1, 2, 3].map((parcelId) => ({ callBackEvent: 'ConfirmDelivery', mailboxId: 1, parcelId })),
    });
    expect(eventIds).toHaveLength(3);
    await eventually(async () => {
      const failed = await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: callbackId, status: 'Failed' });
      return failed.totalRecords === 3;
    });

    receiver.reply('/fails', { status: 200 });
    const one = await ok(server, 'POST', '/v2/callbacks/events/retry', { eventId: eventIds[0] });
    expect(one).toMatchObject({ retried: 1, callBackQueueId: callbackId, event: { eventId: eventIds[0], status: 'Pending' } });
    await eventually(async () => (await eventStatus(eventIds[0])) === 'Delivered');

    const again = await call(server, 'POST', '/v2/callbacks/events/retry', { eventId: eventIds[0] });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ success: false, errorCode: 'InvalidState' });

    const rest = await ok(server, 'POST', '/v2/callbacks/events/retry', { callBackQueueId: callbackId, status: 'Failed' });
    expect(rest).toEqual({ retried: 2, callBackQueueId: callbackId, event: null });
    await eventually(async () => {
      const page = await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: callbackId });
      return page.events.every((e: any) => e.status === 'Delivered');
    });
    const detail = await ok(server, 'GET', `/v2/callbacks/events/${eventIds[1]}`);
    expect(detail.attemptLog.map((a: any) => a.httpStatus)).toEqual([500, 200]);
  });

  it('needs exactly one of eventId or callBackQueueId to retry', async () => {
    const neither = await call(server, 'POST', '/v2/callbacks/events/retry', {});
    expect(neither.status).toBe(400);
    expect(neither.body.message).toMatch(/^eventId: is required, or send callBackQueueId/);
    const both = await call(server, 'POST', '/v2/callbacks/events/retry', { eventId: 1, callBackQueueId: 1 });
    expect(both.status).toBe(400);
    expect(both.body.message).toBe('eventId: send eventId or callBackQueueId, not both');
    const wrongStatus = await call(server, 'POST', '/v2/callbacks/events/retry', { callBackQueueId: 1, status: 'Delivered' });
    expect(wrongStatus.status).toBe(400);
    expect(wrongStatus.body.message).toBe('status: must be one of Failed');
  });
});
