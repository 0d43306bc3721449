import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/services/passwords.js';
import { call, ok, startTestServer, type TestServer } from './helpers/server.js';

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

describe('networks', () => {
  it('creates, gets and lists networks', async () => {
    const created = await ok(server, 'POST', '/v2/networks/create', { name: 'Acme VAN' });
    expect(created).toEqual({
      networkId: expect.any(Number),
      name: 'Acme VAN',
      status: 'Active',
      autoSuspendAfterSeconds: null,
      createdAt: expect.stringMatching(DATE),
    });
    expect(await ok(server, 'GET', `/v2/networks/${created.networkId}`)).toEqual(created);

    const page = await ok(server, 'POST', '/v2/networks/list', { pageNo: 1, recordsPerPage: 500 });
    expect(page).toMatchObject({ pageNo: 1, recordsPerPage: 500 });
    expect(page.networks.map((n: any) => n.networkId)).toEqual(expect.arrayContaining([1, created.networkId]));
    expect(page.totalRecords).toBe(page.networks.length);
  });

  it('answers 404 for a network that does not exist', async () => {
    const missing = await call(server, 'GET', '/v2/networks/424242');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ success: false, errorCode: 'ObjectNotFound', message: 'Network 424242 was not found.', data: null });
  });
});

describe('mailboxes', () => {
  it('creates mailboxes in the own network by default, or in a named one', async () => {
    const own = await ok(server, 'POST', '/v2/mailboxes/create', { networkId: 0, name: 'Receiving' });
    expect(own).toEqual({
      mailboxId: expect.any(Number),
      networkId: 1,
      name: 'Receiving',
      status: 'Active',
      createdAt: expect.stringMatching(DATE),
    });
    const network = await ok(server, 'POST', '/v2/networks/create', { name: 'Mailbox network' });
    const other = await ok(server, 'POST', '/v2/mailboxes/create', { networkId: network.networkId, name: 'Shipping' });
    expect(other.networkId).toBe(network.networkId);
    expect(await ok(server, 'GET', `/v2/mailboxes/${other.mailboxId}`)).toEqual(other);

    const inNetwork = await ok(server, 'POST', '/v2/mailboxes/list', { networkId: network.networkId });
    expect(inNetwork).toEqual({ totalRecords: 1, totalRecordsExact: true, pageNo: 1, recordsPerPage: 25, mailboxes: [other] });
    const everywhere = await ok(server, 'POST', '/v2/mailboxes/list', { recordsPerPage: 500 });
    expect(everywhere.mailboxes.map((m: any) => m.mailboxId)).toEqual(expect.arrayContaining([1, own.mailboxId, other.mailboxId]));

    const unknownNetwork = await call(server, 'POST', '/v2/mailboxes/create', { networkId: 999_999, name: 'x' });
    expect(unknownNetwork.status).toBe(404);
  });
});

describe('ECGrid IDs', () => {
  it('creates, gets, lists, finds and updates IDs', async () => {
    const mailbox = await ok(server, 'POST', '/v2/mailboxes/create', { name: 'Trading partners' });
    const created = await ok(server, 'POST', '/v2/ids/create', {
      mailboxId: mailbox.mailboxId,
      qualifier: 'ZZ',
      id: 'ACME',
      description: 'Acme Corp',
    });
    expect(created).toEqual({
      ecGridId: expect.any(Number),
      networkId: 1,
      mailboxId: mailbox.mailboxId,
      qualifier: 'ZZ',
      id: 'ACME',
      description: 'Acme Corp',
      status: 'Active',
      createdAt: expect.stringMatching(DATE),
    });
    expect(await ok(server, 'GET', `/v2/ids/${created.ecGridId}`)).toEqual(created);

    const duplicate = await call(server, 'POST', '/v2/ids/create', { mailboxId: mailbox.mailboxId, qualifier: 'ZZ', id: 'ACME' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ success: false, errorCode: 'DuplicateObject', data: null });

    const network = await ok(server, 'POST', '/v2/networks/create', { name: 'IDs elsewhere' });
    const elsewhere = await ok(server, 'POST', '/v2/mailboxes/create', { networkId: network.networkId, name: 'm' });
    const twin = await ok(server, 'POST', '/v2/ids/create', { mailboxId: elsewhere.mailboxId, qualifier: 'ZZ', id: 'ACME' });
    expect(twin.networkId).toBe(network.networkId);
    expect(twin.description).toBe('');

    const found = await ok(server, 'POST', '/v2/ids/find', { qualifier: 'ZZ', id: 'ACME' });
    expect(found.ids.map((r: any) => r.ecGridId).sort()).toEqual([created.ecGridId, twin.ecGridId].sort());
    const foundInOne = await ok(server, 'POST', '/v2/ids/find', { qualifier: 'ZZ', id: 'ACME', networkId: network.networkId });
    expect(foundInOne.ids).toEqual([twin]);
    expect(await ok(server, 'POST', '/v2/ids/find', { qualifier: '01', id: 'NOBODY' })).toEqual({ ids: [] });

    const listed = await ok(server, 'POST', '/v2/ids/list', { mailboxId: mailbox.mailboxId });
    expect(listed).toEqual({ totalRecords: 1, totalRecordsExact: true, pageNo: 1, recordsPerPage: 25, ids: [created] });

    const updated = await ok(server, 'POST', '/v2/ids/update', {
      ecGridId: created.ecGridId,
      status: 'Suspended',
      description: 'on hold',
    });
    expect(updated).toEqual({ ...created, status: 'Suspended', description: 'on hold' });
    const suspended = await ok(server, 'POST', '/v2/ids/list', { status: 'Suspended' });
    expect(suspended.ids).toEqual([updated]);

    const nothing = await call(server, 'POST', '/v2/ids/update', { ecGridId: created.ecGridId });
    expect(nothing.status).toBe(400);
    expect(nothing.body.message).toMatch(/^status: nothing to change/);
  });
});

describe('users and keys', () => {
  it('creates a user with a hashed password and no key until one is generated', async () => {
    const user = await ok(server, 'POST', '/v2/users/create', {
      loginName: 'alice',
      password: 'a long enough password',
      role: 'NetworkUser',
      networkId: 1,
    });
    expect(user).toEqual({
      userId: expect.any(Number),
      loginName: 'alice',
      role: 'NetworkUser',
      networkId: 1,
      mailboxId: 0,
      status: 'Active',
      createdAt: expect.stringMatching(DATE),
    });
    const stored = await server.store.getUserByLogin('alice');
    expect(stored?.passwordHash).toMatch(/^scrypt\$/);
    expect(stored?.passwordHash).not.toContain('a long enough password');
    expect(await verifyPassword('a long enough password', stored!.passwordHash)).toBe(true);

    const principal = await server.services.auth.login('alice', 'a long enough password');
    expect(principal).toMatchObject({ userId: user.userId, role: 'NetworkUser', networkId: 1, apiKeyId: 0 });
    await expect(server.services.auth.login('alice', 'wrong password')).rejects.toMatchObject({ code: 'InvalidAPIKey' });

    const taken = await call(server, 'POST', '/v2/users/create', {
      loginName: 'alice',
      password: 'another password',
      role: 'NetworkUser',
    });
    expect(taken.status).toBe(409);
    expect(taken.body.errorCode).toBe('DuplicateObject');
  });

  it('issues a key shown once, which replaces the previous one', async () => {
    const user = await ok(server, 'POST', '/v2/users/create', {
      loginName: 'bob',
      password: 'bobs password',
      role: 'MailboxUser',
      mailboxId: 1,
    });
    expect(user).toMatchObject({ networkId: 1, mailboxId: 1 });
    const first = await ok(server, 'POST', `/v2/users/key-generate/${user.userId}`);
    expect(first).toEqual({ userId: user.userId, apiKey: expect.stringMatching(/^gh_[A-Za-z0-9_-]{43}$/), keyPrefix: first.apiKey.slice(0, 8) });

    const me = await ok(server, 'GET', '/v2/users/me', undefined, { key: first.apiKey });
    expect(me).toEqual(user);

    // Renewing one's own key: the answer carries the new key, the old one stops working.
    const second = await ok(server, 'POST', `/v2/users/key-generate/${user.userId}`, undefined, { key: first.apiKey });
    expect(second.apiKey).not.toBe(first.apiKey);
    const stale = await call(server, 'GET', '/v2/users/me', undefined, { key: first.apiKey });
    expect(stale.status).toBe(401);
    expect(stale.body).toMatchObject({ success: false, errorCode: 'InvalidAPIKey', data: null });
    expect((await ok(server, 'GET', '/v2/users/me', undefined, { key: second.apiKey })).userId).toBe(user.userId);
  });

  it('says who the root key is, and lists users in scope', async () => {
    expect(await ok(server, 'GET', '/v2/users/me')).toMatchObject({ loginName: 'root', role: 'Root', networkId: 1, mailboxId: 0 });
    const page = await ok(server, 'POST', '/v2/users/list', { networkId: 1, recordsPerPage: 500 });
    expect(page.users.map((u: any) => u.loginName)).toEqual(expect.arrayContaining(['root', 'alice', 'bob']));
    const inMailbox = await ok(server, 'POST', '/v2/users/list', { mailboxId: 1 });
    expect(inMailbox.users.map((u: any) => u.loginName)).toEqual(['bob']);
  });
});

describe('probes', () => {
  it('answers /healthz and /readyz without a key', async () => {
    expect(await call(server, 'GET', '/healthz', undefined, { key: null })).toMatchObject({
      status: 200,
      body: { success: true, data: { status: 'ok' } },
    });
    expect(await call(server, 'GET', '/readyz', undefined, { key: null })).toMatchObject({
      status: 200,
      body: { success: true, data: { status: 'ok' } },
    });
  });

  it('answers /readyz 503 when the database is gone', async () => {
    const broken = await startTestServer();
    try {
      broken.store.ping = async () => {
        throw new Error('disk on fire');
      };
      const answer = await call(broken, 'GET', '/readyz', undefined, { key: null });
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ success: false, errorCode: 'ServiceUnavailable', data: null });
      expect(answer.body.message).not.toContain('disk on fire');
    } finally {
      await broken.close();
    }
  });
});
