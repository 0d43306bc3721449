/**
 * Each role against each route: inside its scope it works, outside it the
 * object answers 404 as if missing, and a verb the role may not use at all
 * answers 403.
 *
 * The world: network 1 with mailboxes A and B, network 2 with mailbox C, an
 * ECGrid ID in each mailbox, callbacks network-wide in 1 and per mailbox,
 * and a user of every role (the mailbox roles in mailbox A).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/domain/types.js';
import { addUser, call, ok, startTestServer, type TestServer, type TestUser } from './helpers/server.js';

type Who = 'root' | 'netAdmin' | 'netUser' | 'mbAdmin' | 'mbUser' | 'otherAdmin';

interface World {
  n2: number;
  mA: number;
  mB: number;
  mC: number;
  eA: number;
  eB: number;
  eC: number;
  cbNet: number;
  cbA: number;
  cbB: number;
  cbC: number;
  /** Events in mailbox A (of cbNet and cbA), mailbox B (cbNet, cbB) and mailbox C (cbC). */
  evA: number;
  evB: number;
  evC: number;
  users: Record<Exclude<Who, 'root'>, TestUser>;
  rootUserId: number;
}

let server: TestServer;
let w: World;

function keyOf(who: Who): string {
  return who === 'root' ? server.rootKey : w.users[who].key;
}

async function as(who: Who, method: string, route: string, body?: unknown) {
  return call(server, method, route, body, { key: keyOf(who) });
}

beforeAll(async () => {
  server = await startTestServer();
  const n2 = (await ok(server, 'POST', '/v2/networks/create', { name: 'Network two' })).networkId;
  const mA = (await ok(server, 'POST', '/v2/mailboxes/create', { networkId: 1, name: 'A' })).mailboxId;
  const mB = (await ok(server, 'POST', '/v2/mailboxes/create', { networkId: 1, name: 'B' })).mailboxId;
  const mC = (await ok(server, 'POST', '/v2/mailboxes/create', { networkId: n2, name: 'C' })).mailboxId;
  const eA = (await ok(server, 'POST', '/v2/ids/create', { mailboxId: mA, qualifier: 'ZZ', id: 'ALPHA' })).ecGridId;
  const eB = (await ok(server, 'POST', '/v2/ids/create', { mailboxId: mB, qualifier: 'ZZ', id: 'BRAVO' })).ecGridId;
  const eC = (await ok(server, 'POST', '/v2/ids/create', { mailboxId: mC, qualifier: 'ZZ', id: 'CHARLIE' })).ecGridId;
  // Unreachable URLs: events stay Pending or fail, which is all these tests need.
  const cb = async (scope: Record<string, number>) =>
    (
      await ok(server, 'POST', '/v2/callbacks/create', {
        ...scope,
        callBackUrl: 'http://127.0.0.1:9/hook',
        callBackEvent: 'InBox',
        frequency: 3600,
      })
    ).callBackQueueId as number;
  const cbNet = await cb({ networkId: 1 });
  const cbA = await cb({ networkId: 1, mailboxId: mA });
  const cbB = await cb({ networkId: 1, mailboxId: mB });
  const cbC = await cb({ networkId: n2 });
  const published = await ok(server, 'POST', '/v2/callbacks/events/publish', {
    events: [
      { callBackEvent: 'InBox', networkId: 1, mailboxId: mA },
      { callBackEvent: 'InBox', networkId: 1, mailboxId: mB },
      { callBackEvent: 'InBox', networkId: n2, mailboxId: mC },
    ],
  });
  expect(published.matched).toEqual([2, 2, 1]);
  const [evA, , evB, , evC] = published.eventIds as number[];
  const users = {
    netAdmin: await addUser(server, 'NetworkAdmin', 1),
    netUser: await addUser(server, 'NetworkUser', 1),
    mbAdmin: await addUser(server, 'MailboxAdmin', 1, mA),
    mbUser: await addUser(server, 'MailboxUser', 1, mA),
    otherAdmin: await addUser(server, 'NetworkAdmin', n2),
  };
  const rootUserId = (await ok(server, 'GET', '/v2/users/me')).userId;
  w = { n2, mA, mB, mC, eA, eB, eC, cbNet, cbA, cbB, cbC, evA: evA!, evB: evB!, evC: evC!, users, rootUserId };
});

afterAll(async () => {
  await server?.close();
});

type Case = [title: string, who: Who, request: () => [method: string, route: string, body?: unknown], status: number];

function run(cases: Case[]): void {
  it.each(cases)('%s', async (_title, who, request, status) => {
    const [method, route, body] = request();
    const answer = await as(who, method, route, body);
    if (answer.status !== status) throw new Error(`${who} ${method} ${route} → ${answer.status} ${JSON.stringify(answer.body)}`);
    expect(answer.body.success).toBe(status === 200);
    if (status !== 200) {
      const code = { 403: 'AccessDenied', 404: 'ObjectNotFound', 400: 'InvalidParameter' }[status];
      expect(answer.body).toMatchObject({ errorCode: code, data: null });
    }
  });
}

describe('callbacks', () => {
  const get = (id: () => number): (() => [string, string]) => () => ['GET', `/v2/callbacks/${id()}`];
  run([
    ['root sees a callback of another network', 'root', get(() => w.cbC), 200],
    ['a network admin sees a network-wide callback', 'netAdmin', get(() => w.cbNet), 200],
    ['a network user sees a callback of any mailbox of its network', 'netUser', get(() => w.cbB), 200],
    ['a network user does not see another network', 'netUser', get(() => w.cbC), 404],
    ['a mailbox user sees its mailbox callback', 'mbUser', get(() => w.cbA), 200],
    ['a mailbox user does not see a network-wide callback', 'mbUser', get(() => w.cbNet), 404],
    ['a mailbox admin does not see another mailbox', 'mbAdmin', get(() => w.cbB), 404],
    ['another network admin does not see network 1', 'otherAdmin', get(() => w.cbA), 404],
    ['another network admin sees its own', 'otherAdmin', get(() => w.cbC), 200],
  ]);

  const create = (scope: () => Record<string, number>): (() => [string, string, unknown]) => () => [
    'POST',
    '/v2/callbacks/create',
    { ...scope(), callBackUrl: 'http://127.0.0.1:9/x', callBackEvent: 'OutBox' },
  ];
  run([
    ['a network user registers in its network', 'netUser', create(() => ({ networkId: 0 })), 200],
    ['a network user cannot register in another network', 'netUser', create(() => ({ networkId: w.n2 })), 404],
    ['a mailbox user registers for its mailbox', 'mbUser', create(() => ({ mailboxId: w.mA, ecGridId: w.eA })), 200],
    ['a mailbox user cannot register for another mailbox', 'mbUser', create(() => ({ mailboxId: w.mB })), 404],
    ['a mailbox user cannot use an ECGrid ID of another mailbox', 'mbUser', create(() => ({ ecGridId: w.eB })), 404],
    ['a network user cannot use an ECGrid ID outside the mailbox named', 'netUser', create(() => ({ mailboxId: w.mA, ecGridId: w.eB })), 404],
    ['root registers in another network', 'root', create(() => ({ networkId: w.n2, mailboxId: w.mC })), 200],
    ['root cannot pair a network with a mailbox of another', 'root', create(() => ({ networkId: w.n2, mailboxId: w.mA })), 404],
  ]);

  it('a mailbox key registering with mailboxId 0 gets its own mailbox', async () => {
    const answer = await as('mbUser', 'POST', '/v2/callbacks/create', {
      networkId: 0,
      mailboxId: 0,
      ecGridId: 0,
      callBackUrl: 'http://127.0.0.1:9/x',
      callBackEvent: 'InBox',
    });
    expect(answer.body.data).toMatchObject({ networkId: 1, mailboxId: w.mA, ecGridId: 0 });
  });

  it('lists only what each role may see', async () => {
    const ids = async (who: Who) => {
      const page = await as(who, 'POST', '/v2/callbacks/list', { recordsPerPage: 500 });
      expect(page.status).toBe(200);
      return new Set<number>(page.body.data.callBacks.map((c: any) => c.callBackQueueId));
    };
    const netUser = await ids('netUser');
    expect([w.cbNet, w.cbA, w.cbB].every((id) => netUser.has(id))).toBe(true);
    expect(netUser.has(w.cbC)).toBe(false);
    const mbUser = await ids('mbUser');
    expect(mbUser.has(w.cbA)).toBe(true);
    expect([w.cbNet, w.cbB, w.cbC].some((id) => mbUser.has(id))).toBe(false);
    const other = await ids('otherAdmin');
    expect(other.has(w.cbC)).toBe(true);
    expect([w.cbNet, w.cbA, w.cbB].some((id) => other.has(id))).toBe(false);
    const root = await ids('root');
    expect([w.cbNet, w.cbA, w.cbB, w.cbC].every((id) => root.has(id))).toBe(true);
    expect((await as('mbUser', 'POST', '/v2/callbacks/list', { mailboxId: w.mB })).status).toBe(404);
    expect((await as('netUser', 'POST', '/v2/callbacks/list', { networkId: w.n2 })).status).toBe(404);
  });

  it('filters by a mailbox alone: its own network for root, not found beyond scope', async () => {
    const root = await as('root', 'POST', '/v2/callbacks/list', { mailboxId: w.mC });
    expect(root.status).toBe(200);
    expect(root.body.data.callBacks.every((c: any) => c.mailboxId === w.mC && c.networkId === w.n2)).toBe(true);
    const outside = await as('netUser', 'POST', '/v2/callbacks/list', { mailboxId: w.mC });
    expect(outside.status).toBe(404);
    expect(outside.body.message).toBe(`Mailbox ${w.mC} was not found.`);
    expect((await as('netUser', 'POST', '/v2/callbacks/list', { ecGridId: w.eC })).status).toBe(404);
  });

  it('lets any role test, change and delete a callback of its own scope', async () => {
    for (const who of ['netUser', 'mbUser', 'otherAdmin'] as const) {
      const created = await as(who, 'POST', '/v2/callbacks/create', {
        callBackUrl: 'http://127.0.0.1:9/mine',
        callBackEvent: 'OutBox',
        frequency: 3600,
      });
      const id = created.body.data.callBackQueueId;
      const tested = await as(who, 'POST', '/v2/callbacks/test', { callBackQueueId: id });
      expect(tested.status).toBe(200);
      expect(tested.body.data).toMatchObject({ delivered: false, httpStatus: null, status: 'Pending' });
      expect((await as(who, 'GET', `/v2/callbacks/events/${tested.body.data.eventId}`)).status).toBe(200);
      expect((await as(who, 'POST', '/v2/callbacks/update', { callBackQueueId: id, status: 'Suspended' })).status).toBe(200);
      expect((await as(who, 'POST', '/v2/callbacks/rotate-secret', { callBackQueueId: id })).status).toBe(200);
      expect((await as(who, 'DELETE', `/v2/callbacks/${id}`)).status).toBe(200);
    }
  });

  run([
    ['update out of scope', 'mbAdmin', () => ['POST', '/v2/callbacks/update', { callBackQueueId: w.cbB, frequency: 5 }], 404],
    ['update in scope', 'mbAdmin', () => ['POST', '/v2/callbacks/update', { callBackQueueId: w.cbA, frequency: 5 }], 200],
    ['move a callback out of scope', 'mbAdmin', () => ['POST', '/v2/callbacks/update', { callBackQueueId: w.cbA, mailboxId: w.mB }], 404],
    ['delete out of scope', 'otherAdmin', () => ['DELETE', `/v2/callbacks/${w.cbNet}`], 404],
    ['test out of scope', 'netUser', () => ['POST', '/v2/callbacks/test', { callBackQueueId: w.cbC }], 404],
    ['rotate out of scope', 'mbUser', () => ['POST', '/v2/callbacks/rotate-secret', { callBackQueueId: w.cbNet }], 404],
    ['rotate in scope', 'mbUser', () => ['POST', '/v2/callbacks/rotate-secret', { callBackQueueId: w.cbA }], 200],
  ]);
});

describe('events', () => {
  run([
    ['a network user reads an event of its network', 'netUser', () => ['GET', `/v2/callbacks/events/${w.evB}`], 200],
    ['a network user cannot read another network’s event', 'netUser', () => ['GET', `/v2/callbacks/events/${w.evC}`], 404],
    ['a mailbox user reads an event of its mailbox', 'mbUser', () => ['GET', `/v2/callbacks/events/${w.evA}`], 200],
    ['a mailbox user cannot read another mailbox’s event', 'mbUser', () => ['GET', `/v2/callbacks/events/${w.evB}`], 404],
    ['queue of a callback out of scope', 'mbUser', () => ['POST', '/v2/callbacks/queue-list', { callBackQueueId: w.cbB }], 404],
    ['queue of a callback in scope', 'mbUser', () => ['POST', '/v2/callbacks/queue-list', { callBackQueueId: w.cbA }], 200],
    ['retry an event out of scope', 'otherAdmin', () => ['POST', '/v2/callbacks/events/retry', { eventId: w.evA }], 404],
    ['skip an event out of scope', 'otherAdmin', () => ['POST', '/v2/callbacks/events/skip', { eventId: w.evA }], 404],
    ['retry failed events of a callback out of scope', 'mbAdmin', () => ['POST', '/v2/callbacks/events/retry', { callBackQueueId: w.cbC }], 404],
    ['retry failed events of a callback in scope', 'mbAdmin', () => ['POST', '/v2/callbacks/events/retry', { callBackQueueId: w.cbA, status: 'Failed' }], 200],
  ]);

  it('lists only events in scope', async () => {
    const page = await as('mbUser', 'POST', '/v2/callbacks/queue-list', { recordsPerPage: 500 });
    expect(page.status).toBe(200);
    expect(page.body.data.events.length).toBeGreaterThan(0);
    expect(page.body.data.events.every((e: any) => e.mailboxId === w.mA && e.networkId === 1)).toBe(true);
    const other = await as('otherAdmin', 'POST', '/v2/callbacks/queue-list', { recordsPerPage: 500 });
    expect(other.body.data.events.every((e: any) => e.networkId === w.n2)).toBe(true);
  });

  const publish = (mailboxId: () => number, networkId = (): number => 0): (() => [string, string, unknown]) => () => [
    'POST',
    '/v2/callbacks/events/publish',
    { events: [{ callBackEvent: 'OutBox', networkId: networkId(), mailboxId: mailboxId() }] },
  ];
  run([
    ['a network admin publishes in its network', 'netAdmin', publish(() => w.mB), 200],
    ['a network admin cannot publish into another network', 'netAdmin', publish(() => w.mC, () => w.n2), 404],
    ['a network admin cannot publish into a mailbox of another network', 'netAdmin', publish(() => w.mC), 404],
    ['a network user may not publish', 'netUser', publish(() => w.mA), 403],
    ['a mailbox admin may not publish', 'mbAdmin', publish(() => w.mA), 403],
    ['a mailbox user may not publish', 'mbUser', publish(() => w.mA), 403],
    ['root publishes anywhere', 'root', publish(() => w.mC, () => w.n2), 200],
  ]);
});

describe('networks', () => {
  run([
    ['only root creates networks', 'netAdmin', () => ['POST', '/v2/networks/create', { name: 'x' }], 403],
    ['only root lists networks', 'mbUser', () => ['POST', '/v2/networks/list', {}], 403],
    ['root lists networks', 'root', () => ['POST', '/v2/networks/list', {}], 200],
    ['a network user gets its network', 'netUser', () => ['GET', '/v2/networks/1'], 200],
    ['a mailbox user gets its network', 'mbUser', () => ['GET', '/v2/networks/1'], 200],
    ['another network is not found', 'otherAdmin', () => ['GET', '/v2/networks/1'], 404],
  ]);
});

describe('mailboxes', () => {
  run([
    ['a network admin creates a mailbox in its network', 'netAdmin', () => ['POST', '/v2/mailboxes/create', { name: 'new' }], 200],
    ['a network admin cannot create in another network', 'netAdmin', () => ['POST', '/v2/mailboxes/create', { networkId: w.n2, name: 'x' }], 404],
    ['a network user may not create mailboxes', 'netUser', () => ['POST', '/v2/mailboxes/create', { name: 'x' }], 403],
    ['a mailbox admin may not create mailboxes', 'mbAdmin', () => ['POST', '/v2/mailboxes/create', { name: 'x' }], 403],
    ['a mailbox user gets its mailbox', 'mbUser', () => ['GET', `/v2/mailboxes/${w.mA}`], 200],
    ['a mailbox user does not see another mailbox', 'mbUser', () => ['GET', `/v2/mailboxes/${w.mB}`], 404],
    ['a network user sees every mailbox of its network', 'netUser', () => ['GET', `/v2/mailboxes/${w.mB}`], 200],
    ['a network user does not see another network’s mailbox', 'netUser', () => ['GET', `/v2/mailboxes/${w.mC}`], 404],
    ['listing another network', 'netAdmin', () => ['POST', '/v2/mailboxes/list', { networkId: w.n2 }], 404],
  ]);

  it('lists a mailbox key only its own mailbox', async () => {
    const page = await as('mbUser', 'POST', '/v2/mailboxes/list', {});
    expect(page.body.data.mailboxes.map((m: any) => m.mailboxId)).toEqual([w.mA]);
    const net = await as('netUser', 'POST', '/v2/mailboxes/list', { recordsPerPage: 500 });
    expect(net.body.data.mailboxes.every((m: any) => m.networkId === 1)).toBe(true);
  });
});

describe('ECGrid IDs', () => {
  let counter = 0;
  const createId = (mailboxId: () => number): (() => [string, string, unknown]) => () => {
    counter += 1;
    return ['POST', '/v2/ids/create', { mailboxId: mailboxId(), qualifier: '01', id: `SCOPE${counter}` }];
  };
  run([
    ['a mailbox admin creates an ID in its mailbox', 'mbAdmin', createId(() => 0), 200],
    ['a mailbox admin cannot create in another mailbox', 'mbAdmin', createId(() => w.mB), 404],
    ['a network admin creates in any mailbox of its network', 'netAdmin', createId(() => w.mB), 200],
    ['another network admin cannot create in network 1', 'otherAdmin', createId(() => w.mA), 404],
    ['a network user may not create IDs', 'netUser', createId(() => w.mA), 403],
    ['a mailbox user may not create IDs', 'mbUser', createId(() => w.mA), 403],
    ['a mailbox user gets an ID of its mailbox', 'mbUser', () => ['GET', `/v2/ids/${w.eA}`], 200],
    ['a mailbox user does not see another mailbox’s ID', 'mbUser', () => ['GET', `/v2/ids/${w.eB}`], 404],
    ['a network user does not see another network’s ID', 'netUser', () => ['GET', `/v2/ids/${w.eC}`], 404],
    ['a mailbox admin updates an ID of its mailbox', 'mbAdmin', () => ['POST', '/v2/ids/update', { ecGridId: w.eA, description: 'mine' }], 200],
    ['a mailbox admin cannot update another mailbox’s ID', 'mbAdmin', () => ['POST', '/v2/ids/update', { ecGridId: w.eB, description: 'x' }], 404],
    ['a mailbox user may not update IDs', 'mbUser', () => ['POST', '/v2/ids/update', { ecGridId: w.eA, description: 'x' }], 403],
    ['a network user may not update IDs', 'netUser', () => ['POST', '/v2/ids/update', { ecGridId: w.eB, description: 'x' }], 403],
  ]);

  it('finds and lists only IDs in scope', async () => {
    const hidden = await as('netUser', 'POST', '/v2/ids/find', { qualifier: 'ZZ', id: 'CHARLIE' });
    expect(hidden.body.data).toEqual({ ids: [] });
    const elsewhere = await as('netUser', 'POST', '/v2/ids/find', { qualifier: 'ZZ', id: 'CHARLIE', networkId: w.n2 });
    expect(elsewhere.status).toBe(404);
    const visible = await as('mbUser', 'POST', '/v2/ids/find', { qualifier: 'ZZ', id: 'ALPHA' });
    expect(visible.body.data.ids.map((r: any) => r.ecGridId)).toEqual([w.eA]);
    const notMine = await as('mbUser', 'POST', '/v2/ids/find', { qualifier: 'ZZ', id: 'BRAVO' });
    expect(notMine.body.data).toEqual({ ids: [] });
    const listed = await as('mbUser', 'POST', '/v2/ids/list', { recordsPerPage: 500 });
    expect(listed.body.data.ids.every((r: any) => r.mailboxId === w.mA)).toBe(true);
    expect(listed.body.data.ids.map((r: any) => r.ecGridId)).toContain(w.eA);
  });
});

describe('users and keys', () => {
  let counter = 0;
  const createUser = (role: Role, scope: () => Record<string, number> = () => ({})): (() => [string, string, unknown]) => () => {
    counter += 1;
    return ['POST', '/v2/users/create', { loginName: `scope-user-${counter}`, password: 'password123', role, ...scope() }];
  };
  run([
    ['a network admin creates a network user', 'netAdmin', createUser('NetworkUser'), 200],
    ['a network admin creates a mailbox admin in its network', 'netAdmin', createUser('MailboxAdmin', () => ({ mailboxId: w.mB })), 200],
    ['a network admin may not create a network admin', 'netAdmin', createUser('NetworkAdmin'), 403],
    ['a network admin may not create root', 'netAdmin', createUser('Root'), 403],
    ['a network admin cannot create users in another network', 'netAdmin', createUser('NetworkUser', () => ({ networkId: w.n2 })), 404],
    ['a network admin cannot use another network’s mailbox', 'netAdmin', createUser('MailboxUser', () => ({ mailboxId: w.mC })), 404],
    ['a mailbox admin creates a mailbox user in its mailbox', 'mbAdmin', createUser('MailboxUser'), 200],
    ['a mailbox admin may not create a mailbox admin', 'mbAdmin', createUser('MailboxAdmin'), 403],
    ['a mailbox admin cannot create users of another mailbox', 'mbAdmin', createUser('MailboxUser', () => ({ mailboxId: w.mB })), 404],
    ['a network user may not create users', 'netUser', createUser('MailboxUser', () => ({ mailboxId: w.mA })), 403],
    ['a mailbox user may not create users', 'mbUser', createUser('MailboxUser'), 403],
    ['root creates root', 'root', createUser('Root'), 200],
    ['root users belong to network 1', 'root', createUser('Root', () => ({ networkId: w.n2 })), 400],
    ['a network role has no mailbox', 'root', createUser('NetworkUser', () => ({ mailboxId: w.mA })), 400],
    ['a mailbox role needs its mailbox', 'root', createUser('MailboxUser'), 400],
    ['a network user may not list users', 'netUser', () => ['POST', '/v2/users/list', {}], 403],
    ['a mailbox user may not list users', 'mbUser', () => ['POST', '/v2/users/list', {}], 403],
  ]);

  it('lets every role ask who it is', async () => {
    for (const who of ['netAdmin', 'netUser', 'mbAdmin', 'mbUser', 'otherAdmin'] as const) {
      const me = await as(who, 'GET', '/v2/users/me');
      expect(me.body.data).toMatchObject({
        userId: w.users[who].userId,
        role: w.users[who].role,
        networkId: w.users[who].networkId,
        mailboxId: w.users[who].mailboxId,
      });
    }
  });

  it('lists users of an admin’s scope only', async () => {
    const mailboxAdmin = await as('mbAdmin', 'POST', '/v2/users/list', { recordsPerPage: 500 });
    expect(mailboxAdmin.body.data.users.every((u: any) => u.mailboxId === w.mA)).toBe(true);
    const networkAdmin = await as('netAdmin', 'POST', '/v2/users/list', { recordsPerPage: 500 });
    const networks = new Set(networkAdmin.body.data.users.map((u: any) => u.networkId));
    expect([...networks]).toEqual([1]);
  });

  it('issues keys for oneself and for users below, nobody else', async () => {
    // Throwaway users, so the keys the other tests use stay valid.
    const target = await addUser(server, 'MailboxUser', 1, w.mA);
    const peer = await addUser(server, 'MailboxAdmin', 1, w.mA);
    const networkUser = await addUser(server, 'NetworkUser', 1);
    const keyFor = async (who: Who | TestUser, userId: number) =>
      (await call(server, 'POST', `/v2/users/key-generate/${userId}`, undefined, { key: typeof who === 'string' ? keyOf(who) : who.key })).status;

    expect(await keyFor('mbAdmin', target.userId)).toBe(200);
    expect(await keyFor('netAdmin', target.userId)).toBe(200);
    expect(await keyFor('netAdmin', peer.userId)).toBe(200);
    expect(await keyFor('otherAdmin', target.userId)).toBe(404);
    expect(await keyFor('mbAdmin', peer.userId)).toBe(403);
    expect(await keyFor('mbAdmin', networkUser.userId)).toBe(404);
    expect(await keyFor('netUser', target.userId)).toBe(403);
    expect(await keyFor('netAdmin', w.rootUserId)).toBe(403);
    expect(await keyFor('otherAdmin', w.rootUserId)).toBe(404);
    expect(await keyFor('mbUser', 999_999)).toBe(404);
    expect(await keyFor(networkUser, networkUser.userId)).toBe(200);
  });
});
