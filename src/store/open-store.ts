import type { EventSource, Store } from './store.js';
import type { ClockReading } from './postgres/server-clock.js';

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
  /** This machine's clock, in ms since the epoch. Default Date.now; tests skew it. */
  localTime?: () => number;
  /** PostgreSQL: told when this machine's clock is a second or more away from the database server's. */
  onClockSkew?: (reading: ClockReading) => void;
}

/**
 * Opens the store a database URL names: `sqlite:<file>` (or a bare path) for the
 * embedded database, `postgres://…` / `postgresql://…` for PostgreSQL. Each
 * driver is loaded only when used, so an SQLite install never touches pg.
 * A PostgreSQL store is answered once its clock has read the server's, so no
 * time is ever taken from this machine's clock alone; an unreachable server
 * throws, as the first statement would.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const { openPostgresStore } = await import('./postgres/postgres-store.js');
    const store = openPostgresStore(url, options);
    try {
      await store.clock.sync();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  if (!file) throw new Error('GRIDHOOK_DATABASE_URL: sqlite: needs a file name, e.g. sqlite:./data/gridhook.db');
  const { openSqliteStore } = await import('./sqlite/sqlite-store.js');
  return openSqliteStore(file, {
    ...(options.onError && { onError: options.onError }),
    ...(options.onEventsCreated && { onEventsCreated: options.onEventsCreated }),
    ...(options.localTime && { localTime: options.localTime }),
  });
}

/** The URL with any password hidden, for logs and error messages. */
export function describeDatabaseUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
