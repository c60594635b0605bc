import type { Administration } from '@newhms/contracts';

// The medication administration record on screen, pure: doses grouped by the hour they are due (facility
// time), the ward's list with overdue doses first, and what a nurse may still do with a dose.

export type DoseStatus = Administration['status'];

export const doseStatusLabels: Record<DoseStatus, string> = {
  due: 'Due',
  given: 'Given',
  held: 'Held',
  refused: 'Refused',
  missed: 'Missed',
  cancelled: 'Cancelled',
  'entered-in-error': 'Struck out',
};

export type DoseGroup<D> = {
  /** Sorts the groups: facility date and hour, "2026-03-04T14". */
  key: string;
  /** "Wed 4 Mar, 14:00"; "As needed" for PRN doses without a time. */
  label: string;
  doses: D[];
};

type Parts = { date: string; hour: string; label: string };

function hourIn(iso: string, timeZone: string): Parts {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
    weekday: 'short',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const date = `${get('year')}-${get('month')}-${get('day')}`;
  const hour = get('hour');
  const dayLabel = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  }).format(new Date(iso));
  return { date, hour, label: `${dayLabel}, ${hour}:00` };
}

/**
 * Doses grouped by the hour (in the facility's zone) they are due; a PRN dose (no scheduled time) goes under
 * the hour it was given. Groups in time order, doses in a group by time and then line.
 */
export function groupDosesByHour<D extends Pick<Administration, 'scheduledAt' | 'recordedAt' | 'lineNo'>>(
  doses: readonly D[],
  timeZone: string,
): DoseGroup<D>[] {
  const groups = new Map<string, DoseGroup<D>>();
  const at = (d: D) => d.scheduledAt ?? d.recordedAt;
  for (const dose of doses) {
    const when = at(dose);
    const parts = when ? hourIn(when, timeZone) : null;
    const key = parts ? `${parts.date}T${parts.hour}` : 'zz-unscheduled';
    const label = parts ? parts.label : 'As needed';
    const group = groups.get(key) ?? { key, label, doses: [] };
    group.doses.push(dose);
    groups.set(key, group);
  }
  const byTime = (a: D, b: D) => (at(a) ?? '').localeCompare(at(b) ?? '') || a.lineNo - b.lineNo;
  return [...groups.values()]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((g) => ({ ...g, doses: [...g.doses].sort(byTime) }));
}

/** A ward's doses to give: overdue first (the oldest first), then by time due. */
export function orderDosesDue<D extends Pick<Administration, 'overdue' | 'scheduledAt'>>(
  doses: readonly D[],
): D[] {
  return [...doses].sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) || (a.scheduledAt ?? '').localeCompare(b.scheduledAt ?? ''),
  );
}

/** A recorded dose (given, held, refused, missed) can be struck out as entered in error. */
export function canStrike(dose: Pick<Administration, 'status'>): boolean {
  return ['given', 'held', 'refused', 'missed'].includes(dose.status);
}

/** Minutes a dose is past its time (0 when not yet due). */
export function minutesLate(dose: Pick<Administration, 'scheduledAt'>, now: Date = new Date()): number {
  if (!dose.scheduledAt) return 0;
  return Math.max(0, Math.floor((now.getTime() - Date.parse(dose.scheduledAt)) / 60_000));
}
