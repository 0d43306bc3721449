// The last second formatted: a burst of deliveries mostly carries events
// created within the same second, and toISOString is the costly part.
let lastSecond = Number.NaN;
let lastText = '';

/** The guide's date format: ISO 8601 in UTC to the second ("2026-05-07T14:32:00Z"). */
export function formatDateTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== lastSecond) {
    // "YYYY-MM-DDTHH:MM:SS" is the first 19 characters for years 0000–9999.
    lastText = `${new Date(second * 1000).toISOString().slice(0, 19)}Z`;
    lastSecond = second;
  }
  return lastText;
}

export function formatNullableDateTime(epochMs: number | null): string | null {
  return epochMs === null ? null : formatDateTime(epochMs);
}
