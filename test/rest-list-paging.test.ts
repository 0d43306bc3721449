/**
 * Paging through events by cursor over REST, on both stores: every event once,
 * newest first, with totals that say when they are lower bounds, and a clear
 * 400 for a cursor the API did not give or a cursor sent with a pageNo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithPostgres } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { call, ok, startTestServer, type TestServer } from './helpers/server.js';

function suite(databaseUrl: () => Promise<string | null>): void {
  let server: TestServer;
  let callbackId: number;
  let published: number[];

  beforeAll(async () => {
    const url = await databaseUrl();
    server = await startTestServer(url === null ? {} : { databaseUrl: url });
    // Nothing listens there: the events stay in the queue, whatever their attempts do.
    callbackId = (
      await ok(server, 'POST', '/v2/callbacks/create', { callBackUrl: 'http://127.0.0.1:9/never', callBackEvent: 'InBox' })
    ).callBackQueueId;
    published = [];
    for (let i = 0; i < 3; i++) {
      const { eventIds } = await ok(server, 'POST', '/v2/callbacks/events/publish', {
        events: Array.from({ length: 10 }, () => ({ callBackEvent: 'InBox', mailboxId: 1 })),
      });
      published.push(...eventIds);
    }
  });

  afterAll(async () => {
    await server?.close();
  });

  it('walks every event once, newest first, by nextCursor', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: any = await ok(server, 'POST', '/v2/callbacks/queue-list', {
        callBackQueueId: callbackId,
        recordsPerPage: 7,
        ...(cursor && { cursor }),
      });
      // After a cursor the total only looks one record past the page.
      const left = published.length - seen.length;
      expect([page.totalRecords, page.totalRecordsExact]).toEqual(cursor === null ? [30, true] : [Math.min(left, 8), left < 8]);
      seen.push(...page.events.map((e: { eventId: number }) => e.eventId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(5);
    expect(seen).toEqual([...published].sort((a, b) => b - a));
  });

  it('gives the first page by pageNo its total and a cursor to go on from', async () => {
    const page = await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: callbackId, recordsPerPage: 25 });
    expect(page).toMatchObject({ totalRecords: 30, totalRecordsExact: true, pageNo: 1, recordsPerPage: 25 });
    const next = await ok(server, 'POST', '/v2/callbacks/queue-list', {
      callBackQueueId: callbackId,
      recordsPerPage: 25,
      cursor: page.nextCursor,
    });
    expect(next.events).toHaveLength(5);
    expect(next.nextCursor).toBeNull();
    const last = await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: callbackId, pageNo: 2, recordsPerPage: 25 });
    expect(last.nextCursor).toBeNull();
  });

  it('refuses a cursor it did not give, naming the field and the fix', async () => {
    for (const cursor of ['not a cursor!', 'YWJj', Buffer.from('c1.12.0').toString('base64url'), 'x'.repeat(65)]) {
      const answer = await call(server, 'POST', '/v2/callbacks/queue-list', { cursor });
      expect(answer.status, cursor).toBe(400);
      expect(answer.body).toMatchObject({ success: false, errorCode: 'InvalidParameter', message: expect.stringMatching(/^cursor/) });
    }
    const page = await ok(server, 'POST', '/v2/callbacks/queue-list', { recordsPerPage: 2 });
    const both = await call(server, 'POST', '/v2/callbacks/queue-list', { cursor: page.nextCursor, pageNo: 2 });
    expect(both.status).toBe(400);
    expect(both.body.message).toMatch(/^pageNo: send pageNo or cursor, not both/);
  });
}

describe('event lists by cursor on SQLite', () => {
  suite(async () => null);
});

const availability = await postgresAvailable();
describeWithPostgres('event lists by cursor on PostgreSQL', availability, () => {
  afterAll(() => dropTestDatabases());
  suite(async () => (await createTestDatabase()).url);
});
