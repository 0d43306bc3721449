/** A numbered schema change; a released one is never edited, a change is a new one. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The migrations a database with these versions applied still needs, by
 * version (migrations written side by side may land in the list out of
 * order). A database newer than every known migration is refused: running an
 * older gridhook against it could misread or damage its data.
 */
export function pendingMigrations(all: readonly Migration[], applied: ReadonlySet<number>): Migration[] {
  const newest = Math.max(0, ...all.map((m) => m.version));
  const unknown = [...applied].filter((v) => v > newest);
  if (unknown.length > 0) {
    throw new Error(
      `The database has schema version ${Math.max(...unknown)} but this gridhook knows only up to ${newest}; ` +
        'upgrade gridhook or point it at another database.',
    );
  }
  return all.filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version);
}
