import { describe, expect, it } from 'vitest';
import {
  desiredSessions,
  type ExceptionRule,
  type ExistingSession,
  planSessions,
  type TemplateRule,
} from './schedule-plan';

const tz = 'Asia/Kolkata';
// 2026-03-02 is a Monday.
const monday: TemplateRule = {
  id: 'tpl-mon',
  weekday: 1,
  roomId: 'room-1',
  startTime: '09:00',
  endTime: '13:00',
  slotMinutes: 10,
  patientsPerSlot: 1,
  walkInQuota: 5,
  validFrom: '2026-01-01',
  validTo: null,
  active: true,
};
const leave = (from: string, to: string): ExceptionRule => ({
  id: 'leave-1',
  kind: 'leave',
  dateFrom: from,
  dateTo: to,
  reason: 'Conference',
  roomId: null,
  startTime: null,
  endTime: null,
  slotMinutes: null,
  patientsPerSlot: null,
  walkInQuota: null,
  status: 'active',
});

function existingFrom(
  templates: TemplateRule[],
  exceptions: ExceptionRule[] = [],
  over: Partial<ExistingSession> = {},
) {
  const { desired } = desiredSessions({
    from: '2026-03-02',
    to: '2026-03-15',
    timeZone: tz,
    templates,
    exceptions,
  });
  return desired.map((d, i) => ({
    ...d,
    id: `s${i}`,
    status: 'open' as const,
    cancelledByExceptionId: null,
    hasAppointments: false,
    ...over,
  }));
}
const plan = (templates: TemplateRule[], exceptions: ExceptionRule[], existing: ExistingSession[]) => {
  const { desired, blocked } = desiredSessions({
    from: '2026-03-02',
    to: '2026-03-15',
    timeZone: tz,
    templates,
    exceptions,
  });
  return planSessions(desired, blocked, existing);
};

describe('the session plan', () => {
  it('asks for a session on every matching weekday within validity, in the facility zone', () => {
    const { desired } = desiredSessions({
      from: '2026-03-02',
      to: '2026-03-15',
      timeZone: tz,
      templates: [{ ...monday, validTo: '2026-03-10' }],
      exceptions: [],
    });
    expect(desired.map((d) => d.date)).toEqual(['2026-03-02', '2026-03-09']);
    expect(desired[0]!.startsAt.toISOString()).toBe('2026-03-02T03:30:00.000Z');
  });

  it('is idempotent: what exists as planned needs nothing', () => {
    expect(plan([monday], [], existingFrom([monday]))).toEqual([]);
  });

  it('creates what is missing and retires what nothing asks for (removed if unbooked, superseded if booked)', () => {
    const existing = existingFrom([monday]);
    expect(plan([], [], existing)).toEqual([
      { type: 'remove', id: 's0' },
      { type: 'remove', id: 's1' },
    ]);
    const booked = existingFrom([monday], [], { hasAppointments: true });
    expect(plan([], [], booked).map((a) => a.type)).toEqual(['supersede', 'supersede']);
    expect(plan([monday], [], []).map((a) => a.type)).toEqual(['create', 'create']);
  });

  it('updates in place when only room, capacity or quota change; replaces when the timing changes', () => {
    const existing = existingFrom([monday]);
    expect(plan([{ ...monday, patientsPerSlot: 3 }], [], existing)).toEqual([
      { type: 'update', id: 's0', roomId: 'room-1', patientsPerSlot: 3, walkInQuota: 5 },
      { type: 'update', id: 's1', roomId: 'room-1', patientsPerSlot: 3, walkInQuota: 5 },
    ]);
    const moved = plan([{ ...monday, startTime: '10:00' }], [], [{ ...existing[0]!, hasAppointments: true }]);
    expect(moved.map((a) => a.type)).toEqual(['supersede', 'create', 'create']);
  });

  it('leave cancels covered sessions; withdrawn, they reopen; a session cancelled by hand stays cancelled', () => {
    const existing = existingFrom([monday]);
    const cancelled = plan([monday], [leave('2026-03-09', '2026-03-10')], existing);
    expect(cancelled).toEqual([
      { type: 'cancel', id: 's1', exceptionId: 'leave-1', reason: 'Leave: Conference' },
    ]);
    const afterLeave = existing.map((e) =>
      e.id === 's1' ? { ...e, status: 'cancelled' as const, cancelledByExceptionId: 'leave-1' } : e,
    );
    expect(plan([monday], [leave('2026-03-09', '2026-03-10')], afterLeave)).toEqual([]);
    expect(plan([monday], [], afterLeave)).toEqual([{ type: 'reopen', id: 's1' }]);
    const byHand = existing.map((e) => (e.id === 's1' ? { ...e, status: 'cancelled' as const } : e));
    expect(plan([monday], [], byHand)).toEqual([]);
  });

  it('holds an extra session even on a day of leave', () => {
    const extra: ExceptionRule = {
      ...leave('2026-03-09', '2026-03-09'),
      id: 'extra-1',
      kind: 'extra-session',
      roomId: 'room-2',
      startTime: '15:00',
      endTime: '16:00',
      slotMinutes: 15,
      patientsPerSlot: 2,
      walkInQuota: 0,
    };
    const actions = plan([monday], [leave('2026-03-09', '2026-03-09'), extra], []);
    expect(
      actions.filter((a) => a.type === 'create').map((a) => a.type === 'create' && a.session.exceptionId),
    ).toEqual([null, 'extra-1']);
  });
});
