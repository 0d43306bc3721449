/**
 * Idempotency keys as Stripe's behave: a key is bound to its first request,
 * so the same key with a different request is 409 IdempotencyConflict rather
 * than a silent replay of the first answer; and keys are kept per network the
 * events go into, so two networks (Root's publishes included) never collide.
 * On both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithPostgres } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { call, ok, startTestServer, type TestServer } from './helpers/server.js';

const PUBLISH = '/v2/callbacks/events/publish';

function suite(start: () => Promise<TestServer>): void {
  let server: TestServer;
  let north: { networkId: number; mailboxId: number };
  let south: { networkId: number; mailboxId: number };
  beforeAll(async () => {
    server = await start();
    for (const name of ['north', 'south']) {
      const network = await ok(server, 'POST', '/v2/networks/create', { name });
      const mailbox = await ok(server, 'POST', '/v2/mailboxes/create', { networkId: network.networkId, name });
      await ok(server, 'POST', '/v2/callbacks/create', {
        networkId: network.networkId,
        callBackUrl: 'http://127.0.0.1:9/hook',
        callBackEvent: 'InBox',
      });
      const scope = { networkId: network.networkId, mailboxId: mailbox.mailboxId };
      if (name === 'north') north = scope;
      else south = scope;
    }
  });
  afterAll(() => server?.close());

  const publish = (idempotencyKey: string, scope: { networkId: number; mailboxId: number }, parcelId: number) =>
    call(server, 'POST', PUBLISH, { idempotencyKey, events: [{ callBackEvent: 'InBox', ...scope, parcelId }] });

  it('replays the same request and refuses a different one with 409 IdempotencyConflict', async () => {
    const first = await publish('order-1', north, 1);
    expect(first.status).toBe(200);
    const again = await publish('order-1', north, 1);
    expect(again.body.data).toEqual({ ...first.body.data, replayed: true });

    const other = await publish('order-1', north, 2);
    expect(other.status).toBe(409);
    expect(other.body).toEqual({
      success: false,
      errorCode: 'IdempotencyConflict',
      message: expect.stringMatching(/^idempotencyKey: "order-1" was already used with a different request/),
      data: null,
    });
  });

  it('keeps keys per network the events go into, for Root too', async () => {
    const intoNorth = await publish('batch-7', north, 7);
    const intoSouth = await publish('batch-7', south, 7);
    expect(intoNorth.body.data.replayed).toBe(false);
    expect(intoSouth.status).toBe(200);
    expect(intoSouth.body.data.replayed).toBe(false);
    expect(intoSouth.body.data.eventIds).not.toEqual(intoNorth.body.data.eventIds);
  });
}

describe('idempotency keys on SQLite', () => suite(() => startTestServer()));

const availability = await postgresAvailable();
describeWithPostgres('idempotency keys on PostgreSQL', availability, () => {
  afterAll(() => dropTestDatabases());
  suite(async () => startTestServer({ databaseUrl: (await createTestDatabase()).url }));
});
