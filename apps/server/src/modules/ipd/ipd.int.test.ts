import { DISCHARGE_CLEARANCE_EVENTS, FACILITIES_EVENTS, IPD_EVENTS } from '@newhms/contracts';
import { and, asc, eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { auditEntries } from '../../platform/audit/audit.tables';
import { rowsOf } from '../../platform/db/raw-rows';
import { startDispatcher } from '../../platform/events/dispatcher';
import { outbox } from '../../platform/events/events.tables';
import { appendEvent } from '../../platform/events/outbox';
import { applyClearanceEvent } from './discharge.service';
import {
  admissionRequests,
  admissions,
  bedOccupancies,
  bedReservations,
  bedStatusChanges,
  dischargeClearances,
} from './ipd.tables';
import { createIpdWorld, type IpdWorld, type TestAdmission } from './ipd-test-support';

let t: TestApp;
let w: IpdWorld;
let doctor: Awaited<ReturnType<IpdWorld['doctor']>>;

beforeAll(async () => {
  t = await createTestApp();
  w = await createIpdWorld(t);
  doctor = await w.doctor();
}, 120_000);
afterAll(() => t.close());

// The encounters module's tables are its own: read them with SQL to assert what persisted.
async function encounterOf(id: string) {
  const [row] = await rowsOf<{ class: string; status: string; sourceType: string; sourceId: string }>(
    t.database.db,
    sql`select class, status, source_type as "sourceType", source_id as "sourceId" from encounters.encounters where id = ${id}`,
  );
  return row;
}
async function encountersOfPatient(patientId: string) {
  return rowsOf<{ id: string }>(
    t.database.db,
    sql`select id from encounters.encounters where patient_id = ${patientId}`,
  );
}
async function locationsOf(encounterId: string) {
  return rowsOf<{ locationId: string; endedAt: string | null }>(
    t.database.db,
    sql`select location_id as "locationId", ended_at as "endedAt" from encounters.encounter_locations
        where encounter_id = ${encounterId} order by started_at`,
  );
}

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

async function eventsOf(type: string, aggregateId: string) {
  return t.database.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.type, type), eq(outbox.aggregateId, aggregateId)));
}

async function publish(type: string, payload: object, facilityId = w.facilityId) {
  await t.database.db.transaction(async (tx) => {
    await appendEvent(tx, t.app.deps.events, { type, facilityId, payload });
  });
  await drain();
}

async function admitted(patientSex = 'female', bedId?: string, extra: Record<string, unknown> = {}) {
  const ward = bedId ? null : await w.ward({}, 2);
  const patient = await w.patient({ sex: patientSex });
  const res = await w.admit(patient.id, bedId ?? ward!.beds[0]!.id, doctor.id, extra);
  if (res.statusCode !== 201) throw new Error(`admit: ${res.statusCode} ${res.body}`);
  return { admission: res.json() as TestAdmission, patient, ward };
}

describe('setting up wards and beds', () => {
  it('creates categories, wards, rooms and beds, and refuses duplicates and the wrong staff', async () => {
    const ward = await w.ward({ building: 'Main Block', floor: '2', genderRestriction: 'female' }, 3);
    expect(ward.beds.map((b) => [b.code, b.status])).toEqual([
      ['B001', 'available'],
      ['B002', 'available'],
      ['B003', 'available'],
    ]);
    const again = await w.call('POST', '/api/v1/ipd/wards', w.admin.headers, {
      code: ward.code,
      name: 'Duplicate',
      kind: 'general',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('IPD_WARD_CODE_TAKEN');
    const byDesk = await w.call('POST', '/api/v1/ipd/wards', w.desk.headers, {
      code: 'DESK',
      name: 'Desk ward',
      kind: 'general',
    });
    expect(byDesk.statusCode).toBe(403);
    const ages = await w.call('POST', '/api/v1/ipd/wards', w.admin.headers, {
      code: 'AGES',
      name: 'Bad ages',
      kind: 'general',
      minAgeYears: 50,
      maxAgeYears: 10,
    });
    expect(ages.statusCode).toBe(400);
    const list = await w.ok<{ items: { code: string; wardCode: string }[] }>(
      'GET',
      `/api/v1/ipd/beds?wardId=${ward.id}`,
      w.desk.headers,
    );
    expect(list.items.map((b) => b.code)).toEqual(['B001', 'B002', 'B003']);
    expect(list.items.every((b) => b.wardCode === ward.code)).toBe(true);
  });

  it('blocks and unblocks a bed with a reason, recording who and why, and never blocks an occupied bed', async () => {
    const ward = await w.ward({}, 2);
    const bed = ward.beds[0]!;
    const blocked = await w.call('POST', `/api/v1/ipd/beds/${bed.id}/status`, w.admin.headers, {
      status: 'blocked',
      reason: 'Mattress torn',
      version: bed.version,
    });
    expect(blocked.statusCode).toBe(200);
    expect(blocked.json()).toMatchObject({ status: 'blocked', statusReason: 'Mattress torn' });
    const stale = await w.call('POST', `/api/v1/ipd/beds/${bed.id}/status`, w.admin.headers, {
      status: 'available',
      reason: 'Fixed',
      version: bed.version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('STALE_VERSION');
    const unblocked = await w.call('POST', `/api/v1/ipd/beds/${bed.id}/status`, w.admin.headers, {
      status: 'available',
      reason: 'Mattress replaced',
      version: blocked.json().version,
    });
    expect(unblocked.json().status).toBe('available');
    const history = await w.ok<{
      items: { fromStatus: string; toStatus: string; reason: string; changedById: string }[];
    }>('GET', `/api/v1/ipd/beds/${bed.id}/status-history`, w.nurse.headers);
    expect(history.items.map((h) => [h.fromStatus, h.toStatus, h.reason])).toEqual([
      ['blocked', 'available', 'Mattress replaced'],
      ['available', 'blocked', 'Mattress torn'],
      [null, 'available', 'New bed'],
    ]);
    expect(history.items[0]!.changedById).toBe(w.admin.id);

    const { admission } = await admitted('female', ward.beds[1]!.id);
    const occupied = await w.bed(admission.bed!.bedId);
    const refused = await w.call('POST', `/api/v1/ipd/beds/${occupied.id}/status`, w.admin.headers, {
      status: 'blocked',
      reason: 'Try',
      version: occupied.version,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('IPD_BED_OCCUPIED');
    const retire = await w.call('PATCH', `/api/v1/ipd/beds/${occupied.id}`, w.admin.headers, {
      active: false,
      version: occupied.version,
    });
    expect(retire.json().code).toBe('IPD_BED_OCCUPIED');
  });
});

describe('admitting a patient', () => {
  it('admits to a bed in one transaction: number, encounter, occupancy, bed status, location, audit, event', async () => {
    const ward = await w.ward({}, 2);
    const patient = await w.patient();
    const res = await w.admit(patient.id, ward.beds[0]!.id, doctor.id, {
      payerCategory: 'insurance',
      payerDetails: { payerName: 'Star Health', policyNumber: 'P-123', memberId: 'M-9' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('W/"1"');
    const a = res.json();
    expect(a.admissionNumber).toMatch(/^IP-\d{4}-\d{6}$/);
    expect(a).toMatchObject({
      status: 'admitted',
      patientId: patient.id,
      payerCategory: 'insurance',
      admittingPractitionerName: doctor.displayName,
      provisionalDiagnosisCode: 'J18.9',
      attendant: { name: 'Ravi Kumar', relationship: 'Husband' },
      consent: { signedBy: 'The patient', relationship: 'Self', recordedById: w.desk.id },
      bed: { bedId: ward.beds[0]!.id, bedCode: 'B001', wardId: ward.id, tariffClass: 'general' },
    });
    expect(a.expectedDischargeDate).not.toBeNull();
    expect(a.patient.id).toBe(patient.id);

    const encounter = await encounterOf(a.encounterId);
    expect(encounter).toMatchObject({
      class: 'inpatient',
      status: 'in-progress',
      sourceType: 'ipd-admission',
      sourceId: a.id,
    });
    const locations = await locationsOf(a.encounterId);
    expect(locations).toHaveLength(1);
    expect(locations[0]).toMatchObject({ locationId: ward.beds[0]!.id, endedAt: null });
    expect((await w.bed(ward.beds[0]!.id)).status).toBe('occupied');
    const changes = await t.database.db
      .select()
      .from(bedStatusChanges)
      .where(and(eq(bedStatusChanges.bedId, ward.beds[0]!.id), eq(bedStatusChanges.toStatus, 'occupied')));
    expect(changes[0]!.admissionId).toBe(a.id);
    const [event] = await eventsOf(IPD_EVENTS.admitted, a.id);
    expect(event!.payload).toMatchObject({
      admissionId: a.id,
      patientId: patient.id,
      encounterId: a.encounterId,
      payerCategory: 'insurance',
      bed: { bedId: ward.beds[0]!.id, wardCode: ward.code, tariffClass: 'general', isolation: false },
      previousBed: null,
    });
    const audit = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.resourceType, 'Admission'), eq(auditEntries.resourceId, a.id)));
    expect(audit.map((e) => [e.action, e.patientId])).toEqual([['create', patient.id]]);

    // Admission numbers count up per facility.
    const second = await admitted();
    const n = (s: string) => Number(s.slice(-6));
    expect(n(second.admission.admissionNumber)).toBe(n(a.admissionNumber) + 1);
  });

  it('refuses a second open admission of the same patient, and an occupied bed', async () => {
    const { admission, patient, ward } = await admitted();
    const again = await w.admit(patient.id, ward!.beds[1]!.id, doctor.id);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('IPD_PATIENT_ALREADY_ADMITTED');
    const other = await w.patient();
    const taken = await w.admit(other.id, admission.bed!.bedId, doctor.id);
    expect(taken.statusCode).toBe(409);
    expect(taken.headers['content-type']).toContain('application/problem+json');
    expect(taken.json().code).toBe('IPD_BED_TAKEN');
  });

  it('checks the ward limits, and keeps the override reason when given', async () => {
    const ward = await w.ward({ genderRestriction: 'female', minAgeYears: 13 }, 3);
    const man = await w.patient({ sex: 'male' });
    const refused = await w.admit(man.id, ward.beds[0]!.id, doctor.id);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('IPD_WARD_RESTRICTION');
    const child = await w.patient({ sex: 'female', birthDate: '2022-01-01' });
    const young = await w.admit(child.id, ward.beds[0]!.id, doctor.id);
    expect(young.statusCode).toBe(422);
    expect(young.json().detail).toContain('from 13 years');
    const overridden = await w.admit(man.id, ward.beds[0]!.id, doctor.id, {
      restrictionOverride: { reason: 'Only free bed; curtained corner, approved by nursing superintendent' },
    });
    expect(overridden.statusCode).toBe(201);
    const [occupancy] = await t.database.db
      .select()
      .from(bedOccupancies)
      .where(eq(bedOccupancies.admissionId, overridden.json().id));
    expect(occupancy!.note).toContain('approved by nursing superintendent');
  });

  it('refuses beds in cleaning, blocked or in maintenance, and unknown practitioners, leaving nothing behind', async () => {
    const ward = await w.ward({}, 3);
    const bed = ward.beds[0]!;
    await w.ok('POST', `/api/v1/ipd/beds/${bed.id}/status`, w.admin.headers, {
      status: 'maintenance',
      reason: 'Oxygen port leaking',
      version: bed.version,
    });
    const patient = await w.patient();
    const res = await w.admit(patient.id, bed.id, doctor.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('IPD_BED_NOT_AVAILABLE');
    const noDoctor = await w.admit(patient.id, ward.beds[1]!.id, crypto.randomUUID());
    expect(noDoctor.statusCode).toBe(422);
    expect(noDoctor.json().errors[0].path).toBe('body.admittingPractitionerId');
    const insurance = await w.admit(patient.id, ward.beds[1]!.id, doctor.id, { payerCategory: 'insurance' });
    expect(insurance.statusCode).toBe(400);
    // Nothing of the refused admissions was written.
    expect(await encountersOfPatient(patient.id)).toEqual([]);
    expect(await t.database.db.select().from(admissions).where(eq(admissions.patientId, patient.id))).toEqual(
      [],
    );
  });
});

describe('the admission queue and bed reservations', () => {
  it('orders the queue by urgency then age, reserves a bed for a request, and admits with it', async () => {
    const ward = await w.ward({}, 3);
    const [p1, p2, p3] = [await w.patient(), await w.patient(), await w.patient()];
    const routine = await w.ok<{ id: string; version: number }>(
      'POST',
      '/api/v1/ipd/admission-requests',
      w.desk.headers,
      {
        patientId: p1.id,
        source: 'planned',
        plannedFor: '2030-01-15',
        reason: 'Elective hernia repair',
      },
    );
    const urgent = await w.ok<{ id: string; version: number }>(
      'POST',
      '/api/v1/ipd/admission-requests',
      w.desk.headers,
      {
        patientId: p2.id,
        source: 'emergency',
        priority: 'emergency',
        reason: 'Sepsis; waiting in ER',
      },
    );
    const noDate = await w.call('POST', '/api/v1/ipd/admission-requests', w.desk.headers, {
      patientId: p3.id,
      source: 'planned',
      reason: 'No date',
    });
    expect(noDate.statusCode).toBe(400);
    const queue = await w.ok<{ items: { id: string; patient: { id: string } }[] }>(
      'GET',
      '/api/v1/ipd/admission-requests?limit=200',
      w.nurse.headers,
    );
    const order = queue.items.map((r) => r.id).filter((id) => id === routine.id || id === urgent.id);
    expect(order).toEqual([urgent.id, routine.id]);
    const paged = await w.ok<{ items: { id: string }[]; nextCursor: string }>(
      'GET',
      '/api/v1/ipd/admission-requests?limit=1',
      w.nurse.headers,
    );
    const next = await w.ok<{ items: { id: string }[] }>(
      'GET',
      `/api/v1/ipd/admission-requests?limit=1&cursor=${paged.nextCursor}`,
      w.nurse.headers,
    );
    expect(next.items[0]!.id).not.toBe(paged.items[0]!.id);

    // Reserve bed 1 for the urgent request, for the next six hours.
    const until = new Date(Date.now() + 6 * 3600_000).toISOString();
    const reservation = await w.call('POST', '/api/v1/ipd/reservations', w.desk.headers, {
      bedId: ward.beds[0]!.id,
      requestId: urgent.id,
      untilAt: until,
    });
    expect(reservation.statusCode).toBe(201);
    expect((await w.bed(ward.beds[0]!.id)).status).toBe('reserved');
    const overlap = await w.call('POST', '/api/v1/ipd/reservations', w.desk.headers, {
      bedId: ward.beds[0]!.id,
      patientId: p3.id,
      untilAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().code).toBe('IPD_BED_ALREADY_RESERVED');
    const someoneElse = await w.admit(p3.id, ward.beds[0]!.id, doctor.id);
    expect(someoneElse.statusCode).toBe(409);
    expect(someoneElse.json().code).toBe('IPD_BED_RESERVED');

    const admittedRes = await w.admit(p2.id, ward.beds[0]!.id, doctor.id, {
      source: 'emergency',
      requestId: urgent.id,
    });
    expect(admittedRes.statusCode).toBe(201);
    const [r] = await t.database.db
      .select()
      .from(bedReservations)
      .where(eq(bedReservations.id, reservation.json().id));
    expect(r).toMatchObject({ status: 'used', admissionId: admittedRes.json().id });
    const [req] = await t.database.db
      .select()
      .from(admissionRequests)
      .where(eq(admissionRequests.id, urgent.id));
    expect(req).toMatchObject({ status: 'admitted', admissionId: admittedRes.json().id });

    // Cancel the routine request with a reason.
    const cancelled = await w.call(
      'POST',
      `/api/v1/ipd/admission-requests/${routine.id}/cancel`,
      w.desk.headers,
      {
        reason: 'Surgery postponed by the patient',
        version: routine.version,
      },
    );
    expect(cancelled.json()).toMatchObject({
      status: 'cancelled',
      statusReason: 'Surgery postponed by the patient',
    });
  });

  it('releases a reservation and expires one whose time is over', async () => {
    const ward = await w.ward({}, 2);
    const patient = await w.patient();
    const request = await w.ok<{ id: string }>('POST', '/api/v1/ipd/admission-requests', w.desk.headers, {
      patientId: patient.id,
      source: 'direct',
      reason: 'Observation',
    });
    const r1 = await w.ok<{ id: string; version: number }>(
      'POST',
      '/api/v1/ipd/reservations',
      w.desk.headers,
      {
        bedId: ward.beds[0]!.id,
        requestId: request.id,
        untilAt: new Date(Date.now() + 3600_000).toISOString(),
      },
    );
    const released = await w.call('POST', `/api/v1/ipd/reservations/${r1.id}/release`, w.desk.headers, {
      reason: 'Patient went home',
      version: r1.version,
    });
    expect(released.json().status).toBe('released');
    expect((await w.bed(ward.beds[0]!.id)).status).toBe('available');
    const [waiting] = await t.database.db
      .select()
      .from(admissionRequests)
      .where(eq(admissionRequests.id, request.id));
    expect(waiting!.status).toBe('waiting');

    const r2 = await w.ok<{ id: string }>('POST', '/api/v1/ipd/reservations', w.desk.headers, {
      bedId: ward.beds[1]!.id,
      patientId: patient.id,
      untilAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    expect((await w.bed(ward.beds[1]!.id)).status).toBe('reserved');
    // Time passes: the window is over.
    await t.database.db
      .update(bedReservations)
      .set({ fromAt: new Date(Date.now() - 7200_000), untilAt: new Date(Date.now() - 60_000) })
      .where(eq(bedReservations.id, r2.id));
    await w.ok('GET', '/api/v1/ipd/reservations', w.desk.headers);
    const [expired] = await t.database.db.select().from(bedReservations).where(eq(bedReservations.id, r2.id));
    expect(expired!.status).toBe('expired');
    expect((await w.bed(ward.beds[1]!.id)).status).toBe('available');
  });
});

describe('transfers and the bed history', () => {
  it('moves a patient to ICU: contiguous periods, old bed to cleaning, events, encounter locations', async () => {
    const { admission } = await admitted();
    const icu = await w.ward({ kind: 'icu' }, 2, { isolation: true });
    const res = await w.call('POST', `/api/v1/ipd/admissions/${admission.id}/transfer`, w.nurse.headers, {
      bedId: icu.beds[0]!.id,
      reason: 'NEWS2 7: needs ICU',
      version: admission.version,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().bed).toMatchObject({ bedId: icu.beds[0]!.id, tariffClass: 'icu', wardKind: 'icu' });
    expect((await w.bed(admission.bed!.bedId)).status).toBe('cleaning');
    expect((await w.bed(icu.beds[0]!.id)).status).toBe('occupied');
    const stale = await w.call('POST', `/api/v1/ipd/admissions/${admission.id}/transfer`, w.nurse.headers, {
      bedId: icu.beds[1]!.id,
      reason: 'again',
      version: admission.version,
    });
    expect(stale.statusCode).toBe(409);

    const history = await w.ok<{
      items: {
        bedId: string;
        startedAt: string;
        endedAt: string | null;
        endReason: string | null;
        tariffClass: string;
        bedDays: number;
      }[];
      totalBedDays: number;
    }>('GET', `/api/v1/ipd/admissions/${admission.id}/bed-history`, w.desk.headers);
    expect(history.items.map((p) => [p.bedId, p.tariffClass, p.endReason])).toEqual([
      [admission.bed!.bedId, 'general', 'transfer'],
      [icu.beds[0]!.id, 'icu', null],
    ]);
    expect(history.items[0]!.endedAt).toBe(history.items[1]!.startedAt);
    expect(history.totalBedDays).toBe(1);

    const [released] = await eventsOf(IPD_EVENTS.bedReleased, admission.bed!.bedId);
    expect(released!.payload).toMatchObject({ admissionId: admission.id, cause: 'transfer' });
    const [moved] = await eventsOf(IPD_EVENTS.transferred, admission.id);
    expect(moved!.payload).toMatchObject({
      bed: { bedId: icu.beds[0]!.id, isolation: true },
      previousBed: { bedId: admission.bed!.bedId },
    });
    const locations = await locationsOf(admission.encounterId);
    expect(locations.map((l) => [l.locationId, l.endedAt === null])).toEqual([
      [admission.bed!.bedId, false],
      [icu.beds[0]!.id, true],
    ]);

    // The cleaned bed becomes available only when housekeeping says so.
    const waiting = await w.patient();
    const tooSoon = await w.admit(waiting.id, admission.bed!.bedId, doctor.id);
    expect(tooSoon.json().code).toBe('IPD_BED_NEEDS_CLEANING');
    await publish(FACILITIES_EVENTS.bedCleaned, {
      taskId: crypto.randomUUID(),
      bedId: admission.bed!.bedId,
      finishedAt: new Date().toISOString(),
      turnaroundMinutes: 42,
      kind: 'bed-cleaning',
    });
    const clean = await w.bed(admission.bed!.bedId);
    expect(clean.status).toBe('available');
    const [change] = await t.database.db
      .select()
      .from(bedStatusChanges)
      .where(and(eq(bedStatusChanges.bedId, clean.id), eq(bedStatusChanges.fromStatus, 'cleaning')));
    expect(change).toMatchObject({ toStatus: 'available', changedByName: 'housekeeping' });
    expect((await w.admit(waiting.id, clean.id, doctor.id)).statusCode).toBe(201);
  });
});

describe('discharge', () => {
  it('plans, holds on the checklist until every item clears, then completes and frees the bed', async () => {
    const { admission, patient } = await admitted();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date());
    const planned = await w.call(
      'PUT',
      `/api/v1/ipd/admissions/${admission.id}/expected-discharge`,
      {
        ...doctor.headers,
        'if-match': `W/"${admission.version}"`,
      },
      { expectedDischargeDate: today, version: admission.version },
    );
    expect(planned.statusCode).toBe(200);
    const expected = await w.ok<{ items: { id: string }[] }>(
      'GET',
      '/api/v1/ipd/expected-discharges',
      w.nurse.headers,
    );
    expect(expected.items.map((a) => a.id)).toContain(admission.id);

    const initiated = await w.call(
      'POST',
      `/api/v1/ipd/admissions/${admission.id}/discharge/initiate`,
      doctor.headers,
      {
        type: 'normal',
        version: planned.json().version,
      },
    );
    expect(initiated.statusCode).toBe(200);
    expect(initiated.json()).toMatchObject({ status: 'discharge-initiated', dischargeType: 'normal' });
    expect(await eventsOf(IPD_EVENTS.dischargeInitiated, admission.id)).toHaveLength(1);

    // Billing holds the discharge (its event, delivered twice: one row).
    const hold = {
      admissionId: admission.id,
      item: 'billing.final-bill',
      label: 'Final bill settled',
      heldBy: 'billing',
      detail: 'Due 12,500.00',
    };
    await publish(DISCHARGE_CLEARANCE_EVENTS.held, hold);
    await publish(DISCHARGE_CLEARANCE_EVENTS.held, hold);
    const items = await w.ok<{
      items: { id: string; item: string; status: string; heldBy: string; version: number }[];
    }>('GET', `/api/v1/ipd/admissions/${admission.id}/clearances`, w.nurse.headers);
    expect(items.items.map((i) => [i.item, i.status]).sort()).toEqual([
      ['billing.final-bill', 'pending'],
      ['discharge-summary', 'pending'],
      ['nursing', 'pending'],
      ['pharmacy-returns', 'pending'],
    ]);
    const held = await w.call(
      'POST',
      `/api/v1/ipd/admissions/${admission.id}/discharge/complete`,
      doctor.headers,
      {
        version: initiated.json().version,
      },
    );
    expect(held.statusCode).toBe(409);
    expect(held.json().code).toBe('IPD_DISCHARGE_NOT_CLEARED');
    expect(held.json().pending.map((p: { item: string }) => p.item)).toContain('billing.final-bill');

    const byId = new Map(items.items.map((i) => [i.item, i]));
    const billing = byId.get('billing.final-bill')!;
    const notMine = await w.call(
      'POST',
      `/api/v1/ipd/admissions/${admission.id}/clearances/${billing.id}`,
      w.nurse.headers,
      {
        action: 'waive',
        note: 'Looks fine',
        version: billing.version,
      },
    );
    expect(notMine.json().code).toBe('IPD_CLEARANCE_HELD_BY_MODULE');
    for (const [item, action] of [
      ['nursing', 'clear'],
      ['pharmacy-returns', 'waive'],
    ] as const) {
      const res = await w.call(
        'POST',
        `/api/v1/ipd/admissions/${admission.id}/clearances/${byId.get(item)!.id}`,
        w.nurse.headers,
        {
          action,
          note: `${item} done`,
          version: byId.get(item)!.version,
        },
      );
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: action === 'clear' ? 'cleared' : 'waived',
        clearNote: `${item} done`,
      });
    }
    await publish(DISCHARGE_CLEARANCE_EVENTS.released, { ...hold, detail: null });
    // A late redelivery of the older hold (a retried delivery) never undoes the release that followed it; a
    // newer hold does.
    const billingItem = async () =>
      (
        await t.database.db
          .select()
          .from(dischargeClearances)
          .where(
            and(
              eq(dischargeClearances.admissionId, admission.id),
              eq(dischargeClearances.item, 'billing.final-bill'),
            ),
          )
      )[0]!;
    const minuteAgo = new Date(Date.now() - 60_000);
    await t.database.db.transaction((tx) => applyClearanceEvent(tx, 'held', hold, new Date(), minuteAgo));
    expect((await billingItem()).status).toBe('cleared');
    const later = new Date(Date.now() + 1_000);
    await t.database.db.transaction((tx) => applyClearanceEvent(tx, 'held', hold, later, later));
    expect((await billingItem()).status).toBe('pending');
    await t.database.db.transaction((tx) =>
      applyClearanceEvent(tx, 'released', { ...hold, detail: null }, later, new Date(later.getTime() + 1)),
    );
    expect((await billingItem()).status).toBe('cleared');
    // The doctor signs the discharge summary in the clinical record: the item clears itself.
    const note = await w.ok<{ id: string; version: number }>(
      'POST',
      `/api/v1/encounters/${admission.encounterId}/notes`,
      doctor.headers,
      {
        kind: 'discharge-summary',
        sections: { text: 'Treated for pneumonia; recovered.', advice: 'Review in 1 week' },
      },
    );
    await w.ok('POST', `/api/v1/encounters/${admission.encounterId}/notes/${note.id}/sign`, doctor.headers, {
      version: note.version,
    });
    await drain();
    const after = await t.database.db
      .select()
      .from(dischargeClearances)
      .where(eq(dischargeClearances.admissionId, admission.id));
    expect(after.every((i) => i.status !== 'pending')).toBe(true);
    expect(after.find((i) => i.item === 'discharge-summary')!.clearedByName).toBe('encounters');

    const done = await w.call(
      'POST',
      `/api/v1/ipd/admissions/${admission.id}/discharge/complete`,
      doctor.headers,
      {
        version: initiated.json().version,
      },
    );
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'discharged', bed: null, dischargedBy: expect.any(String) });
    expect((await w.bed(admission.bed!.bedId)).status).toBe('cleaning');
    const encounter = await encounterOf(admission.encounterId);
    expect(encounter!.status).toBe('finished');
    const [discharged] = await eventsOf(IPD_EVENTS.discharged, admission.id);
    expect(discharged!.payload).toMatchObject({
      dischargeType: 'normal',
      bed: null,
      previousBed: { bedId: admission.bed!.bedId },
    });
    const [released] = await eventsOf(IPD_EVENTS.bedReleased, admission.bed!.bedId);
    expect(released!.payload).toMatchObject({ cause: 'discharge', admissionId: admission.id });
    // The patient can be admitted again later.
    expect((await admitted('female', undefined)).admission.status).toBe('admitted');
    void patient;
  });

  it('completes a death with items pending, recording them, and refuses a death time outside the stay', async () => {
    const { admission } = await admitted();
    const future = await w.call(
      'POST',
      `/api/v1/ipd/admissions/${admission.id}/discharge/initiate`,
      doctor.headers,
      {
        type: 'death',
        deathAt: new Date(Date.now() + 3600_000).toISOString(),
        deathCause: 'Cardiac arrest',
        version: admission.version,
      },
    );
    expect(future.statusCode).toBe(422);
    const noCause = await w.call(
      'POST',
      `/api/v1/ipd/admissions/${admission.id}/discharge/initiate`,
      doctor.headers,
      {
        type: 'death',
        deathAt: new Date().toISOString(),
        version: admission.version,
      },
    );
    expect(noCause.statusCode).toBe(400);
    const initiated = await w.ok<{ version: number }>(
      'POST',
      `/api/v1/ipd/admissions/${admission.id}/discharge/initiate`,
      doctor.headers,
      {
        type: 'death',
        deathAt: new Date().toISOString(),
        deathCause: 'Septic shock',
        version: admission.version,
      },
    );
    const done = await w.call(
      'POST',
      `/api/v1/ipd/admissions/${admission.id}/discharge/complete`,
      doctor.headers,
      {
        version: initiated.version,
      },
    );
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      status: 'discharged',
      dischargeType: 'death',
      deathCause: 'Septic shock',
    });
    const [entry] = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.resourceId, admission.id), eq(auditEntries.action, 'update')))
      .orderBy(asc(auditEntries.occurredAt))
      .then((rows) => rows.filter((r) => (r.detail as { status?: string }).status === 'discharged'));
    expect((entry!.detail as { pendingAtDischarge: unknown[] }).pendingAtDischarge).toHaveLength(3);
  });
});

describe('cancelling an admission entered in error', () => {
  it('is for doctors and admins: the bed goes to cleaning, the encounter is in error, the days are void', async () => {
    const { admission } = await admitted();
    const byNurse = await w.call('POST', `/api/v1/ipd/admissions/${admission.id}/cancel`, w.nurse.headers, {
      reason: 'Wrong patient',
      version: admission.version,
    });
    expect(byNurse.statusCode).toBe(403);
    const res = await w.call('POST', `/api/v1/ipd/admissions/${admission.id}/cancel`, doctor.headers, {
      reason: 'Registered against the wrong patient record',
      version: admission.version,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'cancelled',
      cancelledReason: 'Registered against the wrong patient record',
    });
    expect((await w.bed(admission.bed!.bedId)).status).toBe('cleaning');
    const encounter = await encounterOf(admission.encounterId);
    expect(encounter!.status).toBe('entered-in-error');
    const detail = await w.ok<{ bedHistory: { endReason: string; bedDays: number }[]; totalBedDays: number }>(
      'GET',
      `/api/v1/ipd/admissions/${admission.id}`,
      w.desk.headers,
    );
    expect(detail.bedHistory).toMatchObject([{ endReason: 'cancelled', bedDays: 0 }]);
    expect(detail.totalBedDays).toBe(0);
    expect(await eventsOf(IPD_EVENTS.cancelled, admission.id)).toHaveLength(1);
    const twice = await w.call('POST', `/api/v1/ipd/admissions/${admission.id}/cancel`, doctor.headers, {
      reason: 'again',
      version: res.json().version,
    });
    expect(twice.json().code).toBe('IPD_ADMISSION_CLOSED');
  });
});

describe('reads', () => {
  it("lists admissions by ward, a patient's admissions, and audits every patient shown", async () => {
    const { admission, patient, ward } = await admitted();
    const byWard = await w.ok<{ items: { id: string }[] }>(
      'GET',
      `/api/v1/ipd/admissions?wardId=${ward!.id}`,
      w.desk.headers,
    );
    expect(byWard.items.map((a) => a.id)).toEqual([admission.id]);
    const mine = await w.ok<{ items: { id: string }[] }>(
      'GET',
      `/api/v1/ipd/patients/${patient.id}/admissions`,
      w.desk.headers,
    );
    expect(mine.items.map((a) => a.id)).toEqual([admission.id]);
    const reads = await t.database.db
      .select()
      .from(auditEntries)
      .where(
        and(
          eq(auditEntries.patientId, patient.id),
          eq(auditEntries.action, 'read'),
          eq(auditEntries.actorId, w.desk.id),
        ),
      );
    expect(reads.length).toBeGreaterThanOrEqual(2);
    const bad = await w.call('GET', '/api/v1/ipd/admissions?cursor=bm9wZQ', w.desk.headers);
    expect(bad.statusCode).toBe(400);
  });
});

describe('a merge of two patient records', () => {
  it("moves the merged record's admission to the survivor", async () => {
    const survivor = await w.patient();
    const { admission, patient: merged } = await admitted();
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
    const [row] = await t.database.db.select().from(admissions).where(eq(admissions.id, admission.id));
    expect(row!.patientId).toBe(survivor.id);
    const [occupancy] = await t.database.db
      .select()
      .from(bedOccupancies)
      .where(eq(bedOccupancies.admissionId, admission.id));
    expect(occupancy!.patientId).toBe(survivor.id);
  });
});
