/**
 * The streaming reader of upload bodies: whatever the chunk boundaries, it
 * reads the same members and the same content as JSON.parse would, and it
 * refuses malformed JSON and malformed base64 with the place at fault.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GridhookError } from '../src/errors.js';
import { Base64Decoder, UploadBodyScanner } from '../src/http/rest/upload-body.js';

function read(body: string | Buffer, pieceSize: number) {
  const decoder = new Base64Decoder('content');
  const decoded: Buffer[] = [];
  const scanner = new UploadBodyScanner('content', (text) => decoded.push(decoder.push(text)));
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  for (let at = 0; at < bytes.length; at += pieceSize) {
    // A copy, so a reader that kept a reference to an earlier piece would see it change.
    scanner.feed(Buffer.from(bytes.subarray(at, at + pieceSize)));
  }
  scanner.end();
  decoded.push(decoder.end());
  return { members: Object.fromEntries(scanner.members), content: Buffer.concat(decoded), contentSeen: scanner.contentSeen };
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GridhookError);
    return (error as GridhookError).message;
  }
  throw new Error('expected a refusal');
}

describe('UploadBodyScanner', () => {
  const file = randomBytes(3_000);
  const members = {
    fileName: 'Bestellung \u00fc\u00df "1" \\ \u2603.edi',
    mailboxId: 12,
    ecGridIdTo: 0,
    nested: { list: [1, 'two', { three: '}]"\\' }], empty: {}, none: null },
    flag: false,
    number: -1.25e-3,
  };
  const body = JSON.stringify({ ...members, content: file.toString('base64'), after: [true] });

  it.each([1, 2, 3, 5, 64, 1_000, body.length])('reads the same in pieces of %i bytes', (size) => {
    const result = read(body, size);
    expect(result.members).toEqual({ ...members, after: [true] });
    expect(result.content.equals(file)).toBe(true);
  });

  it('resolves every JSON escape inside content, and skips line breaks in the base64', () => {
    const base64 = file.toString('base64');
    const escaped = base64
      .replace(/(.{60})/g, '$1\n')
      .replace(/\//g, '\\/')
      .replace(/A/g, '\\u0041')
      .replace(/\n/g, '\\r\\n');
    for (const size of [1, 4, 7, 100]) {
      expect(read(`{"content":"${escaped}"}`, size).content.equals(file), `size ${size}`).toBe(true);
    }
  });

  it('reads an empty object, an empty content and whitespace everywhere', () => {
    expect(read('  {  }  ', 1)).toEqual({ members: {}, content: Buffer.alloc(0), contentSeen: false });
    expect(read('\n{ "content" : "" , "fileName" :\t"a" }\r\n', 2)).toMatchObject({ members: { fileName: 'a' }, contentSeen: true });
  });

  it.each([
    ['{"a":1,}', /unexpected "}"/],
    ['{"a" 1}', /unexpected "1" at byte 5/],
    ['{"a":1}{', /after the end of the object/],
    ['{"a":[1,2}', /the value of "a" is malformed/],
    ['{"a":[1,2', /ends before its JSON object does/],
    ['{"a":01}', /the value of "a" is malformed/],
    ['{a:1}', /unexpected "a"/],
    ['{"content":"QUFB', /ends before its JSON object does/],
    ['{"content":"QU\\x"}', /the escape \\x in content/],
    ['{"content":"Q\\u00ZZ"}', /the escape \\u00ZZ in content/],
  ])('refuses %s', (body, message) => {
    expect(refusal(() => read(body, 3))).toMatch(message);
  });
});

describe('Base64Decoder', () => {
  it('decodes with and without padding, in any split', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 30]) {
      const bytes = randomBytes(length);
      const padded = bytes.toString('base64');
      for (const text of [padded, padded.replace(/=+$/, '')]) {
        for (let split = 0; split <= text.length; split++) {
          const decoder = new Base64Decoder('content');
          const out = Buffer.concat([decoder.push(text.slice(0, split)), decoder.push(text.slice(split)), decoder.end()]);
          expect(out.equals(bytes), `${text} split at ${split}`).toBe(true);
        }
      }
    }
  });

  it.each([
    ['QU#B', 'content: is not valid base64: "#" at character 3; encode the file with standard base64'],
    ['QUFB\u00e9', 'content: is not valid base64: the character U+00E9 at character 5; encode the file with standard base64'],
    ['QUFB-_', /"-" at character 5/],
    ['QQ==QUFB', /padding may only come at the end/],
    ['Q===', /too much "=" padding/],
    ['QUFBQ', /ends in the middle of a group of four/],
    ['QUF=B', /padding may only come at the end/],
    ['QUE', null],
  ])('%j', (text, message) => {
    const decoder = new Base64Decoder('content');
    const run = () => {
      decoder.push(text);
      decoder.end();
    };
    if (message === null) expect(run).not.toThrow();
    else expect(refusal(run)).toMatch(message);
  });
});
