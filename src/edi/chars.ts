/** Character tests and wording shared by the X12 and EDIFACT readers. */

export function isAlphanumeric(char: string): boolean {
  return /^[A-Za-z0-9]$/.test(char);
}

/** ASCII blanks only: the head is decoded as latin1, where /\s/ would also take byte 0xA0. */
export function isBlank(char: string): boolean {
  return /^[ \t\r\n\f\v]$/.test(char);
}

/** Strips the space padding X12 requires and stray blanks, but no other characters (String.trim would also take byte 0xA0). */
export function trimBlanks(value: string): string {
  return value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

/** Separators may be control characters (0x1C–0x1F are common), never letters, digits or blanks. */
export function canSeparateElements(char: string | undefined): char is string {
  return char !== undefined && char.length === 1 && !isAlphanumeric(char) && !isBlank(char);
}

/** A segment terminator may also be a line break: some partners end every segment with CR or LF alone. */
export function canTerminateSegments(char: string | undefined): char is string {
  return char !== undefined && char.length === 1 && !isAlphanumeric(char) && char !== ' ' && char !== '\t';
}

/** Names a character so a user can find it in a file, even when it is invisible. */
export function describeChar(char: string | undefined): string {
  if (char === undefined || char === '') return 'nothing';
  if (char === '\n') return 'a line feed (LF)';
  if (char === '\r') return 'a carriage return (CR)';
  if (char === ' ') return 'a space';
  if (char === '\t') return 'a tab';
  if (char === "'") return `"'"`;
  const code = char.charCodeAt(0);
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
    return `the control character 0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `'${char}'`;
}
