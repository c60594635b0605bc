import {
  RAD_CRITICAL_MAX_ESCALATION,
  RADIOLOGY_EVENTS,
  type RadAcknowledgeCriticalBody,
  type RadCriticalAcknowledgedPayload,
  type RadCriticalAlert,
  type RadCriticalAlertQuery,
  type RadCriticalEscalatedPayload,
  type RadFindingCriticalPayload,
} from '@newhms/contracts';
import { and, asc, desc, eq, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { hasPermission, staffWithPermission } from '../../platform/access/access.service';
import { recordAudit, recordAudits } from '../../platform/audit/audit.service';
import { actorId, type Ctx, systemCtx } from '../../platform/context';
import type { Db, DbOrTx } from '../../platform/db/database';
import { newId } from '../../platform/db/ids';
import { appendEvent, type EventRegistry } from '../../platform/events/outbox';
import { Conflict, Forbidden, NotFound, RuleViolation } from '../../platform/http/errors';
import { requireFacility } from '../../platform/organization/facility-context';
import { getPatientSummaries } from '../patients';
import type { OrderRow, RadiologyEnv } from './rad-records';
import { criticalAlerts } from './radiology.tables';
import { isMeaningfulReadBack, READ_BACK_MIN_WORDS } from './read-back';

// Critical findings (ACR Practice Parameter for Communication of Diagnostic Imaging Findings; Joint Commission
// NPSG.02.03.01): a finding flagged at sign-off is addressed at once to the doctor who ordered the study, who
// acknowledges by reading it back; unacknowledged past NEWHMS_RADIOLOGY_CRITICAL_ACK_MINUTES it escalates a
// level (to the facility's radiologists) each period, up to 3. Every step is an audit entry and an event.

type AlertRow = typeof criticalAlerts.$inferSelect;
type EscalatedTo = { id: string; name: string }[];
type Category = RadCriticalAlert['category'];

export const REPORT_PERMISSION = 'radiology:report';

/**
 * The alert of a critical finding just signed, in the caller's transaction, with `radiology.finding.critical`
 * and an audit entry. One per report (unique index).
 */
export async function raiseCriticalAlert(
  tx: DbOrTx,
  ctx: Ctx,
  env: Pick<RadiologyEnv, 'events'>,
  input: { reportId: string; order: OrderRow; text: string; category: Category },
): Promise<string> {
  const { order } = input;
  const id = newId();
  await tx.insert(criticalAlerts).values({
    id,
    facilityId: order.facilityId,
    reportId: input.reportId,
    radiologyOrderId: order.id,
    patientId: order.patientId,
    encounterId: order.encounterId,
    accession: order.accession,
    procedureCode: order.procedureCode,
    procedureName: order.procedureName,
    finding: input.text,
    category: input.category,
    orderingUserId: order.orderedById,
    orderingUserName: order.orderedByName,
    reportedById: actorId(ctx.actor),
    reportedByName: ctx.actor.name,
    notifiedAt: ctx.now,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  await recordAudit(tx, ctx, {
    action: 'create',
    resourceType: 'RadCriticalAlert',
    resourceId: id,
    patientId: order.patientId,
    detail: { reportId: input.reportId, category: input.category, notified: order.orderedById },
  });
  await appendEvent<RadFindingCriticalPayload>(tx, env.events, {
    type: RADIOLOGY_EVENTS.findingCritical,
    facilityId: order.facilityId,
    aggregateId: id,
    actorId: actorId(ctx.actor),
    payload: {
      alertId: id,
      reportId: input.reportId,
      radiologyOrderId: order.id,
      patientId: order.patientId,
      encounterId: order.encounterId,
      accession: order.accession,
      procedureCode: order.procedureCode,
      finding: input.text,
      category: input.category,
      orderingUserId: order.orderedById,
    },
  });
  return id;
}

const escalatedIds = (row: AlertRow) => (row.escalatedTo as EscalatedTo).map((e) => e.id);

function isAddressee(ctx: Ctx, row: AlertRow): boolean {
  const me = actorId(ctx.actor);
  return me !== null && (row.orderingUserId === me || escalatedIds(row).includes(me));
}

async function toAlerts(db: DbOrTx, ctx: Ctx, rows: AlertRow[]): Promise<RadCriticalAlert[]> {
  const patients = new Map(
    (await getPatientSummaries(db, [...new Set(rows.map((r) => r.patientId))], ctx.now)).map((p) => [
      p.id,
      p,
    ]),
  );
  return rows.map((r) => ({
    id: r.id,
    reportId: r.reportId,
    orderId: r.radiologyOrderId,
    patientId: r.patientId,
    patientName: patients.get(r.patientId)?.displayName ?? '',
    mrn: patients.get(r.patientId)?.mrn ?? '',
    encounterId: r.encounterId,
    accession: r.accession,
    procedureCode: r.procedureCode,
    procedureName: r.procedureName,
    finding: r.finding,
    category: r.category as Category,
    orderingUserId: r.orderingUserId,
    orderingUserName: r.orderingUserName,
    reportedByName: r.reportedByName,
    notifiedAt: r.notifiedAt.toISOString(),
    status: r.acknowledgedAt ? 'acknowledged' : 'open',
    acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
    acknowledgedByName: r.acknowledgedByName,
    readBack: r.readBack,
    escalationLevel: r.escalationLevel,
    escalatedAt: r.escalatedAt?.toISOString() ?? null,
    escalatedTo: r.escalatedTo as EscalatedTo,
  }));
}

/**
 * Critical findings: `mine` those addressed to me (as the ordering doctor, or escalated to me); otherwise the
 * radiologists' view of all of the facility's (radiology:report only). Open ones oldest first.
 */
export async function listCriticalAlerts(
  ctx: Ctx,
  query: z.output<typeof RadCriticalAlertQuery>,
): Promise<RadCriticalAlert[]> {
  const facilityId = requireFacility(ctx);
  if (!query.mine && !hasPermission(ctx, REPORT_PERMISSION)) {
    throw new Forbidden(
      'RAD_CRITICAL_MINE_ONLY',
      'Only the radiologists see every critical finding: ask mine=true',
    );
  }
  const me = actorId(ctx.actor);
  const rows = await ctx.db
    .select()
    .from(criticalAlerts)
    .where(
      and(
        eq(criticalAlerts.facilityId, facilityId),
        query.status === 'open' ? isNull(criticalAlerts.acknowledgedAt) : undefined,
        query.status === 'acknowledged' ? isNotNull(criticalAlerts.acknowledgedAt) : undefined,
        query.mine
          ? or(
              eq(criticalAlerts.orderingUserId, me ?? sql`null`),
              sql`${criticalAlerts.escalatedTo} @> ${JSON.stringify([{ id: me }])}::jsonb`,
            )
          : undefined,
      ),
    )
    .orderBy(
      query.status === 'open' ? asc(criticalAlerts.notifiedAt) : desc(criticalAlerts.notifiedAt),
      asc(criticalAlerts.id),
    )
    .limit(query.limit);
  await recordAudits(
    ctx.db,
    ctx,
    [...new Set(rows.map((r) => r.patientId))].map((patientId) => ({
      action: 'read',
      resourceType: 'RadCriticalAlert',
      patientId,
      detail: {
        list: query.mine ? 'mine' : 'radiology',
        status: query.status,
        alertIds: rows.filter((r) => r.patientId === patientId).map((r) => r.id),
      },
    })),
  );
  return toAlerts(ctx.db, ctx, rows);
}

/**
 * The doctor acknowledges a critical finding by reading it back: only the addressee, whoever it was escalated
 * to, or a radiologist (radiology:report, who took the read-back on the telephone) may (403); the read-back
 * must name the finding in a few words (422); an acknowledged alert cannot be acknowledged again (409).
 */
export async function acknowledgeCriticalAlert(
  ctx: Ctx,
  events: EventRegistry,
  id: string,
  input: z.output<typeof RadAcknowledgeCriticalBody>,
): Promise<RadCriticalAlert> {
  const facilityId = requireFacility(ctx);
  const row = await ctx.db.transaction(async (tx) => {
    const [alert] = await tx.select().from(criticalAlerts).where(eq(criticalAlerts.id, id)).for('update');
    if (!alert || alert.facilityId !== facilityId) {
      throw new NotFound('The critical finding', 'RAD_CRITICAL_NOT_FOUND');
    }
    if (!isAddressee(ctx, alert) && !hasPermission(ctx, REPORT_PERMISSION)) {
      throw new Forbidden(
        'RAD_CRITICAL_NOT_ADDRESSEE',
        'Only the doctor it is addressed to (or escalated to) or a radiologist may acknowledge it',
      );
    }
    if (alert.acknowledgedAt) {
      throw new Conflict(
        'RAD_CRITICAL_ALREADY_ACKNOWLEDGED',
        `Acknowledged by ${alert.acknowledgedByName} at ${alert.acknowledgedAt.toISOString()}`,
      );
    }
    if (!isMeaningfulReadBack(input.readBack)) {
      throw new RuleViolation('RAD_CRITICAL_READ_BACK', 'Read the finding back', [
        {
          path: 'readBack',
          message: `repeat the finding in at least ${READ_BACK_MIN_WORDS} words of substance`,
        },
      ]);
    }
    const [updated] = await tx
      .update(criticalAlerts)
      .set({
        acknowledgedAt: ctx.now,
        acknowledgedById: actorId(ctx.actor),
        acknowledgedByName: ctx.actor.name,
        readBack: input.readBack,
        updatedAt: ctx.now,
      })
      .where(eq(criticalAlerts.id, id))
      .returning();
    const minutes = Math.round((ctx.now.getTime() - alert.notifiedAt.getTime()) / 6_000) / 10;
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'RadCriticalAlert',
      resourceId: id,
      patientId: alert.patientId,
      detail: {
        acknowledged: true,
        readBack: input.readBack,
        minutesToAcknowledge: minutes,
        escalationLevel: alert.escalationLevel,
      },
    });
    await appendEvent<RadCriticalAcknowledgedPayload>(tx, events, {
      type: RADIOLOGY_EVENTS.criticalAcknowledged,
      facilityId,
      aggregateId: id,
      actorId: actorId(ctx.actor),
      payload: {
        alertId: id,
        reportId: alert.reportId,
        patientId: alert.patientId,
        acknowledgedById: actorId(ctx.actor),
        minutesToAcknowledge: minutes,
        escalationLevel: alert.escalationLevel,
      },
    });
    return updated!;
  });
  const [alert] = await toAlerts(ctx.db, ctx, [row]);
  return alert!;
}

/**
 * Escalates every open critical finding whose next level is due: level n once n * `ackMinutes` have passed
 * since it was notified (up to 3), to the facility's holders of radiology:report. One level per alert per run,
 * so each level has its event; a level is reached once (the update is conditional on the level read).
 */
export async function escalateCriticalAlerts(
  db: Db,
  events: EventRegistry,
  ackMinutes: number,
  now: Date = new Date(),
): Promise<number> {
  const periodMs = ackMinutes * 60_000;
  const due = await db
    .select()
    .from(criticalAlerts)
    .where(
      and(
        isNull(criticalAlerts.acknowledgedAt),
        lt(criticalAlerts.escalationLevel, RAD_CRITICAL_MAX_ESCALATION),
        sql`${criticalAlerts.notifiedAt} + (${criticalAlerts.escalationLevel} + 1) * ${periodMs}::bigint * interval '1 millisecond' <= ${now.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(asc(criticalAlerts.notifiedAt))
    .limit(500);
  let escalated = 0;
  for (const alert of due) {
    const level = alert.escalationLevel + 1;
    const went = await db.transaction(async (tx) => {
      const staff = await staffWithPermission(tx, alert.facilityId, REPORT_PERMISSION);
      const to = staff.map((s) => ({ id: s.id, name: s.displayName }));
      const [row] = await tx
        .update(criticalAlerts)
        .set({ escalationLevel: level, escalatedAt: now, escalatedTo: to, updatedAt: now })
        .where(
          and(
            eq(criticalAlerts.id, alert.id),
            eq(criticalAlerts.escalationLevel, alert.escalationLevel),
            isNull(criticalAlerts.acknowledgedAt),
          ),
        )
        .returning({ id: criticalAlerts.id });
      if (!row) return false;
      // The audit entry keeps the clock's time (its chain is in time order); escalated_at is `now`.
      const ctx = systemCtx(tx as Db, 'radiology.critical-escalation', alert.facilityId);
      await recordAudit(tx, ctx, {
        action: 'update',
        resourceType: 'RadCriticalAlert',
        resourceId: alert.id,
        patientId: alert.patientId,
        detail: { escalationLevel: level, escalatedTo: to.map((s) => s.id), ackMinutes },
      });
      await appendEvent<RadCriticalEscalatedPayload>(tx, events, {
        type: RADIOLOGY_EVENTS.criticalEscalated,
        facilityId: alert.facilityId,
        aggregateId: alert.id,
        payload: {
          alertId: alert.id,
          reportId: alert.reportId,
          patientId: alert.patientId,
          encounterId: alert.encounterId,
          accession: alert.accession,
          finding: alert.finding,
          category: alert.category as Category,
          orderingUserId: alert.orderingUserId,
          level,
          escalatedToIds: to.map((s) => s.id),
        },
      });
      return true;
    });
    if (went) escalated++;
  }
  return escalated;
}
