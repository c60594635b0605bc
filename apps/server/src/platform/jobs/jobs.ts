import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '../db/database';
import { type JobMetrics, noJobMetrics } from './jobs.metrics';
import { pgBossDb } from './pg-boss-db';

export type JobContext = { id: string; name: string; retryCount: number; retryLimit: number };
export type JobHandler<T = unknown> = (data: T, job: JobContext) => Promise<void>;

export type JobOptions = {
  /** Retries after the first failure (0: none). */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** Doubles the delay after each retry (pg-boss adds jitter). */
  retryBackoff?: boolean;
  /** A run taking longer than this fails and is retried. */
  expireInSeconds?: number;
};

export type SendOptions = { startAfterSeconds?: number; singletonKey?: string };

export type JobStats = { name: string; queued: number; active: number; schedules: string[] };

export type Jobs = {
  /** Declares a job and its handler; call before start() (or after, and it starts working at once). */
  define<T>(name: string, handler: JobHandler<T>, options?: JobOptions): void;
  /** Runs the job on a cron (UTC unless tz is given), once per schedule tick across all replicas. */
  schedule(name: string, cron: string, data?: object, options?: { tz?: string }): Promise<void>;
  send<T extends object>(name: string, data: T, options?: SendOptions): Promise<string | null>;
  start(): Promise<void>;
  /** Stops fetching new jobs and waits (up to the timeout) for running ones. */
  stop(): Promise<void>;
  stats(): Promise<JobStats[]>;
};

export type CreateJobsOptions = {
  database: Database;
  logger: Logger;
  metrics?: JobMetrics;
  /** false: only send and schedule (a process with NEWHMS_JOBS=off); no workers, no cron clock. */
  work?: boolean;
  pollingIntervalSeconds?: number;
  /** How often the cron clock looks for due schedules (pg-boss allows 1 to 45). */
  cronMonitorIntervalSeconds?: number;
  stopTimeoutMs?: number;
};

type Definition = { name: string; handler: JobHandler<never>; options: JobOptions };

/**
 * Background jobs on pg-boss, in the `pgboss` schema of the same database (PGlite or PostgreSQL):
 * retries with backoff, cron schedules that fire once across replicas, SKIP LOCKED fetching.
 */
export function createJobs(options: CreateJobsOptions): Jobs {
  const { database } = options;
  const log = options.logger.child({ component: 'jobs' });
  const metrics = options.metrics ?? noJobMetrics;
  const work = options.work ?? true;
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  const cronSeconds = options.cronMonitorIntervalSeconds ?? 30;
  const boss = new PgBoss({
    db: pgBossDb(database),
    schema: 'pgboss',
    supervise: work,
    schedule: work,
    cronMonitorIntervalSeconds: cronSeconds,
    // The internal queue that turns a due schedule into a job is polled at most as slowly as the clock.
    cronWorkerIntervalSeconds: Math.min(cronSeconds, 5),
  });
  // pg-boss reports maintenance and clock failures (a database outage) as 'error' events; an
  // EventEmitter without a listener would crash the process on the first one.
  boss.on('error', (error) => log.error({ err: error }, 'pg-boss error'));

  const definitions = new Map<string, Definition>();
  const schedules = new Map<string, { cron: string; data: object; tz: string }>();
  let started = false;

  async function ensureQueue(definition: Definition): Promise<void> {
    const { name, options: o } = definition;
    const queue = {
      name,
      retryLimit: o.retryLimit ?? 3,
      retryDelay: o.retryDelaySeconds ?? 30,
      retryBackoff: o.retryBackoff ?? true,
      expireInSeconds: o.expireInSeconds ?? 15 * 60,
    };
    await boss.createQueue(name, queue);
    // createQueue keeps an existing queue as it is: bring its retry policy up to this release's.
    await boss.updateQueue(name, queue);
  }

  async function startWorker(definition: Definition): Promise<void> {
    const { name, handler } = definition;
    await boss.work<never>(
      name,
      { batchSize: 1, pollingIntervalSeconds, includeMetadata: true },
      async ([job]) => {
        if (!job) return;
        const context = { id: job.id, name, retryCount: job.retryCount, retryLimit: job.retryLimit };
        try {
          await handler(job.data, context);
          metrics.recordCompletion(name);
        } catch (error) {
          metrics.recordFailure(name);
          const final = job.retryCount >= job.retryLimit;
          log[final ? 'error' : 'warn'](
            { err: error, job: name, jobId: job.id, retryCount: job.retryCount },
            final ? 'job failed for the last time' : 'job failed; will retry',
          );
          throw error;
        }
      },
    );
  }

  async function applySchedule(name: string): Promise<void> {
    const s = schedules.get(name)!;
    await boss.schedule(name, s.cron, s.data, { tz: s.tz });
  }

  return {
    define(name, handler, jobOptions = {}) {
      if (definitions.has(name)) throw new Error(`job ${name} defined twice`);
      const definition: Definition = { name, handler: handler as JobHandler<never>, options: jobOptions };
      definitions.set(name, definition);
      if (started) {
        void ensureQueue(definition)
          .then(() => (work ? startWorker(definition) : undefined))
          .catch((error: unknown) => log.error({ err: error, job: name }, 'cannot start job worker'));
      }
    },
    async schedule(name, cron, data = {}, scheduleOptions = {}) {
      if (!definitions.has(name)) throw new Error(`job ${name} is not defined`);
      schedules.set(name, { cron, data, tz: scheduleOptions.tz ?? 'UTC' });
      if (started) await applySchedule(name);
    },
    send(name, data, sendOptions = {}) {
      return boss.send(name, data, {
        ...(sendOptions.startAfterSeconds ? { startAfter: sendOptions.startAfterSeconds } : {}),
        ...(sendOptions.singletonKey ? { singletonKey: sendOptions.singletonKey } : {}),
      });
    },
    async start() {
      if (started) return;
      await boss.start();
      for (const definition of definitions.values()) await ensureQueue(definition);
      if (work) for (const definition of definitions.values()) await startWorker(definition);
      started = true;
      for (const name of schedules.keys()) await applySchedule(name);
      log.info({ jobs: [...definitions.keys()], schedules: [...schedules.keys()], work }, 'jobs started');
    },
    async stop() {
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, wait: true, close: false, timeout: options.stopTimeoutMs ?? 20_000 });
    },
    async stats() {
      const scheduled = await boss.getSchedules();
      return Promise.all(
        [...definitions.keys()].map(async (name) => {
          const queued = (await boss.getQueueSize(name)) ?? 0;
          const notCompleted = (await boss.getQueueSize(name, { before: 'completed' })) ?? 0;
          return {
            name,
            queued,
            active: Math.max(0, notCompleted - queued),
            schedules: scheduled.filter((s) => s.name === name).map((s) => s.cron),
          };
        }),
      );
    },
  };
}
