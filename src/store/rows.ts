/**
 * Rows as both stores read them, and their mapping to the domain, so the
 * SQLite and PostgreSQL stores cannot drift apart in what they answer.
 */
import type { EdiStandard, Parcel, ParcelStatus } from '../domain/parcels.js';
import type {
  OnFailure,
  Ordering,
  OrderingKey,
  Attempt,
  Callback,
  CallbackStatus,
  EcGridIdRecord,
  EventRecord,
  EventStatus,
  EventType,
  Mailbox,
  Network,
  ObjectStatus,
  Role,
  User,
} from '../domain/types.js';
import type { CallbackSecrets, DeliveryJob, StoredCallbackValues } from './store.js';

export interface NetworkRow {
  id: number;
  name: string;
  status: ObjectStatus;
  created_at: number;
}

export interface NetworkSettingsRow extends NetworkRow {
  auto_suspend_after_seconds: number | null;
}

export interface MailboxRow extends NetworkRow {
  network_id: number;
}

export interface EcGridIdRow {
  id: number;
  network_id: number;
  mailbox_id: number;
  qualifier: string;
  value: string;
  description: string;
  status: ObjectStatus;
  created_at: number;
}

export interface UserRow {
  id: number;
  login_name: string;
  password_hash: string;
  role: Role;
  network_id: number;
  mailbox_id: number;
  status: ObjectStatus;
  created_at: number;
}

export interface CallbackRow {
  id: number;
  network_id: number;
  mailbox_id: number;
  ecgrid_id: number;
  url: string;
  event_type: EventType;
  frequency: number;
  retries: number;
  status: CallbackStatus;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  basic_auth: string | null;
  custom_headers: string | null;
  /** JSON array of seconds, or null. */
  retry_schedule: string | null;
  max_per_second: number | null;
  failing_since: number | null;
  suspended_by_gridhook_at: number | null;
  suspend_reason: string | null;
  paused_until: number | null;
  ordering: Ordering;
  ordering_key: OrderingKey;
  on_failure: OnFailure;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface EventRow {
  id: number;
  webhook_id: string;
  /** Absent from rows read without it (event lists). */
  traceparent?: string | null;
  callback_id: number;
  event_type: EventType;
  network_id: number;
  mailbox_id: number;
  ecgrid_id: number;
  parcel_id: number;
  file_name: string;
  /** SQLite has no boolean type and answers 0 or 1. */
  is_test: boolean | number;
  status: EventStatus;
  attempts: number;
  max_attempts: number;
  next_attempt_at: number | null;
  lease_owner: string | null;
  lease_until: number | null;
  last_attempt_at: number | null;
  last_http_status: number | null;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
  subject_callback_id: number | null;
}

/** What a delivery job needs of its event. */
export type JobEventRow = Pick<
  EventRow,
  | 'id'
  | 'webhook_id'
  | 'traceparent'
  | 'callback_id'
  | 'event_type'
  | 'network_id'
  | 'mailbox_id'
  | 'ecgrid_id'
  | 'parcel_id'
  | 'file_name'
  | 'is_test'
  | 'created_at'
  | 'attempts'
  | 'max_attempts'
  | 'lease_owner'
  | 'lease_until'
> &
  Partial<Pick<EventRow, 'subject_callback_id'>>;

/** What a delivery job needs of its callback; the credentials may not have been read. */
export type JobCallbackRow = Pick<
  CallbackRow,
  'url' | 'frequency' | 'secret' | 'previous_secret' | 'previous_secret_expires_at'
> &
  Partial<Pick<CallbackRow, 'basic_auth' | 'custom_headers' | 'retry_schedule'>>;

export interface AttemptRow {
  id: number;
  event_id: number;
  started_at: number;
  duration_ms: number;
  http_status: number | null;
  error: string | null;
  /** Absent from rows read without them. */
  response_headers?: string | null;
  response_body?: string | null;
}

export interface ParcelRow {
  id: number;
  status: ParcelStatus | 'Receiving';
  network_id: number;
  file_name: string;
  bytes: number;
  sender_mailbox_id: number;
  sender_ecgrid_id: number;
  recipient_mailbox_id: number;
  recipient_ecgrid_id: number;
  standard: EdiStandard | null;
  control_number: string | null;
  status_message: string | null;
  created_at: number;
  status_at: number;
}

export interface SessionUserRow {
  last_used_at: number;
  user_id: number;
  login_name: string;
  role: Role;
  network_id: number;
  mailbox_id: number;
}

export interface SessionRow {
  created_at: number;
  last_used_at: number;
}

function toBoolean(value: boolean | number): boolean {
  return value === true || value === 1;
}

export function toNetwork(row: NetworkRow & Partial<NetworkSettingsRow>): Network {
  return {
    networkId: row.id,
    name: row.name,
    status: row.status,
    autoSuspendAfterSeconds: row.auto_suspend_after_seconds ?? null,
    createdAt: row.created_at,
  };
}

/** A stored retry schedule (JSON text, written by the stores only). */
export function toRetrySchedule(stored: string | null | undefined): number[] | null {
  return stored == null ? null : (JSON.parse(stored) as number[]);
}

export function fromRetrySchedule(schedule: readonly number[] | null | undefined): string | null {
  return schedule == null ? null : JSON.stringify(schedule);
}

export function toMailbox(row: MailboxRow): Mailbox {
  return { mailboxId: row.id, networkId: row.network_id, name: row.name, status: row.status, createdAt: row.created_at };
}

export function toEcGridId(row: EcGridIdRow): EcGridIdRecord {
  return {
    ecGridId: row.id,
    networkId: row.network_id,
    mailboxId: row.mailbox_id,
    qualifier: row.qualifier,
    id: row.value,
    description: row.description,
    status: row.status,
    createdAt: row.created_at,
  };
}

export function toUser(row: UserRow): User {
  return {
    userId: row.id,
    loginName: row.login_name,
    role: row.role,
    networkId: row.network_id,
    mailboxId: row.mailbox_id,
    status: row.status,
    createdAt: row.created_at,
  };
}

export function toCallback(row: CallbackRow): Callback {
  return {
    callbackId: row.id,
    networkId: row.network_id,
    mailboxId: row.mailbox_id,
    ecGridId: row.ecgrid_id,
    url: row.url,
    eventType: row.event_type,
    frequency: row.frequency,
    retries: row.retries,
    retrySchedule: toRetrySchedule(row.retry_schedule),
    maxPerSecond: row.max_per_second,
    status: row.status,
    failingSince: row.failing_since,
    suspendedByGridhookAt: row.suspended_by_gridhook_at,
    suspendReason: row.suspend_reason,
    pausedUntil: row.paused_until,
    ordering: row.ordering,
    orderingKey: row.ordering_key,
    onFailure: row.on_failure,
    hasBasicAuth: row.basic_auth !== null,
    hasCustomHeaders: row.custom_headers !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toSecrets(row: Pick<CallbackRow, 'secret' | 'previous_secret' | 'previous_secret_expires_at'>): CallbackSecrets {
  return {
    secret: row.secret,
    previousSecret: row.previous_secret,
    previousSecretExpiresAt: row.previous_secret_expires_at,
  };
}

/** The columns that hold a callback's sealed values. */
export const SEALED_COLUMNS = 'id, secret, previous_secret, basic_auth, custom_headers';

export interface SealedValuesRow {
  id: number | string;
  secret: string;
  previous_secret: string | null;
  basic_auth: string | null;
  custom_headers: string | null;
}

export function toStoredValues(row: SealedValuesRow): StoredCallbackValues {
  return {
    callbackId: Number(row.id),
    secret: row.secret,
    previousSecret: row.previous_secret,
    basicAuth: row.basic_auth,
    customHeaders: row.custom_headers,
  };
}

export function toEvent(row: EventRow): EventRecord {
  const pending = row.status === 'Pending';
  return {
    eventId: row.id,
    webhookId: row.webhook_id,
    callbackId: row.callback_id,
    eventType: row.event_type,
    networkId: row.network_id,
    mailboxId: row.mailbox_id,
    ecGridId: row.ecgrid_id,
    parcelId: row.parcel_id,
    fileName: row.file_name,
    isTest: toBoolean(row.is_test),
    subjectCallbackId: row.subject_callback_id ?? null,
    status: row.status,
    attempts: row.attempts,
    callsRemaining: pending ? Math.max(0, row.max_attempts - row.attempts) : 0,
    nextAttemptAt: pending ? row.next_attempt_at : null,
    lastAttemptAt: row.last_attempt_at,
    lastHttpStatus: row.last_http_status,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}

export function toAttempt(row: AttemptRow): Attempt {
  return {
    attemptId: row.id,
    eventId: row.event_id,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    httpStatus: row.http_status,
    error: row.error,
    responseHeaders: row.response_headers ?? null,
    responseBody: row.response_body ?? null,
  };
}

export function toJob(event: JobEventRow, callback: JobCallbackRow): DeliveryJob {
  return {
    eventId: event.id,
    webhookId: event.webhook_id,
    traceparent: event.traceparent ?? null,
    callbackId: event.callback_id,
    eventType: event.event_type,
    networkId: event.network_id,
    mailboxId: event.mailbox_id,
    ecGridId: event.ecgrid_id,
    parcelId: event.parcel_id,
    fileName: event.file_name,
    isTest: toBoolean(event.is_test),
    subjectCallbackId: event.subject_callback_id ?? null,
    createdAt: event.created_at,
    attempts: event.attempts,
    maxAttempts: event.max_attempts,
    url: callback.url,
    frequency: callback.frequency,
    retrySchedule: toRetrySchedule(callback.retry_schedule),
    secrets: toSecrets(callback),
    // Only when set: most callbacks have none, and a job is built per attempt.
    ...(callback.basic_auth != null && { basicAuth: callback.basic_auth }),
    ...(callback.custom_headers != null && { customHeaders: callback.custom_headers }),
    leaseOwner: event.lease_owner as string,
    leaseUntil: event.lease_until as number,
  };
}

export function toParcel(row: ParcelRow): Parcel {
  return {
    parcelId: row.id,
    networkId: row.network_id,
    fileName: row.file_name,
    bytes: row.bytes,
    status: row.status as ParcelStatus,
    statusMessage: row.status_message,
    senderMailboxId: row.sender_mailbox_id,
    senderEcGridId: row.sender_ecgrid_id,
    recipientMailboxId: row.recipient_mailbox_id,
    recipientEcGridId: row.recipient_ecgrid_id,
    standard: row.standard,
    controlNumber: row.control_number,
    createdAt: row.created_at,
    statusAt: row.status_at,
  };
}
