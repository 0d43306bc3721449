/**
 * The Store contract: gridhook's persistence, as domain operations only. No
 * connection, transaction or SQL type leaks out of it; SQLite and PostgreSQL
 * each implement all of it, and one conformance suite (test/store-conformance)
 * runs against both.
 *
 * Rules every implementation keeps:
 * - Every method that changes state commits before its promise resolves
 *   (an accepted event is on disk before the API answers).
 * - A state change and the events it causes commit in ONE transaction.
 * - Methods throw GridhookError (DuplicateObject, ObjectNotFound, InvalidState)
 *   for domain conflicts; anything else is a bug or an outage.
 * - Lookups by id return null when missing; scoping is the services' job, the
 *   store's list filters only narrow.
 */
import type {
  Attempt,
  Callback,
  CallbackStatus,
  OnFailure,
  Ordering,
  OrderingKey,
  EcGridIdRecord,
  EventInput,
  EventRecord,
  EventStatus,
  EventType,
  Mailbox,
  Network,
  ObjectStatus,
  Page,
  PageRequest,
  Principal,
  Role,
  Scope,
  User,
} from '../domain/types.js';
import type { EdiStandard, Parcel, ParcelStatus } from '../domain/parcels.js';
import type { Clock } from '../domain/clock.js';

/** The IDs a request names; 0 is "none named". */
export interface ScopeIds {
  networkId: number;
  mailboxId: number;
  ecGridId: number;
}

/** What findScopeOwners found: null (or false) where the ID is missing or was 0. */
export interface ScopeOwners {
  network: boolean;
  mailbox: { networkId: number; mailboxId: number } | null;
  ecGrid: { networkId: number; mailboxId: number } | null;
}

/** Narrows a list to what a principal may see. Absent fields do not narrow. */
export interface ScopeFilter {
  networkId?: number;
  mailboxId?: number;
}

export interface NewCallback extends Scope {
  url: string;
  eventType: EventType;
  frequency: number;
  retries: number;
  /** Seconds before each retry (its length is `retries`); null or absent: frequency's backoff. */
  retrySchedule?: number[] | null;
  /** Most events sent per second; null or absent: unlimited. */
  maxPerSecond?: number | null;
  status: CallbackStatus;
  /** Absent: none, by callback, blocking. */
  ordering?: Ordering;
  orderingKey?: OrderingKey;
  onFailure?: OnFailure;
  /**
   * The new callback's sealed values. Sealing binds each to the callback's
   * id, which exists only once the store has chosen it: the store calls this
   * with that id, before the callback is visible to anyone.
   */
  seal(callbackId: number): SealedCallbackValues;
}

/** A callback's values the services seal (services/secrets-crypto.ts); the store keeps them opaque. */
export interface SealedCallbackValues {
  /** The sealed `whsec_` signing secret. */
  secret: string;
  /** Sealed HTTP Basic credentials; null: none. */
  basicAuth: string | null;
  /** Sealed custom headers; null: none. */
  customHeaders: string | null;
}

/** Every sealed value of one callback as stored, for sealing them again in a newer format. */
export interface StoredCallbackValues extends SealedCallbackValues {
  callbackId: number;
  previousSecret: string | null;
}

export type CallbackPatch = Partial<
  Pick<
    Callback,
    | 'url'
    | 'eventType'
    | 'networkId'
    | 'mailboxId'
    | 'ecGridId'
    | 'frequency'
    | 'retries'
    | 'retrySchedule'
    | 'maxPerSecond'
    | 'status'
    | 'ordering'
    | 'orderingKey'
    | 'onFailure'
  >
> & {
  /**
   * With status Active: what becomes of the Pending events a suspension by
   * gridhook kept. 'send' (the default) lets them go out; 'cancel' cancels them.
   */
  keptEvents?: 'send' | 'cancel';
  /** New sealed Basic credentials; null removes them. */
  basicAuth?: string | null;
  /** New sealed custom headers; null removes them. */
  customHeaders?: string | null;
};

export interface CallbackSecrets {
  secret: string;
  /** The secret before the last rotation, still accepted until previousSecretExpiresAt. */
  previousSecret: string | null;
  previousSecretExpiresAt: number | null;
}

export interface CallbackFilter extends ScopeFilter {
  eventType?: EventType;
  status?: CallbackStatus;
  ecGridId?: number;
}

export interface EventFilter extends ScopeFilter {
  callbackId?: number;
  status?: EventStatus;
  eventType?: EventType;
  parcelId?: number;
  /** Created at or after this time (epoch ms). */
  createdFrom?: number;
  /** Created before this time (epoch ms). */
  createdBefore?: number;
}

/** A span of creation times (epoch ms): from inclusive, before exclusive; either may be open. */
export interface CreatedRange {
  from?: number;
  before?: number;
}

/** Events finished in one minute with one outcome (Delivered or Failed). */
export interface FinishedCount {
  /** Start of the minute, ms since the epoch. */
  minute: number;
  status: 'Delivered' | 'Failed';
  count: number;
}

/** What the overview counts: a scope, optionally narrowed to one callback's events. */
export interface OverviewFilter extends ScopeFilter {
  callbackId?: number;
}

/** The raw counts behind the console's overview, within one scope. */
export interface OverviewCounts {
  /** Events finished since `since`, per minute and outcome. */
  finished: FinishedCount[];
  /** Pending events now (the queue's depth). */
  pending: number;
  /** Pending events created since `pendingSince`. */
  pendingRecent: number;
  /** When the oldest Pending event was created; null when none is. */
  oldestPendingAt: number | null;
  /** Callbacks with the most events Failed since `since`, most first (at most `limit`). */
  failing: { callbackId: number; failed: number }[];
}

/**
 * How many of a callback's latest events attempted in the health window are
 * read for its health: bounds the work however many events the callback has.
 * A console page of 25 callbacks then reads at most 5,000 events and their
 * attempts, which answers within 50 ms with a million events stored, and 200
 * attempts still put the 95th percentile on the ten slowest.
 */
export const HEALTH_SAMPLE_EVENTS = 200;

/**
 * How one callback's deliveries went since a point in time, read from the
 * attempts of its latest HEALTH_SAMPLE_EVENTS events attempted since then.
 */
export interface CallbackHealth {
  callbackId: number;
  /** Attempts started since then, and how many got a 2xx. */
  attempts: number;
  succeeded: number;
  /** The nearest-rank 95th percentile of those attempts' durations; null without attempts. */
  p95DurationMs: number | null;
  /** The HTTP status of the callback's latest attempt since then; null without one or when it got none. */
  lastHttpStatus: number | null;
  lastAttemptAt: number | null;
  /** Events Pending now, and Failed (at any time). */
  pending: number;
  failed: number;
}

/**
 * How many of a callback's latest events attempted in a latency window have
 * their attempts read: bounds the work however busy the callback is.
 */
export const LATENCY_SAMPLE_EVENTS = 20_000;

/**
 * How long before a latency window the events whose attempts it reads may
 * have been created: a retry started in the window belongs to an event
 * created up to this long before it. Attempts of older events are not counted.
 */
export const LATENCY_LOOKBACK_MS = 24 * 60 * 60 * 1000;

/** What a latency read covers: one callback's attempts started in [from, to), in buckets of bucketMs. */
export interface LatencyQuery {
  callbackId: number;
  from: number;
  to: number;
  bucketMs: number;
}

/** The durations of the attempts started in one bucket; buckets without attempts are left out. */
export interface LatencyBucket {
  /** Start of the bucket (epoch ms): from + k * bucketMs. */
  start: number;
  attempts: number;
  /** Nearest-rank percentiles of the attempts' durations (ms). */
  p50DurationMs: number;
  p95DurationMs: number;
}

export interface CallbackLatency {
  buckets: LatencyBucket[];
  /**
   * True when more than LATENCY_SAMPLE_EVENTS of the callback's events were
   * attempted in the window: only the attempts of the newest ones are counted.
   */
  sampled: boolean;
}

/** A callback gridhook suspended, and the CallBackSuspended events that tell its network. */
export interface SuspendedCallback {
  callback: Callback;
  /** Pending events kept for when it is activated again. */
  keptEvents: number;
  /** The CallBackSuspended events created (one per subscribed Active callback). */
  noticeEventIds: number[];
}

/** What a replay re-sends: one callback's events created in a span, in the given statuses. */
export interface NewReplayJob {
  callbackId: number;
  /** Created at or after this (epoch ms). */
  since: number;
  /** Created before this (epoch ms). */
  until: number;
  statuses: EventStatus[];
  /** Who asked (the principal's user). */
  userId: number;
  now: number;
}

export interface ReplayJob extends Omit<NewReplayJob, 'now'> {
  replayId: number;
  status: 'Running' | 'Completed';
  /** Events made Pending again so far. */
  replayed: number;
  /** Events looked at so far (each batch looks at a bounded number). */
  scanned: number;
  /** The highest event id looked at; the next batch starts after it. */
  lastEventId: number;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

/** Where the activity feed stands: the newest event and attempt IDs committed. */
export interface FeedPosition {
  eventId: number;
  attemptId: number;
}

/**
 * A read of the activity feed (events as they are created, attempts as they
 * are recorded), by ID, oldest first. On PostgreSQL an ID is taken before its
 * transaction commits, so a lower ID can become visible after a higher one:
 * the reader names the IDs it skipped over, and they are read again.
 */
export interface FeedQuery {
  eventsAfter: number;
  attemptsAfter: number;
  /** Most rows of each kind read past the cursor. */
  limit: number;
  /** Events and attempts below the cursor not seen yet. */
  missingEventIds: readonly number[];
  missingAttemptIds: readonly number[];
}

/** An attempt with its event as it stands when read. */
export interface FeedAttempt {
  attempt: Attempt;
  event: EventRecord;
}

export interface FeedPage {
  /** Past the cursor (ID order), then any of the missing ones that are now visible. */
  events: EventRecord[];
  attempts: FeedAttempt[];
}

export interface PublishResult {
  /** Events created (one per matching callback per input), in input order. */
  eventIds: number[];
  /** For each input, how many callbacks it matched. */
  matched: number[];
  /** True when the idempotency key had been used: nothing new was created. */
  replayed: boolean;
}

export interface PublishOptions {
  now: number;
  idempotencyKey?: string;
  /** The network the key is kept in: the one the events go into. */
  idempotencyNetworkId?: number;
  /** A hash of the request; the key answers again only a request with the same hash. */
  idempotencyRequestHash?: string;
  /**
   * A claim for this process's delivery engine, which a store may make in the
   * publishing write, so that fresh events go out without another round; or
   * leave to the engine's own claim.
   */
  claim?: ClaimOffer;
  /** The W3C traceparent of the publishing request, kept with each event for its delivery spans. */
  traceparent?: string | null;
}

/** A claim a delivery engine offers to have made for it. */
export interface ClaimOffer {
  request: ClaimRequest;
  /** Hands over what the claim leased, as soon as it is committed. */
  take(jobs: DeliveryJob[]): void;
}

/** One event claimed for delivery, with what the sender needs from its callback. */
export interface DeliveryJob {
  eventId: number;
  /** The event's webhook-id (EventRecord.webhookId). */
  webhookId: string;
  /** The W3C traceparent the event was published under, or null; the sender passes it on. */
  traceparent?: string | null;
  callbackId: number;
  eventType: EventType;
  networkId: number;
  mailboxId: number;
  ecGridId: number;
  parcelId: number;
  fileName: string;
  isTest: boolean;
  /** For a CallBackSuspended event, the callback it reports; null otherwise. */
  subjectCallbackId: number | null;
  createdAt: number;
  /** Attempts made before this one. */
  attempts: number;
  /** Attempts the event may get in all. */
  maxAttempts: number;
  url: string;
  frequency: number;
  /** The callback's retrySchedule, or null for frequency's backoff. */
  retrySchedule: number[] | null;
  secrets: CallbackSecrets;
  /** The callback's sealed Basic credentials, when it has some. */
  basicAuth?: string | null;
  /** The callback's sealed custom headers, when it has some. */
  customHeaders?: string | null;
  leaseOwner: string;
  leaseUntil: number;
}

/** What rateLimitedCallbacks answers, read at one moment. */
export interface RateLimitedCallbacks {
  callbackIds: number[];
  /** The highest callback id there was then (0: none): a callback above it is newer than this answer. */
  newestCallbackId: number;
}

/** What takeRateTokens answers. */
export interface RateGrant {
  granted: number;
  /** When the bucket has its next whole token, for the events that got none; null when all were granted. */
  nextTokenAt: number | null;
  /** The callback's maxPerSecond; null when it has none (all were granted). */
  perSecond: number | null;
}

export interface ClaimRequest {
  workerId: string;
  now: number;
  leaseMs: number;
  /** Most events to claim in this call. */
  limit: number;
  /** Most events of one callback leased at once, across all workers. */
  perCallbackLimit: number;
}

/** The outcome of one attempt, decided by the engine and written by the store. */
export interface AttemptResult {
  eventId: number;
  workerId: string;
  startedAt: number;
  durationMs: number;
  httpStatus: number | null;
  error: string | null;
  /**
   * Delivered: done. Retry: due again at nextAttemptAt. Failed: retries used
   * up. Deferred: due again at nextAttemptAt without using a retry (the
   * receiver asked to wait, or its callback is being suspended).
   */
  outcome: 'Delivered' | 'Retry' | 'Failed' | 'Deferred';
  nextAttemptAt: number | null;
  /**
   * Unique to this attempt. A store whose commit acknowledgement can be lost
   * (PostgreSQL: the connection drops after COMMIT was sent) writes a result
   * whose key the event already holds only once, so a batch written again
   * adds no second attempt row and counts no attempt twice.
   */
  attemptKey?: string;
  /** The receiver asked (429 + Retry-After) that nothing of this callback be sent before this time. */
  pauseCallbackUntil?: number | null;
  /** The answer's header block ("name: value" lines) and the start of its body, cleaned and cut short; null or absent without an answer. */
  responseHeaders?: string | null;
  responseBody?: string | null;
}

/**
 * What created events: the publish call, parcel routing and confirmation, a
 * callback test, or gridhook's own CallBackSuspended notices.
 */
export type EventSource = 'api' | 'parcel' | 'test' | 'health';

/** How much waits for delivery, for metrics; see Store.queueStats. */
export interface QueueStats {
  /** Pending events. */
  pending: number;
  /** createdAt of the oldest Pending event, or null when none is. */
  oldestPendingAt: number | null;
}

export interface NetworkSettings {
  /** Seconds a callback may fail without a success before gridhook suspends it; null: the process default. */
  autoSuspendAfterSeconds?: number | null;
}

export interface NewUser {
  loginName: string;
  passwordHash: string;
  role: Role;
  networkId: number;
  mailboxId: number;
}

export interface SessionTimes {
  createdAt: number;
  lastUsedAt: number;
}

/**
 * How stale a session's recorded last use may get before a lookup rewrites
 * it: a twentieth of the idle timeout, at most a minute. A client calling
 * many times a second then costs one write a minute instead of one a call,
 * and its session may end that much before the full idle time.
 */
export function sessionTouchIntervalMs(idleMs: number): number {
  return Math.min(60_000, Math.floor(idleMs / 20));
}

/** How a received parcel leaves the sender: what routing decided before the recipient's state is looked at. */
export interface ParcelRoute {
  parcelId: number;
  fileName: string;
  networkId: number;
  senderMailboxId: number;
  /** 0 when no sender ID could be decided. */
  senderEcGridId: number;
  /** 0 when no recipient was found. */
  recipientEcGridId: number;
  /** Why the parcel cannot be delivered whoever the recipient is (no envelope, unknown recipient …); null to try. */
  failure: string | null;
  standard: EdiStandard | null;
  controlNumber: string | null;
  now: number;
  /** The W3C traceparent of the upload, kept with the events routing fires for their delivery spans. */
  traceparent?: string | null;
}

export interface ParcelFilter {
  /** Inbox: parcels that reached a recipient's mailbox; outbox: parcels sent from one. */
  box: 'inbox' | 'outbox';
  networkId?: number;
  /** The recipient's (inbox) or sender's (outbox) mailbox. */
  mailboxId?: number;
  status?: ParcelStatus;
  /** createdAt ≥ this. */
  createdFrom?: number;
  /** createdAt < this. */
  createdBefore?: number;
}

export interface NewEcGridId {
  mailboxId: number;
  qualifier: string;
  id: string;
  description: string;
}

export interface Store {
  /**
   * The time leases and due times are reckoned in, and so the clock the
   * engine, the services and the jobs read: on PostgreSQL the database
   * server's (workers on several machines share its rows), on SQLite this
   * machine's (one machine is all there is).
   */
  readonly clock: Clock;
  /** Creates or upgrades the schema to the newest migration; safe to run repeatedly. */
  migrate(): Promise<void>;
  /** Throws if the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // --- directory ---
  createNetwork(name: string, settings?: NetworkSettings): Promise<Network>;
  /** Changes the network's settings; null when it does not exist. */
  updateNetwork(networkId: number, settings: NetworkSettings): Promise<Network | null>;
  getNetwork(networkId: number): Promise<Network | null>;
  listNetworks(page: PageRequest): Promise<Page<Network>>;

  createMailbox(networkId: number, name: string): Promise<Mailbox>;
  getMailbox(mailboxId: number): Promise<Mailbox | null>;
  listMailboxes(filter: ScopeFilter, page: PageRequest): Promise<Page<Mailbox>>;

  /** Throws DuplicateObject when the qualifier + id is already used in the network. */
  createEcGridId(input: NewEcGridId): Promise<EcGridIdRecord>;
  getEcGridId(ecGridId: number): Promise<EcGridIdRecord | null>;
  /**
   * Where the network, mailbox and ECGrid ID a request names belong, read
   * together; an ID of 0 is not looked up. On PostgreSQL one round trip at
   * most (a publish made three), none once the IDs were found before: no
   * row of these tables is deleted or changes its owner.
   */
  findScopeOwners(ids: ScopeIds): Promise<ScopeOwners>;
  findEcGridId(networkId: number | null, qualifier: string, id: string): Promise<EcGridIdRecord[]>;
  listEcGridIds(filter: ScopeFilter & { status?: ObjectStatus }, page: PageRequest): Promise<Page<EcGridIdRecord>>;
  updateEcGridId(
    ecGridId: number,
    patch: { status?: ObjectStatus; description?: string },
  ): Promise<EcGridIdRecord | null>;

  /** Throws DuplicateObject when the login name is taken. */
  createUser(input: NewUser): Promise<User>;
  getUser(userId: number): Promise<User | null>;
  getUserByLogin(loginName: string): Promise<{ user: User; passwordHash: string } | null>;
  listUsers(filter: ScopeFilter, page: PageRequest): Promise<Page<User>>;
  updateUserStatus(userId: number, status: ObjectStatus): Promise<User | null>;
  /** Gives the user this key (stored as its hash), revoking any key it had. */
  setApiKey(userId: number, keyHash: string, keyPrefix: string): Promise<{ apiKeyId: number }>;
  /** The principal of an active key of an active user, or null. */
  findPrincipalByKeyHash(keyHash: string): Promise<Principal | null>;
  /**
   * Creates the Root user named `loginName` if missing and makes `keyHash` its
   * key; with keepActiveKey, only when it has no unrevoked key yet (processes
   * starting together on one database then agree on the first one's key).
   */
  ensureRootUser(loginName: string, keyHash: string, keyPrefix: string, options?: { keepActiveKey?: boolean }): Promise<User>;

  // --- sessions (SOAP Login) ---
  /**
   * Opens a session for the user, stored only by the hash of its ID. In the
   * same transaction it deletes every session idle for `idleMs` or longer:
   * logins keep the table tidy, so no process needs a timer for it.
   */
  createSession(userId: number, tokenHash: string, now: number, idleMs: number): Promise<void>;
  /**
   * The principal (apiKeyId 0) of a session last used less than `idleMs`
   * before `now`, whose user is Active; otherwise null. A lookup is a use
   * (sliding expiry), written when the last one written is older than
   * sessionTouchIntervalMs(idleMs).
   */
  findPrincipalBySession(tokenHash: string, now: number, idleMs: number): Promise<Principal | null>;
  /** Ends the session; answers when it began and was last used, or null when there was none. */
  deleteSession(tokenHash: string): Promise<SessionTimes | null>;

  // --- callbacks ---
  createCallback(input: NewCallback, now: number): Promise<Callback>;
  /** Deleted callbacks are not returned. */
  getCallback(callbackId: number): Promise<Callback | null>;
  listCallbacks(filter: CallbackFilter, page: PageRequest): Promise<Page<Callback>>;
  /** Suspending cancels the callback's pending events in the same transaction. */
  updateCallback(callbackId: number, patch: CallbackPatch, now: number): Promise<Callback | null>;
  /**
   * Suspends an Active callback on gridhook's own account, keeping its Pending
   * events, and in the same transaction creates a CallBackSuspended event
   * (subjectCallbackId: it) for every Active callback subscribed to that
   * event whose scope matches its own. Null when it is not Active (or gone).
   */
  suspendCallbackByGridhook(callbackId: number, reason: string, now: number): Promise<SuspendedCallback | null>;
  /**
   * Active callbacks failing since at least their network's auto-suspend
   * period (or `defaultAfterMs` where the network sets none) before `now`,
   * oldest failure first, at most `limit`.
   */
  callbacksFailingTooLong(now: number, defaultAfterMs: number, limit: number): Promise<(Callback & { afterMs: number })[]>;
  /** Deletes the callback and cancels its pending events; false when it did not exist. */
  deleteCallback(callbackId: number, now: number): Promise<boolean>;
  countCallbacks(filter: ScopeFilter): Promise<number>;
  getCallbackSecrets(callbackId: number): Promise<CallbackSecrets | null>;
  /** The sealed values of callbacks (deleted ones too) with ids above `afterId`, in id order. */
  listCallbackSealedValues(afterId: number, limit: number): Promise<StoredCallbackValues[]>;
  /** Replaces a callback's sealed values if they are still `expected`; false when they changed meanwhile. */
  replaceCallbackSealedValues(expected: StoredCallbackValues, next: StoredCallbackValues): Promise<boolean>;
  /** New secret; the old one stays valid until `previousExpiresAt`. */
  rotateCallbackSecret(callbackId: number, secret: string, previousExpiresAt: number): Promise<CallbackSecrets | null>;

  // --- events ---
  /**
   * Fans each input out to every Active callback of its event type whose scope
   * matches (CONTRACT §1), in one transaction. With an idempotency key already
   * used in the same network, creates nothing and answers as the first call did.
   */
  publishEvents(inputs: EventInput[], options: PublishOptions): Promise<PublishResult>;
  /**
   * Creates a test event for the callback, already leased to `workerId` so the
   * caller can deliver it at once while no worker touches it. When the
   * callback already has perCallbackLimit events leased (across all workers)
   * it throws RateLimitExceeded instead: a test is a delivery like any other.
   */
  createTestEvent(callbackId: number, options: TestEventOptions): Promise<DeliveryJob | null>;
  /** Leases due Pending events whose lease is free or expired, oldest due first. */
  claimDueEvents(request: ClaimRequest): Promise<DeliveryJob[]>;
  /**
   * Writes attempts and their outcomes in one transaction. An event no longer
   * Pending (canceled meanwhile) keeps its status; the attempt is still logged.
   */
  recordAttempts(results: AttemptResult[]): Promise<void>;
  /**
   * recordAttempts, then claimDueEvents: the delivery engine's step as results
   * come in, which a store may make one transaction (the slots the results
   * free are refilled in the same write).
   */
  recordAndClaim(results: AttemptResult[], claim: ClaimRequest): Promise<DeliveryJob[]>;
  /** Gives back leases of this worker (all, or just these events) so others may deliver them now. */
  releaseLeases(workerId: string, eventIds?: number[]): Promise<number>;
  /**
   * The soonest time a Pending event not leased becomes due, or null. A lease's expiry is not
   * awaited: an idle engine polls every GRIDHOOK_POLL_INTERVAL_MS and finds expired leases then,
   * and reading the earliest expiry cost a scan of every lease slot on PostgreSQL (16 per callback)
   * after every claim that came back short.
   */
  nextDueAt(): Promise<number | null>;
  /** The callbacks with a maxPerSecond, not deleted: the engine asks tokens only for their events. */
  rateLimitedCallbacks(): Promise<RateLimitedCallbacks>;
  /**
   * Takes up to `wanted` tokens from the callback's bucket, shared by every
   * worker, in one atomic step. A callback without a limit grants all.
   */
  takeRateTokens(callbackId: number, wanted: number, now: number): Promise<RateGrant>;
  /**
   * Gives back this worker's leases of these events without an attempt and
   * makes each due at its `dueAts` entry (never sooner than it was): the
   * events that got no token wait for theirs.
   */
  deferLeases(workerId: string, eventIds: number[], dueAts: number[]): Promise<number>;
  /**
   * The queue's depth and oldest event, read through the Pending-only index
   * (its cost grows with the backlog, not with the history of delivered
   * events); callers cache it for a few seconds.
   */
  queueStats(): Promise<QueueStats>;
  getEvent(eventId: number): Promise<EventRecord | null>;
  listAttempts(eventId: number): Promise<Attempt[]>;
  /** Newest first. */
  listEvents(filter: EventFilter, page: PageRequest): Promise<Page<EventRecord>>;
  /**
   * Makes a Failed (or Canceled) event Pending and due now, with a fresh set of
   * retries. Throws InvalidState if it is Pending or Delivered.
   */
  retryEvent(eventId: number, now: number): Promise<EventRecord>;
  /**
   * Cancels a Pending or Failed event so that its FIFO key moves on to the
   * next event. Throws NotFound for an unknown id, InvalidState for a
   * Delivered or Canceled event.
   */
  skipEvent(eventId: number, now: number): Promise<EventRecord>;
  /** retryEvent for every Failed event of the callback; answers how many. */
  retryFailedEvents(callbackId: number, now: number, created?: CreatedRange): Promise<number>;
  /**
   * Deletes up to `limit` finished events (Delivered, Failed, Canceled; test
   * events too) that ended before `before`, with their attempts, oldest first;
   * answers how many.
   */
  purgeFinishedEvents(before: number, limit: number): Promise<number>;
  /** Starts a replay; its batches run with runReplayBatch. */
  createReplayJob(input: NewReplayJob): Promise<ReplayJob>;
  getReplayJob(replayId: number): Promise<ReplayJob | null>;
  /** Replays still Running, oldest first (to resume after a restart). */
  listRunningReplayJobs(limit: number): Promise<ReplayJob[]>;
  /**
   * One batch of a Running replay, in one transaction: looks at the next
   * `batchSize` events of its callback after lastEventId, makes those that
   * match Pending and due now with a fresh set of retries (same eventId and
   * webhook-id), and records the progress; Completed when nothing is left.
   * Concurrent calls for one job take turns. Null when the job does not exist.
   */
  runReplayBatch(replayId: number, batchSize: number, now: number): Promise<ReplayJob | null>;
  /** Deletes up to `limit` idempotency keys made before `before` (oldest first); answers how many. */
  purgeIdempotencyKeys(before: number, limit: number): Promise<number>;

  // --- the activity feed (the live REST stream) ---
  /** The newest event and attempt IDs, where a new reader of the feed starts. */
  feedPosition(): Promise<FeedPosition>;
  /** Events and attempts past the query's cursor, and the missing ones it names that now exist. */
  readFeed(query: FeedQuery): Promise<FeedPage>;

  // --- statistics (the console) ---
  /**
   * Counts of events in scope, for the overview: the failing callbacks since
   * `since`, the pending ones created since `pendingSince`, and the finished
   * ones per minute since `finishedSince` (default `since`; the overview's
   * cache asks only for the minutes it does not hold).
   */
  overviewCounts(
    filter: OverviewFilter,
    since: number,
    pendingSince: number,
    limit: number,
    finishedSince?: number,
  ): Promise<OverviewCounts>;
  /** Health of each named callback (in the order given; callers check scope first). */
  callbackHealth(callbackIds: readonly number[], since: number): Promise<CallbackHealth[]>;
  /** One callback's attempt durations over time (callers check scope first). */
  callbackLatency(query: LatencyQuery): Promise<CallbackLatency>;

  // --- parcels ---
  /**
   * Opens a parcel to receive its content in chunks. Until finishParcel it
   * is invisible to every read, and discardParcel removes it with its chunks.
   */
  beginParcel(now: number): Promise<number>;
  /** Stores chunk `seq` (0, 1, …) of a parcel still being received; throws InvalidState after it was finished. */
  appendParcelChunk(parcelId: number, seq: number, data: Uint8Array): Promise<void>;
  /**
   * Delivers (or fails) a received parcel and creates the events that causes,
   * in one transaction: the recipient's and sender's state is checked under
   * lock (domain/parcels.ts deliveryOutcome). Throws InvalidState if the
   * parcel was already finished or discarded.
   */
  finishParcel(route: ParcelRoute): Promise<Parcel>;
  /** Removes a parcel still being received; a finished one is left alone. */
  discardParcel(parcelId: number): Promise<void>;
  /** Removes parcels whose receiving began before `before` and never finished; answers how many. */
  discardAbandonedParcels(before: number): Promise<number>;
  /** A finished parcel, or null. */
  getParcel(parcelId: number): Promise<Parcel | null>;
  /** Finished parcels in parcelId (arrival) order. */
  listParcels(filter: ParcelFilter, page: PageRequest): Promise<Page<Parcel>>;
  /** The content of a finished parcel, chunk by chunk, each read when asked for. */
  readParcelChunks(parcelId: number): AsyncIterable<Uint8Array>;
  /**
   * InBoxReady → InBoxTransferred, with the sender's ConfirmDelivery events,
   * in one transaction, keeping `traceparent` (the confirm's) with the events.
   * Throws ObjectNotFound or InvalidState (any other status).
   */
  confirmParcel(parcelId: number, now: number, traceparent?: string | null): Promise<Parcel>;
  /** InBoxTransferred → InBoxReady. Throws ObjectNotFound or InvalidState (any other status). */
  resetParcel(parcelId: number, now: number): Promise<Parcel>;
  /**
   * ECGrid IDs of the network whose id equals `id` ignoring ASCII case, any
   * qualifier: the candidates routing chooses among (services/routing.ts).
   */
  findRoutingCandidates(networkId: number, id: string): Promise<EcGridIdRecord[]>;

  /**
   * Calls `listener` soon after new due work is committed by any process the
   * store can hear from (this one at least). Answers an unsubscribe function.
   */
  onNewWork(listener: () => void): () => void;
}

/** Whether a stored idempotency key was first used with another request; keys from before hashes replay. */
export function isOtherRequest(storedHash: string | null, requestHash: string | undefined): boolean {
  return storedHash !== null && requestHash !== undefined && storedHash !== requestHash;
}

export interface TestEventOptions {
  workerId: string;
  now: number;
  leaseMs: number;
  /** Attempts of one callback in flight at once, across all workers. */
  perCallbackLimit: number;
  /** The W3C traceparent of the test call, kept with the event for its delivery span. */
  traceparent?: string | null;
}
