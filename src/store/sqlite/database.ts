/**
 * The SQLite store's access to its connection, shared by the aggregates
 * (directory, callbacks, events, claims): statements prepared once on first
 * use, write and read transactions, relaxed commits, and pages with their
 * total.
 */
import type Database from 'better-sqlite3';
import type { Page, PageRequest } from '../../domain/types.js';
import { boundedTotal, countBound, pageOffset } from '../../domain/paging.js';

export type Params = Record<string, unknown>;

export class SqliteDatabase {
  readonly #statements = new Map<string, Database.Statement>();
  /** Statements whose rows come back as arrays of values. */
  readonly #rawStatements = new Map<string, Database.Statement>();
  readonly #transaction: Database.Transaction<(fn: () => unknown) => unknown>;
  readonly #relaxSync: Database.Statement;
  readonly #strictSync: Database.Statement;

  constructor(readonly db: Database.Database) {
    this.#relaxSync = db.prepare('PRAGMA synchronous = NORMAL');
    this.#strictSync = db.prepare('PRAGMA synchronous = FULL');
    this.#transaction = db.transaction((fn: () => unknown) => fn());
  }

  /**
   * Statements are prepared on first use rather than in the constructor: the
   * tables they name exist only once migrate() has run.
   */
  sql(source: string): Database.Statement {
    let statement = this.#statements.get(source);
    if (statement === undefined) {
      statement = this.db.prepare(source);
      this.#statements.set(source, statement);
    }
    return statement;
  }

  rawSql(source: string): Database.Statement {
    let statement = this.#rawStatements.get(source);
    if (statement === undefined) {
      statement = this.db.prepare(source).raw(true);
      this.#rawStatements.set(source, statement);
    }
    return statement;
  }

  get<T>(source: string, params: Params | unknown[] = []): T | undefined {
    return this.sql(source).get(params) as T | undefined;
  }

  all<T>(source: string, params: Params | unknown[] = []): T[] {
    return this.sql(source).all(params) as T[];
  }

  run(source: string, params: Params | unknown[] = []): Database.RunResult {
    return this.sql(source).run(params);
  }

  write<T>(fn: () => T): T {
    return this.#transaction.immediate(fn) as T;
  }

  /** Inside a write: `fn` in a savepoint, undone alone if it throws. */
  savepoint<T>(fn: () => T): T {
    return this.#transaction(fn) as T;
  }

  /**
   * A write committed without waiting for the disk. For the delivery engine's
   * own bookkeeping (leases, attempt results), whose loss in a power cut only
   * means an event is delivered again, which at-least-once allows; and, with
   * the store's durable() before answering, for publishing. A later FULL
   * commit or WAL sync makes it durable too, since the WAL is synced as a whole.
   */
  writeRelaxed<T>(fn: () => T): T {
    this.#relaxSync.run();
    try {
      return this.write(fn);
    } finally {
      this.#strictSync.run();
    }
  }

  /** A snapshot for reads made of several statements (a count and a page). */
  read<T>(fn: () => T): T {
    return this.#transaction.deferred(fn) as T;
  }

  /** One page and its bounded total (src/domain/paging.ts), from one snapshot. */
  page<R, T>(table: string, where: string[], params: Params, order: string, page: PageRequest, map: (row: R) => T): Page<T> {
    const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    const bound = countBound(page);
    const limit = { ...params, limit: page.recordsPerPage, offset: pageOffset(page) };
    return this.read(() => {
      const counted =
        bound === null
          ? this.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} ${clause}`, params)
          : this.get<{ n: number }>(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${table} ${clause} LIMIT @bound)`, {
              ...params,
              bound,
            });
      const rows = this.all<R>(`SELECT * FROM ${table} ${clause} ORDER BY ${order} LIMIT @limit OFFSET @offset`, limit);
      return {
        ...boundedTotal(counted?.n ?? 0, bound),
        pageNo: page.pageNo,
        recordsPerPage: page.recordsPerPage,
        items: rows.map(map),
      };
    });
  }

  /** Forgets the prepared statements, before the connection closes. */
  clear(): void {
    this.#statements.clear();
    this.#rawStatements.clear();
  }
}

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
