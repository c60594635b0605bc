import { builtinRoleNames } from '@newhms/contracts';
import { and, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.service';
import { users } from '../auth/auth.tables';
import { actorId, type Ctx } from '../context';
import type { Db, DbOrTx } from '../db/database';
import { Forbidden, NotFound, RuleViolation, StaleVersion } from '../http/errors';
import type { PermissionDeclaration } from '../module';
import { facilities } from '../organization/organization.tables';
import { breakGlassGrants, knownPermissions, roles, userRoles } from './access.tables';
import { builtinRoleDescriptions } from './permissions';

/**
 * Makes the database know every declared permission. A permission seen for the first time is added to the
 * built-in roles it names, and a built-in role created for the first time (a release that brings a new one,
 * e.g. the radiographer) gets every declared permission that names it, not only the new ones; later edits by
 * an administrator are never undone.
 */
export async function syncPermissions(db: Db, declarations: readonly PermissionDeclaration[]): Promise<void> {
  await db.transaction(async (tx) => {
    const created = new Set<string>();
    for (const name of builtinRoleNames) {
      const inserted = await tx
        .insert(roles)
        .values({ name, description: builtinRoleDescriptions[name] ?? name, permissions: [], builtin: true })
        .onConflictDoNothing()
        .returning({ name: roles.name });
      if (inserted.length > 0) created.add(name);
    }
    const known = new Set(
      (await tx.select({ name: knownPermissions.name }).from(knownPermissions)).map((r) => r.name),
    );
    const fresh = declarations.filter((d) => !known.has(d.name));
    if (fresh.length > 0) {
      await tx
        .insert(knownPermissions)
        .values(
          fresh.map((d) => ({ name: d.name, module: d.name.split(':')[0]!, description: d.description })),
        )
        .onConflictDoNothing();
    }
    const byRole = new Map<string, string[]>();
    for (const d of declarations) {
      // Administrators get everything, so that a new module is manageable from its first start.
      const named = new Set([...d.roles, 'admin']);
      const to = known.has(d.name) ? [...named].filter((r) => created.has(r)) : [...named];
      for (const r of to) byRole.set(r, [...(byRole.get(r) ?? []), d.name]);
    }
    for (const [role, perms] of byRole) {
      const [current] = await tx
        .select({ permissions: roles.permissions })
        .from(roles)
        .where(eq(roles.name, role));
      if (!current) continue;
      await tx
        .update(roles)
        .set({ permissions: [...new Set([...current.permissions, ...perms])].sort() })
        .where(eq(roles.name, role));
    }
  });
}

export type Grants = {
  facilityId: string;
  facilityName: string;
  timeZone: string;
  roles: string[];
  permissions: string[];
}[];

/** The roles and permissions a user holds, per facility. */
export type GrantRow = {
  facilityId: string;
  facilityName: string;
  timeZone: string;
  role: string;
  permissions: string[];
};

/** One row per (facility, role) as a SQL expression, for callers that fold it into a larger query. */
export function grantRowsOf(userId: SQL | string): SQL<GrantRow[]> {
  return sql<GrantRow[]>`(select coalesce(json_agg(json_build_object(
      'facilityId', ${userRoles.facilityId}, 'facilityName', ${facilities.name}, 'timeZone', ${facilities.timeZone},
      'role', ${roles.name}, 'permissions', ${roles.permissions})), '[]'::json)
    from ${userRoles}
    join ${roles} on ${roles.id} = ${userRoles.roleId}
    join ${facilities} on ${facilities.id} = ${userRoles.facilityId}
    where ${userRoles.userId} = ${userId} and ${facilities.active})`;
}

/** Groups (facility, role) rows into one grant per facility with the union of the roles' permissions. */
export function groupGrants(rows: readonly GrantRow[]): Grants {
  const byFacility = new Map<string, Grants[number]>();
  for (const r of rows) {
    const g = byFacility.get(r.facilityId) ?? {
      facilityId: r.facilityId,
      facilityName: r.facilityName,
      timeZone: r.timeZone,
      roles: [],
      permissions: [],
    };
    g.roles.push(r.role);
    g.permissions.push(...r.permissions);
    byFacility.set(r.facilityId, g);
  }
  return [...byFacility.values()].map((g) => ({
    ...g,
    roles: g.roles.sort(),
    permissions: [...new Set(g.permissions)].sort(),
  }));
}

export async function loadGrants(db: DbOrTx, userId: string): Promise<Grants> {
  const rows = await db
    .select({
      facilityId: userRoles.facilityId,
      facilityName: facilities.name,
      timeZone: facilities.timeZone,
      role: roles.name,
      permissions: roles.permissions,
    })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .innerJoin(facilities, eq(facilities.id, userRoles.facilityId))
    .where(and(eq(userRoles.userId, userId), eq(facilities.active, true)));
  return groupGrants(rows);
}

export function hasPermission(ctx: Ctx, permission: string): boolean {
  return ctx.actor.type === 'system' || ctx.actor.permissions.has(permission);
}

/** Throws 403 unless the actor holds the permission in the current facility. */
export function assertPermission(ctx: Ctx, permission: string): void {
  if (!hasPermission(ctx, permission))
    throw new Forbidden('ACCESS_DENIED', `This needs the ${permission} permission`);
}

/** Attribute rule: a facility-scoped resource is reachable only from its own facility. */
export function assertSameFacility(ctx: Ctx, facilityId: string): void {
  if (ctx.actor.type === 'user' && ctx.facilityId !== facilityId) {
    throw new NotFound('The record');
  }
}

export async function listRoles(db: Db) {
  return db.select().from(roles).orderBy(roles.name);
}

export async function createRole(
  ctx: Ctx,
  input: { name: string; description: string; permissions: string[] },
) {
  await assertKnownPermissions(ctx.db, input.permissions);
  return ctx.db.transaction(async (tx) => {
    const [role] = await tx
      .insert(roles)
      .values({ ...input, permissions: [...new Set(input.permissions)], builtin: false })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'admin',
      resourceType: 'Role',
      resourceId: role!.id,
      detail: input,
    });
    return role!;
  });
}

export async function updateRole(
  ctx: Ctx,
  id: string,
  input: { description?: string | undefined; permissions?: string[] | undefined; version: number },
) {
  if (input.permissions) await assertKnownPermissions(ctx.db, input.permissions);
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(roles).where(eq(roles.id, id)).for('update');
    if (!current) throw new NotFound('The role');
    if (current.version !== input.version) throw new StaleVersion('The role');
    const [role] = await tx
      .update(roles)
      .set({
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.permissions ? { permissions: [...new Set(input.permissions)] } : {}),
        version: current.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(roles.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'admin',
      resourceType: 'Role',
      resourceId: id,
      detail: { before: { permissions: current.permissions }, after: input },
    });
    return role!;
  });
}

async function assertKnownPermissions(db: Db, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const known = await db
    .select({ name: knownPermissions.name })
    .from(knownPermissions)
    .where(inArray(knownPermissions.name, names));
  const knownSet = new Set(known.map((k) => k.name));
  const unknown = names.filter((n) => !knownSet.has(n));
  if (unknown.length > 0) {
    throw new RuleViolation('ACCESS_UNKNOWN_PERMISSION', `Unknown permissions: ${unknown.join(', ')}`);
  }
}

export async function listPermissions(db: Db) {
  return db.select().from(knownPermissions).orderBy(knownPermissions.name);
}

/**
 * Break-glass (HIPAA 164.312(a)(2)(ii)): emergency access to one patient for a limited time, with a
 * reason, flagged in the audit log and listed for review.
 */
export async function breakGlass(ctx: Ctx, input: { patientId: string; reason: string; minutes: number }) {
  assertPermission(ctx, 'access:break-glass');
  if (ctx.actor.type !== 'user' || !ctx.facilityId) throw new Forbidden();
  const userId = ctx.actor.userId;
  const facilityId = ctx.facilityId;
  return ctx.db.transaction(async (tx) => {
    const [grant] = await tx
      .insert(breakGlassGrants)
      .values({
        userId,
        facilityId,
        patientId: input.patientId,
        reason: input.reason,
        grantedAt: ctx.now,
        expiresAt: new Date(ctx.now.getTime() + input.minutes * 60_000),
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'break-glass',
      resourceType: 'Patient',
      resourceId: input.patientId,
      patientId: input.patientId,
      breakGlass: true,
      detail: { reason: input.reason, minutes: input.minutes },
    });
    return grant!;
  });
}

/** True when the actor holds an unexpired break-glass grant for the patient (used by clinical modules). */
export async function hasBreakGlass(ctx: Ctx, patientId: string): Promise<boolean> {
  const id = actorId(ctx.actor);
  if (!id) return false;
  const [row] = await ctx.db
    .select({ id: breakGlassGrants.id })
    .from(breakGlassGrants)
    .where(
      and(
        eq(breakGlassGrants.userId, id),
        eq(breakGlassGrants.patientId, patientId),
        gt(breakGlassGrants.expiresAt, ctx.now),
      ),
    )
    .limit(1);
  return Boolean(row);
}

export async function reviewBreakGlass(ctx: Ctx, id: string, note: string) {
  return ctx.db.transaction(async (tx) => {
    const [grant] = await tx.select().from(breakGlassGrants).where(eq(breakGlassGrants.id, id)).for('update');
    if (!grant) throw new NotFound('The break-glass access');
    if (grant.reviewedAt)
      throw new RuleViolation('ACCESS_ALREADY_REVIEWED', 'This access was already reviewed');
    if (grant.userId === actorId(ctx.actor)) {
      throw new RuleViolation('ACCESS_SELF_REVIEW', 'Nobody reviews their own emergency access');
    }
    const [updated] = await tx
      .update(breakGlassGrants)
      .set({ reviewedAt: ctx.now, reviewedBy: actorId(ctx.actor), reviewNote: note })
      .where(eq(breakGlassGrants.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'admin',
      resourceType: 'BreakGlassGrant',
      resourceId: id,
      patientId: grant.patientId,
      detail: { review: note },
    });
    return updated!;
  });
}

/**
 * Active staff who hold a permission in a facility (through any of their roles there), by name: the people
 * a supervisor may give work to. Modules call it instead of reading the users and roles tables.
 */
export async function staffWithPermission(
  db: DbOrTx,
  facilityId: string,
  permission: string,
): Promise<{ id: string; displayName: string }[]> {
  const rows = await db
    .selectDistinct({ id: users.id, displayName: users.displayName })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(
      and(
        eq(userRoles.facilityId, facilityId),
        eq(users.status, 'active'),
        sql`${permission} = any(${roles.permissions})`,
      ),
    );
  return rows.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
}
