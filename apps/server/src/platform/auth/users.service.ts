import { randomBytes } from 'node:crypto';
import type { User } from '@newhms/contracts';
import { and, asc, eq, gt, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import { roles, userRoles } from '../access/access.tables';
import { recordAudit } from '../audit/audit.service';
import type { Ctx } from '../context';
import { actorId } from '../context';
import type { Db, DbOrTx } from '../db/database';
import { Conflict, NotFound, RuleViolation, StaleVersion } from '../http/errors';
import { decodeCursor, toPage } from '../http/pagination';
import { facilities } from '../organization/organization.tables';
import { assertPasswordPolicy } from './auth.service';
import { sessions, users } from './auth.tables';
import { hashPassword } from './passwords';

type UserRow = typeof users.$inferSelect;
type RoleGrant = { facilityId: string; roleId: string };

/** A one-time password the user must change at first sign-in: 16 characters from a clear alphabet. */
export function temporaryPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

async function toUser(db: DbOrTx, row: UserRow, now: Date): Promise<User> {
  const grants = await db
    .select({ facilityId: userRoles.facilityId, roleId: userRoles.roleId, roleName: roles.name })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(eq(userRoles.userId, row.id))
    .orderBy(asc(roles.name));
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    status: row.status as User['status'],
    locked: Boolean(row.lockedUntil && row.lockedUntil > now),
    mfaEnabled: row.mfaEnabled,
    mustChangePassword: row.mustChangePassword,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    roles: grants,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listUsers(
  ctx: Ctx,
  q: { q?: string | undefined; limit: number; cursor?: string | undefined },
) {
  const cursor = decodeCursor(q.cursor, 2) as [string, string] | undefined;
  const term = q.q ? `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const rows = await ctx.db
    .select()
    .from(users)
    .where(
      and(
        term ? or(ilike(users.displayName, term), ilike(users.email, term)) : undefined,
        cursor ? sql`(lower(${users.displayName}), ${users.id}) > (${cursor[0]}, ${cursor[1]})` : undefined,
      ),
    )
    .orderBy(sql`lower(${users.displayName})`, asc(users.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => [r.displayName.toLowerCase(), r.id]);
  return {
    items: await Promise.all(page.items.map((r) => toUser(ctx.db, r, ctx.now))),
    nextCursor: page.nextCursor,
  };
}

export async function getUser(ctx: Ctx, id: string): Promise<User> {
  const [row] = await ctx.db.select().from(users).where(eq(users.id, id));
  if (!row) throw new NotFound('The user');
  return toUser(ctx.db, row, ctx.now);
}

async function assertGrantsExist(db: DbOrTx, grants: RoleGrant[]): Promise<void> {
  if (grants.length === 0) return;
  const roleIds = [...new Set(grants.map((g) => g.roleId))];
  const facilityIds = [...new Set(grants.map((g) => g.facilityId))];
  const foundRoles = await db.select({ id: roles.id }).from(roles).where(inArray(roles.id, roleIds));
  const foundFacilities = await db
    .select({ id: facilities.id })
    .from(facilities)
    .where(inArray(facilities.id, facilityIds));
  if (foundRoles.length !== roleIds.length || foundFacilities.length !== facilityIds.length) {
    throw new RuleViolation(
      'AUTH_UNKNOWN_ROLE_OR_FACILITY',
      'A role or facility in the list does not exist',
      [{ path: 'body.roles', message: 'unknown role or facility' }],
    );
  }
}

/** Creates a staff user. Without a password, a temporary one is generated and must be changed at first sign-in. */
export async function createUser(
  ctx: Ctx,
  input: { email: string; displayName: string; password?: string | undefined; roles: RoleGrant[] },
  options: { mustChangePassword?: boolean } = {},
): Promise<{ user: User; temporaryPassword?: string }> {
  const generated = input.password ? undefined : temporaryPassword();
  const password = input.password ?? generated!;
  if (input.password) assertPasswordPolicy(input.password, input.email, 'body.password');
  const hash = await hashPassword(password);
  return ctx.db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.email}) = ${input.email.toLowerCase()}`);
    if (existing) throw new Conflict('AUTH_EMAIL_TAKEN', 'A user with this e-mail already exists');
    await assertGrantsExist(tx, input.roles);
    const [row] = await tx
      .insert(users)
      .values({
        email: input.email,
        displayName: input.displayName,
        passwordHash: hash,
        mustChangePassword: options.mustChangePassword ?? true,
        defaultFacilityId: input.roles[0]?.facilityId ?? null,
      })
      .returning();
    if (input.roles.length > 0) {
      await tx
        .insert(userRoles)
        .values(input.roles.map((r) => ({ ...r, userId: row!.id, grantedBy: actorId(ctx.actor) })))
        .onConflictDoNothing();
    }
    await recordAudit(tx, ctx, {
      action: 'admin',
      resourceType: 'User',
      resourceId: row!.id,
      detail: { created: { email: input.email, displayName: input.displayName, roles: input.roles } },
    });
    const user = await toUser(tx, row!, ctx.now);
    return generated ? { user, temporaryPassword: generated } : { user };
  });
}

async function lockedRow(tx: DbOrTx, id: string): Promise<UserRow> {
  const [row] = await tx.select().from(users).where(eq(users.id, id)).for('update');
  if (!row) throw new NotFound('The user');
  return row;
}

export async function updateUser(
  ctx: Ctx,
  id: string,
  input: { displayName?: string | undefined; status?: 'active' | 'disabled' | undefined; version: number },
): Promise<User> {
  return ctx.db.transaction(async (tx) => {
    const row = await lockedRow(tx, id);
    if (row.version !== input.version) throw new StaleVersion('The user');
    if (input.status === 'disabled' && id === actorId(ctx.actor)) {
      throw new RuleViolation('AUTH_SELF_DISABLE', 'You cannot disable your own account');
    }
    const [updated] = await tx
      .update(users)
      .set({
        ...(input.displayName ? { displayName: input.displayName } : {}),
        ...(input.status ? { status: input.status } : {}),
        version: row.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(users.id, id))
      .returning();
    if (input.status === 'disabled') await revokeAllSessions(tx, id, ctx.now, 'account disabled');
    await recordAudit(tx, ctx, {
      action: 'admin',
      resourceType: 'User',
      resourceId: id,
      detail: { before: { displayName: row.displayName, status: row.status }, after: input },
    });
    return toUser(tx, updated!, ctx.now);
  });
}

export async function setUserRoles(
  ctx: Ctx,
  id: string,
  input: { roles: RoleGrant[]; version: number },
): Promise<User> {
  return ctx.db.transaction(async (tx) => {
    const row = await lockedRow(tx, id);
    if (row.version !== input.version) throw new StaleVersion('The user');
    await assertGrantsExist(tx, input.roles);
    const before = await tx.select().from(userRoles).where(eq(userRoles.userId, id));
    await tx.delete(userRoles).where(eq(userRoles.userId, id));
    if (input.roles.length > 0) {
      await tx
        .insert(userRoles)
        .values(input.roles.map((r) => ({ ...r, userId: id, grantedBy: actorId(ctx.actor) })))
        .onConflictDoNothing();
    }
    const defaultFacilityId =
      row.defaultFacilityId && input.roles.some((r) => r.facilityId === row.defaultFacilityId)
        ? row.defaultFacilityId
        : (input.roles[0]?.facilityId ?? null);
    const [updated] = await tx
      .update(users)
      .set({ version: row.version + 1, updatedAt: ctx.now, defaultFacilityId })
      .where(eq(users.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'admin',
      resourceType: 'User',
      resourceId: id,
      detail: {
        roles: {
          before: before.map((b) => ({ facilityId: b.facilityId, roleId: b.roleId })),
          after: input.roles,
        },
      },
    });
    return toUser(tx, updated!, ctx.now);
  });
}

/** Locks an account until an administrator unlocks it (and ends its sessions). */
export async function lockUser(ctx: Ctx, id: string): Promise<User> {
  if (id === actorId(ctx.actor))
    throw new RuleViolation('AUTH_SELF_LOCK', 'You cannot lock your own account');
  return changeLock(ctx, id, new Date('9999-12-31T00:00:00Z'));
}

export async function unlockUser(ctx: Ctx, id: string): Promise<User> {
  return changeLock(ctx, id, null);
}

async function changeLock(ctx: Ctx, id: string, until: Date | null): Promise<User> {
  return ctx.db.transaction(async (tx) => {
    const row = await lockedRow(tx, id);
    const [updated] = await tx
      .update(users)
      .set({ lockedUntil: until, failedLogins: 0, version: row.version + 1, updatedAt: ctx.now })
      .where(eq(users.id, id))
      .returning();
    if (until) await revokeAllSessions(tx, id, ctx.now, 'account locked');
    await recordAudit(tx, ctx, {
      action: 'admin',
      resourceType: 'User',
      resourceId: id,
      detail: { locked: Boolean(until) },
    });
    return toUser(tx, updated!, ctx.now);
  });
}

/** Sets a temporary password, forces a change at next sign-in, and ends the user's sessions. */
export async function resetPassword(ctx: Ctx, id: string): Promise<{ temporaryPassword: string }> {
  const password = temporaryPassword();
  const hash = await hashPassword(password);
  await ctx.db.transaction(async (tx) => {
    const row = await lockedRow(tx, id);
    await tx
      .update(users)
      .set({
        passwordHash: hash,
        mustChangePassword: true,
        lockedUntil: null,
        failedLogins: 0,
        passwordChangedAt: ctx.now,
        version: row.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(users.id, id));
    await revokeAllSessions(tx, id, ctx.now, 'password reset by administrator');
    await recordAudit(tx, ctx, {
      action: 'password',
      resourceType: 'User',
      resourceId: id,
      detail: { reset: true },
    });
  });
  return { temporaryPassword: password };
}

export async function revokeUserSessions(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await lockedRow(tx, id);
    await revokeAllSessions(tx, id, ctx.now, 'revoked by administrator');
    await recordAudit(tx, ctx, {
      action: 'session',
      resourceType: 'User',
      resourceId: id,
      detail: { revokedAll: true },
    });
  });
}

async function revokeAllSessions(tx: DbOrTx, userId: string, now: Date, reason: string) {
  await tx
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
}

/** Creates the first administrator on an empty database; never touches an existing one. */
export async function ensureFirstAdmin(
  db: Db,
  input: { email: string | undefined; password: string | undefined; facilityId: string },
): Promise<{ created: false } | { created: true; email: string; generatedPassword?: string }> {
  const [any] = await db.select({ id: users.id }).from(users).limit(1);
  if (any) return { created: false };
  const email = input.email ?? 'admin@newhms.local';
  const generated = input.password ? undefined : temporaryPassword();
  const password = input.password ?? generated!;
  if (input.password) assertPasswordPolicy(input.password, email, 'NEWHMS_ADMIN_PASSWORD');
  const [admin] = await db.select({ id: roles.id }).from(roles).where(eq(roles.name, 'admin'));
  const hash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({
        email,
        displayName: 'Administrator',
        passwordHash: hash,
        // A printed one-time password must be replaced at first sign-in.
        mustChangePassword: Boolean(generated),
        defaultFacilityId: input.facilityId,
      })
      .returning();
    await tx.insert(userRoles).values({ userId: row!.id, roleId: admin!.id, facilityId: input.facilityId });
    await recordAudit(
      tx,
      {
        actor: { type: 'system', name: 'bootstrap' },
        facilityId: input.facilityId,
        requestId: 'bootstrap',
        now: new Date(),
      },
      {
        action: 'admin',
        resourceType: 'User',
        resourceId: row!.id,
        detail: { created: 'first administrator', email },
      },
    );
  });
  return generated ? { created: true, email, generatedPassword: generated } : { created: true, email };
}

/**
 * The CLI's create-admin: creates an administrator in a facility (a printed one-time password unless one
 * is given), or gives an existing user the admin role there. Audited as a system action.
 */
export async function grantAdministrator(
  db: Db,
  input: { email: string; displayName: string; password?: string | undefined; facilityId: string },
): Promise<{ created: boolean; email: string; oneTimePassword?: string }> {
  const email = input.email.trim().toLowerCase();
  if (input.password) assertPasswordPolicy(input.password, email, '--password');
  const oneTimePassword = input.password ? undefined : temporaryPassword();
  const hash = await hashPassword(input.password ?? oneTimePassword!);
  const [adminRole] = await db.select({ id: roles.id }).from(roles).where(eq(roles.name, 'admin'));
  if (!adminRole) throw new NotFound('The admin role');
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(users).where(sql`lower(${users.email}) = ${email}`);
    let userId = existing?.id;
    if (!existing) {
      const [row] = await tx
        .insert(users)
        .values({
          email,
          displayName: input.displayName,
          passwordHash: hash,
          mustChangePassword: !input.password,
          defaultFacilityId: input.facilityId,
        })
        .returning({ id: users.id });
      userId = row!.id;
    }
    await tx
      .insert(userRoles)
      .values({ userId: userId!, roleId: adminRole.id, facilityId: input.facilityId })
      .onConflictDoNothing();
    await recordAudit(
      tx,
      {
        actor: { type: 'system', name: 'cli' },
        facilityId: input.facilityId,
        requestId: 'cli',
        now: new Date(),
      },
      {
        action: 'admin',
        resourceType: 'User',
        resourceId: userId!,
        detail: { cli: 'create-admin', email, created: !existing },
      },
    );
    return existing
      ? { created: false, email }
      : { created: true, email, ...(oneTimePassword ? { oneTimePassword } : {}) };
  });
}
