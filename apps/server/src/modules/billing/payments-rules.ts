import type { ModeTotals, PaymentMode } from '@newhms/contracts';

// Pure rules of money received and given back: the services decide with these, and the property test
// (ledger.property.test.ts) runs random sequences of operations against the same rules.

/** Indian financial year (April to March) of a local calendar date: '2026-04-01' -> '2026-27'. */
export { financialYearOf } from './invoice-calc';

/** Receipt numbers: gapless per facility and financial year, e.g. RCP/2026-27/000045. */
export function receiptNumberOf(financialYear: string, n: number): string {
  return `RCP/${financialYear}/${String(n).padStart(6, '0')}`;
}

/** Refund numbers: gapless per facility and financial year, e.g. RF/2026-27/000007. */
export function refundNumberOf(financialYear: string, n: number): string {
  return `RF/${financialYear}/${String(n).padStart(6, '0')}`;
}

/**
 * The counter names of both series (one counter per facility, series and financial year). Receipts are one
 * series for the cashier's payments and deposits and the insurers' settlements (claims.service.ts).
 */
export const RECEIPT_COUNTER = 'billing.receipt';
export const REFUND_COUNTER = 'billing.refund';

export type PaymentBalanceRow = { amount: number; allocated: number; refunded: number };

/**
 * What is left of a payment to allocate or refund. `refunded` counts refunds from their approval on (the
 * approval reserves the money; see refunds.service.ts), so a refund and an allocation never take the same rupee.
 */
export function availableOf(p: PaymentBalanceRow): number {
  return p.amount - p.allocated - p.refunded;
}

/** The unpaid patient share of a final invoice. */
export function unpaidOf(i: { patientShare: number; paid: number }): number {
  return Math.max(0, i.patientShare) - i.paid;
}

export type RuleBreach = { code: string; message: string };

/** Why an allocation of `amount` from the payment to the invoice is not allowed, or null. */
export function allocationBreach(
  payment: PaymentBalanceRow & { status: string },
  invoice: { status: string; kind: string; patientShare: number; paid: number },
  amount: number,
): RuleBreach | null {
  if (!Number.isSafeInteger(amount) || amount <= 0)
    return {
      code: 'BILLING_ALLOCATION_AMOUNT',
      message: 'An allocation is a positive whole number of paise',
    };
  if (payment.status !== 'completed')
    return { code: 'BILLING_PAYMENT_NOT_USABLE', message: `The payment is ${payment.status}` };
  if (invoice.status !== 'final' || (invoice.kind !== 'opd' && invoice.kind !== 'ipd-final'))
    return {
      code: 'BILLING_INVOICE_NOT_PAYABLE',
      message:
        'Only a final OPD bill or IPD final bill can be paid (not a draft, interim, credit note or cancelled bill)',
    };
  const rest = availableOf(payment);
  if (amount > rest)
    return {
      code: 'BILLING_PAYMENT_EXHAUSTED',
      message: `Only ${rest} paise of the payment are left to allocate (asked ${amount})`,
    };
  const unpaid = unpaidOf(invoice);
  if (amount > unpaid)
    return {
      code: 'BILLING_INVOICE_OVERPAID',
      message: `Only ${unpaid} paise of the bill's patient share are unpaid (asked ${amount})`,
    };
  return null;
}

/**
 * Automatic allocation: the payment's rest goes to the oldest unpaid bills first, each up to its unpaid patient
 * share. The bills come in the order to pay them (the account's first, then the patient's, oldest first).
 */
export function planAutoAllocation(
  rest: number,
  invoices: readonly { id: string; patientShare: number; paid: number }[],
): { invoiceId: string; amount: number }[] {
  const plan: { invoiceId: string; amount: number }[] = [];
  let left = rest;
  for (const i of invoices) {
    if (left <= 0) break;
    const amount = Math.min(left, unpaidOf(i));
    if (amount > 0) {
      plan.push({ invoiceId: i.id, amount });
      left -= amount;
    }
  }
  return plan;
}

/**
 * Why a refund request of `amount` is not allowed: never more than the payment's available rest less what
 * other open requests of it already ask.
 */
export function refundRequestBreach(
  payment: PaymentBalanceRow & { status: string },
  openRequested: number,
  amount: number,
): RuleBreach | null {
  if (payment.status !== 'completed')
    return { code: 'BILLING_PAYMENT_NOT_USABLE', message: `The payment is ${payment.status}` };
  const left = availableOf(payment) - openRequested;
  if (amount > left)
    return {
      code: 'BILLING_REFUND_EXCEEDS_AVAILABLE',
      message: `At most ${Math.max(0, left)} paise of this payment can be refunded (not allocated, not refunded, not already requested)`,
    };
  return null;
}

/** Why approving a refund (which reserves its amount on the payment) is not allowed now. */
export function refundApprovalBreach(payment: PaymentBalanceRow & { status: string }, amount: number) {
  if (payment.status !== 'completed')
    return { code: 'BILLING_PAYMENT_NOT_USABLE', message: `The payment is ${payment.status}` };
  if (amount > availableOf(payment))
    return {
      code: 'BILLING_REFUND_EXCEEDS_AVAILABLE',
      message: `Only ${availableOf(payment)} paise of the payment are unallocated now; the refund cannot be approved`,
    };
  return null;
}

export function emptyModeTotals(): ModeTotals {
  return { cash: 0, card: 0, upi: 0, 'bank-transfer': 0, cheque: 0 };
}

export function addToTotals(totals: ModeTotals, mode: string, amount: number): void {
  if (mode in totals) totals[mode as PaymentMode] += amount;
}

export function sumTotals(a: ModeTotals, b: ModeTotals): ModeTotals {
  const out = emptyModeTotals();
  for (const k of Object.keys(out) as PaymentMode[]) out[k] = a[k] + b[k];
  return out;
}

/** Cash that should be in the till: float + cash received - cash refunds paid out in the shift. */
export function expectedCashOf(openingFloat: number, cashIn: number, cashOut: number): number {
  return openingFloat + cashIn - cashOut;
}

/**
 * Splits `amount` over weights in proportion, in whole paise, the parts summing exactly to `amount`
 * (largest remainder; ties to the earlier weight). All-zero weights: split evenly.
 */
export function apportion(amount: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const w = weights.map((x) => BigInt(Math.max(0, x)));
  const sum = w.reduce((a, b) => a + b, 0n);
  const base = sum === 0n ? w.map(() => 1n) : w;
  const total = sum === 0n ? BigInt(w.length) : sum;
  // Exact integer arithmetic: paise times paise can pass 2^53.
  const a = BigInt(amount);
  const parts = base.map((x) => (a * x) / total);
  const remainders = base.map((x) => (a * x) % total);
  let left = a - parts.reduce((x, y) => x + y, 0n);
  const order = remainders
    .map((r, i) => ({ i, r }))
    .sort((x, y) => (y.r > x.r ? 1 : y.r < x.r ? -1 : x.i - y.i));
  for (const { i } of order) {
    if (left <= 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return parts.map(Number);
}
