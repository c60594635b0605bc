import { and, eq } from 'drizzle-orm';
import { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestUser,
  refreshCookieOf,
  signIn,
  TEST_PASSWORD,
  type TestApp,
} from '../../../test/harness';
import { auditEntries } from '../audit/audit.tables';
import { sessions, users } from './auth.tables';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    env: { NEWHMS_MFA_REQUIRED_ROLES: 'doctor', NEWHMS_SESSION_IDLE_MINUTES: '30' },
  });
});
afterAll(() => t.close());

const login = (email: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

function codeFor(secret: string, offsetSteps = 0): string {
  const totp = new TOTP({ secret, digits: 6, period: 30, algorithm: 'SHA1' });
  return totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

describe('sign-in with password', () => {
  it('answers an access token and sets an httpOnly refresh cookie', async () => {
    const nurse = await createTestUser(t.database, { roles: ['nurse'], facilityId: t.facilityId });
    const res = await login(nurse.email, TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const cookie = res.cookies.find((c) => c.name === 'newhms_rt');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: bearer(body.accessToken),
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email: nurse.email, facilityId: t.facilityId, mfaRequired: false });
    expect(me.json().permissions).toContain('organization:read');
    expect(me.json().permissions).not.toContain('auth:manage-users');
  });

  it('gives one answer for an unknown e-mail and a wrong password, and audits both', async () => {
    const nurse = await createTestUser(t.database, { roles: ['nurse'], facilityId: t.facilityId });
    const wrong = await login(nurse.email, 'not-the-password-at-all');
    const unknown = await login('nobody-here@test.newhms.local', 'not-the-password-at-all');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.json().detail).toBe(unknown.json().detail);
    const failures = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.resourceId, nurse.id), eq(auditEntries.action, 'login-failed')));
    expect(failures).toHaveLength(1);
  });

  it('locks the account for 15 minutes after 5 failures, even for the right password', async () => {
    const clerk = await createTestUser(t.database, { roles: ['billing-clerk'], facilityId: t.facilityId });
    for (let i = 0; i < 5; i++) expect((await login(clerk.email, 'wrong-password-123')).statusCode).toBe(401);
    const locked = await login(clerk.email, TEST_PASSWORD);
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('AUTH_ACCOUNT_LOCKED');
    const [row] = await t.database.db.select().from(users).where(eq(users.id, clerk.id));
    const minutes = (row!.lockedUntil!.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
  });

  it('rejects a malformed body with the field named and writes nothing', async () => {
    const before = await t.database.query<{ n: number }>('select count(*)::int n from auth.sessions');
    const res = await login('not-an-email', '');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['body.email', 'body.password']),
    );
    const after = await t.database.query<{ n: number }>('select count(*)::int n from auth.sessions');
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});

describe('TOTP MFA', () => {
  it('makes a user of a role that requires MFA enrol at first sign-in, then asks for a code', async () => {
    const doctor = await createTestUser(t.database, { roles: ['doctor'], facilityId: t.facilityId });
    // 1. Password accepted, but enrolment is required before any token is issued.
    const first = await login(doctor.email, TEST_PASSWORD);
    expect(first.json()).toMatchObject({ mfaRequired: true, mfaEnrollmentRequired: true });
    expect(first.cookies.find((c) => c.name === 'newhms_rt')).toBeUndefined();
    const mfaToken = first.json().mfaToken;
    // 2. The enrolment answers a secret and a QR code.
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/enroll',
      payload: { mfaToken },
    });
    expect(start.statusCode).toBe(200);
    expect(start.json().qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(start.json().otpauthUrl).toContain('otpauth://totp/Newhms');
    const secret = start.json().secret as string;
    // 3. A wrong code is refused; the right one enables MFA and signs in.
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/enroll/confirm',
      payload: { mfaToken, code: codeFor(secret, 10) },
    });
    expect(bad.statusCode).toBe(422);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/enroll/confirm',
      payload: { mfaToken, code: codeFor(secret) },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().recoveryCodes).toHaveLength(10);
    expect(ok.json().tokens.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const recovery = ok.json().recoveryCodes[0] as string;
    // The TOTP secret is sealed at rest, never stored in clear.
    const [stored] = await t.database.db.select().from(users).where(eq(users.id, doctor.id));
    expect(stored!.mfaSecret).toMatch(/^v1\./);
    expect(stored!.mfaSecret).not.toContain(secret);
    // 4. Next sign-in asks for a code.
    const second = await login(doctor.email, TEST_PASSWORD);
    expect(second.json()).toMatchObject({ mfaRequired: true, mfaEnrollmentRequired: false });
    const verify = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login/mfa',
      payload: { mfaToken: second.json().mfaToken, code: codeFor(secret) },
    });
    expect(verify.statusCode).toBe(200);
    expect(verify.json().accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // 5. A recovery code works once.
    const third = await login(doctor.email, TEST_PASSWORD);
    const viaRecovery = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login/mfa',
      payload: { mfaToken: third.json().mfaToken, recoveryCode: recovery },
    });
    expect(viaRecovery.statusCode).toBe(200);
    const fourth = await login(doctor.email, TEST_PASSWORD);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login/mfa',
      payload: { mfaToken: fourth.json().mfaToken, recoveryCode: recovery },
    });
    expect(again.statusCode).toBe(401);
  });

  it('does not accept an mfa token for enrolment in place of a code', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login/mfa',
      payload: { mfaToken: 'x'.repeat(43), code: '123456' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('AUTH_MFA_TOKEN_INVALID');
  });
});

describe('sessions', () => {
  it('rotates the refresh token, and a reused one revokes the whole session', async () => {
    const nurse = await createTestUser(t.database, { roles: ['nurse'], facilityId: t.facilityId });
    const res = await login(nurse.email, TEST_PASSWORD);
    const cookie1 = refreshCookieOf(res);
    const r1 = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      headers: { cookie: cookie1 },
    });
    expect(r1.statusCode).toBe(200);
    const cookie2 = refreshCookieOf(r1);
    expect(cookie2).not.toBe(cookie1);
    // A thief replays the first token: the session ends for everybody.
    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      headers: { cookie: cookie1 },
    });
    expect(replay.statusCode).toBe(401);
    const r2 = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      headers: { cookie: cookie2 },
    });
    expect(r2.statusCode).toBe(401);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: bearer(r1.json().accessToken),
    });
    expect(me.statusCode).toBe(401);
  });

  it('ends a session that has been idle longer than the limit', async () => {
    const nurse = await createTestUser(t.database, { roles: ['nurse'], facilityId: t.facilityId });
    const token = await signIn(t.app, nurse.email);
    await t.database.db
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) })
      .where(eq(sessions.userId, nurse.id));
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('AUTH_SESSION_EXPIRED');
    const [s] = await t.database.db.select().from(sessions).where(eq(sessions.userId, nurse.id));
    expect(s!.revokedReason).toBe('idle timeout');
  });

  it('lists my sessions, revokes one, and logout ends the current one', async () => {
    const nurse = await createTestUser(t.database, { roles: ['nurse'], facilityId: t.facilityId });
    const a = await signIn(t.app, nurse.email);
    const b = await signIn(t.app, nurse.email);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: bearer(a) });
    expect(list.json().items).toHaveLength(2);
    const other = list.json().items.find((s: { current: boolean }) => !s.current);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${other.id}`,
      headers: bearer(a),
    });
    expect(del.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(b) })).statusCode,
    ).toBe(401);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(a) });
    expect(out.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(a) })).statusCode,
    ).toBe(401);
  });

  it('refuses a forged token', async () => {
    const [h, p] = t.admin.token.split('.');
    const forged = `${h}.${p}.${'A'.repeat(43)}`;
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(forged) });
    expect(res.statusCode).toBe(401);
  });
});

describe('administration of users', () => {
  it('creates a user with a temporary password who must change it before doing anything else', async () => {
    const admin = bearer(t.admin.token);
    const roles = await t.app.inject({ method: 'GET', url: '/api/v1/access/roles', headers: admin });
    const frontDesk = roles.json().items.find((r: { name: string }) => r.name === 'front-desk');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/users',
      headers: admin,
      payload: {
        email: 'Reception.Asha@Test.newhms.local',
        displayName: 'Asha Reception',
        roles: [{ facilityId: t.facilityId, roleId: frontDesk.id }],
      },
    });
    expect(created.statusCode).toBe(201);
    const { user, temporaryPassword } = created.json();
    expect(user.email).toBe('reception.asha@test.newhms.local');
    expect(user.mustChangePassword).toBe(true);
    const token = await signIn(t.app, user.email, temporaryPassword);
    const blocked = await t.app.inject({
      method: 'GET',
      url: '/api/v1/organization/facilities',
      headers: bearer(token),
    });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: bearer(token),
      payload: { currentPassword: temporaryPassword, newPassword: 'password1234' },
    });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().code).toBe('AUTH_WEAK_PASSWORD');
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: bearer(token),
      payload: { currentPassword: temporaryPassword, newPassword: 'Front-Desk-Morning-9' },
    });
    expect(changed.statusCode).toBe(204);
    const ok = await t.app.inject({
      method: 'GET',
      url: '/api/v1/organization/facilities',
      headers: bearer(token),
    });
    expect(ok.statusCode).toBe(200);
    // The same e-mail again is a conflict.
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/users',
      headers: admin,
      payload: { email: 'reception.asha@test.newhms.local', displayName: 'Again', roles: [] },
    });
    expect(dup.statusCode).toBe(409);
  });

  it('locks and unlocks, and a reset password forces a change and ends sessions', async () => {
    const admin = bearer(t.admin.token);
    const nurse = await createTestUser(t.database, { roles: ['nurse'], facilityId: t.facilityId });
    const token = await signIn(t.app, nurse.email);
    const lock = await t.app.inject({
      method: 'POST',
      url: `/api/v1/auth/users/${nurse.id}/lock`,
      headers: admin,
    });
    expect(lock.json().locked).toBe(true);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).statusCode,
    ).toBe(401);
    expect((await login(nurse.email, TEST_PASSWORD)).statusCode).toBe(423);
    const unlock = await t.app.inject({
      method: 'POST',
      url: `/api/v1/auth/users/${nurse.id}/unlock`,
      headers: admin,
    });
    expect(unlock.json().locked).toBe(false);
    const reset = await t.app.inject({
      method: 'POST',
      url: `/api/v1/auth/users/${nurse.id}/reset-password`,
      headers: admin,
    });
    const temp = reset.json().temporaryPassword as string;
    expect(temp).toHaveLength(16);
    expect((await login(nurse.email, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await login(nurse.email, temp)).json().passwordChangeRequired).toBe(true);
  });

  it('refuses a stale version with 409 and a mismatched If-Match with 412', async () => {
    const admin = bearer(t.admin.token);
    const nurse = await createTestUser(t.database, { roles: ['nurse'], facilityId: t.facilityId });
    const get = await t.app.inject({ method: 'GET', url: `/api/v1/auth/users/${nurse.id}`, headers: admin });
    expect(get.headers.etag).toBe('W/"1"');
    const first = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/auth/users/${nurse.id}`,
      headers: admin,
      payload: { displayName: 'Sister Mary', version: 1 },
    });
    expect(first.statusCode).toBe(200);
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/auth/users/${nurse.id}`,
      headers: admin,
      payload: { displayName: 'Sister Maria', version: 1 },
    });
    expect(stale.statusCode).toBe(409);
    const mismatch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/auth/users/${nurse.id}`,
      headers: { ...admin, 'if-match': 'W/"7"' },
      payload: { displayName: 'Sister Maria', version: 2 },
    });
    expect(mismatch.statusCode).toBe(412);
  });

  it('does not let a nurse manage users', async () => {
    const nurse = await createTestUser(t.database, { roles: ['nurse'], facilityId: t.facilityId });
    const token = await signIn(t.app, nurse.email);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/users', headers: bearer(token) });
    expect(res.statusCode).toBe(403);
    const [denied] = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.actorId, nurse.id), eq(auditEntries.action, 'access-denied')));
    expect(denied?.outcome).toBe('denied');
  });
});
