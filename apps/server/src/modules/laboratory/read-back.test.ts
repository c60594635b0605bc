import { describe, expect, it } from 'vitest';
import { numbersIn, readBackNamesValue } from './read-back';

describe('a read-back of a critical value', () => {
  it('names the value whatever the trailing zeros and words around it', () => {
    expect(readBackNamesValue('potassium 6.9', 6.9)).toBe(true);
    expect(readBackNamesValue('K 6.90 mmol/L, repeat', 6.9)).toBe(true);
    expect(readBackNamesValue('Potassium six point nine, 6.900', 6.9)).toBe(true);
    expect(readBackNamesValue('glucose 2', 2)).toBe(true);
  });

  it('does not accept another number, a number inside a longer one, or no number', () => {
    expect(readBackNamesValue('potassium 6.8', 6.9)).toBe(false);
    expect(readBackNamesValue('potassium 69', 6.9)).toBe(false);
    expect(readBackNamesValue('potassium 16.9', 6.9)).toBe(false);
    expect(readBackNamesValue('potassium 6.95', 6.9)).toBe(false);
    expect(readBackNamesValue('potassium high, noted', 6.9)).toBe(false);
    expect(readBackNamesValue('', 6.9)).toBe(false);
  });

  it('reads thousands separators as part of the number, not as decimals', () => {
    expect(numbersIn('platelets 20,000 and 1,5')).toEqual([20000, 1, 5]);
    expect(readBackNamesValue('platelets 20,000', 20000)).toBe(true);
    expect(readBackNamesValue('platelets 20,000', 20)).toBe(false);
  });

  it('accepts a negative value read with or without its sign (base excess -12)', () => {
    expect(readBackNamesValue('base excess -12', -12)).toBe(true);
    expect(readBackNamesValue('base excess minus 12', -12)).toBe(true);
  });
});
