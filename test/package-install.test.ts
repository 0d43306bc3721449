/**
 * The package installs anywhere: `npm pack` gives a tarball that, installed
 * into an empty folder with `npm install --offline` (every dependency from
 * the local npm cache, which `npm ci` filled), runs `gridhook --help` and
 * `gridhook serve` with its console, and exports gridhook/client and
 * gridhook/receiver by name.
 *
 * The folder gets a lockfile made from the project's own (the production
 * entries, with the tarball as gridhook): `--offline` can only install
 * versions the cache holds, and resolving version ranges afresh would need
 * the registry's lists of versions.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from './helpers/process.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface LockEntry {
  dev?: boolean;
  [key: string]: unknown;
}

let folder: string;
let app: string;
let tarball: string;

/** The lockfile of a folder that depends on the tarball alone: gridhook's own production tree under it. */
function appLockfile(tarballName: string, tarballBytes: Buffer): { manifest: object; lock: object } {
  const own = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, any>;
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const spec = `file:${tarballName}`;
  const packages: Record<string, unknown> = {
    '': { name: 'gridhook-install-check', dependencies: { gridhook: spec } },
    'node_modules/gridhook': {
      version: own.version,
      resolved: spec,
      integrity: `sha512-${createHash('sha512').update(tarballBytes).digest('base64')}`,
      license: own.license,
      dependencies: own.dependencies,
      bin: own.bin,
      engines: own.engines,
    },
  };
  for (const [where, entry] of Object.entries(lock.packages)) {
    if (where !== '' && !entry.dev) packages[where] = entry;
  }
  return {
    manifest: { name: 'gridhook-install-check', private: true, dependencies: { gridhook: spec } },
    lock: { name: 'gridhook-install-check', lockfileVersion: 3, requires: true, packages },
  };
}

beforeAll(async () => {
  assertBuilt();
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-package-'));
  app = path.join(folder, 'app');
  fs.mkdirSync(app);
  // The build is npm test's first step; packing again would only rebuild it.
  const packed = await run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', folder], { cwd: ROOT });
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(folder, info!.filename);
  const name = path.basename(tarball);
  fs.copyFileSync(tarball, path.join(app, name));
  const { manifest, lock } = appLockfile(name, fs.readFileSync(tarball));
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(app, 'package-lock.json'), JSON.stringify(lock, null, 2));
  // better-sqlite3 compiles offline against the headers of the Node that runs this, when it has them.
  const nodeHeaders = path.resolve(process.execPath, '..', '..');
  const nodedir = fs.existsSync(path.join(nodeHeaders, 'include', 'node', 'node.h')) ? { npm_config_nodedir: nodeHeaders } : {};
  await run(NPM, ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: app,
    env: { ...process.env, npm_config_update_notifier: 'false', ...nodedir },
    maxBuffer: 16 * 1024 * 1024,
  });
}, 600_000);

afterAll(() => {
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds the compiled service, the built console and the docs, and no tests or sources', async () => {
    const listed = await run('tar', ['tzf', tarball]);
    const files = listed.stdout.split('\n');
    expect(files).toContain('package/bin/gridhook.js');
    expect(files).toContain('package/dist/src/cli/main.js');
    expect(files).toContain('package/dist/console/index.html');
    expect(files).toContain('package/docs/operations.md');
    expect(files).toContain('package/README.md');
    expect(files.some((f) => f.startsWith('package/test/') || f.startsWith('package/src/'))).toBe(false);
  });

  it('runs gridhook --help from an offline install', async () => {
    const help = await run(path.join(app, 'node_modules', '.bin', 'gridhook'), ['--help'], { cwd: app });
    expect(help.stdout).toMatch(/serve/);
    expect(help.stdout).toMatch(/events/);
  });

  it('serves the API and the console from an offline install, and exports its client and receiver kit by name', async () => {
    const data = path.join(folder, 'data');
    const child = spawn(path.join(app, 'node_modules', '.bin', 'gridhook'), ['serve'], {
      cwd: app,
      env: { ...process.env, GRIDHOOK_PORT: '0', GRIDHOOK_DATA_DIR: data, GRIDHOOK_LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const lines: string[] = [];
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`gridhook serve did not start:\n${lines.join('\n')}`)), 30_000);
        readline.createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          if (!line.includes('"gridhook started"')) return;
          clearTimeout(timer);
          resolve((JSON.parse(line) as { url: string }).url);
        });
        readline.createInterface({ input: child.stderr }).on('line', (line) => lines.push(line));
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const consolePage = await fetch(`${url}/console/`);
      expect(consolePage.status).toBe(200);
      expect(await consolePage.text()).toMatch(/<div id="app">/);
      const rootKey = fs.readFileSync(path.join(data, 'root-api-key'), 'utf8').trim();
      const me = await fetch(`${url}/v2/users/me`, { headers: { 'x-api-key': rootKey } });
      expect(((await me.json()) as { data: { role: string } }).data.role).toBe('Root');

      const imports = await run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          "const c = await import('gridhook/client'); const r = await import('gridhook/receiver'); " +
            'console.log(typeof c.createClient, typeof r.verifyWebhook);',
        ],
        { cwd: app },
      );
      expect(imports.stdout.trim()).toBe('function function');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);
});
