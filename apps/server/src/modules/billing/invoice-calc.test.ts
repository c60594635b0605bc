import { describe, expect, it } from 'vitest';
import {
  type ChargeInput,
  computeInvoice,
  financialYearOf,
  invoiceNumberOf,
  MissingTaxRate,
  negateFigures,
  roundToRupee,
  type TaxRow,
} from './invoice-calc';
import { amountInWords, formatInr, numberInIndianWords } from './invoice-pdf';

// GST rows as DOMAIN.md states them: health care exempt; room rent above INR 5,000/day (not ICU) at 5% from
// 2022-07-18; medicines sold to out-patients 12% until 2025-09-21 and 5% from 2025-09-22; in-patient
// medicines are part of the exempt composite supply.
const row = (r: Partial<TaxRow> & Pick<TaxRow, 'taxCode' | 'rateBp' | 'validFrom'>): TaxRow => ({
  setting: 'any',
  minUnitPrice: null,
  inputCredit: false,
  validTo: null,
  notification: null,
  ...r,
});
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

let n = 0;
function charge(c: Partial<ChargeInput> & { amount?: number }): ChargeInput {
  n += 1;
  const quantity = c.quantity ?? 1;
  const unitPrice = c.unitPrice ?? c.amount ?? 10_000;
  return {
    chargeId: `c${n}`,
    serviceGroup: 'investigation',
    serviceCode: `S${n}`,
    description: `Service ${n}`,
    serviceDate: '2026-05-10',
    quantity,
    unitPrice,
    amount: quantity * unitPrice,
    taxCode: 'HC',
    hsnSac: '999312',
    intensiveCare: false,
    tariffClass: '*',
    ...c,
  };
}

describe('GST per line', () => {
  it('taxes room rent above INR 5,000/day at 5% and leaves 4,000/day and ICU exempt', () => {
    const f = computeInvoice({
      setting: 'inpatient',
      discounts: [],
      taxRows: GST_ROWS,
      charges: [
        charge({ serviceGroup: 'room', taxCode: 'ROOM', unitPrice: 400_000, quantity: 2 }),
        charge({ serviceGroup: 'room', taxCode: 'ROOM', unitPrice: 600_000, quantity: 3 }),
        charge({
          serviceGroup: 'room',
          taxCode: 'ROOM',
          unitPrice: 800_000,
          quantity: 1,
          intensiveCare: true,
        }),
        charge({ serviceGroup: 'room', taxCode: 'ROOM', unitPrice: 500_000, quantity: 1 }),
      ],
    });
    expect(f.lines.map((l) => [l.unitPrice, l.taxRateBp, l.tax])).toEqual([
      [400_000, 0, 0],
      [600_000, 500, 90_000],
      [800_000, 0, 0],
      // Exactly 5,000 is not "above" 5,000.
      [500_000, 0, 0],
    ]);
    expect(f.tax).toBe(90_000);
    expect(f.taxSummary).toEqual([
      { taxCode: 'ROOM', hsnSac: '999312', rateBp: 0, taxable: 2_100_000, tax: 0 },
      { taxCode: 'ROOM', hsnSac: '999312', rateBp: 500, taxable: 1_800_000, tax: 90_000 },
    ]);
  });

  it('leaves room rent untaxed before 2022-07-18', () => {
    const f = computeInvoice({
      setting: 'inpatient',
      discounts: [],
      taxRows: GST_ROWS,
      charges: [charge({ taxCode: 'ROOM', unitPrice: 600_000, serviceDate: '2022-07-17' })],
    });
    expect(f.lines[0]!.taxRateBp).toBe(0);
  });

  it('takes the GST out of an MRP price instead of adding it, so the bill never exceeds the MRP', () => {
    // 10 tablets at MRP Rs 10.50, 5% GST inside: taxable 100.00, tax 5.00, the patient pays 105.00.
    const f = computeInvoice({
      setting: 'outpatient',
      discounts: [],
      taxRows: GST_ROWS,
      charges: [
        charge({
          serviceGroup: 'pharmacy',
          taxCode: 'MED',
          unitPrice: 1050,
          quantity: 10,
          serviceDate: '2026-01-10',
          priceIncludesTax: true,
        }),
        charge({ serviceGroup: 'pharmacy', taxCode: 'MED', unitPrice: 10_000, serviceDate: '2026-01-10' }),
      ],
    });
    expect(f.lines.map((l) => [l.unitPrice, l.amount, l.tax, l.total])).toEqual([
      [1050, 10_000, 500, 10_500],
      [10_000, 10_000, 500, 10_500],
    ]);
    expect(f.total).toBe(21_000);
    expect(f.taxSummary).toEqual([
      { taxCode: 'MED', hsnSac: '999312', rateBp: 500, taxable: 20_000, tax: 1000 },
    ]);
    // With a 10% discount the MRP line is still tax-inclusive: 94.50 paid, of which 4.50 tax.
    const discounted = computeInvoice({
      setting: 'outpatient',
      discounts: [{ id: 'd1', chargeId: 'mrp', kind: 'percent', value: 1000 }],
      taxRows: GST_ROWS,
      charges: [
        charge({
          chargeId: 'mrp',
          serviceGroup: 'pharmacy',
          taxCode: 'MED',
          unitPrice: 1050,
          quantity: 10,
          serviceDate: '2026-01-10',
          priceIncludesTax: true,
        }),
      ],
    });
    expect(discounted.lines.map((l) => [l.amount - l.discount + l.tax, l.tax, l.total])).toEqual([
      [9450, 450, 9450],
    ]);
  });

  it('taxes an OPD medicine at 12% until 2025-09-21 and 5% from 2025-09-22; in-patient medicines are exempt', () => {
    const med = (date: string) =>
      charge({ serviceGroup: 'pharmacy', taxCode: 'MED', unitPrice: 10_001, serviceDate: date });
    const opd = computeInvoice({
      setting: 'outpatient',
      discounts: [],
      taxRows: GST_ROWS,
      charges: [med('2025-09-21'), med('2025-09-22')],
    });
    // 12% of 100.01 = 12.0012 -> 12.00; 5% of 100.01 = 5.0005 -> 5.00 (half up per line, in paise).
    expect(opd.lines.map((l) => [l.serviceDate, l.taxRateBp, l.tax])).toEqual([
      ['2025-09-21', 1200, 1200],
      ['2025-09-22', 500, 500],
    ]);
    const ipd = computeInvoice({
      setting: 'inpatient',
      discounts: [],
      taxRows: GST_ROWS,
      charges: [med('2025-09-21'), med('2025-09-22')],
    });
    expect(ipd.lines.map((l) => l.taxRateBp)).toEqual([0, 0]);
  });

  it('rounds tax per line half up in paise', () => {
    // 5% of 10 paise = 0.5 -> 1; 5% of 9 paise = 0.45 -> 0.
    const f = computeInvoice({
      setting: 'outpatient',
      discounts: [],
      taxRows: GST_ROWS,
      charges: [
        charge({ taxCode: 'MED', unitPrice: 10, serviceDate: '2026-01-01' }),
        charge({ taxCode: 'MED', unitPrice: 9, serviceDate: '2026-01-01' }),
      ],
    });
    expect(f.lines.map((l) => l.tax)).toEqual([1, 0]);
  });

  it('refuses a charge whose tax code has no row on its date', () => {
    expect(() =>
      computeInvoice({
        setting: 'outpatient',
        discounts: [],
        taxRows: GST_ROWS,
        charges: [charge({ taxCode: 'MED', serviceDate: '2016-01-01' })],
      }),
    ).toThrow(MissingTaxRate);
  });
});

describe('discounts', () => {
  it('applies a charge discount, then apportions a bill discount by line amount so the paise add up', () => {
    const a = charge({ amount: 10_000 });
    const b = charge({ amount: 20_000 });
    const c = charge({ amount: 33_333 });
    const f = computeInvoice({
      setting: 'outpatient',
      taxRows: GST_ROWS,
      charges: [a, b, c],
      discounts: [
        { id: 'd1', chargeId: b.chargeId, kind: 'percent', value: 5_000 },
        { id: 'd2', chargeId: null, kind: 'amount', value: 1_001 },
      ],
    });
    // After d1 the lines are 10000, 10000, 33333 (53333); 1001 split: 187.69, 187.69, 625.6 -> 188, 188, 625.
    expect(f.lines.map((l) => l.discount)).toEqual([188, 10_000 + 188, 625]);
    expect(f.discount).toBe(11_001);
    expect(f.discountsApplied).toEqual([
      { id: 'd1', amount: 10_000 },
      { id: 'd2', amount: 1_001 },
    ]);
  });

  it('never discounts more than the amount, and skips a discount on a charge not in the bill', () => {
    const a = charge({ amount: 5_000 });
    const f = computeInvoice({
      setting: 'outpatient',
      taxRows: GST_ROWS,
      charges: [a],
      discounts: [
        { id: 'd1', chargeId: a.chargeId, kind: 'amount', value: 4_000 },
        { id: 'd2', chargeId: a.chargeId, kind: 'amount', value: 4_000 },
        { id: 'd3', chargeId: null, kind: 'percent', value: 10_000 },
        { id: 'd4', chargeId: 'elsewhere', kind: 'amount', value: 100 },
      ],
    });
    expect(f.lines[0]!.discount).toBe(5_000);
    expect(f.total).toBe(0);
    expect(f.discountsApplied).toEqual([
      { id: 'd1', amount: 4_000 },
      { id: 'd2', amount: 1_000 },
      { id: 'd3', amount: 0 },
    ]);
  });

  it('taxes the value after discount', () => {
    const room = charge({ serviceGroup: 'room', taxCode: 'ROOM', unitPrice: 600_000, quantity: 1 });
    const f = computeInvoice({
      setting: 'inpatient',
      taxRows: GST_ROWS,
      charges: [room],
      discounts: [{ id: 'd', chargeId: null, kind: 'percent', value: 1_000 }],
    });
    expect(f.lines[0]).toMatchObject({ amount: 600_000, discount: 60_000, tax: 27_000, total: 567_000 });
  });
});

describe('totals', () => {
  it('groups lines in the bill order and rounds the total to the rupee with a round-off', () => {
    const f = computeInvoice({
      setting: 'outpatient',
      discounts: [],
      taxRows: GST_ROWS,
      charges: [
        charge({ serviceGroup: 'pharmacy', taxCode: 'MED', unitPrice: 10_049, serviceDate: '2026-01-01' }),
        charge({ serviceGroup: 'consultation', unitPrice: 50_000 }),
      ],
    });
    expect(f.lines.map((l) => l.serviceGroup)).toEqual(['consultation', 'pharmacy']);
    expect(f.lines.map((l) => l.position)).toEqual([1, 2]);
    // 500.00 + 100.49 + 5.02 (5% of 100.49 = 5.0245) = 605.51 -> 606.00, round off +0.49.
    expect(f.gross).toBe(60_049);
    expect(f.tax).toBe(502);
    expect(f.total).toBe(60_600);
    expect(f.roundOff).toBe(49);
    expect(f.patientShare).toBe(60_600);
    expect(f.groups.map((g) => [g.serviceGroup, g.total])).toEqual([
      ['consultation', 50_000],
      ['pharmacy', 10_551],
    ]);
  });

  it('rounds 50 paise up and 49 paise down', () => {
    expect(roundToRupee(150)).toBe(200);
    expect(roundToRupee(149)).toBe(100);
    expect(roundToRupee(0)).toBe(0);
  });

  it('a credit note negates every figure, so the bill and its credit note add up to nothing', () => {
    const f = computeInvoice({
      setting: 'inpatient',
      discounts: [],
      taxRows: GST_ROWS,
      charges: [charge({ serviceGroup: 'room', taxCode: 'ROOM', unitPrice: 600_123, quantity: 2 })],
    });
    const { invoice, lines } = negateFigures(f, f.lines);
    expect(invoice.total + f.total).toBe(0);
    expect(invoice.roundOff + f.roundOff).toBe(0);
    expect(invoice.patientShare + invoice.payerShare).toBe(invoice.total);
    expect(lines[0]!.total).toBe(lines[0]!.amount - lines[0]!.discount + lines[0]!.tax);
    expect(lines[0]!.total).toBeLessThan(0);
  });
});

describe('numbers and words', () => {
  it('names the Indian financial year (April to March)', () => {
    expect(financialYearOf('2026-03-31')).toBe('2025-26');
    expect(financialYearOf('2026-04-01')).toBe('2026-27');
    expect(financialYearOf('2099-12-31')).toBe('2099-00');
    expect(invoiceNumberOf('INV', '2026-27', 123)).toBe('INV/2026-27/000123');
  });

  it('writes amounts in Indian words and digit groups (lakh, crore)', () => {
    expect(numberInIndianWords(0)).toBe('Zero');
    expect(numberInIndianWords(115)).toBe('One Hundred Fifteen');
    expect(numberInIndianWords(100_000)).toBe('One Lakh');
    expect(numberInIndianWords(12_345_678)).toBe(
      'One Crore Twenty Three Lakh Forty Five Thousand Six Hundred Seventy Eight',
    );
    expect(numberInIndianWords(1_000_000_000)).toBe('One Hundred Crore');
    expect(amountInWords(10_050_050)).toBe('Rupees One Lakh Five Hundred and Fifty Paise Only');
    expect(amountInWords(-100)).toBe('Minus Rupees One Only');
    expect(formatInr(12_345_678)).toBe('1,23,456.78');
    expect(formatInr(123_456_789_00)).toBe('12,34,56,789.00');
    expect(formatInr(-5)).toBe('-0.05');
  });
});
