/**
 * SOAP 1.1 faults from the one error registry: faultcode soap:Client or soap:Server as errors.ts
 * says, and an ErrorInfo detail carrying the registry code, a short name, the field at fault and
 * the full message. SOAP 1.1 over HTTP sends every fault with status 500.
 */
import { GridhookError, type ErrorCode } from '../../errors.js';
import { escapeXml, SOAP_ENVELOPE_NS } from './xml.js';

export const FAULT_HTTP_STATUS = 500;

/** SOAP 1.1 §4.4.1: two faultcodes are about the envelope itself rather than who is to blame. */
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

/**
 * The fault envelope. `namespace` qualifies the ErrorInfo detail entry: the namespace of the
 * contract the request spoke, so a client generated from either WSDL finds it in its own.
 */
export function renderFault(error: GridhookError, namespace: string): string {
  const message = escapeXml(error.message);
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="${SOAP_ENVELOPE_NS}">` +
    '<soap:Body><soap:Fault>' +
    `<faultcode>soap:${faultCodeOf(error)}</faultcode>` +
    `<faultstring>${message}</faultstring>` +
    `<detail><ErrorInfo xmlns="${escapeXml(namespace)}">` +
    `<ErrorCode>${error.code}</ErrorCode>` +
    `<ErrorString>${ERROR_STRINGS[error.code]}</ErrorString>` +
    `<ErrorItem>${escapeXml(error.field ?? '')}</ErrorItem>` +
    `<ErrorMessage>${message}</ErrorMessage>` +
    '</ErrorInfo></detail>' +
    '</soap:Fault></soap:Body></soap:Envelope>'
  );
}
