import { describe, expect, it } from 'vitest';
import { checkSoapAction, parseSoapEnvelope, soapActionOf, type SoapRequest } from '../src/http/soap/envelope.js';
import { SoapRequestError } from '../src/http/soap/fault.js';

const GUIDE = 'http://www.ecgridos.net/';
const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const sessionId = 'YOUR_SESSION_ID';

// The guide's three raw envelopes, character for character.
const JAVA =
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

const NODE = `<?xml version="1.0" encoding="utf-8"?>
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

const PYTHON =
  '<?xml version="1.0" encoding="utf-8"?>' +
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns:ecg="http://www.ecgridos.net/">' +
  '<soap:Body><ecg:CallBackAdd>' +
  '<ecg:SessionID>' +
  sessionId +
  '</ecg:SessionID>' +
  '<ecg:NetworkID>0</ecg:NetworkID><ecg:MailboxID>0</ecg:MailboxID>' +
  '<ecg:ECGridID>0</ecg:ECGridID>' +
  '<ecg:CallBackURL>https://your-app.example.com/webhooks/ecgrid</ecg:CallBackURL>' +
  '<ecg:CallBackEvent>InBox</ecg:CallBackEvent>' +
  '<ecg:Frequency>1</ecg:Frequency><ecg:Retries>3</ecg:Retries>' +
  '</ecg:CallBackAdd></soap:Body></soap:Envelope>';

const CALLBACK_ADD_PARAMS = {
  SessionID: sessionId,
  NetworkID: '0',
  MailboxID: '0',
  ECGridID: '0',
  CallBackURL: 'https://your-app.example.com/webhooks/ecgrid',
  CallBackEvent: 'InBox',
  Frequency: '1',
  Retries: '3',
};

function envelope(body: string, declarations = ''): string {
  return `<soap:Envelope xmlns:soap="${SOAP}"${declarations}><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

/** The SoapRequestError a parse throws, for its fault code, registry code and message. */
function refusal(xml: string, limits?: Parameters<typeof parseSoapEnvelope>[1]): SoapRequestError {
  try {
    parseSoapEnvelope(xml, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(SoapRequestError);
    return error as SoapRequestError;
  }
  throw new Error('expected the envelope to be refused');
}

/** Plain objects, for comparing: params have no prototype. */
function plain(value: SoapRequest | SoapRequest['params']): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe("the guide's raw envelopes", () => {
  it.each([
    ['Java', JAVA],
    ['Node.js', NODE],
    ['Python', PYTHON],
  ])('the %s sample parses to CallBackAdd with its eight parameters', (_name, xml) => {
    expect(plain(parseSoapEnvelope(xml))).toEqual({
      version: '1.1',
      namespace: GUIDE,
      operation: 'CallBackAdd',
      params: CALLBACK_ADD_PARAMS,
    });
  });
});

describe('namespace prefixes', () => {
  const children = (prefix: string) =>
    `<${prefix}SessionID>s</${prefix}SessionID><${prefix}CallBackQueueID>7</${prefix}CallBackQueueID>`;
  const expected = { version: '1.1', namespace: GUIDE, operation: 'CallBackTest', params: { SessionID: 's', CallBackQueueID: '7' } };

  it.each([
    ['ecg: on the Envelope', envelope(`<ecg:CallBackTest>${children('ecg:')}</ecg:CallBackTest>`, ` xmlns:ecg="${GUIDE}"`)],
    ['tns: on the operation', envelope(`<tns:CallBackTest xmlns:tns="${GUIDE}">${children('tns:')}</tns:CallBackTest>`)],
    ['ns1: on the Body', `<soap:Envelope xmlns:soap="${SOAP}"><soap:Body xmlns:ns1="${GUIDE}"><ns1:CallBackTest>${children('ns1:')}</ns1:CallBackTest></soap:Body></soap:Envelope>`],
    ['a default xmlns', envelope(`<CallBackTest xmlns="${GUIDE}">${children('')}</CallBackTest>`)],
    ['unqualified children', envelope(`<e:CallBackTest xmlns:e="${GUIDE}">${children('')}</e:CallBackTest>`)],
    ['another envelope prefix', `<S:Envelope xmlns:S="${SOAP}"><S:Header/><S:Body><CallBackTest xmlns="${GUIDE}">${children('')}</CallBackTest></S:Body></S:Envelope>`],
    ['a prefix rebound inside', envelope(`<x:CallBackTest xmlns:x="${GUIDE}"><x:SessionID xmlns:x="${GUIDE}">s</x:SessionID><x:CallBackQueueID>7</x:CallBackQueueID></x:CallBackTest>`, ' xmlns:x="urn:other"')],
  ])('%s', (_name, xml) => {
    expect(plain(parseSoapEnvelope(xml))).toEqual(expected);
  });

  it('resolves by URI, not by prefix: ecg: bound to another namespace is another operation', () => {
    const request = parseSoapEnvelope(envelope('<ecg:Login xmlns:ecg="https://os.ecgrid.io/"><ecg:LoginName>a</ecg:LoginName></ecg:Login>'));
    expect(request.namespace).toBe('https://os.ecgrid.io/');
  });

  it('refuses a parameter in a foreign namespace', () => {
    const error = refusal(envelope(`<e:Logout xmlns:e="${GUIDE}"><o:SessionID xmlns:o="https://os.ecgrid.io/">s</o:SessionID></e:Logout>`));
    expect(error.message).toMatch(/SessionID.*namespace "https:\/\/os\.ecgrid\.io\/"/);
    expect(error.field).toBe('SessionID');
  });

  it('refuses an unbound prefix', () => {
    expect(refusal(envelope('<ecg:Logout><ecg:SessionID>s</ecg:SessionID></ecg:Logout>')).message).toMatch(/prefix "ecg"/);
  });

  it('refuses an operation element without a namespace', () => {
    expect(refusal(envelope('<Logout><SessionID>s</SessionID></Logout>')).message).toMatch(/no namespace/);
  });
});

describe('values', () => {
  it('decodes the predefined entities and character references, and keeps CDATA literal', () => {
    const request = parseSoapEnvelope(
      envelope(
        `<CallBackAdd xmlns="${GUIDE}"><CallBackURL>https://h/p?a=1&amp;b=&lt;2&gt;&#x26;&#38;</CallBackURL><SessionID><![CDATA[a&amp;<b>]]></SessionID></CallBackAdd>`,
      ),
    );
    expect(request.params.CallBackURL).toBe('https://h/p?a=1&b=<2>&&');
    expect(request.params.SessionID).toBe('a&amp;<b>');
  });

  it('keeps whitespace inside strings (a password may have it)', () => {
    const request = parseSoapEnvelope(envelope(`<Login xmlns="${GUIDE}"><LoginName>a</LoginName><Password>  p w </Password></Login>`));
    expect(request.params.Password).toBe('  p w ');
  });

  it('reads xsi:nil as null, empty elements as empty text, repeats as a list and children as a structure', () => {
    const request = parseSoapEnvelope(
      envelope(
        `<Op xmlns="${GUIDE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><A xsi:nil="true"/><B/><C>1</C><C>2</C><C>3</C><D><E>x</E><F><G>y</G></F></D></Op>`,
      ),
    );
    expect(plain(request.params)).toEqual({ A: null, B: '', C: ['1', '2', '3'], D: { E: 'x', F: { G: 'y' } } });
  });

  it('cannot reach Object.prototype: params have none, and a __proto__ element is refused', () => {
    const request = parseSoapEnvelope(envelope(`<Op xmlns="${GUIDE}"><A>1</A></Op>`));
    expect(Object.getPrototypeOf(request.params)).toBeNull();
    expect(refusal(envelope(`<Op xmlns="${GUIDE}"><__proto__><polluted>1</polluted></__proto__></Op>`)).code).toBe('InvalidParameter');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses an undefined entity and a character reference XML does not allow', () => {
    expect(refusal(envelope(`<Logout xmlns="${GUIDE}"><SessionID>&xxe;</SessionID></Logout>`)).message).toMatch(/entity &xxe; is not defined/);
    expect(refusal(envelope(`<Logout xmlns="${GUIDE}"><SessionID>&#0;</SessionID></Logout>`)).message).toMatch(/character reference/);
  });

  it('refuses mixed text and elements', () => {
    expect(refusal(envelope(`<Op xmlns="${GUIDE}"><A>text<B>x</B></A></Op>`)).message).toMatch(/mixes text and elements/);
  });
});

describe('hostile XML', () => {
  it('refuses a DOCTYPE with an external entity before reading any of it (XXE)', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${envelope(`<Logout xmlns="${GUIDE}"><SessionID>&xxe;</SessionID></Logout>`)}`;
    const error = refusal(xml);
    expect(error.message).toMatch(/DOCTYPE and ENTITY declarations are not allowed/);
    expect(error.message).not.toMatch(/root:/);
    expect(error.faultCode).toBe('Client');
  });

  it('refuses the billion laughs at once', () => {
    const lols = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${lols}]>${envelope(`<Logout xmlns="${GUIDE}"><SessionID>&lol9;</SessionID></Logout>`)}`;
    const started = performance.now();
    expect(refusal(xml).message).toMatch(/DOCTYPE/);
    // Expanded, lol9 is 10^9 characters; refused before expansion, it costs nothing.
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses any declaration however it is spelt or placed', () => {
    expect(refusal(`<!doctype x>${envelope('')}`).message).toMatch(/DOCTYPE/);
    expect(refusal(`${envelope(`<Logout xmlns="${GUIDE}"/>`)}<!ENTITY a "b">`).message).toMatch(/DOCTYPE/);
  });

  it('refuses nesting deeper than the limit, and accepts it up to the limit', () => {
    const nest = (levels: number) => `${'<a>'.repeat(levels)}x${'</a>'.repeat(levels)}`;
    // Envelope, Body and the operation are three levels.
    const at = envelope(`<Op xmlns="${GUIDE}">${nest(5)}</Op>`);
    expect(() => parseSoapEnvelope(at, { maxDepth: 8 })).not.toThrow();
    expect(refusal(envelope(`<Op xmlns="${GUIDE}">${nest(6)}</Op>`), { maxDepth: 8 }).message).toMatch(/deeper than 8/);
    expect(refusal(envelope(`<Op xmlns="${GUIDE}">${nest(5_000)}</Op>`)).message).toMatch(/deeper than 32/);
  });

  it('refuses a body over the size limit as PayloadTooLarge', () => {
    const error = refusal(envelope(`<Logout xmlns="${GUIDE}"><SessionID>${'x'.repeat(70_000)}</SessionID></Logout>`));
    expect(error.code).toBe('PayloadTooLarge');
    expect(refusal(envelope(`<Logout xmlns="${GUIDE}"><SessionID>${'é'.repeat(600)}</SessionID></Logout>`), { maxBytes: 1_000 }).code).toBe(
      'PayloadTooLarge',
    );
  });

  it('refuses processing instructions', () => {
    expect(refusal(envelope(`<?evil x?><Logout xmlns="${GUIDE}"/>`)).message).toMatch(/Processing instructions/);
  });

  it('refuses characters XML does not allow', () => {
    expect(refusal(envelope(`<Logout xmlns="${GUIDE}"><SessionID>a\u0001b</SessionID></Logout>`)).message).toMatch(/characters/);
  });
});

describe('not a SOAP 1.1 envelope', () => {
  it.each([
    ['an empty body', '', /empty/],
    ['whitespace', '  \n ', /empty/],
    ['JSON', '{"callBackQueueId": 7001}', /not XML/],
    ['unclosed tags', `<soap:Envelope xmlns:soap="${SOAP}"><soap:Body>`, /not well-formed/],
    ['mismatched tags', envelope(`<Logout xmlns="${GUIDE}"><SessionID>s</Session></Logout>`), /not well-formed/],
    ['text after the root', `${envelope(`<Logout xmlns="${GUIDE}"/>`)}trailing`, /not well-formed|one root/],
    ['two roots', `${envelope(`<Logout xmlns="${GUIDE}"/>`)}${envelope(`<Logout xmlns="${GUIDE}"/>`)}`, /root/],
    ['another root element', `<Logout xmlns="${GUIDE}"/>`, /root element is <Logout>/],
    ['no Body', `<soap:Envelope xmlns:soap="${SOAP}"><soap:Header/></soap:Envelope>`, /no Body/],
    ['two Bodies', `<soap:Envelope xmlns:soap="${SOAP}"><soap:Body/><soap:Body/></soap:Envelope>`, /more than one Body/],
    ['Header after Body', `<soap:Envelope xmlns:soap="${SOAP}"><soap:Body><Logout xmlns="${GUIDE}"/></soap:Body><soap:Header/></soap:Envelope>`, /Header must come before/],
    ['an empty Body', envelope(''), /exactly one operation element; it contains 0/],
    ['two operations', envelope(`<Login xmlns="${GUIDE}"/><Logout xmlns="${GUIDE}"/>`), /exactly one operation element; it contains 2/],
    ['text in the Body', envelope(`text<Logout xmlns="${GUIDE}"/>`), /only elements/],
  ])('refuses %s as a Client fault', (_name, xml, message) => {
    const error = refusal(xml);
    expect(error.faultCode).toBe('Client');
    expect(error.code).toBe('InvalidParameter');
    expect(error.message).toMatch(message);
  });

  it('answers an Envelope in neither SOAP namespace with VersionMismatch', () => {
    const other = refusal(`<Envelope xmlns="urn:not-soap"><Body/></Envelope>`);
    expect(other.faultCode).toBe('VersionMismatch');
    expect(other.message).toMatch(/SOAP 1\.1 .* and SOAP 1\.2/);
  });

  it('refuses a mustUnderstand header aimed at us with MustUnderstand, and ignores the others', () => {
    const withHeader = (entry: string) =>
      `<soap:Envelope xmlns:soap="${SOAP}"><soap:Header>${entry}</soap:Header><soap:Body><Logout xmlns="${GUIDE}"/></soap:Body></soap:Envelope>`;
    const security = refusal(withHeader('<wsse:Security xmlns:wsse="urn:wsse" soap:mustUnderstand="1"/>'));
    expect(security.faultCode).toBe('MustUnderstand');
    expect(security.field).toBe('Security');
    expect(() => parseSoapEnvelope(withHeader('<t:Trace xmlns:t="urn:t">1</t:Trace>'))).not.toThrow();
    expect(() =>
      parseSoapEnvelope(withHeader('<t:Trace xmlns:t="urn:t" soap:actor="urn:someone-else" soap:mustUnderstand="1"/>')),
    ).not.toThrow();
  });
});

describe('SOAP 1.2 envelopes', () => {
  const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
  const withHeader = (entry: string) =>
    `<env:Envelope xmlns:env="${SOAP12}"><env:Header>${entry}</env:Header>` +
    `<env:Body><Logout xmlns="${GUIDE}"><SessionID>s</SessionID></Logout></env:Body></env:Envelope>`;

  it('reads the operation and parameters, and says the version', () => {
    expect(plain(parseSoapEnvelope(withHeader('')))).toEqual({
      version: '1.2',
      namespace: GUIDE,
      operation: 'Logout',
      params: { SessionID: 's' },
    });
  });

  it('refuses a mustUnderstand entry for no role, next or ultimateReceiver, and ignores one for another role', () => {
    for (const role of ['', ` env:role="${SOAP12}/role/next"`, ` env:role="${SOAP12}/role/ultimateReceiver"`]) {
      const refused = refusal(withHeader(`<w:Security xmlns:w="urn:wsse"${role} env:mustUnderstand="true"/>`));
      expect(refused.faultCode).toBe('MustUnderstand');
      expect(refused.field).toBe('Security');
    }
    expect(() =>
      parseSoapEnvelope(withHeader('<w:Security xmlns:w="urn:wsse" env:role="urn:someone-else" env:mustUnderstand="true"/>')),
    ).not.toThrow();
  });

  it('looks for Body and Header in the Envelope’s own SOAP namespace', () => {
    const mixed = `<env:Envelope xmlns:env="${SOAP12}"><soap:Body xmlns:soap="${SOAP}"><Logout xmlns="${GUIDE}"/></soap:Body></env:Envelope>`;
    expect(refusal(mixed).message).toMatch(/no Body/);
  });
});

describe('SOAPAction', () => {
  it('reads the header quoted or not, and an application/soap+xml action parameter', () => {
    expect(soapActionOf({ soapaction: '"http://www.ecgridos.net/CallBackAdd"' })).toBe('http://www.ecgridos.net/CallBackAdd');
    expect(soapActionOf({ soapaction: 'http://www.ecgridos.net/Login' })).toBe('http://www.ecgridos.net/Login');
    expect(soapActionOf({ 'content-type': 'application/soap+xml; charset=utf-8; action="https://os.ecgrid.io/Version"' })).toBe(
      'https://os.ecgrid.io/Version',
    );
  });

  it('treats an absent or empty SOAPAction as naming nothing', () => {
    expect(soapActionOf({})).toBeUndefined();
    expect(soapActionOf({ soapaction: '""' })).toBeUndefined();
    expect(soapActionOf({ soapaction: '' })).toBeUndefined();
  });

  it('refuses an action that does not match the Body, naming both', () => {
    expect(() => checkSoapAction(undefined, `${GUIDE}Login`)).not.toThrow();
    expect(() => checkSoapAction(`${GUIDE}Login`, `${GUIDE}Login`)).not.toThrow();
    let error: unknown;
    try {
      checkSoapAction(`${GUIDE}Logout`, `${GUIDE}Login`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SoapRequestError);
    expect((error as SoapRequestError).field).toBe('SOAPAction');
    expect((error as SoapRequestError).message).toContain(`"${GUIDE}Logout"`);
    expect((error as SoapRequestError).message).toContain(`"${GUIDE}Login"`);
  });
});
