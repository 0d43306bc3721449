import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Files that compare the speed of two kinds of run. Beside the other files a
 * busy spell on the shared cores can cost one kind a fifth of its speed, so
 * they run after all the others, one at a time, on a quiet machine.
 */
const ALONE = ['test/fault-isolation.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...ALONE],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'alone', include: ALONE, sequence: { groupOrder: 1 }, maxWorkers: 1 },
      },
    ],
  },
});
