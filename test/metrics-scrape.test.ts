/**
 * GET /metrics on a real server after real deliveries to a loopback
 * receiver: the counters equal what was delivered, failed and published (by
 * the API, by parcel routing and by a callback test), the scrape needs the
 * bearer token, and Prometheus' own promtool accepts the exposition.
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

function scrapeWith(authorization?: string): Promise<Response> {
  return fetch(`${server.url}/metrics`, { headers: authorization === undefined ? {} : { authorization } });
}

/** The value of one sample, e.g. value('gridhook_deliveries_total{outcome="failed",event_type="InBoxError"}'). */
function value(sample: string): number {
  const line = scrape.split('\n').find((l) => l.startsWith(`${sample} `));
  if (line === undefined) throw new Error(`no sample ${sample} in the scrape`);
  return Number(line.slice(sample.length + 1));
}

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startTestServer({ metricsToken: TOKEN });
  net = await tradingNetwork(server, receiver);
  receiver.reply(hookPath(net, net.buyer, 'InBoxError'), { status: 500 });

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

  it('passes promtool check metrics', () => {
    const check = spawnSync('promtool', ['check', 'metrics'], { input: scrape, encoding: 'utf8' });
    expect(check.error).toBeUndefined();
    expect(`${check.stdout}${check.stderr}`.trim()).toBe('');
    expect(check.status).toBe(0);
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
