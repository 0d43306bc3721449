/** Human output for the remote commands: aligned tables and key/value blocks. */

export type Column<T> = [heading: string, value: (row: T) => unknown];

const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * An API timestamp (ISO 8601 in UTC) as ISO 8601 in the user's time zone (TZ),
 * with its offset, so a person reads their own clock; --json keeps the API's.
 */
export function localTimestamp(utc: string): string {
  const date = new Date(utc);
  const offset = -date.getTimezoneOffset();
  if (offset === 0) return utc.replace(/\.\d+Z$/, 'Z');
  const sign = offset > 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${date.getFullYear()}-${twoDigits(date.getMonth() + 1)}-${twoDigits(date.getDate())}` +
    `T${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}` +
    `${sign}${twoDigits(Math.floor(abs / 60))}:${twoDigits(abs % 60)}`
  );
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'string' && UTC_TIMESTAMP.test(value)) return localTimestamp(value);
  return String(value);
}

/** An aligned table with a heading row; "(none)" when there are no rows. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = [columns.map(([heading]) => heading), ...rows.map((row) => columns.map(([, value]) => cell(value(row))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => (line[i] as string).length)));
  return cells.map((line) => line.map((text, i) => (i === line.length - 1 ? text : text.padEnd(widths[i] as number))).join('  ')).join('\n') + '\n';
}

/** One object as "key: value" lines, keys aligned. */
export function formatRecord(record: Record<string, unknown>): string {
  const keys = Object.keys(record);
  const width = Math.max(0, ...keys.map((k) => k.length));
  return keys.map((key) => `${`${key}:`.padEnd(width + 1)} ${cell(record[key])}`).join('\n') + '\n';
}
