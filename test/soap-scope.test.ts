/**
 * Over SOAP as over REST, a session never sees or touches anything outside its user's scope:
 * another network's callbacks and events answer exactly as missing ones, lists leave them out,
 * and a mailbox user sees only its mailbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { eventually, ok, startTestServer, type TestServer } from './helpers/server.js';
import { addLoginUser, ECGRIDOS_NS, GUIDE_NS, login, soapFault, soapOk, type SoapParams } from './helpers/soap.js';

let server: TestServer;
let receiver: Receiver;
let networkA: number;
let networkB: number;
let mailboxA: number;
let sessionA: string;
let sessionB: string;
let sessionMailbox: string;
let callbackB: number;
let eventB: number;
let networkWideA: number;
let eventInMailbox: number;

/** The items of an ArrayOf… result, which the XML parser gives as one object, several, or nothing. */
function items(result: unknown, name: string): any[] {
  const value = (result as Record<string, unknown> | undefined)?.[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function addEx(sessionId: string, params: SoapParams) {
  return soapOk(server, ECGRIDOS_NS, 'CallBackAddEx', {
    SessionID: sessionId,
    NetworkID: 0,
    MailboxID: 0,
    UserID: 0,
    SystemObject: 'Parcel',
    ObjectStatus: 1,
    Direction: 'InBox',
    Frequency: 3600,
    MaxRetries: 3,
    URL: receiver.urlFor('/down'),
    HTTPAuthentication: 'None',
    Status: 'Active',
    ...params,
  });
}

/** Publishes an InBox event in the mailbox; answers the event made for `callbackId`. */
async function publishFor(callbackId: number, networkId: number, mailboxId: number): Promise<number> {
  await ok(server, 'POST', '/v2/callbacks/events/publish', {
    events: [{ callBackEvent: 'InBox', networkId, mailboxId, ecGridId: 0, parcelId: 1 }],
  });
  const queue = await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: callbackId, recordsPerPage: 1 });
  const eventId: number = queue.events[0].eventId;
  await eventually(async () => (await ok(server, 'GET', `/v2/callbacks/events/${eventId}`)).attempts === 1);
  return eventId;
}

beforeAll(async () => {
  server = await startTestServer();
  receiver = await startReceiver();
  receiver.reply('/down', { status: 503 });
  networkA = (await ok(server, 'POST', '/v2/networks/create', { name: 'A' })).networkId;
  networkB = (await ok(server, 'POST', '/v2/networks/create', { name: 'B' })).networkId;
  mailboxA = (await ok(server, 'POST', '/v2/mailboxes/create', { networkId: networkA, name: 'A1' })).mailboxId;
  const mailboxB = (await ok(server, 'POST', '/v2/mailboxes/create', { networkId: networkB, name: 'B1' })).mailboxId;
  sessionA = await login(server, await addLoginUser(server, 'NetworkAdmin', networkA));
  sessionB = await login(server, await addLoginUser(server, 'NetworkAdmin', networkB));
  sessionMailbox = await login(server, await addLoginUser(server, 'MailboxUser', networkA, mailboxA), ECGRIDOS_NS);

  callbackB = (await addEx(sessionB, {})).CallBackEventID;
  eventB = await publishFor(Number(callbackB), networkB, mailboxB);
  networkWideA = (await addEx(sessionA, {})).CallBackEventID;
  eventInMailbox = await publishFor(Number(networkWideA), networkA, mailboxA);
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

describe('another network', () => {
  it('its callbacks and events answer as missing, to every operation that names one', async () => {
    const cases: Array<[string, string, SoapParams, string]> = [
      [ECGRIDOS_NS, 'CallBackEventInfo', { CallBackEventID: callbackB, QueueCount: 5 }, `Callback ${callbackB} was not found.`],
      [ECGRIDOS_NS, 'CallBackEventSetStatus', { CallBackEventID: callbackB, Status: 'Terminated' }, `Callback ${callbackB} was not found.`],
      [ECGRIDOS_NS, 'CallBackTest', { CallBackEventID: callbackB, ParcelID: 0, InterchangeID: 0, UserID: 0 }, `Callback ${callbackB} was not found.`],
      [GUIDE_NS, 'CallBackTest', { CallBackQueueID: callbackB }, `Callback ${callbackB} was not found.`],
      [ECGRIDOS_NS, 'CallBackQueueInfo', { CallBackQueueID: eventB }, `Event ${eventB} was not found.`],
      [ECGRIDOS_NS, 'CallBackEventListEx', { NetworkID: networkB, MailboxID: 0, ShowInactive: true }, `Network ${networkB} was not found.`],
      [ECGRIDOS_NS, 'CallBackPendingListEx', { NetworkID: networkB, MailboxID: 0 }, `Network ${networkB} was not found.`],
      [ECGRIDOS_NS, 'CallBackFailedListEx', { NetworkID: networkB, MailboxID: 0, MaxDays: 0 }, `Network ${networkB} was not found.`],
      [
        GUIDE_NS,
        'CallBackAdd',
        { NetworkID: networkB, CallBackURL: 'https://receiver.example/x', CallBackEvent: 'InBox' },
        `Network ${networkB} was not found.`,
      ],
    ];
    for (const [ns, op, params, message] of cases) {
      const fault = await soapFault(server, ns, op, { SessionID: sessionA, ...params });
      expect(fault.detail.ErrorInfo.ErrorCode, op).toBe('ObjectNotFound');
      expect(fault.faultstring, op).toBe(message);
    }
    // Still there, for its own network.
    expect((await ok(server, 'GET', `/v2/callbacks/${callbackB}`)).status).toBe('Active');
  });

  it('lists leave its callbacks and events out', async () => {
    const callbacks = await soapOk(server, ECGRIDOS_NS, 'CallBackEventListEx', {
      SessionID: sessionA,
      NetworkID: 0,
      MailboxID: 0,
      ShowInactive: true,
    });
    const ids = items(callbacks, 'CallBackEventIDInfo').map((c) => Number(c.CallBackEventID));
    expect(ids).toContain(Number(networkWideA));
    expect(ids).not.toContain(Number(callbackB));
    const pending = await soapOk(server, ECGRIDOS_NS, 'CallBackPendingList', { SessionID: sessionA });
    const events = items(pending, 'CallBackQueueIDInfo').map((q) => Number(q.CallBackQueueID));
    expect(events).toContain(eventInMailbox);
    expect(events).not.toContain(eventB);
  });
});

describe('a mailbox user', () => {
  it('works in its own mailbox only', async () => {
    expect(await soapOk(server, ECGRIDOS_NS, 'WhoAmI', { SessionID: sessionMailbox })).toMatchObject({
      AuthLevel: 'MailboxUser',
      NetworkID: String(networkA),
      MailboxID: String(mailboxA),
    });
    const own = await addEx(sessionMailbox, { MailboxID: 0 });
    expect(own).toMatchObject({ NetworkID: String(networkA), MailboxID: String(mailboxA) });

    const listed = await soapOk(server, ECGRIDOS_NS, 'CallBackEventListEx', {
      SessionID: sessionMailbox,
      NetworkID: 0,
      MailboxID: 0,
      ShowInactive: true,
    });
    expect(items(listed, 'CallBackEventIDInfo').map((c) => c.CallBackEventID)).toEqual([own.CallBackEventID]);

    const fault = await soapFault(server, ECGRIDOS_NS, 'CallBackEventInfo', {
      SessionID: sessionMailbox,
      CallBackEventID: networkWideA,
      QueueCount: 0,
    });
    expect(fault.detail.ErrorInfo.ErrorCode).toBe('ObjectNotFound');
  });

  it('sees the events of its mailbox, without a network-wide callback it may not see', async () => {
    const pending = await soapOk(server, ECGRIDOS_NS, 'CallBackPendingList', { SessionID: sessionMailbox });
    const entry = items(pending, 'CallBackQueueIDInfo').find((q) => Number(q.CallBackQueueID) === eventInMailbox);
    expect(entry).toMatchObject({ Status: 'Pending' });
    expect(entry).not.toHaveProperty('CallBackEvent');
    const queued = await soapOk(server, ECGRIDOS_NS, 'CallBackQueueInfo', { SessionID: sessionMailbox, CallBackQueueID: eventInMailbox });
    expect(queued).toMatchObject({ CallBackQueueID: String(eventInMailbox), Status: 'Pending' });
    expect(queued).not.toHaveProperty('CallBackEvent');
  });
});
