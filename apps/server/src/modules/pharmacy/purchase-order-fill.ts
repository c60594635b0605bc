import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database';
import { Conflict, NotFound, RuleViolation } from '../../platform/http/errors';
import { purchaseOrderLines, purchaseOrders } from './purchasing.tables';

// A goods receipt that names a purchase order counts its lines against it (called inside the receipt's
// transaction; a file of its own so that receipts and purchasing do not import each other).

/**
 * Counts a receipt's lines against its purchase order, in the receipt's transaction: the order must be placed
 * (not a draft, not closed), of the same supplier and store, and every item on it; the order becomes
 * partially received or received. (More than ordered is accepted and shown: suppliers round up to packs.)
 */
export async function fillPurchaseOrder(
  tx: DbOrTx,
  facilityId: string,
  purchaseOrderId: string,
  receipt: {
    supplierId: string;
    storeId: string;
    lines: { formularyItemId: string; quantity: number; freeQuantity: number }[];
  },
  now: Date,
): Promise<void> {
  const [po] = await tx
    .select()
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.id, purchaseOrderId), eq(purchaseOrders.facilityId, facilityId)))
    .for('update');
  if (!po) throw new NotFound('The purchase order', 'PHARMACY_PO_NOT_FOUND');
  if (!['ordered', 'partially-received'].includes(po.status)) {
    throw new Conflict('PHARMACY_PO_NOT_OPEN', `The purchase order is ${po.status}`);
  }
  if (po.supplierId !== receipt.supplierId || po.storeId !== receipt.storeId) {
    throw new RuleViolation('PHARMACY_PO_MISMATCH', 'The purchase order is for another supplier or store');
  }
  const lines = await tx
    .select()
    .from(purchaseOrderLines)
    .where(eq(purchaseOrderLines.purchaseOrderId, po.id));
  const errors: { path: string; message: string }[] = [];
  receipt.lines.forEach((l, i) => {
    const line = lines.find((x) => x.formularyItemId === l.formularyItemId);
    if (!line) errors.push({ path: `lines.${i}.formularyItemId`, message: `not on ${po.number}` });
    else line.received += l.quantity;
  });
  if (errors.length > 0) throw new RuleViolation('PHARMACY_PO_MISMATCH', `Items not on ${po.number}`, errors);
  for (const line of lines) {
    await tx
      .update(purchaseOrderLines)
      .set({ received: line.received })
      .where(and(eq(purchaseOrderLines.purchaseOrderId, po.id), eq(purchaseOrderLines.lineNo, line.lineNo)));
  }
  const complete = lines.every((l) => l.received >= l.quantity);
  await tx
    .update(purchaseOrders)
    .set({ status: complete ? 'received' : 'partially-received', version: po.version + 1, updatedAt: now })
    .where(eq(purchaseOrders.id, po.id));
}
