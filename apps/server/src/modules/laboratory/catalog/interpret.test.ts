import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type LabTest, parseLabCatalog, type ReferenceRange } from './catalog-file';
import { deltaCheck, flagOf, formatRange, isCritical, rangeFor, roundTo } from './interpret';

const read = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
const { catalog } = parseLabCatalog({
  tests: read('tests.csv'),
  ranges: read('reference-ranges.csv'),
  panels: read('panels.csv'),
  deltaRules: read('delta-rules.csv'),
});
const YEAR = 365;
const adultMan = { sex: 'male' as const, ageDays: 40 * YEAR };
const adultWoman = { sex: 'female' as const, ageDays: 40 * YEAR };
const neonate = { sex: 'male' as const, ageDays: 3 };
const test = (code: string) => catalog.tests.find((t) => t.code === code) as LabTest;
const flag = (code: string, value: number, patient: Parameters<typeof rangeFor>[2]) =>
  flagOf(value, rangeFor(code, catalog.ranges, patient));
const rule = (code: string) => catalog.deltaRules.find((d) => d.testCode === code)!;

const range = (over: Partial<ReferenceRange>): ReferenceRange => ({
  testCode: 'X',
  sex: 'any',
  ageFromDays: null,
  ageToDays: null,
  low: 10,
  high: 20,
  criticalLow: 5,
  criticalHigh: 30,
  source: '',
  licence: '',
  line: 2,
  ...over,
});

describe('flagging a result against the shipped ranges', () => {
  it('flags potassium 6.8 mmol/L in an adult as HH, a critical value', () => {
    expect(flag('K', 6.8, adultMan)).toBe('HH');
    expect(isCritical(6.8, rangeFor('K', catalog.ranges, adultMan))).toBe(true);
  });

  it('flags potassium 2.5 mmol/L as LL and 5.5 as H without being critical', () => {
    expect(flag('K', 2.5, adultWoman)).toBe('LL');
    expect(flag('K', 5.5, adultWoman)).toBe('H');
    expect(isCritical(5.5, rangeFor('K', catalog.ranges, adultWoman))).toBe(false);
  });

  it('gives a neonate its own potassium range: 5.8 mmol/L is normal at 3 days and high at 40 years', () => {
    const newborn = rangeFor('K', catalog.ranges, neonate)!;
    const adult = rangeFor('K', catalog.ranges, adultMan)!;
    expect(newborn.line).not.toBe(adult.line);
    expect(flagOf(5.8, newborn)).toBe('N');
    expect(flagOf(5.8, adult)).toBe('H');
    expect(flagOf(6.8, newborn)).toBe('H');
  });

  it('flags haemoglobin 11.5 g/dL low in a woman; a man has a higher range', () => {
    expect(flag('HB', 11.5, adultWoman)).toBe('L');
    expect(flag('HB', 12.5, adultWoman)).toBe('N');
    expect(flag('HB', 12.5, adultMan)).toBe('L');
    expect(rangeFor('HB', catalog.ranges, adultMan)!.low).toBeGreaterThan(
      rangeFor('HB', catalog.ranges, adultWoman)!.low!,
    );
    expect(flag('HB', 6.5, adultWoman)).toBe('LL');
  });

  it('does not flag a result without a range', () => {
    expect(rangeFor('HBSAG', catalog.ranges, adultMan)).toBeNull();
    expect(rangeFor('NO_SUCH_TEST', catalog.ranges, adultMan)).toBeNull();
    expect(flagOf(3.2, null)).toBeNull();
    expect(isCritical(3.2, null)).toBe(false);
    // RBC has adult ranges only.
    expect(flag('RBC', 3.0, { sex: 'female', ageDays: 2 * YEAR })).toBeNull();
  });

  it('matches a patient of other or unknown sex only by ranges for any sex', () => {
    expect(rangeFor('K', catalog.ranges, { sex: 'unknown', ageDays: 40 * YEAR })?.sex).toBe('any');
    expect(rangeFor('HB', catalog.ranges, { sex: 'other', ageDays: 40 * YEAR })).toBeNull();
    expect(rangeFor('HB', catalog.ranges, { sex: 'other', ageDays: 2 * YEAR })?.sex).toBe('any');
  });

  it('reports high-sensitivity troponin above the 99th percentile as critical', () => {
    expect(flag('TNI_HS', 20, adultWoman)).toBe('HH');
    expect(flag('TNI_HS', 20, adultMan)).toBe('N');
    expect(flag('TNI_HS', 35, adultMan)).toBe('HH');
  });

  it('reads one-sided ranges: cholesterol 200 is within, 201 is high, HDL below 40 in a man is low', () => {
    expect(flag('CHOL', 200, adultMan)).toBe('N');
    expect(flag('CHOL', 201, adultMan)).toBe('H');
    expect(flag('HDL', 39, adultMan)).toBe('L');
    expect(flag('HDL', 45, adultWoman)).toBe('L');
  });
});

describe('boundaries', () => {
  const r = range({});
  it('treats the reference limits as inside the interval', () => {
    expect(flagOf(10, r)).toBe('N');
    expect(flagOf(20, r)).toBe('N');
    expect(flagOf(9.99, r)).toBe('L');
    expect(flagOf(20.01, r)).toBe('H');
  });

  it('treats a value exactly at a critical limit as not yet critical', () => {
    expect(flagOf(5, r)).toBe('L');
    expect(flagOf(30, r)).toBe('H');
    expect(flagOf(4.99, r)).toBe('LL');
    expect(flagOf(30.01, r)).toBe('HH');
    const potassium = rangeFor('K', catalog.ranges, adultMan)!;
    expect(flagOf(2.8, potassium)).toBe('L');
    expect(flagOf(6.2, potassium)).toBe('H');
  });

  it('never flags critical without a critical limit, and refuses a value that is not a number', () => {
    const plain = range({ criticalLow: null, criticalHigh: null });
    expect(flagOf(-1000, plain)).toBe('L');
    expect(flagOf(1000, plain)).toBe('H');
    expect(flagOf(Number.NaN, plain)).toBeNull();
    expect(flagOf(Number.POSITIVE_INFINITY, plain)).toBeNull();
  });

  it('applies an age band from its first day up to, not including, its last', () => {
    const ranges = [
      range({ ageFromDays: 0, ageToDays: 28, low: 1, line: 2 }),
      range({ ageFromDays: 28, low: 2, line: 3 }),
    ];
    expect(rangeFor('X', ranges, { sex: 'male', ageDays: 27 })?.line).toBe(2);
    expect(rangeFor('X', ranges, { sex: 'male', ageDays: 28 })?.line).toBe(3);
    expect(rangeFor('X', ranges, { sex: 'male', ageDays: null })).toBeNull();
  });

  it('prefers the patient’s sex over any, then the narrowest age band', () => {
    const ranges = [
      range({ line: 2 }),
      range({ sex: 'female', ageFromDays: 0, line: 3 }),
      range({ ageFromDays: 6575, ageToDays: 10000, line: 4 }),
      range({ sex: 'female', ageFromDays: 6575, ageToDays: 20000, line: 5 }),
    ];
    expect(rangeFor('X', ranges, { sex: 'female', ageDays: 7000 })?.line).toBe(5);
    expect(rangeFor('X', ranges, { sex: 'female', ageDays: 30000 })?.line).toBe(3);
    expect(rangeFor('X', ranges, { sex: 'male', ageDays: 7000 })?.line).toBe(4);
    expect(rangeFor('X', ranges, { sex: 'male', ageDays: null })?.line).toBe(2);
  });
});

describe('delta checks', () => {
  it('flags a haemoglobin drop of more than 2 g/dL within 3 days', () => {
    const d = deltaCheck(
      { value: 9.5, at: '2025-03-03T08:00:00Z' },
      { value: 12.0, at: '2025-03-01T08:00:00Z' },
      rule('HB'),
    );
    expect(d).toMatchObject({ flagged: true, withinWindow: true });
    expect(d.change).toBeCloseTo(-2.5);
    expect(d.percent).toBeCloseTo(-20.8333, 3);
  });

  it('does not flag exactly the threshold, nor a change outside the window', () => {
    const hb = rule('HB');
    expect(deltaCheck({ value: 10, at: '2025-03-02' }, { value: 12, at: '2025-03-01' }, hb).flagged).toBe(
      false,
    );
    const late = deltaCheck(
      { value: 8, at: '2025-03-04T00:00:01Z' },
      { value: 12, at: '2025-03-01T00:00:00Z' },
      hb,
    );
    expect(late).toMatchObject({ flagged: false, withinWindow: false, change: -4 });
    expect(deltaCheck({ value: 8, at: '2025-03-04' }, { value: 12, at: '2025-03-01' }, hb).flagged).toBe(
      true,
    );
  });

  it('flags a creatinine rise of more than 50 % within 2 days, and potassium by more than 1 mmol/L', () => {
    const creat = deltaCheck(
      { value: 1.9, at: new Date('2025-03-02') },
      { value: 1.2, at: new Date('2025-03-01') },
      rule('CREAT'),
    );
    expect(creat.flagged).toBe(true);
    expect(creat.percent).toBeCloseTo(58.33, 2);
    expect(
      deltaCheck({ value: 1.7, at: '2025-03-02' }, { value: 1.2, at: '2025-03-01' }, rule('CREAT')).flagged,
    ).toBe(false);
    expect(
      deltaCheck({ value: 5.7, at: '2025-03-02' }, { value: 4.5, at: '2025-03-01' }, rule('K')).flagged,
    ).toBe(true);
  });

  it('gives no percent against a previous 0', () => {
    const d = deltaCheck(
      { value: 1, at: '2025-03-02' },
      { value: 0, at: '2025-03-01' },
      { mode: 'percent', threshold: 50, windowDays: 3 },
    );
    expect(d).toMatchObject({ percent: null, flagged: true });
    expect(() =>
      deltaCheck({ value: 1, at: 'yesterday' }, { value: 0, at: '2025-03-01' }, rule('K')),
    ).toThrow(RangeError);
  });
});

describe('rounding and range text', () => {
  it('rounds halves away from zero without floating-point surprises', () => {
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(2.25, 1)).toBe(2.3);
    expect(roundTo(-2.25, 1)).toBe(-2.3);
    expect(roundTo(4.4449, 2)).toBe(4.44);
    expect(roundTo(123.5, 0)).toBe(124);
    expect(roundTo(-0.04, 1)).toBe(0);
    expect(roundTo(1e-7, 2)).toBe(0);
    expect(() => roundTo(1, -1)).toThrow(RangeError);
    expect(() => roundTo(1, 1.5)).toThrow(RangeError);
  });

  it('prints ranges as a report does', () => {
    const k = test('K');
    expect(formatRange(rangeFor('K', catalog.ranges, adultMan), k.ucumUnit, k.decimals)).toBe(
      '3.5 – 5.1 mmol/L',
    );
    expect(formatRange({ low: 13, high: 17 }, 'g/dL', 1)).toBe('13.0 – 17.0 g/dL');
    expect(formatRange({ low: null, high: 200 }, 'mg/dL', 0)).toBe('≤ 200 mg/dL');
    expect(formatRange({ low: 40, high: null }, 'mg/dL')).toBe('≥ 40 mg/dL');
    expect(formatRange({ low: 1.005, high: 1.03 }, null, 3)).toBe('1.005 – 1.030');
    expect(formatRange(null, 'mmol/L')).toBe('');
  });
});
