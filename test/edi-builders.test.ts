import { describe, expect, it } from 'vitest';
import {
  buildEdifactOrders,
  buildLargeX12PurchaseOrder,
  buildX12FunctionalAck,
  buildX12Invoice,
  buildX12PurchaseOrder,
  type EdifactOrdersOptions,
  type X12InterchangeOptions,
} from './helpers/edi-builders.js';

/**
 * These parsers are deliberately separate from src/edi: the builders are checked
 * against the X12 and EDIFACT rules, not against the reader they are used to test.
 */
function x12Segments(text: string, element: string, segment: string): string[][] {
  return text
    .split(segment)
    .map((s) => s.replace(/^[\r\n]+/, ''))
    .filter((s) => s !== '')
    .map((s) => s.split(element));
}

function edifactSegments(text: string, seps: { component: string; element: string; release?: string; segment: string }): string[][][] {
  const segments: string[][][] = [];
  let elements: string[][] = [[]];
  let current = '';
  for (let at = text.startsWith('UNA') ? 9 : 0; at < text.length; at++) {
    const char = text.charAt(at);
    if (char === seps.release) {
      current += text.charAt(++at);
    } else if (char === seps.segment) {
      elements[elements.length - 1]?.push(current);
      segments.push(elements);
      elements = [[]];
      current = '';
    } else if (char === seps.element) {
      elements[elements.length - 1]?.push(current);
      elements.push([]);
      current = '';
    } else if (char === seps.component) {
      elements[elements.length - 1]?.push(current);
      current = '';
    } else if (!(current === '' && elements.length === 1 && (char === '\r' || char === '\n'))) {
      current += char;
    }
  }
  return segments;
}

const tags = (segments: string[][]): string[] => segments.map((s) => s[0] ?? '');
const count = (segments: string[][], tag: string): number => segments.filter((s) => s[0] === tag).length;

/** Checks every envelope count and control number an X12 translator would check. */
function expectValidX12Structure(segments: string[][]): void {
  const isa = segments[0] ?? [];
  const iea = segments[segments.length - 1] ?? [];
  expect(isa).toHaveLength(17);
  expect(iea[0]).toBe('IEA');
  expect(iea[1]).toBe(String(count(segments, 'GS')));
  expect(iea[2]).toBe(isa[13]);

  let group: string[] | undefined;
  let setsInGroup = 0;
  let transactionSet: string[] | undefined;
  let segmentsInSet = 0;
  for (const segment of segments.slice(1, -1)) {
    const [tag] = segment;
    if (transactionSet !== undefined) segmentsInSet++;
    if (tag === 'GS') {
      group = segment;
      setsInGroup = 0;
    } else if (tag === 'ST') {
      transactionSet = segment;
      segmentsInSet = 1;
      setsInGroup++;
    } else if (tag === 'SE') {
      expect(segment[1], `SE01 of set ${transactionSet?.[2]}`).toBe(String(segmentsInSet));
      expect(segment[2]).toBe(transactionSet?.[2]);
      transactionSet = undefined;
    } else if (tag === 'GE') {
      expect(segment[1], 'GE01').toBe(String(setsInGroup));
      expect(segment[2]).toBe(group?.[6]);
      group = undefined;
    }
  }
  expect(transactionSet, 'every ST is closed by an SE').toBeUndefined();
  expect(group, 'every GS is closed by a GE').toBeUndefined();
}

interface X12Variant {
  name: string;
  options: X12InterchangeOptions;
}

const x12Variants: X12Variant[] = [
  { name: "'*' '>' '~'", options: {} },
  { name: "'*' '>' '~' with CRLF", options: { separators: { lineEnding: '\r\n' } } },
  { name: "'|' '^' line feed", options: { separators: { element: '|', component: '^', segment: '\n' } } },
  { name: '00501 with repetition separator', options: { version: '00501', separators: { repetition: '^', component: ':' } } },
  { name: 'unpadded ISA, three transaction sets', options: { isaLayout: 'unpadded', transactionSets: 3, controlNumber: 42, groupControlNumber: 7 } },
];

const documents = [
  { name: '850', build: buildX12PurchaseOrder, functionalId: 'PO', setId: '850' },
  { name: '810', build: buildX12Invoice, functionalId: 'IN', setId: '810' },
  { name: '997', build: buildX12FunctionalAck, functionalId: 'FA', setId: '997' },
] as const;

const x12Cases = documents.flatMap((document) => x12Variants.map((variant) => ({ ...variant, document })));

describe('X12 builders', () => {
  it.each(x12Cases)('$document.name, $name: envelope counts and control numbers agree', ({ document, options }) => {
    const text = document.build(options);
    const element = options.separators?.element ?? '*';
    const segments = x12Segments(text, element, options.separators?.segment ?? '~');
    expectValidX12Structure(segments);
    expect(tags(segments).slice(0, 3)).toEqual(['ISA', 'GS', 'ST']);
    expect(segments[1]?.[1]).toBe(document.functionalId);
    expect(segments.filter((s) => s[0] === 'ST').map((s) => s[1])).toEqual(
      Array.from({ length: options.transactionSets ?? 1 }, () => document.setId),
    );
    if (options.isaLayout !== 'unpadded') {
      expect(text.indexOf(options.separators?.segment ?? '~')).toBe(105);
      expect(text.charAt(3)).toBe(element);
    }
  });

  it('850: CTT counts the PO1 lines', () => {
    const segments = x12Segments(buildX12PurchaseOrder({ lineItems: 7 }), '*', '~');
    expect(count(segments, 'PO1')).toBe(7);
    expect(segments.find((s) => s[0] === 'CTT')?.[1]).toBe('7');
  });

  it('810: TDS is the invoice total in cents', () => {
    const segments = x12Segments(buildX12Invoice({ lineItems: 4 }), '*', '~');
    const lines = segments.filter((s) => s[0] === 'IT1');
    const cents = lines.reduce((sum, s) => sum + Number(s[2]) * Math.round(Number(s[4]) * 100), 0);
    expect(segments.find((s) => s[0] === 'TDS')?.[1]).toBe(String(cents));
  });

  it('997: one AK2/AK5 per acknowledged set, and AK9 counts them', () => {
    const text = buildX12FunctionalAck({ acknowledges: { functionalId: 'IN', groupControlNumber: 9, transactionSetId: '810', transactionSetCount: 3 } });
    const segments = x12Segments(text, '*', '~');
    expect(segments.find((s) => s[0] === 'AK1')).toEqual(['AK1', 'IN', '9']);
    expect(segments.filter((s) => s[0] === 'AK2').map((s) => s.join('*'))).toEqual(['AK2*810*0001', 'AK2*810*0002', 'AK2*810*0003']);
    expect(count(segments, 'AK5')).toBe(3);
    expect(segments.find((s) => s[0] === 'AK9')).toEqual(['AK9', 'A', '3', '3', '3']);
  });

  it('pads ISA IDs to 15 characters and qualifiers to 2', () => {
    const isa = buildX12PurchaseOrder({ sender: { qualifier: '1', id: 'ACME' } }).split('~')[0] ?? '';
    expect(isa.split('*').slice(5, 7)).toEqual(['1 ', 'ACME           ']);
  });

  it('builds a large file of at least the asked size that is still a valid 850', () => {
    const text = buildLargeX12PurchaseOrder({ minBytes: 3_000_000, separators: { lineEnding: '\n' } });
    expect(text.length).toBeGreaterThanOrEqual(3_000_000);
    expect(text.length).toBeLessThan(3_600_000);
    const segments = x12Segments(text, '*', '~');
    expectValidX12Structure(segments);
    expect(segments.find((s) => s[0] === 'CTT')?.[1]).toBe(String(count(segments, 'PO1')));
  });

  it.each([
    { name: 'separator inside an ID', options: { sender: { qualifier: 'ZZ', id: 'A*B' } }, message: /contains the separator '\*'/ },
    { name: 'ID longer than 15', options: { sender: { qualifier: 'ZZ', id: 'X'.repeat(16) } }, message: /longer than its 15 ISA characters/ },
    { name: 'two roles for one separator', options: { separators: { element: '~' } }, message: /must be different single characters/ },
  ])('refuses to build: $name', ({ options, message }) => {
    expect(() => buildX12PurchaseOrder(options)).toThrow(message);
  });
});

interface EdifactCase {
  name: string;
  options: EdifactOrdersOptions;
  una: boolean;
}

const edifactCases: EdifactCase[] = [
  { name: 'defaults, no UNA', options: {}, una: false },
  { name: 'defaults with UNA and CRLF', options: { una: true, separators: { lineEnding: '\r\n' } }, una: true },
  {
    name: 'custom separators',
    options: { separators: { component: '^', element: '|', decimal: ',', release: '#', segment: '!' }, lineItems: 5 },
    una: true,
  },
  { name: 'syntax version 4, test, application reference', options: { syntax: { version: '4' }, test: true, applicationReference: 'ORDERS' }, una: false },
];

describe('EDIFACT ORDERS builder', () => {
  it.each(edifactCases)('$name: UNA, UNT and UNZ agree with the content', ({ options, una }) => {
    const text = buildEdifactOrders({ ...options, freeText: "Fragile: 2+2 boxes? Don't stack" });
    const seps = {
      component: options.separators?.component ?? ':',
      element: options.separators?.element ?? '+',
      release: options.separators?.release ?? '?',
      segment: options.separators?.segment ?? "'",
    };
    expect(text.startsWith('UNA')).toBe(una);
    const segments = edifactSegments(text, seps);
    const tag = (s: string[][]): string => s[0]?.[0] ?? '';
    expect(segments.map(tag).slice(0, 2)).toEqual(['UNB', 'UNH']);
    const unb = segments[0] ?? [];
    const unh = segments.findIndex((s) => tag(s) === 'UNH');
    const unt = segments.findIndex((s) => tag(s) === 'UNT');
    expect(segments[unt]?.[1]?.[0], 'UNT01').toBe(String(unt - unh + 1));
    expect(segments[unt]?.[2]?.[0], 'UNT02').toBe(segments[unh]?.[1]?.[0]);
    const unz = segments[segments.length - 1] ?? [];
    expect(tag(unz)).toBe('UNZ');
    expect(unz[1]?.[0]).toBe('1');
    expect(unz[2]?.[0]).toBe(unb[5]?.[0]);
    expect(segments.find((s) => tag(s) === 'FTX')?.[4]?.[0]).toBe("Fragile: 2+2 boxes? Don't stack");
    const lines = segments.filter((s) => tag(s) === 'LIN').length;
    expect(lines).toBe(options.lineItems ?? 2);
    expect(segments.find((s) => tag(s) === 'CNT')?.[1]).toEqual(['2', String(lines)]);
    if (options.syntax?.version === '4') expect(unb[4]?.[0]).toBe('20240315');
    if (options.test === true) expect(unb[11]?.[0]).toBe('1');
  });

  it('refuses a separator inside a value when no release character is declared', () => {
    expect(() => buildEdifactOrders({ separators: { release: ' ' }, sender: { id: 'A+B' } })).toThrow(/no release character/);
  });
});
