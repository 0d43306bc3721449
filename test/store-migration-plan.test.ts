import { describe, expect, it } from 'vitest';
import { pendingMigrations, type Migration } from '../src/store/migration-plan.js';
import { MIGRATIONS as POSTGRES } from '../src/store/postgres/migrations.js';
import { MIGRATIONS as SQLITE } from '../src/store/sqlite/migrations.js';

const m = (version: number): Migration => ({ version, name: `m${version}`, sql: '' });

describe('pendingMigrations', () => {
  it('answers what is not applied yet, by version whatever the list order', () => {
    expect(pendingMigrations([m(1), m(3), m(2)], new Set()).map((x) => x.version)).toEqual([1, 2, 3]);
    expect(pendingMigrations([m(1), m(3), m(2)], new Set([1, 3])).map((x) => x.version)).toEqual([2]);
    expect(pendingMigrations([m(1), m(2)], new Set([1, 2]))).toEqual([]);
  });

  it('refuses a database that has a version newer than every known migration', () => {
    expect(() => pendingMigrations([m(1), m(2)], new Set([1, 2, 7]))).toThrow(
      /schema version 7 but this gridhook knows only up to 2; upgrade gridhook/,
    );
  });

  it('both stores number their migrations 1, 2, 3, … with no gap or repeat', () => {
    for (const list of [SQLITE, POSTGRES]) {
      expect(list.map((x) => x.version).sort((a, b) => a - b)).toEqual(list.map((_, i) => i + 1));
    }
  });
});
