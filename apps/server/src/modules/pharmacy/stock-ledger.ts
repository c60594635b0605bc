import { and, eq, sql } from 'drizzle-orm';
import { actorId, type Ctx } from '../../platform/context';
import { withConstraintErrors } from '../../platform/db/constraint-errors';
import type { DbOrTx } from '../../platform/db/database';
import { rowsOf } from '../../platform/db/raw-rows';
import { Conflict } from '../../platform/http/errors';
import { formularyItems, stock, stockMovements } from './pharmacy.tables';

// The one way stock changes: a signed movement of a batch in a store, applied to `stock` and written to the
// ledger in the caller's transaction. Outgoing stock is picked first-expiry-first-out (FEFO) from batches
// that have not expired, with the rows locked, so that two sales of the last units serialize and the second
// is told what is left; the CHECK (quantity >= 0) on `stock` is the last line should anything else race.

export type MovementKind =
  | 'receipt'
  | 'dispense'
  | 'patient-return'
  | 'transfer-out'
  | 'transfer-in'
  | 'adjustment'
  | 'supplier-return'
  | 'expired-write-off';

export type Movement = {
  storeId: string;
  batchId: string;
  formularyItemId: string;
  /** Signed: positive in, negative out. */
  quantity: number;
  kind: MovementKind;
  referenceType: string;
  referenceId: string;
  reason?: string | null;
  patientId?: string | null;
  prescriberName?: string | null;
  witness?: { id: string | null; name: string } | null;
};

/** Schedule H1 and X and narcotic drugs: their movements carry a running balance and a witness. */
export function isControlled(item: { schedule: string; narcotic: boolean }): boolean {
  return item.narcotic || item.schedule === 'H1' || item.schedule === 'X';
}

export const outOfStock = (what: string, available: number, wanted: number) =>
  new Conflict(
    'PHARMACY_INSUFFICIENT_STOCK',
    `Only ${available} unit(s) of ${what} can be issued from this store (${wanted} asked for)`,
    { available, requested: wanted },
  );

/**
 * Serializes every movement of one controlled item in one store (advisory lock for the transaction), so
 * that the register's running balance is exact whatever runs at the same time.
 */
async function lockItemInStore(tx: DbOrTx, storeId: string, formularyItemId: string): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`${storeId}:${formularyItemId}`}, 7))`,
  );
}

/** Applies movements to stock and writes them to the ledger, in the caller's transaction. */
export async function applyMovements(tx: DbOrTx, ctx: Ctx, facilityId: string, movements: Movement[]) {
  const controlledItems = new Map<string, boolean>();
  for (const m of movements) {
    if (!controlledItems.has(m.formularyItemId)) {
      const [item] = await tx
        .select({ schedule: formularyItems.schedule, narcotic: formularyItems.narcotic })
        .from(formularyItems)
        .where(eq(formularyItems.id, m.formularyItemId));
      controlledItems.set(m.formularyItemId, !!item && isControlled(item));
    }
  }
  // A fixed order of the controlled items' locks: two transactions never wait on each other in a circle.
  const toLock = [
    ...new Set(
      movements
        .filter((m) => controlledItems.get(m.formularyItemId))
        .map((m) => `${m.storeId}|${m.formularyItemId}`),
    ),
  ].sort();
  for (const key of toLock) {
    const [storeId, itemId] = key.split('|') as [string, string];
    await lockItemInStore(tx, storeId, itemId);
  }
  for (const m of movements) {
    // In: add to the row (made on first receipt). Out: only an existing row, never below zero (the CHECK
    // is evaluated on an INSERT's candidate row too, so a decrease must be an UPDATE).
    await withConstraintErrors(
      async () => {
        if (m.quantity > 0) {
          await tx
            .insert(stock)
            .values({
              storeId: m.storeId,
              batchId: m.batchId,
              formularyItemId: m.formularyItemId,
              quantity: m.quantity,
              updatedAt: ctx.now,
            })
            .onConflictDoUpdate({
              target: [stock.storeId, stock.batchId],
              set: { quantity: sql`${stock.quantity} + ${m.quantity}`, updatedAt: ctx.now },
            });
          return;
        }
        const updated = await tx
          .update(stock)
          .set({ quantity: sql`${stock.quantity} + ${m.quantity}`, updatedAt: ctx.now })
          .where(and(eq(stock.storeId, m.storeId), eq(stock.batchId, m.batchId)))
          .returning({ quantity: stock.quantity });
        if (updated.length === 0) throw outOfStock('this batch', 0, -m.quantity);
      },
      { stock_not_negative_ck: () => outOfStock('this batch', 0, -m.quantity) },
    );
    const controlled = controlledItems.get(m.formularyItemId) ?? false;
    let balanceAfter: number | null = null;
    if (controlled) {
      const [row] = await tx
        .select({ total: sql<number>`coalesce(sum(${stock.quantity}), 0)::int` })
        .from(stock)
        .where(and(eq(stock.storeId, m.storeId), eq(stock.formularyItemId, m.formularyItemId)));
      balanceAfter = Number(row?.total ?? 0);
    }
    await tx.insert(stockMovements).values({
      facilityId,
      storeId: m.storeId,
      batchId: m.batchId,
      formularyItemId: m.formularyItemId,
      quantity: m.quantity,
      kind: m.kind,
      referenceType: m.referenceType,
      referenceId: m.referenceId,
      reason: m.reason ?? null,
      patientId: m.patientId ?? null,
      controlled,
      balanceAfter,
      witnessId: m.witness?.id ?? null,
      witnessName: m.witness?.name ?? null,
      prescriberName: m.prescriberName ?? null,
      performedById: actorId(ctx.actor),
      performedByName: ctx.actor.name,
      occurredAt: ctx.now,
    });
  }
}

export type FefoPick = {
  batchId: string;
  batchNo: string;
  brandName: string | null;
  expiryDate: string;
  mrp: number;
  cost: number;
  quantity: number;
};

/**
 * Picks `quantity` units of an item in a store, the batch that expires first first, from batches that are
 * still good on `today` (a batch expiring today is not sold). The stock rows are locked until the caller's
 * transaction ends; with a `batchId` only that batch is used (a pharmacist picking a strip by hand). Throws a
 * 409 naming what is available when there is not enough.
 */
export async function pickFefo(
  tx: DbOrTx,
  input: { storeId: string; formularyItemId: string; quantity: number; today: string; batchId?: string },
): Promise<FefoPick[]> {
  // FOR UPDATE OF names the relation as the FROM clause does (an alias), hence plain SQL here.
  const rows = (
    await rowsOf<Omit<FefoPick, 'mrp' | 'cost'> & { mrp: string | number; cost: string | number }>(
      tx,
      sql`select s.batch_id as "batchId", s.quantity, b.batch_no as "batchNo",
          to_char(b.expiry_date, 'YYYY-MM-DD') as "expiryDate", b.mrp, b.cost, br.name as "brandName"
        from pharmacy.stock s
        join pharmacy.batches b on b.id = s.batch_id
        left join pharmacy.brands br on br.id = b.brand_id
        where s.store_id = ${input.storeId} and s.formulary_item_id = ${input.formularyItemId}
          and s.quantity > 0 and b.expiry_date > ${input.today}
          ${input.batchId ? sql`and s.batch_id = ${input.batchId}` : sql``}
        order by b.expiry_date, b.batch_no
        for update of s`,
    )
  ).map((r) => ({ ...r, quantity: Number(r.quantity), mrp: Number(r.mrp), cost: Number(r.cost) }));
  const picks: FefoPick[] = [];
  let left = input.quantity;
  for (const r of rows) {
    if (left === 0) break;
    const take = Math.min(left, r.quantity);
    picks.push({ ...r, quantity: take });
    left -= take;
  }
  if (left > 0) {
    const available = rows.reduce((s, r) => s + r.quantity, 0);
    throw outOfStock('this medicine', available, input.quantity);
  }
  return picks;
}
