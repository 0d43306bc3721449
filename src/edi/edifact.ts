import { canSeparateElements, canTerminateSegments, describeChar, trimBlanks } from './chars.js';
import { envelopeError, type EdifactSeparators, type EnvelopeResult } from './types.js';

/** ISO 9735's separators for a file without a UNA segment. */
const DEFAULT_SEPARATORS: EdifactSeparators = {
  component: ':',
  element: '+',
  decimal: '.',
  release: '?',
  repetition: undefined,
  segment: "'",
};

const UNA_LENGTH = 9;

/** Syntax identifiers whose data is UTF-8; every other one is a single-byte character set. */
const UTF8_SYNTAXES = new Set(['UNOW', 'UNOY']);

/**
 * Reads the optional UNA and the UNB starting at `start`.
 * `fileEnded` tells a file that stops inside the UNB from a head that was cut short.
 */
export function readEdifactEnvelope(text: string, start: number, fileEnded: boolean): EnvelopeResult {
  let separators = DEFAULT_SEPARATORS;
  let at = start;
  const hasUna = text.startsWith('UNA', start);
  if (hasUna) {
    if (text.length < start + UNA_LENGTH) {
      return envelopeError(
        'TruncatedEnvelope',
        'the file ends inside the EDIFACT UNA segment; UNA must be followed by its six service characters, ' +
          "e.g. UNA:+.? '",
      );
    }
    const declared = readServiceStringAdvice(text.slice(start + 3, start + UNA_LENGTH));
    if (typeof declared === 'string') return envelopeError('MalformedEnvelope', declared);
    separators = declared;
    at = skipLineBreaks(text, start + UNA_LENGTH);
    if (at >= text.length) {
      return envelopeError(
        'TruncatedEnvelope',
        'the file ends after the EDIFACT UNA segment, before the UNB interchange header; the file is incomplete',
      );
    }
    if (!text.startsWith('UNB', at)) {
      return envelopeError(
        'MalformedEnvelope',
        'the EDIFACT UNA segment is not followed by a UNB interchange header; the UNB segment must come next',
      );
    }
  }

  const afterTag = text.charAt(at + 3);
  if (afterTag === '') {
    return envelopeError('TruncatedEnvelope', 'the file ends right after the EDIFACT UNB tag; the file is incomplete');
  }
  if (afterTag !== separators.element) {
    return envelopeError(
      'MalformedEnvelope',
      `the EDIFACT UNB tag is followed by ${describeChar(afterTag)} instead of the element separator ` +
        `${describeChar(separators.element)}` +
        (hasUna ? ' declared in the UNA segment' : "; a file using other separators must declare them in a UNA segment (e.g. UNA:+.? ')"),
    );
  }

  const segment = readSegment(text, at, separators);
  if (segment === undefined) {
    const terminator = describeChar(separators.segment);
    return fileEnded
      ? envelopeError(
          'TruncatedEnvelope',
          `the file ends inside the EDIFACT UNB segment (no segment terminator ${terminator} after it); ` +
            'the file is incomplete: send it again in full',
        )
      : envelopeError(
          'MalformedEnvelope',
          `the EDIFACT UNB segment has no segment terminator ${terminator} within the first ${text.length} bytes of the file` +
            (hasUna ? '' : "; a file using another terminator must declare it in a UNA segment (e.g. UNA:+.? ')"),
        );
  }

  const syntaxIdentifier = component(segment, 1, 0);
  const decode = UTF8_SYNTAXES.has(syntaxIdentifier) ? decodeUtf8 : (value: string) => value;
  const value = (element: number, position: number): string => trimBlanks(decode(component(segment, element, position)));

  const senderId = value(2, 0);
  const receiverId = value(3, 0);
  if (senderId === '') {
    return envelopeError(
      'MissingSender',
      'the EDIFACT UNB segment has no interchange sender identification; put it first in UNB02 (S002), ' +
        'followed by its qualifier, e.g. UNB+UNOC:3+SENDERID:ZZZ+…',
    );
  }
  if (receiverId === '') {
    return envelopeError(
      'MissingReceiver',
      'the EDIFACT UNB segment has no interchange recipient identification; put it first in UNB03 (S003), ' +
        'followed by its qualifier, e.g. UNB+UNOC:3+SENDERID:ZZZ+RECIPIENTID:ZZZ+…',
    );
  }

  const version = value(1, 1);
  const warnings: string[] = [];
  if (!/^[A-Z]{4}$/.test(syntaxIdentifier)) {
    warnings.push(`UNB01 syntax identifier "${syntaxIdentifier}" is not a four-letter code such as UNOA or UNOC`);
  }
  if (value(5, 0) === '') warnings.push('UNB05 (interchange control reference) is blank');

  return {
    ok: true,
    envelope: {
      standard: 'EDIFACT',
      sender: { qualifier: value(2, 1), id: senderId },
      receiver: { qualifier: value(3, 1), id: receiverId },
      senderRouting: blankToUndefined(value(2, 2)),
      receiverRouting: blankToUndefined(value(3, 2)),
      controlNumber: value(5, 0),
      date: blankToUndefined(value(4, 0)),
      time: blankToUndefined(value(4, 1)),
      syntaxIdentifier,
      version,
      applicationReference: blankToUndefined(value(7, 0)),
      test: value(11, 0) === '1',
      separators: hasUna || version !== '4' ? separators : { ...separators, repetition: '*' },
      serviceStringAdvice: hasUna,
      warnings,
    },
  };
}

function readServiceStringAdvice(chars: string): EdifactSeparators | string {
  const [component, element, decimal, release, repetition, segment] = [...chars] as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const layout =
    "UNA must be followed by six characters: component separator, element separator, decimal mark, release " +
    "character, repetition separator or space, segment terminator (e.g. UNA:+.? ')";
  if (!canSeparateElements(component)) return `the EDIFACT UNA component separator is ${describeChar(component)}; ${layout}`;
  if (!canSeparateElements(element)) return `the EDIFACT UNA element separator is ${describeChar(element)}; ${layout}`;
  if (!canTerminateSegments(segment)) return `the EDIFACT UNA segment terminator is ${describeChar(segment)}; ${layout}`;
  const releaseInUse = release === ' ' ? undefined : release;
  const inUse = [component, element, segment, ...(releaseInUse === undefined ? [] : [releaseInUse])];
  if (new Set(inUse).size !== inUse.length) {
    return `the EDIFACT UNA segment "UNA${chars}" uses one character for two roles; ${layout}`;
  }
  return {
    component,
    element,
    decimal,
    release: releaseInUse,
    repetition: repetition === ' ' ? undefined : repetition,
    segment,
  };
}

/** Elements of one segment, each a list of components, with release characters resolved. */
function readSegment(text: string, from: number, separators: EdifactSeparators): string[][] | undefined {
  const elements: string[][] = [[]];
  let current = '';
  for (let at = from; at < text.length; at++) {
    const char = text.charAt(at);
    if (char === separators.release) {
      at++;
      if (at >= text.length) return undefined;
      current += text.charAt(at);
      continue;
    }
    if (char === separators.segment) {
      (elements[elements.length - 1] as string[]).push(current);
      return elements;
    }
    if (char === separators.element) {
      (elements[elements.length - 1] as string[]).push(current);
      elements.push([]);
      current = '';
      continue;
    }
    if (char === separators.component) {
      (elements[elements.length - 1] as string[]).push(current);
      current = '';
      continue;
    }
    current += char;
  }
  return undefined;
}

function component(segment: string[][], element: number, position: number): string {
  return segment[element]?.[position] ?? '';
}

/** Writers often break the line after UNA; a line break cannot be a separator that UNB needs. */
function skipLineBreaks(text: string, from: number): number {
  let at = from;
  while (at < text.length && (text.charAt(at) === '\r' || text.charAt(at) === '\n')) at++;
  return at;
}

/** The head is decoded byte-for-byte (latin1) to find separators; UTF-8 syntaxes need their values re-decoded. */
function decodeUtf8(value: string): string {
  return Buffer.from(value, 'latin1').toString('utf8');
}

function blankToUndefined(value: string): string | undefined {
  return value === '' ? undefined : value;
}
