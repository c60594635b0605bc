import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Config } from '../config/config';
import type { Db } from '../db/database';
import { secrets } from '../db/platform.tables';

export type AccessClaims = { sub: string; sid: string };

/** An opaque random token (refresh token, MFA challenge) and the hash we store instead of it. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The signing key: from configuration, or generated once and stored so that restarts keep sessions. */
export async function loadSigningKey(db: Db, config: Config): Promise<Uint8Array> {
  if (config.NEWHMS_TOKEN_SECRET) return new TextEncoder().encode(config.NEWHMS_TOKEN_SECRET);
  const name = 'access-token-signing-key';
  await db
    .insert(secrets)
    .values({ name, value: randomBytes(48).toString('base64url') })
    .onConflictDoNothing();
  const [row] = await db.select().from(secrets).where(eq(secrets.name, name));
  return new TextEncoder().encode(row!.value);
}

export class AccessTokens {
  constructor(
    private readonly key: Uint8Array,
    readonly ttlSeconds: number,
  ) {}

  sign(claims: AccessClaims): Promise<string> {
    return new SignJWT({ sid: claims.sid })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer('newhms')
      .setAudience('newhms-staff')
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  /** The claims of a valid token, or null (expired, forged, malformed). */
  async verify(token: string): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: 'newhms',
        audience: 'newhms-staff',
        algorithms: ['HS256'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
      return { sub: payload.sub, sid: payload.sid };
    } catch (e) {
      if (e instanceof joseErrors.JOSEError || e instanceof TypeError) return null;
      throw e;
    }
  }
}
