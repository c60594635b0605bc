import type {
  PurchaseOrder,
  PurchaseOrderBody,
  PurchaseOrderQuery,
  SupplierReturn,
  SupplierReturnBody,
} from '@newhms/contracts';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { nextCounterValue } from '../../platform/db/counters';
import type { DbOrTx } from '../../platform/db/database';
import { newId } from '../../platform/db/ids';
import { Conflict, NotFound, RuleViolation } from '../../platform/http/errors';
import { requireFacility } from '../../platform/organization/facility-context';
import { batches, formularyItems, reorderLevels, stores, suppliers } from './pharmacy.tables';
import {
  purchaseOrderLines,
  purchaseOrders,
  supplierReturnLines,
  supplierReturns,
} from './purchasing.tables';
import { itemsBelowReorder } from './stock.service';
import { applyMovements } from './stock-ledger';
import { getStore } from './stores.service';

// Purchase orders (draft -> ordered -> partially received -> received, or cancelled) and returns to a
// supplier. A goods receipt that names a purchase order counts its lines against it (see receiveGoods).

type PoRow = typeof purchaseOrders.$inferSelect;

async function supplierOf(ctx: Ctx, facilityId: string, id: string) {
  const [s] = await ctx.db
    .select()
    .from(suppliers)
    .where(and(eq(suppliers.id, id), eq(suppliers.facilityId, facilityId)));
  if (!s) throw new NotFound('The supplier', 'PHARMACY_SUPPLIER_NOT_FOUND');
  return s;
}

async function toPurchaseOrders(db: DbOrTx, rows: PoRow[]): Promise<PurchaseOrder[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const lines = await db
    .select({
      line: purchaseOrderLines,
      genericName: formularyItems.genericName,
      strength: formularyItems.strength,
    })
    .from(purchaseOrderLines)
    .innerJoin(formularyItems, eq(formularyItems.id, purchaseOrderLines.formularyItemId))
    .where(inArray(purchaseOrderLines.purchaseOrderId, ids))
    .orderBy(asc(purchaseOrderLines.lineNo));
  const supplierNames = new Map(
    (
      await db
        .select({ id: suppliers.id, name: suppliers.name })
        .from(suppliers)
        .where(inArray(suppliers.id, [...new Set(rows.map((r) => r.supplierId))]))
    ).map((s) => [s.id, s.name]),
  );
  const storeNames = new Map(
    (
      await db
        .select({ id: stores.id, name: stores.name })
        .from(stores)
        .where(inArray(stores.id, [...new Set(rows.map((r) => r.storeId))]))
    ).map((s) => [s.id, s.name]),
  );
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    supplierId: r.supplierId,
    supplierName: supplierNames.get(r.supplierId) ?? '',
    storeId: r.storeId,
    storeName: storeNames.get(r.storeId) ?? '',
    status: r.status as PurchaseOrder['status'],
    expectedDate: r.expectedDate,
    notes: r.notes,
    total: r.total,
    createdByName: r.createdByName,
    orderedAt: r.orderedAt?.toISOString() ?? null,
    orderedByName: r.orderedByName,
    cancelReason: r.cancelReason,
    lines: lines
      .filter((l) => l.line.purchaseOrderId === r.id)
      .map((l) => ({
        lineNo: l.line.lineNo,
        formularyItemId: l.line.formularyItemId,
        genericName: l.genericName,
        strength: l.strength,
        quantity: l.line.quantity,
        rate: l.line.rate,
        received: l.line.received,
      })),
    version: r.version,
  }));
}

async function insertPurchaseOrder(
  ctx: Ctx,
  facilityId: string,
  input: z.output<typeof PurchaseOrderBody>,
): Promise<PurchaseOrder> {
  const ids = [...new Set(input.lines.map((l) => l.formularyItemId))];
  if (ids.length !== input.lines.length) {
    throw new RuleViolation('PHARMACY_PO_DUPLICATE_ITEM', 'Each item once per purchase order');
  }
  const known = await ctx.db
    .select({ id: formularyItems.id })
    .from(formularyItems)
    .where(inArray(formularyItems.id, ids));
  if (known.length !== ids.length) throw new NotFound('A formulary item', 'PHARMACY_ITEM_NOT_FOUND');
  const id = newId();
  await ctx.db.transaction(async (tx) => {
    const value = await nextCounterValue(tx, facilityId, 'pharmacy.purchase-order');
    await tx.insert(purchaseOrders).values({
      id,
      facilityId,
      number: `PO-${String(value).padStart(6, '0')}`,
      supplierId: input.supplierId,
      storeId: input.storeId,
      expectedDate: input.expectedDate ?? null,
      notes: input.notes ?? null,
      total: input.lines.reduce((s, l) => s + l.quantity * l.rate, 0),
      createdByName: ctx.actor.name,
    });
    await tx
      .insert(purchaseOrderLines)
      .values(input.lines.map((l, i) => ({ purchaseOrderId: id, lineNo: i + 1, ...l })));
    await recordAudit(tx, ctx, { action: 'create', resourceType: 'PurchaseOrder', resourceId: id });
  });
  return getPurchaseOrder(ctx, id);
}

/** A draft purchase order to a supplier for a store. */
export async function createPurchaseOrder(
  ctx: Ctx,
  input: z.output<typeof PurchaseOrderBody>,
): Promise<PurchaseOrder> {
  const facilityId = requireFacility(ctx);
  await supplierOf(ctx, facilityId, input.supplierId);
  await getStore(ctx, input.storeId);
  return insertPurchaseOrder(ctx, facilityId, input);
}

/**
 * A draft from what the store needs: every item at or under its reorder level, for its reorder quantity, at
 * the cost of its latest batch from any supplier (0 when never bought). 422 when nothing needs ordering.
 */
export async function suggestPurchaseOrder(
  ctx: Ctx,
  supplierId: string,
  storeId: string,
): Promise<PurchaseOrder> {
  const facilityId = requireFacility(ctx);
  await supplierOf(ctx, facilityId, supplierId);
  await getStore(ctx, storeId);
  const below = (await itemsBelowReorder(ctx, facilityId)).filter((r) => r.storeId === storeId);
  if (below.length === 0) {
    throw new RuleViolation(
      'PHARMACY_NOTHING_TO_ORDER',
      'No item of this store is at or under its reorder level',
    );
  }
  const levels = await ctx.db
    .select()
    .from(reorderLevels)
    .where(
      and(
        eq(reorderLevels.storeId, storeId),
        inArray(
          reorderLevels.formularyItemId,
          below.map((b) => b.formularyItemId),
        ),
      ),
    );
  const lines = [];
  for (const b of below) {
    const [latest] = await ctx.db
      .select({ cost: batches.cost })
      .from(batches)
      .where(and(eq(batches.facilityId, facilityId), eq(batches.formularyItemId, b.formularyItemId)))
      .orderBy(desc(batches.createdAt))
      .limit(1);
    const level = levels.find((l) => l.formularyItemId === b.formularyItemId);
    lines.push({
      formularyItemId: b.formularyItemId,
      quantity: level?.reorderQuantity ?? 1,
      rate: latest?.cost ?? 0,
    });
  }
  return insertPurchaseOrder(ctx, facilityId, {
    supplierId,
    storeId,
    notes: 'From the reorder levels',
    lines,
  });
}

export async function getPurchaseOrder(ctx: Ctx, id: string): Promise<PurchaseOrder> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.id, id), eq(purchaseOrders.facilityId, facilityId)));
  if (rows.length === 0) throw new NotFound('The purchase order', 'PHARMACY_PO_NOT_FOUND');
  return (await toPurchaseOrders(ctx.db, rows))[0]!;
}

export async function listPurchaseOrders(
  ctx: Ctx,
  query: z.output<typeof PurchaseOrderQuery>,
): Promise<PurchaseOrder[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(purchaseOrders)
    .where(
      and(
        eq(purchaseOrders.facilityId, facilityId),
        query.status ? eq(purchaseOrders.status, query.status) : undefined,
        query.supplierId ? eq(purchaseOrders.supplierId, query.supplierId) : undefined,
      ),
    )
    .orderBy(desc(purchaseOrders.createdAt))
    .limit(200);
  return toPurchaseOrders(ctx.db, rows);
}

/** Places a draft with the supplier, or cancels a draft or a placed order nothing has been received on. */
export async function changePurchaseOrder(
  ctx: Ctx,
  id: string,
  action: 'order' | 'cancel',
  input: { version: number; reason?: string | null | undefined },
): Promise<PurchaseOrder> {
  const facilityId = requireFacility(ctx);
  await ctx.db.transaction(async (tx) => {
    const [po] = await tx
      .select()
      .from(purchaseOrders)
      .where(and(eq(purchaseOrders.id, id), eq(purchaseOrders.facilityId, facilityId)))
      .for('update');
    if (!po) throw new NotFound('The purchase order', 'PHARMACY_PO_NOT_FOUND');
    if (po.version !== input.version) {
      throw new Conflict('PHARMACY_PO_CHANGED', 'The purchase order changed meanwhile; reload and try again');
    }
    if (action === 'order' && po.status !== 'draft') {
      throw new Conflict('PHARMACY_PO_NOT_DRAFT', `The purchase order is ${po.status}`);
    }
    if (action === 'cancel') {
      if (!['draft', 'ordered'].includes(po.status)) {
        throw new Conflict(
          'PHARMACY_PO_NOT_CANCELLABLE',
          `The purchase order is ${po.status}: it cannot be cancelled`,
        );
      }
      if (!input.reason)
        throw new RuleViolation('PHARMACY_REASON_REQUIRED', 'Say why the order is cancelled');
    }
    await tx
      .update(purchaseOrders)
      .set(
        action === 'order'
          ? {
              status: 'ordered',
              orderedAt: ctx.now,
              orderedByName: ctx.actor.name,
              version: po.version + 1,
              updatedAt: ctx.now,
            }
          : {
              status: 'cancelled',
              cancelReason: input.reason ?? null,
              version: po.version + 1,
              updatedAt: ctx.now,
            },
      )
      .where(eq(purchaseOrders.id, id));
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'PurchaseOrder',
      resourceId: id,
      detail: { action },
    });
  });
  return getPurchaseOrder(ctx, id);
}

// ---------------------------------------------------------------------------------------------------------
// Returns to a supplier
// ---------------------------------------------------------------------------------------------------------

/**
 * Sends batches back to their supplier (short expiry, damage, a recall): the units leave the store from the
 * named batches (not FEFO: it is those strips), never more than the store holds, with a numbered return note
 * valued at cost for the supplier's credit note.
 */
export async function returnToSupplier(
  ctx: Ctx,
  input: z.output<typeof SupplierReturnBody>,
): Promise<SupplierReturn> {
  const facilityId = requireFacility(ctx);
  const store = await getStore(ctx, input.storeId);
  const supplier = await supplierOf(ctx, facilityId, input.supplierId);
  const batchRows = await ctx.db
    .select()
    .from(batches)
    .where(
      and(
        inArray(
          batches.id,
          input.lines.map((l) => l.batchId),
        ),
        eq(batches.facilityId, facilityId),
      ),
    );
  const errors: { path: string; message: string }[] = [];
  input.lines.forEach((l, i) => {
    if (!batchRows.some((b) => b.id === l.batchId))
      errors.push({ path: `lines.${i}.batchId`, message: 'no such batch' });
  });
  if (errors.length > 0)
    throw new RuleViolation('PHARMACY_RETURN_INVALID', 'The return cannot be made', errors);
  const id = newId();
  await ctx.db.transaction(async (tx) => {
    const value = await nextCounterValue(tx, facilityId, 'pharmacy.supplier-return');
    const lines = input.lines.map((l, i) => {
      const b = batchRows.find((x) => x.id === l.batchId)!;
      return {
        returnId: id,
        lineNo: i + 1,
        batchId: b.id,
        quantity: l.quantity,
        cost: b.cost,
        item: b.formularyItemId,
      };
    });
    await tx.insert(supplierReturns).values({
      id,
      facilityId,
      number: `SR-${String(value).padStart(6, '0')}`,
      storeId: store.id,
      supplierId: supplier.id,
      reason: input.reason,
      totalCost: lines.reduce((s, l) => s + l.cost * l.quantity, 0),
      returnedByName: ctx.actor.name,
      returnedAt: ctx.now,
    });
    await tx.insert(supplierReturnLines).values(lines.map(({ item: _item, ...l }) => l));
    await applyMovements(
      tx,
      ctx,
      facilityId,
      lines.map((l) => ({
        storeId: store.id,
        batchId: l.batchId,
        formularyItemId: l.item,
        quantity: -l.quantity,
        kind: 'supplier-return' as const,
        referenceType: 'supplier-return',
        referenceId: id,
        reason: input.reason,
        witness: { id: actorId(ctx.actor), name: ctx.actor.name },
      })),
    );
    await recordAudit(tx, ctx, { action: 'create', resourceType: 'SupplierReturn', resourceId: id });
  });
  return getSupplierReturn(ctx, id);
}

export async function getSupplierReturn(ctx: Ctx, id: string): Promise<SupplierReturn> {
  const facilityId = requireFacility(ctx);
  const [r] = await ctx.db
    .select({ ret: supplierReturns, supplierName: suppliers.name })
    .from(supplierReturns)
    .innerJoin(suppliers, eq(suppliers.id, supplierReturns.supplierId))
    .where(and(eq(supplierReturns.id, id), eq(supplierReturns.facilityId, facilityId)));
  if (!r) throw new NotFound('The supplier return', 'PHARMACY_SUPPLIER_RETURN_NOT_FOUND');
  const lines = await ctx.db
    .select({ line: supplierReturnLines, batch: batches, genericName: formularyItems.genericName })
    .from(supplierReturnLines)
    .innerJoin(batches, eq(batches.id, supplierReturnLines.batchId))
    .innerJoin(formularyItems, eq(formularyItems.id, batches.formularyItemId))
    .where(eq(supplierReturnLines.returnId, id))
    .orderBy(asc(supplierReturnLines.lineNo));
  return {
    id: r.ret.id,
    number: r.ret.number,
    storeId: r.ret.storeId,
    supplierId: r.ret.supplierId,
    supplierName: r.supplierName,
    reason: r.ret.reason,
    totalCost: r.ret.totalCost,
    returnedByName: r.ret.returnedByName,
    returnedAt: r.ret.returnedAt.toISOString(),
    lines: lines.map(({ line, batch, genericName }) => ({
      lineNo: line.lineNo,
      batchId: batch.id,
      batchNo: batch.batchNo,
      genericName,
      expiryDate: batch.expiryDate,
      quantity: line.quantity,
      cost: line.cost,
    })),
  };
}
