/**
 * Ordered (FIFO) delivery over REST, on both stores with a real receiver:
 * ordering, orderingKey and onFailure are taken on create and update and
 * answered by GET and list; bad values answer 400 naming the field. With
 * onFailure "block" an event Failed for good holds its key (a callback
 * without ordering, fed the same failures, goes on meanwhile) until it is
 * skipped or retried; with "skip" the key moves on by itself. The skip route
 * answers 400 for bad input and 404 for an unknown event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithPostgres } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { call, eventually, ok, startTestServer, type TestServer } from './helpers/server.js';

function suite(start: () => Promise<TestServer>): void {
  let server: TestServer;
  let receiver: Receiver;

  beforeAll(async () => {
    server = await start();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  /** A network and mailbox of its own, so that each test's events reach only its callbacks. */
  async function place(name: string): Promise<{ networkId: number; mailboxId: number }> {
    const { networkId } = await ok(server, 'POST', '/v2/networks/create', { name });
    const { mailboxId } = await ok(server, 'POST', '/v2/mailboxes/create', { networkId, name });
    return { networkId, mailboxId };
  }

  async function publish(where: { networkId: number; mailboxId: number }, count: number): Promise<number[]> {
    const { eventIds } = await ok(server, 'POST', '/v2/callbacks/events/publish', {
      events: Array.from({ length: count }, () => ({ callBackEvent: 'InBox', ...where })),
    });
    return eventIds as number[];
  }

  const eventIdsAt = (path: string) => receiver.requestsTo(path).map((r) => r.json<{ eventId: number }>().eventId);
  const statusOf = async (eventId: number) => (await ok(server, 'GET', `/v2/callbacks/events/${eventId}`)).status as string;

  it('takes ordering, orderingKey and onFailure on create and update, and answers them', async () => {
    const plain = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackEvent: 'InBox',
      callBackUrl: receiver.urlFor('/fields'),
    });
    expect(plain).toMatchObject({ ordering: 'none', orderingKey: 'callback', onFailure: 'block' });
    const created = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackEvent: 'InBox',
      callBackUrl: receiver.urlFor('/fields'),
      ordering: 'fifo',
      orderingKey: 'partner',
      onFailure: 'skip',
    });
    expect(created).toMatchObject({ ordering: 'fifo', orderingKey: 'partner', onFailure: 'skip' });
    const id = created.callBackQueueId;
    expect(await ok(server, 'GET', `/v2/callbacks/${id}`)).toMatchObject({ ordering: 'fifo', orderingKey: 'partner', onFailure: 'skip' });
    const listed = await ok(server, 'POST', '/v2/callbacks/list', { recordsPerPage: 100 });
    const records = (listed.records ?? listed.callBacks ?? listed) as { callBackQueueId: number }[];
    expect(JSON.stringify(records)).toContain('"orderingKey":"partner"');
    expect(
      await ok(server, 'POST', '/v2/callbacks/update', { callBackQueueId: id, orderingKey: 'callback', onFailure: 'block' }),
    ).toMatchObject({ ordering: 'fifo', orderingKey: 'callback', onFailure: 'block' });
    expect(await ok(server, 'POST', '/v2/callbacks/update', { callBackQueueId: id, ordering: 'none' })).toMatchObject({
      ordering: 'none',
    });
  });

  it('refuses unknown orderings, keys and failure policies with a 400 naming the field', async () => {
    const { callBackQueueId } = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackEvent: 'InBox',
      callBackUrl: receiver.urlFor('/fields'),
    });
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ordering: 'lifo' }, /^ordering: /],
      [{ ordering: 7 }, /^ordering: /],
      [{ orderingKey: 'sender' }, /^orderingKey: /],
      [{ onFailure: 'retry' }, /^onFailure: /],
    ];
    for (const [body, message] of cases) {
      for (const [route, base] of [
        ['/v2/callbacks/create', { callBackEvent: 'InBox', callBackUrl: receiver.urlFor('/fields') }],
        ['/v2/callbacks/update', { callBackQueueId }],
      ] as const) {
        const response = await call(server, 'POST', route, { ...base, ...body });
        expect(response.status, `${route} ${JSON.stringify(body)}`).toBe(400);
        expect(response.body).toMatchObject({ success: false, errorCode: 'InvalidParameter', message: expect.stringMatching(message) });
      }
    }
  });

  it('answers 400 naming eventId for a bad skip and 404 for an unknown event', async () => {
    for (const body of [{}, { eventId: 'seven' }, { eventId: 0 }, { eventId: 1.5 }]) {
      const response = await call(server, 'POST', '/v2/callbacks/events/skip', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.message).toMatch(/^eventId/);
    }
    const unknown = await call(server, 'POST', '/v2/callbacks/events/skip', { eventId: 987_654_321 });
    expect(unknown.status).toBe(404);
  });

  it('holds a key behind a Failed event until it is skipped, then retried events go in order', async () => {
    receiver.reply('/blocked', { status: 500 });
    receiver.reply('/unordered', { status: 500 });
    const where = await place('fifo-block');
    const fifo = await ok(server, 'POST', '/v2/callbacks/create', {
      ...where,
      callBackEvent: 'InBox',
      callBackUrl: receiver.urlFor('/blocked'),
      retries: 0,
      ordering: 'fifo',
    });
    await ok(server, 'POST', '/v2/callbacks/create', {
      ...where,
      callBackEvent: 'InBox',
      callBackUrl: receiver.urlFor('/unordered'),
      retries: 0,
    });
    const ids = await publish(where, 3);
    const fifoIds = ids.filter((_, i) => i % 2 === 0);
    const unorderedIds = ids.filter((_, i) => i % 2 === 1);
    expect(fifoIds).toHaveLength(3);
    // The unordered callback sends all three (and they fail) while the FIFO one is held after its first.
    await receiver.waitForRequests(3, { path: '/unordered' });
    await eventually(async () => (await Promise.all(unorderedIds.map(statusOf))).every((s) => s === 'Failed'));
    await eventually(async () => (await statusOf(fifoIds[0]!)) === 'Failed');
    expect(eventIdsAt('/blocked')).toEqual([fifoIds[0]]);
    expect(await statusOf(fifoIds[1]!)).toBe('Pending');
    expect(await statusOf(fifoIds[2]!)).toBe('Pending');
    expect(fifo.onFailure).toBe('block');

    receiver.reply('/blocked', { status: 200 });
    const skipped = await ok(server, 'POST', '/v2/callbacks/events/skip', { eventId: fifoIds[0] });
    expect(skipped).toMatchObject({ eventId: fifoIds[0], status: 'Canceled' });
    await receiver.waitForRequests(3, { path: '/blocked' });
    expect(eventIdsAt('/blocked')).toEqual(fifoIds);
    await eventually(async () => (await statusOf(fifoIds[2]!)) === 'Delivered');
    // Only Pending or Failed events can be skipped.
    const again = await call(server, 'POST', '/v2/callbacks/events/skip', { eventId: fifoIds[2] });
    expect(again.status).toBe(409);
    expect(again.body.errorCode).toBe('InvalidState');
  });

  it('holds a key behind a Failed event until it is retried', async () => {
    receiver.reply('/retried', (_request, nth) => (nth === 1 ? { status: 500 } : {}));
    const where = await place('fifo-retry');
    await ok(server, 'POST', '/v2/callbacks/create', {
      ...where,
      callBackEvent: 'InBox',
      callBackUrl: receiver.urlFor('/retried'),
      retries: 0,
      ordering: 'fifo',
    });
    const ids = await publish(where, 3);
    await eventually(async () => (await statusOf(ids[0]!)) === 'Failed');
    expect(await statusOf(ids[1]!)).toBe('Pending');
    await ok(server, 'POST', '/v2/callbacks/events/retry', { eventId: ids[0] });
    await receiver.waitForRequests(4, { path: '/retried' });
    expect(eventIdsAt('/retried')).toEqual([ids[0], ids[0], ids[1], ids[2]]);
  });

  it('moves a key on past a Failed event when onFailure is skip', async () => {
    receiver.reply('/skipping', (request) => (request.json<{ eventId: number }>().eventId % 2 === 0 ? { status: 500 } : {}));
    const where = await place('fifo-skip');
    await ok(server, 'POST', '/v2/callbacks/create', {
      ...where,
      callBackEvent: 'InBox',
      callBackUrl: receiver.urlFor('/skipping'),
      retries: 0,
      ordering: 'fifo',
      onFailure: 'skip',
    });
    const ids = await publish(where, 6);
    await receiver.waitForRequests(6, { path: '/skipping' });
    expect(eventIdsAt('/skipping')).toEqual(ids);
    await eventually(async () => (await statusOf(ids[5]!)) !== 'Pending');
    expect(await Promise.all(ids.map(statusOf))).toEqual(ids.map((id) => (id % 2 === 0 ? 'Failed' : 'Delivered')));
  });
}

describe('ordered delivery on SQLite', () => suite(() => startTestServer()));

const availability = await postgresAvailable();
describeWithPostgres('ordered delivery on PostgreSQL', availability, () => {
  afterAll(dropTestDatabases);
  suite(async () => startTestServer({ databaseUrl: (await createTestDatabase()).url }));
});
