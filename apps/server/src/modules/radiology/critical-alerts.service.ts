import {
  RAD_CRITICAL_MAX_ESCALATION,
  RADIOLOGY_EVENTS,
  type RadCriticalAcknowledgedPayload,
  type RadCriticalAlert,
  type RadCriticalEscalatedPayload,
  type RadFindingCriticalPayload,
} from '@newhms/contracts';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { newId } from '../../platform/db/ids';
import { criticalAlertLoop } from '../../platform/department-orders/critical-alerts.service';
import { appendEvent } from '../../platform/events/outbox';
import { RuleViolation } from '../../platform/http/errors';
import { getPatientSummaries } from '../patients';
import type { OrderRow, RadiologyEnv } from './rad-records';
import { criticalAlerts } from './radiology.tables';
import { isMeaningfulReadBack, READ_BACK_MIN_WORDS } from './read-back';

// Critical findings (ACR Practice Parameter for Communication of Diagnostic Imaging Findings; Joint Commission
// NPSG.02.03.01): a finding flagged at sign-off is addressed at once to the doctor who ordered the study, who
// acknowledges by reading it back; unacknowledged past NEWHMS_RADIOLOGY_CRITICAL_ACK_MINUTES it escalates a
// level (to the facility's radiologists) each period, up to 3. Every step is an audit entry and an event.

type AlertRow = typeof criticalAlerts.$inferSelect;
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

const loop = criticalAlertLoop<AlertRow, RadCriticalAlert>({
  table: criticalAlerts,
  resourceType: 'RadCriticalAlert',
  errorPrefix: 'RAD',
  subject: 'The critical finding',
  seeAll: {
    permissions: [REPORT_PERMISSION],
    message: 'Only the radiologists see every critical finding: ask mine=true',
    list: 'radiology',
  },
  responders: {
    permission: REPORT_PERMISSION,
    notAddresseeMessage:
      'Only the doctor it is addressed to (or escalated to) or a radiologist may acknowledge it',
  },
  maxEscalation: RAD_CRITICAL_MAX_ESCALATION,
  escalationActor: 'radiology.critical-escalation',
  patientSummaries: getPatientSummaries,
  view: (r) => ({
    reportId: r.reportId,
    orderId: r.radiologyOrderId,
    accession: r.accession,
    procedureCode: r.procedureCode,
    procedureName: r.procedureName,
    finding: r.finding,
    category: r.category as Category,
    reportedByName: r.reportedByName,
  }),
  // The read-back must name the finding in a few words.
  checkReadBack: (readBack) => {
    if (!isMeaningfulReadBack(readBack)) {
      throw new RuleViolation('RAD_CRITICAL_READ_BACK', 'Read the finding back', [
        {
          path: 'readBack',
          message: `repeat the finding in at least ${READ_BACK_MIN_WORDS} words of substance`,
        },
      ]);
    }
  },
  acknowledgedEvent: (alert, ack) => ({
    type: RADIOLOGY_EVENTS.criticalAcknowledged,
    payload: {
      alertId: alert.id,
      reportId: alert.reportId,
      patientId: alert.patientId,
      acknowledgedById: ack.acknowledgedById,
      minutesToAcknowledge: ack.minutesToAcknowledge,
      escalationLevel: alert.escalationLevel,
    } satisfies RadCriticalAcknowledgedPayload,
  }),
  escalatedEvent: (alert, escalation) => ({
    type: RADIOLOGY_EVENTS.criticalEscalated,
    payload: {
      alertId: alert.id,
      reportId: alert.reportId,
      patientId: alert.patientId,
      encounterId: alert.encounterId,
      accession: alert.accession,
      finding: alert.finding,
      category: alert.category as Category,
      orderingUserId: alert.orderingUserId,
      level: escalation.level,
      escalatedToIds: escalation.escalatedToIds,
    } satisfies RadCriticalEscalatedPayload,
  }),
});

/**
 * Critical findings (platform/department-orders/critical-alerts.service.ts): `listCriticalAlerts` (`mine`, or
 * the radiologists' view of all of the facility's), `acknowledgeCriticalAlert` by the addressee, whoever it was
 * escalated to or a radiologist, with a read-back that names the finding in a few words, and the escalation job
 * `escalateCriticalAlerts` (to the facility's holders of radiology:report).
 */
export const { listCriticalAlerts, acknowledgeCriticalAlert, escalateCriticalAlerts } = loop;
