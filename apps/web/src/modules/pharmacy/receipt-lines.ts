import type { FieldErrors } from '../../ui/form-validation';
import { parseRupees } from '../../ui/money';
import { parseUnits } from './units';

// A goods receipt line as the pharmacist types it (rupees, text), and the contract's line (integer paise and
// units) it becomes. A field that does not parse is an error of that field, shown beside it.

export type ReceiptLineDraft = {
  /** A key for React only. */
  key: string;
  formularyItemId: string;
  brandId: string;
  batchNo: string;
  expiryDate: string;
  quantity: string;
  freeQuantity: string;
  /** Rupees per unit of issue, as typed. */
  mrp: string;
  cost: string;
};

export type ReceiptLineInput = {
  formularyItemId: string;
  brandId: string | null;
  batchNo: string;
  expiryDate: string;
  quantity: number | undefined;
  freeQuantity: number | undefined;
  mrp: number | undefined;
  cost: number | undefined;
};

let nextKey = 0;

export function emptyReceiptLine(): ReceiptLineDraft {
  nextKey += 1;
  return {
    key: `line-${nextKey}`,
    formularyItemId: '',
    brandId: '',
    batchNo: '',
    expiryDate: '',
    quantity: '',
    freeQuantity: '0',
    mrp: '',
    cost: '',
  };
}

/** The line for the contract, and the errors of the fields that could not be read (keyed like `quantity`). */
export function readReceiptLine(draft: ReceiptLineDraft): { input: ReceiptLineInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const quantity = parseUnits(draft.quantity);
  if (quantity === null) errors.quantity = 'Enter whole units, at least 1';
  const freeQuantity = draft.freeQuantity.trim() === '' ? 0 : parseUnits(draft.freeQuantity, 0);
  if (freeQuantity === null) errors.freeQuantity = 'Enter whole units, or 0';
  const mrp = parseRupees(draft.mrp);
  if (mrp === null) errors.mrp = 'Enter the MRP per unit in rupees, e.g. 2.50';
  const cost = parseRupees(draft.cost);
  if (cost === null) errors.cost = 'Enter the cost per unit in rupees';
  if (!draft.formularyItemId) errors.formularyItemId = 'Choose the item';
  if (draft.batchNo.trim() === '') errors.batchNo = 'Enter the batch number';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.expiryDate)) errors.expiryDate = 'Enter the expiry date';
  return {
    input: {
      formularyItemId: draft.formularyItemId,
      brandId: draft.brandId || null,
      batchNo: draft.batchNo.trim(),
      expiryDate: draft.expiryDate,
      quantity: quantity ?? undefined,
      freeQuantity: freeQuantity ?? undefined,
      mrp: mrp ?? undefined,
      cost: cost ?? undefined,
    },
    errors,
  };
}

/** What the line costs in paise: the paid units at the cost price (free units cost nothing); 0 until typed. */
export function receiptLineCost(draft: ReceiptLineDraft): number {
  const quantity = parseUnits(draft.quantity);
  const cost = parseRupees(draft.cost);
  return quantity !== null && cost !== null ? quantity * cost : 0;
}

/** The running total of the invoice, paise. */
export function receiptTotal(drafts: ReceiptLineDraft[]): number {
  return drafts.reduce((sum, d) => sum + receiptLineCost(d), 0);
}

/** The errors of line `index` (form or server paths `lines.<index>.<field>`), keyed by field. */
export function lineErrors(errors: FieldErrors, index: number): FieldErrors {
  const prefix = `lines.${index}.`;
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(errors)) {
    if (path.startsWith(prefix)) {
      const field = path.slice(prefix.length).split('.')[0] ?? '';
      out[field] = out[field] ? `${out[field]}; ${message}` : message;
    }
  }
  return out;
}
