import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bearer, createTestApp, createTestUser, type TestApp } from '../../../test/harness';
import { openDatabase, pgliteExtensions } from '../../platform/db/database';
import { seedPatientsDemo } from './demo';
import { allergies, duplicateReviews, patients } from './patients.tables';

let t: TestApp;
let demo: { facilityId: string; userIds: Record<string, string> };
const options = { patients: 60, nearDuplicatePairs: 3 };

beforeAll(async () => {
  // Always a private PGlite copy, even when TEST_DATABASE_URL is set: sixty common Indian names in a
  // database shared with other test files would turn their registrations into duplicate warnings.
  const client = await PGlite.create({
    loadDataDir: new Blob([readFileSync(inject('pgliteDump'))]),
    extensions: pgliteExtensions,
  });
  const database = await openDatabase({ pglite: client });
  t = await createTestApp({ database });
  const desk = await createTestUser(t.database, { roles: ['front-desk'], facilityId: t.facilityId });
  const nurse = await createTestUser(t.database, { roles: ['nurse'], facilityId: t.facilityId });
  demo = { facilityId: t.facilityId, userIds: { 'front-desk': desk.id, nurse: nurse.id } };
});
afterAll(async () => {
  await t.close();
  await t.database.close();
});

async function facilityPatients() {
  const [row] = await t.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(patients)
    .where(eq(patients.facilityId, demo.facilityId));
  return row!.n;
}

describe('the patients demo data', () => {
  it('registers the patients, planned near-duplicates, allergies and unknown patients through the services', async () => {
    // 1. The demo loads into an empty facility.
    const summary = await seedPatientsDemo(t.app.deps, demo, options);
    expect(summary).toMatchObject({ skipped: false, registered: 60, nearDuplicatePairs: 3, unknown: 2 });
    expect(await facilityPatients()).toBe(60);

    // 2. Each planned pair waits in the duplicate review worklist, matched on birth date and mobile.
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/patients/duplicates?status=open',
      headers: bearer(t.admin.token),
    });
    expect(res.statusCode).toBe(200);
    const reviews = res.json().items as { patientA: { displayName: string }; reasons: string[] }[];
    expect(reviews).toHaveLength(3);
    for (const r of reviews) expect(r.reasons).toEqual(expect.arrayContaining(['same date of birth']));
    const [{ n: pairs } = { n: 0 }] = await t.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(duplicateReviews)
      .where(eq(duplicateReviews.source, 'registration-override'));
    expect(pairs).toBe(3);

    // 3. Allergy answers are mixed: recorded, "no known allergies", and not asked yet.
    const [withAllergy] = await t.database.db
      .selectDistinct({ id: allergies.patientId })
      .from(allergies)
      .limit(1);
    const [noneKnown] = await t.database.db
      .select({ id: patients.id })
      .from(patients)
      .where(isNotNull(patients.noKnownAllergiesAt))
      .limit(1);
    const [notAsked] = await t.database.db
      .select({ id: patients.id })
      .from(patients)
      .where(
        and(
          sql`${patients.noKnownAllergiesAt} is null`,
          sql`not exists (select 1 from patients.allergies a where a.patient_id = ${patients.id})`,
        ),
      )
      .limit(1);
    const states = [];
    for (const p of [withAllergy, noneKnown, notAsked]) {
      expect(p).toBeDefined();
      const r = await t.app.inject({
        method: 'GET',
        url: `/api/v1/patients/${p!.id}`,
        headers: bearer(t.admin.token),
      });
      states.push(r.json().allergyState);
    }
    expect(states).toEqual(['recorded', 'none-known', 'not-recorded']);

    // 4. Two unknown emergency patients carry temporary names.
    const unknown = await t.database.db
      .select({ name: patients.displayName })
      .from(patients)
      .where(eq(patients.unidentified, true));
    expect(unknown.map((u) => u.name).sort()).toEqual(['Unknown Female ~70', 'Unknown Male ~40']);

    // 5. Reception finds a planned near-duplicate pair by the second spelling.
    const second = reviews[0]!.patientA.displayName;
    const search = await t.app.inject({
      method: 'GET',
      url: `/api/v1/patients/search?q=${encodeURIComponent(second)}`,
      headers: bearer(t.admin.token),
    });
    expect(search.statusCode).toBe(200);
    expect(search.json().items.length).toBeGreaterThanOrEqual(2);
  });

  it('does nothing the second time', async () => {
    const summary = await seedPatientsDemo(t.app.deps, demo, options);
    expect(summary.skipped).toBe(true);
    expect(await facilityPatients()).toBe(60);
  });
});
