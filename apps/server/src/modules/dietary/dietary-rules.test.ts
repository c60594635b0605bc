import type { Allergy } from '@newhms/contracts';
import { describe, expect, it } from 'vitest';
import { allergySnapshot, countKey, mealInstant, serveAtMeal } from './dietary-rules';

const at = (iso: string) => new Date(iso);

describe('kitchen rules', () => {
  it('places meals at their facility times, across time zones and a daylight-saving change', () => {
    expect(mealInstant('2026-03-01', 'breakfast', 'Asia/Kolkata').toISOString()).toBe(
      '2026-03-01T02:00:00.000Z',
    );
    expect(mealInstant('2026-03-01', 'dinner', 'Asia/Kolkata').toISOString()).toBe(
      '2026-03-01T14:00:00.000Z',
    );
    // London: GMT until 29 March 2026, then BST (UTC+1).
    expect(mealInstant('2026-03-28', 'lunch', 'Europe/London').toISOString()).toBe(
      '2026-03-28T12:30:00.000Z',
    );
    expect(mealInstant('2026-03-29', 'lunch', 'Europe/London').toISOString()).toBe(
      '2026-03-29T11:30:00.000Z',
    );
    expect(mealInstant('2026-03-29', 'snacks', 'Europe/London').toISOString()).toBe(
      '2026-03-29T15:30:00.000Z',
    );
  });

  it('serves nothing only while the NPO window covers the meal', () => {
    const npo = (from: string | null, until: string | null) => ({
      diet: 'npo' as const,
      npoFrom: from ? at(from) : null,
      npoUntil: until ? at(until) : null,
    });
    const meal = at('2026-03-01T07:00:00Z');
    expect(serveAtMeal(npo('2026-03-01T00:00:00Z', null), meal)).toBe('npo');
    expect(serveAtMeal(npo('2026-03-01T00:00:00Z', '2026-03-01T07:00:01Z'), meal)).toBe('npo');
    // The window ends at the meal: the meal is outside it (half-open [from, until)).
    expect(serveAtMeal(npo('2026-03-01T00:00:00Z', '2026-03-01T07:00:00Z'), meal)).toBe('ask-ward');
    expect(serveAtMeal(npo('2026-03-01T07:00:00Z', null), meal)).toBe('npo');
    expect(serveAtMeal(npo('2026-03-01T07:00:01Z', null), meal)).toBe('ask-ward');
    expect(serveAtMeal(null, meal)).toBe('ask-ward');
    expect(serveAtMeal({ diet: 'tube-feed', npoFrom: null, npoUntil: null }, meal)).toBe('tube-feed');
    expect(serveAtMeal({ diet: 'renal', npoFrom: null, npoUntil: null }, meal)).toBe('meal');
  });

  it('counts a bed under its diet, or under what the kitchen does', () => {
    expect(countKey({ diet: 'soft' }, 'meal')).toBe('soft');
    expect(countKey({ diet: 'npo' }, 'npo')).toBe('npo');
    expect(countKey({ diet: 'npo' }, 'ask-ward')).toBe('ask-ward');
    expect(countKey(null, 'ask-ward')).toBe('ask-ward');
  });

  it('copies only active allergies, with category, severity and reaction', () => {
    const allergy = (
      substance: string,
      status: Allergy['status'],
      reaction: string | null = null,
    ): Allergy => ({
      id: crypto.randomUUID(),
      category: 'food',
      substance,
      code: null,
      reaction,
      severity: 'severe',
      status,
      note: null,
      recordedBy: 'Nurse',
      recordedAt: '2026-01-01T00:00:00Z',
      version: 1,
    });
    expect(
      allergySnapshot({
        allergyState: 'recorded',
        allergies: [
          allergy('Egg', 'active', 'hives'),
          allergy('Milk', 'resolved'),
          allergy('Fish', 'entered-in-error'),
        ],
      }),
    ).toEqual({ allergyState: 'recorded', allergies: ['Egg (food, severe: hives)'] });
    expect(allergySnapshot({ allergyState: 'none-known', allergies: [] })).toEqual({
      allergyState: 'none-known',
      allergies: [],
    });
  });
});
