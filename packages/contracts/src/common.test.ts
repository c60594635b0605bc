import { describe, expect, it } from 'vitest';
import { UnpricedOrderQuery } from './billing-charges';
import { IsoDay } from './common';

describe('calendar dates', () => {
  it('accept the years a hospital works in and refuse a five-digit next day', () => {
    expect(IsoDay.safeParse('2026-11-27').success).toBe(true);
    expect(IsoDay.safeParse('1900-01-01').success).toBe(true);
    expect(IsoDay.safeParse('2199-12-31').success).toBe(true);
    expect(IsoDay.safeParse('1899-12-31').success).toBe(false);
    expect(IsoDay.safeParse('9999-12-31').success).toBe(false);
    expect(IsoDay.safeParse('2026-02-30').success).toBe(false);
    // The query that reached a 500 (its `to` + 1 day overflowed): now a 400 at validation.
    expect(UnpricedOrderQuery.safeParse({ from: '9999-12-31', to: '9999-12-31' }).success).toBe(false);
  });
});
