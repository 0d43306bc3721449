import type { EventSource, Store } from './store.js';

export interface OpenStoreOptions {
  /** PostgreSQL pool size per process. */
  poolSize?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
  /**
   * Told about failures the store rides out: PostgreSQL a cut connection or the
   * listener reconnecting, SQLite a failing background checkpoint.
   */
  onError?: (error: Error) => void;
  /** Told how many events each committed write created, and what created them (metrics). */
  onEventsCreated?: (source: EventSource, count: number) => void;
}

/**
 * Opens the store a database URL names: `sqlite:<file>` (or a bare path) for the
 * embedded database, `postgres://…` / `postgresql://…` for PostgreSQL. Each
 * driver is loaded only when used, so an SQLite install never touches pg.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const { openPostgresStore } = await import('./postgres/postgres-store.js');
    return openPostgresStore(url, options);
  }
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  if (!file) throw new Error('GRIDHOOK_DATABASE_URL: sqlite: needs a file name, e.g. sqlite:./data/gridhook.db');
  const { openSqliteStore } = await import('./sqlite/sqlite-store.js');
  return openSqliteStore(file, {
    ...(options.onError && { onError: options.onError }),
    ...(options.onEventsCreated && { onEventsCreated: options.onEventsCreated }),
  });
}

/** The URL with any password hidden, for logs and error messages. */
export function describeDatabaseUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
