import { createHash } from 'node:crypto';
import { invalidParameter, notFound } from '../errors.js';
import { decodeCursor, encodeCursor } from '../domain/list-cursor.js';
import { pageOffset } from '../domain/paging.js';
import {
  EVENT_STATUSES,
  EVENT_TYPES,
  SUBSCRIBABLE_EVENT_TYPES,
  type Attempt,
  type Callback,
  type EventInput,
  type EventRecord,
  type EventStatus,
  type EventType,
  type Page,
  type PageRequest,
  type Principal,
  type Scope,
} from '../domain/types.js';
import type { PublishResult } from '../store/store.js';
import type { ServiceDeps } from './deps.js';
import { timeRange } from './time-range.js';
import type { CallbackService } from './callbacks.js';
import {
  PUBLISHER_ROLES,
  canSee,
  requireRole,
  resolveScope,
  resolveScopeFilter,
  scopeFilter,
} from './scope.js';
import { MAX_ID, objectId, oneOf, optionalIntegerIn, optionalOneOf, page, text } from './validate.js';

export const MAX_EVENTS_PER_PUBLISH = 1_000;
export const MAX_FILE_NAME_LENGTH = 255;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

export interface PublishEventInput {
  eventType: string;
  /** 0 or absent: the publisher's own network. */
  networkId?: number | undefined;
  /** The mailbox the event happened in (required). */
  mailboxId: number;
  /** 0 or absent when no ECGrid ID is involved. */
  ecGridId?: number | undefined;
  parcelId?: number | undefined;
  fileName?: string | undefined;
}

export interface PublishRequest {
  events: PublishEventInput[];
  /** Publishing again with the same key (in the same network) creates nothing and answers as before. */
  idempotencyKey?: string | undefined;
}

export interface EventQuery {
  callbackId?: number | undefined;
  status?: string | undefined;
  eventType?: string | undefined;
  parcelId?: number | undefined;
  /** Created at or after (ISO 8601). */
  beginDate?: string | undefined;
  /** Created before (ISO 8601). */
  endDate?: string | undefined;
  /** Only events that happened in this network (0: the caller's own) and, unless 0, this mailbox. */
  networkId?: number | undefined;
  mailboxId?: number | undefined;
  pageNo?: number | undefined;
  recordsPerPage?: number | undefined;
  /** Where the previous page ended (its nextCursor); instead of pageNo. */
  cursor?: string | undefined;
}

/** A page of events and, when more follow, the cursor of the next one. */
export type EventPage = Page<EventRecord> & { nextCursor: string | null };

export interface EventDetail {
  event: EventRecord;
  /** Oldest first. */
  attempts: Attempt[];
  /** Whether its callback sends credentials (null: the callback was deleted). */
  callback: Pick<Callback, 'hasBasicAuth' | 'hasCustomHeaders'> | null;
}

export class EventService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly callbacks: CallbackService,
  ) {}

  /**
   * Fans events from an outside system out to every matching callback. Every
   * input is checked (fields and scope) before anything is written, so a bad
   * one leaves nothing half-published.
   */
  async publish(principal: Principal, request: PublishRequest): Promise<PublishResult> {
    requireRole(principal, PUBLISHER_ROLES, 'publish events');
    const { store, clock, logger } = this.deps;
    const events: unknown = request.events;
    if (!Array.isArray(events) || events.length < 1 || events.length > MAX_EVENTS_PER_PUBLISH) {
      throw invalidParameter('events', `must be a list of 1 to ${MAX_EVENTS_PER_PUBLISH} events`);
    }
    const idempotencyKey =
      request.idempotencyKey === undefined
        ? undefined
        : text('idempotencyKey', request.idempotencyKey, 1, MAX_IDEMPOTENCY_KEY_LENGTH);

    // A batch usually repeats a few scopes; each is looked up once.
    const resolved = new Map<string, Promise<Scope>>();
    const inputs: EventInput[] = [];
    for (const [index, raw] of (events as PublishEventInput[]).entries()) {
      const field = `events[${index}].`;
      if (typeof raw !== 'object' || raw === null) throw invalidParameter(`events[${index}]`, 'must be an object');
      const eventType = oneOf<EventType>(`${field}callBackEvent`, raw.eventType, EVENT_TYPES);
      if (typeof raw.mailboxId !== 'number' || !Number.isInteger(raw.mailboxId) || raw.mailboxId < 1 || raw.mailboxId > MAX_ID) {
        throw invalidParameter(`${field}mailboxId`, 'must be the ID (1 or more) of the mailbox the event happened in');
      }
      const parcelId = optionalIntegerIn(`${field}parcelId`, raw.parcelId, 0, MAX_ID, 0);
      const fileName = raw.fileName === undefined ? '' : text(`${field}fileName`, raw.fileName, 0, MAX_FILE_NAME_LENGTH);
      const key = `${raw.networkId ?? 0}/${raw.mailboxId}/${raw.ecGridId ?? 0}`;
      let scope = resolved.get(key);
      if (!scope) {
        scope = resolveScope(store, principal, raw, field);
        resolved.set(key, scope);
      }
      inputs.push({ ...(await scope), eventType, parcelId, fileName });
    }

    const claim = this.deps.engine.offerClaim();
    let result: PublishResult;
    try {
      const write = (traceparent: string | null): Promise<PublishResult> =>
        store.publishEvents(inputs, {
          now: clock.now(),
          ...(idempotencyKey !== undefined && {
            idempotencyKey,
            idempotencyNetworkId: keyNetworkOf(inputs),
            idempotencyRequestHash: requestHashOf(inputs),
          }),
          ...(claim !== null && { claim }),
          ...(traceparent !== null && { traceparent }),
        });
      const { tracing } = this.deps;
      result = tracing ? await tracing.publish('gridhook publish', write) : await write(null);
    } finally {
      claim?.cancel();
    }
    logger.info(
      { inputs: inputs.length, events: result.eventIds.length, replayed: result.replayed, userId: principal.userId },
      'events published',
    );
    return result;
  }

  async get(principal: Principal, eventId: number): Promise<EventDetail> {
    const event = await this.visibleEvent(principal, eventId);
    const [attempts, callback] = await Promise.all([
      this.deps.store.listAttempts(event.eventId),
      this.deps.store.getCallback(event.callbackId),
    ]);
    return { event, attempts, callback };
  }

  /** Events in scope, newest first, optionally of one callback and in one status. */
  async list(principal: Principal, query: EventQuery = {}): Promise<EventPage> {
    const status = optionalOneOf<EventStatus>('status', query.status, EVENT_STATUSES);
    const eventType = optionalOneOf<EventType>('callBackEvent', query.eventType, SUBSCRIBABLE_EVENT_TYPES);
    const created = timeRange(query.beginDate, query.endDate);
    const paging: PageRequest = page(query);
    if (query.cursor !== undefined) {
      if (query.pageNo !== undefined && query.pageNo !== 1) {
        throw invalidParameter('pageNo', 'send pageNo or cursor, not both: the cursor already says where the page starts');
      }
      paging.after = decodeCursor('cursor', query.cursor);
    }
    let callbackId: number | undefined;
    if (query.callbackId !== undefined && query.callbackId !== 0) {
      callbackId = (await this.callbacks.get(principal, query.callbackId)).callbackId;
    }
    const scope =
      query.networkId === undefined && !query.mailboxId
        ? scopeFilter(principal)
        : await resolveScopeFilter(this.deps.store, principal, { networkId: query.networkId, mailboxId: query.mailboxId });
    const listed = await this.deps.store.listEvents(
      {
        ...scope,
        ...(callbackId !== undefined && { callbackId }),
        ...(status && { status }),
        ...(eventType && { eventType }),
        ...(query.parcelId !== undefined && { parcelId: objectId('parcelId', query.parcelId) }),
        ...(created.from !== undefined && { createdFrom: created.from }),
        ...(created.before !== undefined && { createdBefore: created.before }),
      },
      paging,
    );
    const last = listed.items.at(-1);
    const more = listed.totalRecords > pageOffset(paging) + listed.items.length;
    return { ...listed, nextCursor: last && more ? encodeCursor({ createdAt: last.createdAt, id: last.eventId }) : null };
  }

  /**
   * What a live stream of this principal may carry: items of events it could
   * list (the same scope as `list`), of one callback when one is named.
   */
  async streamFilter(principal: Principal, callbackId?: number): Promise<(event: EventRecord) => boolean> {
    const only = callbackId === undefined || callbackId === 0 ? undefined : (await this.callbacks.get(principal, callbackId)).callbackId;
    return (event) => canSee(principal, event) && (only === undefined || event.callbackId === only);
  }

  /** Makes a Failed or Canceled event Pending again, due now, with a fresh set of retries. */
  async retry(principal: Principal, eventId: number): Promise<EventRecord> {
    const event = await this.visibleEvent(principal, eventId);
    return this.deps.store.retryEvent(event.eventId, this.deps.clock.now());
  }

  /** Cancels a Pending or Failed event so that its FIFO key moves on to the next. */
  async skip(principal: Principal, eventId: number): Promise<EventRecord> {
    const event = await this.visibleEvent(principal, eventId);
    return this.deps.store.skipEvent(event.eventId, this.deps.clock.now());
  }

  /** Retries every Failed event of a callback; answers how many. */
  /** Every Failed event of the callback, or those created in [beginDate, endDate) when given (ISO 8601). */
  async retryFailed(principal: Principal, callbackId: number, beginDate?: string, endDate?: string): Promise<number> {
    const created = timeRange(beginDate, endDate);
    const callback = await this.callbacks.get(principal, callbackId);
    return this.deps.store.retryFailedEvents(callback.callbackId, this.deps.clock.now(), created);
  }

  /** An event is in scope where it happened: its network and mailbox. */
  private async visibleEvent(principal: Principal, eventId: number): Promise<EventRecord> {
    const id = objectId('eventId', eventId);
    const event = await this.deps.store.getEvent(id);
    if (!event || !canSee(principal, event)) throw notFound('Event', id);
    return event;
  }
}

/**
 * The network an idempotency key is kept in: the one the events go into, so
 * publishers of two networks (Root's publishes included) never share keys.
 * A Root publish spanning networks has a namespace of its own, 0.
 */
function keyNetworkOf(inputs: readonly EventInput[]): number {
  const first = inputs[0]?.networkId ?? 0;
  return inputs.every((input) => input.networkId === first) ? first : CROSS_NETWORK_KEYS;
}

const CROSS_NETWORK_KEYS = 0;

/** A hash of what a publish asks for, after its scopes are resolved, so the same request always hashes the same. */
function requestHashOf(inputs: readonly EventInput[]): string {
  const canonical = inputs.map((i) => [i.eventType, i.networkId, i.mailboxId, i.ecGridId, i.parcelId, i.fileName]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}
