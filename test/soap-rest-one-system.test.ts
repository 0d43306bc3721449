/**
 * REST and SOAP are two doors to the same callbacks (CONTRACT §5): what one creates, changes or
 * tests, the other sees at once, under the same IDs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { call, ok, startTestServer, type TestServer } from './helpers/server.js';
import { addLoginUser, ECGRIDOS_NS, GUIDE_NS, login, soapFault, soapOk } from './helpers/soap.js';

let server: TestServer;
let receiver: Receiver;
let networkId: number;
let key: string;
let sessionId: string;

beforeAll(async () => {
  server = await startTestServer();
  receiver = await startReceiver();
  networkId = (await ok(server, 'POST', '/v2/networks/create', { name: 'One system VAN' })).networkId;
  const user = await addLoginUser(server, 'NetworkAdmin', networkId);
  key = (await ok(server, 'POST', `/v2/users/key-generate/${user.userId}`)).apiKey;
  sessionId = await login(server, user);
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

const rest = (method: string, route: string, body?: unknown) => ok({ url: server.url, rootKey: key }, method, route, body);

function items(result: unknown, name: string): any[] {
  const value = (result as Record<string, unknown> | undefined)?.[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

describe('one system behind two doors', () => {
  it('a callback made over SOAP is listed and read over REST', async () => {
    const guide = await soapOk(server, GUIDE_NS, 'CallBackAdd', {
      SessionID: sessionId,
      NetworkID: 0,
      MailboxID: 0,
      ECGridID: 0,
      CallBackURL: 'https://receiver.example/from-soap',
      CallBackEvent: 'OutBox',
      Frequency: 7,
      Retries: 4,
    });
    const ecgridos = await soapOk(server, ECGRIDOS_NS, 'CallBackAddEx', {
      SessionID: sessionId,
      NetworkID: 0,
      MailboxID: 0,
      UserID: 0,
      SystemObject: 'Parcel',
      ObjectStatus: 3,
      Direction: 'InBox',
      Frequency: 9,
      MaxRetries: 2,
      URL: 'https://receiver.example/from-ecgridos',
      HTTPAuthentication: 'None',
      Status: 'Suspended',
    });

    const listed = await rest('POST', '/v2/callbacks/list', { recordsPerPage: 100 });
    expect(listed.callBacks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          callBackQueueId: Number(guide.CallBackQueueID),
          callBackUrl: 'https://receiver.example/from-soap',
          callBackEvent: 'OutBox',
          status: 'Active',
          networkId,
          frequency: 7,
          retries: 4,
        }),
        expect.objectContaining({
          callBackQueueId: Number(ecgridos.CallBackEventID),
          callBackUrl: 'https://receiver.example/from-ecgridos',
          callBackEvent: 'InBoxError',
          status: 'Suspended',
          networkId,
          frequency: 9,
          retries: 2,
        }),
      ]),
    );
    expect(await rest('GET', `/v2/callbacks/${guide.CallBackQueueID}`)).toMatchObject({ callBackEvent: 'OutBox' });
  });

  it('a callback made over REST is listed, changed and deleted over SOAP, and REST sees each change', async () => {
    const made = await rest('POST', '/v2/callbacks/create', {
      callBackUrl: 'https://receiver.example/from-rest',
      callBackEvent: 'ConfirmDelivery',
      frequency: 45,
      retries: 6,
    });
    const id = made.callBackQueueId;
    const listed = await soapOk(server, ECGRIDOS_NS, 'CallBackEventListEx', {
      SessionID: sessionId,
      NetworkID: 0,
      MailboxID: 0,
      ShowInactive: false,
    });
    expect(items(listed, 'CallBackEventIDInfo').find((c) => Number(c.CallBackEventID) === id)).toMatchObject({
      URL: 'https://receiver.example/from-rest',
      StatusCode: 'ConfirmDelivery',
      ObjectStatus: '5',
      Direction: 'OutBox',
      Frequency: '45',
      MaxCalls: '7',
      Status: 'Active',
    });

    await rest('POST', '/v2/callbacks/update', { callBackQueueId: id, status: 'Suspended' });
    const info = { SessionID: sessionId, CallBackEventID: id, QueueCount: 0 };
    expect(await soapOk(server, ECGRIDOS_NS, 'CallBackEventInfo', info)).toMatchObject({ Status: 'Suspended' });

    await soapOk(server, ECGRIDOS_NS, 'CallBackEventSetStatus', { SessionID: sessionId, CallBackEventID: id, Status: 'Active' });
    expect(await rest('GET', `/v2/callbacks/${id}`)).toMatchObject({ status: 'Active' });

    await soapOk(server, ECGRIDOS_NS, 'CallBackEventSetStatus', { SessionID: sessionId, CallBackEventID: id, Status: 'Terminated' });
    expect((await call({ url: server.url, rootKey: key }, 'GET', `/v2/callbacks/${id}`)).status).toBe(404);
    expect((await soapFault(server, ECGRIDOS_NS, 'CallBackEventInfo', info)).detail.ErrorInfo.ErrorCode).toBe('ObjectNotFound');
  });

  it('a test event sent through one door is the same event through the other', async () => {
    const made = await rest('POST', '/v2/callbacks/create', {
      callBackUrl: receiver.urlFor('/both'),
      callBackEvent: 'InBox',
    });
    const id = made.callBackQueueId;
    const overSoap = await soapOk(server, GUIDE_NS, 'CallBackTest', { SessionID: sessionId, CallBackQueueID: id });
    const overRest = await rest('POST', '/v2/callbacks/test', { callBackQueueId: id });

    const queue = await rest('POST', '/v2/callbacks/queue-list', { callBackQueueId: id });
    expect(queue.events.map((e: { eventId: number }) => e.eventId).sort()).toEqual(
      [Number(overSoap.EventID), overRest.eventId].sort(),
    );
    const queued = await soapOk(server, ECGRIDOS_NS, 'CallBackQueueInfo', {
      SessionID: sessionId,
      CallBackQueueID: overRest.eventId,
    });
    expect(queued).toMatchObject({ Status: 'Completed', Test: 'true', CallBackEvent: { CallBackEventID: String(id) } });
    const deliveredIds = receiver.requestsTo('/both').map((r) => r.json<{ eventId: number }>().eventId);
    expect(deliveredIds.sort()).toEqual([Number(overSoap.EventID), overRest.eventId].sort());
  });
});
