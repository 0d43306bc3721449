import Fastify, { type FastifyInstance } from 'fastify';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GridhookError, notFound } from '../src/errors.js';
import { buildRegistry, type SoapOperations } from '../src/http/soap/operations.js';
import { readString } from '../src/http/soap/params.js';
import { SOAP_PATH, soapPlugin } from '../src/http/soap/plugin.js';

const GUIDE = 'http://www.ecgridos.net/';
const OS = 'https://os.ecgrid.io/';
const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';

const operations: SoapOperations = {
  guide: {
    Login: async (p) => `session-for-${readString(p, 'LoginName', { maxLength: 64 })}`,
    CallBackTest: async () => {
      throw notFound('Callback', 42);
    },
    Logout: async () => {
      throw new GridhookError('RateLimitExceeded', 'Too many requests; retry in 7 seconds.', { retryAfterSeconds: 7 });
    },
  },
  ecgridos: {
    Version: async () => {
      throw new Error('SQLITE_CORRUPT: database disk image is malformed at /var/lib/gridhook/gridhook.db');
    },
    NowUTC: async () => 'not a date' as unknown as number,
    Login: async () => 'os-session',
  },
};

let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  app = Fastify();
  // A parent parser for text/xml must not stop the plugin from reading its own bodies.
  app.addContentTypeParser('text/xml', (_request, _payload, done) => done(new Error('parent parser used')));
  await app.register(soapPlugin, { operations, bodyLimit: 4_096 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}${SOAP_PATH}`;
});

afterAll(async () => {
  await app?.close();
});

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP}"><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

const login = (ns: string) => envelope(`<Login xmlns="${ns}"><LoginName>acme</LoginName><Password>p</Password></Login>`);

async function post(body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', ...headers }, body });
}

interface Fault {
  faultcode: string;
  faultstring: string;
  detail: { ErrorInfo: { ErrorCode: string; ErrorString: string; ErrorItem: string; ErrorMessage: string } };
}

/** Posts and expects a SOAP 1.1 fault: HTTP 500, text/xml, the fault parsed. */
async function fault(body: string, headers: Record<string, string> = {}): Promise<Fault> {
  const res = await post(body, headers);
  expect(res.status).toBe(500);
  expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
  const parsed = new XMLParser({ removeNSPrefix: true, parseTagValue: false, htmlEntities: true }).parse(await res.text()) as {
    Envelope: { Body: { Fault: Fault } };
  };
  const f = parsed.Envelope.Body.Fault;
  f.detail.ErrorInfo.ErrorItem ??= '';
  return f;
}

describe('dispatch', () => {
  it('routes the same operation name to the contract its namespace names', async () => {
    expect(await (await post(login(GUIDE))).text()).toContain('<LoginResult>session-for-acme</LoginResult>');
    expect(await (await post(login(OS))).text()).toContain('<LoginResponse xmlns="https://os.ecgrid.io/"><LoginResult>os-session</LoginResult>');
  });

  it('accepts application/soap+xml, with an action parameter that matches', async () => {
    const res = await post(login(GUIDE), { 'content-type': `application/soap+xml; charset=utf-8; action="${GUIDE}Login"` });
    expect(res.status).toBe(200);
  });

  it('accepts a matching, an empty, or no SOAPAction', async () => {
    for (const action of [`"${GUIDE}Login"`, `${GUIDE}Login`, '""', undefined]) {
      const res = await post(login(GUIDE), action === undefined ? {} : { SOAPAction: action });
      expect(res.status, String(action)).toBe(200);
    }
  });

  it('refuses a SOAPAction that names another operation or contract', async () => {
    for (const action of [`"${GUIDE}Logout"`, `"${OS}Login"`]) {
      const f = await fault(login(GUIDE), { SOAPAction: action });
      expect(f.faultcode).toBe('soap:Client');
      expect(f.detail.ErrorInfo.ErrorItem).toBe('SOAPAction');
    }
  });

  it('refuses an operation its namespace does not have, pointing at the WSDL', async () => {
    const f = await fault(envelope(`<CallBackAddEx xmlns="${GUIDE}"/>`));
    expect(f.faultcode).toBe('soap:Client');
    expect(f.faultstring).toBe(`CallBackAddEx is not an operation of ${GUIDE}; see ${SOAP_PATH}?WSDL.`);
    expect((await fault(envelope(`<CallBackAdd xmlns="${OS}"/>`))).faultstring).toContain('?WSDL&contract=ecgridos');
  });

  it('refuses an unknown namespace, naming the two it serves', async () => {
    const f = await fault(envelope('<Login xmlns="http://www.ecgridos.net"/>'));
    expect(f.faultcode).toBe('soap:Client');
    expect(f.faultstring).toMatch(/"http:\/\/www\.ecgridos\.net\/" and "https:\/\/os\.ecgrid\.io\/" \(note the trailing slash\)/);
  });

  it('refuses a misspelt parameter before the handler runs', async () => {
    const f = await fault(envelope(`<Login xmlns="${GUIDE}"><Loginname>a</Loginname></Login>`));
    expect(f.detail.ErrorInfo).toMatchObject({ ErrorCode: 'InvalidParameter', ErrorItem: 'Loginname' });
    expect(f.faultstring).toMatch(/did you mean LoginName\?/);
  });

  it('answers an operation without a handler with ServiceUnavailable', async () => {
    const f = await fault(envelope(`<CallBackAdd xmlns="${GUIDE}"/>`));
    expect(f.faultcode).toBe('soap:Server');
    expect(f.detail.ErrorInfo.ErrorCode).toBe('ServiceUnavailable');
  });

  it('refuses at startup a handler for an operation the WSDL does not declare', () => {
    const typo = { guide: { CallBackAddEx: async () => 'x' } } as unknown as SoapOperations;
    expect(() => buildRegistry(typo)).toThrow(/CallBackAddEx has no operation in the guide WSDL/);
  });
});

describe('faults', () => {
  it('renders a handler’s GridhookError with its code, field and message', async () => {
    const f = await fault(envelope(`<CallBackTest xmlns="${GUIDE}"><SessionID>s</SessionID><CallBackQueueID>42</CallBackQueueID></CallBackTest>`));
    expect(f).toEqual({
      faultcode: 'soap:Client',
      faultstring: 'Callback 42 was not found.',
      detail: {
        ErrorInfo: {
          ErrorCode: 'ObjectNotFound',
          ErrorString: 'Object not found',
          ErrorItem: '',
          ErrorMessage: 'Callback 42 was not found.',
        },
      },
    });
  });

  it('sends Retry-After with RateLimitExceeded, and qualifies ErrorInfo with the contract’s namespace', async () => {
    const res = await post(envelope(`<Logout xmlns="${GUIDE}"><SessionID>s</SessionID></Logout>`));
    expect(res.status).toBe(500);
    expect(res.headers.get('retry-after')).toBe('7');
    const body = await res.text();
    expect(body).toContain('<ErrorInfo xmlns="http://www.ecgridos.net/"><ErrorCode>RateLimitExceeded</ErrorCode>');
  });

  it('answers an unexpected error as soap:Server InternalError, leaking nothing', async () => {
    const res = await post(envelope(`<Version xmlns="${OS}"/>`));
    const body = await res.text();
    expect(res.status).toBe(500);
    expect(body).toContain('<faultcode>soap:Server</faultcode>');
    expect(body).toContain('<ErrorCode>InternalError</ErrorCode>');
    expect(body).toContain('<ErrorInfo xmlns="https://os.ecgrid.io/">');
    expect(body).not.toMatch(/SQLITE|malformed|\/var\/lib/);
  });

  it('answers a result that does not fit the WSDL as soap:Server InternalError', async () => {
    const f = await fault(envelope(`<NowUTC xmlns="${OS}"/>`));
    expect(f.faultcode).toBe('soap:Server');
    expect(f.detail.ErrorInfo.ErrorCode).toBe('InternalError');
    expect(f.faultstring).not.toMatch(/NowUTCResult|epoch/);
  });
});

describe('what is not a SOAP 1.1 request', () => {
  it('refuses malformed XML, non-XML and an empty body as Client faults', async () => {
    for (const body of [envelope(`<Login xmlns="${GUIDE}">`), '{"json": true}', '']) {
      const f = await fault(body);
      expect(f.faultcode).toBe('soap:Client');
      expect(f.detail.ErrorInfo).toMatchObject({ ErrorCode: 'InvalidParameter', ErrorItem: 'Envelope' });
    }
  });

  it('refuses a DOCTYPE over HTTP', async () => {
    const f = await fault(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${login(GUIDE)}`);
    expect(f.faultstring).toMatch(/DOCTYPE/);
  });

  it('refuses a body over the limit, with or without Content-Length, as PayloadTooLarge', async () => {
    const big = envelope(`<Login xmlns="${GUIDE}"><LoginName>${'x'.repeat(5_000)}</LoginName></Login>`);
    expect((await fault(big)).detail.ErrorInfo.ErrorCode).toBe('PayloadTooLarge');
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: chunked, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('<ErrorCode>PayloadTooLarge</ErrorCode>');
  });

  it('refuses another Content-Type as UnsupportedMediaType', async () => {
    for (const type of ['application/json', 'text/plain']) {
      const f = await fault('{"LoginName":"a"}', { 'content-type': type });
      expect(f.faultcode).toBe('soap:Client');
      expect(f.detail.ErrorInfo).toMatchObject({ ErrorCode: 'UnsupportedMediaType', ErrorItem: 'Content-Type' });
      expect(f.faultstring).toMatch(/text\/xml/);
    }
  });

  it('answers an envelope in neither SOAP namespace with soap:VersionMismatch', async () => {
    const f = await fault(`<e:Envelope xmlns:e="urn:not-soap"><e:Body><Login xmlns="${GUIDE}"/></e:Body></e:Envelope>`);
    expect(f.faultcode).toBe('soap:VersionMismatch');
  });

  it('answers a mustUnderstand header with soap:MustUnderstand', async () => {
    const f = await fault(
      `<soap:Envelope xmlns:soap="${SOAP}"><soap:Header><s:Security xmlns:s="urn:wsse" soap:mustUnderstand="1"/></soap:Header><soap:Body><Login xmlns="${GUIDE}"/></soap:Body></soap:Envelope>`,
    );
    expect(f.faultcode).toBe('soap:MustUnderstand');
  });
});
