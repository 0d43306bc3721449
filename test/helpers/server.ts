/**
 * A real gridhook API for tests: Fastify listening on 127.0.0.1 (random port),
 * a real SQLite store in a temporary folder, the real delivery engine running,
 * and helpers to call it over HTTP. Callback receivers: ./receiver.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createRuntime, type RuntimeOptions } from '../../src/cli/runtime.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Role } from '../../src/domain/types.js';
import type { DeliveryEngine } from '../../src/delivery/engine.js';
import { buildApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { generateApiKey } from '../../src/services/api-keys.js';
import type { GridhookMetrics } from '../../src/metrics/prometheus.js';
import type { Services } from '../../src/services/index.js';
import type { Store } from '../../src/store/store.js';
import { TEST_ENCRYPTION_KEY } from './sealing.js';

export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  rootKey: string;
  services: Services;
  store: Store;
  config: Config;
  engine: DeliveryEngine;
  app: FastifyInstance;
  /** Null when the config turns metrics off. */
  metrics: GridhookMetrics | null;
  close(): Promise<void>;
}

/**
 * Tests never ask the machine's DNS server: every name but localhost is
 * offline, so no delivery can leave the machine whatever URL a test registers.
 */
export const offlineLookup: NonNullable<RuntimeOptions['lookup']> = async (hostname) => {
  if (hostname === 'localhost') return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`test resolver: ${hostname} is offline`), { code: 'EOFFLINE' });
};

/**
 * Starts the API the way `gridhook serve` does, with test-friendly settings
 * (private callback URLs allowed, quiet log, fast polling).
 */
export async function startTestServer(
  overrides: Partial<Config> = {},
  options: RuntimeOptions & {
    logDestination?: NodeJS.WritableStream;
    consoleDir?: string;
    /** Pace list calls while the engine delivers, as `gridhook serve` does; off by default so polling tests stay quick. */
    paceLists?: boolean;
  } = {},
): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-test-'));
  const config: Config = {
    ...loadConfig({}, {}),
    dataDir,
    databaseUrl: `sqlite:${path.join(dataDir, 'gridhook.db')}`,
    allowPrivateUrls: true,
    logLevel: 'silent',
    deliveryTimeoutMs: 3_000,
    leaseMs: 10_000,
    pollIntervalMs: 50,
    deliveryConcurrency: 16,
    perCallbackConcurrency: 4,
    // The key tests seal with when they seed callbacks straight into the store.
    encryptionKey: TEST_ENCRYPTION_KEY,
    ...overrides,
  };
  const { logDestination, consoleDir, paceLists, ...runtimeOptions } = options;
  const logger = createLogger(config.logLevel, logDestination);
  const runtime = await createRuntime(config, logger, 'test', { lookup: offlineLookup, ...runtimeOptions });
  const root = generateApiKey();
  await runtime.store.ensureRootUser('root', root.hash, root.prefix);
  const app = await buildApp({
    services: runtime.services,
    config,
    logger,
    metrics: runtime.metrics,
    tracing: runtime.tracing,
    ...(consoleDir !== undefined && { consoleDir }),
    ...(paceLists && { delivering: () => runtime.engine.leasesHeld > 0 }),
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  runtime.engine.start();

  return {
    url,
    rootKey: root.key,
    services: runtime.services,
    store: runtime.store,
    config,
    engine: runtime.engine,
    app,
    metrics: runtime.metrics,
    async close() {
      await app.close();
      await runtime.close(1_000);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  /** The parsed JSON answer (null when the answer was not JSON). */
  body: T;
}

export interface CallOptions {
  /** X-API-Key to send; null sends none. */
  key?: string | null;
  /** Sent as is instead of JSON.stringify(body). */
  rawBody?: string;
  headers?: Record<string, string>;
}

/** One HTTP call to the API, JSON in and out. */
export async function call<T = any>(
  server: Pick<TestServer, 'url' | 'rootKey'>,
  method: string,
  route: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {};
  const key = options.key === undefined ? server.rootKey : options.key;
  if (key !== null) headers['x-api-key'] = key;
  let payload: string | undefined;
  if (options.rawBody !== undefined) payload = options.rawBody;
  else if (body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, options.headers);
  const abort = new AbortController();
  const response = await fetch(server.url + route, { method, headers, body: payload, signal: abort.signal });
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    // The live stream never ends: the names of its messages up to `ready` stand for its answer.
    return { status: response.status, headers: response.headers, body: { streamed: await messagesUntilReady(response, abort) } as T };
  }
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

async function messagesUntilReady(response: Response, abort: AbortController): Promise<string[]> {
  const names: string[] = [];
  const decoder = new TextDecoder();
  let text = '';
  try {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
      names.splice(0, names.length, ...[...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1] as string));
      if (names.includes('ready')) break;
    }
  } finally {
    abort.abort();
  }
  return names;
}

/** Calls and insists on a success envelope; answers `data`. */
export async function ok<T = any>(
  server: Pick<TestServer, 'url' | 'rootKey'>,
  method: string,
  route: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<T> {
  const response = await call(server, method, route, body, options);
  if (response.status !== 200 || response.body?.success !== true) {
    throw new Error(`${method} ${route} answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body.data as T;
}

export interface TestUser {
  userId: number;
  key: string;
  role: Role;
  networkId: number;
  mailboxId: number;
}

let userCounter = 0;

/** A user of this role and scope with a fresh API key, made by Root over the API. */
export async function addUser(
  server: Pick<TestServer, 'url' | 'rootKey'>,
  role: Role,
  networkId: number,
  mailboxId = 0,
): Promise<TestUser> {
  userCounter += 1;
  const user = await ok(server, 'POST', '/v2/users/create', {
    loginName: `${role.toLowerCase()}-${process.pid}-${userCounter}`,
    password: 'correct horse battery',
    role,
    networkId,
    mailboxId,
  });
  const issued = await ok(server, 'POST', `/v2/users/key-generate/${user.userId}`);
  return { userId: user.userId, key: issued.apiKey, role, networkId, mailboxId };
}

/** Polls until `check` answers a truthy value, or fails after timeoutMs. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
