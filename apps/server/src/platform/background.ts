import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { startDispatcher } from './events/dispatcher';
import { registerEventMetrics } from './events/events.metrics';
import { startNatsRelay } from './events/nats-relay';
import { purgeIdempotencyKeys } from './http/idempotency';
import { createJobs } from './jobs/jobs';
import { registerJobMetrics } from './jobs/jobs.metrics';
import { registerPlatformJobs } from './jobs/platform-jobs';
import type { AppDeps, ModuleDefinition } from './module';

/** Background work of a server process: event dispatch, the NATS relay, and scheduled jobs. */
export async function startBackgroundWork(
  deps: AppDeps,
  modules: readonly ModuleDefinition[],
  log: FastifyBaseLogger,
  metrics: Registry,
) {
  const { database, config, events } = deps;
  // Fastify's logger is the pino instance it was built with.
  const logger = log as unknown as Logger;
  const eventMetrics = registerEventMetrics(metrics, database);
  const dispatcher = startDispatcher({
    database,
    registry: events,
    logger,
    pollMs: config.NEWHMS_EVENTS_POLL_MS,
    metrics: eventMetrics,
  });
  const relay = config.NATS_URL
    ? startNatsRelay({
        database,
        url: config.NATS_URL,
        stream: config.NEWHMS_NATS_STREAM,
        logger,
        metrics: eventMetrics,
      })
    : undefined;
  const jobs = createJobs({ database, logger, metrics: registerJobMetrics(metrics), work: true });
  await registerPlatformJobs(jobs, database);
  jobs.define('http.purge-idempotency-keys', async () => purgeIdempotencyKeys(database.db, new Date()), {
    retryLimit: 3,
  });
  await jobs.schedule('http.purge-idempotency-keys', '41 2 * * *');
  for (const m of modules) await m.jobs?.(jobs, deps);
  await jobs.start();
  return {
    jobs,
    async stop() {
      await jobs.stop();
      await relay?.stop();
      await dispatcher.stop();
    },
  };
}
