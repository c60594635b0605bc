import type {
  AdjustmentBody,
  AdjustmentDecisionBody,
  ControlledRegisterQuery,
  ExpiringBatch,
  ExpiryQuery,
  ReorderLevelBody,
  StockAdjustment,
  StockItem,
  StockMovement,
  StockQuery,
} from '@newhms/contracts';
import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { rowsOf } from '../../platform/db/raw-rows';
import { Conflict, Forbidden, NotFound } from '../../platform/http/errors';
import { facilityToday, requireFacility } from '../../platform/organization/facility-context';
import { addDays, daysBetween, zonedInstant } from '../../platform/time/facility-time';
import { getPatientSummaries } from '../patients';
import {
  batches,
  brands,
  formularyItems,
  reorderLevels,
  stock,
  stockAdjustments,
  stockMovements,
  stores,
} from './pharmacy.tables';
import { applyMovements, isControlled } from './stock-ledger';
import { getStore } from './stores.service';

// What is on the shelves: stock per store by item and batch (first to expire first), the expiry list in the
// 90/60/30-day bands, reorder levels, adjustments that need a second person's approval, the ledger and the
// controlled-drug register.

export function expiryBand(daysToExpiry: number): ExpiringBatch['band'] {
  if (daysToExpiry <= 0) return 'expired';
  if (daysToExpiry <= 30) return '30';
  if (daysToExpiry <= 60) return '60';
  if (daysToExpiry <= 90) return '90';
  return 'later';
}

/** Stock of a store by item, each with its batches in FEFO order and whether it is below its reorder level. */
export async function storeStock(
  ctx: Ctx,
  storeId: string,
  query: z.output<typeof StockQuery>,
): Promise<StockItem[]> {
  const store = await getStore(ctx, storeId);
  const { today } = await facilityToday(ctx.db, store.facilityId, ctx.now);
  const q = query.q?.trim();
  const rows = await ctx.db
    .select({
      item: formularyItems,
      batchId: batches.id,
      batchNo: batches.batchNo,
      expiryDate: batches.expiryDate,
      mrp: batches.mrp,
      brandName: brands.name,
      quantity: stock.quantity,
      minimum: reorderLevels.minimum,
      reorderQuantity: reorderLevels.reorderQuantity,
    })
    .from(stock)
    .innerJoin(batches, eq(batches.id, stock.batchId))
    .innerJoin(formularyItems, eq(formularyItems.id, stock.formularyItemId))
    .leftJoin(brands, eq(brands.id, batches.brandId))
    .leftJoin(
      reorderLevels,
      and(eq(reorderLevels.storeId, stock.storeId), eq(reorderLevels.formularyItemId, stock.formularyItemId)),
    )
    .where(
      and(
        eq(stock.storeId, storeId),
        sql`${stock.quantity} > 0`,
        q
          ? sql`${formularyItems.genericName} ilike ${`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`
          : undefined,
      ),
    )
    .orderBy(asc(formularyItems.genericName), asc(formularyItems.strength), asc(batches.expiryDate));
  // Items with a reorder level and nothing left still belong on the list (they are the most urgent).
  const empty = await ctx.db
    .select({
      item: formularyItems,
      minimum: reorderLevels.minimum,
      reorderQuantity: reorderLevels.reorderQuantity,
    })
    .from(reorderLevels)
    .innerJoin(formularyItems, eq(formularyItems.id, reorderLevels.formularyItemId))
    .where(
      and(
        eq(reorderLevels.storeId, storeId),
        sql`not exists (select 1 from ${stock} where ${stock.storeId} = ${reorderLevels.storeId} and ${stock.formularyItemId} = ${reorderLevels.formularyItemId} and ${stock.quantity} > 0)`,
      ),
    );
  const byItem = new Map<string, StockItem>();
  const entry = (
    item: typeof formularyItems.$inferSelect,
    minimum: number | null,
    reorderQuantity: number | null,
  ) => {
    let e = byItem.get(item.id);
    if (!e) {
      e = {
        storeId,
        formularyItemId: item.id,
        code: item.code,
        genericName: item.genericName,
        strength: item.strength,
        doseForm: item.doseForm,
        unitOfIssue: item.unitOfIssue,
        schedule: item.schedule as StockItem['schedule'],
        controlled: isControlled(item),
        highAlert: item.highAlert,
        available: 0,
        expired: 0,
        reorderMinimum: minimum,
        reorderQuantity,
        belowReorder: false,
        batches: [],
      };
      byItem.set(item.id, e);
    }
    return e;
  };
  for (const r of rows) {
    const e = entry(r.item, r.minimum, r.reorderQuantity);
    const daysToExpiry = daysBetween(today, r.expiryDate);
    if (daysToExpiry > 0) e.available += r.quantity;
    else e.expired += r.quantity;
    e.batches.push({
      batchId: r.batchId,
      batchNo: r.batchNo,
      brandName: r.brandName,
      expiryDate: r.expiryDate,
      quantity: r.quantity,
      mrp: r.mrp,
      daysToExpiry,
    });
  }
  if (!q) for (const r of empty) entry(r.item, r.minimum, r.reorderQuantity);
  const items = [...byItem.values()].map((e) => ({
    ...e,
    belowReorder: e.reorderMinimum !== null && e.available <= e.reorderMinimum,
  }));
  items.sort((a, b) => a.genericName.localeCompare(b.genericName) || a.strength.localeCompare(b.strength));
  return (query.belowReorder ? items.filter((i) => i.belowReorder) : items).slice(0, query.limit);
}

export async function setReorderLevel(
  ctx: Ctx,
  storeId: string,
  formularyItemId: string,
  input: z.output<typeof ReorderLevelBody>,
): Promise<void> {
  await getStore(ctx, storeId);
  const [item] = await ctx.db
    .select({ id: formularyItems.id })
    .from(formularyItems)
    .where(eq(formularyItems.id, formularyItemId));
  if (!item) throw new NotFound('The formulary item', 'PHARMACY_ITEM_NOT_FOUND');
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(reorderLevels)
      .values({ storeId, formularyItemId, minimum: input.minimum, reorderQuantity: input.reorderQuantity })
      .onConflictDoUpdate({
        target: [reorderLevels.storeId, reorderLevels.formularyItemId],
        set: { minimum: input.minimum, reorderQuantity: input.reorderQuantity, updatedAt: ctx.now },
      });
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'PharmacyReorderLevel',
      resourceId: formularyItemId,
      detail: { storeId, ...input },
    });
  });
}

/** Batches with stock that expire within `withinDays` (or have expired), the first to expire first. */
export async function expiringStock(ctx: Ctx, query: z.output<typeof ExpiryQuery>): Promise<ExpiringBatch[]> {
  const facilityId = requireFacility(ctx);
  const { today } = await facilityToday(ctx.db, facilityId, ctx.now);
  const rows = await ctx.db
    .select({
      storeId: stores.id,
      storeName: stores.name,
      formularyItemId: formularyItems.id,
      genericName: formularyItems.genericName,
      strength: formularyItems.strength,
      batchId: batches.id,
      batchNo: batches.batchNo,
      expiryDate: batches.expiryDate,
      cost: batches.cost,
      quantity: stock.quantity,
    })
    .from(stock)
    .innerJoin(stores, eq(stores.id, stock.storeId))
    .innerJoin(batches, eq(batches.id, stock.batchId))
    .innerJoin(formularyItems, eq(formularyItems.id, stock.formularyItemId))
    .where(
      and(
        eq(stores.facilityId, facilityId),
        query.storeId ? eq(stores.id, query.storeId) : undefined,
        sql`${stock.quantity} > 0`,
        sql`${batches.expiryDate} <= ${addDays(today, query.withinDays)}`,
      ),
    )
    .orderBy(asc(batches.expiryDate), asc(formularyItems.genericName), asc(stores.name));
  return rows.map((r) => {
    const daysToExpiry = daysBetween(today, r.expiryDate);
    return {
      storeId: r.storeId,
      storeName: r.storeName,
      formularyItemId: r.formularyItemId,
      genericName: r.genericName,
      strength: r.strength,
      batchId: r.batchId,
      batchNo: r.batchNo,
      expiryDate: r.expiryDate,
      daysToExpiry,
      band: expiryBand(daysToExpiry),
      quantity: r.quantity,
      costValue: r.quantity * r.cost,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Adjustments: asked by one person, applied when another approves
// ---------------------------------------------------------------------------------------------------------

type AdjustmentRow = typeof stockAdjustments.$inferSelect;

async function toAdjustments(ctx: Ctx, rows: AdjustmentRow[]): Promise<StockAdjustment[]> {
  if (rows.length === 0) return [];
  const details = await ctx.db
    .select({ batchId: batches.id, batchNo: batches.batchNo, genericName: formularyItems.genericName })
    .from(batches)
    .innerJoin(formularyItems, eq(formularyItems.id, batches.formularyItemId))
    .where(inArray(batches.id, [...new Set(rows.map((r) => r.batchId))]));
  const storeRows = await ctx.db
    .select({ id: stores.id, name: stores.name })
    .from(stores)
    .where(inArray(stores.id, [...new Set(rows.map((r) => r.storeId))]));
  return rows.map((r) => {
    const d = details.find((x) => x.batchId === r.batchId);
    return {
      id: r.id,
      storeId: r.storeId,
      storeName: storeRows.find((s) => s.id === r.storeId)?.name ?? '',
      batchId: r.batchId,
      batchNo: d?.batchNo ?? '',
      genericName: d?.genericName ?? '',
      quantity: r.quantity,
      kind: r.kind as StockAdjustment['kind'],
      reason: r.reason,
      status: r.status as StockAdjustment['status'],
      requestedByName: r.requestedByName,
      requestedAt: r.requestedAt.toISOString(),
      decidedByName: r.decidedByName,
      decidedAt: r.decidedAt?.toISOString() ?? null,
      decisionNote: r.decisionNote,
      version: r.version,
    };
  });
}

export async function requestAdjustment(
  ctx: Ctx,
  input: z.output<typeof AdjustmentBody>,
): Promise<StockAdjustment> {
  const facilityId = requireFacility(ctx);
  await getStore(ctx, input.storeId);
  const [batch] = await ctx.db
    .select()
    .from(batches)
    .where(and(eq(batches.id, input.batchId), eq(batches.facilityId, facilityId)));
  if (!batch) throw new NotFound('The batch', 'PHARMACY_BATCH_NOT_FOUND');
  if (input.kind === 'expired-write-off' && input.quantity > 0) {
    throw new Conflict('PHARMACY_WRITE_OFF_ADDS', 'A write-off takes stock out: give a negative quantity');
  }
  const row = await ctx.db.transaction(async (tx) => {
    const [r] = await tx
      .insert(stockAdjustments)
      .values({
        facilityId,
        storeId: input.storeId,
        batchId: input.batchId,
        quantity: input.quantity,
        kind: input.kind,
        reason: input.reason,
        requestedById: actorId(ctx.actor),
        requestedByName: ctx.actor.name,
        requestedAt: ctx.now,
      })
      .returning();
    await recordAudit(tx, ctx, { action: 'create', resourceType: 'StockAdjustment', resourceId: r!.id });
    return r!;
  });
  return (await toAdjustments(ctx, [row]))[0]!;
}

export async function listAdjustments(ctx: Ctx, status?: string): Promise<StockAdjustment[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(stockAdjustments)
    .where(
      and(
        eq(stockAdjustments.facilityId, facilityId),
        status ? eq(stockAdjustments.status, status) : undefined,
      ),
    )
    .orderBy(desc(stockAdjustments.requestedAt))
    .limit(200);
  return toAdjustments(ctx, rows);
}

/**
 * Approves (applies to stock, in the same transaction) or rejects a pending adjustment. The person who asked
 * cannot decide their own; a stale version is a 409; an approval that would take the batch below zero is a
 * 409 and leaves the adjustment pending.
 */
export async function decideAdjustment(
  ctx: Ctx,
  id: string,
  input: z.output<typeof AdjustmentDecisionBody>,
): Promise<StockAdjustment> {
  const facilityId = requireFacility(ctx);
  const row = await ctx.db.transaction(async (tx) => {
    const [a] = await tx
      .select()
      .from(stockAdjustments)
      .where(and(eq(stockAdjustments.id, id), eq(stockAdjustments.facilityId, facilityId)))
      .for('update');
    if (!a) throw new NotFound('The adjustment', 'PHARMACY_ADJUSTMENT_NOT_FOUND');
    if (a.status !== 'pending') {
      throw new Conflict('PHARMACY_ADJUSTMENT_DECIDED', `The adjustment was ${a.status} already`);
    }
    if (a.version !== input.version) {
      throw new Conflict(
        'PHARMACY_ADJUSTMENT_CHANGED',
        'The adjustment changed meanwhile; reload and try again',
      );
    }
    if (a.requestedById && a.requestedById === actorId(ctx.actor)) {
      throw new Forbidden(
        'PHARMACY_SELF_APPROVAL',
        'Someone other than the requester must decide an adjustment',
      );
    }
    if (input.decision === 'approved') {
      const [batch] = await tx.select().from(batches).where(eq(batches.id, a.batchId));
      await applyMovements(tx, ctx, facilityId, [
        {
          storeId: a.storeId,
          batchId: a.batchId,
          formularyItemId: batch!.formularyItemId,
          quantity: a.quantity,
          kind: a.kind === 'expired-write-off' ? 'expired-write-off' : 'adjustment',
          referenceType: 'adjustment',
          referenceId: a.id,
          reason: a.reason,
          witness: { id: actorId(ctx.actor), name: ctx.actor.name },
        },
      ]);
    }
    const [updated] = await tx
      .update(stockAdjustments)
      .set({
        status: input.decision,
        decidedById: actorId(ctx.actor),
        decidedByName: ctx.actor.name,
        decidedAt: ctx.now,
        decisionNote: input.note ?? null,
        version: a.version + 1,
      })
      .where(eq(stockAdjustments.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'StockAdjustment',
      resourceId: id,
      detail: { decision: input.decision },
    });
    return updated!;
  });
  return (await toAdjustments(ctx, [row]))[0]!;
}

// ---------------------------------------------------------------------------------------------------------
// The ledger and the controlled-drug register
// ---------------------------------------------------------------------------------------------------------

type MovementRow = { movement: typeof stockMovements.$inferSelect; batchNo: string; genericName: string };

function toMovement({ movement: m, batchNo, genericName }: MovementRow): StockMovement {
  return {
    id: m.id,
    storeId: m.storeId,
    batchId: m.batchId,
    batchNo,
    formularyItemId: m.formularyItemId,
    genericName,
    quantity: m.quantity,
    kind: m.kind as StockMovement['kind'],
    referenceType: m.referenceType,
    referenceId: m.referenceId,
    reason: m.reason,
    patientId: m.patientId,
    patientName: null,
    patientMrn: null,
    balanceAfter: m.balanceAfter,
    witnessName: m.witnessName,
    prescriberName: m.prescriberName,
    performedByName: m.performedByName,
    occurredAt: m.occurredAt.toISOString(),
  };
}

/**
 * The register of Schedule H1 / X and narcotic drugs of a store: every movement with the running balance
 * after it, the patient and prescriber of each issue, and the witness. Reading it is audited (it names
 * patients).
 */
export async function controlledRegister(
  ctx: Ctx,
  query: z.output<typeof ControlledRegisterQuery>,
): Promise<StockMovement[]> {
  const store = await getStore(ctx, query.storeId);
  const { timeZone } = await facilityToday(ctx.db, store.facilityId, ctx.now);
  const rows = await ctx.db
    .select({ movement: stockMovements, batchNo: batches.batchNo, genericName: formularyItems.genericName })
    .from(stockMovements)
    .innerJoin(batches, eq(batches.id, stockMovements.batchId))
    .innerJoin(formularyItems, eq(formularyItems.id, stockMovements.formularyItemId))
    .where(
      and(
        eq(stockMovements.storeId, store.id),
        eq(stockMovements.controlled, true),
        query.formularyItemId ? eq(stockMovements.formularyItemId, query.formularyItemId) : undefined,
        query.from ? gte(stockMovements.occurredAt, zonedInstant(query.from, '00:00', timeZone)) : undefined,
        query.to
          ? lt(stockMovements.occurredAt, zonedInstant(addDays(query.to, 1), '00:00', timeZone))
          : undefined,
      ),
    )
    .orderBy(asc(formularyItems.genericName), asc(stockMovements.occurredAt), asc(stockMovements.id))
    .limit(2000);
  const patientIds = [...new Set(rows.flatMap((r) => (r.movement.patientId ? [r.movement.patientId] : [])))];
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'ControlledDrugRegister',
    resourceId: store.id,
    detail: { rows: rows.length, patients: patientIds.length },
  });
  const people = new Map((await getPatientSummaries(ctx.db, patientIds, ctx.now)).map((p) => [p.id, p]));
  return rows.map((r) => {
    const m = toMovement(r);
    const p = m.patientId ? people.get(m.patientId) : undefined;
    return { ...m, patientName: p?.displayName ?? null, patientMrn: p?.mrn ?? null };
  });
}

/** Every movement of an item in a store, newest first (the item's stock card). */
export async function stockCard(
  ctx: Ctx,
  storeId: string,
  formularyItemId: string,
): Promise<StockMovement[]> {
  await getStore(ctx, storeId);
  const rows = await ctx.db
    .select({ movement: stockMovements, batchNo: batches.batchNo, genericName: formularyItems.genericName })
    .from(stockMovements)
    .innerJoin(batches, eq(batches.id, stockMovements.batchId))
    .innerJoin(formularyItems, eq(formularyItems.id, stockMovements.formularyItemId))
    .where(and(eq(stockMovements.storeId, storeId), eq(stockMovements.formularyItemId, formularyItemId)))
    .orderBy(desc(stockMovements.occurredAt), desc(stockMovements.id))
    .limit(500);
  return rows.map(toMovement);
}

/** Units of each item at or under its reorder level, per store of the facility (the reorder job's list). */
export async function itemsBelowReorder(
  ctx: Ctx,
  facilityId: string,
): Promise<{ storeId: string; formularyItemId: string; available: number; minimum: number }[]> {
  const { today } = await facilityToday(ctx.db, facilityId, ctx.now);
  return rowsOf<{ storeId: string; formularyItemId: string; available: number; minimum: number }>(
    ctx.db,
    sql`
      select r.store_id as "storeId", r.formulary_item_id as "formularyItemId", r.minimum,
        coalesce((select sum(s.quantity) from ${stock} s join ${batches} b on b.id = s.batch_id
          where s.store_id = r.store_id and s.formulary_item_id = r.formulary_item_id
            and b.expiry_date > ${today}), 0)::int as available
      from ${reorderLevels} r join ${stores} st on st.id = r.store_id
      where st.facility_id = ${facilityId}
      and coalesce((select sum(s.quantity) from ${stock} s join ${batches} b on b.id = s.batch_id
          where s.store_id = r.store_id and s.formulary_item_id = r.formulary_item_id
            and b.expiry_date > ${today}), 0) <= r.minimum`,
  );
}
