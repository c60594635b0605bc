import { inArray, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import { admissions, bedOccupancies, beds } from './ipd.tables';
import { createIpdWorld, type IpdWorld } from './ipd-test-support';

let t: TestApp;
let w: IpdWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await createIpdWorld(t);
}, 120_000);
afterAll(() => t.close());

/** n patients of the world's facility, written straight into the patients table (a test-only fast path). */
async function manyPatients(n: number): Promise<string[]> {
  const tag = `ipdbulk${Date.now().toString(36)}`;
  const rows = await rowsOf<{ id: string }>(
    t.database.db,
    sql`insert into patients.patients (id, mrn, facility_id, display_name, search_name, phonetic_keys, sex)
        select gen_random_uuid(), ${tag} || '-' || i, ${w.facilityId}, 'Bulk Patient ' || i, 'bulk patient ' || i,
               array['blk'], 'other'
          from generate_series(1, ${n}) as i
        returning id`,
  );
  return rows.map((r) => r.id);
}

describe('two patients can never be placed in one bed', () => {
  it('200 concurrent admissions for 50 beds: exactly 50 succeed, the rest are 409, none 5xx', async () => {
    const doctor = await w.doctor();
    const wards = [
      await w.ward({}, 25),
      await w.ward({ kind: 'semi-private' }, 25, { tariffClass: 'semi-private' }),
    ];
    const free = wards.flatMap((ward) => ward.beds);
    expect(free).toHaveLength(50);
    const patients = await manyPatients(200);

    const started = performance.now();
    const results = await Promise.all(
      patients.map((patientId, i) => w.admit(patientId, free[i % 50]!.id, doctor.id)),
    );
    const ms = performance.now() - started;

    const byStatus = new Map<number, number>();
    for (const r of results) byStatus.set(r.statusCode, (byStatus.get(r.statusCode) ?? 0) + 1);
    expect(Object.fromEntries(byStatus)).toEqual({ 201: 50, 409: 150 });
    for (const r of results.filter((x) => x.statusCode === 409)) {
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().code).toBe('IPD_BED_TAKEN');
    }
    // One winner per bed, and the tables agree: 50 open occupancies on 50 distinct beds.
    const winners = results.filter((r) => r.statusCode === 201).map((r) => r.json().bed.bedId as string);
    expect(new Set(winners).size).toBe(50);
    const bedIds = free.map((b) => b.id);
    const open = await t.database.db
      .select()
      .from(bedOccupancies)
      .where(sql`${inArray(bedOccupancies.bedId, bedIds)} and ${isNull(bedOccupancies.endedAt)}`);
    expect(open).toHaveLength(50);
    expect(new Set(open.map((o) => o.bedId)).size).toBe(50);
    const statuses = await t.database.db.select().from(beds).where(inArray(beds.id, bedIds));
    expect(statuses.every((b) => b.status === 'occupied')).toBe(true);
    // A refused admission leaves nothing behind: no admission, no encounter.
    const rows = await t.database.db.select().from(admissions).where(inArray(admissions.patientId, patients));
    expect(rows).toHaveLength(50);
    expect(new Set(rows.map((r) => r.admissionNumber)).size).toBe(50);
    const opened = await rowsOf<{ id: string }>(
      t.database.db,
      sql`select id from encounters.encounters where patient_id in (${sql.join(
        patients.map((p) => sql`${p}`),
        sql`, `,
      )})`,
    );
    expect(opened).toHaveLength(50);
    console.info(
      `200 concurrent admissions for 50 beds on ${t.database.kind}: 50 admitted, 150 refused, in ${ms.toFixed(0)} ms`,
    );
  }, 600_000);

  it('the database itself refuses a second occupancy that skips the application', async () => {
    const doctor = await w.doctor();
    const ward = await w.ward({}, 1);
    const [p1] = await manyPatients(1);
    const res = await w.admit(p1!, ward.beds[0]!.id, doctor.id);
    expect(res.statusCode).toBe(201);
    const [row] = await t.database.db
      .select()
      .from(bedOccupancies)
      .where(sql`${bedOccupancies.admissionId} = ${res.json().id}`);
    const refused = await t.database.db
      .insert(bedOccupancies)
      .values({ ...row!, id: crypto.randomUUID(), startedAt: new Date(row!.startedAt.getTime() + 60_000) })
      .then(() => undefined)
      .catch((err: unknown) => err as { cause?: { code?: string }; code?: string });
    expect(refused?.cause?.code ?? refused?.code).toBe('23P01');
  });
});
