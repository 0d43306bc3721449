/**
 * Text no store can keep (a NUL, an unpaired UTF-16 surrogate) is refused at
 * the door with 400 InvalidParameter naming the field, through REST and SOAP,
 * on both stores. Before, SQLite kept it and PostgreSQL answered 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithPostgres } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { postSoap, SOAP_ENV_NS, GUIDE_NS } from './helpers/soap.js';
import { call, startTestServer, type TestServer } from './helpers/server.js';

const NUL = 'must not contain a NUL character (U+0000); remove it';
const SURROGATE = 'must be valid Unicode: it contains an unpaired UTF-16 surrogate; send well-formed text';

/** [route, body, field, reason]; bodies are sent as raw JSON so escapes stay as written. */
const REST_CASES: [string, string, string, string][] = [
  ['/v2/networks/create', '{"name":"North\\u0000"}', 'name', NUL],
  ['/v2/networks/create', '{"name":"North\\ud800"}', 'name', SURROGATE],
  ['/v2/mailboxes/create', '{"networkId":1,"name":"\\udc00 inbox"}', 'name', SURROGATE],
  [
    '/v2/callbacks/create',
    '{"callBackUrl":"http://127.0.0.1:9/h\\u0000","callBackEvent":"InBox"}',
    'callBackUrl',
    NUL,
  ],
  [
    '/v2/callbacks/create',
    '{"callBackUrl":"http://127.0.0.1:9/h","callBackEvent":"InBox","customHeaders":{"X-Partner":"a\\u0000b"}}',
    'customHeaders.X-Partner',
    NUL,
  ],
  ['/v2/parcels/upload', '{"mailboxId":1,"fileName":"po\\u0000.edi","content":"SVNB"}', 'fileName', NUL],
];

function suite(start: () => Promise<TestServer>): void {
  let server: TestServer;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(() => server?.close());

  it.each(REST_CASES)('REST %s %s is refused naming %s', async (route, rawBody, field, reason) => {
    const answer = await call(server, 'POST', route, undefined, { rawBody });
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(answer.body).toEqual({ success: false, errorCode: 'InvalidParameter', message: `${field}: ${reason}`, data: null });
  });

  it('refuses a NUL in a query string naming the parameter', async () => {
    const answer = await call(server, 'GET', '/v2/callbacks/events?status=Pending%00');
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(`status: ${NUL}`);
  });

  it('refuses an unpaired surrogate in a SOAP parameter with a Client fault', async () => {
    const body =
      `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP_ENV_NS}"><soap:Body>` +
      `<Login xmlns="${GUIDE_NS}"><LoginName>a&#xD800;b</LoginName><Password>secret</Password></Login>` +
      '</soap:Body></soap:Envelope>';
    const answer = await postSoap(server, body, { SOAPAction: `"${GUIDE_NS}Login"` });
    expect(answer.status).toBe(500);
    expect(answer.fault?.faultcode).toBe('soap:Client');
    // XML cannot carry such a character at all, so the envelope is refused as not well-formed.
    expect(answer.fault?.detail.ErrorInfo).toMatchObject({ ErrorCode: 'InvalidParameter', ErrorItem: 'Envelope' });
    expect(answer.fault?.faultstring).toContain('&#xD800; is not a character XML allows');
  });
}

describe('unstorable text on SQLite', () => suite(() => startTestServer()));

const availability = await postgresAvailable();
describeWithPostgres('unstorable text on PostgreSQL', availability, () => {
  afterAll(() => dropTestDatabases());
  suite(async () => startTestServer({ databaseUrl: (await createTestDatabase()).url }));
});
