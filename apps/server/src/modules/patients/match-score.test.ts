import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CANDIDATE_THRESHOLD, type MatchFacts, matchScore } from './match-score';

const base: MatchFacts = {
  nameSimilarity: 0.9,
  phoneticMatch: true,
  birth: { a: '1980-05-03', aEstimated: false, b: '1980-05-03', bEstimated: false },
  sex: { a: 'male', b: 'male' },
  samePhone: true,
  sameIdentifiers: [],
};

describe('matchScore', () => {
  it('calls the same name, birth date and phone a duplicate, with reasons', () => {
    const r = matchScore(base);
    expect(r.score).toBeGreaterThan(0.9);
    expect(r.reasons).toEqual(['name sounds the same', 'same date of birth', 'same mobile number']);
  });

  it('does not call a relative who shares the phone a duplicate', () => {
    const r = matchScore({
      ...base,
      nameSimilarity: 0.3,
      phoneticMatch: false,
      birth: { ...base.birth, b: '2004-01-01' },
    });
    expect(r.score).toBeLessThan(CANDIDATE_THRESHOLD);
  });

  it('does not call two people with one common name but different birth dates a duplicate', () => {
    const r = matchScore({
      ...base,
      nameSimilarity: 1,
      samePhone: null,
      birth: { ...base.birth, b: '1991-02-11' },
    });
    expect(r.score).toBeLessThan(CANDIDATE_THRESHOLD);
  });

  it('lifts a shared national id above everything and names it first', () => {
    const r = matchScore({
      ...base,
      nameSimilarity: 0.2,
      phoneticMatch: false,
      samePhone: false,
      sameIdentifiers: ['Aadhaar'],
    });
    expect(r.score).toBeGreaterThanOrEqual(0.97);
    expect(r.reasons[0]).toBe('same Aadhaar');
  });

  it('notices day and month swapped, and estimated ages close together', () => {
    expect(matchScore({ ...base, birth: { ...base.birth, b: '1980-03-05' } }).reasons).toContain(
      'birth date with day and month swapped',
    );
    expect(
      matchScore({
        ...base,
        birth: { a: '1980-01-01', aEstimated: true, b: '1981-06-01', bEstimated: false },
      }).reasons,
    ).toContain('age within two years');
  });

  it('penalises a different sex', () => {
    expect(matchScore({ ...base, sex: { a: 'male', b: 'female' } }).score).toBeLessThan(
      matchScore(base).score,
    );
  });

  const facts = fc.record({
    nameSimilarity: fc.double({ min: 0, max: 1, noNaN: true }),
    phoneticMatch: fc.boolean(),
    birth: fc.record({
      a: fc.option(fc.constantFrom('1980-05-03', '1980-03-05', '1981-01-01', '2000-12-12'), { nil: null }),
      aEstimated: fc.boolean(),
      b: fc.option(fc.constantFrom('1980-05-03', '1979-07-07', '2000-12-12'), { nil: null }),
      bEstimated: fc.boolean(),
    }),
    sex: fc.record({
      a: fc.constantFrom('male', 'female', 'unknown'),
      b: fc.constantFrom('male', 'female', 'unknown'),
    }),
    samePhone: fc.option(fc.boolean(), { nil: null }),
    sameIdentifiers: fc.array(fc.constantFrom('Aadhaar', 'Passport'), { maxLength: 2 }),
  });

  it('stays between 0 and 1 and grows with name similarity', () => {
    fc.assert(
      fc.property(facts, fc.double({ min: 0, max: 1, noNaN: true }), (f, more) => {
        const r = matchScore(f);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(1);
        const higher = matchScore({ ...f, nameSimilarity: Math.min(1, f.nameSimilarity + more) });
        expect(higher.score).toBeGreaterThanOrEqual(r.score);
      }),
    );
  });

  it('never scores lower for a shared phone than for a different one', () => {
    fc.assert(
      fc.property(facts, (f) => {
        expect(matchScore({ ...f, samePhone: true }).score).toBeGreaterThanOrEqual(
          matchScore({ ...f, samePhone: false }).score,
        );
      }),
    );
  });
});
