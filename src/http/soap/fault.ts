/**
 * SOAP faults from the one error registry: faultcode soap:Client or soap:Server as errors.ts says
 * (SOAP 1.2: Code/Value soap:Sender or soap:Receiver), and an ErrorInfo detail carrying the
 * registry code, a short name, the field at fault and the full message. Every fault goes with
 * status 500, in both versions, as ASMX sends them.
 */
import { GridhookError, type ErrorCode } from '../../errors.js';
import type { SoapVersion } from './envelope.js';
import { escapeXml, SOAP12_ENVELOPE_NS, SOAP_ENVELOPE_NS } from './xml.js';

export const FAULT_HTTP_STATUS = 500;

/** SOAP 1.1 §4.4.1 and 1.2 §5.4.6: two fault codes are about the envelope itself rather than who is to blame. */
export type EnvelopeFaultCode = 'VersionMismatch' | 'MustUnderstand';

/** A request the SOAP layer itself refuses (not XML, not an envelope, wrong operation…). */
export class SoapRequestError extends GridhookError {
  readonly faultCode: 'Client' | EnvelopeFaultCode;

  constructor(
    message: string,
    options: { code?: ErrorCode; field?: string; faultCode?: 'Client' | EnvelopeFaultCode } = {},
  ) {
    super(options.code ?? 'InvalidParameter', message, options.field === undefined ? {} : { field: options.field });
    this.faultCode = options.faultCode ?? 'Client';
  }
}

/** The ErrorString of each code: complete by construction, so a new code cannot ship without one. */
const ERROR_STRINGS: Record<ErrorCode, string> = {
  InvalidParameter: 'Invalid parameter',
  InvalidAPIKey: 'Invalid session or API key',
  AccessDenied: 'Access denied',
  ObjectNotFound: 'Object not found',
  DuplicateObject: 'Duplicate object',
  InvalidState: 'Invalid state',
  IdempotencyConflict: 'Idempotency key reused with another request',
  PayloadTooLarge: 'Request too large',
  UnsupportedMediaType: 'Unsupported media type',
  RateLimitExceeded: 'Rate limit exceeded',
  ServiceUnavailable: 'Service unavailable',
  InternalError: 'Internal error',
};

/**
 * What the caller learns about an error: a GridhookError as it is, anything else as InternalError
 * with a fixed message, so no stack, SQL or path reaches the wire.
 */
export function toFaultError(error: unknown): GridhookError {
  if (error instanceof GridhookError) return error;
  return new GridhookError('InternalError', 'The server could not complete the request. The error was logged.');
}

export function faultCodeOf(error: GridhookError): 'Client' | 'Server' | EnvelopeFaultCode {
  return error instanceof SoapRequestError ? error.faultCode : error.soapFault;
}

/** SOAP 1.2 §5.4.6 renames the two codes that say who is to blame. */
const SOAP12_CODES: Record<'Client' | 'Server' | EnvelopeFaultCode, string> = {
  Client: 'Sender',
  Server: 'Receiver',
  VersionMismatch: 'VersionMismatch',
  MustUnderstand: 'MustUnderstand',
};

function errorInfo(error: GridhookError, namespace: string): string {
  const message = escapeXml(error.message);
  return (
    `<ErrorInfo xmlns="${escapeXml(namespace)}">` +
    `<ErrorCode>${error.code}</ErrorCode>` +
    `<ErrorString>${ERROR_STRINGS[error.code]}</ErrorString>` +
    `<ErrorItem>${escapeXml(error.field ?? '')}</ErrorItem>` +
    `<ErrorMessage>${message}</ErrorMessage>` +
    '</ErrorInfo>'
  );
}

/**
 * The fault envelope, in the SOAP version the request spoke. `namespace` qualifies the ErrorInfo
 * detail entry: the namespace of the contract the request spoke, so a client generated from
 * either WSDL finds it in its own.
 */
export function renderFault(error: GridhookError, namespace: string, version: SoapVersion = '1.1'): string {
  const message = escapeXml(error.message);
  if (version === '1.2') {
    return (
      '<?xml version="1.0" encoding="utf-8"?>' +
      `<soap:Envelope xmlns:soap="${SOAP12_ENVELOPE_NS}">` +
      '<soap:Body><soap:Fault>' +
      `<soap:Code><soap:Value>soap:${SOAP12_CODES[faultCodeOf(error)]}</soap:Value></soap:Code>` +
      `<soap:Reason><soap:Text xml:lang="en">${message}</soap:Text></soap:Reason>` +
      `<soap:Detail>${errorInfo(error, namespace)}</soap:Detail>` +
      '</soap:Fault></soap:Body></soap:Envelope>'
    );
  }
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="${SOAP_ENVELOPE_NS}">` +
    '<soap:Body><soap:Fault>' +
    `<faultcode>soap:${faultCodeOf(error)}</faultcode>` +
    `<faultstring>${message}</faultstring>` +
    `<detail>${errorInfo(error, namespace)}</detail>` +
    '</soap:Fault></soap:Body></soap:Envelope>'
  );
}
