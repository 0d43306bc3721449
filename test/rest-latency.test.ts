/**
 * GET /v2/stats/latency on both stores: a callback's attempt durations per
 * bucket, from attempts of known durations recorded straight into the store
 * (the delivery engine is stopped, so no real attempt mixes in), scoped like
 * every callback route, and bad parameters named by field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime } from '../src/domain/time-format.js';
import { dropTestDatabases, postgresAvailable, SERVER_STORES } from './helpers/postgres.js';
import { addUser, call, ok, startTestServer, type TestServer, type TestUser } from './helpers/server.js';
import { attempt, claimAll, publishTo } from './store-conformance/fixtures.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

afterAll(async () => {
  if ((await postgresAvailable()).ok) await dropTestDatabases();
});

/** Publishes one event per duration, created at `createdAt`, and records one attempt of that duration for each, started at `startedAt`. */
async function attemptsOf(server: TestServer, callbackId: number, createdAt: number, startedAt: number, durations: number[]) {
  await publishTo(server.store, callbackId, durations.length, createdAt);
  const jobs = (await claimAll(server.store, 'seed', createdAt)).filter((j) => j.callbackId === callbackId);
  expect(jobs).toHaveLength(durations.length);
  await server.store.recordAttempts(
    jobs.map((job, i) => attempt(job, 'Delivered', { startedAt: startedAt + i, durationMs: durations[i]! })),
  );
}

describe.each(SERVER_STORES)('GET /v2/stats/latency on %s', (_name, databaseUrl) => {
  let server: TestServer;
  let partner: TestUser;
  let partnerCallback: number;
  let rootCallback: number;
  let minuteStart: number;

  beforeAll(async () => {
    const url = await databaseUrl();
    server = await startTestServer(url === undefined ? {} : { databaseUrl: url });
    await server.engine.stop(0);
    const mailboxId = (await ok(server, 'POST', '/v2/mailboxes/create', { networkId: 1, name: 'Partner' })).mailboxId;
    partner = await addUser(server, 'MailboxUser', 1, mailboxId);
    const create = async (mailbox: number, callBackEvent: string) =>
      (await ok(server, 'POST', '/v2/callbacks/create', { mailboxId: mailbox, callBackUrl: 'https://receiver.example/hook', callBackEvent }))
        .callBackQueueId as number;
    partnerCallback = await create(mailboxId, 'InBox');
    rootCallback = await create(1, 'OutBox');

    minuteStart = Math.floor(Date.now() / MINUTE) * MINUTE;
    // This minute: 1..20 ms, shuffled (p50 = 10th = 10, p95 = 19th = 19).
    const twenty = Array.from({ length: 20 }, (_, i) => ((i * 7) % 20) + 1);
    await attemptsOf(server, partnerCallback, minuteStart - 2 * MINUTE, minuteStart, twenty);
    // The minute before: 300, 100, 200 (p50 = 2nd = 200, p95 = 3rd = 300).
    await attemptsOf(server, partnerCallback, minuteStart - 2 * MINUTE, minuteStart - MINUTE, [300, 100, 200]);
    // Half an hour ago, a retry of an event created two hours ago: inside the hour though its event is older.
    await attemptsOf(server, partnerCallback, minuteStart - 2 * HOUR, minuteStart - 30 * MINUTE, [700]);
    // Two hours ago, an event created three hours ago: outside a 60-minute window, inside a day.
    await attemptsOf(server, partnerCallback, minuteStart - 3 * HOUR, minuteStart - 2 * HOUR, [5_000]);
    // Another callback's attempt in this minute counts only for it.
    await attemptsOf(server, rootCallback, minuteStart - 2 * MINUTE, minuteStart, [9_999]);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  const bucketAt = (buckets: { start: string }[], at: number) => buckets.find((b) => b.start === formatDateTime(at));

  it("answers the nearest-rank p50 and p95 of the callback's attempts per minute over the last hour", async () => {
    const latency = await ok(server, 'GET', `/v2/stats/latency?callBackQueueId=${partnerCallback}`, undefined, { key: partner.key });
    expect(latency.callBackQueueId).toBe(partnerCallback);
    expect(latency.bucketMinutes).toBe(1);
    expect(latency.sampled).toBe(false);
    expect(latency.buckets).toHaveLength(60);
    expect(Date.parse(latency.to) - Date.parse(latency.from)).toBe(HOUR);
    expect(bucketAt(latency.buckets, minuteStart)).toEqual({
      start: formatDateTime(minuteStart),
      attempts: 20,
      p50LatencyMs: 10,
      p95LatencyMs: 19,
    });
    expect(bucketAt(latency.buckets, minuteStart - MINUTE)).toMatchObject({ attempts: 3, p50LatencyMs: 200, p95LatencyMs: 300 });
    expect(bucketAt(latency.buckets, minuteStart - 30 * MINUTE)).toMatchObject({ attempts: 1, p50LatencyMs: 700, p95LatencyMs: 700 });
    const counted = latency.buckets.reduce((sum: number, b: { attempts: number }) => sum + b.attempts, 0);
    expect(counted).toBe(24);
    const empty = latency.buckets.find((b: { attempts: number }) => b.attempts === 0);
    expect(empty).toMatchObject({ p50LatencyMs: null, p95LatencyMs: null });
  });

  it('buckets a day by the hour', async () => {
    const latency = await ok(server, 'GET', `/v2/stats/latency?callBackQueueId=${partnerCallback}&minutes=1440&bucketMinutes=60`);
    expect(latency.buckets).toHaveLength(24);
    const twoHoursAgo = Math.floor((minuteStart - 2 * HOUR) / HOUR) * HOUR;
    expect(bucketAt(latency.buckets, twoHoursAgo)).toMatchObject({ attempts: 1, p50LatencyMs: 5_000, p95LatencyMs: 5_000 });
    expect(latency.buckets.reduce((sum: number, b: { attempts: number }) => sum + b.attempts, 0)).toBe(25);
  });

  it("answers another mailbox's callback as not found", async () => {
    const answer = await call(server, 'GET', `/v2/stats/latency?callBackQueueId=${rootCallback}`, undefined, { key: partner.key });
    expect(answer.status).toBe(404);
    expect(answer.body.message).toBe(`Callback ${rootCallback} was not found.`);
  });

  it.each([
    ['', 'callBackQueueId'],
    ['callBackQueueId=abc', 'callBackQueueId'],
    ['minutes=sixty', 'minutes'],
    ['minutes=0', 'minutes'],
    ['minutes=1441', 'minutes'],
    ['bucketMinutes=0', 'bucketMinutes'],
    ['minutes=60&bucketMinutes=7', 'bucketMinutes'],
    ['minutes=1440&bucketMinutes=1', 'bucketMinutes'],
  ])('refuses ?%s with a 400 naming %s', async (query, field) => {
    const withCallback = query.startsWith('callBackQueueId') || query === '' ? query : `callBackQueueId=${partnerCallback}&${query}`;
    const answer = await call(server, 'GET', `/v2/stats/latency?${withCallback}`);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(new RegExp(`^${field}\\b`));
  });
});
