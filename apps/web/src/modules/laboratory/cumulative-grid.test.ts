import { describe, expect, it } from 'vitest';
import { cumulativeGrid } from './cumulative-grid';

const value = (over: Record<string, unknown>) => ({
  resultId: crypto.randomUUID(),
  requestId: 'r1',
  collectedAt: '2026-01-05T08:00:00.000Z',
  validatedAt: '2026-01-05T09:00:00.000Z',
  value: null,
  text: null,
  culture: null,
  flag: null,
  amended: false,
  ...over,
});

describe('the cumulative grid', () => {
  it('puts the values of one draw in one column, newest draw first, and leaves gaps empty', () => {
    const grid = cumulativeGrid({
      patientId: 'p1',
      tests: [
        {
          code: 'K',
          name: 'Potassium',
          unit: 'mmol/L',
          decimals: 1,
          values: [
            value({ value: 4.2, flag: 'N', collectedAt: '2026-01-01T08:00:00.000Z' }),
            value({ value: 6.9, flag: 'HH', requestId: 'r2' }),
          ],
        },
        {
          code: 'HB',
          name: 'Haemoglobin',
          unit: 'g/dL',
          decimals: 1,
          values: [value({ value: 12, flag: 'N', amended: true })],
        },
        {
          code: 'HBSAG',
          name: 'HBsAg',
          unit: null,
          decimals: null,
          values: [
            value({ text: 'Non-reactive', collectedAt: null, validatedAt: '2025-12-01T10:00:00.000Z' }),
          ],
        },
      ],
    });
    expect(grid.columns.map((c) => c.at)).toEqual([
      '2026-01-05T08:00:00.000Z',
      '2026-01-01T08:00:00.000Z',
      '2025-12-01T10:00:00.000Z',
    ]);
    const [k, hb, hbsag] = grid.rows;
    expect(k?.cells['2026-01-05T08:00:00.000Z']).toEqual([
      { text: '6.9', flag: 'HH', amended: false, requestId: 'r2' },
    ]);
    expect(k?.cells['2026-01-01T08:00:00.000Z']?.[0]?.text).toBe('4.2');
    expect(hb?.cells['2026-01-01T08:00:00.000Z']).toBeUndefined();
    // 12 g/dL to the test's one decimal: 12.0, as reported.
    expect(hb?.cells['2026-01-05T08:00:00.000Z']?.[0]).toMatchObject({ text: '12.0', amended: true });
    expect(hbsag?.cells['2025-12-01T10:00:00.000Z']?.[0]?.text).toBe('Non-reactive');
  });
});
