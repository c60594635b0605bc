import { EnterResultsBody } from '@newhms/contracts';
import { describe, expect, it } from 'vitest';
import {
  buildEntries,
  draftFromResult,
  type EntryDraft,
  type EntryTarget,
  emptyDraft,
  entryErrorsFromPaths,
  newAntibioticRow,
  parseResultNumber,
} from './result-entry';

const K: EntryTarget = { testCode: 'K', testName: 'Potassium', resultType: 'numeric' };
const NA: EntryTarget = { testCode: 'NA', testName: 'Sodium', resultType: 'numeric' };
const HBSAG: EntryTarget = { testCode: 'HBSAG', testName: 'HBsAg', resultType: 'coded' };
const URINE: EntryTarget = { testCode: 'URINE_CULTURE', testName: 'Urine culture', resultType: 'culture' };

const draft = (over: Partial<EntryDraft>): EntryDraft => ({ ...emptyDraft(), ...over });

describe('the result entry form', () => {
  it('reads typed numbers, and refuses comparators and words', () => {
    expect(parseResultNumber('6.9')).toBe(6.9);
    expect(parseResultNumber(' 6.90 ')).toBe(6.9);
    expect(parseResultNumber('-2')).toBe(-2);
    expect(parseResultNumber('.5')).toBe(0.5);
    expect(parseResultNumber('12.')).toBe(12);
    expect(parseResultNumber('')).toBeNull();
    expect(parseResultNumber('< 0.5')).toBe('comparator');
    expect(parseResultNumber('>=100')).toBe('comparator');
    expect(parseResultNumber('6,9')).toBe('invalid');
    expect(parseResultNumber('six')).toBe('invalid');
    expect(parseResultNumber('1e3')).toBe('invalid');
    expect(parseResultNumber('20000000000')).toBe('invalid');
  });

  it('sends what was filled, in order, and leaves blank tests for later', () => {
    const built = buildEntries([K, NA, HBSAG], {
      K: draft({ value: '6.9' }),
      NA: draft({}),
      HBSAG: draft({ text: ' Non-reactive ', comment: 'rapid card' }),
    });
    expect(built).toEqual({
      ok: true,
      results: [
        { testCode: 'K', value: 6.9, comment: null },
        { testCode: 'HBSAG', text: 'Non-reactive', comment: 'rapid card' },
      ],
    });
    if (built.ok) expect(EnterResultsBody.safeParse({ results: built.results }).success).toBe(true);
  });

  it('names the field of a half-filled test and sends nothing', () => {
    expect(buildEntries([K, NA], { K: draft({ value: '6,9' }), NA: draft({ comment: 'lipaemic' }) })).toEqual(
      {
        ok: false,
        errors: { 'K.value': 'Enter a number, e.g. 6.9', 'NA.value': 'Enter the number' },
      },
    );
    expect(buildEntries([K], { K: draft({ value: '<0.1' }) })).toMatchObject({
      ok: false,
      errors: { 'K.value': expect.stringMatching(/comment/) },
    });
    expect(buildEntries([K, NA], {})).toEqual({ ok: false, errors: { _form: 'Enter at least one result' } });
  });

  it('builds a culture: no growth, or an organism with S/I/R rows (blank rows dropped)', () => {
    const noGrowth = buildEntries([URINE], {
      URINE_CULTURE: draft({
        culture: { outcome: 'no-growth', organism: '', growth: 'after 48 h', antibiotics: [] },
      }),
    });
    expect(noGrowth).toEqual({
      ok: true,
      results: [
        {
          testCode: 'URINE_CULTURE',
          culture: { organism: null, growth: 'after 48 h', antibiotics: [] },
          comment: null,
        },
      ],
    });
    const growth = buildEntries([URINE], {
      URINE_CULTURE: draft({
        culture: {
          outcome: 'growth',
          organism: 'Escherichia coli',
          growth: '> 10^5 CFU/mL',
          antibiotics: [
            { ...newAntibioticRow('Ampicillin'), interpretation: 'R' },
            newAntibioticRow(),
            { ...newAntibioticRow('Nitrofurantoin'), interpretation: 'S', mic: '16' },
          ],
        },
      }),
    });
    expect(growth.ok && growth.results[0]?.culture).toEqual({
      organism: 'Escherichia coli',
      growth: '> 10^5 CFU/mL',
      antibiotics: [
        { antibiotic: 'Ampicillin', interpretation: 'R', mic: null },
        { antibiotic: 'Nitrofurantoin', interpretation: 'S', mic: '16' },
      ],
    });
    if (growth.ok) expect(EnterResultsBody.safeParse({ results: growth.results }).success).toBe(true);
  });

  it('stops a culture without its organism, an antibiotic without S/I/R, and susceptibilities with no growth', () => {
    const missing = buildEntries([URINE], {
      URINE_CULTURE: draft({
        culture: {
          outcome: 'growth',
          organism: ' ',
          growth: '',
          antibiotics: [
            { ...newAntibioticRow('Ceftriaxone') },
            { ...newAntibioticRow(), interpretation: 'S' },
          ],
        },
      }),
    });
    expect(missing).toEqual({
      ok: false,
      errors: {
        'URINE_CULTURE.organism': 'Name the organism',
        'URINE_CULTURE.antibiotics.0.interpretation': 'S, I or R',
        'URINE_CULTURE.antibiotics.1.antibiotic': 'Name the antibiotic',
      },
    });
    const contradiction = buildEntries([URINE], {
      URINE_CULTURE: draft({
        culture: {
          outcome: 'no-growth',
          organism: '',
          growth: '',
          antibiotics: [{ ...newAntibioticRow('Ampicillin'), interpretation: 'R' }],
        },
      }),
    });
    expect(contradiction).toMatchObject({
      ok: false,
      errors: { 'URINE_CULTURE.antibiotics': expect.any(String) },
    });
    const undecided = buildEntries([URINE], {
      URINE_CULTURE: draft({ culture: { outcome: '', organism: 'Klebsiella', growth: '', antibiotics: [] } }),
    });
    expect(undecided).toEqual({
      ok: false,
      errors: { 'URINE_CULTURE.outcome': 'Say whether anything grew' },
    });
  });

  it('puts an entered result back into the form, and reads it out again unchanged', () => {
    const culture = {
      organism: 'Klebsiella pneumoniae',
      growth: null,
      antibiotics: [{ antibiotic: 'Meropenem', interpretation: 'S' as const, mic: null }],
    };
    const d = draftFromResult({ value: null, text: null, culture, comment: 'repeat in 48 h' });
    expect(buildEntries([URINE], { URINE_CULTURE: d })).toEqual({
      ok: true,
      results: [{ testCode: 'URINE_CULTURE', culture, comment: 'repeat in 48 h' }],
    });
    expect(draftFromResult({ value: 6.9, text: null, culture: null, comment: null })).toMatchObject({
      value: '6.9',
    });
    // An entered 12 g/dL comes back to the form as it was reported, 12.0.
    expect(
      draftFromResult({ value: 12, text: null, culture: null, comment: null, decimals: 1 }),
    ).toMatchObject({ value: '12.0' });
  });

  it("maps the server's 422 paths to the fields of the tests sent", () => {
    const sent = [
      { testCode: 'K', value: 6.9 },
      { testCode: 'URINE_CULTURE', culture: { organism: null, antibiotics: [] } },
    ];
    expect(
      entryErrorsFromPaths(sent, [
        { path: 'results.0', message: 'K needs a number' },
        { path: 'body.results.1.culture.organism', message: 'too long' },
        { path: 'results.7', message: 'ignored' },
      ]),
    ).toEqual({ 'K.value': 'K needs a number', 'URINE_CULTURE.organism': 'too long' });
  });
});
