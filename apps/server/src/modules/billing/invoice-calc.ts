// The figures of an invoice from its charges, the approved discounts, the dated GST rows and the payer's
// rules. Pure: no I/O, one pass over the lines. Money is integer paise; tax is rounded per line half up; the
// bill is rounded to the rupee with a round-off amount.

import { apportion, mulDivHalfUp, type SplitExplanation, type SplitRules, splitPayer } from './payer-split';
import { type TaxRateRow, taxRateFor } from './tax-rates';

/** The order in which an invoice groups its lines. */
export const INVOICE_GROUPS = [
  'consultation',
  'room',
  'nursing',
  'investigation',
  'imaging',
  'procedure',
  'pharmacy',
  'consumable',
  'package',
  'other',
] as const;

export type TaxSetting = 'outpatient' | 'inpatient';

/** A dated GST row (billing.tax_rates); the applicable one is picked by `taxRateFor` (tax-rates.ts). */
export type TaxRow = TaxRateRow;

/** No GST row covers a charge: the charge master is incomplete, the bill cannot be made. */
export class MissingTaxRate extends Error {
  constructor(
    readonly taxCode: string,
    readonly date: string,
    readonly setting: TaxSetting,
  ) {
    super(`No GST row of tax code ${taxCode} applies on ${date} (${setting})`);
  }
}

/** A charge as the invoice bills it. */
export type ChargeInput = {
  chargeId: string | null;
  serviceGroup: string;
  serviceCode: string;
  description: string;
  serviceDate: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  taxCode: string;
  hsnSac: string | null;
  intensiveCare: boolean;
  /** The unit price includes GST (MRP goods): the tax is taken out of the amount, not added to it. */
  priceIncludesTax?: boolean;
  tariffClass: string;
};

/** An approved discount: on one charge (chargeId) or on the whole bill (null). */
export type DiscountInput = {
  id: string;
  chargeId: string | null;
  kind: 'percent' | 'amount';
  /** Basis points (percent) or paise (amount). */
  value: number;
};

export type InvoiceLineFigures = {
  position: number;
  chargeId: string | null;
  serviceGroup: string;
  serviceCode: string;
  description: string;
  serviceDate: string | null;
  quantity: number;
  unitPrice: number;
  amount: number;
  discount: number;
  taxCode: string;
  hsnSac: string | null;
  taxRateBp: number;
  tax: number;
  total: number;
  payerShare: number;
  patientShare: number;
  splitNote: string | null;
};

export type TaxSummaryRow = {
  taxCode: string;
  hsnSac: string | null;
  rateBp: number;
  taxable: number;
  tax: number;
};
export type GroupSummaryRow = {
  serviceGroup: string;
  amount: number;
  discount: number;
  tax: number;
  total: number;
};

export type InvoiceFigures = {
  lines: InvoiceLineFigures[];
  gross: number;
  discount: number;
  tax: number;
  roundOff: number;
  total: number;
  patientShare: number;
  payerShare: number;
  taxSummary: TaxSummaryRow[];
  groups: GroupSummaryRow[];
  /** What each discount took off (a discount on a charge not in this bill is not applied). */
  discountsApplied: { id: string; amount: number }[];
  split: SplitExplanation | null;
  /** Who bears the round-off: the patient, unless it would take the patient's share below zero. */
  roundOffPatient: number;
  roundOffPayer: number;
};

export type InvoiceInput = {
  setting: TaxSetting;
  charges: readonly ChargeInput[];
  discounts: readonly DiscountInput[];
  taxRows: readonly TaxRow[];
  split?: SplitRules | null;
};

const groupRank = (g: string) => {
  const i = (INVOICE_GROUPS as readonly string[]).indexOf(g);
  return i < 0 ? INVOICE_GROUPS.length : i;
};

/** Rounds a non-negative amount of paise to the rupee, half up (50 paise and more round up). */
export function roundToRupee(paise: number): number {
  return Math.floor((paise + 50) / 100) * 100;
}

/**
 * The invoice's figures: lines grouped by service group (then service date), discounts (charge discounts,
 * then bill discounts apportioned to lines by their amount, largest remainder), GST per line from the dated
 * row, the payer split, tax and group summaries, and the total rounded to the rupee.
 * Invariants: total = gross - discount + tax + roundOff; line total = amount - discount + tax; payer + patient
 * = total (per line and overall); 0 <= discount <= amount.
 */
export function computeInvoice(input: InvoiceInput): InvoiceFigures {
  const charges = input.charges
    .map((c, i) => ({ c, i }))
    .sort(
      (a, b) =>
        groupRank(a.c.serviceGroup) - groupRank(b.c.serviceGroup) ||
        (a.c.serviceDate < b.c.serviceDate ? -1 : a.c.serviceDate > b.c.serviceDate ? 1 : 0) ||
        a.i - b.i,
    )
    .map((x) => x.c);

  // 1. Discounts on a charge.
  const lineDiscount = charges.map(() => 0);
  const indexOfCharge = new Map<string, number>();
  charges.forEach((c, i) => {
    if (c.chargeId) indexOfCharge.set(c.chargeId, i);
  });
  const applied = new Map<string, number>();
  for (const d of input.discounts) {
    if (d.chargeId === null) continue;
    const i = indexOfCharge.get(d.chargeId);
    if (i === undefined) continue;
    const c = charges[i]!;
    const rest = c.amount - lineDiscount[i]!;
    const want = d.kind === 'percent' ? mulDivHalfUp(c.amount, Math.min(d.value, 10_000), 10_000) : d.value;
    const take = Math.max(0, Math.min(want, rest));
    lineDiscount[i]! += take;
    applied.set(d.id, take);
  }
  // 2. Discounts on the bill, on what remains after charge discounts, apportioned by line.
  const remaining = charges.map((c, i) => c.amount - lineDiscount[i]!);
  const base = remaining.reduce((s, r) => s + r, 0);
  let billDiscount = 0;
  for (const d of input.discounts) {
    if (d.chargeId !== null) continue;
    const want = d.kind === 'percent' ? mulDivHalfUp(base, Math.min(d.value, 10_000), 10_000) : d.value;
    const take = Math.max(0, Math.min(want, base - billDiscount));
    billDiscount += take;
    applied.set(d.id, take);
  }
  if (billDiscount > 0) {
    apportion(billDiscount, remaining).forEach((part, i) => {
      lineDiscount[i]! += part;
    });
  }

  // 3. GST per line, rounded half up.
  const lines: InvoiceLineFigures[] = charges.map((c, i) => {
    const row = taxRateFor(input.taxRows, {
      taxCode: c.taxCode,
      setting: input.setting,
      unitPrice: c.unitPrice,
      date: c.serviceDate,
      intensiveCare: c.intensiveCare,
    });
    if (!row) throw new MissingTaxRate(c.taxCode, c.serviceDate, input.setting);
    const discount = lineDiscount[i]!;
    const net = c.amount - discount;
    // Tax on top of the price, or (MRP) inside it: taxable + tax = what the patient pays at most.
    const tax = c.priceIncludesTax
      ? mulDivHalfUp(net, row.rateBp, 10_000 + row.rateBp)
      : mulDivHalfUp(net, row.rateBp, 10_000);
    const total = c.priceIncludesTax ? net : net + tax;
    return {
      position: i + 1,
      chargeId: c.chargeId,
      serviceGroup: c.serviceGroup,
      serviceCode: c.serviceCode,
      description: c.description,
      serviceDate: c.serviceDate,
      quantity: c.quantity,
      unitPrice: c.unitPrice,
      // An MRP line shows its value before tax, so that amount - discount + tax = total holds for every line.
      amount: c.priceIncludesTax ? c.amount - tax : c.amount,
      discount,
      taxCode: c.taxCode,
      hsnSac: c.hsnSac,
      taxRateBp: row.rateBp,
      tax,
      total,
      payerShare: 0,
      patientShare: total,
      splitNote: null,
    };
  });

  // 4. The payer's split.
  let split: SplitExplanation | null = null;
  if (input.split) {
    const result = splitPayer(
      lines.map((l, i) => ({
        serviceGroup: l.serviceGroup,
        serviceCode: l.serviceCode,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        total: l.total,
        intensiveCare: charges[i]!.intensiveCare,
        tariffClass: charges[i]!.tariffClass,
      })),
      input.split,
    );
    result.lines.forEach((s, i) => {
      const l = lines[i]!;
      l.payerShare = s.payerShare;
      l.patientShare = s.patientShare;
      l.splitNote = s.note;
    });
    split = result.explanation;
  }

  // 5. Totals, summaries, round-off.
  let gross = 0;
  let discount = 0;
  let tax = 0;
  let linePayer = 0;
  let linePatient = 0;
  const taxes = new Map<string, TaxSummaryRow>();
  const groups = new Map<string, GroupSummaryRow>();
  for (const l of lines) {
    gross += l.amount;
    discount += l.discount;
    tax += l.tax;
    linePayer += l.payerShare;
    linePatient += l.patientShare;
    const tk = `${l.taxCode}\u0000${l.taxRateBp}`;
    const t = taxes.get(tk) ?? {
      taxCode: l.taxCode,
      hsnSac: l.hsnSac,
      rateBp: l.taxRateBp,
      taxable: 0,
      tax: 0,
    };
    t.taxable += l.total - l.tax;
    t.tax += l.tax;
    taxes.set(tk, t);
    const g = groups.get(l.serviceGroup) ?? {
      serviceGroup: l.serviceGroup,
      amount: 0,
      discount: 0,
      tax: 0,
      total: 0,
    };
    g.amount += l.amount;
    g.discount += l.discount;
    g.tax += l.tax;
    g.total += l.total;
    groups.set(l.serviceGroup, g);
  }
  const subtotal = gross - discount + tax;
  const total = roundToRupee(subtotal);
  const roundOff = total - subtotal;
  // The round-off is the patient's; a negative one the patient cannot absorb falls to the payer.
  const roundOffPatient = roundOff >= 0 ? roundOff : -Math.min(-roundOff, linePatient);
  const roundOffPayer = roundOff - roundOffPatient;

  return {
    lines,
    gross,
    discount,
    tax,
    roundOff,
    total,
    patientShare: linePatient + roundOffPatient,
    payerShare: linePayer + roundOffPayer,
    taxSummary: [...taxes.values()].sort((a, b) =>
      a.taxCode === b.taxCode ? a.rateBp - b.rateBp : a.taxCode < b.taxCode ? -1 : 1,
    ),
    groups: [...groups.values()],
    discountsApplied: input.discounts
      .filter((d) => applied.has(d.id))
      .map((d) => ({ id: d.id, amount: applied.get(d.id)! })),
    split,
    roundOffPatient,
    roundOffPayer,
  };
}

/** A credit note's figures: the cancelled invoice's, every amount negated (lines keep their charge). */
export function negateFigures<
  T extends {
    gross: number;
    discount: number;
    tax: number;
    roundOff: number;
    total: number;
    patientShare: number;
    payerShare: number;
  },
  L extends {
    amount: number;
    discount: number;
    tax: number;
    total: number;
    payerShare: number;
    patientShare: number;
    unitPrice: number;
  },
>(invoice: T, lines: readonly L[]): { invoice: T; lines: L[] } {
  const neg = (n: number) => (n === 0 ? 0 : -n);
  return {
    invoice: {
      ...invoice,
      gross: neg(invoice.gross),
      discount: neg(invoice.discount),
      tax: neg(invoice.tax),
      roundOff: neg(invoice.roundOff),
      total: neg(invoice.total),
      patientShare: neg(invoice.patientShare),
      payerShare: neg(invoice.payerShare),
    },
    lines: lines.map((l) => ({
      ...l,
      unitPrice: neg(l.unitPrice),
      amount: neg(l.amount),
      discount: neg(l.discount),
      tax: neg(l.tax),
      total: neg(l.total),
      payerShare: neg(l.payerShare),
      patientShare: neg(l.patientShare),
    })),
  };
}

/** The Indian financial year (April to March) of a calendar date, as printed in numbers: '2026-27'. */
export function financialYearOf(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const start = month >= 4 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/** An invoice number: series, financial year and a six-digit counter, e.g. INV/2026-27/000123. */
export function invoiceNumberOf(series: string, financialYear: string, value: number): string {
  return `${series}/${financialYear}/${String(value).padStart(6, '0')}`;
}
