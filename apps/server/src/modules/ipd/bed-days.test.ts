import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDaysTo, bedDaysOf, daysBetween, localDateIn, midnightsIn } from './bed-days';

const IST = 'Asia/Kolkata';
const at = (s: string) => new Date(s);

describe('the midnight census', () => {
  it('counts the midnights a period spans in the facility time zone', () => {
    // 10:00 IST on the 1st to 09:00 IST on the 3rd: the midnights of the 2nd and 3rd.
    expect(midnightsIn(at('2026-03-01T10:00:00+05:30'), at('2026-03-03T09:00:00+05:30'), IST)).toBe(2);
    // The same instants seen from UTC span different midnights: the zone matters.
    expect(midnightsIn(at('2026-03-01T23:00:00+05:30'), at('2026-03-02T04:00:00+05:30'), IST)).toBe(1);
    expect(midnightsIn(at('2026-03-01T23:00:00+05:30'), at('2026-03-02T04:00:00+05:30'), 'UTC')).toBe(0);
  });

  it('counts a midnight at the start of a period and not one at its end', () => {
    const midnight = at('2026-03-02T00:00:00+05:30');
    expect(midnightsIn(midnight, at('2026-03-02T08:00:00+05:30'), IST)).toBe(1);
    expect(midnightsIn(at('2026-03-01T20:00:00+05:30'), midnight, IST)).toBe(0);
    // A transfer exactly at midnight: the new bed is charged, the old one is not.
    const before = midnightsIn(at('2026-03-01T20:00:00+05:30'), midnight, IST);
    const after = midnightsIn(midnight, at('2026-03-02T10:00:00+05:30'), IST);
    expect(before + after).toBe(1);
  });

  it('counts nothing for an empty or reversed period', () => {
    const t = at('2026-03-01T10:00:00Z');
    expect(midnightsIn(t, t, IST)).toBe(0);
    expect(midnightsIn(t, at('2026-02-20T10:00:00Z'), IST)).toBe(0);
  });

  it('charges a same-day stay one day, on its longest period', () => {
    const now = at('2026-03-01T20:00:00+05:30');
    expect(bedDaysOf([{ startedAt: at('2026-03-01T09:00:00+05:30'), endedAt: null }], IST, now)).toEqual([1]);
    expect(
      bedDaysOf(
        [
          { startedAt: at('2026-03-01T09:00:00+05:30'), endedAt: at('2026-03-01T10:00:00+05:30') },
          { startedAt: at('2026-03-01T10:00:00+05:30'), endedAt: at('2026-03-01T18:00:00+05:30') },
          { startedAt: at('2026-03-01T18:00:00+05:30'), endedAt: at('2026-03-01T19:00:00+05:30') },
        ],
        IST,
        now,
      ),
    ).toEqual([0, 1, 0]);
    expect(bedDaysOf([], IST, now)).toEqual([]);
  });

  it('splits a stay with a transfer to ICU by the bed the patient slept in', () => {
    const now = at('2026-03-06T12:00:00+05:30');
    // Ward from the 1st 14:00 to the 3rd 02:00 (midnights of 2nd and 3rd), ICU to now (4th, 5th, 6th).
    expect(
      bedDaysOf(
        [
          { startedAt: at('2026-03-01T14:00:00+05:30'), endedAt: at('2026-03-03T02:00:00+05:30') },
          { startedAt: at('2026-03-03T02:00:00+05:30'), endedAt: null },
        ],
        IST,
        now,
      ),
    ).toEqual([2, 3]);
  });

  it('a stay split anywhere counts the same total as the whole stay (at least one)', () => {
    const base = Date.parse('2026-01-01T00:00:00Z');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 * 86_400_000 }),
        fc.array(fc.integer({ min: 1, max: 5 * 86_400_000 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(IST, 'UTC', 'America/New_York', 'Pacific/Auckland'),
        (offset, lengths, zone) => {
          let t = base + offset;
          const periods = lengths.map((len) => {
            const p = { startedAt: new Date(t), endedAt: new Date(t + len) };
            t += len;
            return p;
          });
          const whole = midnightsIn(periods[0]!.startedAt, periods.at(-1)!.endedAt, zone);
          const days = bedDaysOf(periods, zone, new Date(t));
          expect(days.reduce((a, b) => a + b, 0)).toBe(Math.max(1, whole));
          expect(days.every((d) => d >= 0)).toBe(true);
        },
      ),
    );
  });

  it('does calendar arithmetic on dates', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toBe(3);
    expect(addDaysTo('2026-02-27', 2)).toBe('2026-03-01');
    expect(localDateIn(at('2026-03-01T20:00:00Z'), IST)).toBe('2026-03-02');
  });
});
