/**
 * The bindings of the ECGridOS endpoint besides SOAP 1.1, over real HTTP on loopback: SOAP 1.2
 * envelopes and faults on both contracts, and the v4.1 contract's HTTP GET and HTTP POST bindings
 * as ASMX serves them (form or query parameters in, a bare XML document out, errors as a 500 with
 * a plain-text reason), by raw HTTP and by a Python requests + xml.etree client
 * (test/fixtures/soap/http-bindings-client.py). Bad input on each is refused naming the
 * parameter, nothing is stored, and the service keeps serving.
 */
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import * as soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { ok, startTestServer, type TestServer } from './helpers/server.js';
import { addLoginUser, ECGRIDOS_NS, GUIDE_NS, soapEndpoint, type LoginUser } from './helpers/soap.js';

const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
const PYTHON = '/usr/bin/python3';
const PYTHON_CLIENT = path.join(import.meta.dirname, 'fixtures', 'soap', 'http-bindings-client.py');
const haveRequests = spawnSync(PYTHON, ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;
/** The ports of the real ECGridOS v4.1 WSDL's service: name, binding, address element. */
const REAL_PORTS = [
  ['ECGridOS_x0020_API_x0020_v4Soap', 'ECGridOS_x0020_API_x0020_v4Soap', 'soap:address'],
  ['ECGridOS_x0020_API_x0020_v4Soap12', 'ECGridOS_x0020_API_x0020_v4Soap12', 'soap12:address'],
  ['ECGridOS_x0020_API_x0020_v4HttpGet', 'ECGridOS_x0020_API_x0020_v4HttpGet', 'http:address'],
  ['ECGridOS_x0020_API_x0020_v4HttpPost', 'ECGridOS_x0020_API_x0020_v4HttpPost', 'http:address'],
];

let server: TestServer;
let receiver: Receiver;
let user: LoginUser;
let networkId: number;

beforeAll(async () => {
  server = await startTestServer();
  receiver = await startReceiver();
  networkId = (await ok(server, 'POST', '/v2/networks/create', { name: 'Bindings VAN' })).networkId;
  user = await addLoginUser(server, 'NetworkAdmin', networkId);
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: false, attributeNamePrefix: '@' });

function soap12(namespace: string, operation: string, params: Record<string, string | number> = {}): string {
  const children = Object.entries(params)
    .map(([name, value]) => `<${name}>${value}</${name}>`)
    .join('');
  return (
    `<?xml version="1.0" encoding="utf-8"?><soap12:Envelope xmlns:soap12="${SOAP12_NS}"><soap12:Body>` +
    `<${operation} xmlns="${namespace}">${children}</${operation}></soap12:Body></soap12:Envelope>`
  );
}

async function post12(body: string, action?: string) {
  const type = `application/soap+xml; charset=utf-8${action === undefined ? '' : `; action="${action}"`}`;
  const response = await fetch(soapEndpoint(server), { method: 'POST', headers: { 'content-type': type }, body });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), text, parsed: parser.parse(text) };
}

async function callbackCount(): Promise<number> {
  return (await ok(server, 'POST', '/v2/callbacks/list', {})).totalRecords;
}

describe('SOAP 1.2', () => {
  it('answers application/soap+xml requests in a SOAP 1.2 envelope, on both contracts', async () => {
    for (const namespace of [ECGRIDOS_NS, GUIDE_NS]) {
      const params = { LoginName: user.loginName, Password: user.password };
      const answer = await post12(soap12(namespace, 'Login', params), `${namespace}Login`);
      expect(answer.status).toBe(200);
      expect(answer.type).toBe('application/soap+xml; charset=utf-8');
      expect(answer.text).toContain(`<soap:Envelope xmlns:soap="${SOAP12_NS}"`);
      expect(answer.text).toContain(`<LoginResponse xmlns="${namespace}"><LoginResult>ghs_`);
    }
  });

  it('answers a bad parameter with a Sender fault: Code/Value, Reason/Text and the ErrorInfo detail', async () => {
    const login = await post12(soap12(ECGRIDOS_NS, 'Login', { LoginName: user.loginName, Password: user.password }));
    const session = login.parsed.Envelope.Body.LoginResponse.LoginResult as string;
    const params = { SessionID: session, CallBackEventID: 'abc', QueueCount: 0 };
    const answer = await post12(soap12(ECGRIDOS_NS, 'CallBackEventInfo', params));
    expect(answer.status).toBe(500);
    expect(answer.type).toBe('application/soap+xml; charset=utf-8');
    const fault = answer.parsed.Envelope.Body.Fault;
    expect(fault.Code.Value).toBe('soap:Sender');
    expect(fault.Reason.Text['#text']).toMatch(/^CallBackEventID: must be a whole number/);
    expect(answer.text).toContain('<soap:Text xml:lang="en">CallBackEventID: ');
    expect(answer.text).toContain(`<soap:Detail><ErrorInfo xmlns="${ECGRIDOS_NS}">`);
    expect(fault.Detail.ErrorInfo).toMatchObject({
      ErrorCode: 'InvalidParameter',
      ErrorItem: 'CallBackEventID',
      ErrorMessage: fault.Reason.Text['#text'],
    });
  });

  it('refuses an action parameter naming another operation, and a mustUnderstand header, in SOAP 1.2', async () => {
    const wrongAction = await post12(soap12(ECGRIDOS_NS, 'Version'), `${ECGRIDOS_NS}Login`);
    expect(wrongAction.parsed.Envelope.Body.Fault.Code.Value).toBe('soap:Sender');
    expect(wrongAction.parsed.Envelope.Body.Fault.Detail.ErrorInfo.ErrorItem).toBe('SOAPAction');
    const header =
      `<e:Envelope xmlns:e="${SOAP12_NS}"><e:Header><w:Security xmlns:w="urn:wsse" e:mustUnderstand="true"/></e:Header>` +
      `<e:Body><Version xmlns="${ECGRIDOS_NS}"/></e:Body></e:Envelope>`;
    expect((await post12(header)).parsed.Envelope.Body.Fault.Code.Value).toBe('soap:MustUnderstand');
  });

  it('writes a fault it cannot read the envelope of in the version the Content-Type announces', async () => {
    const answer = await post12('not xml');
    expect(answer.type).toBe('application/soap+xml; charset=utf-8');
    expect(answer.parsed.Envelope.Body.Fault.Code.Value).toBe('soap:Sender');
  });
});

describe('SOAP 1.2 from node-soap (forceSoap12Headers), on both contracts', () => {
  interface Fault12 {
    root?: { Envelope: { Body: { Fault: { Code: { Value: string }; Detail: { ErrorInfo: Record<string, string> } } } } };
  }
  const faultOf = async (call: Promise<unknown>) => {
    const error = (await call.then(
      () => new Error('expected a SOAP fault'),
      (e: unknown) => e,
    )) as Fault12;
    const fault = error.root?.Envelope.Body.Fault;
    if (!fault) throw error as Error;
    return { code: fault.Code.Value, ...fault.Detail.ErrorInfo };
  };
  const soap12 = { forceSoap12Headers: true };
  const sent: string[] = [];
  const watch = (client: soap.Client) => client.on('request', (xml: string) => sent.push(xml));

  it('calls every operation of the guide’s contract', async () => {
    const guide = await soap.createClientAsync(`${soapEndpoint(server)}?WSDL`, soap12);
    watch(guide);
    const [login] = await guide.LoginAsync({ LoginName: user.loginName, Password: user.password });
    const session = login.LoginResult as string;
    const url = receiver.urlFor('/node-soap12');
    const [added] = await guide.CallBackAddAsync({
      SessionID: session, NetworkID: 0, MailboxID: 0, ECGridID: 0, CallBackURL: url, CallBackEvent: 'InBox', Frequency: 1, Retries: 3,
    });
    expect(added.CallBackAddResult).toMatchObject({ CallBackURL: url, CallBackEvent: 'InBox', Status: 'Active', NetworkID: networkId });
    const [tested] = await guide.CallBackTestAsync({ SessionID: session, CallBackQueueID: added.CallBackAddResult.CallBackQueueID });
    expect(tested.CallBackTestResult).toMatchObject({ Delivered: true, HTTPStatus: 200 });
    const bad = guide.CallBackAddAsync({ SessionID: session, NetworkID: 0, MailboxID: 0, ECGridID: 0, CallBackURL: url, CallBackEvent: 'inbox', Frequency: 1, Retries: 3 });
    expect(await faultOf(bad)).toMatchObject({ code: 'soap:Sender', ErrorCode: 'InvalidParameter', ErrorItem: 'CallBackEvent' });
    const [out] = await guide.LogoutAsync({ SessionID: session });
    expect(out.LogoutResult).toBe(true);
    expect(sent.every((xml) => xml.includes(SOAP12_NS))).toBe(true);
  });

  it('calls every operation of the v4.1 contract', async () => {
    const os = await soap.createClientAsync(`${soapEndpoint(server)}?WSDL&contract=ecgridos`, soap12);
    watch(os);
    expect((await os.VersionAsync({}))[0].VersionResult).toBe('ECGridOS 4.1 (gridhook)');
    expect((await os.NowUTCAsync({}))[0].NowUTCResult).toBeInstanceOf(Date);
    const SessionID = (await os.LoginAsync({ LoginName: user.loginName, Password: user.password }))[0].LoginResult as string;
    expect((await os.WhoAmIAsync({ SessionID }))[0].WhoAmIResult).toMatchObject({ SessionID, AuthLevel: 'NetworkAdmin' });
    const add = async (URL: string, MaxRetries: number) =>
      (
        await os.CallBackAddExAsync({
          SessionID, NetworkID: 0, MailboxID: 0, UserID: 0, SystemObject: 'Parcel', ObjectStatus: 2, Direction: 'OutBox',
          Frequency: 3600, MaxRetries, URL, HTTPAuthentication: 'None', Status: 'Active',
        })
      )[0].CallBackAddExResult;
    const made = await add(receiver.urlFor('/node-soap12-os'), 3);
    expect(made).toMatchObject({ Direction: 'OutBox', Status: 'Active', SystemObject: 'Parcel' });
    const id = made.CallBackEventID as number;
    const test = async (CallBackEventID: number) =>
      (await os.CallBackTestAsync({ SessionID, CallBackEventID, ParcelID: 0, InterchangeID: 0, UserID: 0 }))[0].CallBackTestResult;
    const tested = await test(id);
    expect(tested).toMatchObject({ Status: 'Completed', Test: true, CallBackEvent: { CallBackEventID: id } });
    const queued = (await os.CallBackQueueInfoAsync({ SessionID, CallBackQueueID: tested.CallBackQueueID }))[0].CallBackQueueInfoResult;
    expect(queued.CallBackQueueID).toBe(tested.CallBackQueueID);
    const info = (await os.CallBackEventInfoAsync({ SessionID, CallBackEventID: id, QueueCount: 5 }))[0].CallBackEventInfoResult;
    expect(info.CallBackEventID).toBe(id);
    expect((await os.CallBackEventSetStatusAsync({ SessionID, CallBackEventID: id, Status: 'Suspended' }))[0].CallBackEventSetStatusResult).toBe(true);
    const listed = (await os.CallBackEventListExAsync({ SessionID, NetworkID: 0, MailboxID: 0, ShowInactive: true }))[0];
    expect(JSON.stringify(listed)).toContain(`"CallBackEventID":${id}`);
    receiver.reply('/node-soap12-down', { status: 503 });
    const pending = await test((await add(receiver.urlFor('/node-soap12-down'), 1)).CallBackEventID);
    const failed = await test((await add(receiver.urlFor('/node-soap12-down'), 0)).CallBackEventID);
    expect([pending.Status, failed.Status]).toEqual(['Pending', 'Error']);
    const lists = [
      ['CallBackPendingList', {}, pending],
      ['CallBackPendingListEx', { NetworkID: 0, MailboxID: 0 }, pending],
      ['CallBackFailedList', { MaxDays: 7 }, failed],
      ['CallBackFailedListEx', { NetworkID: 0, MailboxID: 0, MaxDays: 7 }, failed],
    ] as const;
    for (const [operation, params, entry] of lists) {
      const [answer] = await os[`${operation}Async`]({ SessionID, ...params });
      expect(JSON.stringify(answer), operation).toContain(`"CallBackQueueID":${entry.CallBackQueueID}`);
    }
    const missing = os.CallBackEventInfoAsync({ SessionID, CallBackEventID: 2_147_483_647, QueueCount: 0 });
    expect(await faultOf(missing)).toMatchObject({ code: 'soap:Sender', ErrorCode: 'ObjectNotFound' });
    expect((await os.LogoutAsync({ SessionID }))[0].LogoutResult).toBeGreaterThanOrEqual(0);
    expect(sent.filter((xml) => xml.includes('https://os.ecgrid.io/')).every((xml) => xml.includes(SOAP12_NS))).toBe(true);
  });
});

describe('the v4.1 WSDL', () => {
  it('declares the SOAP 1.1, SOAP 1.2, HTTP GET and HTTP POST bindings and ports the real one does', async () => {
    const wsdl = await (await fetch(`${soapEndpoint(server)}?WSDL&contract=ecgridos`)).text();
    const portsOf = (text: string) => [...text.matchAll(/<wsdl:port name="(\w+)" binding="tns:(\w+)">\s*<(\w+:address)/g)].map((m) => m.slice(1));
    expect(portsOf(wsdl)).toEqual(REAL_PORTS);
    expect(wsdl).toContain(`<http:address location="${soapEndpoint(server)}" />`);
    expect(wsdl).toContain('<http:binding verb="GET" />');
    expect(wsdl).toContain('<wsdl:part name="Body" element="tns:boolean" />');
  });

  it('gives the guide contract a SOAP 1.2 port beside its SOAP 1.1 one', async () => {
    const wsdl = await (await fetch(`${soapEndpoint(server)}?WSDL`)).text();
    expect(wsdl).toContain('<wsdl:port name="ECGridOSAPISoap12" binding="tns:ECGridOSAPISoap12">');
    expect(wsdl).toContain(`<soap12:address location="${soapEndpoint(server)}" />`);
  });
});

interface HttpAnswer {
  status: number;
  type: string | null;
  text: string;
}

async function httpGet(operation: string, query = ''): Promise<HttpAnswer> {
  const response = await fetch(`${soapEndpoint(server)}/${operation}${query === '' ? '' : `?${query}`}`);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

async function httpPost(operation: string, form: Record<string, string | number> | string, type = 'application/x-www-form-urlencoded'): Promise<HttpAnswer> {
  const body =
    typeof form === 'string' ? form : new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)])).toString();
  const response = await fetch(`${soapEndpoint(server)}/${operation}`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

const XML_DECL = '<?xml version="1.0" encoding="utf-8"?>\r\n';
const STRUCT_ROOT = (name: string) =>
  `${XML_DECL}<${name} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="${ECGRIDOS_NS}">`;

describe('HTTP GET and HTTP POST', () => {
  let session: string;

  beforeAll(async () => {
    const answer = await httpPost('Login', { LoginName: user.loginName, Password: user.password });
    expect(answer.status).toBe(200);
    session = /^<\?xml[^>]*>\r\n<string xmlns="https:\/\/os\.ecgrid\.io\/">(ghs_[^<]+)<\/string>$/.exec(answer.text)?.[1] ?? '';
    expect(session).not.toBe('');
  });

  it('answers simple results as the bare element ASMX writes, in text/xml', async () => {
    const version = await httpGet('Version');
    expect(version).toEqual({
      status: 200,
      type: 'text/xml; charset=utf-8',
      text: `${XML_DECL}<string xmlns="${ECGRIDOS_NS}">ECGridOS 4.1 (gridhook)</string>`,
    });
    const now = await httpPost('NowUTC', '');
    expect(now.text.startsWith(`${XML_DECL}<dateTime xmlns="${ECGRIDOS_NS}">`)).toBe(true);
    expect(now.text.slice(XML_DECL.length)).toMatch(/^<dateTime xmlns="[^"]+">\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z<\/dateTime>$/);
  });

  it('runs the callback operations over GET and POST with the WSDL’s parameter names', async () => {
    const added = await httpPost('CallBackAddEx', {
      SessionID: session,
      NetworkID: networkId,
      MailboxID: 0,
      UserID: 0,
      SystemObject: 'Parcel',
      ObjectStatus: 1,
      Direction: 'InBox',
      Frequency: 1,
      MaxRetries: 3,
      URL: receiver.urlFor('/http-binding'),
      HTTPAuthentication: 'None',
      HTTPUser: '',
      HTTPPassword: '',
      Status: 'Active',
    });
    expect(added.status).toBe(200);
    expect(added.text.startsWith(STRUCT_ROOT('CallBackEventIDInfo'))).toBe(true);
    const event = parser.parse(added.text).CallBackEventIDInfo;
    expect(event).toMatchObject({ NetworkID: String(networkId), Direction: 'InBox', Status: 'Active', URL: receiver.urlFor('/http-binding') });
    const id = event.CallBackEventID as string;

    const tested = await httpGet('CallBackTest', `SessionID=${session}&CallBackEventID=${id}&ParcelID=0&InterchangeID=0&UserID=0`);
    expect(tested.text.startsWith(STRUCT_ROOT('CallBackQueueIDInfo'))).toBe(true);
    expect(parser.parse(tested.text).CallBackQueueIDInfo).toMatchObject({ Status: 'Completed', Test: 'true' });
    expect(receiver.requestsTo('/http-binding')).toHaveLength(1);

    const info = await httpPost('CallBackEventInfo', { SessionID: session, CallBackEventID: id, QueueCount: 5 });
    expect(parser.parse(info.text).CallBackEventIDInfo.CallBackEventID).toBe(id);

    const set = await httpPost('CallBackEventSetStatus', { SessionID: session, CallBackEventID: id, Status: 'Suspended' });
    expect(set.text).toBe(`${XML_DECL}<boolean xmlns="${ECGRIDOS_NS}">true</boolean>`);

    const listed = await httpGet('CallBackEventListEx', `SessionID=${session}&NetworkID=0&MailboxID=0&ShowInactive=true`);
    expect(listed.text.startsWith(STRUCT_ROOT('ArrayOfCallBackEventIDInfo'))).toBe(true);
    const items = [parser.parse(listed.text).ArrayOfCallBackEventIDInfo.CallBackEventIDInfo].flat();
    expect(items.find((item) => item.CallBackEventID === id)).toMatchObject({ Status: 'Suspended' });

    const pending = await httpGet('CallBackPendingList', `SessionID=${encodeURIComponent(session)}`);
    expect(pending.text.startsWith(STRUCT_ROOT('ArrayOfCallBackQueueIDInfo'))).toBe(true);
    expect(pending.text.endsWith('</ArrayOfCallBackQueueIDInfo>')).toBe(true);

    const who = await httpGet('WhoAmI', `SessionID=${session}`);
    expect(parser.parse(who.text).SessionInfo).toMatchObject({ SessionID: session, AuthLevel: 'NetworkAdmin' });
  });

  it('answers errors with 500 and a plain-text reason naming the parameter, as ASMX does', async () => {
    const cases: [HttpAnswer, RegExp][] = [
      [await httpGet('CallBackEventInfo', `SessionID=${session}&QueueCount=1`), /^InvalidParameter: CallBackEventID: this parameter is required/],
      [await httpGet('CallBackEventInfo', `SessionID=${session}&CallBackEventID=abc&QueueCount=1`), /^InvalidParameter: CallBackEventID: must be a whole number .* got "abc"/],
      [await httpPost('CallBackEventSetStatus', { SessionID: session, CallBackEventID: 1, Status: 'active' }), /^InvalidParameter: Status: must be one of .*did you mean Active/],
      [await httpGet('WhoAmI', `SessionID=${session}&sessionid=x`), /^InvalidParameter: sessionid: WhoAmI has no parameter sessionid; did you mean SessionID\?/],
      [await httpGet('WhoAmI', `SessionID=${session}&SessionID=${session}`), /^InvalidParameter: SessionID: sent more than once/],
      [await httpGet('WhoAmI', 'SessionID=ghs_not-a-session'), /^InvalidAPIKey: /],
      [await httpGet('ParcelInBox', `SessionID=${session}`), /^InvalidParameter: ParcelInBox is not an operation of https:\/\/os\.ecgrid\.io\/ served over HTTP GET and POST; they are .*CallBackAddEx/],
      [await httpGet('callbacktest'), /Did you mean CallBackTest\?/],
      [await httpGet(''), /^InvalidParameter: Name the operation after the endpoint \(\/v4\.1\/prod\/ECGridOS\.asmx\/Operation\); they are NowUTC, /],
      [await httpPost('CallBackAdd', { SessionID: session }), /^InvalidParameter: CallBackAdd is not an operation/],
      [await httpPost('WhoAmI', `{"SessionID":"${session}"}`, 'application/json'), /^UnsupportedMediaType: Send the parameters of WhoAmI as application\/x-www-form-urlencoded/],
      [await httpPost('WhoAmI', `SessionID=${session}%00`), /^InvalidParameter: SessionID: contains characters that XML does not allow/],
      [await httpPost('WhoAmI', `SessionID=${'x'.repeat(70 * 1024)}`), /^PayloadTooLarge: /],
    ];
    for (const [answer, reason] of cases) {
      expect(answer.status, answer.text).toBe(500);
      expect(answer.type).toBe('text/plain; charset=utf-8');
      expect(answer.text).toMatch(reason);
    }
  });

  it('stores nothing from refused requests, takes entity tricks in values as plain text, and keeps serving', async () => {
    const before = await callbackCount();
    const entity = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>';
    const refused = await httpPost('CallBackAddEx', {
      SessionID: session,
      NetworkID: networkId,
      MailboxID: 0,
      UserID: 0,
      SystemObject: 'Parcel',
      ObjectStatus: 1,
      Direction: 'InBox',
      Frequency: 1,
      MaxRetries: 3,
      URL: entity,
      HTTPAuthentication: 'None',
      Status: 'Active',
    });
    expect(refused.status).toBe(500);
    expect(refused.text).toMatch(/^InvalidParameter: URL: /);
    const login = await httpPost('Login', { LoginName: entity, Password: '&e;' });
    expect(login.status).toBe(500);
    expect(login.text).not.toContain('root:');

    // Ten thousand parameters: more than a request line may carry, refused before any handler runs.
    const many = Array.from({ length: 10_000 }, (_, i) => `P${i}=${i}`).join('&');
    const flood = await fetch(`${soapEndpoint(server)}/WhoAmI?${many}`);
    expect(flood.status).toBeGreaterThanOrEqual(400);
    const floodForm = await httpPost('WhoAmI', Array.from({ length: 10_000 }, (_, i) => `p${i}`).join('&'));
    expect(floodForm.status).toBe(500);
    expect(floodForm.text).toMatch(/^InvalidParameter: p0: WhoAmI has no parameter p0/);

    expect(await callbackCount()).toBe(before);
    expect((await httpGet('Version')).status).toBe(200);
  });
});

describe.skipIf(!haveRequests && process.env.CI !== 'true')('HTTP GET and POST from Python requests and xml.etree', () => {
  it('runs the callback operations and reads the errors', async () => {
    if (!haveRequests) throw new Error(`${PYTHON} cannot import requests; install python3-requests`);
    const webhook = receiver.urlFor('/python-http');
    const { stdout } = await promisify(execFile)(PYTHON, [PYTHON_CLIENT, soapEndpoint(server), user.loginName, user.password, webhook], {
      timeout: 60_000,
      env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
    });
    const out = JSON.parse(stdout);
    const tag = (name: string) => `{${ECGRIDOS_NS}}${name}`;
    expect(out.Login).toEqual([tag('string'), true]);
    expect(out.Version).toEqual([tag('string'), 'ECGridOS 4.1 (gridhook)']);
    expect(out.CallBackAddEx).toEqual({ tag: tag('CallBackEventIDInfo'), Direction: 'OutBox', URL: webhook });
    expect(out.CallBackTest).toEqual([tag('CallBackQueueIDInfo'), 'Completed', 'true']);
    expect(out.CallBackEventSetStatus).toEqual([tag('boolean'), 'true']);
    expect(out.CallBackEventListEx).toContainEqual([expect.any(String), 'Suspended']);
    const plain = { status: 500, type: 'text/plain; charset=utf-8' };
    expect(out.errors.missing).toEqual({ ...plain, text: expect.stringMatching(/^InvalidParameter: CallBackEventID: this parameter is required/) });
    expect(out.errors.type).toEqual({ ...plain, text: expect.stringMatching(/^InvalidParameter: CallBackEventID: .*got "seven"/) });
    expect(out.errors.unknown).toEqual({ ...plain, text: expect.stringMatching(/^InvalidParameter: DeleteEverything is not an operation/) });
    expect(out.Logout).toBe(tag('int'));
    expect(receiver.requestsTo('/python-http')).toHaveLength(1);
  });
});
