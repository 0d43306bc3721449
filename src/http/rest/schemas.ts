/**
 * The REST API's request and response schemas, in TypeBox. Each one validates
 * the request (Fastify's ajv), types the handler, serializes the answer and
 * documents the route in /openapi.json: one definition for all four.
 *
 * Request schemas leave extra properties allowed (and ignored) so that clients
 * sending more than we read keep working. `x-expect` phrases what a field
 * accepts where its schema alone would make a poor message (error-handler.ts).
 */
import Type, { type Static, type TArray, type TSchema } from 'typebox';
import {
  CALLBACK_STATUSES,
  ENDPOINT_HEALTH,
  EVENT_STATUSES,
  EVENT_TYPES,
  OBJECT_STATUSES,
  ROLES,
  SUBSCRIBABLE_EVENT_TYPES,
} from '../../domain/types.js';
import { MAX_AUTO_SUSPEND_AFTER_SECONDS, MIN_AUTO_SUSPEND_AFTER_SECONDS } from '../../domain/endpoint-health.js';
import { RETRY_SCHEDULE, STANDARD_WEBHOOKS_SCHEDULE } from '../../domain/retry-schedule.js';
import { COUNT_AHEAD } from '../../domain/paging.js';
import { ERROR_CODES, notFound } from '../../errors.js';
import {
  MAX_BASIC_AUTH_LENGTH,
  MAX_CUSTOM_HEADERS,
  MAX_HEADER_VALUE_LENGTH,
} from '../../domain/credentials.js';
import { FREQUENCY, MAX_PER_SECOND, MAX_URL_LENGTH, RETRIES } from '../../services/callbacks.js';
import { ON_FAILURES, ORDERING_KEYS, ORDERINGS } from '../../domain/types.js';
import {
  MAX_DESCRIPTION_LENGTH,
  MAX_NAME_LENGTH,
  PASSWORD_LENGTH,
} from '../../services/directory.js';
import { MAX_EVENTS_PER_PUBLISH, MAX_FILE_NAME_LENGTH, MAX_IDEMPOTENCY_KEY_LENGTH } from '../../services/events.js';
import { ISO_DATE_TIME } from '../../services/time-range.js';
import { MAX_ID, MAX_RECORDS_PER_PAGE, PAGE_DEFAULTS } from '../../services/validate.js';

// --- building blocks ---

/** An ID naming one object. */
export const ObjectId = (description: string) => Type.Integer({ minimum: 1, maximum: MAX_ID, description });
/** An ID where 0 means "own" (network) or "all" (mailbox, ECGrid ID). */
export const ScopeId = (description: string) => Type.Integer({ minimum: 0, maximum: MAX_ID, description });
/** IDs in paths arrive as text; digits only, so "7e3" or "-1" never reach a service. */
export const PathId = (description: string) =>
  Type.String({ pattern: '^[1-9][0-9]{0,15}$', description, 'x-expect': 'must be a positive whole number, e.g. 7001' });

/** A path ID as a number; one too large to be an ID names nothing, so it is not found. */
export function pathId(raw: string, what: string): number {
  const id = Number(raw);
  if (id > MAX_ID) throw notFound(what, raw);
  return id;
}

export const DateTime = Type.String({ description: 'UTC, e.g. 2026-05-07T14:32:00Z' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);

/** An enum that also says it is a string, for OpenAPI code generators. */
export const StringEnum = <const T extends string[]>(values: [...T], options: { description?: string } = {}) =>
  Type.Enum(values, { type: 'string', ...options });

const EventTypeSchema = StringEnum([...EVENT_TYPES], { description: 'The event type' });
const SubscribableEventSchema = StringEnum([...SUBSCRIBABLE_EVENT_TYPES], {
  description: "The event type: one of the guide's five, or gridhook's CallBackSuspended",
});
const CallbackStatusSchema = StringEnum([...CALLBACK_STATUSES]);
const EventStatusSchema = StringEnum([...EVENT_STATUSES]);
const ObjectStatusSchema = StringEnum([...OBJECT_STATUSES]);
const RoleSchema = StringEnum([...ROLES]);

export const Paging = {
  pageNo: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ID, default: PAGE_DEFAULTS.pageNo })),
  recordsPerPage: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_RECORDS_PER_PAGE, default: PAGE_DEFAULTS.recordsPerPage }),
  ),
};

export const Body = <P extends Record<string, TSchema>>(properties: P, description?: string) =>
  Type.Object(properties, description === undefined ? {} : { description });

/** `{"success": true, "data": …}` */
export const Ok = <T extends TSchema>(data: T) =>
  Type.Object({ success: Type.Literal(true), data }, { description: 'Success' });

/** `{"totalRecords", "pageNo", "recordsPerPage", "<items>": [...]}` */
export const PageOf = <K extends string, T extends TSchema>(items: K, item: T) =>
  Type.Object({
    totalRecords: Type.Integer({
      description:
        `Records that match, counted up to the end of this page and ${COUNT_AHEAD.toLocaleString('en')} more (after a cursor: from the cursor on); ` +
        'when totalRecordsExact is false there are at least this many',
    }),
    totalRecordsExact: Type.Boolean({ description: 'False when counting stopped at its bound: totalRecords is a lower bound' }),
    pageNo: Type.Integer(),
    recordsPerPage: Type.Integer(),
    ...({ [items]: Type.Array(item) } as { [P in K]: TArray<T> }),
  });

export const ErrorEnvelope = Type.Object(
  {
    success: Type.Literal(false),
    errorCode: StringEnum(Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]),
    message: Type.String({ description: 'What is wrong and how to fix it; names the field at fault' }),
    data: Type.Null(),
  },
  { $id: 'ErrorEnvelope', description: 'Every error answer' },
);
export type ErrorEnvelope = Static<typeof ErrorEnvelope>;

/** Error answers, documented once and shared by every route. */
export const ErrorResponses = {
  '4xx': Type.Ref('ErrorEnvelope', { description: 'The request was refused; see errorCode and message' }),
  '5xx': Type.Ref('ErrorEnvelope', { description: 'gridhook could not answer' }),
};

// --- callbacks ---

const callbackScope = {
  networkId: Type.Optional(ScopeId("0 (default): the API key's own network")),
  mailboxId: Type.Optional(ScopeId('0 (default): every mailbox (for a mailbox key: its own)')),
  ecGridId: Type.Optional(ScopeId('0 (default): every ECGrid ID')),
};

const CallBackUrl = Type.String({
  minLength: 1,
  maxLength: MAX_URL_LENGTH,
  description: 'Publicly reachable https URL that events are POSTed to',
  'x-expect': `must be an https URL of at most ${MAX_URL_LENGTH} characters`,
});
const Frequency = Type.Integer({
  minimum: FREQUENCY.min,
  maximum: FREQUENCY.max,
  default: FREQUENCY.default,
  description: 'Minimum seconds between attempts of one event (grows on each retry)',
});
const Retries = Type.Integer({
  minimum: RETRIES.min,
  maximum: RETRIES.max,
  default: RETRIES.default,
  description: 'Retries after a failed first attempt before the event is Failed',
});
const RetrySchedule = Type.Array(
  Type.Integer({ minimum: RETRY_SCHEDULE.minStepSeconds, maximum: RETRY_SCHEDULE.maxStepSeconds }),
  {
    minItems: RETRY_SCHEDULE.minSteps,
    maxItems: RETRY_SCHEDULE.maxSteps,
    description:
      `Seconds to wait before each retry, e.g. Standard Webhooks' [${STANDARD_WEBHOOKS_SCHEDULE.join(', ')}]. ` +
      'Replaces the backoff from frequency; its length is the number of retries.',
    'x-expect':
      `must be a list of ${RETRY_SCHEDULE.minSteps} to ${RETRY_SCHEDULE.maxSteps} whole numbers of seconds, ` +
      `each from ${RETRY_SCHEDULE.minStepSeconds} to ${RETRY_SCHEDULE.maxStepSeconds}`,
  },
);
const Ordering = StringEnum([...ORDERINGS], {
  description:
    'none (the default): events go out as they come. fifo: one event at a time per ordering key, strictly in ' +
    'publish (eventId) order',
});
const OrderingKey = StringEnum([...ORDERING_KEYS], {
  description:
    'With fifo, what is ordered: callback (the default), all its events; partner, each sender/recipient ECGrid ID ' +
    "pair on its own, so one partner's stuck event does not hold up another's",
});
const OnFailure = StringEnum([...ON_FAILURES], {
  description:
    'With fifo, what an event Failed for good does: block (the default) holds its key until the event is retried ' +
    '(POST /v2/callbacks/events/retry) or skipped (POST /v2/callbacks/events/skip); skip lets the key move on',
});
const MaxPerSecond = Type.Integer({
  minimum: MAX_PER_SECOND.min,
  maximum: MAX_PER_SECOND.max,
  description:
    'Most events sent to this callback per second, across all workers (default: unlimited). Events over the ' +
    'limit wait; they do not fail or use retries',
});
const KeptEvents = StringEnum(['send', 'cancel'], {
  description:
    'With status Active, for a callback gridhook suspended: send (default) the Pending events it kept, or cancel them',
});

const BasicAuth = Type.Object(
  {
    user: Type.String({ minLength: 1, maxLength: MAX_BASIC_AUTH_LENGTH }),
    password: Type.String({ minLength: 1, maxLength: MAX_BASIC_AUTH_LENGTH }),
  },
  {
    description:
      'HTTP Basic credentials sent with every attempt (ECGridOS HTTPAuthentication). Stored encrypted; ' +
      'answers only say whether they are set (hasBasicAuth).',
  },
);
const CustomHeaders = Type.Record(Type.String(), Type.String({ maxLength: MAX_HEADER_VALUE_LENGTH }), {
  maxProperties: MAX_CUSTOM_HEADERS,
  description:
    'Headers sent with every attempt, e.g. {"X-Receiver-Token": "…"}. Stored encrypted; answers only say whether ' +
    'they are set (hasCustomHeaders). Content-Type, Host, User-Agent and the webhook-* headers cannot be replaced.',
  'x-expect': `must be an object of at most ${MAX_CUSTOM_HEADERS} header names to string values`,
});
const Removable = <T extends TSchema>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description });

export const CreateCallbackBody = Body({
  ...callbackScope,
  callBackUrl: CallBackUrl,
  callBackEvent: SubscribableEventSchema,
  frequency: Type.Optional(Frequency),
  retries: Type.Optional(Retries),
  retrySchedule: Type.Optional(RetrySchedule),
  ordering: Type.Optional(Ordering),
  orderingKey: Type.Optional(OrderingKey),
  onFailure: Type.Optional(OnFailure),
  maxPerSecond: Type.Optional(MaxPerSecond),
  status: Type.Optional(CallbackStatusSchema),
  basicAuth: Type.Optional(BasicAuth),
  customHeaders: Type.Optional(CustomHeaders),
});

export const UpdateCallbackBody = Body({
  callBackQueueId: ObjectId('The callback to change'),
  ...callbackScope,
  callBackUrl: Type.Optional(CallBackUrl),
  callBackEvent: Type.Optional(SubscribableEventSchema),
  frequency: Type.Optional(Frequency),
  retries: Type.Optional(Retries),
  retrySchedule: Type.Optional(Removable(RetrySchedule, 'A new retry schedule; null goes back to frequency and retries')),
  ordering: Type.Optional(Ordering),
  orderingKey: Type.Optional(OrderingKey),
  onFailure: Type.Optional(OnFailure),
  maxPerSecond: Type.Optional(Removable(MaxPerSecond, 'A new rate limit; null removes it (unlimited)')),
  status: Type.Optional(CallbackStatusSchema),
  keptEvents: Type.Optional(KeptEvents),
  basicAuth: Type.Optional(Removable(BasicAuth, 'New HTTP Basic credentials; null removes them')),
  customHeaders: Type.Optional(Removable(CustomHeaders, 'New custom headers, replacing all; null or {} removes them')),
});

export const CallbackIdBody = Body({ callBackQueueId: ObjectId('The callback') });

export const ListCallbacksBody = Body({
  callBackEvent: Type.Optional(SubscribableEventSchema),
  status: Type.Optional(CallbackStatusSchema),
  networkId: Type.Optional(ScopeId('Only this network (0: your own); absent: every network in scope')),
  mailboxId: Type.Optional(ScopeId('Only callbacks scoped to this mailbox')),
  ecGridId: Type.Optional(ScopeId('Only callbacks scoped to this ECGrid ID')),
  ...Paging,
});

export const CallbackIdParams = Type.Object({ callBackQueueId: PathId('The callback') });

export const CallbackView = Type.Object({
  callBackQueueId: Type.Integer(),
  callBackUrl: Type.String(),
  callBackEvent: SubscribableEventSchema,
  status: CallbackStatusSchema,
  networkId: Type.Integer(),
  mailboxId: Type.Integer(),
  ecGridId: Type.Integer(),
  frequency: Type.Integer(),
  retries: Type.Integer(),
  retrySchedule: Type.Union([Type.Array(Type.Integer()), Type.Null()], {
    description: 'Seconds before each retry, or null: frequency doubled per retry',
  }),
  maxPerSecond: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Most events sent per second across all workers, or null: unlimited',
  }),
  health: StringEnum([...ENDPOINT_HEALTH], {
    description: 'healthy; failing (since failingSince, no success since); suspended-by-gridhook (see suspendReason)',
  }),
  failingSince: NullableDateTime,
  suspendedByGridhookAt: NullableDateTime,
  suspendReason: Type.Union([Type.String(), Type.Null()]),
  pausedUntil: Type.Union([DateTime, Type.Null()], {
    description: 'The receiver asked (429 with Retry-After) that nothing be sent before this time',
  }),
  ordering: Ordering,
  orderingKey: OrderingKey,
  onFailure: OnFailure,
  keptEvents: Type.Optional(
    Type.Integer({ description: 'For a callback gridhook suspended: Pending events kept for when it is activated' }),
  ),
  hasBasicAuth: Type.Boolean({ description: 'Whether attempts carry HTTP Basic credentials' }),
  hasCustomHeaders: Type.Boolean({ description: 'Whether attempts carry custom headers' }),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type CallbackView = Static<typeof CallbackView>;

export const CallbackWithSecretView = Type.Object({
  ...CallbackView.properties,
  secret: Type.String({ description: 'The whsec_ signing secret; shown only on create and rotate-secret' }),
});

export const RotatedSecretView = Type.Object({
  ...CallbackWithSecretView.properties,
  previousSecretExpiresAt: Type.String({ description: 'Until then events are signed with the old secret too' }),
});

export const SecretView = Type.Object({
  callBackQueueId: Type.Integer(),
  secret: Type.String({ description: 'The whsec_ secret events are signed with' }),
  previousSecret: Type.Union([Type.String(), Type.Null()], {
    description: 'The secret before the last rotation while it still signs as well, else null',
  }),
  previousSecretExpiresAt: NullableDateTime,
});

export const CallbackPage = PageOf('callBacks', CallbackView);

export const DeletedCallbackView = Type.Object({ callBackQueueId: Type.Integer(), deleted: Type.Literal(true) });

export const TestOutcomeView = Type.Object({
  eventId: Type.Integer({ description: 'The test event; it keeps this ID on retries' }),
  webhookId: Type.String({
    description:
      "Sent as the webhook-id header: unique for ever (eventId repeats after a restore from backup). De-duplicate on it.",
    pattern: '^evt_[0-9a-f]{32}$',
  }),
  callBackQueueId: Type.Integer(),
  delivered: Type.Boolean(),
  httpStatus: Type.Union([Type.Integer(), Type.Null()], { description: "The receiver's answer, or null when none came" }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why the attempt failed, or null' }),
  durationMs: Type.Integer(),
  status: EventStatusSchema,
});

// --- events ---

/** A creation-time bound of an event filter (ISO 8601 with a zone). */
const EventDate = (description: string) =>
  Type.Optional(
    Type.String({
      pattern: ISO_DATE_TIME.source,
      description,
      'x-expect': 'must be an ISO 8601 date and time with a zone, e.g. 2026-05-07T14:32:00Z',
    }),
  );

export const QueueListBody = Body({
  callBackQueueId: Type.Optional(ScopeId('Only events of this callback; 0 or absent: every callback in scope')),
  status: Type.Optional(EventStatusSchema),
  callBackEvent: Type.Optional(SubscribableEventSchema),
  parcelId: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'Only events this parcel fired' })),
  beginDate: EventDate('Only events created at or after this time'),
  endDate: EventDate('Only events created before this time'),
  ...Paging,
  cursor: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description:
        "The previous answer's nextCursor: the page after it, as fast deep in the list as on its first page. Instead of pageNo",
      'x-expect': "must be the nextCursor of a previous answer",
    }),
  ),
});

export const EventIdParams = Type.Object({ eventId: PathId('The event') });

export const EventView = Type.Object({
  eventId: Type.Integer(),
  webhookId: Type.String({
    description:
      "Sent as the webhook-id header: unique for ever (eventId repeats after a restore from backup). De-duplicate on it.",
    pattern: '^evt_[0-9a-f]{32}$',
  }),
  callBackQueueId: Type.Integer(),
  callBackEvent: SubscribableEventSchema,
  status: EventStatusSchema,
  attempts: Type.Integer(),
  callsRemaining: Type.Integer(),
  nextCall: NullableDateTime,
  lastAttempt: NullableDateTime,
  lastHttpStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  eventDateTime: DateTime,
  isTest: Type.Boolean(),
  parcelId: Type.Integer(),
  fileName: Type.String(),
  networkId: Type.Integer(),
  mailboxId: Type.Integer(),
  ecGridId: Type.Integer(),
  suspendedCallBackQueueId: Type.Optional(
    Type.Integer({ description: 'For a CallBackSuspended event: the callback gridhook suspended' }),
  ),
});
export type EventView = Static<typeof EventView>;

export const AttemptView = Type.Object({
  attemptDateTime: DateTime,
  httpStatus: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Integer(),
  responseHeaders: Type.Union([Type.String(), Type.Null()], {
    description:
      'The header block the receiver answered with, one "name: value" a line (at most 2,000 characters, control ' +
      'characters replaced); null when no answer came',
  }),
  responseBody: Type.Union([Type.String(), Type.Null()], {
    description:
      'The first part of the body the receiver answered with (at most 1,000 characters of what was read, control ' +
      "characters replaced, the callback's credentials masked); null when no answer came",
  }),
});

export const EventDetailView = Type.Object({
  ...EventView.properties,
  attemptLog: Type.Array(AttemptView),
  payload: Type.String({ description: 'The JSON body posted to the receiver, byte for byte (signed as is)' }),
  requestHeaders: Type.Array(Type.Object({ name: Type.String(), value: Type.String() }), {
    description:
      "The headers each attempt sends with the payload; the signature and the callback's credentials are masked, " +
      "and the timestamp is each attempt's own",
  }),
});

export const EventPage = Type.Object({
  ...PageOf('events', EventView).properties,
  nextCursor: Type.Union([Type.String(), Type.Null()], {
    description: 'Send it as cursor for the next page; null on the last page',
  }),
});

export const RetryBody = Body({
  eventId: Type.Optional(ObjectId('Retry this one event')),
  callBackQueueId: Type.Optional(ObjectId('Retry every Failed event of this callback')),
  status: Type.Optional(
    StringEnum(['Failed'], { description: 'With callBackQueueId; only Failed events are retried in bulk' }),
  ),
  beginDate: EventDate('With callBackQueueId: only Failed events created at or after this time'),
  endDate: EventDate('With callBackQueueId: only Failed events created before this time'),
});

const ReplayStatus = StringEnum(['Failed', 'Delivered', 'Canceled']);

export const ReplayBody = Body({
  callBackQueueId: ObjectId('Replay events of this callback'),
  since: Type.String({
    pattern: ISO_DATE_TIME.source,
    description: 'Events created at or after this time',
    'x-expect': 'must be an ISO 8601 date and time with a zone, e.g. 2026-05-07T14:32:00Z',
  }),
  until: EventDate('Events created before this time; absent: now'),
  statuses: Type.Optional(
    Type.Array(ReplayStatus, {
      minItems: 1,
      uniqueItems: true,
      default: ['Failed'],
      description: 'Which events to send again: Failed (default), Delivered, Canceled, in any combination',
      'x-expect': 'must be a non-empty list of Failed, Delivered, Canceled, each at most once',
    }),
  ),
});

export const ReplayIdParams = Type.Object({ replayId: PathId('The replay job') });

export const ReplayView = Type.Object({
  replayId: Type.Integer(),
  callBackQueueId: Type.Integer(),
  since: DateTime,
  until: DateTime,
  statuses: Type.Array(ReplayStatus),
  status: StringEnum(['Running', 'Completed']),
  replayed: Type.Integer({ description: 'Events made Pending again so far' }),
  scanned: Type.Integer({ description: "Events of the callback's range looked at so far" }),
  lastEventId: Type.Integer({ description: 'The last event looked at; the next batch starts after it' }),
  createdAt: DateTime,
  updatedAt: DateTime,
  finishedAt: NullableDateTime,
});

export const SkipBody = Body({
  eventId: ObjectId('The Pending or Failed event to cancel, so that its FIFO key moves on to the next event'),
});

export const RetryView = Type.Object({
  retried: Type.Integer({ description: 'Events made Pending again' }),
  callBackQueueId: Type.Integer(),
  event: Type.Union([EventView, Type.Null()], { description: 'The retried event, when one was named' }),
});

const PublishedEvent = Type.Object({
  callBackEvent: EventTypeSchema,
  networkId: Type.Optional(ScopeId("0 (default): the API key's own network")),
  mailboxId: Type.Integer({
    minimum: 1,
    maximum: MAX_ID,
    description: 'The mailbox the event happened in',
    'x-expect': 'must be the ID (1 or more) of the mailbox the event happened in',
  }),
  ecGridId: Type.Optional(ScopeId('The ECGrid ID involved (in that mailbox); 0: none')),
  parcelId: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_ID, default: 0 })),
  fileName: Type.Optional(Type.String({ maxLength: MAX_FILE_NAME_LENGTH, default: '' })),
});

export const PublishBody = Body({
  events: Type.Array(PublishedEvent, {
    minItems: 1,
    maxItems: MAX_EVENTS_PER_PUBLISH,
    'x-expect': `must be a list of 1 to ${MAX_EVENTS_PER_PUBLISH} events`,
  }),
  idempotencyKey: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: MAX_IDEMPOTENCY_KEY_LENGTH,
      description: 'Sending the same key again creates nothing and answers as the first time',
    }),
  ),
});

export const PublishView = Type.Object({
  eventIds: Type.Array(Type.Integer(), { description: 'Events created, in input order' }),
  matched: Type.Array(Type.Integer(), { description: 'For each input, how many callbacks it matched' }),
  replayed: Type.Boolean({ description: 'True when the idempotency key had been used: nothing new was created' }),
});

// --- networks, mailboxes ---

const Name = Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH });

const AutoSuspendAfter = Type.Integer({
  minimum: MIN_AUTO_SUSPEND_AFTER_SECONDS,
  maximum: MAX_AUTO_SUSPEND_AFTER_SECONDS,
  description: "Seconds a callback may fail without one success before gridhook suspends it; the server's default when absent",
});

export const CreateNetworkBody = Body({ name: Name, autoSuspendAfterSeconds: Type.Optional(AutoSuspendAfter) });
export const UpdateNetworkBody = Body({
  networkId: ObjectId('The network to change'),
  autoSuspendAfterSeconds: Removable(AutoSuspendAfter, "New auto-suspend period; null: the server's default"),
});
export const NetworkIdParams = Type.Object({ networkId: PathId('The network') });
export const PagingBody = Body({ ...Paging });

export const NetworkView = Type.Object({
  networkId: Type.Integer(),
  name: Type.String(),
  status: ObjectStatusSchema,
  autoSuspendAfterSeconds: Type.Union([Type.Integer(), Type.Null()], {
    description: "This network's auto-suspend period in seconds; null: the server's default",
  }),
  createdAt: DateTime,
});
export const NetworkPage = PageOf('networks', NetworkView);

export const CreateMailboxBody = Body({
  networkId: Type.Optional(ScopeId("0 (default): the API key's own network")),
  name: Name,
});
export const ListMailboxesBody = Body({
  networkId: Type.Optional(ScopeId('Only this network (0: your own)')),
  ...Paging,
});
export const MailboxIdParams = Type.Object({ mailboxId: PathId('The mailbox') });

export const MailboxView = Type.Object({
  mailboxId: Type.Integer(),
  networkId: Type.Integer(),
  name: Type.String(),
  status: ObjectStatusSchema,
  createdAt: DateTime,
});
export const MailboxPage = PageOf('mailboxes', MailboxView);

// --- ECGrid IDs ---

const Qualifier = Type.String({
  pattern: '^[A-Za-z0-9]{1,4}$',
  description: 'ISA05/07 or UNB qualifier, e.g. ZZ',
  'x-expect': 'must be 1 to 4 letters or digits, e.g. ZZ',
});
const PartnerId = Type.String({
  pattern: '^[\\x21-\\x7E](?:[\\x20-\\x7E]{0,33}[\\x21-\\x7E])?$',
  description: 'ISA06/08 or UNB ID, e.g. ACME',
  'x-expect': 'must be 1 to 35 printable ASCII characters without leading or trailing spaces',
});
const Description = Type.String({ maxLength: MAX_DESCRIPTION_LENGTH });

export const CreateEcGridIdBody = Body({
  mailboxId: Type.Optional(ScopeId('The mailbox that owns the ID (0: a mailbox key’s own)')),
  qualifier: Qualifier,
  id: PartnerId,
  description: Type.Optional(Description),
});
export const EcGridIdParams = Type.Object({ ecGridId: PathId('The ECGrid ID') });
export const ListEcGridIdsBody = Body({
  networkId: Type.Optional(ScopeId('Only this network (0: your own)')),
  mailboxId: Type.Optional(ScopeId('Only this mailbox')),
  status: Type.Optional(ObjectStatusSchema),
  ...Paging,
});
export const FindEcGridIdBody = Body({
  qualifier: Qualifier,
  id: PartnerId,
  networkId: Type.Optional(ScopeId('Only this network (0: your own); absent: every network in scope')),
});
export const UpdateEcGridIdBody = Body({
  ecGridId: ObjectId('The ECGrid ID to change'),
  status: Type.Optional(ObjectStatusSchema),
  description: Type.Optional(Description),
});

export const EcGridIdView = Type.Object({
  ecGridId: Type.Integer(),
  networkId: Type.Integer(),
  mailboxId: Type.Integer(),
  qualifier: Type.String(),
  id: Type.String(),
  description: Type.String(),
  status: ObjectStatusSchema,
  createdAt: DateTime,
});
export const EcGridIdPage = PageOf('ids', EcGridIdView);
export const EcGridIdMatches = Type.Object({ ids: Type.Array(EcGridIdView) });

// --- users ---

export const CreateUserBody = Body({
  loginName: Type.String({
    pattern: '^[A-Za-z0-9._@-]{3,64}$',
    'x-expect': 'must be 3 to 64 letters, digits or . _ @ -',
  }),
  password: Type.String({ minLength: PASSWORD_LENGTH.min, maxLength: PASSWORD_LENGTH.max }),
  role: RoleSchema,
  networkId: Type.Optional(ScopeId("0 (default): the API key's own network")),
  mailboxId: Type.Optional(ScopeId('Required for mailbox roles (0: a mailbox admin’s own mailbox)')),
});
export const ListUsersBody = Body({
  networkId: Type.Optional(ScopeId('Only this network (0: your own)')),
  mailboxId: Type.Optional(ScopeId('Only this mailbox')),
  ...Paging,
});
export const UserIdParams = Type.Object({ userId: PathId('The user') });

export const UserView = Type.Object({
  userId: Type.Integer(),
  loginName: Type.String(),
  role: RoleSchema,
  networkId: Type.Integer(),
  mailboxId: Type.Integer({ description: '0 for Root and network roles' }),
  status: ObjectStatusSchema,
  createdAt: DateTime,
});
export const UserPage = PageOf('users', UserView);

export const ApiKeyView = Type.Object({
  userId: Type.Integer(),
  apiKey: Type.String({ description: 'Shown this once; it replaces the key the user had' }),
  keyPrefix: Type.String(),
});

// --- sessions (console sign-in) ---

export const SignInBody = Body({
  loginName: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'A user of the directory' })),
  password: Type.Optional(Type.String({ maxLength: 256 })),
  apiKey: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'Instead of loginName and password' })),
});
export const SignOutView = Type.Object({
  signedOut: Type.Boolean({ description: 'False when there was no live session to end' }),
});

// --- operations ---

export const HealthView = Type.Object({ status: Type.Literal('ok') });
