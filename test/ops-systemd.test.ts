/**
 * docs/systemd/gridhook.service passes `systemd-analyze verify` without a warning (an unknown or
 * misspelt hardening option is only a warning to systemd, so the test insists on none). Skipped
 * where systemd-analyze is not installed.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const UNIT = path.resolve(import.meta.dirname, '..', 'docs', 'systemd', 'gridhook.service');
const haveAnalyze = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0;
if (!haveAnalyze) console.warn('ops-systemd: skipped, systemd-analyze is not installed.');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-systemd-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function verify(text: string): Promise<{ code: number; stderr: string }> {
  const file = path.join(dir, 'gridhook.service');
  // The node this test runs on stands in for /usr/bin/node, which verify checks exists.
  fs.writeFileSync(file, text.replace('/usr/bin/node', process.execPath));
  return new Promise((resolve) => {
    execFile('systemd-analyze', ['verify', file], { timeout: 60_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

describe.skipIf(!haveAnalyze)('the systemd unit', () => {
  it('verifies cleanly, hardening options included', async () => {
    const unit = fs.readFileSync(UNIT, 'utf8');
    for (const option of ['NoNewPrivileges=true', 'ProtectSystem=strict', 'PrivateTmp=true', 'CapabilityBoundingSet=', 'SystemCallFilter=@system-service']) {
      expect(unit).toContain(option);
    }
    expect(await verify(unit)).toEqual({ code: 0, stderr: '' });
    const misspelt = await verify(unit.replace('ProtectSystem=strict', 'ProtectSystm=strict'));
    expect(misspelt.stderr).toMatch(/Unknown key 'ProtectSystm'/);
  });
});
