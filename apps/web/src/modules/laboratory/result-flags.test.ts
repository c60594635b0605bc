import { describe, expect, it } from 'vitest';
import {
  cultureSummary,
  formatNumber,
  formatResultValue,
  isAbnormalFlag,
  isCriticalFlag,
} from './result-flags';

describe('result flags and values on screen', () => {
  it('tells critical from abnormal from normal', () => {
    expect(isCriticalFlag('HH')).toBe(true);
    expect(isCriticalFlag('LL')).toBe(true);
    expect(isCriticalFlag('H')).toBe(false);
    expect(isCriticalFlag(null)).toBe(false);
    expect(isAbnormalFlag('L')).toBe(true);
    expect(isAbnormalFlag('N')).toBe(false);
    expect(isAbnormalFlag(null)).toBe(false);
  });

  it('writes a number with its unit, a remark beside it, text answers and cultures', () => {
    expect(formatResultValue({ value: 6.9, text: null, culture: null, unit: 'mmol/L' })).toBe('6.9 mmol/L');
    expect(
      formatResultValue({ value: 6.9, text: 'haemolysed, repeated', culture: null, unit: 'mmol/L' }),
    ).toBe('6.9 mmol/L (haemolysed, repeated)');
    expect(formatResultValue({ value: 2, text: null, culture: null, unit: null })).toBe('2');
    expect(formatResultValue({ value: null, text: 'Reactive', culture: null, unit: null })).toBe('Reactive');
    expect(formatResultValue({ value: null, text: null, culture: null, unit: 'g/dL' })).toBe('');
  });

  it('writes a number in its test’s precision: 12 to one decimal is 12.0, as the analyzer printed it', () => {
    expect(formatResultValue({ value: 12, text: null, culture: null, unit: 'g/dL', decimals: 1 })).toBe(
      '12.0 g/dL',
    );
    expect(formatResultValue({ value: 0.8, text: null, culture: null, unit: 'mg/dL', decimals: 2 })).toBe(
      '0.80 mg/dL',
    );
    expect(formatResultValue({ value: 140, text: null, culture: null, unit: 'mmol/L', decimals: 0 })).toBe(
      '140 mmol/L',
    );
    expect(formatNumber(4.5, 2)).toBe('4.50');
    expect(formatNumber(12, null)).toBe('12');
    expect(formatNumber(12, undefined)).toBe('12');
  });

  it('summarises a culture: no growth, or the organism with its susceptibilities', () => {
    expect(cultureSummary({ organism: null, antibiotics: [] })).toBe('No growth');
    expect(cultureSummary({ organism: null, growth: 'after 48 h', antibiotics: [] })).toBe(
      'No growth (after 48 h)',
    );
    expect(
      cultureSummary({
        organism: 'Escherichia coli',
        growth: '> 10^5 CFU/mL',
        antibiotics: [
          { antibiotic: 'Ampicillin', interpretation: 'R' },
          { antibiotic: 'Nitrofurantoin', interpretation: 'S', mic: '16' },
        ],
      }),
    ).toBe('Escherichia coli, > 10^5 CFU/mL: Ampicillin R, Nitrofurantoin S (MIC 16)');
  });
});
