/**
 * How far a list counts its matches. Counting every match of a filter costs
 * as much as reading them all (5,000,000 events: hundreds of milliseconds),
 * so a page counts to its own end and COUNT_AHEAD more. A client that loops
 * while `pageNo × recordsPerPage < totalRecords` still reaches the end: the
 * bound always lies past the page it was given when more records follow.
 * (After a cursor, see countBound.)
 */
import type { PageRequest } from './types.js';

export const COUNT_AHEAD = 1_000;

/** Rows skipped before the page: none after a cursor, which already says where to start. */
export function pageOffset(page: PageRequest): number {
  return page.after === undefined ? (page.pageNo - 1) * page.recordsPerPage : 0;
}

/**
 * The most matches a count reads, or null for no bound. After a cursor the
 * count only says whether another page follows: a client walking by cursor
 * reads nextCursor, not totals, and counting ahead would cost it more than
 * its page.
 */
export function countBound(page: PageRequest): number | null {
  if (page.exactTotal === true) return null;
  return page.after === undefined ? pageOffset(page) + page.recordsPerPage + COUNT_AHEAD : page.recordsPerPage + 1;
}

export function boundedTotal(counted: number, bound: number | null): { totalRecords: number; totalRecordsExact: boolean } {
  return { totalRecords: counted, totalRecordsExact: bound === null || counted < bound };
}
