/**
 * Bad input and wrong states on the parcel routes: each a clear 4xx naming
 * the field, none a 500, and none leaving anything behind — no parcel, no
 * stored chunk, no event. Scoping: a key sees only its own side's parcels.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildX12PurchaseOrder } from './helpers/edi-builders.js';
import { download, tradingNetwork, upload, type TradingNetwork } from './helpers/parcels.js';
import { addUser, call, ok, startTestServer, type ApiResponse, type TestServer } from './helpers/server.js';

let server: TestServer;
/** The same API with a parcel limit of 10 000 bytes. */
let small: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  small = await startTestServer({ maxParcelBytes: 10_000 });
});

afterAll(async () => {
  await server?.close();
  await small?.close();
});

function expectRefused(answer: ApiResponse, status: number, code: string, message?: string | RegExp): void {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  expect(answer.body).toEqual({ success: false, errorCode: code, message: expect.any(String), data: null });
  if (typeof message === 'string') expect(answer.body.message).toBe(message);
  else if (message) expect(answer.body.message).toMatch(message);
}

/** Nothing of a refused upload may remain: no parcel in any list, no chunk, no event. */
async function expectNothingLeft(on: TestServer): Promise<void> {
  expect((await on.store.listParcels({ box: 'outbox' }, { pageNo: 1, recordsPerPage: 1 })).totalRecords).toBe(0);
  // Anything still being received would be "abandoned" by now.
  expect(await on.store.discardAbandonedParcels(Date.now() + 60_000)).toBe(0);
  expect((await on.store.listEvents({}, { pageNo: 1, recordsPerPage: 1 })).totalRecords).toBe(0);
}

function po(net: TradingNetwork): string {
  return buildX12PurchaseOrder({
    sender: { qualifier: 'ZZ', id: net.buyer.id },
    receiver: { qualifier: 'ZZ', id: net.supplier.id },
  });
}

describe('upload: bad input', () => {
  let net: TradingNetwork;
  beforeAll(async () => {
    net = await tradingNetwork(small);
  });

  const send = (body: unknown, options: { rawBody?: string; headers?: Record<string, string> } = {}) =>
    call(small, 'POST', '/v2/parcels/upload', body, { key: net.buyer.user.key, ...options });
  const valid = () => ({ fileName: 'po.x12', content: Buffer.from(po(net)).toString('base64') });

  const cases: [string, () => unknown, string | RegExp][] = [
    ['invalid base64', () => ({ ...valid(), content: 'SVNBKj!!' }), 'content: is not valid base64: "!" at character 7; encode the file with standard base64'],
    ['base64 with a stray last character', () => ({ ...valid(), content: 'SVNBK' }), /^content: is not valid base64: it ends in the middle/],
    ['padding in the middle', () => ({ ...valid(), content: 'SQ==SQ==' }), /^content: is not valid base64: "=" padding may only come at the end/],
    ['content missing', () => ({ fileName: 'po.x12' }), 'content: is required and must be the file, base64-encoded'],
    ['content not a string', () => ({ fileName: 'po.x12', content: 12 }), 'content: must be a string: the file, base64-encoded'],
    ['content twice', () => null, 'content: appears twice; send the file once'],
    ['fileName missing', () => ({ content: valid().content }), 'fileName: is required and must be a string of 1 to 255 characters'],
    ['fileName empty', () => ({ ...valid(), fileName: '' }), 'fileName: must be a string of 1 to 255 characters'],
    ['fileName too long', () => ({ ...valid(), fileName: 'x'.repeat(256) }), 'fileName: must be a string of 1 to 255 characters'],
    ['fileName a number', () => ({ ...valid(), fileName: 7 }), 'fileName: must be a string of 1 to 255 characters'],
    ['mailboxId as text', () => ({ ...valid(), mailboxId: '1' }), 'mailboxId: must be an integer from 0 to 2147483647'],
    ['ecGridIdTo negative', () => ({ ...valid(), ecGridIdTo: -3 }), 'ecGridIdTo: must be an integer from 0 to 2147483647'],
    ['a huge other member', () => ({ ...valid(), note: 'x'.repeat(70_000) }), /^note: is larger than 65536 bytes of JSON/],
  ];
  it.each(cases)('%s', async (_name, body, message) => {
    const built = body();
    const answer =
      built === null
        ? await send(undefined, { rawBody: `{"fileName":"a","content":"SVNB","content":"SVNB"}` })
        : await send(built);
    expectRefused(answer, 400, 'InvalidParameter', message);
    await expectNothingLeft(small);
  });

  it.each([
    ['not JSON', '{"fileName": "a", "content": "SVNB"', /^body: is not valid JSON \(the body ends before its JSON object does\)/],
    ['an array', '[1,2]', 'body: must be a JSON object'],
    ['trailing garbage', '{"fileName":"a","content":"SVNB"} x', /^body: is not valid JSON \(unexpected "x" after the end/],
    ['a bad escape in content', '{"fileName":"a","content":"SV\\qNB"}', /^body: is not valid JSON \(the escape \\q in content\)/],
    ['a malformed member', '{"fileName":tru,"content":"SVNB"}', /^body: is not valid JSON \(the value of "fileName" is malformed\)/],
    ['empty', '', /^body: is not valid JSON \(the body is empty\)/],
  ])('a body that is %s', async (_name, rawBody, message) => {
    expectRefused(await send(undefined, { rawBody }), 400, 'InvalidParameter', message);
    await expectNothingLeft(small);
  });

  it('refuses another content type with 415, and a missing key with 401', async () => {
    expectRefused(
      await send(undefined, { rawBody: 'fileName=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415,
      'UnsupportedMediaType',
    );
    expectRefused(await call(small, 'POST', '/v2/parcels/upload', valid(), { key: null }), 401, 'InvalidAPIKey');
    await expectNothingLeft(small);
  });

  it('refuses a file over GRIDHOOK_MAX_PARCEL_BYTES with 413, however it is sent', async () => {
    const file = Buffer.alloc(10_001, 'A');
    const over = await upload(small, net.buyer, file);
    expectRefused(
      over,
      413,
      'PayloadTooLarge',
      'content: the file is larger than the limit of 10000 bytes (setting GRIDHOOK_MAX_PARCEL_BYTES); send a smaller file.',
    );
    // A body that announces more than the route reads is refused before it is read.
    const huge = JSON.stringify({ fileName: 'big', content: 'QUFB'.repeat(200_000) });
    expectRefused(await send(undefined, { rawBody: huge }), 413, 'PayloadTooLarge', /^body: is larger than the upload limit/);
    await expectNothingLeft(small);
    // Exactly at the limit is fine.
    const atLimit = await upload(small, net.buyer, Buffer.alloc(10_000, 'A'), { ecGridIdTo: net.supplier.ecGridId });
    expect(atLimit.body.data).toMatchObject({ status: 'InBoxReady', bytes: 10_000 });
  });

  it('answers 400, not 500, when the client goes away mid-upload, and keeps nothing', async () => {
    const other = await startTestServer();
    try {
      const party = await tradingNetwork(other);
      const url = new URL(`${other.url}/v2/parcels/upload`);
      await new Promise<void>((resolve) => {
        const request = http.request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': party.buyer.user.key, 'content-length': '100000' },
        });
        request.on('error', () => resolve());
        request.write(`{"fileName":"cut.x12","content":"${'QUFB'.repeat(5_000)}`, () => {
          setTimeout(() => {
            request.destroy();
            resolve();
          }, 100);
        });
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await other.store.listParcels({ box: 'outbox' }, { pageNo: 1, recordsPerPage: 1 })).totalRecords).toBe(0);
      expect(await other.store.discardAbandonedParcels(Date.now() + 60_000)).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe('scope', () => {
  let net: TradingNetwork;
  let parcelId: number;
  beforeAll(async () => {
    net = await tradingNetwork(server);
    parcelId = (await upload(server, net.buyer, po(net))).body.data.parcelId;
  });

  it('a mailbox of the same network that is neither side finds nothing', async () => {
    const mailbox = await ok(server, 'POST', '/v2/mailboxes/create', { networkId: net.networkId, name: 'Bystander' });
    const stranger = await addUser(server, 'MailboxUser', net.networkId, mailbox.mailboxId);
    const as = { key: stranger.key };
    const missing = `Parcel ${parcelId} was not found.`;
    expectRefused(await call(server, 'GET', `/v2/parcels/${parcelId}`, undefined, as), 404, 'ObjectNotFound', missing);
    expectRefused(await call(server, 'POST', '/v2/parcels/download', { parcelId }, as), 404, 'ObjectNotFound', missing);
    expectRefused(await call(server, 'POST', '/v2/parcels/confirm', { parcelId }, as), 404, 'ObjectNotFound', missing);
    expectRefused(await call(server, 'POST', `/v2/parcels/reset-to-inbox/${parcelId}`, undefined, as), 404, 'ObjectNotFound');
    expect((await ok(server, 'POST', '/v2/parcels/inbox-list', {}, as)).totalRecords).toBe(0);
    expect((await ok(server, 'POST', '/v2/parcels/outbox-list', {}, as)).totalRecords).toBe(0);
    // Nor may it send as another mailbox or from another mailbox's ID.
    const file = Buffer.from(po(net)).toString('base64');
    const asOther = { fileName: 'x', content: file, mailboxId: net.buyer.mailboxId };
    expectRefused(await call(server, 'POST', '/v2/parcels/upload', asOther, as), 404, 'ObjectNotFound', `Mailbox ${net.buyer.mailboxId} was not found.`);
    const fromOther = { fileName: 'x', content: file, ecGridIdFrom: net.buyer.ecGridId };
    expectRefused(await call(server, 'POST', '/v2/parcels/upload', fromOther, as), 404, 'ObjectNotFound', `ECGrid ID ${net.buyer.ecGridId} was not found.`);
  });

  it('the sender sees its parcel and its outbox, but cannot download or confirm it', async () => {
    const as = { key: net.buyer.user.key };
    expect(await ok(server, 'GET', `/v2/parcels/${parcelId}`, undefined, as)).toMatchObject({ parcelId });
    expect((await ok(server, 'POST', '/v2/parcels/outbox-list', {}, as)).parcels.map((p: any) => p.parcelId)).toEqual([parcelId]);
    expect((await ok(server, 'POST', '/v2/parcels/inbox-list', {}, as)).totalRecords).toBe(0);
    expectRefused(await call(server, 'POST', '/v2/parcels/download', { parcelId }, as), 404, 'ObjectNotFound');
    expectRefused(await call(server, 'POST', '/v2/parcels/confirm', { parcelId }, as), 404, 'ObjectNotFound');
  });

  it('a network key sees both sides; a key of another network sees nothing', async () => {
    const admin = await addUser(server, 'NetworkAdmin', net.networkId);
    expect((await ok(server, 'POST', '/v2/parcels/inbox-list', {}, { key: admin.key })).totalRecords).toBe(1);
    const filtered = await ok(server, 'POST', '/v2/parcels/inbox-list', { mailboxId: net.buyer.mailboxId }, { key: admin.key });
    expect(filtered.totalRecords).toBe(0);
    const elsewhere = await tradingNetwork(server);
    const outsider = { key: elsewhere.buyer.user.key };
    expectRefused(await call(server, 'GET', `/v2/parcels/${parcelId}`, undefined, outsider), 404, 'ObjectNotFound');
    expectRefused(
      await call(server, 'POST', '/v2/parcels/inbox-list', { mailboxId: net.supplier.mailboxId }, outsider),
      404,
      'ObjectNotFound',
    );
  });

  it('a network key must say which mailbox sends', async () => {
    const admin = await addUser(server, 'NetworkAdmin', net.networkId);
    const body = { fileName: 'x', content: Buffer.from(po(net)).toString('base64') };
    expectRefused(
      await call(server, 'POST', '/v2/parcels/upload', body, { key: admin.key }),
      400,
      'InvalidParameter',
      'mailboxId: is required: the ID of the mailbox the parcel is sent from',
    );
    const sent = await ok(server, 'POST', '/v2/parcels/upload', { ...body, mailboxId: net.buyer.mailboxId }, { key: admin.key });
    expect(sent).toMatchObject({ status: 'InBoxReady', mailboxIdFrom: net.buyer.mailboxId });
  });
});

describe('states', () => {
  it('confirming twice, downloading a transferred parcel and resetting a ready one answer 409', async () => {
    const net = await tradingNetwork(server);
    const { parcelId } = (await upload(server, net.buyer, po(net))).body.data;
    const as = { key: net.supplier.user.key };
    expectRefused(
      await call(server, 'POST', `/v2/parcels/reset-to-inbox/${parcelId}`, undefined, as),
      409,
      'InvalidState',
      `Parcel ${parcelId} is InBoxReady; only an InBoxTransferred parcel can become InBoxReady.`,
    );
    await ok(server, 'POST', '/v2/parcels/confirm', { parcelId }, as);
    expectRefused(
      await call(server, 'POST', '/v2/parcels/confirm', { parcelId }, as),
      409,
      'InvalidState',
      `Parcel ${parcelId} is InBoxTransferred; only an InBoxReady parcel can become InBoxTransferred.`,
    );
    expectRefused(
      await call(server, 'POST', '/v2/parcels/download', { parcelId }, as),
      409,
      'InvalidState',
      `Parcel ${parcelId} was downloaded and confirmed (InBoxTransferred); reset it to the inbox to download it again.`,
    );
    const events = await server.store.listEvents({ networkId: net.networkId }, { pageNo: 1, recordsPerPage: 50 });
    expect(events.totalRecords).toBe(0);
  });

  it('a refused parcel cannot be downloaded or confirmed', async () => {
    const net = await tradingNetwork(server);
    await ok(server, 'POST', '/v2/ids/update', { ecGridId: net.supplier.ecGridId, status: 'Suspended' });
    const { parcelId } = (await upload(server, net.buyer, po(net))).body.data;
    const as = { key: net.supplier.user.key };
    expectRefused(await call(server, 'POST', '/v2/parcels/download', { parcelId }, as), 409, 'InvalidState', /was not delivered \(InBoxError: .*Suspended\)/);
    expectRefused(await call(server, 'POST', '/v2/parcels/confirm', { parcelId }, as), 409, 'InvalidState');
    await ok(server, 'POST', '/v2/ids/update', { ecGridId: net.supplier.ecGridId, status: 'Active' });
    await expect(download(server, net.supplier, parcelId)).rejects.toThrow(/409/);
  });

  it('refuses bad IDs, unknown parcels and bad list filters with the field named', async () => {
    const net = await tradingNetwork(server);
    const as = { key: net.supplier.user.key };
    expectRefused(await call(server, 'GET', '/v2/parcels/0', undefined, as), 400, 'InvalidParameter', /^parcelId: must be a positive whole number/);
    expectRefused(await call(server, 'GET', '/v2/parcels/99999999', undefined, as), 404, 'ObjectNotFound');
    expectRefused(await call(server, 'POST', '/v2/parcels/download', {}, as), 400, 'InvalidParameter', 'parcelId: is required and must be an integer from 1 to 2147483647');
    expectRefused(await call(server, 'POST', '/v2/parcels/confirm', { parcelId: '5' }, as), 400, 'InvalidParameter', 'parcelId: must be an integer from 1 to 2147483647');
    expectRefused(
      await call(server, 'POST', '/v2/parcels/inbox-list', { status: 'OutBoxError' }, as),
      400,
      'InvalidParameter',
      'status: must be one of InBoxReady, InBoxTransferred, InBoxError',
    );
    expectRefused(
      await call(server, 'POST', '/v2/parcels/outbox-list', { beginDate: 'yesterday' }, as),
      400,
      'InvalidParameter',
      'beginDate: must be an ISO 8601 date and time with a zone, e.g. 2026-05-07T14:32:00Z',
    );
    expectRefused(
      await call(server, 'POST', '/v2/parcels/outbox-list', { beginDate: '2026-05-07T00:00:00Z', endDate: '2026-05-06T00:00:00Z' }, as),
      400,
      'InvalidParameter',
      'endDate: must not be before beginDate',
    );
    expectRefused(await call(server, 'POST', '/v2/parcels/outbox-list', { recordsPerPage: 501 }, as), 400, 'InvalidParameter');
  });
});

describe('lists', () => {
  it('page the inbox in arrival order, filtered by status and date range', async () => {
    const net = await tradingNetwork(server);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await upload(server, net.buyer, po(net), { fileName: `po-${i}.x12` })).body.data.parcelId);
    const as = { key: net.supplier.user.key };
    await ok(server, 'POST', '/v2/parcels/confirm', { parcelId: ids[0] }, as);

    const page2 = await ok(server, 'POST', '/v2/parcels/inbox-list', { pageNo: 2, recordsPerPage: 2 }, as);
    expect(page2).toMatchObject({ totalRecords: 5, pageNo: 2, recordsPerPage: 2 });
    expect(page2.parcels.map((p: any) => p.parcelId)).toEqual([ids[2], ids[3]]);
    expect(page2.parcels[0]).toMatchObject({ fileName: 'po-2.x12', status: 'InBoxReady', mailboxIdTo: net.supplier.mailboxId });

    const ready = await ok(server, 'POST', '/v2/parcels/inbox-list', { status: 'InBoxReady' }, as);
    expect(ready.parcels.map((p: any) => p.parcelId)).toEqual(ids.slice(1));
    const transferred = await ok(server, 'POST', '/v2/parcels/outbox-list', { status: 'InBoxTransferred' }, { key: net.buyer.user.key });
    expect(transferred.parcels.map((p: any) => p.parcelId)).toEqual([ids[0]]);

    const first = await ok(server, 'GET', `/v2/parcels/${ids[0]}`, undefined, as);
    const from = first.parcelDate;
    const inRange = await ok(server, 'POST', '/v2/parcels/inbox-list', { beginDate: from, endDate: '2999-01-01T00:00:00Z' }, as);
    expect(inRange.totalRecords).toBe(5);
    const before = await ok(server, 'POST', '/v2/parcels/inbox-list', { endDate: from }, as);
    expect(before.totalRecords).toBe(0);
  });
});

describe('/openapi.json', () => {
  it('documents every parcel route, the upload body included', async () => {
    const doc = (await call(server, 'GET', '/openapi.json', undefined, { key: null })).body;
    const routes: [string, string][] = [
      ['post', '/v2/parcels/upload'],
      ['post', '/v2/parcels/inbox-list'],
      ['post', '/v2/parcels/outbox-list'],
      ['get', '/v2/parcels/{parcelId}'],
      ['post', '/v2/parcels/download'],
      ['post', '/v2/parcels/confirm'],
      ['post', '/v2/parcels/reset-to-inbox/{parcelId}'],
    ];
    for (const [method, path] of routes) expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    const upload = doc.paths['/v2/parcels/upload'].post.requestBody.content['application/json'].schema;
    expect(upload.required).toEqual(['fileName', 'content']);
    expect(Object.keys(upload.properties)).toEqual(['fileName', 'content', 'mailboxId', 'ecGridIdFrom', 'ecGridIdTo']);
    const downloaded = doc.paths['/v2/parcels/download'].post.responses['200'].content['application/json'].schema;
    expect(Object.keys(downloaded.properties.data.properties)).toEqual(['parcelId', 'fileName', 'bytes', 'content']);
  });
});
