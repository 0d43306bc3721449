import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { GridhookError } from '../src/errors.js';
import { ECGRIDOS_CONTRACT, GUIDE_CONTRACT, type SoapContract } from '../src/http/soap/contracts.js';
import type { CallBackQueueIDInfo } from '../src/http/soap/ecgridos-types.js';
import { renderFault, SoapRequestError, toFaultError } from '../src/http/soap/fault.js';
import { NO_DATE_TIME, renderResponse } from '../src/http/soap/response.js';

function render(contract: SoapContract, operation: string, result: unknown): string {
  const info = contract.schema.operations.get(operation);
  if (info === undefined) throw new Error(`no operation ${operation}`);
  return renderResponse(contract.schema, info, result);
}

/** The inner XML of `<OpResponse>`, for comparing the exact serialisation. */
function inner(xml: string, operation: string): string {
  const open = xml.indexOf('>', xml.indexOf(`<${operation}Response`)) + 1;
  return xml.slice(open, xml.indexOf(`</${operation}Response>`));
}

const AT = Date.UTC(2026, 4, 7, 14, 32, 0);

describe('results', () => {
  it('wraps the result as <OpResponse xmlns="ns"><OpResult> in a SOAP 1.1 envelope', () => {
    const xml = render(GUIDE_CONTRACT, 'Login', 'abc');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"');
    expect(xml).toContain('<soap:Body><LoginResponse xmlns="http://www.ecgridos.net/"><LoginResult>abc</LoginResult></LoginResponse></soap:Body>');
  });

  it('writes fields in the WSDL order whatever the order of the object', () => {
    const xml = render(GUIDE_CONTRACT, 'CallBackAdd', {
      Retries: 3,
      Frequency: 1,
      ECGridID: 0,
      MailboxID: 0,
      NetworkID: 1,
      Status: 'Active',
      CallBackEvent: 'InBox',
      CallBackURL: 'https://h/p?a=1&b=2',
      CallBackQueueID: 7001,
    });
    expect(inner(xml, 'CallBackAdd')).toBe(
      '<CallBackAddResult><CallBackQueueID>7001</CallBackQueueID><CallBackURL>https://h/p?a=1&amp;b=2</CallBackURL>' +
        '<CallBackEvent>InBox</CallBackEvent><Status>Active</Status><NetworkID>1</NetworkID><MailboxID>0</MailboxID>' +
        '<ECGridID>0</ECGridID><Frequency>1</Frequency><Retries>3</Retries></CallBackAddResult>',
    );
  });

  it('writes booleans, leaves out an absent optional string, and formats dates as xs:dateTime', () => {
    expect(inner(render(GUIDE_CONTRACT, 'CallBackTest', { EventID: 9, Delivered: false, HTTPStatus: 0, DurationMS: 5 }), 'CallBackTest')).toBe(
      '<CallBackTestResult><EventID>9</EventID><Delivered>false</Delivered><HTTPStatus>0</HTTPStatus><DurationMS>5</DurationMS></CallBackTestResult>',
    );
    expect(inner(render(ECGRIDOS_CONTRACT, 'NowUTC', AT), 'NowUTC')).toBe('<NowUTCResult>2026-05-07T14:32:00Z</NowUTCResult>');
    expect(inner(render(ECGRIDOS_CONTRACT, 'NowUTC', new Date(AT)), 'NowUTC')).toBe('<NowUTCResult>2026-05-07T14:32:00Z</NowUTCResult>');
    expect(inner(render(ECGRIDOS_CONTRACT, 'NowUTC', NO_DATE_TIME), 'NowUTC')).toBe('<NowUTCResult>0001-01-01T00:00:00Z</NowUTCResult>');
  });

  it('writes arrays in their ArrayOf… wrappers, nested types included', () => {
    const entry: CallBackQueueIDInfo = {
      CallBackQueueID: 900123,
      Date: AT,
      CallsRemaining: 3,
      NextCall: AT,
      Status: 'Pending',
      ObjectID: 98765,
      UserID: 1,
      Test: true,
      CallBackLog: [
        { CallBackLogID: 1, Date: AT, CallNumber: 1, ReturnCode: 503, Message: 'Service Unavailable' },
        { CallBackLogID: 2, Date: AT, CallNumber: 2, ReturnCode: 0 },
      ],
    };
    const xml = render(ECGRIDOS_CONTRACT, 'CallBackPendingList', [entry, { ...entry, CallBackQueueID: 900124, CallBackLog: [] }]);
    const body = inner(xml, 'CallBackPendingList');
    expect(body.startsWith('<CallBackPendingListResult><CallBackQueueIDInfo><CallBackQueueID>900123</CallBackQueueID>')).toBe(true);
    expect(body).toContain(
      '<CallBackLog><CallBackLogInfo><CallBackLogID>1</CallBackLogID><Date>2026-05-07T14:32:00Z</Date><CallNumber>1</CallNumber>' +
        '<ReturnCode>503</ReturnCode><Message>Service Unavailable</Message></CallBackLogInfo><CallBackLogInfo><CallBackLogID>2</CallBackLogID>',
    );
    expect(body).toContain('<CallBackQueueID>900124</CallBackQueueID>');
    expect(body).toContain('<CallBackLog></CallBackLog>');
    expect(body.endsWith('</CallBackQueueIDInfo></CallBackPendingListResult>')).toBe(true);
    expect(inner(render(ECGRIDOS_CONTRACT, 'CallBackPendingList', []), 'CallBackPendingList')).toBe(
      '<CallBackPendingListResult></CallBackPendingListResult>',
    );
  });

  it('writes a null array item as xsi:nil, as the WSDL declares it nillable', () => {
    const body = inner(render(ECGRIDOS_CONTRACT, 'CallBackEventListEx', [null]), 'CallBackEventListEx');
    expect(body).toBe('<CallBackEventListExResult><CallBackEventIDInfo xsi:nil="true" /></CallBackEventListExResult>');
  });

  it('escapes markup and replaces characters XML cannot carry', () => {
    const xml = render(GUIDE_CONTRACT, 'Login', `<a href="x">&'\u0000\r`);
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ removeNSPrefix: true, htmlEntities: true }).parse(xml) as {
      Envelope: { Body: { LoginResponse: { LoginResult: string } } };
    };
    expect(parsed.Envelope.Body.LoginResponse.LoginResult).toBe(`<a href="x">&'\uFFFD\r`);
  });

  it.each([
    ['a missing required field', { EventID: 1, Delivered: true, HTTPStatus: 200 }, /CallBackTestResult\.DurationMS: required/],
    ['a string for an int', { EventID: '1', Delivered: true, HTTPStatus: 200, DurationMS: 1 }, /EventID: expected an xs:long/],
    ['a fraction for an int', { EventID: 1, Delivered: true, HTTPStatus: 200.5, DurationMS: 1 }, /HTTPStatus: expected an xs:int/],
    ['a number for a boolean', { EventID: 1, Delivered: 1, HTTPStatus: 200, DurationMS: 1 }, /Delivered: expected a boolean/],
  ])('throws on %s, naming the path (a bug in gridhook, answered as a Server fault)', (_name, result, message) => {
    expect(() => render(GUIDE_CONTRACT, 'CallBackTest', result)).toThrow(message);
  });

  it('throws on a value outside an enumeration or an out-of-range short', () => {
    const add = { CallBackQueueID: 1, CallBackURL: 'u', CallBackEvent: 'Inbox', Status: 'Active', NetworkID: 1, MailboxID: 0, ECGridID: 0, Frequency: 1, Retries: 3 };
    expect(() => render(GUIDE_CONTRACT, 'CallBackAdd', add)).toThrow(/CallBackEvent: expected one of InBox/);
    const entry = { CallBackQueueID: 1, Date: AT, CallsRemaining: 40_000, NextCall: AT, Status: 'Error', ObjectID: 1, UserID: 1, Test: false };
    expect(() => render(ECGRIDOS_CONTRACT, 'CallBackFailedList', [entry])).toThrow(
      /CallBackFailedListResult\[0\]\.CallsRemaining: expected an xs:short/,
    );
  });

  it('stops on a cycle in the handler’s objects instead of overflowing the stack', () => {
    const event: Record<string, unknown> = {
      CallBackEventID: 1, NetworkID: 1, MailboxID: 0, UserID: 1, Created: AT, Modified: AT, SystemObject: 'Parcel',
      ObjectStatus: 0, Direction: 'InBox', Frequency: 1, MaxCalls: 4, Status: 'Active',
    };
    const queue: Record<string, unknown> = {
      CallBackQueueID: 1, Date: AT, CallsRemaining: 1, NextCall: AT, Status: 'Pending', ObjectID: 1, UserID: 1, Test: false, CallBackEvent: event,
    };
    event.CallBackQueue = [queue];
    expect(() => render(ECGRIDOS_CONTRACT, 'CallBackQueueInfo', queue)).toThrow(/nested deeper/);
  });
});

describe('faults', () => {
  const parseFault = (xml: string) =>
    (
      new XMLParser({ removeNSPrefix: true, parseTagValue: false, htmlEntities: true }).parse(xml) as {
        Envelope: { Body: { Fault: { faultcode: string; faultstring: string; detail: { ErrorInfo: Record<string, string> } } } };
      }
    ).Envelope.Body.Fault;

  it('renders a registry error as soap:Client with the ErrorInfo detail', () => {
    const xml = renderFault(new GridhookError('InvalidParameter', 'CallBackURL: must be https <here>', { field: 'CallBackURL' }), GUIDE_CONTRACT.namespace);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<ErrorInfo xmlns="http://www.ecgridos.net/">');
    expect(parseFault(xml)).toEqual({
      faultcode: 'soap:Client',
      faultstring: 'CallBackURL: must be https <here>',
      detail: {
        ErrorInfo: {
          ErrorCode: 'InvalidParameter',
          ErrorString: 'Invalid parameter',
          ErrorItem: 'CallBackURL',
          ErrorMessage: 'CallBackURL: must be https <here>',
        },
      },
    });
  });

  it('uses soap:Server for Server codes and the envelope codes SOAP 1.1 defines', () => {
    expect(parseFault(renderFault(new GridhookError('ServiceUnavailable', 'down'), 'urn:x')).faultcode).toBe('soap:Server');
    expect(parseFault(renderFault(new SoapRequestError('v', { faultCode: 'VersionMismatch' }), 'urn:x')).faultcode).toBe('soap:VersionMismatch');
    expect(parseFault(renderFault(new SoapRequestError('m', { faultCode: 'MustUnderstand' }), 'urn:x')).faultcode).toBe('soap:MustUnderstand');
  });

  it('turns anything that is not a GridhookError into InternalError without its message', () => {
    const fault = toFaultError(new Error('SQLITE_ERROR: no such table: callbacks at /srv/gridhook/dist/store.js:12'));
    expect(fault.code).toBe('InternalError');
    expect(fault.soapFault).toBe('Server');
    const xml = renderFault(fault, GUIDE_CONTRACT.namespace);
    expect(xml).not.toMatch(/SQLITE|callbacks|\/srv/);
    expect(parseFault(xml).detail.ErrorInfo.ErrorCode).toBe('InternalError');
  });
});
