import {
  BILLING_EVENTS,
  RADIOLOGY_EVENTS,
  type RadCancelBody,
  type RadOrder,
  type RadOrderAcceptedPayload,
  type RadOrderQuery,
  type RadWalkInBody,
  type ServiceRenderedPayload,
  type ServiceReversedPayload,
} from '@newhms/contracts';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit, recordAudits } from '../../platform/audit/audit.service';
import { getUser } from '../../platform/auth/users.service';
import { actorId, type Ctx, systemCtx } from '../../platform/context';
import { nextCounterValue } from '../../platform/db/counters';
import type { Db, DbOrTx } from '../../platform/db/database';
import { newId } from '../../platform/db/ids';
import { appendEvent, type DomainEvent } from '../../platform/events/outbox';
import { NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { facilityToday, requireFacility } from '../../platform/organization/facility-context';
import { getEncounter, getOrderForBilling } from '../encounters';
import { ADMISSION_SOURCE_TYPE } from '../ipd';
import { getPatientSummaries } from '../patients';
import { type ProcedureRow, resolveProcedure } from './catalog.service';
import { type OrderRow, type RadiologyEnv, readOrderRecords } from './rad-records';
import { bookings, orders } from './radiology.tables';
import { closeUnmatchedForCancelledOrder, recordUnmatchedOrder } from './unmatched-orders';

// Orders: from an encounter's imaging order (the subscriber of `encounters.order.placed`; one radiology order
// per encounter order, whatever the redeliveries: a unique index on order_id) or a walk-in at the radiology
// desk. Each gets its accession number at once, so the request form and the modality worklist carry it.

type Setting = RadOrder['setting'];

const SETTING_OF_CLASS: Record<string, Setting> = {
  ambulatory: 'opd',
  inpatient: 'ipd',
  emergency: 'emergency',
};

export const SOURCE_TYPE = 'radiology.order';

/** `R` + the facility's local date (YYMMDD) + a daily sequence of at least 4 digits: R2603100007. */
export async function nextAccession(tx: DbOrTx, facilityId: string, now: Date): Promise<string> {
  const { today } = await facilityToday(tx, facilityId, now);
  const day = today.slice(2).replaceAll('-', '');
  const n = await nextCounterValue(tx, facilityId, 'radiology.accession', day);
  return `R${day}${String(n).padStart(4, '0')}`;
}

/** The side an order's text names, when it names exactly one ("X-ray knee (left)"). */
export function lateralityIn(text: string): RadOrder['laterality'] {
  const words = new Set(text.toLowerCase().match(/[a-z]+/g) ?? []);
  const found = (['left', 'right', 'bilateral'] as const).filter(
    (w) => words.has(w) || (w === 'bilateral' && words.has('both')),
  );
  return found.length === 1 ? found[0]! : null;
}

type NewOrder = {
  facilityId: string;
  patientId: string;
  encounterId: string | null;
  admissionId: string | null;
  orderId: string | null;
  setting: Setting;
  procedure: ProcedureRow;
  laterality: RadOrder['laterality'];
  priority: RadOrder['priority'];
  clinicalIndication: string | null;
  note: string | null;
  orderedById: string | null;
  orderedByName: string | null;
};

/**
 * Writes an order with its accession number. With an encounter order id, a second delivery of the same order
 * writes nothing (ON CONFLICT on the unique order id) and returns null.
 */
async function writeOrder(tx: DbOrTx, ctx: Ctx, input: NewOrder): Promise<string | null> {
  const id = newId();
  const p = input.procedure;
  const [row] = await tx
    .insert(orders)
    .values({
      id,
      facilityId: input.facilityId,
      patientId: input.patientId,
      encounterId: input.encounterId,
      admissionId: input.admissionId,
      orderId: input.orderId,
      setting: input.setting,
      accession: await nextAccession(tx, input.facilityId, ctx.now),
      procedureCode: p.code,
      procedureName: p.name,
      modality: p.modality,
      bodyPart: p.bodyPart,
      laterality: input.laterality,
      contrast: p.contrast,
      priority: input.priority,
      clinicalIndication: input.clinicalIndication,
      note: input.note,
      orderedById: input.orderedById,
      orderedByName: input.orderedByName,
      orderedAt: ctx.now,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .onConflictDoNothing({ target: orders.orderId })
    .returning({ id: orders.id, accession: orders.accession });
  if (!row) return null;
  await recordAudit(tx, ctx, {
    action: 'create',
    resourceType: 'RadiologyOrder',
    resourceId: id,
    patientId: input.patientId,
    detail: {
      procedureCode: p.code,
      priority: input.priority,
      orderId: input.orderId,
      accession: row.accession,
    },
  });
  return id;
}

async function encounterPlace(db: DbOrTx, encounterId: string) {
  const e = await getEncounter(db, encounterId).catch(() => null);
  if (!e) return null;
  return {
    encounter: e,
    setting: SETTING_OF_CLASS[e.class] ?? 'opd',
    admissionId: e.sourceType === ADMISSION_SOURCE_TYPE ? e.sourceId : null,
  };
}

const OrderPlacedPayload = z.object({
  orderId: z.uuid(),
  encounterId: z.uuid(),
  patientId: z.uuid(),
  category: z.string(),
  code: z.string().nullable(),
  priority: z.enum(['routine', 'urgent', 'stat']),
});
const OrderCancelledPayload = z.object({ orderId: z.uuid(), reason: z.string() });

/**
 * `encounters.order.placed` with category imaging: the radiology order, by our procedure code or else the
 * procedure's exact name, and `radiology.order.accepted`. An order naming no procedure is kept as unmatched
 * and `radiology.order.unmatched` is published (encounters shows the doctor it was not taken). Idempotent.
 */
export async function receiveEncounterOrder(
  tx: DbOrTx,
  env: RadiologyEnv,
  event: DomainEvent,
): Promise<void> {
  const parsed = OrderPlacedPayload.safeParse(event.payload);
  if (!parsed.success || parsed.data.category !== 'imaging' || !event.facilityId) return;
  const p = parsed.data;
  const order = await getOrderForBilling(tx, p.orderId);
  // A cancellation delivered before the order itself: nothing to do.
  if (!order || order.status === 'cancelled' || order.status === 'entered-in-error') return;
  const [existing] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.orderId, p.orderId));
  if (existing) return;
  const ctx = systemCtx(tx as Db, 'radiology', event.facilityId);
  ctx.now = new Date();
  const procedure = await resolveProcedure(tx, order.code, order.display);
  if (!procedure) {
    env.log.warn(
      { orderId: p.orderId, code: order.code, display: order.display },
      'imaging order for a procedure the radiology catalog does not know: not ordered, listed as unmatched',
    );
    await recordUnmatchedOrder(tx, ctx, env.events, {
      order,
      system: null,
      priority: p.priority,
      reasonCode: 'not-in-catalog',
      reason: `No procedure of the radiology catalog has the ${
        order.code ? `code ${order.code} or the ` : ''
      }name "${order.display}": radiology did not take the order. Order it again from the catalog.`,
    });
    return;
  }
  const place = await encounterPlace(tx, p.encounterId);
  const orderer = order.requestedById ? await getUser(ctx, order.requestedById).catch(() => null) : null;
  const laterality = procedure.lateralityRequired ? lateralityIn(order.display) : null;
  const radiologyOrderId = await writeOrder(tx, ctx, {
    facilityId: event.facilityId,
    patientId: p.patientId,
    encounterId: p.encounterId,
    admissionId: place?.admissionId ?? null,
    orderId: p.orderId,
    setting: place?.setting ?? 'opd',
    procedure,
    laterality,
    priority: p.priority,
    clinicalIndication: order.display === procedure.name ? null : order.display,
    note: null,
    orderedById: order.requestedById,
    orderedByName: orderer?.displayName ?? null,
  });
  if (!radiologyOrderId) return;
  const [written] = await tx
    .select({ accession: orders.accession })
    .from(orders)
    .where(eq(orders.id, radiologyOrderId));
  await appendEvent<RadOrderAcceptedPayload>(tx, env.events, {
    type: RADIOLOGY_EVENTS.orderAccepted,
    facilityId: event.facilityId,
    aggregateId: p.orderId,
    actorId: null,
    payload: {
      orderId: p.orderId,
      radiologyOrderId,
      encounterId: p.encounterId,
      patientId: p.patientId,
      accession: written!.accession,
      procedureCode: procedure.code,
      procedureName: procedure.name,
    },
  });
}

/** Cancels an order (and its booking) in the caller's transaction; the caller checked that it may be. */
async function writeCancellation(tx: DbOrTx, ctx: Ctx, order: OrderRow, reason: string): Promise<void> {
  await tx
    .update(orders)
    .set({
      status: 'cancelled',
      cancelledAt: ctx.now,
      cancelledById: actorId(ctx.actor),
      cancelledByName: ctx.actor.name,
      cancelReason: reason,
      version: order.version + 1,
      updatedAt: ctx.now,
    })
    .where(eq(orders.id, order.id));
  await tx
    .update(bookings)
    .set({
      status: 'cancelled',
      endedAt: ctx.now,
      endedById: actorId(ctx.actor),
      endedByName: ctx.actor.name,
      endReason: reason,
      updatedAt: ctx.now,
    })
    .where(and(eq(bookings.orderId, order.id), eq(bookings.status, 'active')));
  await recordAudit(tx, ctx, {
    action: 'update',
    resourceType: 'RadiologyOrder',
    resourceId: order.id,
    patientId: order.patientId,
    detail: { status: 'cancelled', reason },
  });
}

/** Statuses in which an order may still be cancelled: the study has not started. */
export const CANCELLABLE = ['ordered', 'scheduled', 'arrived'] as const;

/** `encounters.order.cancelled`: the radiology order is cancelled while its study has not started. */
export async function cancelForOrder(tx: DbOrTx, env: RadiologyEnv, event: DomainEvent): Promise<void> {
  const parsed = OrderCancelledPayload.safeParse(event.payload);
  if (!parsed.success || !event.facilityId) return;
  const p = parsed.data;
  const ctx = systemCtx(tx as Db, 'radiology', event.facilityId);
  ctx.now = new Date();
  await closeUnmatchedForCancelledOrder(tx, ctx, p.orderId, p.reason);
  const [order] = await tx.select().from(orders).where(eq(orders.orderId, p.orderId)).for('update');
  if (!order || order.status === 'cancelled') return;
  if (!(CANCELLABLE as readonly string[]).includes(order.status)) {
    env.log.warn(
      { radiologyOrderId: order.id, orderId: p.orderId, status: order.status },
      'imaging order cancelled after its study started: radiology order kept',
    );
    return;
  }
  await writeCancellation(tx, ctx, order, `Order cancelled: ${p.reason}`.slice(0, 500));
}

/** The patient and (optional) encounter of a walk-in, checked. */
async function walkInPlace(
  ctx: Ctx,
  facilityId: string,
  patientId: string,
  encounterId: string | null | undefined,
) {
  const [patient] = await getPatientSummaries(ctx.db, [patientId], ctx.now);
  if (!patient) throw new NotFound('The patient', 'RAD_PATIENT_NOT_FOUND');
  if (!encounterId) return null;
  const place = await encounterPlace(ctx.db, encounterId);
  if (!place || place.encounter.facilityId !== facilityId) {
    throw new NotFound('The encounter', 'RAD_ENCOUNTER_NOT_FOUND');
  }
  if (place.encounter.patientId !== patientId) {
    throw new RuleViolation('RAD_ENCOUNTER_OF_ANOTHER_PATIENT', 'The encounter is not this patient’s', [
      { path: 'encounterId', message: 'belongs to another patient' },
    ]);
  }
  if (['cancelled', 'entered-in-error'].includes(place.encounter.status)) {
    throw new RuleViolation('RAD_ENCOUNTER_CLOSED', `The encounter is ${place.encounter.status}`, [
      { path: 'encounterId', message: `the encounter is ${place.encounter.status}` },
    ]);
  }
  return place;
}

/** Refuses a side for a procedure without one, and no side for one that has one. */
export function assertLaterality(procedure: ProcedureRow, laterality: string | null | undefined): void {
  if (procedure.lateralityRequired && !laterality) {
    throw new RuleViolation('RAD_LATERALITY_REQUIRED', `${procedure.name}: say which side`, [
      { path: 'laterality', message: 'left, right or bilateral' },
    ]);
  }
  if (!procedure.lateralityRequired && laterality) {
    throw new RuleViolation('RAD_LATERALITY_NOT_APPLICABLE', `${procedure.name} has no side`, [
      { path: 'laterality', message: 'leave it out for this procedure' },
    ]);
  }
}

/**
 * A walk-in (or a study ordered at the radiology desk for an encounter). With an encounter, the service is
 * charged (`billing.service.rendered`, in the same transaction); without one, billing is the desk's.
 */
export async function placeWalkIn(
  ctx: Ctx,
  env: RadiologyEnv,
  input: z.output<typeof RadWalkInBody>,
): Promise<RadOrder> {
  const facilityId = requireFacility(ctx);
  const place = await walkInPlace(ctx, facilityId, input.patientId, input.encounterId);
  const procedure = await resolveProcedure(ctx.db, input.procedureCode);
  if (!procedure) {
    throw new RuleViolation(
      'RAD_UNKNOWN_PROCEDURE',
      `${input.procedureCode} is not in the radiology catalog`,
      [{ path: 'procedureCode', message: 'not an active procedure of the catalog' }],
    );
  }
  assertLaterality(procedure, input.laterality);
  const id = await ctx.db.transaction(async (tx) => {
    const written = await writeOrder(tx, ctx, {
      facilityId,
      patientId: input.patientId,
      encounterId: input.encounterId ?? null,
      admissionId: place?.admissionId ?? null,
      orderId: null,
      setting: place?.setting ?? 'walk-in',
      procedure,
      laterality: input.laterality ?? null,
      priority: input.priority,
      clinicalIndication: input.clinicalIndication,
      note: input.note ?? null,
      orderedById: actorId(ctx.actor),
      orderedByName: ctx.actor.name,
    });
    if (place) {
      const { today } = await facilityToday(tx, facilityId, ctx.now);
      const payload: ServiceRenderedPayload = {
        sourceType: SOURCE_TYPE,
        sourceId: written!,
        sourceLine: '',
        patientId: input.patientId,
        admissionId: place.admissionId,
        encounterId: place.encounter.id,
        serviceCode: procedure.code,
        quantity: 1,
        serviceDate: today,
      };
      await appendEvent(tx, env.events, {
        type: BILLING_EVENTS.serviceRendered,
        facilityId,
        aggregateId: written!,
        actorId: actorId(ctx.actor),
        payload,
      });
    }
    return written!;
  });
  const [order] = await readOrderRecords(ctx.db, [id], env, ctx.now);
  return order!;
}

/** The order row of this facility, optionally locked; 404 for another facility's. */
export async function orderRowOf(
  db: DbOrTx,
  facilityId: string,
  id: string,
  lock = false,
): Promise<OrderRow> {
  const q = db.select().from(orders).where(eq(orders.id, id));
  const [row] = lock ? await q.for('update') : await q;
  if (!row || row.facilityId !== facilityId) throw new NotFound('The radiology order', 'RAD_ORDER_NOT_FOUND');
  return row;
}

export function assertVersion(row: { version: number }, version: number, what = 'The radiology order'): void {
  if (row.version !== version) throw new StaleVersion(what);
}

/** One order (audited as a read of the patient's record). */
export async function getOrder(ctx: Ctx, env: RadiologyEnv, id: string): Promise<RadOrder> {
  const facilityId = requireFacility(ctx);
  await orderRowOf(ctx.db, facilityId, id);
  const [order] = await readOrderRecords(ctx.db, [id], env, ctx.now);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'RadiologyOrder',
    resourceId: id,
    patientId: order!.patientId,
  });
  return order!;
}

/** Orders of a patient or an encounter, newest first. */
export async function listOrders(
  ctx: Ctx,
  env: RadiologyEnv,
  query: z.output<typeof RadOrderQuery>,
): Promise<RadOrder[]> {
  const facilityId = requireFacility(ctx);
  if (!query.patientId && !query.encounterId) {
    throw new RuleViolation(
      'RAD_QUERY_TOO_WIDE',
      'Give a patient or an encounter (the worklist shows the rest)',
      [{ path: 'patientId', message: 'required without encounterId' }],
    );
  }
  const rows = await ctx.db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.facilityId, facilityId),
        query.patientId ? eq(orders.patientId, query.patientId) : undefined,
        query.encounterId ? eq(orders.encounterId, query.encounterId) : undefined,
        query.status ? eq(orders.status, query.status) : undefined,
      ),
    )
    .orderBy(desc(orders.orderedAt), desc(orders.id))
    .limit(query.limit);
  const list = await readOrderRecords(
    ctx.db,
    rows.map((r) => r.id),
    env,
    ctx.now,
  );
  await auditList(ctx, list, 'orders');
  return list;
}

/** One audit entry per patient shown in a list. */
export async function auditList(ctx: Ctx, list: readonly { id: string; patientId: string }[], name: string) {
  const patients = [...new Set(list.map((r) => r.patientId))];
  await recordAudits(
    ctx.db,
    ctx,
    patients.map((patientId) => ({
      action: 'read',
      resourceType: 'RadiologyOrder',
      patientId,
      detail: { list: name, orderIds: list.filter((r) => r.patientId === patientId).map((r) => r.id) },
    })),
  );
}

/**
 * Cancels a walk-in whose study has not started (with its booking and, when it was charged, the charge). An
 * encounter's order is cancelled by the doctor in the encounter, which reaches here by event (422).
 */
export async function cancelOrder(
  ctx: Ctx,
  env: RadiologyEnv,
  id: string,
  input: z.output<typeof RadCancelBody>,
): Promise<RadOrder> {
  const facilityId = requireFacility(ctx);
  await ctx.db.transaction(async (tx) => {
    const order = await orderRowOf(tx, facilityId, id, true);
    assertVersion(order, input.version);
    if (order.orderId) {
      throw new RuleViolation(
        'RAD_ORDER_FROM_ENCOUNTER',
        "This is a doctor's order of an encounter: it is cancelled in the encounter (its charge goes with it)",
      );
    }
    if (!(CANCELLABLE as readonly string[]).includes(order.status)) {
      throw new RuleViolation(
        'RAD_ORDER_NOT_CANCELLABLE',
        `An order that is ${order.status} cannot be cancelled`,
      );
    }
    await writeCancellation(tx, ctx, order, input.reason);
    if (order.encounterId) {
      const payload: ServiceReversedPayload = {
        sourceType: SOURCE_TYPE,
        sourceId: order.id,
        reason: `Radiology order cancelled: ${input.reason}`.slice(0, 300),
      };
      await appendEvent(tx, env.events, {
        type: BILLING_EVENTS.serviceReversed,
        facilityId,
        aggregateId: order.id,
        actorId: actorId(ctx.actor),
        payload,
      });
    }
  });
  const [order] = await readOrderRecords(ctx.db, [id], env, ctx.now);
  return order!;
}
