import {
  type RadChecklist,
  type RadContrastUse,
  type RadModality,
  radIonisingModalities,
} from '@newhms/contracts';
import { ageInYears } from '../../platform/time/facility-time';

// Pure: what the safety checklist must say before a study may start, for this procedure and this patient.
// - Identity: two identifiers checked against the request (JCI IPSG.1), always.
// - Pregnancy: asked of women of child-bearing age (12 to 50 here, a common local policy) before an ionising
//   study (XR, CT, RF, MG); a pregnant or possibly pregnant patient is imaged only with the radiologist's
//   justification on record (ICRP 84: justification and optimisation of exposure in pregnancy).
// - Contrast: the decision for an optional-contrast procedure; when contrast is given, the allergy question
//   (a previous reaction needs the plan: premedication or another study); before intravenous contrast the
//   renal function (eGFR or serum creatinine), as the ACR and ESUR contrast guidance ask.
// - MR: the safety screening (pacemaker, cochlear implant, aneurysm clip, neurostimulator, metal fragments,
//   other implants); any "yes" needs a note that the device is MR-conditional and how it was cleared.

export type ChecklistSubject = {
  modality: RadModality;
  contrast: RadContrastUse;
  contrastRoute: 'iv' | 'oral' | 'intracavitary' | null;
  sex: string;
  birthDate: string | null;
};

export type ChecklistProblem = { path: string; message: string };

export const PREGNANCY_AGE_FROM = 12;
export const PREGNANCY_AGE_TO = 50;

/** Whether the pregnancy question is asked: a woman aged 12 to 50 (or of unknown age) before an ionising study. */
export function pregnancyQuestionApplies(subject: ChecklistSubject, today: string): boolean {
  if (!radIonisingModalities.includes(subject.modality) || subject.sex !== 'female') return false;
  if (!subject.birthDate) return true;
  const age = ageInYears(subject.birthDate, today);
  return age >= PREGNANCY_AGE_FROM && age <= PREGNANCY_AGE_TO;
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

/** Every item the start of the study still needs, by field (`checklist.<field>`); empty when it may start. */
export function checklistProblems(
  subject: ChecklistSubject,
  checklist: RadChecklist | null,
  today: string,
): ChecklistProblem[] {
  const c = checklist ?? {};
  const problems: ChecklistProblem[] = [];
  const need = (field: string, message: string) => problems.push({ path: `checklist.${field}`, message });

  if (c.identityConfirmed !== true) need('identityConfirmed', 'confirm two identifiers of the patient');

  if (pregnancyQuestionApplies(subject, today)) {
    if (!c.pregnancyStatus) {
      need('pregnancyStatus', 'ask about pregnancy before an ionising study of a woman aged 12 to 50');
    } else if (
      (c.pregnancyStatus === 'pregnant' || c.pregnancyStatus === 'possibly-pregnant') &&
      !c.pregnancyJustification
    ) {
      need(
        'pregnancyJustification',
        "a pregnant or possibly pregnant patient needs the radiologist's justification",
      );
    }
  }

  if (subject.contrast === 'none' && c.contrastPlanned === true) {
    need('contrastPlanned', 'this procedure is done without contrast: order the contrast study instead');
  }
  if (subject.contrast === 'required' && c.contrastPlanned === false) {
    need('contrastPlanned', 'this procedure needs contrast: order the plain study instead');
  }
  const given = contrastGiven(subject, checklist);
  if (given === null) need('contrastPlanned', 'say whether contrast will be given');
  if (given) {
    if (c.contrastAllergy === undefined || c.contrastAllergy === null) {
      need('contrastAllergy', 'ask about a previous reaction to contrast');
    } else if (c.contrastAllergy && !c.contrastAllergyNote) {
      need('contrastAllergyNote', 'record the reaction and the plan (premedication or another study)');
    }
    if (subject.contrastRoute === 'iv' && (c.egfr ?? null) === null && (c.creatinineMgDl ?? null) === null) {
      need('egfr', 'note the renal function (eGFR or serum creatinine) before intravenous contrast');
    }
  }

  if (subject.modality === 'MR') {
    const s = c.mriScreening;
    if (!s) need('mriScreening', 'complete the MR safety screening (implants, pacemaker, metal)');
    else {
      const any =
        s.pacemakerOrDefibrillator ||
        s.cochlearImplant ||
        s.aneurysmClip ||
        s.neurostimulator ||
        s.metalForeignBody ||
        s.otherImplant;
      if (any && !s.note) {
        need('mriScreening.note', 'name the device and how it was cleared as MR-conditional');
      }
    }
  }
  return problems;
}

/** The checklist given at the start laid over the one recorded at arrival (fields given win). */
export function mergeChecklists(
  base: RadChecklist | null,
  update: RadChecklist | undefined,
): RadChecklist | null {
  if (!update) return base;
  const defined = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined));
  return { ...(base ?? {}), ...defined };
}
