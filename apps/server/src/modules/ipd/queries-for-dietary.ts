import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database';
import { admissions, bedOccupancies, beds, wards } from './ipd.tables';

// Read-only questions the dietary kitchen, housekeeping and the laboratory (whose walk-ins are charged to an
// open stay) ask about in-patients and wards. IPD owns these tables; other modules get only these shapes.

/** Statuses of an admission whose patient is still in the hospital. */
const OPEN_STATUSES = ['admitted', 'discharge-initiated'] as const;

/** An admission with the bed its patient lies in now (null between beds or once gone). */
export type AdmissionPlacement = {
  admissionId: string;
  admissionNumber: string;
  facilityId: string;
  patientId: string;
  status: string;
  /** Admitted or discharge initiated: the patient is still here. */
  open: boolean;
  bed: { bedId: string; bedCode: string; wardId: string; wardCode: string; wardName: string } | null;
};

function placementQuery(db: DbOrTx) {
  return db
    .select({
      admissionId: admissions.id,
      admissionNumber: admissions.admissionNumber,
      facilityId: admissions.facilityId,
      patientId: admissions.patientId,
      status: admissions.status,
      bedId: beds.id,
      bedCode: beds.code,
      wardId: wards.id,
      wardCode: wards.code,
      wardName: wards.name,
    })
    .from(admissions)
    .leftJoin(
      bedOccupancies,
      and(eq(bedOccupancies.admissionId, admissions.id), isNull(bedOccupancies.endedAt)),
    )
    .leftJoin(beds, eq(beds.id, bedOccupancies.bedId))
    .leftJoin(wards, eq(wards.id, bedOccupancies.wardId));
}

type PlacementRow = {
  admissionId: string;
  admissionNumber: string;
  facilityId: string;
  patientId: string;
  status: string;
  bedId: string | null;
  bedCode: string | null;
  wardId: string | null;
  wardCode: string | null;
  wardName: string | null;
};

function toPlacement(r: PlacementRow): AdmissionPlacement {
  return {
    admissionId: r.admissionId,
    admissionNumber: r.admissionNumber,
    facilityId: r.facilityId,
    patientId: r.patientId,
    status: r.status,
    open: (OPEN_STATUSES as readonly string[]).includes(r.status),
    bed:
      r.bedId && r.bedCode && r.wardId && r.wardCode && r.wardName
        ? { bedId: r.bedId, bedCode: r.bedCode, wardId: r.wardId, wardCode: r.wardCode, wardName: r.wardName }
        : null,
  };
}

/** An admission of a facility with its current ward and bed, or null when there is no such admission. */
export async function getAdmissionPlacement(
  db: DbOrTx,
  facilityId: string,
  admissionId: string,
): Promise<AdmissionPlacement | null> {
  const [row] = await placementQuery(db).where(
    and(eq(admissions.id, admissionId), eq(admissions.facilityId, facilityId)),
  );
  return row ? toPlacement(row) : null;
}

/** The patient's open admission in the facility (at most one: a unique index), with its bed; or null. */
export async function getOpenAdmissionOf(
  db: DbOrTx,
  facilityId: string,
  patientId: string,
): Promise<AdmissionPlacement | null> {
  const [row] = await placementQuery(db).where(
    and(
      eq(admissions.patientId, patientId),
      eq(admissions.facilityId, facilityId),
      inArray(admissions.status, [...OPEN_STATUSES]),
    ),
  );
  return row ? toPlacement(row) : null;
}

/**
 * The patients in a bed of the facility now (open admissions with a current occupancy), by ward code and
 * bed order; optionally one ward.
 */
export async function listPlacedInpatients(
  db: DbOrTx,
  facilityId: string,
  wardId?: string,
): Promise<(AdmissionPlacement & { bed: NonNullable<AdmissionPlacement['bed']> })[]> {
  const rows = await placementQuery(db)
    .where(
      and(
        eq(admissions.facilityId, facilityId),
        inArray(admissions.status, [...OPEN_STATUSES]),
        wardId ? eq(bedOccupancies.wardId, wardId) : undefined,
      ),
    )
    .orderBy(asc(wards.code), asc(beds.sortOrder), asc(beds.code));
  return rows.map(toPlacement).flatMap((p) => (p.bed ? [{ ...p, bed: p.bed }] : []));
}

/** Wards of a facility by id (code and name), for those that exist. */
export async function getWardNames(
  db: DbOrTx,
  facilityId: string,
  wardIds: readonly string[],
): Promise<Map<string, { code: string; name: string }>> {
  if (wardIds.length === 0) return new Map();
  const rows = await db
    .select({ id: wards.id, code: wards.code, name: wards.name })
    .from(wards)
    .where(and(eq(wards.facilityId, facilityId), inArray(wards.id, [...new Set(wardIds)])));
  return new Map(rows.map((r) => [r.id, { code: r.code, name: r.name }]));
}
