/**
 * A WSDL read back into the facts the endpoint works from: each operation's SOAPAction and
 * parameters, and the declared order and type of every result field. The served WSDL text is the
 * one source of truth, so what is served and what is answered cannot drift apart.
 */
import { XMLParser } from 'fast-xml-parser';
import { XSD_NS } from './xml.js';

/** An xs:dateTime value as handlers give it: epoch milliseconds (the domain's time) or a Date. */
export type DateTimeValue = number | Date;

export interface FieldInfo {
  name: string;
  /** Local name of the type: an XML Schema built-in (`int`, `dateTime`…) or one of the contract's own. */
  type: string;
  builtin: boolean;
  minOccurs: number;
  unbounded: boolean;
  nillable: boolean;
}

export type TypeInfo =
  | { kind: 'enum'; name: string; values: readonly string[] }
  | { kind: 'complex'; name: string; fields: readonly FieldInfo[] };

export interface OperationInfo {
  name: string;
  soapAction: string;
  /** The request element's children, in declared order. */
  input: readonly FieldInfo[];
  /** The `<Operation>Result` element, absent for an operation that answers nothing. */
  result: FieldInfo | undefined;
  /**
   * The top-level element the HTTP GET and POST bindings answer with (`boolean`,
   * `CallBackEventIDInfo`…); absent when the WSDL has no HTTP POST binding for the operation.
   */
  httpResult: FieldInfo | undefined;
}

export interface ContractSchema {
  namespace: string;
  operations: ReadonlyMap<string, OperationInfo>;
  types: ReadonlyMap<string, TypeInfo>;
}

const WSDL_NS = 'http://schemas.xmlsoap.org/wsdl/';
const WSDL_SOAP_NS = 'http://schemas.xmlsoap.org/wsdl/soap/';

const LISTS = new Set([
  's:schema',
  's:element',
  's:complexType',
  's:simpleType',
  's:enumeration',
  'wsdl:message',
  'wsdl:part',
  'wsdl:portType',
  'wsdl:binding',
  'wsdl:operation',
]);

type Node = Record<string, unknown>;

function list(node: Node | undefined, key: string): Node[] {
  const value = node?.[key];
  return Array.isArray(value) ? (value as Node[]) : [];
}

function child(node: Node | undefined, key: string): Node | undefined {
  const value = node?.[key];
  if (Array.isArray(value)) return value[0] as Node | undefined;
  return typeof value === 'object' && value !== null ? (value as Node) : undefined;
}

function attr(node: Node | undefined, name: string): string | undefined {
  const value = node?.[`@${name}`];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads a WSDL written with the prefixes `wsdl:`, `soap:`, `s:` (XML Schema) and `tns:` (the
 * target namespace), as both served documents and the real ECGridOS WSDL are. `only` limits the
 * result to some operations and the types they reach; by default every operation is read.
 */
export function compileWsdl(xml: string, only?: readonly string[]): ContractSchema {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    isArray: (name) => LISTS.has(name),
  });
  const definitions = child(parser.parse(xml) as Node, 'wsdl:definitions');
  const namespace = attr(definitions, 'targetNamespace');
  if (definitions === undefined || namespace === undefined) throw new Error('not a WSDL 1.1 document');
  const expected: Record<string, string> = { s: XSD_NS, wsdl: WSDL_NS, soap: WSDL_SOAP_NS, tns: namespace };
  for (const [prefix, uri] of Object.entries(expected)) {
    if (attr(definitions, `xmlns:${prefix}`) !== uri) throw new Error(`WSDL must bind prefix ${prefix} to ${uri}`);
  }

  const localName = (qname: string | undefined, prefix: string): string => {
    if (qname === undefined || !qname.startsWith(`${prefix}:`)) {
      throw new Error(`expected a ${prefix}: name, got ${qname}`);
    }
    return qname.slice(prefix.length + 1);
  };
  const byName = (nodes: Node[]) => new Map(nodes.map((n) => [attr(n, 'name') ?? '', n]));

  const schema = list(child(definitions, 'wsdl:types'), 's:schema').find(
    (s) => attr(s, 'targetNamespace') === namespace,
  );
  const elementNodes = byName(list(schema, 's:element'));
  const typeNodes = byName([...list(schema, 's:complexType'), ...list(schema, 's:simpleType')]);
  const messageNodes = byName(list(definitions, 'wsdl:message'));
  const binding = list(definitions, 'wsdl:binding').find((b) => child(b, 'soap:binding') !== undefined);
  if (binding === undefined) throw new Error('WSDL has no SOAP 1.1 binding');
  const portTypeName = localName(attr(binding, 'type'), 'tns');
  const portType = list(definitions, 'wsdl:portType').find((p) => attr(p, 'name') === portTypeName);
  const actions = new Map(
    list(binding, 'wsdl:operation').map((op) => [attr(op, 'name'), attr(child(op, 'soap:operation'), 'soapAction')]),
  );
  const httpBinding = list(definitions, 'wsdl:binding').find((b) => attr(child(b, 'http:binding'), 'verb') === 'POST');
  const httpPortType = list(definitions, 'wsdl:portType').find(
    (p) => httpBinding !== undefined && `tns:${attr(p, 'name') ?? ''}` === attr(httpBinding, 'type'),
  );
  const httpOperations = byName(list(httpPortType, 'wsdl:operation'));

  const types = new Map<string, TypeInfo>();
  const field = (el: Node): FieldInfo => {
    const typeName = attr(el, 'type');
    if (typeName === undefined) throw new Error(`element ${attr(el, 'name') ?? attr(el, 'ref')} has no type`);
    const builtin = typeName.startsWith('s:');
    const type = localName(typeName, builtin ? 's' : 'tns');
    if (!builtin) declareType(type);
    return {
      name: attr(el, 'name') ?? '',
      type,
      builtin,
      minOccurs: Number(attr(el, 'minOccurs') ?? '1'),
      unbounded: attr(el, 'maxOccurs') === 'unbounded',
      nillable: attr(el, 'nillable') === 'true',
    };
  };
  const sequence = (complexType: Node | undefined): FieldInfo[] =>
    list(child(complexType, 's:sequence'), 's:element').map(field);
  // Types refer to each other in cycles (an event lists its queue entries, which name their event).
  function declareType(name: string): void {
    if (types.has(name)) return;
    const node = typeNodes.get(name);
    if (node === undefined) throw new Error(`type ${name} is not declared`);
    const restriction = child(node, 's:restriction');
    if (restriction !== undefined) {
      const values = list(restriction, 's:enumeration').map((e) => attr(e, 'value') ?? '');
      types.set(name, { kind: 'enum', name, values });
      return;
    }
    const fields: FieldInfo[] = [];
    types.set(name, { kind: 'complex', name, fields });
    fields.push(...sequence(node));
  }

  const elementOf = (op: Node, direction: 'wsdl:input' | 'wsdl:output'): FieldInfo[] => {
    const message = localName(attr(child(op, direction), 'message'), 'tns');
    const part = list(messageNodes.get(message), 'wsdl:part')[0];
    const element = elementNodes.get(localName(attr(part, 'element'), 'tns'));
    const complexType = list(element, 's:complexType')[0];
    if (complexType === undefined) throw new Error(`message ${message} has no element declaration`);
    return sequence(complexType);
  };

  /** ASMX writes an HTTP answer as the top-level element its output message's one part names. */
  const httpResultOf = (name: string): FieldInfo | undefined => {
    const op = httpOperations.get(name);
    if (op === undefined) return undefined;
    const message = localName(attr(child(op, 'wsdl:output'), 'message'), 'tns');
    const part = list(messageNodes.get(message), 'wsdl:part')[0];
    const element = elementNodes.get(localName(attr(part, 'element'), 'tns'));
    if (element === undefined) throw new Error(`message ${message} names no declared element`);
    return field(element);
  };

  const operations = new Map<string, OperationInfo>();
  for (const op of list(portType, 'wsdl:operation')) {
    const name = attr(op, 'name') ?? '';
    if (only !== undefined && !only.includes(name)) continue;
    const soapAction = actions.get(name);
    if (soapAction === undefined) throw new Error(`operation ${name} is not in the SOAP binding`);
    const output = elementOf(op, 'wsdl:output');
    operations.set(name, {
      name,
      soapAction,
      input: elementOf(op, 'wsdl:input'),
      result: output[0],
      httpResult: httpResultOf(name),
    });
  }
  return { namespace, operations, types };
}

/** The item field when `type` is an `ArrayOf…` wrapper: one repeated element and nothing else. */
export function arrayItemOf(type: TypeInfo | undefined): FieldInfo | undefined {
  if (type?.kind !== 'complex' || type.fields.length !== 1) return undefined;
  const only = type.fields[0];
  return only?.unbounded ? only : undefined;
}
