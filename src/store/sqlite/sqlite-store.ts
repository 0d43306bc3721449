/**
 * The embedded Store: one SQLite file shared by every process of one machine.
 *
 * better-sqlite3 is synchronous, so each method does all its work before its
 * promise is created; the async signatures exist only to match Store. Every
 * write runs in BEGIN IMMEDIATE, which takes the file's write lock up front:
 * a deferred transaction that reads and then writes can fail outright when
 * another process committed in between, while an immediate one just waits
 * (busy_timeout) for its turn.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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
  PublishResult,
  QueueStats,
  EventSource,
  PublishOptions,
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
import { BACKSTOP_PAGES, Checkpointer } from './checkpointer.js';
import { NEW_WEBHOOK_ID } from './migration-6-webhook-ids.js';
import { FileSync, GroupFlush } from './wal-sync.js';
import { SqliteParcels } from './parcels.js';
import { SqliteSessions } from './sessions.js';
import { SqliteStats } from './stats.js';

type Params = Record<string, unknown>;

const EVENT_COLUMNS = `id, webhook_id, callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name, is_test,
  status, attempts, max_attempts, next_attempt_at, lease_owner, lease_until, last_attempt_at, last_http_status,
  last_error, created_at, finished_at`;

/**
 * What a delivery job needs of its event, read as an array: better-sqlite3
 * builds a row object one named property at a time, which on the claim path
 * cost more than leasing the event.
 */
const JOB_EVENT_COLUMNS = `id, webhook_id, callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name, is_test,
  created_at, attempts, max_attempts, lease_owner, lease_until, traceparent`;

type JobEventValues = [
  id: number,
  webhookId: string,
  callbackId: number,
  eventType: JobEventRow['event_type'],
  networkId: number,
  mailboxId: number,
  ecGridId: number,
  parcelId: number,
  fileName: string,
  isTest: number,
  createdAt: number,
  attempts: number,
  maxAttempts: number,
  leaseOwner: string,
  leaseUntil: number,
  traceparent: string | null,
];

function jobEventRow(v: JobEventValues): JobEventRow {
  return {
    id: v[0],
    webhook_id: v[1],
    callback_id: v[2],
    event_type: v[3],
    network_id: v[4],
    mailbox_id: v[5],
    ecgrid_id: v[6],
    parcel_id: v[7],
    file_name: v[8],
    is_test: v[9],
    created_at: v[10],
    attempts: v[11],
    max_attempts: v[12],
    lease_owner: v[13],
    lease_until: v[14],
    traceparent: v[15],
  };
}

/** What a delivery job needs of its callback. */
const JOB_CALLBACK_COLUMNS = 'url, frequency, secret, previous_secret, previous_secret_expires_at, basic_auth, custom_headers';

const WORK = 'work';

/** A publish written, with the events its claim leased, not yet sent. */
interface Published {
  result: PublishResult;
  claimed: DeliveryJob[];
}

interface QueuedPublish {
  inputs: EventInput[];
  options: PublishOptions;
  resolve(published: Published): void;
  reject(error: unknown): void;
}

/** Up to this many callbacks with Pending events, a claim asks each rather than walking the due queue. */
const FEW_CALLBACKS = 64;

interface DueRow {
  id: number;
  callback_id: number;
  next_attempt_at: number;
}

/** Takes rows in order while their callback has room (counting load and what it took), up to limit. */
function pickWithinLimits(rows: DueRow[], load: Map<number, number>, limit: number, perCallbackLimit: number): DueRow[] {
  const counted = new Map(load);
  const picked: DueRow[] = [];
  for (const row of rows) {
    const n = counted.get(row.callback_id) ?? 0;
    if (n >= perCallbackLimit) continue;
    picked.push(row);
    counted.set(row.callback_id, n + 1);
    if (picked.length === limit) break;
  }
  return picked;
}

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  /** Statements whose rows come back as arrays of values. */
  readonly #rawStatements = new Map<string, Database.Statement>();
  readonly #work = new EventEmitter();
  #wakeScheduled = false;
  readonly #transaction: Database.Transaction<(fn: () => unknown) => unknown>;
  readonly #sessions: SqliteSessions;
  readonly #parcels: SqliteParcels;
  readonly #stats: SqliteStats;
  readonly #relaxSync: Database.Statement;
  readonly #strictSync: Database.Statement;
  /** Null for an in-memory database, which has nothing to sync. */
  readonly #walFile: FileSync | null = null;
  readonly #walSync: GroupFlush | null = null;
  readonly #checkpointer: Checkpointer | null = null;
  readonly #publishQueue: QueuedPublish[] = [];
  readonly #onEventsCreated: (source: EventSource, count: number) => void;

  constructor(file: string, options: SqliteStoreOptions = {}) {
    this.#onEventsCreated = options.onEventsCreated ?? (() => undefined);
    if (file !== ':memory:') {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      this.#walFile = new FileSync(`${path.resolve(file)}-wal`);
      this.#walSync = new GroupFlush(this.#walFile.flush);
    }
    this.#db = new Database(file);
    // First, so that even switching to WAL waits for a process holding the file.
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('journal_mode = WAL');
    // FULL: in WAL mode NORMAL may lose the last commits on power loss, and an
    // accepted event must survive that.
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('foreign_keys = ON');
    if (file !== ':memory:') {
      this.#db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
      const onError = options.onError ?? (() => undefined);
      this.#checkpointer = new Checkpointer(path.resolve(file), (message) => {
        const error = new Error(`WAL checkpoint failed: ${message}`);
        error.name = 'CheckpointError';
        onError(error);
      });
    }
    this.#relaxSync = this.#db.prepare('PRAGMA synchronous = NORMAL');
    this.#strictSync = this.#db.prepare('PRAGMA synchronous = FULL');
    this.#work.setMaxListeners(0);
    this.#transaction = this.#db.transaction((fn: () => unknown) => fn());
    this.#sessions = new SqliteSessions(this.#db, (fn) => this.#write(fn));
    this.#parcels = new SqliteParcels({
      db: this.#db,
      write: (fn) => this.#write(fn),
      read: (fn) => this.#read(fn),
      insertEvents: (inputs, now) => this.#insertEvents(inputs, now),
      signalWork: () => this.#signalWork(),
      eventsCreated: (count) => this.#onEventsCreated('parcel', count),
    });
    this.#stats = new SqliteStats(this.#db, (fn) => this.#read(fn));
  }

  // --- plumbing ---

  /**
   * Statements are prepared on first use rather than in the constructor: the
   * tables they name exist only once migrate() has run.
   */
  #sql(source: string): Database.Statement {
    let statement = this.#statements.get(source);
    if (statement === undefined) {
      statement = this.#db.prepare(source);
      this.#statements.set(source, statement);
    }
    return statement;
  }

  #rawSql(source: string): Database.Statement {
    let statement = this.#rawStatements.get(source);
    if (statement === undefined) {
      statement = this.#db.prepare(source).raw(true);
      this.#rawStatements.set(source, statement);
    }
    return statement;
  }

  #get<T>(source: string, params: Params | unknown[] = []): T | undefined {
    return this.#sql(source).get(params) as T | undefined;
  }

  #all<T>(source: string, params: Params | unknown[] = []): T[] {
    return this.#sql(source).all(params) as T[];
  }

  #run(source: string, params: Params | unknown[] = []): Database.RunResult {
    return this.#sql(source).run(params);
  }

  #write<T>(fn: () => T): T {
    return this.#transaction.immediate(fn) as T;
  }

  /**
   * A write committed without waiting for the disk. For the delivery engine's
   * own bookkeeping (leases, attempt results), whose loss in a power cut only
   * means an event is delivered again, which at-least-once allows; and, with
   * #durable() before answering, for publishing. A later FULL commit or WAL
   * sync makes it durable too, since the WAL is synced as a whole.
   */
  #writeRelaxed<T>(fn: () => T): T {
    this.#relaxSync.run();
    try {
      return this.#write(fn);
    } finally {
      this.#strictSync.run();
    }
  }

  /** Waits until every commit made so far is on disk (see wal-sync.ts). */
  async #durable(): Promise<void> {
    if (this.#walSync === null) return;
    try {
      await this.#walSync.sync();
    } catch (error) {
      throw new GridhookError('ServiceUnavailable', 'The database could not be written to disk; try again shortly.', {
        cause: error,
      });
    }
  }

  /** A snapshot for reads made of several statements (a count and a page). */
  #read<T>(fn: () => T): T {
    return this.#transaction.deferred(fn) as T;
  }

  /** Wakes listeners once per burst of commits, never inside the caller's stack. */
  #signalWork(): void {
    if (this.#wakeScheduled) return;
    this.#wakeScheduled = true;
    queueMicrotask(() => {
      this.#wakeScheduled = false;
      this.#work.emit(WORK);
    });
  }

  #page<R, T>(
    table: string,
    where: string[],
    params: Params,
    order: string,
    page: PageRequest,
    map: (row: R) => T,
  ): Page<T> {
    const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    const limit = { ...params, limit: page.recordsPerPage, offset: (page.pageNo - 1) * page.recordsPerPage };
    return this.#read(() => {
      const total = this.#get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} ${clause}`, params)?.n ?? 0;
      const rows = this.#all<R>(`SELECT * FROM ${table} ${clause} ORDER BY ${order} LIMIT @limit OFFSET @offset`, limit);
      return { totalRecords: total, pageNo: page.pageNo, recordsPerPage: page.recordsPerPage, items: rows.map(map) };
    });
  }

  // --- lifecycle ---

  async migrate(): Promise<void> {
    // Two processes starting together both get here; the write lock makes the
    // second wait and then find every migration already applied.
    this.#write(() => {
      this.#db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT    NOT NULL,
        applied_at INTEGER NOT NULL
      )`);
      const applied = new Set(
        this.#db
          .prepare('SELECT version FROM schema_migrations')
          .pluck()
          .all()
          .map((v) => Number(v)),
      );
      const record = this.#db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
      for (const migration of pendingMigrations(MIGRATIONS, applied)) {
        this.#db.exec(migration.sql);
        record.run(migration.version, migration.name, Date.now());
      }
    });
  }

  async ping(): Promise<void> {
    this.#get('SELECT 1');
  }

  async close(): Promise<void> {
    this.#work.removeAllListeners();
    this.#statements.clear();
    this.#rawStatements.clear();
    await this.#checkpointer?.close();
    await this.#walFile?.close();
    if (this.#db.open) this.#db.close();
  }

  // --- networks and mailboxes ---

  async createNetwork(name: string): Promise<Network> {
    const now = Date.now();
    const { lastInsertRowid } = this.#run(
      "INSERT INTO networks (name, status, created_at) VALUES (@name, 'Active', @now)",
      { name, now },
    );
    return { networkId: Number(lastInsertRowid), name, status: 'Active', createdAt: now };
  }

  async getNetwork(networkId: number): Promise<Network | null> {
    const row = this.#get<NetworkRow>('SELECT * FROM networks WHERE id = ?', [networkId]);
    return row ? toNetwork(row) : null;
  }

  async listNetworks(page: PageRequest): Promise<Page<Network>> {
    return this.#page('networks', [], {}, 'id', page, toNetwork);
  }

  async createMailbox(networkId: number, name: string): Promise<Mailbox> {
    const now = Date.now();
    return this.#write(() => {
      if (!this.#get('SELECT 1 FROM networks WHERE id = ?', [networkId])) throw notFound('Network', networkId);
      const { lastInsertRowid } = this.#run(
        "INSERT INTO mailboxes (network_id, name, status, created_at) VALUES (@networkId, @name, 'Active', @now)",
        { networkId, name, now },
      );
      return { mailboxId: Number(lastInsertRowid), networkId, name, status: 'Active' as const, createdAt: now };
    });
  }

  async getMailbox(mailboxId: number): Promise<Mailbox | null> {
    const row = this.#get<MailboxRow>('SELECT * FROM mailboxes WHERE id = ?', [mailboxId]);
    return row ? toMailbox(row) : null;
  }

  async listMailboxes(filter: ScopeFilter, page: PageRequest): Promise<Page<Mailbox>> {
    const where: string[] = [];
    if (filter.networkId !== undefined) where.push('network_id = @networkId');
    if (filter.mailboxId !== undefined) where.push('id = @mailboxId');
    return this.#page('mailboxes', where, { ...filter }, 'id', page, toMailbox);
  }

  // --- ECGrid IDs ---

  async createEcGridId(input: NewEcGridId): Promise<EcGridIdRecord> {
    const now = Date.now();
    return this.#write(() => {
      const mailbox = this.#get<MailboxRow>('SELECT * FROM mailboxes WHERE id = ?', [input.mailboxId]);
      if (!mailbox) throw notFound('Mailbox', input.mailboxId);
      try {
        const { lastInsertRowid } = this.#run(
          `INSERT INTO ecgrid_ids (network_id, mailbox_id, qualifier, value, description, status, created_at)
           VALUES (@networkId, @mailboxId, @qualifier, @id, @description, 'Active', @now)`,
          { ...input, networkId: mailbox.network_id, now },
        );
        return {
          ecGridId: Number(lastInsertRowid),
          networkId: mailbox.network_id,
          mailboxId: input.mailboxId,
          qualifier: input.qualifier,
          id: input.id,
          description: input.description,
          status: 'Active' as const,
          createdAt: now,
        };
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw duplicate(
            `ECGrid ID ${input.qualifier}:${input.id} already exists in network ${mailbox.network_id}.`,
            'id',
          );
        }
        throw error;
      }
    });
  }

  async getEcGridId(ecGridId: number): Promise<EcGridIdRecord | null> {
    const row = this.#get<EcGridIdRow>('SELECT * FROM ecgrid_ids WHERE id = ?', [ecGridId]);
    return row ? toEcGridId(row) : null;
  }

  async findEcGridId(networkId: number | null, qualifier: string, id: string): Promise<EcGridIdRecord[]> {
    const rows =
      networkId === null
        ? this.#all<EcGridIdRow>('SELECT * FROM ecgrid_ids WHERE qualifier = ? AND value = ? ORDER BY id', [
            qualifier,
            id,
          ])
        : this.#all<EcGridIdRow>(
            'SELECT * FROM ecgrid_ids WHERE network_id = ? AND qualifier = ? AND value = ? ORDER BY id',
            [networkId, qualifier, id],
          );
    return rows.map(toEcGridId);
  }

  async listEcGridIds(
    filter: ScopeFilter & { status?: ObjectStatus },
    page: PageRequest,
  ): Promise<Page<EcGridIdRecord>> {
    const where: string[] = [];
    if (filter.networkId !== undefined) where.push('network_id = @networkId');
    if (filter.mailboxId !== undefined) where.push('mailbox_id = @mailboxId');
    if (filter.status !== undefined) where.push('status = @status');
    return this.#page('ecgrid_ids', where, { ...filter }, 'id', page, toEcGridId);
  }

  async updateEcGridId(
    ecGridId: number,
    patch: { status?: ObjectStatus; description?: string },
  ): Promise<EcGridIdRecord | null> {
    return this.#write(() => {
      this.#run(
        `UPDATE ecgrid_ids SET status = COALESCE(@status, status), description = COALESCE(@description, description)
         WHERE id = @ecGridId`,
        { ecGridId, status: patch.status ?? null, description: patch.description ?? null },
      );
      const row = this.#get<EcGridIdRow>('SELECT * FROM ecgrid_ids WHERE id = ?', [ecGridId]);
      return row ? toEcGridId(row) : null;
    });
  }

  // --- users and keys ---

  async createUser(input: NewUser): Promise<User> {
    const now = Date.now();
    return this.#write(() => this.#insertUser(input, now));
  }

  #insertUser(input: NewUser, now: number): User {
    if (!this.#get('SELECT 1 FROM networks WHERE id = ?', [input.networkId])) throw notFound('Network', input.networkId);
    if (input.mailboxId !== 0 && !this.#get('SELECT 1 FROM mailboxes WHERE id = ?', [input.mailboxId])) {
      throw notFound('Mailbox', input.mailboxId);
    }
    try {
      const { lastInsertRowid } = this.#run(
        `INSERT INTO users (login_name, password_hash, role, network_id, mailbox_id, status, created_at)
         VALUES (@loginName, @passwordHash, @role, @networkId, @mailboxId, 'Active', @now)`,
        { ...input, now },
      );
      return {
        userId: Number(lastInsertRowid),
        loginName: input.loginName,
        role: input.role,
        networkId: input.networkId,
        mailboxId: input.mailboxId,
        status: 'Active',
        createdAt: now,
      };
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicate(`Login name ${input.loginName} is already taken.`, 'loginName');
      throw error;
    }
  }

  async getUser(userId: number): Promise<User | null> {
    const row = this.#get<UserRow>('SELECT * FROM users WHERE id = ?', [userId]);
    return row ? toUser(row) : null;
  }

  async getUserByLogin(loginName: string): Promise<{ user: User; passwordHash: string } | null> {
    const row = this.#get<UserRow>('SELECT * FROM users WHERE login_name = ?', [loginName]);
    return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
  }

  async listUsers(filter: ScopeFilter, page: PageRequest): Promise<Page<User>> {
    const where: string[] = [];
    if (filter.networkId !== undefined) where.push('network_id = @networkId');
    if (filter.mailboxId !== undefined) where.push('mailbox_id = @mailboxId');
    return this.#page('users', where, { ...filter }, 'id', page, toUser);
  }

  async updateUserStatus(userId: number, status: ObjectStatus): Promise<User | null> {
    return this.#write(() => {
      this.#run('UPDATE users SET status = ? WHERE id = ?', [status, userId]);
      const row = this.#get<UserRow>('SELECT * FROM users WHERE id = ?', [userId]);
      return row ? toUser(row) : null;
    });
  }

  async setApiKey(userId: number, keyHash: string, keyPrefix: string): Promise<{ apiKeyId: number }> {
    const now = Date.now();
    return this.#write(() => {
      if (!this.#get('SELECT 1 FROM users WHERE id = ?', [userId])) throw notFound('User', userId);
      return { apiKeyId: this.#replaceKey(userId, keyHash, keyPrefix, now) };
    });
  }

  /**
   * Setting a key the user already had (a restart with the same admin key)
   * revives that row instead of inserting a second copy of a unique hash.
   */
  #replaceKey(userId: number, keyHash: string, keyPrefix: string, now: number): number {
    const existing = this.#get<{ id: number; user_id: number }>('SELECT id, user_id FROM api_keys WHERE key_hash = ?', [
      keyHash,
    ]);
    if (existing && existing.user_id !== userId) throw duplicate('This API key belongs to another user.');
    this.#run(
      `UPDATE api_keys SET revoked_at = @now
       WHERE user_id = @userId AND revoked_at IS NULL AND key_hash <> @keyHash`,
      { now, userId, keyHash },
    );
    if (existing) {
      this.#run('UPDATE api_keys SET revoked_at = NULL, key_prefix = ? WHERE id = ?', [keyPrefix, existing.id]);
      return existing.id;
    }
    const { lastInsertRowid } = this.#run(
      'INSERT INTO api_keys (user_id, key_hash, key_prefix, created_at) VALUES (?, ?, ?, ?)',
      [userId, keyHash, keyPrefix, now],
    );
    return Number(lastInsertRowid);
  }

  async findPrincipalByKeyHash(keyHash: string): Promise<Principal | null> {
    const row = this.#get<UserRow & { key_id: number }>(
      `SELECT u.*, k.id AS key_id FROM api_keys k JOIN users u ON u.id = k.user_id
       WHERE k.key_hash = ? AND k.revoked_at IS NULL AND u.status = 'Active'`,
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
    return this.#write(() => {
      const row = this.#get<UserRow>('SELECT * FROM users WHERE login_name = ?', [loginName]);
      if (row && row.role !== 'Root') {
        throw new GridhookError('InvalidState', `User ${loginName} exists and is not a Root user; choose another login.`);
      }
      // '!' never equals a password hash, so the root user can only sign in with its key.
      const user = row
        ? toUser(row)
        : this.#insertUser({ loginName, passwordHash: '!', role: 'Root', networkId: 1, mailboxId: 0 }, now);
      const active =
        options.keepActiveKey === true &&
        this.#get('SELECT 1 FROM api_keys WHERE user_id = ? AND revoked_at IS NULL LIMIT 1', [user.userId]) !== undefined;
      if (!active) this.#replaceKey(user.userId, keyHash, keyPrefix, now);
      return user;
    });
  }

  // --- sessions ---

  async createSession(userId: number, tokenHash: string, now: number, idleMs: number): Promise<void> {
    this.#sessions.create(userId, tokenHash, now, idleMs);
  }

  async findPrincipalBySession(tokenHash: string, now: number, idleMs: number): Promise<Principal | null> {
    return this.#sessions.findPrincipal(tokenHash, now, idleMs);
  }

  async deleteSession(tokenHash: string): Promise<SessionTimes | null> {
    return this.#sessions.delete(tokenHash);
  }

  // --- callbacks ---

  async createCallback(input: NewCallback, now: number): Promise<Callback> {
    const callback = this.#write(() => {
      const { lastInsertRowid } = this.#run(
        `INSERT INTO callbacks (network_id, mailbox_id, ecgrid_id, url, event_type, frequency, retries, status, secret,
                                basic_auth, custom_headers, created_at, updated_at)
         VALUES (@networkId, @mailboxId, @ecGridId, @url, @eventType, @frequency, @retries, @status, @secret,
                 @basicAuth, @customHeaders, @now, @now)`,
        { ...input, basicAuth: input.basicAuth ?? null, customHeaders: input.customHeaders ?? null, now },
      );
      return this.#callbackRow(Number(lastInsertRowid)) as CallbackRow;
    });
    this.#signalWork();
    return toCallback(callback);
  }

  #callbackRow(callbackId: number): CallbackRow | undefined {
    return this.#get<CallbackRow>('SELECT * FROM callbacks WHERE id = ? AND deleted_at IS NULL', [callbackId]);
  }

  async getCallback(callbackId: number): Promise<Callback | null> {
    const row = this.#callbackRow(callbackId);
    return row ? toCallback(row) : null;
  }

  async listCallbacks(filter: CallbackFilter, page: PageRequest): Promise<Page<Callback>> {
    const where = ['deleted_at IS NULL'];
    if (filter.networkId !== undefined) where.push('network_id = @networkId');
    if (filter.mailboxId !== undefined) where.push('mailbox_id = @mailboxId');
    if (filter.ecGridId !== undefined) where.push('ecgrid_id = @ecGridId');
    if (filter.eventType !== undefined) where.push('event_type = @eventType');
    if (filter.status !== undefined) where.push('status = @status');
    return this.#page('callbacks', where, { ...filter }, 'id', page, toCallback);
  }

  async updateCallback(callbackId: number, patch: CallbackPatch, now: number): Promise<Callback | null> {
    const row = this.#write(() => {
      const current = this.#callbackRow(callbackId);
      if (!current) return undefined;
      const next = {
        url: patch.url ?? current.url,
        eventType: patch.eventType ?? current.event_type,
        networkId: patch.networkId ?? current.network_id,
        mailboxId: patch.mailboxId ?? current.mailbox_id,
        ecGridId: patch.ecGridId ?? current.ecgrid_id,
        frequency: patch.frequency ?? current.frequency,
        retries: patch.retries ?? current.retries,
        status: patch.status ?? current.status,
        basicAuth: patch.basicAuth === undefined ? current.basic_auth : patch.basicAuth,
        customHeaders: patch.customHeaders === undefined ? current.custom_headers : patch.customHeaders,
      };
      this.#run(
        `UPDATE callbacks SET url = @url, event_type = @eventType, network_id = @networkId, mailbox_id = @mailboxId,
           ecgrid_id = @ecGridId, frequency = @frequency, retries = @retries, status = @status,
           basic_auth = @basicAuth, custom_headers = @customHeaders, updated_at = @now
         WHERE id = @callbackId`,
        { ...next, now, callbackId },
      );
      if (patch.status === 'Suspended') this.#cancelPending(callbackId, now);
      return this.#callbackRow(callbackId);
    });
    return row ? toCallback(row) : null;
  }

  #cancelPending(callbackId: number, now: number): void {
    this.#run(
      `UPDATE events SET status = 'Canceled', finished_at = @now, next_attempt_at = NULL, lease_owner = NULL,
         lease_until = NULL
       WHERE callback_id = @callbackId AND status = 'Pending'`,
      { callbackId, now },
    );
  }

  async deleteCallback(callbackId: number, now: number): Promise<boolean> {
    return this.#write(() => {
      const { changes } = this.#run(
        'UPDATE callbacks SET deleted_at = @now, updated_at = @now WHERE id = @callbackId AND deleted_at IS NULL',
        { callbackId, now },
      );
      if (changes === 0) return false;
      this.#cancelPending(callbackId, now);
      return true;
    });
  }

  async countCallbacks(filter: ScopeFilter): Promise<number> {
    const where = ['deleted_at IS NULL'];
    if (filter.networkId !== undefined) where.push('network_id = @networkId');
    if (filter.mailboxId !== undefined) where.push('mailbox_id = @mailboxId');
    const sql = `SELECT COUNT(*) AS n FROM callbacks WHERE ${where.join(' AND ')}`;
    const row = this.#get<{ n: number }>(sql, { ...filter });
    return row?.n ?? 0;
  }

  async getCallbackSecrets(callbackId: number): Promise<CallbackSecrets | null> {
    const row = this.#callbackRow(callbackId);
    return row ? toSecrets(row) : null;
  }

  async rotateCallbackSecret(
    callbackId: number,
    secret: string,
    previousExpiresAt: number,
  ): Promise<CallbackSecrets | null> {
    const row = this.#write(() => {
      this.#run(
        `UPDATE callbacks SET previous_secret = secret, previous_secret_expires_at = @previousExpiresAt, secret = @secret
         WHERE id = @callbackId AND deleted_at IS NULL`,
        { callbackId, secret, previousExpiresAt },
      );
      return this.#callbackRow(callbackId);
    });
    return row ? toSecrets(row) : null;
  }

  // --- events ---

  /**
   * Publishes wait for the end of the event loop's current I/O phase and are
   * then written together, each in a savepoint of one transaction (group
   * commit): when calls arrive faster than one at a time, each write and its
   * WAL frames serve many of them. One publish failing leaves the others be.
   */
  async publishEvents(inputs: EventInput[], options: PublishOptions): Promise<PublishResult> {
    const { result, claimed } = await new Promise<Published>((resolve, reject) => {
      this.#publishQueue.push({ inputs, options, resolve, reject });
      if (this.#publishQueue.length === 1) setImmediate(() => this.#publishQueued());
    });
    try {
      await this.#durable();
    } catch (error) {
      // Never sent: the events may be lost with the commit. Their leases expire.
      options.claim?.take([]);
      throw error;
    }
    // Sent only once durable: a receiver must never get an event that a power
    // cut could then erase, and whose eventId a later event would reuse.
    options.claim?.take(claimed);
    return result;
  }

  #publishQueued(): void {
    const batch = this.#publishQueue.splice(0);
    type Outcome = { result: PublishResult; claimed: DeliveryJob[] } | { error: unknown };
    let outcomes: Outcome[];
    // Set once a claim here took less than it could: the engine need not look again.
    let exhausted = false;
    try {
      outcomes = this.#writeRelaxed(() => {
        const written = batch.map(({ inputs, options }): Outcome => {
          try {
            return { result: this.#transaction(() => this.#publishOne(inputs, options)) as PublishResult, claimed: [] };
          } catch (error) {
            return { error };
          }
        });
        // Leasing in the same write saves the engine a write of its own. After
        // every insert, and as of the latest publish time of the batch (or the
        // events just written would not all be due yet), so that once a claim
        // takes less than it could the rest would find nothing more.
        const latest = Math.max(...batch.map(({ options }) => options.now));
        batch.forEach(({ options }, index) => {
          const outcome = written[index] as Outcome;
          const claim = options.claim?.request;
          if (exhausted || claim === undefined || 'error' in outcome || outcome.result.eventIds.length === 0) return;
          outcome.claimed = this.#claim({ ...claim, now: Math.max(latest, claim.now) });
          if (outcome.claimed.length < claim.limit) exhausted = true;
        });
        return written;
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    let signal = false;
    batch.forEach((pending, index) => {
      const outcome = outcomes[index] as Outcome;
      if ('error' in outcome) {
        pending.reject(outcome.error);
        return;
      }
      const { result } = outcome;
      if (!result.replayed && result.eventIds.length > 0) {
        signal = true;
        this.#onEventsCreated('api', result.eventIds.length);
      }
      pending.resolve(outcome);
    });
    if (signal && !exhausted) this.#signalWork();
  }

  /** One publish; the caller holds the write transaction. */
  #publishOne(inputs: EventInput[], options: PublishOptions): PublishResult {
    const { now, idempotencyKey } = options;
    const idempotencyNetworkId = options.idempotencyNetworkId ?? 0;
    if (idempotencyKey !== undefined) {
      const stored = this.#get<{ result: string; request_hash: string | null }>(
        'SELECT result, request_hash FROM idempotency_keys WHERE network_id = ? AND key = ?',
        [idempotencyNetworkId, idempotencyKey],
      );
      if (stored && isOtherRequest(stored.request_hash, options.idempotencyRequestHash)) {
        throw idempotencyConflict(idempotencyKey);
      }
      if (stored) {
        const previous = JSON.parse(stored.result) as Pick<PublishResult, 'eventIds' | 'matched'>;
        return { eventIds: previous.eventIds, matched: previous.matched, replayed: true };
      }
    }
    const { eventIds, matched } = this.#insertEvents(inputs, now, options.traceparent ?? null);
    if (idempotencyKey !== undefined) {
      this.#run('INSERT INTO idempotency_keys (network_id, key, result, created_at, request_hash) VALUES (?, ?, ?, ?, ?)', [
        idempotencyNetworkId,
        idempotencyKey,
        JSON.stringify({ eventIds, matched }),
        now,
        options.idempotencyRequestHash ?? null,
      ]);
    }
    return { eventIds, matched, replayed: false };
  }

  /** Fans inputs out to the callbacks their scopes match; the caller holds the write transaction. */
  #insertEvents(
    inputs: EventInput[],
    now: number,
    traceparent: string | null = null,
  ): Pick<PublishResult, 'eventIds' | 'matched'> {
    const match = this.#sql(
      `SELECT id, retries FROM callbacks
       WHERE network_id = @networkId AND event_type = @eventType AND status = 'Active' AND deleted_at IS NULL
         AND mailbox_id IN (0, @mailboxId) AND ecgrid_id IN (0, @ecGridId)
       ORDER BY id`,
    );
    const insert = this.#sql(
      `INSERT INTO events (webhook_id, callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name,
                           is_test, status, attempts, max_attempts, next_attempt_at, created_at, traceparent)
       VALUES (${NEW_WEBHOOK_ID}, @callbackId, @eventType, @networkId, @mailboxId, @ecGridId, @parcelId, @fileName,
               0, 'Pending', 0, @maxAttempts, @now, @now, @traceparent)`,
    );
    // A batch often repeats one scope (many parcels into one mailbox).
    const matches = new Map<string, { id: number; retries: number }[]>();
    const eventIds: number[] = [];
    const matched: number[] = [];
    for (const input of inputs) {
      const { networkId, mailboxId, ecGridId, eventType } = input;
      const scope = { networkId, mailboxId, ecGridId, eventType };
      const key = `${scope.networkId}/${scope.mailboxId}/${scope.ecGridId}/${scope.eventType}`;
      let callbacks = matches.get(key);
      if (callbacks === undefined) {
        callbacks = match.all(scope) as { id: number; retries: number }[];
        matches.set(key, callbacks);
      }
      for (const callback of callbacks) {
        const { lastInsertRowid } = insert.run({
          ...scope,
          callbackId: callback.id,
          parcelId: input.parcelId,
          fileName: input.fileName,
          maxAttempts: callback.retries + 1,
          now,
          traceparent,
        });
        eventIds.push(Number(lastInsertRowid));
      }
      matched.push(callbacks.length);
    }
    return { eventIds, matched };
  }

  async createTestEvent(callbackId: number, options: TestEventOptions): Promise<DeliveryJob | null> {
    const { workerId, now, leaseMs, perCallbackLimit } = options;
    const job = this.#write((): DeliveryJob | null => {
      const callback = this.#callbackRow(callbackId);
      if (!callback) return null;
      const leased = this.#get<{ n: number }>(
        `SELECT count(*) AS n FROM events INDEXED BY events_due_by_callback
         WHERE callback_id = ? AND status = 'Pending' AND lease_until > ?`,
        [callbackId, now],
      );
      if ((leased?.n ?? 0) >= perCallbackLimit) throw callbackAtCapacity(callbackId, perCallbackLimit);
      const event = this.#get<EventRow>(
        `INSERT INTO events (webhook_id, callback_id, event_type, network_id, mailbox_id, ecgrid_id, parcel_id, file_name,
                             is_test, status, attempts, max_attempts, next_attempt_at, lease_owner, lease_until, created_at,
                             traceparent)
         VALUES (${NEW_WEBHOOK_ID}, @callbackId, @eventType, @networkId, @mailboxId, @ecGridId, 0, 'test.edi',
                 1, 'Pending', 0, @maxAttempts, @now, @workerId, @leaseUntil, @now, @traceparent)
         RETURNING ${EVENT_COLUMNS}, traceparent`,
        {
          callbackId,
          eventType: callback.event_type,
          networkId: callback.network_id,
          mailboxId: callback.mailbox_id,
          ecGridId: callback.ecgrid_id,
          maxAttempts: callback.retries + 1,
          now,
          workerId,
          leaseUntil: now + leaseMs,
          traceparent: options.traceparent ?? null,
        },
      ) as EventRow;
      return toJob(event, callback);
    });
    if (job) this.#onEventsCreated('test', 1);
    return job;
  }

  /**
   * Leases due events, at most perCallbackLimit of one callback's at once
   * across every process (the write lock makes claims take turns). Which
   * events: of each Active callback, its oldest due, unleased ones up to what
   * its live leases leave of the limit; of all those, the `limit` due first.
   */
  async claimDueEvents(request: ClaimRequest): Promise<DeliveryJob[]> {
    return this.#writeRelaxed(() => this.#claim(request));
  }

  /**
   * The claim itself; the caller holds the write transaction.
   *
   * With few callbacks holding Pending events (the usual case) each is asked
   * for its oldest due events, a few index probes apiece, found by a skip
   * scan of events_due_by_callback. With many, a short walk of the due queue
   * usually settles it; when the walk is filled without filling the claim
   * (one callback's backlog, at its limit, hides what is behind it) every
   * callback is asked after all. The same plan as the PostgreSQL claim.
   */
  #claim(request: ClaimRequest): DeliveryJob[] {
    const { workerId, now, leaseMs, limit, perCallbackLimit } = request;
    if (limit <= 0 || perCallbackLimit <= 0) return [];
    const load = new Map<number, number>();
    for (const { callback_id, n } of this.#all<{ callback_id: number; n: number }>(
      // Without INDEXED BY the planner walks events_by_callback (already
      // grouped) through the whole table instead of the few live leases.
      `SELECT callback_id, COUNT(*) AS n FROM events INDEXED BY events_leased
       WHERE status = 'Pending' AND lease_until > ? GROUP BY callback_id`,
      [now],
    )) {
      load.set(callback_id, n);
    }
    const few = this.#callbacksWithPending(FEW_CALLBACKS + 1);
    let picked: DueRow[];
    if (few.length <= FEW_CALLBACKS) {
      picked = pickWithinLimits(this.#dueOf(few, now, load, perCallbackLimit), load, limit, perCallbackLimit);
    } else {
      // Enough to fill the claim when callbacks have room; a wider walk mostly
      // reads the backlog of callbacks at their limit, on every claim.
      const window = Math.max(limit, 64);
      const walked = this.#all<DueRow>(
        `SELECT e.id, e.callback_id, e.next_attempt_at FROM events e INDEXED BY events_due
           CROSS JOIN callbacks c ON c.id = e.callback_id
         WHERE e.status = 'Pending' AND e.next_attempt_at <= @now
           AND (e.lease_until IS NULL OR e.lease_until <= @now)
           AND c.status = 'Active' AND c.deleted_at IS NULL
         ORDER BY e.next_attempt_at, e.id
         LIMIT @window`,
        { now, window },
      );
      picked = pickWithinLimits(walked, load, limit, perCallbackLimit);
      if (walked.length === window && picked.length < limit) {
        const every = this.#callbacksWithPending(Number.MAX_SAFE_INTEGER);
        picked = pickWithinLimits(this.#dueOf(every, now, load, perCallbackLimit), load, limit, perCallbackLimit);
      }
    }
    if (picked.length === 0) return [];
    // One statement for the lot: most of a small write's cost is per statement.
    const leased = (
      this.#rawSql(
        `UPDATE events SET lease_owner = @workerId, lease_until = @leaseUntil
         WHERE id IN (SELECT value FROM json_each(@ids)) RETURNING ${JOB_EVENT_COLUMNS}`,
      ).all({ workerId, leaseUntil: now + leaseMs, ids: JSON.stringify(picked.map((row) => row.id)) }) as JobEventValues[]
    ).map(jobEventRow);
    const byId = new Map(leased.map((event) => [event.id, event]));
    const callbacks = new Map<number, JobCallbackRow>();
    return picked.map(({ id }) => {
      const event = byId.get(id) as JobEventRow;
      let callback = callbacks.get(event.callback_id);
      if (callback === undefined) {
        callback = this.#get<JobCallbackRow>(`SELECT ${JOB_CALLBACK_COLUMNS} FROM callbacks WHERE id = ?`, [
          event.callback_id,
        ]) as JobCallbackRow;
        callbacks.set(event.callback_id, callback);
      }
      return toJob(event, callback);
    });
  }

  /** Up to `most` callbacks that have Pending events, by a skip scan: one index seek each. */
  #callbacksWithPending(most: number): number[] {
    const next = this.#sql(
      `SELECT callback_id FROM events INDEXED BY events_due_by_callback
       WHERE status = 'Pending' AND callback_id > ? ORDER BY callback_id LIMIT 1`,
    ).pluck();
    const found: number[] = [];
    for (let id = next.get(0) as number | undefined; id !== undefined && found.length < most; id = next.get(id) as number | undefined) {
      found.push(id);
    }
    return found;
  }

  /**
   * The oldest due, unleased events of these callbacks that are Active, as
   * many of each as its live leases leave room for, in due order.
   */
  #dueOf(callbackIds: number[], now: number, load: ReadonlyMap<number, number>, perCallbackLimit: number): DueRow[] {
    const due = this.#sql(
      `SELECT e.id, e.callback_id, e.next_attempt_at
       FROM callbacks c CROSS JOIN events e INDEXED BY events_due_by_callback ON e.callback_id = c.id
       WHERE c.id = @callbackId AND c.status = 'Active' AND c.deleted_at IS NULL
         AND e.status = 'Pending' AND e.next_attempt_at <= @now AND (e.lease_until IS NULL OR e.lease_until <= @now)
       ORDER BY e.next_attempt_at, e.id
       LIMIT @room`,
    );
    const rows: DueRow[] = [];
    for (const callbackId of callbackIds) {
      const room = perCallbackLimit - (load.get(callbackId) ?? 0);
      if (room <= 0) continue;
      for (const row of due.all({ callbackId, now, room }) as DueRow[]) rows.push(row);
    }
    return rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id);
  }

  async recordAttempts(results: AttemptResult[]): Promise<void> {
    if (results.length === 0) return;
    this.#writeRelaxed(() => this.#record(results));
  }

  async recordAndClaim(results: AttemptResult[], claim: ClaimRequest): Promise<DeliveryJob[]> {
    return this.#writeRelaxed(() => {
      this.#record(results);
      return this.#claim(claim);
    });
  }

  /** Writes results; the caller holds the write transaction. */
  #record(results: AttemptResult[]): void {
    // Positional parameters: binding named ones costs a lookup per name, on
    // the two statements every delivery runs. Each starts with the same three.
    const attempted = 'attempts = attempts + 1, last_attempt_at = ?, last_http_status = ?, last_error = ?';
    // A Retry or Failed from a worker whose lease another worker has since
    // taken must not clear that worker's lease: only the holder decides.
    // Delivered always wins, since the receiver has the event.
    const delivered = this.#sql(
      `UPDATE events SET status = 'Delivered', ${attempted}, finished_at = ?, next_attempt_at = NULL,
         lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND status = 'Pending'`,
    );
    const retry = this.#sql(
      `UPDATE events SET ${attempted}, next_attempt_at = ?, lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND status = 'Pending' AND (lease_owner IS NULL OR lease_owner = ?)`,
    );
    const failed = this.#sql(
      `UPDATE events SET status = 'Failed', ${attempted}, finished_at = ?, next_attempt_at = NULL,
         lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND status = 'Pending' AND (lease_owner IS NULL OR lease_owner = ?)`,
    );
    const countOnly = this.#sql(`UPDATE events SET ${attempted} WHERE id = ?`);
    const insertAttempt = this.#sql(
      `INSERT INTO attempts (event_id, worker_id, started_at, duration_ms, http_status, error)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    for (const { eventId, workerId, startedAt, durationMs, httpStatus, error, outcome, nextAttemptAt } of results) {
      const finishedAt = startedAt + durationMs;
      const changed =
        outcome === 'Delivered'
          ? delivered.run(startedAt, httpStatus, error, finishedAt, eventId)
          : outcome === 'Retry'
            ? retry.run(startedAt, httpStatus, error, nextAttemptAt ?? finishedAt, eventId, workerId)
            : failed.run(startedAt, httpStatus, error, finishedAt, eventId, workerId);
      if (changed.changes === 0 && countOnly.run(startedAt, httpStatus, error, eventId).changes === 0) {
        // The event is gone (purged); there is nothing left to log against.
        continue;
      }
      insertAttempt.run(eventId, workerId, startedAt, durationMs, httpStatus, error);
    }
  }

  async releaseLeases(workerId: string, eventIds?: number[]): Promise<number> {
    const release = (): Database.RunResult =>
      eventIds === undefined
        ? this.#run(
            "UPDATE events SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND status = 'Pending'",
            [workerId],
          )
        : this.#run(
            `UPDATE events SET lease_owner = NULL, lease_until = NULL
             WHERE lease_owner = ? AND status = 'Pending' AND id IN (SELECT value FROM json_each(?))`,
            [workerId, JSON.stringify(eventIds)],
          );
    const { changes } = this.#writeRelaxed(release);
    if (changes > 0) this.#signalWork();
    return changes;
  }

  async queueStats(): Promise<QueueStats> {
    // events_due holds only Pending rows and carries their id, so this reads
    // the backlog and not the delivered history; ids grow with creation, so
    // the smallest is the oldest.
    return this.#read(() => {
      const row = this.#get<{ pending: number; oldest: number | null }>(
        `SELECT COUNT(*) AS pending, MIN(id) AS oldest FROM events INDEXED BY events_due WHERE status = 'Pending'`,
      ) as { pending: number; oldest: number | null };
      const oldestPendingAt =
        row.oldest === null
          ? null
          : (this.#get<{ at: number }>('SELECT created_at AS at FROM events WHERE id = ?', [row.oldest])?.at ?? null);
      return { pending: row.pending, oldestPendingAt };
    });
  }

  async nextDueAt(): Promise<number | null> {
    // Events whose callback is not Active are never claimed, so they must not
    // count here either, or an idle engine would wake for them forever.
    return this.#read(() => {
      const free = this.#get<{ at: number }>(
        `SELECT e.next_attempt_at AS at FROM events e CROSS JOIN callbacks c ON c.id = e.callback_id
         WHERE e.status = 'Pending' AND e.lease_until IS NULL AND c.status = 'Active' AND c.deleted_at IS NULL
         ORDER BY e.next_attempt_at LIMIT 1`,
      )?.at;
      const leased = this.#get<{ at: number | null }>(
        `SELECT MIN(e.lease_until) AS at FROM events e CROSS JOIN callbacks c ON c.id = e.callback_id
         WHERE e.status = 'Pending' AND e.lease_until IS NOT NULL AND c.status = 'Active' AND c.deleted_at IS NULL`,
      )?.at;
      const times = [free, leased].filter((t): t is number => typeof t === 'number');
      return times.length === 0 ? null : Math.min(...times);
    });
  }

  async getEvent(eventId: number): Promise<EventRecord | null> {
    const row = this.#get<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`, [eventId]);
    return row ? toEvent(row) : null;
  }

  async listAttempts(eventId: number): Promise<Attempt[]> {
    return this.#all<AttemptRow>(
      `SELECT id, event_id, started_at, duration_ms, http_status, error FROM attempts
       WHERE event_id = ? ORDER BY started_at, id`,
      [eventId],
    ).map(toAttempt);
  }

  async listEvents(filter: EventFilter, page: PageRequest): Promise<Page<EventRecord>> {
    const where: string[] = [];
    if (filter.callbackId !== undefined) where.push('callback_id = @callbackId');
    if (filter.networkId !== undefined) where.push('network_id = @networkId');
    if (filter.mailboxId !== undefined) where.push('mailbox_id = @mailboxId');
    if (filter.status !== undefined) where.push('status = @status');
    if (filter.eventType !== undefined) where.push('event_type = @eventType');
    if (filter.parcelId !== undefined) where.push('parcel_id = @parcelId');
    if (filter.createdFrom !== undefined) where.push('created_at >= @createdFrom');
    if (filter.createdBefore !== undefined) where.push('created_at < @createdBefore');
    return this.#page('events', where, { ...filter }, 'created_at DESC, id DESC', page, toEvent);
  }

  async retryEvent(eventId: number, now: number): Promise<EventRecord> {
    const row = this.#write(() => {
      const event = this.#get<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`, [eventId]);
      if (!event) throw notFound('Event', eventId);
      if (event.status === 'Pending' || event.status === 'Delivered') {
        throw new GridhookError(
          'InvalidState',
          `Event ${eventId} is ${event.status}; only Failed or Canceled events can be retried.`,
        );
      }
      const callback = this.#retryableCallback(
        event.callback_id,
        () =>
          new GridhookError('InvalidState', `Callback ${event.callback_id} was deleted; its events cannot be retried.`),
      );
      this.#run(
        `UPDATE events SET status = 'Pending', next_attempt_at = @now, lease_owner = NULL, lease_until = NULL,
           finished_at = NULL, max_attempts = attempts + @fresh
         WHERE id = @eventId`,
        { eventId, now, fresh: callback.retries + 1 },
      );
      return this.#get<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`, [eventId]) as EventRow;
    });
    this.#signalWork();
    return toEvent(row);
  }

  /**
   * A retried event of a deleted or suspended callback would be Pending but
   * never claimed; refusing says why instead.
   */
  #retryableCallback(callbackId: number, whenDeleted: () => GridhookError): CallbackRow {
    const callback = this.#callbackRow(callbackId);
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
    const changes = this.#write(() => {
      const callback = this.#retryableCallback(callbackId, () => notFound('Callback', callbackId));
      return this.#run(
        `UPDATE events SET status = 'Pending', next_attempt_at = @now, lease_owner = NULL, lease_until = NULL,
           finished_at = NULL, max_attempts = attempts + @fresh
         WHERE callback_id = @callbackId AND status = 'Failed'
           AND created_at >= @from AND created_at < @before`,
        {
          callbackId,
          now,
          fresh: callback.retries + 1,
          from: created.from ?? Number.MIN_SAFE_INTEGER,
          before: created.before ?? Number.MAX_SAFE_INTEGER,
        },
      ).changes;
    });
    if (changes > 0) this.#signalWork();
    return changes;
  }

  async purgeFinishedEvents(before: number, limit: number): Promise<number> {
    if (limit <= 0) return 0;
    // Attempts go with their events (ON DELETE CASCADE). One statement per
    // partial index, so each walks its own index in order.
    return this.#write(() => {
      const delivered = this.#run(
        `DELETE FROM events WHERE id IN (
           SELECT id FROM events WHERE status = 'Delivered' AND finished_at < ? ORDER BY finished_at LIMIT ?)`,
        [before, limit],
      ).changes;
      if (delivered >= limit) return delivered;
      return (
        delivered +
        this.#run(
          `DELETE FROM events WHERE id IN (
             SELECT id FROM events INDEXED BY events_ended
             WHERE status IN ('Failed', 'Canceled') AND finished_at < ? ORDER BY finished_at LIMIT ?)`,
          [before, limit - delivered],
        ).changes
      );
    });
  }

  async purgeIdempotencyKeys(before: number, limit: number): Promise<number> {
    if (limit <= 0) return 0;
    return this.#write(
      () =>
        this.#run(
          `DELETE FROM idempotency_keys WHERE (network_id, key) IN (
             SELECT network_id, key FROM idempotency_keys WHERE created_at < ? ORDER BY created_at LIMIT ?)`,
          [before, limit],
        ).changes,
    );
  }

  // --- statistics ---

  async overviewCounts(filter: OverviewFilter, since: number, pendingSince: number, limit: number): Promise<OverviewCounts> {
    return this.#stats.overviewCounts(filter, since, pendingSince, limit);
  }

  async callbackHealth(callbackIds: readonly number[], since: number): Promise<CallbackHealth[]> {
    return this.#stats.callbackHealth(callbackIds, since);
  }

  // --- parcels ---

  async beginParcel(now: number): Promise<number> {
    return this.#parcels.begin(now);
  }

  async appendParcelChunk(parcelId: number, seq: number, data: Uint8Array): Promise<void> {
    this.#parcels.append(parcelId, seq, data);
  }

  async finishParcel(route: ParcelRoute): Promise<Parcel> {
    return this.#parcels.finish(route);
  }

  async discardParcel(parcelId: number): Promise<void> {
    this.#parcels.discard(parcelId);
  }

  async discardAbandonedParcels(before: number): Promise<number> {
    return this.#parcels.discardAbandoned(before);
  }

  async getParcel(parcelId: number): Promise<Parcel | null> {
    return this.#parcels.get(parcelId);
  }

  async listParcels(filter: ParcelFilter, page: PageRequest): Promise<Page<Parcel>> {
    return this.#parcels.list(filter, page);
  }

  readParcelChunks(parcelId: number): AsyncIterable<Uint8Array> {
    return this.#parcels.readChunks(parcelId);
  }

  async confirmParcel(parcelId: number, now: number): Promise<Parcel> {
    return this.#parcels.confirm(parcelId, now);
  }

  async resetParcel(parcelId: number, now: number): Promise<Parcel> {
    return this.#parcels.reset(parcelId, now);
  }

  async findRoutingCandidates(networkId: number, id: string): Promise<EcGridIdRecord[]> {
    return this.#parcels.findRoutingCandidates(networkId, id);
  }

  onNewWork(listener: () => void): () => void {
    this.#work.on(WORK, listener);
    return () => {
      this.#work.off(WORK, listener);
    };
  }
}

export interface SqliteStoreOptions {
  /** Told about trouble the store rides out (a failing background checkpoint). */
  onError?: (error: Error) => void;
  /** Told how many events each committed write created, and what created them (metrics). */
  onEventsCreated?: (source: EventSource, count: number) => void;
}

/** Opens (creating if needed) the SQLite database in `file`, or ':memory:'. Call migrate() before use. */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): SqliteStore {
  return new SqliteStore(file, options);
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
