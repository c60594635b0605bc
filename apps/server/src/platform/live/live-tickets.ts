import { and, eq } from 'drizzle-orm';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { sessions, users } from '../auth/auth.tables';
import { loadSigningKey } from '../auth/tokens';
import type { Config } from '../config/config';
import type { Actor } from '../context';
import type { Db } from '../db/database';
import { Unauthorized } from '../http/errors';

// A browser's EventSource cannot send an Authorization header, and the access token must not travel in a
// URL (it would land in proxy and server logs, and it opens every API for 15 minutes). So a signed-in client
// asks for a ticket (an authenticated POST), and opens the stream with ?ticket=: a JWT for one purpose
// (`scope`), one facility and one session, valid for a minute, signed with the access-token key but for
// another audience (a ticket is no access token and an access token is no ticket). On redemption the
// session must still be live and the user active; the stream then lasts at most `maxStreamSeconds`, after
// which the client asks for a new ticket (a revoked session thus loses its streams within that time).

const AUDIENCE = 'newhms-live';
const ISSUER = 'newhms';

export type LiveTicketClaims = { userId: string; sessionId: string; facilityId: string; scope: string };

export class LiveTickets {
  private key: Promise<Uint8Array> | undefined;

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    readonly ttlSeconds = 60,
  ) {}

  /** How long a stream opened with a ticket may last: the life of an access token. */
  get maxStreamSeconds(): number {
    return this.config.NEWHMS_ACCESS_TOKEN_TTL_SECONDS;
  }

  private signingKey(): Promise<Uint8Array> {
    this.key ??= loadSigningKey(this.db, this.config);
    return this.key;
  }

  /** A ticket for the signed-in actor of a facility, for one scope (e.g. "ipd.bed-board"). */
  async issue(actor: Actor, scope: string, now: Date): Promise<{ ticket: string; expiresAt: string }> {
    if (actor.type !== 'user' || !actor.facilityId) throw new Unauthorized();
    const exp = Math.floor(now.getTime() / 1000) + this.ttlSeconds;
    const ticket = await new SignJWT({ sid: actor.sessionId, fid: actor.facilityId, scope })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(actor.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .setExpirationTime(exp)
      .sign(await this.signingKey());
    return { ticket, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /**
   * The actor a ticket stands for, when it is ours, of this scope, not expired, and its session still live
   * (not revoked, not expired) with an active user; 401 otherwise. The actor carries `permissions` as the
   * one permission the ticket was issued under.
   */
  async redeem(
    ticket: string,
    scope: string,
    permission: string,
    now: Date,
  ): Promise<Actor & { type: 'user' }> {
    const claims = await this.verify(ticket, now);
    if (!claims || claims.scope !== scope) {
      throw new Unauthorized('LIVE_TICKET_INVALID', 'The ticket is missing, expired or not for this stream');
    }
    const [row] = await this.db
      .select({ session: sessions, name: users.displayName, status: users.status })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.id, claims.sessionId), eq(sessions.userId, claims.userId)));
    if (!row || row.session.revokedAt || row.session.expiresAt <= now || row.status !== 'active') {
      throw new Unauthorized('LIVE_TICKET_INVALID', 'The session of this ticket has ended; sign in again');
    }
    return {
      type: 'user',
      userId: claims.userId,
      name: row.name,
      sessionId: claims.sessionId,
      facilityId: claims.facilityId,
      roles: [],
      permissions: new Set([permission]),
    };
  }

  private async verify(ticket: string, now: Date): Promise<LiveTicketClaims | null> {
    try {
      const { payload } = await jwtVerify(ticket, await this.signingKey(), {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        currentDate: now,
      });
      const { sub, sid, fid, scope } = payload as Record<string, unknown>;
      if (typeof sub !== 'string' || typeof sid !== 'string' || typeof fid !== 'string') return null;
      if (typeof scope !== 'string') return null;
      return { userId: sub, sessionId: sid, facilityId: fid, scope };
    } catch (e) {
      if (e instanceof joseErrors.JOSEError || e instanceof TypeError) return null;
      throw e;
    }
  }
}
