import type { News2Score, StationBed, WardStation } from '@newhms/contracts';
import { and, eq, sql } from 'drizzle-orm';
import { recordAudits } from '../../platform/audit/audit.service';
import type { Ctx } from '../../platform/context';
import { concurrently } from '../../platform/db/concurrently';
import { rowsOf } from '../../platform/db/raw-rows';
import { NotFound } from '../../platform/http/errors';
import { getFacility } from '../../platform/organization/organization.service';
import { allergyFlagsOf, getPatientSummaries } from '../patients';
import { wards } from './ipd.tables';
import { requireFacility } from './nursing.service';
import { nursingDayOf, nursingDayWindow, zonedHour } from './nursing-shifts';

type StationRow = {
  bed_id: string;
  bed_code: string;
  room_code: string;
  bed_status: string;
  isolation: boolean;
  admission_id: string | null;
  admission_number: string | null;
  patient_id: string | null;
  admitted_at: string | Date | null;
  attending: string | null;
  expected_discharge_date: string | Date | null;
  admission_status: string | null;
  news2_score: number | null;
  news2_risk: string | null;
  news2_complete: boolean | null;
  news2_at: string | Date | null;
  open_escalations: number | string | null;
  pending_tasks: number | string | null;
  overdue_tasks: number | string | null;
  next_task_due_at: string | Date | null;
  intake_ml: number | string | null;
  output_ml: number | string | null;
};

const toIso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
const toInt = (v: number | string | null) => (v === null ? 0 : Number(v));
const toDate = (v: string | Date | null) =>
  v === null ? null : typeof v === 'string' ? v.slice(0, 10) : v.toISOString().slice(0, 10);

/**
 * The nursing station of a ward: every bed with its patient, the latest NEWS2 and open escalations, pending
 * and overdue tasks, the expected discharge and today's intake/output balance. One query for the ward's beds
 * with everything nursing keeps (lateral joins), then the patients' summaries and allergy flags in batches:
 * the number of queries does not grow with the beds.
 */
export async function wardStation(ctx: Ctx, wardId: string): Promise<WardStation> {
  const facilityId = requireFacility(ctx);
  const [ward] = await ctx.db
    .select()
    .from(wards)
    .where(and(eq(wards.id, wardId), eq(wards.facilityId, facilityId)));
  if (!ward) throw new NotFound('The ward', 'IPD_WARD_NOT_FOUND');
  const timeZone = (await getFacility(ctx.db, facilityId)).timeZone;
  const ioDate = nursingDayOf(ctx.now, timeZone);
  const day = nursingDayWindow(ioDate, timeZone);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone }).format(ctx.now);
  const now = ctx.now.toISOString();
  const rows = await rowsOf<StationRow>(
    ctx.db,
    sql`select b.id as bed_id, b.code as bed_code, r.code as room_code, b.status as bed_status, b.isolation,
        a.id as admission_id, a.admission_number, a.patient_id, a.admitted_at,
        a.attending_practitioner_name as attending, a.expected_discharge_date::text as expected_discharge_date, a.status as admission_status,
        ews.score as news2_score, ews.risk as news2_risk, ews.complete as news2_complete, ews.effective_at as news2_at,
        esc.open_escalations, t.pending_tasks, t.overdue_tasks, t.next_task_due_at, io.intake_ml, io.output_ml
      from ipd.beds b
      join ipd.rooms r on r.id = b.room_id
      left join ipd.bed_occupancies o on o.bed_id = b.id and o.ended_at is null
      left join ipd.admissions a on a.id = o.admission_id
      left join lateral (
        select e.score, e.risk, cardinality(e.missing) = 0 as complete, e.effective_at
        from ipd.early_warning_scores e where e.admission_id = a.id
        order by e.effective_at desc, e.id desc limit 1) ews on true
      left join lateral (
        select count(*) as open_escalations from ipd.early_warning_scores e
        where e.admission_id = a.id and e.escalation = 'alerted') esc on true
      left join lateral (
        select count(*) as pending_tasks,
          count(*) filter (where k.due_at < ${now}::timestamptz) as overdue_tasks,
          min(k.due_at) as next_task_due_at
        from ipd.nursing_tasks k where k.admission_id = a.id and k.status = 'pending') t on true
      left join lateral (
        select coalesce(sum(x.volume_ml) filter (where x.direction = 'intake'), 0) as intake_ml,
          coalesce(sum(x.volume_ml) filter (where x.direction = 'output'), 0) as output_ml
        from ipd.intake_output x
        where x.admission_id = a.id and x.status = 'final'
          and x.effective_at >= ${day.from.toISOString()}::timestamptz
          and x.effective_at < ${day.to.toISOString()}::timestamptz) io on true
      where b.ward_id = ${ward.id} and b.active
      order by b.sort_order, b.code`,
  );
  const patientIds = [...new Set(rows.flatMap((r) => (r.patient_id ? [r.patient_id] : [])))];
  const [summaries, flags] = await concurrently(ctx.db, [
    () => getPatientSummaries(ctx.db, patientIds, ctx.now),
    () => allergyFlagsOf(ctx.db, patientIds),
  ]);
  const byId = new Map(summaries.map((s) => [s.id, s]));
  // Every patient shown is a read of that patient's record.
  await recordAudits(
    ctx.db,
    ctx,
    patientIds.map((id) => ({
      action: 'read',
      resourceType: 'Patient',
      resourceId: id,
      patientId: id,
      detail: { purpose: 'nursing station', wardId: ward.id },
    })),
  );
  const startOfToday = zonedHour(today, 0, timeZone).getTime();
  const bedsOut: StationBed[] = rows.map((r) => {
    const s = r.patient_id ? byId.get(r.patient_id) : undefined;
    const f = r.patient_id ? flags.get(r.patient_id) : undefined;
    const admittedAt = toIso(r.admitted_at);
    const intake = toInt(r.intake_ml);
    const output = toInt(r.output_ml);
    return {
      bedId: r.bed_id,
      bedCode: r.bed_code,
      roomCode: r.room_code,
      bedStatus: r.bed_status,
      isolation: r.isolation,
      patient: s
        ? {
            id: s.id,
            displayName: s.displayName,
            mrn: s.mrn,
            age: s.age,
            sex: s.sex,
            allergyState: f?.allergyState ?? 'not-recorded',
            allergies: f?.allergies ?? [],
            alerts: f?.alerts ?? [],
          }
        : null,
      admission:
        r.admission_id && admittedAt
          ? {
              id: r.admission_id,
              admissionNumber: r.admission_number ?? '',
              admittedAt,
              // Calendar days in the facility's zone: admitted yesterday evening is day 1 this morning.
              daysSinceAdmission: Math.max(
                0,
                Math.round(
                  (startOfToday -
                    zonedHour(
                      new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(admittedAt)),
                      0,
                      timeZone,
                    ).getTime()) /
                    86_400_000,
                ),
              ),
              attendingPractitionerName: r.attending ?? '',
              expectedDischargeDate: toDate(r.expected_discharge_date),
              status: r.admission_status ?? '',
            }
          : null,
      news2:
        r.news2_score !== null && r.news2_at !== null
          ? {
              score: Number(r.news2_score),
              risk: r.news2_risk as News2Score['risk'],
              complete: Boolean(r.news2_complete),
              effectiveAt: toIso(r.news2_at)!,
            }
          : null,
      openEscalations: toInt(r.open_escalations),
      pendingTasks: toInt(r.pending_tasks),
      overdueTasks: toInt(r.overdue_tasks),
      nextTaskDueAt: toIso(r.next_task_due_at),
      ioToday: { intakeMl: intake, outputMl: output, balanceMl: intake - output },
    };
  });
  return {
    ward: { id: ward.id, code: ward.code, name: ward.name, kind: ward.kind },
    generatedAt: ctx.now.toISOString(),
    ioDate,
    beds: bedsOut,
    summary: {
      beds: bedsOut.length,
      occupied: bedsOut.filter((b) => b.admission).length,
      openEscalations: bedsOut.reduce((n, b) => n + b.openEscalations, 0),
      overdueTasks: bedsOut.reduce((n, b) => n + b.overdueTasks, 0),
      expectedDischargesToday: bedsOut.filter((b) => b.admission?.expectedDischargeDate === today).length,
    },
  };
}
