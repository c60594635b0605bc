import type { NursingShift } from '@newhms/contracts';

// Nursing shifts in the facility's time zone: morning 08:00-14:00, evening 14:00-20:00, night 20:00-08:00.
// The nursing day D runs from 08:00 on D to 08:00 on D+1, so a night belongs to the day it started on.

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(instant: Date, timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(instant)) p[part.type] = part.value;
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    hour: Number(p.hour),
    asUtc: Date.UTC(
      Number(p.year),
      Number(p.month) - 1,
      Number(p.day),
      Number(p.hour),
      Number(p.minute),
      Number(p.second),
    ),
  };
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The instant of a whole hour on a date in the zone (a skipped hour moves forward with the clock). */
export function zonedHour(date: string, hour: number, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + hour * 3600_000;
  const offsetAt = (t: number) => wallClock(new Date(t), timeZone).asUtc - Math.floor(t / 1000) * 1000;
  const candidates = [wall - offsetAt(wall - 12 * 3600_000), wall - offsetAt(wall + 12 * 3600_000)];
  const valid = candidates.filter((t) => wallClock(new Date(t), timeZone).asUtc === wall);
  return new Date(valid.length > 0 ? Math.min(...valid) : candidates[0]!);
}

/** The shift an instant falls in. */
export function shiftOf(instant: Date, timeZone: string): NursingShift {
  const { hour } = wallClock(instant, timeZone);
  if (hour >= 8 && hour < 14) return 'morning';
  if (hour >= 14 && hour < 20) return 'evening';
  return 'night';
}

/** The nursing day (YYYY-MM-DD) an instant belongs to: before 08:00 it is still the previous day's night. */
export function nursingDayOf(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  return w.hour < 8 ? addDays(w.date, -1) : w.date;
}

/** The nursing day's window and its three shifts, as instants. */
export function nursingDayWindow(date: string, timeZone: string) {
  const at8 = zonedHour(date, 8, timeZone);
  const at14 = zonedHour(date, 14, timeZone);
  const at20 = zonedHour(date, 20, timeZone);
  const next8 = zonedHour(addDays(date, 1), 8, timeZone);
  return {
    from: at8,
    to: next8,
    shifts: [
      { shift: 'morning' as const, from: at8, to: at14 },
      { shift: 'evening' as const, from: at14, to: at20 },
      { shift: 'night' as const, from: at20, to: next8 },
    ],
  };
}
