import type {
  Admission,
  AdmissionRequest,
  Bed,
  BedCategory,
  BedReservation,
  BedStatusChange,
  CurrentBed,
  DischargeClearanceItem,
  PatientSummary,
  Ward,
  WardRoom,
} from '@newhms/contracts';
import { and, eq, isNull } from 'drizzle-orm';
import type { Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { NotFound, RuleViolation } from '../../platform/http/errors';
import { getFacility } from '../../platform/organization/organization.service';
import { localDateIn } from './bed-days';
import type {
  admissionRequests,
  admissions,
  bedCategories,
  bedReservations,
  bedStatusChanges,
  dischargeClearances,
  rooms,
  wards,
} from './ipd.tables';
import {
  bedOccupancies,
  beds,
  bedCategories as categoriesTable,
  rooms as roomsTable,
  wards as wardsTable,
} from './ipd.tables';

// Row -> API shape, and the small things every IPD service needs.

export type CategoryRow = typeof bedCategories.$inferSelect;
export type WardRow = typeof wards.$inferSelect;
export type RoomRow = typeof rooms.$inferSelect;
export type BedRow = typeof beds.$inferSelect;
export type StatusChangeRow = typeof bedStatusChanges.$inferSelect;
export type RequestRow = typeof admissionRequests.$inferSelect;
export type ReservationRow = typeof bedReservations.$inferSelect;
export type AdmissionRow = typeof admissions.$inferSelect;
export type ClearanceRow = typeof dischargeClearances.$inferSelect;
export type OccupancyRow = typeof bedOccupancies.$inferSelect;

/** A bed with its ward, room and category: what admissions, transfers and events need to know. */
export type BedInfo = { bed: BedRow; ward: WardRow; room: RoomRow; category: CategoryRow };

const iso = (d: Date) => d.toISOString();

export function requireFacility(ctx: Ctx): string {
  if (!ctx.facilityId) throw new RuleViolation('FACILITY_REQUIRED', 'Choose a facility first');
  return ctx.facilityId;
}

/** The facility's time zone and today's date there (bed days and expected discharges are local dates). */
export async function facilityToday(
  db: DbOrTx,
  facilityId: string,
  now: Date,
): Promise<{ timeZone: string; today: string }> {
  const f = await getFacility(db, facilityId);
  return { timeZone: f.timeZone, today: localDateIn(now, f.timeZone) };
}

export function toCategory(r: CategoryRow): BedCategory {
  return {
    id: r.id,
    facilityId: r.facilityId,
    code: r.code,
    name: r.name,
    tariffClass: r.tariffClass,
    intensiveCare: r.intensiveCare,
    active: r.active,
    version: r.version,
  };
}

export function toWard(r: WardRow): Ward {
  return {
    id: r.id,
    facilityId: r.facilityId,
    code: r.code,
    name: r.name,
    building: r.building,
    floor: r.floor,
    kind: r.kind as Ward['kind'],
    departmentId: r.departmentId,
    genderRestriction: r.genderRestriction as Ward['genderRestriction'],
    minAgeYears: r.minAgeYears,
    maxAgeYears: r.maxAgeYears,
    displayCode: r.displayCode,
    active: r.active,
    version: r.version,
  };
}

export function toRoom(r: RoomRow): WardRoom {
  return { id: r.id, wardId: r.wardId, code: r.code, name: r.name, active: r.active, version: r.version };
}

export function toBed(i: BedInfo): Bed {
  const { bed: r, ward, room, category } = i;
  return {
    id: r.id,
    facilityId: r.facilityId,
    wardId: r.wardId,
    wardCode: ward.code,
    wardName: ward.name,
    roomId: r.roomId,
    roomCode: room.code,
    categoryId: r.categoryId,
    categoryCode: category.code,
    tariffClass: category.tariffClass,
    intensiveCare: category.intensiveCare,
    code: r.code,
    isolation: r.isolation,
    status: r.status as Bed['status'],
    statusSince: iso(r.statusSince),
    statusReason: r.statusReason,
    sortOrder: r.sortOrder,
    active: r.active,
    version: r.version,
  };
}

export function toStatusChange(r: StatusChangeRow): BedStatusChange {
  return {
    id: r.id,
    bedId: r.bedId,
    fromStatus: (r.fromStatus as BedStatusChange['fromStatus']) ?? null,
    toStatus: r.toStatus as BedStatusChange['toStatus'],
    reason: r.reason,
    admissionId: r.admissionId,
    changedById: r.changedById,
    changedBy: r.changedByName,
    changedAt: iso(r.changedAt),
  };
}

export function toReservation(r: ReservationRow, bed: { code: string; wardId: string; wardCode: string }) {
  return {
    id: r.id,
    bedId: r.bedId,
    bedCode: bed.code,
    wardId: bed.wardId,
    wardCode: bed.wardCode,
    patientId: r.patientId,
    requestId: r.requestId,
    fromAt: iso(r.fromAt),
    untilAt: iso(r.untilAt),
    status: r.status as BedReservation['status'],
    reason: r.reason,
    admissionId: r.admissionId,
    reservedBy: r.reservedByName,
    createdAt: iso(r.createdAt),
    version: r.version,
  } satisfies BedReservation;
}

export function toRequest(
  r: RequestRow,
  patient: PatientSummary | null,
  reservation: BedReservation | null,
): AdmissionRequest {
  return {
    id: r.id,
    facilityId: r.facilityId,
    patientId: r.patientId,
    patient,
    source: r.source as AdmissionRequest['source'],
    sourceEncounterId: r.sourceEncounterId,
    priority: r.priority as AdmissionRequest['priority'],
    wardKind: (r.wardKind as AdmissionRequest['wardKind']) ?? null,
    bedCategoryId: r.bedCategoryId,
    departmentId: r.departmentId,
    practitionerId: r.practitionerId,
    practitionerName: r.practitionerName,
    reason: r.reason,
    plannedFor: r.plannedFor,
    status: r.status as AdmissionRequest['status'],
    statusReason: r.statusReason,
    admissionId: r.admissionId,
    reservation,
    requestedBy: r.requestedByName,
    createdAt: iso(r.createdAt),
    version: r.version,
  };
}

export function toAdmission(
  r: AdmissionRow,
  patient: PatientSummary | null,
  bed: CurrentBed | null,
): Admission {
  const consent = r.consent as Admission['consent'];
  return {
    id: r.id,
    facilityId: r.facilityId,
    admissionNumber: r.admissionNumber,
    patientId: r.patientId,
    patient,
    encounterId: r.encounterId,
    requestId: r.requestId,
    source: r.source as Admission['source'],
    sourceEncounterId: r.sourceEncounterId,
    admittingPractitionerId: r.admittingPractitionerId,
    admittingPractitionerName: r.admittingPractitionerName,
    attendingPractitionerId: r.attendingPractitionerId,
    attendingPractitionerName: r.attendingPractitionerName,
    departmentId: r.departmentId,
    reason: r.reason,
    provisionalDiagnosis: r.provisionalDiagnosis,
    provisionalDiagnosisCode: r.provisionalDiagnosisCode,
    expectedLengthOfStayDays: r.expectedLengthOfStayDays,
    expectedDischargeDate: r.expectedDischargeDate,
    attendant: (r.attendant as Admission['attendant']) ?? null,
    consent: consent ?? null,
    payerCategory: r.payerCategory as Admission['payerCategory'],
    payerDetails: (r.payerDetails as Admission['payerDetails']) ?? null,
    status: r.status as Admission['status'],
    admittedAt: iso(r.admittedAt),
    admittedBy: r.admittedByName,
    bed,
    dischargeInitiatedAt: r.dischargeInitiatedAt ? iso(r.dischargeInitiatedAt) : null,
    dischargeType: (r.dischargeType as Admission['dischargeType']) ?? null,
    dischargedAt: r.dischargedAt ? iso(r.dischargedAt) : null,
    dischargedBy: r.dischargedByName,
    deathAt: r.deathAt ? iso(r.deathAt) : null,
    deathCause: r.deathCause,
    transferredTo: r.transferredTo,
    cancelledReason: r.cancelledReason,
    version: r.version,
  };
}

export function toClearance(r: ClearanceRow): DischargeClearanceItem {
  return {
    id: r.id,
    admissionId: r.admissionId,
    item: r.item,
    label: r.label,
    heldBy: r.heldBy,
    status: r.status as DischargeClearanceItem['status'],
    detail: r.detail,
    clearedAt: r.clearedAt ? iso(r.clearedAt) : null,
    clearedBy: r.clearedByName,
    clearNote: r.clearNote,
    version: r.version,
  };
}

/** A bed of the facility with its ward, room and category; optionally locked (FOR UPDATE of the bed row). */
export async function loadBedInfo(
  db: DbOrTx,
  facilityId: string,
  bedId: string,
  options: { lock?: boolean; path?: string } = {},
): Promise<BedInfo> {
  // The bed row alone is locked (FOR UPDATE OF cannot name a schema-qualified table), then read with the rest.
  if (options.lock) {
    await db
      .select({ id: beds.id })
      .from(beds)
      .where(and(eq(beds.id, bedId), eq(beds.facilityId, facilityId)))
      .for('update');
  }
  const [row] = await db
    .select({ bed: beds, ward: wardsTable, room: roomsTable, category: categoriesTable })
    .from(beds)
    .innerJoin(wardsTable, eq(wardsTable.id, beds.wardId))
    .innerJoin(roomsTable, eq(roomsTable.id, beds.roomId))
    .innerJoin(categoriesTable, eq(categoriesTable.id, beds.categoryId))
    .where(and(eq(beds.id, bedId), eq(beds.facilityId, facilityId)));
  if (!row) {
    if (options.path) {
      throw new RuleViolation('IPD_BED_NOT_FOUND', 'The bed is not in this facility', [
        { path: options.path, message: 'no such bed in this facility' },
      ]);
    }
    throw new NotFound('The bed', 'IPD_BED_NOT_FOUND');
  }
  return row;
}

/** The open occupancy of an admission (where the patient is now), with the bed's details. */
export async function currentBedOf(db: DbOrTx, admissionId: string): Promise<CurrentBed | null> {
  const [row] = await db
    .select({ o: bedOccupancies, bed: beds, ward: wardsTable, room: roomsTable })
    .from(bedOccupancies)
    .innerJoin(beds, eq(beds.id, bedOccupancies.bedId))
    .innerJoin(wardsTable, eq(wardsTable.id, bedOccupancies.wardId))
    .innerJoin(roomsTable, eq(roomsTable.id, beds.roomId))
    .where(and(eq(bedOccupancies.admissionId, admissionId), isNull(bedOccupancies.endedAt)));
  if (!row) return null;
  return {
    occupancyId: row.o.id,
    bedId: row.bed.id,
    bedCode: row.bed.code,
    roomId: row.room.id,
    roomCode: row.room.code,
    wardId: row.ward.id,
    wardCode: row.ward.code,
    wardName: row.ward.name,
    wardKind: row.ward.kind as CurrentBed['wardKind'],
    tariffClass: row.o.tariffClass,
    isolation: row.bed.isolation,
    since: iso(row.o.startedAt),
  };
}

export { violatedConstraint, withConstraintErrors } from '../../platform/db/constraint-errors';
export { readPatientSummaries as readPatients } from '../patients';

/** Whole years of age on a date, from a birth date (YYYY-MM-DD). */
export function ageInYears(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}
