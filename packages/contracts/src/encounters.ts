import { z } from 'zod';
import { IsoDateTime, IsoDay, Text, Uuid } from './common';
import { OrderFulfilmentStatus } from './order-fulfilment';

// The shared clinical record: encounters (OPD visit, IPD stay, ER visit), observations (vitals first),
// clinical notes with a draft/signed/amended lifecycle, diagnoses (ICD-10) and orders (service requests).

export const encounterClasses = ['ambulatory', 'inpatient', 'emergency'] as const;
export const EncounterClass = z.enum(encounterClasses);
export const encounterStatuses = [
  'planned',
  'arrived',
  'in-progress',
  'finished',
  'cancelled',
  'entered-in-error',
] as const;
export const EncounterStatus = z.enum(encounterStatuses);

export const Encounter = z
  .object({
    id: Uuid,
    patientId: Uuid,
    facilityId: Uuid,
    class: EncounterClass,
    status: EncounterStatus,
    departmentId: Uuid.nullable(),
    practitionerId: Uuid.nullable(),
    practitionerName: z.string().nullable(),
    reason: z.string().nullable(),
    /** Where it came from: an appointment, a queue token, an admission, an ER arrival. */
    sourceType: z.string().nullable(),
    sourceId: Uuid.nullable(),
    startedAt: IsoDateTime,
    endedAt: IsoDateTime.nullable(),
    followUpDate: z.string().nullable(),
    advice: z.string().nullable(),
    referral: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Encounter' });
export type Encounter = z.infer<typeof Encounter>;

export const StartEncounterBody = z.object({
  patientId: Uuid,
  class: EncounterClass.default('ambulatory'),
  departmentId: Uuid.nullable().optional(),
  practitionerId: Uuid.nullable().optional(),
  reason: z.string().trim().max(300).nullable().optional(),
  sourceType: z.string().max(40).nullable().optional(),
  sourceId: Uuid.nullable().optional(),
});

export const CloseEncounterBody = z.object({
  followUpDate: IsoDay.nullable().optional(),
  advice: z.string().trim().max(2000).nullable().optional(),
  referral: z.string().trim().max(500).nullable().optional(),
  version: z.number().int().min(1),
});

// ---------------------------------------------------------------------------------------------------------
// Vital signs (LOINC codes and UCUM units from DOMAIN.md)
// ---------------------------------------------------------------------------------------------------------

export const vitalSigns = {
  heartRate: { loinc: '8867-4', display: 'Heart rate', unit: '/min', min: 20, max: 300, normal: [60, 100] },
  respiratoryRate: {
    loinc: '9279-1',
    display: 'Respiratory rate',
    unit: '/min',
    min: 4,
    max: 80,
    normal: [12, 20],
  },
  temperature: {
    loinc: '8310-5',
    display: 'Body temperature',
    unit: 'Cel',
    min: 30,
    max: 45,
    normal: [36.1, 37.5],
  },
  spo2: { loinc: '2708-6', display: 'Oxygen saturation', unit: '%', min: 50, max: 100, normal: [95, 100] },
  systolic: {
    loinc: '8480-6',
    display: 'Systolic blood pressure',
    unit: 'mm[Hg]',
    min: 40,
    max: 300,
    normal: [90, 139],
  },
  diastolic: {
    loinc: '8462-4',
    display: 'Diastolic blood pressure',
    unit: 'mm[Hg]',
    min: 20,
    max: 200,
    normal: [60, 89],
  },
  weight: { loinc: '29463-7', display: 'Body weight', unit: 'kg', min: 0.3, max: 350, normal: null },
  height: { loinc: '8302-2', display: 'Body height', unit: 'cm', min: 20, max: 250, normal: null },
  bmi: {
    loinc: '39156-5',
    display: 'Body mass index',
    unit: 'kg/m2',
    min: 5,
    max: 100,
    normal: [18.5, 24.9],
  },
} as const;
export type VitalSign = keyof typeof vitalSigns;
export const BP_PANEL_LOINC = '85354-9';

/** ACVPU: alert, new confusion, responds to voice, to pain, unresponsive (the NEWS2 consciousness scale). */
export const consciousnessLevels = ['alert', 'new-confusion', 'voice', 'pain', 'unresponsive'] as const;
export const ConsciousnessLevel = z.enum(consciousnessLevels);
export type ConsciousnessLevel = z.infer<typeof ConsciousnessLevel>;
/** Coded vitals besides the numeric ones: level of consciousness, and air or supplemental oxygen. */
export const codedVitals = {
  consciousness: { loinc: '80288-4', display: 'Level of consciousness' },
  /** Value: the flow in L/min (0 on room air, null when on oxygen at an unrecorded flow). */
  supplementalOxygen: { loinc: '3151-8', display: 'Inhaled oxygen flow rate', unit: 'L/min' },
} as const;

const vital = (k: VitalSign) =>
  z
    .number()
    .min(vitalSigns[k].min, `at least ${vitalSigns[k].min} ${vitalSigns[k].unit}`)
    .max(vitalSigns[k].max, `at most ${vitalSigns[k].max} ${vitalSigns[k].unit}`)
    .optional();

/** One set of vitals as the nurse enters it; BMI is computed from weight and height. */
export const VitalsBody = z
  .object({
    heartRate: vital('heartRate'),
    respiratoryRate: vital('respiratoryRate'),
    temperature: vital('temperature'),
    spo2: vital('spo2'),
    systolic: vital('systolic'),
    diastolic: vital('diastolic'),
    weight: vital('weight'),
    height: vital('height'),
    consciousness: ConsciousnessLevel.optional(),
    /** Air (false) or supplemental oxygen (true); oxygenFlowRate in L/min when known. */
    supplementalOxygen: z.boolean().optional(),
    oxygenFlowRate: z.number().min(0).max(60, 'at most 60 L/min').optional(),
    effectiveAt: IsoDateTime.optional(),
  })
  .refine((v) => Object.entries(v).some(([k, x]) => k !== 'effectiveAt' && x !== undefined), {
    message: 'enter at least one value',
    path: ['heartRate'],
  })
  .refine((v) => (v.systolic === undefined) === (v.diastolic === undefined), {
    message: 'blood pressure needs both systolic and diastolic',
    path: ['diastolic'],
  })
  .refine((v) => v.systolic === undefined || v.diastolic === undefined || v.systolic > v.diastolic, {
    message: 'systolic must be higher than diastolic',
    path: ['systolic'],
  })
  .refine((v) => !v.oxygenFlowRate || v.supplementalOxygen !== false, {
    message: 'an oxygen flow means the patient is on oxygen',
    path: ['oxygenFlowRate'],
  });
export type VitalsBody = z.input<typeof VitalsBody>;

export const interpretations = ['N', 'L', 'H', 'LL', 'HH'] as const;
export const Observation = z
  .object({
    id: Uuid,
    encounterId: Uuid.nullable(),
    patientId: Uuid,
    category: z.enum(['vital-signs', 'laboratory', 'exam', 'survey']),
    code: z.string(),
    system: z.string(),
    display: z.string(),
    value: z.number().nullable(),
    valueText: z.string().nullable(),
    unit: z.string().nullable(),
    interpretation: z.enum(interpretations).nullable(),
    status: z.enum(['final', 'amended', 'entered-in-error']),
    effectiveAt: IsoDateTime,
    recordedBy: z.string(),
    /** Observations entered together (one set of vitals) share a group id. */
    groupId: Uuid.nullable().optional(),
  })
  .meta({ id: 'Observation' });
export type Observation = z.infer<typeof Observation>;
export const ObservationList = z.object({ items: z.array(Observation) });

// ---------------------------------------------------------------------------------------------------------
// Clinical notes
// ---------------------------------------------------------------------------------------------------------

export const noteKinds = [
  'consultation',
  'progress',
  'nursing',
  'procedure',
  'discharge',
  'handover',
  'discharge-summary',
] as const;
export const NoteSections = z.object({
  chiefComplaint: z.string().max(2000).optional(),
  history: z.string().max(10000).optional(),
  examination: z.string().max(10000).optional(),
  assessment: z.string().max(5000).optional(),
  plan: z.string().max(5000).optional(),
  advice: z.string().max(5000).optional(),
  text: z.string().max(20000).optional(),
  // The sections of a discharge summary (kind 'discharge-summary') besides advice.
  diagnoses: z.string().max(5000).optional(),
  procedures: z.string().max(5000).optional(),
  hospitalCourse: z.string().max(20000).optional(),
  conditionAtDischarge: z.string().max(5000).optional(),
  medications: z.string().max(10000).optional(),
  followUp: z.string().max(5000).optional(),
});
export type NoteSections = z.infer<typeof NoteSections>;

export const ClinicalNote = z
  .object({
    id: Uuid,
    encounterId: Uuid,
    patientId: Uuid,
    kind: z.enum(noteKinds),
    status: z.enum(['draft', 'signed', 'amended', 'entered-in-error']),
    sections: NoteSections,
    authorId: Uuid.nullable(),
    authorName: z.string(),
    signedAt: IsoDateTime.nullable(),
    signedBy: z.string().nullable(),
    amendmentReason: z.string().nullable(),
    /** Earlier signed versions, newest first (an amendment keeps what was signed before). */
    revisions: z.array(
      z.object({
        revision: z.number().int(),
        sections: NoteSections,
        signedAt: IsoDateTime,
        signedBy: z.string(),
        reason: z.string().nullable(),
      }),
    ),
    version: z.number().int(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'ClinicalNote' });
export type ClinicalNote = z.infer<typeof ClinicalNote>;

export const CreateNoteBody = z.object({
  kind: z.enum(noteKinds).default('consultation'),
  sections: NoteSections,
});
export const UpdateNoteBody = z.object({ sections: NoteSections, version: z.number().int().min(1) });
export const SignNoteBody = z.object({ version: z.number().int().min(1) });
export const AmendNoteBody = z.object({
  sections: NoteSections,
  reason: Text(500),
  version: z.number().int().min(1),
});

// ---------------------------------------------------------------------------------------------------------
// Diagnoses
// ---------------------------------------------------------------------------------------------------------

export const ICD10_CM = 'http://hl7.org/fhir/sid/icd-10-cm';
export const ICD10_WHO = 'http://hl7.org/fhir/sid/icd-10';
export const IcdCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/, 'an ICD-10 code such as E11.9');

export const IcdEntry = z.object({
  code: z.string(),
  system: z.string(),
  title: z.string(),
  billable: z.boolean(),
});
export const IcdSearchResponse = z.object({ items: z.array(IcdEntry) });

export const Diagnosis = z
  .object({
    id: Uuid,
    encounterId: Uuid,
    patientId: Uuid,
    code: z.string(),
    system: z.string(),
    display: z.string(),
    kind: z.enum(['provisional', 'final']),
    rank: z.enum(['primary', 'secondary']),
    status: z.enum(['active', 'resolved', 'entered-in-error']),
    note: z.string().nullable(),
    recordedBy: z.string(),
    recordedAt: IsoDateTime,
    version: z.number().int(),
  })
  .meta({ id: 'Diagnosis' });
export type Diagnosis = z.infer<typeof Diagnosis>;
export const DiagnosisBody = z.object({
  code: IcdCode,
  kind: z.enum(['provisional', 'final']).default('provisional'),
  rank: z.enum(['primary', 'secondary']).default('secondary'),
  note: z.string().trim().max(500).nullable().optional(),
});
export const DiagnosisUpdate = z.object({
  kind: z.enum(['provisional', 'final']).optional(),
  rank: z.enum(['primary', 'secondary']).optional(),
  status: z.enum(['active', 'resolved', 'entered-in-error']).optional(),
  reason: z.string().trim().max(300).optional(),
  version: z.number().int().min(1),
});

// ---------------------------------------------------------------------------------------------------------
// Orders (service requests), fulfilled later by laboratory, radiology and procedures
// ---------------------------------------------------------------------------------------------------------

export const orderCategories = ['laboratory', 'imaging', 'procedure'] as const;
export const orderStatuses = ['active', 'in-progress', 'completed', 'cancelled', 'entered-in-error'] as const;
export const Order = z
  .object({
    id: Uuid,
    encounterId: Uuid,
    patientId: Uuid,
    category: z.enum(orderCategories),
    code: z.string().nullable(),
    system: z.string().nullable(),
    display: z.string(),
    priority: z.enum(['routine', 'urgent', 'stat']),
    status: z.enum(orderStatuses),
    note: z.string().nullable(),
    requestedBy: z.string(),
    requestedAt: IsoDateTime,
    cancelReason: z.string().nullable(),
    /**
     * Where the department that fulfils the order is with it (laboratory, radiology; procedures stay
     * `pending`). `not-matched`: the department did NOT take the order, `fulfilmentNote` says why.
     */
    fulfilmentStatus: OrderFulfilmentStatus,
    /** The department's word on its last step: accession numbers, the reason it was not matched. */
    fulfilmentNote: z.string().nullable(),
    /** When the department took its last step. */
    fulfilmentUpdatedAt: IsoDateTime.nullable(),
    /** When the results were released or the report signed (`resulted`). */
    fulfilledAt: IsoDateTime.nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Order' });
export type Order = z.infer<typeof Order>;
export const OrderBody = z.object({
  category: z.enum(orderCategories),
  code: z.string().trim().max(40).nullable().optional(),
  system: z.string().trim().max(200).nullable().optional(),
  display: Text(200),
  priority: z.enum(['routine', 'urgent', 'stat']).default('routine'),
  note: z.string().trim().max(500).nullable().optional(),
});
export const CancelOrderBody = z.object({ reason: Text(300), version: z.number().int().min(1) });

/** Everything the consultation screen shows for one encounter. */
export const EncounterDetail = z.object({
  encounter: Encounter,
  vitals: z.array(Observation),
  notes: z.array(ClinicalNote),
  diagnoses: z.array(Diagnosis),
  orders: z.array(Order),
});
export type EncounterDetail = z.infer<typeof EncounterDetail>;

export const EncounterList = z.object({ items: z.array(Encounter), nextCursor: z.string().nullable() });

export const encounterPermissions = [
  'encounters:read',
  'encounters:write',
  'encounters:record-vitals',
  'encounters:sign',
] as const;
