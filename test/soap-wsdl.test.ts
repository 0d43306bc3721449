import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { XMLValidator } from 'fast-xml-parser';
import * as soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../src/domain/types.js';
import { ECGRIDOS_CONTRACT, GUIDE_CONTRACT } from '../src/http/soap/contracts.js';
import * as ecgridosTypes from '../src/http/soap/ecgridos-types.js';
import type { CallBackEventIDInfo, CallBackQueueIDInfo } from '../src/http/soap/ecgridos-types.js';
import type { SoapStruct } from '../src/http/soap/envelope.js';
import { GUIDE_OPERATIONS } from '../src/http/soap/guide-wsdl.js';
import type { SoapOperations } from '../src/http/soap/operations.js';
import { readEnum, readInt, readString } from '../src/http/soap/params.js';
import { SOAP_PATH, soapPlugin } from '../src/http/soap/plugin.js';
import { compileWsdl, type ContractSchema } from '../src/http/soap/schema.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const realWsdlPath = fileURLToPath(new URL('../../shared/reference/ecgridos-v4.1.wsdl', import.meta.url));
const haveRealWsdl = existsSync(realWsdlPath);

const AT = Date.UTC(2026, 4, 7, 14, 32, 0);

/** What the stub handlers were called with, by operation. */
const received = new Map<string, SoapStruct>();

function text(params: SoapStruct, name: string): string {
  return readString(params, name, { maxLength: 4096, default: '' });
}

function queueEntry(id: number): CallBackQueueIDInfo {
  return {
    CallBackQueueID: id,
    Date: AT,
    CallBackEvent: eventInfo(7001, 'https://your-app.example.com/webhooks/ecgrid'),
    CallsRemaining: 2,
    NextCall: AT + 60_000,
    Status: 'Pending',
    ObjectID: 98765,
    UserID: 1,
    Test: false,
    CallBackLog: [{ CallBackLogID: 1, Date: AT, CallNumber: 1, ReturnCode: 503, Message: 'Service Unavailable' }],
  };
}

function eventInfo(id: number, url: string): CallBackEventIDInfo {
  return {
    CallBackEventID: id,
    NetworkID: 1,
    MailboxID: 0,
    UserID: 1,
    Created: AT,
    Modified: AT,
    SystemObject: 'Parcel',
    ObjectStatus: 0,
    Direction: 'InBox',
    Frequency: 1,
    MaxCalls: 4,
    Status: 'Active',
    URL: url,
  };
}

/** Stub handlers that echo their parameters back: a harness for the SOAP layer, not product code. */
const echo: SoapOperations = {
  guide: {
    Login: async (p) => `session-for-${text(p, 'LoginName')}`,
    Logout: async () => true,
    CallBackAdd: async (p) => {
      received.set('CallBackAdd', p);
      return {
        CallBackQueueID: 7001,
        CallBackURL: text(p, 'CallBackURL'),
        CallBackEvent: readEnum(p, 'CallBackEvent', EVENT_TYPES),
        Status: 'Active',
        NetworkID: readInt(p, 'NetworkID', { default: 0 }) || 1,
        MailboxID: readInt(p, 'MailboxID', { default: 0 }),
        ECGridID: readInt(p, 'ECGridID', { default: 0 }),
        Frequency: readInt(p, 'Frequency', { default: 1 }),
        Retries: readInt(p, 'Retries', { default: 3 }),
      };
    },
    CallBackTest: async (p) => ({
      EventID: 900_000 + readInt(p, 'CallBackQueueID'),
      Delivered: false,
      HTTPStatus: 503,
      Error: 'HTTP 503',
      DurationMS: 12,
    }),
  },
  ecgridos: {
    NowUTC: async () => AT,
    Version: async () => 'gridhook test',
    Login: async (p) => `os-session-for-${text(p, 'LoginName')}`,
    Logout: async () => 0,
    WhoAmI: async (p) => ({
      SessionID: text(p, 'SessionID'),
      SessionEventID: 0,
      UserID: 1,
      LoginName: 'root',
      TimeZoneOffset: 0,
      AuthLevel: 'Root',
      LastLogin: AT,
      OpenSessions: 1,
      TimeOut: 20,
      NetworkID: 1,
      MailboxID: 0,
    }),
    CallBackAddEx: async (p) => ({ ...eventInfo(7002, text(p, 'URL')), Direction: readEnum(p, 'Direction', ecgridosTypes.Direction) }),
    CallBackQueueInfo: async (p) => queueEntry(readInt(p, 'CallBackQueueID', { max: Number.MAX_SAFE_INTEGER })),
    CallBackPendingListEx: async () => [queueEntry(1), queueEntry(2)],
  },
};

let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  app = Fastify();
  await app.register(soapPlugin, { operations: echo });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  base = `http://127.0.0.1:${port}${SOAP_PATH}`;
});

afterAll(async () => {
  await app?.close();
});

/** A GET with a Host header of our choosing, which fetch does not allow. */
function getWithHost(url: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

/** node-soap's describe() notation of an input element's fields. */
function describedInput(schema: ContractSchema, operation: string): Record<string, string> {
  const fields = schema.operations.get(operation)?.input ?? [];
  return Object.fromEntries(
    fields.map((f) => {
      const type = schema.types.get(f.type);
      return [f.name, f.builtin ? `s:${f.type}` : type?.kind === 'enum' ? `${f.type}|s:string|${type.values.join(',')}` : f.type];
    }),
  );
}

describe('serving the WSDLs', () => {
  it('serves the guide contract at ?WSDL, with this server as the address', async () => {
    for (const query of ['?WSDL', '?wsdl']) {
      const res = await fetch(`${base}${query}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
      const wsdl = await res.text();
      expect(XMLValidator.validate(wsdl)).toBe(true);
      expect(wsdl).toContain('targetNamespace="http://www.ecgridos.net/"');
      expect(wsdl).toContain('<s:schema elementFormDefault="qualified" targetNamespace="http://www.ecgridos.net/">');
      expect(wsdl).toContain(`<soap:address location="${base}" />`);
    }
  });

  it('serves the ECGridOS subset at ?WSDL&contract=ecgridos', async () => {
    const res = await fetch(`${base}?WSDL&contract=ecgridos`);
    expect(res.status).toBe(200);
    const wsdl = await res.text();
    expect(XMLValidator.validate(wsdl)).toBe(true);
    expect(wsdl).toContain('targetNamespace="https://os.ecgrid.io/"');
    expect(wsdl).toContain(`<soap:address location="${base}" />`);
    expect(await (await fetch(`${base}?WSDL&contract=guide`)).text()).toContain('targetNamespace="http://www.ecgridos.net/"');
  });

  it('answers an unknown contract with 404 naming the known ones', async () => {
    const res = await fetch(`${base}?WSDL&contract=os`);
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/contract is one of guide, ecgridos/);
  });

  it('describes the endpoint on a plain GET', async () => {
    const res = await fetch(base);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await res.text();
    expect(page).toContain('href="?WSDL&amp;contract=ecgridos"');
    expect(page).toContain('<li>CallBackAddEx</li>');
  });

  it('never writes a hostile Host header into the document', async () => {
    const wsdl = await getWithHost(`${base}?WSDL`, 'evil.example"><x:y/>');
    expect(wsdl).toContain(`<soap:address location="http://localhost${SOAP_PATH}" />`);
    expect(wsdl).not.toContain('evil');
    expect(await getWithHost(`${base}?WSDL`, 'edi.example.com:8443')).toContain(
      `<soap:address location="http://edi.example.com:8443${SOAP_PATH}" />`,
    );
  });

  it('uses publicUrl, when set, as the address', async () => {
    const proxied = Fastify();
    await proxied.register(soapPlugin, { operations: {}, publicUrl: 'https://edi.example.com/' });
    const res = await proxied.inject({ method: 'GET', url: `${SOAP_PATH}?WSDL&contract=ecgridos` });
    expect(res.body).toContain(`<soap:address location="https://edi.example.com${SOAP_PATH}" />`);
    await proxied.close();
  });
});

describe("node-soap with the guide's contract", () => {
  it('builds a client whose operations and inputs are the guide’s', async () => {
    const client = await soap.createClientAsync(`${base}?WSDL`);
    const ops = (client.describe() as Record<string, Record<string, Record<string, { input: unknown }>>>).ECGridOSAPI?.ECGridOSAPISoap;
    const events = 'CallBackEventType|s:string|InBox,OutBox,InBoxError,OutBoxError,ConfirmDelivery';
    expect(Object.keys(ops ?? {})).toEqual([...GUIDE_OPERATIONS]);
    expect(ops?.Login?.input).toEqual({ LoginName: 's:string', Password: 's:string' });
    expect(ops?.Logout?.input).toEqual({ SessionID: 's:string' });
    expect(ops?.CallBackAdd?.input).toEqual({
      SessionID: 's:string',
      NetworkID: 's:int',
      MailboxID: 's:int',
      ECGridID: 's:int',
      CallBackURL: 's:string',
      CallBackEvent: events,
      Frequency: 's:int',
      Retries: 's:int',
    });
    expect(ops?.CallBackTest?.input).toEqual({ SessionID: 's:string', CallBackQueueID: 's:int' });
  });

  it('logs in, adds and tests a callback, and logs out as the guide’s C# sample does', async () => {
    const client = await soap.createClientAsync(`${base}?WSDL`);
    const [login] = await client.LoginAsync({ LoginName: 'acme', Password: 'secret' });
    expect(login.LoginResult).toBe('session-for-acme');
    const [added] = await client.CallBackAddAsync({
      SessionID: login.LoginResult,
      NetworkID: 0,
      MailboxID: 0,
      ECGridID: 0,
      CallBackURL: 'https://your-app.example.com/webhooks/ecgrid?a=1&b=2',
      CallBackEvent: 'InBox',
      Frequency: 1,
      Retries: 3,
    });
    expect(added.CallBackAddResult).toEqual({
      CallBackQueueID: 7001,
      CallBackURL: 'https://your-app.example.com/webhooks/ecgrid?a=1&b=2',
      CallBackEvent: 'InBox',
      Status: 'Active',
      NetworkID: 1,
      MailboxID: 0,
      ECGridID: 0,
      Frequency: 1,
      Retries: 3,
    });
    const [tested] = await client.CallBackTestAsync({ SessionID: login.LoginResult, CallBackQueueID: added.CallBackAddResult.CallBackQueueID });
    expect(tested.CallBackTestResult).toEqual({ EventID: 907001, Delivered: false, HTTPStatus: 503, Error: 'HTTP 503', DurationMS: 12 });
    const [out] = await client.LogoutAsync({ SessionID: login.LoginResult });
    expect(out.LogoutResult).toBe(true);
  });

  it('surfaces a fault with its ErrorInfo', async () => {
    const client = await soap.createClientAsync(`${base}?WSDL`);
    const failure = await client
      .CallBackAddAsync({ SessionID: 's', NetworkID: 0, MailboxID: 0, ECGridID: 0, CallBackURL: 'u', CallBackEvent: 'Inbox', Frequency: 1, Retries: 3 })
      .then(
        () => undefined,
        (error: { root?: { Envelope: { Body: { Fault: { faultcode: string; detail: { ErrorInfo: Record<string, unknown> } } } } } }) => error,
      );
    const fault = failure?.root?.Envelope.Body.Fault;
    expect(fault?.faultcode).toBe('soap:Client');
    expect(fault?.detail.ErrorInfo).toMatchObject({ ErrorCode: 'InvalidParameter', ErrorItem: 'CallBackEvent' });
  });
});

describe('node-soap with the ECGridOS subset', () => {
  it('builds a client listing the fifteen operations with the real WSDL’s inputs', async () => {
    const client = await soap.createClientAsync(`${base}?WSDL&contract=ecgridos`);
    const services = client.describe() as Record<string, Record<string, Record<string, { input: unknown }>>>;
    const ops = services.ECGridOS_x0020_API_x0020_v4?.ECGridOS_x0020_API_x0020_v4Soap ?? {};
    expect(Object.keys(ops).sort()).toEqual([...ecgridosTypes.ECGRIDOS_OPERATIONS].sort());
    for (const name of ecgridosTypes.ECGRIDOS_OPERATIONS) {
      expect(ops[name]?.input, name).toEqual(describedInput(ECGRIDOS_CONTRACT.schema, name));
    }
    expect(ops.CallBackAddEx?.input).toEqual({
      SessionID: 's:string',
      NetworkID: 's:int',
      MailboxID: 's:int',
      UserID: 's:int',
      SystemObject: `Objects|s:string|${ecgridosTypes.Objects.join(',')}`,
      ObjectStatus: 's:short',
      Direction: 'Direction|s:string|NoDir,OutBox,InBox',
      Frequency: 's:short',
      MaxRetries: 's:short',
      URL: 's:string',
      HTTPAuthentication: 'HTTPAuthType|s:string|None,Basic,Digest,Certificate',
      HTTPUser: 's:string',
      HTTPPassword: 's:string',
      Status: 'Status|s:string|Development,Active,Preproduction,Suspended,Terminated',
    });
  });

  it('calls operations and reads back nested results, arrays and dates', async () => {
    const client = await soap.createClientAsync(`${base}?WSDL&contract=ecgridos`);
    expect((await client.VersionAsync({}))[0].VersionResult).toBe('gridhook test');
    expect((await client.NowUTCAsync({}))[0].NowUTCResult).toEqual(new Date(AT));
    expect((await client.LoginAsync({ LoginName: 'acme', Password: 'p' }))[0].LoginResult).toBe('os-session-for-acme');
    expect((await client.LogoutAsync({ SessionID: 's' }))[0].LogoutResult).toBe(0);
    expect((await client.WhoAmIAsync({ SessionID: 'abc' }))[0].WhoAmIResult).toMatchObject({ SessionID: 'abc', AuthLevel: 'Root', TimeOut: 20 });

    const [info] = await client.CallBackQueueInfoAsync({ SessionID: 's', CallBackQueueID: 900123 });
    expect(info.CallBackQueueInfoResult).toMatchObject({
      CallBackQueueID: 900123,
      Status: 'Pending',
      Test: false,
      CallBackEvent: { CallBackEventID: 7001, SystemObject: 'Parcel', Direction: 'InBox', URL: 'https://your-app.example.com/webhooks/ecgrid' },
      CallBackLog: { CallBackLogInfo: [{ CallBackLogID: 1, CallNumber: 1, ReturnCode: 503, Message: 'Service Unavailable' }] },
    });

    const [pending] = await client.CallBackPendingListExAsync({ SessionID: 's', NetworkID: 1, MailboxID: 0 });
    expect(pending.CallBackPendingListExResult.CallBackQueueIDInfo.map((q: { CallBackQueueID: number }) => q.CallBackQueueID)).toEqual([1, 2]);

    const [added] = await client.CallBackAddExAsync({
      SessionID: 's',
      NetworkID: 0,
      MailboxID: 0,
      UserID: 0,
      SystemObject: 'Parcel',
      ObjectStatus: 0,
      Direction: 'OutBox',
      Frequency: 1,
      MaxRetries: 3,
      URL: 'https://h/x',
      HTTPAuthentication: 'None',
      Status: 'Active',
    });
    expect(added.CallBackAddExResult).toMatchObject({ CallBackEventID: 7002, Direction: 'OutBox', URL: 'https://h/x' });
  });

  it('answers an operation with no handler yet with a Server fault', async () => {
    const client = await soap.createClientAsync(`${base}?WSDL&contract=ecgridos`);
    const failure = await client.CallBackEventSetStatusAsync({ SessionID: 's', CallBackEventID: 1, Status: 'Active' }).then(
      () => undefined,
      (error: { root?: { Envelope: { Body: { Fault: { faultcode: string; detail: { ErrorInfo: Record<string, unknown> } } } } } }) => error,
    );
    expect(failure?.root?.Envelope.Body.Fault.faultcode).toBe('soap:Server');
    expect(failure?.root?.Envelope.Body.Fault.detail.ErrorInfo.ErrorCode).toBe('ServiceUnavailable');
  });
});

describe("the guide's raw envelopes over HTTP", () => {
  const sessionId = 'YOUR_SESSION_ID';
  const javaAndPython =
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"' +
    ' xmlns:ecg="http://www.ecgridos.net/"><soap:Body><ecg:CallBackAdd>' +
    '<ecg:SessionID>' +
    sessionId +
    '</ecg:SessionID>' +
    '<ecg:NetworkID>0</ecg:NetworkID><ecg:MailboxID>0</ecg:MailboxID>' +
    '<ecg:ECGridID>0</ecg:ECGridID>' +
    '<ecg:CallBackURL>https://your-app.example.com/webhooks/ecgrid</ecg:CallBackURL>' +
    '<ecg:CallBackEvent>InBox</ecg:CallBackEvent>' +
    '<ecg:Frequency>1</ecg:Frequency><ecg:Retries>3</ecg:Retries>' +
    '</ecg:CallBackAdd></soap:Body></soap:Envelope>';
  const node = `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
xmlns:ecg="http://www.ecgridos.net/">
<soap:Body><ecg:CallBackAdd>
<ecg:SessionID>${sessionId}</ecg:SessionID>
<ecg:NetworkID>0</ecg:NetworkID><ecg:MailboxID>0</ecg:MailboxID>
<ecg:ECGridID>0</ecg:ECGridID>
<ecg:CallBackURL>https://your-app.example.com/webhooks/ecgrid</ecg:CallBackURL>
<ecg:CallBackEvent>InBox</ecg:CallBackEvent>
<ecg:Frequency>1</ecg:Frequency><ecg:Retries>3</ecg:Retries>
</ecg:CallBackAdd></soap:Body>
</soap:Envelope>`;

  it.each([
    ['Java', javaAndPython, 'string'],
    ['Node.js', node, 'string'],
    ['Python', javaAndPython, 'utf-8 bytes'],
  ])('the %s sample, with its headers, registers the callback', async (_name, envelope, encoding) => {
    received.delete('CallBackAdd');
    const res = await fetch(base, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '"http://www.ecgridos.net/CallBackAdd"' },
      body: encoding === 'string' ? envelope : new TextEncoder().encode(envelope),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    const answer = await res.text();
    expect(answer).toContain('<CallBackAddResponse xmlns="http://www.ecgridos.net/"><CallBackAddResult><CallBackQueueID>7001</CallBackQueueID>');
    expect({ ...received.get('CallBackAdd') }).toEqual({
      SessionID: sessionId,
      NetworkID: '0',
      MailboxID: '0',
      ECGridID: '0',
      CallBackURL: 'https://your-app.example.com/webhooks/ecgrid',
      CallBackEvent: 'InBox',
      Frequency: '1',
      Retries: '3',
    });
  });
});

describe('faithful to the real ECGridOS WSDL', () => {
  it('declares the guide contract’s operations with its SOAPActions and the five events', () => {
    const schema = GUIDE_CONTRACT.schema;
    expect([...schema.operations.keys()]).toEqual([...GUIDE_OPERATIONS]);
    for (const op of schema.operations.values()) expect(op.soapAction).toBe(`http://www.ecgridos.net/${op.name}`);
    expect(schema.types.get('CallBackEventType')).toEqual({ kind: 'enum', name: 'CallBackEventType', values: EVENT_TYPES });
    expect(schema.operations.get('CallBackAdd')?.result?.type).toBe('CallBackInfo');
  });

  it('exports each enumeration of the subset with the values its WSDL declares', () => {
    const exported = ecgridosTypes as unknown as Record<string, unknown>;
    const enums = [...ECGRIDOS_CONTRACT.schema.types.values()].filter((t) => t.kind === 'enum');
    expect(enums.map((e) => e.name).sort()).toEqual(['AuthLevel', 'Direction', 'HTTPAuthType', 'Objects', 'Status', 'StatusCallBack']);
    for (const e of enums) expect(exported[e.name], e.name).toEqual(e.values);
    expect(ecgridosTypes.StatusCallBack).toEqual(['Active', 'Pending', 'Completed', 'Error', 'Canceled']);
  });

  it.skipIf(!haveRealWsdl)('serves exactly the real WSDL’s operations, SOAPActions, elements and types', () => {
    const real = compileWsdl(readFileSync(realWsdlPath, 'utf8'), ecgridosTypes.ECGRIDOS_OPERATIONS);
    expect(ECGRIDOS_CONTRACT.schema).toEqual(real);
    expect(ECGRIDOS_CONTRACT.schema.types.size).toBe(14);
  });

  it.skipIf(!haveRealWsdl)('copies its declarations line for line, in the real order', () => {
    const realLines = readFileSync(realWsdlPath, 'utf8').split(/\r?\n/);
    const served = ECGRIDOS_CONTRACT.wsdl('http://localhost/').split('\n');
    const from = served.indexOf('  <wsdl:types>');
    const to = served.indexOf('  </wsdl:binding>');
    let cursor = 0;
    for (const line of served.slice(from, to + 1)) {
      const found = realLines.indexOf(line, cursor);
      expect(found, line).toBeGreaterThanOrEqual(0);
      cursor = found + 1;
    }
  });

  it.skipIf(!haveRealWsdl)('is what scripts/extract-ecgridos-wsdl.mjs writes today', () => {
    const run = spawnSync(process.execPath, ['scripts/extract-ecgridos-wsdl.mjs', '--check', realWsdlPath], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
