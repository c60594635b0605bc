import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { openDatabase, pgliteExtensions } from '../../platform/db/database';
import { seedIpdDemo } from './demo';
import { admissionRequests, admissions, beds, wards } from './ipd.tables';

let t: TestApp;

beforeAll(async () => {
  // A private PGlite copy: the demo's ward and display codes are fixed names.
  const client = await PGlite.create({
    loadDataDir: new Blob([readFileSync(inject('pgliteDump'))]),
    extensions: pgliteExtensions,
  });
  t = await createTestApp({ database: await openDatabase({ pglite: client }) });
  const admin = bearer(t.admin.token, t.facilityId);
  const dept = await t.app.inject({
    method: 'POST',
    url: `/api/v1/organization/facilities/${t.facilityId}/departments`,
    headers: admin,
    payload: { code: 'GMED', name: 'General Medicine', kind: 'clinical' },
  });
  const doctor = await createTestUser(t.database, { roles: ['doctor'], facilityId: t.facilityId });
  await signIn(t.app, doctor.email);
  const p = await t.app.inject({
    method: 'POST',
    url: '/api/v1/opd/practitioners',
    headers: admin,
    payload: {
      userId: doctor.id,
      displayName: 'Dr. Demo Physician',
      departmentId: dept.json().id,
      specialty: 'General Medicine',
      firstVisitFee: 50_000,
      followUpFee: 30_000,
    },
  });
  expect(p.statusCode).toBe(201);
  for (const [given, family, sex, birthDate] of [
    ['Lakshmi', 'Narayanan', 'female', '1948-04-12'],
    ['Mohammed', 'Iqbal', 'male', '1985-01-20'],
    ['Priya', 'Sharma', 'female', '1994-07-02'],
    ['Arvind', 'Kulkarni', 'male', '1971-11-30'],
    ['Sunita', 'Verma', 'female', '1988-03-15'],
    ['Joseph', 'Dsouza', 'male', '1960-09-09'],
    ['Kavya', 'Reddy', 'female', '2001-02-02'],
  ]) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patients',
      headers: admin,
      payload: { name: { given, family }, sex, birth: { birthDate } },
    });
    expect(res.statusCode).toBe(201);
  }
}, 120_000);
afterAll(() => t.close());

describe('the IPD demo', () => {
  it('sets up wards and beds, admits demo patients, and is idempotent', async () => {
    const deps = t.app.deps;
    await seedIpdDemo(deps, { facilityId: t.facilityId, userIds: {} });
    await seedIpdDemo(deps, { facilityId: t.facilityId, userIds: {} });
    const wardRows = await t.database.db.select().from(wards).where(eq(wards.facilityId, t.facilityId));
    expect(wardRows.map((w) => w.code).sort()).toEqual(['GFW', 'GMW', 'ICU', 'NICU', 'PVT', 'SPW']);
    const bedRows = await t.database.db.select().from(beds).where(eq(beds.facilityId, t.facilityId));
    expect(bedRows).toHaveLength(62);
    expect(bedRows.filter((b) => b.isolation)).toHaveLength(1);
    const count = (s: string) => bedRows.filter((b) => b.status === s).length;
    expect(count('blocked')).toBe(1);
    expect(count('cleaning')).toBe(1);
    const open = await t.database.db.select().from(admissions).where(eq(admissions.facilityId, t.facilityId));
    expect(open.length).toBeGreaterThanOrEqual(6);
    expect(count('occupied')).toBe(open.length);
    const queue = await t.database.db
      .select()
      .from(admissionRequests)
      .where(eq(admissionRequests.facilityId, t.facilityId));
    expect(queue.map((r) => r.status)).toEqual(['waiting']);
  }, 120_000);
});
