import { describe, expect, it } from 'vitest';
import { formatPercent, formatRupees, parsePercent, parseRupees, percentInput, rupeesInput } from './money';

describe('money on screen', () => {
  it('shows paise as rupees with the Indian grouping', () => {
    expect(formatRupees(12_345_678)).toBe('₹1,23,456.78');
    expect(formatRupees(5)).toBe('₹0.05');
    expect(formatRupees(0)).toBe('₹0.00');
    expect(formatRupees(-150_000)).toBe('-₹1,500.00');
    expect(formatRupees(1_000_000_000_00)).toBe('₹1,00,00,00,000.00');
    expect(formatRupees(null)).toBe('—');
  });

  it('parses typed rupees to paise exactly, never through a float', () => {
    expect(parseRupees('1,23,456.78')).toBe(12_345_678);
    expect(parseRupees('₹ 500')).toBe(50_000);
    expect(parseRupees('0.1')).toBe(10);
    expect(parseRupees('19.99')).toBe(1999);
    expect(parseRupees('1.005')).toBeNull();
    expect(parseRupees('')).toBeNull();
    expect(parseRupees('-5')).toBeNull();
    expect(parseRupees('12e3')).toBeNull();
    expect(parseRupees('1000000001')).toBeNull();
    for (const paise of [0, 1, 99, 100, 101, 1999, 12_345_678, 1_000_000_000_00]) {
      expect(parseRupees(rupeesInput(paise))).toBe(paise);
      expect(parseRupees(formatRupees(paise))).toBe(paise);
    }
  });

  it('converts percentages and basis points both ways', () => {
    expect(formatPercent(1000)).toBe('10%');
    expect(formatPercent(1250)).toBe('12.5%');
    expect(formatPercent(5)).toBe('0.05%');
    expect(parsePercent('12.5')).toBe(1250);
    expect(parsePercent('100')).toBe(10_000);
    expect(parsePercent('100.01')).toBeNull();
    expect(parsePercent('')).toBeNull();
    for (const bp of [0, 5, 100, 1250, 10_000]) expect(parsePercent(percentInput(bp))).toBe(bp);
  });
});
