/**
 * The PostgreSQL Store: any number of gridhook processes on any number of
 * machines share one database (CONTRACT §4).
 *
 * What that asks beyond the SQLite store, which has one writer at a time:
 * - Claims by several workers at once (claims.ts).
 * - Racing writers: callbacks matched by a publish, retry or test event are
 *   share-locked until it commits (events.ts, callbacks.ts).
 * - Waking other processes: every commit that makes work due also issues
 *   pg_notify (delivered on commit) and WorkListener hears the others'.
 * - Outages: connection failures surface as ServiceUnavailable; a connection
 *   cut while idle or in use is reported through onError, never thrown from
 *   an event emitter, so it cannot crash the process.
 *
 * Rows map to the domain exactly as on SQLite (same tables and columns); ids
 * and times are BIGINT, read back as JS numbers. The work itself is done by
 * one class per aggregate (directory, callbacks, events, claims, parcels,
 * sessions, stats), each given what it needs of the store; this class owns
 * the pool, migrations and the waking of listeners, and delegates.
 */
import { PostgresRateLimits } from './rate-limits.js';
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
  PublishOptions,
  PublishResult,
  QueueStats,
  EventSource,
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
import { PostgresCallbacks } from './callbacks.js';
import { PostgresClaims } from './claims.js';
import { PostgresDatabase } from './database.js';
import { PostgresDirectory } from './directory.js';
import { PostgresEndpointHealth } from './endpoint-health.js';
import { PostgresEvents } from './events.js';
import { PostgresReplays } from './replay.js';
import { PostgresParcels } from './parcels.js';
import { PostgresLatency } from './latency.js';
import { PostgresStats } from './stats.js';
import { PostgresFeed } from './feed.js';
import { PostgresSessions } from './sessions.js';
import { PLAN_LIFETIME_MS, refreshPlans } from './plan-refresh.js';
import { PrincipalCache } from './principal-cache.js';
import { WORK_CHANNEL, WorkListener } from './work-listener.js';
import { ServerClock, type ClockReading } from './server-clock.js';

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
  /** This machine's clock, in ms since the epoch, which the server's clock is tracked from. Default Date.now. */
  localTime?: () => number;
  /** Told when this machine's clock is a second or more away from the server's. Default: nobody. */
  onClockSkew?: (reading: ClockReading) => void;
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

const WORK = 'work';

/** The least time between two work announcements of one process: other processes hear of new work at most this late. */
const ANNOUNCE_SPACING_MS = 10;

export class PostgresStore implements Store {
  /** The server's clock: every process on every machine reckons leases and due times by it. */
  readonly clock: ServerClock;
  readonly #pool: pg.Pool;
  readonly #db: PostgresDatabase;
  readonly #schema: string | undefined;
  readonly #onError: (error: Error) => void;
  readonly #onEventsCreated: (source: EventSource, count: number) => void;
  /** Sent with every notification, so this store can tell its own from other processes'. */
  readonly #origin = randomUUID();
  readonly #work = new EventEmitter();
  readonly #listener: WorkListener;
  readonly #principals = new PrincipalCache();
  #wakeScheduled = false;
  #closing: Promise<void> | null = null;
  /** Waiting: an announcement is due, and covers every commit until it is sent. Sending: the NOTIFY is under way. */
  #announcing: 'idle' | 'waiting' | 'sending' = 'idle';
  #announceAgain = false;
  #lastAnnouncedAt = -Infinity;
  readonly #directory: PostgresDirectory;
  readonly #sessions: PostgresSessions;
  readonly #callbacks: PostgresCallbacks;
  readonly #events: PostgresEvents;
  readonly #claims: PostgresClaims;
  readonly #rateLimits: PostgresRateLimits;
  readonly #health: PostgresEndpointHealth;
  readonly #replays: PostgresReplays;
  readonly #parcels: PostgresParcels;
  readonly #stats: PostgresStats;
  readonly #latency: PostgresLatency;
  readonly #feed: PostgresFeed;

  constructor(url: string, options: PostgresStoreOptions = {}) {
    const { poolSize = 10, statementTimeoutMs = 30_000, schema, applicationName = 'gridhook' } = options;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
      throw new RangeError(`PostgreSQL schema "${schema}": use lower-case letters, digits and _ (not first), at most 63.`);
    }
    this.#schema = schema;
    const onError = options.onError ?? ((error) => process.emitWarning(error));
    this.#onError = (error) => {
      this.clock.resyncSoon();
      onError(error);
    };
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
    refreshPlans(this.#pool, PLAN_LIFETIME_MS);
    this.#listener = new WorkListener({
      connection: { ...connection, application_name: `${applicationName}-listen` },
      ownPayload: this.#origin,
      onWork: () => this.#signalWork(),
      onKeysChanged: () => this.#principals.clear(),
      onError: (error) => this.#onError(error),
    });
    this.#work.setMaxListeners(0);
    const db = new PostgresDatabase(this.#pool, () => this.#announceWork());
    this.#db = db;
    const signalWork = () => this.#signalWork();
    this.#directory = new PostgresDirectory({
      db,
      principals: this.#principals,
      hearsKeyChanges: () => {
        if (this.#closing === null) this.#listener.start();
        return this.#listener.backendPid !== null;
      },
    });
    this.#sessions = new PostgresSessions((text, values) => db.query(text, values));
    this.#callbacks = new PostgresCallbacks({ db, signalWork });
    this.#events = new PostgresEvents({
      db,
      callbackRow: (callbackId, on, lock) => this.#callbacks.row(callbackId, on, lock),
      signalWork,
      eventsCreated: (source, count) => this.#onEventsCreated(source, count),
    });
    this.#claims = new PostgresClaims({ db, signalWork });
    this.#rateLimits = new PostgresRateLimits({ db });
    this.#health = new PostgresEndpointHealth({
      db,
      signalWork,
      eventsCreated: (count) => this.#onEventsCreated('health', count),
    });
    this.#replays = new PostgresReplays({ db, signalWork });
    this.#parcels = new PostgresParcels({
      query: (text, values, tx) => db.query(text, values, tx ?? this.#pool),
      transaction: (fn) => db.transaction(fn),
      page: (table, where, values, order, page, map) => db.page(table, where, values, order, page, map),
      insertEvents: (inputs, now, tx, traceparent) => this.#events.insert(inputs, now, tx, traceparent),
      notifyWork: (tx) => db.notifyWork(tx),
      signalWork,
      eventsCreated: (count) => this.#onEventsCreated('parcel', count),
    });
    this.#stats = new PostgresStats({ query: (text, values) => db.query(text, values) });
    this.#latency = new PostgresLatency({ query: (text, values) => db.query(text, values) });
    this.#feed = new PostgresFeed({ query: (text, values) => db.query(text, values) });
    this.clock = new ServerClock({
      readServer: async () =>
        (await db.one<{ now: number }>('SELECT extract(epoch FROM clock_timestamp())::FLOAT8 * 1000 AS now'))!.now,
      localTime: options.localTime ?? Date.now,
      onSkew: options.onClockSkew ?? (() => undefined),
    });
    this.clock.start();
  }

  // --- plumbing ---

  /**
   * Tells the other processes that work was committed. After the commit, not
   * in it: a NOTIFY inside a transaction holds a cluster-wide lock from its
   * commit until that commit is flushed, which lined up every publishing
   * commit and its WAL flush behind one another. One announcement at a time,
   * at most one per ANNOUNCE_SPACING_MS: one waiting for its turn covers the
   * commits asked for meanwhile, and those asked for while one is being sent
   * become one more, so a burst of commits wakes each listening process a few times
   * rather than once per commit. A lost one (a failed query, a crash right
   * after the commit) only means the others find the work at their next poll.
   */
  #announceWork(): void {
    if (this.#announcing === 'waiting') return;
    if (this.#announcing === 'sending') {
      this.#announceAgain = true;
      return;
    }
    this.#announcing = 'waiting';
    this.#announceWhenSpaced();
  }

  /**
   * A timer counts whole milliseconds of the event loop's clock and can fire
   * up to one before its time by performance.now(), so the spacing is checked
   * again when it fires.
   */
  #announceWhenSpaced(): void {
    const wait = this.#lastAnnouncedAt + ANNOUNCE_SPACING_MS - performance.now();
    if (wait > 0) {
      setTimeout(() => this.#announceWhenSpaced(), Math.ceil(wait)).unref();
      return;
    }
    this.#announcing = 'sending';
    this.#lastAnnouncedAt = performance.now();
    const sent =
      this.#closing === null
        ? this.#db.query('SELECT pg_notify($1, $2)', [WORK_CHANNEL, this.#origin])
        : Promise.resolve();
    sent
      .catch(() => undefined)
      .finally(() => {
        this.#announcing = 'idle';
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

  // --- lifecycle ---

  async migrate(): Promise<void> {
    await this.#db.transaction(async (tx) => {
      // Every process starting at once gets here; the lock makes the others
      // wait and then find each migration already applied.
      await this.#db.query(
        "SELECT pg_advisory_xact_lock(hashtext('gridhook.migrate'), hashtext($1))",
        [this.#schema ?? ''],
        tx,
      );
      await this.#db.query('SET LOCAL statement_timeout = 0', [], tx);
      if (this.#schema !== undefined) {
        await this.#db.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(this.#schema)}`, [], tx);
      }
      await this.#db.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version    INTEGER PRIMARY KEY,
           name       TEXT    NOT NULL,
           applied_at BIGINT  NOT NULL
         )`,
        [],
        tx,
      );
      const applied = new Set(
        (await this.#db.query<{ version: number }>('SELECT version FROM schema_migrations', [], tx)).map((r) => r.version),
      );
      for (const migration of pendingMigrations(MIGRATIONS, applied)) {
        await this.#db.query(migration.sql, [], tx);
        await this.#db.query(
          'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
          [migration.version, migration.name, Date.now()],
          tx,
        );
      }
    });
  }

  async ping(): Promise<void> {
    await this.#db.query('SELECT 1');
  }

  async close(): Promise<void> {
    this.#closing ??= (async () => {
      this.clock.stop();
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

  suspendCallbackByGridhook(callbackId: number, reason: string, now: number): Promise<SuspendedCallback | null> {
    return this.#health.suspend(callbackId, reason, now);
  }

  callbacksFailingTooLong(now: number, defaultAfterMs: number, limit: number): Promise<(Callback & { afterMs: number })[]> {
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

  createReplayJob(input: NewReplayJob): Promise<ReplayJob> {
    return this.#replays.create(input);
  }

  getReplayJob(replayId: number): Promise<ReplayJob | null> {
    return this.#replays.get(replayId);
  }

  listRunningReplayJobs(limit: number): Promise<ReplayJob[]> {
    return this.#replays.listRunning(limit);
  }

  runReplayBatch(replayId: number, batchSize: number, now: number): Promise<ReplayJob | null> {
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

  feedPosition(): Promise<FeedPosition> {
    return this.#feed.position();
  }

  readFeed(query: FeedQuery): Promise<FeedPage> {
    return this.#feed.readFeed(query);
  }

  // --- statistics ---

  overviewCounts(
    filter: OverviewFilter,
    since: number,
    pendingSince: number,
    limit: number,
    finishedSince: number = since,
  ): Promise<OverviewCounts> {
    return this.#stats.overviewCounts(filter, since, pendingSince, limit, finishedSince);
  }

  callbackHealth(callbackIds: readonly number[], since: number): Promise<CallbackHealth[]> {
    return this.#stats.callbackHealth(callbackIds, since);
  }

  callbackLatency(query: LatencyQuery): Promise<CallbackLatency> {
    return this.#latency.callbackLatency(query);
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

  confirmParcel(parcelId: number, now: number, traceparent: string | null = null): Promise<Parcel> {
    return this.#parcels.confirm(parcelId, now, traceparent);
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
