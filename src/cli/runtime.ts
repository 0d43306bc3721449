import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { DeliveryEngine } from '../delivery/engine.js';
import type { LookupFunction } from '../domain/url-policy.js';
import { CallbackSuspender } from '../delivery/callback-suspender.js';
import { HealthJob } from '../delivery/health-job.js';
import { PurgeJob } from '../delivery/purge-job.js';
import { ReplayRunner } from '../delivery/replay-job.js';
import { combineObservers, type DeliveryObserver } from '../delivery/observer.js';
import { createSender, type Sender } from '../delivery/sender.js';
import type { Logger } from '../logger.js';
import { instrumentStore } from '../metrics/instrument-store.js';
import { GridhookMetrics } from '../metrics/prometheus.js';
import { DeliveryPulse } from '../metrics/pulse.js';
import { CachedQueueStats } from '../metrics/queue-stats.js';
import { createTracing, type Tracing } from '../metrics/tracing.js';
import { createServices, type Services } from '../services/index.js';
import { resealCallbacks } from '../services/reseal-callbacks.js';
import { loadEncryptionKey } from '../services/secrets-crypto.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/** Everything one gridhook process runs on, built the same way for every command. */
export interface Runtime {
  store: Store;
  sender: Sender;
  engine: DeliveryEngine;
  /** Deletes delivered events past retention; processes with the worker role start it. */
  purge: PurgeJob;
  /** Suspends callbacks failing too long; processes with the worker role start it. */
  health: HealthJob;
  /** Runs replays in batches; the accepting process kicks each, workers start it to resume any left. */
  replays: ReplayRunner;
  services: Services;
  workerId: string;
  /**
   * Stops claiming at once, lets attempts in flight finish for up to graceMs,
   * records them and gives back the leases of the rest. Once only; later calls
   * wait for the first.
   */
  stopDelivery(graceMs: number): Promise<void>;
  /** Prometheus metrics; null when GRIDHOOK_METRICS=false. */
  metrics: GridhookMetrics | null;
  /** The per-minute delivery log line; processes with the worker role start it. */
  pulse: DeliveryPulse;
  /** OpenTelemetry traces; null unless the OTEL_* environment turns them on. */
  tracing: Tracing | null;
  /** stopDelivery, then closes the sender, the store and tracing. */
  close(graceMs: number): Promise<void>;
}

export interface RuntimeOptions {
  /** DNS resolution for deliveries; tests inject one so nothing leaves the machine. */
  lookup?: LookupFunction;
  /** Told about every attempt besides metrics, traces and the pulse line. */
  observers?: DeliveryObserver[];
  /** Tracing to use instead of what the OTEL_* environment asks for (null: none). */
  tracing?: Tracing | null;
  /** This machine's clock, in ms since the epoch. Default Date.now; tests skew it. */
  localTime?: () => number;
}

/**
 * How long the queue's depth and age, read from the database, are reused:
 * every scrape and pulse line within it costs no query.
 */
const QUEUE_STATS_TTL_MS = 5_000;

export async function createRuntime(
  config: Config,
  logger: Logger,
  role: string,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  let metrics: GridhookMetrics | null = null;
  const database = await openStore(config.databaseUrl, {
    poolSize: config.poolSize,
    statementTimeoutMs: config.statementTimeoutMs,
    // The pid tells an operator (or pg_terminate_backend) which process holds a connection.
    applicationName: `gridhook-${role}-${process.pid}`,
    onError: (error) =>
      logger.warn(
        { err: error },
        error.name === 'CheckpointError'
          ? 'background checkpoint failed; commits checkpoint the database themselves meanwhile'
          : 'database connection lost; reconnecting',
      ),
    onEventsCreated: (source, count) => metrics?.eventsPublished(source, count),
    onClockSkew: ({ localTime, databaseTime }) =>
      logger.warn(
        {
          localTime: new Date(localTime).toISOString(),
          databaseTime: new Date(databaseTime).toISOString(),
          skewMs: Math.round(localTime - databaseTime),
        },
        "this machine's clock is off from the database server's: leases, due times and signatures follow the " +
          "database's, log lines this one's; set this machine's clock right (NTP)",
      ),
    ...(options.localTime && { localTime: options.localTime }),
  });
  await database.migrate();
  // Every lease and due time is reckoned by the store's clock: on PostgreSQL the server's, shared by all machines.
  const clock = database.clock;
  const queue = new CachedQueueStats(() => database.queueStats(), clock, QUEUE_STATS_TTL_MS);
  if (config.metrics) {
    metrics = new GridhookMetrics({
      perCallback: config.metricsPerCallback,
      topCallbacks: config.metricsTopCallbacks,
      queue,
      leasesHeld: (): number => engine.leasesHeld,
    });
  }
  const timed: GridhookMetrics | null = metrics;
  const store: Store = timed ? instrumentStore(database, (operation, seconds) => timed.storeQuery(operation, seconds)) : database;
  const pulse = new DeliveryPulse(logger, queue);
  const tracing = options.tracing === undefined ? createTracing(process.env) : options.tracing;
  if (tracing) logger.info('OpenTelemetry tracing on');
  const workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const encryption = loadEncryptionKey(config.encryptionKey, config.dataDir);
  if (encryption.source === 'generated') {
    logger.warn(
      { keyFile: encryption.keyFile, keyId: encryption.box.keyId },
      'generated the key that encrypts callback secrets and credentials; back it up, and give every process of a ' +
        'multi-machine deployment the same GRIDHOOK_ENCRYPTION_KEY',
    );
  }
  await resealCallbacks(database, encryption.box, logger);
  const sender = createSender({
    timeoutMs: config.deliveryTimeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    maxHeaderBytes: config.maxResponseHeaderBytes,
    policy: { allowPrivateUrls: config.allowPrivateUrls, allowedNetworks: config.allowedNetworks },
    openSealed: (sealed, binding) => encryption.box.open(sealed, binding),
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
  const suspender = new CallbackSuspender({
    store,
    logger,
    ...(metrics ? { onSuspended: (cause) => metrics.callbackSuspended(cause) } : {}),
  });
  const engine = new DeliveryEngine({
    store,
    suspender,
    sender,
    logger,
    clock,
    workerId,
    concurrency: config.deliveryConcurrency,
    perCallbackConcurrency: config.perCallbackConcurrency,
    leaseMs: config.leaseMs,
    pollIntervalMs: config.pollIntervalMs,
    observer: combineObservers([
      // First: the attempt's span gives the job the traceparent the others see.
      ...(tracing ? [tracing.observer] : []),
      ...(metrics ? [metrics.observer] : []),
      pulse.observer,
      ...(options.observers ?? []),
    ]),
  });
  const purge = new PurgeJob({
    store,
    logger,
    clock,
    retentionDays: config.retentionDays,
    idempotencyRetentionDays: config.idempotencyRetentionDays,
    delivering: () => engine.leasesHeld > 0,
  });
  const health = new HealthJob({
    store,
    suspender,
    logger,
    clock,
    autoSuspendAfterMs: config.autoSuspendAfterSeconds * 1000,
  });
  const replays = new ReplayRunner({ store, logger, clock });
  const services = createServices({
    replays,
    store,
    config,
    clock,
    logger,
    engine,
    secretBox: encryption.box,
    ...(tracing ? { tracing } : {}),
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
  let deliveryStopped: Promise<void> | null = null;
  const stopDelivery = (graceMs: number): Promise<void> => {
    deliveryStopped ??= (async () => {
      await purge.stop();
      await health.stop();
      await replays.stop();
      await engine.stop(graceMs);
    })();
    return deliveryStopped;
  };
  return {
    store,
    sender,
    engine,
    purge,
    health,
    replays,
    services,
    workerId,
    stopDelivery,
    metrics,
    pulse,
    tracing,
    async close(graceMs) {
      pulse.stop();
      await stopDelivery(graceMs);
      await sender.close();
      await store.close();
      await tracing?.shutdown();
    },
  };
}
