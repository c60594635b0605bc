import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import { createJobs, type Jobs } from '../../platform/jobs/jobs';
import { opdModule } from './index';

let t: TestApp;
let jobs: Jobs;
beforeAll(async () => {
  t = await createTestApp();
  jobs = createJobs({
    database: t.database,
    logger: pino({ level: 'silent' }),
    pollingIntervalSeconds: 0.5,
    cronMonitorIntervalSeconds: 1,
    stopTimeoutMs: 5000,
  });
  await opdModule.jobs?.(jobs, t.app.deps);
  await jobs.start();
});
afterAll(async () => {
  await jobs.stop();
  await t.close();
});

describe('OPD background jobs', () => {
  it('schedules the nightly slot window and runs it to completion', async () => {
    const stats = await jobs.stats();
    expect(stats.find((s) => s.name === 'opd.materialize-slots')?.schedules).toEqual(['30 0 * * *']);
    const id = await jobs.send('opd.materialize-slots', {});
    expect(id).toEqual(expect.any(String));
    const deadline = Date.now() + 20_000;
    let state = '';
    while (Date.now() < deadline) {
      const [row] = await rowsOf<{ state: string }>(
        t.database.db,
        sql`select state::text from pgboss.job where id = ${id}`,
      );
      state = row?.state ?? '';
      if (state === 'completed' || state === 'failed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(state).toBe('completed');
  });
});
