/**
 * Settings: each has a CLI flag, a GRIDHOOK_* environment variable and a
 * default. Flags win over the environment. Values are validated here, once,
 * with an error that names the setting and what it accepts.
 */
import path from 'node:path';

type Parser<T> = (raw: string, name: string) => T;

interface SettingSpec<T> {
  env: string;
  flag: string;
  default: T;
  parse: Parser<T>;
  help: string;
}

class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const integer =
  (min: number, max: number): Parser<number> =>
  (raw, name) => {
    if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
    const value = Number(raw);
    if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
    return value;
  };

const boolean: Parser<boolean> = (raw, name) => {
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
};

const text: Parser<string> = (raw) => raw;

const oneOf =
  <T extends string>(values: readonly T[]): Parser<T> =>
  (raw, name) => {
    if ((values as readonly string[]).includes(raw)) return raw as T;
    throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
  };

const cidrList: Parser<string[]> = (raw, name) => {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(item)) {
      throw new ConfigError(`${name} must be a comma-separated list of networks like 10.0.0.0/8, got "${item}"`);
    }
  }
  return items;
};

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/** A period as 90s, 30m, 12h, 5d or plain seconds; answers seconds. */
const duration =
  (minSeconds: number, maxSeconds: number): Parser<number> =>
  (raw, name) => {
    const match = /^(\d+)\s*([smhd]?)$/i.exec(raw.trim());
    if (!match) throw new ConfigError(`${name} must be a period like 90s, 30m, 12h or 5d, got "${raw}"`);
    const seconds = Number(match[1]) * (DURATION_UNITS[(match[2] || 's').toLowerCase()] as number);
    if (seconds < minSeconds || seconds > maxSeconds) {
      throw new ConfigError(`${name} must be between ${minSeconds} s and ${maxSeconds / 86_400} days, got "${raw}"`);
    }
    return seconds;
  };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;

export const SETTINGS = {
  port: { env: 'GRIDHOOK_PORT', flag: 'port', default: 8080, parse: integer(0, 65535), help: 'HTTP port to listen on' },
  host: { env: 'GRIDHOOK_HOST', flag: 'host', default: '127.0.0.1', parse: text, help: 'address to listen on' },
  dataDir: {
    env: 'GRIDHOOK_DATA_DIR',
    flag: 'data-dir',
    default: './data',
    parse: text,
    help: 'folder for the SQLite database and the generated root key',
  },
  databaseUrl: {
    env: 'GRIDHOOK_DATABASE_URL',
    flag: 'database-url',
    default: '',
    parse: text,
    help: 'sqlite:<file> or postgres://…; default: SQLite file gridhook.db in the data dir',
  },
  adminKey: {
    env: 'GRIDHOOK_ADMIN_KEY',
    flag: 'admin-key',
    default: '',
    parse: text,
    help: 'the root API key; generated on first start and stored in the data dir when unset',
  },
  allowPrivateUrls: {
    env: 'GRIDHOOK_ALLOW_PRIVATE_URLS',
    flag: 'allow-private-urls',
    default: false,
    parse: boolean,
    help: 'allow http:// and private or loopback callback URLs (development only)',
  },
  allowedNetworks: {
    env: 'GRIDHOOK_ALLOWED_NETWORKS',
    flag: 'allowed-networks',
    default: [] as string[],
    parse: cidrList,
    help: 'comma-separated private networks callbacks may reach even when private URLs are refused',
  },
  logLevel: {
    env: 'GRIDHOOK_LOG_LEVEL',
    flag: 'log-level',
    default: 'info' as (typeof LOG_LEVELS)[number],
    parse: oneOf(LOG_LEVELS),
    help: 'pino log level',
  },
  logFormat: {
    env: 'GRIDHOOK_LOG_FORMAT',
    flag: 'log-format',
    default: 'auto' as (typeof LOG_FORMATS)[number],
    parse: oneOf(LOG_FORMATS),
    help: 'json (one JSON object a line), pretty (for people), or auto: pretty when stdout is a terminal',
  },
  metrics: {
    env: 'GRIDHOOK_METRICS',
    flag: 'metrics',
    default: true,
    parse: boolean,
    help: 'serve Prometheus metrics at GET /metrics',
  },
  metricsPort: {
    env: 'GRIDHOOK_METRICS_PORT',
    flag: 'metrics-port',
    default: 0,
    parse: integer(0, 65535),
    help: "port of a listener of its own for /metrics; 0: the API's port (a worker then listens on GRIDHOOK_PORT)",
  },
  metricsToken: {
    env: 'GRIDHOOK_METRICS_TOKEN',
    flag: 'metrics-token',
    default: '',
    parse: text,
    help: 'when set, a scrape must send "Authorization: Bearer <token>"',
  },
  metricsPerCallback: {
    env: 'GRIDHOOK_METRICS_PER_CALLBACK',
    flag: 'metrics-per-callback',
    default: false,
    parse: boolean,
    help: 'also count attempts per callback (one series per callback: mind the cardinality)',
  },
  metricsTopCallbacks: {
    env: 'GRIDHOOK_METRICS_TOP_CALLBACKS',
    flag: 'metrics-top-callbacks',
    default: 10,
    parse: integer(0, 1_000),
    help: 'export the failed attempts of the callbacks failing most in the last 15 minutes, this many at most (0: none)',
  },
  deliveryTimeoutMs: {
    env: 'GRIDHOOK_DELIVERY_TIMEOUT_MS',
    flag: 'delivery-timeout-ms',
    default: 10_000,
    parse: integer(100, 120_000),
    help: 'how long a receiver has to answer an attempt',
  },
  deliveryConcurrency: {
    env: 'GRIDHOOK_DELIVERY_CONCURRENCY',
    flag: 'delivery-concurrency',
    default: 128,
    parse: integer(1, 10_000),
    help: 'attempts in flight at once in one process',
  },
  perCallbackConcurrency: {
    env: 'GRIDHOOK_PER_CALLBACK_CONCURRENCY',
    flag: 'per-callback-concurrency',
    default: 16,
    parse: integer(1, 1_000),
    help: 'attempts in flight at once for one callback, across all workers',
  },
  leaseMs: {
    env: 'GRIDHOOK_LEASE_MS',
    flag: 'lease-ms',
    default: 60_000,
    parse: integer(1_000, 3_600_000),
    help: 'how long a claimed event stays leased to its worker; must exceed the delivery timeout',
  },
  pollIntervalMs: {
    env: 'GRIDHOOK_POLL_INTERVAL_MS',
    flag: 'poll-interval-ms',
    default: 1_000,
    parse: integer(10, 60_000),
    help: 'how often an idle worker looks for due work it was not told about',
  },
  maxResponseBytes: {
    env: 'GRIDHOOK_MAX_RESPONSE_BYTES',
    flag: 'max-response-bytes',
    default: 4_096,
    parse: integer(0, 1_048_576),
    help: "how much of a receiver's answer body is read",
  },
  bodyLimitBytes: {
    env: 'GRIDHOOK_BODY_LIMIT_BYTES',
    flag: 'body-limit-bytes',
    default: 1_048_576,
    parse: integer(1_024, 1_073_741_824),
    help: 'largest request body of the bulk calls (events/publish); parcel uploads have their own limit',
  },
  maxParcelBytes: {
    env: 'GRIDHOOK_MAX_PARCEL_BYTES',
    flag: 'max-parcel-bytes',
    default: 104_857_600,
    parse: integer(1, 4_294_967_296),
    help: 'largest parcel (file) an upload may carry; its base64 upload body may be a third larger',
  },
  callBodyLimitBytes: {
    env: 'GRIDHOOK_CALL_BODY_LIMIT_BYTES',
    flag: 'call-body-limit-bytes',
    default: 65_536,
    parse: integer(1_024, 1_073_741_824),
    help: 'largest request body of every other REST call',
  },
  rateLimitPerMinute: {
    env: 'GRIDHOOK_RATE_LIMIT_PER_MINUTE',
    flag: 'rate-limit-per-minute',
    default: 6_000,
    parse: integer(0, 10_000_000),
    help: 'requests per minute for one API key (Root exempt), or one client address without a valid key; 0: no limit',
  },
  listSharePercent: {
    env: 'GRIDHOOK_LIST_SHARE_PERCENT',
    flag: 'list-share-percent',
    default: 2,
    parse: integer(1, 100),
    help: 'while this process delivers, the most of its time list and chart calls take together, in percent; 100: no limit',
  },
  requestTimeoutMs: {
    env: 'GRIDHOOK_REQUEST_TIMEOUT_MS',
    flag: 'request-timeout-ms',
    default: 30_000,
    parse: integer(1_000, 3_600_000),
    help: 'how long a client may take to send a whole request (headers and body)',
  },
  keepAliveTimeoutMs: {
    env: 'GRIDHOOK_KEEP_ALIVE_TIMEOUT_MS',
    flag: 'keep-alive-timeout-ms',
    default: 5_000,
    parse: integer(100, 600_000),
    help: 'how long an idle keep-alive connection to the API stays open',
  },
  maxResponseHeaderBytes: {
    env: 'GRIDHOOK_MAX_RESPONSE_HEADER_BYTES',
    flag: 'max-response-header-bytes',
    default: 16_384,
    parse: integer(1_024, 1_048_576),
    help: "largest header block of a receiver's answer; a larger one fails the attempt",
  },
  encryptionKey: {
    env: 'GRIDHOOK_ENCRYPTION_KEY',
    flag: 'encryption-key',
    default: '',
    parse: text,
    help: 'key (32 bytes, base64 or hex) encrypting callback credentials at rest; generated on first start and stored in the data dir when unset',
  },
  maxCallbacksPerNetwork: {
    env: 'GRIDHOOK_MAX_CALLBACKS_PER_NETWORK',
    flag: 'max-callbacks-per-network',
    default: 10_000,
    parse: integer(1, 10_000_000),
    help: 'most callbacks one network may register',
  },
  sessionIdleMinutes: {
    env: 'GRIDHOOK_SESSION_IDLE_MINUTES',
    flag: 'session-idle-minutes',
    default: 20,
    parse: integer(1, 1_440),
    help: 'a SOAP session (Login) ends after this many minutes without a call',
  },
  signInsPerMinute: {
    env: 'GRIDHOOK_SIGN_INS_PER_MINUTE',
    flag: 'sign-ins-per-minute',
    default: 10,
    parse: integer(1, 1_000_000),
    help: 'console sign-in attempts per minute for one login name (five times this from one client address)',
  },
  poolSize: {
    env: 'GRIDHOOK_POOL_SIZE',
    flag: 'pool-size',
    default: 10,
    parse: integer(1, 500),
    help: 'PostgreSQL connections per process',
  },
  statementTimeoutMs: {
    env: 'GRIDHOOK_STATEMENT_TIMEOUT_MS',
    flag: 'statement-timeout-ms',
    default: 30_000,
    parse: integer(100, 3_600_000),
    help: 'PostgreSQL statement timeout',
  },
  shutdownGraceMs: {
    env: 'GRIDHOOK_SHUTDOWN_GRACE_MS',
    flag: 'shutdown-grace-ms',
    default: 15_000,
    parse: integer(0, 600_000),
    help: 'on SIGTERM, how long in-flight deliveries may finish before their leases are released',
  },
  retentionDays: {
    env: 'GRIDHOOK_RETENTION_DAYS',
    flag: 'retention-days',
    default: 30,
    parse: integer(0, 36_500),
    help: 'finished events (delivered, failed, canceled; with their attempts) older than this are purged by worker processes; 0 keeps them',
  },
  autoSuspendAfterSeconds: {
    env: 'GRIDHOOK_AUTO_SUSPEND_AFTER',
    flag: 'auto-suspend-after',
    default: 5 * 86_400,
    parse: duration(60, 366 * 86_400),
    help: 'a callback failing without one success this long (90s, 30m, 12h, 5d) is suspended by worker processes, its events kept; a network may set its own',
  },
  idempotencyRetentionDays: {
    env: 'GRIDHOOK_IDEMPOTENCY_RETENTION_DAYS',
    flag: 'idempotency-retention-days',
    default: 7,
    parse: integer(0, 36_500),
    help: 'idempotency keys older than this are purged by worker processes (a repeat after that publishes again); 0 keeps them',
  },
} as const;

export type SettingName = keyof typeof SETTINGS;
export type Config = { [K in SettingName]: (typeof SETTINGS)[K]['default'] extends infer D ? Widen<D> : never };
type Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : T;

/**
 * Builds the configuration from parsed CLI flags (by flag name) and the
 * environment. Throws ConfigError naming the setting on a bad value.
 */
export function loadConfig(flags: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): Config {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(SETTINGS) as [SettingName, SettingSpec<unknown>][]) {
    const flagValue = flags[spec.flag];
    if (flagValue !== undefined) {
      out[key] = spec.parse(String(flagValue), `--${spec.flag}`);
    } else if (env[spec.env] !== undefined) {
      out[key] = spec.parse(env[spec.env] as string, spec.env);
    } else {
      out[key] = spec.default;
    }
  }
  const config = out as Config;
  if (config.leaseMs <= config.deliveryTimeoutMs) {
    throw new ConfigError(
      `GRIDHOOK_LEASE_MS (${config.leaseMs}) must be longer than GRIDHOOK_DELIVERY_TIMEOUT_MS (${config.deliveryTimeoutMs})`,
    );
  }
  config.dataDir = path.resolve(config.dataDir);
  if (!config.databaseUrl) config.databaseUrl = `sqlite:${path.join(config.dataDir, 'gridhook.db')}`;
  return config;
}

/** The settings table for `gridhook --help`. */
export function describeSettings(): string {
  return Object.values(SETTINGS as Record<string, SettingSpec<unknown>>)
    .map((s) => {
      const def = Array.isArray(s.default) ? s.default.join(',') : String(s.default);
      return `  --${s.flag.padEnd(26)} ${s.env.padEnd(36)} ${s.help}${def ? ` (default ${def})` : ''}`;
    })
    .join('\n');
}

export { ConfigError };
