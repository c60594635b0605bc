import {
  type BedBoard,
  type BedBoardBed,
  type BedBoardStatus,
  type BedBoardWard,
  bedBoardColours,
  bedBoardStatuses,
  type PublicBedBoard,
} from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import type { Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { rowsOf } from '../../platform/db/raw-rows';
import { NotFound } from '../../platform/http/errors';
import { getFacility } from '../../platform/organization/organization.service';
import { getPatientSummaries } from '../patients';
import { BEDS_CHANNEL } from './ipd.events';

// The bed board: one read of the ipd tables for a whole facility (beds with their ward, room, category, open
// occupancy, admission and current reservation), one of the admission request queue, and the patients'
// summaries (two queries of the patients module). A facility of 500 beds is one snapshot of ~5 statements.

/** The NOTIFY channel of bed changes (the IPD services' channel); the payload is a facility or ward id. */
export const BED_BOARD_CHANNEL = BEDS_CHANNEL;

/**
 * Tells every server process that a facility's beds changed (status, occupancy, reservation, request queue).
 * Call it inside the transaction of the change: the notification leaves only when it commits.
 */
export async function notifyBedBoard(tx: DbOrTx, facilityId: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${BED_BOARD_CHANNEL}, ${facilityId})`);
}

type BedRow = {
  bed_id: string;
  code: string;
  ward_id: string;
  isolation: boolean;
  status: string;
  status_since: string | Date;
  status_reason: string | null;
  room_code: string;
  room_name: string;
  category: string;
  ward_code: string;
  ward_name: string;
  ward_kind: string;
  building: string | null;
  floor: string | null;
  display_code: string | null;
  patient_id: string | null;
  in_bed_since: string | Date | null;
  admission_id: string | null;
  admission_number: string | null;
  encounter_id: string | null;
  attending: string | null;
  admitted_at: string | Date | null;
  expected_discharge_date: string | Date | null;
  admission_status: string | null;
  reservation_id: string | null;
  request_id: string | null;
  reserved_patient_id: string | null;
  reserved_from: string | Date | null;
  reserved_until: string | Date | null;
  priority: string | null;
  source: string | null;
};

type QueueRow = { ward_kind: string | null; priority: string; n: number | string; oldest: string | Date };

const iso = (v: string | Date) => new Date(v).toISOString();
/** A date column as YYYY-MM-DD whichever driver read it (pg gives a Date at local midnight for `date`). */
const isoDate = (v: string | Date) =>
  typeof v === 'string'
    ? v.slice(0, 10)
    : `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
const minutesBetween = (from: Date, to: Date) =>
  Math.max(0, Math.floor((to.getTime() - from.getTime()) / 60_000));

/** "Kamala Subramaniam" -> "K S": the first letter of each name part, at most three. */
export function initialsOf(name: string): string {
  return name
    .split(/[\s.,'-]+/)
    .map((part) => part.match(/\p{L}/u)?.[0]?.toUpperCase() ?? '')
    .filter(Boolean)
    .slice(0, 3)
    .join(' ');
}

/**
 * Occupancy of a ward: occupied beds over the beds in service, i.e. the active beds less those blocked or
 * under maintenance (reserved and cleaning beds are in service: staffed, soon usable). Percent with one
 * decimal; null when no bed is in service.
 */
export function occupancyPercent(counts: Record<BedBoardStatus, number>): number | null {
  const total = bedBoardStatuses.reduce((sum, s) => sum + counts[s], 0);
  const inService = total - counts.blocked - counts.maintenance;
  if (inService <= 0) return null;
  return Math.round((counts.occupied / inService) * 1000) / 10;
}

function localDateOf(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** The whole staff board of a facility as of `now` (no audit: callers audit what they show). */
export async function loadBedBoard(db: DbOrTx, facilityId: string, now: Date): Promise<BedBoard> {
  const facility = await getFacility(db, facilityId);
  const today = localDateOf(now, facility.timeZone);
  const at = now.toISOString();
  const beds = await rowsOf<BedRow>(
    db,
    sql`select b.id as bed_id, b.code, b.ward_id, b.isolation, b.status, b.status_since, b.status_reason,
          r.code as room_code, r.name as room_name, c.name as category,
          w.code as ward_code, w.name as ward_name, w.kind as ward_kind, w.building, w.floor, w.display_code,
          o.patient_id, o.started_at as in_bed_since,
          a.id as admission_id, a.admission_number, a.encounter_id, a.attending_practitioner_name as attending,
          a.admitted_at, a.expected_discharge_date::text as expected_discharge_date, a.status as admission_status,
          res.id as reservation_id, res.request_id, res.patient_id as reserved_patient_id,
          res.from_at as reserved_from, res.until_at as reserved_until, q.priority, q.source
        from ipd.beds b
        join ipd.wards w on w.id = b.ward_id
        join ipd.rooms r on r.id = b.room_id
        join ipd.bed_categories c on c.id = b.category_id
        left join ipd.bed_occupancies o on o.bed_id = b.id and o.ended_at is null
        left join ipd.admissions a on a.id = o.admission_id
        left join lateral (
          select x.id, x.request_id, x.patient_id, x.from_at, x.until_at
            from ipd.bed_reservations x
           where x.bed_id = b.id and x.status = 'active' and x.until_at > ${at}::timestamptz
           order by x.from_at limit 1) res on true
        left join ipd.admission_requests q on q.id = res.request_id
       where b.facility_id = ${facilityId} and b.active and w.active and r.active
       order by w.code, b.sort_order, r.code, b.code`,
  );
  const queue = await rowsOf<QueueRow>(
    db,
    sql`select ward_kind, priority, count(*)::int as n, min(created_at) as oldest
          from ipd.admission_requests
         where facility_id = ${facilityId} and status = 'waiting'
         group by ward_kind, priority`,
  );
  const patientIds = new Set<string>();
  for (const b of beds) {
    if (b.patient_id) patientIds.add(b.patient_id);
    if (b.reserved_patient_id) patientIds.add(b.reserved_patient_id);
  }
  const summaries = new Map(
    (await getPatientSummaries(db, [...patientIds], now)).map((s) => [s.id, s] as const),
  );

  const queueOf = (rows: readonly QueueRow[]) => {
    const waiting = rows.reduce((n, r) => n + Number(r.n), 0);
    const oldest = rows.reduce<Date | null>((o, r) => {
      const d = new Date(r.oldest);
      return !o || d < o ? d : o;
    }, null);
    return { waiting, oldestWaitMinutes: oldest ? minutesBetween(oldest, now) : null };
  };

  const wards = new Map<string, BedBoardWard>();
  for (const b of beds) {
    let ward = wards.get(b.ward_id);
    if (!ward) {
      ward = {
        wardId: b.ward_id,
        code: b.ward_code,
        name: b.ward_name,
        kind: b.ward_kind,
        building: b.building,
        floor: b.floor,
        displayCode: b.display_code,
        summary: { ...emptySummary(), requests: queueOf(queue.filter((q) => q.ward_kind === b.ward_kind)) },
        beds: [],
      };
      wards.set(b.ward_id, ward);
    }
    const status = (bedBoardStatuses as readonly string[]).includes(b.status)
      ? (b.status as BedBoardStatus)
      : 'blocked';
    const since = new Date(b.status_since);
    const patient = b.patient_id ? summaries.get(b.patient_id) : undefined;
    const reserved = b.reserved_patient_id ? summaries.get(b.reserved_patient_id) : undefined;
    const expected = b.expected_discharge_date ? isoDate(b.expected_discharge_date) : null;
    const bed: BedBoardBed = {
      bedId: b.bed_id,
      wardId: b.ward_id,
      code: b.code,
      roomCode: b.room_code,
      roomName: b.room_name,
      category: b.category,
      isolation: b.isolation,
      status,
      colour: bedBoardColours[status],
      since: since.toISOString(),
      minutesInStatus: minutesBetween(since, now),
      statusReason: b.status_reason,
      occupant:
        patient && b.admission_id
          ? {
              patientId: patient.id,
              initials: initialsOf(patient.displayName),
              mrn: patient.mrn,
              name: patient.displayName,
              age: patient.age,
              sex: patient.sex,
              admissionId: b.admission_id,
              admissionNumber: b.admission_number ?? '',
              encounterId: b.encounter_id ?? b.admission_id,
              attendingDoctor: b.attending ?? '',
              admittedAt: iso(b.admitted_at ?? b.in_bed_since ?? since),
              inBedSince: iso(b.in_bed_since ?? since),
              expectedDischargeDate: expected,
              dischargeInitiated: b.admission_status === 'discharge-initiated',
            }
          : null,
      reservedFor:
        reserved && b.reservation_id
          ? {
              reservationId: b.reservation_id,
              requestId: b.request_id,
              patientId: reserved.id,
              initials: initialsOf(reserved.displayName),
              mrn: reserved.mrn,
              priority: b.priority,
              source: b.source,
              fromAt: iso(b.reserved_from ?? now),
              untilAt: iso(b.reserved_until ?? now),
            }
          : null,
    };
    ward.beds.push(bed);
    ward.summary.counts[status] += 1;
    ward.summary.total += 1;
    if (bed.occupant && expected === today) ward.summary.expectedDischargesToday += 1;
    if (status === 'cleaning')
      ward.summary.cleaning.push({ bedId: bed.bedId, code: bed.code, minutes: bed.minutesInStatus });
  }
  for (const ward of wards.values()) {
    ward.summary.occupancyPercent = occupancyPercent(ward.summary.counts);
    ward.summary.cleaning.sort((x, y) => y.minutes - x.minutes);
  }
  const all = queueOf(queue);
  const byPriority: Record<string, number> = {};
  for (const q of queue) byPriority[q.priority] = (byPriority[q.priority] ?? 0) + Number(q.n);
  return {
    facilityId,
    date: today,
    wards: [...wards.values()],
    requests: { ...all, byPriority },
    updatedAt: now.toISOString(),
  };
}

/** The staff board narrowed to one ward (unchanged when wardId is undefined). */
export function boardOfWard(board: BedBoard, wardId: string | undefined): BedBoard {
  return wardId ? { ...board, wards: board.wards.filter((w) => w.wardId === wardId) } : board;
}

/** Whose records a board shows: the patients in its beds and those its beds are reserved for. */
export function patientsOn(board: BedBoard): string[] {
  const ids = new Set<string>();
  for (const w of board.wards) {
    for (const b of w.beds) {
      if (b.occupant) ids.add(b.occupant.patientId);
      if (b.reservedFor) ids.add(b.reservedFor.patientId);
    }
  }
  return [...ids];
}

/** A ward with a public display code, as the display finds it. */
export type BedBoardDisplay = {
  wardId: string;
  facilityId: string;
  displayCode: string;
  code: string;
  name: string;
  kind: string;
  building: string | null;
  floor: string | null;
};

const emptySummary = (): BedBoardWard['summary'] => ({
  counts: Object.fromEntries(bedBoardStatuses.map((s) => [s, 0])) as Record<BedBoardStatus, number>,
  total: 0,
  occupancyPercent: null,
  expectedDischargesToday: 0,
  cleaning: [],
  requests: { waiting: 0, oldestWaitMinutes: null },
});

/**
 * The public board of a ward: no names, no patient ids, no reservations; initials, MRN, admission number and
 * the attending doctor for occupied beds (issue #5: "patient initials and MRN (no full names on the public
 * version)"). A ward without active beds shows an empty board.
 */
export function publicBoardOf(board: BedBoard, display: BedBoardDisplay): PublicBedBoard {
  const ward = board.wards.find((w) => w.wardId === display.wardId);
  return {
    displayCode: display.displayCode,
    date: board.date,
    ward: {
      wardId: display.wardId,
      code: ward?.code ?? display.code,
      name: ward?.name ?? display.name,
      kind: ward?.kind ?? display.kind,
      building: ward?.building ?? display.building,
      floor: ward?.floor ?? display.floor,
      summary: ward?.summary ?? emptySummary(),
      beds: (ward?.beds ?? []).map((b) => ({
        bedId: b.bedId,
        code: b.code,
        roomCode: b.roomCode,
        roomName: b.roomName,
        category: b.category,
        isolation: b.isolation,
        status: b.status,
        colour: b.colour,
        since: b.since,
        minutesInStatus: b.minutesInStatus,
        occupant: b.occupant
          ? {
              initials: b.occupant.initials,
              mrn: b.occupant.mrn,
              admissionNumber: b.occupant.admissionNumber,
              attendingDoctor: b.occupant.attendingDoctor,
            }
          : null,
      })),
    },
    updatedAt: board.updatedAt,
  };
}

/** The ward of a public display code (case-insensitive); 404 when no active ward has it. */
export async function findDisplay(db: DbOrTx, displayCode: string): Promise<BedBoardDisplay> {
  const [row] = await rowsOf<{
    id: string;
    facility_id: string;
    display_code: string;
    code: string;
    name: string;
    kind: string;
    building: string | null;
    floor: string | null;
  }>(
    db,
    sql`select id, facility_id, display_code, code, name, kind, building, floor from ipd.wards
         where upper(display_code) = ${displayCode.trim().toUpperCase()} and active
         order by display_code limit 1`,
  );
  if (!row) throw new NotFound('The bed board', 'IPD_BED_BOARD_NOT_FOUND');
  return {
    wardId: row.id,
    facilityId: row.facility_id,
    displayCode: row.display_code,
    code: row.code,
    name: row.name,
    kind: row.kind,
    building: row.building,
    floor: row.floor,
  };
}

/**
 * Records that a board showed these patients: one `read` entry of the board, naming the patient when there
 * is one and listing them otherwise (as FHIR searches do), so that "who saw this patient" finds it.
 */
export async function auditBoardRead(
  ctx: Ctx,
  resourceId: string,
  patientIds: readonly string[],
  detail: Record<string, unknown>,
): Promise<void> {
  if (patientIds.length === 0) return;
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'BedBoard',
    resourceId,
    patientId: patientIds.length === 1 ? patientIds[0]! : null,
    detail: { ...detail, patients: patientIds.length, ...(patientIds.length > 1 ? { patientIds } : {}) },
  });
}
