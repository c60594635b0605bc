import { agingBuckets } from '@newhms/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addAging, agingBucketOf, bucketAmounts, daysBetween, emptyAging } from './aging-buckets';

describe('agingBucketOf', () => {
  it.each([
    [-3, '0-30'],
    [0, '0-30'],
    [30, '0-30'],
    [31, '31-60'],
    [60, '31-60'],
    [61, '61-90'],
    [90, '61-90'],
    [91, '91-180'],
    [180, '91-180'],
    [181, '181+'],
    [2000, '181+'],
  ] as const)('puts an age of %i days in %s', (days, bucket) => {
    expect(agingBucketOf(days)).toBe(bucket);
  });

  it('never moves an older receivable into a younger bucket', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 5000 }), fc.integer({ min: 0, max: 400 }), (age, more) => {
        const order = (d: number) => agingBuckets.indexOf(agingBucketOf(d));
        expect(order(age + more)).toBeGreaterThanOrEqual(order(age));
      }),
    );
  });
});

describe('daysBetween', () => {
  it('counts calendar days across months, leap days and years', () => {
    expect(daysBetween('2026-03-31', '2026-04-30')).toBe(30);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-05-10', '2026-05-01')).toBe(-9);
  });
});

describe('bucketAmounts', () => {
  it('sums each amount into its bucket', () => {
    expect(
      bucketAmounts([
        { ageDays: 5, amount: 100 },
        { ageDays: 30, amount: 50 },
        { ageDays: 31, amount: 7 },
        { ageDays: 95, amount: 1_000 },
        { ageDays: 400, amount: 3 },
      ]),
    ).toEqual({ '0-30': 150, '31-60': 7, '61-90': 0, '91-180': 1_000, '181+': 3, total: 1_160 });
  });

  it('loses no paisa: the buckets add up to the total, whatever the ages and amounts', () => {
    const items = fc.array(
      fc.record({
        ageDays: fc.integer({ min: -5, max: 3000 }),
        amount: fc.integer({ min: 0, max: 10_000_000_000 }),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(items, items, (a, b) => {
        const all = bucketAmounts([...a, ...b]);
        expect(agingBuckets.reduce((s, k) => s + all[k], 0)).toBe(all.total);
        expect(all.total).toBe([...a, ...b].reduce((s, i) => s + i.amount, 0));
        // Bucketing in parts and adding gives the same report (the per-payer rows add to the totals).
        expect(addAging(addAging(emptyAging(), bucketAmounts(a)), bucketAmounts(b))).toEqual(all);
      }),
    );
  });
});
