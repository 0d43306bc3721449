/**
 * gridhook's vocabulary. The code speaks these words only; the guide's and the
 * WSDL's names appear in the adapters (src/http/rest, src/http/soap).
 *
 * - network   — a tenant (one EDI network / VAN customer).
 * - mailbox   — an inbox/outbox inside a network.
 * - ECGrid ID — a trading-partner address (qualifier + value) owned by a mailbox.
 * - parcel    — one file moved between mailboxes.
 * - callback  — a registration: URL, event type, scope, retry policy, secret, status.
 *               (guide: callBackQueueId; WSDL: CallBackEventID)
 * - event     — one notification owed to one callback; retried until delivered,
 *               failed or canceled. (guide: eventId; WSDL: CallBackQueueID)
 * - attempt   — one HTTP POST of an event, with its outcome. (WSDL: CallBackLog)
 * - scope     — network / mailbox / ECGrid ID, where 0 means "all".
 * - principal — who is calling: a user or API key with its own scope and role.
 * - lease     — a worker's time-limited claim on an event it is delivering.
 *
 * Times are epoch milliseconds (numbers) inside the code; adapters format them.
 */

/** The guide's five parcel events: what publishing and parcel traffic create. */
export const EVENT_TYPES = ['InBox', 'OutBox', 'InBoxError', 'OutBoxError', 'ConfirmDelivery'] as const;
/**
 * Events gridhook raises about itself (extensions to the guide): only
 * gridhook creates them, but callbacks subscribe to them like to the others.
 */
export const GRIDHOOK_EVENT_TYPES = ['CallBackSuspended'] as const;
/** What a callback may subscribe to. */
export const SUBSCRIBABLE_EVENT_TYPES = [...EVENT_TYPES, ...GRIDHOOK_EVENT_TYPES] as const;
export type ParcelEventType = (typeof EVENT_TYPES)[number];
export type EventType = (typeof SUBSCRIBABLE_EVENT_TYPES)[number];

export const CALLBACK_STATUSES = ['Active', 'Suspended'] as const;
/** none: events go out as they come; fifo: one at a time per ordering key, in publish order. */
export const ORDERINGS = ['none', 'fifo'] as const;
export type Ordering = (typeof ORDERINGS)[number];
/** What a FIFO callback's events are ordered by: the callback as a whole, or each sender/recipient ECGrid ID pair. */
export const ORDERING_KEYS = ['callback', 'partner'] as const;
export type OrderingKey = (typeof ORDERING_KEYS)[number];
/** What an event Failed for good does to its FIFO key: block it until retried or skipped, or let the key move on. */
export const ON_FAILURES = ['block', 'skip'] as const;
export type OnFailure = (typeof ON_FAILURES)[number];
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

/**
 * How a callback's endpoint is doing (domain/endpoint-health.ts):
 * healthy, failing since a time without a single success, or suspended by
 * gridhook (after failing too long, or a 410 Gone).
 */
export const ENDPOINT_HEALTH = ['healthy', 'failing', 'suspended-by-gridhook'] as const;
export type EndpointHealth = (typeof ENDPOINT_HEALTH)[number];

export const EVENT_STATUSES = ['Pending', 'Delivered', 'Failed', 'Canceled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** ECGridOS AuthLevel names. */
export const ROLES = ['Root', 'NetworkAdmin', 'NetworkUser', 'MailboxAdmin', 'MailboxUser'] as const;
export type Role = (typeof ROLES)[number];

export const OBJECT_STATUSES = ['Active', 'Suspended', 'Terminated'] as const;
export type ObjectStatus = (typeof OBJECT_STATUSES)[number];

export interface Scope {
  networkId: number;
  /** 0 = every mailbox of the network. */
  mailboxId: number;
  /** 0 = every ECGrid ID. */
  ecGridId: number;
}

export interface Network {
  networkId: number;
  name: string;
  status: ObjectStatus;
  /** Seconds a callback may fail without a success before gridhook suspends it; null: the process default. */
  autoSuspendAfterSeconds: number | null;
  createdAt: number;
}

export interface Mailbox {
  mailboxId: number;
  networkId: number;
  name: string;
  status: ObjectStatus;
  createdAt: number;
}

export interface EcGridIdRecord {
  ecGridId: number;
  networkId: number;
  mailboxId: number;
  qualifier: string;
  id: string;
  description: string;
  status: ObjectStatus;
  createdAt: number;
}

export interface User {
  userId: number;
  loginName: string;
  role: Role;
  networkId: number;
  /** 0 for Root and network roles. */
  mailboxId: number;
  status: ObjectStatus;
  createdAt: number;
}

/** Who is calling. Root has networkId 1 as its own network (CONTRACT §4). */
export interface Principal {
  userId: number;
  loginName: string;
  role: Role;
  networkId: number;
  mailboxId: number;
  /** The API key that authenticated the call, or 0 for a SOAP session login. */
  apiKeyId: number;
}

export interface Callback extends Scope {
  callbackId: number;
  url: string;
  eventType: EventType;
  /** Minimum seconds between attempts of one event; grows per retry. */
  frequency: number;
  /** Failed attempts after the first before an event is Failed. */
  retries: number;
  /** Seconds before each retry, replacing frequency's backoff; its length is `retries`. Null: the backoff. */
  retrySchedule: number[] | null;
  /** Most events sent per second, across all workers (a token bucket in the store); null: unlimited. */
  maxPerSecond: number | null;
  status: CallbackStatus;
  /** Since when every attempt failed (none succeeded since); null while healthy. */
  failingSince: number | null;
  /** When gridhook suspended it (failing too long, or 410 Gone); null when it did not. */
  suspendedByGridhookAt: number | null;
  /** Why gridhook suspended it; null when it did not. */
  suspendReason: string | null;
  /** Until when the receiver asked (429 + Retry-After) that nothing be sent; null when it did not. */
  pausedUntil: number | null;
  ordering: Ordering;
  orderingKey: OrderingKey;
  onFailure: OnFailure;
  /** Whether attempts carry HTTP Basic credentials (the credentials themselves are never answered). */
  hasBasicAuth: boolean;
  /** Whether attempts carry custom headers (their values are never answered). */
  hasCustomHeaders: boolean;
  createdAt: number;
  updatedAt: number;
}

/** What a new event carries: where it happened and about which parcel. */
export interface EventInput extends Scope {
  eventType: EventType;
  parcelId: number;
  fileName: string;
  /** The parcel's sender and recipient ECGrid IDs, a FIFO callback's partner key; 0 when absent. */
  senderEcGridId?: number;
  recipientEcGridId?: number;
}

/**
 * The FIFO key an event of a callback carries: null without ordering, one key
 * for the callback, or the sender/recipient pair.
 */
export function fifoKeyOf(
  callback: { ordering: string; ordering_key: string },
  input: Pick<EventInput, 'senderEcGridId' | 'recipientEcGridId'>,
): string | null {
  if (callback.ordering !== 'fifo') return null;
  return callback.ordering_key === 'partner' ? partnerKeyOf(input) : '';
}

/**
 * A test event's FIFO key on a FIFO callback: a key of their own, so a test
 * (leased to its caller at once) neither waits behind nor holds up real events,
 * and a retried one is still claimed.
 */
export function testEventKey(callback: { ordering: string }): string | null {
  return callback.ordering === 'fifo' ? 'test' : null;
}

/** An event's sender/recipient ECGrid ID pair as a FIFO key, `sender:recipient`. */
export function partnerKeyOf(input: Pick<EventInput, 'senderEcGridId' | 'recipientEcGridId'>): string {
  return `${input.senderEcGridId ?? 0}:${input.recipientEcGridId ?? 0}`;
}

export interface EventRecord extends Scope {
  eventId: number;
  /**
   * Unique for ever, across databases and restores (`evt_` + 128 random
   * bits); sent as `webhook-id`. eventId repeats after a restore or failover.
   */
  webhookId: string;
  callbackId: number;
  eventType: EventType;
  parcelId: number;
  fileName: string;
  isTest: boolean;
  /** For a CallBackSuspended event, the callback it reports; null for every other event. */
  subjectCallbackId: number | null;
  status: EventStatus;
  /** Attempts made so far. */
  attempts: number;
  /** Attempts still allowed (first + retries − made), 0 once final. */
  callsRemaining: number;
  /** When the next attempt is due; null once final. */
  nextAttemptAt: number | null;
  lastAttemptAt: number | null;
  lastHttpStatus: number | null;
  lastError: string | null;
  createdAt: number;
}

export interface Attempt {
  attemptId: number;
  eventId: number;
  startedAt: number;
  durationMs: number;
  /** HTTP status of the answer, or null when no answer came. */
  httpStatus: number | null;
  /** Why the attempt failed, or null on success. */
  error: string | null;
  /** The answer's header block ("name: value" lines), or null when no answer came (or it was not kept). */
  responseHeaders: string | null;
  /** The first part of the answer's body, or null when no answer came (or it was not kept). */
  responseBody: string | null;
}

export interface Page<T> {
  /**
   * How many records match, counted no further than the page's end and
   * COUNT_AHEAD more (src/domain/paging.ts): a list costs what a page costs,
   * however big the table. When the bound was reached this is a lower bound
   * and totalRecordsExact is false. After a cursor it counts from the cursor,
   * one record past the page at most.
   */
  totalRecords: number;
  totalRecordsExact: boolean;
  pageNo: number;
  recordsPerPage: number;
  items: T[];
}

/** Where a newest-first list left off: the last item's creation time and id. */
export interface ListPosition {
  createdAt: number;
  id: number;
}

export interface PageRequest {
  pageNo: number;
  recordsPerPage: number;
  /** Keyset paging: only items after this position (newest first), and pageNo is not used to skip. */
  after?: ListPosition;
  /** Count every match, however many: for small sets whose exact size matters (a callback's kept events). */
  exactTotal?: boolean;
}
