/**
 * The guide's contract (http://www.ecgridos.net/) on the real services, through a node-soap client
 * built from the served WSDL, as the guide's C# sample uses its generated proxy: Login,
 * CallBackAdd (the CallBackEvent enumeration), CallBackTest against a real receiver, Logout.
 */
import * as soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSignature } from '../src/delivery/signature.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { ok, startTestServer, type TestServer } from './helpers/server.js';
import { addLoginUser, GUIDE_NS, soapEndpoint, soapFault, type LoginUser } from './helpers/soap.js';

let server: TestServer;
let receiver: Receiver;
let user: LoginUser;
let client: soap.Client;

beforeAll(async () => {
  server = await startTestServer();
  receiver = await startReceiver();
  receiver.reply('/down', { status: 503, body: 'maintenance' });
  const network = await ok(server, 'POST', '/v2/networks/create', { name: 'Guide SOAP VAN' });
  user = await addLoginUser(server, 'NetworkAdmin', network.networkId);
  client = await soap.createClientAsync(`${soapEndpoint(server)}?WSDL`);
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

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

async function session(): Promise<string> {
  const [login] = await client.LoginAsync({ LoginName: user.loginName, Password: user.password });
  return login.LoginResult as string;
}

describe("the guide's contract through a generated client", () => {
  it('logs in, registers and tests a callback, and logs out, as the guide’s C# sample does', async () => {
    const sessionId = await session();
    const url = receiver.urlFor('/webhooks/ecgrid');
    const [added] = await client.CallBackAddAsync({
      SessionID: sessionId,
      NetworkID: 0,
      MailboxID: 0,
      ECGridID: 0,
      CallBackURL: url,
      CallBackEvent: 'OutBoxError',
      Frequency: 30,
      Retries: 2,
    });
    const info = added.CallBackAddResult;
    expect(info).toEqual({
      CallBackQueueID: expect.any(Number),
      CallBackURL: url,
      CallBackEvent: 'OutBoxError',
      Status: 'Active',
      NetworkID: user.networkId,
      MailboxID: 0,
      ECGridID: 0,
      Frequency: 30,
      Retries: 2,
      Secret: expect.stringMatching(/^whsec_/),
    });

    const [tested] = await client.CallBackTestAsync({ SessionID: sessionId, CallBackQueueID: info.CallBackQueueID });
    expect(tested.CallBackTestResult).toEqual({
      EventID: expect.any(Number),
      Delivered: true,
      HTTPStatus: 200,
      DurationMS: expect.any(Number),
    });
    const [request] = await receiver.waitForRequests(1, { path: '/webhooks/ecgrid' });
    expect(request!.json()).toMatchObject({
      eventId: tested.CallBackTestResult.EventID,
      callBackQueueId: info.CallBackQueueID,
      callBackEvent: 'OutBoxError',
      isTest: true,
    });
    // The Secret CallBackAdd answered is the one the attempt was signed with.
    const { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature } = request!.headers;
    expect(signature).toBe(computeSignature(info.Secret, String(id), Number(timestamp), request!.body));

    const [out] = await client.LogoutAsync({ SessionID: sessionId });
    expect(out.LogoutResult).toBe(true);
    const [again] = await client.LogoutAsync({ SessionID: sessionId });
    expect(again.LogoutResult).toBe(false);
  });

  it('answers a failed test attempt with its HTTP status and error, and retries it', async () => {
    const sessionId = await session();
    const [added] = await client.CallBackAddAsync({
      SessionID: sessionId,
      NetworkID: user.networkId,
      MailboxID: 0,
      ECGridID: 0,
      CallBackURL: receiver.urlFor('/down'),
      CallBackEvent: 'InBox',
      Frequency: 3600,
      Retries: 1,
    });
    const id = added.CallBackAddResult.CallBackQueueID;
    const [tested] = await client.CallBackTestAsync({ SessionID: sessionId, CallBackQueueID: id });
    expect(tested.CallBackTestResult).toMatchObject({ Delivered: false, HTTPStatus: 503, Error: 'HTTP 503: maintenance' });
    const queue = await ok(server, 'POST', '/v2/callbacks/queue-list', { callBackQueueId: id });
    expect(queue.events[0]).toMatchObject({ eventId: tested.CallBackTestResult.EventID, status: 'Pending', callsRemaining: 1 });
  });

  it('defaults what a hand-written envelope leaves out, as the REST API does', async () => {
    const sessionId = await session();
    const [added] = await client.CallBackAddAsync({
      SessionID: sessionId,
      CallBackURL: 'https://receiver.example/defaults',
      CallBackEvent: 'ConfirmDelivery',
    });
    expect(added.CallBackAddResult).toMatchObject({
      NetworkID: user.networkId,
      MailboxID: 0,
      ECGridID: 0,
      Frequency: 1,
      Retries: 3,
      Status: 'Active',
    });
  });

  it('reports a bad value as a Client fault naming the guide’s parameter', async () => {
    const sessionId = await session();
    const base = {
      SessionID: sessionId,
      NetworkID: 0,
      MailboxID: 0,
      ECGridID: 0,
      CallBackURL: 'https://receiver.example/x',
      CallBackEvent: 'InBox',
      Frequency: 1,
      Retries: 3,
    };
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ CallBackURL: 'ftp://receiver.example/x' }, 'CallBackURL', /^CallBackURL: the scheme "ftp" is not supported/],
      [{ CallBackURL: 'https://user:pw@receiver.example/x' }, 'CallBackURL', /must not contain a user name or password/],
      [{ Frequency: 0 }, 'Frequency', /^Frequency: must be an integer from 1 to 86400/],
      [{ Retries: 101 }, 'Retries', /^Retries: must be an integer from 0 to 100/],
      [{ CallBackEvent: 'Inbox' }, 'CallBackEvent', /did you mean InBox\?/],
    ];
    for (const [change, item, message] of cases) {
      const fault = await faultOf(client.CallBackAddAsync({ ...base, ...change }));
      expect(fault.faultcode, item).toBe('soap:Client');
      expect(fault.detail.ErrorInfo, item).toMatchObject({ ErrorCode: 'InvalidParameter', ErrorItem: item });
      expect(fault.faultstring, item).toMatch(message);
    }
  });

  it('answers a callback out of reach, missing or suspended with the registry’s faults', async () => {
    const sessionId = await session();
    const elsewhere = await ok(server, 'POST', '/v2/callbacks/create', {
      networkId: 1,
      callBackUrl: 'https://receiver.example/root',
      callBackEvent: 'InBox',
    });
    for (const id of [elsewhere.callBackQueueId, 999_999]) {
      const fault = await faultOf(client.CallBackTestAsync({ SessionID: sessionId, CallBackQueueID: id }));
      expect(fault.detail.ErrorInfo).toMatchObject({ ErrorCode: 'ObjectNotFound', ErrorString: 'Object not found' });
      expect(fault.faultstring).toBe(`Callback ${id} was not found.`);
    }
    const outOfNetwork = await soapFault(server, GUIDE_NS, 'CallBackAdd', {
      SessionID: sessionId,
      NetworkID: 1,
      CallBackURL: 'https://receiver.example/x',
      CallBackEvent: 'InBox',
    });
    expect(outOfNetwork.detail.ErrorInfo.ErrorCode).toBe('ObjectNotFound');

    const [added] = await client.CallBackAddAsync({
      SessionID: sessionId,
      CallBackURL: 'https://receiver.example/suspended',
      CallBackEvent: 'InBox',
    });
    const id = added.CallBackAddResult.CallBackQueueID;
    await ok(server, 'POST', '/v2/callbacks/update', { callBackQueueId: id, status: 'Suspended' });
    const fault = await faultOf(client.CallBackTestAsync({ SessionID: sessionId, CallBackQueueID: id }));
    expect(fault.detail.ErrorInfo).toMatchObject({ ErrorCode: 'InvalidState', ErrorString: 'Invalid state' });
    expect(fault.faultstring).toMatch(/is Suspended; set its status to Active/);
  });
});
