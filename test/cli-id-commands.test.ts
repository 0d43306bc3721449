/**
 * `gridhook id create | list | find | update`: the ECGrid ID directory
 * commands, run in process against a SQLite database, answering JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { ROOT_LOGIN } from '../src/cli/root-key.js';
import { generateApiKey } from '../src/services/api-keys.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-cli-'));
  const store = openSqliteStore(path.join(dataDir, 'gridhook.db'));
  await store.migrate();
  const key = generateApiKey();
  await store.ensureRootUser(ROOT_LOGIN, key.hash, key.prefix);
  await store.close();
});

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Runs the CLI; answers its exit code, its stdout (also parsed as JSON, or null) and its stderr. */
async function gridhook(...args: string[]): Promise<{ code: number; json: any; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main([...args, '--data-dir', dataDir, '--log-level', 'silent']);
    let json: unknown = null;
    try {
      json = JSON.parse(stdout);
    } catch {
      json = null;
    }
    return { code, json, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('gridhook id', () => {
  it('creates, lists, finds and updates ECGrid IDs', async () => {
    const created = await gridhook('id', 'create', '--mailbox', '1', '--qualifier', 'ZZ', '--id', 'ACME', '--description', 'Acme Corp');
    expect(created.code).toBe(0);
    expect(created.json).toMatchObject({ mailboxId: 1, networkId: 1, qualifier: 'ZZ', id: 'ACME', description: 'Acme Corp', status: 'Active' });
    const ecGridId = created.json.ecGridId as number;

    const listed = await gridhook('id', 'list', '--mailbox', '1');
    expect(listed.json).toMatchObject({ totalRecords: 1, items: [{ ecGridId, id: 'ACME' }] });

    const found = await gridhook('id', 'find', '--qualifier', 'ZZ', '--id', 'ACME');
    expect(found.json).toEqual([expect.objectContaining({ ecGridId })]);
    expect((await gridhook('id', 'find', '--qualifier', 'ZZ', '--id', 'NOBODY')).json).toEqual([]);

    const suspended = await gridhook('id', 'update', '--ecgrid-id', String(ecGridId), '--status', 'Suspended');
    expect(suspended.json).toMatchObject({ ecGridId, status: 'Suspended' });
    expect((await gridhook('id', 'list', '--status', 'Suspended')).json.totalRecords).toBe(1);
    const terminated = await gridhook('id', 'update', '--ecgrid-id', String(ecGridId), '--status', 'Terminated');
    expect(terminated.json).toMatchObject({ status: 'Terminated' });
  });

  it('says what is wrong, with exit code 1', async () => {
    await gridhook('id', 'create', '--mailbox', '1', '--qualifier', 'ZZ', '--id', 'TWICE');
    const again = await gridhook('id', 'create', '--mailbox', '1', '--qualifier', 'ZZ', '--id', 'TWICE');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^DuplicateObject: ECGrid ID ZZ:TWICE already exists/);
    const missing = await gridhook('id', 'create', '--qualifier', 'ZZ', '--id', 'X');
    expect(missing).toMatchObject({ code: 1, stderr: 'InvalidParameter: --mailbox is required\n' });
    const badStatus = await gridhook('id', 'update', '--ecgrid-id', '1', '--status', 'Paused');
    expect(badStatus.stderr).toMatch(/^InvalidParameter: status: must be one of Active, Suspended, Terminated/);
    const unknown = await gridhook('id', 'update', '--ecgrid-id', '999999', '--status', 'Active');
    expect(unknown.stderr).toBe('ObjectNotFound: ECGrid ID 999999 was not found.\n');
  });

  it('is listed in --help', async () => {
    const help = await gridhook('--help');
    expect(help.code).toBe(0);
    for (const command of ['id create --mailbox ID --qualifier Q --id X', 'id list', 'id find --qualifier Q --id X', 'id update --ecgrid-id N']) {
      expect(help.stdout).toContain(`gridhook ${command}`);
    }
    expect(help.stdout).toContain('GRIDHOOK_MAX_PARCEL_BYTES');
  });
});
