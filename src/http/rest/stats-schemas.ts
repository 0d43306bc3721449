/** Request and response schemas of the statistics routes (the console's overview and callback health). */
import { Type, type Static } from 'typebox';
import { MAX_HEALTH_IDS, MAX_LATENCY_BUCKETS, MAX_LATENCY_MINUTES } from '../../services/stats.js';
import { LATENCY_SAMPLE_EVENTS } from '../../store/store.js';
import { Body, DateTime, PathId } from './schemas.js';

const Minutes = (description: string) =>
  Type.String({ pattern: '^[0-9]{1,9}$', description, 'x-expect': 'must be a whole number of minutes, e.g. 60' });

const Counts = Type.Object({
  delivered: Type.Integer({ description: 'Events delivered in the period' }),
  failed: Type.Integer({ description: 'Events that used up their retries in the period' }),
  pending: Type.Integer({ description: 'Events created in the period and still pending' }),
});

export const OverviewQuery = Type.Object({
  callBackQueueId: Type.Optional(PathId("Only this callback's events")),
});

export const OverviewView = Type.Object({
  lastHour: Counts,
  lastDay: Counts,
  perMinute: Type.Array(
    Type.Object({ minute: DateTime, delivered: Type.Integer(), failed: Type.Integer() }),
    { description: 'The last 60 minutes, oldest first: events finished in each minute, by outcome' },
  ),
  failingCallbacks: Type.Array(
    Type.Object({ callBackQueueId: Type.Integer(), failed: Type.Integer() }),
    { description: 'Up to 5 callbacks with the most events Failed in the last 24 hours, most first' },
  ),
  queueDepth: Type.Integer({ description: 'Pending events now' }),
  oldestPending: Type.Union([DateTime, Type.Null()], { description: 'When the oldest pending event was created' }),
  countedAt: DateTime,
});
export type OverviewView = Static<typeof OverviewView>;

export const HealthBody = Body({
  callBackQueueIds: Type.Array(Type.Integer({ minimum: 1 }), {
    minItems: 1,
    maxItems: MAX_HEALTH_IDS,
    description: `The callbacks to report on (1 to ${MAX_HEALTH_IDS}), e.g. the IDs of one page of /v2/callbacks/list`,
  }),
});

export const CallbackHealthView = Type.Object(
  {
    callBackQueueId: Type.Integer(),
    attempts24h: Type.Integer({ description: 'Attempts started in the last 24 hours' }),
    successRate24h: Type.Union([Type.Number(), Type.Null()], {
      description: 'Share (0..1) of those attempts answered with a 2xx; null without attempts',
    }),
    p95LatencyMs: Type.Union([Type.Integer(), Type.Null()], {
      description: "95th percentile (nearest rank) of those attempts' durations; null without attempts",
    }),
    lastHttpStatus: Type.Union([Type.Integer(), Type.Null()], {
      description: "HTTP status of the callback's latest attempt in the last 24 hours; null when it got none (refused, timed out) or there was none",
    }),
    lastAttempt: Type.Union([DateTime, Type.Null()]),
    pending: Type.Integer({ description: 'Events pending now' }),
    failed: Type.Integer({ description: 'Events Failed (any time; retry them to clear)' }),
  },
  { description: "Read from the attempts of the callback's latest 200 events attempted in the last 24 hours" },
);

export const HealthList = Type.Object({ callbacks: Type.Array(CallbackHealthView) });

export const LatencyQuery = Type.Object({
  callBackQueueId: PathId('The callback'),
  minutes: Type.Optional(Minutes(`Length of the window, ending with the current bucket: 1 to ${MAX_LATENCY_MINUTES} minutes (default 60)`)),
  bucketMinutes: Type.Optional(
    Minutes(`Width of one bucket (default 1): divides minutes, in at most ${MAX_LATENCY_BUCKETS} buckets`),
  ),
});

const Percentile = (description: string) =>
  Type.Union([Type.Integer(), Type.Null()], { description: `${description} (nearest rank, ms); null without attempts` });

export const LatencyView = Type.Object(
  {
    callBackQueueId: Type.Integer(),
    from: DateTime,
    to: DateTime,
    bucketMinutes: Type.Integer(),
    buckets: Type.Array(
      Type.Object({
        start: DateTime,
        attempts: Type.Integer({ description: 'Attempts started in the bucket' }),
        p50LatencyMs: Percentile("Median of those attempts' durations"),
        p95LatencyMs: Percentile("95th percentile of those attempts' durations"),
      }),
      { description: 'Every bucket of [from, to), oldest first' },
    ),
    sampled: Type.Boolean({
      description: `True when more of the callback's events were attempted in the window than are read (the newest ${LATENCY_SAMPLE_EVENTS.toLocaleString('en')}, created from a day before the window to its end); the oldest buckets may then miss attempts`,
    }),
  },
  { description: "Delivery latency of one callback's attempts over time" },
);
