import { canSeparateElements, canTerminateSegments, describeChar, isBlank, trimBlanks } from './chars.js';
import { envelopeError, type EnvelopeResult, type X12FunctionalGroup } from './types.js';

/**
 * ISA01–ISA16 widths fixed by X12. With the tag and 16 element separators they
 * place ISA16 (the component separator) at offset 104 and the segment terminator
 * at offset 105, which is how a reader learns the separators before parsing.
 */
const ISA_ELEMENT_WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1] as const;
const ISA_SEGMENT_LENGTH = 106;

interface IsaLayout {
  /** ISA01..ISA16 at indexes 0..15, untrimmed. */
  elements: string[];
  terminatorAt: number;
  fixedWidth: boolean;
}

type DelimitedSplit =
  | { kind: 'split'; layout: IsaLayout }
  | { kind: 'ended'; elementsSeen: number }
  | { kind: 'line-break'; elementsSeen: number };

/**
 * Reads the ISA starting at `start` (its "I") and the GS after it.
 * `fileEnded` tells a file that stops inside the ISA from a head that was cut short.
 */
export function readX12Envelope(text: string, start: number, fileEnded: boolean): EnvelopeResult {
  const elementSeparator = text.charAt(start + 3);
  if (elementSeparator === '') {
    return envelopeError('TruncatedEnvelope', 'the file ends right after the X12 ISA tag; the file is incomplete');
  }
  if (!canSeparateElements(elementSeparator)) {
    return envelopeError(
      'MalformedEnvelope',
      `the X12 ISA tag is followed by ${describeChar(elementSeparator)}; the character right after "ISA" is the ` +
        "element separator, such as '*', and cannot be blank",
    );
  }
  let layout = splitFixedWidth(text, start, elementSeparator);
  if (layout === undefined) {
    const split = splitDelimited(text, start, elementSeparator);
    if (split.kind === 'ended') {
      return fileEnded
        ? envelopeError(
            'TruncatedEnvelope',
            `the file ends inside the X12 ISA segment after ${text.length - start} characters ` +
              `(${split.elementsSeen} of its 16 elements); an ISA segment is ${ISA_SEGMENT_LENGTH} characters long, ` +
              'so the file is incomplete: send it again in full',
          )
        : envelopeError(
            'MalformedEnvelope',
            `the X12 ISA segment does not end within the first ${text.length} bytes of the file; ` +
              `it should be ${ISA_SEGMENT_LENGTH} characters long`,
          );
    }
    if (split.kind === 'line-break') {
      return envelopeError(
        'MalformedEnvelope',
        `the X12 ISA segment has only ${split.elementsSeen} elements before a line break; ` +
          `it needs 16 (ISA01–ISA16) separated by ${describeChar(elementSeparator)}`,
      );
    }
    layout = split.layout;
  }

  const elements = layout.elements;
  const componentSeparator = elements[15] ?? '';
  const segmentTerminator = text.charAt(layout.terminatorAt);
  const delimiterProblem = checkDelimiters(elementSeparator, componentSeparator, segmentTerminator);
  if (delimiterProblem !== undefined) return envelopeError('MalformedEnvelope', delimiterProblem);

  const element = (n: number): string => trimBlanks(elements[n - 1] ?? '');
  const senderId = element(6);
  const receiverId = element(8);
  if (senderId === '') {
    return envelopeError(
      'MissingSender',
      "the X12 ISA06 (interchange sender ID) is blank; put the sender's ID in ISA06 and its qualifier in ISA05",
    );
  }
  if (receiverId === '') {
    return envelopeError(
      'MissingReceiver',
      "the X12 ISA08 (interchange receiver ID) is blank; put the receiver's ID in ISA08 and its qualifier in ISA07",
    );
  }

  const warnings: string[] = [];
  if (!layout.fixedWidth) {
    const off = ISA_ELEMENT_WIDTHS.flatMap((width, i) => {
      const actual = elements[i]?.length ?? 0;
      return actual === width ? [] : [`ISA${pad2(i + 1)} is ${actual} characters instead of ${width}`];
    });
    warnings.push(`the ISA segment is not fixed-width (${off.join(', ')}); it was read by its element separator`);
  }
  if (element(5) === '') warnings.push('ISA05 (sender ID qualifier) is blank');
  if (element(7) === '') warnings.push('ISA07 (receiver ID qualifier) is blank');
  if (element(13) === '') warnings.push('ISA13 (interchange control number) is blank');

  const isa11 = elements[10] ?? '';
  const usage = element(15);
  return {
    ok: true,
    envelope: {
      standard: 'X12',
      sender: { qualifier: element(5), id: senderId },
      receiver: { qualifier: element(7), id: receiverId },
      controlNumber: element(13),
      date: blankToUndefined(element(9)),
      time: blankToUndefined(element(10)),
      version: element(12),
      usage,
      test: usage === 'T',
      separators: {
        element: elementSeparator,
        component: componentSeparator,
        segment: segmentTerminator,
        repetition: isa11.length === 1 && canSeparateElements(isa11) ? isa11 : undefined,
      },
      group: readFunctionalGroup(text, layout.terminatorAt + 1, elementSeparator, segmentTerminator),
      warnings,
    },
  };
}

function splitFixedWidth(text: string, start: number, separator: string): IsaLayout | undefined {
  if (text.length < start + ISA_SEGMENT_LENGTH) return undefined;
  const elements: string[] = [];
  let at = start + 3;
  for (const width of ISA_ELEMENT_WIDTHS) {
    if (text[at] !== separator) return undefined;
    elements.push(text.slice(at + 1, at + 1 + width));
    at += 1 + width;
  }
  return { elements, terminatorAt: at, fixedWidth: true };
}

/**
 * Partners that pad wrongly still send 16 elements, and ISA16 is always exactly one
 * character, so the terminator is the character after it wherever it lands.
 */
function splitDelimited(text: string, start: number, separator: string): DelimitedSplit {
  const separatorsAt: number[] = [start + 3];
  for (let at = start + 4; separatorsAt.length < 16; at++) {
    if (at >= text.length) return { kind: 'ended', elementsSeen: separatorsAt.length - 1 };
    const char = text[at];
    if (char === separator) separatorsAt.push(at);
    else if (char === '\r' || char === '\n') return { kind: 'line-break', elementsSeen: separatorsAt.length };
  }
  const last = separatorsAt[15] as number;
  if (last + 2 >= text.length) return { kind: 'ended', elementsSeen: 15 };
  const elements = separatorsAt.slice(0, 15).map((at, i) => text.slice(at + 1, separatorsAt[i + 1]));
  elements.push(text.charAt(last + 1));
  return { kind: 'split', layout: { elements, terminatorAt: last + 2, fixedWidth: false } };
}

function checkDelimiters(element: string, component: string, terminator: string): string | undefined {
  if (!canSeparateElements(component)) {
    return (
      `the X12 ISA16 component separator is ${describeChar(component)}; ISA16 must be one special character ` +
      "such as ':' or '>', followed directly by the segment terminator"
    );
  }
  if (!canTerminateSegments(terminator)) {
    return (
      `the X12 ISA segment is not ended by a segment terminator: ISA16 is followed by ${describeChar(terminator)}; ` +
      "put the segment terminator (such as '~') right after ISA16"
    );
  }
  const clash =
    component === element
      ? 'the element separator and the component separator (ISA16)'
      : terminator === element
        ? 'the element separator and the segment terminator'
        : terminator === component
          ? 'the component separator (ISA16) and the segment terminator'
          : undefined;
  if (clash !== undefined) {
    return `the X12 ISA segment uses ${describeChar(terminator === component ? component : element)} as both ${clash}; they must differ`;
  }
  return undefined;
}

function readFunctionalGroup(
  text: string,
  from: number,
  separator: string,
  terminator: string,
): X12FunctionalGroup | undefined {
  let at = from;
  while (at < text.length && isBlank(text.charAt(at))) at++;
  if (!text.startsWith(`GS${separator}`, at)) return undefined;
  const end = text.indexOf(terminator, at);
  if (end < 0) return undefined;
  const fields = text.slice(at, end).split(separator);
  const field = (n: number): string => trimBlanks(fields[n] ?? '');
  return {
    functionalId: field(1),
    senderCode: field(2),
    receiverCode: field(3),
    controlNumber: field(6),
    version: field(8),
  };
}

function blankToUndefined(value: string): string | undefined {
  return value === '' ? undefined : value;
}

function pad2(n: number): string {
  return n.toString().padStart(2, '0');
}
