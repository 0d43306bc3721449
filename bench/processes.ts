/**
 * The child processes of a run: gridhook itself (the real CLI, as an operator
 * starts it), the receiver and the reference client. Every wait here has a
 * deadline, and every child is ended by its own pid.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { request } from 'undici';
import type { LimitReply, LimitRequest } from './limit-client.js';
import type { ChannelStats, ReceiverCommand, ReceiverHello, ReceiverReply, ReceiverRequest } from './receiver.js';
import { preciseNow } from './stats.js';

/** The repository root (this file runs from dist/bench). */
export const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'gridhook.js');
const HERE = import.meta.dirname;

/** Every child still running, so an interrupted bench leaves none behind. */
const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Kills every child of the bench at once; for when the bench itself is interrupted. */
export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once `child` has exited, or after timeoutMs (false). */
function exitOf(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM, then SIGKILL if the child has not gone within graceMs. */
async function end(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (await exitOf(child, graceMs)) return;
  child.kill('SIGKILL');
  await exitOf(child, 5_000);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// --- receiver ---

export interface Receiver {
  port: number;
  pid: number;
  /** The callback URL of a channel, optionally answering only after delayMs. */
  url(channel: string, delayMs?: number): string;
  stats(): Promise<ReceiverReply>;
  channel(name: string): Promise<ChannelStats>;
  reset(channel?: string): Promise<void>;
  /** Every latency the channel has recorded. */
  latencies(channel: string): Promise<number[]>;
  /** Polls until the channel has `unique` distinct events or the deadline passes; answers the last stats. */
  waitFor(name: string, unique: number, timeoutMs: number): Promise<ChannelStats>;
  close(): Promise<void>;
}

const EMPTY_CHANNEL: ChannelStats = {
  received: 0,
  unique: 0,
  duplicates: 0,
  malformed: 0,
  firstAt: null,
  lastAt: null,
  worstBySecond: [],
  warmupLatency: { count: 0, p50: null, p90: null, p99: null, max: null },
  latency: { count: 0, p50: null, p90: null, p99: null, max: null },
};

export async function startReceiver(): Promise<Receiver> {
  const child = track(fork(path.join(HERE, 'receiver.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the receiver did not start within 10 s')), 10_000);
    child.once('message', (message: ReceiverHello) => {
      clearTimeout(timer);
      resolve(message.port);
    });
    child.once('exit', (code) => reject(new Error(`the receiver ended (${code}) before starting`)));
  });

  let nextId = 1;
  const pending = new Map<number, (reply: ReceiverReply) => void>();
  child.on('message', (message: ReceiverReply | ReceiverHello) => {
    if ('id' in message) {
      pending.get(message.id)?.(message);
      pending.delete(message.id);
    }
  });
  const ask = (message: ReceiverCommand): Promise<ReceiverReply> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('the receiver did not answer within 30 s'));
      }, 30_000);
      pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      child.send({ ...message, id } as ReceiverRequest);
    });

  const receiver: Receiver = {
    port,
    pid: child.pid as number,
    url: (channel, delayMs) =>
      `http://127.0.0.1:${port}/${channel}${delayMs === undefined ? '' : `?delayMs=${delayMs}`}`,
    stats: () => ask({ cmd: 'stats' }),
    async channel(name) {
      return (await receiver.stats()).channels[name] ?? EMPTY_CHANNEL;
    },
    async reset(channel) {
      await ask(channel === undefined ? { cmd: 'reset' } : { cmd: 'reset', channel });
    },
    async latencies(channel) {
      return (await ask({ cmd: 'latencies', channel })).latencies ?? [];
    },
    async waitFor(name, unique, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let stats = await receiver.channel(name);
      while (stats.unique < unique && Date.now() < deadline) {
        await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
        stats = await receiver.channel(name);
      }
      return stats;
    },
    close: () => end(child, 5_000),
  };
  return receiver;
}

// --- reference client ---

export async function runLimitClient(request: LimitRequest, timeoutMs: number): Promise<LimitReply> {
  const child = track(fork(path.join(HERE, 'limit-client.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  try {
    return await new Promise<LimitReply>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the reference client did not finish within ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.once('message', (reply: LimitReply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the reference client ended (${code}) without an answer`));
      });
      child.send(request);
    });
  } finally {
    await end(child, 5_000);
  }
}

// --- memory ---

export interface MemorySample {
  /** Milliseconds since sampling began. */
  t: number;
  rssMb: number;
}

/** Resident set size in MB, from /proc on Linux and ps elsewhere; null once the process is gone. */
function readRssMb(pid: number): { rss: number; hwm: number | null } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number | null => {
      const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) : null;
    };
    const rss = kb('VmRSS');
    return rss === null ? null : { rss: rss / 1024, hwm: (kb('VmHWM') ?? 0) / 1024 || null };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || fs.existsSync('/proc/self/status')) return null;
  }
  try {
    const out = execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return out ? { rss: Number(out) / 1024, hwm: null } : null;
  } catch {
    return null;
  }
}

export interface MemoryReport {
  /** Highest of the samples taken every intervalMs. */
  peakSampledMb: number | null;
  /** The kernel's own high-water mark of the process (Linux VmHWM), read just before it was stopped. */
  peakKernelMb: number | null;
  samples: number;
  intervalMs: number;
  /** Down-sampled to about one per second, for the report. */
  series: MemorySample[];
}

class MemorySampler {
  private readonly samples: MemorySample[] = [];
  private readonly started = Date.now();
  private readonly timer: NodeJS.Timeout;
  private hwm: number | null = null;

  constructor(
    private readonly pid: number,
    private readonly intervalMs: number,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.sample();
  }

  private sample(): void {
    const read = readRssMb(this.pid);
    if (read === null) return;
    this.samples.push({ t: Date.now() - this.started, rssMb: Math.round(read.rss * 10) / 10 });
    if (read.hwm !== null) this.hwm = Math.round(read.hwm * 10) / 10;
  }

  stop(): MemoryReport {
    this.sample();
    clearInterval(this.timer);
    const series: MemorySample[] = [];
    let lastSecond = -1;
    for (const s of this.samples) {
      const second = Math.floor(s.t / 1000);
      if (second !== lastSecond) series.push(s);
      lastSecond = second;
    }
    return {
      peakSampledMb: this.samples.length === 0 ? null : Math.max(...this.samples.map((s) => s.rssMb)),
      peakKernelMb: this.hwm,
      samples: this.samples.length,
      intervalMs: this.intervalMs,
      series,
    };
  }
}

/**
 * CPU time (user + system) a process has used, in ms, from /proc on Linux;
 * null elsewhere. Unlike rates, CPU per delivery hardly moves when other work
 * shares the machine, so it is what to compare between runs.
 */
export function cpuTimeMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS : null;
  } catch {
    return null;
  }
}

/** USER_HZ: the unit of /proc/<pid>/stat times; 100 on every common Linux build. */
const CLOCK_TICKS = 100;

// --- gridhook ---

export const ADMIN_KEY = 'gh_bench_root_key_0123456789abcdef';

export interface GridhookOptions {
  databaseUrl: string;
  dataDir: string;
  /** GRIDHOOK_* settings beyond the ones every bench run uses. */
  env: Record<string, string>;
  /** Where node writes a CPU profile when the process ends, or null. */
  cpuProfDir: string | null;
}

export interface Gridhook {
  pid: number;
  baseUrl: string;
  /** When the process was spawned (preciseNow clock). */
  spawnedAt: number;
  /** When /healthz first answered. */
  readyAt: number;
  /** Every GRIDHOOK_* setting it was started with. */
  settings: Record<string, string>;
  /** CPU time used since it answered /healthz (start-up excluded), in ms. */
  cpuMs(): number | null;
  /** SIGTERM (graceful: in-flight attempts finish and are recorded); answers what memory and CPU it used. */
  stop(): Promise<{ memory: MemoryReport; cpuMs: number | null; exit: string; logTail: string[] }>;
}

export async function startGridhook(options: GridhookOptions): Promise<Gridhook> {
  const port = await freePort();
  const settings: Record<string, string> = {
    GRIDHOOK_HOST: '127.0.0.1',
    GRIDHOOK_PORT: String(port),
    GRIDHOOK_DATA_DIR: options.dataDir,
    GRIDHOOK_DATABASE_URL: options.databaseUrl,
    GRIDHOOK_ADMIN_KEY: ADMIN_KEY,
    GRIDHOOK_ALLOW_PRIVATE_URLS: 'true',
    GRIDHOOK_LOG_LEVEL: 'warn',
    GRIDHOOK_SHUTDOWN_GRACE_MS: '5000',
    ...options.env,
  };
  // Only the settings above: a GRIDHOOK_* variable in the caller's shell must not change what is measured.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GRIDHOOK_')));
  const nodeFlags = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  fs.mkdirSync(options.dataDir, { recursive: true });
  const log = fs.openSync(path.join(options.dataDir, 'gridhook.log'), 'a');
  const spawnedAt = preciseNow();
  const child = track(
    spawn(process.execPath, [...nodeFlags, CLI, 'serve'], {
      env: { ...env, ...settings },
      stdio: ['ignore', log, log],
      cwd: ROOT,
    }),
  );
  fs.closeSync(log);
  const logTail = (): string[] => {
    try {
      const lines = fs.readFileSync(path.join(options.dataDir, 'gridhook.log'), 'utf8').split('\n');
      return lines.filter((line) => line.trim() !== '').slice(-10);
    } catch {
      return [];
    }
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const how = child.exitCode ?? child.signalCode;
      throw new Error(`gridhook ended (${how}) before answering:\n${logTail().join('\n')}`);
    }
    if (Date.now() > deadline) {
      await end(child, 5_000);
      throw new Error(`gridhook did not answer /healthz within 30 s:\n${logTail().join('\n')}`);
    }
    try {
      const answer = await request(`${baseUrl}/healthz`, { headersTimeout: 1_000, bodyTimeout: 1_000 });
      await answer.body.dump();
      if (answer.statusCode === 200) break;
    } catch {
      // Not listening yet.
    }
    await sleep(25);
  }
  const readyAt = preciseNow();
  const pid = child.pid as number;
  const sampler = new MemorySampler(pid, 100);
  const cpuAtReady = cpuTimeMs(pid);
  const cpuMs = (): number | null => {
    const now = cpuTimeMs(pid);
    return now === null || cpuAtReady === null ? null : Math.round(now - cpuAtReady);
  };

  return {
    pid,
    baseUrl,
    spawnedAt,
    readyAt,
    settings,
    cpuMs,
    async stop() {
      const memory = sampler.stop();
      const used = cpuMs();
      await end(child, 20_000);
      return { memory, cpuMs: used, exit: String(child.signalCode ?? child.exitCode), logTail: logTail() };
    },
  };
}
