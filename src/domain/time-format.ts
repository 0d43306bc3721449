/** The guide's date format: ISO 8601 in UTC to the second ("2026-05-07T14:32:00Z"). */
export function formatDateTime(epochMs: number): string {
  // "YYYY-MM-DDTHH:MM:SS" is the first 19 characters for years 0000–9999.
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

export function formatNullableDateTime(epochMs: number | null): string | null {
  return epochMs === null ? null : formatDateTime(epochMs);
}
