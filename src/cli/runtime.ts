import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { systemClock } from '../domain/clock.js';
import { DeliveryEngine } from '../delivery/engine.js';
import type { LookupFunction } from '../delivery/guarded-connector.js';
import { createSender, type Sender } from '../delivery/sender.js';
import type { Logger } from '../logger.js';
import { createServices, type Services } from '../services/index.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/** Everything one gridhook process runs on, built the same way for every command. */
export interface Runtime {
  store: Store;
  sender: Sender;
  engine: DeliveryEngine;
  services: Services;
  workerId: string;
  /** Stops delivery (within the grace period), then closes the sender and the store. */
  close(graceMs: number): Promise<void>;
}

export interface RuntimeOptions {
  /** DNS resolution for deliveries; tests inject one so nothing leaves the machine. */
  lookup?: LookupFunction;
}

export async function createRuntime(
  config: Config,
  logger: Logger,
  role: string,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  const store = await openStore(config.databaseUrl, {
    poolSize: config.poolSize,
    statementTimeoutMs: config.statementTimeoutMs,
    applicationName: `gridhook-${role}`,
  });
  await store.migrate();
  const workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const sender = createSender({
    timeoutMs: config.deliveryTimeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    policy: { allowPrivateUrls: config.allowPrivateUrls, allowedNetworks: config.allowedNetworks },
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
  const engine = new DeliveryEngine({
    store,
    sender,
    logger,
    clock: systemClock,
    workerId,
    concurrency: config.deliveryConcurrency,
    perCallbackConcurrency: config.perCallbackConcurrency,
    leaseMs: config.leaseMs,
    pollIntervalMs: config.pollIntervalMs,
  });
  const services = createServices({ store, config, clock: systemClock, logger, engine });
  return {
    store,
    sender,
    engine,
    services,
    workerId,
    async close(graceMs) {
      await engine.stop(graceMs);
      await sender.close();
      await store.close();
    },
  };
}
