/** Domain objects in the REST API's words (the guide's field names, formatted dates). */
import { endpointHealth } from '../../domain/endpoint-health.js';
import { formatDateTime, formatNullableDateTime } from '../../domain/time-format.js';
import type { Attempt, Callback, EcGridIdRecord, EventRecord, Mailbox, Network, Page, User } from '../../domain/types.js';
import type { Parcel } from '../../domain/parcels.js';
import type { Static } from 'typebox';
import type { ReplayJob } from '../../store/store.js';
import type { ParcelView } from './parcel-schemas.js';
import type {
  AttemptView,
  CallbackView,
  EcGridIdView,
  EventView,
  MailboxView,
  NetworkView,
  ReplayView,
  UserView,
} from './schemas.js';

export function callbackView(c: Callback): CallbackView {
  return {
    callBackQueueId: c.callbackId,
    callBackUrl: c.url,
    callBackEvent: c.eventType,
    status: c.status,
    networkId: c.networkId,
    mailboxId: c.mailboxId,
    ecGridId: c.ecGridId,
    frequency: c.frequency,
    retries: c.retries,
    retrySchedule: c.retrySchedule,
    maxPerSecond: c.maxPerSecond,
    health: endpointHealth(c),
    failingSince: formatNullableDateTime(c.failingSince),
    suspendedByGridhookAt: formatNullableDateTime(c.suspendedByGridhookAt),
    suspendReason: c.suspendReason,
    pausedUntil: formatNullableDateTime(c.pausedUntil),
    ordering: c.ordering,
    orderingKey: c.orderingKey,
    onFailure: c.onFailure,
    hasBasicAuth: c.hasBasicAuth,
    hasCustomHeaders: c.hasCustomHeaders,
    createdAt: formatDateTime(c.createdAt),
    updatedAt: formatDateTime(c.updatedAt),
  };
}

export function eventView(e: EventRecord): EventView {
  return {
    eventId: e.eventId,
    webhookId: e.webhookId,
    callBackQueueId: e.callbackId,
    callBackEvent: e.eventType,
    status: e.status,
    attempts: e.attempts,
    callsRemaining: e.callsRemaining,
    nextCall: formatNullableDateTime(e.nextAttemptAt),
    lastAttempt: formatNullableDateTime(e.lastAttemptAt),
    lastHttpStatus: e.lastHttpStatus,
    lastError: e.lastError,
    eventDateTime: formatDateTime(e.createdAt),
    isTest: e.isTest,
    parcelId: e.parcelId,
    fileName: e.fileName,
    networkId: e.networkId,
    mailboxId: e.mailboxId,
    ecGridId: e.ecGridId,
    ...(e.subjectCallbackId !== null && { suspendedCallBackQueueId: e.subjectCallbackId }),
  };
}

export function replayView(job: ReplayJob): Static<typeof ReplayView> {
  return {
    replayId: job.replayId,
    callBackQueueId: job.callbackId,
    since: formatDateTime(job.since),
    until: formatDateTime(job.until),
    statuses: job.statuses as Static<typeof ReplayView>['statuses'],
    status: job.status,
    replayed: job.replayed,
    scanned: job.scanned,
    lastEventId: job.lastEventId,
    createdAt: formatDateTime(job.createdAt),
    updatedAt: formatDateTime(job.updatedAt),
    finishedAt: formatNullableDateTime(job.finishedAt),
  };
}

export function attemptView(a: Attempt): Static<typeof AttemptView> {
  return {
    attemptDateTime: formatDateTime(a.startedAt),
    httpStatus: a.httpStatus,
    error: a.error,
    durationMs: a.durationMs,
    responseHeaders: a.responseHeaders,
    responseBody: a.responseBody,
  };
}

export function networkView(n: Network): Static<typeof NetworkView> {
  return {
    networkId: n.networkId,
    name: n.name,
    status: n.status,
    autoSuspendAfterSeconds: n.autoSuspendAfterSeconds,
    createdAt: formatDateTime(n.createdAt),
  };
}

export function mailboxView(m: Mailbox): Static<typeof MailboxView> {
  return {
    mailboxId: m.mailboxId,
    networkId: m.networkId,
    name: m.name,
    status: m.status,
    createdAt: formatDateTime(m.createdAt),
  };
}

export function ecGridIdView(r: EcGridIdRecord): Static<typeof EcGridIdView> {
  return {
    ecGridId: r.ecGridId,
    networkId: r.networkId,
    mailboxId: r.mailboxId,
    qualifier: r.qualifier,
    id: r.id,
    description: r.description,
    status: r.status,
    createdAt: formatDateTime(r.createdAt),
  };
}

export function parcelView(p: Parcel): ParcelView {
  return {
    parcelId: p.parcelId,
    fileName: p.fileName,
    bytes: p.bytes,
    status: p.status,
    statusMessage: p.statusMessage,
    networkId: p.networkId,
    mailboxIdFrom: p.senderMailboxId,
    ecGridIdFrom: p.senderEcGridId,
    mailboxIdTo: p.recipientMailboxId,
    ecGridIdTo: p.recipientEcGridId,
    standard: p.standard,
    controlNumber: p.controlNumber,
    parcelDate: formatDateTime(p.createdAt),
    statusDate: formatDateTime(p.statusAt),
  };
}

export function userView(u: User): Static<typeof UserView> {
  return {
    userId: u.userId,
    loginName: u.loginName,
    role: u.role,
    networkId: u.networkId,
    mailboxId: u.mailboxId,
    status: u.status,
    createdAt: formatDateTime(u.createdAt),
  };
}

/** A store page as the API's paged answer, its items under `name`. */
export function pageView<T, V, K extends string>(
  page: Page<T>,
  name: K,
  view: (item: T) => V,
): { totalRecords: number; totalRecordsExact: boolean; pageNo: number; recordsPerPage: number } & { [P in K]: V[] } {
  return {
    totalRecords: page.totalRecords,
    totalRecordsExact: page.totalRecordsExact,
    pageNo: page.pageNo,
    recordsPerPage: page.recordsPerPage,
    [name]: page.items.map(view),
  } as { totalRecords: number; totalRecordsExact: boolean; pageNo: number; recordsPerPage: number } & { [P in K]: V[] };
}
