import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/database';
import { migrationsAreCurrent } from '../db/migrate';

/** A metrics registry per app, so that several apps in one process (tests) do not collide. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** /health (alive), /ready (database reachable and migrations current), /metrics, and HTTP histograms. */
export async function observabilityRoutes(app: FastifyInstance, database: Database, registry: Registry) {
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.get('/health', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/ready', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    try {
      await database.query('select 1');
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: 'unreachable' });
    }
    if (!(await migrationsAreCurrent(database))) {
      return reply.status(503).send({ status: 'unavailable', database: 'migrations pending' });
    }
    return { status: 'ready' };
  });

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
