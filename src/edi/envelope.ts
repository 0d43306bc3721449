import { isAlphanumeric, isBlank } from './chars.js';
import { readEdifactEnvelope } from './edifact.js';
import { envelopeError, type EnvelopeResult } from './types.js';
import { readX12Envelope } from './x12.js';

export type {
  EdifactEnvelope,
  EdifactSeparators,
  Envelope,
  EnvelopeError,
  EnvelopeErrorCode,
  EnvelopeResult,
  PartyId,
  X12Envelope,
  X12FunctionalGroup,
  X12Separators,
} from './types.js';
export { ENVELOPE_ERROR_CODES } from './types.js';

/**
 * How much of a file the reader looks at. An ISA plus its GS is under 400 bytes and
 * a UNA plus UNB under 800 even with every character release-escaped; the rest is
 * room for leading blank lines. Reading 4 KiB costs the same as reading 400.
 */
export const ENVELOPE_HEAD_BYTES = 4096;

const NO_ENVELOPE = 'no X12 ISA or EDIFACT UNB segment at the start of the file';

/**
 * Reads the interchange header of an X12 or EDIFACT file from its first bytes.
 * Pass the first ENVELOPE_HEAD_BYTES of the file (or all of it, if shorter); a
 * longer buffer is read only that far, so handing over a whole file is also safe.
 * A head shorter than ENVELOPE_HEAD_BYTES is taken to be the whole file, which is
 * how a file that stops mid-header is told from a header that is too long.
 */
export function readEnvelope(head: Uint8Array): EnvelopeResult {
  if (head.byteLength === 0) {
    return envelopeError('EmptyFile', 'the file is empty; send the X12 or EDIFACT interchange itself');
  }
  const bytes = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, ENVELOPE_HEAD_BYTES));
  const fileEnded = head.byteLength < ENVELOPE_HEAD_BYTES;

  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return envelopeError(
      'UnsupportedEncoding',
      'the file is UTF-16 encoded; EDI interchanges are single-byte or UTF-8 text: save it as ASCII or UTF-8 and send it again',
    );
  }

  // latin1 maps each byte to one character, so string offsets are byte offsets
  // (the ISA is fixed-width in bytes) and no byte sequence can fail to decode.
  const text = bytes.toString('latin1');
  const start = skipLeadingBlanks(text);
  if (start >= text.length) {
    return fileEnded
      ? envelopeError('EmptyFile', 'the file holds only blank space; send the X12 or EDIFACT interchange itself')
      : envelopeError('NoEnvelope', `${NO_ENVELOPE}: its first ${text.length} bytes are blank space`);
  }

  // A letter or digit after the three characters means a word such as "ISAAC", not a segment tag.
  const opensWith = (tag: string): boolean => text.startsWith(tag, start) && !isAlphanumeric(text.charAt(start + 3));
  if (opensWith('ISA')) return readX12Envelope(text, start, fileEnded);
  if (opensWith('UNA') || opensWith('UNB')) return readEdifactEnvelope(text, start, fileEnded);
  const hint = explainMissingEnvelope(bytes, text.slice(start, start + 4));
  return envelopeError('NoEnvelope', hint === undefined ? NO_ENVELOPE : `${NO_ENVELOPE}; ${hint}`);
}

function skipLeadingBlanks(text: string): number {
  let at = text.startsWith('\u00ef\u00bb\u00bf') ? 3 : 0;
  while (at < text.length && isBlank(text.charAt(at))) at++;
  return at;
}

/** The usual ways a file ends up without a header, named so the sender knows what to fix. */
function explainMissingEnvelope(bytes: Buffer, opening: string): string | undefined {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    return 'the file is a ZIP archive: send the interchange itself, uncompressed';
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    return 'the file is gzip-compressed: send the interchange itself, uncompressed';
  }
  const tag = /^(GS|ST|UNG|UNH)[^A-Za-z0-9\s]/.exec(opening)?.[1];
  if (tag === 'GS' || tag === 'ST') {
    return `the file begins with an X12 ${tag} segment: the ISA interchange header that must come first is missing`;
  }
  if (tag === 'UNG' || tag === 'UNH') {
    return `the file begins with an EDIFACT ${tag} segment: the UNB interchange header that must come first is missing`;
  }
  return undefined;
}
