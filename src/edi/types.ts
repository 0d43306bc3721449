/**
 * What the envelope reader answers. An ECGrid ID is a qualifier plus an id, exactly
 * as the interchange header states them (padding trimmed), so routing can look the
 * pair up without knowing which standard the file uses.
 */

export interface PartyId {
  /** X12 ISA05/ISA07 ("ZZ", "01", "14"); EDIFACT partner identification code qualifier ("14", "ZZZ"), or "" when the UNB gives none. */
  qualifier: string;
  id: string;
}

export interface X12Separators {
  element: string;
  component: string;
  segment: string;
  /** ISA11 when it holds a delimiter (version 00402 and later) rather than the "U" standards identifier. */
  repetition: string | undefined;
}

/** The first GS segment, when it lies within the head; informational only, routing uses the ISA. */
export interface X12FunctionalGroup {
  /** GS01, e.g. "PO", "IN", "FA". */
  functionalId: string;
  /** GS02, the application sender's code. */
  senderCode: string;
  /** GS03, the application receiver's code. */
  receiverCode: string;
  /** GS06. */
  controlNumber: string;
  /** GS08, e.g. "004010". */
  version: string;
}

export interface X12Envelope {
  standard: 'X12';
  /** ISA05 / ISA06. */
  sender: PartyId;
  /** ISA07 / ISA08. */
  receiver: PartyId;
  /** ISA13, leading zeros kept. */
  controlNumber: string;
  /** ISA09, YYMMDD. */
  date: string | undefined;
  /** ISA10, HHMM. */
  time: string | undefined;
  /** ISA12, e.g. "00401". */
  version: string;
  /** ISA15: "P" production, "T" test (anything else is passed through). */
  usage: string;
  test: boolean;
  separators: X12Separators;
  group: X12FunctionalGroup | undefined;
  /** Departures from the standard that did not stop the read, worded for the user. */
  warnings: string[];
}

export interface EdifactSeparators {
  component: string;
  element: string;
  decimal: string;
  /** Undefined when the UNA declares a space there, meaning no release character is in use. */
  release: string | undefined;
  /** UNA position 5: the repetition separator in syntax version 4, reserved (a space) before it. */
  repetition: string | undefined;
  segment: string;
}

export interface EdifactEnvelope {
  standard: 'EDIFACT';
  /** UNB02 (S002): identification 0004, qualifier 0007. */
  sender: PartyId;
  /** UNB03 (S003): identification 0010, qualifier 0007. */
  receiver: PartyId;
  /** S002/0008, the address for reverse routing. */
  senderRouting: string | undefined;
  /** S003/0014, the routing address. */
  receiverRouting: string | undefined;
  /** UNB05, the interchange control reference. */
  controlNumber: string;
  /** UNB04/0017: YYMMDD, or CCYYMMDD in syntax version 4. */
  date: string | undefined;
  /** UNB04/0019, HHMM. */
  time: string | undefined;
  /** UNB01/0001, e.g. "UNOA", "UNOC". */
  syntaxIdentifier: string;
  /** UNB01/0002, the syntax version number, e.g. "3". */
  version: string;
  /** UNB07. */
  applicationReference: string | undefined;
  /** UNB11 is "1". */
  test: boolean;
  separators: EdifactSeparators;
  /** The file declared its separators in a UNA segment. */
  serviceStringAdvice: boolean;
  warnings: string[];
}

export type Envelope = X12Envelope | EdifactEnvelope;

export const ENVELOPE_ERROR_CODES = [
  'EmptyFile',
  'NoEnvelope',
  'TruncatedEnvelope',
  'MalformedEnvelope',
  'MissingSender',
  'MissingReceiver',
  'UnsupportedEncoding',
] as const;
export type EnvelopeErrorCode = (typeof ENVELOPE_ERROR_CODES)[number];

export interface EnvelopeError {
  ok: false;
  code: EnvelopeErrorCode;
  /** A lower-case clause saying what is wrong and how to fix it, fit to follow "cannot route the parcel: ". */
  reason: string;
}

export type EnvelopeResult = { ok: true; envelope: Envelope } | EnvelopeError;

export function envelopeError(code: EnvelopeErrorCode, reason: string): EnvelopeError {
  return { ok: false, code, reason };
}
