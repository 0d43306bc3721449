/**
 * The remote CLI commands (`gridhook callbacks|events|parcels …`, `gridhook listen`) run as the
 * real binary (node bin/gridhook.js, from the build) against a real gridhook on loopback: tables
 * for people, --json for scripts, the documented exit codes, and errors that say what to do.
 * Also: the directory commands print ISO dates.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSignature } from '../src/delivery/signature.js';
import { buildX12PurchaseOrder } from './helpers/edi-builders.js';
import { tradingNetwork, type TradingNetwork } from './helpers/parcels.js';
import { CLI, assertBuilt } from './helpers/process.js';
import { eventually, ok, startTestServer, type TestServer } from './helpers/server.js';

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let server: TestServer;
let workDir: string;

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-cli-remote-'));
});

afterAll(async () => {
  await server?.close();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real binary; the test server keeps serving meanwhile (execFile is asynchronous). */
function gridhook(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const base = { ...process.env, GRIDHOOK_URL: server.url, GRIDHOOK_API_KEY: server.rootKey, NO_COLOR: '1' };
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...base, ...env }, cwd: workDir }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

async function json(args: string[], env: Record<string, string | undefined> = {}): Promise<any> {
  const run = await gridhook([...args, '--json'], env);
  if (run.code !== 0) throw new Error(`gridhook ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('gridhook callbacks', () => {
  it('creates, lists, gets, updates, tests, rotates and deletes a callback', async () => {
    const hook = `${server.url}/nowhere`;
    const created = await json(['callbacks', 'create', '--callback-url', 'http://127.0.0.1:9/hook', '--event', 'InBox', '--retries', '2']);
    expect(created).toMatchObject({ callBackUrl: 'http://127.0.0.1:9/hook', callBackEvent: 'InBox', retries: 2, secret: expect.stringMatching(/^whsec_/) });
    const id = String(created.callBackQueueId);

    const table = await gridhook(['callbacks', 'list']);
    expect(table.code).toBe(0);
    const [heading, ...rows] = table.stdout.trimEnd().split('\n');
    expect(heading).toMatch(/^ID\s+EVENT\s+STATUS\s+NETWORK\s+MAILBOX\s+ECGRID ID\s+CREATED\s+URL$/);
    const row = rows.find((line) => line.startsWith(`${id} `));
    expect(row).toMatch(/InBox\s+Active\s+1\s+0\s+0\s+\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\s+http:\/\/127\.0\.0\.1:9\/hook$/);
    // The URL column starts where the heading's does: the table is aligned.
    expect(row!.indexOf('http://')).toBe(heading!.indexOf('URL'));

    const got = await gridhook(['callbacks', 'get', id]);
    expect(got.stdout).toMatch(new RegExp(`^callBackQueueId:\\s+${id}$`, 'm'));
    expect(got.stdout).toMatch(/^createdAt:\s+\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/m);

    // A person reads their own clock; --json keeps the API's UTC.
    const local = await gridhook(['callbacks', 'get', id], { TZ: 'Asia/Kolkata' });
    const utc = /^createdAt:\s+(\S+)$/m.exec(got.stdout)![1]!;
    const shown = /^createdAt:\s+(\S+)$/m.exec(local.stdout)![1]!;
    expect(shown).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+05:30$/);
    expect(new Date(shown).getTime()).toBe(new Date(utc).getTime());

    const updated = await json(['callbacks', 'update', id, '--callback-url', hook, '--frequency', '60']);
    expect(updated).toMatchObject({ callBackUrl: hook, frequency: 60 });
    const tested = await json(['callbacks', 'test', id]);
    expect(tested).toMatchObject({ eventId: expect.any(Number), delivered: false, httpStatus: 404 });
    const rotated = await json(['callbacks', 'rotate-secret', id]);
    expect(rotated.secret).not.toBe(created.secret);

    const deleted = await gridhook(['callbacks', 'delete', id]);
    expect(deleted).toMatchObject({ code: 0, stdout: `Deleted callback ${id}; its pending events are canceled.\n` });
    const missing = await gridhook(['callbacks', 'get', id]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(new RegExp(`^ObjectNotFound \\(HTTP 404\\): .*${id}`));
  });
});

describe('gridhook events', () => {
  it('lists an event, shows its attempts, and retries it', async () => {
    const callback = await ok(server, 'POST', '/v2/callbacks/create', {
      callBackUrl: `${server.url}/nowhere`,
      callBackEvent: 'InBox',
      retries: 0,
    });
    const tested = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: callback.callBackQueueId });
    const listed = await gridhook(['events', 'list', '--callback', String(callback.callBackQueueId)]);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(/^ID\s+CALLBACK\s+EVENT\s+STATUS\s+ATTEMPTS\s+LAST HTTP\s+PARCEL\s+CREATED\s+NEXT CALL\s+WEBHOOK ID$/);
    expect(listed.stdout).toMatch(new RegExp(`^${tested.eventId}\\s+${callback.callBackQueueId}\\s+InBox\\s+Failed\\s+1\\s+404\\s+0\\s+\\S+Z\\s+-\\s+${tested.webhookId}$`, 'm'));

    const shown = await gridhook(['events', 'get', String(tested.eventId)]);
    expect(shown.stdout).toMatch(/^Attempts:\nWHEN\s+HTTP\s+MS\s+ERROR\n\S+Z\s+404\s+\d+\s+/m);
    expect(shown.stdout).toContain('"isTest":true');

    const retried = await gridhook(['events', 'retry', String(tested.eventId)]);
    expect(retried).toMatchObject({ code: 0, stdout: 'Retrying 1 event.\n' });
    const neither = await gridhook(['events', 'retry']);
    expect(neither.code).toBe(1);
    expect(neither.stderr).toMatch(/Name one event \(retry ID\) or one callback \(retry --callback ID\)/);
  });
});

describe('gridhook parcels', () => {
  let net: TradingNetwork;
  beforeAll(async () => {
    net = await tradingNetwork(server);
  });

  it('uploads a file (streamed), lists it in the inbox, downloads it byte for byte', async () => {
    const order = buildX12PurchaseOrder({
      sender: { qualifier: net.buyer.qualifier, id: net.buyer.id },
      receiver: { qualifier: net.supplier.qualifier, id: net.supplier.id },
    });
    const file = path.join(workDir, 'po-cli.x12');
    fs.writeFileSync(file, order);
    const uploaded = await json(['parcels', 'upload', file], { GRIDHOOK_API_KEY: net.buyer.user.key });
    expect(uploaded).toMatchObject({ fileName: 'po-cli.x12', status: 'InBoxReady', bytes: Buffer.byteLength(order) });

    const inbox = await gridhook(['parcels', 'list'], { GRIDHOOK_API_KEY: net.supplier.user.key });
    expect(inbox.stdout).toMatch(new RegExp(`^${uploaded.parcelId}\\s+InBoxReady\\s+${Buffer.byteLength(order)}\\s+.*po-cli\\.x12$`, 'm'));
    const outbox = await json(['parcels', 'list', '--outbox'], { GRIDHOOK_API_KEY: net.buyer.user.key });
    expect(outbox.parcels.map((p: { parcelId: number }) => p.parcelId)).toContain(uploaded.parcelId);

    const out = path.join(workDir, 'downloaded.x12');
    const downloaded = await gridhook(['parcels', 'download', String(uploaded.parcelId), '--out', out], { GRIDHOOK_API_KEY: net.supplier.user.key });
    expect(downloaded.stdout).toBe(`Saved parcel ${uploaded.parcelId} (${Buffer.byteLength(order)} bytes) to ${out}.\n`);
    expect(fs.readFileSync(out, 'utf8')).toBe(order);
  });

  it('uploads a file whose length is not a multiple of three, as the base64 chunks join up', async () => {
    const order = buildX12PurchaseOrder({
      sender: { qualifier: net.buyer.qualifier, id: net.buyer.id },
      receiver: { qualifier: net.supplier.qualifier, id: net.supplier.id },
    });
    const file = path.join(workDir, 'big.x12');
    // Several read chunks (64 KiB each), none a multiple of three in total.
    fs.writeFileSync(file, order + 'X'.repeat(200_001));
    const uploaded = await json(['parcels', 'upload', file, '--name', 'renamed.x12'], { GRIDHOOK_API_KEY: net.buyer.user.key });
    expect(uploaded).toMatchObject({ fileName: 'renamed.x12', bytes: fs.statSync(file).size });
    const out = path.join(workDir, 'big-back.x12');
    await json(['parcels', 'download', String(uploaded.parcelId), '--out', out], { GRIDHOOK_API_KEY: net.supplier.user.key });
    expect(fs.readFileSync(out).equals(fs.readFileSync(file))).toBe(true);
  });

  it("confirms a parcel's download; confirming it again is the API's refusal (exit 2)", async () => {
    const order = buildX12PurchaseOrder({
      sender: { qualifier: net.buyer.qualifier, id: net.buyer.id },
      receiver: { qualifier: net.supplier.qualifier, id: net.supplier.id },
    });
    const file = path.join(workDir, 'confirm.x12');
    fs.writeFileSync(file, order);
    const uploaded = await json(['parcels', 'upload', file], { GRIDHOOK_API_KEY: net.buyer.user.key });
    const confirmed = await gridhook(['parcels', 'confirm', String(uploaded.parcelId)], { GRIDHOOK_API_KEY: net.supplier.user.key });
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toMatch(/^status:\s+InBoxTransferred$/m);
    const again = await gridhook(['parcels', 'confirm', String(uploaded.parcelId)], { GRIDHOOK_API_KEY: net.supplier.user.key });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^InvalidState \(HTTP 409\): /);
    const missing = await gridhook(['parcels', 'confirm']);
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toMatch(/^ID is required\./);
  });
});

describe('gridhook events tail', () => {
  const tails: ChildProcess[] = [];
  afterAll(() => {
    for (const tail of tails) tail.kill('SIGKILL');
  });

  function startTail(args: string[]) {
    const child = spawn(process.execPath, [CLI, 'events', 'tail', ...args], {
      env: { ...process.env, GRIDHOOK_URL: server.url, GRIDHOOK_API_KEY: server.rootKey, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    tails.push(child);
    const out: string[] = [];
    const err: string[] = [];
    readline.createInterface({ input: child.stdout! }).on('line', (line) => out.push(line));
    readline.createInterface({ input: child.stderr! }).on('line', (line) => err.push(line));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, out, err, exited };
  }

  it("prints one callback's events and attempt outcomes as they happen, until Ctrl-C", async () => {
    const watched = await ok(server, 'POST', '/v2/callbacks/create', { callBackUrl: 'http://127.0.0.1:9/closed', callBackEvent: 'OutBox', retries: 0 });
    const other = await ok(server, 'POST', '/v2/callbacks/create', { callBackUrl: 'http://127.0.0.1:9/closed', callBackEvent: 'InBox', retries: 0 });
    const tail = startTail(['--callback', String(watched.callBackQueueId)]);
    await eventually(async () => tail.err.find((line) => line.startsWith(`Following events of callback ${watched.callBackQueueId} at `)));

    await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: other.callBackQueueId });
    const tested = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: watched.callBackQueueId });
    const id = tested.eventId as number;
    const created = await eventually(async () => tail.out.find((line) => line.includes(`  event    ${id}  `)));
    expect(created).toMatch(new RegExp(`^\\S+Z  event    ${id}  callback ${watched.callBackQueueId}  OutBox  (Pending|Failed)  \\(test\\)  test\\.edi$`));
    const attempted = await eventually(async () => tail.out.find((line) => line.includes(`  attempt  ${id}  `)));
    expect(attempted).toMatch(new RegExp(`^\\S+Z  attempt  ${id}  callback ${watched.callBackQueueId}  no answer  \\d+ ms  → Failed  .+`));
    expect(tail.out.every((line) => line.includes(`callback ${watched.callBackQueueId}  `))).toBe(true);

    tail.child.kill('SIGINT');
    expect(await tail.exited).toBe(0);
  });

  it('prints one JSON object a line with --json', async () => {
    const callback = await ok(server, 'POST', '/v2/callbacks/create', { callBackUrl: 'http://127.0.0.1:9/closed', callBackEvent: 'InBoxError', retries: 0 });
    const tail = startTail(['--callback', String(callback.callBackQueueId), '--json']);
    await eventually(async () => tail.err.find((line) => line.startsWith('Following events of ')));
    const tested = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: callback.callBackQueueId });
    await eventually(async () => tail.out.length >= 2 && tail.out);
    const [created, attempted] = tail.out.map((line) => JSON.parse(line));
    expect(created).toMatchObject({ type: 'event', eventId: tested.eventId, isTest: true });
    expect(attempted).toMatchObject({ type: 'attempt', eventId: tested.eventId, attempt: { httpStatus: null }, event: { status: 'Failed' } });
    tail.child.kill('SIGTERM');
    expect(await tail.exited).toBe(0);
  });

  it('names a callback out of reach (exit 2) and an unreachable gridhook (exit 3)', async () => {
    const unknown = await gridhook(['events', 'tail', '--callback', '999999']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^ObjectNotFound \(HTTP 404\): .*999999/);
    const port = await closedPort();
    const unreachable = await gridhook(['events', 'tail'], { GRIDHOOK_URL: `http://127.0.0.1:${port}` });
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(new RegExp(`Cannot reach gridhook at http://127\\.0\\.0\\.1:${port}`));
  });
});

describe('errors say what to do', () => {
  it('an unreachable URL is named (exit 3)', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await gridhook(['callbacks', 'list'], { GRIDHOOK_URL: url });
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(`Cannot reach gridhook at ${url}: the connection was refused. Is it running, and is --url (or GRIDHOOK_URL) right?\n`);
  });

  it('a wrong key is a 401 that points at --api-key (exit 2); a missing one and a missing URL are usage (exit 1)', async () => {
    const wrong = await gridhook(['events', 'list', '--api-key', 'nope']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^\w+ \(HTTP 401\): .*Check --api-key \(or GRIDHOOK_API_KEY\)\.\n$/);
    const noKey = await gridhook(['events', 'list'], { GRIDHOOK_API_KEY: undefined });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/^No API key: pass --api-key or set GRIDHOOK_API_KEY/);
    const noUrl = await gridhook(['events', 'list'], { GRIDHOOK_URL: undefined });
    expect(noUrl.code).toBe(1);
    expect(noUrl.stderr).toMatch(/^Which gridhook\? Pass --url/);
  });

  it('bad input is named with its flag (exit 1) or answered by the API with its field (exit 2)', async () => {
    const notNumber = await gridhook(['callbacks', 'get', 'seven']);
    expect(notNumber).toMatchObject({ code: 1, stderr: 'ID must be a whole number, got "seven".\nUsage: gridhook callbacks get ID\n' });
    const unknown = await gridhook(['callbacks', 'frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^Unknown command "gridhook callbacks frobnicate"/);
    const refused = await gridhook(['callbacks', 'create', '--callback-url', 'http://127.0.0.1:9/x', '--event', 'Sideways']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^InvalidParameter \(HTTP 400\): .*callBackEvent/);
  });
});

describe('gridhook listen', () => {
  let listener: ChildProcess | undefined;
  afterAll(() => {
    listener?.kill();
  });

  it('verifies and prints each delivery, answering the status asked for; refuses a tampered one', async () => {
    const callback = await ok(server, 'POST', '/v2/callbacks/create', { callBackUrl: 'http://127.0.0.1:9/x', callBackEvent: 'InBox', retries: 0 });
    listener = spawn(process.execPath, [CLI, 'listen', '--port', '0', '--secret', callback.secret, '--status', '503'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    readline.createInterface({ input: listener.stdout! }).on('line', (line) => lines.push(line));
    const banner = await eventually(async () => lines.find((line) => line.startsWith('Listening on ')));
    expect(banner).toMatch(/verifying signatures; answering 503\. Ctrl-C stops\.$/);
    const url = /^Listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(banner)![1]!;

    await ok(server, 'POST', '/v2/callbacks/update', { callBackQueueId: callback.callBackQueueId, callBackUrl: `${url}/webhooks/ecgrid` });
    const tested = await ok(server, 'POST', '/v2/callbacks/test', { callBackQueueId: callback.callBackQueueId });
    expect(tested).toMatchObject({ delivered: false, httpStatus: 503 });
    const printed = await eventually(async () => lines.find((line) => line.includes(`webhook-id=${tested.webhookId}`)));
    expect(printed).toMatch(/^\S+Z POST \/webhooks\/ecgrid webhook-id=evt_[0-9a-f]{32} \(signature verified\) → 503$/);
    await eventually(async () => lines.includes('  "isTest": true,'));

    const body = '{"eventId":1}';
    const now = Math.floor(Date.now() / 1000);
    const tampered = await fetch(`${url}/webhooks/ecgrid`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'evt_00000000000000000000000000000000',
        'webhook-timestamp': String(now),
        'webhook-signature': computeSignature(callback.secret, 'evt_00000000000000000000000000000000', now, '{"eventId":2}'),
      },
      body,
    });
    expect(tampered.status).toBe(401);
    await eventually(async () => lines.find((line) => line.includes('(REFUSED BadSignature: ')));
  });

  it('refuses a bad --status with what it takes', async () => {
    const run = await gridhook(['listen', '--status', '42']);
    expect(run).toMatchObject({ code: 1, stderr: '--status must be an HTTP status from 200 to 599, got "42".\n' });
  });
});

describe('the directory commands', () => {
  it('print dates as ISO 8601, as the API does', async () => {
    const run = await gridhook(['network', 'create', '--name', 'ISO VAN'], {
      GRIDHOOK_DATABASE_URL: server.config.databaseUrl,
      GRIDHOOK_DATA_DIR: server.config.dataDir,
      GRIDHOOK_LOG_LEVEL: 'silent',
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ name: 'ISO VAN', createdAt: expect.stringMatching(DATE) });
  });
});

describe('gridhook events replay', () => {
  /** A callback whose events all failed (its receiver is a closed port), and the span they were created in. */
  async function failedSpan(count: number) {
    const { networkId } = await ok(server, 'POST', '/v2/networks/create', { name: `replay ${count}` });
    const { mailboxId } = await ok(server, 'POST', '/v2/mailboxes/create', { networkId, name: `replay ${count}` });
    const callback = await ok(server, 'POST', '/v2/callbacks/create', {
      networkId,
      callBackEvent: 'InBox',
      callBackUrl: `http://127.0.0.1:${await closedPort()}/gone`,
      retries: 0,
    });
    const since = new Date(Date.now() - 1_000).toISOString();
    await ok(server, 'POST', '/v2/callbacks/events/publish', {
      events: Array.from({ length: count }, (_, i) => ({ callBackEvent: 'InBox', networkId, mailboxId, parcelId: i + 1 })),
    });
    await eventually(async () => {
      const page = await ok(server, 'POST', '/v2/callbacks/queue-list', {
        callBackQueueId: callback.callBackQueueId,
        status: 'Failed',
        recordsPerPage: 500,
      });
      return page.totalRecords === count;
    }, 60_000);
    return { callbackId: String(callback.callBackQueueId), since, until: new Date(Date.now() + 1_000).toISOString() };
  }

  it('starts a replay of the Failed events, waits for it (--json), and shows a job by its id', { timeout: 90_000 }, async () => {
    const span = await failedSpan(30);
    const done = await json(['events', 'replay', '--callback', span.callbackId, '--since', span.since, '--until', span.until, '--wait']);
    expect(done).toMatchObject({ callBackQueueId: Number(span.callbackId), statuses: ['Failed'], status: 'Completed', replayed: 30, scanned: 30 });

    const shown = await gridhook(['events', 'replay', String(done.replayId)]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^replayId:\\s+${done.replayId}$`, 'm'));
    expect(shown.stdout).toMatch(/^since:\s+\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/m);
    expect(shown.stdout).toMatch(new RegExp(`Replay ${done.replayId} is done: 30 events of 30 looked at made Pending again\\.\\n$`));
    // Without a terminal, --wait prints no progress line.
    expect(shown.stderr).toBe('');

    // Delivered and Canceled are asked for, and none are in the span: nothing to send again.
    const started = await gridhook(['events', 'replay', '--callback', span.callbackId, '--since', span.since, '--status', 'delivered,Canceled']);
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/^statuses:\s+\["Delivered","Canceled"\]$/m);
    expect(started.stdout).toMatch(/Follow it with: gridhook events replay \d+ --wait\n$|is done: 0 events/);
  });

  it('follows the job with a progress line rewritten in place when run in a terminal', { timeout: 90_000 }, async () => {
    const span = await failedSpan(20);
    const command = [process.execPath, CLI, 'events', 'replay', '--callback', span.callbackId, '--since', span.since, '--wait']
      .map((word) => `'${word}'`)
      .join(' ');
    // script(1) runs the binary in a pseudo-terminal: stdout and stderr are a TTY.
    const run = await new Promise<Run>((resolve) => {
      execFile('script', ['-qec', command, '/dev/null'], { env: { ...process.env, GRIDHOOK_URL: server.url, GRIDHOOK_API_KEY: server.rootKey } }, (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Following the replay (Ctrl-C stops following; the replay goes on).');
    expect(run.stdout).toMatch(/\r\x1b\[KReplay \d+ of callback \d+: Completed, 20 events looked at, 20 made Pending again\r?\n/);
    expect(run.stdout).toMatch(/is done: 20 events of 20 looked at made Pending again\./);
  });

  it('names the flag of a bad value (exit 1), and answers the API refusal (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['--since', '2026-12-01T00:00:00Z'], /^--callback is required\./],
      [['--callback', 'seven', '--since', '2026-12-01T00:00:00Z'], /^--callback must be a whole number, got "seven"\./],
      [['--callback', '1'], /^--since is required: the first creation time of the span/],
      [['--callback', '1', '--since', 'yesterday'], /^--since must be an ISO 8601 date and time with a zone, e\.g\. 2026-12-01T14:00:00Z, got "yesterday"\./],
      [['--callback', '1', '--since', '2026-12-01T00:00:00'], /^--since must be an ISO 8601 date and time with a zone/],
      [['--callback', '1', '--since', '2026-12-02T00:00:00Z', '--until', '2026-12-01T00:00:00Z'], /^--until \(2026-12-01T00:00:00Z\) must be after --since/],
      [['--callback', '1', '--since', '2026-12-01T00:00:00Z', '--status', 'Pending'], /^--status takes a comma-separated list of Failed, Delivered, Canceled, got "Pending"\./],
      [['--callback', '1', '--since', '2026-12-01T00:00:00Z', '--frobnicate'], /^Unknown option '--frobnicate'/],
      [['12', '--callback', '1'], /^Either start a replay \(--callback ID --since ISO …\) or show one \(replay JOB\), not both\./],
    ];
    for (const [args, message] of cases) {
      const run = await gridhook(['events', 'replay', ...args]);
      expect({ args, code: run.code }).toEqual({ args, code: 1 });
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/\nUsage: gridhook events replay --callback ID --since ISO/);
    }
    const unknownCallback = await gridhook(['events', 'replay', '--callback', '999999', '--since', '2026-12-01T00:00:00Z']);
    expect(unknownCallback.code).toBe(2);
    expect(unknownCallback.stderr).toMatch(/^ObjectNotFound \(HTTP 404\): .*999999/);
    const unknownJob = await gridhook(['events', 'replay', '999999']);
    expect(unknownJob.code).toBe(2);
    expect(unknownJob.stderr).toMatch(/^ObjectNotFound \(HTTP 404\): .*999999/);
  });
});
