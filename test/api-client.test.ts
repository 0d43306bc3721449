/**
 * The typed client (`gridhook/client`) against a real gridhook: the directory, callbacks, events
 * and parcels routes through it, with request bodies and answers checked by the compiler against
 * the OpenAPI document's types, and errors answered as the typed ErrorEnvelope. Every /v2 route
 * of the served document that the test calls is recorded and compared with the document's list,
 * so a route the test does not drive is named in the output. The types' staleness check is
 * test/console-api-types.test.ts (the client reuses the console's generated file).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type ErrorEnvelope, type GridhookClient } from '../src/client/index.js';
import { buildX12PurchaseOrder } from './helpers/edi-builders.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { call, startTestServer, type TestServer } from './helpers/server.js';

const ROOT = path.resolve(import.meta.dirname, '..');
let server: TestServer;
let receiver: Receiver;
let root: GridhookClient;
const called = new Set<string>();

/** fetch that notes each route template called (ids folded back into {…}). */
const recordingFetch: typeof fetch = async (input, init) => {
  const request = input instanceof Request ? input : new Request(input, init);
  called.add(`${request.method} ${new URL(request.url).pathname.replace(/\/\d+(?=\/|$)/g, '/{id}')}`);
  return fetch(request);
};

function client(apiKey: string): GridhookClient {
  return createClient({ baseUrl: server.url, apiKey, fetch: recordingFetch });
}

/** The success envelope's data, or a failed test naming the error envelope. */
function data<T>(answer: { data?: { data: T }; error?: unknown }): T {
  if (!answer.data) throw new Error(`the API refused: ${JSON.stringify(answer.error)}`);
  return answer.data.data;
}

beforeAll(async () => {
  server = await startTestServer();
  receiver = await startReceiver();
  root = client(server.rootKey);
});

afterAll(async () => {
  await receiver?.close();
  await server?.close();
});

describe('createClient', () => {
  it('drives the directory, callback, event and parcel routes, typed end to end', async () => {
    const network = data(await root.POST('/v2/networks/create', { body: { name: 'Client VAN' } }));
    expect(data(await root.GET('/v2/networks/{networkId}', { params: { path: { networkId: String(network.networkId) } } })).name).toBe('Client VAN');
    expect(data(await root.POST('/v2/networks/list', { body: {} })).networks.length).toBeGreaterThan(0);
    const mailbox = (name: string) => root.POST('/v2/mailboxes/create', { body: { networkId: network.networkId, name } });
    const buyerBox = data(await mailbox('buyer'));
    const supplierBox = data(await mailbox('supplier'));
    expect(data(await root.GET('/v2/mailboxes/{mailboxId}', { params: { path: { mailboxId: String(buyerBox.mailboxId) } } })).name).toBe('buyer');
    expect(data(await root.POST('/v2/mailboxes/list', { body: { networkId: network.networkId } })).mailboxes).toHaveLength(2);
    const buyerId = data(await root.POST('/v2/ids/create', { body: { mailboxId: buyerBox.mailboxId, qualifier: 'ZZ', id: 'CLIENTBUYER' } }));
    const supplierId = data(await root.POST('/v2/ids/create', { body: { mailboxId: supplierBox.mailboxId, qualifier: 'ZZ', id: 'CLIENTSUPPLIER' } }));
    expect(data(await root.GET('/v2/ids/{ecGridId}', { params: { path: { ecGridId: String(buyerId.ecGridId) } } })).id).toBe('CLIENTBUYER');
    expect(data(await root.POST('/v2/ids/find', { body: { qualifier: 'ZZ', id: 'CLIENTBUYER' } }))).toBeDefined();
    expect(data(await root.POST('/v2/ids/list', { body: { networkId: network.networkId } })).ids).toHaveLength(2);
    expect(data(await root.POST('/v2/ids/update', { body: { ecGridId: buyerId.ecGridId, description: 'the buyer' } })).description).toBe('the buyer');

    const user = (login: string, mailboxId: number) =>
      root.POST('/v2/users/create', {
        body: { loginName: login, password: 'correct horse battery', role: 'MailboxAdmin', networkId: network.networkId, mailboxId },
      });
    const buyerUser = data(await user('client-buyer', buyerBox.mailboxId));
    const supplierUser = data(await user('client-supplier', supplierBox.mailboxId));
    expect(data(await root.POST('/v2/users/list', { body: { networkId: network.networkId } })).users).toHaveLength(2);
    const keyOf = async (userId: number) => data(await root.POST('/v2/users/key-generate/{userId}', { params: { path: { userId: String(userId) } } })).apiKey;
    const buyer = client(await keyOf(buyerUser.userId));
    const supplier = client(await keyOf(supplierUser.userId));
    expect(data(await supplier.GET('/v2/users/me')).loginName).toBe('client-supplier');

    const created = data(
      await supplier.POST('/v2/callbacks/create', { body: { callBackUrl: receiver.urlFor('/client'), callBackEvent: 'InBox', retries: 1 } }),
    );
    expect(created.secret).toMatch(/^whsec_/);
    const id = { params: { path: { callBackQueueId: String(created.callBackQueueId) } } };
    expect(data(await supplier.GET('/v2/callbacks/{callBackQueueId}', id)).callBackUrl).toBe(receiver.urlFor('/client'));
    expect(data(await supplier.GET('/v2/callbacks/{callBackQueueId}/secret', id)).secret).toBe(created.secret);
    expect(data(await supplier.POST('/v2/callbacks/list', { body: {} })).callBacks).toHaveLength(1);
    expect(data(await supplier.POST('/v2/callbacks/update', { body: { callBackQueueId: created.callBackQueueId, frequency: 30 } })).frequency).toBe(30);
    const tested = data(await supplier.POST('/v2/callbacks/test', { body: { callBackQueueId: created.callBackQueueId } }));
    expect(tested).toMatchObject({ delivered: true, httpStatus: 200 });
    expect(data(await supplier.POST('/v2/callbacks/rotate-secret', { body: { callBackQueueId: created.callBackQueueId } })).secret).not.toBe(created.secret);
    const event = data(await supplier.GET('/v2/callbacks/events/{eventId}', { params: { path: { eventId: String(tested.eventId) } } }));
    expect(event).toMatchObject({ status: 'Delivered', webhookId: tested.webhookId });
    expect(data(await supplier.POST('/v2/callbacks/queue-list', { body: { callBackQueueId: created.callBackQueueId } })).events).toHaveLength(1);
    // Nothing Failed to send again: the test event was delivered.
    expect(data(await supplier.POST('/v2/callbacks/events/retry', { body: { callBackQueueId: created.callBackQueueId } })).retried).toBe(0);

    const order = buildX12PurchaseOrder({ sender: { qualifier: 'ZZ', id: 'CLIENTBUYER' }, receiver: { qualifier: 'ZZ', id: 'CLIENTSUPPLIER' } });
    const parcel = data(
      await buyer.POST('/v2/parcels/upload', { body: { fileName: 'po-client.x12', content: Buffer.from(order).toString('base64') } }),
    );
    expect(parcel).toMatchObject({ status: 'InBoxReady', ecGridIdTo: supplierId.ecGridId });
    const parcelId = { parcelId: parcel.parcelId };
    const parcelPath = { params: { path: { parcelId: String(parcel.parcelId) } } };
    expect(data(await supplier.GET('/v2/parcels/{parcelId}', parcelPath)).fileName).toBe('po-client.x12');
    expect(data(await supplier.POST('/v2/parcels/inbox-list', { body: {} })).parcels).toHaveLength(1);
    expect(data(await buyer.POST('/v2/parcels/outbox-list', { body: {} })).parcels).toHaveLength(1);
    const downloaded = data(await supplier.POST('/v2/parcels/download', { body: parcelId }));
    expect(Buffer.from(downloaded.content, 'base64').toString()).toBe(order);
    expect(data(await supplier.POST('/v2/parcels/confirm', { body: parcelId })).status).toBe('InBoxTransferred');
    expect(data(await supplier.POST('/v2/parcels/reset-to-inbox/{parcelId}', parcelPath)).status).toBe('InBoxReady');

    const health = await supplier.POST('/v2/callbacks/health', { body: { callBackQueueIds: [created.callBackQueueId] } });
    expect(health.response.status).toBe(200);
    const published = await root.POST('/v2/callbacks/events/publish', {
      body: { events: [{ callBackEvent: 'InBox', networkId: network.networkId, mailboxId: supplierBox.mailboxId, fileName: 'published.edi' }] },
    });
    expect(published.response.status).toBe(200);

    expect(data(await supplier.DELETE('/v2/callbacks/{callBackQueueId}', id))).toEqual({ callBackQueueId: created.callBackQueueId, deleted: true });
  });

  it('answers errors as the typed ErrorEnvelope', async () => {
    const missing = await root.GET('/v2/callbacks/{callBackQueueId}', { params: { path: { callBackQueueId: '999999' } } });
    const error: Pick<ErrorEnvelope, 'errorCode' | 'message' | 'success'> | undefined = missing.error;
    expect(missing.response.status).toBe(404);
    expect(error).toMatchObject({ success: false, errorCode: 'ObjectNotFound', data: null });
    const badKey = await createClient({ baseUrl: server.url, apiKey: 'nope' }).GET('/v2/users/me');
    expect(badKey.response.status).toBe(401);
    expect(badKey.error?.errorCode).toBe('InvalidAPIKey');
  });

  it('names the /v2 routes of the served document that this test does not drive', async () => {
    const doc = (await call(server, 'GET', '/openapi.json', undefined, { key: null })).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths)
      .filter(([route]) => route.startsWith('/v2/'))
      .flatMap(([route, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${route.replace(/\{[^}]+\}/g, '{id}')}`));
    const undriven = routes.filter((route) => !called.has(route));
    console.info(`api-client: ${routes.length - undriven.length} of ${routes.length} /v2 routes driven; not driven: ${undriven.join(', ')}`);
    expect(routes.length - undriven.length).toBeGreaterThanOrEqual(35);
  });

  it("is importable as 'gridhook/client' from the build", async () => {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'client', 'index.js'))) {
      throw new Error('dist/ is missing the client: run `npm test` (it compiles first) or `npm run build`');
    }
    const script = `
      import { createClient } from 'gridhook/client';
      const { data } = await createClient({ baseUrl: process.argv[1], apiKey: process.argv[2] }).GET('/v2/users/me');
      console.log(data.data.role);`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, server.url, server.rootKey], { cwd: ROOT });
    expect(stdout.trim()).toBe('Root');
  });
});
