/**
 * The live REST stream (GET /v2/callbacks/events/stream) over real HTTP on
 * both stores: events as they are created and attempt outcomes as they are
 * recorded; scoped like the events list (a MailboxUser sees only its
 * mailbox, by API key and by console session alike); narrowed to one
 * callback; resumed after Last-Event-ID; and bad requests refused with the
 * REST envelope.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { describeWithPostgres } from './helpers/cluster.js';
import { openStream, type OpenStream } from './helpers/event-stream.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { MAX_STREAMS_PER_USER } from '../src/http/rest/event-stream.js';
import { addUser, call, ok, startTestServer, type TestServer } from './helpers/server.js';

const PASSWORD = 'correct horse battery';

function suite(start: () => Promise<TestServer>): void {
  let server: TestServer;
  let receiver: Receiver;
  const streams: OpenStream[] = [];

  const open = async (key: string | null, query?: string, headers: Record<string, string> = {}) => {
    const stream = await openStream(server.url, {
      ...(query !== undefined && { query }),
      headers: { ...(key !== null && { 'x-api-key': key }), ...headers },
    });
    streams.push(stream);
    return stream;
  };

  const publish = (mailboxId: number) =>
    ok(server, 'POST', '/v2/callbacks/events/publish', {
      events: [{ callBackEvent: 'InBox', networkId: 1, mailboxId, ecGridId: 0, fileName: `m${mailboxId}.edi` }],
    }).then((data) => (data.eventIds as number[])[0] as number);

  const setUp = async () => {
    server = await start();
    receiver = await startReceiver();
  };

  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await receiver.close();
    await server.close();
  });

  it('streams an event when it is created and its attempt when it is recorded', async () => {
    await setUp();
    const callback = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/ok'),
      callBackEvent: 'InBox',
    });
    const stream = await open(server.rootKey);
    const eventId = await publish(1);

    const created = await stream.waitFor((m) => m.event === 'event' && m.data.eventId === eventId);
    expect(created.data).toMatchObject({
      eventId,
      callBackQueueId: callback.callBackQueueId,
      callBackEvent: 'InBox',
      mailboxId: 1,
      fileName: 'm1.edi',
    });
    expect(created.id).toMatch(/^[0-9a-f]+\.\d+$/);
    const attempted = await stream.waitFor((m) => m.event === 'attempt' && m.data.eventId === eventId);
    expect(attempted.data).toMatchObject({
      eventId,
      callBackQueueId: callback.callBackQueueId,
      attempt: { httpStatus: 200, error: null },
      event: { eventId, status: 'Delivered', attempts: 1 },
    });

    receiver.reply('/down', { status: 503 });
    const failing = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/down'),
      callBackEvent: 'OutBox',
      retries: 0,
    });
    const test = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: failing.callBackQueueId });
    const failed = await stream.waitFor((m) => m.event === 'attempt' && m.data.eventId === test.eventId);
    expect(failed.data).toMatchObject({ attempt: { httpStatus: 503 }, event: { status: 'Failed', isTest: true } });
    expect(failed.data.attempt.error).toMatch(/503/);
  }, 30_000);

  it('shows a MailboxUser only its mailbox, by API key and by console session, and needs the console header with the cookie', async () => {
    await setUp();
    const mailbox = await ok(server, 'POST', '/v2/mailboxes/create', { networkId: 1, name: 'partner' });
    await ok(server, 'POST', '/v2/callbacks/create', { callBackUrl: receiver.urlFor('/all'), callBackEvent: 'InBox' });
    const user = await addUser(server, 'MailboxUser', 1, mailbox.mailboxId);
    const login = `stream-${mailbox.mailboxId}-${Date.now()}`;
    await ok(server, 'POST', '/v2/users/create', {
      loginName: login,
      password: PASSWORD,
      role: 'MailboxUser',
      networkId: 1,
      mailboxId: mailbox.mailboxId,
    });
    const signedIn = await call(server, 'POST', '/v2/sessions/sign-in', { loginName: login, password: PASSWORD }, { key: null });
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] as string;

    const byKey = await open(user.key);
    const bySession = await open(null, undefined, { cookie, 'x-gridhook-console': '1' });
    const root = await open(server.rootKey);
    const hidden = await publish(1);
    const own = await publish(mailbox.mailboxId);

    for (const stream of [byKey, bySession]) {
      await stream.waitFor((m) => m.event === 'attempt' && m.data.eventId === own);
    }
    await root.waitFor((m) => m.event === 'attempt' && m.data.eventId === hidden);
    await root.waitFor((m) => m.event === 'attempt' && m.data.eventId === own);
    for (const stream of [byKey, bySession]) {
      const seen = stream.messages.filter((m) => m.event === 'event' || m.event === 'attempt');
      expect(seen.map((m) => m.data.eventId)).not.toContain(hidden);
      expect(seen.every((m) => (m.data.mailboxId ?? m.data.event.mailboxId) === mailbox.mailboxId)).toBe(true);
    }

    const noHeader = await call(server, 'GET', '/v2/callbacks/events/stream', undefined, { key: null, headers: { cookie } });
    expect(noHeader.status).toBe(403);
    expect(noHeader.body).toMatchObject({ success: false, errorCode: 'AccessDenied' });
  }, 30_000);

  it('narrows to one callback, and answers a callback out of scope as not found', async () => {
    await setUp();
    const first = await ok(server, 'POST', '/v2/callbacks/create', { callBackUrl: receiver.urlFor('/a'), callBackEvent: 'InBox' });
    const second = await ok(server, 'POST', '/v2/callbacks/create', { callBackUrl: receiver.urlFor('/b'), callBackEvent: 'InBox' });
    const stream = await open(server.rootKey, `callBackQueueId=${second.callBackQueueId}`);
    await publish(1);
    await stream.waitFor((m) => m.event === 'attempt');
    const items = stream.messages.filter((m) => m.event === 'event' || m.event === 'attempt');
    expect(items.length).toBe(2);
    expect(items.every((m) => m.data.callBackQueueId === second.callBackQueueId)).toBe(true);
    expect(items.some((m) => m.data.callBackQueueId === first.callBackQueueId)).toBe(false);

    const mailbox = await ok(server, 'POST', '/v2/mailboxes/create', { networkId: 1, name: 'elsewhere' });
    const user = await addUser(server, 'MailboxUser', 1, mailbox.mailboxId);
    const refused = await call(server, 'GET', `/v2/callbacks/events/stream?callBackQueueId=${first.callBackQueueId}`, undefined, {
      key: user.key,
    });
    expect(refused.status).toBe(404);
    expect(refused.body).toMatchObject({ success: false, errorCode: 'ObjectNotFound' });
  }, 30_000);

  it('resumes after Last-Event-ID, and starts with reset when it cannot', async () => {
    await setUp();
    await ok(server, 'POST', '/v2/callbacks/create', { callBackUrl: receiver.urlFor('/r'), callBackEvent: 'InBox' });
    // A second stream stays open throughout: once it has an item, the process has read it.
    const witness = await open(server.rootKey);
    const first = await open(server.rootKey);
    const before = await publish(1);
    const seen = await first.waitFor((m) => m.event === 'attempt' && m.data.eventId === before);
    first.close();
    const missed = await publish(1);
    await witness.waitFor((m) => m.event === 'attempt' && m.data.eventId === missed);

    const resumed = await open(server.rootKey, undefined, { 'last-event-id': seen.id as string });
    const ready = resumed.messages.findIndex((m) => m.event === 'ready');
    const replayed = resumed.messages.slice(0, ready).map((m) => `${m.event} ${m.data.eventId}`);
    expect(replayed).toEqual([`event ${missed}`, `attempt ${missed}`]);
    expect(resumed.messages.some((m) => m.event === 'reset')).toBe(false);

    const lost = await open(server.rootKey, 'lastEventId=0123abcd.5');
    expect(lost.messages[0]?.event).toBe('reset');
  }, 30_000);

  it('refuses bad requests with the REST envelope', async () => {
    await setUp();
    const noKey = await call(server, 'GET', '/v2/callbacks/events/stream', undefined, { key: null });
    expect(noKey.status).toBe(401);
    expect(noKey.body.errorCode).toBe('InvalidAPIKey');
    const badId = await call(server, 'GET', '/v2/callbacks/events/stream?callBackQueueId=abc');
    expect(badId.status).toBe(400);
    expect(badId.body.errorCode).toBe('InvalidParameter');
    expect(badId.body.message).toMatch(/callBackQueueId/);
  }, 30_000);

  it('lets one user hold a bounded number of streams at once', async () => {
    await setUp();
    const user = await addUser(server, 'NetworkUser', 1);
    const held = [];
    for (let i = 0; i < MAX_STREAMS_PER_USER; i++) held.push(await open(user.key));
    const refused = await call(server, 'GET', '/v2/callbacks/events/stream', undefined, { key: user.key });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ success: false, errorCode: 'RateLimitExceeded' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await open(server.rootKey)).status).toBe(200);

    held[0]!.close();
    await held[0]!.ended;
    for (let i = 0; i < 100; i++) {
      const again = await call(server, 'GET', '/v2/callbacks/events/stream', undefined, { key: user.key });
      if (again.status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('a closed stream did not free its place');
  }, 30_000);
}

describe('the live event stream on SQLite', () => suite(() => startTestServer()));

const availability = await postgresAvailable();
describeWithPostgres('the live event stream on PostgreSQL', availability, () => {
  afterAll(() => dropTestDatabases());
  suite(async () => startTestServer({ databaseUrl: (await createTestDatabase()).url }));
});
