/**
 * Builders of real EDI interchanges for tests: X12 850 / 810 / 997 with correct
 * ISA/GS/ST/SE/GE/IEA structure and counts, and EDIFACT ORDERS with or without UNA.
 * Every builder returns the file as a string; `Buffer.from(text)` gives its bytes
 * (UTF-8; use `Buffer.from(text, 'latin1')` for an EDIFACT UNOC file with non-ASCII IDs).
 * Defaults are deterministic (fixed date, control numbers 1), so two calls with the
 * same options build the same file.
 */

/** An X12 interchange party: ISA05/ISA06 for the sender, ISA07/ISA08 for the receiver. */
export interface X12Party {
  qualifier: string;
  id: string;
}

export interface X12SeparatorOptions {
  /** Default '*'. */
  element?: string;
  /** ISA16. Default '>'. */
  component?: string;
  /** Default '~'. */
  segment?: string;
  /** ISA11 for version 00402 and later. Default '^', or '{' when '^' is taken; ignored for 00401, whose ISA11 is 'U'. */
  repetition?: string;
  /** Written after every segment terminator. Default '' (one long line). */
  lineEnding?: '' | '\n' | '\r\n';
}

export interface X12InterchangeOptions {
  /** Default ZZ / SENDER. */
  sender?: X12Party;
  /** Default ZZ / RECEIVER. */
  receiver?: X12Party;
  separators?: X12SeparatorOptions;
  /** ISA12. Default '00401'; GS08 follows it ('004010', '005010'). */
  version?: '00401' | '00501';
  /** ISA13 / IEA02. Default 1. */
  controlNumber?: number;
  /** GS06 / GE02. Default 1. */
  groupControlNumber?: number;
  /** ISA15. Default 'P'. */
  usage?: 'P' | 'T';
  /** ISA09/10 and GS04/05. Default 2024-03-15 10:30 UTC. */
  date?: Date;
  /**
   * 'fixed-width' (default) pads ISA elements to X12's widths and throws if an ID
   * is too long; 'unpadded' writes them without padding, as some partners do.
   */
  isaLayout?: 'fixed-width' | 'unpadded';
  /** ST/SE transaction sets in the one functional group. Default 1. */
  transactionSets?: number;
}

export interface X12PurchaseOrderOptions extends X12InterchangeOptions {
  /** BEG03; with several transaction sets, the set number is appended. Default 'PO1001'. */
  poNumber?: string;
  /** PO1/PID pairs per transaction set. Default 3. */
  lineItems?: number;
}

export interface X12InvoiceOptions extends X12InterchangeOptions {
  /** BIG02; with several transaction sets, the set number is appended. Default 'INV2001'. */
  invoiceNumber?: string;
  /** BIG04. Default 'PO1001'. */
  poNumber?: string;
  /** IT1 lines per transaction set. Default 3. */
  lineItems?: number;
}

export interface X12AcknowledgedGroup {
  /** AK101, the GS01 of the group acknowledged. Default 'PO'. */
  functionalId?: string;
  /** AK102, the GS06 of the group acknowledged. Default 1. */
  groupControlNumber?: number;
  /** AK201, the ST01 of the sets acknowledged. Default '850'. */
  transactionSetId?: string;
  /** How many sets (ST02 0001, 0002, …) the group held; one AK2/AK5 pair each. Default 1. */
  transactionSetCount?: number;
}

export interface X12FunctionalAckOptions extends X12InterchangeOptions {
  acknowledges?: X12AcknowledgedGroup;
}

export interface LargeX12PurchaseOrderOptions extends X12PurchaseOrderOptions {
  /** The file is at least this many bytes; line items are added until it is. */
  minBytes: number;
}

const DEFAULT_DATE = new Date(Date.UTC(2024, 2, 15, 10, 30));
const ISA_ID_WIDTH = 15;
const ISA_QUALIFIER_WIDTH = 2;

/** A segment: its elements in order; an array element is a composite, joined by the component separator. */
type Segment = (string | string[])[];

/** X12 850 purchase order. */
export function buildX12PurchaseOrder(options: X12PurchaseOrderOptions = {}): string {
  const lineItems = options.lineItems ?? 3;
  const sets = options.transactionSets ?? 1;
  return buildX12Interchange(options, 'PO', '850', (setNumber) => {
    const poNumber = numbered(options.poNumber ?? 'PO1001', setNumber, sets);
    const segments: Segment[] = [
      ['BEG', '00', 'SA', poNumber, '', ccyymmdd(options.date ?? DEFAULT_DATE)],
      ['REF', 'DP', '038', '', ['ZZ', 'DEPT38']],
      ['DTM', '002', '20240401'],
      ['N1', 'ST', 'ACME WAREHOUSE', '92', '0001'],
    ];
    for (let line = 1; line <= lineItems; line++) {
      segments.push(
        ['PO1', String(line), String((line % 9) + 1), 'EA', '9.99', '', 'VP', sku(line)],
        ['PID', 'F', '', '', '', `WIDGET ${line}`],
      );
    }
    segments.push(['CTT', String(lineItems)]);
    return segments;
  });
}

/** X12 810 invoice. */
export function buildX12Invoice(options: X12InvoiceOptions = {}): string {
  const lineItems = options.lineItems ?? 3;
  const sets = options.transactionSets ?? 1;
  return buildX12Interchange(options, 'IN', '810', (setNumber) => {
    const invoiceNumber = numbered(options.invoiceNumber ?? 'INV2001', setNumber, sets);
    const segments: Segment[] = [
      ['BIG', ccyymmdd(options.date ?? DEFAULT_DATE), invoiceNumber, '20240310', options.poNumber ?? 'PO1001'],
      ['N1', 'RE', 'ACME SUPPLY', '92', '0002'],
    ];
    let totalCents = 0;
    for (let line = 1; line <= lineItems; line++) {
      const quantity = (line % 9) + 1;
      totalCents += quantity * 999;
      segments.push(['IT1', String(line), String(quantity), 'EA', '9.99', '', 'VP', sku(line)]);
    }
    segments.push(['TDS', String(totalCents)], ['CTT', String(lineItems)]);
    return segments;
  });
}

/** X12 997 functional acknowledgment accepting one functional group. */
export function buildX12FunctionalAck(options: X12FunctionalAckOptions = {}): string {
  const acked = options.acknowledges ?? {};
  const ackedSets = acked.transactionSetCount ?? 1;
  return buildX12Interchange(options, 'FA', '997', () => {
    const segments: Segment[] = [['AK1', acked.functionalId ?? 'PO', String(acked.groupControlNumber ?? 1)]];
    for (let set = 1; set <= ackedSets; set++) {
      segments.push(['AK2', acked.transactionSetId ?? '850', setControlNumber(set)], ['AK5', 'A']);
    }
    segments.push(['AK9', 'A', String(ackedSets), String(ackedSets), String(ackedSets)]);
    return segments;
  });
}

/** An 850 of at least `minBytes`, grown by repeating line items, for size-limit and streaming tests. */
export function buildLargeX12PurchaseOrder(options: LargeX12PurchaseOrderOptions): string {
  const { minBytes, ...rest } = options;
  const base = buildX12PurchaseOrder({ ...rest, lineItems: 1 });
  const perLine = buildX12PurchaseOrder({ ...rest, lineItems: 2 }).length - base.length;
  let lineItems = Math.max(1, Math.ceil((minBytes - base.length) / perLine) + 1);
  for (;;) {
    const text = buildX12PurchaseOrder({ ...rest, lineItems });
    if (text.length >= minBytes) return text;
    lineItems += Math.ceil((minBytes - text.length) / perLine);
  }
}

function buildX12Interchange(
  options: X12InterchangeOptions,
  functionalId: string,
  transactionSetId: string,
  body: (setNumber: number) => Segment[],
): string {
  const element = options.separators?.element ?? '*';
  const component = options.separators?.component ?? '>';
  const segment = options.separators?.segment ?? '~';
  const separators = {
    element,
    component,
    segment,
    repetition: options.separators?.repetition ?? ([element, component, segment].includes('^') ? '{' : '^'),
    lineEnding: options.separators?.lineEnding ?? '',
  };
  const version = options.version ?? '00401';
  const delimiters = [separators.element, separators.component, separators.segment];
  if (version !== '00401') delimiters.push(separators.repetition);
  if (new Set(delimiters).size !== delimiters.length || delimiters.some((d) => d.length !== 1)) {
    throw new Error('X12 separators (element, component, segment and, from 00402, repetition) must be different single characters');
  }
  const checkValue = (value: string): string => {
    const clash = delimiters.find((d) => value.includes(d));
    if (clash !== undefined) throw new Error(`X12 value "${value}" contains the separator '${clash}'`);
    return value;
  };
  const sender = options.sender ?? { qualifier: 'ZZ', id: 'SENDER' };
  const receiver = options.receiver ?? { qualifier: 'ZZ', id: 'RECEIVER' };
  const date = options.date ?? DEFAULT_DATE;
  const controlNumber = String(options.controlNumber ?? 1).padStart(9, '0');
  const groupControlNumber = String(options.groupControlNumber ?? 1);
  const sets = options.transactionSets ?? 1;
  const fixed = (options.isaLayout ?? 'fixed-width') === 'fixed-width';
  const isaField = (value: string, width: number, name: string): string => {
    checkValue(value);
    if (!fixed) return value;
    if (value.length > width) throw new Error(`${name} "${value}" is longer than its ${width} ISA characters`);
    return value.padEnd(width, ' ');
  };

  const write = (segment: Segment): string => {
    const elements = segment.map((element) => {
      const components = Array.isArray(element) ? element : [element];
      return components.map(checkValue).join(separators.component);
    });
    return elements.join(separators.element) + separators.segment + separators.lineEnding;
  };

  const isa = [
    'ISA',
    '00',
    fixed ? ' '.repeat(10) : '',
    '00',
    fixed ? ' '.repeat(10) : '',
    isaField(sender.qualifier, ISA_QUALIFIER_WIDTH, 'sender qualifier'),
    isaField(sender.id, ISA_ID_WIDTH, 'sender ID'),
    isaField(receiver.qualifier, ISA_QUALIFIER_WIDTH, 'receiver qualifier'),
    isaField(receiver.id, ISA_ID_WIDTH, 'receiver ID'),
    yymmdd(date),
    hhmm(date),
    version === '00401' ? 'U' : separators.repetition,
    version,
    controlNumber,
    '0',
    options.usage ?? 'P',
    separators.component,
  ];
  // ISA16 is the component separator itself, and ISA11 may be the repetition separator, so the ISA bypasses `write`.
  const parts: string[] = [isa.join(separators.element) + separators.segment + separators.lineEnding];
  parts.push(
    write(['GS', functionalId, sender.id, receiver.id, ccyymmdd(date), hhmm(date), groupControlNumber, 'X', `${version}0`]),
  );
  for (let set = 1; set <= sets; set++) {
    const segments = body(set);
    parts.push(write(['ST', transactionSetId, setControlNumber(set)]));
    for (const segment of segments) parts.push(write(segment));
    parts.push(write(['SE', String(segments.length + 2), setControlNumber(set)]));
  }
  parts.push(write(['GE', String(sets), groupControlNumber]), write(['IEA', '1', controlNumber]));
  return parts.join('');
}

/** An EDIFACT party: S002/S003 identification, qualifier (omitted when undefined) and routing address. */
export interface EdifactParty {
  id: string;
  qualifier?: string;
  routing?: string;
}

export interface EdifactSeparatorOptions {
  /** Default ':'. */
  component?: string;
  /** Default '+'. */
  element?: string;
  /** Default '.'; used in PRI prices. */
  decimal?: string;
  /** Default '?'; ' ' declares that no release character is in use. */
  release?: string;
  /** UNA position 5. Default ' ' (reserved). */
  repetition?: string;
  /** Default "'". */
  segment?: string;
  /** Written after every segment terminator. Default '' (one long line). */
  lineEnding?: '' | '\n' | '\r\n';
}

export interface EdifactOrdersOptions {
  /** Default SENDER:ZZZ. */
  sender?: EdifactParty;
  /** Default RECEIVER:ZZZ. */
  receiver?: EdifactParty;
  separators?: EdifactSeparatorOptions;
  /** Write a UNA segment. Default: only when the separators differ from ISO 9735's defaults. */
  una?: boolean;
  /** UNB01. Default UNOC / '3'; version '4' writes the date as CCYYMMDD. */
  syntax?: { identifier?: string; version?: '1' | '2' | '3' | '4' };
  /** UNB05 / UNZ02. Default 'REF00001'. */
  controlReference?: string;
  /** UNB07 application reference. Default none. */
  applicationReference?: string;
  /** UNB11 test indicator '1'. Default false. */
  test?: boolean;
  /** UNB04 and DTM. Default 2024-03-15 10:30 UTC. */
  date?: Date;
  /** BGM02. Default 'PO1001'. */
  orderNumber?: string;
  /** FTX free text; separators in it are release-escaped. Default none. */
  freeText?: string;
  /** LIN/QTY/PRI groups. Default 2. */
  lineItems?: number;
}

/** EDIFACT D.96A ORDERS in one interchange, values release-escaped as needed. */
export function buildEdifactOrders(options: EdifactOrdersOptions = {}): string {
  const separators = {
    component: options.separators?.component ?? ':',
    element: options.separators?.element ?? '+',
    decimal: options.separators?.decimal ?? '.',
    release: options.separators?.release ?? '?',
    repetition: options.separators?.repetition ?? ' ',
    segment: options.separators?.segment ?? "'",
    lineEnding: options.separators?.lineEnding ?? '',
  };
  const isoDefaults =
    separators.component === ':' &&
    separators.element === '+' &&
    separators.decimal === '.' &&
    separators.release === '?' &&
    separators.repetition === ' ' &&
    separators.segment === "'";
  const una = options.una ?? !isoDefaults;
  const release = separators.release === ' ' ? undefined : separators.release;
  const reserved = [separators.component, separators.element, separators.segment, release, separators.repetition]
    .filter((c): c is string => c !== undefined && c !== ' ');

  const escape = (value: string): string =>
    [...value]
      .map((char) => {
        if (!reserved.includes(char)) return char;
        if (release === undefined) {
          throw new Error(`EDIFACT value "${value}" contains the separator '${char}' and no release character is set`);
        }
        return release + char;
      })
      .join('');
  const write = (segment: Segment): string =>
    segment
      .map((element) => (Array.isArray(element) ? element : [element]).map(escape).join(separators.component))
      .join(separators.element) + separators.segment + separators.lineEnding;
  const party = (p: EdifactParty): string[] =>
    p.routing !== undefined ? [p.id, p.qualifier ?? '', p.routing] : p.qualifier !== undefined ? [p.id, p.qualifier] : [p.id];

  const date = options.date ?? DEFAULT_DATE;
  const syntaxVersion = options.syntax?.version ?? '3';
  const controlReference = options.controlReference ?? 'REF00001';
  const lineItems = options.lineItems ?? 2;
  const price = `9${separators.decimal}99`;

  const unb: Segment = [
    'UNB',
    [options.syntax?.identifier ?? 'UNOC', syntaxVersion],
    party(options.sender ?? { id: 'SENDER', qualifier: 'ZZZ' }),
    party(options.receiver ?? { id: 'RECEIVER', qualifier: 'ZZZ' }),
    [syntaxVersion === '4' ? ccyymmdd(date) : yymmdd(date), hhmm(date)],
    controlReference,
  ];
  if (options.applicationReference !== undefined || options.test === true) {
    unb.push('', options.applicationReference ?? '');
  }
  if (options.test === true) unb.push('', '', '', '1');

  const message: Segment[] = [
    ['UNH', '1', ['ORDERS', 'D', '96A', 'UN']],
    ['BGM', '220', options.orderNumber ?? 'PO1001', '9'],
    ['DTM', ['137', ccyymmdd(date), '102']],
  ];
  if (options.freeText !== undefined) message.push(['FTX', 'AAI', '', '', options.freeText]);
  message.push(['NAD', 'BY', ['5412345000013', '', '9']], ['NAD', 'SU', ['4012345500004', '', '9']]);
  for (let line = 1; line <= lineItems; line++) {
    message.push(
      ['LIN', String(line), '', [String(4000862141404 + line), 'SRS']],
      ['QTY', ['21', String((line % 9) + 1)]],
      ['PRI', ['AAA', price]],
    );
  }
  message.push(['UNS', 'S'], ['CNT', ['2', String(lineItems)]]);
  message.push(['UNT', String(message.length + 1), '1']);

  const serviceStringAdvice =
    `UNA${separators.component}${separators.element}${separators.decimal}${separators.release}` +
    `${separators.repetition}${separators.segment}${separators.lineEnding}`;
  return (
    (una ? serviceStringAdvice : '') +
    write(unb) +
    message.map(write).join('') +
    write(['UNZ', '1', controlReference])
  );
}

function numbered(base: string, setNumber: number, sets: number): string {
  return sets === 1 ? base : `${base}${setNumber}`;
}

function setControlNumber(set: number): string {
  return String(set).padStart(4, '0');
}

function sku(line: number): string {
  return `SKU${String(line).padStart(6, '0')}`;
}

function ccyymmdd(date: Date): string {
  return date.toISOString().slice(0, 10).replaceAll('-', '');
}

function yymmdd(date: Date): string {
  return ccyymmdd(date).slice(2);
}

function hhmm(date: Date): string {
  return date.toISOString().slice(11, 16).replace(':', '');
}
