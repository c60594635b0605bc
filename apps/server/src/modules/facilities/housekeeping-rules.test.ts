import { housekeepingTaskStatuses } from '@newhms/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bedTaskKind,
  type HousekeepingAction,
  isOverdue,
  nextStatus,
  turnaroundMinutes,
} from './housekeeping-rules';

const actions: HousekeepingAction[] = ['assign', 'take', 'start', 'finish', 'cancel'];

describe('housekeeping rules', () => {
  it('allows exactly these status changes', () => {
    const allowed = housekeepingTaskStatuses.flatMap((from) =>
      actions.flatMap((action) => {
        const to = nextStatus(from, action);
        return to ? [`${from} -${action}-> ${to}`] : [];
      }),
    );
    expect(allowed.sort()).toEqual(
      [
        'open -assign-> assigned',
        'assigned -assign-> assigned',
        'open -take-> assigned',
        'open -start-> in-progress',
        'assigned -start-> in-progress',
        'in-progress -finish-> done',
        'open -cancel-> cancelled',
        'assigned -cancel-> cancelled',
        'in-progress -cancel-> cancelled',
      ].sort(),
    );
  });

  it('never leaves done or cancelled, whatever the sequence of actions', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...actions), { maxLength: 20 }), (seq) => {
        let status: (typeof housekeepingTaskStatuses)[number] = 'open';
        let ended = false;
        for (const action of seq) {
          const next = nextStatus(status, action);
          if (ended) expect(next).toBeNull();
          if (next) status = next;
          if (status === 'done' || status === 'cancelled') ended = true;
        }
      }),
    );
  });

  it('cleans isolation beds terminally', () => {
    expect(bedTaskKind(true)).toBe('terminal-cleaning');
    expect(bedTaskKind(false)).toBe('bed-cleaning');
  });

  it('counts whole minutes of turnaround, never negative', () => {
    const at = new Date('2026-03-01T10:00:00Z');
    expect(turnaroundMinutes(at, new Date('2026-03-01T10:44:59Z'))).toBe(44);
    expect(turnaroundMinutes(at, new Date('2026-03-01T11:30:00Z'))).toBe(90);
    expect(turnaroundMinutes(at, new Date('2026-03-01T09:59:00Z'))).toBe(0);
  });

  it('calls only unfinished work past due overdue', () => {
    const due = new Date('2026-03-01T10:45:00Z');
    const after = new Date('2026-03-01T10:46:00Z');
    expect(isOverdue('open', due, after)).toBe(true);
    expect(isOverdue('in-progress', due, after)).toBe(true);
    expect(isOverdue('done', due, after)).toBe(false);
    expect(isOverdue('cancelled', due, after)).toBe(false);
    expect(isOverdue('assigned', due, new Date('2026-03-01T10:45:00Z'))).toBe(false);
  });
});
