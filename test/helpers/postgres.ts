/**
 * Real PostgreSQL databases for tests: each test gets its own, cloned from a
 * migrated template (CREATE DATABASE … TEMPLATE), so tests are isolated, may
 * run in parallel files, and none pays for migrating.
 *
 * The server is GRIDHOOK_TEST_DATABASE_URL, or the local default below; the
 * role must be allowed to create databases.
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';

const ADMIN_URL = process.env.GRIDHOOK_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Named after the migrations it holds, so a changed schema gets a new
 * template and an unchanged one is reused across runs.
 */
const TEMPLATE = `gridhook_template_${createHash('sha256').update(JSON.stringify(MIGRATIONS)).digest('hex').slice(0, 12)}`;

export interface TestDatabase {
  url: string;
  /**
   * Drops the database, ending any connection still open to it. Tests need
   * not wait for it; dropTestDatabases() does, and reports a failed drop.
   */
  drop(): Promise<void>;
}

/** The URL of `database` on the test server. */
function databaseUrl(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function postgresAvailable(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await withAdmin((client) => client.query('SELECT 1'));
    return { ok: true };
  } catch (error) {
    const message = error instanceof Error ? error.message || error.name : String(error);
    return { ok: false, reason: `no PostgreSQL at ${new URL(ADMIN_URL).host} (${message})` };
  }
}

let template: Promise<void> | null = null;
/** The next test's database, copied while the current test runs. */
let spare: Promise<TestDatabase> | null = null;
const drops = new Set<Promise<void>>();
const dropErrors: unknown[] = [];

/** Templates of other schema versions unused this long are dropped: no run of that version is still going. */
const STALE_TEMPLATE_MS = 24 * 60 * 60 * 1000;

/**
 * Builds the template once per server and schema version. Test files run in
 * parallel processes, so a session advisory lock lets one build while the
 * others wait; it is built under a temporary name and renamed when complete,
 * so a run killed half-way never leaves a broken template behind. Each run
 * stamps the template it uses (its comment), which is how templates of other
 * versions are known to be stale.
 */
function ensureTemplate(): Promise<void> {
  template ??= withAdmin(async (admin) => {
    await admin.query("SELECT pg_advisory_lock(hashtext('gridhook test template'))");
    try {
      const others = await admin.query<{ datname: string; used: string | null }>(
        `SELECT datname, shobj_description(oid, 'pg_database') AS used FROM pg_database
         WHERE datname LIKE 'gridhook\\_template\\_%' AND datname <> $1`,
        [TEMPLATE],
      );
      for (const { datname, used } of others.rows) {
        if (Date.now() - Number(used ?? 0) < STALE_TEMPLATE_MS) continue;
        await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)}`).catch(() => undefined);
      }
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE]);
      if (exists.rowCount) {
        await admin.query(`COMMENT ON DATABASE ${TEMPLATE} IS '${Date.now()}'`);
        return;
      }
      const building = `${TEMPLATE}_building`;
      await admin.query(`CREATE DATABASE ${building}`);
      const store = openPostgresStore(databaseUrl(building));
      try {
        await store.migrate();
      } finally {
        await store.close();
      }
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${TEMPLATE}`);
      await admin.query(`COMMENT ON DATABASE ${TEMPLATE} IS '${Date.now()}'`);
    } finally {
      await admin.query("SELECT pg_advisory_unlock(hashtext('gridhook test template'))");
    }
  });
  return template;
}

/** A fresh, migrated database of its own (network 1 and mailbox 1 included). */
export async function createTestDatabase(): Promise<TestDatabase> {
  await ensureTemplate();
  // A copy takes about half a second (it is WAL-logged and synced), so the
  // next one is made while this one is in use.
  const next = spare ?? createDatabase(`TEMPLATE ${TEMPLATE}`);
  spare = createDatabase(`TEMPLATE ${TEMPLATE}`);
  spare.catch(() => undefined);
  return next;
}

/** An empty database of its own, for tests of migrate() itself. */
export function createEmptyDatabase(): Promise<TestDatabase> {
  return createDatabase('');
}

/** Waits for every drop begun and drops the spare copy; call once in afterAll. */
export async function dropTestDatabases(): Promise<void> {
  const last = spare;
  spare = null;
  if (last) await (await last).drop();
  await Promise.all(drops);
  if (dropErrors.length > 0) throw new AggregateError(dropErrors.splice(0), 'dropping test databases failed');
}

async function createDatabase(options: string): Promise<TestDatabase> {
  const name = `gridhook_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name} ${options}`));
  let dropping: Promise<void> | null = null;
  return {
    url: databaseUrl(name),
    drop() {
      dropping ??= withAdmin(async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }).catch((error: unknown) => {
        dropErrors.push(error);
      });
      drops.add(dropping);
      return dropping;
    },
  };
}

/** Runs one statement as the test server's admin, e.g. pg_terminate_backend. */
export function adminQuery<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
  return withAdmin((admin) => admin.query<R>(text, values));
}

/**
 * The stores a server-level test runs on, for describe.each: each answers the
 * databaseUrl to start the server with (none for SQLite, the test's own file;
 * a new database for PostgreSQL, which must be there).
 */
export const SERVER_STORES: Array<[string, () => Promise<string | undefined>]> = [
  ['SQLite', async () => undefined],
  [
    'PostgreSQL',
    async () => {
      const availability = await postgresAvailable();
      if (!availability.ok) throw new Error(`PostgreSQL is needed for this test: ${availability.reason}`);
      return (await createTestDatabase()).url;
    },
  ],
];

/**
 * Rows and index entries this transaction's scans of events and its indexes
 * have returned so far. Read before and after a statement in one
 * transaction: counts of earlier transactions may not be flushed yet.
 */
export async function eventsReadInTransaction(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    `SELECT sum(pg_stat_get_xact_tuples_returned(r.oid) + pg_stat_get_xact_tuples_fetched(r.oid)) AS n
     FROM pg_class r
     WHERE r.oid = 'events'::regclass
        OR r.oid IN (SELECT i.indexrelid FROM pg_index i WHERE i.indrelid = 'events'::regclass)`,
  );
  return Number(rows[0]?.n);
}
