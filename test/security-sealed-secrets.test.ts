/**
 * Signing secrets are sealed at rest like Basic credentials, and every sealed
 * value is bound to its callback and field: a value copied into another
 * callback's row (or into another column) does not open, so the attempt fails
 * with a readable reason instead of signing with someone else's secret.
 * Databases written by older versions (plain-text secrets, credentials sealed
 * without the binding) are sealed again at start-up. On both stores.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { resealCallbacks } from '../src/services/reseal-callbacks.js';
import { openStore } from '../src/store/open-store.js';
import { describeWithPostgres } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { TEST_ENCRYPTION_KEY, testBox } from './helpers/sealing.js';
import { call, ok, startTestServer, type TestServer } from './helpers/server.js';

const BASIC = { user: 'partner-acme', password: 'b4sic-p4ssw0rd-!x' };
const SEALED = /^v2\.[0-9a-f]{8}\.[A-Za-z0-9_-]+$/;

interface SealedRow {
  secret: string;
  previous_secret: string | null;
  basic_auth: string | null;
  custom_headers: string | null;
}

/** Straight SQL on the database, past gridhook: what a dump or an attacker with write access sees and does. */
interface RawDatabase {
  row(callbackId: number): Promise<SealedRow>;
  set(callbackId: number, column: keyof SealedRow, value: string | null): Promise<void>;
  close(): Promise<void>;
}

async function openRaw(databaseUrl: string): Promise<RawDatabase> {
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new Database(databaseUrl.slice('sqlite:'.length));
    db.pragma('busy_timeout = 5000');
    return {
      async row(id) {
        return db.prepare('SELECT secret, previous_secret, basic_auth, custom_headers FROM callbacks WHERE id = ?').get(id) as SealedRow;
      },
      async set(id, column, value) {
        db.prepare(`UPDATE callbacks SET ${column} = ? WHERE id = ?`).run(value, id);
      },
      async close() {
        db.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return {
    async row(id) {
      const { rows } = await client.query<SealedRow>(
        'SELECT secret, previous_secret, basic_auth, custom_headers FROM callbacks WHERE id = $1',
        [id],
      );
      return rows[0] as SealedRow;
    },
    async set(id, column, value) {
      await client.query(`UPDATE callbacks SET ${column} = $1 WHERE id = $2`, [value, id]);
    },
    async close() {
      await client.end();
    },
  };
}

/** A value as versions before the binding sealed it: one fixed additional data for every value. */
function sealV1(plaintext: string): string {
  const key = Buffer.from(TEST_ENCRYPTION_KEY, 'base64');
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from('gridhook/callback-credentials/v1'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `v1.${testBox.keyId}.${Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64url')}`;
}

function verify(secret: string, request: { body: string; headers: Record<string, unknown> }): void {
  new Webhook(secret).verify(request.body, {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  });
}

function suite(databaseUrl: () => Promise<string>): void {
  let receiver: Receiver;
  let server: TestServer;
  let raw: RawDatabase;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startTestServer({ databaseUrl: await databaseUrl(), encryptionKey: TEST_ENCRYPTION_KEY });
    raw = await openRaw(server.config.databaseUrl);
  });
  afterAll(async () => {
    await raw?.close();
    await server?.close();
    await receiver?.close();
  });

  async function create(name: string, extra: Record<string, unknown> = {}): Promise<{ callBackQueueId: number; secret: string }> {
    return ok(server, 'POST', '/v2/callbacks/create', { callBackUrl: receiver.urlFor(`/${name}`), callBackEvent: 'InBox', ...extra });
  }

  it('keeps the signing secret sealed for its callback, and signs with it', async () => {
    const created = await create('sealed');
    const row = await raw.row(created.callBackQueueId);
    expect(row.secret).toMatch(SEALED);
    expect(row.secret).not.toContain(created.secret.slice('whsec_'.length));
    expect(testBox.open(row.secret, { callbackId: created.callBackQueueId, field: 'signing-secret' })).toBe(created.secret);

    const rotated = await ok(server, 'POST', '/v2/callbacks/rotate-secret', { callBackQueueId: created.callBackQueueId });
    const after = await raw.row(created.callBackQueueId);
    expect(after.previous_secret).toBe(row.secret);
    expect(after.secret).toMatch(SEALED);
    expect(await ok(server, 'GET', `/v2/callbacks/${created.callBackQueueId}/secret`)).toMatchObject({
      secret: rotated.secret,
      previousSecret: created.secret,
    });

    const outcome = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: created.callBackQueueId });
    expect(outcome.delivered).toBe(true);
    const [request] = await receiver.waitForRequests(1, { path: '/sealed' });
    verify(rotated.secret, request!);
    verify(created.secret, request!);
  });

  it('does not open a value copied from another callback or another field', async () => {
    const victim = await create('victim');
    const other = await create('other', { basicAuth: BASIC });
    const otherRow = await raw.row(other.callBackQueueId);
    await raw.set(victim.callBackQueueId, 'secret', otherRow.secret);

    const outcome = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: victim.callBackQueueId });
    expect(outcome.delivered).toBe(false);
    expect(outcome.error).toMatch(/^the callback's signing secret cannot be read: .*belongs to another callback or field/);
    const answer = await call(server, 'GET', `/v2/callbacks/${victim.callBackQueueId}/secret`);
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ success: false, errorCode: 'ServiceUnavailable' });
    expect(answer.body.message).toContain(`Callback ${victim.callBackQueueId}'s signing secret cannot be read`);

    // The other callback's own Basic credentials, moved into its signing secret's column.
    await raw.set(other.callBackQueueId, 'secret', otherRow.basic_auth);
    const moved = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: other.callBackQueueId });
    expect(moved.delivered).toBe(false);
    expect(moved.error).toMatch(/^the callback's signing secret cannot be read/);
    expect(receiver.requestsTo('/victim')).toHaveLength(0);
    expect(receiver.requestsTo('/other')).toHaveLength(0);
  });
}

/**
 * A database as an older version left it: a plain-text signing secret, a
 * plain-text previous secret in its grace period, and Basic credentials
 * sealed without the binding.
 */
async function legacyDatabase(databaseUrl: string): Promise<number> {
  const store = await openStore(databaseUrl, {});
  try {
    await store.migrate();
    const callback = await store.createCallback(
      {
        networkId: 1,
        mailboxId: 0,
        ecGridId: 0,
        url: 'http://127.0.0.1:9/legacy',
        eventType: 'InBox',
        frequency: 1,
        retries: 0,
        status: 'Active',
        seal: () => ({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', basicAuth: sealV1(JSON.stringify(BASIC)), customHeaders: null }),
      },
      Date.now(),
    );
    await store.rotateCallbackSecret(callback.callbackId, 'whsec_bmV3LXNlY3JldC1hZnRlci1yb3RhdGlvbg==', Date.now() + 3_600_000);
    return callback.callbackId;
  } finally {
    await store.close();
  }
}

function upgradeSuite(databaseUrl: () => Promise<string>): void {
  it('seals an older version’s plain-text secrets and unbound credentials at start-up, once', async () => {
    const url = await databaseUrl();
    const callbackId = await legacyDatabase(url);
    const receiver = await startReceiver();
    const server = await startTestServer({ databaseUrl: url, encryptionKey: TEST_ENCRYPTION_KEY });
    const raw = await openRaw(url);
    try {
      const row = await raw.row(callbackId);
      for (const value of [row.secret, row.previous_secret, row.basic_auth]) expect(value).toMatch(SEALED);
      expect(row.custom_headers).toBeNull();

      await ok(server, 'POST', '/v2/callbacks/update', { callBackQueueId: callbackId, callBackUrl: receiver.urlFor('/legacy') });
      const outcome = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: callbackId });
      expect(outcome.delivered).toBe(true);
      const [request] = await receiver.waitForRequests(1, { path: '/legacy' });
      verify('whsec_bmV3LXNlY3JldC1hZnRlci1yb3RhdGlvbg==', request!);
      verify('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', request!);
      expect(request!.headers.authorization).toBe(`Basic ${Buffer.from(`${BASIC.user}:${BASIC.password}`).toString('base64')}`);

      // A second start finds nothing to do and changes nothing.
      const again = await resealCallbacks(server.store, testBox, createLogger('silent'));
      expect(again).toEqual({ resealed: 0, unreadable: [] });
      expect(await raw.row(callbackId)).toEqual(row);
    } finally {
      await raw.close();
      await server.close();
      await receiver.close();
    }
  });
}

describe('sealed signing secrets on SQLite', () => {
  const dirs: string[] = [];
  const sqliteUrl = async (): Promise<string> => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-sealed-'));
    dirs.push(dir);
    return `sqlite:${path.join(dir, 'gridhook.db')}`;
  };
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  suite(sqliteUrl);
  upgradeSuite(sqliteUrl);
});

const availability = await postgresAvailable();
describeWithPostgres('sealed signing secrets on PostgreSQL', availability, () => {
  afterAll(() => dropTestDatabases());
  const postgresUrl = async (): Promise<string> => (await createTestDatabase()).url;
  suite(postgresUrl);
  upgradeSuite(postgresUrl);
});
