import {
  type Admission,
  type AdmissionDetail,
  type AdmissionQuery,
  type AdmitBody,
  type BedPeriod,
  type BedTransferBody,
  type CancelAdmissionBody,
  type CurrentBed,
  IPD_EVENTS,
  type PatientSummary,
} from '@newhms/contracts';
import { and, asc, desc, eq, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { nextCounterValue } from '../../platform/db/counters';
import type { Db, DbOrTx } from '../../platform/db/database';
import { newId } from '../../platform/db/ids';
import { BadRequest, Conflict, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { decodeCursor, toPage } from '../../platform/http/pagination';
import { listDepartments } from '../../platform/organization/organization.service';
import {
  endEncounterLocation,
  endStayEncounter,
  recordEncounterLocation,
  startEncounter,
} from '../encounters';
import { findPractitioner } from '../opd';
import { addDaysTo, bedDaysOf } from './bed-days';
import type { IpdEnv } from './ipd.env';
import { bedRefOf, emitAdmissionEvent, emitBedReleased } from './ipd.events';
import {
  admissionRequests,
  admissions,
  bedOccupancies,
  bedReservations,
  beds,
  dischargeClearances,
  rooms,
  wards,
} from './ipd.tables';
import {
  type AdmissionRow,
  ageInYears,
  type BedInfo,
  currentBedOf,
  facilityToday,
  loadBedInfo,
  readPatients,
  requireFacility,
  toAdmission,
  toClearance,
  withConstraintErrors,
} from './ipd-records';
import { admissiblePatient, assertSourceEncounter, endReservation } from './requests.service';
import { activeReservationAt, changeBedStatus } from './wards.service';

// Admission, transfer, cancellation (entered in error), the bed history, and the reads of admissions.

export const OPEN_STATUSES = ['admitted', 'discharge-initiated'] as const;

const placementConstraints = {
  bed_occupancies_no_double_booking: () =>
    new Conflict('IPD_BED_TAKEN', 'Another patient took this bed a moment ago; choose another bed'),
  bed_occupancies_one_bed_per_admission: () =>
    new Conflict('RETRY', 'A concurrent move of this admission got there first; reload and try again'),
  admissions_open_patient_uq: () =>
    new Conflict('IPD_PATIENT_ALREADY_ADMITTED', 'The patient is already admitted; transfer instead'),
};

/** The encounter source type of an admission (encounters keeps one encounter per source). */
export const ADMISSION_SOURCE_TYPE = 'ipd-admission';

export async function loadAdmission(
  db: DbOrTx,
  facilityId: string,
  id: string,
  lock = false,
): Promise<AdmissionRow> {
  const q = db
    .select()
    .from(admissions)
    .where(and(eq(admissions.id, id), eq(admissions.facilityId, facilityId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFound('The admission', 'IPD_ADMISSION_NOT_FOUND');
  return row;
}

/** The gender and age limits of a ward that the patient does not meet (empty: none). */
export function wardRestrictionsUnmet(
  ward: { genderRestriction: string; minAgeYears: number | null; maxAgeYears: number | null; name: string },
  patient: Pick<PatientSummary, 'sex' | 'birthDate'>,
  today: string,
): string[] {
  const unmet: string[] = [];
  if (ward.genderRestriction !== 'any' && patient.sex !== ward.genderRestriction) {
    unmet.push(`${ward.name} admits ${ward.genderRestriction} patients only (patient: ${patient.sex})`);
  }
  if (ward.minAgeYears !== null || ward.maxAgeYears !== null) {
    if (!patient.birthDate) {
      unmet.push(`${ward.name} has age limits and the patient's age is not known`);
    } else {
      const age = ageInYears(patient.birthDate, today);
      if (ward.minAgeYears !== null && age < ward.minAgeYears) {
        unmet.push(`${ward.name} admits patients from ${ward.minAgeYears} years (patient: ${age})`);
      }
      if (ward.maxAgeYears !== null && age > ward.maxAgeYears) {
        unmet.push(`${ward.name} admits patients up to ${ward.maxAgeYears} years (patient: ${age})`);
      }
    }
  }
  return unmet;
}

function assertRestrictions(
  info: BedInfo,
  patient: PatientSummary,
  today: string,
  override: { reason: string } | null | undefined,
): string | null {
  const unmet = wardRestrictionsUnmet(info.ward, patient, today);
  if (unmet.length === 0) return null;
  if (!override) {
    throw new RuleViolation(
      'IPD_WARD_RESTRICTION',
      `The patient does not meet the ward's limits: ${unmet.join('; ')}. Give an override reason to place them anyway`,
      unmet.map((message) => ({ path: 'body.restrictionOverride', message })),
    );
  }
  return `Ward limits overridden (${unmet.join('; ')}): ${override.reason}`;
}

/**
 * Whether the bed can take this patient now: active, not being cleaned, blocked or in maintenance, empty,
 * and not reserved for someone else. Returns the reservation of this patient it would use, if any.
 */
async function assertBedFor(db: DbOrTx, info: BedInfo, patientId: string, now: Date) {
  const { bed, ward } = info;
  if (!bed.active || !ward.active) throw new Conflict('IPD_BED_INACTIVE', 'The bed is retired');
  switch (bed.status) {
    case 'occupied':
      throw new Conflict('IPD_BED_TAKEN', `Bed ${bed.code} is occupied; choose another bed`);
    case 'cleaning':
      throw new Conflict('IPD_BED_NEEDS_CLEANING', `Bed ${bed.code} is being cleaned`);
    case 'maintenance':
    case 'blocked':
      throw new Conflict('IPD_BED_NOT_AVAILABLE', `Bed ${bed.code} is ${bed.status}`);
  }
  const reservation = await activeReservationAt(db, bed.id, now);
  if (reservation && reservation.patientId !== patientId) {
    throw new Conflict('IPD_BED_RESERVED', `Bed ${bed.code} is reserved for another patient`);
  }
  return reservation ?? null;
}

function bedDisplay(info: BedInfo): string {
  return `${info.bed.code}, ${info.room.name}, ${info.ward.name}`;
}

// ------------------------------------------------------------------------------------------------------
// Admit
// ------------------------------------------------------------------------------------------------------

export async function admitPatient(
  ctx: Ctx,
  env: Pick<IpdEnv, 'events'>,
  input: z.output<typeof AdmitBody>,
): Promise<Admission> {
  const facilityId = requireFacility(ctx);
  const patient = await admissiblePatient(ctx.db, input.patientId, ctx.now);
  await assertSourceEncounter(ctx.db, facilityId, input.patientId, input.sourceEncounterId);
  const [admitting, attending] = [
    await findPractitioner(ctx.db, facilityId, input.admittingPractitionerId, 'body.admittingPractitionerId'),
    await findPractitioner(ctx.db, facilityId, input.attendingPractitionerId, 'body.attendingPractitionerId'),
  ];
  for (const [p, path] of [
    [admitting, 'body.admittingPractitionerId'],
    [attending, 'body.attendingPractitionerId'],
  ] as const) {
    if (!p.active) {
      throw new RuleViolation('IPD_PRACTITIONER_INACTIVE', 'The practitioner is not active', [
        { path, message: 'inactive practitioner' },
      ]);
    }
  }
  if (input.departmentId) {
    const departments = await listDepartments(ctx, facilityId);
    if (!departments.some((d) => d.id === input.departmentId)) {
      throw new RuleViolation('IPD_DEPARTMENT_NOT_FOUND', 'The department is not in this facility', [
        { path: 'body.departmentId', message: 'not found in this facility' },
      ]);
    }
  }
  const [open] = await ctx.db
    .select({ id: admissions.id })
    .from(admissions)
    .where(and(eq(admissions.patientId, input.patientId), inArray(admissions.status, [...OPEN_STATUSES])));
  if (open) throw placementConstraints.admissions_open_patient_uq();
  const { today } = await facilityToday(ctx.db, facilityId, ctx.now);
  const info = await loadBedInfo(ctx.db, facilityId, input.bedId, { path: 'body.bedId' });
  await assertBedFor(ctx.db, info, input.patientId, ctx.now);
  const overrideNote = assertRestrictions(info, patient, today, input.restrictionOverride);

  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        let request: typeof admissionRequests.$inferSelect | undefined;
        if (input.requestId) {
          [request] = await tx
            .select()
            .from(admissionRequests)
            .where(
              and(eq(admissionRequests.id, input.requestId), eq(admissionRequests.facilityId, facilityId)),
            )
            .for('update');
          if (!request || request.patientId !== input.patientId) {
            throw new RuleViolation('IPD_REQUEST_NOT_FOUND', "The request is not this patient's here", [
              { path: 'body.requestId', message: 'no such request of this patient' },
            ]);
          }
          if (request.status !== 'waiting' && request.status !== 'reserved') {
            throw new Conflict('IPD_REQUEST_CLOSED', `The request is already ${request.status}`);
          }
        }
        const admissionId = newId();
        const encounter = await startEncounter(
          { ...ctx, db: tx as unknown as Db },
          { events: env.events },
          {
            patientId: input.patientId,
            class: 'inpatient',
            practitionerId: attending.id,
            practitionerName: attending.displayName,
            departmentId: input.departmentId ?? attending.departmentId,
            reason: input.reason.slice(0, 300),
            sourceType: ADMISSION_SOURCE_TYPE,
            sourceId: admissionId,
          },
        );
        const [inserted] = await tx
          .insert(admissions)
          .values({
            id: admissionId,
            facilityId,
            // Numbered once the bed is ours (below): a loser of the race for the bed never waits on the
            // facility's counter, and the winners hold its lock only for the end of their transaction.
            admissionNumber: `PENDING-${admissionId}`,
            patientId: input.patientId,
            encounterId: encounter.id,
            requestId: request?.id ?? null,
            source: input.source,
            sourceEncounterId: input.sourceEncounterId ?? request?.sourceEncounterId ?? null,
            admittingPractitionerId: admitting.id,
            admittingPractitionerName: admitting.displayName,
            attendingPractitionerId: attending.id,
            attendingPractitionerName: attending.displayName,
            departmentId: input.departmentId ?? attending.departmentId,
            reason: input.reason,
            provisionalDiagnosis: input.provisionalDiagnosis?.text ?? null,
            provisionalDiagnosisCode: input.provisionalDiagnosis?.code ?? null,
            expectedLengthOfStayDays: input.expectedLengthOfStayDays ?? null,
            expectedDischargeDate: input.expectedLengthOfStayDays
              ? addDaysTo(today, input.expectedLengthOfStayDays)
              : null,
            attendant: input.attendant ?? null,
            consent: input.consent
              ? {
                  signedBy: input.consent.signedBy,
                  relationship: input.consent.relationship ?? null,
                  recordedById: actorId(ctx.actor),
                  recordedByName: ctx.actor.name,
                  recordedAt: ctx.now.toISOString(),
                }
              : null,
            payerCategory: input.payerCategory,
            payerDetails: input.payerDetails ?? null,
            status: 'admitted',
            admittedAt: ctx.now,
            admittedById: actorId(ctx.actor),
            admittedByName: ctx.actor.name,
            createdAt: ctx.now,
            updatedAt: ctx.now,
          })
          .returning();
        // The exclusion constraint is the guard: of two admissions racing for this bed, this insert fails
        // for the second (23P01), whatever the checks above saw.
        await tx.insert(bedOccupancies).values({
          admissionId,
          patientId: input.patientId,
          bedId: info.bed.id,
          wardId: info.ward.id,
          tariffClass: info.category.tariffClass,
          startedAt: ctx.now,
          startReason: 'admission',
          note: overrideNote,
          movedById: actorId(ctx.actor),
          movedByName: ctx.actor.name,
        });
        const locked = await loadBedInfo(tx, facilityId, info.bed.id, { lock: true });
        const reservation = await assertBedFor(tx, locked, input.patientId, ctx.now);
        if (reservation) await endReservation(tx, ctx, env, reservation, 'used', null, admissionId);
        if (request) {
          const held = await tx
            .select()
            .from(bedReservations)
            .where(and(eq(bedReservations.requestId, request.id), eq(bedReservations.status, 'active')));
          for (const r of held) await endReservation(tx, ctx, env, r, 'used', null, admissionId);
          await tx
            .update(admissionRequests)
            .set({ status: 'admitted', admissionId, version: request.version + 1, updatedAt: ctx.now })
            .where(eq(admissionRequests.id, request.id));
        }
        const year = today.slice(0, 4);
        const n = await nextCounterValue(tx, facilityId, 'ipd.admission-number', year);
        const [row] = await tx
          .update(admissions)
          .set({ admissionNumber: `IP-${year}-${String(n).padStart(6, '0')}` })
          .where(eq(admissions.id, inserted!.id))
          .returning();
        const admission = row!;
        await changeBedStatus(tx, ctx, locked.bed, 'occupied', {
          reason: `Admitted ${admission.admissionNumber}`,
          admissionId,
        });
        await recordEncounterLocation(tx, {
          encounterId: encounter.id,
          locationId: info.bed.id,
          display: bedDisplay(info),
          startedAt: ctx.now,
        });
        await recordAudit(tx, ctx, {
          action: 'create',
          resourceType: 'Admission',
          resourceId: admissionId,
          patientId: input.patientId,
          detail: {
            admissionNumber: admission.admissionNumber,
            bedId: info.bed.id,
            source: input.source,
            override: overrideNote,
          },
        });
        await emitAdmissionEvent(tx, env, ctx, IPD_EVENTS.admitted, admission, {
          bed: bedRefOf(info),
          previousBed: null,
          at: ctx.now,
        });
        return toAdmission(admission, patient, await currentBedOf(tx, admissionId));
      }),
    placementConstraints,
  );
}

// ------------------------------------------------------------------------------------------------------
// Transfer
// ------------------------------------------------------------------------------------------------------

/** The open occupancy of an admission, with its bed. */
export async function openOccupancyOf(db: DbOrTx, facilityId: string, admissionId: string) {
  const [o] = await db
    .select()
    .from(bedOccupancies)
    .where(and(eq(bedOccupancies.admissionId, admissionId), isNull(bedOccupancies.endedAt)));
  if (!o) return null;
  return { occupancy: o, info: await loadBedInfo(db, facilityId, o.bedId) };
}

/** A move's instant: now, but strictly after the period it ends began (ranges are [start, end)). */
function moveInstant(now: Date, startedAt: Date): Date {
  return now.getTime() > startedAt.getTime() ? now : new Date(startedAt.getTime() + 1);
}

export async function transferPatient(
  ctx: Ctx,
  env: Pick<IpdEnv, 'events'>,
  id: string,
  input: z.output<typeof BedTransferBody>,
): Promise<Admission> {
  const facilityId = requireFacility(ctx);
  const { today } = await facilityToday(ctx.db, facilityId, ctx.now);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const row = await loadAdmission(tx, facilityId, id, true);
        if (row.version !== input.version) throw new StaleVersion('The admission');
        if (row.status !== 'admitted') {
          throw new Conflict(
            'IPD_ADMISSION_NOT_ADMITTED',
            `The admission is ${row.status}; it cannot be moved`,
          );
        }
        const current = await openOccupancyOf(tx, facilityId, id);
        if (!current) throw new Conflict('IPD_ADMISSION_NOT_IN_BED', 'The admission has no bed to move from');
        if (current.info.bed.id === input.bedId) {
          throw new RuleViolation('IPD_TRANSFER_SAME_BED', 'The patient is already in this bed', [
            { path: 'body.bedId', message: 'the current bed' },
          ]);
        }
        const [patient] = await readPatients(tx, ctx, [row.patientId], 'transfer').then((m) => [
          ...m.values(),
        ]);
        const target = await loadBedInfo(tx, facilityId, input.bedId, { path: 'body.bedId' });
        await assertBedFor(tx, target, row.patientId, ctx.now);
        const override = patient
          ? assertRestrictions(target, patient, today, input.restrictionOverride)
          : null;
        const at = moveInstant(ctx.now, current.occupancy.startedAt);
        await tx
          .update(bedOccupancies)
          .set({ endedAt: at, endReason: 'transfer' })
          .where(eq(bedOccupancies.id, current.occupancy.id));
        await tx.insert(bedOccupancies).values({
          admissionId: id,
          patientId: row.patientId,
          bedId: target.bed.id,
          wardId: target.ward.id,
          tariffClass: target.category.tariffClass,
          startedAt: at,
          startReason: 'transfer',
          note: override ? `${input.reason}. ${override}` : input.reason,
          movedById: actorId(ctx.actor),
          movedByName: ctx.actor.name,
        });
        const locked = await loadBedInfo(tx, facilityId, target.bed.id, { lock: true });
        const reservation = await assertBedFor(tx, locked, row.patientId, ctx.now);
        if (reservation) await endReservation(tx, ctx, env, reservation, 'used', null, id);
        const oldBed = await loadBedInfo(tx, facilityId, current.info.bed.id, { lock: true });
        await changeBedStatus(tx, ctx, oldBed.bed, 'cleaning', {
          reason: `Transfer of ${row.admissionNumber} to ${target.bed.code}`,
          admissionId: id,
        });
        await changeBedStatus(tx, ctx, locked.bed, 'occupied', {
          reason: `Transfer of ${row.admissionNumber} from ${current.info.bed.code}`,
          admissionId: id,
        });
        await endEncounterLocation(tx, { encounterId: row.encounterId, endedAt: at });
        await recordEncounterLocation(tx, {
          encounterId: row.encounterId,
          locationId: target.bed.id,
          display: bedDisplay(target),
          startedAt: at,
        });
        const [updated] = await tx
          .update(admissions)
          .set({ version: row.version + 1, updatedAt: ctx.now })
          .where(eq(admissions.id, id))
          .returning();
        await recordAudit(tx, ctx, {
          action: 'update',
          resourceType: 'Admission',
          resourceId: id,
          patientId: row.patientId,
          detail: {
            transfer: { from: current.info.bed.id, to: target.bed.id },
            reason: input.reason,
            override,
          },
        });
        await emitBedReleased(tx, env, ctx, current.info, id, at, 'transfer');
        await emitAdmissionEvent(tx, env, ctx, IPD_EVENTS.transferred, updated!, {
          bed: bedRefOf(target),
          previousBed: bedRefOf(current.info),
          at,
        });
        return toAdmission(updated!, patient ?? null, await currentBedOf(tx, id));
      }),
    placementConstraints,
  );
}

// ------------------------------------------------------------------------------------------------------
// Leaving the bed: discharge and cancellation share it
// ------------------------------------------------------------------------------------------------------

/**
 * Closes the admission's open occupancy at `at`, sends the bed to cleaning, ends the encounter location and
 * appends ipd.bed.released, in the caller's transaction. Returns the bed left (null if none was open).
 */
export async function vacateBed(
  tx: DbOrTx,
  ctx: Pick<Ctx, 'actor' | 'now'>,
  env: Pick<IpdEnv, 'events'>,
  row: AdmissionRow,
  at: Date,
  cause: 'discharge' | 'cancelled',
): Promise<BedInfo | null> {
  const current = await openOccupancyOf(tx, row.facilityId, row.id);
  if (!current) return null;
  const endedAt = moveInstant(at, current.occupancy.startedAt);
  await tx
    .update(bedOccupancies)
    .set({ endedAt, endReason: cause })
    .where(eq(bedOccupancies.id, current.occupancy.id));
  const locked = await loadBedInfo(tx, row.facilityId, current.info.bed.id, { lock: true });
  await changeBedStatus(tx, ctx, locked.bed, 'cleaning', {
    reason: `${cause === 'discharge' ? 'Discharge' : 'Cancelled admission'} ${row.admissionNumber}`,
    admissionId: row.id,
  });
  await endEncounterLocation(tx, { encounterId: row.encounterId, endedAt });
  await emitBedReleased(tx, env, ctx, current.info, row.id, endedAt, cause);
  return current.info;
}

/** An admission entered in error: its bed days are void, the bed goes to cleaning, the encounter is in error. */
export async function cancelAdmission(
  ctx: Ctx,
  env: Pick<IpdEnv, 'events'>,
  id: string,
  input: z.output<typeof CancelAdmissionBody>,
): Promise<Admission> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const row = await loadAdmission(tx, facilityId, id, true);
    if (row.version !== input.version) throw new StaleVersion('The admission');
    if (row.status !== 'admitted' && row.status !== 'discharge-initiated') {
      throw new Conflict('IPD_ADMISSION_CLOSED', `The admission is already ${row.status}`);
    }
    const left = await vacateBed(tx, ctx, env, row, ctx.now, 'cancelled');
    const [updated] = await tx
      .update(admissions)
      .set({
        status: 'cancelled',
        cancelledReason: input.reason,
        version: row.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(admissions.id, id))
      .returning();
    if (row.requestId) {
      // The patient may still need the bed they were requested for: the request waits again.
      await tx
        .update(admissionRequests)
        .set({
          status: 'waiting',
          admissionId: null,
          statusReason: `Admission ${row.admissionNumber} cancelled: ${input.reason}`,
          version: sql`${admissionRequests.version} + 1`,
          updatedAt: ctx.now,
        })
        .where(and(eq(admissionRequests.id, row.requestId), eq(admissionRequests.status, 'admitted')));
    }
    await endStayEncounter(tx, ctx, env, row.encounterId, {
      status: 'entered-in-error',
      endedAt: ctx.now,
      reason: input.reason,
    });
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Admission',
      resourceId: id,
      patientId: row.patientId,
      detail: { status: 'cancelled', reason: input.reason },
    });
    await emitAdmissionEvent(tx, env, ctx, IPD_EVENTS.cancelled, updated!, {
      bed: null,
      previousBed: left ? bedRefOf(left) : null,
      at: ctx.now,
    });
    const patients = await readPatients(tx, ctx, [row.patientId], 'admission');
    return toAdmission(updated!, patients.get(row.patientId) ?? null, null);
  });
}

// ------------------------------------------------------------------------------------------------------
// Reads
// ------------------------------------------------------------------------------------------------------

/** Every occupancy period of an admission with bed days (midnight census in the facility's zone). */
export async function bedHistoryOf(
  db: DbOrTx,
  admissionId: string,
  timeZone: string,
  now: Date,
): Promise<{ items: BedPeriod[]; totalBedDays: number }> {
  const rows = await db
    .select({ o: bedOccupancies, bedCode: beds.code, ward: wards })
    .from(bedOccupancies)
    .innerJoin(beds, eq(beds.id, bedOccupancies.bedId))
    .innerJoin(wards, eq(wards.id, bedOccupancies.wardId))
    .where(eq(bedOccupancies.admissionId, admissionId))
    .orderBy(asc(bedOccupancies.startedAt));
  // A cancelled admission's days are void.
  const counted = rows.filter((r) => r.o.endReason !== 'cancelled');
  const days = bedDaysOf(
    counted.map((r) => ({ startedAt: r.o.startedAt, endedAt: r.o.endedAt })),
    timeZone,
    now,
  );
  const dayOf = new Map(counted.map((r, i) => [r.o.id, days[i]!]));
  const items = rows.map(
    (r): BedPeriod => ({
      occupancyId: r.o.id,
      bedId: r.o.bedId,
      bedCode: r.bedCode,
      wardId: r.ward.id,
      wardCode: r.ward.code,
      wardName: r.ward.name,
      tariffClass: r.o.tariffClass,
      startedAt: r.o.startedAt.toISOString(),
      endedAt: r.o.endedAt?.toISOString() ?? null,
      startReason: r.o.startReason as BedPeriod['startReason'],
      endReason: (r.o.endReason as BedPeriod['endReason']) ?? null,
      note: r.o.note,
      movedBy: r.o.movedByName,
      bedDays: dayOf.get(r.o.id) ?? 0,
    }),
  );
  return { items, totalBedDays: items.reduce((sum, p) => sum + p.bedDays, 0) };
}

export async function getAdmissionDetail(ctx: Ctx, id: string): Promise<AdmissionDetail> {
  const facilityId = requireFacility(ctx);
  const row = await loadAdmission(ctx.db, facilityId, id);
  const { timeZone } = await facilityToday(ctx.db, facilityId, ctx.now);
  const patients = await readPatients(ctx.db, ctx, [row.patientId], 'admission');
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Admission',
    resourceId: id,
    patientId: row.patientId,
  });
  const history = await bedHistoryOf(ctx.db, id, timeZone, row.dischargedAt ?? ctx.now);
  const clearances = await ctx.db
    .select()
    .from(dischargeClearances)
    .where(eq(dischargeClearances.admissionId, id))
    .orderBy(asc(dischargeClearances.createdAt), asc(dischargeClearances.item));
  return {
    ...toAdmission(row, patients.get(row.patientId) ?? null, await currentBedOf(ctx.db, id)),
    bedHistory: history.items,
    totalBedDays: history.totalBedDays,
    clearances: clearances.map(toClearance),
  };
}

export async function getBedHistory(ctx: Ctx, id: string) {
  const facilityId = requireFacility(ctx);
  const row = await loadAdmission(ctx.db, facilityId, id);
  const { timeZone } = await facilityToday(ctx.db, facilityId, ctx.now);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Admission',
    resourceId: id,
    patientId: row.patientId,
    detail: { purpose: 'bed-history' },
  });
  return bedHistoryOf(ctx.db, id, timeZone, row.dischargedAt ?? ctx.now);
}

/** The current beds of many admissions at once. */
export async function currentBedsOf(
  db: DbOrTx,
  admissionIds: readonly string[],
): Promise<Map<string, CurrentBed>> {
  if (admissionIds.length === 0) return new Map();
  const rows = await db
    .select({ o: bedOccupancies, bed: beds, ward: wards, room: rooms })
    .from(bedOccupancies)
    .innerJoin(beds, eq(beds.id, bedOccupancies.bedId))
    .innerJoin(wards, eq(wards.id, bedOccupancies.wardId))
    .innerJoin(rooms, eq(rooms.id, beds.roomId))
    .where(and(inArray(bedOccupancies.admissionId, [...admissionIds]), isNull(bedOccupancies.endedAt)));
  return new Map(
    rows.map((r) => [
      r.o.admissionId,
      {
        occupancyId: r.o.id,
        bedId: r.bed.id,
        bedCode: r.bed.code,
        roomId: r.room.id,
        roomCode: r.room.code,
        wardId: r.ward.id,
        wardCode: r.ward.code,
        wardName: r.ward.name,
        wardKind: r.ward.kind as CurrentBed['wardKind'],
        tariffClass: r.o.tariffClass,
        isolation: r.bed.isolation,
        since: r.o.startedAt.toISOString(),
      },
    ]),
  );
}

/** Admissions with their patients and beds, each patient shown an audited read. */
export async function admissionViews(
  db: DbOrTx,
  ctx: Ctx,
  rows: readonly AdmissionRow[],
  purpose: string,
): Promise<Admission[]> {
  const patients = await readPatients(
    db,
    ctx,
    rows.map((r) => r.patientId),
    purpose,
  );
  const bedsNow = await currentBedsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toAdmission(r, patients.get(r.patientId) ?? null, bedsNow.get(r.id) ?? null));
}

/** Admissions of the facility by status (default: open) and ward (where they lie now), newest first. */
export async function listAdmissions(
  ctx: Ctx,
  query: z.output<typeof AdmissionQuery>,
): Promise<{ items: Admission[]; nextCursor: string | null }> {
  const facilityId = requireFacility(ctx);
  const after = decodeCursor(query.cursor, 2);
  const filters: (SQL | undefined)[] = [
    eq(admissions.facilityId, facilityId),
    query.status ? eq(admissions.status, query.status) : inArray(admissions.status, [...OPEN_STATUSES]),
    query.wardId
      ? sql`exists (select 1 from ipd.bed_occupancies o where o.admission_id = ${admissions.id}
          and o.ward_id = ${query.wardId} and o.ended_at is null)`
      : undefined,
  ];
  if (after) {
    const [admittedAt, id] = after.map(String) as [string, string];
    if (Number.isNaN(Date.parse(admittedAt))) {
      throw new BadRequest('INVALID_CURSOR', 'The cursor is not valid for this list');
    }
    filters.push(
      or(
        lt(admissions.admittedAt, new Date(admittedAt)),
        and(eq(admissions.admittedAt, new Date(admittedAt)), lt(admissions.id, id)),
      ),
    );
  }
  const rows = await ctx.db
    .select()
    .from(admissions)
    .where(and(...filters))
    .orderBy(desc(admissions.admittedAt), desc(admissions.id))
    .limit(query.limit + 1);
  const items = await admissionViews(ctx.db, ctx, rows.slice(0, query.limit), 'admissions');
  const page = toPage(items, query.limit, (a) => [a.admittedAt, a.id]);
  return { items: page.items, nextCursor: rows.length > query.limit ? page.nextCursor : null };
}

export async function patientAdmissions(ctx: Ctx, patientId: string): Promise<Admission[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(admissions)
    .where(and(eq(admissions.facilityId, facilityId), eq(admissions.patientId, patientId)))
    .orderBy(desc(admissions.admittedAt))
    .limit(200);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Admission',
    patientId,
    detail: { purpose: 'patient-admissions', results: rows.length },
  });
  return admissionViews(ctx.db, ctx, rows, 'patient-admissions');
}

// ------------------------------------------------------------------------------------------------------
// Merges
// ------------------------------------------------------------------------------------------------------

/**
 * Re-points the IPD rows of a merged patient record to the survivor (patients.patient.merged). Where both
 * records have an open admission, the merged record's one keeps its patient (one open stay per patient holds;
 * a person must cancel or discharge one of them), everything else follows. Idempotent.
 */
export async function followMerge(tx: DbOrTx, survivorId: string, mergedId: string): Promise<void> {
  await tx.execute(sql`update ipd.admissions a set patient_id = ${survivorId}
    where a.patient_id = ${mergedId}
      and not (a.status in ('admitted', 'discharge-initiated') and exists (
        select 1 from ipd.admissions s where s.patient_id = ${survivorId}
          and s.status in ('admitted', 'discharge-initiated')))`);
  await tx.execute(sql`update ipd.bed_occupancies o set patient_id = ${survivorId}
    where o.patient_id = ${mergedId}
      and exists (select 1 from ipd.admissions a where a.id = o.admission_id and a.patient_id = ${survivorId})`);
  for (const table of [
    'admission_requests',
    'bed_reservations',
    'early_warning_scores',
    'intake_output',
    'nursing_notes',
    'care_plan_items',
    'nursing_tasks',
  ]) {
    await tx.execute(
      sql`update ${sql.identifier('ipd')}.${sql.identifier(table)} set patient_id = ${survivorId}
          where patient_id = ${mergedId}`,
    );
  }
}
