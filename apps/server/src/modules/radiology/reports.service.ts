import {
  RADIOLOGY_EVENTS,
  type RadAddendumBody,
  type RadChecklist,
  type RadPatientStudiesQuery,
  type RadPatientStudy,
  type RadReport,
  type RadReportAmendedPayload,
  type RadReportFinalizedPayload,
  type RadSaveReportBody,
  type RadSignReportBody,
} from '@newhms/contracts';
import { and, asc, desc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { withConstraintErrors } from '../../platform/db/constraint-errors';
import type { DbOrTx } from '../../platform/db/database';
import { newId } from '../../platform/db/ids';
import { appendEvent } from '../../platform/events/outbox';
import { Conflict, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { requireFacility } from '../../platform/organization/facility-context';
import { getPatientSummaries } from '../patients';
import { procedureOf, templateOf } from './catalog.service';
import { raiseCriticalAlert } from './critical-alerts.service';
import { orderRowOf } from './orders.service';
import {
  activeBookingsOf,
  type OrderRow,
  type RadiologyEnv,
  type ReportRow,
  viewerUrlOfOrder,
} from './rad-records';
import { criticalAlerts, orders, reportAddenda, reports } from './radiology.tables';
import { contrastGiven } from './safety-checklist';

// The radiologist's report: a draft opened from the procedure's template (technique, findings, impression),
// saved as often as needed (each save checks the version), signed off (final: who and when; a critical finding
// may be flagged, which calls it through to the ordering doctor in the same transaction), then frozen by a
// database trigger; an addendum (append-only, with a reason) makes it amended.

const BLANK = '___';

type AddendumRow = typeof reportAddenda.$inferSelect;

function toReport(r: ReportRow, order: OrderRow, addenda: AddendumRow[], alertId: string | null): RadReport {
  return {
    id: r.id,
    orderId: r.radiologyOrderId,
    patientId: r.patientId,
    accession: order.accession,
    procedureCode: order.procedureCode,
    procedureName: order.procedureName,
    status: r.status as RadReport['status'],
    technique: r.technique,
    comparison: r.comparison,
    findings: r.findings,
    impression: r.impression,
    createdByName: r.createdByName,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    signedByName: r.signedByName,
    signedAt: r.signedAt?.toISOString() ?? null,
    criticalFinding:
      r.criticalFinding && r.criticalCategory
        ? {
            text: r.criticalFinding,
            category: r.criticalCategory as NonNullable<RadReport['criticalFinding']>['category'],
            alertId,
          }
        : null,
    addenda: addenda.map((a) => ({
      id: a.id,
      text: a.text,
      reason: a.reason,
      addedByName: a.addedByName,
      addedAt: a.addedAt.toISOString(),
    })),
    version: r.version,
  };
}

/** The report with its order, addenda and alert, as the API shows it (not audited here). */
export async function readReport(
  db: DbOrTx,
  id: string,
): Promise<{ report: RadReport; row: ReportRow } | null> {
  const [found] = await db
    .select({ report: reports, order: orders })
    .from(reports)
    .innerJoin(orders, eq(orders.id, reports.radiologyOrderId))
    .where(eq(reports.id, id));
  if (!found) return null;
  const addenda = await db
    .select()
    .from(reportAddenda)
    .where(eq(reportAddenda.reportId, id))
    .orderBy(asc(reportAddenda.addedAt), asc(reportAddenda.id));
  const [alert] = await db
    .select({ id: criticalAlerts.id })
    .from(criticalAlerts)
    .where(eq(criticalAlerts.reportId, id));
  return { report: toReport(found.report, found.order, addenda, alert?.id ?? null), row: found.report };
}

async function reportOfFacility(
  db: DbOrTx,
  facilityId: string,
  id: string,
  lock = false,
): Promise<ReportRow> {
  const q = db.select().from(reports).where(eq(reports.id, id));
  const [row] = lock ? await q.for('update') : await q;
  if (!row || row.facilityId !== facilityId)
    throw new NotFound('The radiology report', 'RAD_REPORT_NOT_FOUND');
  return row;
}

async function audited(ctx: Ctx, id: string, action: 'read', detail?: Record<string, unknown>) {
  const read = await readReport(ctx.db, id);
  await recordAudit(ctx.db, ctx, {
    action,
    resourceType: 'RadiologyReport',
    resourceId: id,
    patientId: read!.row.patientId,
    ...(detail ? { detail } : {}),
  });
  return read!.report;
}

/** The technique line of a new draft: the template's, with the side and the contrast given. */
function techniqueOf(
  template: string,
  order: OrderRow,
  contrast: boolean | null,
  route: string | null,
): string {
  const side = order.laterality ? ` Side: ${order.laterality}.` : '';
  const agent =
    contrast === true
      ? ` ${route === 'iv' ? 'Intravenous' : route === 'oral' ? 'Oral' : 'Intracavitary'} contrast given.`
      : contrast === false && order.contrast !== 'none'
        ? ' No contrast given.'
        : '';
  return `${template}${side}${agent}`.trim();
}

/** Opens the report of a completed study as a draft from its template (201); 409 when it has one. */
export async function openReport(ctx: Ctx, orderId: string): Promise<RadReport> {
  const facilityId = requireFacility(ctx);
  const id = await withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const order = await orderRowOf(tx, facilityId, orderId, true);
        if (order.status !== 'completed') {
          throw new RuleViolation(
            'RAD_STUDY_NOT_COMPLETED',
            `A study that is ${order.status} cannot be reported yet: it is reported once completed`,
          );
        }
        const [existing] = await tx
          .select({ id: reports.id })
          .from(reports)
          .where(eq(reports.radiologyOrderId, orderId));
        if (existing) throw reportExists(existing.id);
        const procedure = await procedureOf(tx, order.procedureCode);
        const template = await templateOf(tx, procedure?.templateCode ?? 'GENERIC');
        const given = contrastGiven(
          { contrast: order.contrast as 'none' | 'optional' | 'required' },
          order.checklist as RadChecklist | null,
        );
        const [row] = await tx
          .insert(reports)
          .values({
            id: newId(),
            facilityId,
            radiologyOrderId: orderId,
            patientId: order.patientId,
            templateCode: template?.code ?? 'GENERIC',
            technique: techniqueOf(
              template?.technique ?? `${order.procedureName}.`,
              order,
              given,
              procedure?.contrastRoute ?? null,
            ),
            comparison: 'None available.',
            findings: template?.findings ?? '',
            impression: template?.impression ?? '',
            createdById: actorId(ctx.actor),
            createdByName: ctx.actor.name,
            updatedById: actorId(ctx.actor),
            updatedByName: ctx.actor.name,
            createdAt: ctx.now,
            updatedAt: ctx.now,
          })
          .returning({ id: reports.id });
        await recordAudit(tx, ctx, {
          action: 'create',
          resourceType: 'RadiologyReport',
          resourceId: row!.id,
          patientId: order.patientId,
          detail: { orderId, template: template?.code ?? null },
        });
        return row!.id;
      }),
    { reports_order_uq: () => reportExists(null) },
  );
  return (await readReport(ctx.db, id))!.report;
}

function reportExists(reportId: string | null) {
  return new Conflict(
    'RAD_REPORT_EXISTS',
    'This study has a report already: open it',
    reportId ? { reportId } : {},
  );
}

/** A report by id (audited read). */
export async function getReport(ctx: Ctx, id: string): Promise<RadReport> {
  const facilityId = requireFacility(ctx);
  await reportOfFacility(ctx.db, facilityId, id);
  return audited(ctx, id, 'read');
}

/** The report of an order (audited read); 404 while it has none. */
export async function getReportOfOrder(ctx: Ctx, orderId: string): Promise<RadReport> {
  const facilityId = requireFacility(ctx);
  await orderRowOf(ctx.db, facilityId, orderId);
  const [row] = await ctx.db
    .select({ id: reports.id })
    .from(reports)
    .where(eq(reports.radiologyOrderId, orderId));
  if (!row) throw new NotFound('The report of this study', 'RAD_REPORT_NOT_FOUND');
  return audited(ctx, row.id, 'read');
}

function textChanges(input: {
  technique?: string;
  comparison?: string;
  findings?: string;
  impression?: string;
}) {
  return {
    ...(input.technique !== undefined ? { technique: input.technique } : {}),
    ...(input.comparison !== undefined ? { comparison: input.comparison } : {}),
    ...(input.findings !== undefined ? { findings: input.findings } : {}),
    ...(input.impression !== undefined ? { impression: input.impression } : {}),
  };
}

function assertDraft(row: ReportRow, version: number) {
  if (row.status !== 'draft') {
    throw new Conflict('RAD_REPORT_SIGNED', 'The report is signed: add an addendum instead');
  }
  if (row.version !== version) throw new StaleVersion('The report');
}

/** Saves a draft's text. */
export async function saveDraft(
  ctx: Ctx,
  id: string,
  input: z.output<typeof RadSaveReportBody>,
): Promise<RadReport> {
  const facilityId = requireFacility(ctx);
  await ctx.db.transaction(async (tx) => {
    const row = await reportOfFacility(tx, facilityId, id, true);
    assertDraft(row, input.version);
    const changes = textChanges(input);
    await tx
      .update(reports)
      .set({
        ...changes,
        updatedById: actorId(ctx.actor),
        updatedByName: ctx.actor.name,
        version: row.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(reports.id, id));
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'RadiologyReport',
      resourceId: id,
      patientId: row.patientId,
      detail: { saved: Object.keys(changes) },
    });
  });
  return (await readReport(ctx.db, id))!.report;
}

/**
 * Signs a draft off: final, with who and when, frozen from then on. Findings and impression must be written
 * (no template blanks left). A critical finding raises the alert to the ordering doctor in the same transaction.
 */
export async function signReport(
  ctx: Ctx,
  env: RadiologyEnv,
  id: string,
  input: z.output<typeof RadSignReportBody>,
): Promise<RadReport> {
  const facilityId = requireFacility(ctx);
  await ctx.db.transaction(async (tx) => {
    const row = await reportOfFacility(tx, facilityId, id, true);
    assertDraft(row, input.version);
    const text = { ...row, ...textChanges(input) };
    const problems: { path: string; message: string }[] = [];
    for (const field of ['findings', 'impression'] as const) {
      if (!text[field].trim()) problems.push({ path: field, message: `write the ${field}` });
      else if (text[field].includes(BLANK)) {
        problems.push({ path: field, message: `fill in or remove the blanks (${BLANK}) of the template` });
      }
    }
    if (problems.length > 0) {
      throw new RuleViolation('RAD_REPORT_INCOMPLETE', 'The report cannot be signed yet', problems);
    }
    const critical = input.criticalFinding ?? null;
    const [order] = await tx.select().from(orders).where(eq(orders.id, row.radiologyOrderId));
    await tx
      .update(reports)
      .set({
        ...textChanges(input),
        status: 'final',
        signedById: actorId(ctx.actor),
        signedByName: ctx.actor.name,
        signedAt: ctx.now,
        criticalFinding: critical?.text ?? null,
        criticalCategory: critical?.category ?? null,
        updatedById: actorId(ctx.actor),
        updatedByName: ctx.actor.name,
        version: row.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(reports.id, id));
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'RadiologyReport',
      resourceId: id,
      patientId: row.patientId,
      detail: { status: 'final', critical: critical !== null },
    });
    if (critical) await raiseCriticalAlert(tx, ctx, env, { reportId: id, order: order!, ...critical });
    await appendEvent<RadReportFinalizedPayload>(tx, env.events, {
      type: RADIOLOGY_EVENTS.reportFinalized,
      facilityId,
      aggregateId: id,
      actorId: actorId(ctx.actor),
      payload: {
        reportId: id,
        radiologyOrderId: order!.id,
        orderId: order!.orderId,
        patientId: row.patientId,
        encounterId: order!.encounterId,
        accession: order!.accession,
        procedureCode: order!.procedureCode,
        impression: text.impression,
        critical: critical !== null,
        signedById: actorId(ctx.actor),
      },
    });
  });
  return (await readReport(ctx.db, id))!.report;
}

/** Adds an addendum to a signed report (append-only); the report becomes amended. */
export async function addAddendum(
  ctx: Ctx,
  env: RadiologyEnv,
  id: string,
  input: z.output<typeof RadAddendumBody>,
): Promise<RadReport> {
  const facilityId = requireFacility(ctx);
  await ctx.db.transaction(async (tx) => {
    const row = await reportOfFacility(tx, facilityId, id, true);
    if (row.status === 'draft') {
      throw new RuleViolation('RAD_REPORT_NOT_SIGNED', 'A draft is edited, not amended: save or sign it');
    }
    const addendumId = newId();
    await tx.insert(reportAddenda).values({
      id: addendumId,
      reportId: id,
      text: input.text,
      reason: input.reason,
      addedById: actorId(ctx.actor),
      addedByName: ctx.actor.name,
      addedAt: ctx.now,
    });
    await tx
      .update(reports)
      .set({ status: 'amended', version: row.version + 1, updatedAt: ctx.now })
      .where(eq(reports.id, id));
    const [order] = await tx.select().from(orders).where(eq(orders.id, row.radiologyOrderId));
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'RadiologyReport',
      resourceId: id,
      patientId: row.patientId,
      detail: { addendum: addendumId, reason: input.reason },
    });
    await appendEvent<RadReportAmendedPayload>(tx, env.events, {
      type: RADIOLOGY_EVENTS.reportAmended,
      facilityId,
      aggregateId: id,
      actorId: actorId(ctx.actor),
      payload: {
        reportId: id,
        addendumId,
        radiologyOrderId: order!.id,
        orderId: order!.orderId,
        patientId: row.patientId,
        encounterId: order!.encounterId,
        accession: order!.accession,
        reason: input.reason,
      },
    });
  });
  return (await readReport(ctx.db, id))!.report;
}

/** A patient's imaging for the doctor: every order, newest first, with the signed impression and the link. */
export async function patientStudies(
  ctx: Ctx,
  env: RadiologyEnv,
  patientId: string,
  query: z.output<typeof RadPatientStudiesQuery>,
): Promise<RadPatientStudy[]> {
  const facilityId = requireFacility(ctx);
  const [patient] = await getPatientSummaries(ctx.db, [patientId], ctx.now);
  if (!patient) throw new NotFound('The patient', 'RAD_PATIENT_NOT_FOUND');
  const rows = await ctx.db
    .select({ order: orders, report: reports })
    .from(orders)
    .leftJoin(reports, eq(reports.radiologyOrderId, orders.id))
    .where(
      and(
        eq(orders.facilityId, facilityId),
        eq(orders.patientId, patientId),
        query.encounterId ? eq(orders.encounterId, query.encounterId) : undefined,
      ),
    )
    .orderBy(desc(orders.orderedAt), desc(orders.id))
    .limit(query.limit);
  const booked = await activeBookingsOf(
    ctx.db,
    rows.map((r) => r.order.id),
  );
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'RadiologyOrder',
    patientId,
    detail: { list: 'patient-studies', encounterId: query.encounterId ?? null, count: rows.length },
  });
  return rows.map(({ order: o, report: r }) => {
    const signed = r && r.status !== 'draft';
    return {
      orderId: o.id,
      encounterId: o.encounterId,
      accession: o.accession,
      procedureCode: o.procedureCode,
      procedureName: o.procedureName,
      modality: o.modality as RadPatientStudy['modality'],
      bodyPart: o.bodyPart,
      laterality: o.laterality as RadPatientStudy['laterality'],
      priority: o.priority as RadPatientStudy['priority'],
      status: o.status as RadPatientStudy['status'],
      clinicalIndication: o.clinicalIndication,
      orderedAt: o.orderedAt.toISOString(),
      orderedByName: o.orderedByName,
      scheduledAt: booked.get(o.id)?.startsAt ?? null,
      completedAt: o.completedAt?.toISOString() ?? null,
      reportId: r?.id ?? null,
      reportStatus: (r?.status ?? 'none') as RadPatientStudy['reportStatus'],
      impression: signed ? r.impression : null,
      signedAt: signed ? (r.signedAt?.toISOString() ?? null) : null,
      signedByName: signed ? r.signedByName : null,
      critical: !!(signed && r.criticalFinding),
      studyInstanceUid: o.studyInstanceUid,
      viewerUrl: viewerUrlOfOrder(env.viewerUrl, o),
    };
  });
}
