import type { Config } from '../config.js';
import { buildApp } from '../http/app.js';
import type { Logger } from '../logger.js';
import { startMetricsServer, type MetricsServer } from '../metrics/metrics-server.js';
import { describeDatabaseUrl } from '../store/open-store.js';
import { holdDatabase, sqliteFile } from './database-holders.js';
import { ensureRootKey } from './root-key.js';
import { createRuntime } from './runtime.js';

export interface Roles {
  /** Serve the REST and SOAP API. */
  api: boolean;
  /** Deliver events. */
  worker: boolean;
}

export interface RunningService {
  /** The address the API listens on, when it serves one. */
  url: string | null;
  /** Where Prometheus scrapes this process, or null when metrics are off. */
  metricsUrl: string | null;
  stop(): Promise<void>;
}

/** Starts one gridhook process with the given roles and wires SIGTERM/SIGINT to a graceful stop. */
export async function runService(config: Config, roles: Roles, logger: Logger): Promise<RunningService> {
  const role = roles.api && roles.worker ? 'serve' : roles.api ? 'api' : 'worker';
  const runtime = await createRuntime(config, logger, role);
  // `gridhook restore` refuses while this mark says the database is in use.
  const databaseFile = sqliteFile(config.databaseUrl);
  const releaseDatabase = databaseFile ? holdDatabase(databaseFile, role) : () => {};
  logger.info({ database: describeDatabaseUrl(config.databaseUrl) }, 'database ready');

  let url: string | null = null;
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  if (roles.api) {
    const root = await ensureRootKey(runtime.store, config.adminKey, config.dataDir);
    if (root.generated) {
      process.stdout.write(
        `\nRoot API key (shown once; kept in ${root.keyFile}):\n\n  ${root.generated}\n\n` +
          'Send it as the X-API-Key header. Set GRIDHOOK_ADMIN_KEY to choose your own.\n\n',
      );
    }
    if (root.heldElsewhere) {
      logger.warn(
        'Root already has an API key, made by another gridhook process on this database: it is in that ' +
          "process's data dir (root-api-key). Set GRIDHOOK_ADMIN_KEY on every process to choose one key for all.",
      );
    }
    app = await buildApp({
      services: runtime.services,
      config,
      logger,
      metrics: runtime.metrics,
      tracing: runtime.tracing,
      delivering: () => runtime.engine.leasesHeld > 0,
    });
    url = await app.listen({ port: config.port, host: config.host });
  }
  let metricsServer: MetricsServer | null = null;
  let metricsUrl: string | null = null;
  if (runtime.metrics) {
    if (roles.api && config.metricsPort === 0) {
      metricsUrl = `${url}/metrics`;
    } else {
      // A worker serves no API, so without a metrics port of its own it takes the API's.
      metricsServer = await startMetricsServer(runtime.metrics, {
        host: config.host,
        port: config.metricsPort === 0 ? config.port : config.metricsPort,
        token: config.metricsToken,
      });
      metricsUrl = metricsServer.url;
    }
  }
  if (roles.worker) {
    runtime.engine.start();
    runtime.purge.start();
    runtime.health.start();
    runtime.replays.start();
    runtime.pulse.start();
  }
  logger.info({ url, metricsUrl, role, workerId: runtime.workerId }, 'gridhook started');

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info('stopping');
      const deadline = Date.now() + config.shutdownGraceMs;
      // Claiming stops at once; attempts in flight get the grace, then their
      // leases go back. The server stops accepting connections meanwhile, and
      // requests still running at the deadline (a slow download) are cut off,
      // so the whole stop is bounded by the grace.
      const delivery = runtime.stopDelivery(config.shutdownGraceMs);
      const http = app ? closeServerBy(app, deadline) : Promise.resolve();
      await delivery;
      await http;
      // Scrapes go on while delivery drains, so its last figures can be seen.
      await metricsServer?.close();
      await runtime.close(0);
      releaseDatabase();
      logger.info('stopped');
    })();
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'signal received');
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return { url, metricsUrl, stop };
}

/** Closes the HTTP server, waiting for requests in flight until the deadline and no longer. */
async function closeServerBy(app: Awaited<ReturnType<typeof buildApp>>, deadline: number): Promise<void> {
  const closed = app.close();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), Math.max(0, deadline - Date.now()))));
  if ((await Promise.race([closed, late])) === 'late') app.server.closeAllConnections();
  clearTimeout(timer);
  await closed;
}
