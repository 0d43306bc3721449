import { describe, expect, it } from 'vitest';
import { formatDateTime, formatNullableDateTime } from '../src/domain/time-format.js';

describe('time format', () => {
  it("writes the guide's UTC form to the second, dropping milliseconds", () => {
    expect(formatDateTime(Date.UTC(2026, 4, 7, 14, 32, 0, 999))).toBe('2026-05-07T14:32:00Z');
    expect(formatDateTime(0)).toBe('1970-01-01T00:00:00Z');
    expect(formatNullableDateTime(null)).toBeNull();
  });

  it('never answers a time from the second formatted before', () => {
    const a = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(formatDateTime(a + 10)).toBe('2026-01-01T00:00:00Z');
    expect(formatDateTime(a + 1_000)).toBe('2026-01-01T00:00:01Z');
    expect(formatDateTime(a + 999)).toBe('2026-01-01T00:00:00Z');
    expect(formatDateTime(a - 1)).toBe('2025-12-31T23:59:59Z');
    expect(formatDateTime(a + 86_400_000)).toBe('2026-01-02T00:00:00Z');
  });

  it('throws on a time that is not one, as Date does', () => {
    expect(() => formatDateTime(Number.NaN)).toThrow(RangeError);
    expect(formatDateTime(Date.UTC(2026, 4, 7, 14, 32, 0))).toBe('2026-05-07T14:32:00Z');
  });
});
