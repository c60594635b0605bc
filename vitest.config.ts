import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const exclude = ['**/node_modules/**', '**/dist/**', 'e2e/**'];
/**
 * Extra globs left out of a run, comma-separated (`.ci/run`'s PostgreSQL pass skips the files that behave the
 * same on either database). Vitest's own `--exclude` does not reach a project's list.
 */
const extraExclude = (process.env.TEST_EXCLUDE ?? '')
  .split(',')
  .map((g) => g.trim())
  .filter(Boolean);

export default defineConfig({
  test: {
    // Vitest's default is one worker per CPU less one: a single worker on a 2-CPU CI machine, which leaves a
    // CPU idle while a worker waits on its database. Two workers at least.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['apps/**/*.test.ts', 'packages/**/*.test.ts'],
          exclude: [...exclude, '**/*.int.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['apps/**/*.int.test.ts'],
          exclude: [...exclude, ...extraExclude],
          environment: 'node',
          globalSetup: ['apps/server/test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
    ],
  },
});
