import { describe, expect, it } from 'vitest';
import { canStrike, groupDosesByHour, minutesLate, orderDosesDue } from './mar-schedule';

const dose = (id: string, scheduledAt: string | null, lineNo = 1, recordedAt: string | null = null) => ({
  id,
  scheduledAt,
  recordedAt,
  lineNo,
});

describe('doses by the hour', () => {
  it('groups by the hour of the facility, not of the computer, in time order', () => {
    // 02:30Z is 08:00 in Kolkata; 02:45Z 08:15; 08:30Z 14:00.
    const groups = groupDosesByHour(
      [
        dose('c', '2026-03-04T08:30:00Z'),
        dose('b', '2026-03-04T02:45:00Z', 1),
        dose('a', '2026-03-04T02:30:00Z', 2),
        dose('z', '2026-03-04T02:30:00Z', 1),
      ],
      'Asia/Kolkata',
    );
    expect(groups.map((g) => [g.key, g.doses.map((d) => d.id)])).toEqual([
      ['2026-03-04T08', ['z', 'a', 'b']],
      ['2026-03-04T14', ['c']],
    ]);
    expect(groups[0]?.label).toMatch(/4 Mar, 08:00$/);
  });

  it('puts an as-needed dose under the hour it was given, and one without any time last', () => {
    const groups = groupDosesByHour(
      [
        dose('prn', null, 2, '2026-03-04T09:10:00Z'),
        dose('none', null, 3),
        dose('s', '2026-03-04T08:00:00Z'),
      ],
      'UTC',
    );
    expect(groups.map((g) => [g.key, g.doses.map((d) => d.id)])).toEqual([
      ['2026-03-04T08', ['s']],
      ['2026-03-04T09', ['prn']],
      ['zz-unscheduled', ['none']],
    ]);
    expect(groups[2]?.label).toBe('As needed');
  });
});

describe("the ward's doses", () => {
  it('lists overdue doses first, the oldest first, then the rest by time', () => {
    const ordered = orderDosesDue([
      { id: 'later', overdue: false, scheduledAt: '2026-03-04T12:00:00Z' },
      { id: 'overdue-new', overdue: true, scheduledAt: '2026-03-04T08:00:00Z' },
      { id: 'soon', overdue: false, scheduledAt: '2026-03-04T10:00:00Z' },
      { id: 'overdue-old', overdue: true, scheduledAt: '2026-03-04T06:00:00Z' },
    ]);
    expect(ordered.map((d) => d.id)).toEqual(['overdue-old', 'overdue-new', 'soon', 'later']);
  });

  it('counts the minutes late and lets only recorded doses be struck out', () => {
    expect(minutesLate({ scheduledAt: '2026-03-04T08:00:00Z' }, new Date('2026-03-04T08:45:30Z'))).toBe(45);
    expect(minutesLate({ scheduledAt: '2026-03-04T09:00:00Z' }, new Date('2026-03-04T08:45:30Z'))).toBe(0);
    expect(
      (['due', 'given', 'held', 'refused', 'missed', 'cancelled', 'entered-in-error'] as const).filter(
        (status) => canStrike({ status }),
      ),
    ).toEqual(['given', 'held', 'refused', 'missed']);
  });
});
