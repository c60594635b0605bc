// Bed days to charge, by the midnight census: a patient is charged one day for each local midnight (facility
// time zone) they hold a bed at, in the tariff class of that bed; the day is dated the evening before that
// midnight (the night spent). A stay that spans no midnight at all is charged one day, on its longest period
// (the later on a tie), dated the day that period began. The same counting as IPD's bed history
// (modules/ipd/bed-days.ts). Pure: no I/O.

import { addDays, localDate } from '../../platform/time/facility-time';

export type CensusPeriod = {
  occupancyId: string;
  bedCode: string;
  tariffClass: string;
  intensiveCare: boolean;
  startedAt: Date;
  /** null: still in the bed (counted to `now`). */
  endedAt: Date | null;
};

/** One bed day to charge: the census date, its place in the stay (1 = first day), and what prices it. */
export type BedDay = {
  censusDate: string;
  dayNumber: number;
  tariffClass: string;
  intensiveCare: boolean;
  occupancyId: string;
  bedCode: string;
};

function daysFrom(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * The bed days of one admission's occupancy periods (in any order), by census date ascending. A midnight
 * exactly at a period's start counts for it (the patient was in the bed then); one exactly at its end does not.
 */
export function bedDaysByCensus(periods: readonly CensusPeriod[], timeZone: string, now: Date): BedDay[] {
  const sorted = [...periods].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  const days: Omit<BedDay, 'dayNumber'>[] = [];
  for (const p of sorted) {
    const end = p.endedAt ?? now;
    if (end.getTime() <= p.startedAt.getTime()) continue;
    // The midnight that starts day d lies in [start, end) iff date(start - 1 ms) < d <= date(end - 1 ms);
    // it is charged as the night of d - 1.
    const first = localDate(new Date(p.startedAt.getTime() - 1), timeZone);
    const last = localDate(new Date(end.getTime() - 1), timeZone);
    const n = daysFrom(first, last);
    for (let k = 0; k < n; k++) {
      days.push({
        censusDate: addDays(first, k),
        tariffClass: p.tariffClass,
        intensiveCare: p.intensiveCare,
        occupancyId: p.occupancyId,
        bedCode: p.bedCode,
      });
    }
  }
  if (days.length === 0 && sorted.length > 0) {
    let longest: CensusPeriod | null = null;
    let best = -1;
    for (const p of sorted) {
      const ms = (p.endedAt ?? now).getTime() - p.startedAt.getTime();
      if (ms >= best) {
        best = ms;
        longest = p;
      }
    }
    if (longest && best > 0) {
      days.push({
        censusDate: localDate(longest.startedAt, timeZone),
        tariffClass: longest.tariffClass,
        intensiveCare: longest.intensiveCare,
        occupancyId: longest.occupancyId,
        bedCode: longest.bedCode,
      });
    }
  }
  days.sort((a, b) => (a.censusDate < b.censusDate ? -1 : a.censusDate > b.censusDate ? 1 : 0));
  return days.map((d, i) => ({ ...d, dayNumber: i + 1 }));
}

/**
 * Whether a package covers a bed day: within the length-of-stay limit it does; beyond it, 'absorb' keeps
 * covering and 'charge-per-day' charges the day at the normal tariff.
 */
export function bedDayCovered(
  dayNumber: number,
  pkg: { losLimitDays: number | null; beyondLos: string },
): boolean {
  if (pkg.losLimitDays === null || dayNumber <= pkg.losLimitDays) return true;
  return pkg.beyondLos === 'absorb';
}
