/**
 * The PostgreSQL store's access to its pool, shared by the aggregates
 * (directory, callbacks, events, claims, parcels): statements with their
 * errors translated, transactions retried after a deadlock, pages with their
 * total, and the after-commit announcement of new work.
 */
import pg from 'pg';
import type { Page, PageRequest } from '../../domain/types.js';
import { boundedTotal, countBound, pageOffset } from '../../domain/paging.js';
import { GridhookError } from '../../errors.js';

/** A statement runner: the pool outside a transaction, one client inside. */
export interface Queryable {
  query(text: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult>;
}

/**
 * A statement sent by name: each connection parses and plans it once, rather
 * than on every call. For the statements every delivery runs.
 */
export interface NamedStatement {
  name: string;
  text: string;
}

export class PostgresDatabase {
  /** Transactions that committed work other processes should hear of. */
  readonly #announceAfterCommit = new WeakSet<Queryable>();

  /** `announce` runs after each commit of a transaction marked by notifyWork. */
  constructor(
    readonly pool: pg.Pool,
    private readonly announce: () => void,
  ) {}

  async query<R>(text: string, values: unknown[] = [], on: Queryable = this.pool): Promise<R[]> {
    return (await this.execute(text, values, on)).rows as R[];
  }

  async one<R>(text: string, values: unknown[] = [], on: Queryable = this.pool): Promise<R | undefined> {
    return (await this.query<R>(text, values, on))[0];
  }

  async named<R>(statement: NamedStatement, values: unknown[], on: Queryable = this.pool): Promise<R[]> {
    return (await this.execute(statement, values, on)).rows as R[];
  }

  async count(text: string, values: unknown[] = [], on: Queryable = this.pool): Promise<number> {
    return (await this.execute(text, values, on)).rowCount ?? 0;
  }

  /**
   * A statement on its own (on the pool) is retried after a deadlock; inside
   * a transaction, transaction() retries the whole transaction.
   */
  async execute(text: string | NamedStatement, values: unknown[], on: Queryable = this.pool): Promise<pg.QueryResult> {
    const run = async () => {
      try {
        return await (typeof text === 'string' ? on.query(text, values) : on.query({ ...text, values }));
      } catch (error) {
        throw translateError(error);
      }
    };
    return on === this.pool ? retryDeadlocks(run) : run();
  }

  /**
   * Runs `fn` in one transaction on one client, again from the start if it
   * lost a deadlock. A client whose ROLLBACK fails is broken (its connection
   * was cut) and is destroyed, not pooled.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return retryDeadlocks(() => this.#transactionOnce(fn));
  }

  async #transactionOnce<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translateError(error);
    }
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      if (this.#announceAfterCommit.has(client)) this.announce();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw translateError(error);
    } finally {
      this.#announceAfterCommit.delete(client);
      client.release(broken);
    }
  }

  /** After a statement on the pool committed work: other processes hear of it. */
  workCommitted(): void {
    this.announce();
  }

  /** Inside a transaction: other processes hear of it once (and only if) it commits. */
  notifyWork(tx: Queryable): void {
    this.#announceAfterCommit.add(tx);
  }

  /** One page and its bounded total (src/domain/paging.ts), read side by side. */
  async page<R, T>(
    table: string,
    where: string[],
    values: unknown[],
    order: string,
    page: PageRequest,
    map: (row: R) => T,
  ): Promise<Page<T>> {
    const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    const n = values.length;
    const bound = countBound(page);
    const [rows, counted] = await Promise.all([
      this.query<R>(`SELECT * FROM ${table} ${clause} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`, [
        ...values,
        page.recordsPerPage,
        pageOffset(page),
      ]),
      this.one<{ n: number }>(
        bound === null
          ? `SELECT count(*)::INTEGER AS n FROM ${table} ${clause}`
          : `SELECT count(*)::INTEGER AS n FROM (SELECT 1 FROM ${table} ${clause} LIMIT $${n + 1}) matches`,
        bound === null ? values : [...values, bound],
      ),
    ]);
    return {
      ...boundedTotal(counted?.n ?? 0, bound),
      pageNo: page.pageNo,
      recordsPerPage: page.recordsPerPage,
      items: rows.map(map),
    };
  }
}

/** `column = $n` for each filter value that is set, numbered from $1. */
export function conditions(filter: Record<string, unknown>): { where: string[]; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  for (const [column, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    values.push(value);
    where.push(`${column} = $${values.length}`);
  }
  return { where, values };
}

const UNIQUE_VIOLATION = '23505';
const DEADLOCK_DETECTED = '40P01';
const DEADLOCK_TRIES = 3;

/**
 * Rows of one callback's events are locked in different orders by a claim
 * (oldest due first) and by a suspend or delete cancelling them, so the two
 * can deadlock. PostgreSQL then rolls one back entirely, which makes running
 * it again safe.
 */
async function retryDeadlocks<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= DEADLOCK_TRIES || (error as { code?: unknown }).code !== DEADLOCK_DETECTED) throw error;
    }
  }
}

export function isDuplicate(error: unknown): boolean {
  return error instanceof GridhookError && error.code === 'DuplicateObject';
}

/** Node's codes for a database that cannot be reached or went away. */
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/**
 * Unique violations become DuplicateObject; an unreachable, restarting or
 * overloaded database becomes ServiceUnavailable, which the API answers with
 * 503 rather than 500. Anything else is a bug and passes through unchanged.
 */
export function translateError(error: unknown): unknown {
  if (error instanceof GridhookError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  if (code === UNIQUE_VIOLATION) {
    const constraint = (error as { constraint?: string }).constraint;
    return new GridhookError('DuplicateObject', `A record with these values already exists (${constraint ?? 'unique'}).`, {
      cause: error,
    });
  }
  const unavailable =
    (typeof code === 'string' &&
      (NETWORK_ERRORS.has(code) ||
        code.startsWith('08') || // connection exception
        code.startsWith('53') || // insufficient resources (too many connections, disk full)
        code.startsWith('57P') || // admin or crash shutdown, cannot connect now
        code === '57014' || // statement timeout
        code === '3D000')) || // the database does not exist (dropped, or not created yet)
    /Connection terminated|not queryable|timeout exceeded when trying to connect|not currently accepting connections/i.test(
      error.message,
    );
  if (unavailable) {
    return new GridhookError('ServiceUnavailable', `The database is unavailable: ${error.message}`, { cause: error });
  }
  return error;
}
