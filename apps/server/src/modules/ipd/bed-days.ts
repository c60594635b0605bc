// Bed days by the midnight census: a patient is counted in the bed they occupy at midnight (facility time
// zone), so a period charges the midnights it spans; a stay that spans no midnight at all still counts one
// day (day-care and same-day discharges are charged a day). Pure: no I/O, tested exhaustively.

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) an instant falls on in a time zone. */
export function localDateIn(instant: Date, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f.format(instant);
}

/** Whole days from one calendar date to another (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The calendar date n days after a date. */
export function addDaysTo(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * How many local midnights fall in [from, to): a midnight exactly at `from` counts (the patient was in the
 * bed at that moment), one exactly at `to` does not (they had left it). 0 when to <= from.
 */
export function midnightsIn(from: Date, to: Date, timeZone: string): number {
  if (to.getTime() <= from.getTime()) return 0;
  // The midnight starting day d lies in [from, to) iff date(from - 1 ms) < d <= date(to - 1 ms).
  const first = localDateIn(new Date(from.getTime() - 1), timeZone);
  const last = localDateIn(new Date(to.getTime() - 1), timeZone);
  return Math.max(0, daysBetween(first, last));
}

export type Period = { startedAt: Date; endedAt: Date | null };

/**
 * Bed days of each occupancy period of one admission (open periods count to `now`), in the order given.
 * When the whole stay spans no midnight, it counts 1, charged to its longest period (the later on a tie).
 */
export function bedDaysOf(periods: readonly Period[], timeZone: string, now: Date): number[] {
  const days: number[] = periods.map((p) => midnightsIn(p.startedAt, p.endedAt ?? now, timeZone));
  if (periods.length > 0 && !days.some((d) => d > 0)) {
    let longest = 0;
    let best = -1;
    periods.forEach((p, i) => {
      const ms = (p.endedAt ?? now).getTime() - p.startedAt.getTime();
      if (ms >= best) {
        best = ms;
        longest = i;
      }
    });
    days[longest] = 1;
  }
  return days;
}
