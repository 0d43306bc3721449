import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';
import { call, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let doc: any;

beforeAll(async () => {
  server = await startTestServer();
  const answer = await call(server, 'GET', '/openapi.json', undefined, { key: null });
  expect(answer.status).toBe(200);
  doc = answer.body;
});

afterAll(async () => {
  await server?.close();
});

/**
 * Every route of the REST API and its probes, as [METHOD, /openapi/{style}/path],
 * from Fastify's own route table (the SOAP endpoint describes itself in its WSDL).
 */
function registeredRoutes(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  // The tree prints each route relative to its parent, one level per 4 columns.
  const stack: string[] = [];
  for (const line of server.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│├└─\s]*)(\S+) \(([A-Z, ]+)\)/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    const path = stack.join('').replace(/:(\w+)/g, '{$1}');
    if (!/^\/(v2\/|healthz$|readyz$|openapi\.json$)/.test(path)) continue;
    for (const method of match[3]!.split(', ')) if (method !== 'HEAD') out.push([method, path]);
  }
  return out;
}

describe('/openapi.json', () => {
  it('is an OpenAPI 3.1 document with the X-API-Key scheme required by default', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toMatch(/gridhook/);
    expect(doc.components.securitySchemes.apiKey).toEqual({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
    expect(doc.security).toEqual([{ apiKey: [] }]);
  });

  it('documents every registered route', () => {
    const routes = registeredRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(29);
    const missing = routes.filter(([method, path]) => !doc.paths?.[path]?.[method.toLowerCase()]);
    expect(missing).toEqual([]);
  });

  it('has every route of the contract', () => {
    const contract = [
      ['POST', '/v2/callbacks/create'],
      ['POST', '/v2/callbacks/test'],
      ['POST', '/v2/callbacks/queue-list'],
      ['GET', '/v2/callbacks/{callBackQueueId}'],
      ['POST', '/v2/callbacks/list'],
      ['POST', '/v2/callbacks/update'],
      ['DELETE', '/v2/callbacks/{callBackQueueId}'],
      ['POST', '/v2/callbacks/rotate-secret'],
      ['GET', '/v2/callbacks/events/{eventId}'],
      ['POST', '/v2/callbacks/events/retry'],
      ['POST', '/v2/callbacks/events/publish'],
      ['POST', '/v2/networks/create'],
      ['GET', '/v2/networks/{networkId}'],
      ['POST', '/v2/networks/list'],
      ['POST', '/v2/mailboxes/create'],
      ['GET', '/v2/mailboxes/{mailboxId}'],
      ['POST', '/v2/mailboxes/list'],
      ['POST', '/v2/ids/create'],
      ['GET', '/v2/ids/{ecGridId}'],
      ['POST', '/v2/ids/list'],
      ['POST', '/v2/ids/find'],
      ['POST', '/v2/ids/update'],
      ['POST', '/v2/users/create'],
      ['POST', '/v2/users/key-generate/{userId}'],
      ['GET', '/v2/users/me'],
    ];
    for (const [method, path] of contract) expect(doc.paths[path!]?.[method!.toLowerCase()], `${method} ${path}`).toBeDefined();
  });

  it('documents the error envelope once and refers to it from every /v2 operation', () => {
    const envelope = doc.components.schemas.ErrorEnvelope;
    expect(envelope.required).toEqual(['success', 'errorCode', 'message', 'data']);
    expect(envelope.properties.errorCode.enum).toEqual(Object.keys(ERROR_CODES));
    for (const [path, operations] of Object.entries<any>(doc.paths)) {
      if (!path.startsWith('/v2/')) continue;
      for (const [method, operation] of Object.entries<any>(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(operation.responses['200'], where).toBeDefined();
        for (const range of ['4XX', '5XX']) {
          expect(operation.responses[range]?.content?.['application/json']?.schema, `${where} ${range}`).toEqual({
            $ref: '#/components/schemas/ErrorEnvelope',
          });
        }
        // Signing in and out is how the console gets its session cookie: no key is needed for that.
        if (path.startsWith('/v2/sessions/')) expect(operation.security, where).toEqual([]);
        else expect(operation.security, where).toBeUndefined();
      }
    }
  });

  it('marks the probes and the document itself as open', () => {
    for (const path of ['/healthz', '/readyz', '/openapi.json']) expect(doc.paths[path].get.security).toEqual([]);
  });

  it('describes requests from the same schemas that validate them', () => {
    const create = doc.paths['/v2/callbacks/create'].post.requestBody.content['application/json'].schema;
    expect(create.required).toEqual(['callBackUrl', 'callBackEvent']);
    expect(create.properties.callBackEvent.enum).toEqual([
      'InBox',
      'OutBox',
      'InBoxError',
      'OutBoxError',
      'ConfirmDelivery',
      'CallBackSuspended',
    ]);
    expect(create.properties.frequency).toMatchObject({ type: 'integer', minimum: 1, maximum: 86400, default: 1 });
    expect(create.properties.retries).toMatchObject({ type: 'integer', minimum: 0, maximum: 100, default: 3 });

    const param = doc.paths['/v2/callbacks/{callBackQueueId}'].get.parameters[0];
    expect(param).toMatchObject({ in: 'path', name: 'callBackQueueId', required: true });
    expect(param.schema.pattern).toBe('^[1-9][0-9]{0,15}$');

    const queue = doc.paths['/v2/callbacks/queue-list'].post.responses['200'].content['application/json'].schema;
    const event = queue.properties.data.properties.events.items;
    expect(Object.keys(event.properties)).toEqual(
      expect.arrayContaining([
        'eventId', 'callBackQueueId', 'callBackEvent', 'status', 'attempts', 'callsRemaining', 'nextCall',
        'lastAttempt', 'lastHttpStatus', 'eventDateTime', 'isTest', 'parcelId', 'fileName', 'mailboxId', 'ecGridId',
      ]),
    );
  });

  it('has no dangling references', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const name = /#\/components\/schemas\/([^"]+)"/.exec(ref)?.[1];
      expect(name, ref).toBeDefined();
      expect(doc.components.schemas[name!], ref).toBeDefined();
    }
  });
});
