/**
 * The routes behind the console's overview and callback table: counts and
 * health within the caller's scope, out-of-scope callbacks answering as
 * missing, and bad input named by field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { addUser, call, eventually, ok, startTestServer, type TestServer, type TestUser } from './helpers/server.js';

let server: TestServer;
let receiver: Receiver;
let partner: TestUser;
let partnerMailbox: number;
let rootCallback: number;
let partnerCallback: number;

beforeAll(async () => {
  server = await startTestServer();
  receiver = await startReceiver();
  receiver.reply('/failing', { status: 503 });
  partnerMailbox = (await ok(server, 'POST', '/v2/mailboxes/create', { networkId: 1, name: 'Partner' })).mailboxId;
  partner = await addUser(server, 'MailboxUser', 1, partnerMailbox);
  rootCallback = (
    await ok(server, 'POST', '/v2/callbacks/create', {
      mailboxId: 1,
      callBackUrl: receiver.urlFor('/failing'),
      callBackEvent: 'InBox',
      retries: 0,
    })
  ).callBackQueueId;
  partnerCallback = (
    await ok(server, 'POST', '/v2/callbacks/create', {
      mailboxId: partnerMailbox,
      callBackUrl: receiver.urlFor('/ok'),
      callBackEvent: 'InBox',
    })
  ).callBackQueueId;
  await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: rootCallback });
  await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: partnerCallback });
  await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: partnerCallback });
});

afterAll(async () => {
  await server.close();
  await receiver.close();
});

describe('GET /v2/stats/overview', () => {
  it('counts every event for Root and only its mailbox for a MailboxUser', async () => {
    const all = await eventually(async () => {
      const o = await ok(server, 'GET', '/v2/stats/overview');
      return o.lastHour.delivered === 2 && o.lastHour.failed === 1 ? o : null;
    });
    expect(all.perMinute).toHaveLength(60);
    expect(all.perMinute.reduce((sum: number, m: { delivered: number }) => sum + m.delivered, 0)).toBe(2);
    expect(all.failingCallbacks).toEqual([{ callBackQueueId: rootCallback, failed: 1 }]);
    expect(all.lastDay).toMatchObject({ delivered: 2, failed: 1 });

    const mine = await ok(server, 'GET', '/v2/stats/overview', undefined, { key: partner.key });
    expect(mine.lastHour).toMatchObject({ delivered: 2, failed: 0 });
    expect(mine.failingCallbacks).toEqual([]);
  });
});

describe('POST /v2/callbacks/health', () => {
  it('reports success rate, last status, latency and counts per callback', async () => {
    const { callbacks } = await ok(server, 'POST', '/v2/callbacks/health', {
      callBackQueueIds: [rootCallback, partnerCallback],
    });
    expect(callbacks[0]).toMatchObject({ callBackQueueId: rootCallback, attempts24h: 1, successRate24h: 0, lastHttpStatus: 503, failed: 1 });
    expect(callbacks[1]).toMatchObject({ callBackQueueId: partnerCallback, attempts24h: 2, successRate24h: 1, lastHttpStatus: 200, failed: 0 });
    expect(callbacks[1].p95LatencyMs).toBeGreaterThanOrEqual(0);
  });

  it('answers a callback outside the caller’s scope as not found', async () => {
    const answer = await call(server, 'POST', '/v2/callbacks/health', { callBackQueueIds: [partnerCallback, rootCallback] }, { key: partner.key });
    expect(answer.status).toBe(404);
    expect(answer.body.message).toBe(`Callback ${rootCallback} was not found.`);
  });

  it('names the field when the list is empty', async () => {
    const answer = await call(server, 'POST', '/v2/callbacks/health', { callBackQueueIds: [] });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/^callBackQueueIds/);
  });
});

describe('POST /v2/callbacks/queue-list filters', () => {
  it('by event type and by parcel', async () => {
    const published = await ok(server, 'POST', '/v2/callbacks/events/publish', {
      events: [{ callBackEvent: 'InBox', networkId: 1, mailboxId: partnerMailbox, ecGridId: 0, parcelId: 4242 }],
    });
    const byParcel = await ok(server, 'POST', '/v2/callbacks/queue-list', { parcelId: 4242 });
    expect(byParcel.events.map((e: { eventId: number }) => e.eventId)).toEqual(published.eventIds);
    const outBox = await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackEvent: 'OutBox' });
    expect(outBox.totalRecords).toBe(0);
    const bad = await call(server, 'POST', '/v2/callbacks/queue-list', { callBackEvent: 'Nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^callBackEvent/);
  });
});

describe('time ranges', () => {
  it('filters events by creation time and names a bad date', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const none = await ok(server, 'POST', '/v2/callbacks/queue-list', { beginDate: future });
    expect(none.totalRecords).toBe(0);
    const all = await ok(server, 'POST', '/v2/callbacks/queue-list', { endDate: future });
    expect(all.totalRecords).toBeGreaterThan(0);
    const bad = await call(server, 'POST', '/v2/callbacks/queue-list', { beginDate: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^beginDate/);
    const backwards = await call(server, 'POST', '/v2/callbacks/queue-list', { beginDate: future, endDate: '2020-01-01T00:00:00Z' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toMatch(/^endDate: must not be before beginDate/);
  });

  it('retries only the Failed events of a callback created in the range', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const none = await ok(server, 'POST', '/v2/callbacks/events/retry', {
      callBackQueueId: rootCallback,
      status: 'Failed',
      beginDate: future,
    });
    expect(none.retried).toBe(0);
    const one = await ok(server, 'POST', '/v2/callbacks/events/retry', {
      callBackQueueId: rootCallback,
      status: 'Failed',
      endDate: future,
    });
    expect(one.retried).toBe(1);
  });
});

describe('GET /v2/stats/overview?callBackQueueId', () => {
  it("counts only that callback's events, and answers a callback out of scope as missing", async () => {
    const delivered = await eventually(async () => {
      const list = await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: partnerCallback });
      return list.events.every((e: { status: string }) => e.status === 'Delivered') ? list.totalRecords : null;
    });
    const one = await ok(server, 'GET', `/v2/stats/overview?callBackQueueId=${partnerCallback}`);
    expect(one.lastHour.failed).toBe(0);
    expect(one.lastHour.delivered).toBe(delivered);
    expect(one.failingCallbacks).toEqual([]);
    const hidden = await call(server, 'GET', `/v2/stats/overview?callBackQueueId=${rootCallback}`, undefined, { key: partner.key });
    expect(hidden.status).toBe(404);
    const bad = await call(server, 'GET', '/v2/stats/overview?callBackQueueId=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/callBackQueueId/);
  });
});
