import { BP_PANEL_LOINC, vitalSigns } from '@newhms/contracts';

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
const TERMINOLOGY = 'http://terminology.hl7.org/CodeSystem';
export const OBSERVATION_CATEGORY = `${TERMINOLOGY}/observation-category`;
export const OBSERVATION_INTERPRETATION = `${TERMINOLOGY}/v3-ObservationInterpretation`;
export const DATA_ABSENT_REASON = `${TERMINOLOGY}/data-absent-reason`;
export const CONDITION_CATEGORY = `${TERMINOLOGY}/condition-category`;
export const CONDITION_CLINICAL = `${TERMINOLOGY}/condition-clinical`;
export const CONDITION_VERIFICATION = `${TERMINOLOGY}/condition-ver-status`;
export const V3_ACT_CODE = `${TERMINOLOGY}/v3-ActCode`;
export const V3_PARTICIPATION_TYPE = `${TERMINOLOGY}/v3-ParticipationType`;

export const SYSTOLIC_LOINC = vitalSigns.systolic.loinc;
export const DIASTOLIC_LOINC = vitalSigns.diastolic.loinc;
export { BP_PANEL_LOINC };
export const BP_PANEL_DISPLAY = 'Blood pressure panel with all children optional';

/** Our encounter classes as v3-ActCode (the value set FHIR R4 binds Encounter.class to). */
export const encounterClassCodes = {
  ambulatory: { system: V3_ACT_CODE, code: 'AMB', display: 'ambulatory' },
  inpatient: { system: V3_ACT_CODE, code: 'IMP', display: 'inpatient encounter' },
  emergency: { system: V3_ACT_CODE, code: 'EMER', display: 'emergency' },
} as const;

export const observationCategories = ['vital-signs', 'laboratory', 'exam', 'survey'] as const;
export const observationCategoryDisplay: Record<(typeof observationCategories)[number], string> = {
  'vital-signs': 'Vital Signs',
  laboratory: 'Laboratory',
  exam: 'Exam',
  survey: 'Survey',
};

export const interpretationDisplay: Record<string, string> = {
  N: 'Normal',
  L: 'Low',
  H: 'High',
  LL: 'Critical low',
  HH: 'Critical high',
};

type VitalProfile = { profile: string; unitDisplay: string };
const SD = 'http://hl7.org/fhir/StructureDefinition';

/**
 * The FHIR R4 vital signs profile of each LOINC code we record, and the human unit shown beside the UCUM
 * code (the profiles fix the UCUM codes: /min, Cel, %, mm[Hg], kg, cm, kg/m2).
 */
export const vitalProfiles: Record<string, VitalProfile> = {
  [vitalSigns.heartRate.loinc]: { profile: `${SD}/heartrate`, unitDisplay: 'beats/minute' },
  [vitalSigns.respiratoryRate.loinc]: { profile: `${SD}/resprate`, unitDisplay: 'breaths/minute' },
  [vitalSigns.temperature.loinc]: { profile: `${SD}/bodytemp`, unitDisplay: 'C' },
  [vitalSigns.spo2.loinc]: { profile: `${SD}/oxygensat`, unitDisplay: '%' },
  [vitalSigns.weight.loinc]: { profile: `${SD}/bodyweight`, unitDisplay: 'kg' },
  [vitalSigns.height.loinc]: { profile: `${SD}/bodyheight`, unitDisplay: 'cm' },
  [vitalSigns.bmi.loinc]: { profile: `${SD}/bmi`, unitDisplay: 'kg/m2' },
  [BP_PANEL_LOINC]: { profile: `${SD}/bp`, unitDisplay: 'mmHg' },
  // A systolic or diastolic value alone (not a panel) has only the generic vital signs profile.
  [SYSTOLIC_LOINC]: { profile: `${SD}/vitalsigns`, unitDisplay: 'mmHg' },
  [DIASTOLIC_LOINC]: { profile: `${SD}/vitalsigns`, unitDisplay: 'mmHg' },
};
export const VITAL_SIGNS_PROFILE = `${SD}/vitalsigns`;

/** The inputs of a derived vital sign (BMI from weight and height), by LOINC code. */
export const derivedFromCodes: Record<string, readonly string[]> = {
  [vitalSigns.bmi.loinc]: [vitalSigns.weight.loinc, vitalSigns.height.loinc],
};
