/**
 * The real `gridhook` CLI as a child process, for tests that kill, restart or
 * scale it. Runs the compiled build (npm test compiles first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { TEST_ENCRYPTION_KEY } from './sealing.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(ROOT, 'bin', 'gridhook.js');

export interface GridhookProcess {
  child: ChildProcess;
  /** The API's base URL (null for `worker`). */
  url: string | null;
  /** Every log line so far. */
  lines: string[];
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<number | string>;
}

export function assertBuilt(): void {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm test` (it compiles first) or `npm run build`');
  }
}

/** Starts `gridhook <command>` and resolves once it says it started. */
export async function startGridhook(
  command: 'serve' | 'api' | 'worker',
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<GridhookProcess> {
  assertBuilt();
  const child = spawn(process.execPath, [CLI, command], {
    // One key for every process of a test, and the one tests seal with when they seed callbacks themselves.
    env: { ...process.env, GRIDHOOK_PORT: '0', GRIDHOOK_LOG_LEVEL: 'info', GRIDHOOK_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? code ?? -1));
  });
  const started = new Promise<string | null>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gridhook ${command} did not start:\n${lines.join('\n')}`)), timeoutMs);
    const onLine = (line: string): void => {
      lines.push(line);
      if (!line.includes('"gridhook started"')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string | null }).url);
    };
    readline.createInterface({ input: child.stdout! }).on('line', onLine);
    readline.createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`gridhook ${command} ended (${how}) before starting:\n${lines.join('\n')}`));
    });
  });
  const url = await started;
  return { child, url, lines, exited };
}

/** SIGKILL: no chance to release leases or finish anything. */
export async function killHard(proc: GridhookProcess): Promise<void> {
  proc.child.kill('SIGKILL');
  await proc.exited;
}

export async function stopGracefully(proc: GridhookProcess): Promise<number | string> {
  proc.child.kill('SIGTERM');
  return proc.exited;
}
