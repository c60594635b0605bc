import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReferenceRange } from './catalog-file';
import { deltaCheck, FLAGS, flagOf } from './interpret';

// Ranges with any subset of the four limits, always ordered critical_low <= low <= high <= critical_high.
const limits = fc
  .tuple(
    fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { minLength: 4, maxLength: 4 }),
    fc.boolean(),
    fc.boolean(),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([values, hasCl, hasLow, hasHigh, hasCh]) => {
    const [cl, low, high, ch] = [...values].sort((a, b) => a - b) as [number, number, number, number];
    const onlyCritical = !hasLow && !hasHigh;
    return {
      criticalLow: hasCl ? cl : null,
      low: hasLow || onlyCritical ? low : null,
      high: hasHigh ? high : null,
      criticalHigh: hasCh ? ch : null,
    } satisfies Pick<ReferenceRange, 'low' | 'high' | 'criticalLow' | 'criticalHigh'>;
  });
const value = fc.double({ min: -2000, max: 2000, noNaN: true });
const rank = (flag: string | null) => FLAGS.indexOf(flag as (typeof FLAGS)[number]);

describe('flag properties', () => {
  it('is monotonic: a larger value never gets a lower flag', () => {
    fc.assert(
      fc.property(limits, value, value, (range, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(rank(flagOf(lo, range))).toBeLessThanOrEqual(rank(flagOf(hi, range)));
      }),
    );
  });

  it('is N for every value inside [low, high]', () => {
    fc.assert(
      fc.property(limits, fc.double({ min: 0, max: 1, noNaN: true }), (range, t) => {
        // A one-sided interval ends where a critical limit begins.
        const low = range.low ?? range.criticalLow ?? -1000;
        const high = range.high ?? range.criticalHigh ?? 1000;
        const inside = Math.min(high, Math.max(low, low + (high - low) * t));
        expect(flagOf(inside, range)).toBe('N');
      }),
    );
  });

  it('says LL or HH only beyond a critical limit, and always beyond one', () => {
    fc.assert(
      fc.property(limits, value, (range, v) => {
        const flag = flagOf(v, range);
        const below = range.criticalLow !== null && v < range.criticalLow;
        const above = range.criticalHigh !== null && v > range.criticalHigh;
        expect(flag === 'LL').toBe(below);
        expect(flag === 'HH').toBe(above);
      }),
    );
  });
});

describe('delta check properties', () => {
  const absoluteRule = fc.record({
    mode: fc.constant('absolute' as const),
    threshold: fc.double({ min: 0.01, max: 10_000, noNaN: true }),
    windowDays: fc.integer({ min: 1, max: 30 }),
  });
  const at = fc.integer({ min: 0, max: 40 * 86_400_000 }).map((ms) => new Date(Date.UTC(2025, 0, 1) + ms));

  it('flags a rise and a fall of the same size alike under an absolute rule', () => {
    fc.assert(
      // Whole numbers (hundredths of a unit, say), so that prev + d and prev - d are exact.
      fc.property(
        absoluteRule,
        fc.integer({ min: -100_000, max: 100_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        at,
        at,
        (rule, prev, d, t1, t2) => {
          const rise = deltaCheck({ value: prev + d, at: t1 }, { value: prev, at: t2 }, rule);
          const fall = deltaCheck({ value: prev - d, at: t1 }, { value: prev, at: t2 }, rule);
          expect(rise.flagged).toBe(fall.flagged);
        },
      ),
    );
  });

  it('gives the same verdict with the two results swapped under an absolute rule', () => {
    fc.assert(
      fc.property(absoluteRule, value, value, at, at, (rule, a, b, t1, t2) => {
        const forward = deltaCheck({ value: a, at: t1 }, { value: b, at: t2 }, rule);
        const backward = deltaCheck({ value: b, at: t2 }, { value: a, at: t1 }, rule);
        expect(forward.flagged).toBe(backward.flagged);
        // Equal values give 0 one way and -0 the other: the same change (=== ignores the zero's sign).
        expect(forward.change === -backward.change).toBe(true);
      }),
    );
  });
});
