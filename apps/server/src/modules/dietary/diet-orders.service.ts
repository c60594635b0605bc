import {
  type AdmissionDiet,
  type AdmissionEventPayload,
  type Diet,
  type DietOrder,
  type DietOrderBody,
  IPD_EVENTS,
} from '@newhms/contracts';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import type { DbOrTx, Tx } from '../../platform/db/database';
import { Conflict, DomainError, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { type AdmissionPlacement, getAdmissionPlacement } from '../ipd';
import { getPatient, getPatientSummaries } from '../patients';
import { dietOrders } from './dietary.tables';
import { allergySnapshot } from './dietary-rules';

// Diet orders of an admission: a new order replaces the active one, stop ends it, and the end of the stay
// (discharge, cancellation) stops it. Every order is patient data: each read and write is audited.

export type DietOrderRow = typeof dietOrders.$inferSelect;

export function requireFacility(ctx: Ctx): string {
  if (!ctx.facilityId) throw new RuleViolation('FACILITY_REQUIRED', 'Choose a facility first');
  return ctx.facilityId;
}

export function toDietOrder(r: DietOrderRow): DietOrder {
  return {
    id: r.id,
    facilityId: r.facilityId,
    admissionId: r.admissionId,
    patientId: r.patientId,
    diet: r.diet as Diet,
    npoFrom: r.npoFrom?.toISOString() ?? null,
    npoUntil: r.npoUntil?.toISOString() ?? null,
    tubeFeed:
      r.tubeFeedFormula !== null && r.tubeFeedVolumeMl !== null && r.tubeFeedTimesPerDay !== null
        ? { formula: r.tubeFeedFormula, volumeMl: r.tubeFeedVolumeMl, timesPerDay: r.tubeFeedTimesPerDay }
        : null,
    instructions: r.instructions,
    allergies: r.allergies,
    allergyState: r.allergyState as DietOrder['allergyState'],
    status: r.status as DietOrder['status'],
    startsAt: r.startsAt.toISOString(),
    endedAt: r.endedAt?.toISOString() ?? null,
    endReason: r.endReason,
    orderedByName: r.orderedByName,
    version: r.version,
  };
}

async function placementOf(ctx: Ctx, facilityId: string, admissionId: string): Promise<AdmissionPlacement> {
  const placement = await getAdmissionPlacement(ctx.db, facilityId, admissionId);
  if (!placement) throw new NotFound('The admission', 'DIETARY_ADMISSION_NOT_FOUND');
  return placement;
}

const changedMeanwhile = () =>
  new Conflict(
    'DIETARY_ORDER_CHANGED',
    'The diet of this admission was changed meanwhile; reload and try again',
  );

/**
 * Orders a diet for an open admission. The active order, if any, is replaced (kept, status 'replaced'); the
 * patient's allergies are copied onto the order for the kitchen.
 */
export async function orderDiet(
  ctx: Ctx,
  admissionId: string,
  input: z.output<typeof DietOrderBody>,
): Promise<DietOrder> {
  const facilityId = requireFacility(ctx);
  const placement = await placementOf(ctx, facilityId, admissionId);
  if (!placement.open) {
    throw new Conflict(
      'DIETARY_ADMISSION_CLOSED',
      `The admission is ${placement.status}: no diet can be ordered`,
    );
  }
  const npo = input.diet === 'npo' ? npoWindow(ctx.now, input.npoFrom, input.npoUntil) : null;
  const patient = await getPatient(ctx.db, placement.patientId, ctx.now);
  const allergies = allergySnapshot(patient);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [active] = await tx
        .select()
        .from(dietOrders)
        .where(and(eq(dietOrders.admissionId, admissionId), eq(dietOrders.status, 'active')))
        .for('update');
      if (input.replacesOrderId !== undefined && (active?.id ?? null) !== input.replacesOrderId) {
        throw changedMeanwhile();
      }
      if (active) {
        await tx
          .update(dietOrders)
          .set({
            status: 'replaced',
            endedAt: ctx.now,
            endReason: 'replaced by a new order',
            version: active.version + 1,
            updatedAt: ctx.now,
          })
          .where(eq(dietOrders.id, active.id));
        await recordAudit(tx, ctx, {
          action: 'update',
          resourceType: 'DietOrder',
          resourceId: active.id,
          patientId: active.patientId,
          detail: { change: 'replaced' },
        });
      }
      const [row] = await tx
        .insert(dietOrders)
        .values({
          facilityId,
          admissionId,
          patientId: placement.patientId,
          diet: input.diet,
          npoFrom: npo?.from ?? null,
          npoUntil: npo?.until ?? null,
          tubeFeedFormula: input.tubeFeed?.formula ?? null,
          tubeFeedVolumeMl: input.tubeFeed?.volumeMl ?? null,
          tubeFeedTimesPerDay: input.tubeFeed?.timesPerDay ?? null,
          instructions: input.instructions ?? null,
          allergies: allergies.allergies,
          allergyState: allergies.allergyState,
          startsAt: ctx.now,
          orderedById: actorId(ctx.actor),
          orderedByName: ctx.actor.name,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .returning();
      await recordAudit(tx, ctx, {
        action: 'create',
        resourceType: 'DietOrder',
        resourceId: row!.id,
        patientId: placement.patientId,
        detail: { admissionId, diet: input.diet, replaces: active?.id ?? null },
      });
      return toDietOrder(row!);
    });
  } catch (err) {
    // Two orders at once for one admission: the partial unique index keeps one active, the other is told.
    if (!(err instanceof DomainError) && /diet_orders_one_active_uq/.test(describe(err)))
      throw changedMeanwhile();
    throw err;
  }
}

function describe(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const o = e as { message?: unknown; constraint?: unknown; cause?: unknown };
    parts.push(String(o.message ?? ''), String(o.constraint ?? ''));
    e = o.cause;
  }
  return parts.join(' ');
}

/** The NPO window: from (default now) until (null: until further orders), which must be ahead. */
function npoWindow(now: Date, from: string | undefined, until: string | null | undefined) {
  const start = from ? new Date(from) : now;
  const end = until ? new Date(until) : null;
  if (end && end <= start) {
    throw new RuleViolation('DIETARY_NPO_WINDOW', 'NPO must end after it starts', [
      { path: 'body.npoUntil', message: 'must be after npoFrom (default now)' },
    ]);
  }
  if (end && end <= now) {
    throw new RuleViolation('DIETARY_NPO_WINDOW', 'This NPO window is already over', [
      { path: 'body.npoUntil', message: 'must be in the future' },
    ]);
  }
  return { from: start, until: end };
}

async function lockOrder(tx: Tx, facilityId: string, id: string, version: number | undefined) {
  const [row] = await tx
    .select()
    .from(dietOrders)
    .where(and(eq(dietOrders.id, id), eq(dietOrders.facilityId, facilityId)))
    .for('update');
  if (!row) throw new NotFound('The diet order', 'DIETARY_ORDER_NOT_FOUND');
  if (version !== undefined && row.version !== version) throw new StaleVersion('The diet order');
  return row;
}

/** Stops the active order (nothing by the kitchen until a new order), with the reason. */
export async function stopDietOrder(
  ctx: Ctx,
  id: string,
  input: { reason: string; version?: number | undefined },
): Promise<DietOrder> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const current = await lockOrder(tx, facilityId, id, input.version);
    if (current.status !== 'active') {
      throw new Conflict('DIETARY_ORDER_NOT_ACTIVE', `An order that is ${current.status} cannot be stopped`);
    }
    const [row] = await tx
      .update(dietOrders)
      .set({
        status: 'stopped',
        endedAt: ctx.now,
        endReason: input.reason,
        version: current.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(dietOrders.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'DietOrder',
      resourceId: id,
      patientId: current.patientId,
      detail: { change: 'stopped', reason: input.reason },
    });
    return toDietOrder(row!);
  });
}

export async function getDietOrder(ctx: Ctx, id: string): Promise<DietOrder> {
  const facilityId = requireFacility(ctx);
  const [row] = await ctx.db
    .select()
    .from(dietOrders)
    .where(and(eq(dietOrders.id, id), eq(dietOrders.facilityId, facilityId)));
  if (!row) throw new NotFound('The diet order', 'DIETARY_ORDER_NOT_FOUND');
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'DietOrder',
    resourceId: id,
    patientId: row.patientId,
  });
  return toDietOrder(row);
}

/** The diet of an admission: where the patient lies, the active order and every order before it. */
export async function getAdmissionDiet(ctx: Ctx, admissionId: string): Promise<AdmissionDiet> {
  const facilityId = requireFacility(ctx);
  const placement = await placementOf(ctx, facilityId, admissionId);
  const rows = await ctx.db
    .select()
    .from(dietOrders)
    .where(eq(dietOrders.admissionId, admissionId))
    .orderBy(desc(dietOrders.startsAt), desc(dietOrders.id));
  const [patient] = await getPatientSummaries(ctx.db, [placement.patientId], ctx.now);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'DietOrder',
    resourceId: admissionId,
    patientId: placement.patientId,
    detail: { purpose: 'admission-diet', orders: rows.length },
  });
  const history = rows.map(toDietOrder);
  return {
    placement: {
      admissionId,
      admissionNumber: placement.admissionNumber,
      status: placement.status,
      patientId: placement.patientId,
      patientName: patient?.displayName ?? '',
      mrn: patient?.mrn ?? '',
      wardId: placement.bed?.wardId ?? null,
      wardName: placement.bed?.wardName ?? null,
      bedId: placement.bed?.bedId ?? null,
      bedCode: placement.bed?.bedCode ?? null,
    },
    active: history.find((o) => o.status === 'active') ?? null,
    history,
  };
}

/**
 * The subscriber of `ipd.admission.discharged` and `ipd.admission.cancelled`: the active order stops when the
 * patient leaves (idempotent: a second delivery finds nothing active).
 */
export async function stopOnAdmissionEnd(
  tx: DbOrTx,
  ctx: Omit<Ctx, 'db'>,
  type: string,
  p: AdmissionEventPayload,
): Promise<DietOrderRow | null> {
  const reason = type === IPD_EVENTS.cancelled ? 'admission cancelled' : 'discharged';
  const at = new Date(p.at);
  const [row] = await tx
    .update(dietOrders)
    .set({
      status: 'stopped',
      endedAt: at,
      endReason: reason,
      version: sql`${dietOrders.version} + 1`,
      updatedAt: ctx.now,
    })
    .where(and(eq(dietOrders.admissionId, p.admissionId), eq(dietOrders.status, 'active')))
    .returning();
  if (!row) return null;
  await recordAudit(tx, ctx, {
    action: 'update',
    resourceType: 'DietOrder',
    resourceId: row.id,
    patientId: row.patientId,
    detail: { change: 'stopped', reason, eventType: type },
  });
  return row;
}
