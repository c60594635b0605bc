import { randomUUID } from 'node:crypto';
import { builtinRoleNames } from '@newhms/contracts';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { auditEntries } from '../audit/audit.tables';
import type { Db } from '../db/database';
import { hasBreakGlass, syncPermissions } from './access.service';
import { roles } from './access.tables';
import { platformPermissionDeclarations } from './permissions';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('roles as data', () => {
  it('creates a role, grants it to a user, and the user gets exactly its permissions', async () => {
    const admin = bearer(t.admin.token);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/access/roles',
      headers: admin,
      payload: {
        name: `ward-clerk-${randomUUID().slice(0, 6)}`,
        description: 'Ward clerk',
        permissions: ['organization:read'],
      },
    });
    expect(created.statusCode).toBe(201);
    const role = created.json();
    const user = await createTestUser(t.database, { roles: [], facilityId: t.facilityId });
    const u = await t.app.inject({ method: 'GET', url: `/api/v1/auth/users/${user.id}`, headers: admin });
    const set = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/auth/users/${user.id}/roles`,
      headers: admin,
      payload: { roles: [{ facilityId: t.facilityId, roleId: role.id }], version: u.json().version },
    });
    expect(set.statusCode).toBe(200);
    const token = await signIn(t.app, user.email);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
    expect(me.json().permissions).toEqual(['organization:read']);
    // Editing the role changes what the user may do at the next request.
    const edited = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/access/roles/${role.id}`,
      headers: admin,
      payload: { permissions: ['organization:read', 'organization:manage'], version: role.version },
    });
    expect(edited.statusCode).toBe(200);
    const me2 = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
    expect(me2.json().permissions).toEqual(['organization:manage', 'organization:read']);
  });

  it('refuses unknown permissions and a stale version', async () => {
    const admin = bearer(t.admin.token);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/access/roles',
      headers: admin,
      payload: { name: 'made-up', permissions: ['pharmacy:sell-everything'] },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('ACCESS_UNKNOWN_PERMISSION');
    const roles = (await t.app.inject({ method: 'GET', url: '/api/v1/access/roles', headers: admin })).json()
      .items;
    const nurse = roles.find((r: { name: string }) => r.name === 'nurse');
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/access/roles/${nurse.id}`,
      headers: admin,
      payload: { description: 'x', version: nurse.version + 5 },
    });
    expect(stale.statusCode).toBe(409);
  });

  it('seeds the seventeen built-in roles', async () => {
    const roles = (
      await t.app.inject({ method: 'GET', url: '/api/v1/access/roles', headers: bearer(t.admin.token) })
    ).json().items as { name: string; builtin: boolean }[];
    const builtin = roles.filter((r) => r.builtin).map((r) => r.name);
    expect(builtinRoleNames).toHaveLength(17);
    expect(builtin.sort()).toEqual([...builtinRoleNames].sort());
  });

  it('lets a user administrator read the roles to pick from, but not edit them', async () => {
    const admin = bearer(t.admin.token);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/access/roles',
      headers: admin,
      payload: { name: `user-admin-${randomUUID().slice(0, 6)}`, permissions: ['auth:manage-users'] },
    });
    const user = await createTestUser(t.database, { roles: [], facilityId: t.facilityId });
    const u = await t.app.inject({ method: 'GET', url: `/api/v1/auth/users/${user.id}`, headers: admin });
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1/auth/users/${user.id}/roles`,
      headers: admin,
      payload: {
        roles: [{ facilityId: t.facilityId, roleId: created.json().id }],
        version: u.json().version,
      },
    });
    const headers = bearer(await signIn(t.app, user.email));
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/access/roles', headers });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((r: { name: string }) => r.name)).toContain('nurse');
    const edit = await t.app.inject({
      method: 'POST',
      url: '/api/v1/access/roles',
      headers,
      payload: { name: 'sneaky', permissions: ['auth:manage-users'] },
    });
    expect(edit.statusCode).toBe(403);
  });
});

describe('built-in roles across releases', () => {
  it('gives a built-in role new to an install every permission that names it, and leaves edited roles alone', async () => {
    // An install from before the radiographer role, whose administrator took `patients:read` from nurses; all of
    // it in a transaction rolled back at the end, so that the file's other tests see the roles as they were.
    const rollback = new Error('rollback');
    let after: Record<string, string[]> = {};
    await t.database.db
      .transaction(async (tx) => {
        await tx.execute(
          sql`delete from access.user_roles where role_id = (select id from access.roles where name = 'radiographer')`,
        );
        await tx.delete(roles).where(eq(roles.name, 'radiographer'));
        await tx.execute(
          sql`update access.roles set permissions = array_remove(permissions, 'patients:read') where name = 'nurse'`,
        );
        // The platform's declarations and, as the patients module declares it, patients:read.
        await syncPermissions(tx as unknown as Db, [
          ...platformPermissionDeclarations,
          { name: 'patients:read', description: 'Find patients', roles: ['nurse', 'radiographer'] },
        ]);
        const rows = await tx
          .select({ name: roles.name, permissions: roles.permissions })
          .from(roles)
          .where(inArray(roles.name, ['radiographer', 'nurse']));
        after = Object.fromEntries(rows.map((r) => [r.name, r.permissions]));
        throw rollback;
      })
      .catch((e) => {
        if (e !== rollback) throw e;
      });
    // The new role gets the permissions it is named in that the install already knew, not only new ones.
    expect(after.radiographer).toEqual(['organization:read', 'patients:read']);
    expect(after.nurse).toBeDefined();
    expect(after.nurse).not.toContain('patients:read');
  });
});

describe('facility scoping', () => {
  it("tells the web app each facility's time zone with the user, so times show in it from the first screen", async () => {
    const dubai = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organization/facilities',
      headers: bearer(t.admin.token),
      payload: {
        code: `D${randomUUID()
          .slice(0, 5)
          .toUpperCase()
          .replace(/[^A-Z0-9]/g, 'X')}`,
        name: 'Gulf Clinic',
        timeZone: 'Asia/Dubai',
      },
    });
    expect(dubai.statusCode).toBe(201);
    const clerk = await createTestUser(t.database, { roles: ['nurse'], facilityId: dubai.json().id });
    const token = await signIn(t.app, clerk.email);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
    expect(me.json().facilities).toEqual([
      { facilityId: dubai.json().id, facilityName: 'Gulf Clinic', timeZone: 'Asia/Dubai', roles: ['nurse'] },
    ]);
    const admin = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: bearer(t.admin.token),
    });
    expect(
      admin.json().facilities.find((f: { facilityId: string }) => f.facilityId === t.facilityId).timeZone,
    ).toBe('Asia/Kolkata');
  });

  it('refuses X-Facility-Id of a facility where the user has no role', async () => {
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organization/facilities',
      headers: bearer(t.admin.token),
      payload: {
        code: `F${randomUUID()
          .slice(0, 5)
          .toUpperCase()
          .replace(/[^A-Z0-9]/g, 'X')}`,
        name: 'Second Hospital',
      },
    });
    expect(other.statusCode).toBe(201);
    const nurse = await createTestUser(t.database, { roles: ['nurse'], facilityId: t.facilityId });
    const token = await signIn(t.app, nurse.email);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: bearer(token, other.json().id),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('ACCESS_FACILITY_DENIED');
    const own = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: bearer(token, t.facilityId),
    });
    expect(own.statusCode).toBe(200);
  });
});

describe('break-glass access', () => {
  it('grants time-limited access with a reason, flags it in the audit log, and needs review by someone else', async () => {
    const doctor = await createTestUser(t.database, { roles: ['doctor'], facilityId: t.facilityId });
    const token = await signIn(t.app, doctor.email);
    const patientId = randomUUID();
    const short = await t.app.inject({
      method: 'POST',
      url: '/api/v1/access/break-glass',
      headers: bearer(token),
      payload: { patientId, reason: 'urgent' },
    });
    expect(short.statusCode).toBe(400);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/access/break-glass',
      headers: bearer(token),
      payload: {
        patientId,
        reason: 'Unconscious patient in ER, treating consultant unavailable',
        minutes: 30,
      },
    });
    expect(res.statusCode).toBe(201);
    const grant = res.json();
    expect(new Date(grant.expiresAt).getTime() - new Date(grant.grantedAt).getTime()).toBe(30 * 60_000);
    const [entry] = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.patientId, patientId), eq(auditEntries.action, 'break-glass')));
    expect(entry?.breakGlass).toBe(true);
    const ctx = {
      db: t.database.db,
      actor: {
        type: 'user' as const,
        userId: doctor.id,
        name: 'x',
        sessionId: '',
        facilityId: t.facilityId,
        roles: [],
        permissions: new Set<string>(),
      },
      facilityId: t.facilityId,
      requestId: 'r',
      now: new Date(),
    };
    expect(await hasBreakGlass(ctx, patientId)).toBe(true);
    expect(await hasBreakGlass({ ...ctx, now: new Date(Date.now() + 31 * 60_000) }, patientId)).toBe(false);

    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/access/break-glass',
      headers: bearer(t.admin.token),
    });
    expect(list.json().items.some((g: { id: string }) => g.id === grant.id)).toBe(true);
    const review = await t.app.inject({
      method: 'POST',
      url: `/api/v1/access/break-glass/${grant.id}/review`,
      headers: bearer(t.admin.token),
      payload: { note: 'Appropriate: documented in ER notes' },
    });
    expect(review.statusCode).toBe(200);
    expect(review.json().reviewedBy).toBe(t.admin.id);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/access/break-glass/${grant.id}/review`,
      headers: bearer(t.admin.token),
      payload: { note: 'twice' },
    });
    expect(again.statusCode).toBe(422);
  });

  it('is not open to a front-desk user', async () => {
    const fd = await createTestUser(t.database, { roles: ['front-desk'], facilityId: t.facilityId });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/access/break-glass',
      headers: bearer(await signIn(t.app, fd.email)),
      payload: { patientId: randomUUID(), reason: 'I would like to look at this record' },
    });
    expect(res.statusCode).toBe(403);
  });
});
