import { describe, expect, it } from 'vitest';
import { cleanReceiverText, findUnstorableText, unstorableText } from '../src/domain/text-safety.js';

describe('cleanReceiverText', () => {
  it('keeps tab and newline, turns other controls and NULs into one space each run', () => {
    expect(cleanReceiverText('a\u0000\u0000b\tc\nd\u001b[31me\u007f\u0085f', 100)).toBe('a b\tc\nd [31me f');
  });

  it('replaces unpaired surrogates and keeps pairs', () => {
    expect(cleanReceiverText('x\ud800y\udc00z😀', 100)).toBe('x\ufffdy\ufffdz😀');
  });

  it('bounds the length without splitting a surrogate pair', () => {
    expect(cleanReceiverText('abcdef', 3)).toBe('abc…');
    expect(cleanReceiverText('ab😀cd', 3)).toBe('ab…');
  });
});

describe('findUnstorableText', () => {
  it('names the first field holding a NUL or an unpaired surrogate, by its path', () => {
    expect(findUnstorableText({ a: 'ok', b: { c: ['x', 'y\u0000'] } })).toEqual({
      field: 'b.c[1]',
      reason: unstorableText('\u0000'),
    });
    expect(findUnstorableText({ customHeaders: { 'X-\ud800': 'v' } })?.field).toBe('customHeaders.X-\ud800');
    expect(findUnstorableText('\udc00', 'status')?.field).toBe('status');
  });

  it('passes well-formed text, numbers, and raw bytes', () => {
    expect(findUnstorableText({ a: 'naïve 😀', n: 1, b: null, raw: Buffer.from([0, 0xd8]) })).toBeNull();
  });

  it('walks a body nested deeper than the stack', () => {
    const deep = JSON.parse('['.repeat(100_000) + '"\\u0000"' + ']'.repeat(100_000)) as unknown;
    expect(findUnstorableText(deep)?.reason).toBe(unstorableText('\u0000'));
  });
});
