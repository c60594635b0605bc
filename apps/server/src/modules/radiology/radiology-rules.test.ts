import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDicomUid, uidFromUuid, viewerUrlOf } from './dicom-uid';
import { isMeaningfulReadBack } from './read-back';
import {
  type ChecklistSubject,
  checklistProblems,
  mergeChecklists,
  pregnancyQuestionApplies,
} from './safety-checklist';

const TODAY = '2026-03-10';
const ctChest = (over: Partial<ChecklistSubject> = {}): ChecklistSubject => ({
  modality: 'CT',
  contrast: 'none',
  contrastRoute: null,
  sex: 'male',
  birthDate: '1970-01-01',
  ...over,
});
const paths = (s: ChecklistSubject, c: Parameters<typeof checklistProblems>[1]) =>
  checklistProblems(s, c, TODAY).map((p) => p.path);

describe('the safety checklist', () => {
  it('asks only for identity before a plain CT of a man', () => {
    expect(paths(ctChest(), null)).toEqual(['checklist.identityConfirmed']);
    expect(paths(ctChest(), { identityConfirmed: true })).toEqual([]);
  });

  it('asks a woman aged 12 to 50 about pregnancy before an ionising study, not before an ultrasound', () => {
    const woman = ctChest({ sex: 'female', birthDate: '1990-05-01' });
    expect(paths(woman, { identityConfirmed: true })).toEqual(['checklist.pregnancyStatus']);
    expect(paths({ ...woman, modality: 'US' }, { identityConfirmed: true })).toEqual([]);
    expect(pregnancyQuestionApplies({ ...woman, birthDate: '2014-03-10' }, TODAY)).toBe(true); // 12 today
    expect(pregnancyQuestionApplies({ ...woman, birthDate: '2014-03-11' }, TODAY)).toBe(false); // 11
    expect(pregnancyQuestionApplies({ ...woman, birthDate: '1975-03-10' }, TODAY)).toBe(false); // 51
    expect(pregnancyQuestionApplies({ ...woman, birthDate: null }, TODAY)).toBe(true);
  });

  it("needs the radiologist's justification to image a possibly pregnant woman", () => {
    const woman = ctChest({ sex: 'female', birthDate: '1990-05-01', modality: 'XR' });
    expect(paths(woman, { identityConfirmed: true, pregnancyStatus: 'possibly-pregnant' })).toEqual([
      'checklist.pregnancyJustification',
    ]);
    expect(
      paths(woman, {
        identityConfirmed: true,
        pregnancyStatus: 'pregnant',
        pregnancyJustification: 'Suspected fracture; abdomen shielded',
      }),
    ).toEqual([]);
  });

  it('asks about contrast allergy and renal function before intravenous contrast', () => {
    const s = ctChest({ contrast: 'required', contrastRoute: 'iv' });
    expect(paths(s, { identityConfirmed: true })).toEqual(['checklist.contrastAllergy', 'checklist.egfr']);
    expect(paths(s, { identityConfirmed: true, contrastAllergy: true, creatinineMgDl: 0.9 })).toEqual([
      'checklist.contrastAllergyNote',
    ]);
    expect(paths(s, { identityConfirmed: true, contrastAllergy: false, egfr: 85 })).toEqual([]);
    expect(
      paths(s, { identityConfirmed: true, contrastAllergy: false, egfr: 85, contrastPlanned: false }),
    ).toEqual(['checklist.contrastPlanned']);
  });

  it('does not ask for renal function before oral contrast, and asks for the decision when contrast is optional', () => {
    const barium = ctChest({ modality: 'RF', contrast: 'required', contrastRoute: 'oral' });
    expect(paths(barium, { identityConfirmed: true, contrastAllergy: false })).toEqual([]);
    const optional = ctChest({ modality: 'MR', contrast: 'optional', contrastRoute: 'iv' });
    const screened = {
      pacemakerOrDefibrillator: false,
      cochlearImplant: false,
      aneurysmClip: false,
      neurostimulator: false,
      metalForeignBody: false,
      otherImplant: false,
    };
    expect(paths(optional, { identityConfirmed: true, mriScreening: screened })).toEqual([
      'checklist.contrastPlanned',
    ]);
    expect(
      paths(optional, { identityConfirmed: true, mriScreening: screened, contrastPlanned: false }),
    ).toEqual([]);
  });

  it('needs the MR safety screening, and a note for any implant', () => {
    const mr = ctChest({ modality: 'MR' });
    expect(paths(mr, { identityConfirmed: true })).toEqual(['checklist.mriScreening']);
    const screening = {
      pacemakerOrDefibrillator: true,
      cochlearImplant: false,
      aneurysmClip: false,
      neurostimulator: false,
      metalForeignBody: false,
      otherImplant: false,
    };
    expect(paths(mr, { identityConfirmed: true, mriScreening: screening })).toEqual([
      'checklist.mriScreening.note',
    ]);
    expect(
      paths(mr, {
        identityConfirmed: true,
        mriScreening: { ...screening, note: 'MR-conditional pacemaker, cardiology present, MR mode on' },
      }),
    ).toEqual([]);
  });

  it('lays the checklist given at the start over the one of the arrival', () => {
    expect(
      mergeChecklists({ identityConfirmed: true, egfr: 50 }, { egfr: 70, contrastAllergy: false }),
    ).toEqual({
      identityConfirmed: true,
      egfr: 70,
      contrastAllergy: false,
    });
    expect(mergeChecklists(null, undefined)).toBeNull();
  });
});

describe('DICOM UIDs', () => {
  it('accepts digits and dots without leading zeros, up to 64 characters', () => {
    expect(isDicomUid('1.2.840.10008.5.1.4.1.1.2')).toBe(true);
    expect(isDicomUid('1.2.0.3')).toBe(true);
    for (const bad of ['1', '1.02.3', '1..2', '.1.2', '1.2.', '1.2.a', `1.${'2'.repeat(63)}`, '1.2 ']) {
      expect(isDicomUid(bad), bad).toBe(false);
    }
  });

  it('makes a valid UID of any UUID (2.25 root)', () => {
    fc.assert(
      fc.property(fc.uuid(), (u) => {
        const uid = uidFromUuid(u);
        expect(uid.startsWith('2.25.')).toBe(true);
        expect(isDicomUid(uid)).toBe(true);
      }),
    );
    expect(uidFromUuid('00000000-0000-0000-0000-000000000000')).toBe('2.25.0');
  });

  it('fills the viewer link, or gives none', () => {
    const t = 'https://pacs.example/viewer?StudyInstanceUIDs={studyUid}&acc={accession}';
    expect(viewerUrlOf(t, { studyInstanceUid: '1.2.3', accession: 'R2603100001' })).toBe(
      'https://pacs.example/viewer?StudyInstanceUIDs=1.2.3&acc=R2603100001',
    );
    expect(viewerUrlOf(t, { studyInstanceUid: null, accession: 'R1' })).toBeNull();
    expect(viewerUrlOf(undefined, { studyInstanceUid: '1.2', accession: 'R1' })).toBeNull();
    expect(viewerUrlOf('https://p/{accession}', { studyInstanceUid: null, accession: 'R 1' })).toBe(
      'https://p/R%201',
    );
  });
});

describe('read-back of a critical finding', () => {
  it('needs three words of substance', () => {
    expect(isMeaningfulReadBack('Large left tension pneumothorax, will place a drain')).toBe(true);
    expect(isMeaningfulReadBack('pneumothorax left side')).toBe(true);
    for (const trivial of [
      'ok',
      'Noted, thanks',
      'ok ok ok ok',
      'yes I have seen it',
      '123 456 789',
      'pneumothorax',
    ]) {
      expect(isMeaningfulReadBack(trivial), trivial).toBe(false);
    }
  });
});
