import { type RadChecklist, type RadOrder, radIonisingModalities } from '@newhms/contracts';

// Which questions of the safety checklist a study asks, so the form shows only those, and what is still missing
// before the start. The server decides (apps/server/src/modules/radiology/safety-checklist.ts: its 422 names each
// missing `checklist.<field>`); this mirrors it so that the radiographer sees the same list before sending.
// - Pregnancy: women aged 12 to 50 (or of unknown age) before an ionising study (XR, CT, RF, MG).
// - Contrast: the decision when the catalog leaves it open; when contrast is given, a previous reaction; before
//   intravenous contrast the renal function (eGFR or serum creatinine).
// - MR: the safety screening (pacemaker, implants, metal); any "yes" needs a note.

export type ChecklistSubject = Pick<RadOrder, 'modality' | 'contrast' | 'contrastRoute' | 'sex' | 'age'>;

export const PREGNANCY_AGE_FROM = 12;
export const PREGNANCY_AGE_TO = 50;

/** Whole years of an age label as the server gives it ("34 y", "5 m", "3 d"); null when unknown. */
export function yearsOfAge(label: string | null | undefined): number | null {
  if (!label) return null;
  const match = /^(\d+)\s*([ymd])$/.exec(label.trim());
  if (!match) return null;
  return match[2] === 'y' ? Number(match[1]) : 0;
}

/** The pregnancy question: a woman aged 12 to 50 (or of unknown age) before an ionising study. */
export function asksPregnancy(subject: ChecklistSubject): boolean {
  if (!radIonisingModalities.includes(subject.modality) || subject.sex !== 'female') return false;
  const years = yearsOfAge(subject.age);
  return years === null || (years >= PREGNANCY_AGE_FROM && years <= PREGNANCY_AGE_TO);
}

/** Whether contrast will be given: fixed by the catalog, or the checklist's decision (null: not decided yet). */
export function contrastGiven(
  subject: Pick<ChecklistSubject, 'contrast'>,
  checklist: RadChecklist | null,
): boolean | null {
  if (subject.contrast === 'none') return false;
  if (subject.contrast === 'required') return true;
  return checklist?.contrastPlanned ?? null;
}

/** Every checklist field the start still needs (`checklist.<field>`, as the server names them); empty: ready. */
export function checklistGaps(subject: ChecklistSubject, checklist: RadChecklist | null): string[] {
  const c = checklist ?? {};
  const gaps: string[] = [];
  if (c.identityConfirmed !== true) gaps.push('checklist.identityConfirmed');
  if (asksPregnancy(subject)) {
    if (!c.pregnancyStatus) gaps.push('checklist.pregnancyStatus');
    else if (
      (c.pregnancyStatus === 'pregnant' || c.pregnancyStatus === 'possibly-pregnant') &&
      !c.pregnancyJustification
    ) {
      gaps.push('checklist.pregnancyJustification');
    }
  }
  const given = contrastGiven(subject, checklist);
  if (given === null) gaps.push('checklist.contrastPlanned');
  if (given) {
    if (c.contrastAllergy === undefined || c.contrastAllergy === null) gaps.push('checklist.contrastAllergy');
    else if (c.contrastAllergy && !c.contrastAllergyNote) gaps.push('checklist.contrastAllergyNote');
    if (subject.contrastRoute === 'iv' && (c.egfr ?? null) === null && (c.creatinineMgDl ?? null) === null) {
      gaps.push('checklist.egfr');
    }
  }
  if (subject.modality === 'MR') {
    const s = c.mriScreening;
    if (!s) gaps.push('checklist.mriScreening');
    else if (
      (s.pacemakerOrDefibrillator ||
        s.cochlearImplant ||
        s.aneurysmClip ||
        s.neurostimulator ||
        s.metalForeignBody ||
        s.otherImplant) &&
      !s.note
    ) {
      gaps.push('checklist.mriScreening.note');
    }
  }
  return gaps;
}

/** What each checklist field is called on the form, to say what is missing in words. */
export const checklistFieldLabels: Record<string, string> = {
  laterality: 'Side',
  'checklist.identityConfirmed': 'Identity confirmed',
  'checklist.pregnancyStatus': 'Pregnancy status',
  'checklist.pregnancyJustification': "Radiologist's justification",
  'checklist.contrastPlanned': 'Contrast',
  'checklist.contrastAllergy': 'Previous reaction to contrast',
  'checklist.contrastAllergyNote': 'Reaction and plan',
  'checklist.egfr': 'Renal function (eGFR or creatinine)',
  'checklist.mriScreening': 'MR safety screening',
  'checklist.mriScreening.note': 'Device and how it was cleared',
};
