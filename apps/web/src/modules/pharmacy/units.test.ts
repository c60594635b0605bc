import { describe, expect, it } from 'vitest';
import { outstandingUnits, parseSignedUnits, parseUnits } from './units';

describe('parseUnits', () => {
  it('reads whole units, with grouping and spaces', () => {
    expect(parseUnits('12')).toBe(12);
    expect(parseUnits(' 1,000 ')).toBe(1000);
  });

  it('refuses fractions, signs, blanks, zero (unless allowed) and more than a million', () => {
    for (const bad of ['', '1.5', '-3', '+3', 'ten', '0', '1000001']) expect(parseUnits(bad)).toBeNull();
    expect(parseUnits('0', 0)).toBe(0);
  });
});

describe('parseSignedUnits', () => {
  it('reads a signed correction', () => {
    expect(parseSignedUnits('-5')).toBe(-5);
    expect(parseSignedUnits('+3')).toBe(3);
    expect(parseSignedUnits('7')).toBe(7);
  });

  it('refuses zero, blanks and fractions', () => {
    for (const bad of ['0', '-0', '', '-', '2.5', '1000001']) expect(parseSignedUnits(bad)).toBeNull();
  });
});

describe('outstandingUnits', () => {
  it('is what was asked less what was issued, never negative', () => {
    expect(outstandingUnits({ requested: 10, issued: 4 })).toBe(6);
    expect(outstandingUnits({ requested: 10, issued: 12 })).toBe(0);
  });
});
