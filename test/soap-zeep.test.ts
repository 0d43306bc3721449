/**
 * Python zeep, a client generator unrelated to node-soap, builds clients from both served WSDLs
 * over HTTP and calls every operation of each (test/fixtures/soap/zeep-client.py), once on the
 * WSDLs' SOAP 1.1 ports and once on their SOAP 1.2 ports, each against its own gridhook. zeep
 * comes from Debian's python3-zeep, so the system Python runs it; .ci/run installs it.
 */
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { ok, startTestServer, type TestServer } from './helpers/server.js';
import { addLoginUser, soapEndpoint, type LoginUser } from './helpers/soap.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(import.meta.dirname, 'fixtures', 'soap', 'zeep-client.py');
const haveZeep = spawnSync(PYTHON, ['-c', 'import zeep'], { stdio: 'ignore' }).status === 0;

const NO_DATE = { datetime: '0001-01-01T00:00:00+00:00' };
const isoDate = { datetime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/) };

const PORTS = [
  { port: 'Soap', client: 'soap:Client' },
  { port: 'Soap12', client: 'soap:Sender' },
] as const;

describe.skipIf(!haveZeep && process.env.CI !== 'true').each(PORTS)('zeep on the $port ports', ({ port, client }) => {
  let server: TestServer;
  let receiver: Receiver;
  let user: LoginUser;
  let networkId: number;
  let out: any;

  beforeAll(async () => {
    if (!haveZeep) throw new Error(`${PYTHON} cannot import zeep; install python3-zeep`);
    server = await startTestServer();
    receiver = await startReceiver();
    receiver.reply('/zeep-down', { status: 503 });
    networkId = (await ok(server, 'POST', '/v2/networks/create', { name: 'zeep VAN' })).networkId;
    user = await addLoginUser(server, 'NetworkAdmin', networkId);
    const args = [SCRIPT, soapEndpoint(server), user.loginName, user.password, receiver.url, port];
    const { stdout } = await run(PYTHON, args, {
      timeout: 60_000,
      env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
    });
    out = JSON.parse(stdout);
  }, 90_000);

  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  it("calls every operation of the guide's contract", () => {
    const guide = out.guide;
    expect(guide.Login).toMatch(/^ghs_/);
    expect(guide.CallBackAdd).toEqual({
      CallBackQueueID: expect.any(Number),
      CallBackURL: `${receiver.url}/zeep-guide`,
      CallBackEvent: 'ConfirmDelivery',
      Status: 'Active',
      NetworkID: networkId,
      MailboxID: 0,
      ECGridID: 0,
      Frequency: 5,
      Retries: 2,
      Secret: expect.stringMatching(/^whsec_/),
    });
    expect(guide.CallBackTest).toEqual({
      EventID: expect.any(Number),
      Delivered: true,
      HTTPStatus: 200,
      Error: null,
      DurationMS: expect.any(Number),
    });
    expect(receiver.requestsTo('/zeep-guide')[0]?.json()).toMatchObject({ eventId: guide.CallBackTest.EventID, isTest: true });
    expect(guide.fault).toEqual({
      code: client,
      message: expect.stringMatching(/^CallBackEvent: must be one of .* \(did you mean InBox\?\)\.$/),
      ErrorInfo: {
        ErrorCode: 'InvalidParameter',
        ErrorString: 'Invalid parameter',
        ErrorItem: 'CallBackEvent',
        ErrorMessage: guide.fault.message,
      },
    });
    expect([guide.Logout, guide.LogoutAgain]).toEqual([true, false]);
  });

  it('calls every operation of the ECGridOS subset, with typed enumerations and dates', () => {
    const os = out.ecgridos;
    expect(os.NowUTC).toEqual(isoDate);
    expect(os.Version).toBe('ECGridOS 4.1 (gridhook)');
    expect(os.WhoAmI).toMatchObject({ SessionID: os.Login, AuthLevel: 'NetworkAdmin', LastLogin: NO_DATE, TimeOut: 20 });
    expect(os.CallBackAddEx).toMatchObject({
      NetworkID: networkId,
      Created: isoDate,
      SystemObject: 'Parcel',
      ObjectStatus: 2,
      StatusCode: 'OutBox',
      Direction: 'OutBox',
      Frequency: 60,
      MaxCalls: 5,
      Status: 'Active',
      HTTPAuthentication: { Type: 'None', User: null, Password: null },
    });
    const callbackId = os.CallBackAddEx.CallBackEventID;
    expect(os.CallBackTest).toMatchObject({
      Date: isoDate,
      NextCall: NO_DATE,
      Status: 'Completed',
      Test: true,
      CallBackEvent: { CallBackEventID: callbackId },
      CallBackLog: { CallBackLogInfo: [{ CallNumber: 1, ReturnCode: 200, Date: isoDate }] },
    });
    expect(os.CallBackQueueInfo).toEqual(os.CallBackTest);
    expect(os.CallBackEventInfo.CallBackQueue.CallBackQueueIDInfo.map((q: any) => q.CallBackQueueID)).toEqual([
      os.CallBackTest.CallBackQueueID,
    ]);
    expect(os.CallBackEventSetStatus).toBe(true);
    // zeep unwraps a result that is an ArrayOf… wrapper into a list.
    const listed = os.CallBackEventListEx.map((c: any) => [c.CallBackEventID, c.Status]);
    expect(listed).toContainEqual([out.guide.CallBackAdd.CallBackQueueID, 'Active']);
    expect(listed).toContainEqual([callbackId, 'Suspended']);

    expect(os.pending).toMatchObject({ Status: 'Pending', CallsRemaining: 1, Test: true, NextCall: isoDate });
    expect(os.failed).toMatchObject({ Status: 'Error', CallsRemaining: 0, Test: true, NextCall: NO_DATE });
    const ids = (list: string) => os[list].map((q: any) => q.CallBackQueueID);
    expect(ids('CallBackPendingList')).toEqual([os.pending.CallBackQueueID]);
    expect(ids('CallBackPendingListEx')).toEqual([os.pending.CallBackQueueID]);
    expect(ids('CallBackFailedList')).toEqual([os.failed.CallBackQueueID]);
    expect(ids('CallBackFailedListEx')).toEqual([os.failed.CallBackQueueID]);
    expect(os.CallBackPendingList[0]).toMatchObject({ Status: 'Pending', CallBackEvent: { StatusCode: 'InBox' } });
    expect(os.fault).toMatchObject({ code: client, ErrorInfo: { ErrorCode: 'ObjectNotFound', ErrorItem: null } });
    expect(os.Logout).toBeGreaterThanOrEqual(0);
  });
});
