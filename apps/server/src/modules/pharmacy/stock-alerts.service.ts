import type { StockAlert } from '@newhms/contracts';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { type Ctx, systemCtx } from '../../platform/context';
import type { Db } from '../../platform/db/database';
import { rowsOf } from '../../platform/db/raw-rows';
import { appendEvent, type EventRegistry } from '../../platform/events/outbox';
import { facilityToday, requireFacility } from '../../platform/organization/facility-context';
import { addDays, daysBetween } from '../../platform/time/facility-time';
import { batches, formularyItems, stockAlerts, stores } from './pharmacy.tables';
import { expiryBand, itemsBelowReorder } from './stock.service';

// The daily stock job: batches entering an expiry band (90, 60, 30 days, expired) and items at or under
// their reorder level raise one alert each (and an event that notifications will carry to the store's
// pharmacist); alerts that no longer apply are closed. Run once a day per facility, and at will.

export const STOCK_ALERT_EVENT = 'pharmacy.stock.alert';

type Wanted = {
  storeId: string;
  kind: 'expiry' | 'reorder';
  formularyItemId: string;
  batchId: string | null;
  band: string;
  quantity: number;
};

const keyOf = (a: Pick<Wanted, 'storeId' | 'kind' | 'formularyItemId' | 'batchId' | 'band'>) =>
  `${a.storeId}|${a.kind}|${a.formularyItemId}|${a.batchId ?? ''}|${a.band}`;

/** Raises and closes a facility's stock alerts; returns how many were raised and closed. */
export async function refreshStockAlerts(
  db: Db,
  events: EventRegistry,
  facilityId: string,
  now: Date = new Date(),
): Promise<{ raised: number; closed: number }> {
  const ctx = systemCtx(db, 'pharmacy.stock-alerts', facilityId);
  ctx.now = now;
  const { today } = await facilityToday(db, facilityId, now);
  const expiring = await rowsOf<{
    storeId: string;
    formularyItemId: string;
    batchId: string;
    expiryDate: string;
    quantity: number;
  }>(
    db,
    sql`select s.store_id as "storeId", s.formulary_item_id as "formularyItemId", s.batch_id as "batchId",
        to_char(b.expiry_date, 'YYYY-MM-DD') as "expiryDate", s.quantity
      from pharmacy.stock s join pharmacy.batches b on b.id = s.batch_id join pharmacy.stores st on st.id = s.store_id
      where st.facility_id = ${facilityId} and s.quantity > 0 and b.expiry_date <= ${addDays(today, 90)}`,
  );
  const wanted: Wanted[] = expiring.map((r) => {
    const days = daysBetween(today, r.expiryDate);
    return {
      storeId: r.storeId,
      kind: 'expiry',
      formularyItemId: r.formularyItemId,
      batchId: r.batchId,
      band: expiryBand(days),
      quantity: Number(r.quantity),
    };
  });
  for (const r of await itemsBelowReorder(ctx, facilityId)) {
    wanted.push({
      storeId: r.storeId,
      kind: 'reorder',
      formularyItemId: r.formularyItemId,
      batchId: null,
      band: '',
      quantity: Number(r.available),
    });
  }
  return db.transaction(async (tx) => {
    const open = await tx
      .select()
      .from(stockAlerts)
      .where(and(eq(stockAlerts.facilityId, facilityId), isNull(stockAlerts.resolvedAt)));
    const openKeys = new Map(open.map((a) => [keyOf({ ...a, kind: a.kind as Wanted['kind'] }), a]));
    const wantedKeys = new Set(wanted.map(keyOf));
    const stale = open.filter((a) => !wantedKeys.has(keyOf({ ...a, kind: a.kind as Wanted['kind'] })));
    if (stale.length > 0) {
      await tx
        .update(stockAlerts)
        .set({ resolvedAt: now })
        .where(
          inArray(
            stockAlerts.id,
            stale.map((a) => a.id),
          ),
        );
    }
    const fresh = wanted.filter((w) => !openKeys.has(keyOf(w)));
    if (fresh.length > 0) {
      const inserted = await tx
        .insert(stockAlerts)
        .values(fresh.map((w) => ({ facilityId, ...w, raisedAt: now })))
        .onConflictDoNothing()
        .returning();
      for (const a of inserted) {
        await appendEvent(tx, events, {
          type: STOCK_ALERT_EVENT,
          facilityId,
          aggregateId: a.id,
          payload: {
            alertId: a.id,
            storeId: a.storeId,
            kind: a.kind,
            band: a.band,
            formularyItemId: a.formularyItemId,
            batchId: a.batchId,
            quantity: a.quantity,
          },
        });
      }
      return { raised: inserted.length, closed: stale.length };
    }
    return { raised: 0, closed: stale.length };
  });
}

/** Every facility that has a store. */
export async function refreshAllStockAlerts(db: Db, events: EventRegistry): Promise<void> {
  const facilities = await db.selectDistinct({ id: stores.facilityId }).from(stores);
  for (const f of facilities) await refreshStockAlerts(db, events, f.id);
}

/** Open alerts of the facility (or one store), expiry first by band, then reorder. */
export async function listStockAlerts(ctx: Ctx, storeId?: string): Promise<StockAlert[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select({
      alert: stockAlerts,
      storeName: stores.name,
      genericName: formularyItems.genericName,
      strength: formularyItems.strength,
      batchNo: batches.batchNo,
      expiryDate: batches.expiryDate,
    })
    .from(stockAlerts)
    .innerJoin(stores, eq(stores.id, stockAlerts.storeId))
    .innerJoin(formularyItems, eq(formularyItems.id, stockAlerts.formularyItemId))
    .leftJoin(batches, eq(batches.id, stockAlerts.batchId))
    .where(
      and(
        eq(stockAlerts.facilityId, facilityId),
        isNull(stockAlerts.resolvedAt),
        storeId ? eq(stockAlerts.storeId, storeId) : undefined,
      ),
    )
    .orderBy(asc(stockAlerts.kind), asc(batches.expiryDate), asc(formularyItems.genericName));
  return rows.map((r) => ({
    id: r.alert.id,
    storeId: r.alert.storeId,
    storeName: r.storeName,
    kind: r.alert.kind as StockAlert['kind'],
    band: (r.alert.band || null) as StockAlert['band'],
    formularyItemId: r.alert.formularyItemId,
    genericName: r.genericName,
    strength: r.strength,
    batchId: r.alert.batchId,
    batchNo: r.batchNo,
    expiryDate: r.expiryDate,
    quantity: r.alert.quantity,
    raisedAt: r.alert.raisedAt.toISOString(),
  }));
}
