import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps, ModuleDefinition } from '../module';
import { capabilityStatement } from './capability-statement';
import { FHIR_JSON, FHIR_PREFIX, fhirBaseUrl } from './fhir-http';
import { FhirError, outcomeOfError } from './operation-outcome';
import { providedCapability, providedTypesOf, registerProvidedTypes } from './shared-resources';

// Media types a client may accept for our JSON (application/json+fhir is the DSTU2 spelling clients still send).
const JSON_TYPES = new Set([
  '*/*',
  'application/*',
  'application/fhir+json',
  'application/json',
  'application/json+fhir',
]);
const JSON_FORMATS = new Set(['json', 'application/json', 'application/fhir+json', 'application/json+fhir']);

function acceptsJson(request: FastifyRequest): boolean {
  const format = (request.query as Record<string, unknown> | undefined)?._format;
  if (format !== undefined) return typeof format === 'string' && JSON_FORMATS.has(format.toLowerCase());
  const accept = request.headers.accept;
  if (!accept) return true;
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    return JSON_TYPES.has(type) && !params.some((p) => /^q=0(\.0*)?$/.test(p));
  });
}

/** Answers an error as an OperationOutcome (the FHIR context's error handler, and router errors under /fhir). */
export function sendOutcome(request: FastifyRequest, reply: FastifyReply, err: unknown) {
  const { status, outcome, internal } = outcomeOfError(err);
  if (internal) request.log.error({ err }, 'unhandled error');
  else if (status >= 400)
    request.log.info({ status, code: (err as { code?: unknown }).code }, 'fhir request refused');
  return reply.status(status).type(FHIR_JSON).send(outcome);
}

/** 404 OperationOutcome for a path under /fhir that no route serves (also used by the web app's fallback). */
export function sendFhirNotFound(request: FastifyRequest, reply: FastifyReply) {
  return sendOutcome(
    request,
    reply,
    new FhirError(
      404,
      [
        {
          severity: 'error',
          code: 'not-supported',
          details: {
            text: `This server has no ${request.method} ${request.url.split('?')[0]?.slice(0, 200)}`,
          },
        },
      ],
      'ROUTE_NOT_FOUND',
    ),
  );
}

/**
 * The FHIR R4 API at /fhir/R4: one encapsulated Fastify context with its own body parser
 * (application/fhir+json), content negotiation, OperationOutcome errors (including the 401 of the sign-in
 * hook), the CapabilityStatement built from what each module declares, every module's FHIR routes, and the
 * routes of the types several modules provide (shared-resources.ts).
 */
export async function registerFhirApi(
  app: FastifyInstance,
  deps: AppDeps,
  modules: readonly ModuleDefinition[],
): Promise<void> {
  const contributions = modules.flatMap((m) => (m.fhir ? [m.fhir] : []));
  // Before anything is registered: a type claimed twice stops the start with a clear message.
  const provided = providedTypesOf(modules);
  const date = new Date().toISOString();
  await app.register(
    async (fhir) => {
      fhir.addContentTypeParser(
        ['application/fhir+json', 'application/json+fhir'],
        { parseAs: 'string' },
        fhir.getDefaultJsonParser('error', 'error'),
      );
      fhir.setErrorHandler((err, request, reply) => sendOutcome(request, reply, err));
      fhir.setNotFoundHandler(sendFhirNotFound);
      fhir.addHook('preHandler', async (request) => {
        if (!acceptsJson(request)) {
          throw new FhirError(
            406,
            [
              {
                severity: 'error',
                code: 'not-supported',
                details: { text: 'This server answers in application/fhir+json only' },
              },
            ],
            'FHIR_NOT_ACCEPTABLE',
          );
        }
      });
      fhir.addHook('onSend', async (_request, reply, payload) => {
        const type = reply.getHeader('content-type');
        if (type === undefined || /json/i.test(String(type))) reply.header('content-type', FHIR_JSON);
        // Patient data: never kept by shared caches or the browser.
        reply.header('cache-control', 'no-store');
        return payload;
      });

      fhir.get('/metadata', { config: { public: true }, schema: { hide: true } }, async (request) =>
        capabilityStatement(
          [...contributions.flatMap((c) => c.resources), ...provided.map(providedCapability)],
          { baseUrl: fhirBaseUrl(request, deps.config.NEWHMS_PUBLIC_URL), date },
        ),
      );
      for (const c of contributions) await c.routes(fhir, deps);
      await registerProvidedTypes(fhir, deps, provided);
    },
    { prefix: FHIR_PREFIX },
  );
}
