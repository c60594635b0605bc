import { and, eq, inArray } from 'drizzle-orm';
import { systemCtx } from '../../platform/context';
import type { AppDeps } from '../../platform/module';
import { facilityToday } from '../../platform/organization/facility-context';
import { addDays } from '../../platform/time/facility-time';
import { formularyItems, stores, suppliers } from './pharmacy.tables';
import { setReorderLevel } from './stock.service';
import { refreshStockAlerts } from './stock-alerts.service';
import { createStore, createSupplier, receiveGoods } from './stores.service';

// The demo hospital's pharmacy: a main store, the OPD and IP pharmacies and a ward sub-store's worth of
// common medicines in batches (some close to expiry, some under their reorder level, a controlled drug), from
// a fictional supplier, so that every pharmacy screen has something to show. Idempotent: skipped when the
// facility has stores.

const STOCK: { code: string; opd: number; main: number; mrp: number; cost: number }[] = [
  { code: 'F0020', opd: 400, main: 2000, mrp: 200, cost: 120 }, // paracetamol 500 mg
  { code: 'F0021', opd: 200, main: 1000, mrp: 250, cost: 150 }, // paracetamol 650 mg
  { code: 'F0033', opd: 150, main: 500, mrp: 300, cost: 180 }, // ibuprofen 400 mg
  { code: 'F0040', opd: 20, main: 60, mrp: 1200, cost: 800 }, // morphine 10 mg (controlled)
  { code: 'F0461', opd: 100, main: 300, mrp: 600, cost: 350 }, // ondansetron 4 mg
];

export async function seedPharmacyDemo(deps: AppDeps, demo: { facilityId: string }): Promise<void> {
  const db = deps.database.db;
  const [existing] = await db
    .select({ id: stores.id })
    .from(stores)
    .where(eq(stores.facilityId, demo.facilityId))
    .limit(1);
  if (existing) return;
  const ctx = systemCtx(db, 'demo', demo.facilityId);
  const main = await createStore(ctx, { code: 'MAIN', name: 'Main store', kind: 'main', dispenses: false });
  const opd = await createStore(ctx, { code: 'OPD-PH', name: 'OPD pharmacy', kind: 'opd', dispenses: true });
  await createStore(ctx, { code: 'IP-PH', name: 'IP pharmacy', kind: 'ip', dispenses: true });
  await createSupplier(ctx, { name: 'Sahyadri Medical Distributors (demo)', gstin: '29AABCS1234K1Z2' });
  const [supplier] = await db.select().from(suppliers).where(eq(suppliers.facilityId, demo.facilityId));
  // The common items by code, and a few more by name (strength and form vary between hospital lists).
  const named = await db
    .select()
    .from(formularyItems)
    .where(
      inArray(formularyItems.genericName, [
        'Amoxicillin',
        'Pantoprazole',
        'Metformin',
        'Atorvastatin',
        'Ceftriaxone',
      ]),
    );
  const byCode = await db
    .select()
    .from(formularyItems)
    .where(
      inArray(
        formularyItems.code,
        STOCK.map((s) => s.code),
      ),
    );
  const { today } = await facilityToday(db, demo.facilityId, ctx.now);
  const lines = [
    ...STOCK.flatMap((s) => {
      const item = byCode.find((i) => i.code === s.code);
      return item ? [{ item, ...s }] : [];
    }),
    ...named
      .filter((i) => i.doseForm === 'tablet' || i.doseForm === 'capsule' || i.unitOfIssue === 'vial')
      .slice(0, 6)
      .map((item) => ({ item, code: item.code, opd: 60, main: 300, mrp: 900, cost: 600 })),
  ];
  if (!supplier || lines.length === 0) return;
  let invoice = 0;
  for (const [store, which] of [
    [main, 'main'],
    [opd, 'opd'],
  ] as const) {
    invoice += 1;
    await receiveGoods(ctx, {
      storeId: store.id,
      supplierId: supplier.id,
      supplierInvoiceNo: `SMD-DEMO-${invoice}`,
      supplierInvoiceDate: today,
      notes: 'Demo stock',
      lines: lines.flatMap((l, n) => [
        // Most of it in a long-dated batch, a little in a batch that expires within the alert bands.
        {
          formularyItemId: l.item.id,
          brandId: null,
          batchNo: `D${n + 1}L`,
          expiryDate: addDays(today, 540),
          quantity: Math.max(1, Math.round(l[which] * 0.85)),
          freeQuantity: 0,
          mrp: l.mrp,
          cost: l.cost,
        },
        {
          formularyItemId: l.item.id,
          brandId: null,
          batchNo: `D${n + 1}S`,
          expiryDate: addDays(today, n % 2 === 0 ? 25 : 75),
          quantity: Math.max(1, Math.round(l[which] * 0.15)),
          freeQuantity: 0,
          mrp: l.mrp,
          cost: l.cost,
        },
      ]),
    });
  }
  // Reorder levels: the OPD pharmacy's paracetamol is above its level, its ondansetron below.
  for (const l of lines) {
    await setReorderLevel(ctx, opd.id, l.item.id, {
      minimum: Math.round(l.opd * 0.5),
      reorderQuantity: l.opd,
    });
  }
  const [ondansetron] = await db
    .select({ id: formularyItems.id })
    .from(formularyItems)
    .where(and(eq(formularyItems.code, 'F0461')));
  if (ondansetron) await setReorderLevel(ctx, opd.id, ondansetron.id, { minimum: 150, reorderQuantity: 300 });
  await refreshStockAlerts(db, deps.events, demo.facilityId);
}
