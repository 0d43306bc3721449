/**
 * Bad input on every route answers the error envelope with a 4xx whose message
 * names the field at fault and what it accepts, never a 5xx: malformed JSON,
 * wrong types ("1" for an integer is wrong, not coerced), unknown enum values,
 * out-of-range numbers, refused callback URLs, oversized bodies, wrong content
 * types, missing or wrong keys, bad path IDs, unknown routes and methods.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type ApiResponse, type TestServer } from './helpers/server.js';

let server: TestServer;
/** The same API with the production URL policy (https to public addresses only). */
let strict: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  strict = await startTestServer({ allowPrivateUrls: false });
});

afterAll(async () => {
  await server?.close();
  await strict?.close();
});

/** What a callback subscribes to: the guide's five, and gridhook's CallBackSuspended. */
const EVENTS = 'must be one of InBox, OutBox, InBoxError, OutBoxError, ConfirmDelivery, CallBackSuspended';
/** What may be published: the guide's five only. */
const PUBLISHED = 'must be one of InBox, OutBox, InBoxError, OutBoxError, ConfirmDelivery';
const ID = 'must be an integer from 1 to 2147483647';
const SCOPE_ID = 'must be an integer from 0 to 2147483647';
const PAGE_NO = 'pageNo: must be an integer from 1 to 2147483647';
const PER_PAGE = 'recordsPerPage: must be an integer from 1 to 500';

function expectRefused(answer: ApiResponse, status: number, code: string, message?: string | RegExp): void {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.body).toEqual({ success: false, errorCode: code, message: expect.any(String), data: null });
  if (typeof message === 'string') expect(answer.body.message).toBe(message);
  else if (message) expect(answer.body.message).toMatch(message);
}

/** [what to change in a valid body (undefined removes), the exact message] */
type FieldCase = [patch: Record<string, unknown>, message: string];

interface PostRoute {
  path: string;
  valid: Record<string, unknown>;
  cases: FieldCase[];
}

const POST_ROUTES: PostRoute[] = [
  {
    path: '/v2/callbacks/create',
    valid: { callBackUrl: 'http://127.0.0.1:9/hook', callBackEvent: 'InBox' },
    cases: [
      [{ callBackEvent: 'Inbox' }, `callBackEvent: ${EVENTS}`],
      [{ callBackEvent: 3 }, `callBackEvent: ${EVENTS}`],
      [{ callBackEvent: undefined }, `callBackEvent: is required and ${EVENTS}`],
      [{ callBackUrl: undefined }, 'callBackUrl: is required and must be an https URL of at most 2048 characters'],
      [{ callBackUrl: '' }, 'callBackUrl: must be an https URL of at most 2048 characters'],
      [{ callBackUrl: 42 }, 'callBackUrl: must be an https URL of at most 2048 characters'],
      [{ frequency: '1' }, 'frequency: must be an integer from 1 to 86400'],
      [{ frequency: 0 }, 'frequency: must be an integer from 1 to 86400'],
      [{ frequency: 86_401 }, 'frequency: must be an integer from 1 to 86400'],
      [{ frequency: 1.5 }, 'frequency: must be an integer from 1 to 86400'],
      [{ frequency: null }, 'frequency: must be an integer from 1 to 86400'],
      [{ frequency: 1e308 }, 'frequency: must be an integer from 1 to 86400'],
      [{ retries: -1 }, 'retries: must be an integer from 0 to 100'],
      [{ retries: 101 }, 'retries: must be an integer from 0 to 100'],
      [{ retries: true }, 'retries: must be an integer from 0 to 100'],
      [{ status: 'Paused' }, 'status: must be one of Active, Suspended'],
      [{ networkId: -1 }, `networkId: ${SCOPE_ID}`],
      [{ mailboxId: '0' }, `mailboxId: ${SCOPE_ID}`],
      [{ ecGridId: 2 ** 31 }, `ecGridId: ${SCOPE_ID}`],
    ],
  },
  {
    path: '/v2/callbacks/test',
    valid: { callBackQueueId: 1 },
    cases: [
      [{ callBackQueueId: undefined }, `callBackQueueId: is required and ${ID}`],
      [{ callBackQueueId: '7001' }, `callBackQueueId: ${ID}`],
      [{ callBackQueueId: 0 }, `callBackQueueId: ${ID}`],
    ],
  },
  {
    path: '/v2/callbacks/list',
    valid: {},
    cases: [
      [{ callBackEvent: 'inbox' }, `callBackEvent: ${EVENTS}`],
      [{ status: 'Deleted' }, 'status: must be one of Active, Suspended'],
      [{ pageNo: 0 }, PAGE_NO],
      [{ recordsPerPage: 501 }, PER_PAGE],
      [{ recordsPerPage: '25' }, PER_PAGE],
    ],
  },
  {
    path: '/v2/callbacks/update',
    valid: { callBackQueueId: 1 },
    cases: [
      [{ callBackQueueId: undefined }, `callBackQueueId: is required and ${ID}`],
      [{ frequency: 0 }, 'frequency: must be an integer from 1 to 86400'],
      [{ callBackEvent: 'OutBoxErrors' }, `callBackEvent: ${EVENTS}`],
      [{ status: 'Canceled' }, 'status: must be one of Active, Suspended'],
    ],
  },
  {
    path: '/v2/callbacks/rotate-secret',
    valid: { callBackQueueId: 1 },
    cases: [[{ callBackQueueId: [1] }, `callBackQueueId: ${ID}`]],
  },
  {
    path: '/v2/callbacks/queue-list',
    valid: { callBackQueueId: 0, pageNo: 1, recordsPerPage: 25 },
    cases: [
      [{ status: 'Done' }, 'status: must be one of Pending, Delivered, Failed, Canceled'],
      [{ callBackQueueId: -5 }, `callBackQueueId: ${SCOPE_ID}`],
      [{ pageNo: '1' }, PAGE_NO],
      [{ recordsPerPage: 0 }, PER_PAGE],
    ],
  },
  {
    path: '/v2/callbacks/events/retry',
    valid: { eventId: 1 },
    cases: [
      [{ eventId: '5' }, `eventId: ${ID}`],
      [{ eventId: undefined, callBackQueueId: 1, status: 'Pending' }, 'status: must be one of Failed'],
    ],
  },
  {
    path: '/v2/callbacks/events/publish',
    valid: { events: [{ callBackEvent: 'InBox', mailboxId: 1 }] },
    cases: [
      [{ events: undefined }, 'events: is required and must be a list of 1 to 1000 events'],
      [{ events: {} }, 'events: must be a list of 1 to 1000 events'],
      [{ events: [1] }, 'events[0]: must be a JSON object'],
      [{ events: [{ callBackEvent: 'Foo', mailboxId: 1 }] }, `events[0].callBackEvent: ${PUBLISHED}`],
      [{ events: [{ callBackEvent: 'CallBackSuspended', mailboxId: 1 }] }, `events[0].callBackEvent: ${PUBLISHED}`],
      [
        { events: [{ callBackEvent: 'InBox', mailboxId: 1 }, { callBackEvent: 'InBox', mailboxId: 0 }] },
        'events[1].mailboxId: must be the ID (1 or more) of the mailbox the event happened in',
      ],
      [{ events: [{ callBackEvent: 'InBox', mailboxId: 1, parcelId: -1 }] }, `events[0].parcelId: ${SCOPE_ID}`],
      [{ events: [{ callBackEvent: 'InBox', mailboxId: 1, ecGridId: 'x' }] }, `events[0].ecGridId: ${SCOPE_ID}`],
      [
        { events: [{ callBackEvent: 'InBox', mailboxId: 1, fileName: 'f'.repeat(256) }] },
        'events[0].fileName: must be a string of at most 255 characters',
      ],
      [{ idempotencyKey: 'k'.repeat(201) }, 'idempotencyKey: must be a string of 1 to 200 characters'],
      [{ idempotencyKey: '' }, 'idempotencyKey: must be a string of 1 to 200 characters'],
    ],
  },
  {
    path: '/v2/networks/create',
    valid: { name: 'n' },
    cases: [
      [{ name: '' }, 'name: must be a string of 1 to 255 characters'],
      [{ name: undefined }, 'name: is required and must be a string of 1 to 255 characters'],
      [{ name: 'n'.repeat(256) }, 'name: must be a string of 1 to 255 characters'],
    ],
  },
  { path: '/v2/networks/list', valid: {}, cases: [[{ pageNo: -1 }, PAGE_NO]] },
  {
    path: '/v2/mailboxes/create',
    valid: { name: 'm' },
    cases: [
      [{ name: 5 }, 'name: must be a string of 1 to 255 characters'],
      [{ networkId: 'x' }, `networkId: ${SCOPE_ID}`],
    ],
  },
  { path: '/v2/mailboxes/list', valid: {}, cases: [[{ networkId: -1 }, `networkId: ${SCOPE_ID}`]] },
  {
    path: '/v2/ids/create',
    valid: { mailboxId: 1, qualifier: 'ZZ', id: 'BAD-INPUT' },
    cases: [
      [{ qualifier: 'TOOLONG' }, 'qualifier: must be 1 to 4 letters or digits, e.g. ZZ'],
      [{ qualifier: 'Z Z' }, 'qualifier: must be 1 to 4 letters or digits, e.g. ZZ'],
      [{ id: ' PADDED' }, 'id: must be 1 to 35 printable ASCII characters without leading or trailing spaces'],
      [{ id: 'X'.repeat(36) }, 'id: must be 1 to 35 printable ASCII characters without leading or trailing spaces'],
      [{ id: undefined }, 'id: is required and must be 1 to 35 printable ASCII characters without leading or trailing spaces'],
      [{ description: 'd'.repeat(256) }, 'description: must be a string of at most 255 characters'],
      [{ mailboxId: 1.5 }, `mailboxId: ${SCOPE_ID}`],
    ],
  },
  {
    path: '/v2/ids/list',
    valid: {},
    cases: [
      [{ status: 'Gone' }, 'status: must be one of Active, Suspended, Terminated'],
      [{ mailboxId: -2 }, `mailboxId: ${SCOPE_ID}`],
    ],
  },
  {
    path: '/v2/ids/find',
    valid: { qualifier: 'ZZ', id: 'ACME' },
    cases: [
      [{ qualifier: undefined }, 'qualifier: is required and must be 1 to 4 letters or digits, e.g. ZZ'],
      [{ networkId: -1 }, `networkId: ${SCOPE_ID}`],
    ],
  },
  {
    path: '/v2/ids/update',
    valid: { ecGridId: 1, status: 'Active' },
    cases: [
      [{ ecGridId: undefined }, `ecGridId: is required and ${ID}`],
      [{ status: 'Deleted' }, 'status: must be one of Active, Suspended, Terminated'],
    ],
  },
  {
    path: '/v2/users/create',
    valid: { loginName: 'valid-login', password: 'long enough', role: 'NetworkUser' },
    cases: [
      [{ role: 'God' }, 'role: must be one of Root, NetworkAdmin, NetworkUser, MailboxAdmin, MailboxUser'],
      [{ password: 'short' }, 'password: must be a string of 8 to 256 characters'],
      [{ loginName: 'a b' }, 'loginName: must be 3 to 64 letters, digits or . _ @ -'],
      [{ loginName: undefined }, 'loginName: is required and must be 3 to 64 letters, digits or . _ @ -'],
      [{ mailboxId: 'one' }, `mailboxId: ${SCOPE_ID}`],
    ],
  },
  { path: '/v2/users/list', valid: {}, cases: [[{ mailboxId: 'x' }, `mailboxId: ${SCOPE_ID}`]] },
];

const PATH_ROUTES: Array<[method: string, pattern: string, param: string]> = [
  ['GET', '/v2/callbacks/:id', 'callBackQueueId'],
  ['DELETE', '/v2/callbacks/:id', 'callBackQueueId'],
  ['GET', '/v2/callbacks/events/:id', 'eventId'],
  ['GET', '/v2/networks/:id', 'networkId'],
  ['GET', '/v2/mailboxes/:id', 'mailboxId'],
  ['GET', '/v2/ids/:id', 'ecGridId'],
  ['POST', '/v2/users/key-generate/:id', 'userId'],
];

const KEYED_ROUTES: Array<[method: string, path: string]> = [
  ...POST_ROUTES.map((r): [string, string] => ['POST', r.path]),
  ...PATH_ROUTES.map(([method, pattern]): [string, string] => [method, pattern.replace(':id', '1')]),
  ['GET', '/v2/users/me'],
];

function patched(valid: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const body = { ...valid, ...patch };
  for (const [key, value] of Object.entries(patch)) if (value === undefined) delete body[key];
  return body;
}

describe.each(POST_ROUTES)('POST $path', (route) => {
  it.each(route.cases)('refuses %j', async (patch, message) => {
    expectRefused(await call(server, 'POST', route.path, patched(route.valid, patch)), 400, 'InvalidParameter', message);
  });

  it('refuses malformed JSON, naming the problem', async () => {
    const answer = await call(server, 'POST', route.path, undefined, { rawBody: '{"callBackQueueId": 1,' });
    expectRefused(answer, 400, 'InvalidParameter', /^body: is not valid JSON \(.+\); send a JSON object$/);
  });

  it('refuses a body that is not an object', async () => {
    for (const raw of ['[1,2]', '"text"', '42', 'null']) {
      expectRefused(await call(server, 'POST', route.path, undefined, { rawBody: raw }), 400, 'InvalidParameter', 'body: must be a JSON object');
    }
  });

  it('refuses a missing body', async () => {
    expectRefused(await call(server, 'POST', route.path), 400, 'InvalidParameter', 'body: must be a JSON object');
  });

  it('survives hostile JSON: deep nesting, many keys, odd values', async () => {
    const bodies = [
      `{"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
      JSON.stringify(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]))),
      JSON.stringify({ ...route.valid, extra: '\u0000\ud800' }),
      '{"a": 1e999999}',
    ];
    for (const raw of bodies) {
      const answer = await call(server, 'POST', route.path, undefined, { rawBody: raw });
      expect(answer.status, raw.slice(0, 40)).toBeLessThan(500);
      expect(answer.body).toHaveProperty('success');
    }
  });

  it('refuses prototype-poisoning keys', async () => {
    const answer = await call(server, 'POST', route.path, undefined, { rawBody: '{"__proto__": {"admin": true}}' });
    expectRefused(answer, 400, 'InvalidParameter', /^body: is not valid JSON/);
  });

  it('refuses other content types with 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const answer = await call(server, 'POST', route.path, undefined, { rawBody: 'a=1', headers: { 'content-type': type } });
      expectRefused(answer, 415, 'UnsupportedMediaType', /^Content-Type: .* application\/json/);
    }
  });

  it('refuses a body over the size limit with 413', async () => {
    const huge = JSON.stringify({ ...route.valid, padding: 'x'.repeat(server.config.bodyLimitBytes) });
    expectRefused(await call(server, 'POST', route.path, undefined, { rawBody: huge }), 413, 'PayloadTooLarge', /^body: .*limit/);
  });
});

describe.each(PATH_ROUTES)('%s %s', (method, pattern, param) => {
  it.each(['abc', '0', '-1', '1.5', '1e3', '01', '12345678901234567', '%20'])('refuses the id %j', async (id) => {
    const answer = await call(server, method, pattern.replace(':id', id));
    expectRefused(answer, 400, 'InvalidParameter', `${param}: must be a positive whole number, e.g. 7001`);
  });

  it('answers 404 for a well-formed id that does not exist', async () => {
    expectRefused(await call(server, method, pattern.replace(':id', '1234567890123456')), 404, 'ObjectNotFound');
  });
});

describe('API keys', () => {
  it.each(KEYED_ROUTES)('%s %s needs a key', async (method, path) => {
    expectRefused(await call(server, method, path, undefined, { key: null }), 401, 'InvalidAPIKey', /^X-API-Key: .*missing/);
    expectRefused(await call(server, method, path, undefined, { key: 'gh_not-a-real-key' }), 401, 'InvalidAPIKey');
    expectRefused(await call(server, method, path, undefined, { key: 'x'.repeat(10_000) }), 401, 'InvalidAPIKey');
  });

  it('checks the key before reading the body', async () => {
    const answer = await call(server, 'POST', '/v2/callbacks/create', undefined, { key: null, rawBody: '{oops' });
    expectRefused(answer, 401, 'InvalidAPIKey');
  });
});

describe('callback URLs under the production policy', () => {
  const urls: Array<[url: string, message: RegExp]> = [
    ['not a url', /^callBackUrl: "not a url" is not an absolute URL/],
    ['/relative/path', /^callBackUrl: .*not an absolute URL/],
    ['ftp://example.com/hook', /^callBackUrl: the scheme "ftp" is not supported; use https:\/\//],
    ['http://example.com/hook', /^callBackUrl: must use https:\/\//],
    ['https://127.0.0.1/hook', /^callBackUrl: the host 127\.0\.0\.1 is not a public address \(loopback\)/],
    ['https://10.1.2.3/hook', /^callBackUrl: .*\(private\)/],
    ['https://169.254.169.254/latest', /^callBackUrl: .*\(cloud metadata\)/],
    ['https://[::1]/hook', /^callBackUrl: .*loopback/],
    ['https://localhost/hook', /^callBackUrl: .*loopback/],
    ['https://user:secret@example.com/hook', /^callBackUrl: must not contain a user name or password/],
  ];
  it.each(urls)('refuses %s', async (url, message) => {
    const body = { callBackUrl: url, callBackEvent: 'InBox' };
    expectRefused(await call(strict, 'POST', '/v2/callbacks/create', body), 400, 'InvalidParameter', message);
  });

  it('refuses the same URLs on update', async () => {
    const created = await call(strict, 'POST', '/v2/callbacks/create', {
      callBackUrl: 'https://hooks.example.com/ecgrid',
      callBackEvent: 'InBox',
    });
    expect(created.status).toBe(200);
    const answer = await call(strict, 'POST', '/v2/callbacks/update', {
      callBackQueueId: created.body.data.callBackQueueId,
      callBackUrl: 'http://example.com/hook',
    });
    expectRefused(answer, 400, 'InvalidParameter', /^callBackUrl: must use https:\/\//);
  });
});

describe('routes and methods', () => {
  it('answers an unknown route with 404 in the envelope, key or not', async () => {
    for (const key of [undefined, null]) {
      const answer = await call(server, 'POST', '/v2/callbacks/nope', {}, { key });
      expectRefused(answer, 404, 'ObjectNotFound', 'POST /v2/callbacks/nope is not a route of this API. See /openapi.json for the routes.');
    }
    expectRefused(await call(server, 'GET', '/nope'), 404, 'ObjectNotFound');
  });

  it('says which methods a known path takes', async () => {
    const wrong = await call(server, 'GET', '/v2/users/create');
    expectRefused(wrong, 404, 'ObjectNotFound', 'GET /v2/users/create is not a route: /v2/users/create answers POST only. See /openapi.json.');
    const put = await call(server, 'PUT', '/v2/callbacks/7', {});
    expectRefused(put, 404, 'ObjectNotFound', /answers GET, DELETE only/);
    const get = await call(server, 'GET', '/v2/users/key-generate/5');
    expectRefused(get, 404, 'ObjectNotFound', /answers POST only/);
  });

  it('reads an action name in place of an ID as a bad ID', async () => {
    // GET /v2/callbacks/{callBackQueueId} is the route a GET of /v2/callbacks/create reaches.
    const answer = await call(server, 'GET', '/v2/callbacks/create');
    expectRefused(answer, 400, 'InvalidParameter', 'callBackQueueId: must be a positive whole number, e.g. 7001');
  });

  it('accepts a DELETE sent with a JSON content type and no body', async () => {
    const answer = await call(server, 'DELETE', '/v2/callbacks/424242', undefined, {
      headers: { 'content-type': 'application/json' },
    });
    expectRefused(answer, 404, 'ObjectNotFound');
  });
});

describe('unexpected failures', () => {
  it('answers 500 InternalError without details when something breaks', async () => {
    const original = server.store.getNetwork;
    server.store.getNetwork = async () => {
      throw new Error('SQLITE_CORRUPT: secret internals');
    };
    try {
      const answer = await call(server, 'GET', '/v2/networks/1');
      expectRefused(answer, 500, 'InternalError', /request id .*logged/);
      expect(answer.body.message).not.toMatch(/SQLITE|internals/);
    } finally {
      server.store.getNetwork = original;
    }
  });
});

describe('the services check input on their own (for doors without these schemas, like SOAP)', () => {
  it('refuses what the REST schemas would have refused, with the same field names', async () => {
    const root = await server.services.auth.authenticate(server.rootKey);
    const { callbacks, events, directory } = server.services;
    const cases: Array<[Promise<unknown>, string]> = [
      [callbacks.create(root, { url: 'http://127.0.0.1:9/x', eventType: 'Inbox' }), `callBackEvent: ${EVENTS}`],
      [
        callbacks.create(root, { url: 'http://127.0.0.1:9/x', eventType: 'InBox', frequency: '1' as never }),
        'frequency: must be an integer from 1 to 86400',
      ],
      [
        callbacks.create(root, { url: 'http://127.0.0.1:9/x', eventType: 'InBox', retries: 101 }),
        'retries: must be an integer from 0 to 100',
      ],
      [callbacks.create(root, { url: 'http://127.0.0.1:9/x', eventType: 'InBox', status: 'On' }), 'status: must be one of Active, Suspended'],
      [callbacks.create(root, { url: '', eventType: 'InBox' }), 'callBackUrl: must be an https URL of at most 2048 characters'],
      [directory.createUser(root, { loginName: 'a b', password: 'long enough', role: 'NetworkUser' }), 'loginName: must be 3 to 64 letters, digits or . _ @ -'],
      [callbacks.create(root, { url: 'http://127.0.0.1:9/x', eventType: 'InBox', mailboxId: -1 }), `mailboxId: ${SCOPE_ID}`],
      [callbacks.get(root, 0), `callBackQueueId: ${ID}`],
      [callbacks.list(root, { recordsPerPage: 501 }), PER_PAGE],
      [events.list(root, { status: 'Done' }), 'status: must be one of Pending, Delivered, Failed, Canceled'],
      [events.publish(root, { events: [] }), 'events: must be a list of 1 to 1000 events'],
      [
        events.publish(root, { events: [{ eventType: 'InBox', mailboxId: 0 }] }),
        'events[0].mailboxId: must be the ID (1 or more) of the mailbox the event happened in',
      ],
      [directory.createNetwork(root, { name: '' }), 'name: must be a string of 1 to 255 characters'],
      [directory.createEcGridId(root, { mailboxId: 1, qualifier: 'TOOLONG', id: 'X' }), 'qualifier: must be 1 to 4 letters or digits, e.g. ZZ'],
      [
        directory.createUser(root, { loginName: 'ok-name', password: 'short', role: 'NetworkUser' }),
        'password: must be a string of 8 to 256 characters',
      ],
    ];
    for (const [promise, message] of cases) {
      await expect(promise).rejects.toMatchObject({ code: 'InvalidParameter', message });
    }
  });
});
