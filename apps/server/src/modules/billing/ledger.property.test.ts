import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocationBreach,
  apportion,
  availableOf,
  expectedCashOf,
  financialYearOf,
  planAutoAllocation,
  receiptNumberOf,
  refundApprovalBreach,
  refundRequestBreach,
} from './payments-rules';

// The books under any sequence of operations: an in-memory model that decides with the same rules the
// services use (payments-rules.ts), and the invariants of the issue checked after every step.

type P = { amount: number; allocated: number; refunded: number; status: string; mode: string; kind: string };
type I = { id: string; status: string; kind: string; patientShare: number; paid: number };
type A = { payment: number; invoice: number; amount: number; reversed: boolean };
type R = {
  payment: number;
  amount: number;
  status: 'requested' | 'approved' | 'rejected' | 'paid';
  mode: string;
};

class Books {
  readonly float: number;
  payments: P[] = [];
  invoices: I[] = [];
  allocations: A[] = [];
  refunds: R[] = [];
  cashIn = 0;
  cashOut = 0;
  refused = 0;

  constructor(float: number) {
    this.float = float;
  }

  receive(amount: number, mode: string, kind: string) {
    this.payments.push({ amount, allocated: 0, refunded: 0, status: 'completed', mode, kind });
    if (mode === 'cash') this.cashIn += amount;
  }
  bill(patientShare: number, kind: string) {
    this.invoices.push({ id: `i${this.invoices.length}`, status: 'final', kind, patientShare, paid: 0 });
  }
  allocate(pi: number, ii: number, amount: number) {
    const p = this.payments[pi];
    const i = this.invoices[ii];
    if (!p || !i) return;
    if (allocationBreach(p, i, amount)) {
      this.refused += 1;
      return;
    }
    p.allocated += amount;
    i.paid += amount;
    this.allocations.push({ payment: pi, invoice: ii, amount, reversed: false });
  }
  autoAllocate(pi: number) {
    const p = this.payments[pi];
    if (!p) return;
    const open = this.invoices.filter((i) => i.status === 'final' && i.kind !== 'ipd-interim');
    for (const step of planAutoAllocation(availableOf(p), open)) {
      const ii = this.invoices.findIndex((i) => i.id === step.invoiceId);
      expect(allocationBreach(p, this.invoices[ii]!, step.amount)).toBeNull();
      this.allocate(pi, ii, step.amount);
    }
  }
  requestRefund(pi: number, amount: number, mode: string) {
    const p = this.payments[pi];
    if (!p) return;
    const open = this.refunds
      .filter((r) => r.payment === pi && r.status === 'requested')
      .reduce((s, r) => s + r.amount, 0);
    if (refundRequestBreach(p, open, amount)) {
      this.refused += 1;
      return;
    }
    this.refunds.push({ payment: pi, amount, status: 'requested', mode });
  }
  approve(ri: number) {
    const r = this.refunds[ri];
    if (r?.status !== 'requested') return;
    const p = this.payments[r.payment]!;
    if (refundApprovalBreach(p, r.amount)) {
      this.refused += 1;
      return;
    }
    p.refunded += r.amount;
    r.status = 'approved';
  }
  reject(ri: number) {
    const r = this.refunds[ri];
    if (r?.status === 'requested') r.status = 'rejected';
  }
  payOut(ri: number) {
    const r = this.refunds[ri];
    if (r?.status !== 'approved') return;
    r.status = 'paid';
    if (r.mode === 'cash') this.cashOut += r.amount;
  }
  /** A credit note: the bill is cancelled and its allocations go back to their payments. */
  credit(ii: number) {
    const i = this.invoices[ii];
    if (i?.status !== 'final') return;
    for (const a of this.allocations) {
      if (a.invoice !== ii || a.reversed) continue;
      a.reversed = true;
      this.payments[a.payment]!.allocated -= a.amount;
      i.paid -= a.amount;
    }
    i.status = 'cancelled';
  }
}

const modes = ['cash', 'card', 'upi', 'bank-transfer', 'cheque'] as const;
// Small amounts and few indexes, so that most operations meet a payment, bill or refund that exists.
const money = fc.integer({ min: 1, max: 50_000 });
const index = fc.nat({ max: 3 });
const op = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(
      fc.constant('receive' as const),
      fc.integer({ min: 1, max: 200_000 }),
      fc.constantFrom(...modes),
      fc.constantFrom('payment', 'deposit'),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(
      fc.constant('bill' as const),
      fc.integer({ min: 0, max: 120_000 }),
      fc.constantFrom('opd', 'ipd-final', 'ipd-interim'),
    ),
  },
  { weight: 4, arbitrary: fc.tuple(fc.constant('allocate' as const), index, index, money) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('auto' as const), index) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constant('request' as const), index, money, fc.constantFrom(...modes)),
  },
  { weight: 3, arbitrary: fc.tuple(fc.constant('approve' as const), index) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('reject' as const), index) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('pay' as const), index) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('credit' as const), index) },
);

function run(books: Books, o: readonly unknown[]) {
  const [kind, a, b, c] = o as [string, number, number | string, number | string];
  switch (kind) {
    case 'receive':
      return books.receive(a, b as string, c as string);
    case 'bill':
      return books.bill(a, b as string);
    case 'allocate':
      return books.allocate(a, b as number, c as number);
    case 'auto':
      return books.autoAllocate(a);
    case 'request':
      return books.requestRefund(a, b as number, c as string);
    case 'approve':
      return books.approve(a);
    case 'reject':
      return books.reject(a);
    case 'pay':
      return books.payOut(a);
    case 'credit':
      return books.credit(a);
  }
}

function assertBooks(books: Books) {
  let received = 0;
  let refunded = 0;
  let allocated = 0;
  let unallocated = 0;
  books.payments.forEach((p, pi) => {
    const live = books.allocations
      .filter((a) => a.payment === pi && !a.reversed)
      .reduce((s, a) => s + a.amount, 0);
    const reserved = books.refunds
      .filter((r) => r.payment === pi && (r.status === 'approved' || r.status === 'paid'))
      .reduce((s, r) => s + r.amount, 0);
    // Allocations never exceed a payment; refunds never exceed what was paid and not allocated.
    expect(p.allocated).toBe(live);
    expect(p.refunded).toBe(reserved);
    expect(live + reserved).toBeLessThanOrEqual(p.amount);
    expect(availableOf(p)).toBeGreaterThanOrEqual(0);
    // amount = allocated + refunded + available
    expect(p.amount).toBe(p.allocated + p.refunded + availableOf(p));
    received += p.amount;
    refunded += p.refunded;
    allocated += p.allocated;
    unallocated += availableOf(p);
  });
  books.invoices.forEach((i, ii) => {
    const live = books.allocations
      .filter((a) => a.invoice === ii && !a.reversed)
      .reduce((s, a) => s + a.amount, 0);
    expect(i.paid).toBe(live);
    expect(i.paid).toBeLessThanOrEqual(Math.max(i.patientShare, 0));
    if (i.kind === 'ipd-interim') expect(i.paid).toBe(0);
  });
  // The books balance: what came in less what went back = what bills took + what is held.
  expect(received - refunded).toBe(allocated + unallocated);
  // The till: float + cash in - cash out, counted from the rows.
  const cashIn = books.payments.filter((p) => p.mode === 'cash').reduce((s, p) => s + p.amount, 0);
  const cashOut = books.refunds
    .filter((r) => r.mode === 'cash' && r.status === 'paid')
    .reduce((s, r) => s + r.amount, 0);
  expect(expectedCashOf(books.float, books.cashIn, books.cashOut)).toBe(books.float + cashIn - cashOut);
}

describe('the books under any sequence of operations', () => {
  it('keep every payment, bill, refund and the till in balance', () => {
    const seen = { allocations: 0, reversed: 0, paid: 0, refused: 0 };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(op, { minLength: 20, maxLength: 50, size: 'max' }),
        (float, ops) => {
          const books = new Books(float);
          for (const o of ops) {
            run(books, o as readonly unknown[]);
            assertBooks(books);
          }
          seen.allocations += books.allocations.length;
          seen.reversed += books.allocations.filter((a) => a.reversed).length;
          seen.paid += books.refunds.filter((r) => r.status === 'paid').length;
          seen.refused += books.refused;
        },
      ),
      { numRuns: 200 },
    );
    // The sequences reached every kind of movement, not only refusals.
    expect(Object.values(seen).every((n) => n > 5)).toBe(true);
  }, 60_000);

  it('refuse what would break them (a sample that reaches the refusals)', () => {
    const books = new Books(0);
    books.receive(1_000, 'cash', 'payment');
    books.bill(600, 'opd');
    books.bill(600, 'opd');
    books.allocate(0, 0, 600);
    books.allocate(0, 1, 600); // only 400 left
    books.requestRefund(0, 401, 'cash'); // only 400 unallocated
    books.requestRefund(0, 400, 'cash');
    books.requestRefund(0, 1, 'cash'); // 400 already asked
    books.allocate(0, 1, 300); // allowed: the request reserves nothing...
    books.approve(0); // ...so its approval is refused now
    expect(books.refused).toBe(4);
    expect(books.refunds[0]!.status).toBe('requested');
    assertBooks(books);
  });
});

describe('apportioning an allocation to the lines of a bill', () => {
  it('adds up exactly, each part within a paisa of its share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000_000 }),
        fc.array(fc.integer({ min: 0, max: 10_000_000_000 }), { minLength: 1, maxLength: 30 }),
        (amount, weights) => {
          const parts = apportion(amount, weights);
          expect(parts.reduce((s, x) => s + x, 0)).toBe(amount);
          const total = weights.reduce((s, x) => s + x, 0);
          parts.forEach((part, i) => {
            const exact = total === 0 ? amount / weights.length : (amount * weights[i]!) / total;
            expect(Math.abs(part - exact)).toBeLessThanOrEqual(1 + exact * 1e-12);
          });
        },
      ),
    );
  });
});

describe('numbering', () => {
  it('names the Indian financial year (April to March)', () => {
    expect(financialYearOf('2026-03-31')).toBe('2025-26');
    expect(financialYearOf('2026-04-01')).toBe('2026-27');
    expect(financialYearOf('2099-12-31')).toBe('2099-00');
    expect(receiptNumberOf('2026-27', 45)).toBe('RCP/2026-27/000045');
  });
});
