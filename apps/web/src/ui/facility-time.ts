import type { Facility } from '@newhms/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../app/api-client';
import { useAuth } from '../app/auth/auth-context';

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * The time zone of the facility being worked in: clinic days, slot times and "today" are the facility's,
 * whatever the zone of the computer at the desk. It comes with the signed-in user (`/auth/me`), which every
 * page behind a permission waits for, so the first render already shows facility times: a separate facility
 * request left a moment in which a desk in UTC showed 00:00 IST as "06:30 PM". The facility record is the
 * fallback for a user whose profile has not loaded.
 */
export function useFacilityTimeZone(): string {
  const { facilityId, me } = useAuth();
  const fromMe = me?.facilities.find((f) => f.facilityId === facilityId)?.timeZone;
  const facility = useQuery({
    queryKey: ['organization', 'facilities', facilityId ?? ''],
    queryFn: ({ signal }) => api.get<Facility>(`/organization/facilities/${facilityId}`, undefined, signal),
    enabled: !!facilityId && !fromMe,
    staleTime: 10 * 60_000,
  });
  return fromMe ?? facility.data?.timeZone ?? browserZone;
}

/**
 * A date field that starts on the facility's today (moved by `offsetDays`) and follows it until the user
 * picks a date. `useState(today)` froze the browser's date instead: the facility's zone arrives after the
 * first render, and from 18:30 to midnight UTC an Indian facility is already on the next day.
 */
export function useFacilityDate(
  offset: number | ((today: string) => string) = 0,
): [string, (date: string) => void] {
  const today = calendarDateIn(useFacilityTimeZone());
  const [chosen, setChosen] = useState<string | null>(null);
  const initial = typeof offset === 'function' ? offset(today) : addDays(today, offset);
  return [chosen ?? initial, setChosen];
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function calendarDateIn(timeZone: string, at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** A calendar date moved by whole days. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "09:30" in the facility's zone. */
export function formatTimeIn(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { timeZone, hour: '2-digit', minute: '2-digit' }).format(d);
}

/** "Mon, 3 Feb 2026" for a calendar date (no zone shift: it is already the facility's date). */
export function formatCalendarDate(date: string | null | undefined): string {
  if (!date) return '';
  const d = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return new Intl.DateTimeFormat(undefined, {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(d);
}

/** Whole minutes between two instants (or until now), for waiting times. */
export function minutesBetween(fromIso: string | null | undefined, toIso?: string | null): number | null {
  if (!fromIso) return null;
  const from = Date.parse(fromIso);
  const to = toIso ? Date.parse(toIso) : Date.now();
  if (Number.isNaN(from) || Number.isNaN(to)) return null;
  return Math.max(0, Math.round((to - from) / 60_000));
}
