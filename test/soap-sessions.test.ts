/**
 * SOAP sessions end to end: Login with a password, the session ID standing in for an API key (and
 * an API key for a session ID), Logout, the idle timeout sliding with use, users suspended
 * mid-session, and sessions shared by API processes on one database (SQLite file, PostgreSQL).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { createLogger } from '../src/logger.js';
import { generateApiKey } from '../src/services/api-keys.js';
import { createServices } from '../src/services/index.js';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { ok, startTestServer, type TestServer } from './helpers/server.js';
import {
  addLoginUser,
  ECGRIDOS_NS,
  GUIDE_NS,
  login,
  soapCall,
  soapFault,
  soapOk,
  type LoginUser,
} from './helpers/soap.js';
import { testBox } from './helpers/sealing.js';

const RECEIVER = 'https://receiver.example/hooks';

function addCallback(server: Pick<TestServer, 'url'>, sessionId: string) {
  return soapOk(server, GUIDE_NS, 'CallBackAdd', {
    SessionID: sessionId,
    NetworkID: 0,
    MailboxID: 0,
    ECGridID: 0,
    CallBackURL: RECEIVER,
    CallBackEvent: 'InBox',
    Frequency: 1,
    Retries: 3,
  });
}

describe('Login, the session ID and Logout', () => {
  let server: TestServer;
  let user: LoginUser;

  beforeAll(async () => {
    server = await startTestServer();
    const network = await ok(server, 'POST', '/v2/networks/create', { name: 'Sessions VAN' });
    user = await addLoginUser(server, 'NetworkAdmin', network.networkId);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('logs in over either contract with a fresh, high-entropy session ID each time', async () => {
    const ids = [await login(server, user, GUIDE_NS), await login(server, user, ECGRIDOS_NS), await login(server, user)];
    for (const id of ids) expect(id).toMatch(/^ghs_[A-Za-z0-9_-]{43}$/);
    expect(new Set(ids).size).toBe(3);
  });

  it('stores only the SHA-256 of a session ID', async () => {
    const sessionId = await login(server, user);
    const raw = new Database(server.config.databaseUrl.replace(/^sqlite:/, ''), { readonly: true });
    try {
      const hashes = raw.prepare('SELECT token_hash FROM sessions').pluck().all() as string[];
      expect(hashes).toContain(createHash('sha256').update(sessionId).digest('hex'));
      expect(JSON.stringify(raw.prepare('SELECT * FROM sessions').all())).not.toContain(sessionId.slice(4));
    } finally {
      raw.close();
    }
  });

  it('acts as the user, in the user’s network, until Logout ends it', async () => {
    const sessionId = await login(server, user);
    const added = await addCallback(server, sessionId);
    expect(added).toMatchObject({ NetworkID: String(user.networkId), Status: 'Active' });

    const who = await soapOk(server, ECGRIDOS_NS, 'WhoAmI', { SessionID: sessionId });
    expect(who).toMatchObject({
      SessionID: sessionId,
      UserID: String(user.userId),
      LoginName: user.loginName,
      AuthLevel: 'NetworkAdmin',
      NetworkID: String(user.networkId),
      MailboxID: '0',
      OpenSessions: '1',
      TimeOut: '20',
    });

    expect(await soapOk(server, GUIDE_NS, 'Logout', { SessionID: sessionId })).toBe('true');
    const fault = await soapFault(server, GUIDE_NS, 'CallBackAdd', {
      SessionID: sessionId,
      CallBackURL: RECEIVER,
      CallBackEvent: 'InBox',
    });
    expect(fault.faultcode).toBe('soap:Client');
    expect(fault.detail.ErrorInfo).toMatchObject({ ErrorCode: 'InvalidAPIKey', ErrorItem: 'SessionID' });
    expect(fault.faultstring).toMatch(/ended by Logout.*Call Login for a new one/);
    // A second Logout, or one of an unknown session, is not an error: there is nothing left to end.
    expect(await soapOk(server, GUIDE_NS, 'Logout', { SessionID: sessionId })).toBe('false');
    expect(await soapOk(server, GUIDE_NS, 'Logout', { SessionID: 'YOUR_SESSION_ID' })).toBe('false');
  });

  it('answers the ECGridOS Logout with the session’s length in milliseconds', async () => {
    const sessionId = await login(server, user, ECGRIDOS_NS);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const length = Number(await soapOk(server, ECGRIDOS_NS, 'Logout', { SessionID: sessionId }));
    expect(length).toBeGreaterThanOrEqual(25);
    expect(length).toBeLessThan(10_000);
    expect(await soapOk(server, ECGRIDOS_NS, 'Logout', { SessionID: sessionId })).toBe('0');
  });

  it('refuses a wrong password, an unknown login and a suspended user alike', async () => {
    const suspended = await addLoginUser(server, 'NetworkUser', user.networkId);
    await server.store.updateUserStatus(suspended.userId, 'Suspended');
    const attempts = [
      { LoginName: user.loginName, Password: 'wrong' },
      { LoginName: 'nobody-by-this-name', Password: user.password },
      { LoginName: suspended.loginName, Password: suspended.password },
    ];
    const faults = await Promise.all(attempts.map((p) => soapFault(server, GUIDE_NS, 'Login', p)));
    for (const fault of faults) {
      expect(fault.faultcode).toBe('soap:Client');
      expect(fault.detail.ErrorInfo.ErrorCode).toBe('InvalidAPIKey');
      expect(fault.faultstring).toBe(faults[0]!.faultstring);
      expect(fault.faultstring).not.toContain('nobody');
    }
    const missing = await soapFault(server, GUIDE_NS, 'Login', { LoginName: user.loginName });
    expect(missing.detail.ErrorInfo).toMatchObject({ ErrorCode: 'InvalidParameter', ErrorItem: 'Password' });
  });

  it('ends the sessions of a user who is suspended', async () => {
    const other = await addLoginUser(server, 'NetworkUser', user.networkId);
    const sessionId = await login(server, other);
    await soapOk(server, ECGRIDOS_NS, 'WhoAmI', { SessionID: sessionId });
    await server.store.updateUserStatus(other.userId, 'Suspended');
    const fault = await soapFault(server, ECGRIDOS_NS, 'WhoAmI', { SessionID: sessionId });
    expect(fault.detail.ErrorInfo).toMatchObject({ ErrorCode: 'InvalidAPIKey', ErrorItem: 'SessionID' });
  });

  it('takes an API key wherever a session ID goes, never echoes it, and Logout leaves it valid', async () => {
    const added = await addCallback(server, server.rootKey);
    expect(added).toMatchObject({ NetworkID: '1' });
    const who = await soapOk(server, ECGRIDOS_NS, 'WhoAmI', { SessionID: server.rootKey });
    expect(who).toMatchObject({ LoginName: 'root', AuthLevel: 'Root', OpenSessions: '0' });
    expect(who).not.toHaveProperty('SessionID');
    expect(await soapOk(server, GUIDE_NS, 'Logout', { SessionID: server.rootKey })).toBe('false');
    await soapOk(server, ECGRIDOS_NS, 'WhoAmI', { SessionID: server.rootKey });
  });

  it('needs a SessionID for every operation but Login, Version and NowUTC', async () => {
    for (const [ns, op, params] of [
      [GUIDE_NS, 'CallBackTest', { CallBackQueueID: 7001 }],
      [ECGRIDOS_NS, 'WhoAmI', {}],
      [ECGRIDOS_NS, 'CallBackPendingList', {}],
    ] as const) {
      const fault = await soapFault(server, ns, op, params);
      expect(fault.detail.ErrorInfo, op).toMatchObject({ ErrorCode: 'InvalidAPIKey', ErrorItem: 'SessionID' });
      expect(fault.faultstring).toMatch(/call Login for one, or send an API key/);
    }
    await soapOk(server, ECGRIDOS_NS, 'Version');
    await soapOk(server, ECGRIDOS_NS, 'NowUTC');
  });
});

describe('the idle timeout', () => {
  let store: SqliteStore;
  let app: FastifyInstance;
  let base: string;
  let dataDir: string;
  let now = Date.UTC(2026, 4, 7, 14, 0, 0);
  const minutes = (n: number) => (now += n * 60_000);

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-soap-idle-'));
    const config = { ...loadConfig({}, {}), dataDir, logLevel: 'silent', sessionIdleMinutes: 20, allowPrivateUrls: true };
    const logger = createLogger('silent');
    store = openSqliteStore(path.join(dataDir, 'gridhook.db'));
    await store.migrate();
    const services = createServices({
      store,
      config,
      clock: { now: () => now },
      logger,
      secretBox: testBox,
      engine: {
        workerId: 'idle-test',
        stopping: false,
        deliverNow: () => Promise.reject(new Error('no deliveries in this test')),
        offerClaim: () => null,
      },
    });
    app = await buildApp({ services, config, logger });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function user(): Promise<LoginUser> {
    const root = generateApiKey();
    await store.ensureRootUser('root', root.hash, root.prefix);
    return addLoginUser({ url: base, rootKey: root.key }, 'NetworkAdmin', 1);
  }

  const alive = async (sessionId: string) =>
    (await soapCall({ url: base }, ECGRIDOS_NS, 'WhoAmI', { SessionID: sessionId })).fault === undefined;

  it('keeps a session in use alive, and ends it after 20 minutes without a call', async () => {
    const sessionId = await login({ url: base }, await user());
    for (let i = 0; i < 6; i++) {
      minutes(15);
      expect(await alive(sessionId), `call ${i + 1}, 15 minutes after the last`).toBe(true);
    }
    minutes(20);
    expect(await alive(sessionId)).toBe(false);
  });

  it('answers false when logging out of an expired session', async () => {
    const sessionId = await login({ url: base }, await user());
    minutes(21);
    expect(await soapOk({ url: base }, GUIDE_NS, 'Logout', { SessionID: sessionId })).toBe('false');
  });
});

describe('sessions shared by API processes', () => {
  const servers: TestServer[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  afterAll(async () => {
    if ((await postgresAvailable()).ok) await dropTestDatabases();
  });

  async function twoServers(databaseUrl?: string): Promise<[TestServer, TestServer]> {
    const a = await startTestServer(databaseUrl === undefined ? {} : { databaseUrl });
    servers.push(a);
    const b = await startTestServer({ databaseUrl: a.config.databaseUrl });
    servers.push(b);
    return [a, b];
  }

  async function expectShared([a, b]: [TestServer, TestServer]): Promise<void> {
    // b's start replaced the root key: both serve the one database, whose key is now b's.
    const user = await addLoginUser(b, 'NetworkAdmin', 1);
    const sessionId = await login(a, user);
    const added = await addCallback(b, sessionId);
    const listed = await soapOk(a, ECGRIDOS_NS, 'CallBackEventInfo', {
      SessionID: sessionId,
      CallBackEventID: added.CallBackQueueID,
      QueueCount: 0,
    });
    expect(listed).toMatchObject({ CallBackEventID: added.CallBackQueueID, URL: RECEIVER });
    expect(await soapOk(b, GUIDE_NS, 'Logout', { SessionID: sessionId })).toBe('true');
    const fault = await soapFault(a, ECGRIDOS_NS, 'WhoAmI', { SessionID: sessionId });
    expect(fault.detail.ErrorInfo.ErrorCode).toBe('InvalidAPIKey');
  }

  it('on one SQLite file: log in through one, call and log out through the other', async () => {
    await expectShared(await twoServers());
  });

  it('on one PostgreSQL database: log in through one, call and log out through the other', async (context) => {
    const availability = await postgresAvailable();
    if (!availability.ok) {
      if (process.env.CI === 'true') throw new Error(availability.reason);
      context.skip(availability.reason);
    }
    const db = await createTestDatabase();
    try {
      await expectShared(await twoServers(db.url));
    } finally {
      await Promise.all(servers.splice(0).map((s) => s.close()));
      await db.drop();
    }
  });
});
