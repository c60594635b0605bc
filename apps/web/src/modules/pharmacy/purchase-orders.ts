import type { PurchaseOrder } from '@newhms/contracts';
import { parseRupees, rupeesInput } from '../../ui/money';
import { emptyReceiptLine, type ReceiptLineDraft } from './receipt-lines';
import { parseUnits } from './units';

// Purchase orders on screen: which orders a delivery may fill, what is still to come on one, the receipt lines
// it pre-fills, and a hand-made order's lines as typed (rupees, text) to the contract's (paise, units).

type OrderLine = PurchaseOrder['lines'][number];

/** An order a delivery can be counted against: placed with the supplier and not yet fully received. */
export function isOpenPurchaseOrder(po: Pick<PurchaseOrder, 'status'>): boolean {
  return po.status === 'ordered' || po.status === 'partially-received';
}

/** The open orders of one supplier for one store (the only ones a receipt from them into it may fill). */
export function openOrdersFor<T extends Pick<PurchaseOrder, 'status' | 'supplierId' | 'storeId'>>(
  orders: readonly T[],
  supplierId: string,
  storeId: string | null,
): T[] {
  if (!supplierId || !storeId) return [];
  return orders.filter((o) => isOpenPurchaseOrder(o) && o.supplierId === supplierId && o.storeId === storeId);
}

/** Units of a line still to come (never negative: a supplier rounding up to packs sends more). */
export function outstandingOrderUnits(line: Pick<OrderLine, 'quantity' | 'received'>): number {
  return Math.max(0, line.quantity - line.received);
}

/** Units received and ordered over the whole order: "60/100". */
export function receivedOfOrdered(po: Pick<PurchaseOrder, 'lines'>): string {
  const received = po.lines.reduce((s, l) => s + l.received, 0);
  const ordered = po.lines.reduce((s, l) => s + l.quantity, 0);
  return `${received}/${ordered}`;
}

/** Nothing received on any line yet (a draft or placed order may then be cancelled). */
export function nothingReceived(po: Pick<PurchaseOrder, 'lines'>): boolean {
  return po.lines.every((l) => l.received === 0);
}

/**
 * The receipt lines a delivery against the order starts from: one per line still outstanding, with the item,
 * the units still to come and the ordered rate as the cost; batch, expiry and MRP are the invoice's to give.
 */
export function receiptLinesFromOrder(po: Pick<PurchaseOrder, 'lines'>): ReceiptLineDraft[] {
  return po.lines
    .filter((l) => outstandingOrderUnits(l) > 0)
    .map((l) => ({
      ...emptyReceiptLine(),
      formularyItemId: l.formularyItemId,
      quantity: String(outstandingOrderUnits(l)),
      cost: rupeesInput(l.rate),
    }));
}

/** A hand-made order's line as typed. */
export type OrderLineDraft = { key: string; formularyItemId: string; quantity: string; rate: string };

let nextKey = 0;

export function emptyOrderLine(): OrderLineDraft {
  nextKey += 1;
  return { key: `po-line-${nextKey}`, formularyItemId: '', quantity: '', rate: '' };
}

export type OrderLineErrors = Partial<Record<'formularyItemId' | 'quantity' | 'rate', string>>;

/** The contract's line (units, paise per unit) or the errors of the fields that do not read. */
export function readOrderLine(
  draft: OrderLineDraft,
):
  | { ok: true; line: { formularyItemId: string; quantity: number; rate: number } }
  | { ok: false; errors: OrderLineErrors } {
  const errors: OrderLineErrors = {};
  const quantity = parseUnits(draft.quantity);
  const rate = parseRupees(draft.rate);
  if (!draft.formularyItemId) errors.formularyItemId = 'Choose the item';
  if (quantity === null) errors.quantity = 'Whole units, at least 1';
  if (rate === null) errors.rate = 'The rate per unit in rupees, e.g. 4.20';
  if (quantity === null || rate === null || !draft.formularyItemId) return { ok: false, errors };
  return { ok: true, line: { formularyItemId: draft.formularyItemId, quantity, rate } };
}

/** The order's value as typed, paise (lines that do not read count 0). */
export function orderDraftTotal(drafts: readonly OrderLineDraft[]): number {
  return drafts.reduce((sum, d) => {
    const quantity = parseUnits(d.quantity);
    const rate = parseRupees(d.rate);
    return quantity !== null && rate !== null ? sum + quantity * rate : sum;
  }, 0);
}

/** The same item twice on an order is refused by the server: the later lines' keys. */
export function repeatedOrderItems(drafts: readonly OrderLineDraft[]): string[] {
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (const d of drafts) {
    if (!d.formularyItemId) continue;
    if (seen.has(d.formularyItemId)) repeated.push(d.key);
    seen.add(d.formularyItemId);
  }
  return repeated;
}
