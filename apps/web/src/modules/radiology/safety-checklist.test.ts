import { describe, expect, it } from 'vitest';
import {
  asksPregnancy,
  type ChecklistSubject,
  checklistGaps,
  contrastGiven,
  yearsOfAge,
} from './safety-checklist';

const xray = (over: Partial<ChecklistSubject> = {}): ChecklistSubject => ({
  modality: 'XR',
  contrast: 'none',
  contrastRoute: null,
  sex: 'female',
  age: '34 y',
  ...over,
});

describe('yearsOfAge', () => {
  it('reads the whole years of the server age label, infants as 0', () => {
    expect(yearsOfAge('34 y')).toBe(34);
    expect(yearsOfAge('5 m')).toBe(0);
    expect(yearsOfAge('3 d')).toBe(0);
    expect(yearsOfAge(null)).toBeNull();
    expect(yearsOfAge('unknown')).toBeNull();
  });
});

describe('asksPregnancy', () => {
  it('asks women of 12 to 50 before an ionising study, and women of unknown age', () => {
    expect(asksPregnancy(xray())).toBe(true);
    expect(asksPregnancy(xray({ age: '12 y' }))).toBe(true);
    expect(asksPregnancy(xray({ age: '50 y' }))).toBe(true);
    expect(asksPregnancy(xray({ age: null }))).toBe(true);
    expect(asksPregnancy(xray({ modality: 'CT' }))).toBe(true);
    expect(asksPregnancy(xray({ modality: 'MG' }))).toBe(true);
  });
  it('does not ask men, girls under 12, women over 50, or before ultrasound and MR', () => {
    expect(asksPregnancy(xray({ sex: 'male' }))).toBe(false);
    expect(asksPregnancy(xray({ age: '11 y' }))).toBe(false);
    expect(asksPregnancy(xray({ age: '51 y' }))).toBe(false);
    expect(asksPregnancy(xray({ modality: 'US' }))).toBe(false);
    expect(asksPregnancy(xray({ modality: 'MR' }))).toBe(false);
  });
});

describe('checklistGaps', () => {
  it('needs the identity always, and the pregnancy status of a woman of 34 before an X-ray', () => {
    expect(checklistGaps(xray(), null)).toEqual(['checklist.identityConfirmed', 'checklist.pregnancyStatus']);
    expect(checklistGaps(xray(), { identityConfirmed: true, pregnancyStatus: 'not-pregnant' })).toEqual([]);
  });
  it("needs the radiologist's justification for a pregnant or possibly pregnant patient", () => {
    const c = { identityConfirmed: true, pregnancyStatus: 'possibly-pregnant' as const };
    expect(checklistGaps(xray(), c)).toEqual(['checklist.pregnancyJustification']);
    expect(checklistGaps(xray(), { ...c, pregnancyJustification: 'Trauma, benefit outweighs' })).toEqual([]);
  });
  it('needs the allergy question and renal function before intravenous contrast', () => {
    const ct = xray({ modality: 'CT', contrast: 'required', contrastRoute: 'iv', sex: 'male' });
    expect(checklistGaps(ct, { identityConfirmed: true })).toEqual([
      'checklist.contrastAllergy',
      'checklist.egfr',
    ]);
    expect(
      checklistGaps(ct, { identityConfirmed: true, contrastAllergy: true, creatinineMgDl: 0.9 }),
    ).toEqual(['checklist.contrastAllergyNote']);
    expect(checklistGaps(ct, { identityConfirmed: true, contrastAllergy: false, egfr: 88 })).toEqual([]);
  });
  it('asks for the decision when contrast is optional, and nothing more when none is given', () => {
    const mr = xray({ modality: 'MR', contrast: 'optional', contrastRoute: 'iv', sex: 'male' });
    const screening = {
      pacemakerOrDefibrillator: false,
      cochlearImplant: false,
      aneurysmClip: false,
      neurostimulator: false,
      metalForeignBody: false,
      otherImplant: false,
    };
    expect(checklistGaps(mr, { identityConfirmed: true })).toEqual([
      'checklist.contrastPlanned',
      'checklist.mriScreening',
    ]);
    expect(
      checklistGaps(mr, { identityConfirmed: true, contrastPlanned: false, mriScreening: screening }),
    ).toEqual([]);
    expect(
      checklistGaps(mr, {
        identityConfirmed: true,
        contrastPlanned: false,
        mriScreening: { ...screening, cochlearImplant: true },
      }),
    ).toEqual(['checklist.mriScreening.note']);
  });
  it('follows the catalog when contrast is fixed', () => {
    expect(contrastGiven({ contrast: 'none' }, { contrastPlanned: true })).toBe(false);
    expect(contrastGiven({ contrast: 'required' }, null)).toBe(true);
    expect(contrastGiven({ contrast: 'optional' }, null)).toBeNull();
  });
});
