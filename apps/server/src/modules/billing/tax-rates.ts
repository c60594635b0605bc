import { readCsvTable } from '../../platform/csv/csv';
// GST on a charge line: which dated tax row of a tax code applies (DOMAIN.md, "Indian GST on hospital
// supplies"). Pure: no I/O, tested with the shipped rows and their date edges.

export const TAX_SETTINGS = ['any', 'outpatient', 'inpatient'] as const;
export type TaxSetting = (typeof TAX_SETTINGS)[number];

/** One dated tax row, as stored in billing.tax_rates (dates YYYY-MM-DD, valid_to exclusive). */
export type TaxRateRow = {
  taxCode: string;
  setting: TaxSetting;
  /** Basis points: 500 = 5%. */
  rateBp: number;
  /** The row applies only when the unit price (paise) is above this. */
  minUnitPrice: number | null;
  inputCredit: boolean;
  validFrom: string;
  validTo: string | null;
  notification: string | null;
};

export type TaxQuery = {
  taxCode: string;
  /** In-patient treatment is one composite supply; out-patient and retail sales are taxed at goods rates. */
  setting: 'outpatient' | 'inpatient';
  /** Unit price in paise (per day for room rent). */
  unitPrice: number;
  /** The service date (YYYY-MM-DD). */
  date: string;
  /** ICU/CCU/ICCU/NICU rooms: threshold rows (room rent above INR 5,000/day) never apply. */
  intensiveCare?: boolean;
};

/**
 * The tax row that applies to a line, or null when the code has none on that date. Among the rows of the
 * code valid on the date (valid_from <= date < valid_to), for the setting or 'any', whose threshold the unit
 * price exceeds: the highest threshold wins (room rent above INR 5,000/day over the exempt room row), then
 * a row for the exact setting over an 'any' row.
 */
export function taxRateFor(rows: readonly TaxRateRow[], q: TaxQuery): TaxRateRow | null {
  let best: TaxRateRow | null = null;
  for (const r of rows) {
    if (r.taxCode !== q.taxCode) continue;
    if (r.validFrom > q.date || (r.validTo !== null && q.date >= r.validTo)) continue;
    if (r.setting !== 'any' && r.setting !== q.setting) continue;
    if (r.minUnitPrice !== null) {
      // GST: room rent above 5,000/day outside ICU is taxable at 5% since 2022-07-18; ICU rooms never are.
      if (q.intensiveCare || !(q.unitPrice > r.minUnitPrice)) continue;
    }
    if (!best || rank(r) > rank(best)) best = r;
  }
  return best;
}

function rank(r: TaxRateRow): number {
  return (r.minUnitPrice ?? -1) * 2 + (r.setting === 'any' ? 0 : 1);
}

/** Rows of a CSV with a header line, as records by column name (blank lines skipped; platform/csv). */
export function csvRecords(text: string): Record<string, string>[] {
  const { rows, problems } = readCsvTable(text, 'tax file');
  const first = problems[0];
  if (first) throw new Error(`${first.file} line ${first.line}: ${first.message}`);
  return rows.map((r) => r.row);
}

/** The tax rows of the shipped tax-rates.csv (or a hospital's own file of the same shape). */
export function parseTaxRatesCsv(text: string): TaxRateRow[] {
  return csvRecords(text).map((r) => {
    const setting = r.setting as TaxSetting;
    if (!TAX_SETTINGS.includes(setting)) throw new Error(`tax-rates.csv: unknown setting ${r.setting}`);
    return {
      taxCode: r.tax_code!,
      setting,
      rateBp: Number(r.rate_bp),
      minUnitPrice: r.min_unit_price ? Number(r.min_unit_price) : null,
      inputCredit: r.input_credit === 'true',
      validFrom: r.valid_from!,
      validTo: r.valid_to || null,
      notification: r.notification || null,
    };
  });
}
