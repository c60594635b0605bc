import type { LoginResponse, TokenResponse } from '@newhms/contracts';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { type Grants, grantRowsOf, groupGrants, loadGrants } from '../access/access.service';
import { recordAudit } from '../audit/audit.service';
import type { Config } from '../config/config';
import type { Actor, Ctx } from '../context';
import type { FieldCipher } from '../crypto/field-cipher';
import type { Db, DbOrTx } from '../db/database';
import { BadRequest, Forbidden, NotFound, RuleViolation, Unauthorized } from '../http/errors';
import { AccountLocked, InvalidCredentials, PasswordChangeRequired, SessionExpired } from './auth.errors';
import { loginChallenges, refreshTokens, sessions, users } from './auth.tables';
import { dummyPasswordHash, hashPassword, passwordProblems, verifyPassword } from './passwords';
import { type AccessTokens, hashToken, newOpaqueToken } from './tokens';
import { enrolmentOf, newRecoveryCodes, newTotpSecret, verifyTotp } from './totp';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;
const CHALLENGE_MINUTES = 5;

export type AuthSettings = {
  tokens: AccessTokens;
  config: Config;
  /** Seals TOTP secrets at rest. */
  cipher: FieldCipher;
};

/** A stored TOTP secret in clear; secrets stored before sealing was introduced are read as they are. */
function openSecret(settings: AuthSettings, stored: string): string {
  return stored.startsWith('v1.') ? settings.cipher.decrypt(stored) : stored;
}

type Issued = { response: TokenResponse; refreshToken: string; sessionId: string };
export type LoginResult = { kind: 'tokens'; issued: Issued } | { kind: 'mfa'; response: LoginResponse };

type UserRow = typeof users.$inferSelect;

function mfaRequiredFor(config: Config, roleNames: string[]): boolean {
  return roleNames.some((r) => config.NEWHMS_MFA_REQUIRED_ROLES.includes(r));
}

async function roleNamesOf(db: Db, userId: string): Promise<string[]> {
  return (await loadGrants(db, userId)).flatMap((g) => g.roles);
}

/** Step one of a login: e-mail and password. Answers tokens, or a challenge for the MFA step. */
export async function login(
  ctx: Ctx,
  settings: AuthSettings,
  input: { email: string; password: string },
): Promise<LoginResult> {
  const [user] = await ctx.db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${input.email.toLowerCase()}`);
  if (!user) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    await auditSecurity(ctx, 'login-failed', 'failure', null, { email: input.email, reason: 'unknown user' });
    throw new InvalidCredentials();
  }
  if (user.lockedUntil && user.lockedUntil > ctx.now) {
    await auditSecurity(ctx, 'login-failed', 'denied', user.id, { reason: 'locked' });
    throw new AccountLocked(user.lockedUntil);
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    await registerFailure(ctx, user, 'wrong password');
    throw new InvalidCredentials();
  }
  if (user.status !== 'active') {
    await auditSecurity(ctx, 'login-failed', 'denied', user.id, { reason: 'disabled' });
    throw new InvalidCredentials();
  }
  const roleNames = await roleNamesOf(ctx.db, user.id);
  if (user.mfaEnabled || mfaRequiredFor(settings.config, roleNames)) {
    const purpose = user.mfaEnabled ? 'mfa' : 'enroll';
    const token = newOpaqueToken();
    await ctx.db.insert(loginChallenges).values({
      userId: user.id,
      tokenHash: hashToken(token),
      purpose,
      expiresAt: new Date(ctx.now.getTime() + CHALLENGE_MINUTES * 60_000),
    });
    return {
      kind: 'mfa',
      response: { mfaRequired: true, mfaEnrollmentRequired: purpose === 'enroll', mfaToken: token },
    };
  }
  return { kind: 'tokens', issued: await startSession(ctx, settings, user, { method: 'password' }) };
}

async function registerFailure(ctx: Ctx, user: UserRow, reason: string): Promise<void> {
  const failed = user.failedLogins + 1;
  const lock = failed >= MAX_FAILED_LOGINS ? new Date(ctx.now.getTime() + LOCKOUT_MINUTES * 60_000) : null;
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        failedLogins: lock ? 0 : sql`${users.failedLogins} + 1`,
        ...(lock ? { lockedUntil: lock } : {}),
      })
      .where(eq(users.id, user.id));
    await recordAudit(
      tx,
      { ...ctx, actor: userActorStub(user) },
      {
        action: 'login-failed',
        resourceType: 'User',
        resourceId: user.id,
        outcome: 'failure',
        detail: { reason, ...(lock ? { lockedUntil: lock.toISOString() } : {}) },
      },
    );
  });
}

function userActorStub(user: { id: string; displayName: string }): Actor {
  return {
    type: 'user',
    userId: user.id,
    name: user.displayName,
    sessionId: '',
    facilityId: null,
    roles: [],
    permissions: new Set(),
  };
}

async function auditSecurity(
  ctx: Ctx,
  action: string,
  outcome: 'success' | 'failure' | 'denied',
  userId: string | null,
  detail: Record<string, unknown>,
): Promise<void> {
  await recordAudit(ctx.db, ctx, { action, resourceType: 'User', resourceId: userId, outcome, detail });
}

async function startSession(
  ctx: Ctx,
  settings: AuthSettings,
  user: UserRow,
  detail: Record<string, unknown>,
): Promise<Issued> {
  const refreshToken = newOpaqueToken();
  const sessionId = await ctx.db.transaction(async (tx) => {
    const [session] = await tx
      .insert(sessions)
      .values({
        userId: user.id,
        createdAt: ctx.now,
        lastSeenAt: ctx.now,
        expiresAt: new Date(ctx.now.getTime() + settings.config.NEWHMS_SESSION_MAX_HOURS * 3_600_000),
        ip: ctx.ip ?? null,
        userAgent: ctx.userAgent?.slice(0, 300) ?? null,
      })
      .returning({ id: sessions.id });
    await tx.insert(refreshTokens).values({ tokenHash: hashToken(refreshToken), sessionId: session!.id });
    await tx
      .update(users)
      .set({ failedLogins: 0, lockedUntil: null, lastLoginAt: ctx.now })
      .where(eq(users.id, user.id));
    await recordAudit(
      tx,
      { ...ctx, actor: userActorStub(user) },
      {
        action: 'login',
        resourceType: 'Session',
        resourceId: session!.id,
        detail,
      },
    );
    return session!.id;
  });
  return { response: await tokenResponse(settings, user, sessionId), refreshToken, sessionId };
}

async function tokenResponse(
  settings: AuthSettings,
  user: UserRow,
  sessionId: string,
): Promise<TokenResponse> {
  return {
    accessToken: await settings.tokens.sign({ sub: user.id, sid: sessionId }),
    tokenType: 'Bearer',
    expiresIn: settings.tokens.ttlSeconds,
    ...(user.mustChangePassword ? { passwordChangeRequired: true } : {}),
  };
}

async function takeChallenge(ctx: Ctx, token: string, purposes: string[]) {
  const [challenge] = await ctx.db
    .select()
    .from(loginChallenges)
    .where(
      and(
        eq(loginChallenges.tokenHash, hashToken(token)),
        isNull(loginChallenges.consumedAt),
        gt(loginChallenges.expiresAt, ctx.now),
      ),
    );
  if (!challenge || !purposes.includes(challenge.purpose) || challenge.attempts >= MAX_FAILED_LOGINS) {
    throw new Unauthorized('AUTH_MFA_TOKEN_INVALID', 'The sign-in step has expired; sign in again');
  }
  const [user] = await ctx.db.select().from(users).where(eq(users.id, challenge.userId));
  if (user?.status !== 'active') throw new InvalidCredentials();
  if (user.lockedUntil && user.lockedUntil > ctx.now) throw new AccountLocked(user.lockedUntil);
  return { challenge, user };
}

/** Step two of a login: a TOTP code or a single-use recovery code. */
export async function verifyMfaLogin(
  ctx: Ctx,
  settings: AuthSettings,
  input: { mfaToken: string; code?: string | undefined; recoveryCode?: string | undefined },
): Promise<Issued> {
  if (!input.code && !input.recoveryCode) {
    throw new BadRequest('AUTH_MFA_CODE_REQUIRED', 'Enter the 6-digit code or a recovery code', [
      { path: 'body.code', message: 'required' },
    ]);
  }
  const { challenge, user } = await takeChallenge(ctx, input.mfaToken, ['mfa']);
  let ok = false;
  let recoveryLeft = user.mfaRecoveryHashes;
  if (input.code && user.mfaSecret) ok = verifyTotp(openSecret(settings, user.mfaSecret), input.code);
  else if (input.recoveryCode) {
    const h = hashToken(input.recoveryCode.toLowerCase());
    ok = user.mfaRecoveryHashes.includes(h);
    recoveryLeft = user.mfaRecoveryHashes.filter((x) => x !== h);
  }
  if (!ok) {
    await ctx.db
      .update(loginChallenges)
      .set({ attempts: challenge.attempts + 1 })
      .where(eq(loginChallenges.id, challenge.id));
    await registerFailure(ctx, user, 'wrong MFA code');
    throw new Unauthorized('AUTH_MFA_CODE_INVALID', 'The code is not right');
  }
  await ctx.db
    .update(loginChallenges)
    .set({ consumedAt: ctx.now })
    .where(eq(loginChallenges.id, challenge.id));
  if (input.recoveryCode)
    await ctx.db.update(users).set({ mfaRecoveryHashes: recoveryLeft }).where(eq(users.id, user.id));
  return startSession(ctx, settings, user, {
    method: input.recoveryCode ? 'password+recovery-code' : 'password+totp',
  });
}

/** Starts TOTP enrolment for a signed-in user, or for one whose login requires it (mfaToken). */
export async function startMfaEnrolment(ctx: Ctx, settings: AuthSettings, mfaToken: string | undefined) {
  const user = await enrollingUser(ctx, mfaToken);
  if (user.mfaEnabled) throw new RuleViolation('AUTH_MFA_ALREADY_ENABLED', 'MFA is already enabled');
  const secret = newTotpSecret();
  await ctx.db
    .update(users)
    .set({ mfaPendingSecret: settings.cipher.encrypt(secret) })
    .where(eq(users.id, user.id));
  return enrolmentOf(secret, user.email);
}

/** Confirms enrolment with a first code; answers the recovery codes (shown once) and, after a login, tokens. */
export async function confirmMfaEnrolment(
  ctx: Ctx,
  settings: AuthSettings,
  input: { mfaToken?: string | undefined; code: string },
): Promise<{ recoveryCodes: string[]; issued?: Issued }> {
  const user = await enrollingUser(ctx, input.mfaToken);
  if (!user.mfaPendingSecret) throw new RuleViolation('AUTH_MFA_NOT_STARTED', 'Start MFA enrolment first');
  if (!verifyTotp(openSecret(settings, user.mfaPendingSecret), input.code)) {
    throw new RuleViolation('AUTH_MFA_CODE_INVALID', 'The code is not right; check the clock of your phone');
  }
  const recoveryCodes = newRecoveryCodes();
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        mfaEnabled: true,
        mfaSecret: user.mfaPendingSecret,
        mfaPendingSecret: null,
        mfaRecoveryHashes: recoveryCodes.map((c) => hashToken(c)),
        version: user.version + 1,
      })
      .where(eq(users.id, user.id));
    await recordAudit(
      tx,
      { ...ctx, actor: ctx.actor.type === 'user' ? ctx.actor : userActorStub(user) },
      {
        action: 'mfa',
        resourceType: 'User',
        resourceId: user.id,
        detail: { enrolled: 'totp' },
      },
    );
  });
  if (input.mfaToken) {
    const { challenge } = await takeChallenge(ctx, input.mfaToken, ['enroll']);
    await ctx.db
      .update(loginChallenges)
      .set({ consumedAt: ctx.now })
      .where(eq(loginChallenges.id, challenge.id));
    const [fresh] = await ctx.db.select().from(users).where(eq(users.id, user.id));
    return {
      recoveryCodes,
      issued: await startSession(ctx, settings, fresh!, { method: 'password+totp-enrolment' }),
    };
  }
  return { recoveryCodes };
}

async function enrollingUser(ctx: Ctx, mfaToken: string | undefined): Promise<UserRow> {
  if (mfaToken) return (await takeChallenge(ctx, mfaToken, ['enroll'])).user;
  if (ctx.actor.type !== 'user') throw new Unauthorized();
  const [user] = await ctx.db.select().from(users).where(eq(users.id, ctx.actor.userId));
  if (!user) throw new Unauthorized();
  return user;
}

/** Rotates the refresh token. A token already used means theft: the whole session is revoked. */
export async function refreshSession(
  ctx: Ctx,
  settings: AuthSettings,
  refreshToken: string,
): Promise<Issued> {
  const hash = hashToken(refreshToken);
  const next = newOpaqueToken();
  const result = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ token: refreshTokens, session: sessions, user: users })
      .from(refreshTokens)
      .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(refreshTokens.tokenHash, hash))
      .for('update');
    if (!row) return { error: new SessionExpired() } as const;
    const { token, session, user } = row;
    if (token.usedAt) {
      await revokeSessionRow(tx, session.id, ctx.now, 'refresh token reused');
      await recordAudit(
        tx,
        { ...ctx, actor: userActorStub(user) },
        {
          action: 'session',
          resourceType: 'Session',
          resourceId: session.id,
          outcome: 'denied',
          detail: { reason: 'refresh token reused; session revoked' },
        },
      );
      return {
        error: new SessionExpired('This sign-in was used elsewhere and has been ended for safety'),
      } as const;
    }
    const problem = sessionProblem(session, settings.config, ctx.now);
    if (problem || user.status !== 'active') return { error: new SessionExpired() } as const;
    await tx.update(refreshTokens).set({ usedAt: ctx.now }).where(eq(refreshTokens.tokenHash, hash));
    await tx.insert(refreshTokens).values({ tokenHash: hashToken(next), sessionId: session.id });
    await tx.update(sessions).set({ lastSeenAt: ctx.now }).where(eq(sessions.id, session.id));
    return { user, sessionId: session.id } as const;
  });
  if ('error' in result) throw result.error;
  return {
    response: await tokenResponse(settings, result.user, result.sessionId),
    refreshToken: next,
    sessionId: result.sessionId,
  };
}

function sessionProblem(
  session: typeof sessions.$inferSelect,
  config: Config,
  now: Date,
): 'revoked' | 'expired' | 'idle' | null {
  if (session.revokedAt) return 'revoked';
  if (session.expiresAt <= now) return 'expired';
  if (session.lastSeenAt.getTime() + config.NEWHMS_SESSION_IDLE_MINUTES * 60_000 <= now.getTime())
    return 'idle';
  return null;
}

async function revokeSessionRow(tx: DbOrTx, sessionId: string, now: Date, reason: string) {
  await tx
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

export async function logout(ctx: Ctx, sessionId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await revokeSessionRow(tx, sessionId, ctx.now, 'logout');
    await recordAudit(tx, ctx, { action: 'logout', resourceType: 'Session', resourceId: sessionId });
  });
}

/** Revokes the refresh token's session, when the client has only the cookie (logout after expiry). */
export async function logoutByRefreshToken(ctx: Ctx, refreshToken: string): Promise<void> {
  const [row] = await ctx.db
    .select({ sessionId: refreshTokens.sessionId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashToken(refreshToken)));
  if (row) await revokeSessionRow(ctx.db, row.sessionId, ctx.now, 'logout');
}

const TOUCH_EVERY_MS = 60_000;

/** What authentication loaded about the signed-in user, kept on the request so /me need not load it again. */
export type SignedInProfile = {
  email: string;
  mfaEnabled: boolean;
  mustChangePassword: boolean;
  grants: Grants;
};

export type Authenticated = {
  actor: Extract<Actor, { type: 'user' }>;
  mustChangePassword: boolean;
  profile: SignedInProfile;
};

/**
 * Turns a bearer token into an actor: checks the token, the session (revoked, expired, idle) and the
 * user, and loads the roles of the chosen facility (header X-Facility-Id, else the default one).
 */
export async function authenticate(
  db: Db,
  settings: AuthSettings,
  token: string,
  requestedFacilityId: string | undefined,
  now: Date,
): Promise<Authenticated> {
  const claims = await settings.tokens.verify(token);
  if (!claims)
    throw new Unauthorized('AUTH_TOKEN_INVALID', 'The access token is missing, expired or not valid');
  // One round trip: the session, its user and the user's role grants.
  const [row] = await db
    .select({ session: sessions, user: users, grantRows: grantRowsOf(sql`${users.id}`) })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, claims.sid), eq(sessions.userId, claims.sub)));
  if (!row) throw new SessionExpired();
  const problem = sessionProblem(row.session, settings.config, now);
  if (problem) {
    if (problem === 'idle') await revokeSessionRow(db, row.session.id, now, 'idle timeout');
    throw new SessionExpired(
      problem === 'idle'
        ? 'You were signed out after a period of inactivity'
        : 'Your session has ended; sign in again',
    );
  }
  if (row.user.status !== 'active') throw new SessionExpired();
  if (now.getTime() - row.session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.session.id));
  }
  const grants = groupGrants(row.grantRows);
  const facilityId = requestedFacilityId ?? row.user.defaultFacilityId ?? grants[0]?.facilityId ?? null;
  const grant = grants.find((g) => g.facilityId === facilityId);
  if (requestedFacilityId && !grant) {
    throw new Forbidden('ACCESS_FACILITY_DENIED', 'You have no role in the requested facility');
  }
  return {
    actor: {
      type: 'user',
      userId: row.user.id,
      name: row.user.displayName,
      sessionId: row.session.id,
      facilityId: grant ? facilityId : null,
      roles: grant?.roles ?? [],
      permissions: new Set(grant?.permissions ?? []),
    },
    mustChangePassword: row.user.mustChangePassword,
    profile: {
      email: row.user.email,
      mfaEnabled: row.user.mfaEnabled,
      mustChangePassword: row.user.mustChangePassword,
      grants,
    },
  };
}

/** The signed-in user as the web app needs it; uses what authentication loaded for this request. */
export function describeMe(ctx: Ctx, settings: AuthSettings, profile: SignedInProfile | null) {
  if (ctx.actor.type !== 'user' || !profile) throw new Unauthorized();
  const user = { id: ctx.actor.userId, displayName: ctx.actor.name, ...profile };
  const grants = profile.grants;
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    mfaEnabled: user.mfaEnabled,
    mfaRequired: mfaRequiredFor(
      settings.config,
      grants.flatMap((g) => g.roles),
    ),
    passwordChangeRequired: user.mustChangePassword,
    facilityId: ctx.actor.facilityId,
    facilities: grants.map((g) => ({
      facilityId: g.facilityId,
      facilityName: g.facilityName,
      timeZone: g.timeZone,
      roles: g.roles,
    })),
    permissions: [...ctx.actor.permissions].sort(),
    sessionId: ctx.actor.sessionId,
  };
}

/** A user changes their own password; other sessions are ended. */
export async function changePassword(ctx: Ctx, input: { currentPassword: string; newPassword: string }) {
  if (ctx.actor.type !== 'user') throw new Unauthorized();
  const [user] = await ctx.db.select().from(users).where(eq(users.id, ctx.actor.userId));
  if (!user) throw new Unauthorized();
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new RuleViolation('AUTH_WRONG_PASSWORD', 'The current password is not right', [
      { path: 'body.currentPassword', message: 'not right' },
    ]);
  }
  assertPasswordPolicy(input.newPassword, user.email, 'body.newPassword');
  if (await verifyPassword(user.passwordHash, input.newPassword)) {
    throw new RuleViolation('AUTH_PASSWORD_REUSED', 'Choose a password different from the current one', [
      { path: 'body.newPassword', message: 'same as the current password' },
    ]);
  }
  const hash = await hashPassword(input.newPassword);
  const sessionId = ctx.actor.sessionId;
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        passwordHash: hash,
        mustChangePassword: false,
        passwordChangedAt: ctx.now,
        version: user.version + 1,
      })
      .where(eq(users.id, user.id));
    await tx
      .update(sessions)
      .set({ revokedAt: ctx.now, revokedReason: 'password changed' })
      .where(
        and(eq(sessions.userId, user.id), isNull(sessions.revokedAt), sql`${sessions.id} <> ${sessionId}`),
      );
    await recordAudit(tx, ctx, { action: 'password', resourceType: 'User', resourceId: user.id });
  });
}

export function assertPasswordPolicy(password: string, email: string, path: string): void {
  const problems = passwordProblems(password, email);
  if (problems.length > 0) {
    throw new RuleViolation(
      'AUTH_WEAK_PASSWORD',
      `The password ${problems.join(', ')}`,
      problems.map((message) => ({ path, message })),
    );
  }
}

export async function listOwnSessions(ctx: Ctx, settings: AuthSettings) {
  if (ctx.actor.type !== 'user') throw new Unauthorized();
  const rows = await ctx.db
    .select()
    .from(sessions)
    .where(
      and(eq(sessions.userId, ctx.actor.userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, ctx.now)),
    )
    .orderBy(desc(sessions.lastSeenAt))
    .limit(100);
  const current = ctx.actor.sessionId;
  return rows
    .filter((s) => sessionProblem(s, settings.config, ctx.now) === null)
    .map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      ip: s.ip,
      userAgent: s.userAgent,
      current: s.id === current,
    }));
}

export async function revokeOwnSession(ctx: Ctx, sessionId: string) {
  if (ctx.actor.type !== 'user') throw new Unauthorized();
  const [s] = await ctx.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, ctx.actor.userId)));
  if (!s) throw new NotFound('The session');
  await ctx.db.transaction(async (tx) => {
    await revokeSessionRow(tx, sessionId, ctx.now, 'revoked by user');
    await recordAudit(tx, ctx, {
      action: 'session',
      resourceType: 'Session',
      resourceId: sessionId,
      detail: { revoked: true },
    });
  });
}

export { PasswordChangeRequired };
