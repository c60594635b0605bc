import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './support/sequencer';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['e2e/global-setup.ts'],
    pool: 'forks',
    // A file at a time per two CPUs: each has its own server (from the pool the global setup keeps started
    // ahead, on a copy of the template, its own port) and its own browser, and alone it keeps 1.3-1.4 CPUs busy
    // (Chromium's renderer ~0.6, its browser process ~0.2, the server ~0.5). On the 2-CPU CI machine two at a
    // time made each file 2.2-2.4x slower and the whole run no faster (739-808 s, against 702-740 s one at a
    // time), and the load opened races the stories were not written for.
    maxWorkers: Math.max(1, Math.floor(availableParallelism() / 2)),
    fileParallelism: true,
    // The longest files first, and how many servers the pool is to start (support/sequencer.ts).
    sequence: { sequencer: LongestFirstSequencer },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
