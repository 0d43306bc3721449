/** The guide's date format: ISO 8601 in UTC to the second ("2026-05-07T14:32:00Z"). */
export function formatDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function formatNullableDateTime(epochMs: number | null): string | null {
  return epochMs === null ? null : formatDateTime(epochMs);
}
