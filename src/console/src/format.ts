/** How the console writes times, rates and durations. */

/** "2026-05-07 14:32:00 UTC" from the API's UTC date-time; "—" for none. */
export function when(value: string | null | undefined): string {
  if (!value) return '—';
  return value.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(rate === 1 || rate === 0 ? 0 : 1)} %`;
}

export function ms(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${value} ms`;
}

export function orDash(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '—' : String(value);
}

/** "3 min ago" for a past date-time. */
export function ago(value: string | null | undefined, now = Date.now()): string {
  if (!value) return '—';
  const seconds = Math.max(0, Math.round((now - Date.parse(value)) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

/** A datetime-local input's value (the browser's local time) as the API's ISO 8601 UTC; undefined when empty. */
export function isoFromLocal(value: string): string | undefined {
  if (value === '') return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? value : time.toISOString();
}
