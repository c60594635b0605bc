import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../audit/audit.service';
import type { Ctx } from '../context';
import type { Database } from '../db/database';
import { Forbidden, Unauthorized } from '../http/errors';
import { type AuthSettings, authenticate, PasswordChangeRequired } from './auth.service';

const FACILITY_HEADER = 'x-facility-id';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function contextOf(request: FastifyRequest, database: Database): Ctx {
  return {
    db: database.db,
    actor: request.actor ?? { type: 'system', name: 'anonymous' },
    facilityId: request.actor?.type === 'user' ? request.actor.facilityId : null,
    requestId: String(request.id),
    ip: request.ip,
    userAgent: request.headers['user-agent'],
    now: new Date(),
  };
}

/**
 * Every route is signed-in only unless its config says public. The bearer token becomes request.actor
 * (with the roles of the facility named by X-Facility-Id); a user who must change the password can reach
 * only the routes that allow it.
 */
export function registerAuthentication(
  app: FastifyInstance,
  database: Database,
  settings: AuthSettings,
): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('mustChangePassword', false);
  app.decorateRequest('signedIn', null);
  app.decorateRequest('ctx', null as unknown as Ctx);

  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const header = request.headers.authorization;
    // The web app's files and the API docs are public; everything under /api/v1 and /fhir needs a sign-in.
    const protectedPath = request.url.startsWith('/api/v1/') || request.url.startsWith('/fhir/');
    const isPublic = !request.routeOptions.url || config?.public === true || !protectedPath;
    if (!header) {
      if (!isPublic) throw new Unauthorized();
    } else {
      const m = /^Bearer ([A-Za-z0-9._~+/=-]{10,4096})$/.exec(header);
      if (!m)
        throw new Unauthorized('AUTH_TOKEN_INVALID', 'The Authorization header must be "Bearer <token>"');
      const facility = request.headers[FACILITY_HEADER];
      if (facility !== undefined && (typeof facility !== 'string' || !UUID.test(facility))) {
        throw new Forbidden('ACCESS_FACILITY_DENIED', 'X-Facility-Id must be a facility id');
      }
      const auth = await authenticate(
        database.db,
        settings,
        m[1]!,
        facility as string | undefined,
        new Date(),
      );
      request.actor = auth.actor;
      request.mustChangePassword = auth.mustChangePassword;
      request.signedIn = auth.profile;
      if (auth.mustChangePassword && !isPublic && !config?.allowDuringPasswordChange) {
        throw new PasswordChangeRequired();
      }
    }
    request.ctx = contextOf(request, database);
  });

  app.decorate('requirePermission', (permission: string, ...alternatives: string[]) => {
    const accepted = [permission, ...alternatives];
    return async (request: FastifyRequest, _reply: FastifyReply) => {
      const actor = request.actor;
      if (!actor) throw new Unauthorized();
      if (actor.type === 'user' && !accepted.some((p) => actor.permissions.has(p))) {
        await recordAudit(database.db, request.ctx, {
          action: 'access-denied',
          resourceType: 'Route',
          resourceId: `${request.method} ${request.routeOptions.url}`,
          outcome: 'denied',
          detail: { permission },
        });
        throw new Forbidden('ACCESS_DENIED', `This needs the ${permission} permission`);
      }
    };
  });
}
