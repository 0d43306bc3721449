import { describe, expect, it } from 'vitest';
import { ENVELOPE_HEAD_BYTES, readEnvelope, type EnvelopeErrorCode } from '../src/edi/envelope.js';
import {
  buildEdifactOrders,
  buildLargeX12PurchaseOrder,
  buildX12FunctionalAck,
  buildX12Invoice,
  buildX12PurchaseOrder,
} from './helpers/edi-builders.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
/** Replaces `length` characters at `at`, keeping everything else in place. */
const splice = (text: string, at: number, length: number, insert: string): string =>
  text.slice(0, at) + insert + text.slice(at + length);

const po = buildX12PurchaseOrder();

interface ReadCase {
  name: string;
  file: Uint8Array;
  expected: Record<string, unknown>;
}

const x12Cases: ReadCase[] = [
  {
    name: "850 with '*' '>' '~' on one line",
    file: utf8(po),
    expected: {
      standard: 'X12',
      sender: { qualifier: 'ZZ', id: 'SENDER' },
      receiver: { qualifier: 'ZZ', id: 'RECEIVER' },
      controlNumber: '000000001',
      date: '240315',
      time: '1030',
      version: '00401',
      usage: 'P',
      test: false,
      separators: { element: '*', component: '>', segment: '~', repetition: undefined },
      group: { functionalId: 'PO', senderCode: 'SENDER', receiverCode: 'RECEIVER', controlNumber: '1', version: '004010' },
      warnings: [],
    },
  },
  {
    name: '850 with a line feed after each terminator',
    file: utf8(buildX12PurchaseOrder({ separators: { lineEnding: '\n' } })),
    expected: { separators: { segment: '~' }, group: { functionalId: 'PO' }, warnings: [] },
  },
  {
    name: '810 with CRLF after each terminator',
    file: utf8(buildX12Invoice({ separators: { lineEnding: '\r\n' }, controlNumber: 4711 })),
    expected: { controlNumber: '000004711', separators: { segment: '~' }, group: { functionalId: 'IN' } },
  },
  {
    name: '997 functional acknowledgment',
    file: utf8(buildX12FunctionalAck({ sender: { qualifier: '01', id: '123456789' }, receiver: { qualifier: '14', id: '0614141000005' } })),
    expected: {
      sender: { qualifier: '01', id: '123456789' },
      receiver: { qualifier: '14', id: '0614141000005' },
      group: { functionalId: 'FA', senderCode: '123456789', receiverCode: '0614141000005' },
    },
  },
  {
    name: "'|' elements, '^' components, line feed as terminator",
    file: utf8(buildX12Invoice({ separators: { element: '|', component: '^', segment: '\n' } })),
    expected: { separators: { element: '|', component: '^', segment: '\n' }, group: { functionalId: 'IN' } },
  },
  {
    name: "version 00501 with '^' repetition separator in ISA11",
    file: utf8(buildX12PurchaseOrder({ version: '00501', separators: { component: ':', repetition: '^' } })),
    expected: {
      version: '00501',
      separators: { element: '*', component: ':', segment: '~', repetition: '^' },
      group: { version: '005010' },
    },
  },
  {
    name: 'control characters as separators (0x1D, 0x1F, 0x1C)',
    file: utf8(buildX12PurchaseOrder({ separators: { element: '\x1d', component: '\x1f', segment: '\x1c' } })),
    expected: { sender: { id: 'SENDER' }, separators: { element: '\x1d', component: '\x1f', segment: '\x1c' } },
  },
  {
    name: 'carriage return as terminator, followed by a line feed',
    file: utf8(buildX12PurchaseOrder({ separators: { segment: '\r', lineEnding: '\n' } })),
    expected: { separators: { segment: '\r' }, group: { functionalId: 'PO' } },
  },
  {
    name: 'UTF-8 byte order mark',
    file: Buffer.concat([BOM, utf8(po)]),
    expected: { sender: { id: 'SENDER' }, warnings: [] },
  },
  {
    name: 'leading blank lines, spaces and tabs',
    file: utf8(`\r\n\r\n  \t\n${po}`),
    expected: { sender: { id: 'SENDER' }, receiver: { id: 'RECEIVER' } },
  },
  {
    name: 'byte order mark followed by blank lines',
    file: Buffer.concat([BOM, utf8(`\n\n${po}`)]),
    expected: { sender: { id: 'SENDER' } },
  },
  {
    name: 'padded IDs with inner spaces, trimmed at both ends only',
    file: utf8(buildX12PurchaseOrder({ sender: { qualifier: '12', id: 'ACME CORP' }, receiver: { qualifier: 'ZZ', id: 'GLOBEX' } })),
    expected: { sender: { qualifier: '12', id: 'ACME CORP' }, receiver: { qualifier: 'ZZ', id: 'GLOBEX' } },
  },
  {
    name: 'IDs filling all 15 characters',
    file: utf8(buildX12PurchaseOrder({ sender: { qualifier: 'ZZ', id: 'ABCDEFGHIJKLMNO' }, receiver: { qualifier: 'ZZ', id: '123456789012345' } })),
    expected: { sender: { id: 'ABCDEFGHIJKLMNO' }, receiver: { id: '123456789012345' }, warnings: [] },
  },
  {
    name: 'test usage indicator',
    file: utf8(buildX12PurchaseOrder({ usage: 'T' })),
    expected: { usage: 'T', test: true },
  },
  {
    name: 'unpadded ISA, read by its element separator',
    file: utf8(buildX12FunctionalAck({ isaLayout: 'unpadded', sender: { qualifier: 'ZZ', id: 'ACME' }, separators: { lineEnding: '\r\n' } })),
    expected: {
      sender: { qualifier: 'ZZ', id: 'ACME' },
      receiver: { qualifier: 'ZZ', id: 'RECEIVER' },
      controlNumber: '000000001',
      separators: { element: '*', component: '>', segment: '~' },
      group: { functionalId: 'FA' },
      warnings: [expect.stringMatching(/not fixed-width \(ISA02 is 0 characters instead of 10, .*ISA06 is 4 characters instead of 15/)],
    },
  },
  {
    name: 'ISA06 one character too wide',
    file: utf8(splice(po, 35, 15, 'SENDER          ')),
    expected: {
      sender: { id: 'SENDER' },
      separators: { component: '>', segment: '~' },
      warnings: [expect.stringMatching(/^the ISA segment is not fixed-width \(ISA06 is 16 characters instead of 15\)/)],
    },
  },
  {
    name: 'blank qualifiers',
    file: utf8(buildX12PurchaseOrder({ sender: { qualifier: '', id: 'SENDER' }, receiver: { qualifier: '', id: 'RECEIVER' } })),
    expected: {
      sender: { qualifier: '', id: 'SENDER' },
      receiver: { qualifier: '', id: 'RECEIVER' },
      warnings: ['ISA05 (sender ID qualifier) is blank', 'ISA07 (receiver ID qualifier) is blank'],
    },
  },
  {
    name: 'ISA alone, without a GS in the head',
    file: utf8(po.slice(0, 106)),
    expected: { sender: { id: 'SENDER' }, group: undefined },
  },
];

const edifactCases: ReadCase[] = [
  {
    name: 'ORDERS without UNA uses the ISO 9735 default separators',
    file: utf8(buildEdifactOrders()),
    expected: {
      standard: 'EDIFACT',
      sender: { qualifier: 'ZZZ', id: 'SENDER' },
      receiver: { qualifier: 'ZZZ', id: 'RECEIVER' },
      senderRouting: undefined,
      receiverRouting: undefined,
      controlNumber: 'REF00001',
      date: '240315',
      time: '1030',
      syntaxIdentifier: 'UNOC',
      version: '3',
      test: false,
      serviceStringAdvice: false,
      separators: { component: ':', element: '+', decimal: '.', release: '?', repetition: undefined, segment: "'" },
      warnings: [],
    },
  },
  {
    name: 'ORDERS with a default UNA',
    file: utf8(buildEdifactOrders({ una: true })),
    expected: { sender: { id: 'SENDER' }, serviceStringAdvice: true, separators: { element: '+', segment: "'" } },
  },
  {
    name: 'custom UNA separators',
    file: utf8(
      buildEdifactOrders({
        separators: { component: '^', element: '|', decimal: ',', release: '\\', segment: '!' },
        sender: { id: '5412345000013', qualifier: '14' },
      }),
    ),
    expected: {
      sender: { qualifier: '14', id: '5412345000013' },
      receiver: { id: 'RECEIVER' },
      serviceStringAdvice: true,
      separators: { component: '^', element: '|', decimal: ',', release: '\\', repetition: undefined, segment: '!' },
    },
  },
  {
    name: 'UNA and segments on separate CRLF lines',
    file: utf8(buildEdifactOrders({ una: true, separators: { lineEnding: '\r\n' } })),
    expected: { sender: { id: 'SENDER' }, controlNumber: 'REF00001' },
  },
  {
    name: "release-escaped '+', ':', '?' and \"'\" inside IDs",
    file: utf8(
      buildEdifactOrders({
        sender: { id: 'A+B:C', qualifier: 'ZZZ' },
        receiver: { id: "D?E'F", qualifier: '01' },
        controlReference: 'X+1',
      }),
    ),
    expected: {
      sender: { qualifier: 'ZZZ', id: 'A+B:C' },
      receiver: { qualifier: '01', id: "D?E'F" },
      controlNumber: 'X+1',
    },
  },
  {
    name: 'release-escaped custom separators',
    file: utf8(
      buildEdifactOrders({
        separators: { component: '^', element: '|', release: '#', segment: '!' },
        sender: { id: 'A|B^C#D!E', qualifier: 'ZZZ' },
      }),
    ),
    expected: { sender: { qualifier: 'ZZZ', id: 'A|B^C#D!E' } },
  },
  {
    name: 'qualifier absent',
    file: utf8(buildEdifactOrders({ sender: { id: 'ACME' }, receiver: { id: 'GLOBEX' } })),
    expected: { sender: { qualifier: '', id: 'ACME' }, receiver: { qualifier: '', id: 'GLOBEX' } },
  },
  {
    name: 'routing addresses',
    file: utf8(
      buildEdifactOrders({
        sender: { id: 'ACME', qualifier: '14', routing: 'ACMEBOX' },
        receiver: { id: 'GLOBEX', routing: 'INBOUND' },
      }),
    ),
    expected: {
      sender: { qualifier: '14', id: 'ACME' },
      receiver: { qualifier: '', id: 'GLOBEX' },
      senderRouting: 'ACMEBOX',
      receiverRouting: 'INBOUND',
    },
  },
  {
    name: 'syntax version 4: CCYYMMDD date and the default repetition separator',
    file: utf8(buildEdifactOrders({ syntax: { identifier: 'UNOB', version: '4' } })),
    expected: { syntaxIdentifier: 'UNOB', version: '4', date: '20240315', separators: { repetition: '*' } },
  },
  {
    name: 'test indicator and application reference',
    file: utf8(buildEdifactOrders({ test: true, applicationReference: 'ORDERS' })),
    expected: { test: true, applicationReference: 'ORDERS' },
  },
  {
    name: 'UNOW: UTF-8 IDs',
    file: utf8(buildEdifactOrders({ syntax: { identifier: 'UNOW' }, sender: { id: 'MÜLLER€', qualifier: 'ZZZ' } })),
    expected: { sender: { id: 'MÜLLER€' } },
  },
  {
    name: 'UNOC: Latin-1 IDs',
    file: latin1(buildEdifactOrders({ syntax: { identifier: 'UNOC' }, sender: { id: 'MÜLLER', qualifier: 'ZZZ' } })),
    expected: { sender: { id: 'MÜLLER' } },
  },
  {
    name: 'byte order mark and blank lines before UNA',
    file: Buffer.concat([BOM, utf8(`\r\n \n${buildEdifactOrders({ una: true })}`)]),
    expected: { sender: { id: 'SENDER' }, serviceStringAdvice: true },
  },
  {
    name: 'UNA declaring no release character',
    file: utf8(buildEdifactOrders({ separators: { release: ' ' } })),
    expected: { serviceStringAdvice: true, separators: { release: undefined } },
  },
];

describe('readEnvelope: X12 ISA', () => {
  it.each(x12Cases)('$name', ({ file, expected }) => {
    const result = readEnvelope(file);
    if (!result.ok) expect.fail(result.reason);
    expect(result.envelope).toMatchObject(expected);
  });
});

describe('readEnvelope: EDIFACT UNB', () => {
  it.each(edifactCases)('$name', ({ file, expected }) => {
    const result = readEnvelope(file);
    if (!result.ok) expect.fail(result.reason);
    expect(result.envelope).toMatchObject(expected);
  });
});

interface ErrorCase {
  name: string;
  file: Uint8Array;
  code: EnvelopeErrorCode;
  reason: RegExp;
}

const NO_ENVELOPE = /^no X12 ISA or EDIFACT UNB segment at the start of the file/;
/** Deterministic bytes with no structure, from a linear congruential generator. */
const junk = Buffer.from(Array.from({ length: 2000 }, (_, i) => ((i * 1103515245 + 12345) >>> 16) & 0xff));

const errorCases: ErrorCase[] = [
  { name: 'empty file', file: Buffer.alloc(0), code: 'EmptyFile', reason: /^the file is empty/ },
  { name: 'only blank space', file: utf8(' \r\n\t\n'), code: 'EmptyFile', reason: /only blank space/ },
  {
    name: 'a full head of blank space',
    file: Buffer.alloc(ENVELOPE_HEAD_BYTES, 0x20),
    code: 'NoEnvelope',
    reason: /first 4096 bytes are blank space/,
  },
  { name: 'plain text', file: utf8('Hello, this is not EDI.\n'), code: 'NoEnvelope', reason: NO_ENVELOPE },
  { name: 'binary junk', file: junk, code: 'NoEnvelope', reason: NO_ENVELOPE },
  { name: 'NUL bytes', file: Buffer.alloc(300), code: 'NoEnvelope', reason: NO_ENVELOPE },
  { name: '"ISA" as the start of a word', file: utf8('ISAAC NEWTON'), code: 'NoEnvelope', reason: NO_ENVELOPE },
  {
    name: 'ZIP archive',
    file: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), junk]),
    code: 'NoEnvelope',
    reason: /ZIP archive: send the interchange itself, uncompressed$/,
  },
  {
    name: 'gzip file',
    file: Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), junk]),
    code: 'NoEnvelope',
    reason: /gzip-compressed/,
  },
  {
    name: 'X12 without its ISA',
    file: utf8(po.slice(po.indexOf('GS*'))),
    code: 'NoEnvelope',
    reason: /begins with an X12 GS segment: the ISA interchange header .* is missing$/,
  },
  {
    name: 'EDIFACT without its UNB',
    file: utf8(buildEdifactOrders().slice(buildEdifactOrders().indexOf('UNH+'))),
    code: 'NoEnvelope',
    reason: /begins with an EDIFACT UNH segment: the UNB interchange header .* is missing$/,
  },
  {
    name: 'UTF-16 file',
    file: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(po, 'utf16le')]),
    code: 'UnsupportedEncoding',
    reason: /UTF-16.*save it as ASCII or UTF-8/,
  },
  {
    name: 'blank after the ISA tag',
    file: utf8(` ${po.slice(0, 3)} ${po.slice(4)}`),
    code: 'MalformedEnvelope',
    reason: /ISA tag is followed by a space; the character right after "ISA" is the element separator/,
  },
  { name: '"UNB" as the start of a word', file: utf8('UNBELIEVABLE NEWS\n'), code: 'NoEnvelope', reason: NO_ENVELOPE },
  {
    name: 'blank after the UNB tag',
    file: utf8("UNB UNOC:3+A+B+240315:1030+1'"),
    code: 'MalformedEnvelope',
    reason: /UNB tag is followed by a space instead of the element separator '\+'/,
  },
  { name: 'only the ISA tag', file: utf8('ISA'), code: 'TruncatedEnvelope', reason: /ends right after the X12 ISA tag/ },
  {
    name: 'ISA cut after 60 characters',
    file: utf8(po.slice(0, 60)),
    code: 'TruncatedEnvelope',
    reason: /ends inside the X12 ISA segment after 60 characters \(7 of its 16 elements\)/,
  },
  {
    name: 'ISA cut before its terminator',
    file: utf8(po.slice(0, 105)),
    code: 'TruncatedEnvelope',
    reason: /ends inside the X12 ISA segment after 105 characters/,
  },
  {
    name: 'ISA without an end within the head',
    file: utf8(`ISA*${'x'.repeat(ENVELOPE_HEAD_BYTES)}`),
    code: 'MalformedEnvelope',
    reason: /does not end within the first 4096 bytes/,
  },
  {
    name: 'ISA with 15 elements before a line break',
    file: utf8(`ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240315*1030*U*00401*000000001*0*P~\nGS*PO*A*B~\n`),
    code: 'MalformedEnvelope',
    reason: /has only 15 elements before a line break; it needs 16/,
  },
  {
    name: 'ISA with 15 elements, no line breaks',
    file: utf8(`ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240315*1030*U*00401*000000001*0*P~GS*PO*A*B*20240315~`),
    code: 'MalformedEnvelope',
    reason: /ISA16 component separator is 'P'/,
  },
  {
    name: 'letter in ISA16',
    file: utf8(splice(po, 104, 1, 'A')),
    code: 'MalformedEnvelope',
    reason: /ISA16 component separator is 'A'/,
  },
  {
    name: 'no terminator after ISA16',
    file: utf8(splice(po, 105, 1, '')),
    code: 'MalformedEnvelope',
    reason: /ISA16 is followed by 'G'; put the segment terminator/,
  },
  {
    name: 'component separator equal to the element separator',
    file: utf8(splice(po, 104, 1, '*')),
    code: 'MalformedEnvelope',
    reason: /uses '\*' as both the element separator and the component separator/,
  },
  {
    name: 'blank ISA06',
    file: utf8(buildX12PurchaseOrder({ sender: { qualifier: 'ZZ', id: '' } })),
    code: 'MissingSender',
    reason: /ISA06 \(interchange sender ID\) is blank/,
  },
  {
    name: 'blank ISA08',
    file: utf8(buildX12PurchaseOrder({ receiver: { qualifier: 'ZZ', id: '' } })),
    code: 'MissingReceiver',
    reason: /ISA08 \(interchange receiver ID\) is blank/,
  },
  {
    name: 'UNA cut short',
    file: utf8('UNA:+.'),
    code: 'TruncatedEnvelope',
    reason: /ends inside the EDIFACT UNA segment/,
  },
  {
    name: 'UNA alone',
    file: utf8("UNA:+.? '\r\n"),
    code: 'TruncatedEnvelope',
    reason: /ends after the EDIFACT UNA segment, before the UNB/,
  },
  {
    name: 'UNA followed by something other than UNB',
    file: utf8("UNA:+.? 'UNH+1+ORDERS:D:96A:UN'"),
    code: 'MalformedEnvelope',
    reason: /UNA segment is not followed by a UNB/,
  },
  {
    name: 'UNA declaring one character twice',
    file: utf8("UNA++.? 'UNB+UNOC:3+A+B+240315:1030+1'"),
    code: 'MalformedEnvelope',
    reason: /uses one character for two roles/,
  },
  {
    name: 'UNA with a blank as separator',
    file: utf8("UNA: .? 'UNB UNOC:3 A B 240315:1030 1'"),
    code: 'MalformedEnvelope',
    reason: /UNA element separator is a space/,
  },
  {
    name: 'custom separators without a UNA',
    file: utf8(buildEdifactOrders({ una: false, separators: { element: '|', component: '^' } })),
    code: 'MalformedEnvelope',
    reason: /UNB tag is followed by '\|' instead of the element separator '\+'; .* must declare them in a UNA segment/,
  },
  {
    name: 'UNB cut short',
    file: utf8(buildEdifactOrders().slice(0, 30)),
    code: 'TruncatedEnvelope',
    reason: /ends inside the EDIFACT UNB segment \(no segment terminator "'" after it\)/,
  },
  {
    name: 'UNB ending on a release character',
    file: utf8('UNB+UNOC:3+ACME?'),
    code: 'TruncatedEnvelope',
    reason: /ends inside the EDIFACT UNB segment/,
  },
  {
    name: 'UNB with no terminator within the head',
    file: utf8(`UNB+UNOC:3+${'A'.repeat(ENVELOPE_HEAD_BYTES)}`),
    code: 'MalformedEnvelope',
    reason: /no segment terminator "'" within the first 4096 bytes/,
  },
  {
    name: 'UNB without a sender',
    file: utf8("UNB+UNOC:3++RECEIVER:ZZZ+240315:1030+1'"),
    code: 'MissingSender',
    reason: /no interchange sender identification; put it first in UNB02/,
  },
  {
    name: 'UNB with only a sender qualifier',
    file: utf8("UNB+UNOC:3+:ZZZ+RECEIVER:ZZZ+240315:1030+1'"),
    code: 'MissingSender',
    reason: /no interchange sender identification/,
  },
  {
    name: 'UNB without a recipient',
    file: utf8("UNB+UNOC:3+SENDER:ZZZ'"),
    code: 'MissingReceiver',
    reason: /no interchange recipient identification; put it first in UNB03/,
  },
];

describe('readEnvelope: files it cannot route', () => {
  it.each(errorCases)('$name', ({ file, code, reason }) => {
    const result = readEnvelope(file);
    if (result.ok) expect.fail(`read an envelope: ${JSON.stringify(result.envelope)}`);
    expect(result.code).toBe(code);
    expect(result.reason).toMatch(reason);
  });
});

describe('readEnvelope: how much it reads', () => {
  const large = utf8(buildLargeX12PurchaseOrder({ minBytes: 5_000_000, sender: { qualifier: '01', id: 'BIGSENDER' } }));

  it('reads a multi-megabyte file from its first ENVELOPE_HEAD_BYTES alone', () => {
    const fromHead = readEnvelope(large.subarray(0, ENVELOPE_HEAD_BYTES));
    expect(fromHead).toMatchObject({ ok: true, envelope: { sender: { qualifier: '01', id: 'BIGSENDER' } } });
    expect(readEnvelope(large)).toEqual(fromHead);
  });

  it('honours the byte offset of a view into a larger buffer', () => {
    const backing = Buffer.concat([utf8('GARBAGE BEFORE THE VIEW'), utf8(po)]);
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 23, po.length);
    expect(readEnvelope(view)).toMatchObject({ ok: true, envelope: { sender: { id: 'SENDER' } } });
  });

  it('sees a terminator-less ISA in a full-size head as malformed, in a shorter file as truncated', () => {
    const isaWithoutEnd = `ISA*${'0'.repeat(200)}`;
    expect(readEnvelope(utf8(isaWithoutEnd))).toMatchObject({ ok: false, code: 'TruncatedEnvelope' });
    const padded = utf8(isaWithoutEnd.padEnd(ENVELOPE_HEAD_BYTES, '0'));
    expect(readEnvelope(padded)).toMatchObject({ ok: false, code: 'MalformedEnvelope' });
  });
});
