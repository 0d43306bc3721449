/**
 * List calls yield to deliveries (src/http/list-pacer.ts): the pacer on its
 * own with real timers, then through a real server whose receiver holds the
 * engine's leases, where more calls than may wait get 429 and the rest their
 * page.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GridhookError } from '../src/errors.js';
import { ListPacer } from '../src/http/list-pacer.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { call, eventually, ok, startTestServer, type TestServer } from './helpers/server.js';
import { addLoginUser, ECGRIDOS_NS, soapCall, soapOk } from './helpers/soap.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('ListPacer', () => {
  it('lets reads run at once and side by side while nothing is delivered', async () => {
    const pacer = new ListPacer({ share: 0.01, delivering: () => false });
    const turns = await Promise.all(Array.from({ length: 10 }, () => pacer.admit()));
    expect(turns.every((turn) => turn.waitedMs === 0)).toBe(true);
  });

  it('runs reads one at a time while delivering, each after a pause in proportion to the one before', async () => {
    const pacer = new ListPacer({ share: 0.5, delivering: () => true });
    const first = await pacer.admit();
    let secondStarted = false;
    const second = pacer.admit().then((turn) => {
      secondStarted = true;
      return turn;
    });
    await sleep(30);
    expect(secondStarted).toBe(false);
    // Took 40 ms at a share of one half: the next waits another 40 ms.
    const endedAt = performance.now();
    first.done(40);
    first.done(40);
    const turn = await second;
    expect(performance.now() - endedAt).toBeGreaterThanOrEqual(38);
    expect(turn.waitedMs).toBeGreaterThanOrEqual(60);
    turn.done(0);
  });

  it('bounds the pause after a slow read', async () => {
    const pacer = new ListPacer({ share: 0.01, delivering: () => true, maxPauseMs: 20 });
    (await pacer.admit()).done(1_000);
    const startedAt = performance.now();
    const turn = await pacer.admit();
    expect(performance.now() - startedAt).toBeLessThan(1_000);
    turn.done(0);
  });

  it('lets the waiting reads go together once deliveries end', async () => {
    let delivering = true;
    const pacer = new ListPacer({ share: 0.01, delivering: () => delivering });
    const first = await pacer.admit();
    const waiting = Array.from({ length: 5 }, () => pacer.admit());
    delivering = false;
    first.done(1);
    const turns = await Promise.all(waiting);
    expect(turns).toHaveLength(5);
  });

  it('refuses a read past maxWaiting with RateLimitExceeded and a Retry-After', async () => {
    const pacer = new ListPacer({ share: 0.5, delivering: () => true, maxWaiting: 2 });
    const first = await pacer.admit();
    const waiting = [pacer.admit(), pacer.admit()];
    const refused = await pacer.admit().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GridhookError);
    expect((refused as GridhookError).code).toBe('RateLimitExceeded');
    expect((refused as GridhookError).message).toContain('at most 2 wait for their turn');
    first.done(0);
    for (const turn of await Promise.all(waiting.map((w) => w.then((turn) => (turn.done(0), turn))))) expect(turn).toBeDefined();
  });
});

describe('list calls beside deliveries, through the API', () => {
  let server: TestServer;
  let receiver: Receiver;

  afterEach(async () => {
    await server?.close();
    await receiver?.close();
  });

  const listAtOnce = (count: number) =>
    Promise.all(Array.from({ length: count }, () => call(server, 'POST', '/v2/callbacks/queue-list', { recordsPerPage: 5 })));

  it('pages every call while idle, and makes calls past the waiting room retry later while delivering', async () => {
    receiver = await startReceiver({ defaultReply: { hang: true } });
    server = await startTestServer({ listSharePercent: 50, deliveryTimeoutMs: 30_000 }, { paceLists: true });
    const idle = await listAtOnce(80);
    expect(idle.map((answer) => answer.status)).toEqual(Array(80).fill(200));

    await ok(server, 'POST', '/v2/callbacks/create', { networkId: 1, callBackEvent: 'InBox', callBackUrl: receiver.urlFor('/hang') });
    await ok(server, 'POST', '/v2/callbacks/events/publish', {
      events: Array.from({ length: 10 }, () => ({ callBackEvent: 'InBox', mailboxId: 1 })),
    });
    await eventually(async () => receiver.hanging > 0);
    const busy = await listAtOnce(80);
    const refused = busy.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.body.errorCode).toBe('RateLimitExceeded');
    expect(refused[0]!.headers.get('retry-after')).toBe('1');
    const paged = busy.filter((answer) => answer.status === 200);
    expect(paged.length).toBeGreaterThanOrEqual(64);
    expect(paged.every((answer) => answer.body.data.events.length === 5)).toBe(true);

    const scrape = await (await fetch(`${server.url}/metrics`)).text();
    const count = Number(/^gridhook_list_wait_seconds_count (\d+)$/m.exec(scrape)?.[1]);
    const waitedNone = Number(/^gridhook_list_wait_seconds_bucket\{le="0.001"\} (\d+)$/m.exec(scrape)?.[1]);
    expect(count).toBe(80 + paged.length);
    expect(waitedNone).toBeLessThan(count);
  });

  it('paces the SOAP event lists too: past the waiting room a fault with Retry-After, the rest their list', async () => {
    receiver = await startReceiver({ defaultReply: { hang: true } });
    // At a 1% share each list call is followed by a pause of up to 250 ms, so a burst fills the waiting room.
    server = await startTestServer({ listSharePercent: 1, deliveryTimeoutMs: 30_000 }, { paceLists: true });
    const user = await addLoginUser(server, 'NetworkAdmin', 1);
    const SessionID = await soapOk<string>(server, ECGRIDOS_NS, 'Login', { LoginName: user.loginName, Password: user.password });
    await ok(server, 'POST', '/v2/callbacks/create', { networkId: 1, callBackEvent: 'InBox', callBackUrl: receiver.urlFor('/hang') });
    await ok(server, 'POST', '/v2/callbacks/events/publish', {
      events: Array.from({ length: 10 }, () => ({ callBackEvent: 'InBox', mailboxId: 1 })),
    });
    await eventually(async () => receiver.hanging > 0);

    let faulted = 0;
    const calls = Array.from({ length: 80 }, () =>
      soapCall(server, ECGRIDOS_NS, 'CallBackPendingList', { SessionID }).then((answer) => {
        if (answer.fault !== undefined) faulted += 1;
        return answer;
      }),
    );
    await eventually(async () => faulted > 0);
    // Ending the deliveries lets every waiting call go at once.
    await receiver.close();
    const answers = await Promise.all(calls);
    const refused = answers.filter((answer) => answer.fault !== undefined);
    expect(refused[0]!.fault!.detail.ErrorInfo.ErrorCode).toBe('RateLimitExceeded');
    expect(refused[0]!.fault!.detail.ErrorInfo.ErrorMessage).toContain('list calls');
    expect(refused[0]!.headers.get('retry-after')).toBe('1');
    const listed = answers.filter((answer) => answer.status === 200);
    expect(listed.length).toBeGreaterThanOrEqual(64);
    expect(listed.every((answer) => answer.text.includes('CallBackQueueIDInfo'))).toBe(true);
    expect(refused.length + listed.length).toBe(80);
  });
});
