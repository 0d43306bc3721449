/**
 * The embedded Store: one SQLite file shared by every process of one machine.
 *
 * better-sqlite3 is synchronous, so each method does all its work before its
 * promise is created; the async signatures exist only to match Store. Every
 * write runs in BEGIN IMMEDIATE, which takes the file's write lock up front:
 * a deferred transaction that reads and then writes can fail outright when
 * another process committed in between, while an immediate one just waits
 * (busy_timeout) for its turn.
 *
 * The work itself is done by one class per aggregate (directory, callbacks,
 * events, claims, parcels, sessions, stats), each given what it needs of the
 * store; this class owns the connection, migrations, durability and the
 * waking of listeners, and delegates.
 */
import { SqliteRateLimits } from './rate-limits.js';
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
import { GridhookError } from '../../errors.js';
import { systemClock, type Clock } from '../../domain/clock.js';
import type {
  AttemptResult,
  CallbackFilter,
  CallbackPatch,
  CallbackSecrets,
  StoredCallbackValues,
  ClaimRequest,
  DeliveryJob,
  EventFilter,
  NetworkSettings,
  NewCallback,
  NewReplayJob,
  ReplayJob,
  SuspendedCallback,
  NewEcGridId,
  NewUser,
  ParcelFilter,
  ParcelRoute,
  PublishResult,
  QueueStats,
  EventSource,
  PublishOptions,
  ScopeFilter,
  ScopeIds,
  ScopeOwners,
  CallbackHealth,
  CallbackLatency,
  CreatedRange,
  FeedPage,
  FeedPosition,
  FeedQuery,
  LatencyQuery,
  OverviewCounts,
  OverviewFilter,
  RateGrant,
  RateLimitedCallbacks,
  SessionTimes,
  Store,
  TestEventOptions,
} from '../store.js';
import { pendingMigrations } from '../migration-plan.js';
import { MIGRATIONS } from './migrations.js';
import { BACKSTOP_PAGES, Checkpointer } from './checkpointer.js';
import { FileSync, GroupFlush } from './wal-sync.js';
import { SqliteCallbacks } from './callbacks.js';
import { SqliteClaims } from './claims.js';
import { SqliteDatabase } from './database.js';
import { SqliteDirectory } from './directory.js';
import { SqliteEndpointHealth } from './endpoint-health.js';
import { SqliteEvents } from './events.js';
import { SqliteFeed } from './feed.js';
import { SqliteReplays } from './replay.js';
import { SqliteParcels } from './parcels.js';
import { SqliteSessions } from './sessions.js';
import { SqliteLatency } from './latency.js';
import { SqliteStats } from './stats.js';

const WORK = 'work';

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #access: SqliteDatabase;
  readonly #work = new EventEmitter();
  #wakeScheduled = false;
  readonly #directory: SqliteDirectory;
  readonly #sessions: SqliteSessions;
  readonly #callbacks: SqliteCallbacks;
  readonly #events: SqliteEvents;
  readonly #claims: SqliteClaims;
  readonly #rateLimits: SqliteRateLimits;
  readonly #health: SqliteEndpointHealth;
  readonly #replays: SqliteReplays;
  readonly #parcels: SqliteParcels;
  readonly #stats: SqliteStats;
  readonly #latency: SqliteLatency;
  readonly #feed: SqliteFeed;
  /** Null for an in-memory database, which has nothing to sync. */
  readonly #walFile: FileSync | null = null;
  readonly #walSync: GroupFlush | null = null;
  readonly #checkpointer: Checkpointer | null = null;
  readonly #onEventsCreated: (source: EventSource, count: number) => void;
  /** This machine's: every process sharing the file runs on it. */
  readonly clock: Clock;

  constructor(file: string, options: SqliteStoreOptions = {}) {
    this.#onEventsCreated = options.onEventsCreated ?? (() => undefined);
    this.clock = options.localTime ? { now: options.localTime } : systemClock;
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
    this.#work.setMaxListeners(0);
    const access = new SqliteDatabase(this.#db);
    this.#access = access;
    const write = <T>(fn: () => T): T => access.write(fn);
    const read = <T>(fn: () => T): T => access.read(fn);
    const signalWork = () => this.#signalWork();
    this.#directory = new SqliteDirectory({ db: access });
    this.#sessions = new SqliteSessions(this.#db, write);
    this.#callbacks = new SqliteCallbacks({ db: access, signalWork });
    this.#health = new SqliteEndpointHealth({
      db: access,
      signalWork,
      eventsCreated: (count) => this.#onEventsCreated('health', count),
    });
    this.#rateLimits = new SqliteRateLimits({ db: access });
    this.#claims = new SqliteClaims({ db: access, signalWork, noteOutcomes: (results) => this.#health.noteOutcomes(results) });
    this.#replays = new SqliteReplays({ db: access, signalWork });
    this.#events = new SqliteEvents({
      db: access,
      callbackRow: (callbackId) => this.#callbacks.row(callbackId),
      claim: (request) => this.#claims.claimInWrite(request),
      durable: () => this.#durable(),
      signalWork,
      eventsCreated: (source, count) => this.#onEventsCreated(source, count),
    });
    this.#parcels = new SqliteParcels({
      db: this.#db,
      write,
      read,
      page: (table, where, params, order, page, map) => access.page(table, where, params, order, page, map),
      insertEvents: (inputs, now, traceparent) => this.#events.insert(inputs, now, traceparent),
      signalWork,
      eventsCreated: (count) => this.#onEventsCreated('parcel', count),
    });
    this.#stats = new SqliteStats(this.#db, read);
    this.#latency = new SqliteLatency(this.#db, read);
    this.#feed = new SqliteFeed(this.#db, read);
  }

  // --- plumbing ---

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

  /** Wakes listeners once per burst of commits, never inside the caller's stack. */
  #signalWork(): void {
    if (this.#wakeScheduled) return;
    this.#wakeScheduled = true;
    queueMicrotask(() => {
      this.#wakeScheduled = false;
      this.#work.emit(WORK);
    });
  }

  // --- lifecycle ---

  async migrate(): Promise<void> {
    // Two processes starting together both get here; the write lock makes the
    // second wait and then find every migration already applied.
    this.#access.write(() => {
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
    // Table statistics for the planner, as SQLite advises for long-lived connections: without them it
    // may walk a 5-value column's index (mailbox_id) rather than a selective range. Cheap: it analyses
    // only tables whose size changed much since the last time, each with a bounded sample.
    this.#db.pragma('optimize = 0x10002');
  }

  async ping(): Promise<void> {
    this.#access.get('SELECT 1');
  }

  async close(): Promise<void> {
    this.#work.removeAllListeners();
    this.#access.clear();
    await this.#checkpointer?.close();
    await this.#walFile?.close();
    if (this.#db.open) {
      try {
        this.#db.pragma('optimize');
      } catch {
        // A read-only or busy database keeps the statistics it has; the next open refreshes them.
      }
      this.#db.close();
    }
  }

  // --- directory ---

  createNetwork(name: string, settings?: NetworkSettings): Promise<Network> {
    return this.#directory.createNetwork(name, settings);
  }

  updateNetwork(networkId: number, settings: NetworkSettings): Promise<Network | null> {
    return this.#directory.updateNetwork(networkId, settings);
  }

  getNetwork(networkId: number): Promise<Network | null> {
    return this.#directory.getNetwork(networkId);
  }

  listNetworks(page: PageRequest): Promise<Page<Network>> {
    return this.#directory.listNetworks(page);
  }

  createMailbox(networkId: number, name: string): Promise<Mailbox> {
    return this.#directory.createMailbox(networkId, name);
  }

  getMailbox(mailboxId: number): Promise<Mailbox | null> {
    return this.#directory.getMailbox(mailboxId);
  }

  listMailboxes(filter: ScopeFilter, page: PageRequest): Promise<Page<Mailbox>> {
    return this.#directory.listMailboxes(filter, page);
  }

  createEcGridId(input: NewEcGridId): Promise<EcGridIdRecord> {
    return this.#directory.createEcGridId(input);
  }

  getEcGridId(ecGridId: number): Promise<EcGridIdRecord | null> {
    return this.#directory.getEcGridId(ecGridId);
  }

  findScopeOwners(ids: ScopeIds): Promise<ScopeOwners> {
    return this.#directory.findScopeOwners(ids);
  }

  findEcGridId(networkId: number | null, qualifier: string, id: string): Promise<EcGridIdRecord[]> {
    return this.#directory.findEcGridId(networkId, qualifier, id);
  }

  listEcGridIds(filter: ScopeFilter & { status?: ObjectStatus }, page: PageRequest): Promise<Page<EcGridIdRecord>> {
    return this.#directory.listEcGridIds(filter, page);
  }

  updateEcGridId(ecGridId: number, patch: { status?: ObjectStatus; description?: string }): Promise<EcGridIdRecord | null> {
    return this.#directory.updateEcGridId(ecGridId, patch);
  }

  createUser(input: NewUser): Promise<User> {
    return this.#directory.createUser(input);
  }

  getUser(userId: number): Promise<User | null> {
    return this.#directory.getUser(userId);
  }

  getUserByLogin(loginName: string): Promise<{ user: User; passwordHash: string } | null> {
    return this.#directory.getUserByLogin(loginName);
  }

  listUsers(filter: ScopeFilter, page: PageRequest): Promise<Page<User>> {
    return this.#directory.listUsers(filter, page);
  }

  updateUserStatus(userId: number, status: ObjectStatus): Promise<User | null> {
    return this.#directory.updateUserStatus(userId, status);
  }

  setApiKey(userId: number, keyHash: string, keyPrefix: string): Promise<{ apiKeyId: number }> {
    return this.#directory.setApiKey(userId, keyHash, keyPrefix);
  }

  findPrincipalByKeyHash(keyHash: string): Promise<Principal | null> {
    return this.#directory.findPrincipalByKeyHash(keyHash);
  }

  ensureRootUser(
    loginName: string,
    keyHash: string,
    keyPrefix: string,
    options: { keepActiveKey?: boolean } = {},
  ): Promise<User> {
    return this.#directory.ensureRootUser(loginName, keyHash, keyPrefix, options);
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

  createCallback(input: NewCallback, now: number): Promise<Callback> {
    return this.#callbacks.create(input, now);
  }

  getCallback(callbackId: number): Promise<Callback | null> {
    return this.#callbacks.get(callbackId);
  }

  listCallbacks(filter: CallbackFilter, page: PageRequest): Promise<Page<Callback>> {
    return this.#callbacks.list(filter, page);
  }

  updateCallback(callbackId: number, patch: CallbackPatch, now: number): Promise<Callback | null> {
    return this.#callbacks.update(callbackId, patch, now);
  }

  async suspendCallbackByGridhook(callbackId: number, reason: string, now: number): Promise<SuspendedCallback | null> {
    return this.#health.suspend(callbackId, reason, now);
  }

  async callbacksFailingTooLong(now: number, defaultAfterMs: number, limit: number): Promise<(Callback & { afterMs: number })[]> {
    return this.#health.failingTooLong(now, defaultAfterMs, limit);
  }

  deleteCallback(callbackId: number, now: number): Promise<boolean> {
    return this.#callbacks.delete(callbackId, now);
  }

  countCallbacks(filter: ScopeFilter): Promise<number> {
    return this.#callbacks.count(filter);
  }

  getCallbackSecrets(callbackId: number): Promise<CallbackSecrets | null> {
    return this.#callbacks.secrets(callbackId);
  }

  rotateCallbackSecret(callbackId: number, secret: string, previousExpiresAt: number): Promise<CallbackSecrets | null> {
    return this.#callbacks.rotateSecret(callbackId, secret, previousExpiresAt);
  }

  listCallbackSealedValues(afterId: number, limit: number): Promise<StoredCallbackValues[]> {
    return this.#callbacks.listSealedValues(afterId, limit);
  }

  replaceCallbackSealedValues(expected: StoredCallbackValues, next: StoredCallbackValues): Promise<boolean> {
    return this.#callbacks.replaceSealedValues(expected, next);
  }

  // --- events ---

  publishEvents(inputs: EventInput[], options: PublishOptions): Promise<PublishResult> {
    return this.#events.publish(inputs, options);
  }

  createTestEvent(callbackId: number, options: TestEventOptions): Promise<DeliveryJob | null> {
    return this.#events.createTestEvent(callbackId, options);
  }

  getEvent(eventId: number): Promise<EventRecord | null> {
    return this.#events.get(eventId);
  }

  listAttempts(eventId: number): Promise<Attempt[]> {
    return this.#events.listAttempts(eventId);
  }

  listEvents(filter: EventFilter, page: PageRequest): Promise<Page<EventRecord>> {
    return this.#events.list(filter, page);
  }

  retryEvent(eventId: number, now: number): Promise<EventRecord> {
    return this.#events.retry(eventId, now);
  }

  skipEvent(eventId: number, now: number): Promise<EventRecord> {
    return this.#events.skip(eventId, now);
  }

  retryFailedEvents(callbackId: number, now: number, created: CreatedRange = {}): Promise<number> {
    return this.#events.retryFailed(callbackId, now, created);
  }

  purgeFinishedEvents(before: number, limit: number): Promise<number> {
    return this.#events.purgeFinished(before, limit);
  }

  async createReplayJob(input: NewReplayJob): Promise<ReplayJob> {
    return this.#replays.create(input);
  }

  async getReplayJob(replayId: number): Promise<ReplayJob | null> {
    return this.#replays.get(replayId);
  }

  async listRunningReplayJobs(limit: number): Promise<ReplayJob[]> {
    return this.#replays.listRunning(limit);
  }

  async runReplayBatch(replayId: number, batchSize: number, now: number): Promise<ReplayJob | null> {
    return this.#replays.runBatch(replayId, batchSize, now);
  }

  purgeIdempotencyKeys(before: number, limit: number): Promise<number> {
    return this.#events.purgeIdempotencyKeys(before, limit);
  }

  // --- claims ---

  claimDueEvents(request: ClaimRequest): Promise<DeliveryJob[]> {
    return this.#claims.claim(request);
  }

  recordAttempts(results: AttemptResult[]): Promise<void> {
    return this.#claims.record(results);
  }

  recordAndClaim(results: AttemptResult[], claim: ClaimRequest): Promise<DeliveryJob[]> {
    return this.#claims.recordAndClaim(results, claim);
  }


  rateLimitedCallbacks(): Promise<RateLimitedCallbacks> {
    return this.#rateLimits.limitedCallbacks();
  }

  takeRateTokens(callbackId: number, wanted: number, now: number): Promise<RateGrant> {
    return this.#rateLimits.take(callbackId, wanted, now);
  }

  deferLeases(workerId: string, eventIds: number[], dueAts: number[]): Promise<number> {
    return this.#rateLimits.defer(workerId, eventIds, dueAts);
  }

  releaseLeases(workerId: string, eventIds?: number[]): Promise<number> {
    return this.#claims.release(workerId, eventIds);
  }

  queueStats(): Promise<QueueStats> {
    return this.#claims.queueStats();
  }

  nextDueAt(): Promise<number | null> {
    return this.#claims.nextDueAt();
  }

  // --- the activity feed ---

  async feedPosition(): Promise<FeedPosition> {
    return this.#feed.position();
  }

  async readFeed(query: FeedQuery): Promise<FeedPage> {
    return this.#feed.readFeed(query);
  }

  // --- statistics ---

  async overviewCounts(
    filter: OverviewFilter,
    since: number,
    pendingSince: number,
    limit: number,
    finishedSince: number = since,
  ): Promise<OverviewCounts> {
    return this.#stats.overviewCounts(filter, since, pendingSince, limit, finishedSince);
  }

  async callbackHealth(callbackIds: readonly number[], since: number): Promise<CallbackHealth[]> {
    return this.#stats.callbackHealth(callbackIds, since);
  }

  async callbackLatency(query: LatencyQuery): Promise<CallbackLatency> {
    return this.#latency.callbackLatency(query);
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

  async confirmParcel(parcelId: number, now: number, traceparent: string | null = null): Promise<Parcel> {
    return this.#parcels.confirm(parcelId, now, traceparent);
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
  /** This machine's clock, in ms since the epoch. Default Date.now. */
  localTime?: () => number;
}

/** Opens (creating if needed) the SQLite database in `file`, or ':memory:'. Call migrate() before use. */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): SqliteStore {
  return new SqliteStore(file, options);
}
