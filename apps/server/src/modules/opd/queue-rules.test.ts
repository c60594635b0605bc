import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canTransition,
  compareQueue,
  effectivePriorities,
  feeKindFor,
  initialsOf,
  priorityRank,
  queueTime,
  tokenLabel,
} from './queue-rules';

const all = ['emergency', 'elderly', 'pregnant', 'disabled'] as const;

describe('queue rules', () => {
  it('works out "elderly" from the birth date and keeps only the priorities the facility honours', () => {
    const base = { declared: [], enabled: all, onDate: '2026-03-02', elderlyAge: 60 } as const;
    expect(effectivePriorities({ ...base, birthDate: '1966-03-02' })).toEqual(['elderly']);
    expect(effectivePriorities({ ...base, birthDate: '1966-03-03' })).toEqual([]);
    expect(effectivePriorities({ ...base, birthDate: null, declared: ['pregnant', 'emergency'] })).toEqual([
      'emergency',
      'pregnant',
    ]);
    expect(
      effectivePriorities({
        ...base,
        enabled: ['emergency'],
        birthDate: '1940-01-01',
        declared: ['pregnant'],
      }),
    ).toEqual([]);
  });

  it('ranks emergency first, then elderly, pregnant and disabled alike, then everyone else', () => {
    expect(priorityRank(['emergency', 'elderly'])).toBe(0);
    expect(priorityRank(['disabled'])).toBe(1);
    expect(priorityRank([])).toBe(2);
  });

  it('queues an appointment at its slot time, or at arrival when late; a walk-in at arrival', () => {
    const slot = new Date('2026-03-02T04:00:00Z');
    expect(queueTime(new Date('2026-03-02T03:40:00Z'), slot)).toEqual(slot);
    expect(queueTime(new Date('2026-03-02T04:20:00Z'), slot)).toEqual(new Date('2026-03-02T04:20:00Z'));
    expect(queueTime(new Date('2026-03-02T03:40:00Z'), null)).toEqual(new Date('2026-03-02T03:40:00Z'));
  });

  it('orders by rank, then queue time, then number, whatever the input order', () => {
    const token = fc.record({
      priorityRank: fc.integer({ min: 0, max: 2 }),
      queuedAt: fc.integer({ min: 0, max: 1000 }).map((n) => new Date(n * 1000)),
      number: fc.integer({ min: 1, max: 500 }),
    });
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), (tokens) => {
        const sorted = [...tokens].sort(compareQueue);
        for (let i = 1; i < sorted.length; i++) {
          const a = sorted[i - 1]!;
          const b = sorted[i]!;
          expect(
            a.priorityRank < b.priorityRank ||
              (a.priorityRank === b.priorityRank &&
                (a.queuedAt < b.queuedAt ||
                  (a.queuedAt.getTime() === b.queuedAt.getTime() && a.number <= b.number))),
          ).toBe(true);
        }
      }),
    );
  });

  it('charges the follow-up fee within the window after the last consultation with the same doctor', () => {
    const seen = new Date('2026-03-02T05:00:00Z');
    expect(feeKindFor(null, seen, 7)).toBe('first-visit');
    expect(feeKindFor(seen, new Date('2026-03-09T05:00:00Z'), 7)).toBe('follow-up');
    expect(feeKindFor(seen, new Date('2026-03-09T05:00:01Z'), 7)).toBe('first-visit');
    expect(feeKindFor(seen, new Date('2026-03-02T06:00:00Z'), 0)).toBe('first-visit');
  });

  it('allows only the transitions of the queue state machine', () => {
    expect(canTransition('call', 'waiting')).toBe(true);
    expect(canTransition('call', 'completed')).toBe(false);
    expect(canTransition('complete', 'waiting')).toBe(false);
    expect(canTransition('complete', 'in-consultation')).toBe(true);
    expect(canTransition('recall', 'skipped')).toBe(true);
    expect(canTransition('recall', 'waiting')).toBe(false);
    expect(canTransition('transfer', 'completed')).toBe(false);
  });

  it('labels tokens and shows initials only', () => {
    expect(tokenLabel('A', 7)).toBe('A-007');
    expect(tokenLabel(null, 7)).toBe('7');
    expect(initialsOf('Lakshmi Devi Narayanan')).toBe('L N');
    expect(initialsOf('kamala')).toBe('K');
  });
});
