/**
 * Writing an operation's result as the WSDL declares it: `<OpResponse xmlns="ns"><OpResult>…` in a
 * SOAP 1.1 or 1.2 envelope, or for the HTTP GET and POST bindings the bare top-level element ASMX
 * writes (`<boolean xmlns="ns">true</boolean>`),
 * fields in declared order whatever the order of the handler's object, arrays in their `ArrayOf…`
 * wrappers, and every value checked against its declared type. A value that does not fit is a bug
 * in gridhook, not the caller's: it throws, and the caller gets a soap:Server fault.
 */
import { formatDateTime } from '../../domain/time-format.js';
import { ENVELOPE_NS, type SoapVersion } from './envelope.js';
import type { DateTimeValue } from './schema.js';
import { arrayItemOf, type ContractSchema, type FieldInfo, type OperationInfo } from './schema.js';
import { escapeXml, XSI_NS, XSD_NS } from './xml.js';

/**
 * The ECGridOS convention for "no date" in a field declared as required: .NET clients map
 * xs:dateTime to a non-nullable DateTime, and DateTime.MinValue is what ASMX sends for one unset.
 */
export const NO_DATE_TIME: DateTimeValue = Date.parse('0001-01-01T00:00:00Z');

/** Nested results are a few levels deep; more means a cycle in the handler's objects. */
const MAX_DEPTH = 16;

const INTEGER_RANGES: Record<string, readonly [number, number]> = {
  int: [-2_147_483_648, 2_147_483_647],
  short: [-32_768, 32_767],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  unsignedByte: [0, 255],
};

class ResultShapeError extends Error {
  override readonly name = 'ResultShapeError';
}

function wrong(path: string, expected: string, value: unknown): never {
  const got = value instanceof Date ? 'a Date' : Array.isArray(value) ? 'an array' : typeof value;
  throw new ResultShapeError(`${path}: expected ${expected}, got ${got}`);
}

function builtin(type: string, value: unknown, path: string): string {
  const range = INTEGER_RANGES[type];
  if (range !== undefined) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range[0] || value > range[1]) {
      wrong(path, `an xs:${type} (${range[0]}..${range[1]})`, value);
    }
    return String(value);
  }
  switch (type) {
    case 'string':
      if (typeof value !== 'string') wrong(path, 'a string', value);
      return escapeXml(value);
    case 'boolean':
      if (typeof value !== 'boolean') wrong(path, 'a boolean', value);
      return value ? 'true' : 'false';
    case 'float':
    case 'double':
      if (typeof value !== 'number') wrong(path, 'a number', value);
      return Number.isNaN(value) ? 'NaN' : value === Infinity ? 'INF' : value === -Infinity ? '-INF' : String(value);
    case 'dateTime': {
      const millis = value instanceof Date ? value.getTime() : value;
      if (typeof millis !== 'number' || !Number.isFinite(millis)) wrong(path, 'epoch milliseconds or a Date', value);
      const year = new Date(millis).getUTCFullYear();
      if (year < 1 || year > 9999) wrong(path, 'a date in years 1..9999', value);
      return formatDateTime(millis);
    }
    default:
      throw new ResultShapeError(`${path}: xs:${type} is not supported`);
  }
}

class Writer {
  private readonly out: string[] = [];

  constructor(private readonly schema: ContractSchema) {}

  toString(): string {
    return this.out.join('');
  }

  /** One declared field of a sequence: absent, once, or (maxOccurs unbounded) each item of an array. */
  field(field: FieldInfo, value: unknown, path: string, depth: number): void {
    if (!field.unbounded) {
      this.element(field, value, path, depth);
      return;
    }
    if (value === undefined || value === null) return;
    if (!Array.isArray(value)) wrong(path, 'an array', value);
    value.forEach((item, i) => this.element(field, item, `${path}[${i}]`, depth));
  }

  /** `attributes` go into the element's start tag: the namespace declarations of a root element. */
  element(field: FieldInfo, value: unknown, path: string, depth: number, attributes = ''): void {
    const name = field.name;
    if (value === undefined || value === null) {
      if (field.nillable) this.out.push(`<${name}${attributes} xsi:nil="true" />`);
      else if (field.minOccurs > 0) throw new ResultShapeError(`${path}: required by the WSDL but missing`);
      return;
    }
    if (field.builtin) {
      this.out.push(`<${name}${attributes}>${builtin(field.type, value, path)}</${name}>`);
      return;
    }
    if (depth > MAX_DEPTH) throw new ResultShapeError(`${path}: nested deeper than ${MAX_DEPTH} levels`);
    const type = this.schema.types.get(field.type);
    if (type === undefined) throw new ResultShapeError(`${path}: type ${field.type} is not declared`);
    if (type.kind === 'enum') {
      if (typeof value !== 'string' || !type.values.includes(value)) {
        wrong(path, `one of ${type.values.join(', ')}`, value);
      }
      this.out.push(`<${name}${attributes}>${value}</${name}>`);
      return;
    }
    const item = arrayItemOf(type);
    this.out.push(`<${name}${attributes}>`);
    if (item !== undefined) {
      this.field(item, value, path, depth + 1);
    } else {
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof Date) {
        wrong(path, `a ${type.name}`, value);
      }
      const record = value as Record<string, unknown>;
      for (const f of type.fields) this.field(f, record[f.name], `${path}.${f.name}`, depth + 1);
    }
    this.out.push(`</${name}>`);
  }
}

/** The response envelope for `result`, the value of the operation's `<Operation>Result` element. */
export function renderResponse(
  schema: ContractSchema,
  operation: OperationInfo,
  result: unknown,
  version: SoapVersion = '1.1',
): string {
  const writer = new Writer(schema);
  if (operation.result !== undefined) writer.field(operation.result, result, operation.result.name, 0);
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="${ENVELOPE_NS[version]}" xmlns:xsi="${XSI_NS}" xmlns:xsd="${XSD_NS}">` +
    `<soap:Body><${operation.name}Response xmlns="${escapeXml(schema.namespace)}">` +
    writer.toString() +
    `</${operation.name}Response></soap:Body></soap:Envelope>`
  );
}

/**
 * The HTTP GET/POST answer for `result`: the XML document XmlSerializer writes for it, rooted at
 * the element the WSDL's HTTP output message names. Like ASMX, a simple value's root declares
 * only the contract's namespace, and a structure's (or a nil) declares xsi and xsd too.
 */
export function renderHttpResult(schema: ContractSchema, operation: OperationInfo, result: unknown): string {
  const root = operation.httpResult;
  if (root === undefined) throw new ResultShapeError(`${operation.name} has no HTTP binding`);
  const writer = new Writer(schema);
  const plain = root.builtin && result !== undefined && result !== null;
  const declarations = plain ? '' : ` xmlns:xsi="${XSI_NS}" xmlns:xsd="${XSD_NS}"`;
  writer.element(root, result, root.name, 0, `${declarations} xmlns="${escapeXml(schema.namespace)}"`);
  return `<?xml version="1.0" encoding="utf-8"?>\r\n${writer.toString()}`;
}
