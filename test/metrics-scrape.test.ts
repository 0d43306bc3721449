/**
 * GET /metrics on a real server after real deliveries to a loopback
 * receiver: the counters equal what was delivered, failed and published (by
 * the API, by parcel routing and by a callback test), the scrape needs the
 * bearer token, and Prometheus' own promtool accepts the exposition. The
 * failing-most callbacks are exported N at most (GRIDHOOK_METRICS_TOP_CALLBACKS),
 * a callback pushed out of them losing its series.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildX12PurchaseOrder } from './helpers/edi-builders.js';
import { hookPath, tradingNetwork, upload, type TradingNetwork } from './helpers/parcels.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { eventually, ok, startTestServer, type TestServer } from './helpers/server.js';

const TOKEN = 'scrape-token-7f3a';

let server: TestServer;
let receiver: Receiver;
let net: TradingNetwork;
let scrape: string;
let failingCallbackId: number;

function scrapeWith(authorization?: string): Promise<Response> {
  return fetch(`${server.url}/metrics`, { headers: authorization === undefined ? {} : { authorization } });
}

/** The value of one sample, e.g. value('gridhook_deliveries_total{outcome="failed",event_type="InBoxError"}'). */
function value(sample: string, text = scrape): number {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  if (line === undefined) throw new Error(`no sample ${sample} in the scrape`);
  return Number(line.slice(sample.length + 1));
}

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startTestServer({ metricsToken: TOKEN });
  net = await tradingNetwork(server, receiver);
  receiver.reply(hookPath(net, net.buyer, 'InBoxError'), { status: 500 });
  const failing = await ok(server, 'POST', '/v2/callbacks/list', { callBackEvent: 'InBoxError' }, { key: net.buyer.user.key });
  failingCallbackId = (failing.callBacks as { callBackQueueId: number }[])[0]?.callBackQueueId as number;

  const key = net.buyer.user.key;
  const publish = (callBackEvent: string, count: number) =>
    ok(
      server,
      'POST',
      '/v2/callbacks/events/publish',
      {
        events: Array.from({ length: count }, () => ({
          callBackEvent,
          networkId: net.networkId,
          mailboxId: net.buyer.mailboxId,
        })),
      },
    );
  await publish('ConfirmDelivery', 3);
  await publish('InBoxError', 2);
  const file = buildX12PurchaseOrder({
    sender: { qualifier: net.buyer.qualifier, id: net.buyer.id },
    receiver: { qualifier: net.supplier.qualifier, id: net.supplier.id },
  });
  expect((await upload(server, net.buyer, file)).status).toBe(200);
  const list = await ok(server, 'POST', '/v2/callbacks/list', { callBackEvent: 'ConfirmDelivery' }, { key });
  const [confirm] = list.callBacks as { callBackQueueId: number }[];
  await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: confirm?.callBackQueueId }, { key });

  // Every event finished (the failing ones have no retries) and recorded.
  await eventually(async () => {
    const pending = await server.store.listEvents({ status: 'Pending' }, { pageNo: 1, recordsPerPage: 1 });
    return pending.totalRecords === 0 && receiver.requests.length === 8;
  });
  const answer = await scrapeWith(`Bearer ${TOKEN}`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  scrape = await answer.text();
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

/** The samples of a metric labelled only by callback_id, by callback. */
function samplesOf(text: string, metric: string): Map<number, number> {
  const pattern = new RegExp(`^${metric}\\{callback_id="(\\d+)"\\} (\\S+)$`, 'gm');
  return new Map([...text.matchAll(pattern)].map((m) => [Number(m[1]), Number(m[2])]));
}

function promtoolCheck(text: string): string {
  const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  expect(check.error).toBeUndefined();
  expect(check.status).toBe(0);
  return `${check.stdout}${check.stderr}`.trim();
}

describe('GET /metrics after real deliveries', () => {
  it('counts each outcome by event type as the deliveries happened', () => {
    expect(value('gridhook_deliveries_total{outcome="delivered",event_type="ConfirmDelivery"}')).toBe(4);
    expect(value('gridhook_deliveries_total{outcome="delivered",event_type="InBox"}')).toBe(1);
    expect(value('gridhook_deliveries_total{outcome="delivered",event_type="OutBox"}')).toBe(1);
    expect(value('gridhook_deliveries_total{outcome="failed",event_type="InBoxError"}')).toBe(2);
    expect(value('gridhook_deliveries_total{outcome="retry",event_type="InBoxError"}')).toBe(0);
  });

  it('counts attempts by status class, and times every attempt and every delivered event', () => {
    expect(value('gridhook_delivery_attempts_total{status_class="2xx"}')).toBe(6);
    expect(value('gridhook_delivery_attempts_total{status_class="5xx"}')).toBe(2);
    expect(value('gridhook_delivery_attempts_total{status_class="timeout"}')).toBe(0);
    expect(value('gridhook_delivery_duration_seconds_count')).toBe(8);
    expect(value('gridhook_event_latency_seconds_count')).toBe(6);
    expect(value('gridhook_event_latency_seconds_bucket{le="+Inf"}')).toBe(6);
  });

  it('counts published events by source: the publish call, parcel routing and the callback test', () => {
    expect(value('gridhook_events_published_total{source="api"}')).toBe(5);
    expect(value('gridhook_events_published_total{source="parcel"}')).toBe(2);
    expect(value('gridhook_events_published_total{source="test"}')).toBe(1);
  });

  it('reads the queue from the store, and holds no lease once everything is recorded', () => {
    expect(value('gridhook_queue_pending')).toBe(0);
    expect(value('gridhook_queue_oldest_pending_seconds')).toBe(0);
    expect(value('gridhook_leases_held')).toBe(0);
  });

  it('counts API requests by route template and status, times store operations, and has the process defaults', () => {
    expect(value('gridhook_http_requests_total{method="POST",route="/v2/callbacks/events/publish",status_code="200"}')).toBe(2);
    expect(value('gridhook_http_requests_total{method="POST",route="/v2/callbacks/test",status_code="200"}')).toBe(1);
    expect(value('gridhook_store_query_duration_seconds_count{operation="publishEvents"}')).toBe(2);
    expect(value('gridhook_store_query_duration_seconds_count{operation="finishParcel"}')).toBe(1);
    expect(scrape).toMatch(/^process_cpu_seconds_total \d/m);
    expect(scrape).toMatch(/^process_resident_memory_bytes \d/m);
    expect(scrape).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('has no per-callback series unless GRIDHOOK_METRICS_PER_CALLBACK is set', () => {
    expect(scrape).not.toContain('gridhook_callback_deliveries_total');
  });

  it('names the one failing callback in the failing-most series, with its failed attempts', () => {
    expect(samplesOf(scrape, 'gridhook_callback_failures_top')).toEqual(new Map([[failingCallbackId, 2]]));
  });

  it('passes promtool check metrics', () => {
    expect(scrape).toContain(`gridhook_callback_failures_top{callback_id="${failingCallbackId}"}`);
    expect(promtoolCheck(scrape)).toBe('');
  });
});

describe('the callbacks failing most (GRIDHOOK_METRICS_TOP_CALLBACKS)', () => {
  const TOP = 2;
  let top: TestServer;

  afterAll(async () => {
    await top?.close();
  });

  it('exports at most N of them, and a callback pushed out of the top N loses its series', async () => {
    top = await startTestServer({ metricsTopCallbacks: TOP });
    const { networkId } = await ok(top, 'POST', '/v2/networks/create', { name: 'Top failures' });
    const callbacks: { callbackId: number; mailboxId: number }[] = [];
    for (let i = 1; i <= 5; i++) {
      const { mailboxId } = await ok(top, 'POST', '/v2/mailboxes/create', { networkId, name: `Box ${i}` });
      receiver.reply(`/top/${i}`, { status: 500 });
      const created = await ok(top, 'POST', '/v2/callbacks/create', {
        networkId,
        mailboxId,
        callBackEvent: 'InBox',
        callBackUrl: receiver.urlFor(`/top/${i}`),
        retries: 0,
      });
      callbacks.push({ callbackId: created.callBackQueueId, mailboxId });
    }
    let attempts = 0;
    /** `count` events for callback `index`, each failing its one attempt. */
    const fail = async (index: number, count: number) => {
      const { mailboxId } = callbacks[index] as { mailboxId: number };
      await ok(top, 'POST', '/v2/callbacks/events/publish', {
        events: Array.from({ length: count }, () => ({ callBackEvent: 'InBox', networkId, mailboxId })),
      });
      attempts += count;
    };
    const scrapeOnce = async (): Promise<string> => {
      const text = await (await fetch(`${top.url}/metrics`)).text();
      return value('gridhook_delivery_attempts_total{status_class="5xx"}', text) === attempts ? text : '';
    };
    const id = (index: number) => (callbacks[index] as { callbackId: number }).callbackId;

    // Five callbacks failing, more than N: only the two failing most have a series.
    await fail(0, 3);
    await fail(1, 3);
    for (const index of [2, 3, 4]) await fail(index, 1);
    const first = await eventually(scrapeOnce);
    expect(samplesOf(first, 'gridhook_callback_failures_top')).toEqual(new Map([[id(0), 3], [id(1), 3]]));
    expect(promtoolCheck(first)).toBe('');

    // The third now fails most; of the two tied at 3 the lower id stays, the other loses its series.
    await fail(2, 4);
    const second = await eventually(scrapeOnce);
    expect(samplesOf(second, 'gridhook_callback_failures_top')).toEqual(new Map([[id(2), 5], [id(0), 3]]));
    expect(second).not.toContain(`callback_id="${id(1)}"`);
    expect(promtoolCheck(second)).toBe('');
  });

  it('exports none with GRIDHOOK_METRICS_TOP_CALLBACKS=0', async () => {
    const none = await startTestServer({ metricsTopCallbacks: 0 });
    try {
      expect(await (await fetch(`${none.url}/metrics`)).text()).not.toContain('gridhook_callback_failures_top');
    } finally {
      await none.close();
    }
  });
});

describe('the metrics token', () => {
  it('refuses a scrape without it or with another, with 401 and a hint', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', TOKEN, `Basic ${TOKEN}`]) {
      const answer = await scrapeWith(authorization);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await answer.text()).toContain('GRIDHOOK_METRICS_TOKEN');
    }
  });

  it('keeps /metrics out of the OpenAPI document', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).not.toContain('/metrics');
  });
});
