import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTaxRatesCsv, type TaxQuery, taxRateFor } from './tax-rates';

// The shipped GST rows (reference/tax-rates.csv), not a copy: a hospital's edit of the file is what is tested.
const rows = parseTaxRatesCsv(readFileSync(new URL('./reference/tax-rates.csv', import.meta.url), 'utf8'));
const rate = (q: TaxQuery) => taxRateFor(rows, q)?.rateBp ?? null;
const op = { setting: 'outpatient' as const };
const ip = { setting: 'inpatient' as const };

describe('taxRateFor with the shipped GST rows', () => {
  it('exempts health care services whatever the date, setting and price', () => {
    for (const date of ['2017-07-01', '2022-07-18', '2025-09-22', '2030-01-01']) {
      expect(rate({ taxCode: 'HEALTHCARE', ...op, unitPrice: 10_000_000, date })).toBe(0);
      expect(rate({ taxCode: 'HEALTHCARE', ...ip, unitPrice: 1, date })).toBe(0);
    }
  });

  it('taxes room rent above INR 5,000/day outside ICU at 5% without input credit from 2022-07-18', () => {
    const room = (unitPrice: number, date: string, intensiveCare = false) =>
      taxRateFor(rows, { taxCode: 'ROOM', ...ip, unitPrice, date, intensiveCare });
    expect(room(500_001, '2022-07-18')).toMatchObject({ rateBp: 500, inputCredit: false });
    expect(room(500_001, '2022-07-17')?.rateBp).toBe(0);
    // Exactly INR 5,000 is not above the threshold.
    expect(room(500_000, '2026-01-01')?.rateBp).toBe(0);
    expect(room(499_999, '2026-01-01')?.rateBp).toBe(0);
    expect(room(900_000, '2026-01-01')?.rateBp).toBe(500);
    // ICU rooms are exempt whatever the rate.
    expect(room(2_500_000, '2026-01-01', true)?.rateBp).toBe(0);
  });

  it('moves medicines and devices from 12% to 5% on 2025-09-22 for out-patients, nil for in-patients', () => {
    for (const taxCode of ['MEDICINE', 'DEVICE']) {
      expect(rate({ taxCode, ...op, unitPrice: 10_000, date: '2025-09-21' })).toBe(1200);
      expect(rate({ taxCode, ...op, unitPrice: 10_000, date: '2025-09-22' })).toBe(500);
      expect(rate({ taxCode, ...ip, unitPrice: 10_000, date: '2025-09-21' })).toBe(0);
      expect(rate({ taxCode, ...ip, unitPrice: 10_000, date: '2025-09-22' })).toBe(0);
    }
    expect(rate({ taxCode: 'MEDICINE-LIFESAVING', ...op, unitPrice: 10_000, date: '2025-09-22' })).toBe(0);
    expect(rate({ taxCode: 'MEDICINE-LIFESAVING', ...op, unitPrice: 10_000, date: '2025-09-21' })).toBe(1200);
  });

  it('taxes attendant food at 5% and general services at 18%, and knows no rate before GST', () => {
    expect(rate({ taxCode: 'FOOD-ATTENDANT', ...ip, unitPrice: 15_000, date: '2026-04-01' })).toBe(500);
    expect(rate({ taxCode: 'GENERAL-18', ...op, unitPrice: 5_000, date: '2026-04-01' })).toBe(1800);
    expect(rate({ taxCode: 'HEALTHCARE', ...op, unitPrice: 5_000, date: '2017-06-30' })).toBeNull();
    expect(rate({ taxCode: 'NO-SUCH-CODE', ...op, unitPrice: 5_000, date: '2026-04-01' })).toBeNull();
  });

  it('finds exactly one applicable row for every shipped code, setting, price and date since GST began', () => {
    const codes = [...new Set(rows.map((r) => r.taxCode))];
    fc.assert(
      fc.property(
        fc.constantFrom(...codes),
        fc.constantFrom('outpatient' as const, 'inpatient' as const),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.date({
          min: new Date('2017-07-01T00:00:00Z'),
          max: new Date('2035-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.boolean(),
        (taxCode, setting, unitPrice, d, intensiveCare) => {
          const date = d.toISOString().slice(0, 10);
          const row = taxRateFor(rows, { taxCode, setting, unitPrice, date, intensiveCare });
          expect(row).not.toBeNull();
          expect(row!.rateBp === 0 || row!.rateBp >= 500).toBe(true);
          if (intensiveCare) expect(row!.minUnitPrice).toBeNull();
        },
      ),
      { numRuns: 500 },
    );
  });
});
