import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Registry } from 'prom-client';
import { modules } from './modules/index';
import { accessRoutes } from './platform/access/access.routes';
import { syncPermissions } from './platform/access/access.service';
import { platformPermissionDeclarations } from './platform/access/permissions';
import { auditRoutes } from './platform/audit/audit.routes';
import { registerAuthentication } from './platform/auth/auth.plugin';
import { authRoutes } from './platform/auth/auth.routes';
import { AccessTokens, loadSigningKey } from './platform/auth/tokens';
import type { Config } from './platform/config/config';
import { loadFieldCipher } from './platform/crypto/field-cipher';
import type { Database } from './platform/db/database';
import { eventsAdminRoutes } from './platform/events/events.routes';
import { EventRegistry } from './platform/events/outbox';
import { registerFhirApi, sendFhirNotFound, sendOutcome } from './platform/fhir/fhir-api';
import { FHIR_PREFIX } from './platform/fhir/fhir-http';
import './platform/http/fastify-types';
import { registerHttpPlatform } from './platform/http/http.plugin';
import { registerIdempotency } from './platform/http/idempotency';
import { replyWithProblem } from './platform/http/problem';
import type { AppDeps, ModuleDefinition } from './platform/module';
import { createMetricsRegistry, observabilityRoutes } from './platform/observability/observability.plugin';
import { organizationRoutes } from './platform/organization/organization.routes';

export type BuildAppOptions = {
  config: Config;
  database: Database;
  logger?: FastifyServerOptions['logger'];
  /** Modules to load; defaults to all of modules/index.ts. */
  modules?: readonly ModuleDefinition[];
  metrics?: Registry;
  events?: EventRegistry;
};

export type App = FastifyInstance & { deps: AppDeps; metrics: Registry };

/** Builds the HTTP app: platform plugins first, then every module. Does not listen or start background work. */
export async function buildApp(options: BuildAppOptions): Promise<App> {
  const { config, database } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    trustProxy: true,
    bodyLimit: 2 * 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    // Router errors (a path parameter over 200 characters, a malformed URL) answer like every other error.
    frameworkErrors: (err, request, reply) =>
      request.url.startsWith(`${FHIR_PREFIX}/`)
        ? sendOutcome(request, reply, err)
        : replyWithProblem(err, request, reply),
    ajv: { customOptions: { removeAdditional: false } },
  });
  const events = options.events ?? new EventRegistry();
  const metrics = options.metrics ?? createMetricsRegistry();
  const deps: AppDeps = { config, database, events };
  app.decorate('deps', deps);
  app.decorate('metrics', metrics);

  const loaded = options.modules ?? modules;
  for (const m of loaded) await m.seedReference?.(database.db);
  await syncPermissions(database.db, [
    ...platformPermissionDeclarations,
    ...loaded.flatMap((m) => m.permissions),
  ]);
  const tokens = new AccessTokens(
    await loadSigningKey(database.db, config),
    config.NEWHMS_ACCESS_TOKEN_TTL_SECONDS,
  );
  const authSettings = { tokens, config, cipher: await loadFieldCipher(database.db, config) };

  await registerHttpPlatform(app, config);
  registerAuthentication(app, database, authSettings);
  registerIdempotency(app, database.db);
  await observabilityRoutes(app, database, metrics);
  await authRoutes(app, authSettings);
  await accessRoutes(app);
  await auditRoutes(app, database);
  await organizationRoutes(app);
  await eventsAdminRoutes(app, { database, requirePermission: (p) => app.requirePermission(p) });
  for (const m of loaded) await m.plugin(app, deps);
  await registerFhirApi(app, deps, loaded);

  await serveWebApp(app, config);
  return app as unknown as App;
}

/** Serves the built web app with a fallback to index.html for client-side routes. */
async function serveWebApp(app: FastifyInstance, config: Config): Promise<void> {
  const root = config.NEWHMS_WEB_DIR ?? fileURLToPath(new URL('../../web/dist', import.meta.url));
  if (!existsSync(`${root}/index.html`)) return;
  await app.register(fastifyStatic, { root, wildcard: false, index: ['index.html'] });
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (path.startsWith('/fhir/')) return sendFhirNotFound(request, reply);
    if (path.startsWith('/api/')) {
      return reply.status(404).type('application/problem+json').send({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        code: 'ROUTE_NOT_FOUND',
        requestId: request.id,
      });
    }
    const file = path.slice(1);
    if (file && !file.includes('..') && existsSync(`${root}/${file}`)) return reply.sendFile(file);
    return reply.type('text/html').sendFile('index.html');
  });
}
