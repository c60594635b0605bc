import {
  type AcknowledgeCriticalBody,
  LAB_CRITICAL_MAX_ESCALATION,
  LABORATORY_EVENTS,
  type LabCriticalAcknowledgedPayload,
  type LabCriticalAlert,
  type LabCriticalAlertQuery,
  type LabCriticalEscalatedPayload,
  type LabResultCriticalPayload,
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
import type { RequestRow, ResultRow } from './lab-records';
import { criticalAlerts } from './laboratory.tables';
import { readBackNamesValue } from './read-back';

// The critical-value loop (CAP GEN.41320, Joint Commission NPSG.02.03.01): a released LL/HH value is
// addressed at once to the doctor who ordered it, who acknowledges by reading the value back; unacknowledged
// past NEWHMS_LAB_CRITICAL_ACK_MINUTES it escalates a level (to the lab's validators) each period, up to 3.
// Every step is an audit entry and an event, so the loop can be shown end to end.

type AlertRow = typeof criticalAlerts.$inferSelect;
type EscalatedTo = { id: string; name: string }[];

const VALIDATE = 'laboratory:validate';
const LAB_PERMISSIONS = ['laboratory:process', VALIDATE] as const;

/**
 * Raises one alert per critical result just released (validated, or amended: `revisionNo` > 0), in the
 * caller's transaction, with the `laboratory.result.critical` event and an audit entry. Idempotent per result
 * and revision (unique index).
 */
export async function raiseCriticalAlerts(
  tx: DbOrTx,
  ctx: Ctx,
  events: EventRegistry,
  request: RequestRow,
  released: readonly (ResultRow & { revisionNo: number })[],
): Promise<void> {
  for (const r of released) {
    if (!r.critical || r.numericValue === null || (r.flag !== 'LL' && r.flag !== 'HH')) continue;
    const id = newId();
    const [row] = await tx
      .insert(criticalAlerts)
      .values({
        id,
        facilityId: request.facilityId,
        resultId: r.id,
        revisionNo: r.revisionNo,
        requestId: request.id,
        patientId: request.patientId,
        encounterId: request.encounterId,
        testCode: r.testCode,
        testName: r.testName,
        value: r.numericValue,
        unit: r.unit,
        flag: r.flag,
        orderingUserId: request.requestedById,
        orderingUserName: request.requestedByName,
        validatedById: actorId(ctx.actor),
        validatedByName: ctx.actor.name,
        notifiedAt: ctx.now,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .onConflictDoNothing()
      .returning({ id: criticalAlerts.id });
    if (!row) continue;
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'LabCriticalAlert',
      resourceId: id,
      patientId: request.patientId,
      detail: {
        resultId: r.id,
        revisionNo: r.revisionNo,
        testCode: r.testCode,
        value: r.numericValue,
        flag: r.flag,
        notified: request.requestedById,
      },
    });
    await appendEvent<LabResultCriticalPayload>(tx, events, {
      type: LABORATORY_EVENTS.resultCritical,
      facilityId: request.facilityId,
      aggregateId: id,
      actorId: actorId(ctx.actor),
      payload: {
        alertId: id,
        resultId: r.id,
        requestId: request.id,
        patientId: request.patientId,
        encounterId: request.encounterId,
        test: { code: r.testCode, name: r.testName, loincCode: r.loincCode },
        value: r.numericValue,
        unit: r.unit,
        flag: r.flag,
        orderingUserId: request.requestedById,
      },
    });
  }
}

const escalatedIds = (row: AlertRow) => (row.escalatedTo as EscalatedTo).map((e) => e.id);

function isAddressee(ctx: Ctx, row: AlertRow): boolean {
  const me = actorId(ctx.actor);
  return me !== null && (row.orderingUserId === me || escalatedIds(row).includes(me));
}

async function toAlerts(db: DbOrTx, ctx: Ctx, rows: AlertRow[]): Promise<LabCriticalAlert[]> {
  const patients = new Map(
    (await getPatientSummaries(db, [...new Set(rows.map((r) => r.patientId))], ctx.now)).map((p) => [
      p.id,
      p,
    ]),
  );
  return rows.map((r) => ({
    id: r.id,
    resultId: r.resultId,
    revisionNo: r.revisionNo,
    requestId: r.requestId,
    patientId: r.patientId,
    patientName: patients.get(r.patientId)?.displayName ?? '',
    mrn: patients.get(r.patientId)?.mrn ?? '',
    encounterId: r.encounterId,
    testCode: r.testCode,
    testName: r.testName,
    value: r.value,
    unit: r.unit,
    flag: r.flag as 'LL' | 'HH',
    orderingUserId: r.orderingUserId,
    orderingUserName: r.orderingUserName,
    validatedByName: r.validatedByName,
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
 * Critical values: `mine` those addressed to me (as the ordering doctor, or escalated to me); otherwise the
 * laboratory's view of all of the facility's (the lab's permissions only). Open ones oldest first.
 */
export async function listCriticalAlerts(
  ctx: Ctx,
  query: z.output<typeof LabCriticalAlertQuery>,
): Promise<LabCriticalAlert[]> {
  const facilityId = requireFacility(ctx);
  if (!query.mine && !LAB_PERMISSIONS.some((p) => hasPermission(ctx, p))) {
    throw new Forbidden(
      'LAB_CRITICAL_MINE_ONLY',
      'Only the laboratory sees every critical value: ask mine=true',
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
      resourceType: 'LabCriticalAlert',
      patientId,
      detail: {
        list: query.mine ? 'mine' : 'laboratory',
        status: query.status,
        alertIds: rows.filter((r) => r.patientId === patientId).map((r) => r.id),
      },
    })),
  );
  return toAlerts(ctx.db, ctx, rows);
}

/**
 * The doctor acknowledges a critical value by reading it back: only the addressee, whoever it was escalated
 * to, or a validator of the lab (who took the read-back on the telephone) may; the read-back must contain the
 * value (422); an acknowledged alert cannot be acknowledged again (409).
 */
export async function acknowledgeCriticalAlert(
  ctx: Ctx,
  events: EventRegistry,
  id: string,
  input: z.output<typeof AcknowledgeCriticalBody>,
): Promise<LabCriticalAlert> {
  const facilityId = requireFacility(ctx);
  const row = await ctx.db.transaction(async (tx) => {
    const [alert] = await tx.select().from(criticalAlerts).where(eq(criticalAlerts.id, id)).for('update');
    if (!alert || alert.facilityId !== facilityId) {
      throw new NotFound('The critical value', 'LAB_CRITICAL_NOT_FOUND');
    }
    if (!isAddressee(ctx, alert) && !hasPermission(ctx, VALIDATE)) {
      throw new Forbidden(
        'LAB_CRITICAL_NOT_ADDRESSEE',
        'Only the doctor it is addressed to (or escalated to) or the laboratory may acknowledge it',
      );
    }
    if (alert.acknowledgedAt) {
      throw new Conflict(
        'LAB_CRITICAL_ALREADY_ACKNOWLEDGED',
        `Acknowledged by ${alert.acknowledgedByName} at ${alert.acknowledgedAt.toISOString()}`,
      );
    }
    if (!readBackNamesValue(input.readBack, alert.value)) {
      throw new RuleViolation('LAB_CRITICAL_READ_BACK', 'Read back the value', [
        {
          path: 'readBack',
          message: `must contain the value ${alert.value}${alert.unit ? ` ${alert.unit}` : ''}`,
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
      resourceType: 'LabCriticalAlert',
      resourceId: id,
      patientId: alert.patientId,
      detail: {
        acknowledged: true,
        readBack: input.readBack,
        minutesToAcknowledge: minutes,
        escalationLevel: alert.escalationLevel,
      },
    });
    await appendEvent<LabCriticalAcknowledgedPayload>(tx, events, {
      type: LABORATORY_EVENTS.criticalAcknowledged,
      facilityId,
      aggregateId: id,
      actorId: actorId(ctx.actor),
      payload: {
        alertId: id,
        requestId: alert.requestId,
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
 * Escalates every open critical value whose next level is due: level n once n * `ackMinutes` have passed
 * since it was notified (up to 3). One level per alert per run, so each level has its event; a level is
 * reached once (the update is conditional on the level read). Returns how many alerts went up.
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
        lt(criticalAlerts.escalationLevel, LAB_CRITICAL_MAX_ESCALATION),
        sql`${criticalAlerts.notifiedAt} + (${criticalAlerts.escalationLevel} + 1) * ${periodMs}::bigint * interval '1 millisecond' <= ${now.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(asc(criticalAlerts.notifiedAt))
    .limit(500);
  let escalated = 0;
  for (const alert of due) {
    const level = alert.escalationLevel + 1;
    const went = await db.transaction(async (tx) => {
      const staff = await staffWithPermission(tx, alert.facilityId, VALIDATE);
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
      const ctx = systemCtx(tx as Db, 'laboratory.critical-escalation', alert.facilityId);
      await recordAudit(tx, ctx, {
        action: 'update',
        resourceType: 'LabCriticalAlert',
        resourceId: alert.id,
        patientId: alert.patientId,
        detail: { escalationLevel: level, escalatedTo: to.map((s) => s.id), ackMinutes },
      });
      await appendEvent<LabCriticalEscalatedPayload>(tx, events, {
        type: LABORATORY_EVENTS.criticalEscalated,
        facilityId: alert.facilityId,
        aggregateId: alert.id,
        payload: {
          alertId: alert.id,
          requestId: alert.requestId,
          patientId: alert.patientId,
          encounterId: alert.encounterId,
          testCode: alert.testCode,
          value: alert.value,
          unit: alert.unit,
          flag: alert.flag as 'LL' | 'HH',
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
