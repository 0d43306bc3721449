/**
 * The console's one table: a caption, a header row, one row per item, an
 * empty state instead of an empty table, and the pager of a server-paged list.
 * Every table of every page is one of these, so they read and page alike.
 */
import type { ComponentChildren } from 'preact';

export interface Column<T> {
  header: string;
  cell: (row: T, index: number) => ComponentChildren;
  /** The cell names its row (a `th` with scope="row"). */
  rowHeader?: boolean;
  class?: string;
  testId?: (row: T) => string | undefined;
}

/** One page of a server-paged list, and how to ask for another. */
export interface Paging {
  pageNo: number;
  recordsPerPage: number;
  totalRecords: number;
  /** False when the API stopped counting: totalRecords is then a lower bound (docs/api.md, Paging). */
  totalRecordsExact?: boolean;
  onPage: (pageNo: number) => void;
}

export function DataTable<T>(props: {
  caption: string;
  /** Shown to everyone; by default only screen readers read it, the page's heading says the rest. */
  captionVisible?: boolean;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T, index: number) => string | number;
  /** Shown instead of the table when there is nothing to list (on any page). */
  empty?: ComponentChildren;
  paging?: Paging;
  class?: string;
}) {
  const total = props.paging ? props.paging.totalRecords : props.rows.length;
  if (total === 0 && props.empty !== undefined) return <>{props.empty}</>;
  return (
    <>
      <table class={props.class}>
        <caption class={props.captionVisible ? undefined : 'visually-hidden'}>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.header} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row, index) => (
            <tr key={props.rowKey(row, index)}>
              {props.columns.map((c) => {
                const Cell = c.rowHeader ? 'th' : 'td';
                return (
                  <Cell key={c.header} scope={c.rowHeader ? 'row' : undefined} class={c.class} data-testid={c.testId?.(row)}>
                    {c.cell(row, index)}
                  </Cell>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {props.paging && <Pager {...props.paging} />}
    </>
  );
}

/** Previous / next page of a server-paged list. */
function Pager(props: Paging) {
  const pages = Math.max(1, Math.ceil(props.totalRecords / props.recordsPerPage));
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" disabled={props.pageNo <= 1} onClick={() => props.onPage(props.pageNo - 1)}>
        Previous page
      </button>
      <span>
        {props.totalRecordsExact === false
          ? `Page ${props.pageNo} of ${pages} or more (at least ${props.totalRecords} in all)`
          : `Page ${props.pageNo} of ${pages} (${props.totalRecords} in all)`}
      </span>
      <button type="button" disabled={props.pageNo >= pages} onClick={() => props.onPage(props.pageNo + 1)}>
        Next page
      </button>
    </nav>
  );
}
