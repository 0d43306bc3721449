/**
 * The guide's own REST samples (cURL, Python requests, Node.js fetch, Java
 * HttpClient), copied verbatim into test/fixtures/guide, run against a real
 * gridhook with only the host changed. Each gets a fresh database, so the
 * first callback is 7001 — the ID the cURL sample's step 2 hard-codes.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ok, startTestServer, type TestServer } from './helpers/server.js';

const run = promisify(execFile);
const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'guide');
const GUIDE_HOST = 'https://rest.ecgrid.io';
const GUIDE_URL = 'https://your-app.example.com/webhooks/ecgrid';

let server: TestServer | null = null;
let workDir: string | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  workDir = null;
});

async function prepare(fixture: string, target: string): Promise<{ file: string; env: NodeJS.ProcessEnv }> {
  // Private URLs stay refused, as in production: the guide's https URL is public
  // (and resolves nowhere: the test server's resolver is offline).
  server = await startTestServer({ allowPrivateUrls: false });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-guide-'));
  const source = fs.readFileSync(path.join(FIXTURES, fixture), 'utf8');
  expect(source).toContain(GUIDE_HOST);
  const file = path.join(workDir, target);
  fs.writeFileSync(file, source.replaceAll(GUIDE_HOST, server.url));
  return { file, env: { ...process.env, ECGRID_API_KEY: server.rootKey } };
}

/** What every sample must have left behind: the guide's callback and its test event, attempted. */
async function expectGuideOutcome(): Promise<void> {
  const s = server as TestServer;
  const callback = await ok(s, 'GET', '/v2/callbacks/7001');
  expect(callback).toMatchObject({
    callBackQueueId: 7001,
    callBackUrl: GUIDE_URL,
    callBackEvent: 'InBox',
    status: 'Active',
    networkId: 1,
    mailboxId: 0,
    ecGridId: 0,
    frequency: 1,
    retries: 3,
  });
  const queue = await ok(s, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: 7001, pageNo: 1, recordsPerPage: 25 });
  expect(queue.totalRecords).toBe(1);
  // The test event's first attempt fails (the guide's host is offline here) and is
  // retried every second, so by now it may have had more than one.
  expect(queue.events[0]).toMatchObject({ callBackQueueId: 7001, isTest: true });
  expect(queue.events[0].attempts).toBeGreaterThanOrEqual(1);
  const detail = await ok(s, 'GET', `/v2/callbacks/events/${queue.events[0].eventId}`);
  expect(detail.attemptLog[0].error).toContain('EOFFLINE');
}

async function findPython(): Promise<string> {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    try {
      await run(candidate, ['-c', 'import requests']);
      return candidate;
    } catch {
      // try the next interpreter
    }
  }
  throw new Error('No python3 with the requests package: install python3-requests (.ci/run does)');
}

function jacksonClasspath(): string {
  const names = ['jackson-databind', 'jackson-core', 'jackson-annotations'];
  const jars = names.map((name) => path.join('/usr/share/java', `${name}.jar`));
  const missing = jars.filter((jar) => !fs.existsSync(jar));
  if (missing.length > 0) {
    throw new Error(`Jackson jars missing (${missing.join(', ')}): install libjackson2-databind-java (.ci/run does)`);
  }
  return jars.join(path.delimiter);
}

describe("the guide's REST samples, host changed, run unmodified", () => {
  it('cURL', async () => {
    const { file, env } = await prepare('rest-curl.sh', 'guide.sh');
    const { stdout } = await run('bash', ['-euo', 'pipefail', file], { env });
    const [created, tested] = stdout.split(/\n(?=\{)/).map((part) => JSON.parse(part));
    expect(created).toMatchObject({ success: true, data: { callBackQueueId: 7001, callBackEvent: 'InBox' } });
    expect(tested).toMatchObject({ success: true, data: { eventId: expect.any(Number) } });
    await expectGuideOutcome();
  });

  it('Python requests', async () => {
    const python = await findPython();
    const { file, env } = await prepare('rest-python.py', 'guide.py');
    const { stdout } = await run(python, [file], { env });
    expect(stdout).toContain('Callback registered: ID=7001');
    expect(stdout).toContain('Test event sent');
    await expectGuideOutcome();
  });

  it('Node.js fetch', async () => {
    const { file, env } = await prepare('rest-node.mjs', 'guide.mjs');
    const { stdout } = await run(process.execPath, [file], { env });
    expect(stdout).toContain('Callback registered: ID=7001');
    await expectGuideOutcome();
  });

  it('Java HttpClient with Jackson', async () => {
    const classpath = jacksonClasspath();
    const { file, env } = await prepare('rest-java.txt', 'snippet.java');
    // The guide shows statements, as Java snippets do; only the class around them is added.
    const snippet = fs.readFileSync(file, 'utf8').split('\n');
    const imports = snippet.filter((line) => line.startsWith('import '));
    const body = snippet.filter((line) => !line.startsWith('import '));
    const program = path.join(path.dirname(file), 'GuideSample.java');
    fs.writeFileSync(
      program,
      `${imports.join('\n')}\npublic class GuideSample {\npublic static void main(String[] args) throws Exception {\n${body.join('\n')}\n}\n}\n`,
    );
    const { stdout } = await run('java', ['-cp', classpath, program], { env, timeout: 120_000 });
    expect(stdout).toContain('Callback registered: ID=7001');
    await expectGuideOutcome();
  }, 120_000);
});
