/**
 * Reading a SOAP 1.1 or 1.2 request: hardened against hostile XML before anything looks at its content.
 *
 * - No DOCTYPE or ENTITY declarations at all (SOAP 1.1 §3 and 1.2 §5 forbid a DTD in a message), which shuts
 *   out external entities (XXE) and entity expansion (billion laughs) before parsing begins; the
 *   parser is also run with entity processing off, and only XML's five predefined entities and
 *   character references are decoded, here.
 * - Size and nesting depth are capped, so a small request cannot cost much to parse.
 * - Namespaces are resolved, not guessed from prefixes: `ecg:`, `tns:`, `ns1:` or a default xmlns
 *   are all the same operation when they name the same namespace URI.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SoapRequestError } from './fault.js';
import { hasNonXmlChar, SOAP12_ENVELOPE_NS, SOAP_ENVELOPE_NS, XSI_NS } from './xml.js';

/** A parameter as sent: text, nil (`xsi:nil="true"`), a structure, or a repeated element's values. */
export type SoapValue = string | null | SoapStruct | SoapValue[];
export interface SoapStruct {
  [name: string]: SoapValue;
}

/** The SOAP version of a message, told by its Envelope's namespace. */
export type SoapVersion = '1.1' | '1.2';

export const ENVELOPE_NS: Record<SoapVersion, string> = { '1.1': SOAP_ENVELOPE_NS, '1.2': SOAP12_ENVELOPE_NS };

export interface SoapRequest {
  version: SoapVersion;
  /** Namespace URI of the operation element: which contract the caller speaks. */
  namespace: string;
  /** Local name of the operation element. */
  operation: string;
  /** The operation element's children by local name; a null-prototype object. */
  params: SoapStruct;
}

export interface EnvelopeLimits {
  /** Largest request accepted, in bytes of UTF-8. */
  maxBytes: number;
  /** Deepest element nesting accepted; Envelope/Body/Operation/Parameter is 4. */
  maxDepth: number;
}

/** Every operation served takes a handful of short parameters; 64 KiB leaves room for long URLs. */
export const DEFAULT_ENVELOPE_LIMITS: EnvelopeLimits = { maxBytes: 64 * 1024, maxDepth: 32 };

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const envelopeHint = (version: SoapVersion) =>
  `a SOAP ${version} message is <soap:Envelope xmlns:soap="${ENVELOPE_NS[version]}">` +
  '<soap:Body>…</soap:Body></soap:Envelope>';
const ENVELOPE_HINT = `${envelopeHint('1.1')} (SOAP 1.2: Envelope namespace ${SOAP12_ENVELOPE_NS})`;

/** SOAP 1.2 §2.2: the roles a message may address to this node, besides leaving the role out. */
const SOAP12_OUR_ROLES = [`${SOAP12_ENVELOPE_NS}/role/next`, `${SOAP12_ENVELOPE_NS}/role/ultimateReceiver`];

const parser = (maxDepth: number) =>
  new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: false,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: false,
    cdataPropName: '#cdata',
    // The parser counts from 0; the walk below enforces the limit exactly.
    maxNestedTags: maxDepth,
  });

/** One node of the parser's ordered output: `{ tag: children, ':@': attributes }` or `{ '#text': … }`. */
type OrderedNode = Record<string, unknown>;

interface Element {
  namespace: string;
  local: string;
  /** The tag as written, for messages. */
  tag: string;
  /** Attributes by `{namespace}local` (or `local` when unqualified), xmlns declarations excluded. */
  attributes: Map<string, string>;
  children: Element[];
  text: string;
}

function fail(message: string, field = 'Envelope'): never {
  throw new SoapRequestError(message, { field });
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  // The validator has already checked that every & starts a well-formed reference ending in ;.
  return raw.replace(/&([^;&]*);/g, (whole, name: string) => {
    const predefined = PREDEFINED[name];
    if (predefined !== undefined) return predefined;
    const codePoint = /^#x[0-9a-fA-F]+$/.test(name)
      ? Number.parseInt(name.slice(2), 16)
      : /^#[0-9]+$/.test(name)
        ? Number.parseInt(name.slice(1), 10)
        : undefined;
    if (codePoint === undefined) {
      fail(`The entity ${whole} is not defined; only &lt; &gt; &amp; &quot; &apos; and character references are.`);
    }
    const valid = codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
    const char = valid ? String.fromCodePoint(codePoint) : '';
    if (char === '' || hasNonXmlChar(char)) fail(`The character reference ${whole} is not a character XML allows.`);
    return char;
  });
}

function tagOf(node: OrderedNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@');
}

function buildElement(
  node: OrderedNode,
  tag: string,
  scope: ReadonlyMap<string, string>,
  depth: number,
  maxDepth: number,
): Element {
  if (depth > maxDepth) fail(`The XML nests deeper than ${maxDepth} elements.`);
  const rawAttributes = (node[':@'] ?? {}) as Record<string, string>;
  let inner: Map<string, string> | undefined;
  for (const [name, value] of Object.entries(rawAttributes)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      inner ??= new Map(scope);
      inner.set(name === 'xmlns' ? '' : name.slice(6), decodeEntities(value));
    }
  }
  const names = inner ?? scope;
  const resolve = (qname: string, isElement: boolean): [string, string] => {
    const colon = qname.indexOf(':');
    if (colon === -1) return [isElement ? (names.get('') ?? '') : '', qname];
    const prefix = qname.slice(0, colon);
    const namespace = prefix === 'xml' ? XML_NS : names.get(prefix);
    if (namespace === undefined || namespace === '') {
      fail(`The prefix "${prefix}" of <${qname}> is not bound to a namespace.`);
    }
    return [namespace, qname.slice(colon + 1)];
  };

  const [namespace, local] = resolve(tag, true);
  const attributes = new Map<string, string>();
  for (const [name, value] of Object.entries(rawAttributes)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const [ns, attrLocal] = resolve(name, false);
    attributes.set(ns === '' ? attrLocal : `{${ns}}${attrLocal}`, decodeEntities(value));
  }

  const children: Element[] = [];
  let text = '';
  for (const item of (node[tag] ?? []) as OrderedNode[]) {
    const childTag = tagOf(item);
    if (childTag === '#text') text += decodeEntities(String(item['#text']));
    else if (childTag === '#cdata') {
      for (const part of item['#cdata'] as OrderedNode[]) text += String(part['#text'] ?? '');
    } else if (childTag === undefined || childTag.startsWith('?')) {
      fail('Processing instructions are not allowed in a SOAP message.');
    } else {
      children.push(buildElement(item, childTag, names, depth + 1, maxDepth));
    }
  }
  return { namespace, local, tag, attributes, children, text };
}

function isBlank(text: string): boolean {
  return /^[ \t\r\n]*$/.test(text);
}

/** Rejects text between elements where only elements belong. */
function elementsOnly(element: Element): Element[] {
  if (!isBlank(element.text)) fail(`<${element.tag}> may contain only elements, not text.`);
  return element.children;
}

function readDocument(xml: string, limits: EnvelopeLimits): Element {
  const bytes = Buffer.byteLength(xml, 'utf8');
  if (bytes > limits.maxBytes) {
    throw new SoapRequestError(`The request is ${bytes} bytes; this endpoint accepts at most ${limits.maxBytes}.`, {
      code: 'PayloadTooLarge',
      field: 'Envelope',
    });
  }
  const text = (xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml).trimStart();
  if (text === '') fail(`The request body is empty; ${ENVELOPE_HINT}.`);
  if (!text.startsWith('<')) fail(`The request body is not XML; ${ENVELOPE_HINT}.`);
  if (/<!(?!--|\[CDATA\[)/.test(text)) {
    fail('DOCTYPE and ENTITY declarations are not allowed in a SOAP message.');
  }
  if (hasNonXmlChar(text)) fail('The request contains characters that XML does not allow.');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    fail(`The request is not well-formed XML: ${msg} (line ${line}, column ${col}).`);
  }

  let nodes: OrderedNode[];
  try {
    nodes = parser(limits.maxDepth).parse(text) as OrderedNode[];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/nested/i.test(reason)) fail(`The XML nests deeper than ${limits.maxDepth} elements.`);
    fail(`The request could not be read as XML: ${reason}`);
  }
  const roots: Element[] = [];
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === '#text') {
      if (!isBlank(String(node['#text']))) fail('Only one root element, the Envelope, may be in the request.');
    } else if (tag === undefined || tag.startsWith('?')) {
      fail('Processing instructions are not allowed in a SOAP message.');
    } else {
      roots.push(buildElement(node, tag, new Map(), 1, limits.maxDepth));
    }
  }
  if (roots.length !== 1) fail(`The request must have exactly one root element, the Envelope; it has ${roots.length}.`);
  return roots[0] as Element;
}

function versionOf(namespace: string): SoapVersion | undefined {
  return namespace === SOAP_ENVELOPE_NS ? '1.1' : namespace === SOAP12_ENVELOPE_NS ? '1.2' : undefined;
}

/**
 * The Envelope's Body and SOAP version, once the Envelope is checked. The version is the
 * Envelope's, whatever the Content-Type said: a 1.1 envelope sent as application/soap+xml is
 * answered in 1.1, so a client that mislabels its requests still reads the answer.
 */
function checkEnvelope(root: Element): { body: Element; version: SoapVersion } {
  if (root.local !== 'Envelope') fail(`The root element is <${root.tag}>; ${ENVELOPE_HINT}.`);
  const version = versionOf(root.namespace);
  if (version === undefined) {
    throw new SoapRequestError(
      `This endpoint speaks SOAP 1.1 (Envelope namespace ${SOAP_ENVELOPE_NS}) and SOAP 1.2 ` +
        `(${SOAP12_ENVELOPE_NS}); the request is an envelope in namespace "${root.namespace}".`,
      { faultCode: 'VersionMismatch', field: 'Envelope' },
    );
  }
  const namespace = ENVELOPE_NS[version];
  const parts = elementsOnly(root);
  const inSoap = (name: string) => parts.filter((p) => p.namespace === namespace && p.local === name);
  const bodies = inSoap('Body');
  const headers = inSoap('Header');
  if (bodies.length === 0) fail(`The Envelope has no Body; ${envelopeHint(version)}.`);
  if (bodies.length > 1) fail('The Envelope has more than one Body.');
  const body = bodies[0] as Element;
  if (headers.length > 1) fail('The Envelope has more than one Header.');
  const header = headers[0];
  if (header !== undefined) {
    if (parts.indexOf(header) > parts.indexOf(body)) fail('The Header must come before the Body.');
    checkHeaderEntries(header, version);
  }
  return { body, version };
}

/**
 * SOAP 1.1 §4.2.3 and 1.2 §5.2.3: an entry aimed at this node (no actor/role, or the "next" one,
 * or in 1.2 "ultimateReceiver") with mustUnderstand set must be understood or the message refused.
 * gridhook understands no header entries: credentials travel in the body (SessionID), as the
 * ECGridOS contracts define them.
 */
function checkHeaderEntries(header: Element, version: SoapVersion): void {
  const namespace = ENVELOPE_NS[version];
  for (const entry of elementsOnly(header)) {
    const mustUnderstand = entry.attributes.get(`{${namespace}}mustUnderstand`)?.trim();
    const forUs =
      version === '1.1'
        ? [undefined, 'http://schemas.xmlsoap.org/soap/actor/next'].includes(entry.attributes.get(`{${namespace}}actor`))
        : [undefined, ...SOAP12_OUR_ROLES].includes(entry.attributes.get(`{${namespace}}role`));
    if (forUs && (mustUnderstand === '1' || mustUnderstand === 'true')) {
      throw new SoapRequestError(
        `The header <${entry.tag}> is marked mustUnderstand, and this endpoint processes no SOAP headers; ` +
          'send credentials as the SessionID parameter.',
        { faultCode: 'MustUnderstand', field: entry.local },
      );
    }
  }
}

function valueOf(element: Element, operationNs: string): SoapValue {
  const nil = element.attributes.get(`{${XSI_NS}}nil`)?.trim();
  if (nil === 'true' || nil === '1') return null;
  if (element.children.length === 0) return element.text;
  if (!isBlank(element.text)) fail(`<${element.tag}> mixes text and elements.`, element.local);
  return structOf(element, operationNs);
}

/**
 * Children may be qualified with the operation's namespace (as elementFormDefault="qualified"
 * declares) or left unqualified, which hand-written clients often do; any other namespace is an
 * error, since it usually means the caller mixed the two contracts.
 */
function structOf(element: Element, operationNs: string): SoapStruct {
  const out: SoapStruct = Object.create(null) as SoapStruct;
  for (const child of element.children) {
    if (child.namespace !== operationNs && child.namespace !== '') {
      fail(
        `<${child.tag}> is in namespace "${child.namespace}"; ` +
          `the parameters of <${element.tag}> belong to "${operationNs}".`,
        child.local,
      );
    }
    // valueOf never answers an array, so an array here is always an earlier repetition.
    const value = valueOf(child, operationNs);
    const existing = out[child.local];
    if (existing === undefined) out[child.local] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[child.local] = [existing, value];
  }
  return out;
}

/** Parses and checks a SOAP 1.1 or 1.2 request body; throws SoapRequestError (a Client fault) on anything amiss. */
export function parseSoapEnvelope(xml: string, limits: Partial<EnvelopeLimits> = {}): SoapRequest {
  const effective = { ...DEFAULT_ENVELOPE_LIMITS, ...limits };
  const { body, version } = checkEnvelope(readDocument(xml, effective));
  const operations = elementsOnly(body);
  if (operations.length !== 1) {
    fail(`The Body must contain exactly one operation element; it contains ${operations.length}.`, 'Body');
  }
  const operation = operations[0] as Element;
  if (operation.namespace === '') {
    fail(
      `The operation <${operation.tag}> has no namespace; ` +
        `qualify it with the contract's namespace, e.g. xmlns="http://www.ecgridos.net/".`,
      'Body',
    );
  }
  if (!isBlank(operation.text) && operation.children.length > 0) {
    fail(`<${operation.tag}> mixes text and elements.`, 'Body');
  }
  return {
    version,
    namespace: operation.namespace,
    operation: operation.local,
    params: structOf(operation, operation.namespace),
  };
}

/**
 * The action the caller names: the SOAPAction header (SOAP 1.1), or the `action` parameter of an
 * application/soap+xml Content-Type (SOAP 1.2). Quotes are dropped; an empty action names nothing (SOAP 1.1
 * §6.1.1: "" means "the request URI"), so it is not checked.
 */
export function soapActionOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.soapaction;
  const raw =
    typeof header === 'string'
      ? header
      : /;\s*action\s*=\s*("[^"]*"|[^;\s]*)/i.exec(headers['content-type'] ?? '')?.[1];
  const action = raw?.trim().replace(/^"(.*)"$/, '$1').trim();
  return action === undefined || action === '' ? undefined : action;
}

/** Refuses a request whose SOAPAction names another operation than its Body carries. */
export function checkSoapAction(action: string | undefined, expected: string): void {
  if (action !== undefined && action !== expected) {
    throw new SoapRequestError(
      `SOAPAction "${action}" does not match the operation in the Body, whose action is "${expected}".`,
      { field: 'SOAPAction' },
    );
  }
}
