import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bedDaysOf } from '../ipd';
import { type BedDay, bedDayCovered, bedDaysByCensus, type CensusPeriod } from './bed-day-charges';

const IST = 'Asia/Kolkata';
// Wall-clock time in India (UTC+05:30) as an instant.
const ist = (local: string) => new Date(`${local}+05:30`);
const period = (
  tariffClass: string,
  from: string,
  to: string | null,
  intensiveCare = false,
): CensusPeriod => ({
  occupancyId: `${tariffClass}-${from}`,
  bedCode: tariffClass.toUpperCase(),
  tariffClass,
  intensiveCare,
  startedAt: ist(from),
  endedAt: to ? ist(to) : null,
});
const brief = (days: BedDay[]) =>
  days.map((d) => [d.censusDate, d.tariffClass, d.intensiveCare, d.dayNumber]);

describe('bed days by the midnight census', () => {
  it('charges a ward stay, a transfer to ICU and the discharge by the bed held at each midnight', () => {
    // 1. Admitted to the general ward on 1 March at 10:00. 2. Moved to ICU on 3 March at 15:00.
    // 3. Discharged from ICU on 5 March at 11:00: midnights of 2, 3, 4 and 5 March -> four days.
    const days = bedDaysByCensus(
      [
        period('general', '2026-03-01T10:00:00', '2026-03-03T15:00:00'),
        period('icu', '2026-03-03T15:00:00', '2026-03-05T11:00:00', true),
      ],
      IST,
      ist('2026-03-09T09:00:00'),
    );
    expect(brief(days)).toEqual([
      ['2026-03-01', 'general', false, 1],
      ['2026-03-02', 'general', false, 2],
      ['2026-03-03', 'icu', true, 3],
      ['2026-03-04', 'icu', true, 4],
    ]);
  });

  it('counts an open stay to now, and a midnight exactly at the start but not at the end', () => {
    const open = bedDaysByCensus(
      [period('private', '2026-03-01T23:00:00', null)],
      IST,
      ist('2026-03-03T08:00:00'),
    );
    expect(brief(open)).toEqual([
      ['2026-03-01', 'private', false, 1],
      ['2026-03-02', 'private', false, 2],
    ]);
    const edges = bedDaysByCensus(
      [period('general', '2026-03-02T00:00:00', '2026-03-04T00:00:00')],
      IST,
      ist('2026-03-09T00:00:00'),
    );
    expect(edges.map((d) => d.censusDate)).toEqual(['2026-03-01', '2026-03-02']);
  });

  it('charges a same-day stay one day, on its longest period', () => {
    const days = bedDaysByCensus(
      [
        period('general', '2026-03-01T08:00:00', '2026-03-01T09:00:00'),
        period('icu', '2026-03-01T09:00:00', '2026-03-01T18:00:00', true),
      ],
      IST,
      ist('2026-03-02T10:00:00'),
    );
    expect(brief(days)).toEqual([['2026-03-01', 'icu', true, 1]]);
    expect(bedDaysByCensus([], IST, new Date())).toEqual([]);
  });

  it('counts midnights in the facility time zone, not UTC', () => {
    // 20:00 to 06:00 next morning in New York spans one local midnight.
    const ny = bedDaysByCensus(
      [
        {
          ...period('general', '2026-03-01T00:00:00', null),
          startedAt: new Date('2026-03-02T01:00:00Z'),
          endedAt: new Date('2026-03-02T11:00:00Z'),
        },
      ],
      'America/New_York',
      new Date('2026-03-05T00:00:00Z'),
    );
    expect(ny.map((d) => d.censusDate)).toEqual(['2026-03-01']);
  });

  it('agrees with the IPD bed history on the number of days, for any sequence of moves', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2025-01-01T00:00:00Z'),
          max: new Date('2027-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.array(fc.integer({ min: 1, max: 4 * 86_400 }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.constantFrom(IST, 'UTC', 'America/New_York'),
        (start, lengths, open, timeZone) => {
          let at = start.getTime();
          const periods: CensusPeriod[] = lengths.map((s, i) => {
            const from = new Date(at);
            at += s * 1000;
            return {
              occupancyId: String(i),
              bedCode: `B${i}`,
              tariffClass: i % 2 ? 'icu' : 'general',
              intensiveCare: i % 2 === 1,
              startedAt: from,
              endedAt: open && i === lengths.length - 1 ? null : new Date(at),
            };
          });
          const now = new Date(at + 3_600_000);
          const days = bedDaysByCensus(periods, timeZone, now);
          const expected = bedDaysOf(periods, timeZone, now).reduce((a, b) => a + b, 0);
          expect(days.length).toBe(expected);
          expect(new Set(days.map((d) => d.censusDate)).size).toBe(days.length);
          expect(days.map((d) => d.dayNumber)).toEqual(days.map((_, i) => i + 1));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('covers bed days within a package length of stay, and beyond it only when the package absorbs them', () => {
    const pkg = { losLimitDays: 3, beyondLos: 'charge-per-day' };
    expect([1, 2, 3, 4, 5].map((d) => bedDayCovered(d, pkg))).toEqual([true, true, true, false, false]);
    expect(bedDayCovered(9, { losLimitDays: 3, beyondLos: 'absorb' })).toBe(true);
    expect(bedDayCovered(90, { losLimitDays: null, beyondLos: 'charge-per-day' })).toBe(true);
  });
});
