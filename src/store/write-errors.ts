/**
 * Which store errors are about the data of a row rather than the database
 * being unavailable. A batch that fails for one row's data would fail the
 * same way for ever if retried whole; one that fails for an outage succeeds
 * later. Both drivers are recognised here so callers stay store-agnostic.
 */

/**
 * PostgreSQL SQLSTATE classes 22 (data exception: bad encoding, a NUL in
 * text, out of range) and 23 (integrity constraint violation); SQLite's
 * constraint, type-mismatch and too-big result codes.
 */
export function isRowDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  if (/^2[23][0-9A-Z]{3}$/.test(code)) return true;
  return code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG';
}

/** The driver's code for an error, for log lines and stored reasons. */
export function storeErrorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}
