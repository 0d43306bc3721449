/**
 * A history of finished events written straight into a gridhook database
 * while no gridhook runs (one transaction this size would hold SQLite's write
 * lock for minutes, longer than any writer of gridhook's waits): N events
 * over the last 30 days, the oldest first, spread over the given callbacks
 * and mailboxes, 2% Failed and 1% Canceled, one attempt each for the last
 * day's. The list and purge scenarios measure against it.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

export const DAY = 86_400_000;
/** How far back the history goes. */
export const HISTORY_DAYS = 30;

export interface HistoryOptions {
  /** `sqlite:<file>` or a PostgreSQL URL, as GRIDHOOK_DATABASE_URL takes it. */
  databaseUrl: string;
  events: number;
  callbackIds: number[];
  mailboxIds: number[];
  /** The newest event is this old. */
  now: number;
}

export async function seedHistory(options: HistoryOptions): Promise<void> {
  if (options.databaseUrl.startsWith('sqlite:')) seedSqlite(options.databaseUrl.slice('sqlite:'.length), options);
  else await seedPostgres(options.databaseUrl, options);
}

/** Event i (1 to N) is created at start + i × spacing. */
function timeline(now: number, events: number): { spacing: number; start: number } {
  return { spacing: (HISTORY_DAYS * DAY) / events, start: now - HISTORY_DAYS * DAY };
}

function seedSqlite(file: string, { events, callbackIds, mailboxIds, now }: HistoryOptions): void {
  const db = new Database(file);
  db.pragma('busy_timeout = 60000');
  const { spacing, start } = timeline(now, events);
  db.exec('CREATE TEMP TABLE cb (k INTEGER PRIMARY KEY, id INTEGER)');
  db.exec('CREATE TEMP TABLE mb (k INTEGER PRIMARY KEY, id INTEGER)');
  callbackIds.forEach((id, k) => db.prepare('INSERT INTO cb VALUES (?, ?)').run(k, id));
  mailboxIds.forEach((id, k) => db.prepare('INSERT INTO mb VALUES (?, ?)').run(k, id));
  db.transaction(() => {
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @events)
       INSERT INTO events (webhook_id, callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name,
         is_test, status, attempts, max_attempts, last_attempt_at, last_http_status, created_at, finished_at)
       SELECT 'evt_' || lower(hex(randomblob(16))), (SELECT id FROM cb WHERE k = i % ${callbackIds.length}),
         CASE WHEN i % 10 = 0 THEN 'InBox' ELSE 'OutBox' END, 1, (SELECT id FROM mb WHERE k = i % ${mailboxIds.length}), 0,
         CASE WHEN i % 4 = 0 THEN i ELSE 0 END, 'history-' || i || '.edi', 0,
         CASE WHEN i % 100 < 2 THEN 'Failed' WHEN i % 100 = 2 THEN 'Canceled' ELSE 'Delivered' END,
         1, 4, CAST(@start + i * @spacing AS INTEGER), CASE WHEN i % 100 < 2 THEN 500 ELSE 200 END,
         CAST(@start + i * @spacing AS INTEGER), CAST(@start + i * @spacing AS INTEGER) + 100
       FROM n`,
    ).run({ events, start, spacing });
    db.prepare(
      `INSERT INTO attempts (event_id, worker_id, started_at, duration_ms, http_status, error)
       SELECT id, 'seed', last_attempt_at, 20 + id % 80, last_http_status, NULL FROM events WHERE created_at >= ?`,
    ).run(now - DAY);
  })();
  // What gridhook's own PRAGMA optimize does at its next start: statistics from a bounded sample.
  db.pragma('optimize = 0x10002');
  db.close();
}

async function seedPostgres(url: string, { events, callbackIds, mailboxIds, now }: HistoryOptions): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { spacing, start } = timeline(now, events);
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO events (callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name,
         is_test, status, attempts, max_attempts, last_attempt_at, last_http_status, created_at, finished_at)
       SELECT ($3::bigint[])[1 + i % ${callbackIds.length}], CASE WHEN i % 10 = 0 THEN 'InBox' ELSE 'OutBox' END, 1,
         ($4::bigint[])[1 + i % ${mailboxIds.length}], 0, CASE WHEN i % 4 = 0 THEN i ELSE 0 END, 'history-' || i || '.edi', false,
         CASE WHEN i % 100 < 2 THEN 'Failed' WHEN i % 100 = 2 THEN 'Canceled' ELSE 'Delivered' END,
         1, 4, ($1::bigint + i * $2::float8)::bigint, CASE WHEN i % 100 < 2 THEN 500 ELSE 200 END,
         ($1::bigint + i * $2::float8)::bigint, ($1::bigint + i * $2::float8)::bigint + 100
       FROM generate_series(1, $5::bigint) AS i`,
      [start, spacing, callbackIds, mailboxIds, events],
    );
    await client.query(
      `INSERT INTO attempts (event_id, worker_id, started_at, duration_ms, http_status, error)
       SELECT id, 'seed', last_attempt_at, 20 + id % 80, last_http_status, NULL FROM events WHERE created_at >= $1`,
      [now - DAY],
    );
    await client.query('COMMIT');
    // What autovacuum does to a table this size soon after the load: statistics and the visibility map.
    await client.query('VACUUM ANALYZE events');
    await client.query('VACUUM ANALYZE attempts');
  } finally {
    await client.end();
  }
}
