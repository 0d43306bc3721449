/**
 * Calling a real gridhook's SOAP endpoint in tests: raw envelopes over HTTP, their answers and
 * faults parsed, and users who log in with a password (REST keys need none).
 */
import { XMLParser } from 'fast-xml-parser';
import type { Role } from '../../src/domain/types.js';
import { SOAP_PATH } from '../../src/http/soap/plugin.js';
import { escapeXml } from '../../src/http/soap/xml.js';
import { ok, type TestServer } from './server.js';

export const GUIDE_NS = 'http://www.ecgridos.net/';
export const ECGRIDOS_NS = 'https://os.ecgrid.io/';
export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

export function soapEndpoint(server: Pick<TestServer, 'url'>): string {
  return server.url + SOAP_PATH;
}

export type SoapParams = Record<string, string | number | boolean | undefined>;

/** A document/literal request: `<Operation xmlns="ns"><Param>…</Param>…</Operation>`. */
export function envelope(namespace: string, operation: string, params: SoapParams = {}): string {
  const children = Object.entries(params)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="${SOAP_ENV_NS}"><soap:Body>` +
    `<${operation} xmlns="${namespace}">${children}</${operation}>` +
    '</soap:Body></soap:Envelope>'
  );
}

export interface SoapFault {
  faultcode: string;
  faultstring: string;
  detail: { ErrorInfo: { ErrorCode: string; ErrorString: string; ErrorItem: string; ErrorMessage: string } };
}

export interface SoapAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The `<Operation>Result` element, parsed (strings, nested objects). */
  result?: unknown;
  fault?: SoapFault;
}

const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, htmlEntities: true, ignoreAttributes: true });

export function parseAnswer(text: string): Pick<SoapAnswer, 'result' | 'fault'> {
  const parsed = parser.parse(text) as { Envelope?: { Body?: Record<string, Record<string, unknown> | undefined> } };
  const body = parsed.Envelope?.Body ?? {};
  if (body.Fault !== undefined) {
    const fault = body.Fault as unknown as SoapFault;
    fault.detail.ErrorInfo.ErrorItem ??= '';
    return { fault };
  }
  const [name, response] = Object.entries(body)[0] ?? [];
  return { result: name === undefined ? undefined : response?.[name.replace(/Response$/, 'Result')] };
}

/** POSTs a raw body to the SOAP endpoint with the given headers (Content-Type text/xml unless set). */
export async function postSoap(
  server: Pick<TestServer, 'url'>,
  body: string,
  headers: Record<string, string> = {},
): Promise<SoapAnswer> {
  const response = await fetch(soapEndpoint(server), {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, ...parseAnswer(text) };
}

/** Calls one operation with its SOAPAction. */
export function soapCall(
  server: Pick<TestServer, 'url'>,
  namespace: string,
  operation: string,
  params: SoapParams = {},
): Promise<SoapAnswer> {
  return postSoap(server, envelope(namespace, operation, params), { SOAPAction: `"${namespace}${operation}"` });
}

/** Calls and insists on a result; answers the `<Operation>Result` value. */
export async function soapOk<T = any>(
  server: Pick<TestServer, 'url'>,
  namespace: string,
  operation: string,
  params: SoapParams = {},
): Promise<T> {
  const answer = await soapCall(server, namespace, operation, params);
  if (answer.status !== 200 || answer.fault !== undefined) {
    throw new Error(`${operation} answered ${answer.status}: ${answer.text}`);
  }
  return answer.result as T;
}

/** Calls and insists on a fault (HTTP 500, text/xml); answers it. */
export async function soapFault(
  server: Pick<TestServer, 'url'>,
  namespace: string,
  operation: string,
  params: SoapParams = {},
): Promise<SoapFault> {
  const answer = await soapCall(server, namespace, operation, params);
  if (answer.status !== 500 || answer.fault === undefined) {
    throw new Error(`${operation} was expected to fault but answered ${answer.status}: ${answer.text}`);
  }
  return answer.fault;
}

export interface LoginUser {
  userId: number;
  loginName: string;
  password: string;
  role: Role;
  networkId: number;
  mailboxId: number;
}

let counter = 0;

/** A user of this role and scope who can Login, made by Root over REST. */
export async function addLoginUser(
  server: Pick<TestServer, 'url' | 'rootKey'>,
  role: Role,
  networkId: number,
  mailboxId = 0,
): Promise<LoginUser> {
  counter += 1;
  const loginName = `soap-${role.toLowerCase()}-${process.pid}-${counter}`;
  const password = `pass-${counter}-correct horse`;
  const user = await ok(server, 'POST', '/v2/users/create', { loginName, password, role, networkId, mailboxId });
  return { userId: user.userId, loginName, password, role, networkId, mailboxId };
}

/** Logs in over the given contract; answers the session ID. */
export async function login(
  server: Pick<TestServer, 'url'>,
  user: Pick<LoginUser, 'loginName' | 'password'>,
  namespace = GUIDE_NS,
): Promise<string> {
  return soapOk<string>(server, namespace, 'Login', { LoginName: user.loginName, Password: user.password });
}
