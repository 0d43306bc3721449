import { assertCallbackUrlResolvesAllowed } from '../domain/url-policy.js';
import {
  encodeBasicAuth,
  encodeCustomHeaders,
  validateBasicAuth,
  validateCustomHeaders,
} from '../domain/credentials.js';
import { systemLookup } from '../delivery/guarded-connector.js';
import { generateSecret } from '../delivery/signature.js';
import { GridhookError, invalidParameter, notFound } from '../errors.js';
import { RETRY_SCHEDULE } from '../domain/retry-schedule.js';
import {
  CALLBACK_STATUSES,
  ON_FAILURES,
  ORDERING_KEYS,
  ORDERINGS,
  SUBSCRIBABLE_EVENT_TYPES,
  type OnFailure,
  type Ordering,
  type OrderingKey,
  type Callback,
  type CallbackStatus,
  type EventStatus,
  type EventType,
  type Page,
  type Principal,
} from '../domain/types.js';
import type { CallbackPatch, CallbackSecrets, DeliveryJob, SealedCallbackValues } from '../store/store.js';
import { SecretBoxError } from './secrets-crypto.js';
import type { ServiceDeps } from './deps.js';
import { canSee, resolveScope, resolveScopeFilter } from './scope.js';
import { integerIn, objectId, oneOf, optionalIntegerIn, optionalOneOf, page } from './validate.js';

export const FREQUENCY = { min: 1, max: 86_400, default: 1 } as const;
export const RETRIES = { min: 0, max: 100, default: 3 } as const;
export const MAX_URL_LENGTH = 2_048;
/**
 * How long the secret a rotation replaces keeps signing alongside the new one,
 * so receivers have a day to deploy the new secret without missing events.
 */
export const SECRET_GRACE_MS = 24 * 60 * 60 * 1000;

export interface CallbackInput {
  networkId?: number | undefined;
  mailboxId?: number | undefined;
  ecGridId?: number | undefined;
  url: string;
  eventType: string;
  frequency?: number | undefined;
  retries?: number | undefined;
  /** Seconds before each retry; null (on update) goes back to frequency's backoff. */
  retrySchedule?: unknown;
  status?: string | undefined;
  /** With status Active on update: 'send' (default) or 'cancel' the events a suspension by gridhook kept. */
  keptEvents?: string | undefined;
  /** "none" (default) or "fifo": one event at a time per ordering key, in publish order. */
  ordering?: unknown;
  /** With fifo: "callback" (default) or "partner" (each sender/recipient ECGrid ID pair). */
  orderingKey?: unknown;
  /** With fifo: "block" (default) holds a key behind a Failed event; "skip" lets it move on. */
  onFailure?: unknown;
  /** Most events sent per second across all workers; null (on update) removes the limit. */
  maxPerSecond?: unknown;
  /**
   * HTTP Basic credentials `{user, password}` sent with every attempt; null
   * (on update) removes them. Stored encrypted, never answered.
   */
  basicAuth?: unknown;
  /** Header name → value sent with every attempt; null or {} (on update) removes them. Stored encrypted, never answered. */
  customHeaders?: unknown;
}

export interface CallbackChanges extends Partial<CallbackInput> {
  callbackId: number;
}

export interface CallbackQuery {
  eventType?: string | undefined;
  status?: string | undefined;
  networkId?: number | undefined;
  mailboxId?: number | undefined;
  ecGridId?: number | undefined;
  pageNo?: number | undefined;
  recordsPerPage?: number | undefined;
}

/** Encoded Basic credentials and custom headers: absent leaves them as they are, null removes them. */
interface Credentials {
  basicAuth?: string | null;
  customHeaders?: string | null;
}

/** A callback together with its signing secret, answered only on create and rotate. */
export interface CallbackWithSecret {
  callback: Callback;
  secret: string;
}

/** A callback as GET answers it: for one gridhook suspended, with the events it kept. */
export interface CallbackDetail {
  callback: Callback;
  /** Pending events kept while suspended by gridhook; undefined otherwise. */
  keptEvents?: number;
}

const KEPT_EVENTS = ['send', 'cancel'] as const;
export const MAX_PER_SECOND = { min: 1, max: 10_000 } as const;

/** The ordering fields a request gives, checked; absent ones stay absent. */
export function orderingPolicy(
  input: Pick<CallbackInput, 'ordering' | 'orderingKey' | 'onFailure'>,
): Pick<CallbackPatch, 'ordering' | 'orderingKey' | 'onFailure'> {
  const policy: Pick<CallbackPatch, 'ordering' | 'orderingKey' | 'onFailure'> = {};
  if (input.ordering !== undefined) policy.ordering = oneOf<Ordering>('ordering', input.ordering, ORDERINGS);
  if (input.orderingKey !== undefined) {
    policy.orderingKey = oneOf<OrderingKey>('orderingKey', input.orderingKey, ORDERING_KEYS);
  }
  if (input.onFailure !== undefined) policy.onFailure = oneOf<OnFailure>('onFailure', input.onFailure, ON_FAILURES);
  return policy;
}

/** A maxPerSecond as a request gives it: absent stays absent, null means unlimited. */
function maxPerSecond(value: unknown): number | null | undefined {
  if (value === undefined || value === null) return value;
  return integerIn('maxPerSecond', value, MAX_PER_SECOND.min, MAX_PER_SECOND.max);
}

/**
 * A retry schedule as a request gives it: 1 to RETRY_SCHEDULE.maxSteps whole
 * seconds, each within the step bounds. REST's schema checks the same first;
 * SOAP and other callers rely on this.
 */
export function retrySchedule(field: string, value: unknown): number[] {
  const { minSteps, maxSteps, minStepSeconds, maxStepSeconds } = RETRY_SCHEDULE;
  const rule =
    `must be a list of ${minSteps} to ${maxSteps} whole numbers of seconds, each from ${minStepSeconds} to ` +
    `${maxStepSeconds}, e.g. [5, 300, 1800, 7200, 18000, 36000, 36000]`;
  if (!Array.isArray(value) || value.length < minSteps || value.length > maxSteps) throw invalidParameter(field, rule);
  value.forEach((step, i) => {
    if (typeof step !== 'number' || !Number.isInteger(step) || step < minStepSeconds || step > maxStepSeconds) {
      throw invalidParameter(`${field}[${i}]`, rule);
    }
  });
  return value as number[];
}

/** `retries` beside a schedule must agree with it: the schedule's length is the number of retries. */
function retriesForSchedule(schedule: number[], retries: unknown): number {
  if (retries !== undefined && retries !== null && retries !== schedule.length) {
    throw invalidParameter(
      'retries',
      `must be left out or equal the number of retrySchedule steps (${schedule.length}): the schedule sets the retries`,
    );
  }
  return schedule.length;
}

/** The outcome of the first attempt of a test event. */
export interface TestOutcome {
  eventId: number;
  webhookId: string;
  delivered: boolean;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  /** The test event's status after that attempt (Pending when it will be retried). */
  status: EventStatus;
}

const OUTCOME_STATUS: Record<'Delivered' | 'Retry' | 'Failed' | 'Deferred', EventStatus> = {
  Delivered: 'Delivered',
  Retry: 'Pending',
  Failed: 'Failed',
  Deferred: 'Pending',
};

export class CallbackService {
  constructor(private readonly deps: ServiceDeps) {}

  async create(principal: Principal, input: CallbackInput): Promise<CallbackWithSecret> {
    const { store, clock, logger } = this.deps;
    const eventType = oneOf<EventType>('callBackEvent', input.eventType, SUBSCRIBABLE_EVENT_TYPES);
    const url = await this.checkUrl(input.url);
    const frequency = optionalIntegerIn('frequency', input.frequency, FREQUENCY.min, FREQUENCY.max, FREQUENCY.default);
    const schedule =
      input.retrySchedule === undefined || input.retrySchedule === null
        ? null
        : retrySchedule('retrySchedule', input.retrySchedule);
    const retries =
      schedule === null
        ? optionalIntegerIn('retries', input.retries, RETRIES.min, RETRIES.max, RETRIES.default)
        : retriesForSchedule(schedule, input.retries);
    const limit = maxPerSecond(input.maxPerSecond) ?? null;
    const status = optionalOneOf<CallbackStatus>('status', input.status, CALLBACK_STATUSES) ?? 'Active';
    const ordering = orderingPolicy(input);
    const credentials = this.credentialsOf(input);
    const scope = await resolveScope(store, principal, input);

    await this.checkCallbackCap(scope.networkId);
    const secret = generateSecret();
    const box = this.deps.secretBox;
    const seal = (callbackId: number): SealedCallbackValues => ({
      secret: box.seal(secret, { callbackId, field: 'signing-secret' }),
      basicAuth: credentials.basicAuth ? box.seal(credentials.basicAuth, { callbackId, field: 'basic-auth' }) : null,
      customHeaders: credentials.customHeaders
        ? box.seal(credentials.customHeaders, { callbackId, field: 'custom-headers' })
        : null,
    });
    const callback = await store.createCallback(
      { ...scope, url, eventType, frequency, retries, retrySchedule: schedule, maxPerSecond: limit, status, ...ordering, seal },
      clock.now(),
    );
    logger.info({ callbackId: callback.callbackId, networkId: callback.networkId, userId: principal.userId }, 'callback created');
    return { callback, secret };
  }

  async get(principal: Principal, callbackId: number): Promise<Callback> {
    const id = objectId('callBackQueueId', callbackId);
    const callback = await this.deps.store.getCallback(id);
    if (!callback || !canSee(principal, callback)) throw notFound('Callback', id);
    return callback;
  }

  /** The callback and, when gridhook suspended it, how many Pending events it kept for its return. */
  async detail(principal: Principal, callbackId: number): Promise<CallbackDetail> {
    const callback = await this.get(principal, callbackId);
    if (callback.suspendedByGridhookAt === null || callback.status !== 'Suspended') return { callback };
    const kept = await this.deps.store.listEvents(
      { callbackId: callback.callbackId, status: 'Pending' },
      { pageNo: 1, recordsPerPage: 1, exactTotal: true },
    );
    return { callback, keptEvents: kept.totalRecords };
  }

  async list(principal: Principal, query: CallbackQuery = {}): Promise<Page<Callback>> {
    const eventType = optionalOneOf<EventType>('callBackEvent', query.eventType, SUBSCRIBABLE_EVENT_TYPES);
    const status = optionalOneOf<CallbackStatus>('status', query.status, CALLBACK_STATUSES);
    const paging = page(query);
    const filter = await resolveScopeFilter(this.deps.store, principal, query);
    return this.deps.store.listCallbacks(
      { ...filter, ...(eventType && { eventType }), ...(status && { status }) },
      paging,
    );
  }

  /**
   * Changes what is given; suspending cancels the callback's pending events.
   * Activating one gridhook suspended sends the events it kept, or cancels
   * them with keptEvents 'cancel'.
   */
  async update(principal: Principal, changes: CallbackChanges): Promise<Callback> {
    const { store, clock } = this.deps;
    const current = await this.get(principal, changes.callbackId);
    const patch: CallbackPatch = {};
    if (changes.eventType !== undefined) {
      patch.eventType = oneOf<EventType>('callBackEvent', changes.eventType, SUBSCRIBABLE_EVENT_TYPES);
    }
    if (changes.url !== undefined) patch.url = await this.checkUrl(changes.url);
    if (changes.frequency !== undefined) {
      patch.frequency = integerIn('frequency', changes.frequency, FREQUENCY.min, FREQUENCY.max);
    }
    if (changes.retrySchedule === null) {
      patch.retrySchedule = null;
      if (changes.retries !== undefined) patch.retries = integerIn('retries', changes.retries, RETRIES.min, RETRIES.max);
    } else if (changes.retrySchedule !== undefined) {
      const schedule = retrySchedule('retrySchedule', changes.retrySchedule);
      patch.retrySchedule = schedule;
      patch.retries = retriesForSchedule(schedule, changes.retries);
    } else if (changes.retries !== undefined) {
      const retries = integerIn('retries', changes.retries, RETRIES.min, RETRIES.max);
      if (current.retrySchedule !== null && retries !== current.retrySchedule.length) {
        throw invalidParameter(
          'retries',
          `this callback's retrySchedule sets ${current.retrySchedule.length} retries; send a new retrySchedule, ` +
            'or retrySchedule null to go back to frequency and retries',
        );
      }
      patch.retries = retries;
    }
    const limit = maxPerSecond(changes.maxPerSecond);
    if (limit !== undefined) patch.maxPerSecond = limit;
    if (changes.status !== undefined) patch.status = oneOf<CallbackStatus>('status', changes.status, CALLBACK_STATUSES);
    Object.assign(patch, orderingPolicy(changes));
    if (changes.keptEvents !== undefined) {
      const kept = oneOf('keptEvents', changes.keptEvents, KEPT_EVENTS);
      if (patch.status !== 'Active') {
        throw invalidParameter('keptEvents', 'goes with status "Active": it says what becomes of the events a suspension kept');
      }
      patch.keptEvents = kept;
    }
    Object.assign(patch, this.sealCredentials(current.callbackId, this.credentialsOf(changes)));
    if (changes.networkId !== undefined || changes.mailboxId !== undefined || changes.ecGridId !== undefined) {
      // Unnamed parts of the scope stay as they are, so moving a callback to
      // another mailbox of its network needs only mailboxId.
      const scope = await resolveScope(store, principal, {
        networkId: changes.networkId ?? current.networkId,
        mailboxId: changes.mailboxId ?? current.mailboxId,
        ecGridId: changes.ecGridId ?? current.ecGridId,
      });
      Object.assign(patch, scope);
      if (scope.networkId !== current.networkId) await this.checkCallbackCap(scope.networkId);
    }
    if (Object.keys(patch).length === 0) return current;
    const updated = await store.updateCallback(current.callbackId, patch, clock.now());
    if (!updated) throw notFound('Callback', current.callbackId);
    return updated;
  }

  /** Deletes the callback; its pending events become Canceled. */
  async delete(principal: Principal, callbackId: number): Promise<void> {
    const callback = await this.get(principal, callbackId);
    const deleted = await this.deps.store.deleteCallback(callback.callbackId, this.deps.clock.now());
    if (!deleted) throw notFound('Callback', callback.callbackId);
    this.deps.logger.info({ callbackId: callback.callbackId, userId: principal.userId }, 'callback deleted');
  }

  /**
   * Sends a synthetic event (isTest) to the callback's URL now and answers how
   * that first attempt went. The event is created already leased to this
   * process's engine, so no worker races it; if the attempt fails it is
   * retried on the callback's schedule like any other event.
   */
  async test(principal: Principal, callbackId: number): Promise<TestOutcome> {
    const { store, config, clock, engine } = this.deps;
    const callback = await this.get(principal, callbackId);
    if (callback.status !== 'Active') {
      throw new GridhookError(
        'InvalidState',
        `Callback ${callback.callbackId} is ${callback.status}; set its status to Active to test it.`,
      );
    }
    if (engine.stopping) {
      throw new GridhookError('ServiceUnavailable', 'gridhook is shutting down; send the test again in a moment.', {
        retryAfterSeconds: 1,
      });
    }
    const create = (traceparent: string | null): Promise<DeliveryJob | null> =>
      store.createTestEvent(callback.callbackId, {
        workerId: engine.workerId,
        now: clock.now(),
        leaseMs: config.leaseMs,
        perCallbackLimit: config.perCallbackConcurrency,
        traceparent,
      });
    const { tracing } = this.deps;
    const job = tracing ? await tracing.publish('gridhook test event', create) : await create(null);
    if (!job) throw notFound('Callback', callback.callbackId);
    const result = await engine.deliverNow(job);
    return {
      eventId: job.eventId,
      webhookId: job.webhookId,
      delivered: result.outcome === 'Delivered',
      httpStatus: result.httpStatus,
      error: result.error,
      durationMs: result.durationMs,
      status: OUTCOME_STATUS[result.outcome],
    };
  }

  /** A new signing secret; the previous one stays valid for SECRET_GRACE_MS. */
  async rotateSecret(
    principal: Principal,
    callbackId: number,
  ): Promise<CallbackWithSecret & { previousSecretExpiresAt: number }> {
    const { store, clock, logger } = this.deps;
    const callback = await this.get(principal, callbackId);
    const secret = generateSecret();
    const previousSecretExpiresAt = clock.now() + SECRET_GRACE_MS;
    const sealed = this.deps.secretBox.seal(secret, { callbackId: callback.callbackId, field: 'signing-secret' });
    const rotated = await store.rotateCallbackSecret(callback.callbackId, sealed, previousSecretExpiresAt);
    if (!rotated) throw notFound('Callback', callback.callbackId);
    logger.info({ callbackId: callback.callbackId, userId: principal.userId }, 'callback secret rotated');
    return { callback, secret, previousSecretExpiresAt };
  }

  /** The callback's current secret and, during a rotation's grace period only, the previous one. */
  async getSecret(principal: Principal, callbackId: number): Promise<CallbackSecrets> {
    const callback = await this.get(principal, callbackId);
    const sealed = await this.deps.store.getCallbackSecrets(callback.callbackId);
    if (!sealed) throw notFound('Callback', callback.callbackId);
    const secret = this.openSecret(callback.callbackId, sealed.secret);
    const expiresAt = sealed.previousSecretExpiresAt;
    if (sealed.previousSecret === null || expiresAt === null || expiresAt <= this.deps.clock.now()) {
      return { secret, previousSecret: null, previousSecretExpiresAt: null };
    }
    return { secret, previousSecret: this.openSecret(callback.callbackId, sealed.previousSecret), previousSecretExpiresAt: expiresAt };
  }

  private openSecret(callbackId: number, sealed: string): string {
    try {
      return this.deps.secretBox.open(sealed, { callbackId, field: 'signing-secret' });
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
      throw new GridhookError('ServiceUnavailable', `Callback ${callbackId}'s signing secret cannot be read: ${error.message}.`);
    }
  }

  /**
   * Counted before inserting, so concurrent creates may overshoot by a few:
   * the limit guards against runaway clients, not exact quotas.
   */
  private async checkCallbackCap(networkId: number): Promise<void> {
    const { store, config } = this.deps;
    const count = await store.countCallbacks({ networkId });
    if (count >= config.maxCallbacksPerNetwork) {
      throw new GridhookError(
        'InvalidState',
        `Network ${networkId} already has ${count} callbacks, the most allowed ` +
          `(${config.maxCallbacksPerNetwork}); delete unused callbacks first.`,
      );
    }
  }

  /**
   * The credentials a request gives, checked and encoded: absent stays absent
   * (unchanged), null or empty removes.
   */
  private credentialsOf(input: Pick<CallbackInput, 'basicAuth' | 'customHeaders'>): Credentials {
    const out: Credentials = {};
    if (input.basicAuth !== undefined) {
      out.basicAuth = input.basicAuth === null ? null : encodeBasicAuth(validateBasicAuth(input.basicAuth));
    }
    if (input.customHeaders !== undefined) {
      const headers = input.customHeaders === null ? {} : validateCustomHeaders(input.customHeaders);
      out.customHeaders = Object.keys(headers).length === 0 ? null : encodeCustomHeaders(headers);
    }
    return out;
  }

  private sealCredentials(callbackId: number, credentials: Credentials): Credentials {
    const box = this.deps.secretBox;
    const out: Credentials = {};
    if (credentials.basicAuth !== undefined) {
      out.basicAuth = credentials.basicAuth && box.seal(credentials.basicAuth, { callbackId, field: 'basic-auth' });
    }
    if (credentials.customHeaders !== undefined) {
      out.customHeaders = credentials.customHeaders && box.seal(credentials.customHeaders, { callbackId, field: 'custom-headers' });
    }
    return out;
  }

  private async checkUrl(url: unknown): Promise<string> {
    if (typeof url !== 'string' || url.length < 1 || url.length > MAX_URL_LENGTH) {
      throw invalidParameter('callBackUrl', `must be an https URL of at most ${MAX_URL_LENGTH} characters`);
    }
    const { allowPrivateUrls, allowedNetworks } = this.deps.config;
    await assertCallbackUrlResolvesAllowed(url, { allowPrivateUrls, allowedNetworks }, this.deps.lookup ?? systemLookup);
    return url;
  }
}
