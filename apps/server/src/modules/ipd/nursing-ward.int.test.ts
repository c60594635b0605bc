import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { nursingDayOf, zonedHour } from './nursing-shifts';
import { auditOf, createNursingWorld, type NursingWorld, type TestAdmission } from './nursing-test-support';

let t: TestApp;
let w: NursingWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await createNursingWorld(t);
}, 120_000);
afterAll(() => t.close());

const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** An instant on a facility-time wall clock (Asia/Kolkata): date, hour and minute. */
const at = (date: string, hour: number, minute = 0) =>
  new Date(zonedHour(date, hour, 'Asia/Kolkata').getTime() + minute * 60_000).toISOString();

describe('intake/output chart', () => {
  let a: TestAdmission;
  let day: string;
  let bloodId: string;
  beforeAll(async () => {
    a = await w.admit({ admittedHoursAgo: 80 });
    // Yesterday's nursing day (08:00 to 08:00 IST): all of it is in the past.
    day = addDays(nursingDayOf(new Date(), 'Asia/Kolkata'), -1);
  });
  const io = (body: Record<string, unknown>) =>
    w.call('POST', `/api/v1/ipd/admissions/${a.id}/intake-output`, w.nurse.headers, body);

  it('1. the nurse charts intakes and outputs across the three shifts', async () => {
    const entries: [string, string, number, string][] = [
      ['intake', 'oral', 300, at(day, 9)],
      ['intake', 'iv', 1000, at(day, 13, 59)],
      ['output', 'urine', 400, at(day, 14)],
      ['intake', 'oral', 200, at(day, 20)],
      ['output', 'urine', 600, at(addDays(day, 1), 7, 59)],
      ['output', 'drain', 50, at(addDays(day, 1), 8)],
    ];
    for (const [direction, route, volumeMl, effectiveAt] of entries) {
      const res = await io({ direction, route, volumeMl, effectiveAt });
      expect(res.statusCode).toBe(201);
    }
    const blood = await io({ direction: 'intake', route: 'blood', volumeMl: 350, effectiveAt: at(day, 10) });
    expect(blood.json()).toMatchObject({ shift: 'morning', status: 'final' });
    bloodId = blood.json().id;
  });

  it('2. a wrong entry is marked entered-in-error with the reason and stops counting', async () => {
    const bad = await w.call(
      'POST',
      `/api/v1/ipd/intake-output/${bloodId}/entered-in-error`,
      w.nurse.headers,
      {},
    );
    expect(bad.statusCode).toBe(400);
    const res = await w.call(
      'POST',
      `/api/v1/ipd/intake-output/${bloodId}/entered-in-error`,
      w.nurse.headers,
      {
        reason: 'Charted for the wrong patient',
      },
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'entered-in-error',
      errorReason: 'Charted for the wrong patient',
    });
    const again = await w.call(
      'POST',
      `/api/v1/ipd/intake-output/${bloodId}/entered-in-error`,
      w.nurse.headers,
      {
        reason: 'again',
      },
    );
    expect(again.statusCode).toBe(409);
  });

  it('3. totals per shift (morning 08-14, evening 14-20, night 20-08) and per 24 h with balance', async () => {
    const chart = await w.ok<{
      date: string;
      shifts: { shift: string; totals: { intakeMl: number; outputMl: number; balanceMl: number } }[];
      day: { intakeMl: number; outputMl: number; balanceMl: number; byRoute: Record<string, number> };
      entries: { status: string; shift: string }[];
    }>('GET', `/api/v1/ipd/admissions/${a.id}/intake-output?date=${day}`, w.nurse.headers);
    expect(chart.date).toBe(day);
    expect(
      chart.shifts.map((s) => [s.shift, s.totals.intakeMl, s.totals.outputMl, s.totals.balanceMl]),
    ).toEqual([
      ['morning', 1300, 0, 1300],
      ['evening', 0, 400, -400],
      ['night', 200, 600, -400],
    ]);
    expect(chart.day).toEqual({
      intakeMl: 1500,
      outputMl: 1000,
      balanceMl: 500,
      byRoute: { oral: 500, iv: 1000, urine: 1000 },
    });
    // The entered-in-error entry stays on the chart, marked; the 08:00 drain belongs to the next day.
    expect(chart.entries).toHaveLength(6);
    expect(chart.entries.filter((e) => e.status === 'entered-in-error')).toHaveLength(1);
    const next = await w.ok<{ day: { outputMl: number } }>(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/intake-output?date=${addDays(day, 1)}`,
      w.nurse.headers,
    );
    expect(next.day.outputMl).toBe(50);
    const audit = await auditOf(t, a.patientId);
    expect(audit[0]).toMatchObject({ action: 'read', resource_type: 'IntakeOutput' });
  });

  it('4. refuses a route of the other direction, a negative volume, the future and before admission', async () => {
    expect((await io({ direction: 'output', route: 'oral', volumeMl: 100 })).statusCode).toBe(400);
    expect((await io({ direction: 'intake', route: 'oral', volumeMl: -5 })).statusCode).toBe(400);
    expect((await io({ direction: 'intake', route: 'oral', volumeMl: 2.5 })).statusCode).toBe(400);
    const future = await io({
      direction: 'intake',
      route: 'oral',
      volumeMl: 100,
      effectiveAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    expect(future.statusCode).toBe(422);
    const before = await io({
      direction: 'intake',
      route: 'oral',
      volumeMl: 100,
      effectiveAt: at(addDays(day, -5), 9),
    });
    expect(before.statusCode).toBe(422);
    expect(before.json().code).toBe('IPD_CHART_BEFORE_ADMISSION');
    expect((await io({ direction: 'intake', route: 'oral', volumeMl: 100 })).statusCode).toBe(201);
    expect(
      (
        await w.call('POST', `/api/v1/ipd/admissions/${a.id}/intake-output`, w.desk.headers, {
          direction: 'intake',
          route: 'oral',
          volumeMl: 1,
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('nursing notes and SBAR handovers', () => {
  let a: TestAdmission;
  beforeAll(async () => {
    a = await w.admit({ admittedHoursAgo: 60 });
  });
  const note = (body: Record<string, unknown>, headers = w.nurse.headers) =>
    w.call('POST', `/api/v1/ipd/admissions/${a.id}/nursing-notes`, headers, body);

  it('writes notes and handovers with the shift of their time, lists them newest first in pages', async () => {
    const day = addDays(nursingDayOf(new Date(), 'Asia/Kolkata'), -1);
    const n1 = await note({ kind: 'note', text: 'Slept well, pain 2/10', effectiveAt: at(day, 22) });
    expect(n1.statusCode).toBe(201);
    expect(n1.json()).toMatchObject({
      kind: 'note',
      shift: 'night',
      text: 'Slept well, pain 2/10',
      sbar: null,
    });
    const sbar = {
      situation: 'Day 2 of CAP, febrile overnight',
      background: 'T2DM on insulin; IV ceftriaxone since admission',
      assessment: 'NEWS2 3, tolerating orals, urine output 1 L',
      recommendation: 'Repeat CBC and CRP, review antibiotics on the round',
    };
    const h = await note({ kind: 'handover', sbar, effectiveAt: at(addDays(day, 1), 7, 45) });
    expect(h.statusCode).toBe(201);
    expect(h.json()).toMatchObject({ kind: 'handover', shift: 'night', sbar, text: null });
    const m = await note({ kind: 'note', text: 'Morning care given', shift: 'morning' });
    expect(m.json().shift).toBe('morning');
    expect((await note({ kind: 'handover', sbar: { ...sbar, recommendation: '' } })).statusCode).toBe(400);
    expect((await note({ kind: 'memo', text: 'x' })).statusCode).toBe(400);

    const page1 = await w.ok<{ items: { id: string }[]; nextCursor: string | null }>(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/nursing-notes?limit=2`,
      w.nurse.headers,
    );
    expect(page1.items.map((x) => x.id)).toEqual([m.json().id, h.json().id]);
    const page2 = await w.ok<{ items: { id: string }[]; nextCursor: string | null }>(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/nursing-notes?limit=2&cursor=${page1.nextCursor}`,
      w.nurse.headers,
    );
    expect(page2.items.map((x) => x.id)).toEqual([n1.json().id]);
    expect(page2.nextCursor).toBeNull();
    const handovers = await w.ok<{ items: { kind: string }[] }>(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/nursing-notes?kind=handover`,
      w.nurse.headers,
    );
    expect(handovers.items.map((x) => x.kind)).toEqual(['handover']);
    const bad = await w.call(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/nursing-notes?cursor=nonsense`,
      w.nurse.headers,
    );
    expect(bad.statusCode).toBe(400);
  });

  it('only the author marks a note entered-in-error, with a reason; it stays on the record', async () => {
    const n = (await note({ kind: 'note', text: 'Wrong bed charted' })).json();
    const other = await w.call(
      'POST',
      `/api/v1/ipd/nursing-notes/${n.id}/entered-in-error`,
      w.doctor.headers,
      {
        reason: 'not mine',
      },
    );
    expect(other.statusCode).toBe(422);
    const mine = await w.call('POST', `/api/v1/ipd/nursing-notes/${n.id}/entered-in-error`, w.nurse.headers, {
      reason: 'Charted on the wrong patient',
    });
    expect(mine.json()).toMatchObject({
      status: 'entered-in-error',
      errorReason: 'Charted on the wrong patient',
    });
    const list = await w.ok<{ items: { id: string; status: string }[] }>(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/nursing-notes`,
      w.nurse.headers,
    );
    expect(list.items.find((x) => x.id === n.id)?.status).toBe('entered-in-error');
  });
});

describe('care plan and tasks', () => {
  let a: TestAdmission;
  beforeAll(async () => {
    a = await w.admit();
  });

  it('adds a problem with goal and interventions, revises it (optimistic version), resolves it', async () => {
    const created = await w.call('POST', `/api/v1/ipd/admissions/${a.id}/care-plan`, w.nurse.headers, {
      problem: 'Risk of pressure injury (Braden 12)',
      goal: 'Skin intact at discharge',
      interventions: ['2-hourly repositioning', 'Air mattress', 'Skin check each shift'],
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('W/"1"');
    const item = created.json();
    const stale = await w.call('PATCH', `/api/v1/ipd/care-plan-items/${item.id}`, w.nurse.headers, {
      evaluation: 'Sacrum intact',
      version: 7,
    });
    expect(stale.statusCode).toBe(409);
    const revised = await w.call(
      'PATCH',
      `/api/v1/ipd/care-plan-items/${item.id}`,
      { ...w.nurse.headers, 'if-match': 'W/"1"' },
      {
        evaluation: 'Sacrum intact, heels reddened',
        interventions: ['2-hourly repositioning', 'Heel offloading'],
        version: 1,
      },
    );
    expect(revised.statusCode).toBe(200);
    expect(revised.json()).toMatchObject({
      version: 2,
      interventions: ['2-hourly repositioning', 'Heel offloading'],
    });
    const resolved = await w.call('POST', `/api/v1/ipd/care-plan-items/${item.id}/resolve`, w.nurse.headers, {
      evaluation: 'Mobilising independently; skin intact',
      version: 2,
    });
    expect(resolved.json()).toMatchObject({
      status: 'resolved',
      evaluation: 'Mobilising independently; skin intact',
    });
    const closed = await w.call('PATCH', `/api/v1/ipd/care-plan-items/${item.id}`, w.nurse.headers, {
      goal: 'x',
      version: 3,
    });
    expect(closed.statusCode).toBe(422);
    const plan = await w.ok<{ items: { status: string }[] }>(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/care-plan`,
      w.nurse.headers,
    );
    expect(plan.items.map((x) => x.status)).toEqual(['resolved']);
  });

  it('creates tasks with due times, flags the overdue, completes with an outcome and cancels with a reason', async () => {
    const past = new Date(Date.now() - 30 * 60_000).toISOString();
    const later = new Date(Date.now() + 2 * 3600_000).toISOString();
    const dressing = (
      await w.call('POST', `/api/v1/ipd/admissions/${a.id}/tasks`, w.nurse.headers, {
        kind: 'dressing',
        description: 'Change IV cannula dressing',
        dueAt: past,
      })
    ).json();
    expect(dressing).toMatchObject({ status: 'pending', overdue: true, wardId: w.ward.id });
    const vitals = (
      await w.call('POST', `/api/v1/ipd/admissions/${a.id}/tasks`, w.nurse.headers, {
        kind: 'vitals',
        description: '4-hourly observations',
        dueAt: later,
      })
    ).json();
    expect(vitals.overdue).toBe(false);
    const list = await w.ok<{ items: { id: string }[] }>(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/tasks`,
      w.nurse.headers,
    );
    expect(list.items.map((x) => x.id)).toEqual([dressing.id, vitals.id]);
    const stale = await w.call('POST', `/api/v1/ipd/tasks/${dressing.id}/complete`, w.nurse.headers, {
      outcome: 'done',
      version: 2,
    });
    expect(stale.statusCode).toBe(409);
    const done = await w.call('POST', `/api/v1/ipd/tasks/${dressing.id}/complete`, w.nurse.headers, {
      outcome: 'Dressing changed, site clean',
      version: 1,
    });
    expect(done.json()).toMatchObject({
      status: 'done',
      overdue: false,
      outcome: 'Dressing changed, site clean',
      doneBy: 'Sister Mary Thomas',
    });
    const twice = await w.call('POST', `/api/v1/ipd/tasks/${dressing.id}/complete`, w.nurse.headers, {
      outcome: 'again',
      version: 2,
    });
    expect(twice.json().code).toBe('IPD_TASK_CLOSED');
    const cancelled = await w.call('POST', `/api/v1/ipd/tasks/${vitals.id}/cancel`, w.nurse.headers, {
      reason: 'Moved to hourly observations',
      version: 1,
    });
    expect(cancelled.json()).toMatchObject({
      status: 'cancelled',
      outcome: 'Cancelled: Moved to hourly observations',
    });
    const pending = await w.ok<{ items: unknown[] }>(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/tasks?status=pending`,
      w.nurse.headers,
    );
    expect(pending.items).toHaveLength(0);
  });
});

describe('the nursing station of a ward', () => {
  it('shows every bed with patient, NEWS2, escalations, tasks, expected discharge and I/O today', async () => {
    const ward = await w.newWard();
    const asha = await w.patient({
      name: { given: 'Asha', family: 'Rao' },
      birth: { birthDate: '1950-06-01' },
    });
    const ravi = await w.patient({ name: { given: 'Ravi', family: 'Shetty' }, sex: 'male' });
    await w.ok('POST', `/api/v1/patients/${asha.id}/allergies`, w.doctor.headers, {
      category: 'drug',
      substance: 'Penicillin',
      severity: 'severe',
    });
    await w.ok('POST', `/api/v1/patients/${asha.id}/alerts`, w.nurse.headers, {
      kind: 'fall-risk',
      text: 'High fall risk',
    });
    const a1 = await w.admit({ patientId: asha.id, ward, admittedHoursAgo: 50 });
    const empty = await w.bed(ward, 5);
    const a2 = await w.admit({ patientId: ravi.id, ward });
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date());
    await t.database.db.execute(
      sql`update ipd.admissions set expected_discharge_date = ${today}::date where id = ${a1.id}`,
    );

    await w.ok('POST', `/api/v1/ipd/admissions/${a1.id}/vitals`, w.nurse.headers, {
      respiratoryRate: 26,
      spo2: 93,
      supplementalOxygen: true,
      systolic: 98,
      diastolic: 60,
      heartRate: 118,
      consciousness: 'alert',
      temperature: 38.6,
    });
    await w.ok('POST', `/api/v1/ipd/admissions/${a1.id}/tasks`, w.nurse.headers, {
      kind: 'medication',
      description: 'Paracetamol 1 g IV',
      dueAt: new Date(Date.now() - 10 * 60_000).toISOString(),
    });
    await w.ok('POST', `/api/v1/ipd/admissions/${a1.id}/intake-output`, w.nurse.headers, {
      direction: 'intake',
      route: 'iv',
      volumeMl: 500,
    });
    await w.ok('POST', `/api/v1/ipd/admissions/${a1.id}/intake-output`, w.nurse.headers, {
      direction: 'output',
      route: 'urine',
      volumeMl: 150,
    });
    await w.ok('POST', `/api/v1/ipd/admissions/${a2.id}/vitals`, w.nurse.headers, { heartRate: 80 });

    const res = await w.call('GET', `/api/v1/ipd/wards/${ward.id}/station`, w.nurse.headers);
    expect(res.statusCode).toBe(200);
    const station = res.json();
    expect(station.beds).toHaveLength(3);
    const byAdmission = (id: string) =>
      station.beds.find((b: { admission: { id: string } | null }) => b.admission?.id === id);
    const b1 = byAdmission(a1.id);
    expect(b1.patient).toMatchObject({
      displayName: expect.stringContaining('Asha'),
      mrn: asha.mrn,
      sex: 'female',
      allergyState: 'recorded',
      allergies: ['Penicillin'],
      alerts: ['High fall risk'],
    });
    expect(b1.patient.age).toMatch(/^7\d/);
    expect(b1.admission).toMatchObject({
      attendingPractitionerName: 'Dr. Kavya Menon',
      expectedDischargeDate: today,
    });
    expect(b1.admission.daysSinceAdmission).toBeGreaterThanOrEqual(2);
    expect(b1.news2).toMatchObject({ score: 12, risk: 'high', complete: true });
    expect(b1.openEscalations).toBe(1);
    // The escalation task (due at once for a high score) and the paracetamol, both overdue or due now.
    expect(b1.pendingTasks).toBe(2);
    expect(b1.overdueTasks).toBeGreaterThanOrEqual(1);
    expect(b1.ioToday).toEqual({ intakeMl: 500, outputMl: 150, balanceMl: 350 });
    const b2 = byAdmission(a2.id);
    expect(b2.patient).toMatchObject({ sex: 'male', allergyState: 'not-recorded', allergies: [] });
    expect(b2.news2).toMatchObject({ score: 0, risk: 'low', complete: false });
    expect(b2.openEscalations).toBe(0);
    expect(b2.admission.daysSinceAdmission).toBe(0);
    const free = station.beds.find((b: { bedId: string }) => b.bedId === empty.id);
    expect(free).toMatchObject({ patient: null, admission: null, news2: null, pendingTasks: 0 });
    expect(station.summary).toMatchObject({
      beds: 3,
      occupied: 2,
      openEscalations: 1,
      expectedDischargesToday: 1,
    });
    // Each patient shown is an audited read.
    for (const p of [asha.id, ravi.id]) {
      const audit = await auditOf(t, p);
      expect(audit[0]).toMatchObject({ action: 'read', resource_type: 'Patient' });
    }
  });

  it('answers 404 for a ward of another facility and 403 without ipd:read', async () => {
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/v1/ipd/wards/${w.ward.id}/station`,
      headers: bearer(t.admin.token, t.facilityId),
    });
    expect(other.statusCode).toBe(404);
    const kitchen = await w.call('GET', `/api/v1/ipd/wards/${w.ward.id}/station`, (await stranger()).headers);
    expect(kitchen.statusCode).toBe(403);
  });
});

async function stranger() {
  const { createTestUser, signIn } = await import('../../../test/harness');
  const user = await createTestUser(t.database, { roles: ['lab-technician'], facilityId: w.facilityId });
  return { headers: bearer(await signIn(t.app, user.email), w.facilityId) };
}
