import { BILLING_EVENTS, IPD_EVENTS, OPD_EVENTS } from '@newhms/contracts';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import { outbox } from '../../platform/events/events.tables';
import { appendEvent } from '../../platform/events/outbox';
import { addDays, zonedInstant } from '../../platform/time/facility-time';
import { charges } from './billing.tables';
import { syncAllBedDays } from './charge-posting';
import { type ChargesWorld, type ChargeView, createChargesWorld } from './charges-test-support';

let t: TestApp;
let w: ChargesWorld;
let doctor: Awaited<ReturnType<ChargesWorld['doctor']>>;

beforeAll(async () => {
  t = await createTestApp();
  w = await createChargesWorld(t);
  doctor = await w.doctor();
  // The room and nursing tariff: general INR 1,500 + 500 a day, ICU INR 12,000 + 2,000 a day; an admission fee.
  await w.service(
    { code: 'ROOM-GEN', name: 'General ward bed', serviceGroup: 'room', taxCode: 'ROOM' },
    { general: 150_000 },
  );
  await w.service(
    { code: 'ROOM-ICU', name: 'ICU bed', serviceGroup: 'room', taxCode: 'ROOM', intensiveCare: true },
    { icu: 1_200_000 },
  );
  await w.service(
    { code: 'NURSING', name: 'Nursing care (per day)', serviceGroup: 'nursing' },
    { general: 50_000, icu: 200_000 },
  );
  await w.service(
    { code: 'IPD-ADMISSION', name: 'Admission and registration', serviceGroup: 'other' },
    { '*': 20_000 },
  );
}, 180_000);
afterAll(() => t.close());

async function publish(type: string, payload: object, facilityId = w.facilityId) {
  await t.database.db.transaction(async (tx) => {
    await appendEvent(tx, t.app.deps.events, { type, facilityId, aggregateId: null, payload });
  });
  await w.drain();
}
const active = (cs: ChargeView[]) => cs.filter((c) => c.status === 'active');
const local = (daysFromToday: number, time: string) =>
  zonedInstant(addDays(w.today, daysFromToday), time, w.timeZone);

describe('an in-patient stay', () => {
  it('charges the admission fee once and bed days by the bed held at each midnight, across a move to ICU and the discharge', async () => {
    const general = await w.ward('general', 2);
    const icu = await w.ward('icu', 1);
    const patient = await w.patient();

    // 1. The desk admits the patient to a general bed; billing opens the IPD account.
    const admission = await w.admit(patient.id, general.beds[0]!.id, doctor.id);
    await w.drain();
    let account = await w.accountOf(`ipd.admission:${admission.id}`);
    expect(account).toMatchObject({ kind: 'ipd', tariffClass: 'general' });
    // A stay that spans no midnight yet is one day.
    expect(
      active(account!.charges)
        .map((c) => [c.serviceCode, c.serviceDate])
        .sort(),
    ).toEqual([
      ['IPD-ADMISSION', w.today],
      ['NURSING', w.today],
      ['ROOM-GEN', w.today],
    ]);

    // 2. The nurse moves the patient to ICU.
    const moved = await w.ok<{ version: number }>(
      'POST',
      `/api/v1/ipd/admissions/${admission.id}/transfer`,
      w.admin.headers,
      {
        bedId: icu.beds[0]!.id,
        reason: 'Desaturating on oxygen',
        version: admission.version,
      },
    );
    expect(moved.version).toBeGreaterThan(admission.version);
    await w.drain();
    account = await w.accountOf(`ipd.admission:${admission.id}`);
    expect(account!.tariffClass).toBe('icu');

    // 3. The stay really began three days ago at 10:00 (general), moved to ICU yesterday at 15:00, and ends
    //    this morning at 09:00: midnights of today-2, today-1 (general) and today (ICU).
    const start = local(-3, '10:00');
    const moveAt = local(-1, '15:00');
    const leave = local(0, '09:00');
    await t.database.db.execute(sql`update ipd.admissions set admitted_at = ${start.toISOString()}::timestamptz,
      status = 'discharged', discharge_type = 'normal', discharged_at = ${leave.toISOString()}::timestamptz,
      discharged_by_name = 'Test' where id = ${admission.id}`);
    await t.database.db.execute(sql`update ipd.bed_occupancies set started_at = ${start.toISOString()}::timestamptz,
      ended_at = ${moveAt.toISOString()}::timestamptz where admission_id = ${admission.id} and end_reason = 'transfer'`);
    await t.database.db.execute(sql`update ipd.bed_occupancies set started_at = ${moveAt.toISOString()}::timestamptz,
      ended_at = ${leave.toISOString()}::timestamptz, end_reason = 'discharge'
      where admission_id = ${admission.id} and ended_at is null`);
    const discharged = {
      admissionId: admission.id,
      admissionNumber: admission.admissionNumber,
      patientId: patient.id,
      encounterId: admission.encounterId,
      payerCategory: 'cash',
      bed: null,
      previousBed: null,
      at: leave.toISOString(),
      dischargeType: 'normal',
    };
    // Delivered twice (at least once): the same charges.
    await publish(IPD_EVENTS.discharged, discharged);
    await publish(IPD_EVENTS.discharged, discharged);

    account = await w.accountOf(`ipd.admission:${admission.id}`);
    const days = active(account!.charges)
      .filter((c) => c.sourceType === 'ipd.bed-day')
      .map((c) => [c.serviceDate, c.serviceCode, c.tariffClass, c.intensiveCare, c.unitPrice]);
    expect(days.sort()).toEqual(
      [
        [addDays(w.today, -3), 'NURSING', 'general', false, 50_000],
        [addDays(w.today, -3), 'ROOM-GEN', 'general', false, 150_000],
        [addDays(w.today, -2), 'NURSING', 'general', false, 50_000],
        [addDays(w.today, -2), 'ROOM-GEN', 'general', false, 150_000],
        [addDays(w.today, -1), 'NURSING', 'icu', true, 200_000],
        [addDays(w.today, -1), 'ROOM-ICU', 'icu', true, 1_200_000],
      ].sort(),
    );
    // The provisional same-day charges of today were cancelled, not deleted. (Two or four: before the backdating
    // the one day of a stay without a midnight goes to its longer period, general or ICU depending on how long the
    // transfer's delivery took.)
    const replaced = account!.charges.filter((c) => c.status === 'cancelled');
    expect([2, 4]).toContain(replaced.length);
    for (const c of replaced) {
      expect(c).toMatchObject({ serviceDate: w.today, cancelReason: 'The bed census of the stay changed' });
    }
    expect(active(account!.charges).filter((c) => c.serviceCode === 'IPD-ADMISSION')).toHaveLength(1);
    expect(account!.totals.charged).toBe(20_000 + 2 * 200_000 + 1_400_000);

    // 4. The hourly job finds nothing more to do for a closed stay.
    expect(await syncAllBedDays(t.database.db, w.facilityId)).toBe(0);
  });

  it('cancels every charge of an admission entered in error, with the reason', async () => {
    const ward = await w.ward('general', 1);
    const patient = await w.patient();
    const admission = await w.admit(patient.id, ward.beds[0]!.id, doctor.id);
    await w.drain();
    const res = await w.call('POST', `/api/v1/ipd/admissions/${admission.id}/cancel`, w.admin.headers, {
      reason: 'Registered against the wrong patient record',
      version: admission.version,
    });
    expect(res.statusCode).toBe(200);
    await w.drain();
    const account = await w.accountOf(`ipd.admission:${admission.id}`);
    expect(account!.charges.length).toBeGreaterThan(0);
    expect(account!.charges.every((c) => c.status === 'cancelled')).toBe(true);
    expect(account!.charges[0]!.cancelReason).toBe(
      'Admission cancelled: Registered against the wrong patient record',
    );
    expect(account!.totals.charged).toBe(0);
  });

  it('flags charges covered by a package, and bed days beyond its length of stay as charged', async () => {
    const lab = await w.service(
      { serviceGroup: 'investigation', name: 'Serum electrolytes' },
      { '*': 40_000 },
    );
    const pkgService = await w.service(
      { serviceGroup: 'package', name: 'Appendicectomy package' },
      { '*': 4_500_000 },
    );
    const pkg = await w.ok<{ id: string }>('POST', '/api/v1/billing/packages', w.manager.headers, {
      serviceId: pkgService.id,
      losLimitDays: 1,
      beyondLos: 'charge-per-day',
      items: [
        { kind: 'include', serviceGroup: 'room' },
        { kind: 'include', serviceGroup: 'nursing' },
        { kind: 'include', serviceId: lab.id, quantityLimit: 1 },
      ],
    });
    const ward = await w.ward('general', 1);
    const patient = await w.patient();
    const admission = await w.admit(patient.id, ward.beds[0]!.id, doctor.id);
    await w.drain();
    // Three nights in the general ward so far.
    await t.database.db.execute(sql`update ipd.bed_occupancies set started_at = ${local(-3, '10:00').toISOString()}::timestamptz
      where admission_id = ${admission.id}`);
    let account = await w.accountOf(`ipd.admission:${admission.id}`);
    const applied = await w.ok<{ version: number; totals: { packageCovered: number } }>(
      'POST',
      `/api/v1/billing/accounts/${account!.id}/package`,
      w.clerk.headers,
      { packageId: pkg.id, version: account!.version },
    );
    // Today's provisional bed day (room and nursing) is day 1 of the stay: within the length of stay.
    expect(applied.totals.packageCovered).toBe(150_000 + 50_000);
    await syncAllBedDays(t.database.db, w.facilityId);
    for (let i = 0; i < 2; i++) {
      await w.ok('POST', '/api/v1/billing/charges', w.clerk.headers, {
        accountId: account!.id,
        serviceId: lab.id,
      });
    }
    account = await w.accountOf(`ipd.admission:${admission.id}`);
    const flags = active(account!.charges).map((c) => [c.serviceDate, c.serviceCode, c.packageCovered]);
    expect(flags.filter(([, code]) => code === 'ROOM-GEN').sort()).toEqual([
      [addDays(w.today, -3), 'ROOM-GEN', true],
      [addDays(w.today, -2), 'ROOM-GEN', false],
      [addDays(w.today, -1), 'ROOM-GEN', false],
    ]);
    expect(flags.filter(([, code]) => code === lab.code).map(([, , c]) => c)).toEqual([true, false]);
    expect(flags.filter(([, code]) => code === pkgService.code)).toEqual([[w.today, pkgService.code, false]]);
    expect(account!.totals.packageCovered).toBe(150_000 + 50_000 + 40_000);
  });
});

describe('services rendered by other modules', () => {
  it('posts one charge per source line whatever the retries, at the MRP given, and reverses it', async () => {
    const drug = await w.service({
      code: 'PH-PCM500',
      name: 'Paracetamol 500 mg tablet',
      serviceGroup: 'pharmacy',
      taxCode: 'MEDICINE',
    });
    const ward = await w.ward('general', 1);
    const patient = await w.patient();
    const admission = await w.admit(patient.id, ward.beds[0]!.id, doctor.id);
    await w.drain();
    const issue = crypto.randomUUID();
    const rendered = {
      sourceType: 'pharmacy.issue',
      sourceId: issue,
      sourceLine: '1',
      patientId: patient.id,
      admissionId: admission.id,
      serviceCode: drug.code,
      quantity: 10,
      serviceDate: w.today,
      unitPrice: 215,
    };
    await publish(BILLING_EVENTS.serviceRendered, rendered);
    await publish(BILLING_EVENTS.serviceRendered, rendered);
    const rows = await t.database.db
      .select()
      .from(charges)
      .where(and(eq(charges.sourceType, 'pharmacy.issue'), eq(charges.sourceId, issue)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ quantity: 10, unitPrice: 215, amount: 2150, status: 'active' });
    const [event] = await t.database.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(eq(outbox.id, rows[0]!.sourceEventId!));
    expect(event).toBeDefined();

    await publish(BILLING_EVENTS.serviceReversed, {
      sourceType: 'pharmacy.issue',
      sourceId: issue,
      reason: 'Returned unused',
    });
    const [after] = await rowsOf<{ status: string; cancel_reason: string }>(
      t.database.db,
      sql`select status, cancel_reason from billing.charges where id = ${rows[0]!.id}`,
    );
    expect(after).toEqual({ status: 'cancelled', cancel_reason: 'Returned unused' });
  });

  it('ignores a rendered service that claims one of billing’s own source types or another patient', async () => {
    const drug = await w.service({ serviceGroup: 'pharmacy', taxCode: 'MEDICINE' }, { '*': 100 });
    const ward = await w.ward('general', 1);
    const patient = await w.patient();
    const other = await w.patient();
    const admission = await w.admit(patient.id, ward.beds[0]!.id, doctor.id);
    const base = {
      sourceId: crypto.randomUUID(),
      admissionId: admission.id,
      serviceCode: drug.code,
      quantity: 1,
      serviceDate: w.today,
    };
    await publish(BILLING_EVENTS.serviceRendered, { ...base, sourceType: 'manual', patientId: patient.id });
    await publish(BILLING_EVENTS.serviceRendered, {
      ...base,
      sourceType: 'pharmacy.issue',
      patientId: other.id,
    });
    const rows = await rowsOf(
      t.database.db,
      sql`select id from billing.charges where source_id = ${base.sourceId}`,
    );
    expect(rows).toHaveLength(0);
  });
});

describe('OPD consultations', () => {
  it('charges the practitioner’s fee once per visit, even when the event comes twice or the token is transferred', async () => {
    const other = await w.doctor();
    await w.clinic(doctor.id);
    await w.clinic(other.id);
    const patient = await w.patient();
    const { token } = await w.ok<{ token: { id: string; version: number } }>(
      'POST',
      '/api/v1/opd/queue/check-in',
      w.desk.headers,
      { patientId: patient.id, practitionerId: doctor.id },
    );
    await w.drain();
    // The same event delivered again.
    const [issued] = await t.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.type, OPD_EVENTS.tokenIssued), eq(outbox.aggregateId, token.id)));
    await publish(OPD_EVENTS.tokenIssued, issued!.payload as object);
    // The doctor sends the patient on to a colleague: a new token, the same visit.
    await w.ok('POST', `/api/v1/opd/tokens/${token.id}/transfer`, w.admin.headers, {
      toPractitionerId: other.id,
      reason: 'Needs a cardiology opinion',
    });
    await w.drain();
    const account = await w.accountOf(`opd.token:${token.id}`);
    expect(account!.charges).toHaveLength(1);
    expect(account!.charges[0]).toMatchObject({
      serviceCode: 'OPD-CONSULT-NEW',
      unitPrice: 50_000,
      amount: 50_000,
      departmentId: w.departments.medicine,
      performerId: doctor.id,
      sourceType: 'opd.token',
      sourceId: token.id,
      sourceEventId: issued!.id,
    });
  });
});
