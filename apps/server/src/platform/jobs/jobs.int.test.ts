import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../audit/audit.service';
import { auditPending } from '../audit/audit.tables';
import { loginChallenges, users } from '../auth/auth.tables';
import { systemCtx } from '../context';
import { openTestPglite, openTestPostgres, type TestDatabase } from '../events/test-databases';
import { createJobs, type Jobs } from './jobs';
import { registerJobMetrics } from './jobs.metrics';
import { registerPlatformJobs } from './platform-jobs';

const logger = pino({ level: 'silent' });

async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function describeJobs(open: () => Promise<TestDatabase>) {
  let t: TestDatabase;
  let jobs: Jobs;
  const registry = new Registry();
  const metrics = registerJobMetrics(registry);
  const attempts: Record<string, number> = {};
  const ticks: number[] = [];

  beforeAll(async () => {
    t = await open();
    jobs = createJobs({
      database: t.database,
      logger,
      metrics,
      pollingIntervalSeconds: 0.5,
      cronMonitorIntervalSeconds: 1,
      stopTimeoutMs: 5000,
    });
    jobs.define<{ key: string; failTimes: number }>(
      'test.flaky',
      async (data, job) => {
        attempts[data.key] = (attempts[data.key] ?? 0) + 1;
        if (job.retryCount < data.failTimes) throw new Error(`failure ${job.retryCount + 1}`);
      },
      { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: false },
    );
    jobs.define('test.tick', async () => {
      ticks.push(Date.now());
    });
    await registerPlatformJobs(jobs, t.database);
    await jobs.start();
    await jobs.schedule('test.tick', '* * * * *');
  });
  afterAll(async () => {
    await jobs?.stop();
    await t?.dispose();
  });

  const failuresOf = async (job: string) =>
    (await registry.getSingleMetric('newhms_job_failures_total')!.get()).values.find(
      (v) => v.labels.job === job,
    )?.value ?? 0;

  it('retries a failing job after its delay until it succeeds, counting each failure', async () => {
    const key = randomUUID();
    const before = await failuresOf('test.flaky');
    await jobs.send('test.flaky', { key, failTimes: 1 });
    await eventually(async () => attempts[key] === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(attempts[key]).toBe(2);
    expect((await failuresOf('test.flaky')) - before).toBe(1);
  });

  it('gives up after the retry limit', async () => {
    const key = randomUUID();
    await jobs.send('test.flaky', { key, failTimes: 99 });
    await eventually(async () => attempts[key] === 3);
    await new Promise((r) => setTimeout(r, 2500));
    expect(attempts[key]).toBe(3);
  });

  it('runs a cron schedule', async () => {
    await eventually(async () => ticks.length > 0, 20_000);
    const stats = await jobs.stats();
    expect(stats.find((s) => s.name === 'test.tick')?.schedules).toEqual(['* * * * *']);
    expect(stats.find((s) => s.name === 'audit.seal')?.schedules).toEqual(['* * * * *']);
    expect(stats.find((s) => s.name === 'auth.purge-challenges')?.schedules).toEqual(['17 3 * * *']);
  });

  it('seals pending audit entries (audit.seal)', async () => {
    const entryId = await t.database.db.transaction((tx) =>
      recordAudit(tx, systemCtx(t.database.db, 'test'), { action: 'admin', resourceType: 'test' }),
    );
    await jobs.send('audit.seal', {});
    await eventually(async () => {
      const pending = await t.database.db
        .select()
        .from(auditPending)
        .where(eq(auditPending.entryId, entryId));
      return pending.length === 0;
    });
  });

  it('deletes expired login challenges and keeps live ones (auth.purge-challenges)', async () => {
    const [user] = await t.database.db
      .insert(users)
      .values({ email: `${randomUUID()}@test.newhms.local`, displayName: 'Test', passwordHash: 'x' })
      .returning({ id: users.id });
    const challenge = (minutes: number) => ({
      userId: user!.id,
      tokenHash: randomUUID(),
      purpose: 'mfa',
      expiresAt: sql`now() + ${minutes} * interval '1 minute'`,
    });
    const [expired, live] = await t.database.db
      .insert(loginChallenges)
      .values([challenge(-5), challenge(5)])
      .returning({ id: loginChallenges.id });
    await jobs.send('auth.purge-challenges', {});
    await eventually(async () => {
      const rows = await t.database.db
        .select({ id: loginChallenges.id })
        .from(loginChallenges)
        .where(eq(loginChallenges.userId, user!.id));
      return rows.length === 1 ? rows : undefined;
    }).then((rows) => expect(rows).toEqual([{ id: live!.id }]));
    expect(expired).toBeDefined();
  });
}

describe('jobs (pg-boss) on PGlite', () => describeJobs(openTestPglite));

describe.runIf(process.env.TEST_DATABASE_URL)('jobs (pg-boss) on PostgreSQL (needs TEST_DATABASE_URL)', () =>
  describeJobs(() => openTestPostgres(process.env.TEST_DATABASE_URL!)),
);
