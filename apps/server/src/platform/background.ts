import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from 'prom-client';
import { sealAuditChain } from './audit/audit.service';
import type { AppDeps } from './module';

/** Background work of a server process: event dispatch, NATS relay, scheduled jobs. */
export async function startBackgroundWork(deps: AppDeps, log: FastifyBaseLogger, _metrics: Registry) {
  const timer = setInterval(() => {
    sealAuditChain(deps.database).catch((err) => log.error({ err }, 'audit sealing failed'));
  }, 5000);
  return {
    async stop() {
      clearInterval(timer);
    },
  };
}
