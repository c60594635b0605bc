import type {
  FormularyItem,
  FormularyQuery,
  GoodsReceipt,
  GoodsReceiptBody,
  Store,
  StoreBody,
  Supplier,
  SupplierBody,
} from '@newhms/contracts';
import { and, asc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { withConstraintErrors } from '../../platform/db/constraint-errors';
import { nextCounterValue } from '../../platform/db/counters';
import { Conflict, NotFound, RuleViolation } from '../../platform/http/errors';
import { facilityToday, requireFacility } from '../../platform/organization/facility-context';
import {
  batches,
  brands,
  formularyItems,
  goodsReceiptLines,
  goodsReceipts,
  stores,
  suppliers,
} from './pharmacy.tables';
import { fillPurchaseOrder } from './purchase-order-fill';
import { applyMovements, isControlled } from './stock-ledger';

// The formulary as the pharmacy sees it, its stores and suppliers, and goods receipts: a supplier's delivery
// posted into a store, batch by batch, in one transaction.

type StoreRow = typeof stores.$inferSelect;
type SupplierRow = typeof suppliers.$inferSelect;
type ItemRow = typeof formularyItems.$inferSelect;

export function toStore(r: StoreRow): Store {
  return {
    id: r.id,
    facilityId: r.facilityId,
    code: r.code,
    name: r.name,
    kind: r.kind as Store['kind'],
    wardId: r.wardId,
    dispenses: r.dispenses,
    active: r.active,
    version: r.version,
  };
}

function toSupplier(r: SupplierRow): Supplier {
  return {
    id: r.id,
    facilityId: r.facilityId,
    name: r.name,
    gstin: r.gstin,
    drugLicenceNo: r.drugLicenceNo,
    phone: r.phone,
    email: r.email,
    address: r.address,
    active: r.active,
    version: r.version,
  };
}

function toFormularyItem(r: ItemRow, itemBrands: FormularyItem['brands']): FormularyItem {
  return {
    id: r.id,
    code: r.code,
    genericName: r.genericName,
    ingredients: r.ingredients,
    strength: r.strength,
    doseForm: r.doseForm,
    route: r.route,
    unitOfIssue: r.unitOfIssue,
    schedule: r.schedule as FormularyItem['schedule'],
    narcotic: r.narcotic,
    controlled: isControlled(r),
    hsnCode: r.hsnCode,
    taxCode: r.taxCode,
    highAlert: r.highAlert,
    lasaGroup: r.lasaGroup,
    atcCode: r.atcCode,
    nlem: r.nlem,
    active: r.active,
    brands: itemBrands,
  };
}

/** Finds formulary items by name, code, ingredient or brand (typo tolerant on the generic name). */
export async function searchFormulary(
  ctx: Ctx,
  query: z.output<typeof FormularyQuery>,
): Promise<FormularyItem[]> {
  const q = query.q?.trim() ?? '';
  const conditions = [
    eq(formularyItems.active, true),
    query.schedule ? eq(formularyItems.schedule, query.schedule) : undefined,
    query.highAlert !== undefined ? eq(formularyItems.highAlert, query.highAlert) : undefined,
  ];
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      or(
        ilike(formularyItems.genericName, like),
        eq(formularyItems.code, q.toUpperCase()),
        sql`${formularyItems.ingredients} @> array[${q.toLowerCase()}]::text[]`,
        sql`word_similarity(${q.toLowerCase()}, lower(${formularyItems.genericName})) >= 0.4`,
        sql`exists (select 1 from ${brands} where ${brands.formularyItemId} = ${formularyItems.id} and ${brands.name} ilike ${like})`,
      ),
    );
  }
  const rows = await ctx.db
    .select()
    .from(formularyItems)
    .where(and(...conditions))
    .orderBy(
      q
        ? sql`${formularyItems.genericName} ilike ${`${q}%`} desc, word_similarity(${q}, ${formularyItems.genericName}) desc`
        : sql`1`,
      asc(formularyItems.genericName),
      asc(formularyItems.strength),
    )
    .limit(query.limit);
  return withBrands(ctx, rows);
}

async function withBrands(ctx: Ctx, rows: ItemRow[]): Promise<FormularyItem[]> {
  const ids = rows.map((r) => r.id);
  const brandRows =
    ids.length === 0
      ? []
      : await ctx.db
          .select()
          .from(brands)
          .where(and(inArray(brands.formularyItemId, ids), eq(brands.active, true)))
          .orderBy(asc(brands.name));
  return rows.map((r) =>
    toFormularyItem(
      r,
      brandRows
        .filter((b) => b.formularyItemId === r.id)
        .map((b) => ({ id: b.id, name: b.name, manufacturer: b.manufacturer, packSize: b.packSize })),
    ),
  );
}

export async function getFormularyItem(ctx: Ctx, id: string): Promise<FormularyItem> {
  const rows = await ctx.db.select().from(formularyItems).where(eq(formularyItems.id, id));
  if (rows.length === 0) throw new NotFound('The formulary item', 'PHARMACY_ITEM_NOT_FOUND');
  return (await withBrands(ctx, rows))[0]!;
}

// ---------------------------------------------------------------------------------------------------------
// Stores and suppliers
// ---------------------------------------------------------------------------------------------------------

export async function listStores(ctx: Ctx): Promise<Store[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(stores)
    .where(eq(stores.facilityId, facilityId))
    .orderBy(asc(stores.kind), asc(stores.name));
  return rows.map(toStore);
}

export async function getStore(ctx: Ctx, id: string): Promise<StoreRow> {
  const facilityId = requireFacility(ctx);
  const [row] = await ctx.db
    .select()
    .from(stores)
    .where(and(eq(stores.id, id), eq(stores.facilityId, facilityId)));
  if (!row) throw new NotFound('The store', 'PHARMACY_STORE_NOT_FOUND');
  return row;
}

export async function createStore(ctx: Ctx, input: z.output<typeof StoreBody>): Promise<Store> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const [row] = await withConstraintErrors(
      () =>
        tx
          .insert(stores)
          .values({
            facilityId,
            code: input.code,
            name: input.name,
            kind: input.kind,
            wardId: input.wardId ?? null,
            dispenses: input.dispenses,
          })
          .returning(),
      {
        stores_code_uq: () =>
          new Conflict('PHARMACY_STORE_CODE_TAKEN', `A store with code ${input.code} exists already`),
      },
    );
    await recordAudit(tx, ctx, { action: 'create', resourceType: 'PharmacyStore', resourceId: row!.id });
    return toStore(row!);
  });
}

export async function listSuppliers(ctx: Ctx): Promise<Supplier[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(suppliers)
    .where(eq(suppliers.facilityId, facilityId))
    .orderBy(asc(suppliers.name));
  return rows.map(toSupplier);
}

export async function createSupplier(ctx: Ctx, input: z.output<typeof SupplierBody>): Promise<Supplier> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const [row] = await withConstraintErrors(
      () =>
        tx
          .insert(suppliers)
          .values({
            facilityId,
            name: input.name,
            gstin: input.gstin ?? null,
            drugLicenceNo: input.drugLicenceNo ?? null,
            phone: input.phone ?? null,
            email: input.email ?? null,
            address: input.address ?? null,
          })
          .returning(),
      {
        suppliers_name_uq: () =>
          new Conflict('PHARMACY_SUPPLIER_EXISTS', `A supplier named ${input.name} exists already`),
      },
    );
    await recordAudit(tx, ctx, { action: 'create', resourceType: 'PharmacySupplier', resourceId: row!.id });
    return toSupplier(row!);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Goods receipts
// ---------------------------------------------------------------------------------------------------------

/**
 * Posts a supplier's delivery into a store: each line finds or creates its batch (a batch number seen before
 * must carry the same expiry and MRP: a mismatch is a data-entry slip and is refused), adds the paid and the
 * free units to stock, and writes the ledger. An expired or already-past-expiry batch is refused; the same
 * supplier invoice cannot be posted twice.
 */
export async function receiveGoods(
  ctx: Ctx,
  input: z.output<typeof GoodsReceiptBody>,
): Promise<GoodsReceipt> {
  const facilityId = requireFacility(ctx);
  const store = await getStore(ctx, input.storeId);
  if (!store.active) throw new RuleViolation('PHARMACY_STORE_INACTIVE', `${store.name} is closed`);
  const [supplier] = await ctx.db
    .select()
    .from(suppliers)
    .where(and(eq(suppliers.id, input.supplierId), eq(suppliers.facilityId, facilityId)));
  if (!supplier) throw new NotFound('The supplier', 'PHARMACY_SUPPLIER_NOT_FOUND');
  const { today } = await facilityToday(ctx.db, facilityId, ctx.now);
  const errors: { path: string; message: string }[] = [];
  input.lines.forEach((l, i) => {
    if (l.expiryDate <= today)
      errors.push({ path: `lines.${i}.expiryDate`, message: 'the batch has expired' });
  });
  if (input.supplierInvoiceDate > today) {
    errors.push({ path: 'supplierInvoiceDate', message: 'the invoice date is in the future' });
  }
  if (errors.length > 0)
    throw new RuleViolation('PHARMACY_RECEIPT_INVALID', 'The receipt cannot be posted', errors);
  const itemIds = [...new Set(input.lines.map((l) => l.formularyItemId))];
  const items = await ctx.db.select().from(formularyItems).where(inArray(formularyItems.id, itemIds));
  const itemById = new Map(items.map((i) => [i.id, i]));
  const brandIds = input.lines.flatMap((l) => (l.brandId ? [l.brandId] : []));
  const brandRows = brandIds.length
    ? await ctx.db.select().from(brands).where(inArray(brands.id, brandIds))
    : [];
  input.lines.forEach((l, i) => {
    if (!itemById.has(l.formularyItemId)) {
      errors.push({ path: `lines.${i}.formularyItemId`, message: 'not in the formulary' });
    }
    const brand = l.brandId ? brandRows.find((b) => b.id === l.brandId) : undefined;
    if (l.brandId && brand?.formularyItemId !== l.formularyItemId) {
      errors.push({ path: `lines.${i}.brandId`, message: 'not a brand of this item' });
    }
  });
  if (errors.length > 0)
    throw new RuleViolation('PHARMACY_RECEIPT_INVALID', 'The receipt cannot be posted', errors);

  const id = await ctx.db.transaction(async (tx) => {
    const lineBatches: string[] = [];
    for (const [i, l] of input.lines.entries()) {
      const brandKey = l.brandId ?? null;
      const [existing] = await tx
        .select()
        .from(batches)
        .where(
          and(
            eq(batches.facilityId, facilityId),
            eq(batches.formularyItemId, l.formularyItemId),
            brandKey ? eq(batches.brandId, brandKey) : sql`${batches.brandId} is null`,
            eq(batches.batchNo, l.batchNo),
          ),
        );
      if (existing && (existing.expiryDate !== l.expiryDate || existing.mrp !== l.mrp)) {
        throw new RuleViolation(
          'PHARMACY_BATCH_MISMATCH',
          `Batch ${l.batchNo} is known with another expiry or MRP`,
          [
            {
              path: `lines.${i}.batchNo`,
              message: `known as expiry ${existing.expiryDate}, MRP ${existing.mrp} paise`,
            },
          ],
        );
      }
      const batchId =
        existing?.id ??
        (
          await tx
            .insert(batches)
            .values({
              facilityId,
              formularyItemId: l.formularyItemId,
              brandId: brandKey,
              batchNo: l.batchNo,
              expiryDate: l.expiryDate,
              mrp: l.mrp,
              cost: l.cost,
              supplierId: supplier.id,
            })
            .returning({ id: batches.id })
        )[0]!.id;
      lineBatches.push(batchId);
    }
    const value = await nextCounterValue(tx, facilityId, 'pharmacy.goods-receipt');
    const totalCost = input.lines.reduce((s, l) => s + l.cost * l.quantity, 0);
    const [receipt] = await withConstraintErrors(
      () =>
        tx
          .insert(goodsReceipts)
          .values({
            facilityId,
            number: `GRN-${String(value).padStart(6, '0')}`,
            storeId: store.id,
            supplierId: supplier.id,
            supplierInvoiceNo: input.supplierInvoiceNo,
            supplierInvoiceDate: input.supplierInvoiceDate,
            totalCost,
            receivedById: actorId(ctx.actor),
            receivedByName: ctx.actor.name,
            receivedAt: ctx.now,
            notes: input.notes ?? null,
            purchaseOrderId: input.purchaseOrderId ?? null,
          })
          .returning(),
      {
        goods_receipts_invoice_uq: () =>
          new Conflict(
            'PHARMACY_INVOICE_ALREADY_RECEIVED',
            `Invoice ${input.supplierInvoiceNo} of ${supplier.name} has been received already`,
          ),
      },
    );
    if (input.purchaseOrderId) {
      await fillPurchaseOrder(
        tx,
        facilityId,
        input.purchaseOrderId,
        { supplierId: supplier.id, storeId: store.id, lines: input.lines },
        ctx.now,
      );
    }
    await tx.insert(goodsReceiptLines).values(
      input.lines.map((l, i) => ({
        receiptId: receipt!.id,
        lineNo: i + 1,
        batchId: lineBatches[i]!,
        quantity: l.quantity,
        freeQuantity: l.freeQuantity,
        cost: l.cost,
      })),
    );
    await applyMovements(
      tx,
      ctx,
      facilityId,
      input.lines.map((l, i) => ({
        storeId: store.id,
        batchId: lineBatches[i]!,
        formularyItemId: l.formularyItemId,
        quantity: l.quantity + l.freeQuantity,
        kind: 'receipt' as const,
        referenceType: 'goods-receipt',
        referenceId: receipt!.id,
        reason: `${supplier.name} invoice ${input.supplierInvoiceNo}`,
      })),
    );
    await recordAudit(tx, ctx, { action: 'create', resourceType: 'GoodsReceipt', resourceId: receipt!.id });
    return receipt!.id;
  });
  return getGoodsReceipt(ctx, id);
}

export async function getGoodsReceipt(ctx: Ctx, id: string): Promise<GoodsReceipt> {
  const facilityId = requireFacility(ctx);
  const [r] = await ctx.db
    .select({ receipt: goodsReceipts, supplierName: suppliers.name })
    .from(goodsReceipts)
    .innerJoin(suppliers, eq(suppliers.id, goodsReceipts.supplierId))
    .where(and(eq(goodsReceipts.id, id), eq(goodsReceipts.facilityId, facilityId)));
  if (!r) throw new NotFound('The goods receipt', 'PHARMACY_RECEIPT_NOT_FOUND');
  const lines = await ctx.db
    .select({ line: goodsReceiptLines, batch: batches, genericName: formularyItems.genericName })
    .from(goodsReceiptLines)
    .innerJoin(batches, eq(batches.id, goodsReceiptLines.batchId))
    .innerJoin(formularyItems, eq(formularyItems.id, batches.formularyItemId))
    .where(eq(goodsReceiptLines.receiptId, id))
    .orderBy(asc(goodsReceiptLines.lineNo));
  return {
    id: r.receipt.id,
    number: r.receipt.number,
    storeId: r.receipt.storeId,
    supplierId: r.receipt.supplierId,
    supplierName: r.supplierName,
    supplierInvoiceNo: r.receipt.supplierInvoiceNo,
    supplierInvoiceDate: r.receipt.supplierInvoiceDate,
    totalCost: r.receipt.totalCost,
    receivedByName: r.receipt.receivedByName,
    receivedAt: r.receipt.receivedAt.toISOString(),
    lines: lines.map(({ line, batch, genericName }) => ({
      lineNo: line.lineNo,
      batchId: batch.id,
      formularyItemId: batch.formularyItemId,
      genericName,
      batchNo: batch.batchNo,
      expiryDate: batch.expiryDate,
      quantity: line.quantity,
      freeQuantity: line.freeQuantity,
      mrp: batch.mrp,
      cost: line.cost,
    })),
  };
}
