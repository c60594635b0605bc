import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import { appointments, slots } from './opd.tables';
import { violatedConstraint } from './opd-records';
import { createOpdWorld, type OpdWorld } from './opd-test-support';

let t: TestApp;
let w: OpdWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await createOpdWorld(t);
});
afterAll(() => t.close());

/** n patients of the world's facility, written straight into the patients table (a test-only fast path). */
async function manyPatients(n: number): Promise<string[]> {
  const tag = `bulk${Date.now().toString(36)}`;
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

describe('two bookings can never take the same capacity', () => {
  it('500 concurrent bookings at 20 slots of capacity 1: exactly 20 succeed, the rest are 409, none 5xx', async () => {
    const dr = await w.doctor();
    const room = await w.room();
    // 09:00-14:00 in 15-minute slots: twenty slots of one patient each, tomorrow.
    await w.schedule(
      dr.id,
      room.id,
      { startTime: '09:00', endTime: '14:00', slotMinutes: 15, patientsPerSlot: 1 },
      [w.tomorrow],
    );
    const free = await w.slots(dr.id, w.tomorrow);
    expect(free).toHaveLength(20);
    const patients = await manyPatients(500);

    const started = performance.now();
    const results = await Promise.all(patients.map((patientId, i) => w.book(patientId, free[i % 20]!.id)));
    const ms = performance.now() - started;

    const byStatus = new Map<number, number>();
    for (const r of results) byStatus.set(r.statusCode, (byStatus.get(r.statusCode) ?? 0) + 1);
    expect(Object.fromEntries(byStatus)).toEqual({ 201: 20, 409: 480 });
    for (const r of results.filter((x) => x.statusCode === 409)) {
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().code).toBe('OPD_SLOT_FULL');
    }
    // One winner per slot, and the counters agree with the appointments.
    const winners = results.filter((r) => r.statusCode === 201).map((r) => r.json().slotId as string);
    expect(new Set(winners).size).toBe(20);
    const counted = await t.database.db.select().from(slots).where(eq(slots.practitionerId, dr.id));
    expect(counted.every((s) => s.booked === 1 && s.capacity === 1)).toBe(true);
    const held = await t.database.db
      .select()
      .from(appointments)
      .where(eq(appointments.practitionerId, dr.id));
    expect(held).toHaveLength(20);
    console.info(
      `500 concurrent bookings on ${t.database.kind}: 20 booked, 480 refused, in ${ms.toFixed(0)} ms`,
    );
  }, 300_000);

  it('the database itself refuses an overbooking that skips the application', async () => {
    const dr = await w.doctor();
    const room = await w.room();
    await w.schedule(dr.id, room.id, { startTime: '09:00', endTime: '09:15', slotMinutes: 15 }, [w.tomorrow]);
    const [slot] = await w.slots(dr.id, w.tomorrow);
    const [p1, p2] = await manyPatients(2);
    expect((await w.book(p1!, slot!.id)).statusCode).toBe(201);
    const [row] = await t.database.db.select().from(appointments).where(eq(appointments.slotId, slot!.id));
    // A raw insert of a second appointment into the full slot: the trigger + CHECK stop it.
    const refused = await t.database.db
      .insert(appointments)
      .values({ ...row!, id: crypto.randomUUID(), patientId: p2! })
      .then(() => undefined)
      .catch((err: unknown) => err);
    expect(violatedConstraint(refused)).toBe('slots_capacity_ck');
    const [after] = await t.database.db.select().from(slots).where(eq(slots.id, slot!.id));
    expect(after!.booked).toBe(1);
  });
});
