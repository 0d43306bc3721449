/**
 * Delivery policies through the ECGridOS SOAP door, on both stores: what the
 * WSDL's fields can carry (docs/soap.md "Delivery policies over SOAP").
 * CallBackAddEx subscribes to CallBackSuspended as SystemObject System,
 * ObjectStatus 6; a callback gridhook suspended answers Status Suspended;
 * CallBackEventSetStatus Active sends the events it kept; a callback with a
 * retrySchedule answers MaxCalls as its length + 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithPostgres } from './helpers/cluster.js';
import { createTestDatabase, dropTestDatabases, postgresAvailable } from './helpers/postgres.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { eventually, ok, startTestServer, type TestServer } from './helpers/server.js';
import { ECGRIDOS_NS, soapFault, soapOk } from './helpers/soap.js';

function suite(start: () => Promise<TestServer>): void {
  let server: TestServer;
  let receiver: Receiver;
  let networkId: number;
  let mailboxId: number;

  beforeAll(async () => {
    server = await start();
    receiver = await startReceiver();
    networkId = (await ok(server, 'POST', '/v2/networks/create', { name: 'soap policies' })).networkId;
    mailboxId = (await ok(server, 'POST', '/v2/mailboxes/create', { networkId, name: 'soap policies' })).mailboxId;
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  const addEx = (params: Record<string, string | number>) =>
    soapOk(server, ECGRIDOS_NS, 'CallBackAddEx', {
      SessionID: server.rootKey,
      NetworkID: networkId,
      MailboxID: 0,
      UserID: 0,
      Frequency: 1,
      MaxRetries: 3,
      HTTPAuthentication: 'None',
      Status: 'Active',
      ...params,
    });
  const info = (id: number) =>
    soapOk(server, ECGRIDOS_NS, 'CallBackEventInfo', { SessionID: server.rootKey, CallBackEventID: id, QueueCount: 0 });

  it('subscribes to CallBackSuspended, is told of a 410, and re-activation sends the kept events', async () => {
    const watcher = await addEx({
      SystemObject: 'System',
      ObjectStatus: 6,
      Direction: 'NoDir',
      URL: receiver.urlFor('/soap/notices'),
    });
    expect(watcher).toMatchObject({ SystemObject: 'System', ObjectStatus: '6', StatusCode: 'CallBackSuspended' });
    expect((await ok(server, 'GET', `/v2/callbacks/${watcher.CallBackEventID}`)).callBackEvent).toBe('CallBackSuspended');

    receiver.reply('/soap/gone', { status: 410 });
    const gone = await addEx({ SystemObject: 'Parcel', ObjectStatus: 1, Direction: 'InBox', URL: receiver.urlFor('/soap/gone') });
    const id = Number(gone.CallBackEventID);
    const { eventIds } = await ok(server, 'POST', '/v2/callbacks/events/publish', {
      events: [{ callBackEvent: 'InBox', networkId, mailboxId }],
    });
    const [notice] = await receiver.waitForRequests(1, { path: '/soap/notices' });
    expect(notice!.json()).toMatchObject({ callBackEvent: 'CallBackSuspended', suspendedCallBackQueueId: id });
    expect(await info(id)).toMatchObject({ Status: 'Suspended' });

    receiver.reply('/soap/gone', { status: 200 });
    const refused = receiver.requestsTo('/soap/gone').length;
    await soapOk(server, ECGRIDOS_NS, 'CallBackEventSetStatus', { SessionID: server.rootKey, CallBackEventID: id, Status: 'Active' });
    const [sent] = (await receiver.waitForRequests(refused + 1, { path: '/soap/gone' })).slice(refused);
    expect(sent!.json().eventId).toBe(eventIds[0]);
    await eventually(async () => (await ok(server, 'GET', `/v2/callbacks/${id}`)).health === 'healthy');
  });

  it('answers a retrySchedule as MaxCalls, and refuses other System codes naming the field', async () => {
    const made = await ok(server, 'POST', '/v2/callbacks/create', {
      networkId,
      callBackEvent: 'OutBox',
      callBackUrl: receiver.urlFor('/soap/scheduled'),
      retrySchedule: [5, 300, 1800, 7200],
    });
    expect(await info(made.callBackQueueId)).toMatchObject({ MaxCalls: '5', Frequency: '1' });

    const fault = await soapFault(server, ECGRIDOS_NS, 'CallBackAddEx', {
      SessionID: server.rootKey,
      NetworkID: networkId,
      MailboxID: 0,
      UserID: 0,
      SystemObject: 'System',
      ObjectStatus: 2,
      Direction: 'NoDir',
      Frequency: 1,
      MaxRetries: 3,
      URL: receiver.urlFor('/soap/bad'),
      HTTPAuthentication: 'None',
      Status: 'Active',
    });
    expect(fault.detail.ErrorInfo).toMatchObject({ ErrorCode: 'InvalidParameter', ErrorItem: 'SystemObject' });
  });
}

describe('delivery policies over SOAP on SQLite', () => suite(() => startTestServer()));

const availability = await postgresAvailable();
describeWithPostgres('delivery policies over SOAP on PostgreSQL', availability, () => {
  afterAll(() => dropTestDatabases());
  suite(async () => startTestServer({ databaseUrl: (await createTestDatabase()).url }));
});
