/**
 * A receiver's 429 with Retry-After, end to end on both stores: it slows the
 * callback as a whole (nothing of it is sent before the time asked, not just
 * the refused event) and uses none of the event's retries; other callbacks
 * go on. A 429 without Retry-After, or a 503 with one, is an ordinary failed
 * attempt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithPostgres } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { eventually, ok, startTestServer, type TestServer } from './helpers/server.js';

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

  async function callbackIn(path: string, body: Record<string, unknown> = {}) {
    const { networkId } = await ok(server, 'POST', '/v2/networks/create', { name: path });
    const { mailboxId } = await ok(server, 'POST', '/v2/mailboxes/create', { networkId, name: path });
    const { callBackQueueId } = await ok(server, 'POST', '/v2/callbacks/create', {
      networkId,
      callBackEvent: 'InBox',
      callBackUrl: receiver.urlFor(path),
      ...body,
    });
    const publish = (count: number) =>
      ok(server, 'POST', '/v2/callbacks/events/publish', {
        events: Array.from({ length: count }, (_, i) => ({ callBackEvent: 'InBox', networkId, mailboxId, parcelId: i + 1 })),
      });
    return { callbackId: callBackQueueId as number, publish };
  }

  it('pauses the whole callback until Retry-After, without using a retry', async () => {
    receiver.reply('/busy', (_request, nth) => (nth === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 }));
    receiver.reply('/bystander', { status: 200 });
    const busy = await callbackIn('/busy', { retries: 0 });
    const bystander = await callbackIn('/bystander');

    const { eventIds } = await busy.publish(1);
    const [refused] = await receiver.waitForRequests(1, { path: '/busy' });
    const paused = await eventually(async () => {
      const view = await ok(server, 'GET', `/v2/callbacks/${busy.callbackId}`);
      return view.pausedUntil !== null && view;
    });
    const pausedUntil = Date.parse(paused.pausedUntil);
    expect(pausedUntil).toBeGreaterThanOrEqual(refused!.receivedAt + 1_000);

    // Published during the pause: it waits too, while another callback's events go out.
    const later = await busy.publish(3);
    await bystander.publish(2);
    await receiver.waitForRequests(2, { path: '/bystander' });
    const all = await receiver.waitForRequests(1 + 4, { path: '/busy' });
    for (const request of all.slice(1)) expect(request.receivedAt).toBeGreaterThanOrEqual(pausedUntil - 1);
    expect(new Set(all.slice(1).map((r) => r.json().eventId))).toEqual(new Set([...eventIds, ...later.eventIds]));

    // retries 0: had the 429 used a retry, this event would be Failed.
    const event = await eventually(async () => {
      const e = await ok(server, 'GET', `/v2/callbacks/events/${eventIds[0]}`);
      return e.status === 'Delivered' && e;
    });
    expect(event.attemptLog.map((a: { httpStatus: number }) => a.httpStatus)).toEqual([429, 200]);
  });

  it('counts a 429 without Retry-After as a failed attempt', async () => {
    receiver.reply('/plain', { status: 429 });
    const plain = await callbackIn('/plain', { retries: 0 });
    const { eventIds } = await plain.publish(1);
    await eventually(async () => (await ok(server, 'GET', `/v2/callbacks/events/${eventIds[0]}`)).status === 'Failed');
    expect((await ok(server, 'GET', `/v2/callbacks/${plain.callbackId}`)).pausedUntil).toBeNull();
  });
}

describe('receiver pause on SQLite', () => suite(() => startTestServer()));

const availability = await postgresAvailable();
describeWithPostgres('receiver pause on PostgreSQL', availability, () => {
  afterAll(() => dropTestDatabases());
  suite(async () => startTestServer({ databaseUrl: (await createTestDatabase()).url }));
});
