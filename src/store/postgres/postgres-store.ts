/**
 * The PostgreSQL Store: any number of gridhook processes on any number of
 * machines share one database (CONTRACT §4).
 *
 * What that asks beyond the SQLite store, which has one writer at a time:
 * - Claims by several workers at once: leases are taken in the
 *   claim_due_events function (see migrations 1 and 5) under per-callback
 *   advisory locks, so no event is leased twice and no callback ever has
 *   more than perCallbackLimit events out across all workers.
 * - Racing writers: callbacks matched by a publish, retry or test event are
 *   share-locked until it commits, so a suspend or delete either waits for it
 *   and then cancels its events, or commits first and is seen by it.
 * - Waking other processes: every commit that makes work due also issues
 *   pg_notify (delivered on commit) and WorkListener hears the others'.
 * - Outages: connection failures surface as ServiceUnavailable; a connection
 *   cut while idle or in use is reported through onError, never thrown from
 *   an event emitter, so it cannot crash the process.
 *
 * Rows map to the domain exactly as on SQLite (same tables and columns); ids
 * and times are BIGINT, read back as JS numbers.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type {
  Attempt,
  Callback,
  EcGridIdRecord,
  EventInput,
  EventRecord,
  Mailbox,
  Network,
  ObjectStatus,
  Page,
  PageRequest,
  Principal,
  User,
} from '../../domain/types.js';
import type { Parcel } from '../../domain/parcels.js';
import { callbackAtCapacity, duplicate, GridhookError, idempotencyConflict, notFound } from '../../errors.js';
import { isOtherRequest, type TestEventOptions } from '../store.js';
import type {
  AttemptResult,
  CallbackFilter,
  CallbackPatch,
  CallbackSecrets,
  ClaimRequest,
  DeliveryJob,
  EventFilter,
  NewCallback,
  NewEcGridId,
  NewUser,
  ParcelFilter,
  ParcelRoute,
  PublishOptions,
  PublishResult,
  QueueStats,
  EventSource,
  ScopeFilter,
  CallbackHealth,
  CreatedRange,
  OverviewCounts,
  OverviewFilter,
  SessionTimes,
  Store,
} from '../store.js';
import {
  toAttempt,
  toCallback,
  toEcGridId,
  toEvent,
  toJob,
  toMailbox,
  toNetwork,
  toSecrets,
  toUser,
  type AttemptRow,
  type CallbackRow,
  type EcGridIdRow,
  type EventRow,
  type JobCallbackRow,
  type JobEventRow,
  type MailboxRow,
  type NetworkRow,
  type UserRow,
} from '../rows.js';
import { pendingMigrations } from '../migration-plan.js';
import { MIGRATIONS } from './migrations.js';
import { PostgresParcels } from './parcels.js';
import { PostgresStats } from './stats.js';
import { PostgresSessions } from './sessions.js';
import { WORK_CHANNEL, WorkListener } from './work-listener.js';

export interface PostgresStoreOptions {
  /** Connections in this process's pool. Default 10. */
  poolSize?: number;
  /** PostgreSQL cancels a statement running longer than this. Default 30 000 ms. */
  statementTimeoutMs?: number;
  /** Schema holding gridhook's tables, created by migrate(). Default: the role's search_path (normally public). */
  schema?: string;
  /** Shown in pg_stat_activity. Default 'gridhook'. */
  applicationName?: string;
  /**
   * Told about connection failures the store rides out (an idle connection
   * cut, the listener reconnecting). Default: a process warning on stderr.
   */
  onError?: (error: Error) => void;
  /** Told how many events each committed write created, and what created them (metrics). */
  onEventsCreated?: (source: EventSource, count: number) => void;
}

/** What claim_due_events answers: the leased event with what the sender needs from its callback. */
type JobRow = JobEventRow & JobCallbackRow;

/** A statement runner: the pool outside a transaction, one client inside. */
interface Queryable {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

const INT8_OID = 20;

/**
 * BIGINT ids, times and counts come back as JS numbers; a value past 2^53
 * would silently lose digits, so it is an error instead.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`PostgreSQL returned ${text}, beyond JavaScript's safe integers.`);
  return value;
}

const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Lower case only: search_path folds unquoted names, CREATE SCHEMA quotes them. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const EVENT_COLUMNS = `id, webhook_id, callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name, is_test,
  status, attempts, max_attempts, next_attempt_at, lease_owner, lease_until, last_attempt_at, last_http_status,
  last_error, created_at, finished_at`;

const CANCEL_PENDING = `UPDATE events SET status = 'Canceled', finished_at = $2, next_attempt_at = NULL, lease_owner = NULL,
  lease_until = NULL
  WHERE callback_id = $1 AND status = 'Pending'`;

const WORK = 'work';

export class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #schema: string | undefined;
  readonly #onError: (error: Error) => void;
  readonly #onEventsCreated: (source: EventSource, count: number) => void;
  /** Sent with every notification, so this store can tell its own from other processes'. */
  readonly #origin = randomUUID();
  readonly #work = new EventEmitter();
  readonly #listener: WorkListener;
  #wakeScheduled = false;
  #closing: Promise<void> | null = null;
  /** Transactions that committed work other processes should hear of. */
  readonly #announceAfterCommit = new WeakSet<Queryable>();
  #announcing = false;
  #announceAgain = false;
  readonly #sessions = new PostgresSessions((text, values) => this.#query(text, values));
  readonly #parcels = new PostgresParcels({
    query: (text, values, tx) => this.#query(text, values, tx ?? this.#pool),
    transaction: (fn) => this.#transaction(fn),
    insertEvents: (inputs, now, tx) => this.#insertEvents(inputs, now, tx),
    notifyWork: (tx) => this.#notifyWork(tx),
    signalWork: () => this.#signalWork(),
    eventsCreated: (count) => this.#onEventsCreated('parcel', count),
  });

  readonly #stats = new PostgresStats({ query: (text, values) => this.#query(text, values) });

  constructor(url: string, options: PostgresStoreOptions = {}) {
    const { poolSize = 10, statementTimeoutMs = 30_000, schema, applicationName = 'gridhook' } = options;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
      throw new RangeError(`PostgreSQL schema "${schema}": use lower-case letters, digits and _ (not first), at most 63.`);
    }
    this.#schema = schema;
    this.#onError = options.onError ?? ((error) => process.emitWarning(error));
    this.#onEventsCreated = options.onEventsCreated ?? (() => undefined);
    const connection: pg.ClientConfig = {
      connectionString: url,
      application_name: applicationName,
      types: TYPES,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 10_000,
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    };
    this.#pool = new pg.Pool({
      ...connection,
      max: poolSize,
      statement_timeout: statementTimeoutMs,
      // A session left inside a transaction (a stalled process) would hold its locks forever.
      idle_in_transaction_session_timeout: statementTimeoutMs,
    });
    // A cut connection emits 'error' on its client, idle or in use (its
    // pending query is rejected as well), and pg-pool re-emits an idle
    // client's error on the pool. Unheard, either would crash the process;
    // the client's own listener reports it once.
    this.#pool.on('connect', (client) => client.on('error', (error) => this.#onError(error)));
    this.#pool.on('error', () => undefined);
    this.#listener = new WorkListener({
      connection: { ...connection, application_name: `${applicationName}-listen` },
      ownPayload: this.#origin,
      onWork: () => this.#signalWork(),
      onError: (error) => this.#onError(error),
    });
    this.#work.setMaxListeners(0);
  }

  // --- plumbing ---

  async #query<R>(text: string, values: unknown[] = [], on: Queryable = this.#pool): Promise<R[]> {
    return (await this.#execute(text, values, on)).rows as R[];
  }

  async #one<R>(text: string, values: unknown[] = [], on: Queryable = this.#pool): Promise<R | undefined> {
    return (await this.#query<R>(text, values, on))[0];
  }

  async #count(text: string, values: unknown[] = [], on: Queryable = this.#pool): Promise<number> {
    return (await this.#execute(text, values, on)).rowCount ?? 0;
  }

  /**
   * A statement on its own (on the pool) is retried after a deadlock; inside
   * a transaction, #transaction retries the whole transaction.
   */
  async #execute(text: string, values: unknown[], on: Queryable): Promise<pg.QueryResult> {
    const run = async () => {
      try {
        return await on.query(text, values);
      } catch (error) {
        throw translateError(error);
      }
    };
    return on === this.#pool ? retryDeadlocks(run) : run();
  }

  /**
   * Runs `fn` in one transaction on one client, again from the start if it
   * lost a deadlock. A client whose ROLLBACK fails is broken (its connection
   * was cut) and is destroyed, not pooled.
   */
  #transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return retryDeadlocks(() => this.#transactionOnce(fn));
  }

  async #transactionOnce<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw translateError(error);
    }
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      if (this.#announceAfterCommit.has(client)) this.#announceWork();
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

  /** Inside a transaction: other processes hear of it once (and only if) it commits. */
  #notifyWork(tx: Queryable): void {
    this.#announceAfterCommit.add(tx);
  }

  /**
   * Tells the other processes that work was committed. After the commit, not
   * in it: a NOTIFY inside a transaction holds a cluster-wide lock from its
   * commit until that commit is flushed, which lined up every publishing
   * commit and its WAL flush behind one another. One announcement at a time;
   * those asked for meanwhile become one more. A lost one (a failed query, a
   * crash right after the commit) only means the others find the work at
   * their next poll.
   */
  #announceWork(): void {
    if (this.#announcing) {
      this.#announceAgain = true;
      return;
    }
    this.#announcing = true;
    this.#query('SELECT pg_notify($1, $2)', [WORK_CHANNEL, this.#origin])
      .catch(() => undefined)
      .finally(() => {
        this.#announcing = false;
        if (this.#announceAgain && this.#closing === null) {
          this.#announceAgain = false;
          this.#announceWork();
        }
      });
  }

  /** Wakes this process's listeners once per burst of commits, never inside the caller's stack. */
  #signalWork(): void {
    if (this.#wakeScheduled) return;
    this.#wakeScheduled = true;
    queueMicrotask(() => {
      this.#wakeScheduled = false;
      this.#work.emit(WORK);
    });
  }

  /**
   * One page and the total in one statement; only a page past the end needs
   * a second one for the total.
   */
  async #page<R, T>(
    table: string,
    where: string[],
    values: unknown[],
    order: string,
    page: PageRequest,
    map: (row: R) => T,
  ): Promise<Page<T>> {
    const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    const n = values.length;
    const rows = await this.#query<R & { total_records: number }>(
      `SELECT *, count(*) OVER () AS total_records FROM ${table} ${clause}
       ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...values, page.recordsPerPage, (page.pageNo - 1) * page.recordsPerPage],
    );
    let total = rows[0]?.total_records;
    if (total === undefined) {
      total =
        page.pageNo === 1
          ? 0
          : ((await this.#one<{ n: number }>(`SELECT count(*) AS n FROM ${table} ${clause}`, values))?.n ?? 0);
    }
    return { totalRecords: total, pageNo: page.pageNo, recordsPerPage: page.recordsPerPage, items: rows.map(map) };
  }

  // --- lifecycle ---

  async migrate(): Promise<void> {
    await this.#transaction(async (tx) => {
      // Every process starting at once gets here; the lock makes the others
      // wait and then find each migration already applied.
      await this.#query(
        "SELECT pg_advisory_xact_lock(hashtext('gridhook.migrate'), hashtext($1))",
        [this.#schema ?? ''],
        tx,
      );
      await this.#query('SET LOCAL statement_timeout = 0', [], tx);
      if (this.#schema !== undefined) {
        await this.#query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(this.#schema)}`, [], tx);
      }
      await this.#query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version    INTEGER PRIMARY KEY,
           name       TEXT    NOT NULL,
           applied_at BIGINT  NOT NULL
         )`,
        [],
        tx,
      );
      const applied = new Set(
        (await this.#query<{ version: number }>('SELECT version FROM schema_migrations', [], tx)).map((r) => r.version),
      );
      for (const migration of pendingMigrations(MIGRATIONS, applied)) {
        await this.#query(migration.sql, [], tx);
        await this.#query(
          'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
          [migration.version, migration.name, Date.now()],
          tx,
        );
      }
    });
  }

  async ping(): Promise<void> {
    await this.#query('SELECT 1');
  }

  async close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#work.removeAllListeners();
      await this.#listener.close();
      await this.#pool.end();
    })();
    return this.#closing;
  }

  /** The backend serving LISTEN, or null while it is not connected (for tests and diagnostics). */
  get listenerBackendPid(): number | null {
    return this.#listener.backendPid;
  }

  // --- networks and mailboxes ---

  async createNetwork(name: string): Promise<Network> {
    const row = await this.#one<NetworkRow>(
      "INSERT INTO networks (name, status, created_at) VALUES ($1, 'Active', $2) RETURNING *",
      [name, Date.now()],
    );
    return toNetwork(row as NetworkRow);
  }

  async getNetwork(networkId: number): Promise<Network | null> {
    const row = await this.#one<NetworkRow>('SELECT * FROM networks WHERE id = $1', [networkId]);
    return row ? toNetwork(row) : null;
  }

  async listNetworks(page: PageRequest): Promise<Page<Network>> {
    return this.#page('networks', [], [], 'id', page, toNetwork);
  }

  async createMailbox(networkId: number, name: string): Promise<Mailbox> {
    const row = await this.#one<MailboxRow>(
      `INSERT INTO mailboxes (network_id, name, status, created_at)
       SELECT id, $2, 'Active', $3 FROM networks WHERE id = $1
       RETURNING *`,
      [networkId, name, Date.now()],
    );
    if (!row) throw notFound('Network', networkId);
    return toMailbox(row);
  }

  async getMailbox(mailboxId: number): Promise<Mailbox | null> {
    const row = await this.#one<MailboxRow>('SELECT * FROM mailboxes WHERE id = $1', [mailboxId]);
    return row ? toMailbox(row) : null;
  }

  async listMailboxes(filter: ScopeFilter, page: PageRequest): Promise<Page<Mailbox>> {
    const { where, values } = conditions({ network_id: filter.networkId, id: filter.mailboxId });
    return this.#page('mailboxes', where, values, 'id', page, toMailbox);
  }

  // --- ECGrid IDs ---

  async createEcGridId(input: NewEcGridId): Promise<EcGridIdRecord> {
    let row: EcGridIdRow | undefined;
    try {
      row = await this.#one<EcGridIdRow>(
        `INSERT INTO ecgrid_ids (network_id, mailbox_id, qualifier, value, description, status, created_at)
         SELECT network_id, id, $2, $3, $4, 'Active', $5 FROM mailboxes WHERE id = $1
         RETURNING *`,
        [input.mailboxId, input.qualifier, input.id, input.description, Date.now()],
      );
    } catch (error) {
      if (!isDuplicate(error)) throw error;
      const mailbox = await this.getMailbox(input.mailboxId);
      throw duplicate(
        `ECGrid ID ${input.qualifier}:${input.id} already exists in network ${mailbox?.networkId ?? '?'}.`,
        'id',
      );
    }
    if (!row) throw notFound('Mailbox', input.mailboxId);
    return toEcGridId(row);
  }

  async getEcGridId(ecGridId: number): Promise<EcGridIdRecord | null> {
    const row = await this.#one<EcGridIdRow>('SELECT * FROM ecgrid_ids WHERE id = $1', [ecGridId]);
    return row ? toEcGridId(row) : null;
  }

  async findEcGridId(networkId: number | null, qualifier: string, id: string): Promise<EcGridIdRecord[]> {
    const rows = await this.#query<EcGridIdRow>(
      `SELECT * FROM ecgrid_ids WHERE qualifier = $1 AND value = $2 AND ($3::BIGINT IS NULL OR network_id = $3)
       ORDER BY id`,
      [qualifier, id, networkId],
    );
    return rows.map(toEcGridId);
  }

  async listEcGridIds(
    filter: ScopeFilter & { status?: ObjectStatus },
    page: PageRequest,
  ): Promise<Page<EcGridIdRecord>> {
    const { where, values } = conditions({
      network_id: filter.networkId,
      mailbox_id: filter.mailboxId,
      status: filter.status,
    });
    return this.#page('ecgrid_ids', where, values, 'id', page, toEcGridId);
  }

  async updateEcGridId(
    ecGridId: number,
    patch: { status?: ObjectStatus; description?: string },
  ): Promise<EcGridIdRecord | null> {
    const row = await this.#one<EcGridIdRow>(
      `UPDATE ecgrid_ids SET status = COALESCE($2, status), description = COALESCE($3, description)
       WHERE id = $1 RETURNING *`,
      [ecGridId, patch.status ?? null, patch.description ?? null],
    );
    return row ? toEcGridId(row) : null;
  }

  // --- users and keys ---

  async createUser(input: NewUser): Promise<User> {
    return toUser(await this.#insertUser(input, Date.now(), this.#pool));
  }

  async #insertUser(input: NewUser, now: number, on: Queryable): Promise<UserRow> {
    let row: UserRow | undefined;
    try {
      row = await this.#one<UserRow>(
        `INSERT INTO users (login_name, password_hash, role, network_id, mailbox_id, status, created_at)
         SELECT $1, $2, $3, $4, $5, 'Active', $6
         WHERE EXISTS (SELECT 1 FROM networks WHERE id = $4)
           AND ($5::BIGINT = 0 OR EXISTS (SELECT 1 FROM mailboxes WHERE id = $5))
         RETURNING *`,
        [input.loginName, input.passwordHash, input.role, input.networkId, input.mailboxId, now],
        on,
      );
    } catch (error) {
      if (isDuplicate(error)) throw duplicate(`Login name ${input.loginName} is already taken.`, 'loginName');
      throw error;
    }
    if (row) return row;
    if (!(await this.#one('SELECT 1 FROM networks WHERE id = $1', [input.networkId], on))) {
      throw notFound('Network', input.networkId);
    }
    throw notFound('Mailbox', input.mailboxId);
  }

  async getUser(userId: number): Promise<User | null> {
    const row = await this.#one<UserRow>('SELECT * FROM users WHERE id = $1', [userId]);
    return row ? toUser(row) : null;
  }

  async getUserByLogin(loginName: string): Promise<{ user: User; passwordHash: string } | null> {
    const row = await this.#one<UserRow>('SELECT * FROM users WHERE login_name = $1', [loginName]);
    return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
  }

  async listUsers(filter: ScopeFilter, page: PageRequest): Promise<Page<User>> {
    const { where, values } = conditions({ network_id: filter.networkId, mailbox_id: filter.mailboxId });
    return this.#page('users', where, values, 'id', page, toUser);
  }

  async updateUserStatus(userId: number, status: ObjectStatus): Promise<User | null> {
    const row = await this.#one<UserRow>('UPDATE users SET status = $2 WHERE id = $1 RETURNING *', [userId, status]);
    return row ? toUser(row) : null;
  }

  async setApiKey(userId: number, keyHash: string, keyPrefix: string): Promise<{ apiKeyId: number }> {
    const now = Date.now();
    return this.#transaction(async (tx) => {
      if (!(await this.#one('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId], tx))) {
        throw notFound('User', userId);
      }
      return { apiKeyId: await this.#replaceKey(userId, keyHash, keyPrefix, now, tx) };
    });
  }

  /**
   * The caller holds the user's row lock, so two key changes of one user run
   * one after the other and the second revokes the first's key. Setting a
   * key the user already had (a restart with the same admin key) revives that
   * row instead of inserting a second copy of a unique hash.
   */
  async #replaceKey(userId: number, keyHash: string, keyPrefix: string, now: number, tx: Queryable): Promise<number> {
    const existing = await this.#one<{ id: number; user_id: number }>(
      'SELECT id, user_id FROM api_keys WHERE key_hash = $1',
      [keyHash],
      tx,
    );
    if (existing && existing.user_id !== userId) throw duplicate('This API key belongs to another user.');
    await this.#query(
      'UPDATE api_keys SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND key_hash <> $3',
      [userId, now, keyHash],
      tx,
    );
    if (existing) {
      await this.#query('UPDATE api_keys SET revoked_at = NULL, key_prefix = $2 WHERE id = $1', [existing.id, keyPrefix], tx);
      return existing.id;
    }
    try {
      const row = await this.#one<{ id: number }>(
        'INSERT INTO api_keys (user_id, key_hash, key_prefix, created_at) VALUES ($1, $2, $3, $4) RETURNING id',
        [userId, keyHash, keyPrefix, now],
        tx,
      );
      return (row as { id: number }).id;
    } catch (error) {
      if (isDuplicate(error)) throw duplicate('This API key belongs to another user.');
      throw error;
    }
  }

  async findPrincipalByKeyHash(keyHash: string): Promise<Principal | null> {
    const row = await this.#one<UserRow & { key_id: number }>(
      `SELECT u.*, k.id AS key_id FROM api_keys k JOIN users u ON u.id = k.user_id
       WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND u.status = 'Active'`,
      [keyHash],
    );
    if (!row) return null;
    return {
      userId: row.id,
      loginName: row.login_name,
      role: row.role,
      networkId: row.network_id,
      mailboxId: row.mailbox_id,
      apiKeyId: row.key_id,
    };
  }

  async ensureRootUser(
    loginName: string,
    keyHash: string,
    keyPrefix: string,
    options: { keepActiveKey?: boolean } = {},
  ): Promise<User> {
    const now = Date.now();
    return this.#transaction(async (tx) => {
      // Processes starting together all get here: ON CONFLICT lets one create
      // the user, and the row lock lines them up for the key.
      await this.#query(
        `INSERT INTO users (login_name, password_hash, role, network_id, mailbox_id, status, created_at)
         VALUES ($1, '!', 'Root', 1, 0, 'Active', $2)
         ON CONFLICT (login_name) DO NOTHING`,
        [loginName, now],
        tx,
      );
      const row = (await this.#one<UserRow>('SELECT * FROM users WHERE login_name = $1 FOR UPDATE', [loginName], tx)) as UserRow;
      if (row.role !== 'Root') {
        throw new GridhookError('InvalidState', `User ${loginName} exists and is not a Root user; choose another login.`);
      }
      const active =
        options.keepActiveKey === true &&
        (await this.#count('SELECT 1 FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL LIMIT 1', [row.id], tx)) > 0;
      if (!active) await this.#replaceKey(row.id, keyHash, keyPrefix, now, tx);
      return toUser(row);
    });
  }

  // --- sessions ---

  createSession(userId: number, tokenHash: string, now: number, idleMs: number): Promise<void> {
    return this.#sessions.create(userId, tokenHash, now, idleMs);
  }

  findPrincipalBySession(tokenHash: string, now: number, idleMs: number): Promise<Principal | null> {
    return this.#sessions.findPrincipal(tokenHash, now, idleMs);
  }

  deleteSession(tokenHash: string): Promise<SessionTimes | null> {
    return this.#sessions.delete(tokenHash);
  }

  // --- callbacks ---

  async createCallback(input: NewCallback, now: number): Promise<Callback> {
    const row = await this.#one<CallbackRow>(
      `INSERT INTO callbacks (network_id, mailbox_id, ecgrid_id, url, event_type, frequency, retries, status, secret,
                              created_at, updated_at, basic_auth, custom_headers)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12)
       RETURNING *`,
      [
        input.networkId,
        input.mailboxId,
        input.ecGridId,
        input.url,
        input.eventType,
        input.frequency,
        input.retries,
        input.status,
        input.secret,
        now,
        input.basicAuth ?? null,
        input.customHeaders ?? null,
      ],
    );
    this.#signalWork();
    return toCallback(row as CallbackRow);
  }

  async getCallback(callbackId: number): Promise<Callback | null> {
    const row = await this.#callbackRow(callbackId);
    return row ? toCallback(row) : null;
  }

  /** With `lock`, share-locks the row until the transaction ends (see the file comment). */
  #callbackRow(callbackId: number, on: Queryable = this.#pool, lock = false): Promise<CallbackRow | undefined> {
    return this.#one<CallbackRow>(
      `SELECT * FROM callbacks WHERE id = $1 AND deleted_at IS NULL${lock ? ' FOR SHARE' : ''}`,
      [callbackId],
      on,
    );
  }

  async listCallbacks(filter: CallbackFilter, page: PageRequest): Promise<Page<Callback>> {
    const { where, values } = conditions({
      network_id: filter.networkId,
      mailbox_id: filter.mailboxId,
      ecgrid_id: filter.ecGridId,
      event_type: filter.eventType,
      status: filter.status,
    });
    return this.#page('callbacks', ['deleted_at IS NULL', ...where], values, 'id', page, toCallback);
  }

  async updateCallback(callbackId: number, patch: CallbackPatch, now: number): Promise<Callback | null> {
    const row = await this.#transaction(async (tx) => {
      const updated = await this.#one<CallbackRow>(
        `UPDATE callbacks SET url = COALESCE($2, url), event_type = COALESCE($3, event_type),
           network_id = COALESCE($4, network_id), mailbox_id = COALESCE($5, mailbox_id),
           ecgrid_id = COALESCE($6, ecgrid_id), frequency = COALESCE($7, frequency), retries = COALESCE($8, retries),
           status = COALESCE($9, status), updated_at = $10,
           basic_auth = CASE WHEN $11::boolean THEN $12::text ELSE basic_auth END,
           custom_headers = CASE WHEN $13::boolean THEN $14::text ELSE custom_headers END
         WHERE id = $1 AND deleted_at IS NULL
         RETURNING *`,
        [
          callbackId,
          patch.url ?? null,
          patch.eventType ?? null,
          patch.networkId ?? null,
          patch.mailboxId ?? null,
          patch.ecGridId ?? null,
          patch.frequency ?? null,
          patch.retries ?? null,
          patch.status ?? null,
          now,
          patch.basicAuth !== undefined,
          patch.basicAuth ?? null,
          patch.customHeaders !== undefined,
          patch.customHeaders ?? null,
        ],
        tx,
      );
      // A separate statement, so its snapshot includes the events of any
      // publish the UPDATE above had to wait for.
      if (updated && patch.status === 'Suspended') await this.#query(CANCEL_PENDING, [callbackId, now], tx);
      return updated;
    });
    return row ? toCallback(row) : null;
  }

  async deleteCallback(callbackId: number, now: number): Promise<boolean> {
    return this.#transaction(async (tx) => {
      const deleted = await this.#count(
        'UPDATE callbacks SET deleted_at = $2, updated_at = $2 WHERE id = $1 AND deleted_at IS NULL',
        [callbackId, now],
        tx,
      );
      if (deleted === 0) return false;
      await this.#query(CANCEL_PENDING, [callbackId, now], tx);
      return true;
    });
  }

  async countCallbacks(filter: ScopeFilter): Promise<number> {
    const { where, values } = conditions({ network_id: filter.networkId, mailbox_id: filter.mailboxId });
    const row = await this.#one<{ n: number }>(
      `SELECT count(*) AS n FROM callbacks WHERE ${['deleted_at IS NULL', ...where].join(' AND ')}`,
      values,
    );
    return row?.n ?? 0;
  }

  async getCallbackSecrets(callbackId: number): Promise<CallbackSecrets | null> {
    const row = await this.#callbackRow(callbackId);
    return row ? toSecrets(row) : null;
  }

  async rotateCallbackSecret(
    callbackId: number,
    secret: string,
    previousExpiresAt: number,
  ): Promise<CallbackSecrets | null> {
    const row = await this.#one<CallbackRow>(
      `UPDATE callbacks SET previous_secret = secret, previous_secret_expires_at = $3, secret = $2
       WHERE id = $1 AND deleted_at IS NULL
       RETURNING *`,
      [callbackId, secret, previousExpiresAt],
    );
    return row ? toSecrets(row) : null;
  }

  // --- events ---

  /**
   * Leaves options.claim to the engine: claim_due_events takes advisory locks
   * and snapshots of its own, which the publishing transaction would hold up.
   */
  async publishEvents(inputs: EventInput[], options: PublishOptions): Promise<PublishResult> {
    const { now, idempotencyKey } = options;
    const idempotencyNetworkId = options.idempotencyNetworkId ?? 0;
    const result = await this.#transaction(async (tx): Promise<PublishResult> => {
      if (idempotencyKey !== undefined) {
        // Claiming the key first makes a concurrent publish with the same key
        // wait here until this one commits, and then replay its answer.
        const claimed = await this.#count(
          `INSERT INTO idempotency_keys (network_id, key, result, created_at, request_hash) VALUES ($1, $2, NULL, $3, $4)
           ON CONFLICT DO NOTHING`,
          [idempotencyNetworkId, idempotencyKey, now, options.idempotencyRequestHash ?? null],
          tx,
        );
        if (claimed === 0) {
          const stored = await this.#one<{ result: Pick<PublishResult, 'eventIds' | 'matched'>; request_hash: string | null }>(
            'SELECT result, request_hash FROM idempotency_keys WHERE network_id = $1 AND key = $2',
            [idempotencyNetworkId, idempotencyKey],
            tx,
          );
          if (isOtherRequest(stored?.request_hash ?? null, options.idempotencyRequestHash)) {
            throw idempotencyConflict(idempotencyKey);
          }
          const previous = stored?.result as Pick<PublishResult, 'eventIds' | 'matched'>;
          return { eventIds: previous.eventIds, matched: previous.matched, replayed: true };
        }
      }
      const { eventIds, matched } = await this.#insertEvents(inputs, now, tx, options.traceparent ?? null);
      if (idempotencyKey !== undefined) {
        await this.#query(
          'UPDATE idempotency_keys SET result = $3 WHERE network_id = $1 AND key = $2',
          [idempotencyNetworkId, idempotencyKey, JSON.stringify({ eventIds, matched })],
          tx,
        );
      }
      if (eventIds.length > 0) this.#notifyWork(tx);
      return { eventIds, matched, replayed: false };
    });
    if (!result.replayed && result.eventIds.length > 0) {
      this.#signalWork();
      this.#onEventsCreated('api', result.eventIds.length);
    }
    return result;
  }

  /** Fans inputs out to the callbacks their scopes match: two statements, whatever the batch size. */
  async #insertEvents(
    inputs: EventInput[],
    now: number,
    tx: Queryable,
    traceparent: string | null = null,
  ): Promise<Pick<PublishResult, 'eventIds' | 'matched'>> {
    if (inputs.length === 0) return { eventIds: [], matched: [] };
    // A batch often repeats one scope (many parcels into one mailbox).
    const scopeIndex = new Map<string, number>();
    const scopes: EventInput[] = [];
    for (const input of inputs) {
      const key = `${input.networkId}/${input.mailboxId}/${input.ecGridId}/${input.eventType}`;
      if (!scopeIndex.has(key)) {
        scopeIndex.set(key, scopes.length);
        scopes.push(input);
      }
    }
    const matches = await this.#query<{ scope: number; id: number; retries: number }>(
      `SELECT s.ord - 1 AS scope, c.id, c.retries
       FROM unnest($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::TEXT[])
         WITH ORDINALITY AS s (network_id, mailbox_id, ecgrid_id, event_type, ord)
       JOIN callbacks c ON c.network_id = s.network_id AND c.event_type = s.event_type
         AND c.status = 'Active' AND c.deleted_at IS NULL
         AND c.mailbox_id IN (0, s.mailbox_id) AND c.ecgrid_id IN (0, s.ecgrid_id)
       ORDER BY s.ord, c.id
       FOR SHARE OF c`,
      [
        scopes.map((s) => s.networkId),
        scopes.map((s) => s.mailboxId),
        scopes.map((s) => s.ecGridId),
        scopes.map((s) => s.eventType),
      ],
      tx,
    );
    const callbacksOf: { id: number; retries: number }[][] = scopes.map(() => []);
    for (const m of matches) callbacksOf[m.scope]?.push({ id: m.id, retries: m.retries });

    const rows: { input: EventInput; callbackId: number; maxAttempts: number }[] = [];
    const matched: number[] = [];
    for (const input of inputs) {
      const scope = scopeIndex.get(`${input.networkId}/${input.mailboxId}/${input.ecGridId}/${input.eventType}`) as number;
      const callbacks = callbacksOf[scope] ?? [];
      for (const callback of callbacks) rows.push({ input, callbackId: callback.id, maxAttempts: callback.retries + 1 });
      matched.push(callbacks.length);
    }
    if (rows.length === 0) return { eventIds: [], matched };
    // Rows are inserted in ORDER BY order, so identities ascend with it.
    const inserted = await this.#query<{ id: number }>(
      `INSERT INTO events (callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name, is_test,
                           status, attempts, max_attempts, next_attempt_at, created_at, traceparent)
       SELECT r.callback_id, r.event_type, r.network_id, r.mailbox_id, r.ecgrid_id, r.parcel_id, r.file_name, FALSE,
              'Pending', 0, r.max_attempts, $9, $9, $10::TEXT
       FROM unnest($1::BIGINT[], $2::TEXT[], $3::BIGINT[], $4::BIGINT[], $5::BIGINT[], $6::BIGINT[], $7::TEXT[],
                   $8::INTEGER[])
         WITH ORDINALITY AS r (callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name,
                               max_attempts, ord)
       ORDER BY r.ord
       RETURNING id`,
      [
        rows.map((r) => r.callbackId),
        rows.map((r) => r.input.eventType),
        rows.map((r) => r.input.networkId),
        rows.map((r) => r.input.mailboxId),
        rows.map((r) => r.input.ecGridId),
        rows.map((r) => r.input.parcelId),
        rows.map((r) => r.input.fileName),
        rows.map((r) => r.maxAttempts),
        now,
        traceparent,
      ],
      tx,
    );
    return { eventIds: inserted.map((r) => r.id).sort((a, b) => a - b), matched };
  }

  async createTestEvent(callbackId: number, options: TestEventOptions): Promise<DeliveryJob | null> {
    const { workerId, now, leaseMs, perCallbackLimit } = options;
    const job = await this.#transaction(async (tx) => {
      const callback = await this.#callbackRow(callbackId, tx, true);
      if (!callback) return null;
      // The claim's per-callback lock, waited for: concurrent test calls and
      // claims of this callback take turns, so together they keep its cap.
      await this.#query(
        `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.claim_due_events'), ($1::BIGINT % 2147483647)::INTEGER)`,
        [callbackId],
        tx,
      );
      const leased = await this.#count(
        `SELECT 1 FROM events WHERE callback_id = $1 AND status = 'Pending' AND lease_until > $2`,
        [callbackId, now],
        tx,
      );
      if (leased >= perCallbackLimit) throw callbackAtCapacity(callbackId, perCallbackLimit);
      const event = (await this.#one<EventRow>(
        `INSERT INTO events (callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name, is_test,
                             status, attempts, max_attempts, next_attempt_at, lease_owner, lease_until, created_at,
                             traceparent)
         VALUES ($1, $2, $3, $4, $5, 0, 'test.edi', TRUE, 'Pending', 0, $6, $7, $8, $9, $7, $10)
         RETURNING ${EVENT_COLUMNS}, traceparent`,
        [
          callbackId,
          callback.event_type,
          callback.network_id,
          callback.mailbox_id,
          callback.ecgrid_id,
          callback.retries + 1,
          now,
          workerId,
          now + leaseMs,
          options.traceparent ?? null,
        ],
        tx,
      )) as EventRow;
      // Leased to the caller, but other workers learn when its lease would
      // expire, should the caller die before recording the attempt.
      this.#notifyWork(tx);
      return toJob(event, callback);
    });
    if (job) {
      this.#signalWork();
      this.#onEventsCreated('test', 1);
    }
    return job;
  }

  async claimDueEvents(request: ClaimRequest): Promise<DeliveryJob[]> {
    const { workerId, now, leaseMs, limit, perCallbackLimit } = request;
    if (limit <= 0 || perCallbackLimit <= 0) return [];
    const rows = await this.#query<JobRow>('SELECT * FROM claim_due_events($1, $2, $3, $4, $5)', [
      workerId,
      now,
      now + leaseMs,
      limit,
      perCallbackLimit,
    ]);
    if (rows.length === 0) return [];
    // Read apart from claim_due_events, whose result columns are fixed by its
    // migration: a primary-key probe for the few callbacks that have any.
    const ids = [...new Set(rows.map((row) => row.callback_id))];
    const credentials = await this.#query<Pick<CallbackRow, 'id' | 'basic_auth' | 'custom_headers'>>(
      `SELECT id, basic_auth, custom_headers FROM callbacks
       WHERE id = ANY ($1::BIGINT[]) AND (basic_auth IS NOT NULL OR custom_headers IS NOT NULL)`,
      [ids],
    );
    if (credentials.length === 0) return rows.map((row) => toJob(row, row));
    const byCallback = new Map(credentials.map((row) => [Number(row.id), row]));
    return rows.map((row) => {
      const found = byCallback.get(Number(row.callback_id));
      return toJob(row, found ? { ...row, basic_auth: found.basic_auth, custom_headers: found.custom_headers } : row);
    });
  }

  async recordAttempts(results: AttemptResult[]): Promise<void> {
    if (results.length === 0) return;
    // One statement writes a whole batch. An UPDATE touches a row once per
    // statement, so two results for one event go in successive rounds.
    const rounds: AttemptResult[][] = [];
    const seen = new Map<number, number>();
    for (const result of results) {
      const round = seen.get(result.eventId) ?? 0;
      seen.set(result.eventId, round + 1);
      (rounds[round] ??= []).push(result);
    }
    const write = (batch: AttemptResult[], on: Queryable) =>
      this.#query(RECORD_ATTEMPTS, recordAttemptsParams(batch), on);
    if (rounds.length === 1) {
      await write(results, this.#pool);
      return;
    }
    await this.#transaction(async (tx) => {
      for (const round of rounds) await write(round, tx);
    });
  }

  /** Two round trips: the claim function takes its own advisory locks and snapshots. */
  async recordAndClaim(results: AttemptResult[], claim: ClaimRequest): Promise<DeliveryJob[]> {
    await this.recordAttempts(results);
    return this.claimDueEvents(claim);
  }

  async releaseLeases(workerId: string, eventIds?: number[]): Promise<number> {
    const released = await this.#transaction(async (tx) => {
      const count = await this.#count(
        `UPDATE events SET lease_owner = NULL, lease_until = NULL
         WHERE lease_owner = $1 AND status = 'Pending' AND ($2::BIGINT[] IS NULL OR id = ANY ($2))`,
        [workerId, eventIds ?? null],
        tx,
      );
      if (count > 0) this.#notifyWork(tx);
      return count;
    });
    if (released > 0) this.#signalWork();
    return released;
  }

  async queueStats(): Promise<QueueStats> {
    // An index-only scan of events_due (Pending rows only, with their id):
    // the backlog is read, not the delivered history. Ids grow with creation,
    // so the smallest is the oldest.
    const row = await this.#one<{ pending: number; oldest_at: number | null }>(
      `SELECT pending, (SELECT created_at FROM events WHERE id = oldest) AS oldest_at
       FROM (SELECT count(*)::INTEGER AS pending, min(id) AS oldest FROM events WHERE status = 'Pending') q`,
    );
    return { pending: row?.pending ?? 0, oldestPendingAt: row?.oldest_at ?? null };
  }

  async nextDueAt(): Promise<number | null> {
    // Events whose callback is not Active are never claimed, so they must not
    // count here either, or an idle engine would wake for them forever.
    const row = await this.#one<{ at: number | null }>(
      `SELECT LEAST(
         (SELECT e.next_attempt_at FROM events e JOIN callbacks c ON c.id = e.callback_id
          WHERE e.status = 'Pending' AND e.lease_until IS NULL AND c.status = 'Active' AND c.deleted_at IS NULL
          ORDER BY e.next_attempt_at LIMIT 1),
         (SELECT min(e.lease_until) FROM events e JOIN callbacks c ON c.id = e.callback_id
          WHERE e.status = 'Pending' AND e.lease_until IS NOT NULL AND c.status = 'Active' AND c.deleted_at IS NULL)
       ) AS at`,
    );
    return row?.at ?? null;
  }

  async getEvent(eventId: number): Promise<EventRecord | null> {
    const row = await this.#one<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = $1`, [eventId]);
    return row ? toEvent(row) : null;
  }

  async listAttempts(eventId: number): Promise<Attempt[]> {
    const rows = await this.#query<AttemptRow>(
      `SELECT id, event_id, started_at, duration_ms, http_status, error FROM attempts WHERE event_id = $1
       ORDER BY started_at, id`,
      [eventId],
    );
    return rows.map(toAttempt);
  }

  async listEvents(filter: EventFilter, page: PageRequest): Promise<Page<EventRecord>> {
    const { where, values } = conditions({
      callback_id: filter.callbackId,
      network_id: filter.networkId,
      mailbox_id: filter.mailboxId,
      status: filter.status,
      event_type: filter.eventType,
      parcel_id: filter.parcelId,
    });
    if (filter.createdFrom !== undefined) {
      values.push(filter.createdFrom);
      where.push(`created_at >= $${values.length}`);
    }
    if (filter.createdBefore !== undefined) {
      values.push(filter.createdBefore);
      where.push(`created_at < $${values.length}`);
    }
    return this.#page('events', where, values, 'created_at DESC, id DESC', page, toEvent);
  }

  async retryEvent(eventId: number, now: number): Promise<EventRecord> {
    const row = await this.#transaction(async (tx) => {
      const event = await this.#one<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = $1 FOR UPDATE`, [eventId], tx);
      if (!event) throw notFound('Event', eventId);
      if (event.status === 'Pending' || event.status === 'Delivered') {
        throw new GridhookError(
          'InvalidState',
          `Event ${eventId} is ${event.status}; only Failed or Canceled events can be retried.`,
        );
      }
      const callback = await this.#retryableCallback(
        event.callback_id,
        () => new GridhookError('InvalidState', `Callback ${event.callback_id} was deleted; its events cannot be retried.`),
        tx,
      );
      const retried = (await this.#one<EventRow>(
        `UPDATE events SET status = 'Pending', next_attempt_at = $2, lease_owner = NULL, lease_until = NULL,
           finished_at = NULL, max_attempts = attempts + $3
         WHERE id = $1
         RETURNING ${EVENT_COLUMNS}`,
        [eventId, now, callback.retries + 1],
        tx,
      )) as EventRow;
      this.#notifyWork(tx);
      return retried;
    });
    this.#signalWork();
    return toEvent(row);
  }

  /**
   * A retried event of a deleted or suspended callback would be Pending but
   * never claimed; refusing says why instead. The callback stays share-locked
   * so it cannot be suspended before the retry commits.
   */
  async #retryableCallback(callbackId: number, whenDeleted: () => GridhookError, tx: Queryable): Promise<CallbackRow> {
    const callback = await this.#callbackRow(callbackId, tx, true);
    if (!callback) throw whenDeleted();
    if (callback.status !== 'Active') {
      throw new GridhookError(
        'InvalidState',
        `Callback ${callbackId} is ${callback.status}; activate it before retrying its events.`,
      );
    }
    return callback;
  }

  async retryFailedEvents(callbackId: number, now: number, created: CreatedRange = {}): Promise<number> {
    const retried = await this.#transaction(async (tx) => {
      const callback = await this.#retryableCallback(callbackId, () => notFound('Callback', callbackId), tx);
      const count = await this.#count(
        `UPDATE events SET status = 'Pending', next_attempt_at = $2, lease_owner = NULL, lease_until = NULL,
           finished_at = NULL, max_attempts = attempts + $3
         WHERE callback_id = $1 AND status = 'Failed' AND created_at >= $4 AND created_at < $5`,
        [callbackId, now, callback.retries + 1, created.from ?? Number.MIN_SAFE_INTEGER, created.before ?? Number.MAX_SAFE_INTEGER],
        tx,
      );
      if (count > 0) this.#notifyWork(tx);
      return count;
    });
    if (retried > 0) this.#signalWork();
    return retried;
  }

  async purgeFinishedEvents(before: number, limit: number): Promise<number> {
    if (limit <= 0) return 0;
    // Attempts go with their events (ON DELETE CASCADE). One statement per
    // partial index, so each walks its own index in order.
    const delivered = await this.#count(
      `DELETE FROM events WHERE id IN (
         SELECT id FROM events WHERE status = 'Delivered' AND finished_at < $1 ORDER BY finished_at LIMIT $2)`,
      [before, limit],
    );
    if (delivered >= limit) return delivered;
    return (
      delivered +
      (await this.#count(
        `DELETE FROM events WHERE id IN (
           SELECT id FROM events WHERE status IN ('Failed', 'Canceled') AND finished_at < $1 ORDER BY finished_at LIMIT $2)`,
        [before, limit - delivered],
      ))
    );
  }

  async purgeIdempotencyKeys(before: number, limit: number): Promise<number> {
    if (limit <= 0) return 0;
    // A key whose publish is still running (result NULL) stays: its publisher holds it.
    return this.#count(
      `DELETE FROM idempotency_keys WHERE (network_id, key) IN (
         SELECT network_id, key FROM idempotency_keys WHERE created_at < $1 AND result IS NOT NULL
         ORDER BY created_at LIMIT $2)`,
      [before, limit],
    );
  }

  // --- statistics ---

  overviewCounts(filter: OverviewFilter, since: number, pendingSince: number, limit: number): Promise<OverviewCounts> {
    return this.#stats.overviewCounts(filter, since, pendingSince, limit);
  }

  callbackHealth(callbackIds: readonly number[], since: number): Promise<CallbackHealth[]> {
    return this.#stats.callbackHealth(callbackIds, since);
  }

  // --- parcels ---

  beginParcel(now: number): Promise<number> {
    return this.#parcels.begin(now);
  }

  appendParcelChunk(parcelId: number, seq: number, data: Uint8Array): Promise<void> {
    return this.#parcels.append(parcelId, seq, data);
  }

  finishParcel(route: ParcelRoute): Promise<Parcel> {
    return this.#parcels.finish(route);
  }

  discardParcel(parcelId: number): Promise<void> {
    return this.#parcels.discard(parcelId);
  }

  discardAbandonedParcels(before: number): Promise<number> {
    return this.#parcels.discardAbandoned(before);
  }

  getParcel(parcelId: number): Promise<Parcel | null> {
    return this.#parcels.get(parcelId);
  }

  listParcels(filter: ParcelFilter, page: PageRequest): Promise<Page<Parcel>> {
    return this.#parcels.list(filter, page);
  }

  readParcelChunks(parcelId: number): AsyncIterable<Uint8Array> {
    return this.#parcels.readChunks(parcelId);
  }

  confirmParcel(parcelId: number, now: number): Promise<Parcel> {
    return this.#parcels.confirm(parcelId, now);
  }

  resetParcel(parcelId: number, now: number): Promise<Parcel> {
    return this.#parcels.reset(parcelId, now);
  }

  findRoutingCandidates(networkId: number, id: string): Promise<EcGridIdRecord[]> {
    return this.#parcels.findRoutingCandidates(networkId, id);
  }

  onNewWork(listener: () => void): () => void {
    this.#work.on(WORK, listener);
    if (this.#closing === null) this.#listener.start();
    return () => {
      this.#work.off(WORK, listener);
    };
  }
}

/** Creates the store; nothing connects until the first call. Call migrate() before use. */
export function openPostgresStore(url: string, options: PostgresStoreOptions = {}): PostgresStore {
  return new PostgresStore(url, options);
}

/**
 * Writes a batch of attempt results (no event twice) in one statement:
 * - the outcome, on Pending events only; a Retry or Failed from a worker
 *   whose lease another worker has since taken must not clear that worker's
 *   lease, while Delivered always wins since the receiver has the event;
 * - otherwise (canceled meanwhile, or leased by another) just the count and
 *   last result;
 * - the attempt log, for every event that still exists.
 */
const RECORD_ATTEMPTS = `
WITH input AS (
  SELECT * FROM unnest($1::BIGINT[], $2::TEXT[], $3::BIGINT[], $4::INTEGER[], $5::INTEGER[], $6::TEXT[], $7::TEXT[],
                       $8::BIGINT[])
    WITH ORDINALITY AS r (event_id, worker_id, started_at, duration_ms, http_status, error, outcome, next_attempt_at, ord)
),
decided AS (
  UPDATE events e SET
    status = CASE r.outcome WHEN 'Retry' THEN 'Pending' ELSE r.outcome END,
    attempts = e.attempts + 1,
    last_attempt_at = r.started_at,
    last_http_status = r.http_status,
    last_error = r.error,
    finished_at = CASE r.outcome WHEN 'Retry' THEN e.finished_at ELSE r.started_at + r.duration_ms END,
    next_attempt_at = CASE r.outcome
      WHEN 'Retry' THEN COALESCE(r.next_attempt_at, r.started_at + r.duration_ms) END,
    lease_owner = NULL,
    lease_until = NULL
  FROM input r
  WHERE e.id = r.event_id AND e.status = 'Pending'
    AND (r.outcome = 'Delivered' OR e.lease_owner IS NULL OR e.lease_owner = r.worker_id)
  RETURNING e.id
),
counted AS (
  UPDATE events e SET
    attempts = e.attempts + 1,
    last_attempt_at = r.started_at,
    last_http_status = r.http_status,
    last_error = r.error
  FROM input r
  WHERE e.id = r.event_id AND e.id NOT IN (SELECT id FROM decided)
  RETURNING e.id
)
INSERT INTO attempts (event_id, worker_id, started_at, duration_ms, http_status, error)
SELECT r.event_id, r.worker_id, r.started_at, r.duration_ms, r.http_status, r.error
FROM input r
WHERE r.event_id IN (SELECT id FROM decided UNION ALL SELECT id FROM counted)
ORDER BY r.ord`;

function recordAttemptsParams(batch: AttemptResult[]): unknown[] {
  return [
    batch.map((r) => r.eventId),
    batch.map((r) => r.workerId),
    batch.map((r) => r.startedAt),
    batch.map((r) => r.durationMs),
    batch.map((r) => r.httpStatus),
    batch.map((r) => r.error),
    batch.map((r) => r.outcome),
    batch.map((r) => r.nextAttemptAt),
  ];
}

/** `column = $n` for each filter value that is set, numbered from $1. */
function conditions(filter: Record<string, unknown>): { where: string[]; values: unknown[] } {
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

function isDuplicate(error: unknown): boolean {
  return error instanceof GridhookError && error.code === 'DuplicateObject';
}

/** Node's codes for a database that cannot be reached or went away. */
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/**
 * Unique violations become DuplicateObject; an unreachable, restarting or
 * overloaded database becomes ServiceUnavailable, which the API answers with
 * 503 rather than 500. Anything else is a bug and passes through unchanged.
 */
function translateError(error: unknown): unknown {
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
