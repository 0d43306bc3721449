import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSync, GroupFlush } from '../src/store/sqlite/wal-sync.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A flush the test finishes by hand, recording when each one started. */
function manualFlush() {
  const started: number[] = [];
  const finishers: ((error?: Error) => void)[] = [];
  let clock = 0;
  const flush = () =>
    new Promise<void>((resolve, reject) => {
      started.push(++clock);
      finishers.push((error) => (error ? reject(error) : resolve()));
    });
  const tick = () => ++clock;
  return { flush, started, finishers, tick };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupFlush', () => {
  it('starts a flush at once when none runs, and answers when it ends', async () => {
    const m = manualFlush();
    const group = new GroupFlush(m.flush);
    let done = false;
    const waiting = group.sync().then(() => (done = true));
    expect(m.started).toHaveLength(1);
    await settled();
    expect(done).toBe(false);
    m.finishers[0]!();
    await waiting;
    expect(done).toBe(true);
  });

  it('makes callers who ask during a flush wait for one next flush, shared by all of them', async () => {
    const m = manualFlush();
    const group = new GroupFlush(m.flush);
    const first = group.sync();
    const asked = m.tick();
    const order: string[] = [];
    const second = group.sync().then(() => order.push('second'));
    const third = group.sync().then(() => order.push('third'));
    expect(m.started).toHaveLength(1);

    m.finishers[0]!();
    await first;
    await settled();
    // The running flush may predate their commits: a new one starts, after they asked.
    expect(m.started).toHaveLength(2);
    expect(m.started[1]).toBeGreaterThan(asked);
    expect(order).toEqual([]);
    m.finishers[1]!();
    await Promise.all([second, third]);
    expect(order).toEqual(['second', 'third']);
    expect(m.started).toHaveLength(2);
  });

  it('rejects the callers of a failed flush, and the next call flushes again', async () => {
    const m = manualFlush();
    const group = new GroupFlush(m.flush);
    const first = group.sync();
    const queued = group.sync();
    m.finishers[0]!(new Error('EIO'));
    await expect(first).rejects.toThrow('EIO');
    await settled();
    m.finishers[1]!(new Error('EIO again'));
    await expect(queued).rejects.toThrow('EIO again');
    const later = group.sync();
    expect(m.started).toHaveLength(3);
    m.finishers[2]!();
    await expect(later).resolves.toBeUndefined();
  });
});

describe('FileSync', () => {
  it('syncs a real file through one descriptor, and recovers when the file appears later', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridhook-walsync-'));
    dirs.push(dir);
    const file = join(dir, 'db-wal');
    const sync = new FileSync(file);
    await expect(sync.flush()).rejects.toMatchObject({ code: 'ENOENT' });
    writeFileSync(file, 'frames');
    await expect(sync.flush()).resolves.toBeUndefined();
    await expect(sync.flush()).resolves.toBeUndefined();
    await sync.close();
    await sync.close();
  });
});
