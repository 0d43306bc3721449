/** Date filters of list and retry calls: ISO 8601 with a zone, as begin (inclusive) and end (exclusive). */
import { invalidParameter } from '../errors.js';

/** ISO 8601 date and time with a zone, as the date filters accept it. */
export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function optionalDate(field: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const time = typeof value === 'string' && ISO_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw invalidParameter(field, 'must be an ISO 8601 date and time with a zone, e.g. 2026-05-07T14:32:00Z');
  return time;
}

export interface TimeRange {
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  before?: number;
}

/** `beginDate` / `endDate` of a request as a range; endDate before beginDate is refused. */
export function timeRange(beginDate: unknown, endDate: unknown): TimeRange {
  const from = optionalDate('beginDate', beginDate);
  const before = optionalDate('endDate', endDate);
  if (from !== undefined && before !== undefined && before < from) {
    throw invalidParameter('endDate', 'must not be before beginDate');
  }
  return { ...(from !== undefined && { from }), ...(before !== undefined && { before }) };
}
