import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { auditEntries } from '../../platform/audit/audit.tables';
import { outbox } from '../../platform/events/events.tables';
import { addDays } from '../../platform/time/facility-time';
import { slots } from './opd.tables';
import { createOpdWorld, type OpdWorld } from './opd-test-support';

let t: TestApp;
let w: OpdWorld;
let dr: Awaited<ReturnType<OpdWorld['doctor']>>;
let room: Awaited<ReturnType<OpdWorld['room']>>;

beforeAll(async () => {
  t = await createTestApp();
  w = await createOpdWorld(t);
  dr = await w.doctor();
  room = await w.room();
  await w.schedule(
    dr.id,
    room.id,
    { startTime: '00:00', endTime: '23:45', slotMinutes: 15, patientsPerSlot: 1 },
    [w.today, w.tomorrow, addDays(w.today, 2)],
  );
});
afterAll(() => t.close());

async function eventsOf(aggregateId: string) {
  return t.database.db.select().from(outbox).where(eq(outbox.aggregateId, aggregateId));
}

describe('booking', () => {
  it('books a free slot with the first-visit fee, audits it and announces it without names', async () => {
    const p = await w.patient();
    const [slot] = await w.slots(dr.id, w.tomorrow);
    const res = await w.book(p.id, slot!.id);
    expect(res.statusCode).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({
      patientId: p.id,
      practitionerId: dr.id,
      slotId: slot!.id,
      date: w.tomorrow,
      status: 'booked',
      source: 'front-desk',
      feeKind: 'first-visit',
      fee: 50_000,
      currency: 'INR',
      version: 1,
    });
    expect(a.patient.mrn).toBe(p.mrn);
    expect(res.headers.etag).toBe('W/"1"');
    const [event] = await eventsOf(a.id);
    expect(event).toMatchObject({ type: 'opd.appointment.booked', facilityId: w.facilityId });
    expect(event!.payload).toMatchObject({
      appointmentId: a.id,
      patientId: p.id,
      feeKind: 'first-visit',
      fee: 50_000,
    });
    expect(JSON.stringify(event!.payload)).not.toContain(p.displayName);
    const audits = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.resourceId, a.id), eq(auditEntries.patientId, p.id)));
    expect(audits.map((x) => x.action)).toEqual(['create']);
    const [after] = await t.database.db.select().from(slots).where(eq(slots.id, slot!.id));
    expect(after!.booked).toBe(1);
  });

  it('refuses a second active appointment of one patient with one doctor on one day, also when raced', async () => {
    const p = await w.patient();
    const free = await w.slots(dr.id, addDays(w.today, 2));
    expect((await w.book(p.id, free[0]!.id)).statusCode).toBe(201);
    const again = await w.book(p.id, free[1]!.id);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('OPD_PATIENT_ALREADY_BOOKED');
    // Ten bookings of another patient at once, ten different slots of the same day: one wins.
    const q = await w.patient();
    const raced = await Promise.all(free.slice(2, 12).map((s) => w.book(q.id, s.id)));
    expect(raced.map((r) => r.statusCode).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(
      raced.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'OPD_PATIENT_ALREADY_BOOKED'),
    ).toBe(true);
    // The nine refused bookings left no capacity taken.
    const taken = (await w.slots(dr.id, addDays(w.today, 2), false)).filter((s) => s.booked > 0);
    expect(taken).toHaveLength(2);
  });

  it('names the field of bad input, refuses unknown patients and slots, and writes nothing', async () => {
    const before = (await w.slots(dr.id, w.tomorrow, false)).reduce((n, s) => n + s.booked, 0);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ patientId: 'nope', slotId: crypto.randomUUID() }, 400, 'body.patientId'],
      [{ patientId: crypto.randomUUID(), slotId: crypto.randomUUID() }, 422, 'body.patientId'],
      [{ patientId: (await w.patient()).id, slotId: crypto.randomUUID() }, 422, 'body.slotId'],
      [{ patientId: crypto.randomUUID(), slotId: crypto.randomUUID(), source: 'portal' }, 400, 'body.source'],
    ];
    for (const [body, status, path] of cases) {
      const res = await w.call('POST', '/api/v1/opd/appointments', w.desk.headers, body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const after = (await w.slots(dr.id, w.tomorrow, false)).reduce((n, s) => n + s.booked, 0);
    expect(after).toBe(before);
    // A nurse may check patients in, not book them.
    const nurse = await w.call('POST', '/api/v1/opd/appointments', w.nurse.headers, {
      patientId: crypto.randomUUID(),
      slotId: crypto.randomUUID(),
    });
    expect(nurse.statusCode).toBe(403);
  });
});

describe('rescheduling, cancelling, no-shows', () => {
  it('rescheduling frees the old capacity for someone else and says where the appointment was', async () => {
    const [p1, p2] = [await w.patient(), await w.patient()];
    const free = await w.slots(dr.id, w.tomorrow);
    const [a, b] = [free[5]!, free[6]!];
    const first = (await w.book(p1.id, a.id)).json();
    const blocked = await w.book(p2.id, a.id);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().code).toBe('OPD_SLOT_FULL');
    const moved = await w.call('POST', `/api/v1/opd/appointments/${first.id}/reschedule`, w.desk.headers, {
      slotId: b.id,
      version: 1,
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ slotId: b.id, startsAt: b.startsAt, version: 2, status: 'booked' });
    expect((await w.book(p2.id, a.id)).statusCode).toBe(201);
    const counts = await t.database.db.select().from(slots).where(eq(slots.practitionerId, dr.id));
    expect(counts.find((s) => s.id === a.id)!.booked).toBe(1);
    expect(counts.find((s) => s.id === b.id)!.booked).toBe(1);
    const events = await eventsOf(first.id);
    const rescheduled = events.find((e) => e.type === 'opd.appointment.rescheduled')!;
    expect(rescheduled.payload).toMatchObject({
      slotId: b.id,
      previous: { slotId: a.id, startsAt: a.startsAt },
    });
    // A stale version is refused; If-Match that does not match is 412.
    const stale = await w.call('POST', `/api/v1/opd/appointments/${first.id}/reschedule`, w.desk.headers, {
      slotId: free[7]!.id,
      version: 1,
    });
    expect(stale.statusCode).toBe(409);
    const ifMatch = await w.call(
      'POST',
      `/api/v1/opd/appointments/${first.id}/reschedule`,
      { ...w.desk.headers, 'if-match': 'W/"1"' },
      { slotId: free[7]!.id },
    );
    expect(ifMatch.statusCode).toBe(409);
    const badIfMatch = await w.call(
      'POST',
      `/api/v1/opd/appointments/${first.id}/reschedule`,
      { ...w.desk.headers, 'if-match': 'W/"2"' },
      { slotId: free[7]!.id, version: 1 },
    );
    expect(badIfMatch.statusCode).toBe(412);
  });

  it('cancelling needs a reason, frees the slot, and cannot happen twice', async () => {
    const p = await w.patient();
    const [slot] = (await w.slots(dr.id, w.tomorrow)).slice(10);
    const a = (await w.book(p.id, slot!.id)).json();
    const noReason = await w.call('POST', `/api/v1/opd/appointments/${a.id}/cancel`, w.desk.headers, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].path).toBe('body.reason');
    const res = await w.call('POST', `/api/v1/opd/appointments/${a.id}/cancel`, w.desk.headers, {
      reason: 'Patient travelling',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'cancelled', cancelReason: 'Patient travelling' });
    const [freed] = await t.database.db.select().from(slots).where(eq(slots.id, slot!.id));
    expect(freed!.booked).toBe(0);
    const twice = await w.call('POST', `/api/v1/opd/appointments/${a.id}/cancel`, w.desk.headers, {
      reason: 'again',
    });
    expect(twice.statusCode).toBe(409);
    expect((await eventsOf(a.id)).map((e) => e.type).sort()).toEqual([
      'opd.appointment.booked',
      'opd.appointment.cancelled',
    ]);
    expect((await eventsOf(a.id)).find((e) => e.type === 'opd.appointment.cancelled')!.payload).toMatchObject(
      {
        cause: 'request',
      },
    );
  });

  it('marks a no-show only once the appointment has started', async () => {
    const p = await w.patient();
    const future = (await w.slots(dr.id, w.tomorrow)).slice(12)[0]!;
    const a = (await w.book(p.id, future.id)).json();
    const early = await w.call('POST', `/api/v1/opd/appointments/${a.id}/no-show`, w.desk.headers);
    expect(early.statusCode, early.body).toBe(422);
    // Today's slot running now has started (the world's clock reads about 11:00).
    const [current] = await w.slots(dr.id, w.today);
    expect(new Date(current!.startsAt).getTime()).toBeLessThanOrEqual(Date.now());
    const q = await w.patient();
    const b = (await w.book(q.id, current!.id)).json();
    const res = await w.call('POST', `/api/v1/opd/appointments/${b.id}/no-show`, w.nurse.headers);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('no-show');
    expect((await eventsOf(b.id)).map((e) => e.type)).toContain('opd.appointment.no-show');
  });

  it('lists a day, in time order, a page at a time, each patient shown an audited read', async () => {
    const page1 = await w.ok<{
      items: { id: string; startsAt: string; patientId: string }[];
      nextCursor: string;
    }>('GET', `/api/v1/opd/appointments?date=${w.tomorrow}&practitionerId=${dr.id}&limit=2`, w.desk.headers);
    expect(page1.items).toHaveLength(2);
    const page2 = await w.ok<{ items: { id: string; startsAt: string }[] }>(
      'GET',
      `/api/v1/opd/appointments?date=${w.tomorrow}&practitionerId=${dr.id}&limit=2&cursor=${page1.nextCursor}`,
      w.desk.headers,
    );
    expect(page2.items[0]!.startsAt >= page1.items[1]!.startsAt).toBe(true);
    expect(page2.items.map((i) => i.id)).not.toContain(page1.items[0]!.id);
    const reads = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.action, 'read'), eq(auditEntries.patientId, page1.items[0]!.patientId)));
    expect(reads.length).toBeGreaterThan(0);
    const bad = await w.call('GET', '/api/v1/opd/appointments?cursor=nonsense', w.desk.headers);
    expect(bad.statusCode).toBe(400);
  });
});

describe('fees and follow-ups', () => {
  it('charges the follow-up fee after a consultation within the window, and books follow-ups from the encounter', async () => {
    const p = await w.patient();
    // 1. The patient walks in today and the doctor sees them.
    const walkIn = await w.walkIn(p.id, dr.id);
    expect(walkIn.statusCode).toBe(201);
    expect(walkIn.json().token.feeKind).toBe('first-visit');
    const started = await w.call('POST', `/api/v1/opd/tokens/${walkIn.json().token.id}/start`, dr.headers);
    expect(started.statusCode, started.body).toBe(200);
    const encounterId = started.json().encounterId as string;
    // 2. The doctor books the follow-up "in two days" from the consultation: the first free slot that day.
    const followUp = await w.call('POST', '/api/v1/opd/follow-ups', dr.headers, {
      encounterId,
      date: addDays(w.today, 2),
      reason: 'Review reports',
    });
    expect(followUp.statusCode, followUp.body).toBe(201);
    expect(followUp.json()).toMatchObject({
      patientId: p.id,
      practitionerId: dr.id,
      source: 'follow-up',
      followUpOfEncounterId: encounterId,
      feeKind: 'follow-up',
      fee: 30_000,
      date: addDays(w.today, 2),
    });
    // 3. With another doctor it is a first visit.
    const other = await w.doctor({ firstVisitFee: 80_000 });
    await w.schedule(other.id, room.id, { startTime: '09:00', endTime: '10:00' }, [w.tomorrow]);
    const [slot] = await w.slots(other.id, w.tomorrow);
    const elsewhere = (await w.book(p.id, slot!.id)).json();
    expect(elsewhere).toMatchObject({ feeKind: 'first-visit', fee: 80_000 });
    // 4. Bad follow-ups: unknown encounter, both slot and date.
    const unknown = await w.call('POST', '/api/v1/opd/follow-ups', dr.headers, {
      encounterId: crypto.randomUUID(),
      date: w.tomorrow,
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0].path).toBe('body.encounterId');
    const both = await w.call('POST', '/api/v1/opd/follow-ups', dr.headers, {
      encounterId,
      date: w.tomorrow,
      slotId: slot!.id,
    });
    expect(both.statusCode).toBe(400);
  });
});
