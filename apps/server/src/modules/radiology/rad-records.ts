import type { RadBooking, RadChecklist, RadDose, RadOrder } from '@newhms/contracts';
import { and, eq, inArray } from 'drizzle-orm';
import { concurrently } from '../../platform/db/concurrently';
import type { DbOrTx } from '../../platform/db/database';
import type { EventRegistry } from '../../platform/events/outbox';
import { getPatientSummaries } from '../patients';
import { viewerUrlOf } from './dicom-uid';
import { bookings, orders, procedures, reports, rooms } from './radiology.tables';

// Reading orders as the API shows them: the order with its patient, its active booking and room, the
// procedure's preparation and duration, the report's state and the PACS link. Not audited here: callers audit
// what they show.

export type RadiologyEnv = {
  events: EventRegistry;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** NEWHMS_PACS_VIEWER_URL. */
  viewerUrl: string | undefined;
};

export type OrderRow = typeof orders.$inferSelect;
export type BookingRow = typeof bookings.$inferSelect;
export type ReportRow = typeof reports.$inferSelect;

const iso = (d: Date | null) => d?.toISOString() ?? null;
const step = (at: Date | null, byName: string | null) => (at ? { at: at.toISOString(), byName } : null);

export function doseOf(o: OrderRow): RadDose | null {
  if (o.dlpMGyCm === null && o.ctdiVolMGy === null && o.dapGyCm2 === null && o.fluoroscopySeconds === null) {
    return null;
  }
  return {
    dlpMGyCm: o.dlpMGyCm,
    ctdiVolMGy: o.ctdiVolMGy,
    dapGyCm2: o.dapGyCm2,
    fluoroscopySeconds: o.fluoroscopySeconds,
  };
}

/** The PACS link of an order: once the study has started (and, when the template needs it, has a UID). */
export function viewerUrlOfOrder(template: string | undefined, o: OrderRow): string | null {
  if (o.status !== 'in-progress' && o.status !== 'completed') return null;
  return viewerUrlOf(template, { studyInstanceUid: o.studyInstanceUid, accession: o.accession });
}

/** The active bookings of some orders, with their rooms. */
export async function activeBookingsOf(
  db: DbOrTx,
  orderIds: readonly string[],
): Promise<Map<string, RadBooking>> {
  const out = new Map<string, RadBooking>();
  if (orderIds.length === 0) return out;
  const rows = await db
    .select({ booking: bookings, room: rooms })
    .from(bookings)
    .innerJoin(rooms, eq(rooms.id, bookings.roomId))
    .where(and(inArray(bookings.orderId, [...orderIds]), eq(bookings.status, 'active')));
  for (const { booking: b, room } of rows) {
    out.set(b.orderId, {
      id: b.id,
      roomId: b.roomId,
      roomCode: room.code,
      roomName: room.name,
      startsAt: b.startsAt.toISOString(),
      endsAt: b.endsAt.toISOString(),
      bookedByName: b.bookedByName,
      bookedAt: b.bookedAt.toISOString(),
    });
  }
  return out;
}

/** Orders by id as the API shows them, in the order of the ids (unknown ids are left out). */
export async function readOrderRecords(
  db: DbOrTx,
  ids: readonly string[],
  env: Pick<RadiologyEnv, 'viewerUrl'>,
  now: Date,
): Promise<RadOrder[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ order: orders, procedure: procedures })
    .from(orders)
    .innerJoin(procedures, eq(procedures.code, orders.procedureCode))
    .where(inArray(orders.id, [...ids]));
  const byId = new Map(rows.map((r) => [r.order.id, r]));
  const found = ids.filter((id) => byId.has(id));
  const [booked, reportRows, patients] = await concurrently(db, [
    () => activeBookingsOf(db, found),
    () =>
      db
        .select({
          id: reports.id,
          orderId: reports.radiologyOrderId,
          status: reports.status,
          signedAt: reports.signedAt,
          signedByName: reports.signedByName,
          critical: reports.criticalFinding,
        })
        .from(reports)
        .where(inArray(reports.radiologyOrderId, found)),
    () => getPatientSummaries(db, [...new Set(rows.map((r) => r.order.patientId))], now),
  ]);
  const reportOf = new Map(reportRows.map((r) => [r.orderId, r]));
  const patientOf = new Map(patients.map((p) => [p.id, p]));
  return found.map((id) => {
    const { order: o, procedure: p } = byId.get(id)!;
    const patient = patientOf.get(o.patientId);
    const report = reportOf.get(o.id);
    return {
      id: o.id,
      facilityId: o.facilityId,
      patientId: o.patientId,
      patientName: patient?.displayName ?? '',
      mrn: patient?.mrn ?? '',
      sex: patient?.sex ?? 'unknown',
      age: patient?.age ?? null,
      encounterId: o.encounterId,
      orderId: o.orderId,
      setting: o.setting as RadOrder['setting'],
      accession: o.accession,
      procedureCode: o.procedureCode,
      procedureName: o.procedureName,
      modality: o.modality as RadOrder['modality'],
      bodyPart: o.bodyPart,
      laterality: o.laterality as RadOrder['laterality'],
      contrast: o.contrast as RadOrder['contrast'],
      contrastRoute: p.contrastRoute as RadOrder['contrastRoute'],
      preparation: p.preparation,
      durationMinutes: p.durationMinutes,
      priority: o.priority as RadOrder['priority'],
      clinicalIndication: o.clinicalIndication,
      note: o.note,
      status: o.status as RadOrder['status'],
      orderedById: o.orderedById,
      orderedByName: o.orderedByName,
      orderedAt: o.orderedAt.toISOString(),
      booking: booked.get(o.id) ?? null,
      checklist: (o.checklist as RadChecklist | null) ?? null,
      arrived: step(o.arrivedAt, o.arrivedByName),
      started: step(o.startedAt, o.startedByName),
      completed: step(o.completedAt, o.completedByName),
      cancelled: o.cancelledAt
        ? { at: o.cancelledAt.toISOString(), byName: o.cancelledByName, reason: o.cancelReason ?? '' }
        : null,
      studyInstanceUid: o.studyInstanceUid,
      numberOfImages: o.numberOfImages,
      dose: doseOf(o),
      viewerUrl: viewerUrlOfOrder(env.viewerUrl, o),
      report: report
        ? {
            id: report.id,
            status: report.status as 'draft' | 'final' | 'amended',
            signedAt: iso(report.signedAt),
            signedByName: report.signedByName,
            critical: report.critical !== null,
          }
        : null,
      version: o.version,
    };
  });
}
