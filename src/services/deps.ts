import type { Config } from '../config.js';
import type { LookupFunction } from '../domain/url-policy.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';
import type { AttemptResult, ClaimOffer, DeliveryJob, Store } from '../store/store.js';
import type { SecretBox } from './secrets-crypto.js';

/** What the services need of this process's delivery engine: send fresh events at once. */
export interface ImmediateDelivery {
  /** The lease owner name under which an event handed to deliverNow must be leased. */
  readonly workerId: string;
  /** True once the engine is stopping: no attempt may start. */
  readonly stopping: boolean;
  deliverNow(job: DeliveryJob): Promise<AttemptResult>;
  /** A claim to make while publishing (null when the engine is not running or full); cancel releases it if unused. */
  offerClaim(): (ClaimOffer & { cancel(): void }) | null;
}

/** Traces the writes that create events (metrics/tracing.ts); absent when tracing is off. */
export interface EventTracing {
  /** Runs `write` inside a span of its own; `write` gets the traceparent to keep with the events. */
  publish<T>(name: string, write: (traceparent: string | null) => Promise<T>): Promise<T>;
}

export interface ServiceDeps {
  store: Store;
  config: Config;
  clock: Clock;
  logger: Logger;
  engine: ImmediateDelivery;
  /** Seals each callback's signing secret and credentials before they are stored, and opens the secret to answer it. */
  secretBox: SecretBox;
  tracing?: EventTracing;
  /** Runs accepted replays in the background; without it a replay waits for a worker's sweep. */
  replays?: { kick(replayId: number): void };
  /** DNS resolution for checking a callback URL's host when it is registered. Default: the system's. */
  lookup?: LookupFunction;
}
