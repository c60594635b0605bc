import {
  type AcknowledgeEscalationBody,
  type CancelTaskBody,
  type CarePlanErrorBody,
  type CarePlanItem,
  type CarePlanItemBody,
  type CarePlanUpdateBody,
  type ChartedVitals,
  type CompleteTaskBody,
  codedVitals,
  type EarlyWarningPayload,
  type FlowSheet,
  type IntakeOutputBody,
  type IntakeOutputChart,
  type IntakeOutputEntry,
  type IoTotals,
  IPD_EVENTS,
  type News2Parameter,
  type News2Score,
  type NursingNote,
  type NursingNoteBody,
  type NursingNoteQuery,
  type NursingTask,
  type NursingTaskBody,
  type ResolveCarePlanBody,
  type Spo2ScaleBody,
  type Spo2ScaleState,
  type VitalsBody,
  vitalSigns,
} from '@newhms/contracts';
import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { concurrently } from '../../platform/db/concurrently';
import type { Db, DbOrTx, Tx } from '../../platform/db/database';
import { appendEvent } from '../../platform/events/outbox';
import { BadRequest, Conflict, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { decodeCursor, toPage } from '../../platform/http/pagination';
import { getFacility } from '../../platform/organization/organization.service';
import { encounterVitals, recordVitals } from '../encounters';
import { getPatientSummaries } from '../patients';
import type { IpdEnv } from './ipd.env';
import {
  admissions,
  bedOccupancies,
  beds,
  carePlanItems,
  earlyWarningScores,
  intakeOutput,
  nursingNotes,
  nursingTasks,
} from './ipd.tables';
import { computeNews2, type Spo2Scale } from './news2';
import { spo2ScaleDecisions } from './nursing.tables';
import { nursingDayOf, nursingDayWindow, shiftOf } from './nursing-shifts';

type AdmissionRow = typeof admissions.$inferSelect;
type ScoreRow = typeof earlyWarningScores.$inferSelect;
type TaskRow = typeof nursingTasks.$inferSelect;

const iso = (d: Date) => d.toISOString();
const OPEN_ADMISSION = ['admitted', 'discharge-initiated'];

// ------------------------------------------------------------------------------------------------------
// Admissions as the nursing side sees them
// ------------------------------------------------------------------------------------------------------

export function requireFacility(ctx: Ctx): string {
  if (!ctx.facilityId) throw new RuleViolation('FACILITY_REQUIRED', 'Choose a facility first');
  return ctx.facilityId;
}

/** The admission, in the request's facility (another facility's admission is not found). */
export async function loadAdmission(db: DbOrTx, ctx: Ctx, id: string, lock = false): Promise<AdmissionRow> {
  const facilityId = requireFacility(ctx);
  const q = db
    .select()
    .from(admissions)
    .where(and(eq(admissions.id, id), eq(admissions.facilityId, facilityId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFound('The admission', 'IPD_ADMISSION_NOT_FOUND');
  return row;
}

/** A row whose admission is in another facility is not found, like a row that does not exist. */
function childNotFound(what: string, code: string) {
  return (err: unknown): never => {
    if (err instanceof NotFound) throw new NotFound(what, code);
    throw err;
  };
}

/** Charting needs a patient still in the hospital. */
function assertCharting(a: AdmissionRow) {
  if (!OPEN_ADMISSION.includes(a.status)) {
    throw new RuleViolation('IPD_ADMISSION_CLOSED', `The admission is ${a.status}; its chart is closed`);
  }
}

/** Where the patient is now: the open bed occupancy (null once discharged). */
export async function currentPlacement(db: DbOrTx, admissionId: string) {
  const [row] = await db
    .select({ bedId: beds.id, bedCode: beds.code, wardId: bedOccupancies.wardId })
    .from(bedOccupancies)
    .innerJoin(beds, eq(beds.id, bedOccupancies.bedId))
    .where(and(eq(bedOccupancies.admissionId, admissionId), isNull(bedOccupancies.endedAt)))
    .limit(1);
  return row ?? null;
}

async function auditRead(ctx: Ctx, a: AdmissionRow, resourceType: string, detail: Record<string, unknown>) {
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType,
    resourceId: a.id,
    patientId: a.patientId,
    detail,
  });
}

async function facilityTimeZone(db: DbOrTx, facilityId: string): Promise<string> {
  return (await getFacility(db, facilityId)).timeZone;
}

const asDb = (tx: Tx) => tx as unknown as Db;

// ------------------------------------------------------------------------------------------------------
// NEWS2 and escalation
// ------------------------------------------------------------------------------------------------------

type StoredParameters = {
  scores: Record<News2Parameter, number | null>;
  spo2Scale: Spo2Scale;
  redScore: boolean;
  monitoring: string;
  clinicalResponse: string;
  caveat: string | null;
};

export function toScore(r: ScoreRow): News2Score {
  const p = r.parameters as StoredParameters;
  return {
    id: r.id,
    admissionId: r.admissionId,
    patientId: r.patientId,
    observationGroupId: r.observationGroupId,
    effectiveAt: iso(r.effectiveAt),
    score: r.score,
    risk: r.risk as News2Score['risk'],
    parameters: p.scores,
    spo2Scale: p.spo2Scale,
    missing: r.missing as News2Parameter[],
    complete: r.missing.length === 0,
    redScore: p.redScore,
    monitoring: p.monitoring,
    clinicalResponse: p.clinicalResponse,
    caveat: p.caveat,
    escalation: r.escalation as News2Score['escalation'],
    acknowledgedAt: r.acknowledgedAt ? iso(r.acknowledgedAt) : null,
    acknowledgedBy: r.acknowledgedByName,
    responseTaken: r.response,
    recordedBy: r.recordedByName,
    recordedAt: iso(r.recordedAt),
  };
}

export function toTask(r: TaskRow, now: Date): NursingTask {
  return {
    id: r.id,
    admissionId: r.admissionId,
    patientId: r.patientId,
    wardId: r.wardId,
    kind: r.kind,
    description: r.description,
    dueAt: iso(r.dueAt),
    status: r.status as NursingTask['status'],
    overdue: r.status === 'pending' && r.dueAt.getTime() < now.getTime(),
    doneAt: r.doneAt ? iso(r.doneAt) : null,
    doneBy: r.doneByName,
    outcome: r.outcome,
    sourceKey: r.sourceKey,
    recordedBy: r.recordedByName,
    recordedAt: iso(r.recordedAt),
    version: r.version,
  };
}

const RISK_RANK = { low: 0, 'low-medium': 1, medium: 2, high: 3 } as const;
// Local policy for when the escalation task falls due: emergency at once, urgent within 15 minutes, the
// ward-based response to a single red score within the hour (NEWS2 names the response, not the minutes).
const ESCALATION_DUE_MINUTES = { high: 0, medium: 15, 'low-medium': 60 } as const;

async function currentSpo2Scale(db: DbOrTx, admissionId: string) {
  const [row] = await db
    .select()
    .from(spo2ScaleDecisions)
    .where(eq(spo2ScaleDecisions.admissionId, admissionId))
    .orderBy(desc(spo2ScaleDecisions.decidedAt), desc(spo2ScaleDecisions.id))
    .limit(1);
  return row ?? null;
}

function spo2State(admissionId: string, row: typeof spo2ScaleDecisions.$inferSelect | null): Spo2ScaleState {
  return {
    admissionId,
    scale: (row?.scale ?? 1) as 1 | 2,
    reason: row?.reason ?? null,
    decidedBy: row?.decidedByName ?? null,
    decidedAt: row ? iso(row.decidedAt) : null,
  };
}

/** The SpO2 scale NEWS2 uses for this admission (scale 1 until a clinician documents scale 2). */
export async function getSpo2Scale(ctx: Ctx, admissionId: string): Promise<Spo2ScaleState> {
  const a = await loadAdmission(ctx.db, ctx, admissionId);
  const row = await currentSpo2Scale(ctx.db, a.id);
  await auditRead(ctx, a, 'Spo2Scale', {});
  return spo2State(a.id, row);
}

export async function setSpo2Scale(
  ctx: Ctx,
  admissionId: string,
  input: z.output<typeof Spo2ScaleBody>,
): Promise<Spo2ScaleState> {
  return ctx.db.transaction(async (tx) => {
    const a = await loadAdmission(tx, ctx, admissionId, true);
    assertCharting(a);
    const [row] = await tx
      .insert(spo2ScaleDecisions)
      .values({
        admissionId: a.id,
        scale: input.scale,
        reason: input.reason,
        decidedById: actorId(ctx.actor),
        decidedByName: ctx.actor.name,
        decidedAt: ctx.now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Spo2Scale',
      resourceId: a.id,
      patientId: a.patientId,
      detail: { scale: input.scale, reason: input.reason },
    });
    return spo2State(a.id, row!);
  });
}

/**
 * Charts one set of vitals of an in-patient: the observations go into the inpatient encounter, NEWS2 is
 * computed and stored, and at a threshold (medium or high risk, or a 3 in one parameter) the score is
 * 'alerted' with an escalation task. One pending escalation task per admission: later alerting sets join it;
 * `ipd.early-warning.raised` goes out when a new escalation opens or the risk rises above the open one.
 */
export async function chartVitals(
  ctx: Ctx,
  env: IpdEnv,
  admissionId: string,
  input: z.output<typeof VitalsBody>,
): Promise<ChartedVitals> {
  return ctx.db.transaction(async (tx) => {
    // The admission row lock serializes charting of one patient, so two alerting sets make one task.
    const a = await loadAdmission(tx, ctx, admissionId, true);
    assertCharting(a);
    const placement = await currentPlacement(tx, a.id);
    const scaleRow = await currentSpo2Scale(tx, a.id);
    const scale = (scaleRow?.scale ?? 1) as Spo2Scale;
    const observations = await recordVitals(
      { ...ctx, db: asDb(tx) },
      { events: env.events },
      a.encounterId,
      input,
    );
    const groupId = observations[0]?.groupId;
    if (!groupId) throw new Conflict('IPD_VITALS_NOT_RECORDED', 'No observation was recorded');
    const effectiveAt = new Date(observations[0]!.effectiveAt);
    const onOxygen =
      input.supplementalOxygen ?? (input.oxygenFlowRate !== undefined ? input.oxygenFlowRate > 0 : undefined);
    const news2 = computeNews2(
      {
        respiratoryRate: input.respiratoryRate,
        spo2: input.spo2,
        supplementalOxygen: onOxygen,
        systolic: input.systolic,
        heartRate: input.heartRate,
        consciousness: input.consciousness,
        temperature: input.temperature,
      },
      scale,
    );
    const [patient] = await getPatientSummaries(tx, [a.patientId], ctx.now);
    const caveat =
      patient?.birthDate && yearsBetween(patient.birthDate, effectiveAt) < 16
        ? 'NEWS2 is validated for patients aged 16 and over; use a paediatric early warning score.'
        : null;
    const stored: StoredParameters = {
      scores: news2.parameters,
      spo2Scale: scale,
      redScore: news2.redScore,
      monitoring: news2.monitoring,
      clinicalResponse: news2.response,
      caveat,
    };
    const [score] = await tx
      .insert(earlyWarningScores)
      .values({
        admissionId: a.id,
        patientId: a.patientId,
        observationGroupId: groupId,
        score: news2.score,
        risk: news2.risk,
        parameters: stored,
        missing: news2.missing,
        effectiveAt,
        escalation: news2.escalate ? 'alerted' : 'none',
        recordedById: actorId(ctx.actor),
        recordedByName: ctx.actor.name,
        recordedAt: ctx.now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'RiskAssessment',
      resourceId: score!.id,
      patientId: a.patientId,
      detail: { news2: news2.score, risk: news2.risk, missing: news2.missing, spo2Scale: scale },
    });

    let task: TaskRow | null = null;
    let alertRaised = false;
    if (news2.escalate && news2.risk !== 'low') {
      if (!placement)
        throw new RuleViolation('IPD_NOT_IN_BED', 'The patient has no bed; the escalation has no ward');
      const [open] = await tx
        .select()
        .from(nursingTasks)
        .where(
          and(
            eq(nursingTasks.admissionId, a.id),
            eq(nursingTasks.kind, 'escalation'),
            eq(nursingTasks.status, 'pending'),
          ),
        )
        .orderBy(asc(nursingTasks.dueAt))
        .limit(1);
      const dueAt = new Date(ctx.now.getTime() + ESCALATION_DUE_MINUTES[news2.risk] * 60_000);
      const description = `NEWS2 ${news2.score} (${news2.risk} risk${news2.complete ? '' : ', incomplete set'}): ${news2.response}`;
      if (!open) {
        [task] = (await tx
          .insert(nursingTasks)
          .values({
            admissionId: a.id,
            patientId: a.patientId,
            wardId: placement.wardId,
            kind: 'escalation',
            description,
            dueAt,
            sourceKey: `news2:${score!.id}`,
            recordedById: actorId(ctx.actor),
            recordedByName: ctx.actor.name,
            recordedAt: ctx.now,
          })
          .onConflictDoNothing({ target: nursingTasks.sourceKey })
          .returning()) as [TaskRow];
        alertRaised = true;
      } else {
        const [worst] = await tx
          .select({ risk: earlyWarningScores.risk })
          .from(earlyWarningScores)
          .where(
            and(
              eq(earlyWarningScores.admissionId, a.id),
              eq(earlyWarningScores.escalation, 'alerted'),
              sql`${earlyWarningScores.id} <> ${score!.id}`,
            ),
          )
          .orderBy(
            desc(
              sql`case ${earlyWarningScores.risk} when 'high' then 3 when 'medium' then 2 when 'low-medium' then 1 else 0 end`,
            ),
          )
          .limit(1);
        const before = worst ? RISK_RANK[worst.risk as keyof typeof RISK_RANK] : -1;
        if (RISK_RANK[news2.risk] > before) {
          alertRaised = true;
          [task] = (await tx
            .update(nursingTasks)
            .set({
              description,
              dueAt: dueAt < open.dueAt ? dueAt : open.dueAt,
              version: open.version + 1,
            })
            .where(eq(nursingTasks.id, open.id))
            .returning()) as [TaskRow];
        } else {
          task = open;
        }
      }
      if (alertRaised) {
        await appendEvent(tx, env.events, {
          type: IPD_EVENTS.earlyWarning,
          facilityId: a.facilityId,
          aggregateId: a.id,
          actorId: actorId(ctx.actor),
          payload: {
            admissionId: a.id,
            patientId: a.patientId,
            wardId: placement.wardId,
            bedCode: placement.bedCode,
            score: news2.score,
            risk: news2.risk,
            scoreId: score!.id,
          } satisfies EarlyWarningPayload,
        });
      }
    }
    return {
      observations,
      news2: toScore(score!),
      escalationTask: task ? toTask(task, ctx.now) : null,
      alertRaised,
    };
  });
}

function yearsBetween(birthDate: string, at: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const months = (at.getUTCFullYear() - y) * 12 + (at.getUTCMonth() + 1 - m) - (at.getUTCDate() < d ? 1 : 0);
  return Math.floor(months / 12);
}

/** NEWS2 scores of an admission, newest first (at most 200); `open` for the alerted ones only. */
export async function listEarlyWarnings(ctx: Ctx, admissionId: string, open: boolean): Promise<News2Score[]> {
  const a = await loadAdmission(ctx.db, ctx, admissionId);
  const rows = await ctx.db
    .select()
    .from(earlyWarningScores)
    .where(
      and(
        eq(earlyWarningScores.admissionId, a.id),
        open ? eq(earlyWarningScores.escalation, 'alerted') : undefined,
      ),
    )
    .orderBy(desc(earlyWarningScores.effectiveAt), desc(earlyWarningScores.id))
    .limit(200);
  await auditRead(ctx, a, 'RiskAssessment', { purpose: 'early warnings', open, results: rows.length });
  return rows.map(toScore);
}

/**
 * A doctor or nurse responds to an alert: this score and every earlier alerted score of the admission are
 * acknowledged with the response taken; the escalation task is done once no alert is left open.
 */
export async function acknowledgeEscalation(
  ctx: Ctx,
  scoreId: string,
  input: z.output<typeof AcknowledgeEscalationBody>,
): Promise<News2Score> {
  return ctx.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ admissionId: earlyWarningScores.admissionId })
      .from(earlyWarningScores)
      .where(eq(earlyWarningScores.id, scoreId));
    if (!found) throw new NotFound('The early warning score', 'IPD_NEWS2_NOT_FOUND');
    const a = await loadAdmission(tx, ctx, found.admissionId, true).catch(
      childNotFound('The early warning score', 'IPD_NEWS2_NOT_FOUND'),
    );
    const [score] = await tx.select().from(earlyWarningScores).where(eq(earlyWarningScores.id, scoreId));
    if (score!.escalation !== 'alerted') {
      throw new Conflict(
        'IPD_ESCALATION_NOT_OPEN',
        score!.escalation === 'acknowledged'
          ? `Already acknowledged by ${score!.acknowledgedByName}`
          : 'This score raised no escalation',
      );
    }
    const acknowledged = await tx
      .update(earlyWarningScores)
      .set({
        escalation: 'acknowledged',
        acknowledgedAt: ctx.now,
        acknowledgedById: actorId(ctx.actor),
        acknowledgedByName: ctx.actor.name,
        response: input.response,
      })
      .where(
        and(
          eq(earlyWarningScores.admissionId, a.id),
          eq(earlyWarningScores.escalation, 'alerted'),
          lte(earlyWarningScores.effectiveAt, score!.effectiveAt),
        ),
      )
      .returning({ id: earlyWarningScores.id });
    const [stillOpen] = await tx
      .select({ id: earlyWarningScores.id })
      .from(earlyWarningScores)
      .where(and(eq(earlyWarningScores.admissionId, a.id), eq(earlyWarningScores.escalation, 'alerted')))
      .limit(1);
    if (!stillOpen) {
      await tx
        .update(nursingTasks)
        .set({
          status: 'done',
          doneAt: ctx.now,
          doneById: actorId(ctx.actor),
          doneByName: ctx.actor.name,
          outcome: input.response,
          version: sql`${nursingTasks.version} + 1`,
        })
        .where(
          and(
            eq(nursingTasks.admissionId, a.id),
            eq(nursingTasks.kind, 'escalation'),
            eq(nursingTasks.status, 'pending'),
          ),
        );
    }
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'RiskAssessment',
      resourceId: scoreId,
      patientId: a.patientId,
      detail: { escalation: 'acknowledged', scores: acknowledged.map((r) => r.id), response: input.response },
    });
    const [row] = await tx.select().from(earlyWarningScores).where(eq(earlyWarningScores.id, scoreId));
    return toScore(row!);
  });
}

// ------------------------------------------------------------------------------------------------------
// Flow sheet
// ------------------------------------------------------------------------------------------------------

const FLOW_COLUMNS: { key: string; label: string; loinc: string; unit: string | null }[] = [
  { key: 'respiratoryRate', label: 'Resp. rate', loinc: vitalSigns.respiratoryRate.loinc, unit: '/min' },
  { key: 'spo2', label: 'SpO2', loinc: vitalSigns.spo2.loinc, unit: '%' },
  {
    key: 'supplementalOxygen',
    label: 'Air / O2',
    loinc: codedVitals.supplementalOxygen.loinc,
    unit: codedVitals.supplementalOxygen.unit,
  },
  { key: 'systolic', label: 'Systolic BP', loinc: vitalSigns.systolic.loinc, unit: 'mm[Hg]' },
  { key: 'diastolic', label: 'Diastolic BP', loinc: vitalSigns.diastolic.loinc, unit: 'mm[Hg]' },
  { key: 'heartRate', label: 'Pulse', loinc: vitalSigns.heartRate.loinc, unit: '/min' },
  { key: 'consciousness', label: 'ACVPU', loinc: codedVitals.consciousness.loinc, unit: null },
  { key: 'temperature', label: 'Temperature', loinc: vitalSigns.temperature.loinc, unit: 'Cel' },
  { key: 'weight', label: 'Weight', loinc: vitalSigns.weight.loinc, unit: 'kg' },
];
const MAX_FLOW_RANGE_MS = 31 * 86_400_000;

/** The vitals of an admission as a table of time x parameter with NEWS2 per row, and trend series. */
export async function flowSheet(
  ctx: Ctx,
  admissionId: string,
  query: { from?: string | undefined; to?: string | undefined },
): Promise<FlowSheet> {
  const a = await loadAdmission(ctx.db, ctx, admissionId);
  const to = query.to ? new Date(query.to) : ctx.now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 72 * 3600_000);
  if (from.getTime() > to.getTime()) {
    throw new BadRequest('INVALID_RANGE', 'from must be before to', [
      { path: 'querystring.from', message: 'after to' },
    ]);
  }
  if (to.getTime() - from.getTime() > MAX_FLOW_RANGE_MS) {
    throw new BadRequest('RANGE_TOO_LONG', 'A flow sheet covers at most 31 days', [
      { path: 'querystring.from', message: 'more than 31 days before to' },
    ]);
  }
  const [obs, scores] = await concurrently(ctx.db, [
    () => encounterVitals(ctx.db, a.encounterId, { from, to }),
    () =>
      ctx.db
        .select()
        .from(earlyWarningScores)
        .where(
          and(
            eq(earlyWarningScores.admissionId, a.id),
            gte(earlyWarningScores.effectiveAt, from),
            lte(earlyWarningScores.effectiveAt, to),
          ),
        )
        .orderBy(asc(earlyWarningScores.effectiveAt)),
  ]);
  const byLoinc = new Map(FLOW_COLUMNS.map((c) => [c.loinc, c.key]));
  const scoreByGroup = new Map(scores.map((s) => [s.observationGroupId, s]));
  const rows = new Map<string, FlowSheet['rows'][number]>();
  const trend: FlowSheet['trend'] = Object.fromEntries([
    ...FLOW_COLUMNS.map((c) => [c.key, []]),
    ['news2', []],
  ]);
  for (const o of obs) {
    if (o.status === 'entered-in-error' || !o.groupId) continue;
    const key = byLoinc.get(o.code);
    if (!key) continue;
    let row = rows.get(o.groupId);
    if (!row) {
      const s = scoreByGroup.get(o.groupId);
      row = {
        groupId: o.groupId,
        effectiveAt: o.effectiveAt,
        recordedBy: o.recordedBy,
        values: {},
        news2: s
          ? {
              id: s.id,
              score: s.score,
              risk: s.risk as News2Score['risk'],
              complete: s.missing.length === 0,
              escalation: s.escalation as News2Score['escalation'],
            }
          : null,
      };
      rows.set(o.groupId, row);
    }
    row.values[key] = { value: o.value, text: o.valueText, unit: o.unit, interpretation: o.interpretation };
    if (o.value !== null && key !== 'supplementalOxygen')
      trend[key]!.push({ at: o.effectiveAt, value: o.value });
  }
  for (const s of scores) trend.news2!.push({ at: iso(s.effectiveAt), value: s.score });
  await auditRead(ctx, a, 'Observation', {
    purpose: 'flow sheet',
    from: iso(from),
    to: iso(to),
    sets: rows.size,
  });
  return {
    admissionId: a.id,
    from: iso(from),
    to: iso(to),
    columns: FLOW_COLUMNS,
    rows: [...rows.values()].sort((x, y) => x.effectiveAt.localeCompare(y.effectiveAt)),
    trend,
  };
}

// ------------------------------------------------------------------------------------------------------
// Intake and output
// ------------------------------------------------------------------------------------------------------

function toIo(r: typeof intakeOutput.$inferSelect, timeZone: string): IntakeOutputEntry {
  return {
    id: r.id,
    admissionId: r.admissionId,
    patientId: r.patientId,
    direction: r.direction as IntakeOutputEntry['direction'],
    route: r.route,
    volumeMl: r.volumeMl,
    note: r.note,
    effectiveAt: iso(r.effectiveAt),
    shift: shiftOf(r.effectiveAt, timeZone),
    status: r.status as IntakeOutputEntry['status'],
    errorReason: r.errorReason,
    recordedBy: r.recordedByName,
    recordedAt: iso(r.recordedAt),
  };
}

function assertNotFuture(ctx: Ctx, at: Date, path: string) {
  if (at.getTime() > ctx.now.getTime() + 5 * 60_000) {
    throw new RuleViolation('IPD_CHART_IN_FUTURE', 'Charting is for what has happened, not the future', [
      { path, message: 'in the future' },
    ]);
  }
}

function assertDuringStay(a: AdmissionRow, at: Date, path: string) {
  if (at.getTime() < a.admittedAt.getTime()) {
    throw new RuleViolation('IPD_CHART_BEFORE_ADMISSION', 'The time is before the admission', [
      { path, message: 'before the admission' },
    ]);
  }
}

export async function recordIntakeOutput(
  ctx: Ctx,
  admissionId: string,
  input: z.output<typeof IntakeOutputBody>,
): Promise<IntakeOutputEntry> {
  return ctx.db.transaction(async (tx) => {
    const a = await loadAdmission(tx, ctx, admissionId);
    assertCharting(a);
    const effectiveAt = input.effectiveAt ? new Date(input.effectiveAt) : ctx.now;
    assertNotFuture(ctx, effectiveAt, 'body.effectiveAt');
    assertDuringStay(a, effectiveAt, 'body.effectiveAt');
    const [row] = await tx
      .insert(intakeOutput)
      .values({
        admissionId: a.id,
        patientId: a.patientId,
        direction: input.direction,
        route: input.route,
        volumeMl: input.volumeMl,
        note: input.note ?? null,
        effectiveAt,
        recordedById: actorId(ctx.actor),
        recordedByName: ctx.actor.name,
        recordedAt: ctx.now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'IntakeOutput',
      resourceId: row!.id,
      patientId: a.patientId,
      detail: { direction: input.direction, route: input.route, volumeMl: input.volumeMl },
    });
    return toIo(row!, await facilityTimeZone(tx, a.facilityId));
  });
}

/** A wrong entry is marked entered-in-error with the reason, never deleted, and no longer counted. */
export async function markIntakeOutputInError(
  ctx: Ctx,
  entryId: string,
  reason: string,
): Promise<IntakeOutputEntry> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(intakeOutput).where(eq(intakeOutput.id, entryId)).for('update');
    if (!row) throw new NotFound('The intake/output entry', 'IPD_IO_NOT_FOUND');
    const a = await loadAdmission(tx, ctx, row.admissionId).catch(
      childNotFound('The intake/output entry', 'IPD_IO_NOT_FOUND'),
    );
    if (row.status === 'entered-in-error') {
      throw new Conflict('IPD_ALREADY_IN_ERROR', 'The entry is already marked entered-in-error');
    }
    const [updated] = await tx
      .update(intakeOutput)
      .set({ status: 'entered-in-error', errorReason: reason })
      .where(eq(intakeOutput.id, entryId))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'IntakeOutput',
      resourceId: entryId,
      patientId: a.patientId,
      detail: { status: 'entered-in-error', reason },
    });
    return toIo(updated!, await facilityTimeZone(tx, a.facilityId));
  });
}

function totalsOf(entries: readonly IntakeOutputEntry[]): IoTotals {
  const byRoute: Record<string, number> = {};
  let intakeMl = 0;
  let outputMl = 0;
  for (const e of entries) {
    if (e.status !== 'final') continue;
    byRoute[e.route] = (byRoute[e.route] ?? 0) + e.volumeMl;
    if (e.direction === 'intake') intakeMl += e.volumeMl;
    else outputMl += e.volumeMl;
  }
  return { intakeMl, outputMl, balanceMl: intakeMl - outputMl, byRoute };
}

/** The I/O chart of one nursing day (08:00-08:00, facility time): totals per shift and for the day. */
export async function intakeOutputChart(
  ctx: Ctx,
  admissionId: string,
  query: { date?: string | undefined },
): Promise<IntakeOutputChart> {
  const a = await loadAdmission(ctx.db, ctx, admissionId);
  const timeZone = await facilityTimeZone(ctx.db, a.facilityId);
  const date = query.date ?? nursingDayOf(ctx.now, timeZone);
  if (Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new BadRequest('INVALID_DATE', 'Not a calendar date', [
      { path: 'querystring.date', message: 'invalid' },
    ]);
  }
  const day = nursingDayWindow(date, timeZone);
  const rows = await ctx.db
    .select()
    .from(intakeOutput)
    .where(
      and(
        eq(intakeOutput.admissionId, a.id),
        gte(intakeOutput.effectiveAt, day.from),
        lt(intakeOutput.effectiveAt, day.to),
      ),
    )
    .orderBy(asc(intakeOutput.effectiveAt), asc(intakeOutput.id));
  const entries = rows.map((r) => toIo(r, timeZone));
  await auditRead(ctx, a, 'IntakeOutput', { purpose: 'I/O chart', date });
  return {
    admissionId: a.id,
    date,
    timeZone,
    from: iso(day.from),
    to: iso(day.to),
    shifts: day.shifts.map((s) => ({
      shift: s.shift,
      from: iso(s.from),
      to: iso(s.to),
      totals: totalsOf(
        entries.filter((e) => {
          const t = Date.parse(e.effectiveAt);
          return t >= s.from.getTime() && t < s.to.getTime();
        }),
      ),
    })),
    day: totalsOf(entries),
    entries,
  };
}

// ------------------------------------------------------------------------------------------------------
// Nursing notes and handovers
// ------------------------------------------------------------------------------------------------------

type NoteBody = { text?: string; sbar?: NonNullable<NursingNote['sbar']> };

function toNursingNote(r: typeof nursingNotes.$inferSelect): NursingNote {
  const body = r.body as NoteBody;
  return {
    id: r.id,
    admissionId: r.admissionId,
    patientId: r.patientId,
    kind: r.kind as NursingNote['kind'],
    shift: r.shift as NursingNote['shift'],
    text: body.text ?? null,
    sbar: body.sbar ?? null,
    effectiveAt: iso(r.effectiveAt),
    status: r.status as NursingNote['status'],
    errorReason: r.errorReason,
    recordedBy: r.recordedByName,
    recordedAt: iso(r.recordedAt),
  };
}

export async function addNursingNote(
  ctx: Ctx,
  admissionId: string,
  input: z.output<typeof NursingNoteBody>,
): Promise<NursingNote> {
  return ctx.db.transaction(async (tx) => {
    const a = await loadAdmission(tx, ctx, admissionId);
    assertCharting(a);
    const effectiveAt = input.effectiveAt ? new Date(input.effectiveAt) : ctx.now;
    assertNotFuture(ctx, effectiveAt, 'body.effectiveAt');
    assertDuringStay(a, effectiveAt, 'body.effectiveAt');
    const shift = input.shift ?? shiftOf(effectiveAt, await facilityTimeZone(tx, a.facilityId));
    const body: NoteBody = input.kind === 'note' ? { text: input.text } : { sbar: input.sbar };
    const [row] = await tx
      .insert(nursingNotes)
      .values({
        admissionId: a.id,
        patientId: a.patientId,
        kind: input.kind,
        shift,
        body,
        effectiveAt,
        recordedById: actorId(ctx.actor),
        recordedByName: ctx.actor.name,
        recordedAt: ctx.now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'NursingNote',
      resourceId: row!.id,
      patientId: a.patientId,
      detail: { kind: input.kind, shift },
    });
    return toNursingNote(row!);
  });
}

/** Notes and handovers of an admission, newest first (keyset pages). */
export async function listNursingNotes(
  ctx: Ctx,
  admissionId: string,
  query: z.output<typeof NursingNoteQuery>,
): Promise<{ items: NursingNote[]; nextCursor: string | null }> {
  const a = await loadAdmission(ctx.db, ctx, admissionId);
  const after = decodeCursor(query.cursor, 2);
  const afterAt = after ? new Date(String(after[0])) : null;
  if (afterAt && Number.isNaN(afterAt.getTime())) {
    throw new BadRequest('INVALID_CURSOR', 'The cursor is not valid for this list');
  }
  const rows = await ctx.db
    .select()
    .from(nursingNotes)
    .where(
      and(
        eq(nursingNotes.admissionId, a.id),
        query.kind ? eq(nursingNotes.kind, query.kind) : undefined,
        afterAt
          ? or(
              lt(nursingNotes.effectiveAt, afterAt),
              and(eq(nursingNotes.effectiveAt, afterAt), lt(nursingNotes.id, String(after![1]))),
            )
          : undefined,
      ),
    )
    .orderBy(desc(nursingNotes.effectiveAt), desc(nursingNotes.id))
    .limit(query.limit + 1);
  await auditRead(ctx, a, 'NursingNote', {
    purpose: 'list',
    kind: query.kind,
    results: Math.min(rows.length, query.limit),
  });
  return toPage(rows.map(toNursingNote), query.limit, (n) => [n.effectiveAt, n.id]);
}

export async function markNursingNoteInError(ctx: Ctx, noteId: string, reason: string): Promise<NursingNote> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(nursingNotes).where(eq(nursingNotes.id, noteId)).for('update');
    if (!row) throw new NotFound('The nursing note', 'IPD_NURSING_NOTE_NOT_FOUND');
    const a = await loadAdmission(tx, ctx, row.admissionId).catch(
      childNotFound('The nursing note', 'IPD_NURSING_NOTE_NOT_FOUND'),
    );
    if (row.status === 'entered-in-error') {
      throw new Conflict('IPD_ALREADY_IN_ERROR', 'The note is already marked entered-in-error');
    }
    if (row.recordedById && ctx.actor.type === 'user' && row.recordedById !== ctx.actor.userId) {
      throw new RuleViolation(
        'IPD_NOT_AUTHOR',
        'Only the nurse who wrote the note marks it entered-in-error',
      );
    }
    const [updated] = await tx
      .update(nursingNotes)
      .set({ status: 'entered-in-error', errorReason: reason })
      .where(eq(nursingNotes.id, noteId))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'NursingNote',
      resourceId: noteId,
      patientId: a.patientId,
      detail: { status: 'entered-in-error', reason },
    });
    return toNursingNote(updated!);
  });
}

// ------------------------------------------------------------------------------------------------------
// Care plan
// ------------------------------------------------------------------------------------------------------

function toCarePlanItem(r: typeof carePlanItems.$inferSelect): CarePlanItem {
  return {
    id: r.id,
    admissionId: r.admissionId,
    patientId: r.patientId,
    problem: r.problem,
    goal: r.goal,
    interventions: r.interventions,
    evaluation: r.evaluation,
    status: r.status as CarePlanItem['status'],
    recordedBy: r.recordedByName,
    recordedAt: iso(r.recordedAt),
    updatedAt: iso(r.updatedAt),
    version: r.version,
  };
}

export async function addCarePlanItem(
  ctx: Ctx,
  admissionId: string,
  input: z.output<typeof CarePlanItemBody>,
): Promise<CarePlanItem> {
  return ctx.db.transaction(async (tx) => {
    const a = await loadAdmission(tx, ctx, admissionId);
    assertCharting(a);
    const [row] = await tx
      .insert(carePlanItems)
      .values({
        admissionId: a.id,
        patientId: a.patientId,
        problem: input.problem,
        goal: input.goal,
        interventions: input.interventions,
        recordedById: actorId(ctx.actor),
        recordedByName: ctx.actor.name,
        recordedAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'CarePlan',
      resourceId: row!.id,
      patientId: a.patientId,
      detail: { problem: input.problem },
    });
    return toCarePlanItem(row!);
  });
}

export async function listCarePlan(ctx: Ctx, admissionId: string): Promise<CarePlanItem[]> {
  const a = await loadAdmission(ctx.db, ctx, admissionId);
  const rows = await ctx.db
    .select()
    .from(carePlanItems)
    .where(eq(carePlanItems.admissionId, a.id))
    .orderBy(asc(carePlanItems.recordedAt), asc(carePlanItems.id))
    .limit(500);
  await auditRead(ctx, a, 'CarePlan', { results: rows.length });
  return rows.map(toCarePlanItem);
}

type CarePlanChange =
  | { kind: 'update'; input: z.output<typeof CarePlanUpdateBody> }
  | { kind: 'resolve'; input: z.output<typeof ResolveCarePlanBody> }
  | { kind: 'error'; input: z.output<typeof CarePlanErrorBody> };

/** Revises an active item (goal, interventions, evaluation), resolves it, or marks it entered-in-error. */
export async function changeCarePlanItem(
  ctx: Ctx,
  itemId: string,
  change: CarePlanChange,
): Promise<CarePlanItem> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(carePlanItems).where(eq(carePlanItems.id, itemId)).for('update');
    if (!row) throw new NotFound('The care plan item', 'IPD_CARE_PLAN_NOT_FOUND');
    const a = await loadAdmission(tx, ctx, row.admissionId).catch(
      childNotFound('The care plan item', 'IPD_CARE_PLAN_NOT_FOUND'),
    );
    if (row.version !== change.input.version) throw new StaleVersion('The care plan item');
    if (row.status !== 'active') {
      throw new RuleViolation('IPD_CARE_PLAN_CLOSED', `The care plan item is ${row.status}`);
    }
    if (change.kind !== 'error') assertCharting(a);
    const set =
      change.kind === 'update'
        ? {
            ...(change.input.goal !== undefined ? { goal: change.input.goal } : {}),
            ...(change.input.interventions !== undefined
              ? { interventions: change.input.interventions }
              : {}),
            ...(change.input.evaluation !== undefined ? { evaluation: change.input.evaluation } : {}),
          }
        : change.kind === 'resolve'
          ? { status: 'resolved', evaluation: change.input.evaluation }
          : { status: 'entered-in-error', evaluation: `Entered in error: ${change.input.reason}` };
    const [updated] = await tx
      .update(carePlanItems)
      .set({ ...set, version: row.version + 1, updatedAt: ctx.now })
      .where(eq(carePlanItems.id, itemId))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'CarePlan',
      resourceId: itemId,
      patientId: a.patientId,
      detail: { change: change.kind, ...(change.kind === 'error' ? { reason: change.input.reason } : {}) },
    });
    return toCarePlanItem(updated!);
  });
}

// ------------------------------------------------------------------------------------------------------
// Tasks
// ------------------------------------------------------------------------------------------------------

export async function createTask(
  ctx: Ctx,
  admissionId: string,
  input: z.output<typeof NursingTaskBody>,
): Promise<NursingTask> {
  return ctx.db.transaction(async (tx) => {
    const a = await loadAdmission(tx, ctx, admissionId);
    assertCharting(a);
    const placement = await currentPlacement(tx, a.id);
    if (!placement)
      throw new RuleViolation('IPD_NOT_IN_BED', 'The patient has no bed; a ward task needs a ward');
    const [row] = await tx
      .insert(nursingTasks)
      .values({
        admissionId: a.id,
        patientId: a.patientId,
        wardId: placement.wardId,
        kind: input.kind,
        description: input.description,
        dueAt: new Date(input.dueAt),
        recordedById: actorId(ctx.actor),
        recordedByName: ctx.actor.name,
        recordedAt: ctx.now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'Task',
      resourceId: row!.id,
      patientId: a.patientId,
      detail: { kind: input.kind, dueAt: input.dueAt },
    });
    return toTask(row!, ctx.now);
  });
}

export async function listTasks(
  ctx: Ctx,
  admissionId: string,
  query: { status?: NursingTask['status'] | undefined },
): Promise<NursingTask[]> {
  const a = await loadAdmission(ctx.db, ctx, admissionId);
  const rows = await ctx.db
    .select()
    .from(nursingTasks)
    .where(
      and(
        eq(nursingTasks.admissionId, a.id),
        query.status ? eq(nursingTasks.status, query.status) : undefined,
      ),
    )
    .orderBy(asc(nursingTasks.dueAt), asc(nursingTasks.id))
    .limit(500);
  await auditRead(ctx, a, 'Task', { status: query.status, results: rows.length });
  return rows.map((r) => toTask(r, ctx.now));
}

/** Completes (with the outcome) or cancels (with the reason) a pending task. */
export async function closeTask(
  ctx: Ctx,
  taskId: string,
  close:
    | { kind: 'complete'; input: z.output<typeof CompleteTaskBody> }
    | { kind: 'cancel'; input: z.output<typeof CancelTaskBody> },
): Promise<NursingTask> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(nursingTasks).where(eq(nursingTasks.id, taskId)).for('update');
    if (!row) throw new NotFound('The task', 'IPD_TASK_NOT_FOUND');
    const a = await loadAdmission(tx, ctx, row.admissionId).catch(
      childNotFound('The task', 'IPD_TASK_NOT_FOUND'),
    );
    if (row.version !== close.input.version) throw new StaleVersion('The task');
    if (row.status !== 'pending') throw new Conflict('IPD_TASK_CLOSED', `The task is already ${row.status}`);
    if (row.kind === 'escalation' && close.kind === 'cancel') {
      throw new RuleViolation(
        'IPD_ESCALATION_TASK',
        'An escalation is closed by acknowledging the NEWS2 alert with the response taken',
      );
    }
    const [updated] = await tx
      .update(nursingTasks)
      .set({
        status: close.kind === 'complete' ? 'done' : 'cancelled',
        doneAt: ctx.now,
        doneById: actorId(ctx.actor),
        doneByName: ctx.actor.name,
        outcome: close.kind === 'complete' ? close.input.outcome : `Cancelled: ${close.input.reason}`,
        version: row.version + 1,
      })
      .where(eq(nursingTasks.id, taskId))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Task',
      resourceId: taskId,
      patientId: a.patientId,
      detail: { status: updated!.status },
    });
    return toTask(updated!, ctx.now);
  });
}

/** Pending tasks of many admissions, for the station (one query). */
export async function pendingTasksOf(db: DbOrTx, admissionIds: readonly string[]) {
  if (admissionIds.length === 0) return [];
  return db
    .select()
    .from(nursingTasks)
    .where(and(inArray(nursingTasks.admissionId, [...admissionIds]), eq(nursingTasks.status, 'pending')));
}
