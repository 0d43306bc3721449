/**
 * The ECGridOS v4.1 callback operations (https://os.ecgrid.io/) on the real services, every one
 * through a node-soap client built from the served WSDL: typed enumerations (Objects, Direction,
 * Status, StatusCallBack, AuthLevel, HTTPAuthType), dates, nested queue entries and logs.
 */
import * as soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECGRIDOS_OPERATIONS } from '../src/http/soap/ecgridos-types.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { eventually, ok, startTestServer, type TestServer } from './helpers/server.js';
import { addLoginUser, soapEndpoint, type LoginUser } from './helpers/soap.js';

let server: TestServer;
let receiver: Receiver;
let user: LoginUser;
let networkId: number;
let mailboxId: number;
let otherMailboxId: number;
let client: soap.Client;
let sessionId: string;

beforeAll(async () => {
  server = await startTestServer();
  receiver = await startReceiver();
  receiver.reply('/down', { status: 503 });
  networkId = (await ok(server, 'POST', '/v2/networks/create', { name: 'ECGridOS VAN' })).networkId;
  mailboxId = (await ok(server, 'POST', '/v2/mailboxes/create', { networkId, name: 'Inbox A' })).mailboxId;
  otherMailboxId = (await ok(server, 'POST', '/v2/mailboxes/create', { networkId, name: 'Inbox B' })).mailboxId;
  user = await addLoginUser(server, 'NetworkAdmin', networkId);
  client = await soap.createClientAsync(`${soapEndpoint(server)}?WSDL&contract=ecgridos`);
  const [login] = await client.LoginAsync({ LoginName: user.loginName, Password: user.password });
  sessionId = login.LoginResult;
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

/** node-soap gives an ArrayOf… wrapper's items as an array, one object, or nothing. */
function items<T = any>(wrapper: unknown, name: string): T[] {
  if (wrapper === undefined || wrapper === null || wrapper === '') return [];
  const value = (wrapper as Record<string, unknown>)[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}

interface FaultError {
  root?: { Envelope: { Body: { Fault: { faultcode: string; faultstring: string; detail: { ErrorInfo: Record<string, string> } } } } };
}

async function faultOf(call: Promise<unknown>) {
  const error = (await call.then(
    () => {
      throw new Error('expected a SOAP fault');
    },
    (e: unknown) => e,
  )) as FaultError;
  const fault = error.root?.Envelope.Body.Fault;
  if (!fault) throw error as Error;
  return fault;
}

/** CallBackAddEx with sensible values; `change` overrides them. */
async function addEx(change: Record<string, unknown> = {}) {
  const [added] = await client.CallBackAddExAsync({
    SessionID: sessionId,
    NetworkID: networkId,
    MailboxID: 0,
    UserID: 0,
    SystemObject: 'Parcel',
    ObjectStatus: 1,
    Direction: 'InBox',
    Frequency: 1,
    MaxRetries: 3,
    URL: receiver.urlFor('/hook'),
    HTTPAuthentication: 'None',
    Status: 'Active',
    ...change,
  });
  return added.CallBackAddExResult;
}

/** Publishes one event of the callback's type in `mailbox`; answers the event made for that callback. */
async function publishFor(callbackId: number, mailbox = mailboxId): Promise<number> {
  const callback = await ok(server, 'GET', `/v2/callbacks/${callbackId}`);
  await ok(server, 'POST', '/v2/callbacks/events/publish', {
    events: [{ callBackEvent: callback.callBackEvent, networkId, mailboxId: mailbox, ecGridId: 0, parcelId: 98_765, fileName: '850.edi' }],
  });
  const queue = await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: callbackId, recordsPerPage: 1 });
  return queue.events[0].eventId;
}

async function restEvent(eventId: number) {
  return ok(server, 'GET', `/v2/callbacks/events/${eventId}`);
}

describe('the ECGridOS contract through a generated client', () => {
  it('serves every operation of the subset', () => {
    const ops = (client.describe() as Record<string, Record<string, Record<string, unknown>>>).ECGridOS_x0020_API_x0020_v4
      ?.ECGridOS_x0020_API_x0020_v4Soap;
    expect(Object.keys(ops ?? {}).sort()).toEqual([...ECGRIDOS_OPERATIONS].sort());
  });

  it('Version and NowUTC answer without a session, NowUTC as a dateTime', async () => {
    const [version] = await client.VersionAsync({});
    expect(version.VersionResult).toBe('ECGridOS 4.1 (gridhook)');
    const before = Date.now();
    const [now] = await client.NowUTCAsync({});
    expect(now.NowUTCResult).toBeInstanceOf(Date);
    // The answer is to the second.
    expect(now.NowUTCResult.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(now.NowUTCResult.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('Login, WhoAmI (AuthLevel, dates) and Logout (the session’s length)', async () => {
    const [login] = await client.LoginAsync({ LoginName: user.loginName, Password: user.password });
    const [who] = await client.WhoAmIAsync({ SessionID: login.LoginResult });
    expect(who.WhoAmIResult).toEqual({
      ECGridOSVersion: '4.1',
      SessionID: login.LoginResult,
      SessionEventID: 0,
      UserID: user.userId,
      LoginName: user.loginName,
      TimeZoneOffset: 0,
      AuthLevel: 'NetworkAdmin',
      LastLogin: new Date('0001-01-01T00:00:00Z'),
      OpenSessions: 1,
      TimeOut: 20,
      NetworkID: networkId,
      MailboxID: 0,
    });
    const [out] = await client.LogoutAsync({ SessionID: login.LoginResult });
    expect(out.LogoutResult).toBeGreaterThanOrEqual(0);
    expect(out.LogoutResult).toBeLessThan(60_000);
  });

  it('CallBackAddEx makes each of the five events from SystemObject, ObjectStatus and Direction', async () => {
    const cases: Array<[number, string, string]> = [
      [1, 'InBox', 'InBox'],
      [2, 'OutBox', 'OutBox'],
      [3, 'NoDir', 'InBoxError'],
      [4, 'OutBox', 'OutBoxError'],
      [5, 'NoDir', 'ConfirmDelivery'],
      [0, 'InBox', 'InBox'],
      [0, 'OutBox', 'OutBox'],
    ];
    for (const [objectStatus, direction, event] of cases) {
      const info = await addEx({ ObjectStatus: objectStatus, Direction: direction });
      const rest = await ok(server, 'GET', `/v2/callbacks/${info.CallBackEventID}`);
      expect(rest.callBackEvent, `${objectStatus}/${direction}`).toBe(event);
      expect(info).toMatchObject({ StatusCode: event, SystemObject: 'Parcel' });
    }
  });

  it('CallBackAddEx answers the callback in the WSDL’s types, with no credentials in it', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const info = await addEx({ ObjectStatus: 4, Direction: 'OutBox', Frequency: 120, MaxRetries: 5, Status: 'Suspended' });
    expect(info).toEqual({
      CallBackEventID: expect.any(Number),
      NetworkID: networkId,
      MailboxID: 0,
      UserID: 0,
      Created: expect.any(Date),
      Modified: expect.any(Date),
      SystemObject: 'Parcel',
      ObjectStatus: 4,
      StatusCode: 'OutBoxError',
      Direction: 'OutBox',
      Frequency: 120,
      MaxCalls: 6,
      Status: 'Suspended',
      URL: receiver.urlFor('/hook'),
      HTTPAuthentication: { Type: 'None' },
    });
    expect(info.Created.getTime()).toBeGreaterThanOrEqual(before);
    expect(await ok(server, 'GET', `/v2/callbacks/${info.CallBackEventID}`)).toMatchObject({
      status: 'Suspended',
      frequency: 120,
      retries: 5,
      networkId,
    });
  });

  it('CallBackAddEx refuses what gridhook cannot do, naming the parameter, never echoing a password', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ SystemObject: 'Mailbox' }, 'SystemObject', /\(send Parcel\).*not Mailbox/],
      [{ ObjectStatus: 9 }, 'ObjectStatus', /must be one of 1 InBox, 2 OutBox, 3 InBoxError, 4 OutBoxError, 5 ConfirmDelivery/],
      [{ ObjectStatus: 3, Direction: 'OutBox' }, 'Direction', /InBoxError \(ObjectStatus 3\) is an InBox event/],
      [{ ObjectStatus: 0, Direction: 'NoDir' }, 'Direction', /Direction \(InBox or OutBox\) names the event/],
      [{ Status: 'Development' }, 'Status', /Active or Suspended/],
      [{ Status: 'Terminated' }, 'Status', /a new callback is Active or Suspended/],
      [{ HTTPAuthentication: 'Digest', HTTPUser: 'u', HTTPPassword: 'hunter2-secret' }, 'HTTPAuthentication', /Basic credentials only, not Digest/],
      [{ HTTPAuthentication: 'Certificate' }, 'HTTPAuthentication', /not Certificate/],
      [{ HTTPUser: 'u', HTTPPassword: 'hunter2-secret' }, 'HTTPUser', /only with HTTPAuthentication Basic/],
      [{ HTTPPassword: 'hunter2-secret' }, 'HTTPPassword', /only with HTTPAuthentication Basic/],
      [{ HTTPAuthentication: 'Basic', HTTPUser: 'u' }, 'HTTPPassword', /^HTTPPassword: must be a string of 1 to/],
      [{ HTTPAuthentication: 'Basic', HTTPUser: 'a:b', HTTPPassword: 'hunter2-secret' }, 'HTTPUser', /^HTTPUser: must not contain ":"/],
      [{ Frequency: 0 }, 'Frequency', /^Frequency: must be an integer from 1/],
      [{ MaxRetries: 500 }, 'MaxRetries', /^MaxRetries: must be an integer from 0 to 100/],
      [{ URL: 'not a url' }, 'URL', /^URL: "not a url" is not an absolute URL/],
      [{ MailboxID: 999_999 }, '', /^Mailbox 999999 was not found\.$/],
    ];
    for (const [change, item, message] of cases) {
      const fault = await faultOf(addEx(change));
      const where = JSON.stringify(change);
      expect(fault.faultcode, where).toBe('soap:Client');
      expect(fault.detail.ErrorInfo.ErrorItem ?? '', where).toBe(item);
      expect(fault.faultstring, where).toMatch(message);
      expect(JSON.stringify(fault), where).not.toContain('hunter2');
    }
  });

  it('CallBackAddEx with HTTPAuthentication Basic sends the credentials with every attempt, and never answers them', async () => {
    const info = await addEx({
      URL: receiver.urlFor('/basic'),
      HTTPAuthentication: 'Basic',
      HTTPUser: 'edi-partner',
      HTTPPassword: 'hunter2-secret',
    });
    expect(info.HTTPAuthentication).toEqual({ Type: 'Basic' });
    const [listed] = await client.CallBackEventInfoAsync({ SessionID: sessionId, CallBackEventID: info.CallBackEventID, QueueCount: 0 });
    expect(listed.CallBackEventInfoResult.HTTPAuthentication).toEqual({ Type: 'Basic' });
    const [tested] = await client.CallBackTestAsync({
      SessionID: sessionId,
      CallBackEventID: info.CallBackEventID,
      ParcelID: 0,
      InterchangeID: 0,
      UserID: 0,
    });
    expect(JSON.stringify([info, listed, tested])).not.toContain('hunter2');
    const [request] = await receiver.waitForRequests(1, { path: '/basic' });
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from('edi-partner:hunter2-secret').toString('base64')}`);
  });

  it('CallBackEventInfo answers one callback with its newest QueueCount queue entries', async () => {
    const info = await addEx({ ObjectStatus: 2, Direction: 'OutBox', URL: receiver.urlFor('/info') });
    const published = [await publishFor(info.CallBackEventID), await publishFor(info.CallBackEventID)];
    await eventually(async () => (await restEvent(published[1]!)).status === 'Delivered');

    const [none] = await client.CallBackEventInfoAsync({ SessionID: sessionId, CallBackEventID: info.CallBackEventID, QueueCount: 0 });
    expect(none.CallBackEventInfoResult).toMatchObject({ CallBackEventID: info.CallBackEventID, StatusCode: 'OutBox' });
    expect(none.CallBackEventInfoResult.CallBackQueue).toBeUndefined();

    const [one] = await client.CallBackEventInfoAsync({ SessionID: sessionId, CallBackEventID: info.CallBackEventID, QueueCount: 1 });
    const queue = items(one.CallBackEventInfoResult.CallBackQueue, 'CallBackQueueIDInfo');
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ CallBackQueueID: published[1], ObjectID: 98_765, Test: false });

    const [both] = await client.CallBackEventInfoAsync({ SessionID: sessionId, CallBackEventID: info.CallBackEventID, QueueCount: 10 });
    expect(items(both.CallBackEventInfoResult.CallBackQueue, 'CallBackQueueIDInfo').map((q) => q.CallBackQueueID).sort()).toEqual(
      [...published].sort(),
    );

    const missing = await faultOf(client.CallBackEventInfoAsync({ SessionID: sessionId, CallBackEventID: 999_999, QueueCount: 0 }));
    expect(missing.detail.ErrorInfo.ErrorCode).toBe('ObjectNotFound');
  });

  it('CallBackEventListEx lists the Active callbacks of a scope, and the Suspended too with ShowInactive', async () => {
    const active = await addEx({ MailboxID: otherMailboxId });
    const suspended = await addEx({ MailboxID: otherMailboxId, Status: 'Suspended' });
    const list = async (showInactive: boolean, mailbox = otherMailboxId) => {
      const [answer] = await client.CallBackEventListExAsync({
        SessionID: sessionId,
        NetworkID: 0,
        MailboxID: mailbox,
        ShowInactive: showInactive,
      });
      return items(answer.CallBackEventListExResult, 'CallBackEventIDInfo');
    };
    expect((await list(false)).map((c) => c.CallBackEventID)).toEqual([active.CallBackEventID]);
    expect((await list(true)).map((c) => [c.CallBackEventID, c.Status])).toEqual([
      [active.CallBackEventID, 'Active'],
      [suspended.CallBackEventID, 'Suspended'],
    ]);
    expect((await list(true, 0)).length).toBeGreaterThan(2);
  });

  it('CallBackEventSetStatus suspends and reactivates a callback, and Terminated deletes it', async () => {
    const info = await addEx();
    const set = async (Status: string) => {
      const [answer] = await client.CallBackEventSetStatusAsync({ SessionID: sessionId, CallBackEventID: info.CallBackEventID, Status });
      return answer.CallBackEventSetStatusResult;
    };
    expect(await set('Suspended')).toBe(true);
    expect((await ok(server, 'GET', `/v2/callbacks/${info.CallBackEventID}`)).status).toBe('Suspended');
    expect(await set('Active')).toBe(true);
    expect((await ok(server, 'GET', `/v2/callbacks/${info.CallBackEventID}`)).status).toBe('Active');
    const refused = await faultOf(set('Preproduction'));
    expect(refused.detail.ErrorInfo).toMatchObject({ ErrorCode: 'InvalidParameter', ErrorItem: 'Status' });
    expect(await set('Terminated')).toBe(true);
    const gone = await faultOf(set('Active'));
    expect(gone.detail.ErrorInfo.ErrorCode).toBe('ObjectNotFound');
  });

  it('CallBackTest answers the test event as a queue entry with its callback and log; CallBackQueueInfo reads it back', async () => {
    const info = await addEx({ ObjectStatus: 5, Direction: 'OutBox', URL: receiver.urlFor('/tested') });
    const [tested] = await client.CallBackTestAsync({
      SessionID: sessionId,
      CallBackEventID: info.CallBackEventID,
      ParcelID: 0,
      InterchangeID: 0,
      UserID: 0,
    });
    const entry = tested.CallBackTestResult;
    expect(entry).toMatchObject({
      CallBackQueueID: expect.any(Number),
      Date: expect.any(Date),
      CallsRemaining: 0,
      NextCall: new Date('0001-01-01T00:00:00Z'),
      Status: 'Completed',
      ObjectID: 0,
      UserID: 0,
      Test: true,
      CallBackEvent: { CallBackEventID: info.CallBackEventID, StatusCode: 'ConfirmDelivery', Direction: 'OutBox' },
    });
    const log = items(entry.CallBackLog, 'CallBackLogInfo');
    expect(log).toEqual([
      {
        CallBackLogID: expect.any(Number),
        Date: expect.any(Date),
        CallNumber: 1,
        ReturnCode: 200,
        Message: expect.stringMatching(/^Delivered in \d+ ms$/),
      },
    ]);
    expect(await receiver.waitForRequests(1, { path: '/tested' })).toHaveLength(1);

    const [queued] = await client.CallBackQueueInfoAsync({ SessionID: sessionId, CallBackQueueID: entry.CallBackQueueID });
    expect(queued.CallBackQueueInfoResult).toEqual(entry);
    const missing = await faultOf(client.CallBackQueueInfoAsync({ SessionID: sessionId, CallBackQueueID: 999_999 }));
    expect(missing.detail.ErrorInfo).toMatchObject({ ErrorCode: 'ObjectNotFound' });
    expect(missing.faultstring).toBe('Event 999999 was not found.');
  });

  describe('the queue lists', () => {
    let pendingId: number;
    let failedId: number;
    let canceledId: number;

    beforeAll(async () => {
      // Pending: its first attempt failed and the next is an hour away.
      const pending = await addEx({ MailboxID: mailboxId, URL: receiver.urlFor('/down'), Frequency: 3600, MaxRetries: 2 });
      pendingId = await publishFor(pending.CallBackEventID);
      // Failed: no retries left after the first failed attempt.
      const failing = await addEx({ ObjectStatus: 3, MailboxID: mailboxId, URL: receiver.urlFor('/down'), MaxRetries: 0 });
      failedId = await publishFor(failing.CallBackEventID);
      // Canceled: its callback was suspended before the next attempt.
      const canceling = await addEx({ ObjectStatus: 4, Direction: 'OutBox', URL: receiver.urlFor('/down'), Frequency: 3600 });
      canceledId = await publishFor(canceling.CallBackEventID);
      await eventually(async () => (await restEvent(pendingId)).attempts === 1);
      await eventually(async () => (await restEvent(failedId)).status === 'Failed');
      await eventually(async () => (await restEvent(canceledId)).attempts === 1);
      await client.CallBackEventSetStatusAsync({ SessionID: sessionId, CallBackEventID: canceling.CallBackEventID, Status: 'Suspended' });
    });

    const ids = (wrapper: unknown) => items(wrapper, 'CallBackQueueIDInfo').map((q) => q.CallBackQueueID);

    it('CallBackPendingList: pending events in the session’s scope, with the next call and calls left', async () => {
      const [answer] = await client.CallBackPendingListAsync({ SessionID: sessionId });
      const entries = items(answer.CallBackPendingListResult, 'CallBackQueueIDInfo');
      const entry = entries.find((q) => q.CallBackQueueID === pendingId);
      expect(entry).toMatchObject({
        Status: 'Pending',
        CallsRemaining: 2,
        ObjectID: 98_765,
        Test: false,
        CallBackEvent: { StatusCode: 'InBox', MailboxID: mailboxId },
      });
      expect(entry.NextCall.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
      expect(entries.every((q) => q.Status === 'Pending')).toBe(true);
      expect(ids(answer.CallBackPendingListResult)).not.toContain(failedId);
      expect(ids(answer.CallBackPendingListResult)).not.toContain(canceledId);
    });

    it('CallBackPendingListEx: the same for a named network and mailbox', async () => {
      const list = async (NetworkID: number, MailboxID: number) =>
        ids((await client.CallBackPendingListExAsync({ SessionID: sessionId, NetworkID, MailboxID }))[0].CallBackPendingListExResult);
      expect(await list(networkId, 0)).toContain(pendingId);
      expect(await list(0, mailboxId)).toContain(pendingId);
      expect(await list(networkId, otherMailboxId)).not.toContain(pendingId);
      const elsewhere = await faultOf(client.CallBackPendingListExAsync({ SessionID: sessionId, NetworkID: 1, MailboxID: 0 }));
      expect(elsewhere.detail.ErrorInfo.ErrorCode).toBe('ObjectNotFound');
      const negative = await faultOf(client.CallBackPendingListExAsync({ SessionID: sessionId, NetworkID: -1, MailboxID: 0 }));
      expect(negative.detail.ErrorInfo).toMatchObject({ ErrorCode: 'InvalidParameter', ErrorItem: 'NetworkID' });
    });

    it('CallBackFailedList and CallBackFailedListEx: failed events (StatusCallBack Error) of the last MaxDays', async () => {
      const [failed] = await client.CallBackFailedListAsync({ SessionID: sessionId, MaxDays: 1 });
      const entry = items(failed.CallBackFailedListResult, 'CallBackQueueIDInfo').find((q) => q.CallBackQueueID === failedId);
      expect(entry).toMatchObject({ Status: 'Error', CallsRemaining: 0, NextCall: new Date('0001-01-01T00:00:00Z') });
      expect(items(entry.CallBackLog, 'CallBackLogInfo')).toEqual([]);
      expect(ids(failed.CallBackFailedListResult)).not.toContain(pendingId);

      const [ex] = await client.CallBackFailedListExAsync({ SessionID: sessionId, NetworkID: networkId, MailboxID: mailboxId, MaxDays: 0 });
      expect(ids(ex.CallBackFailedListExResult)).toContain(failedId);
      const [other] = await client.CallBackFailedListExAsync({ SessionID: sessionId, NetworkID: networkId, MailboxID: otherMailboxId, MaxDays: 7 });
      expect(ids(other.CallBackFailedListExResult)).toEqual([]);
      const negative = await faultOf(client.CallBackFailedListAsync({ SessionID: sessionId, MaxDays: -1 }));
      expect(negative.detail.ErrorInfo).toMatchObject({ ErrorCode: 'InvalidParameter', ErrorItem: 'MaxDays' });
    });

    it('CallBackQueueInfo: a Canceled event, with its failed attempt in the log', async () => {
      const [answer] = await client.CallBackQueueInfoAsync({ SessionID: sessionId, CallBackQueueID: canceledId });
      expect(answer.CallBackQueueInfoResult).toMatchObject({ CallBackQueueID: canceledId, Status: 'Canceled', CallsRemaining: 0 });
      expect(items(answer.CallBackQueueInfoResult.CallBackLog, 'CallBackLogInfo')).toEqual([
        expect.objectContaining({ CallNumber: 1, ReturnCode: 503, Message: expect.stringMatching(/^HTTP 503: ok \(\d+ ms\)$/) }),
      ]);
    });
  });
});
