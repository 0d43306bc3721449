/**
 * Hostile input at scale: more than 10,000 generated requests — malformed and
 * boundary JSON, numbers, strings, unicode, paths, headers, content types,
 * raw HTTP, SOAP envelopes and XML attacks, query strings and forms for the
 * HTTP GET/POST bindings — against every REST route and SOAP operation the
 * server describes. No answer may be a server error, the
 * process must keep serving, and the data that existed before the run (in a
 * network the fuzzer's keys do not reach) must be exactly as it was after.
 *
 * It runs on both stores: PostgreSQL refuses text SQLite keeps (a NUL), so
 * only the door in front of both keeps their answers the same.
 *
 * Deterministic: one seeded generator makes every request, so a failure
 * names a request that the same seed makes again.
 */
import { once } from 'node:events';
import net from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  escapeXml,
  exampleOf,
  fillPath,
  faultOf,
  restRoutes,
  soapEnvelope,
  soapOperations,
  soapParams,
  SOAP_PATH,
  type RestRoute,
  type SoapOperation,
} from './helpers/api-surface.js';
import type { Config } from '../src/config.js';
import { ERROR_CODES } from '../src/errors.js';
import { describeWithPostgres } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { addUser, ok, startTestServer, type TestServer } from './helpers/server.js';

const SEED = 0x6d2b79f5;
const REQUESTS = 10_000;
const RAW_REQUESTS = 300;
const CONCURRENCY = 32;
/** Short, so requests that promise more body than they send are answered (408) while the test runs. */
const REQUEST_TIMEOUT_MS = 1_000;
/**
 * SOAP answers every fault with HTTP 500; these fault codes (SOAP 1.1's and
 * 1.2's) blame the request, so they are the SOAP form of a 4xx.
 * ServiceUnavailable (an operation this server does not offer) is allowed besides.
 */
const CALLER_FAULTS = new Set(['soap:Client', 'soap:Sender', 'soap:VersionMismatch', 'soap:MustUnderstand']);

/** mulberry32: small, fast and the same on every machine. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (max: number): number => Math.floor(next() * max),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number): boolean => next() < p,
  };
}
type Random = ReturnType<typeof generator>;

const NUMBERS: readonly unknown[] = [
  0, -1, 1, 2, 7001, 2_147_483_647, 2_147_483_648, -2_147_483_648, 4_294_967_296, Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2, -0, 0.5, 1e-7, 1e21, 1.7976931348623157e308, -1.7976931348623157e308,
];
const STRINGS: readonly string[] = [
  '', ' ', '0', '-1', '1e3', '0x10', 'NaN', 'Infinity', 'null', 'true', '[]', '{}',
  'a'.repeat(256), 'b'.repeat(2_049), 'c'.repeat(70_000), '\u0000', 'a\u0000b', '\ud800', '\udfff\ud800',
  '💩'.repeat(100), 'ﷺ', '\u202eevil', 'Ω≈ç√∫', 'e\u0301', '\uFEFFbom', '\r\nX-Injected: 1', 'line\nbreak',
  '../../../../etc/passwd', '..\\..\\windows\\win.ini', '%00', '%2e%2e%2f', "' OR '1'='1", '"; DROP TABLE callbacks; --',
  '<script>alert(1)</script>', '${jndi:ldap://x}', '{{7*7}}', '__proto__', 'constructor', 'toString',
  'https://127.0.0.1/', 'http://169.254.169.254/latest/meta-data', 'https://[::1]/', 'javascript:alert(1)',
  'https://user:pw@example.com/', 'file:///etc/passwd', 'https://example.com/' + 'p'.repeat(3_000),
  'InBox', 'Active', 'Suspended', 'Failed', 'Root', 'NetworkAdmin', 'ZZ', 'whsec_AAAA',
];

function hostileValue(random: Random, depth = 0): unknown {
  switch (random.int(depth > 2 ? 3 : 6)) {
    case 0:
      return random.pick(NUMBERS);
    case 1:
      return random.pick(STRINGS);
    case 2:
      return random.pick([null, true, false]);
    case 3:
      // A long list holds small values, or a few levels of it would not fit in memory.
      return random.chance(0.2)
        ? Array.from({ length: 1_001 }, () => random.pick(NUMBERS))
        : Array.from({ length: random.pick([0, 1, 3]) }, () => hostileValue(random, depth + 1));
    case 4: {
      const out: Record<string, unknown> = {};
      for (let i = random.int(4); i > 0; i -= 1) out[random.pick(STRINGS).slice(0, 40) || 'k'] = hostileValue(random, depth + 1);
      return out;
    }
    default:
      return random.pick([{}, [], '', 0, { events: [] }, { '': '' }]);
  }
}

function randomIds(random: Random): Record<string, unknown> {
  const id = (): unknown => (random.chance(0.7) ? random.pick([1, 2, 3, 4, 7001, 7002, 999_999]) : random.pick(NUMBERS));
  return {
    networkId: id(),
    mailboxId: id(),
    ecGridId: id(),
    ecGridIdFrom: id(),
    ecGridIdTo: id(),
    callBackQueueId: id(),
    eventId: id(),
    userId: id(),
    parcelId: id(),
  };
}

/** Replaces one value somewhere in `value` with a hostile one. */
function mutate(random: Random, value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 3 || random.chance(0.2)) return hostileValue(random);
  if (Array.isArray(value)) {
    if (value.length === 0) return [hostileValue(random)];
    const copy = [...value];
    const i = random.int(copy.length);
    copy[i] = mutate(random, copy[i], depth + 1);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0 || random.chance(0.25)) {
    copy[random.pick([...keys, 'extra', '__proto__', 'constructor', ''])] = hostileValue(random);
  } else if (random.chance(0.2)) {
    delete copy[random.pick(keys)];
  } else {
    const key = random.pick(keys);
    copy[key] = mutate(random, copy[key], depth + 1);
  }
  return copy;
}

const RAW_BODIES: readonly string[] = [
  '', ' ', '{', '}', '[', '[]', '"text"', 'null', '123', 'true', '{"a":', '{"a":1,}', "{'a':1}", '{"a":1}{"b":2}',
  '[' .repeat(5_000) + ']'.repeat(5_000), '{"a":'.repeat(2_000) + '1' + '}'.repeat(2_000), '\uFEFF{}', '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{"x":1}}}', '{"pageNo":1e400}', '{"pageNo":-0}', '{"events":[' + '{},'.repeat(2_000) + '{}]}',
  '\u0000', '{"callBackUrl":"\\ud800"}', '{"a":"\\u0000"}', 'x'.repeat(2_000_000),
];
const CONTENT_TYPES: readonly (string | null)[] = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/xml', 'application/soap+xml',
  'application/json;', ';;;', 'a'.repeat(300), null,
];
const PATH_IDS: readonly string[] = [
  '0', '-1', 'abc', '1e3', '1.5', '%00', '..%2F..%2Fetc%2Fpasswd', '9'.repeat(400), '%F0%9F%92%A9', '%ZZ', '%', '%25',
  ' 1', '1 ', '0x1F', '２', '7001;DROP', '7001?x=1', '7001#', '00000000000000000001', '2147483648',
];
const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

interface Plan {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  soap: boolean;
  /** The v4.1 contract's HTTP GET/POST bindings, whose errors are a 500 with `<ErrorCode>: <message>`. */
  http?: boolean;
}

/** An HTTP binding's error text that blames the request: a code whose SOAP side is Client, or ServiceUnavailable. */
function isCallerText(text: string): boolean {
  const code = /^(\w+): /.exec(text)?.[1] ?? '';
  const entry = (ERROR_CODES as Record<string, { soapFault: string }>)[code];
  return entry !== undefined && (entry.soapFault === 'Client' || code === 'ServiceUnavailable');
}

function restPlan(random: Random, route: RestRoute, keys: readonly (string | null)[]): Plan {
  const key = random.pick(keys);
  const headers: Record<string, string> = {};
  if (key !== null) headers['x-api-key'] = key;
  const ids = randomIds(random);
  let path = fillPath(route.path, ids as Record<string, number>);
  let method = route.method;
  let body: string | undefined;
  if (route.body) {
    const example = exampleOf(route.body, random.chance(0.5) ? ids : {});
    body = JSON.stringify(random.chance(0.85) ? mutate(random, example) : example);
    headers['content-type'] = 'application/json';
  }
  switch (random.int(8)) {
    case 0:
      body = random.pick(RAW_BODIES);
      break;
    case 1: {
      const type = random.pick(CONTENT_TYPES);
      if (type === null) delete headers['content-type'];
      else headers['content-type'] = type;
      break;
    }
    case 2:
      if (route.params.length > 0) {
        path = route.path.replace(/\{\w+\}/g, () => random.pick(PATH_IDS));
      } else {
        path += random.pick(['/', '/x', '//', '/..', '/%2e%2e', '?', `?${'q=1&'.repeat(500)}`, '?__proto__[x]=1', '/' + 'a'.repeat(4_000)]);
      }
      break;
    case 3:
      method = random.pick(METHODS);
      break;
    case 4:
      headers['x-api-key'] = random.pick([
        '', ' ', 'a'.repeat(10_000), 'gh_', 'gh_' + 'A'.repeat(43), `${keys.find((k) => k) ?? ''} `, '\t', 'null', 'ÿÿÿ',
      ]);
      break;
    default:
      break;
  }
  if (method === 'GET' || method === 'HEAD') body = undefined;
  return { method, path, headers, ...(body !== undefined && { body }), soap: false };
}

const XML_ATTACKS: readonly string[] = [
  '', 'not xml', '<', '<?xml version="1.0"?>', '<a><b></a>', '<soap:Envelope/>',
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Login xmlns="http://www.ecgridos.net/"><LoginName>&lol2;</LoginName></Login></soap:Body></soap:Envelope>',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Login xmlns="http://www.ecgridos.net/"><LoginName>&xxe;</LoginName><Password>x</Password></Login></soap:Body></soap:Envelope>',
  '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body/></soap:Envelope>',
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body></soap:Body></soap:Envelope>',
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' + '<a>'.repeat(1_000) + '</a>'.repeat(1_000) + '</soap:Body></soap:Envelope>',
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Nope xmlns="urn:nothing"/></soap:Body></soap:Envelope>',
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><![CDATA[<Login/>]]></soap:Body></soap:Envelope>',
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><x/></soap:Header><soap:Body><Login xmlns="http://www.ecgridos.net/"/><Login xmlns="http://www.ecgridos.net/"/></soap:Body></soap:Envelope>',
  '<?xml version="1.0" encoding="UTF-16"?><a/>', '<?xml-stylesheet href="http://x"?><a/>', `<a>${'x'.repeat(70_000)}</a>`,
];

function soapValue(random: Random): string {
  const value = random.chance(0.5) ? String(random.pick(NUMBERS)) : random.pick(STRINGS);
  return random.chance(0.9) ? escapeXml(value) : value;
}

function soapPlan(random: Random, op: SoapOperation, keys: readonly (string | null)[]): Plan {
  const headers: Record<string, string> = {
    'content-type': 'text/xml; charset=utf-8',
    soapaction: `"${op.operation.soapAction}"`,
  };
  const values: Record<string, string> = {};
  const key = random.pick(keys);
  if (key !== null) values.SessionID = escapeXml(key);
  for (const field of op.operation.input) {
    if (field.name !== 'SessionID' && random.chance(0.4)) values[field.name] = soapValue(random);
  }
  let body = soapEnvelope(op.namespace, op.operation.name, soapParams(op, values));
  switch (random.int(6)) {
    case 0:
      body = random.pick(XML_ATTACKS);
      break;
    case 1:
      body = body.slice(0, random.int(body.length));
      break;
    case 2:
      headers.soapaction = random.pick(['', '""', '"http://www.ecgridos.net/Other"', 'garbage', '"' + 'a'.repeat(5_000) + '"']);
      break;
    case 3:
      headers['content-type'] = random.pick(['application/json', 'text/plain', 'application/soap+xml; action="x"', 'text/xml; charset=ebcdic']);
      break;
    default:
      break;
  }
  return { method: 'POST', path: SOAP_PATH, headers, body, soap: true };
}

/** A call of the v4.1 contract's HTTP GET or POST binding, its parameters as a query or a form, often spoilt. */
function httpBindingPlan(random: Random, op: SoapOperation, keys: readonly (string | null)[]): Plan {
  const params = new URLSearchParams();
  const key = random.pick(keys);
  if (key !== null) params.append('SessionID', key);
  for (const field of op.operation.input) {
    if (field.name !== 'SessionID' && random.chance(0.4)) {
      params.append(field.name, random.chance(0.5) ? String(random.pick(NUMBERS)) : random.pick(STRINGS));
    }
  }
  let name = op.operation.name;
  let method = random.chance(0.5) ? 'GET' : 'POST';
  const headers: Record<string, string> = {};
  let body: string | undefined;
  switch (random.int(6)) {
    case 0:
      name = random.pick(['Nope', 'callbacktest', 'CallBackAdd', '%00', '..%2f..', 'a'.repeat(300), '__proto__']);
      break;
    case 1:
      params.append(random.pick(['sessionid', '__proto__', 'constructor', 'P'.repeat(5_000)]), random.pick(STRINGS));
      break;
    case 2:
      params.append('SessionID', random.pick(STRINGS));
      break;
    case 3:
      method = 'POST';
      headers['content-type'] = random.pick(['application/json', 'text/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded; charset=ebcdic']);
      break;
    case 4:
      method = 'POST';
      body = random.pick(RAW_BODIES);
      break;
    default:
      break;
  }
  const path = `${SOAP_PATH}/${name}`;
  if (method === 'GET') return { method, path: `${path}?${params.toString()}`, headers, soap: false, http: true };
  headers['content-type'] ??= 'application/x-www-form-urlencoded';
  return { method, path, headers, body: body ?? params.toString(), soap: false, http: true };
}

/** Requests no HTTP client library would send: broken framing, smuggling attempts, absurd sizes. */
function rawRequest(random: Random, port: number, key: string): string {
  const host = `Host: 127.0.0.1:${port}`;
  return random.pick([
    'GET / HTTP/1.1\r\n\r\n',
    `FOO /v2/users/me HTTP/1.1\r\n${host}\r\n\r\n`,
    `GET /v2/users/me HTTP/9.9\r\n${host}\r\n\r\n`,
    'GET /v2/users/me\r\n\r\n',
    `GET /v2/users/me HTTP/1.1\r\n${host}\r\nNoColonHeader\r\n\r\n`,
    `GET /v2/users/me HTTP/1.1\r\n${host}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    `POST /v2/callbacks/list HTTP/1.1\r\n${host}\r\nX-API-Key: ${key}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    `POST /v2/callbacks/list HTTP/1.1\r\n${host}\r\nX-API-Key: ${key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n`,
    `POST /v2/callbacks/list HTTP/1.1\r\n${host}\r\nX-API-Key: ${key}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
    `POST /v2/callbacks/list HTTP/1.1\r\n${host}\r\nX-API-Key: ${key}\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{}`,
    `GET http://evil.example/v2/users/me HTTP/1.1\r\n${host}\r\nX-API-Key: ${key}\r\n\r\n`,
    `GET /v2/users/me HTTP/1.1\r\n${host}\r\nX-API-Key: ${key}\u00ff\r\n\r\n`,
    `GET /v2/users/me HTTP/1.1\r\n${host}\r\nX-API-Key: ${key}\r\nX-API-Key: other\r\n\r\n`,
    `GET /v2/${'%'.repeat(2_000)} HTTP/1.1\r\n${host}\r\n\r\n`,
    `GET /${'a/'.repeat(10_000)} HTTP/1.1\r\n${host}\r\n\r\n`,
    `POST ${SOAP_PATH} HTTP/1.1\r\n${host}\r\nContent-Type: text/xml\r\nContent-Length: 5\r\n\r\n<a></`,
    '\r\n\r\n\r\n',
    '\u0000\u0001\u0002\u0003',
  ]);
}

/** Sends raw bytes and answers the first answer's status (0 when the server just closed) and text. */
async function sendRaw(port: number, text: string): Promise<{ status: number; text: string }> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await once(socket, 'connect');
  let data = '';
  socket.on('data', (chunk) => (data += chunk.toString('latin1')));
  socket.end(Buffer.from(text, 'latin1'));
  await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 2 * REQUEST_TIMEOUT_MS))]);
  socket.destroy();
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0), text: data };
}

function fuzzSuite(title: string, databaseUrl: () => Promise<Partial<Config>>): void {
  let server: TestServer;
  let routes: RestRoute[];
  let soap: SoapOperation[];
  let keys: (string | null)[];
  let snapshotBefore: string;
  let protectedIds: { networkId: number; mailboxId: number; ecGridId: number; callBackQueueId: number; eventId: number; userId: number };

  /** The protected network's data, as Root sees it. */
  async function snapshot(): Promise<string> {
    const p = protectedIds;
    return JSON.stringify(
      await Promise.all([
        ok(server, 'GET', `/v2/networks/${p.networkId}`),
        ok(server, 'POST', '/v2/mailboxes/list', { networkId: p.networkId }),
        ok(server, 'POST', '/v2/ids/list', { networkId: p.networkId }),
        ok(server, 'POST', '/v2/users/list', { networkId: p.networkId }),
        ok(server, 'POST', '/v2/callbacks/list', { networkId: p.networkId }),
        ok(server, 'GET', `/v2/callbacks/${p.callBackQueueId}/secret`),
        ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: p.callBackQueueId }),
        ok(server, 'GET', `/v2/callbacks/events/${p.eventId}`),
      ]),
    );
  }

  beforeAll(async () => {
    server = await startTestServer({
      ...(await databaseUrl()),
      allowPrivateUrls: false,
      rateLimitPerMinute: 0,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    });
    const network = await ok(server, 'POST', '/v2/networks/create', { name: 'protected' });
    const mailbox = await ok(server, 'POST', '/v2/mailboxes/create', { networkId: network.networkId, name: 'protected' });
    const ecGridId = await ok(server, 'POST', '/v2/ids/create', { mailboxId: mailbox.mailboxId, qualifier: 'ZZ', id: 'PROTECTED' });
    const callback = await ok(server, 'POST', '/v2/callbacks/create', {
      networkId: network.networkId,
      mailboxId: mailbox.mailboxId,
      callBackUrl: 'https://protected.example/hook',
      callBackEvent: 'InBox',
      retries: 0,
    });
    const published = await ok(server, 'POST', '/v2/callbacks/events/publish', {
      events: [{ callBackEvent: 'InBox', networkId: network.networkId, mailboxId: mailbox.mailboxId }],
    });
    const user = await ok(server, 'POST', '/v2/users/create', {
      loginName: 'protected-user',
      password: 'correct horse battery',
      role: 'NetworkUser',
      networkId: network.networkId,
    });
    protectedIds = {
      networkId: network.networkId,
      mailboxId: mailbox.mailboxId,
      ecGridId: ecGridId.ecGridId,
      callBackQueueId: callback.callBackQueueId,
      eventId: published.eventIds[0],
      userId: user.userId,
    };
    const deadline = Date.now() + 10_000;
    while ((await ok(server, 'GET', `/v2/callbacks/events/${protectedIds.eventId}`)).status === 'Pending' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // The fuzzer's own tenant, where whatever it manages to create may live.
    const playground = await ok(server, 'POST', '/v2/networks/create', { name: 'playground' });
    const box = await ok(server, 'POST', '/v2/mailboxes/create', { networkId: playground.networkId, name: 'playground' });
    const admin = await addUser(server, 'NetworkAdmin', playground.networkId);
    const mailboxUser = await addUser(server, 'MailboxAdmin', playground.networkId, box.mailboxId);
    keys = [admin.key, admin.key, mailboxUser.key, null, 'gh_not-a-key'];

    routes = await restRoutes(server.url);
    soap = await soapOperations(server.url);
    snapshotBefore = await snapshot();
  });
  afterAll(async () => {
    await server.close();
  });

  describe(`fuzzing every route and operation on ${title}`, () => {
    it(`survives ${REQUESTS} generated requests and ${RAW_REQUESTS} raw ones without a server error`, async () => {
      const random = generator(SEED);
      const agent = new Agent({ connections: CONCURRENCY, pipelining: 1 });
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      let next = 0;

      const planFor = (index: number): Plan => {
        // SOAP gets a third of the requests when it is served, a sixth of them to its HTTP GET/POST bindings.
        if (soap.length > 0 && index % 6 === 5) {
          return httpBindingPlan(random, random.pick(soap.filter((op) => op.contract === 'ecgridos')), keys);
        }
        if (soap.length > 0 && index % 3 === 2) return soapPlan(random, random.pick(soap), keys);
        return restPlan(random, random.pick(routes), keys);
      };
      const plans = Array.from({ length: REQUESTS }, (_, i) => planFor(i));

      const worker = async (): Promise<void> => {
        while (next < plans.length) {
          const index = next++;
          const plan = plans[index]!;
          let status = -1;
          let text = '';
          try {
            const answer = await request(`${server.url}${plan.path}`, {
              method: plan.method as 'GET',
              headers: plan.headers,
              body: plan.body ?? null,
              dispatcher: agent,
              headersTimeout: 10_000,
              bodyTimeout: 10_000,
            });
            status = answer.statusCode;
            // The live stream never ends: its status is its answer.
            if (String(answer.headers['content-type']).startsWith('text/event-stream')) answer.body.destroy();
            else text = await answer.body.text();
          } catch (error) {
            // The server may refuse a request by closing the connection (a body it would not read).
            const code = (error as { code?: string }).code ?? '';
            if (!['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH'].includes(code)) {
              failures.push(`#${index} ${plan.method} ${plan.path.slice(0, 120)}: ${code} ${(error as Error).message}`);
            }
            continue;
          }
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          const fault = plan.soap ? faultOf(text) : null;
          const serverError = plan.soap
            ? status >= 500 && !(CALLER_FAULTS.has(fault?.code ?? '') || fault?.errorCode === 'ServiceUnavailable')
            : plan.http
              ? status >= 500 && !isCallerText(text)
              : status >= 500;
          if (serverError) {
            failures.push(`#${index} ${plan.method} ${plan.path.slice(0, 120)} → ${status} ${text.slice(0, 300)}`);
          }
          if (text.includes('root:x:0:0')) failures.push(`#${index}: an external entity was resolved`);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
      await agent.close();

      const port = Number(new URL(server.url).port);
      const raw = Array.from({ length: RAW_REQUESTS }, () => rawRequest(random, port, keys[0]!));
      let nextRaw = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (nextRaw < raw.length) {
            const index = nextRaw++;
            const answer = await sendRaw(port, raw[index]!);
            const fault = faultOf(answer.text);
            if (answer.status >= 500 && !CALLER_FAULTS.has(fault?.code ?? '')) {
              failures.push(`raw #${index} ${JSON.stringify(raw[index]!.slice(0, 100))} → ${answer.text.slice(0, 300)}`);
            }
          }
        }),
      );

      expect(failures.slice(0, 20)).toEqual([]);
      // Some requests are valid and succeed, most are refused as the caller's mistake.
      expect(statuses.get(200) ?? 0).toBeGreaterThan(100);
      expect([...statuses.keys()].filter((s) => s >= 400 && s < 500).length).toBeGreaterThan(3);
      // 15 to 45 s here, depending on what else the machine runs; the bound leaves room for a busy CI runner.
    }, 90_000);

    it('keeps serving, and leaves the data it could not reach exactly as it was', async () => {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect(await snapshot()).toBe(snapshotBefore);
    });
  });
}

fuzzSuite('SQLite', async () => ({}));

const availability = await postgresAvailable();
describeWithPostgres('the fuzz suite on PostgreSQL', availability, () => {
  afterAll(() => dropTestDatabases());
  fuzzSuite('PostgreSQL', async () => ({ databaseUrl: (await createTestDatabase()).url }));
});
