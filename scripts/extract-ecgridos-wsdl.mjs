#!/usr/bin/env node
/**
 * Cuts the operations gridhook serves out of the real ECGridOS v4.1 WSDL and writes them as two
 * TypeScript modules, so the served contract keeps the real element names, order and types:
 *
 *   src/http/soap/ecgridos-wsdl.ts   the WSDL subset, as a function of the endpoint address
 *   src/http/soap/ecgridos-types.ts  its enums, complex types and each operation's result type
 *
 * The source is copied line for line (only CRLF becomes LF): schema declarations, messages,
 * portTypes and the operations of all four bindings (SOAP 1.1, SOAP 1.2, HTTP GET, HTTP POST),
 * with the top-level elements the HTTP bindings answer with. The two documentation texts that
 * describe the hosted product are replaced.
 *
 * Usage: node scripts/extract-ecgridos-wsdl.mjs [--check] [path/to/ecgridos-v4.1.wsdl]
 * With --check nothing is written; the exit status says whether the committed modules are current.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLValidator } from 'fast-xml-parser';

const OPERATIONS = [
  'CallBackAddEx',
  'CallBackEventInfo',
  'CallBackEventListEx',
  'CallBackEventSetStatus',
  'CallBackQueueInfo',
  'CallBackTest',
  'CallBackPendingList',
  'CallBackPendingListEx',
  'CallBackFailedList',
  'CallBackFailedListEx',
  'Login',
  'Logout',
  'WhoAmI',
  'Version',
  'NowUTC',
];

const NAMESPACE = 'https://os.ecgrid.io/';
const SERVICE = 'ECGridOS_x0020_API_x0020_v4';
/** The bindings in the order the source declares them, with the portType and address element of each. */
const BINDINGS = [
  { name: `${SERVICE}Soap`, portType: `${SERVICE}Soap`, marker: 'soap:binding', address: 'soap:address' },
  { name: `${SERVICE}Soap12`, portType: `${SERVICE}Soap`, marker: 'soap12:binding', address: 'soap12:address' },
  { name: `${SERVICE}HttpGet`, portType: `${SERVICE}HttpGet`, marker: 'http:binding', address: 'http:address' },
  { name: `${SERVICE}HttpPost`, portType: `${SERVICE}HttpPost`, marker: 'http:binding', address: 'http:address' },
];
const MESSAGE_SUFFIXES = ['SoapIn', 'SoapOut', 'HttpGetIn', 'HttpGetOut', 'HttpPostIn', 'HttpPostOut'];
const DOC_NS = 'xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"';
const SERVICE_DOC =
  'The callback operations of ECGridOS v4.1, with their original element names and types, ' +
  'as served by gridhook: SOAP 1.1 and SOAP 1.2 document/literal, HTTP GET and HTTP POST.';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const checkOnly = args.includes('--check');
const sourceArg = args.find((a) => a !== '--check');
const sourcePath = path.resolve(sourceArg ?? path.join(root, '..', 'shared', 'reference', 'ecgridos-v4.1.wsdl'));
const lines = readFileSync(sourcePath, 'utf8').replace(/\r\n/g, '\n').split('\n');

function fail(message) {
  throw new Error(`${path.basename(sourcePath)}: ${message}`);
}

function indexOfLine(text, from = 0, to = lines.length) {
  for (let i = from; i < to; i++) if (lines[i] === text) return i;
  return fail(`line not found: ${text.trim()}`);
}

/** The lines of the element opening at `start`, through its closing tag at the same indentation. */
function blockAt(start) {
  const line = lines[start];
  const open = /^( *)<([\w:]+)[ >]/.exec(line) ?? fail(`not an element at line ${start + 1}: ${line}`);
  if (line.endsWith('/>') || line.endsWith(`</${open[2]}>`)) return { start, end: start };
  const close = `${open[1]}</${open[2]}>`;
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i] === close) return { start, end: i };
    if (!lines[i].startsWith(`${open[1]} `)) break;
  }
  return fail(`no ${close.trim()} for line ${start + 1}`);
}

/** Direct children of the element spanning [from, to), each as {name, kind, start, end}. */
function childBlocks(from, to, indent) {
  const out = [];
  for (let i = from; i < to; i++) {
    const line = lines[i];
    if (!line.startsWith(indent) || line[indent.length] === ' ' || line[indent.length + 1] === '/') continue;
    const block = blockAt(i);
    const kind = /^ *<([\w:]+)/.exec(line)[1];
    const name = /^ *<[\w:]+ name="([^"]+)"/.exec(line)?.[1] ?? '';
    out.push({ kind, name, ...block });
    i = block.end;
  }
  return out;
}

const text = (block) => lines.slice(block.start, block.end + 1).join('\n');

// --- schema -----------------------------------------------------------------------------------

const schemaOpen = `    <s:schema elementFormDefault="qualified" targetNamespace="${NAMESPACE}">`;
const schemaStart = indexOfLine(schemaOpen);
const schemaEnd = indexOfLine('    </s:schema>', schemaStart);
const declarations = childBlocks(schemaStart + 1, schemaEnd, '      ');

// Elements and types are separate symbol spaces in XML Schema, and the WSDL reuses names across them.
const elements = new Map();
const types = new Map();
for (const d of declarations) {
  if (d.kind === 's:element') elements.set(d.name, d);
  else if (d.kind === 's:complexType' || d.kind === 's:simpleType') types.set(d.name, d);
  else fail(`unexpected schema declaration ${d.kind} ${d.name}`);
}

const definitionsLine = lines.findIndex((l) => l.startsWith('<wsdl:definitions '));
const topLevel = childBlocks(definitionsLine + 1, indexOfLine('</wsdl:definitions>'), '  ');

const messageNames = new Set(OPERATIONS.flatMap((op) => MESSAGE_SUFFIXES.map((suffix) => `${op}${suffix}`)));
const messages = topLevel.filter((b) => b.kind === 'wsdl:message' && messageNames.has(b.name));
if (messages.length !== messageNames.size) fail(`missing some of the ${MESSAGE_SUFFIXES.join('/')} messages`);

// The HTTP bindings answer with a top-level element (tns:boolean, tns:CallBackEventIDInfo…).
const httpAnswers = messages
  .filter((m) => m.name.endsWith('HttpGetOut') || m.name.endsWith('HttpPostOut'))
  .map((m) => /<wsdl:part name="Body" element="tns:(\w+)" \/>/.exec(text(m))?.[1] ?? fail(`${m.name} has no Body part`));

const wantedElements = new Set();
const wantedTypes = new Set();
const queue = [];
for (const name of [...OPERATIONS.flatMap((op) => [op, `${op}Response`]), ...httpAnswers]) {
  if (!elements.has(name)) fail(`no element ${name}`);
  if (wantedElements.has(name)) continue;
  wantedElements.add(name);
  queue.push(elements.get(name));
}
while (queue.length > 0) {
  const body = text(queue.shift());
  if (/<s:any\b|\bref="/.test(body)) fail(`unsupported wildcard or reference in ${body.split('\n')[0].trim()}`);
  for (const [, prefix, name] of body.matchAll(/\b(?:type|base)="(\w+):(\w+)"/g)) {
    if (prefix === 's') continue;
    if (prefix !== 'tns') fail(`unexpected type prefix ${prefix}:${name}`);
    if (wantedTypes.has(name)) continue;
    const declaration = types.get(name) ?? fail(`no type ${name}`);
    wantedTypes.add(name);
    queue.push(declaration);
  }
}

const schemaBlocks = declarations.filter((d) =>
  d.kind === 's:element' ? wantedElements.has(d.name) : wantedTypes.has(d.name),
);

// --- messages, portType, binding ----------------------------------------------------------------

function operationsOf(kind, name) {
  const parent = topLevel.find((b) => b.kind === kind && b.name === name) ?? fail(`no ${kind} ${name}`);
  const children = childBlocks(parent.start + 1, parent.end, '    ');
  const ops = children.filter((c) => c.kind === 'wsdl:operation' && OPERATIONS.includes(c.name));
  if (ops.length !== OPERATIONS.length) fail(`${kind} ${name} lacks some operations`);
  return { parent, children, ops };
}

const portTypes = [...new Set(BINDINGS.map((b) => b.portType))].map((name) => operationsOf('wsdl:portType', name));
const portType = portTypes[0];
const bindings = BINDINGS.map((b) => {
  const found = operationsOf('wsdl:binding', b.name);
  const marker = found.children.find((c) => c.kind === b.marker) ?? fail(`binding ${b.name} has no ${b.marker}`);
  return { ...b, ...found, marker };
});

for (const type of portTypes) {
  const style = type.parent.name.slice(SERVICE.length);
  for (const op of type.ops) {
    const body = text(op);
    if (!body.includes(`message="tns:${op.name}${style}In"`) || !body.includes(`message="tns:${op.name}${style}Out"`)) {
      fail(`portType ${type.parent.name} operation ${op.name} does not use ${op.name}${style}In/Out`);
    }
  }
}
for (const b of bindings) {
  const http = b.marker.kind === 'http:binding';
  for (const op of b.ops) {
    const expected = http ? `<http:operation location="/${op.name}" />` : `soapAction="${NAMESPACE}${op.name}" style="document"`;
    if (!text(op).includes(expected)) fail(`binding ${b.name} operation ${op.name} lacks ${expected}`);
  }
}

// --- the WSDL module ----------------------------------------------------------------------------

const ADDRESS = '\u0000ADDRESS\u0000';
const wsdl = [
  '<?xml version="1.0" encoding="utf-8"?>',
  lines[definitionsLine],
  `  <wsdl:documentation ${DOC_NS}>${SERVICE_DOC}</wsdl:documentation>`,
  '  <wsdl:types>',
  schemaOpen,
  ...schemaBlocks.map(text),
  '    </s:schema>',
  '  </wsdl:types>',
  ...messages.map(text),
  ...portTypes.flatMap((t) => [lines[t.parent.start], ...t.ops.map(text), lines[t.parent.end]]),
  ...bindings.flatMap((b) => [lines[b.parent.start], text(b.marker), ...b.ops.map(text), lines[b.parent.end]]),
  `  <wsdl:service name="${SERVICE}">`,
  `    <wsdl:documentation ${DOC_NS}>${SERVICE_DOC}</wsdl:documentation>`,
  ...bindings.flatMap((b) => [
    `    <wsdl:port name="${b.name}" binding="tns:${b.name}">`,
    `      <${b.address} location="${ADDRESS}" />`,
    '    </wsdl:port>',
  ]),
  '  </wsdl:service>',
  '</wsdl:definitions>',
  '',
].join('\n');

const check = XMLValidator.validate(wsdl.replaceAll(ADDRESS, 'http://localhost/'));
if (check !== true) fail(`extracted WSDL is not well-formed: ${JSON.stringify(check)}`);

const templateBody = wsdl
  .replace(/\\/g, '\\\\')
  .replace(/`/g, '\\`')
  .replace(/\$\{/g, '\\${')
  .replaceAll(ADDRESS, '${escapeXml(address)}');

const header = (what) =>
  [
    '/*',
    ` * ${what}`,
    ' * Written by scripts/extract-ecgridos-wsdl.mjs from the ECGridOS v4.1 WSDL: change the script and',
    ' * rerun it (`node scripts/extract-ecgridos-wsdl.mjs`) rather than editing this file.',
    ' */',
  ].join('\n');

const wsdlModule = `${header('The ECGridOS v4.1 operations gridhook serves, as the real WSDL declares them.')}
import { escapeXml } from './xml.js';

/** The WSDL document, with \`address\` (the absolute endpoint URL) as the location of all four ports. */
export function ecgridosWsdl(address: string): string {
  return \`${templateBody}\`;
}
`;

// --- the types module ---------------------------------------------------------------------------

const FIELD =
  /^ *<s:element minOccurs="(\d+)" maxOccurs="(\d+|unbounded)" name="(\w+)"( nillable="true")? type="(s|tns):(\w+)" \/>$/;
const PRIMITIVES = {
  string: 'string',
  int: 'number',
  short: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  unsignedByte: 'number',
  boolean: 'boolean',
  dateTime: 'DateTimeValue',
};

function fieldsOf(block) {
  const body = lines.slice(block.start + 1, block.end);
  return body
    .filter((l) => l.trim().startsWith('<s:element '))
    .map((l) => {
      const m = FIELD.exec(l) ?? fail(`unexpected field declaration: ${l.trim()}`);
      const [, minOccurs, maxOccurs, name, nillable, prefix, type] = m;
      if (prefix === 's' && !(type in PRIMITIVES)) fail(`unsupported XML Schema type s:${type}`);
      return { name, optional: minOccurs === '0', list: maxOccurs === 'unbounded', nillable: !!nillable, prefix, type };
    });
}

const enums = [];
const complexTypes = [];
for (const name of wantedTypes) {
  const block = types.get(name);
  if (block.kind === 's:simpleType') {
    const values = [...text(block).matchAll(/<s:enumeration value="(\w+)" \/>/g)].map((m) => m[1]);
    if (values.length === 0) fail(`simple type ${name} is not an enumeration`);
    enums.push({ name, values, start: block.start });
  } else {
    complexTypes.push({ name, fields: fieldsOf(block), start: block.start });
  }
}
enums.sort((a, b) => a.start - b.start);
complexTypes.sort((a, b) => a.start - b.start);

const arrayItem = new Map(
  complexTypes.filter((t) => t.fields.length === 1 && t.fields[0].list).map((t) => [t.name, t.fields[0].type]),
);

function tsType(field) {
  if (field.prefix === 's') return PRIMITIVES[field.type];
  const item = arrayItem.get(field.type);
  return item === undefined ? field.type : `${item}[]`;
}

function resultOf(op) {
  const fields = fieldsOf(elements.get(`${op}Response`));
  if (fields.length !== 1 || fields[0].name !== `${op}Result`) fail(`${op}Response is not a single ${op}Result`);
  return tsType(fields[0]);
}

/** `[...] as const` of quoted values, one per line once it no longer fits on one. */
function constList(prefix, values) {
  const quoted = values.map((v) => `'${v}'`);
  const oneLine = `${prefix}[${quoted.join(', ')}] as const;`;
  return oneLine.length <= 110 ? [oneLine] : [`${prefix}[`, ...quoted.map((q) => `  ${q},`), '] as const;'];
}

const typesOut = [
  header('Types of the ECGridOS v4.1 operations gridhook serves, named as the real WSDL names them.'),
  "import type { DateTimeValue } from './schema.js';",
  '',
  `export const ECGRIDOS_NAMESPACE = '${NAMESPACE}';`,
  '',
  '/** The operations, in the order the WSDL declares them. */',
  ...constList('export const ECGRIDOS_OPERATIONS = ', portType.ops.map((o) => o.name)),
  'export type EcgridosOperation = (typeof ECGRIDOS_OPERATIONS)[number];',
  '',
];
for (const e of enums) {
  typesOut.push(...constList(`export const ${e.name} = `, e.values));
  typesOut.push(`export type ${e.name} = (typeof ${e.name})[number];`, '');
}
for (const t of complexTypes) {
  if (arrayItem.has(t.name)) continue;
  typesOut.push(`export interface ${t.name} {`);
  for (const f of t.fields) typesOut.push(`  ${f.name}${f.optional ? '?' : ''}: ${tsType(f)};`);
  typesOut.push('}', '');
}
typesOut.push('/** What the handler of each operation returns: the value of its `<Operation>Result` element. */');
typesOut.push('export interface EcgridosResults {');
for (const op of portType.ops) typesOut.push(`  ${op.name}: ${resultOf(op.name)};`);
typesOut.push('}', '');

const outputs = [
  ['src/http/soap/ecgridos-wsdl.ts', wsdlModule],
  ['src/http/soap/ecgridos-types.ts', typesOut.join('\n')],
];
if (checkOnly) {
  const stale = outputs.filter(([file, content]) => {
    const target = path.join(root, file);
    return !existsSync(target) || readFileSync(target, 'utf8') !== content;
  });
  for (const [file] of stale) console.error(`${file} differs from what the script writes`);
  process.exit(stale.length === 0 ? 0 : 1);
}
for (const [file, content] of outputs) writeFileSync(path.join(root, file), content);

console.log(`operations (${portType.ops.length}): ${portType.ops.map((o) => o.name).join(', ')}`);
console.log(`complex types (${complexTypes.length}): ${complexTypes.map((t) => t.name).join(', ')}`);
console.log(`enumerations (${enums.length}): ${enums.map((e) => e.name).join(', ')}`);
console.log(`WSDL: ${wsdl.length} characters`);
