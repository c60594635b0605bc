import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database';
import { getFacility } from '../../platform/organization/organization.service';
import { admissions, bedCategories, bedOccupancies, beds, dischargeClearances } from './ipd.tables';

// Read-only questions billing asks about a stay: who, who pays, and the bed history it charges bed days
// from. IPD owns these tables; billing gets only these shapes.

/** One occupancy period with what prices it: the tariff class held then, and whether the bed is intensive care. */
export type BillingOccupancy = {
  occupancyId: string;
  bedId: string;
  bedCode: string;
  tariffClass: string;
  intensiveCare: boolean;
  startedAt: Date;
  endedAt: Date | null;
  endReason: string | null;
};

export type AdmissionForBilling = {
  admissionId: string;
  admissionNumber: string;
  facilityId: string;
  patientId: string;
  encounterId: string;
  status: string;
  payerCategory: string;
  departmentId: string | null;
  attendingPractitionerId: string | null;
  admittedAt: Date;
  dischargedAt: Date | null;
  cancelledReason: string | null;
  /** Bed history in time order. */
  periods: BillingOccupancy[];
  /** The facility's time zone (the midnight census counts in it). */
  timeZone: string;
};

/** An admission with its occupancy periods and the facility time zone, or null when there is none. */
export async function getAdmissionForBilling(
  db: DbOrTx,
  admissionId: string,
): Promise<AdmissionForBilling | null> {
  const [a] = await db.select().from(admissions).where(eq(admissions.id, admissionId));
  if (!a) return null;
  const periods = await db
    .select({
      occupancyId: bedOccupancies.id,
      bedId: bedOccupancies.bedId,
      bedCode: beds.code,
      tariffClass: bedOccupancies.tariffClass,
      intensiveCare: bedCategories.intensiveCare,
      startedAt: bedOccupancies.startedAt,
      endedAt: bedOccupancies.endedAt,
      endReason: bedOccupancies.endReason,
    })
    .from(bedOccupancies)
    .innerJoin(beds, eq(beds.id, bedOccupancies.bedId))
    .innerJoin(bedCategories, eq(bedCategories.id, beds.categoryId))
    .where(eq(bedOccupancies.admissionId, admissionId))
    .orderBy(asc(bedOccupancies.startedAt));
  const facility = await getFacility(db, a.facilityId);
  return {
    admissionId: a.id,
    admissionNumber: a.admissionNumber,
    facilityId: a.facilityId,
    patientId: a.patientId,
    encounterId: a.encounterId,
    status: a.status,
    payerCategory: a.payerCategory,
    departmentId: a.departmentId,
    attendingPractitionerId: a.attendingPractitionerId,
    admittedAt: a.admittedAt,
    dischargedAt: a.dischargedAt,
    cancelledReason: a.cancelledReason,
    periods,
    timeZone: facility.timeZone,
  };
}

/** Ids of the admissions still in the hospital (admitted or discharge initiated), of every facility. */
export async function listOpenAdmissionIds(db: DbOrTx, facilityId?: string): Promise<string[]> {
  const rows = await db
    .select({ id: admissions.id })
    .from(admissions)
    .where(
      and(
        inArray(admissions.status, ['admitted', 'discharge-initiated']),
        facilityId ? eq(admissions.facilityId, facilityId) : undefined,
      ),
    )
    .orderBy(asc(admissions.id));
  return rows.map((r) => r.id);
}

// Read-only question billing asks about a discharge: where the admission stands and what IPD's checklist
// says of billing's item, so that billing holds or releases it only when that changes something.

/** An admission's status and the status of one clearance item (null: no such row yet). */
export type DischargeClearanceState = {
  admissionId: string;
  facilityId: string;
  admissionStatus: string;
  itemStatus: 'pending' | 'cleared' | 'waived' | null;
  /** Who cleared the item: the module that released it ('billing'), or a person's name. */
  clearedByName: string | null;
};

/** Where an admission's discharge stands for one checklist item (e.g. 'billing.final-bill'), or null. */
export async function getDischargeClearanceState(
  db: DbOrTx,
  admissionId: string,
  item: string,
): Promise<DischargeClearanceState | null> {
  const [row] = await db
    .select({
      admissionId: admissions.id,
      facilityId: admissions.facilityId,
      admissionStatus: admissions.status,
      itemStatus: dischargeClearances.status,
      clearedByName: dischargeClearances.clearedByName,
    })
    .from(admissions)
    .leftJoin(
      dischargeClearances,
      and(eq(dischargeClearances.admissionId, admissions.id), eq(dischargeClearances.item, item)),
    )
    .where(eq(admissions.id, admissionId));
  if (!row) return null;
  return { ...row, itemStatus: (row.itemStatus as DischargeClearanceState['itemStatus']) ?? null };
}
