import { and, eq, inArray, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { auditEntries } from '../../platform/audit/audit.tables';
import { outbox } from '../../platform/events/events.tables';
import { addDays } from '../../platform/time/facility-time';
import { appointments, practitioners, sessions, slots } from './opd.tables';
import { createOpdWorld, type OpdWorld } from './opd-test-support';

let t: TestApp;
let w: OpdWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await createOpdWorld(t);
});
afterAll(() => t.close());

async function sessionsOf(practitionerId: string) {
  return t.database.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.practitionerId, practitionerId), ne(sessions.status, 'superseded')));
}

describe('practitioners and rooms', () => {
  it('creates a practitioner linked to a staff user, with fees in paise, and refuses a second profile', async () => {
    const dr = await w.doctor({
      firstVisitFee: 75_000,
      followUpFee: 40_000,
      followUpWithinDays: 10,
      tokenPrefix: 'k',
    });
    const read = await w.ok<Record<string, unknown>>(
      'GET',
      `/api/v1/opd/practitioners/${dr.id}`,
      w.desk.headers,
    );
    expect(read).toMatchObject({
      userId: dr.userId,
      firstVisitFee: 75_000,
      followUpFee: 40_000,
      followUpWithinDays: 10,
      currency: 'INR',
      tokenPrefix: 'K',
      qualifications: ['MBBS', 'MD'],
      active: true,
    });
    const again = await w.call('POST', '/api/v1/opd/practitioners', w.admin.headers, {
      userId: dr.userId,
      displayName: 'Dr. Again',
      departmentId: w.departmentId,
      specialty: 'Medicine',
      firstVisitFee: 1,
      followUpFee: 1,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('OPD_PRACTITIONER_EXISTS');
  });

  it('names the field of bad input and writes nothing', async () => {
    const before = await t.database.db
      .select()
      .from(practitioners)
      .where(eq(practitioners.facilityId, w.facilityId));
    const cases: [Record<string, unknown>, string][] = [
      [{ firstVisitFee: 12.5 }, 'body.firstVisitFee'],
      [{ firstVisitFee: -1 }, 'body.firstVisitFee'],
      [{ userId: '00000000-0000-0000-0000-000000000000' }, 'body.userId'],
      [{ departmentId: '00000000-0000-0000-0000-000000000000' }, 'body.departmentId'],
      [{ tokenPrefix: 'AB1' }, 'body.tokenPrefix'],
    ];
    const user = await w.staff(['doctor']);
    for (const [override, path] of cases) {
      const res = await w.call('POST', '/api/v1/opd/practitioners', w.admin.headers, {
        userId: user.id,
        displayName: 'Dr. Field',
        departmentId: w.departmentId,
        specialty: 'Medicine',
        firstVisitFee: 100,
        followUpFee: 50,
        ...override,
      });
      expect(res.statusCode, JSON.stringify(override)).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const after = await t.database.db
      .select()
      .from(practitioners)
      .where(eq(practitioners.facilityId, w.facilityId));
    expect(after.length).toBe(before.length);
  });

  it('keeps board codes unique and upper case, and only administrators manage rooms', async () => {
    const room = await w.room();
    expect(room.boardCode).toMatch(/^B-[A-Z]{8}$/);
    const clash = await w.call('POST', '/api/v1/opd/rooms', w.admin.headers, {
      departmentId: w.departmentId,
      name: 'Another room',
      boardCode: room.boardCode.toLowerCase(),
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().code).toBe('OPD_BOARD_CODE_TAKEN');
    const byDesk = await w.call('POST', '/api/v1/opd/rooms', w.desk.headers, {
      departmentId: w.departmentId,
      name: 'Desk room',
      boardCode: 'DESK-1',
    });
    expect(byDesk.statusCode).toBe(403);
  });
});

describe('schedules, sessions and slots', () => {
  it('makes sessions and slots for the booking window at once, and making them again changes nothing', async () => {
    const dr = await w.doctor();
    const room = await w.room();
    await w.schedule(
      dr.id,
      room.id,
      { startTime: '09:00', endTime: '12:00', slotMinutes: 20, patientsPerSlot: 3 },
      [w.today],
    );
    const made = await sessionsOf(dr.id);
    // The window is today + 3 days: one session on today's weekday.
    expect(made.map((s) => s.date)).toEqual([w.today]);
    const slotsToday = await w.slots(dr.id, w.today, false);
    expect(slotsToday).toHaveLength(9);
    expect(slotsToday[0]).toMatchObject({ capacity: 3, booked: 0, free: 3, status: 'open' });
    // 09:00 in the facility's zone.
    const wall = new Intl.DateTimeFormat('en-GB', {
      timeZone: w.timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    expect(wall.format(new Date(slotsToday[0]!.startsAt))).toBe('09:00');
    const again = await w.ok<{ sessionsCreated: number }>(
      'POST',
      '/api/v1/opd/slots/materialize',
      w.admin.headers,
      {
        practitionerId: dr.id,
      },
    );
    expect(again.sessionsCreated).toBe(0);
    expect(await sessionsOf(dr.id)).toHaveLength(1);
    const allSlots = await t.database.db.select().from(slots).where(eq(slots.practitionerId, dr.id));
    expect(allSlots).toHaveLength(9);
  });

  it('refuses two overlapping weekly sessions of one practitioner', async () => {
    const dr = await w.doctor();
    const room = await w.room();
    await w.schedule(dr.id, room.id, { startTime: '09:00', endTime: '12:00' }, [w.today]);
    const weekday = new Date(`${w.today}T00:00:00Z`).getUTCDay() || 7;
    const res = await w.call('POST', '/api/v1/opd/schedules', w.admin.headers, {
      practitionerId: dr.id,
      roomId: room.id,
      weekday,
      startTime: '11:00',
      endTime: '13:00',
      slotMinutes: 15,
      patientsPerSlot: 1,
      validFrom: w.today,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('OPD_SCHEDULE_OVERLAP');
    const bad = await w.call('POST', '/api/v1/opd/schedules', w.admin.headers, {
      practitionerId: dr.id,
      roomId: room.id,
      weekday,
      startTime: '14:00',
      endTime: '13:00',
      slotMinutes: 15,
      patientsPerSlot: 1,
      validFrom: w.today,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.endTime');
  });

  it('cancelling a session lists its booked patients for rescheduling and announces them in one event', async () => {
    const dr = await w.doctor();
    const room = await w.room();
    await w.schedule(dr.id, room.id, { startTime: '09:00', endTime: '10:00', slotMinutes: 15 }, [w.tomorrow]);
    const free = await w.slots(dr.id, w.tomorrow);
    const p1 = await w.patient();
    const p2 = await w.patient();
    const a1 = (await w.book(p1.id, free[0]!.id)).json();
    const a2 = (await w.book(p2.id, free[1]!.id)).json();
    const res = await w.call('POST', `/api/v1/opd/sessions/${free[0]!.sessionId}/cancel`, w.admin.headers, {
      reason: 'Doctor called to theatre',
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.session.status).toBe('cancelled');
    expect(body.affected.map((a: { appointmentId: string }) => a.appointmentId).sort()).toEqual(
      [a1.id, a2.id].sort(),
    );
    expect(body.affected[0].patient.mrn).toMatch(/^T/);
    // The event names the appointments, not the patients.
    const [event] = await t.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.type, 'opd.session.cancelled'), eq(outbox.aggregateId, free[0]!.sessionId)));
    expect(event!.payload).toMatchObject({
      sessionId: free[0]!.sessionId,
      practitionerId: dr.id,
      date: w.tomorrow,
      reason: 'Doctor called to theatre',
    });
    expect((event!.payload as { appointmentIds: string[] }).appointmentIds.sort()).toEqual(
      [a1.id, a2.id].sort(),
    );
    expect(JSON.stringify(event!.payload)).not.toContain(p1.displayName);
    // Capacity freed and slots closed; the patients are on the reschedule list until rebooked.
    const closed = await w.slots(dr.id, w.tomorrow, false);
    expect(closed.every((s) => s.status === 'cancelled' && s.booked === 0)).toBe(true);
    const list = await w.ok<{ items: { id: string; cancelledBySession: boolean }[] }>(
      'GET',
      '/api/v1/opd/reschedule-list?limit=200',
      w.desk.headers,
    );
    expect(list.items.map((a) => a.id)).toEqual(expect.arrayContaining([a1.id, a2.id]));
    // The desk rebooks one of them with another doctor: off the list, booked again.
    const other = await w.doctor();
    await w.schedule(other.id, room.id, { startTime: '10:00', endTime: '11:00' }, [w.tomorrow]);
    const otherSlot = (await w.slots(other.id, w.tomorrow))[0]!;
    const moved = await w.call('POST', `/api/v1/opd/appointments/${a1.id}/reschedule`, w.desk.headers, {
      slotId: otherSlot.id,
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({
      status: 'booked',
      practitionerId: other.id,
      cancelledBySession: false,
    });
    const after = await w.ok<{ items: { id: string }[] }>(
      'GET',
      '/api/v1/opd/reschedule-list?limit=200',
      w.desk.headers,
    );
    expect(after.items.map((a) => a.id)).not.toContain(a1.id);
    expect(after.items.map((a) => a.id)).toContain(a2.id);
    // Cancelling it again (in a cancelled session) is a 409; a second session cancel too.
    const twice = await w.call('POST', `/api/v1/opd/sessions/${free[0]!.sessionId}/cancel`, w.admin.headers, {
      reason: 'again',
    });
    expect(twice.statusCode).toBe(409);
  });

  it('leave cancels the sessions it covers (patients listed); withdrawn, the sessions reopen', async () => {
    const dr = await w.doctor();
    const room = await w.room();
    await w.schedule(dr.id, room.id, { startTime: '09:00', endTime: '10:00', slotMinutes: 30 }, [w.tomorrow]);
    const [slot] = await w.slots(dr.id, w.tomorrow);
    const p = await w.patient();
    const a = (await w.book(p.id, slot!.id)).json();
    const leave = await w.call('POST', '/api/v1/opd/exceptions', w.admin.headers, {
      kind: 'leave',
      practitionerId: dr.id,
      dateFrom: w.tomorrow,
      dateTo: addDays(w.tomorrow, 1),
      reason: 'Conference',
    });
    expect(leave.statusCode).toBe(201);
    expect(leave.json().affected.map((x: { appointmentId: string }) => x.appointmentId)).toEqual([a.id]);
    const [cancelled] = await sessionsOf(dr.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Leave: Conference' });
    const [appt] = await t.database.db.select().from(appointments).where(eq(appointments.id, a.id));
    expect(appt).toMatchObject({ status: 'cancelled', cancelledBySession: true });
    expect(await w.slots(dr.id, w.tomorrow)).toHaveLength(0);

    const withdrawn = await w.call(
      'POST',
      `/api/v1/opd/exceptions/${leave.json().exception.id}/withdraw`,
      w.admin.headers,
    );
    expect(withdrawn.statusCode).toBe(200);
    const [reopened] = await sessionsOf(dr.id);
    expect(reopened).toMatchObject({ id: cancelled!.id, status: 'open', cancelReason: null });
    expect(await w.slots(dr.id, w.tomorrow)).toHaveLength(2);
  });

  it('a changed weekly session replaces unbooked sessions and supersedes booked ones', async () => {
    const dr = await w.doctor();
    const room = await w.room();
    const [today, tomorrow] = await w.schedule(dr.id, room.id, {
      startTime: '09:00',
      endTime: '10:00',
      slotMinutes: 30,
    });
    const [slot] = await w.slots(dr.id, w.tomorrow);
    const p = await w.patient();
    const a = (await w.book(p.id, slot!.id)).json();
    // The unbooked one (today) quietly becomes 09:00-11:00; the booked one (tomorrow) is superseded.
    const t1 = await w.call('PATCH', `/api/v1/opd/schedules/${today!.template.id}`, w.admin.headers, {
      endTime: '11:00',
      version: today!.template.version,
    });
    expect(t1.statusCode).toBe(200);
    expect(t1.json().affected).toEqual([]);
    expect(await w.slots(dr.id, w.today, false)).toHaveLength(4);
    const t2 = await w.call('PATCH', `/api/v1/opd/schedules/${tomorrow!.template.id}`, w.admin.headers, {
      startTime: '08:00',
      version: tomorrow!.template.version,
    });
    expect(t2.statusCode, t2.body).toBe(200);
    expect(t2.json().affected.map((x: { appointmentId: string }) => x.appointmentId)).toEqual([a.id]);
    const all = await t.database.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.practitionerId, dr.id), eq(sessions.date, w.tomorrow)));
    expect(all.map((s) => s.status).sort()).toEqual(['open', 'superseded']);
    expect(await w.slots(dr.id, w.tomorrow, false)).toHaveLength(4);
    // A stale version is a 409.
    const stale = await w.call('PATCH', `/api/v1/opd/schedules/${tomorrow!.template.id}`, w.admin.headers, {
      walkInQuota: 3,
      version: tomorrow!.template.version,
    });
    expect(stale.statusCode).toBe(409);
  });

  it('a facility holiday closes every practitioner; an extra session holds even on leave', async () => {
    const dr = await w.doctor();
    const room = await w.room();
    await w.schedule(dr.id, room.id, { startTime: '09:00', endTime: '10:00' }, [w.tomorrow]);
    const extra = await w.call('POST', '/api/v1/opd/exceptions', w.admin.headers, {
      kind: 'extra-session',
      practitionerId: dr.id,
      date: w.tomorrow,
      reason: 'Camp',
      roomId: room.id,
      startTime: '15:00',
      endTime: '16:00',
      slotMinutes: 30,
      patientsPerSlot: 2,
    });
    expect(extra.statusCode).toBe(201);
    const holiday = await w.call('POST', '/api/v1/opd/exceptions', w.admin.headers, {
      kind: 'holiday',
      dateFrom: w.tomorrow,
      dateTo: w.tomorrow,
      reason: 'Festival',
    });
    expect(holiday.statusCode).toBe(201);
    const open = await w.slots(dr.id, w.tomorrow);
    expect(open.map((s) => s.capacity)).toEqual([2, 2]);
    // Withdraw the holiday for the other practitioners of this file.
    await w.ok('POST', `/api/v1/opd/exceptions/${holiday.json().exception.id}/withdraw`, w.admin.headers);
  });

  it('audits the reschedule list as reads of each patient shown', async () => {
    const list = await w.ok<{ items: { patientId: string }[] }>(
      'GET',
      '/api/v1/opd/reschedule-list?limit=5',
      w.desk.headers,
    );
    expect(list.items.length).toBeGreaterThan(0);
    const reads = await t.database.db
      .select()
      .from(auditEntries)
      .where(
        and(
          eq(auditEntries.action, 'read'),
          inArray(
            auditEntries.patientId,
            list.items.map((i) => i.patientId),
          ),
        ),
      );
    expect(new Set(reads.map((r) => r.patientId)).size).toBe(
      new Set(list.items.map((i) => i.patientId)).size,
    );
  });

  it('a longer booking window is made at once; the slot picker makes days the nightly job has not reached', async () => {
    const dr = await w.doctor();
    const room = await w.room();
    const weekdays = Array.from({ length: 7 }, (_, i) => addDays(w.today, i));
    await w.schedule(dr.id, room.id, { startTime: '09:00', endTime: '10:00', slotMinutes: 30 }, weekdays);
    expect((await sessionsOf(dr.id)).length).toBe(4);
    const settings = await w.ok<{ version: number }>('GET', '/api/v1/opd/settings', w.admin.headers);
    const wider = {
      priorityKinds: ['emergency'],
      elderlyAge: 65,
      bookingWindowDays: 6,
      version: settings.version,
    };
    const res = await w.call('PUT', '/api/v1/opd/settings', w.admin.headers, wider);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ elderlyAge: 65, bookingWindowDays: 6, version: settings.version + 1 });
    expect((await sessionsOf(dr.id)).length).toBe(7);
    // The window's last days vanish (as if never made): asking for them makes them again.
    const last = addDays(w.today, 6);
    await t.database.db.delete(slots).where(and(eq(slots.practitionerId, dr.id), eq(slots.date, last)));
    await t.database.db
      .delete(sessions)
      .where(and(eq(sessions.practitionerId, dr.id), eq(sessions.date, last)));
    await t.database.db
      .update(practitioners)
      .set({ slotsThrough: addDays(w.today, 5) })
      .where(eq(practitioners.id, dr.id));
    expect(await w.slots(dr.id, last)).toHaveLength(2);
    // Beyond the window, nothing is made.
    expect(await w.slots(dr.id, addDays(w.today, 8))).toHaveLength(0);
    await w.ok('PUT', '/api/v1/opd/settings', w.admin.headers, {
      priorityKinds: ['emergency', 'elderly', 'pregnant', 'disabled'],
      elderlyAge: 60,
      bookingWindowDays: 3,
      version: settings.version + 1,
    });
  });
});
