/**
 * The whole API surface as a running server describes it: every REST route
 * from /openapi.json and every SOAP operation from the served WSDLs, with
 * builders of requests for them. Tests that must cover every route (the
 * isolation matrix, the fuzzer) enumerate from here, so a route added later
 * is covered without touching them.
 */
import { compileWsdl, type FieldInfo, type OperationInfo, type TypeInfo } from '../../src/http/soap/schema.js';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
}

export interface RestRoute {
  method: string;
  /** OpenAPI form, e.g. /v2/callbacks/{callBackQueueId} */
  path: string;
  params: string[];
  body: JsonSchema | undefined;
}

const OPEN_ROUTES = new Set(['/healthz', '/readyz', '/openapi.json', '/v2/sessions/sign-in', '/v2/sessions/sign-out']);

/** Every route that needs an API key, as the server's OpenAPI document lists them. */
export async function restRoutes(baseUrl: string): Promise<RestRoute[]> {
  const doc = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: any }>>;
  };
  const routes: RestRoute[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (OPEN_ROUTES.has(path)) continue;
    for (const [method, operation] of Object.entries(methods)) {
      routes.push({
        method: method.toUpperCase(),
        path,
        params: (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        body: operation.requestBody?.content?.['application/json']?.schema as JsonSchema | undefined,
      });
    }
  }
  return routes;
}

export function fillPath(path: string, values: Record<string, string | number>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(values[name] ?? 1)));
}

/** Values for fields whose schema alone would give a poor example. */
const EXAMPLES: Record<string, unknown> = {
  callBackUrl: 'https://hooks.example.com/in',
  loginName: 'surface-user',
  password: 'correct horse battery',
  qualifier: 'ZZ',
  id: 'NOSUCHPARTNER',
  name: 'surface',
  fileName: 'surface.edi',
  content: Buffer.from('ISA*00*').toString('base64'),
  beginDate: '2026-01-01T00:00:00Z',
  endDate: '2026-12-31T00:00:00Z',
};

/**
 * A schema-valid example of `schema`: required properties always, optional
 * ones only when `values` names them (the IDs under test), so every request
 * reaches the service with exactly the IDs the test chose.
 */
export function exampleOf(schema: JsonSchema | undefined, values: Record<string, unknown>, name = ''): unknown {
  if (!schema) return undefined;
  if (name in values) return values[name];
  if (name in EXAMPLES) return EXAMPLES[name];
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice) return exampleOf(choice.find((s) => s.type !== 'null') ?? choice[0], values, name);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set(schema.required ?? []);
      for (const [key, child] of Object.entries(schema.properties ?? {})) {
        if (required.has(key) || key in values) out[key] = exampleOf(child, values, key);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => exampleOf(schema.items, values));
    case 'integer':
    case 'number':
      return schema.minimum !== undefined ? Math.max(schema.minimum, 1) : 1;
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    default:
      return null;
  }
}

// --- SOAP ---

export const SOAP_PATH = '/v4.1/prod/ECGridOS.asmx';
const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';

export interface SoapOperation {
  contract: 'guide' | 'ecgridos';
  namespace: string;
  operation: OperationInfo;
  types: ReadonlyMap<string, TypeInfo>;
}

/** Every operation of every served WSDL; empty when the server serves no SOAP endpoint. */
export async function soapOperations(baseUrl: string): Promise<SoapOperation[]> {
  const out: SoapOperation[] = [];
  for (const [contract, query] of [
    ['guide', '?WSDL'],
    ['ecgridos', '?WSDL&contract=ecgridos'],
  ] as const) {
    const response = await fetch(`${baseUrl}${SOAP_PATH}${query}`);
    if (response.status !== 200) continue;
    const schema = compileWsdl(await response.text());
    for (const operation of schema.operations.values()) {
      out.push({ contract, namespace: schema.namespace, operation, types: schema.types });
    }
  }
  return out;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An envelope with the operation element in its namespace and `children` as raw XML inside it. */
export function soapEnvelope(namespace: string, operation: string, children: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP_ENV}"><soap:Body>` +
    `<${operation} xmlns="${namespace}">${children}</${operation}></soap:Body></soap:Envelope>`
  );
}

/** Values for parameters whose type alone would give a poor example. */
const SOAP_EXAMPLES: Record<string, string> = {
  CallBackURL: 'https://hooks.example.com/in',
  URL: 'https://hooks.example.com/in',
  LoginName: 'surface-user',
  Password: 'correct horse battery',
  SystemObject: 'Parcel',
  Status: 'Active',
};

function exampleSoapValue(field: FieldInfo, types: ReadonlyMap<string, TypeInfo>): string {
  const example = SOAP_EXAMPLES[field.name];
  if (example !== undefined) return example;
  if (field.builtin) {
    switch (field.type) {
      case 'int':
      case 'short':
      case 'long':
      case 'unsignedByte':
      case 'decimal':
        return '1';
      case 'boolean':
        return 'false';
      case 'dateTime':
        return '2026-01-01T00:00:00Z';
      default:
        return 'x';
    }
  }
  const type = types.get(field.type);
  if (type?.kind === 'enum') return type.values[0] ?? '';
  return '';
}

/**
 * The children of a request for `operation`: each field named in `values`
 * with that (already escaped) XML, every other required field (and optional
 * one with a known example) with an example.
 */
export function soapParams(op: SoapOperation, values: Record<string, string>): string {
  let xml = '';
  for (const field of op.operation.input) {
    const value = values[field.name];
    if (value === undefined && field.minOccurs === 0 && !(field.name in SOAP_EXAMPLES)) continue;
    xml += `<${field.name}>${value ?? exampleSoapValue(field, op.types)}</${field.name}>`;
  }
  return xml;
}

export async function postSoap(
  baseUrl: string,
  op: Pick<SoapOperation, 'operation'>,
  envelope: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${baseUrl}${SOAP_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${op.operation.soapAction}"`, ...headers },
    body: envelope,
  });
  return { status: response.status, text: await response.text() };
}

/** The parts of a SOAP fault that tell a caller something, or null for a success. */
export function faultOf(text: string): { code: string; errorCode: string; message: string } | null {
  if (!text.includes(':Fault>') && !text.includes('<Fault')) return null;
  const pick = (tag: string): string => new RegExp(`<${tag}(?: [^>]*)?>([\\s\\S]*?)</${tag}>`).exec(text)?.[1] ?? '';
  // SOAP 1.1 faults carry faultcode and faultstring; SOAP 1.2 faults Code/Value and Reason/Text.
  return {
    code: pick('faultcode') || pick('soap:Value'),
    errorCode: pick('ErrorCode'),
    message: pick('faultstring') || pick('soap:Text'),
  };
}
