/**
 * gridhook as an operator runs it, for the scenarios that restart it between
 * runs: `gridhook serve`, or `gridhook api` beside `gridhook worker`, started
 * from the built CLI with the environment given, each process's log kept in
 * its data dir; and the API call the scenarios make with a key.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { ROOT } from './processes.js';

const CLI = path.join(ROOT, 'bin', 'gridhook.js');

export type Command = 'serve' | 'api' | 'worker';

/** One gridhook process, and the API's address (null for a worker). Its log goes to `<data dir>/<command>.log`. */
export async function startGridhook(command: Command, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string | null }> {
  const child = spawn(process.execPath, [CLI, command], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const log = fs.createWriteStream(path.join(env.GRIDHOOK_DATA_DIR!, `${command}.log`), { flags: 'a' });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') process.stderr.write(`gridhook ${command} ended (${code ?? signal}); its log: ${log.path}\n`);
  });
  const url = await new Promise<string | null>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gridhook ${command} ended (${code}) before starting`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      log.write(`${line}\n`);
      if (line.includes('"gridhook started"')) resolve((JSON.parse(line) as { url: string | null }).url);
    });
  });
  return { child, url };
}

/** The processes of one deployment and the API's address. */
export interface Deployment {
  url: string;
  stop(): Promise<void>;
}

/** `gridhook serve`, or `gridhook api` beside `gridhook worker` on the same database. */
export async function deploy(shape: 'serve' | 'split', env: NodeJS.ProcessEnv): Promise<Deployment> {
  const processes = shape === 'serve' ? [await startGridhook('serve', env)] : [await startGridhook('api', env), await startGridhook('worker', env)];
  return {
    url: processes[0]!.url!,
    async stop() {
      await Promise.all(
        processes.map(async ({ child }) => {
          child.kill('SIGTERM');
          if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
        }),
      );
    },
  };
}

/** One REST call; answers its `data`, and throws with the whole answer when it did not succeed. */
export async function call(base: string, key: string, method: 'GET' | 'POST', route: string, body?: unknown): Promise<any> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const answer = (await response.json()) as { success: boolean; data: unknown };
  if (!answer.success) throw new Error(`${method} ${route}: ${JSON.stringify(answer)}`);
  return answer.data;
}
