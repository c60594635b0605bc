import { datesBetween, isoWeekday, zonedInstant } from '../../platform/time/facility-time';

// Which sessions should exist on which days, compared with those that do: a pure plan that the materializer
// (slots.service.ts) carries out. Running it twice changes nothing the second time.

export type TemplateRule = {
  id: string;
  weekday: number;
  roomId: string;
  startTime: string;
  endTime: string;
  slotMinutes: number;
  patientsPerSlot: number;
  walkInQuota: number;
  validFrom: string;
  validTo: string | null;
  active: boolean;
};

export type ExceptionRule = {
  id: string;
  kind: 'leave' | 'holiday' | 'extra-session';
  dateFrom: string;
  dateTo: string;
  reason: string;
  roomId: string | null;
  startTime: string | null;
  endTime: string | null;
  slotMinutes: number | null;
  patientsPerSlot: number | null;
  walkInQuota: number | null;
  status: 'active' | 'withdrawn';
};

export type SessionShape = {
  roomId: string;
  startsAt: Date;
  endsAt: Date;
  slotMinutes: number;
  patientsPerSlot: number;
  walkInQuota: number;
};

export type DesiredSession = SessionShape & {
  scheduleId: string | null;
  exceptionId: string | null;
  date: string;
};

export type ExistingSession = SessionShape & {
  id: string;
  scheduleId: string | null;
  exceptionId: string | null;
  date: string;
  status: 'open' | 'cancelled';
  cancelledByExceptionId: string | null;
  /** Any appointment (whatever its status) points at its slots: it cannot be deleted. */
  hasAppointments: boolean;
};

export type PlanAction =
  | { type: 'create'; session: DesiredSession }
  | { type: 'update'; id: string; roomId: string; patientsPerSlot: number; walkInQuota: number }
  | { type: 'reopen'; id: string }
  | { type: 'cancel'; id: string; exceptionId: string; reason: string }
  | { type: 'remove'; id: string }
  | { type: 'supersede'; id: string; reason: string };

const keyOf = (s: { scheduleId: string | null; exceptionId: string | null; date: string }) =>
  s.scheduleId ? `s:${s.scheduleId}:${s.date}` : `x:${s.exceptionId}:${s.date}`;

const sameTiming = (a: SessionShape, b: SessionShape) =>
  a.startsAt.getTime() === b.startsAt.getTime() &&
  a.endsAt.getTime() === b.endsAt.getTime() &&
  a.slotMinutes === b.slotMinutes;

const sameDetails = (a: SessionShape, b: SessionShape) =>
  a.roomId === b.roomId && a.patientsPerSlot === b.patientsPerSlot && a.walkInQuota === b.walkInQuota;

/** The sessions the templates and exceptions ask for on each day, and the ones leave or a holiday blocks. */
export function desiredSessions(input: {
  from: string;
  to: string;
  timeZone: string;
  templates: readonly TemplateRule[];
  exceptions: readonly ExceptionRule[];
}): { desired: DesiredSession[]; blocked: Map<string, ExceptionRule> } {
  const desired: DesiredSession[] = [];
  const blocked = new Map<string, ExceptionRule>();
  const active = input.exceptions.filter((e) => e.status === 'active');
  for (const date of datesBetween(input.from, input.to)) {
    const blocker = active.find(
      (e) => (e.kind === 'leave' || e.kind === 'holiday') && e.dateFrom <= date && date <= e.dateTo,
    );
    for (const t of input.templates) {
      if (!t.active || t.weekday !== isoWeekday(date) || date < t.validFrom) continue;
      if (t.validTo && date > t.validTo) continue;
      const session: DesiredSession = {
        scheduleId: t.id,
        exceptionId: null,
        date,
        roomId: t.roomId,
        startsAt: zonedInstant(date, t.startTime, input.timeZone),
        endsAt: zonedInstant(date, t.endTime, input.timeZone),
        slotMinutes: t.slotMinutes,
        patientsPerSlot: t.patientsPerSlot,
        walkInQuota: t.walkInQuota,
      };
      if (blocker) blocked.set(keyOf(session), blocker);
      else desired.push(session);
    }
    // An extra session is asked for explicitly: it holds even on a day of leave or a holiday.
    for (const e of active) {
      if (e.kind !== 'extra-session' || e.dateFrom !== date) continue;
      desired.push({
        scheduleId: null,
        exceptionId: e.id,
        date,
        roomId: e.roomId!,
        startsAt: zonedInstant(date, e.startTime!, input.timeZone),
        endsAt: zonedInstant(date, e.endTime!, input.timeZone),
        slotMinutes: e.slotMinutes!,
        patientsPerSlot: e.patientsPerSlot!,
        walkInQuota: e.walkInQuota ?? 0,
      });
    }
  }
  return { desired, blocked };
}

/**
 * What to do so that the sessions of a date range match the plan. A changed session that nobody booked is
 * replaced silently; one with bookings is superseded (its booked patients go to the reschedule list). Leave
 * and holidays cancel sessions (withdrawn, they reopen them); a session someone cancelled by hand stays so.
 */
export function planSessions(
  desired: readonly DesiredSession[],
  blocked: ReadonlyMap<string, ExceptionRule>,
  existing: readonly ExistingSession[],
): PlanAction[] {
  const actions: PlanAction[] = [];
  const byKey = new Map(existing.map((e) => [keyOf(e), e]));
  const retire = (e: ExistingSession) =>
    actions.push(
      e.hasAppointments
        ? { type: 'supersede', id: e.id, reason: 'The schedule changed' }
        : { type: 'remove', id: e.id },
    );
  const update = (e: ExistingSession, d: DesiredSession) => {
    if (!sameDetails(e, d)) {
      actions.push({
        type: 'update',
        id: e.id,
        roomId: d.roomId,
        patientsPerSlot: d.patientsPerSlot,
        walkInQuota: d.walkInQuota,
      });
    }
  };

  for (const d of desired) {
    const key = keyOf(d);
    const e = byKey.get(key);
    byKey.delete(key);
    if (!e) {
      actions.push({ type: 'create', session: d });
    } else if (e.status === 'cancelled') {
      // Cancelled by hand: stays cancelled. Cancelled by leave that no longer applies: back in business.
      if (!e.cancelledByExceptionId) continue;
      if (sameTiming(e, d)) {
        actions.push({ type: 'reopen', id: e.id });
        update(e, d);
      } else {
        retire(e);
        actions.push({ type: 'create', session: d });
      }
    } else if (sameTiming(e, d)) {
      update(e, d);
    } else {
      retire(e);
      actions.push({ type: 'create', session: d });
    }
  }
  for (const [key, blocker] of blocked) {
    const e = byKey.get(key);
    byKey.delete(key);
    if (e?.status === 'open') {
      const what = blocker.kind === 'holiday' ? 'Holiday' : 'Leave';
      actions.push({
        type: 'cancel',
        id: e.id,
        exceptionId: blocker.id,
        reason: `${what}: ${blocker.reason}`,
      });
    }
  }
  // Sessions nothing asks for any more (template ended or changed weekday, extra session withdrawn).
  for (const e of byKey.values()) retire(e);
  return actions;
}
