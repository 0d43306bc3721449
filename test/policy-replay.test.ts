/**
 * Replay ("recover"), end to end on both stores with a real receiver: after
 * an outage, POST /v2/callbacks/events/replay sends the span's Failed events
 * again (Delivered and Canceled ones when asked) as new attempts of the same
 * events, with the same webhook-id, in bounded batches whose progress GET
 * reports. Bad requests answer 400 naming the field; another network's
 * callback or replay is not found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithPostgres } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { addUser, call, eventually, ok, startTestServer, type TestServer } from './helpers/server.js';

const REPLAY = '/v2/callbacks/events/replay';

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

  async function failedHistory(path: string, count: number) {
    receiver.reply(path, { status: 500 });
    const { networkId } = await ok(server, 'POST', '/v2/networks/create', { name: path });
    const { mailboxId } = await ok(server, 'POST', '/v2/mailboxes/create', { networkId, name: path });
    const { callBackQueueId } = await ok(server, 'POST', '/v2/callbacks/create', {
      networkId,
      callBackEvent: 'InBox',
      callBackUrl: receiver.urlFor(path),
      retries: 0,
    });
    const published: number[] = [];
    for (let from = 0; from < count; from += 1_000) {
      const batch = Math.min(1_000, count - from);
      const { eventIds } = await ok(server, 'POST', '/v2/callbacks/events/publish', {
        events: Array.from({ length: batch }, (_, i) => ({ callBackEvent: 'InBox', networkId, mailboxId, parcelId: from + i + 1 })),
      });
      published.push(...eventIds);
    }
    await eventually(async () => {
      const page = await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId, status: 'Failed', recordsPerPage: 500, pageNo: 3 });
      return page.totalRecords === count;
    }, 60_000);
    return { networkId, callbackId: callBackQueueId as number, eventIds: published };
  }

  // More events than one replay batch (1,000), so the job takes several.
  it('sends every Failed event of the span again, with the same webhook-id, and reports its progress', { timeout: 120_000 }, async () => {
    const count = 1_500;
    const { callbackId, eventIds } = await failedHistory('/outage', count);
    const first = await ok(server, 'GET', `/v2/callbacks/events/${eventIds[0]}`);
    const since = new Date(Date.parse(first.eventDateTime) - 1_000).toISOString();

    receiver.reply('/outage', { status: 200 });
    const before = receiver.requestsTo('/outage').length;
    const job = await ok(server, 'POST', REPLAY, { callBackQueueId: callbackId, since });
    expect(job).toMatchObject({ replayId: expect.any(Number), callBackQueueId: callbackId, statuses: ['Failed'] });

    const done = await eventually(async () => {
      const progress = await ok(server, 'GET', `${REPLAY}/${job.replayId}`);
      return progress.status === 'Completed' && progress;
    }, 60_000);
    expect(done).toMatchObject({ replayed: count, scanned: count, lastEventId: eventIds.at(-1), finishedAt: expect.any(String) });

    const again = await receiver.waitForRequests(before + count, { path: '/outage', timeoutMs: 60_000 });
    const resent = again.slice(before);
    expect(new Set(resent.map((r) => r.json().eventId))).toEqual(new Set(eventIds));
    const original = receiver.requestsTo('/outage').find((r) => r.json().eventId === eventIds[0])!;
    const replayed = resent.find((r) => r.json().eventId === eventIds[0])!;
    expect(replayed.headers['webhook-id']).toBe(original.headers['webhook-id']);
    const event = await eventually(async () => {
      const e = await ok(server, 'GET', `/v2/callbacks/events/${eventIds[0]}`);
      return e.status === 'Delivered' && e;
    });
    expect(event.attemptLog).toHaveLength(2);
  });

  it('sends Delivered events again only when asked, and only those in the span', async () => {
    const { callbackId, eventIds } = await failedHistory('/asked', 3);
    receiver.reply('/asked', { status: 200 });
    const firstReplay = await ok(server, 'POST', REPLAY, {
      callBackQueueId: callbackId,
      since: '2000-01-01T00:00:00Z',
    });
    await eventually(async () => (await ok(server, 'GET', `${REPLAY}/${firstReplay.replayId}`)).status === 'Completed');
    await receiver.waitForRequests(6, { path: '/asked' });
    await eventually(async () => {
      const page = await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: callbackId, status: 'Delivered' });
      return page.totalRecords === 3;
    });

    const failedOnly = await ok(server, 'POST', REPLAY, { callBackQueueId: callbackId, since: '2000-01-01T00:00:00Z' });
    const nothing = await eventually(async () => {
      const progress = await ok(server, 'GET', `${REPLAY}/${failedOnly.replayId}`);
      return progress.status === 'Completed' && progress;
    });
    expect(nothing).toMatchObject({ replayed: 0, scanned: 3 });

    const both = await ok(server, 'POST', REPLAY, {
      callBackQueueId: callbackId,
      since: '2000-01-01T00:00:00Z',
      until: new Date(Date.now() + 60_000).toISOString(),
      statuses: ['Delivered', 'Failed'],
    });
    await eventually(async () => (await ok(server, 'GET', `${REPLAY}/${both.replayId}`)).replayed === 3);
    const third = await receiver.waitForRequests(9, { path: '/asked' });
    expect(new Set(third.slice(6).map((r) => r.json().eventId))).toEqual(new Set(eventIds));
  });

  it('refuses bad requests with a 400 naming the field', async () => {
    const { callbackId } = await failedHistory('/bad', 1);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ callBackQueueId: callbackId }, /since/],
      [{ callBackQueueId: callbackId, since: 'Tuesday 14:00' }, /since/],
      [{ callBackQueueId: callbackId, since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' }, /until/],
      [{ callBackQueueId: callbackId, since: '2026-01-01T00:00:00Z', statuses: [] }, /statuses/],
      [{ callBackQueueId: callbackId, since: '2026-01-01T00:00:00Z', statuses: ['Pending'] }, /statuses/],
      [{ callBackQueueId: callbackId, since: '2026-01-01T00:00:00Z', statuses: ['Failed', 'Failed'] }, /statuses/],
      [{ since: '2026-01-01T00:00:00Z' }, /callBackQueueId/],
    ];
    for (const [body, field] of cases) {
      const response = await call(server, 'POST', REPLAY, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body).toMatchObject({ success: false, errorCode: 'InvalidParameter', message: expect.stringMatching(field) });
    }
  });

  it("hides other networks' callbacks and replays", async () => {
    const { callbackId } = await failedHistory('/private', 1);
    const job = await ok(server, 'POST', REPLAY, { callBackQueueId: callbackId, since: '2000-01-01T00:00:00Z' });
    const { networkId } = await ok(server, 'POST', '/v2/networks/create', { name: 'outsider' });
    const outsider = await addUser(server, 'NetworkAdmin', networkId);
    const denied = await call(server, 'POST', REPLAY, { callBackQueueId: callbackId, since: '2000-01-01T00:00:00Z' }, { key: outsider.key });
    expect(denied.status).toBe(404);
    expect((await call(server, 'GET', `${REPLAY}/${job.replayId}`, undefined, { key: outsider.key })).status).toBe(404);
    expect((await call(server, 'GET', `${REPLAY}/999999`)).status).toBe(404);
  });
}

describe('replay on SQLite', () => suite(() => startTestServer()));

const availability = await postgresAvailable();
describeWithPostgres('replay on PostgreSQL', availability, () => {
  afterAll(() => dropTestDatabases());
  suite(async () => startTestServer({ databaseUrl: (await createTestDatabase()).url }));
});
