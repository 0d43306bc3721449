/**
 * The one conformance suite every Store implementation must pass. It speaks
 * only the Store contract (src/store/store.ts), so SQLite and PostgreSQL are
 * held to exactly the same behaviour; each store's test file calls
 * describeStoreConformance with a factory that yields a fresh, empty database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryJob, Store } from '../../src/store/store.js';
import {
  attempt,
  claimAll,
  eventInput,
  expectGridhookError,
  LEASE_MS,
  newCallback,
  publishTo,
  sleep,
  T0,
  waitUntil,
} from './fixtures.js';
import { describeParcelConformance } from './parcels.js';
import { describeStatsConformance } from './stats.js';
import { describeFeedConformance } from './feed.js';
import { describeAttemptAnswersConformance } from './attempt-answers.js';
import { describeObservabilityConformance } from './observability.js';
import { describeDeliveryPoliciesConformance } from './delivery-policies.js';

const WEBHOOK_ID = /^evt_[0-9a-f]{32}$/;

export interface ConformanceOptions {
  /** Tests whose "group > title" contains this text (or matches it) are skipped. */
  skip?: string | RegExp;
}

export function describeStoreConformance(
  name: string,
  open: () => Promise<Store>,
  options: ConformanceOptions = {},
): void {
  let store: Store;

  const test = (group: string) => (title: string, fn: () => Promise<void>) => {
    const full = `${group} > ${title}`;
    const skipped =
      options.skip === undefined
        ? false
        : typeof options.skip === 'string'
          ? full.includes(options.skip)
          : options.skip.test(full);
    (skipped ? it.skip : it)(title, fn);
  };

  describe(`Store conformance: ${name}`, () => {
    beforeEach(async () => {
      store = await open();
      await store.migrate();
    });

    afterEach(async () => {
      await store.close();
    });

    describe('schema', () => {
      const t = test('schema');

      t('migrate is idempotent and ping answers', async () => {
        await store.migrate();
        await store.migrate();
        await expect(store.ping()).resolves.toBeUndefined();
      });

      t('a new database starts with network 1 and mailbox 1 in it', async () => {
        expect(await store.getNetwork(1)).toMatchObject({ networkId: 1, status: 'Active' });
        expect(await store.getMailbox(1)).toMatchObject({ mailboxId: 1, networkId: 1, status: 'Active' });
        expect((await store.listNetworks({ pageNo: 1, recordsPerPage: 10 })).totalRecords).toBe(1);
        expect((await store.listMailboxes({}, { pageNo: 1, recordsPerPage: 10 })).totalRecords).toBe(1);
      });

      t("a new database's first callback is 7001, the guide's example id", async () => {
        expect((await store.createCallback(newCallback(), T0)).callbackId).toBe(7001);
        expect((await store.createCallback(newCallback(), T0)).callbackId).toBe(7002);
      });
    });

    describe('networks and mailboxes', () => {
      const t = test('networks and mailboxes');

      t('creates, reads and misses networks', async () => {
        const network = await store.createNetwork('Acme VAN');
        expect(network).toMatchObject({ name: 'Acme VAN', status: 'Active' });
        expect(network.networkId).toBeGreaterThan(1);
        expect(typeof network.createdAt).toBe('number');
        expect(await store.getNetwork(network.networkId)).toEqual(network);
        expect(await store.getNetwork(999_999)).toBeNull();
      });

      t('pages networks in id order with the total', async () => {
        const created = [];
        for (const n of ['B', 'C', 'D', 'E']) created.push(await store.createNetwork(n));
        const page2 = await store.listNetworks({ pageNo: 2, recordsPerPage: 2 });
        expect(page2).toMatchObject({ totalRecords: 5, pageNo: 2, recordsPerPage: 2 });
        expect(page2.items.map((n) => n.name)).toEqual(['C', 'D']);
        const past = await store.listNetworks({ pageNo: 4, recordsPerPage: 2 });
        expect(past.totalRecords).toBe(5);
        expect(past.items).toEqual([]);
      });

      t('creates mailboxes in a network and filters them', async () => {
        const network = await store.createNetwork('Other');
        const a = await store.createMailbox(network.networkId, 'A');
        const b = await store.createMailbox(network.networkId, 'B');
        expect(a).toMatchObject({ networkId: network.networkId, name: 'A', status: 'Active' });
        expect(await store.getMailbox(a.mailboxId)).toEqual(a);
        expect(await store.getMailbox(999_999)).toBeNull();

        const inNetwork = await store.listMailboxes({ networkId: network.networkId }, { pageNo: 1, recordsPerPage: 10 });
        expect(inNetwork.items.map((m) => m.mailboxId)).toEqual([a.mailboxId, b.mailboxId]);
        const one = await store.listMailboxes(
          { networkId: network.networkId, mailboxId: b.mailboxId },
          { pageNo: 1, recordsPerPage: 10 },
        );
        expect(one.items).toEqual([b]);
        const paged = await store.listMailboxes({}, { pageNo: 2, recordsPerPage: 2 });
        expect(paged.totalRecords).toBe(3);
        expect(paged.items.map((m) => m.mailboxId)).toEqual([b.mailboxId]);
      });

      t('refuses a mailbox in a missing network', async () => {
        await expectGridhookError(store.createMailbox(999_999, 'Nowhere'), 'ObjectNotFound');
      });
    });

    describe('ECGrid IDs', () => {
      const t = test('ECGrid IDs');

      t('creates one in the network of its mailbox and finds it', async () => {
        const record = await store.createEcGridId({ mailboxId: 1, qualifier: 'ZZ', id: 'ACME', description: 'Acme' });
        expect(record).toMatchObject({
          networkId: 1,
          mailboxId: 1,
          qualifier: 'ZZ',
          id: 'ACME',
          description: 'Acme',
          status: 'Active',
        });
        expect(await store.getEcGridId(record.ecGridId)).toEqual(record);
        expect(await store.getEcGridId(999_999)).toBeNull();
        expect(await store.findEcGridId(1, 'ZZ', 'ACME')).toEqual([record]);
        expect(await store.findEcGridId(null, 'ZZ', 'ACME')).toEqual([record]);
        expect(await store.findEcGridId(1, '01', 'ACME')).toEqual([]);
        expect(await store.findEcGridId(1, 'ZZ', 'OTHER')).toEqual([]);
      });

      t('qualifier + id is unique per network only', async () => {
        await store.createEcGridId({ mailboxId: 1, qualifier: 'ZZ', id: 'ACME', description: '' });
        const error = await expectGridhookError(
          store.createEcGridId({ mailboxId: 1, qualifier: 'ZZ', id: 'ACME', description: 'again' }),
          'DuplicateObject',
        );
        expect(error.message).toContain('ACME');

        const otherQualifier = await store.createEcGridId({ mailboxId: 1, qualifier: '01', id: 'ACME', description: '' });
        expect(otherQualifier.qualifier).toBe('01');

        const network = await store.createNetwork('Other');
        const mailbox = await store.createMailbox(network.networkId, 'M');
        const elsewhere = await store.createEcGridId({
          mailboxId: mailbox.mailboxId,
          qualifier: 'ZZ',
          id: 'ACME',
          description: '',
        });
        expect(elsewhere.networkId).toBe(network.networkId);
        expect(await store.findEcGridId(null, 'ZZ', 'ACME')).toHaveLength(2);
        expect(await store.findEcGridId(network.networkId, 'ZZ', 'ACME')).toEqual([elsewhere]);
      });

      t('refuses a missing mailbox', async () => {
        await expectGridhookError(
          store.createEcGridId({ mailboxId: 999_999, qualifier: 'ZZ', id: 'X', description: '' }),
          'ObjectNotFound',
        );
      });

      t('lists with filters and updates status and description', async () => {
        const network = await store.createNetwork('Other');
        const mailbox = await store.createMailbox(network.networkId, 'M');
        const a = await store.createEcGridId({ mailboxId: 1, qualifier: 'ZZ', id: 'A', description: '' });
        const b = await store.createEcGridId({ mailboxId: 1, qualifier: 'ZZ', id: 'B', description: '' });
        const c = await store.createEcGridId({ mailboxId: mailbox.mailboxId, qualifier: 'ZZ', id: 'C', description: '' });

        const suspended = await store.updateEcGridId(b.ecGridId, { status: 'Suspended' });
        expect(suspended).toMatchObject({ ecGridId: b.ecGridId, status: 'Suspended', description: '' });
        const described = await store.updateEcGridId(b.ecGridId, { description: 'B corp' });
        expect(described).toMatchObject({ status: 'Suspended', description: 'B corp' });
        expect(await store.updateEcGridId(999_999, { status: 'Active' })).toBeNull();

        const page = { pageNo: 1, recordsPerPage: 10 };
        expect((await store.listEcGridIds({ networkId: 1 }, page)).items.map((r) => r.ecGridId)).toEqual([
          a.ecGridId,
          b.ecGridId,
        ]);
        expect((await store.listEcGridIds({ mailboxId: mailbox.mailboxId }, page)).items).toEqual([c]);
        expect((await store.listEcGridIds({ status: 'Suspended' }, page)).items.map((r) => r.ecGridId)).toEqual([
          b.ecGridId,
        ]);
        const paged = await store.listEcGridIds({}, { pageNo: 2, recordsPerPage: 2 });
        expect(paged.totalRecords).toBe(3);
        expect(paged.items.map((r) => r.ecGridId)).toEqual([c.ecGridId]);
      });
    });

    describe('scope owners', () => {
      const t = test('scope owners');

      t('reads where a network, mailbox and ECGrid ID belong in one call, and nothing for 0 or a missing ID', async () => {
        const network = await store.createNetwork('Other');
        const mailbox = await store.createMailbox(network.networkId, 'M');
        const record = await store.createEcGridId({ mailboxId: mailbox.mailboxId, qualifier: 'ZZ', id: 'X', description: '' });

        expect(
          await store.findScopeOwners({
            networkId: network.networkId,
            mailboxId: mailbox.mailboxId,
            ecGridId: record.ecGridId,
          }),
        ).toEqual({
          network: true,
          mailbox: { networkId: network.networkId, mailboxId: mailbox.mailboxId },
          ecGrid: { networkId: network.networkId, mailboxId: mailbox.mailboxId },
        });
        expect(await store.findScopeOwners({ networkId: 0, mailboxId: 0, ecGridId: 0 })).toEqual({
          network: false,
          mailbox: null,
          ecGrid: null,
        });
        expect(await store.findScopeOwners({ networkId: 999_999, mailboxId: 999_999, ecGridId: 999_999 })).toEqual({
          network: false,
          mailbox: null,
          ecGrid: null,
        });
        expect(await store.findScopeOwners({ networkId: 1, mailboxId: 1, ecGridId: 0 })).toEqual({
          network: true,
          mailbox: { networkId: 1, mailboxId: 1 },
          ecGrid: null,
        });
      });
    });

    describe('users and API keys', () => {
      const t = test('users and API keys');

      const alice = {
        loginName: 'alice',
        passwordHash: 'scrypt$salt$hash',
        role: 'MailboxAdmin' as const,
        networkId: 1,
        mailboxId: 1,
      };

      t('creates, reads and lists users', async () => {
        const user = await store.createUser(alice);
        expect(user).toMatchObject({ loginName: 'alice', role: 'MailboxAdmin', networkId: 1, mailboxId: 1, status: 'Active' });
        expect(await store.getUser(user.userId)).toEqual(user);
        expect(await store.getUser(999_999)).toBeNull();
        expect(await store.getUserByLogin('alice')).toEqual({ user, passwordHash: 'scrypt$salt$hash' });
        expect(await store.getUserByLogin('nobody')).toBeNull();

        const network = await store.createNetwork('Other');
        const bob = await store.createUser({ ...alice, loginName: 'bob', role: 'NetworkUser', networkId: network.networkId, mailboxId: 0 });
        const page = { pageNo: 1, recordsPerPage: 10 };
        expect((await store.listUsers({ networkId: network.networkId }, page)).items).toEqual([bob]);
        expect((await store.listUsers({ networkId: 1, mailboxId: 1 }, page)).items).toEqual([user]);
        const paged = await store.listUsers({}, { pageNo: 2, recordsPerPage: 1 });
        expect(paged.totalRecords).toBe(2);
        expect(paged.items).toEqual([bob]);
      });

      t('refuses a taken login name', async () => {
        await store.createUser(alice);
        const error = await expectGridhookError(store.createUser({ ...alice, role: 'MailboxUser' }), 'DuplicateObject');
        expect(error.message).toContain('alice');
      });

      t('refuses a user in a missing network', async () => {
        await expectGridhookError(store.createUser({ ...alice, networkId: 999_999, mailboxId: 0 }), 'ObjectNotFound');
      });

      t('updates a user status', async () => {
        const user = await store.createUser(alice);
        expect(await store.updateUserStatus(user.userId, 'Suspended')).toMatchObject({ status: 'Suspended' });
        expect(await store.getUser(user.userId)).toMatchObject({ status: 'Suspended' });
        expect(await store.updateUserStatus(999_999, 'Active')).toBeNull();
      });

      t('finds the principal of an active key and nothing for an unknown one', async () => {
        const user = await store.createUser(alice);
        const { apiKeyId } = await store.setApiKey(user.userId, 'hash-1', 'gh_abc');
        expect(await store.findPrincipalByKeyHash('hash-1')).toEqual({
          userId: user.userId,
          loginName: 'alice',
          role: 'MailboxAdmin',
          networkId: 1,
          mailboxId: 1,
          apiKeyId,
        });
        expect(await store.findPrincipalByKeyHash('unknown')).toBeNull();
      });

      t('a new key revokes the previous one', async () => {
        const user = await store.createUser(alice);
        const first = await store.setApiKey(user.userId, 'hash-1', 'gh_1');
        const second = await store.setApiKey(user.userId, 'hash-2', 'gh_2');
        expect(second.apiKeyId).not.toBe(first.apiKeyId);
        expect(await store.findPrincipalByKeyHash('hash-1')).toBeNull();
        expect(await store.findPrincipalByKeyHash('hash-2')).toMatchObject({ userId: user.userId, apiKeyId: second.apiKeyId });
      });

      t("a suspended user's key finds nothing until the user is active again", async () => {
        const user = await store.createUser(alice);
        await store.setApiKey(user.userId, 'hash-1', 'gh_1');
        await store.updateUserStatus(user.userId, 'Suspended');
        expect(await store.findPrincipalByKeyHash('hash-1')).toBeNull();
        await store.updateUserStatus(user.userId, 'Active');
        expect(await store.findPrincipalByKeyHash('hash-1')).toMatchObject({ userId: user.userId });
      });

      t('refuses a key for a missing user', async () => {
        await expectGridhookError(store.setApiKey(999_999, 'hash-x', 'gh_x'), 'ObjectNotFound');
      });

      t('ensureRootUser creates the Root user once and keeps its key current', async () => {
        const root = await store.ensureRootUser('admin', 'root-1', 'gh_r1');
        expect(root).toMatchObject({ loginName: 'admin', role: 'Root', networkId: 1, mailboxId: 0, status: 'Active' });
        expect(await store.findPrincipalByKeyHash('root-1')).toMatchObject({ userId: root.userId, role: 'Root', networkId: 1 });

        // A restart with the same key changes nothing.
        const again = await store.ensureRootUser('admin', 'root-1', 'gh_r1');
        expect(again.userId).toBe(root.userId);
        expect(await store.findPrincipalByKeyHash('root-1')).toMatchObject({ userId: root.userId });

        // A restart with a new key replaces the old one.
        await store.ensureRootUser('admin', 'root-2', 'gh_r2');
        expect(await store.findPrincipalByKeyHash('root-1')).toBeNull();
        expect(await store.findPrincipalByKeyHash('root-2')).toMatchObject({ userId: root.userId, role: 'Root' });
        expect((await store.listUsers({}, { pageNo: 1, recordsPerPage: 10 })).totalRecords).toBe(1);
      });

      t('ensureRootUser refuses to hand the root key to an existing non-Root login', async () => {
        const user = await store.createUser({ ...alice, loginName: 'admin' });
        await expectGridhookError(store.ensureRootUser('admin', 'root-1', 'gh_r1'), 'InvalidState');
        expect(await store.findPrincipalByKeyHash('root-1')).toBeNull();
        expect(await store.getUser(user.userId)).toMatchObject({ role: 'MailboxAdmin' });
      });

      t('the Root user cannot sign in with a password', async () => {
        await store.ensureRootUser('admin', 'root-1', 'gh_r1');
        const found = await store.getUserByLogin('admin');
        expect(found?.passwordHash).toBe('!');
      });
    });

    describe('sessions', () => {
      const t = test('sessions');
      const IDLE = 20 * 60_000;
      const carol = {
        loginName: 'carol',
        passwordHash: 'scrypt$salt$hash',
        role: 'NetworkAdmin' as const,
        networkId: 1,
        mailboxId: 0,
      };

      t('a session stands for its user while used within the idle time (sliding)', async () => {
        const user = await store.createUser(carol);
        await store.createSession(user.userId, 'hash-1', T0, IDLE);
        const principal = {
          userId: user.userId,
          loginName: 'carol',
          role: 'NetworkAdmin',
          networkId: 1,
          mailboxId: 0,
          apiKeyId: 0,
        };
        expect(await store.findPrincipalBySession('hash-1', T0 + IDLE - 1, IDLE)).toEqual(principal);
        expect(await store.findPrincipalBySession('hash-1', T0 + 2 * IDLE - 2, IDLE)).toEqual(principal);
        expect(await store.findPrincipalBySession('hash-1', T0 + 3 * IDLE - 2, IDLE)).toBeNull();
        expect(await store.findPrincipalBySession('unknown', T0, IDLE)).toBeNull();
      });

      t('writes a use only once the recorded one is older than the touch interval', async () => {
        const user = await store.createUser(carol);
        await store.createSession(user.userId, 'hash-1', T0, IDLE);
        expect(await store.findPrincipalBySession('hash-1', T0 + 1_000, IDLE)).not.toBeNull();
        expect(await store.findPrincipalBySession('hash-1', T0 + IDLE, IDLE)).toBeNull();
      });

      t('a suspended user has no session', async () => {
        const user = await store.createUser(carol);
        await store.createSession(user.userId, 'hash-1', T0, IDLE);
        await store.updateUserStatus(user.userId, 'Suspended');
        expect(await store.findPrincipalBySession('hash-1', T0 + 1, IDLE)).toBeNull();
        await store.updateUserStatus(user.userId, 'Active');
        expect(await store.findPrincipalBySession('hash-1', T0 + 2, IDLE)).not.toBeNull();
      });

      t('deleteSession ends one session and answers when it began and was last used', async () => {
        const user = await store.createUser(carol);
        await store.createSession(user.userId, 'hash-1', T0, IDLE);
        await store.createSession(user.userId, 'hash-2', T0, IDLE);
        await store.findPrincipalBySession('hash-1', T0 + 5 * 60_000, IDLE);
        expect(await store.deleteSession('hash-1')).toEqual({ createdAt: T0, lastUsedAt: T0 + 5 * 60_000 });
        expect(await store.findPrincipalBySession('hash-1', T0 + 5 * 60_000, IDLE)).toBeNull();
        expect(await store.deleteSession('hash-1')).toBeNull();
        expect(await store.findPrincipalBySession('hash-2', T0 + 5 * 60_000, IDLE)).not.toBeNull();
      });

      t('creating a session deletes the expired ones and keeps the live ones', async () => {
        const user = await store.createUser(carol);
        await store.createSession(user.userId, 'old', T0, IDLE);
        await store.createSession(user.userId, 'recent', T0 + IDLE / 2, IDLE);
        await store.createSession(user.userId, 'new', T0 + IDLE, IDLE);
        // Gone, not merely expired: even a lookup at a time it was live finds nothing.
        expect(await store.findPrincipalBySession('old', T0 + 1, IDLE)).toBeNull();
        expect(await store.deleteSession('old')).toBeNull();
        expect(await store.findPrincipalBySession('recent', T0 + IDLE, IDLE)).not.toBeNull();
        expect(await store.findPrincipalBySession('new', T0 + IDLE, IDLE)).not.toBeNull();
      });
    });

    describe('callbacks', () => {
      const t = test('callbacks');

      t('creates and reads a callback', async () => {
        const callback = await store.createCallback(newCallback({ mailboxId: 1, ecGridId: 7, frequency: 5, retries: 2 }), T0);
        expect(callback).toEqual({
          callbackId: callback.callbackId,
          networkId: 1,
          mailboxId: 1,
          ecGridId: 7,
          url: 'https://receiver.example/hooks/gridhook',
          eventType: 'InBox',
          frequency: 5,
          retries: 2,
          retrySchedule: null,
          status: 'Active',
          failingSince: null,
          suspendedByGridhookAt: null,
          suspendReason: null,
          pausedUntil: null,
          ordering: 'none',
          orderingKey: 'callback',
          onFailure: 'block',
          maxPerSecond: null,
          hasBasicAuth: false,
          hasCustomHeaders: false,
          createdAt: T0,
          updatedAt: T0,
        });
        expect(await store.getCallback(callback.callbackId)).toEqual(callback);
        expect(await store.getCallback(999_999)).toBeNull();
      });

      t('lists with every filter, pages, and leaves deleted ones out', async () => {
        const a = await store.createCallback(newCallback(), T0);
        const b = await store.createCallback(newCallback({ mailboxId: 1, eventType: 'OutBox' }), T0);
        const c = await store.createCallback(newCallback({ mailboxId: 1, ecGridId: 9, status: 'Suspended' }), T0);
        const network = await store.createNetwork('Other');
        const d = await store.createCallback(newCallback({ networkId: network.networkId }), T0);
        const gone = await store.createCallback(newCallback(), T0);
        await store.deleteCallback(gone.callbackId, T0 + 1);

        const page = { pageNo: 1, recordsPerPage: 10 };
        const ids = async (filter: Parameters<Store['listCallbacks']>[0]) =>
          (await store.listCallbacks(filter, page)).items.map((x) => x.callbackId);
        expect(await ids({})).toEqual([a.callbackId, b.callbackId, c.callbackId, d.callbackId]);
        expect(await ids({ networkId: 1 })).toEqual([a.callbackId, b.callbackId, c.callbackId]);
        expect(await ids({ networkId: network.networkId })).toEqual([d.callbackId]);
        expect(await ids({ mailboxId: 1 })).toEqual([b.callbackId, c.callbackId]);
        expect(await ids({ ecGridId: 9 })).toEqual([c.callbackId]);
        expect(await ids({ eventType: 'OutBox' })).toEqual([b.callbackId]);
        expect(await ids({ status: 'Suspended' })).toEqual([c.callbackId]);
        expect(await ids({ networkId: 1, status: 'Active', eventType: 'InBox' })).toEqual([a.callbackId]);

        const paged = await store.listCallbacks({}, { pageNo: 2, recordsPerPage: 3 });
        expect(paged).toMatchObject({ totalRecords: 4, pageNo: 2, recordsPerPage: 3 });
        expect(paged.items.map((x) => x.callbackId)).toEqual([d.callbackId]);
      });

      t('counts callbacks in scope, not the deleted ones', async () => {
        await store.createCallback(newCallback(), T0);
        await store.createCallback(newCallback({ mailboxId: 1 }), T0);
        const gone = await store.createCallback(newCallback({ mailboxId: 1 }), T0);
        await store.deleteCallback(gone.callbackId, T0);
        const network = await store.createNetwork('Other');
        await store.createCallback(newCallback({ networkId: network.networkId }), T0);
        expect(await store.countCallbacks({})).toBe(3);
        expect(await store.countCallbacks({ networkId: 1 })).toBe(2);
        expect(await store.countCallbacks({ networkId: 1, mailboxId: 1 })).toBe(1);
        expect(await store.countCallbacks({ networkId: 999_999 })).toBe(0);
      });

      t('updates only the patched fields and stamps updatedAt', async () => {
        const callback = await store.createCallback(newCallback(), T0);
        const updated = await store.updateCallback(
          callback.callbackId,
          { url: 'https://other.example/cb', retries: 7, mailboxId: 1, ecGridId: 4, eventType: 'OutBox', frequency: 30 },
          T0 + 500,
        );
        expect(updated).toEqual({
          ...callback,
          url: 'https://other.example/cb',
          retries: 7,
          mailboxId: 1,
          ecGridId: 4,
          eventType: 'OutBox',
          frequency: 30,
          updatedAt: T0 + 500,
        });
        expect(await store.getCallback(callback.callbackId)).toEqual(updated);
        expect(await store.updateCallback(callback.callbackId, {}, T0 + 600)).toMatchObject({ url: 'https://other.example/cb' });
        expect(await store.updateCallback(999_999, { retries: 1 }, T0)).toBeNull();
      });

      t('suspending cancels pending events only; activating again does not revive them', async () => {
        const callback = await store.createCallback(newCallback({ retries: 0 }), T0);
        const [delivered, failed, pending1, pending2] = await publishTo(store, callback.callbackId, 4);
        const jobs = await claimAll(store, 'w1');
        const byId = new Map(jobs.map((j) => [j.eventId, j]));
        await store.recordAttempts([
          attempt(byId.get(delivered!)!, 'Delivered'),
          attempt(byId.get(failed!)!, 'Failed'),
          attempt(byId.get(pending1!)!, 'Retry'),
        ]);
        // pending2 is still leased to w1 (in flight) when the callback is suspended.

        const suspended = await store.updateCallback(callback.callbackId, { status: 'Suspended' }, T0 + 1_000);
        expect(suspended?.status).toBe('Suspended');
        expect((await store.getEvent(delivered!))?.status).toBe('Delivered');
        expect((await store.getEvent(failed!))?.status).toBe('Failed');
        for (const id of [pending1!, pending2!]) {
          expect(await store.getEvent(id)).toMatchObject({ status: 'Canceled', callsRemaining: 0, nextAttemptAt: null });
        }

        await store.updateCallback(callback.callbackId, { status: 'Active' }, T0 + 2_000);
        expect((await store.getEvent(pending1!))?.status).toBe('Canceled');
        expect(await claimAll(store, 'w2', T0 + 10 * LEASE_MS)).toEqual([]);
      });

      t('deleting cancels pending events, keeps the old events and answers false the second time', async () => {
        const callback = await store.createCallback(newCallback(), T0);
        const [done, waiting] = await publishTo(store, callback.callbackId, 2);
        const [job] = await store.claimDueEvents({ workerId: 'w', now: T0, leaseMs: LEASE_MS, limit: 1, perCallbackLimit: 10 });
        expect(job?.eventId).toBe(done);
        await store.recordAttempts([attempt(job!, 'Delivered')]);

        expect(await store.deleteCallback(callback.callbackId, T0 + 100)).toBe(true);
        expect(await store.getCallback(callback.callbackId)).toBeNull();
        expect(await store.getCallbackSecrets(callback.callbackId)).toBeNull();
        expect(await store.updateCallback(callback.callbackId, { retries: 1 }, T0 + 200)).toBeNull();
        expect(await store.deleteCallback(callback.callbackId, T0 + 300)).toBe(false);
        expect(await store.deleteCallback(999_999, T0)).toBe(false);

        expect(await store.getEvent(done!)).toMatchObject({ status: 'Delivered', callbackId: callback.callbackId });
        expect(await store.getEvent(waiting!)).toMatchObject({ status: 'Canceled', callbackId: callback.callbackId });
        const events = await store.listEvents({ callbackId: callback.callbackId }, { pageNo: 1, recordsPerPage: 10 });
        expect(events.totalRecords).toBe(2);
        expect(await claimAll(store, 'w2', T0 + 1_000)).toEqual([]);
      });

      t('rotating a secret keeps the previous one until it expires', async () => {
        const callback = await store.createCallback(newCallback({ secret: 'whsec_first' }), T0);
        expect(await store.getCallbackSecrets(callback.callbackId)).toEqual({
          secret: 'whsec_first',
          previousSecret: null,
          previousSecretExpiresAt: null,
        });
        const rotated = await store.rotateCallbackSecret(callback.callbackId, 'whsec_second', T0 + 86_400_000);
        expect(rotated).toEqual({
          secret: 'whsec_second',
          previousSecret: 'whsec_first',
          previousSecretExpiresAt: T0 + 86_400_000,
        });
        expect(await store.getCallbackSecrets(callback.callbackId)).toEqual(rotated);
        expect(await store.getCallbackSecrets(999_999)).toBeNull();
        expect(await store.rotateCallbackSecret(999_999, 'whsec_x', T0)).toBeNull();

        await store.publishEvents([eventInput()], { now: T0 });
        const [job] = await claimAll(store, 'w');
        expect(job?.secrets).toEqual(rotated);
      });

      t('keeps sealed credentials opaque, says only whether they are set, and hands them to claims', async () => {
        const plain = await store.createCallback(newCallback(), T0);
        const sealed = await store.createCallback(newCallback({ basicAuth: 'v1.k.basic', customHeaders: 'v1.k.headers' }), T0);
        expect(plain).toMatchObject({ hasBasicAuth: false, hasCustomHeaders: false });
        expect(sealed).toMatchObject({ hasBasicAuth: true, hasCustomHeaders: true });
        expect(JSON.stringify(await store.getCallback(sealed.callbackId))).not.toContain('v1.k.');

        await store.publishEvents([eventInput()], { now: T0 });
        const jobs = await claimAll(store, 'w');
        const byCallback = new Map(jobs.map((j) => [j.callbackId, j]));
        expect(byCallback.get(sealed.callbackId)).toMatchObject({ basicAuth: 'v1.k.basic', customHeaders: 'v1.k.headers' });
        expect(byCallback.get(plain.callbackId)?.basicAuth ?? null).toBeNull();
        expect(byCallback.get(plain.callbackId)?.customHeaders ?? null).toBeNull();

        const changed = await store.updateCallback(sealed.callbackId, { basicAuth: null, retries: 5 }, T0 + 1);
        expect(changed).toMatchObject({ hasBasicAuth: false, hasCustomHeaders: true, retries: 5 });
        const untouched = await store.updateCallback(sealed.callbackId, { frequency: 9 }, T0 + 2);
        expect(untouched).toMatchObject({ hasBasicAuth: false, hasCustomHeaders: true });
        const replaced = await store.updateCallback(sealed.callbackId, { basicAuth: 'v1.k.new', customHeaders: null }, T0 + 3);
        expect(replaced).toMatchObject({ hasBasicAuth: true, hasCustomHeaders: false });
        const test = await store.createTestEvent(sealed.callbackId, { workerId: 'w', now: T0 + 4, leaseMs: LEASE_MS, perCallbackLimit: 4 });
        expect(test?.basicAuth).toBe('v1.k.new');
        expect(test?.customHeaders ?? null).toBeNull();
      });
    });

    describe('publishing events', () => {
      const t = test('publishing events');

      t('fans an event out to exactly the callbacks whose scope matches', async () => {
        const other = await store.createNetwork('Other');
        const m2 = await store.createMailbox(1, 'Second');
        const create = async (over: Parameters<typeof newCallback>[0]) =>
          (await store.createCallback(newCallback(over), T0)).callbackId;

        const wholeNetwork = await create({});
        const mailbox1 = await create({ mailboxId: 1 });
        const mailbox2 = await create({ mailboxId: m2.mailboxId });
        const id10 = await create({ ecGridId: 10 });
        const mailbox1Id10 = await create({ mailboxId: 1, ecGridId: 10 });
        const mailbox1Id11 = await create({ mailboxId: 1, ecGridId: 11 });
        await create({ eventType: 'OutBox' });
        await create({ networkId: other.networkId });
        await create({ status: 'Suspended' });
        const deleted = await create({});
        await store.deleteCallback(deleted, T0);
        const suspendedLater = await create({ mailboxId: 1 });
        await store.updateCallback(suspendedLater, { status: 'Suspended' }, T0);

        const result = await store.publishEvents(
          [
            eventInput({ mailboxId: 1, ecGridId: 10, parcelId: 501, fileName: 'a.x12' }),
            eventInput({ mailboxId: m2.mailboxId, ecGridId: 11 }),
            eventInput({ mailboxId: 1, ecGridId: 11 }),
            eventInput({ mailboxId: 1, ecGridId: 10, eventType: 'InBoxError' }),
            eventInput({ networkId: 999_999 }),
          ],
          { now: T0 + 5 },
        );
        expect(result.replayed).toBe(false);
        expect(result.matched).toEqual([4, 2, 3, 0, 0]);
        expect(result.eventIds).toHaveLength(9);
        expect(new Set(result.eventIds).size).toBe(9);

        const events = await Promise.all(result.eventIds.map((id) => store.getEvent(id)));
        const callbacksOf = (from: number, to: number) =>
          events
            .slice(from, to)
            .map((e) => e!.callbackId)
            .sort((x, y) => x - y);
        expect(callbacksOf(0, 4)).toEqual([wholeNetwork, mailbox1, id10, mailbox1Id10].sort((x, y) => x - y));
        expect(callbacksOf(4, 6)).toEqual([wholeNetwork, mailbox2].sort((x, y) => x - y));
        expect(callbacksOf(6, 9)).toEqual([wholeNetwork, mailbox1, mailbox1Id11].sort((x, y) => x - y));

        // Each event carries the scope of the input, not of its callback.
        for (const event of events.slice(0, 4)) {
          expect(event).toMatchObject({
            eventType: 'InBox',
            networkId: 1,
            mailboxId: 1,
            ecGridId: 10,
            parcelId: 501,
            fileName: 'a.x12',
            isTest: false,
            status: 'Pending',
            attempts: 0,
            callsRemaining: 4,
            nextAttemptAt: T0 + 5,
            lastAttemptAt: null,
            lastHttpStatus: null,
            lastError: null,
            createdAt: T0 + 5,
          });
        }
      });

      t('gives each event the retries of its own callback', async () => {
        const few = await store.createCallback(newCallback({ retries: 0 }), T0);
        const many = await store.createCallback(newCallback({ retries: 9 }), T0);
        const { eventIds } = await store.publishEvents([eventInput()], { now: T0 });
        const events = await Promise.all(eventIds.map((id) => store.getEvent(id)));
        const remaining = new Map(events.map((e) => [e!.callbackId, e!.callsRemaining]));
        expect(remaining.get(few.callbackId)).toBe(1);
        expect(remaining.get(many.callbackId)).toBe(10);
        const jobs = await claimAll(store, 'w');
        expect(new Map(jobs.map((j) => [j.callbackId, j.maxAttempts]))).toEqual(
          new Map([
            [few.callbackId, 1],
            [many.callbackId, 10],
          ]),
        );
      });

      t('answers an empty batch with nothing', async () => {
        await store.createCallback(newCallback(), T0);
        expect(await store.publishEvents([], { now: T0 })).toEqual({ eventIds: [], matched: [], replayed: false });
      });

      t('replays an idempotency key without creating anything, per network', async () => {
        await store.createCallback(newCallback(), T0);
        const first = await store.publishEvents([eventInput(), eventInput({ parcelId: 2 })], {
          now: T0,
          idempotencyKey: 'batch-1',
          idempotencyNetworkId: 1,
        });
        expect(first).toMatchObject({ matched: [1, 1], replayed: false });

        const again = await store.publishEvents([eventInput({ parcelId: 3 })], {
          now: T0 + 1,
          idempotencyKey: 'batch-1',
          idempotencyNetworkId: 1,
        });
        expect(again).toEqual({ eventIds: first.eventIds, matched: first.matched, replayed: true });
        expect((await store.listEvents({}, { pageNo: 1, recordsPerPage: 10 })).totalRecords).toBe(2);

        // The same key in another network is another key.
        const other = await store.publishEvents([eventInput()], {
          now: T0 + 2,
          idempotencyKey: 'batch-1',
          idempotencyNetworkId: 2,
        });
        expect(other.replayed).toBe(false);
        expect(other.eventIds).toHaveLength(1);

        // Without a network the key lives in network 0, apart from the others.
        const rootless = await store.publishEvents([eventInput()], { now: T0 + 3, idempotencyKey: 'batch-1' });
        expect(rootless.replayed).toBe(false);
        const rootlessAgain = await store.publishEvents([eventInput()], { now: T0 + 4, idempotencyKey: 'batch-1' });
        expect(rootlessAgain).toEqual({ ...rootless, replayed: true });
        expect((await store.listEvents({}, { pageNo: 1, recordsPerPage: 10 })).totalRecords).toBe(4);
      });

      t('remembers a key even when nothing matched', async () => {
        const first = await store.publishEvents([eventInput()], { now: T0, idempotencyKey: 'k', idempotencyNetworkId: 1 });
        expect(first).toEqual({ eventIds: [], matched: [0], replayed: false });
        await store.createCallback(newCallback(), T0);
        const again = await store.publishEvents([eventInput()], { now: T0, idempotencyKey: 'k', idempotencyNetworkId: 1 });
        expect(again).toEqual({ eventIds: [], matched: [0], replayed: true });
      });

      t('without a key, publishing twice creates two sets of events', async () => {
        await store.createCallback(newCallback(), T0);
        const a = await store.publishEvents([eventInput()], { now: T0 });
        const b = await store.publishEvents([eventInput()], { now: T0 });
        expect(b.eventIds[0]).toBeGreaterThan(a.eventIds[0]!);
      });
    });

    describe('claiming due events', () => {
      const t = test('claiming due events');

      t('leases due events oldest first and answers what the sender needs', async () => {
        const callback = await store.createCallback(newCallback({ frequency: 9, retries: 2, secret: 'whsec_s' }), T0);
        const [first] = await publishTo(store, callback.callbackId, 1, T0 - 200);
        const [second] = await publishTo(store, callback.callbackId, 1, T0 - 100);
        const jobs = await store.claimDueEvents({ workerId: 'w1', now: T0, leaseMs: LEASE_MS, limit: 10, perCallbackLimit: 10 });
        expect(jobs.map((j) => j.eventId)).toEqual([first, second]);
        expect(jobs[0]).toEqual({
          eventId: first!,
          callbackId: callback.callbackId,
          eventType: 'InBox',
          networkId: 1,
          mailboxId: 1,
          ecGridId: 0,
          parcelId: 1,
          fileName: 'parcel.edi',
          isTest: false,
          createdAt: T0 - 200,
          attempts: 0,
          maxAttempts: 3,
          url: callback.url,
          frequency: 9,
          secrets: { secret: 'whsec_s', previousSecret: null, previousSecretExpiresAt: null },
          leaseOwner: 'w1',
          leaseUntil: T0 + LEASE_MS,
          webhookId: expect.stringMatching(WEBHOOK_ID),
          traceparent: null,
          retrySchedule: null,
          subjectCallbackId: null,
        } satisfies DeliveryJob);
      });

      t('a job carries each field from its own column, on a second attempt too', async () => {
        // Every field a distinct value, so a claim that read one column for another shows.
        const callback = await store.createCallback(
          newCallback({ mailboxId: 5, ecGridId: 7, frequency: 13, retries: 5, url: 'https://r.example/x?y=1' }),
          T0,
        );
        const [eventId] = (
          await store.publishEvents(
            [eventInput({ mailboxId: 5, ecGridId: 7, eventType: 'InBox', parcelId: 11, fileName: 'distinct-17.edi' })],
            { now: T0 - 300 },
          )
        ).eventIds;
        const [first] = await claimAll(store, 'w1', T0);
        await store.recordAttempts([attempt(first!, 'Retry', { nextAttemptAt: T0 + 500 })]);
        const [job] = await store.claimDueEvents({
          workerId: 'w2',
          now: T0 + 700,
          leaseMs: LEASE_MS,
          limit: 5,
          perCallbackLimit: 5,
        });
        expect(job).toEqual({
          eventId: eventId!,
          callbackId: callback.callbackId,
          eventType: 'InBox',
          networkId: 1,
          mailboxId: 5,
          ecGridId: 7,
          parcelId: 11,
          fileName: 'distinct-17.edi',
          isTest: false,
          createdAt: T0 - 300,
          attempts: 1,
          maxAttempts: 6,
          url: 'https://r.example/x?y=1',
          frequency: 13,
          secrets: { secret: newCallback().seal(0).secret, previousSecret: null, previousSecretExpiresAt: null },
          leaseOwner: 'w2',
          leaseUntil: T0 + 700 + LEASE_MS,
          webhookId: expect.stringMatching(WEBHOOK_ID),
          traceparent: null,
          retrySchedule: null,
          subjectCallbackId: null,
        } satisfies DeliveryJob);
      });

      t('gives every event its own webhook-id, kept by every attempt', async () => {
        const callback = await store.createCallback(newCallback({ frequency: 1 }), T0);
        const { eventIds } = await store.publishEvents([eventInput(), eventInput(), eventInput()], { now: T0 });
        const first = await store.claimDueEvents({ workerId: 'w', now: T0, leaseMs: LEASE_MS, limit: 10, perCallbackLimit: 10 });
        expect(first.map((job) => job.callbackId)).toEqual([callback.callbackId, callback.callbackId, callback.callbackId]);
        const ids = first.map((job) => job.webhookId);
        for (const id of ids) expect(id).toMatch(WEBHOOK_ID);
        expect(new Set(ids).size).toBe(3);
        const events = await Promise.all(eventIds.map((id) => store.getEvent(id)));
        expect(events.map((event) => event?.webhookId)).toEqual(ids);
        await store.recordAttempts(first.map((job) => attempt(job, 'Retry', { nextAttemptAt: T0 + 10 })));
        const again = await store.claimDueEvents({ workerId: 'w', now: T0 + 20, leaseMs: LEASE_MS, limit: 10, perCallbackLimit: 10 });
        expect(again.map((job) => job.webhookId)).toEqual(ids);
        const test = await store.createTestEvent(callback.callbackId, { workerId: 'w', now: T0, leaseMs: LEASE_MS, perCallbackLimit: 4 });
        expect(test?.webhookId).toMatch(WEBHOOK_ID);
        expect(ids).not.toContain(test?.webhookId);
      });

      t('orders by when each event is due, not when it was created', async () => {
        const callback = await store.createCallback(newCallback(), T0);
        const [early, late] = await publishTo(store, callback.callbackId, 2, T0);
        const jobs = await claimAll(store, 'w1');
        await store.recordAttempts([
          attempt(jobs.find((j) => j.eventId === early)!, 'Retry', { nextAttemptAt: T0 + 2_000 }),
          attempt(jobs.find((j) => j.eventId === late)!, 'Retry', { nextAttemptAt: T0 + 1_000 }),
        ]);
        const again = await claimAll(store, 'w1', T0 + 5_000);
        expect(again.map((j) => j.eventId)).toEqual([late, early]);
      });

      t('leaves events that are not due yet', async () => {
        const callback = await store.createCallback(newCallback(), T0);
        const [id] = await publishTo(store, callback.callbackId, 1, T0);
        expect(await claimAll(store, 'w', T0 - 1)).toEqual([]);
        expect((await claimAll(store, 'w', T0)).map((j) => j.eventId)).toEqual([id]);
      });

      t('honours the limit and never hands one event to two workers', async () => {
        const callback = await store.createCallback(newCallback(), T0);
        const ids = await publishTo(store, callback.callbackId, 5);
        const claim = (workerId: string, limit: number) =>
          store.claimDueEvents({ workerId, now: T0, leaseMs: LEASE_MS, limit, perCallbackLimit: 100 });
        const a = await claim('a', 2);
        const b = await claim('b', 2);
        const c = await claim('c', 10);
        const d = await claim('d', 10);
        expect(a.map((j) => j.eventId)).toEqual(ids.slice(0, 2));
        expect(b.map((j) => j.eventId)).toEqual(ids.slice(2, 4));
        expect(c.map((j) => j.eventId)).toEqual(ids.slice(4));
        expect(d).toEqual([]);
        expect(await store.claimDueEvents({ workerId: 'e', now: T0, leaseMs: LEASE_MS, limit: 0, perCallbackLimit: 10 })).toEqual([]);
      });

      t('an expired lease returns the event to the queue with the same id', async () => {
        const callback = await store.createCallback(newCallback(), T0);
        const [id] = await publishTo(store, callback.callbackId, 1);
        const [job] = await claimAll(store, 'crashed');
        expect(job?.leaseUntil).toBe(T0 + LEASE_MS);
        expect(await claimAll(store, 'other', T0 + LEASE_MS - 1)).toEqual([]);
        const [retaken] = await claimAll(store, 'other', T0 + LEASE_MS);
        expect(retaken).toMatchObject({ eventId: id, leaseOwner: 'other', leaseUntil: T0 + 2 * LEASE_MS, attempts: 0 });
      });

      t('limits events per callback, counting leases held by every worker', async () => {
        const busy = await store.createCallback(newCallback(), T0);
        const quiet = await store.createCallback(newCallback({ eventType: 'OutBox' }), T0);
        const busyIds = await publishTo(store, busy.callbackId, 6);
        const quietIds = await publishTo(store, quiet.callbackId, 1);
        const claim = (workerId: string, limit: number, now = T0) =>
          store.claimDueEvents({ workerId, now, leaseMs: LEASE_MS, limit, perCallbackLimit: 3 });

        const a = await claim('a', 1);
        expect(a.map((j) => j.eventId)).toEqual([busyIds[0]]);
        const b = await claim('b', 10);
        expect(b.map((j) => j.eventId)).toEqual([busyIds[1], busyIds[2], quietIds[0]]);
        expect(await claim('c', 10)).toEqual([]);

        await store.recordAttempts([attempt(a[0]!, 'Delivered')]);
        expect((await claim('c', 10)).map((j) => j.eventId)).toEqual([busyIds[3]]);

        // Once the leases lapse they no longer count.
        const later = await claim('d', 10, T0 + LEASE_MS);
        expect(later.map((j) => j.eventId)).toEqual([busyIds[1], busyIds[2], busyIds[3], quietIds[0]]);
      });

      t("one callback's backlog does not hide other callbacks' due work", async () => {
        const busy = await store.createCallback(newCallback(), T0);
        const other = await store.createCallback(newCallback({ eventType: 'OutBox' }), T0);
        const busyIds = await publishTo(store, busy.callbackId, 200, T0 - 1_000);
        const [otherId] = await publishTo(store, other.callbackId, 1, T0);
        const jobs = await store.claimDueEvents({ workerId: 'w', now: T0, leaseMs: LEASE_MS, limit: 3, perCallbackLimit: 2 });
        expect(jobs.map((j) => j.eventId)).toEqual([busyIds[0], busyIds[1], otherId]);
      });

      t('finds the callbacks behind a backlog whose callback is already at its limit', async () => {
        const busy = await store.createCallback(newCallback(), T0);
        const first = await store.createCallback(newCallback({ eventType: 'OutBox' }), T0);
        const second = await store.createCallback(newCallback({ eventType: 'ConfirmDelivery' }), T0);
        const busyIds = await publishTo(store, busy.callbackId, 300, T0 - 1_000);
        const [secondId] = await publishTo(store, second.callbackId, 1, T0 - 10);
        const [firstId] = await publishTo(store, first.callbackId, 1, T0);
        const claim = (workerId: string) =>
          store.claimDueEvents({ workerId, now: T0, leaseMs: LEASE_MS, limit: 5, perCallbackLimit: 2 });
        expect((await claim('a')).map((j) => j.eventId)).toEqual([busyIds[0], busyIds[1], secondId, firstId]);
        await publishTo(store, second.callbackId, 1, T0);
        const [latest] = await publishTo(store, first.callbackId, 1, T0);
        const again = await claim('b');
        expect(again.map((j) => j.callbackId).sort()).toEqual([first.callbackId, second.callbackId].sort());
        expect(again.map((j) => j.eventId)).toContain(latest);
      });

      t('with many callbacks queued, still finds the one behind a backlog at its limit', async () => {
        const waiting: number[] = [];
        for (let i = 0; i < 80; i++) {
          const callback = await store.createCallback(newCallback({ eventType: 'OutBox' }), T0);
          waiting.push(callback.callbackId);
          await publishTo(store, callback.callbackId, 1, T0 + 1_000);
        }
        const busy = await store.createCallback(newCallback(), T0);
        const other = await store.createCallback(newCallback({ eventType: 'ConfirmDelivery' }), T0);
        const busyIds = await publishTo(store, busy.callbackId, 300, T0 - 1_000);
        const [otherId] = await publishTo(store, other.callbackId, 1, T0);
        const claim = (workerId: string, now = T0) =>
          store.claimDueEvents({ workerId, now, leaseMs: LEASE_MS, limit: 5, perCallbackLimit: 2 });
        expect((await claim('a')).map((j) => j.eventId)).toEqual([busyIds[0], busyIds[1], otherId]);
        expect(await claim('b')).toEqual([]);
        // Once the waiting events fall due a claim takes them, two of each callback at most.
        const later = await claim('c', T0 + 1_000);
        expect(later).toHaveLength(5);
        const perCallback = new Map<number, number>();
        for (const job of later) perCallback.set(job.callbackId, (perCallback.get(job.callbackId) ?? 0) + 1);
        expect([...perCallback.keys()].every((id) => waiting.includes(id))).toBe(true);
        expect(Math.max(...perCallback.values())).toBeLessThanOrEqual(2);
      });

      t('never claims events of suspended or deleted callbacks', async () => {
        const suspended = await store.createCallback(newCallback(), T0);
        const deleted = await store.createCallback(newCallback(), T0);
        await publishTo(store, suspended.callbackId, 1);
        await store.updateCallback(suspended.callbackId, { status: 'Suspended' }, T0);
        await store.deleteCallback(deleted.callbackId, T0);
        expect(await claimAll(store, 'w', T0 + 1_000)).toEqual([]);
      });

      t('a callback change reaches events already queued', async () => {
        const callback = await store.createCallback(newCallback(), T0);
        await publishTo(store, callback.callbackId, 1);
        await store.updateCallback(callback.callbackId, { url: 'https://moved.example/cb', frequency: 42 }, T0);
        const [job] = await claimAll(store, 'w');
        expect(job).toMatchObject({ url: 'https://moved.example/cb', frequency: 42 });
      });
    });

    describe('recording attempts', () => {
      const t = test('recording attempts');

      async function oneJob(retries = 3): Promise<DeliveryJob> {
        const callback = await store.createCallback(newCallback({ retries }), T0);
        await publishTo(store, callback.callbackId, 1);
        const [job] = await claimAll(store, 'w1');
        return job!;
      }

      t('writes every field of each outcome to the event and its attempt log', async () => {
        // Distinct values everywhere, so a result written to the wrong column shows.
        const retry = await oneJob(1);
        await store.recordAttempts([
          attempt(retry, 'Retry', { startedAt: T0 + 11, durationMs: 22, httpStatus: 503, error: 'first', nextAttemptAt: T0 + 44 }),
        ]);
        expect(await store.getEvent(retry.eventId)).toMatchObject({
          status: 'Pending',
          attempts: 1,
          callsRemaining: 1,
          nextAttemptAt: T0 + 44,
          lastAttemptAt: T0 + 11,
          lastHttpStatus: 503,
          lastError: 'first',
        });
        const [last] = await claimAll(store, 'w2', T0 + 44);
        await store.recordAttempts([
          attempt(last!, 'Failed', { startedAt: T0 + 55, durationMs: 66, httpStatus: null, error: 'second' }),
        ]);
        expect(await store.getEvent(retry.eventId)).toMatchObject({
          status: 'Failed',
          attempts: 2,
          callsRemaining: 0,
          nextAttemptAt: null,
          lastAttemptAt: T0 + 55,
          lastHttpStatus: null,
          lastError: 'second',
        });
        expect((await store.listAttempts(retry.eventId)).map(({ attemptId: _id, ...rest }) => rest)).toEqual([
          { eventId: retry.eventId, startedAt: T0 + 11, durationMs: 22, httpStatus: 503, error: 'first', responseHeaders: null, responseBody: null },
          { eventId: retry.eventId, startedAt: T0 + 55, durationMs: 66, httpStatus: null, error: 'second', responseHeaders: null, responseBody: null },
        ]);

        const delivered = await oneJob();
        await store.recordAttempts([
          attempt(delivered, 'Delivered', { startedAt: T0 + 77, durationMs: 88, httpStatus: 204, error: null }),
        ]);
        expect(await store.getEvent(delivered.eventId)).toMatchObject({
          status: 'Delivered',
          attempts: 1,
          nextAttemptAt: null,
          lastAttemptAt: T0 + 77,
          lastHttpStatus: 204,
          lastError: null,
        });
        expect(await store.listAttempts(delivered.eventId)).toMatchObject([
          { startedAt: T0 + 77, durationMs: 88, httpStatus: 204, error: null },
        ]);
        // It finished at start + duration: kept by a purge of what finished before then.
        await store.purgeFinishedEvents(T0 + 77 + 88, 10);
        expect(await store.getEvent(delivered.eventId)).not.toBeNull();
        await store.purgeFinishedEvents(T0 + 77 + 88 + 1, 10);
        expect(await store.getEvent(delivered.eventId)).toBeNull();
      });

      t('recordAndClaim writes the results and refills the slots they free', async () => {
        const callback = await store.createCallback(newCallback(), T0);
        const ids = await publishTo(store, callback.callbackId, 3);
        const claim = (workerId: string) => ({ workerId, now: T0 + 20, leaseMs: LEASE_MS, limit: 5, perCallbackLimit: 2 });
        const first = await store.claimDueEvents(claim('w1'));
        expect(first.map((j) => j.eventId)).toEqual([ids[0], ids[1]]);
        const refill = await store.recordAndClaim([attempt(first[0]!, 'Delivered')], claim('w1'));
        expect(refill.map((j) => j.eventId)).toEqual([ids[2]]);
        expect(refill[0]).toMatchObject({ leaseOwner: 'w1', url: callback.url });
        expect(await store.getEvent(ids[0]!)).toMatchObject({ status: 'Delivered', attempts: 1 });
        expect(await store.listAttempts(ids[0]!)).toHaveLength(1);
        // Nothing left to claim: the results are still written.
        expect(await store.recordAndClaim([attempt(first[1]!, 'Delivered')], claim('w1'))).toEqual([]);
        expect((await store.getEvent(ids[1]!))?.status).toBe('Delivered');
      });

      t('Delivered ends the event and logs the attempt', async () => {
        const job = await oneJob();
        await store.recordAttempts([attempt(job, 'Delivered', { startedAt: T0 + 10, durationMs: 40, httpStatus: 204 })]);
        expect(await store.getEvent(job.eventId)).toMatchObject({
          status: 'Delivered',
          attempts: 1,
          callsRemaining: 0,
          nextAttemptAt: null,
          lastAttemptAt: T0 + 10,
          lastHttpStatus: 204,
          lastError: null,
        });
        const log = await store.listAttempts(job.eventId);
        expect(log).toEqual([
          {
            attemptId: log[0]!.attemptId,
            eventId: job.eventId,
            startedAt: T0 + 10,
            durationMs: 40,
            httpStatus: 204,
            error: null,
            responseHeaders: null,
            responseBody: null,
          },
        ]);
        expect(await claimAll(store, 'w2', T0 + 10 * LEASE_MS)).toEqual([]);
      });

      t('Retry frees the event until its next attempt is due', async () => {
        const job = await oneJob(3);
        await store.recordAttempts([
          attempt(job, 'Retry', { httpStatus: null, error: 'connect ECONNREFUSED', nextAttemptAt: T0 + 5_000 }),
        ]);
        expect(await store.getEvent(job.eventId)).toMatchObject({
          status: 'Pending',
          attempts: 1,
          callsRemaining: 3,
          nextAttemptAt: T0 + 5_000,
          lastHttpStatus: null,
          lastError: 'connect ECONNREFUSED',
        });
        expect(await claimAll(store, 'w2', T0 + 4_999)).toEqual([]);
        const [again] = await claimAll(store, 'w2', T0 + 5_000);
        expect(again).toMatchObject({ eventId: job.eventId, attempts: 1, maxAttempts: 4, leaseOwner: 'w2' });
      });

      t('Failed ends the event', async () => {
        const job = await oneJob(0);
        await store.recordAttempts([attempt(job, 'Failed', { httpStatus: 500, error: 'HTTP 500' })]);
        expect(await store.getEvent(job.eventId)).toMatchObject({
          status: 'Failed',
          attempts: 1,
          callsRemaining: 0,
          nextAttemptAt: null,
          lastHttpStatus: 500,
          lastError: 'HTTP 500',
        });
        expect(await claimAll(store, 'w2', T0 + 10 * LEASE_MS)).toEqual([]);
      });

      t('writes a mixed batch at once and keeps the log in order', async () => {
        const callback = await store.createCallback(newCallback(), T0);
        await publishTo(store, callback.callbackId, 3);
        const [a, b, c] = await claimAll(store, 'w1');
        await store.recordAttempts([attempt(a!, 'Delivered'), attempt(b!, 'Retry', { nextAttemptAt: T0 + 1_000 }), attempt(c!, 'Failed')]);
        expect((await store.getEvent(a!.eventId))?.status).toBe('Delivered');
        expect((await store.getEvent(b!.eventId))?.status).toBe('Pending');
        expect((await store.getEvent(c!.eventId))?.status).toBe('Failed');

        const [b2] = await claimAll(store, 'w1', T0 + 1_000);
        await store.recordAttempts([attempt(b2!, 'Delivered', { startedAt: T0 + 1_001 })]);
        const log = await store.listAttempts(b!.eventId);
        expect(log.map((x) => [x.startedAt, x.httpStatus])).toEqual([
          [T0 + 10, 503],
          [T0 + 1_001, 200],
        ]);
        expect(await store.getEvent(b!.eventId)).toMatchObject({ status: 'Delivered', attempts: 2 });
        await expect(store.recordAttempts([])).resolves.toBeUndefined();
      });

      t('an event canceled meanwhile keeps its status but logs the attempt', async () => {
        const job = await oneJob();
        await store.updateCallback(job.callbackId, { status: 'Suspended' }, T0 + 1);
        await store.recordAttempts([attempt(job, 'Delivered')]);
        expect(await store.getEvent(job.eventId)).toMatchObject({
          status: 'Canceled',
          attempts: 1,
          lastHttpStatus: 200,
          callsRemaining: 0,
          nextAttemptAt: null,
        });
        expect(await store.listAttempts(job.eventId)).toHaveLength(1);

        const retried = await oneJob();
        await store.deleteCallback(retried.callbackId, T0 + 1);
        await store.recordAttempts([attempt(retried, 'Retry')]);
        expect(await store.getEvent(retried.eventId)).toMatchObject({ status: 'Canceled', attempts: 1 });
      });

      t('Delivered counts even when another worker has taken the lease over', async () => {
        const job = await oneJob();
        const [taken] = await claimAll(store, 'w2', T0 + LEASE_MS);
        expect(taken?.eventId).toBe(job.eventId);
        await store.recordAttempts([attempt(job, 'Delivered')]);
        expect(await store.getEvent(job.eventId)).toMatchObject({ status: 'Delivered', attempts: 1 });
        await store.recordAttempts([attempt(taken!, 'Retry')]);
        expect(await store.getEvent(job.eventId)).toMatchObject({ status: 'Delivered', attempts: 2 });
      });

      t("a late Retry from a worker that lost its lease does not free the new holder's lease", async () => {
        const job = await oneJob();
        const [taken] = await claimAll(store, 'w2', T0 + LEASE_MS);
        await store.recordAttempts([attempt(job, 'Retry', { nextAttemptAt: T0 + LEASE_MS })]);
        expect(await store.getEvent(job.eventId)).toMatchObject({ status: 'Pending', attempts: 1 });
        expect(await claimAll(store, 'w3', T0 + LEASE_MS + 1)).toEqual([]);
        await store.recordAttempts([attempt(job, 'Failed')]);
        expect((await store.getEvent(job.eventId))?.status).toBe('Pending');

        await store.recordAttempts([attempt(taken!, 'Retry', { nextAttemptAt: T0 + LEASE_MS + 5 })]);
        const [third] = await claimAll(store, 'w3', T0 + LEASE_MS + 5);
        expect(third).toMatchObject({ eventId: job.eventId, attempts: 3 });
      });
    });

    describe('test events', () => {
      const t = test('test events');

      t('creates a test event already leased to the caller', async () => {
        const callback = await store.createCallback(
          newCallback({ mailboxId: 1, ecGridId: 5, eventType: 'OutBoxError', retries: 2, secret: 'whsec_t' }),
          T0,
        );
        const job = await store.createTestEvent(callback.callbackId, { workerId: 'api-1', now: T0, leaseMs: 10_000, perCallbackLimit: 4 });
        expect(job).toMatchObject({
          callbackId: callback.callbackId,
          eventType: 'OutBoxError',
          networkId: 1,
          mailboxId: 1,
          ecGridId: 5,
          parcelId: 0,
          fileName: 'test.edi',
          isTest: true,
          createdAt: T0,
          attempts: 0,
          maxAttempts: 3,
          url: callback.url,
          frequency: callback.frequency,
          secrets: { secret: 'whsec_t', previousSecret: null, previousSecretExpiresAt: null },
          leaseOwner: 'api-1',
          leaseUntil: T0 + 10_000,
        });
        expect(await store.getEvent(job!.eventId)).toMatchObject({ isTest: true, status: 'Pending', callsRemaining: 3 });
        expect(await claimAll(store, 'worker', T0 + 9_999)).toEqual([]);

        await store.recordAttempts([attempt(job!, 'Retry', { nextAttemptAt: T0 + 1_000 })]);
        const [retry] = await claimAll(store, 'worker', T0 + 1_000);
        expect(retry).toMatchObject({ eventId: job!.eventId, isTest: true, attempts: 1 });
      });

      t('answers null for a missing or deleted callback', async () => {
        expect(await store.createTestEvent(999_999, { workerId: 'w', now: T0, leaseMs: 1_000, perCallbackLimit: 4 })).toBeNull();
        const callback = await store.createCallback(newCallback(), T0);
        await store.deleteCallback(callback.callbackId, T0);
        expect(await store.createTestEvent(callback.callbackId, { workerId: 'w', now: T0, leaseMs: 1_000, perCallbackLimit: 4 })).toBeNull();
      });

      t('is refused with RateLimitExceeded while the callback has its limit of leases', async () => {
        const callback = await store.createCallback(newCallback(), T0);
        await publishTo(store, callback.callbackId, 2);
        await store.claimDueEvents({ workerId: 'w', now: T0, leaseMs: LEASE_MS, limit: 10, perCallbackLimit: 2 });
        const options = { workerId: 'api', now: T0, leaseMs: LEASE_MS };
        await expectGridhookError(
          store.createTestEvent(callback.callbackId, { ...options, perCallbackLimit: 2 }),
          'RateLimitExceeded',
        );
        expect(await store.createTestEvent(callback.callbackId, { ...options, perCallbackLimit: 3 })).not.toBeNull();
        await expectGridhookError(
          store.createTestEvent(callback.callbackId, { ...options, perCallbackLimit: 3 }),
          'RateLimitExceeded',
        );
        // Expired leases do not count.
        const later = { ...options, now: T0 + LEASE_MS + 1 };
        expect(await store.createTestEvent(callback.callbackId, { ...later, perCallbackLimit: 1 })).not.toBeNull();
      });

      t('its lease counts toward the per-callback limit', async () => {
        const callback = await store.createCallback(newCallback(), T0);
        await store.createTestEvent(callback.callbackId, { workerId: 'api', now: T0, leaseMs: LEASE_MS, perCallbackLimit: 4 });
        await publishTo(store, callback.callbackId, 2);
        const jobs = await store.claimDueEvents({ workerId: 'w', now: T0, leaseMs: LEASE_MS, limit: 10, perCallbackLimit: 2 });
        expect(jobs).toHaveLength(1);
      });
    });

    describe('leases and wake-ups', () => {
      const t = test('leases and wake-ups');

      t('releaseLeases gives back all or some of one worker’s leases', async () => {
        const callback = await store.createCallback(newCallback(), T0);
        await publishTo(store, callback.callbackId, 4);
        const mine = await store.claimDueEvents({ workerId: 'leaving', now: T0, leaseMs: LEASE_MS, limit: 3, perCallbackLimit: 10 });
        const theirs = await claimAll(store, 'staying');
        expect(theirs).toHaveLength(1);

        expect(await store.releaseLeases('leaving', [mine[0]!.eventId])).toBe(1);
        expect((await claimAll(store, 'next', T0 + 1)).map((j) => j.eventId)).toEqual([mine[0]!.eventId]);

        expect(await store.releaseLeases('leaving')).toBe(2);
        expect(await store.releaseLeases('leaving')).toBe(0);
        expect(await store.releaseLeases('nobody', [theirs[0]!.eventId])).toBe(0);
        const reclaimed = await claimAll(store, 'next', T0 + 1);
        expect(reclaimed.map((j) => j.eventId)).toEqual([mine[1]!.eventId, mine[2]!.eventId]);
      });

      t('nextDueAt answers the soonest due time of an event not leased', async () => {
        expect(await store.nextDueAt()).toBeNull();
        const callback = await store.createCallback(newCallback(), T0);
        await publishTo(store, callback.callbackId, 2, T0 + 100);
        expect(await store.nextDueAt()).toBe(T0 + 100);

        const [a, b] = await claimAll(store, 'w', T0 + 100);
        // Leased events wait for the poll, not for their expiry.
        expect(await store.nextDueAt()).toBeNull();

        await store.recordAttempts([attempt(a!, 'Retry', { nextAttemptAt: T0 + 700 })]);
        expect(await store.nextDueAt()).toBe(T0 + 700);

        await store.recordAttempts([attempt(b!, 'Delivered')]);
        expect(await store.nextDueAt()).toBe(T0 + 700);

        await store.updateCallback(callback.callbackId, { status: 'Suspended' }, T0 + 800);
        expect(await store.nextDueAt()).toBeNull();
      });

      t('onNewWork hears published events, retries and new callbacks until unsubscribed', async () => {
        let calls = 0;
        const unsubscribe = store.onNewWork(() => {
          calls += 1;
        });
        const callback = await store.createCallback(newCallback({ retries: 0 }), T0);
        await waitUntil(() => calls >= 1);

        let seen = calls;
        await publishTo(store, callback.callbackId, 1);
        await waitUntil(() => calls > seen);

        const [job] = await claimAll(store, 'w');
        await store.recordAttempts([attempt(job!, 'Failed')]);
        seen = calls;
        await store.retryEvent(job!.eventId, T0 + 1);
        await waitUntil(() => calls > seen);

        unsubscribe();
        seen = calls;
        await publishTo(store, callback.callbackId, 1);
        await sleep(50);
        expect(calls).toBe(seen);
      });
    });

    describe('reading events', () => {
      const t = test('reading events');

      t('getEvent and listAttempts answer nothing for a missing event', async () => {
        expect(await store.getEvent(999_999)).toBeNull();
        expect(await store.listAttempts(999_999)).toEqual([]);
      });

      t('lists newest first with filters and paging', async () => {
        const m2 = await store.createMailbox(1, 'Second');
        const other = await store.createNetwork('Other');
        const a = await store.createCallback(newCallback(), T0);
        const b = await store.createCallback(newCallback({ networkId: other.networkId }), T0);
        const first = await store.publishEvents([eventInput({ mailboxId: 1 })], { now: T0 + 1 });
        const second = await store.publishEvents([eventInput({ mailboxId: m2.mailboxId }), eventInput({ mailboxId: 1 })], {
          now: T0 + 2,
        });
        const third = await store.publishEvents([eventInput({ networkId: other.networkId, mailboxId: 7 })], { now: T0 + 3 });
        const [olderCreatedLater] = (await store.publishEvents([eventInput()], { now: T0 })).eventIds;

        const [e1] = first.eventIds;
        const [e2, e3] = second.eventIds;
        const [e4] = third.eventIds;
        const page = { pageNo: 1, recordsPerPage: 10 };
        const ids = async (filter: Parameters<Store['listEvents']>[0], p = page) =>
          (await store.listEvents(filter, p)).items.map((e) => e.eventId);

        expect(await ids({})).toEqual([e4, e3, e2, e1, olderCreatedLater]);
        expect(await ids({ callbackId: b.callbackId })).toEqual([e4]);
        expect(await ids({ callbackId: a.callbackId })).toEqual([e3, e2, e1, olderCreatedLater]);
        expect(await ids({ networkId: 1, mailboxId: m2.mailboxId })).toEqual([e2]);
        expect(await ids({ networkId: other.networkId })).toEqual([e4]);

        const [job] = await store.claimDueEvents({ workerId: 'w', now: T0 + 10, leaseMs: LEASE_MS, limit: 1, perCallbackLimit: 10 });
        await store.recordAttempts([attempt(job!, 'Delivered')]);
        expect(await ids({ status: 'Delivered' })).toEqual([job!.eventId]);
        expect(await ids({ status: 'Pending', callbackId: a.callbackId })).toHaveLength(3);

        const paged = await store.listEvents({}, { pageNo: 2, recordsPerPage: 2 });
        expect(paged).toMatchObject({ totalRecords: 5, pageNo: 2, recordsPerPage: 2 });
        expect(paged.items.map((e) => e.eventId)).toEqual([e2, e1]);
        expect((await store.listEvents({}, { pageNo: 9, recordsPerPage: 2 })).items).toEqual([]);
      });
    });

    describe('retrying events', () => {
      const t = test('retrying events');

      /** An event whose retries are used up, on a callback of its own (no other callback matches it). */
      async function failedEvent(retries = 1): Promise<{ eventId: number; callbackId: number }> {
        const callback = await store.createCallback(newCallback({ retries, eventType: 'ConfirmDelivery' }), T0);
        const [eventId] = await publishTo(store, callback.callbackId, 1);
        for (let n = 0; n <= retries; n++) {
          const jobs = await claimAll(store, 'w', T0 + n * 1_000);
          const job = jobs.find((j) => j.eventId === eventId);
          await store.recordAttempts([
            attempt(job!, n === retries ? 'Failed' : 'Retry', { nextAttemptAt: T0 + (n + 1) * 1_000 }),
          ]);
        }
        expect((await store.getEvent(eventId!))?.status).toBe('Failed');
        return { eventId: eventId!, callbackId: callback.callbackId };
      }

      t('a Failed event becomes Pending and due now with a fresh set of retries', async () => {
        const { eventId } = await failedEvent(1);
        const retried = await store.retryEvent(eventId, T0 + 50_000);
        expect(retried).toMatchObject({ eventId, status: 'Pending', attempts: 2, callsRemaining: 2, nextAttemptAt: T0 + 50_000 });
        expect(await store.getEvent(eventId)).toEqual(retried);
        const [job] = await claimAll(store, 'w', T0 + 50_000);
        expect(job).toMatchObject({ eventId, attempts: 2, maxAttempts: 4 });
      });

      t('a Canceled event can be retried once its callback is active again', async () => {
        const callback = await store.createCallback(newCallback({ retries: 2 }), T0);
        const [eventId] = await publishTo(store, callback.callbackId, 1);
        await store.updateCallback(callback.callbackId, { status: 'Suspended' }, T0);
        await expectGridhookError(store.retryEvent(eventId!, T0 + 1), 'InvalidState');
        await store.updateCallback(callback.callbackId, { status: 'Active' }, T0 + 2);
        expect(await store.retryEvent(eventId!, T0 + 3)).toMatchObject({ status: 'Pending', callsRemaining: 3, nextAttemptAt: T0 + 3 });
      });

      t('refuses Pending, Delivered, missing events and events of deleted callbacks', async () => {
        const callback = await store.createCallback(newCallback(), T0);
        const [pending, delivered] = await publishTo(store, callback.callbackId, 2);
        const [job] = await store.claimDueEvents({ workerId: 'w', now: T0, leaseMs: LEASE_MS, limit: 1, perCallbackLimit: 10 });
        expect(job?.eventId).toBe(pending);
        const jobs = await claimAll(store, 'w');
        await store.recordAttempts([attempt(jobs[0]!, 'Delivered')]);
        expect((await store.getEvent(delivered!))?.status).toBe('Delivered');

        await expectGridhookError(store.retryEvent(pending!, T0), 'InvalidState');
        await expectGridhookError(store.retryEvent(delivered!, T0), 'InvalidState');
        await expectGridhookError(store.retryEvent(999_999, T0), 'ObjectNotFound');

        const { eventId, callbackId } = await failedEvent(0);
        await store.deleteCallback(callbackId, T0);
        await expectGridhookError(store.retryEvent(eventId, T0), 'InvalidState');
      });

      t('retryFailedEvents retries every Failed event of one callback only', async () => {
        const callback = await store.createCallback(newCallback({ retries: 0 }), T0);
        const other = await store.createCallback(newCallback({ retries: 0, eventType: 'OutBox' }), T0);
        await publishTo(store, callback.callbackId, 3);
        const [otherId] = await publishTo(store, other.callbackId, 1);
        const jobs = await claimAll(store, 'w');
        await store.recordAttempts(
          jobs.map((job, i) => attempt(job, job.callbackId === callback.callbackId && i === 2 ? 'Delivered' : 'Failed')),
        );

        expect(await store.retryFailedEvents(callback.callbackId, T0 + 100)).toBe(2);
        const pending = await store.listEvents({ callbackId: callback.callbackId, status: 'Pending' }, { pageNo: 1, recordsPerPage: 10 });
        expect(pending.totalRecords).toBe(2);
        for (const event of pending.items) expect(event).toMatchObject({ callsRemaining: 1, nextAttemptAt: T0 + 100, attempts: 1 });
        expect((await store.getEvent(otherId!))?.status).toBe('Failed');
        expect(await store.retryFailedEvents(callback.callbackId, T0 + 200)).toBe(0);
        await expectGridhookError(store.retryFailedEvents(999_999, T0), 'ObjectNotFound');
      });
    });

    describe('purging', () => {
      const t = test('purging');

      t('deletes old finished events (Delivered first, then Failed and Canceled) with their attempts, up to the limit', async () => {
        const callback = await store.createCallback(newCallback({ retries: 0 }), T0);
        await publishTo(store, callback.callbackId, 5);
        const [a, b, c, d, e] = await claimAll(store, 'w');
        await store.recordAttempts([
          attempt(a!, 'Delivered', { startedAt: T0, durationMs: 1 }),
          attempt(b!, 'Delivered', { startedAt: T0 + 1, durationMs: 1 }),
          attempt(c!, 'Delivered', { startedAt: T0 + 100_000, durationMs: 1 }),
          attempt(d!, 'Failed', { startedAt: T0, durationMs: 1 }),
        ]);
        // e stays Pending (leased).

        expect(await store.purgeFinishedEvents(T0 + 50_000, 1)).toBe(1);
        expect(await store.purgeFinishedEvents(T0 + 50_000, 10)).toBe(2);
        expect(await store.purgeFinishedEvents(T0 + 50_000, 10)).toBe(0);
        for (const gone of [a!, b!, d!]) {
          expect(await store.getEvent(gone.eventId)).toBeNull();
          expect(await store.listAttempts(gone.eventId)).toEqual([]);
        }
        expect((await store.getEvent(c!.eventId))?.status).toBe('Delivered');
        expect((await store.getEvent(e!.eventId))?.status).toBe('Pending');
        expect(await store.listAttempts(c!.eventId)).toHaveLength(1);
      });

      t('deletes Canceled events and test events once they end', async () => {
        const callback = await store.createCallback(newCallback({ retries: 0 }), T0);
        const [canceled] = await publishTo(store, callback.callbackId, 1);
        await store.updateCallback(callback.callbackId, { status: 'Suspended' }, T0 + 5);
        expect((await store.getEvent(canceled!))?.status).toBe('Canceled');
        await store.updateCallback(callback.callbackId, { status: 'Active' }, T0 + 6);
        const test = await store.createTestEvent(callback.callbackId, { workerId: 'w', now: T0, leaseMs: LEASE_MS, perCallbackLimit: 4 });
        await store.recordAttempts([attempt(test!, 'Failed', { startedAt: T0, durationMs: 1 })]);
        expect(await store.purgeFinishedEvents(T0 + 5, 10)).toBe(1);
        expect(await store.purgeFinishedEvents(T0 + 6, 10)).toBe(1);
        expect(await store.getEvent(canceled!)).toBeNull();
        expect(await store.getEvent(test!.eventId)).toBeNull();
      });

      t('deletes idempotency keys made before a time, oldest first, up to the limit', async () => {
        await store.createCallback(newCallback(), T0);
        for (const [key, now] of [['k1', T0], ['k2', T0 + 10], ['k3', T0 + 20]] as const) {
          await store.publishEvents([eventInput()], { now, idempotencyKey: key, idempotencyNetworkId: 1 });
        }
        expect(await store.purgeIdempotencyKeys(T0 + 15, 1)).toBe(1);
        expect(await store.purgeIdempotencyKeys(T0 + 15, 10)).toBe(1);
        expect(await store.purgeIdempotencyKeys(T0 + 15, 10)).toBe(0);
        const again = (key: string) =>
          store.publishEvents([eventInput()], { now: T0 + 30, idempotencyKey: key, idempotencyNetworkId: 1 });
        expect((await again('k1')).replayed).toBe(false);
        expect((await again('k3')).replayed).toBe(true);
      });

      t('never reuses the id of a purged event', async () => {
        const callback = await store.createCallback(newCallback(), T0);
        await publishTo(store, callback.callbackId, 2);
        const jobs = await claimAll(store, 'w');
        await store.recordAttempts(jobs.map((job) => attempt(job, 'Delivered')));
        expect(await store.purgeFinishedEvents(T0 + 1_000_000, 10)).toBe(2);
        const [fresh] = await publishTo(store, callback.callbackId, 1);
        expect(fresh).toBeGreaterThan(Math.max(...jobs.map((j) => j.eventId)));
      });
    });

    describeParcelConformance(() => store, test);
    describeStatsConformance(() => store, test);
    describeFeedConformance(() => store, test);
    describeAttemptAnswersConformance(() => store, test);
    describeObservabilityConformance(() => store, test);
    describeDeliveryPoliciesConformance(() => store, test);
  });
}
