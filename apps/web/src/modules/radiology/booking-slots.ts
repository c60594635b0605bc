// Times of a modality room's day, on the facility's clock (whatever the zone of the computer at the desk): the
// instant a "date + HH:MM" of the facility is, the facility's "HH:MM" of an instant, and the first free slot of a
// room's day for a study of a given length (the server refuses an overlap with 409; this only suggests).

type Period = { startsAt: string; endsAt: string };

const formats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  return format;
}

function offsetMinutes(at: Date, timeZone: string): number {
  const parts = partsFormat(timeZone).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant (ISO, UTC) of a wall-clock time ("09:30") on a date of the facility's calendar. */
export function zonedInstant(date: string, time: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // Twice: the offset at the first guess may differ from the offset at the answer across a DST change.
  let at = wall - offsetMinutes(new Date(wall), timeZone) * 60_000;
  at = wall - offsetMinutes(new Date(at), timeZone) * 60_000;
  return new Date(at).toISOString();
}

/** The facility's wall-clock "HH:MM" (24 h) of an instant. */
export function wallTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** Whether two periods [start, end) share any time. */
export function overlaps(a: Period, b: Period): boolean {
  return Date.parse(a.startsAt) < Date.parse(b.endsAt) && Date.parse(b.startsAt) < Date.parse(a.endsAt);
}

/** The booking a new period [startsAt, startsAt + minutes) would collide with, if any. */
export function clashOf<P extends Period>(
  bookings: readonly P[],
  startsAt: string,
  minutes: number,
): P | null {
  const period = { startsAt, endsAt: new Date(Date.parse(startsAt) + minutes * 60_000).toISOString() };
  return bookings.find((b) => overlaps(b, period)) ?? null;
}

export type FreeSlotInput = {
  date: string;
  timeZone: string;
  /** The room's hours ("08:00", "20:00"); both null: around the clock. */
  opensAt: string | null;
  closesAt: string | null;
  minutes: number;
  bookings: readonly Period[];
  now: Date;
  /** Slots start on multiples of this many minutes. */
  stepMinutes?: number;
};

/** The first start time ("HH:MM") of the day with room for the study, not before now; null when the day is full. */
export function firstFreeSlot(input: FreeSlotInput): string | null {
  const step = input.stepMinutes ?? 5;
  const open = input.opensAt ?? '00:00';
  const [oh, om] = open.split(':').map(Number) as [number, number];
  const [ch, cm] = (input.closesAt ?? '24:00').split(':').map(Number) as [number, number];
  const last = ch * 60 + cm - input.minutes;
  for (let t = oh * 60 + om; t <= last; t += step) {
    const time = `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
    const startsAt = zonedInstant(input.date, time, input.timeZone);
    if (Date.parse(startsAt) < input.now.getTime()) continue;
    if (!clashOf(input.bookings, startsAt, input.minutes)) return time;
  }
  return null;
}
