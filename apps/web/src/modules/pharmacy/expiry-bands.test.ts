import { describe, expect, it } from 'vitest';
import { daysLeftLabel, expiryBandColor, expiryBandOf } from './expiry-bands';

describe('expiry bands', () => {
  it('puts a batch expiring today among the expired, as the server does', () => {
    expect(expiryBandOf(0)).toBe('expired');
    expect(expiryBandOf(-12)).toBe('expired');
  });

  it('bands the days left at 30, 60 and 90 inclusive', () => {
    expect([1, 30, 31, 60, 61, 90, 91].map(expiryBandOf)).toEqual([
      '30',
      '30',
      '60',
      '60',
      '90',
      '90',
      'later',
    ]);
  });

  it('colours expired red, the next 30 days amber, up to 90 blue and later green', () => {
    expect(['expired', '30', '60', '90', 'later'].map((b) => expiryBandColor(b as never))).toEqual([
      'error',
      'warning',
      'primary',
      'primary',
      'success',
    ]);
  });

  it('says the days left in words', () => {
    expect(daysLeftLabel(45)).toBe('45 days left');
    expect(daysLeftLabel(1)).toBe('1 day left');
    expect(daysLeftLabel(0)).toBe('Expires today');
    expect(daysLeftLabel(-1)).toBe('Expired 1 day ago');
    expect(daysLeftLabel(-20)).toBe('Expired 20 days ago');
  });
});
