import type { preHandlerHookHandler } from 'fastify';
import type { SignedInProfile } from '../auth/auth.service';
import type { Actor, Ctx } from '../context';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    mustChangePassword: boolean;
    /** What authentication loaded about the signed-in user (email, MFA, grants); null when anonymous. */
    signedIn: SignedInProfile | null;
    /** The service context of this request (database, actor, facility, request id, time). */
    ctx: Ctx;
  }
  interface FastifyInstance {
    /**
     * A preHandler that answers 403 unless the actor holds the permission (or one of the alternatives)
     * in the current facility.
     */
    requirePermission: (permission: string, ...alternatives: string[]) => preHandlerHookHandler;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
    /** Reachable while the user must still change their password. */
    allowDuringPasswordChange?: boolean;
    /** POST that honours the Idempotency-Key header. */
    idempotent?: boolean;
  }
}
