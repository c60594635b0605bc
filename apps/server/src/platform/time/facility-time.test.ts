import { describe, expect, it } from 'vitest';
import { addDays, ageInYears, datesBetween, isoWeekday, localDate, zonedInstant } from './facility-time';

describe('facility time', () => {
  it('turns a wall-clock time in a zone into the instant', () => {
    expect(zonedInstant('2026-03-02', '09:00', 'Asia/Kolkata').toISOString()).toBe(
      '2026-03-02T03:30:00.000Z',
    );
    expect(zonedInstant('2026-03-02', '00:00', 'Etc/GMT+5').toISOString()).toBe('2026-03-02T05:00:00.000Z');
  });

  it('moves a time skipped by daylight saving forward, and takes the first of a repeated one', () => {
    // Europe/London: clocks go 01:00 -> 02:00 on 2026-03-29, and 02:00 -> 01:00 on 2026-10-25.
    expect(zonedInstant('2026-03-29', '01:30', 'Europe/London').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(zonedInstant('2026-10-25', '01:30', 'Europe/London').toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(zonedInstant('2026-07-01', '09:00', 'Europe/London').toISOString()).toBe(
      '2026-07-01T08:00:00.000Z',
    );
  });

  it('knows the local date of an instant', () => {
    expect(localDate(new Date('2026-03-01T20:00:00Z'), 'Asia/Kolkata')).toBe('2026-03-02');
    expect(localDate(new Date('2026-03-01T20:00:00Z'), 'UTC')).toBe('2026-03-01');
  });

  it('does calendar arithmetic on dates', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(isoWeekday('2026-03-01')).toBe(7);
    expect(isoWeekday('2026-03-02')).toBe(1);
    expect(datesBetween('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(ageInYears('1966-03-02', '2026-03-01')).toBe(59);
    expect(ageInYears('1966-03-02', '2026-03-02')).toBe(60);
  });
});
