import type {
  Payer,
  PayerBody,
  PayerPlan,
  PayerPlanBody,
  PayerQuery,
  UpdatePayerBody,
  UpdatePayerPlanBody,
} from '@newhms/contracts';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import type { Ctx } from '../../platform/context';
import { withConstraintErrors } from '../../platform/db/constraint-errors';
import type { DbOrTx } from '../../platform/db/database';
import { Conflict, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { payerPlans, payers } from './billing.tables';
import { requireFacility } from './insurance-records';

// Payers (insurers, TPAs, corporates, government schemes) and their plans: the rules a bill's payer split
// applies. Set up by accounts managers; edits carry the version they were based on.

export type PayerRow = typeof payers.$inferSelect;
export type PlanRow = typeof payerPlans.$inferSelect;

const constraints = {
  payers_code_uq: () => new Conflict('BILLING_PAYER_CODE_TAKEN', 'Another payer has this code'),
  payer_plans_code_uq: () => new Conflict('BILLING_PLAN_CODE_TAKEN', 'The payer has a plan with this code'),
};

export function toPayer(r: PayerRow): Payer {
  return {
    id: r.id,
    facilityId: r.facilityId,
    code: r.code,
    name: r.name,
    kind: r.kind as Payer['kind'],
    registrationNumber: r.registrationNumber,
    creditDays: r.creditDays,
    contactEmail: r.contactEmail,
    contactPhone: r.contactPhone,
    active: r.active,
    version: r.version,
  };
}

export function toPlan(r: PlanRow): PayerPlan {
  return {
    id: r.id,
    payerId: r.payerId,
    code: r.code,
    name: r.name,
    copayBp: r.copayBp,
    roomRentLimit: r.roomRentLimit,
    roomRentLimitBp: r.roomRentLimitBp,
    proportionateDeduction: r.proportionateDeduction,
    nonPayableGroups: r.nonPayableGroups,
    nonPayableCodes: r.nonPayableCodes,
    active: r.active,
    version: r.version,
  };
}

export async function loadPayer(db: DbOrTx, facilityId: string, id: string, lock = false): Promise<PayerRow> {
  const q = db
    .select()
    .from(payers)
    .where(and(eq(payers.id, id), eq(payers.facilityId, facilityId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFound('The payer', 'BILLING_PAYER_NOT_FOUND');
  return row;
}

/** A plan of one of the facility's payers (with its payer). */
export async function loadPlan(
  db: DbOrTx,
  facilityId: string,
  id: string,
  lock = false,
): Promise<{ plan: PlanRow; payer: PayerRow }> {
  if (lock)
    await db.select({ id: payerPlans.id }).from(payerPlans).where(eq(payerPlans.id, id)).for('update');
  const [row] = await db
    .select({ plan: payerPlans, payer: payers })
    .from(payerPlans)
    .innerJoin(payers, eq(payers.id, payerPlans.payerId))
    .where(and(eq(payerPlans.id, id), eq(payers.facilityId, facilityId)));
  if (!row) throw new NotFound('The plan', 'BILLING_PLAN_NOT_FOUND');
  return row;
}

async function setupAudit(tx: DbOrTx, ctx: Ctx, action: string, type: string, id: string, detail: object) {
  await recordAudit(tx, ctx, {
    action,
    resourceType: type,
    resourceId: id,
    detail: detail as Record<string, unknown>,
  });
}

export async function listPayers(ctx: Ctx, query: z.output<typeof PayerQuery>): Promise<Payer[]> {
  const facilityId = requireFacility(ctx);
  const where: SQL[] = [eq(payers.facilityId, facilityId)];
  if (query.kind) where.push(eq(payers.kind, query.kind));
  if (query.active !== undefined) where.push(eq(payers.active, query.active));
  const rows = await ctx.db
    .select()
    .from(payers)
    .where(and(...where))
    .orderBy(asc(payers.name), asc(payers.id))
    .limit(500);
  return rows.map(toPayer);
}

export async function getPayer(ctx: Ctx, id: string): Promise<Payer> {
  return toPayer(await loadPayer(ctx.db, requireFacility(ctx), id));
}

export async function createPayer(ctx: Ctx, input: z.output<typeof PayerBody>): Promise<Payer> {
  const facilityId = requireFacility(ctx);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(payers)
          .values({
            facilityId,
            code: input.code,
            name: input.name,
            kind: input.kind,
            registrationNumber: input.registrationNumber ?? null,
            creditDays: input.creditDays ?? 30,
            contactEmail: input.contactEmail ?? null,
            contactPhone: input.contactPhone ?? null,
            createdAt: ctx.now,
            updatedAt: ctx.now,
          })
          .returning();
        await setupAudit(tx, ctx, 'create', 'Payer', row!.id, { code: input.code, kind: input.kind });
        return toPayer(row!);
      }),
    constraints,
  );
}

export async function updatePayer(
  ctx: Ctx,
  id: string,
  input: z.output<typeof UpdatePayerBody>,
): Promise<Payer> {
  const facilityId = requireFacility(ctx);
  const { version, ...changes } = input;
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const row = await loadPayer(tx, facilityId, id, true);
        if (row.version !== version) throw new StaleVersion('The payer');
        if (changes.kind && changes.kind !== row.kind) {
          // A policy's account category follows the payer's kind; changing it under live policies would
          // re-label their bills.
          throw new Conflict(
            'BILLING_PAYER_KIND_FIXED',
            'The kind of a payer cannot change; add a new payer',
          );
        }
        const [updated] = await tx
          .update(payers)
          .set({ ...changes, version: row.version + 1, updatedAt: ctx.now })
          .where(eq(payers.id, id))
          .returning();
        await setupAudit(tx, ctx, 'update', 'Payer', id, changes);
        return toPayer(updated!);
      }),
    constraints,
  );
}

export async function listPlans(ctx: Ctx, payerId: string): Promise<PayerPlan[]> {
  const facilityId = requireFacility(ctx);
  await loadPayer(ctx.db, facilityId, payerId);
  const rows = await ctx.db
    .select()
    .from(payerPlans)
    .where(eq(payerPlans.payerId, payerId))
    .orderBy(asc(payerPlans.name), asc(payerPlans.id));
  return rows.map(toPlan);
}

export async function getPlan(ctx: Ctx, id: string): Promise<PayerPlan> {
  return toPlan((await loadPlan(ctx.db, requireFacility(ctx), id)).plan);
}

function assertRoomRent(limit: number | null | undefined, limitBp: number | null | undefined) {
  if (limit != null && limitBp != null) {
    throw new RuleViolation(
      'BILLING_PLAN_ROOM_RENT',
      'Give the room-rent limit either in paise per day or as basis points of the sum insured, not both',
      [{ path: 'body.roomRentLimitBp', message: 'leave empty when roomRentLimit is set' }],
    );
  }
}

export async function createPlan(
  ctx: Ctx,
  payerId: string,
  input: z.output<typeof PayerPlanBody>,
): Promise<PayerPlan> {
  const facilityId = requireFacility(ctx);
  assertRoomRent(input.roomRentLimit, input.roomRentLimitBp);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        await loadPayer(tx, facilityId, payerId);
        const [row] = await tx
          .insert(payerPlans)
          .values({
            payerId,
            code: input.code,
            name: input.name,
            copayBp: input.copayBp ?? 0,
            roomRentLimit: input.roomRentLimit ?? null,
            roomRentLimitBp: input.roomRentLimitBp ?? null,
            proportionateDeduction: input.proportionateDeduction ?? true,
            nonPayableGroups: [...new Set(input.nonPayableGroups ?? [])],
            nonPayableCodes: [...new Set(input.nonPayableCodes ?? [])],
            createdAt: ctx.now,
            updatedAt: ctx.now,
          })
          .returning();
        await setupAudit(tx, ctx, 'create', 'PayerPlan', row!.id, { payerId, code: input.code });
        return toPlan(row!);
      }),
    constraints,
  );
}

export async function updatePlan(
  ctx: Ctx,
  id: string,
  input: z.output<typeof UpdatePayerPlanBody>,
): Promise<PayerPlan> {
  const facilityId = requireFacility(ctx);
  const { version, ...changes } = input;
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const { plan } = await loadPlan(tx, facilityId, id, true);
        if (plan.version !== version) throw new StaleVersion('The plan');
        assertRoomRent(
          changes.roomRentLimit === undefined ? plan.roomRentLimit : changes.roomRentLimit,
          changes.roomRentLimitBp === undefined ? plan.roomRentLimitBp : changes.roomRentLimitBp,
        );
        const [updated] = await tx
          .update(payerPlans)
          .set({
            ...changes,
            ...(changes.nonPayableGroups ? { nonPayableGroups: [...new Set(changes.nonPayableGroups)] } : {}),
            ...(changes.nonPayableCodes ? { nonPayableCodes: [...new Set(changes.nonPayableCodes)] } : {}),
            version: plan.version + 1,
            updatedAt: ctx.now,
          })
          .where(eq(payerPlans.id, id))
          .returning();
        await setupAudit(tx, ctx, 'update', 'PayerPlan', id, changes);
        return toPlan(updated!);
      }),
    constraints,
  );
}
