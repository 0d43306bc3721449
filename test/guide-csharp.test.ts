/**
 * The guide's C# (.NET 10) samples, copied verbatim into test/fixtures/guide/csharp, run against
 * a real gridhook with only the host changed:
 *
 * - RestService: the REST ECGridCallbackService in a small host registering the "ECGrid" named
 *   client as the guide's Program.cs does (X-API-Key from configuration);
 * - Receiver: the ASP.NET Core Minimal API receiver, run as a process that gridhook delivers the
 *   test event and a real parcel's InBox event to; the test reads its log lines;
 * - SoapClient: the WCF sample on an ECGridOSAPIClient proxy in dotnet-svcutil's shape;
 * - VendorHttpPost: a client in the wire format of the ECGridOS .NET 6 HTTP samples (form POSTs,
 *   XmlSerializer answers) against the HTTP POST and GET bindings;
 * - WcfClients: WCF clients of both contracts (the guide's proxy and a v4.1 one in the same svcutil
 *   shape) over BasicHttpBinding and a SOAP 1.2 CustomBinding, calling every callback operation
 *   and reading a fault of each as a FaultException with its ErrorInfo detail.
 *
 * The samples speak HTTPS (the SOAP one's BasicHttpSecurityMode.Transport insists on it), so a
 * TLS proxy with a certificate made here by openssl stands in front of gridhook, as a reverse
 * proxy does in production; the .NET processes trust it through SSL_CERT_FILE.
 *
 * The five projects are built together once per run (one restore, reused across runs) in a
 * copy under .build/, where only the files whose host changed are rewritten.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOAP_PATH } from '../src/http/soap/plugin.js';
import { buildX12PurchaseOrder } from './helpers/edi-builders.js';
import { tradingNetwork, upload } from './helpers/parcels.js';
import { eventually, ok, startTestServer, type TestServer } from './helpers/server.js';
import { addLoginUser } from './helpers/soap.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCES = path.join(import.meta.dirname, 'fixtures', 'guide', 'csharp');
const BUILD = path.join(ROOT, '.build', 'csharp-guide');
/**
 * The guide's hosts where they are addresses (the REST base address, the ASMX endpoint), not where
 * they are XML namespaces or SOAPActions ("https://os.ecgrid.io/Login").
 */
const GUIDE_HOSTS = /https:\/\/(?:rest\.ecgrid\.io(?=")|os\.ecgrid\.io(?=\/v4\.1\/))/g;
const GUIDE_URL = 'https://your-app.example.com/webhooks/ecgrid';

const haveDotnet = spawnSync('dotnet', ['--version'], { stdio: 'ignore' }).status === 0;
const mustRun = process.env.CI === 'true';
if (!haveDotnet && !mustRun) {
  console.warn('guide-csharp: skipped, `dotnet` (the .NET 10 SDK) is not on PATH; install it to run the C# samples.');
}

const DOTNET_ENV = {
  DOTNET_CLI_TELEMETRY_OPTOUT: '1',
  DOTNET_NOLOGO: '1',
  DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1',
  NO_PROXY: '127.0.0.1,localhost',
  no_proxy: '127.0.0.1,localhost',
  // One line per log entry, so the test can read the receiver's.
  Logging__Console__FormatterName: 'simple',
  Logging__Console__FormatterOptions__SingleLine: 'true',
};

let server: TestServer;
let proxy: https.Server;
let proxyUrl: string;
let workDir: string;
let env: NodeJS.ProcessEnv;
let receiver: { child: ChildProcess; url: string; lines: string[] };

/** A self-signed certificate for 127.0.0.1 and localhost. */
function makeCertificate(dir: string): { key: string; cert: string; certFile: string } {
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost'].concat([
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ]),
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl could not make a certificate (install openssl): ${made.stderr}`);
  return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8'), certFile };
}

/** HTTPS in front of gridhook's HTTP, passing requests and answers through unchanged. */
async function startTlsProxy(target: string, tls: { key: string; cert: string }): Promise<https.Server> {
  const upstream = new URL(target);
  const tlsProxy = https.createServer(tls, (request, response) => {
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forward.on('error', () => response.writeHead(502).end());
    request.pipe(forward);
  });
  await new Promise<void>((resolve) => tlsProxy.listen(0, '127.0.0.1', resolve));
  return tlsProxy;
}

/** Copies the sources to BUILD with the guide's hosts replaced, writing only what changed. */
function copySources(from: string, to: string, host: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.name === 'bin' || entry.name === 'obj') continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      copySources(source, target, host);
      continue;
    }
    const text = fs.readFileSync(source, 'utf8').replace(GUIDE_HOSTS, host);
    if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text) fs.writeFileSync(target, text);
  }
}

function dll(project: string): string {
  return path.join(BUILD, project, 'bin', 'Debug', 'net10.0', `${project}.dll`);
}

/** Runs a built sample to its end; answers what it printed. */
async function runSample(project: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    const { stdout } = await run('dotnet', [dll(project), ...args], { env: { ...env, ...extraEnv }, timeout: 120_000 });
    return stdout;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${project} failed: ${failed.message}\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`);
  }
}

async function startReceiver(): Promise<{ child: ChildProcess; url: string; lines: string[] }> {
  const child = spawn('dotnet', [dll('Receiver'), '--urls', 'http://127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the receiver did not start:\n${lines.join('\n')}`)), 60_000);
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const listening = /Now listening on: (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1] as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`the receiver exited (${code}):\n${lines.join('\n')}`)));
  });
  return { child, url, lines };
}

/** The receiver's `Event=… ParcelId=… File=…` log line for this parcel, once it is there. */
function receiverLogged(parcelId: number): Promise<string> {
  return eventually(async () => receiver.lines.find((line) => line.includes(`ParcelId=${parcelId} `)), 30_000);
}

beforeAll(async () => {
  if (!haveDotnet) {
    if (mustRun) throw new Error('`dotnet` (the .NET 10 SDK) is not on PATH, and under CI the C# samples must run.');
    return;
  }
  server = await startTestServer();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-csharp-'));
  const tls = makeCertificate(workDir);
  proxy = await startTlsProxy(server.url, tls);
  proxyUrl = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  env = { ...process.env, ...DOTNET_ENV, SSL_CERT_FILE: tls.certFile };

  copySources(SOURCES, BUILD, proxyUrl);
  const started = Date.now();
  const build = spawnSync('dotnet', ['build', path.join(BUILD, 'guide-csharp.slnx'), '--nologo', '-v', 'q'], {
    env,
    encoding: 'utf8',
    timeout: 540_000,
  });
  if (build.status !== 0) throw new Error(`dotnet build failed:\n${build.stdout}\n${build.stderr}`);
  console.info(`guide-csharp: dotnet build of the five projects took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  receiver = await startReceiver();
}, 600_000);

afterAll(async () => {
  receiver?.child.kill();
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await server?.close();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe.skipIf(!haveDotnet && !mustRun)("the guide's C# samples, host changed, run unmodified", () => {
  it('REST: ECGridCallbackService registers and tests a callback; the Minimal API receiver logs the test event and a parcel', async () => {
    const net = await tradingNetwork(server);
    const webhook = `${receiver.url}/webhooks/ecgrid`;
    const stdout = await runSample('RestService', [webhook], { ECGrid__ApiKey: net.supplier.user.key });
    const id = Number(/Callback registered: ID=(\d+) URL=(\S+) Event=InBox/.exec(stdout)?.[1]);
    expect(stdout).toContain(`URL=${webhook} Event=InBox`);
    expect(stdout).toContain(`Test event sent to callback ID=${id}. Verify your endpoint received HTTP POST.`);
    const callback = await ok(server, 'GET', `/v2/callbacks/${id}`);
    expect(callback).toMatchObject({ callBackUrl: webhook, callBackEvent: 'InBox', status: 'Active', mailboxId: net.supplier.mailboxId });

    // The test event: parcel 0 and a made-up file name.
    expect(await receiverLogged(0)).toMatch(/Event=InBox ParcelId=0 File=test\.edi$/);
    expect(receiver.lines.some((line) => line.includes('ECGrid callback received: {') && line.includes('"isTest":true'))).toBe(true);

    const order = buildX12PurchaseOrder({
      sender: { qualifier: net.buyer.qualifier, id: net.buyer.id },
      receiver: { qualifier: net.supplier.qualifier, id: net.supplier.id },
    });
    const uploaded = await upload(server, net.buyer, order, { fileName: 'po-csharp.x12' });
    expect(uploaded.status).toBe(200);
    const parcelId = uploaded.body.data.parcelId as number;
    expect(await receiverLogged(parcelId)).toMatch(new RegExp(`Event=InBox ParcelId=${parcelId} File=po-csharp\\.x12$`));
    const queue = await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: id, pageNo: 1, recordsPerPage: 25 });
    expect(queue.events.map((e: { status: string }) => e.status)).toEqual(['Delivered', 'Delivered']);
  }, 180_000);

  it('SOAP: the WCF sample logs in, adds a callback, tests it and logs out through ECGridOSAPIClient', async () => {
    const networkId = (await ok(server, 'POST', '/v2/networks/create', { name: 'WCF VAN' })).networkId;
    const user = await addLoginUser(server, 'NetworkAdmin', networkId);
    const stdout = await runSample('SoapClient', [], { ECGRID_USER: user.loginName, ECGRID_PASS: user.password });
    const id = Number(/^Callback ID: (\d+)$/m.exec(stdout)?.[1]);
    expect(stdout).toContain('Test event sent — check your endpoint.');
    expect(await ok(server, 'GET', `/v2/callbacks/${id}`)).toMatchObject({
      callBackUrl: GUIDE_URL,
      callBackEvent: 'InBox',
      networkId,
      frequency: 1,
      retries: 3,
    });
    const queue = await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: id, pageNo: 1, recordsPerPage: 25 });
    expect(queue.events[0]).toMatchObject({ isTest: true });
  }, 180_000);

  it('HTTP POST and GET: a vendor-style XmlSerializer client runs the callback operations and reads an error', async () => {
    const networkId = (await ok(server, 'POST', '/v2/networks/create', { name: 'HTTP POST VAN' })).networkId;
    const user = await addLoginUser(server, 'NetworkAdmin', networkId);
    const webhook = `${receiver.url}/webhooks/ecgrid`;
    const stdout = await runSample('VendorHttpPost', [`${proxyUrl}${SOAP_PATH}`, user.loginName, user.password, webhook]);
    const values = Object.fromEntries(stdout.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));
    expect(values).toMatchObject({
      Login: 'session',
      Version: 'ECGridOS 4.1 (gridhook)',
      'CallBackAddEx.URL': webhook,
      'CallBackAddEx.Direction': 'InBox',
      'CallBackTest.Status': 'Completed',
      'CallBackTest.Test': 'True',
      'CallBackTest.CallBackEvent.CallBackEventID': values['CallBackAddEx.CallBackEventID'],
      CallBackEventSetStatus: 'True',
      'CallBackPendingList.Count': '0',
      'NowUTC.Kind': 'Utc',
      Logout: 'ok',
    });
    expect(values['CallBackEventInfo.CallBackQueue']).toMatch(/^\d+$/);
    expect(values.Error).toMatch(/^500 InvalidParameter: CallBackEventID: must be a whole number .* got "abc"\.$/);
    const callback = await ok(server, 'GET', `/v2/callbacks/${values['CallBackAddEx.CallBackEventID']}`);
    expect(callback).toMatchObject({ callBackUrl: webhook, status: 'Suspended' });
  }, 180_000);

  it('WCF: both contracts over SOAP 1.1 and SOAP 1.2, every callback operation, faults with their ErrorInfo', async () => {
    const networkId = (await ok(server, 'POST', '/v2/networks/create', { name: 'WCF 1.2 VAN' })).networkId;
    const user = await addLoginUser(server, 'NetworkAdmin', networkId);
    const stdout = await runSample('WcfClients', [`${server.url}${SOAP_PATH}`, user.loginName, user.password, receiver.url]);
    const values = Object.fromEntries(stdout.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));
    const webhook = `${receiver.url}/webhooks/ecgrid`;
    for (const [binding, sender] of [
      ['Soap11', 'Client'],
      ['Soap12', 'Sender'],
    ] as const) {
      const at = (key: string) => values[`${binding}.${key}`];
      expect(at('Guide.Login')).toBe('session');
      expect(at('Guide.CallBackAdd')).toMatch(/^\d+ OutBox Active 2 1$/);
      expect(at('Guide.CallBackTest')).toBe('True 200');
      expect(at('Guide.Fault')).toBe(`${sender} ErrorInfo http://www.ecgridos.net/ ObjectNotFound `);
      expect(at('Guide.Logout')).toBe('True');
      expect(at('V41.NowUTC')).toBe('True');
      expect(at('V41.Version')).toBe('ECGridOS 4.1 (gridhook)');
      expect(at('V41.WhoAmI')).toBe(`NetworkAdmin ${user.loginName} True`);
      const eventId = /^(\d+) InBox Active (\S+)$/.exec(at('V41.CallBackAddEx'));
      expect(eventId?.[2]).toBe(webhook);
      expect(at('V41.CallBackTest')).toBe(`Completed True ${eventId?.[1]} 1`);
      expect(at('V41.CallBackQueueInfo')).toBe('True Completed');
      expect(at('V41.CallBackEventInfo')).toBe(`${eventId?.[1]} True`);
      expect(at('V41.CallBackEventSetStatus')).toBe('True');
      expect(at('V41.CallBackEventListEx')).toBe('Suspended');
      expect(at('V41.Refused')).toBe('Pending Error');
      for (const list of ['CallBackPendingList', 'CallBackPendingListEx', 'CallBackFailedList', 'CallBackFailedListEx']) {
        expect(at(`V41.${list}`), list).toBe('True');
      }
      expect(at('V41.Fault')).toBe(`${sender} ErrorInfo https://os.ecgrid.io/ ObjectNotFound `);
      expect(at('V41.Logout')).toBe('True');
    }
  }, 180_000);
});
