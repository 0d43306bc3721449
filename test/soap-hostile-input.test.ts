/**
 * Bad and hostile requests to the SOAP endpoint of the full application (buildApp, as `gridhook
 * serve` runs it): each answered with a SOAP 1.1 fault from the one error registry, none a
 * crash, and the server answering normally afterwards. The envelope reader's own tests
 * (soap-envelope.test.ts) go through every case in detail; these prove the wiring.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from './helpers/server.js';
import { ECGRIDOS_NS, envelope, GUIDE_NS, postSoap, soapOk, SOAP_ENV_NS, type SoapAnswer } from './helpers/soap.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

/** Expects a SOAP 1.1 fault (HTTP 500, text/xml) with this faultcode and ErrorCode. */
function expectFault(answer: SoapAnswer, faultcode: string, errorCode: string, errorItem?: string) {
  expect(answer.status, answer.text).toBe(500);
  expect(answer.headers.get('content-type')).toBe('text/xml; charset=utf-8');
  expect(answer.fault?.faultcode, answer.text).toBe(faultcode);
  expect(answer.fault?.detail.ErrorInfo.ErrorCode, answer.text).toBe(errorCode);
  if (errorItem !== undefined) expect(answer.fault?.detail.ErrorInfo.ErrorItem).toBe(errorItem);
  return answer.fault!;
}

const wrap = (body: string) =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP_ENV_NS}"><soap:Body>${body}</soap:Body></soap:Envelope>`;

describe('malformed and misaddressed requests', () => {
  it('refuses what is not well-formed XML, or not XML, or nothing', async () => {
    const cases = [
      `<soap:Envelope xmlns:soap="${SOAP_ENV_NS}"><soap:Body><Version xmlns="${ECGRIDOS_NS}"></soap:Body></soap:Envelope>`,
      'Version please',
      '',
      '{"LoginName": "root"}',
    ];
    for (const body of cases) {
      const fault = expectFault(await postSoap(server, body), 'soap:Client', 'InvalidParameter', 'Envelope');
      expect(fault.faultstring, body).toMatch(/not well-formed|not XML|empty/);
    }
  });

  it('refuses a namespace it does not serve, naming the two it does', async () => {
    const fault = expectFault(
      await postSoap(server, wrap('<Version xmlns="https://os.ecgrid.io"/>')),
      'soap:Client',
      'InvalidParameter',
    );
    expect(fault.faultstring).toMatch(/"http:\/\/www\.ecgridos\.net\/" and "https:\/\/os\.ecgrid\.io\/" \(note the trailing slash\)/);
  });

  it('refuses an unknown operation, pointing at the WSDL', async () => {
    const fault = expectFault(await postSoap(server, wrap(`<ParcelInBox xmlns="${ECGRIDOS_NS}"/>`)), 'soap:Client', 'InvalidParameter');
    expect(fault.faultstring).toBe(
      'ParcelInBox is not an operation of https://os.ecgrid.io/; see /v4.1/prod/ECGridOS.asmx?WSDL&contract=ecgridos.',
    );
  });

  it('refuses a SOAPAction naming another operation', async () => {
    const answer = await postSoap(server, envelope(ECGRIDOS_NS, 'Version'), { SOAPAction: `"${GUIDE_NS}Login"` });
    expectFault(answer, 'soap:Client', 'InvalidParameter', 'SOAPAction');
  });

  it('answers an Envelope in neither SOAP namespace with VersionMismatch', async () => {
    const body = `<env:Envelope xmlns:env="urn:soap-0.9"><env:Body><Version xmlns="${ECGRIDOS_NS}"/></env:Body></env:Envelope>`;
    const fault = expectFault(await postSoap(server, body), 'soap:VersionMismatch', 'InvalidParameter');
    expect(fault.faultstring).toMatch(/speaks SOAP 1\.1 .* and SOAP 1\.2 .*"urn:soap-0\.9"/);
  });

  it('refuses a body that is not text/xml with UnsupportedMediaType, in SOAP; the REST API keeps its own answers', async () => {
    const answer = await postSoap(server, '{}', { 'content-type': 'application/json' });
    expectFault(answer, 'soap:Client', 'UnsupportedMediaType', 'Content-Type');
    const rest = await call(server, 'POST', '/v2/callbacks/create', undefined, {
      rawBody: envelope(GUIDE_NS, 'Login'),
      headers: { 'content-type': 'text/xml' },
    });
    expect(rest.status).toBe(415);
    expect(rest.body).toMatchObject({ success: false, errorCode: 'UnsupportedMediaType' });
  });
});

describe('parameters', () => {
  const withKey = (params: Record<string, string | number>) => ({ SessionID: server.rootKey, ...params });

  it('refuses a missing required parameter by name', async () => {
    const answer = await postSoap(server, envelope(GUIDE_NS, 'CallBackTest', withKey({})));
    const fault = expectFault(answer, 'soap:Client', 'InvalidParameter', 'CallBackQueueID');
    expect(fault.faultstring).toBe('CallBackQueueID: this parameter is required and was not sent (or was empty).');
  });

  it('refuses mistyped values, saying what is accepted', async () => {
    const cases: Array<[string, string, Record<string, string | number>, string, RegExp]> = [
      [GUIDE_NS, 'CallBackTest', { CallBackQueueID: 'seven' }, 'CallBackQueueID', /whole number from 1 to 2147483647, got "seven"/],
      [GUIDE_NS, 'CallBackTest', { CallBackQueueID: '99999999999' }, 'CallBackQueueID', /whole number/],
      [ECGRIDOS_NS, 'CallBackEventListEx', { NetworkID: 0, MailboxID: 0, ShowInactive: 'yes' }, 'ShowInactive', /true or false/],
      [ECGRIDOS_NS, 'CallBackEventSetStatus', { CallBackEventID: 1, Status: 'active' }, 'Status', /did you mean Active\?/],
      [ECGRIDOS_NS, 'CallBackFailedList', { MaxDays: 40_000 }, 'MaxDays', /from 0 to 32767/],
    ];
    for (const [ns, op, params, item, message] of cases) {
      const fault = expectFault(await postSoap(server, envelope(ns, op, withKey(params))), 'soap:Client', 'InvalidParameter', item);
      expect(fault.faultstring, `${op} ${item}`).toMatch(message);
    }
  });

  it('refuses a parameter the operation does not have, with the right spelling', async () => {
    const answer = await postSoap(server, envelope(GUIDE_NS, 'CallBackTest', withKey({ CallBackQueueId: 7001 })));
    const fault = expectFault(answer, 'soap:Client', 'InvalidParameter', 'CallBackQueueId');
    expect(fault.faultstring).toMatch(/did you mean CallBackQueueID\?/);
  });

  it('refuses a parameter in the other contract’s namespace', async () => {
    const body = wrap(`<CallBackTest xmlns="${GUIDE_NS}"><SessionID>k</SessionID><o:CallBackQueueID xmlns:o="${ECGRIDOS_NS}">1</o:CallBackQueueID></CallBackTest>`);
    expectFault(await postSoap(server, body), 'soap:Client', 'InvalidParameter', 'CallBackQueueID');
  });
});

describe('hostile XML', () => {
  it('refuses an oversized body before reading it all', async () => {
    const padding = 'x'.repeat(70 * 1024);
    const answer = await postSoap(server, envelope(GUIDE_NS, 'Login', { LoginName: padding, Password: 'p' }));
    expectFault(answer, 'soap:Client', 'PayloadTooLarge', 'Envelope');
  });

  it('refuses external entities (XXE) without reading the file', async () => {
    const body =
      '<?xml version="1.0"?><!DOCTYPE soap:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
      wrap(`<Login xmlns="${GUIDE_NS}"><LoginName>&xxe;</LoginName><Password>p</Password></Login>`).replace(/^<\?xml[^>]*>/, '');
    const answer = await postSoap(server, body);
    const fault = expectFault(answer, 'soap:Client', 'InvalidParameter', 'Envelope');
    expect(fault.faultstring).toMatch(/DOCTYPE and ENTITY declarations are not allowed/);
    expect(answer.text).not.toContain('root:');
  });

  it('refuses entity expansion (billion laughs) at once', async () => {
    const entities = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    const body = `<?xml version="1.0"?><!DOCTYPE lolz [${entities.join('')}]>${wrap(`<Login xmlns="${GUIDE_NS}"><LoginName>&lol9;</LoginName></Login>`)}`;
    const started = Date.now();
    expectFault(await postSoap(server, body), 'soap:Client', 'InvalidParameter', 'Envelope');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses deep nesting', async () => {
    const depth = 5_000;
    const body = wrap(`<Login xmlns="${GUIDE_NS}"><LoginName>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</LoginName></Login>`);
    const fault = expectFault(await postSoap(server, body), 'soap:Client', 'InvalidParameter');
    expect(fault.faultstring).toMatch(/nests deeper than 32 elements/);
  });

  it('still answers normally after all of the above', async () => {
    expect(await soapOk(server, ECGRIDOS_NS, 'Version')).toBe('ECGridOS 4.1 (gridhook)');
    expect((await call(server, 'GET', '/healthz', undefined, { key: null })).status).toBe(200);
  });
});
