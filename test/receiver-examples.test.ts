/**
 * The receiver examples in examples/receivers/ (Python standard library, Java JDK only, C# ASP.NET
 * Core Minimal API with the StandardWebhooks package), each run as a process and sent real signed
 * deliveries by a real gridhook through a recording proxy, which keeps every delivery as sent so
 * the test can replay it altered:
 *
 * - the test event is verified and printed, and gridhook records it Delivered;
 * - the same delivery with its body changed is refused 401 (BadSignature);
 * - the same delivery signed ten minutes ago is refused 401 (StaleTimestamp): a replay;
 * - after the callback's secret is rotated, a receiver still holding the old secret verifies
 *   deliveries during the grace period (gridhook signs with both).
 *
 * The C# project is built once per run in a copy under .build/ (restore reused across runs).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSignature } from '../src/delivery/signature.js';
import { eventually, ok, startTestServer, type TestServer } from './helpers/server.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const EXAMPLES = path.join(ROOT, 'examples', 'receivers');
const CSHARP_BUILD = path.join(ROOT, '.build', 'receiver-csharp');
const mustRun = process.env.CI === 'true';
const haveDotnet = spawnSync('dotnet', ['--version'], { stdio: 'ignore' }).status === 0;
if (!haveDotnet && !mustRun) {
  console.warn('receiver-examples: the C# receiver is skipped, `dotnet` (the .NET 10 SDK) is not on PATH; install it to run it.');
}

const DOTNET_ENV = { DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1' };

interface Recorded {
  headers: Record<string, string>;
  body: string;
}

interface RecordingProxy {
  url: string;
  target: string;
  readonly deliveries: Recorded[];
  close(): Promise<void>;
}

/** Passes each delivery to `target` unchanged and keeps a copy. */
async function startRecordingProxy(): Promise<RecordingProxy> {
  const deliveries: Recorded[] = [];
  const state = { target: '' };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
      deliveries.push({ headers, body: body.toString('utf8') });
      const target = new URL(state.target);
      const forward = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: request.headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      forward.on('error', () => response.writeHead(502).end());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/ecgrid`,
    get target() {
      return state.target;
    },
    set target(value: string) {
      state.target = value;
    },
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface RunningReceiver {
  child: ChildProcess;
  url: string;
  lines: string[];
}

/** Starts a receiver that prints `listening on <url>` once it serves. */
async function startReceiver(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunningReceiver> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start:\n${lines.join('\n')}`)), timeoutMs);
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const listening = /(?:listening on|Now listening on:) (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (listening) {
        clearTimeout(timer);
        resolve(`${listening[1]}/webhooks/ecgrid`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}):\n${lines.join('\n')}`));
    });
  });
  return { child, url, lines };
}

interface Example {
  language: string;
  available: () => string | null;
  prepare?: () => Promise<void>;
  start: (secret: string) => Promise<RunningReceiver>;
}

async function buildCsharp(): Promise<void> {
  fs.mkdirSync(CSHARP_BUILD, { recursive: true });
  for (const name of ['Program.cs', 'Receiver.csproj']) {
    const text = fs.readFileSync(path.join(EXAMPLES, 'csharp', name), 'utf8');
    const target = path.join(CSHARP_BUILD, name);
    if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text) fs.writeFileSync(target, text);
  }
  const started = Date.now();
  // Asynchronous, so that the loop keeps serving gridhook's connections meanwhile.
  try {
    await promisify(execFile)('dotnet', ['build', path.join(CSHARP_BUILD, 'Receiver.csproj'), '--nologo', '-v', 'q'], {
      env: { ...process.env, ...DOTNET_ENV },
      timeout: 540_000,
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`dotnet build of the C# receiver failed: ${failed.message}\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`);
  }
  console.info(`receiver-examples: dotnet build of the C# receiver took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const EXAMPLES_RUN: Example[] = [
  {
    language: 'Python (http.server, hmac)',
    available: () => null,
    start: (secret) =>
      startReceiver('python3', [path.join(EXAMPLES, 'python', 'receiver.py')], { WEBHOOK_SECRET: secret, PORT: '0' }, 20_000),
  },
  {
    language: 'Java (com.sun.net.httpserver, javax.crypto)',
    available: () => null,
    // Java 11+ runs a single source file directly.
    start: (secret) =>
      startReceiver('java', [path.join(EXAMPLES, 'java', 'Receiver.java')], { WEBHOOK_SECRET: secret, PORT: '0' }, 60_000),
  },
  {
    language: 'C# (ASP.NET Core Minimal API, StandardWebhooks)',
    available: () => (haveDotnet || mustRun ? null : '`dotnet` is not on PATH'),
    prepare: async () => {
      if (!haveDotnet) throw new Error('`dotnet` (the .NET 10 SDK) is not on PATH, and under CI the C# receiver must run.');
      await buildCsharp();
    },
    start: (secret) =>
      startReceiver(
        'dotnet',
        [path.join(CSHARP_BUILD, 'bin', 'Debug', 'net10.0', 'Receiver.dll'), '--urls', 'http://127.0.0.1:0'],
        { ...DOTNET_ENV, WEBHOOK_SECRET: secret },
        60_000,
      ),
  },
];

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

async function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  const sent = { 'content-type': 'application/json', ...headers };
  for (const name of ['host', 'content-length', 'connection']) delete (sent as Record<string, string>)[name];
  const response = await fetch(url, { method: 'POST', headers: sent, body });
  await response.arrayBuffer();
  return response.status;
}

describe.each(EXAMPLES_RUN)('the $language receiver example', (example) => {
  const skipped = example.available();
  let proxy: RecordingProxy;
  let receiver: RunningReceiver;
  let callback: { callBackQueueId: number; secret: string };

  beforeAll(async () => {
    if (skipped) return;
    await example.prepare?.();
    proxy = await startRecordingProxy();
    callback = await ok(server, 'POST', '/v2/callbacks/create', { callBackUrl: proxy.url, callBackEvent: 'InBox' });
    receiver = await example.start(callback.secret);
    proxy.target = receiver.url;
  }, 600_000);

  afterAll(async () => {
    receiver?.child.kill();
    await proxy?.close();
  });

  const printed = (text: string): Promise<string> =>
    eventually(async () => receiver.lines.find((line) => line.includes(text)), 10_000);

  it.skipIf(skipped)('verifies a real delivery, which gridhook records Delivered', async () => {
    const tested = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: callback.callBackQueueId });
    expect(tested).toMatchObject({ delivered: true, httpStatus: 200, status: 'Delivered' });
    expect(tested.webhookId).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(await printed(`verified webhook-id=${tested.webhookId} `)).toMatch(
      new RegExp(`eventId=${tested.eventId} callBackEvent=InBox parcelId=0 fileName=test\\.edi isTest=true$`),
    );
  }, 60_000);

  it.skipIf(skipped)('refuses the same delivery with a tampered body', async () => {
    const [delivery] = proxy.deliveries;
    expect(await post(receiver.url, delivery!.headers, delivery!.body)).toBe(200);
    const tampered = delivery!.body.replace('"parcelId":0', '"parcelId":1');
    expect(tampered).not.toBe(delivery!.body);
    expect(await post(receiver.url, delivery!.headers, tampered)).toBe(401);
    await printed('refused BadSignature');
  }, 60_000);

  it.skipIf(skipped)('refuses a replay of the delivery signed ten minutes ago', async () => {
    const [delivery] = proxy.deliveries;
    const then = Math.floor(Date.now() / 1000) - 600;
    const replayed = {
      ...delivery!.headers,
      'webhook-timestamp': String(then),
      'webhook-signature': computeSignature(callback.secret, delivery!.headers['webhook-id']!, then, delivery!.body),
    };
    expect(await post(receiver.url, replayed, delivery!.body)).toBe(401);
    await printed('refused StaleTimestamp');
  }, 60_000);

  it.skipIf(skipped)('keeps verifying with the old secret during the grace after a rotation', async () => {
    const rotated = await ok(server, 'POST', '/v2/callbacks/rotate-secret', { callBackQueueId: callback.callBackQueueId });
    expect(rotated.secret).not.toBe(callback.secret);
    const tested = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: callback.callBackQueueId });
    expect(tested).toMatchObject({ delivered: true, httpStatus: 200 });
    expect(proxy.deliveries.at(-1)!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    await printed(`verified webhook-id=${tested.webhookId} `);
  }, 60_000);
});
