/**
 * /metrics on every role, as `gridhook serve | api | worker` start it: on
 * the API's port, on a port of its own (GRIDHOOK_METRICS_PORT), on the
 * worker's own listener, behind the token, or not at all
 * (GRIDHOOK_METRICS=false); and the queue gauges read from PostgreSQL too.
 * A bad GRIDHOOK_METRICS_TOP_CALLBACKS stops start-up, naming it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runService, type RunningService } from '../src/cli/run-service.js';
import { loadConfig, type Config } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { openStore } from '../src/store/open-store.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { assertBuilt, CLI } from './helpers/process.js';
import { sealedWithTestBox } from './helpers/sealing.js';

const running: RunningService[] = [];
const dataDirs: string[] = [];

afterEach(async () => {
  for (const service of running.splice(0)) await service.stop();
  for (const dir of dataDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function config(overrides: Partial<Config>): Config {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-metrics-'));
  dataDirs.push(dataDir);
  return {
    ...loadConfig({}, {}),
    dataDir,
    databaseUrl: `sqlite:${path.join(dataDir, 'gridhook.db')}`,
    adminKey: 'gh_metrics_roles_root_key_0123456789abcdef',
    port: 0,
    logLevel: 'silent',
    ...overrides,
  };
}

async function start(roles: { api: boolean; worker: boolean }, overrides: Partial<Config>): Promise<RunningService> {
  const service = await runService(config(overrides), roles, createLogger('silent'));
  running.push(service);
  return service;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function scrape(url: string, token?: string): Promise<{ status: number; text: string }> {
  const answer = await fetch(url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  return { status: answer.status, text: await answer.text() };
}

describe('/metrics by role', () => {
  it('serve: on the API port', async () => {
    const service = await start({ api: true, worker: true }, {});
    expect(service.metricsUrl).toBe(`${service.url}/metrics`);
    const { status, text } = await scrape(service.metricsUrl as string);
    expect(status).toBe(200);
    expect(text).toContain('# TYPE gridhook_deliveries_total counter');
  });

  it('api: on a port of its own with GRIDHOOK_METRICS_PORT, and then not on the API port', async () => {
    const port = await freePort();
    const service = await start({ api: true, worker: false }, { metricsPort: port });
    expect(service.metricsUrl).toBe(`http://127.0.0.1:${port}/metrics`);
    expect((await scrape(service.metricsUrl as string)).status).toBe(200);
    expect((await scrape(`${service.url}/metrics`)).status).toBe(404);
    // Requests to the API are still counted, and show on the metrics port.
    await fetch(`${service.url}/healthz`);
    const { text } = await scrape(service.metricsUrl as string);
    expect(text).toContain('gridhook_http_requests_total{method="GET",route="/healthz",status_code="200"} 1');
  });

  it('worker: on a listener of its own, behind the token', async () => {
    const service = await start({ api: false, worker: true }, { metricsToken: 'w0rker-token' });
    expect(service.url).toBeNull();
    expect(service.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect((await scrape(service.metricsUrl as string)).status).toBe(401);
    expect((await scrape(service.metricsUrl as string, 'other')).status).toBe(401);
    const { status, text } = await scrape(service.metricsUrl as string, 'w0rker-token');
    expect(status).toBe(200);
    expect(text).toContain('gridhook_leases_held 0');
    expect(text).toContain('gridhook_queue_pending 0');
    expect((await scrape((service.metricsUrl as string).replace('/metrics', '/other'))).status).toBe(404);
  });

  it('GRIDHOOK_METRICS=false: no /metrics anywhere', async () => {
    const service = await start({ api: true, worker: true }, { metrics: false });
    expect(service.metricsUrl).toBeNull();
    expect((await scrape(`${service.url}/metrics`)).status).toBe(404);
  });

  it('GRIDHOOK_METRICS_PER_CALLBACK adds one series per callback', async () => {
    const service = await start({ api: true, worker: true }, { metricsPerCallback: true });
    const { text } = await scrape(service.metricsUrl as string);
    expect(text).toContain('# TYPE gridhook_callback_deliveries_total counter');
  });

  it('without GRIDHOOK_METRICS_PER_CALLBACK still has the failing-most callbacks, 10 by default', async () => {
    const service = await start({ api: true, worker: true }, {});
    const { text } = await scrape(service.metricsUrl as string);
    expect(text).not.toContain('gridhook_callback_deliveries_total');
    expect(text).toContain('# TYPE gridhook_callback_failures_top gauge');
    expect(text).toMatch(/^# HELP gridhook_callback_failures_top .* for the 10 callbacks with the most /m);
  });

  it('refuses to start with a GRIDHOOK_METRICS_TOP_CALLBACKS that is not a count up to 1000, naming it', () => {
    assertBuilt();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-metrics-'));
    dataDirs.push(dataDir);
    for (const [setting, message] of [
      ['ten', 'Invalid setting: GRIDHOOK_METRICS_TOP_CALLBACKS must be a whole number, got "ten"'],
      ['5000', 'Invalid setting: GRIDHOOK_METRICS_TOP_CALLBACKS must be between 0 and 1000, got 5000'],
      ['-1', 'Invalid setting: GRIDHOOK_METRICS_TOP_CALLBACKS must be between 0 and 1000, got -1'],
    ]) {
      const run = spawnSync(process.execPath, [CLI, 'serve'], {
        env: { ...process.env, GRIDHOOK_DATA_DIR: dataDir, GRIDHOOK_PORT: '0', GRIDHOOK_METRICS_TOP_CALLBACKS: setting },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(run.status, setting).toBe(2);
      expect(run.stderr.trim()).toBe(message);
    }
  });
});

const postgres = await postgresAvailable();

describe.runIf(postgres.ok || process.env.CI === 'true')('queue gauges on PostgreSQL', () => {
  afterAll(dropTestDatabases);

  it('reads the queue depth and age from a PostgreSQL store', async () => {
    const db = await createTestDatabase();
    const store = await openStore(db.url);
    await store.migrate();
    const callback = await store.createCallback(
      {
        networkId: 1,
        mailboxId: 0,
        ecGridId: 0,
        url: 'https://receiver.example/hook',
        eventType: 'InBox',
        frequency: 60,
        retries: 3,
        status: 'Active',
        seal: sealedWithTestBox('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'),
      },
      Date.now(),
    );
    await store.publishEvents(
      [{ networkId: 1, mailboxId: 1, ecGridId: 0, eventType: 'InBox', parcelId: 0, fileName: '' }],
      { now: Date.now() - 90_000 },
    );
    await store.close();
    expect(callback.callbackId).toBeGreaterThan(0);

    // An API process only: nothing delivers the event while it is scraped.
    const service = await start({ api: true, worker: false }, { databaseUrl: db.url });
    const { text } = await scrape(service.metricsUrl as string);
    expect(text).toContain('gridhook_queue_pending 1');
    const age = Number(/^gridhook_queue_oldest_pending_seconds (\S+)$/m.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(3_600);
  });
});
