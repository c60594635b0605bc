import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { startDispatcher } from '../../platform/events/dispatcher';
import { appointments } from './opd.tables';
import { createOpdWorld, type OpdWorld } from './opd-test-support';

let t: TestApp;
let w: OpdWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await createOpdWorld(t);
});
afterAll(() => t.close());

async function drain() {
  const dispatcher = startDispatcher({
    database: t.database,
    registry: t.app.deps.events,
    logger: pino({ level: 'silent' }),
    pollMs: 60_000,
  });
  await dispatcher.drain();
  await dispatcher.stop();
}

describe('a merge of two patient records', () => {
  it('moves appointments to the survivor, and cancels the duplicate booking of the same doctor and day', async () => {
    const doctor = await w.doctor();
    const room = await w.room();
    await w.schedule(doctor.id, room.id);
    const [s1, s2] = await w.slots(doctor.id, w.tomorrow);
    const survivor = await w.patient();
    const merged = await w.patient();
    const sameDay = (await w.book(survivor.id, s1!.id)).json();
    const clash = (await w.book(merged.id, s2!.id)).json();
    const otherDoctor = await w.doctor();
    await w.schedule(otherDoctor.id, room.id);
    const [o1] = await w.slots(otherDoctor.id, w.tomorrow);
    const moved = (await w.book(merged.id, o1!.id)).json();
    expect([sameDay.status, clash.status, moved.status]).toEqual(['booked', 'booked', 'booked']);

    const records = await createTestUser(t.database, {
      roles: ['records-officer'],
      facilityId: w.facilityId,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patients/merges',
      headers: bearer(await signIn(t.app, records.email), w.facilityId),
      payload: { survivorId: survivor.id, mergedId: merged.id, reason: 'same person registered twice' },
    });
    expect(res.statusCode).toBe(201);
    await drain();

    const rows = await t.database.db
      .select()
      .from(appointments)
      .where(eq(appointments.patientId, survivor.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(sameDay.id)?.status).toBe('booked');
    expect(byId.get(clash.id)?.status).toBe('cancelled');
    expect(byId.get(moved.id)?.status).toBe('booked');
    // The freed slot can be booked again.
    const again = await w.book((await w.patient()).id, s2!.id);
    expect(again.statusCode).toBe(201);
  });
});
