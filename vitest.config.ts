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
          // A file's first test pays for loading the FHIR validators or PDFKit's fonts (up to 7 s on a busy
          // 2-CPU machine): over Vitest's default of 5 s, though nothing is wrong.
          testTimeout: 30_000,
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
          // One module graph per worker, not per file: importing the whole server again for each of ~170 files
          // was most of this project's time (30 billing and IPD files: 716 s -> 266 s, import 279 s -> 20 s).
          // Each file still builds its own app on its own copy of the template database (test/harness.ts),
          // so what a file can share with the next is module-level state only, which the modules keep free
          // of per-database data.
          isolate: false,
        },
      },
    ],
  },
});
