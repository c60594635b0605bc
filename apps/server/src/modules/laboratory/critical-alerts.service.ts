import {
  LAB_CRITICAL_MAX_ESCALATION,
  LABORATORY_EVENTS,
  type LabCriticalAcknowledgedPayload,
  type LabCriticalAlert,
  type LabCriticalEscalatedPayload,
  type LabResultCriticalPayload,
} from '@newhms/contracts';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { newId } from '../../platform/db/ids';
import { criticalAlertLoop } from '../../platform/department-orders/critical-alerts.service';
import { appendEvent, type EventRegistry } from '../../platform/events/outbox';
import { RuleViolation } from '../../platform/http/errors';
import { getPatientSummaries } from '../patients';
import type { RequestRow, ResultRow } from './lab-records';
import { criticalAlerts } from './laboratory.tables';
import { readBackNamesValue } from './read-back';

// The critical-value loop (CAP GEN.41320, Joint Commission NPSG.02.03.01): a released LL/HH value is
// addressed at once to the doctor who ordered it, who acknowledges by reading the value back; unacknowledged
// past NEWHMS_LAB_CRITICAL_ACK_MINUTES it escalates a level (to the lab's validators) each period, up to 3.
// Every step is an audit entry and an event, so the loop can be shown end to end.

type AlertRow = typeof criticalAlerts.$inferSelect;

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

const loop = criticalAlertLoop<AlertRow, LabCriticalAlert>({
  table: criticalAlerts,
  resourceType: 'LabCriticalAlert',
  errorPrefix: 'LAB',
  subject: 'The critical value',
  seeAll: {
    permissions: LAB_PERMISSIONS,
    message: 'Only the laboratory sees every critical value: ask mine=true',
    list: 'laboratory',
  },
  responders: {
    permission: VALIDATE,
    notAddresseeMessage:
      'Only the doctor it is addressed to (or escalated to) or the laboratory may acknowledge it',
  },
  maxEscalation: LAB_CRITICAL_MAX_ESCALATION,
  escalationActor: 'laboratory.critical-escalation',
  patientSummaries: getPatientSummaries,
  view: (r) => ({
    resultId: r.resultId,
    revisionNo: r.revisionNo,
    requestId: r.requestId,
    testCode: r.testCode,
    testName: r.testName,
    value: r.value,
    unit: r.unit,
    flag: r.flag as 'LL' | 'HH',
    validatedByName: r.validatedByName,
  }),
  // The read-back must contain the value.
  checkReadBack: (readBack, alert) => {
    if (!readBackNamesValue(readBack, alert.value)) {
      throw new RuleViolation('LAB_CRITICAL_READ_BACK', 'Read back the value', [
        {
          path: 'readBack',
          message: `must contain the value ${alert.value}${alert.unit ? ` ${alert.unit}` : ''}`,
        },
      ]);
    }
  },
  acknowledgedEvent: (alert, ack) => ({
    type: LABORATORY_EVENTS.criticalAcknowledged,
    payload: {
      alertId: alert.id,
      requestId: alert.requestId,
      patientId: alert.patientId,
      acknowledgedById: ack.acknowledgedById,
      minutesToAcknowledge: ack.minutesToAcknowledge,
      escalationLevel: alert.escalationLevel,
    } satisfies LabCriticalAcknowledgedPayload,
  }),
  escalatedEvent: (alert, escalation) => ({
    type: LABORATORY_EVENTS.criticalEscalated,
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
      level: escalation.level,
      escalatedToIds: escalation.escalatedToIds,
    } satisfies LabCriticalEscalatedPayload,
  }),
});

/**
 * Critical values (platform/department-orders/critical-alerts.service.ts): `listCriticalAlerts` (`mine`, or the
 * lab's view of all of the facility's), `acknowledgeCriticalAlert` by the addressee, whoever it was escalated to
 * or a validator, with a read-back that contains the value, and the escalation job `escalateCriticalAlerts`.
 */
export const { listCriticalAlerts, acknowledgeCriticalAlert, escalateCriticalAlerts } = loop;
