import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChargeInput,
  computeInvoice,
  type DiscountInput,
  INVOICE_GROUPS,
  negateFigures,
  type TaxRow,
} from './invoice-calc';
import type { SplitRules } from './payer-split';

// The rules that must always hold for any bill (issue #6): total = lines - discounts + tax (+ round-off);
// patient share + payer share = total, per line and overall; a discount never exceeds what it discounts;
// nothing is negative except the round-off (and a credit note, which negates everything).

const row = (r: Partial<TaxRow> & Pick<TaxRow, 'taxCode' | 'rateBp' | 'validFrom'>): TaxRow => ({
  setting: 'any',
  minUnitPrice: null,
  inputCredit: false,
  validTo: null,
  notification: null,
  ...r,
});
// DOMAIN.md's GST rows (as in invoice-calc.test.ts).
const GST_ROWS: TaxRow[] = [
  row({ taxCode: 'HC', rateBp: 0, validFrom: '2017-07-01' }),
  row({ taxCode: 'ROOM', rateBp: 0, validFrom: '2017-07-01' }),
  row({ taxCode: 'ROOM', rateBp: 500, minUnitPrice: 500_000, validFrom: '2022-07-18' }),
  row({ taxCode: 'MED', setting: 'inpatient', rateBp: 0, validFrom: '2017-07-01' }),
  row({
    taxCode: 'MED',
    setting: 'outpatient',
    rateBp: 1200,
    validFrom: '2017-07-01',
    validTo: '2025-09-22',
  }),
  row({ taxCode: 'MED', setting: 'outpatient', rateBp: 500, validFrom: '2025-09-22' }),
];

const chargeArb: fc.Arbitrary<Omit<ChargeInput, 'chargeId'>> = fc
  .record({
    serviceGroup: fc.constantFrom(...INVOICE_GROUPS),
    taxCode: fc.constantFrom('HC', 'ROOM', 'MED'),
    quantity: fc.integer({ min: 1, max: 30 }),
    unitPrice: fc.oneof(
      fc.integer({ min: 0, max: 2_000_000 }),
      fc.constantFrom(500_000, 500_001, 499_999, 0, 1),
      fc.integer({ min: 0, max: 1_000_000_000 }),
    ),
    serviceDate: fc.constantFrom('2022-07-17', '2022-07-18', '2025-09-21', '2025-09-22', '2026-04-01'),
    intensiveCare: fc.boolean(),
    priceIncludesTax: fc.boolean(),
    tariffClass: fc.constantFrom('*', 'general', 'private'),
  })
  .map((c) => ({
    ...c,
    serviceCode: `${c.serviceGroup}-${c.taxCode}`,
    description: c.serviceGroup,
    amount: c.quantity * c.unitPrice,
    hsnSac: null,
  }));

const rulesArb: fc.Arbitrary<SplitRules | null> = fc.option(
  fc.record({
    payerId: fc.constant('payer'),
    policyId: fc.constant('policy'),
    planCode: fc.constant(null),
    copayBp: fc.integer({ min: 0, max: 10_000 }),
    roomRentLimitPerDay: fc.option(fc.integer({ min: 0, max: 2_000_000 })),
    proportionateDeduction: fc.boolean(),
    nonPayableGroups: fc.subarray([...INVOICE_GROUPS]),
    nonPayableCodes: fc.constantFrom([], ['pharmacy-MED'], ['room-ROOM']),
    preauthApproved: fc.option(fc.integer({ min: 0, max: 50_000_000 })),
    policyBalance: fc.integer({ min: 0, max: 100_000_000 }),
  }),
);

const billArb = fc
  .record({
    setting: fc.constantFrom('outpatient' as const, 'inpatient' as const),
    charges: fc.array(chargeArb, { minLength: 0, maxLength: 25 }),
    split: rulesArb,
    discounts: fc.array(
      fc.record({
        onCharge: fc.option(fc.nat(30)),
        kind: fc.constantFrom('percent' as const, 'amount' as const),
        value: fc.integer({ min: 1, max: 10_000 }),
        big: fc.boolean(),
      }),
      { maxLength: 5 },
    ),
  })
  .map((b) => {
    const charges = b.charges.map((c, i) => ({ ...c, chargeId: `c${i}` }));
    const discounts: DiscountInput[] = b.discounts.map((d, i) => ({
      id: `d${i}`,
      chargeId: d.onCharge === null ? null : `c${d.onCharge}`,
      kind: d.kind,
      value: d.kind === 'amount' && d.big ? d.value * 1_000 : d.value,
    }));
    return { setting: b.setting, charges, discounts, split: b.split, taxRows: GST_ROWS };
  });

describe('invoice figures, for any bill', () => {
  it('add up: totals, line totals, shares, discounts, and nothing negative but the round-off', () => {
    fc.assert(
      fc.property(billArb, (input) => {
        const f = computeInvoice(input);
        expect(f.total).toBe(f.gross - f.discount + f.tax + f.roundOff);
        expect(f.total % 100).toBe(0);
        expect(Math.abs(f.roundOff)).toBeLessThanOrEqual(50);
        expect(f.patientShare + f.payerShare).toBe(f.total);
        expect(f.patientShare).toBeGreaterThanOrEqual(0);
        expect(f.payerShare).toBeGreaterThanOrEqual(0);
        if (!input.split) expect(f.payerShare).toBe(0);
        let gross = 0;
        let discount = 0;
        let tax = 0;
        for (const l of f.lines) {
          expect(l.total).toBe(l.amount - l.discount + l.tax);
          expect(l.payerShare + l.patientShare).toBe(l.total);
          expect(l.discount).toBeGreaterThanOrEqual(0);
          expect(l.discount).toBeLessThanOrEqual(l.amount);
          for (const v of [l.amount, l.tax, l.total, l.payerShare, l.patientShare])
            expect(v).toBeGreaterThanOrEqual(0);
          gross += l.amount;
          discount += l.discount;
          tax += l.tax;
        }
        expect([gross, discount, tax]).toEqual([f.gross, f.discount, f.tax]);
        expect(f.discountsApplied.reduce((s, d) => s + d.amount, 0)).toBe(f.discount);
        expect(f.taxSummary.reduce((s, t) => s + t.tax, 0)).toBe(f.tax);
        expect(f.taxSummary.reduce((s, t) => s + t.taxable, 0)).toBe(f.gross - f.discount);
        if (input.split) {
          const cap = Math.min(
            input.split.policyBalance,
            input.split.preauthApproved ?? Number.MAX_SAFE_INTEGER,
          );
          expect(f.lines.reduce((s, l) => s + l.payerShare, 0)).toBeLessThanOrEqual(cap);
        }
        // The lines are in the bill's group order.
        const ranks = f.lines.map((l) =>
          INVOICE_GROUPS.indexOf(l.serviceGroup as (typeof INVOICE_GROUPS)[number]),
        );
        expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
      }),
      { numRuns: 500 },
    );
  });

  it('a credit note is the exact negative of its bill and keeps the same rules', () => {
    fc.assert(
      fc.property(billArb, (input) => {
        const f = computeInvoice(input);
        const { invoice, lines } = negateFigures(f, f.lines);
        expect(invoice.total).toBe(invoice.gross - invoice.discount + invoice.tax + invoice.roundOff);
        expect(invoice.patientShare + invoice.payerShare).toBe(invoice.total);
        expect(invoice.total + f.total).toBe(0);
        for (const l of lines) {
          expect(l.total).toBe(l.amount - l.discount + l.tax);
          expect(l.payerShare + l.patientShare).toBe(l.total);
          expect(l.total).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
