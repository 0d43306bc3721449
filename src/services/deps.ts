import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';
import type { AttemptResult, DeliveryJob, Store } from '../store/store.js';

/** What the services need of the delivery engine: send a freshly leased event at once. */
export interface ImmediateDelivery {
  /** The lease owner name under which an event handed to deliverNow must be leased. */
  readonly workerId: string;
  deliverNow(job: DeliveryJob): Promise<AttemptResult>;
}

export interface ServiceDeps {
  store: Store;
  config: Config;
  clock: Clock;
  logger: Logger;
  engine: ImmediateDelivery;
}
