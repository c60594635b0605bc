import type { CodeableConcept, Meta, Reference, Resource } from '../../../platform/fhir/fhir-resources';
import type { diagnoses } from '../encounters.tables';
import { CONDITION_CATEGORY, CONDITION_CLINICAL, CONDITION_VERIFICATION } from './fhir-systems';

type DiagnosisRow = typeof diagnoses.$inferSelect;

export type FhirCondition = Resource & {
  resourceType: 'Condition';
  id: string;
  meta: Meta;
  clinicalStatus?: CodeableConcept;
  verificationStatus: CodeableConcept;
  category: CodeableConcept[];
  code: CodeableConcept;
  subject: Reference;
  encounter: Reference;
  recordedDate: string;
  recorder: Reference;
  note?: { text: string }[];
};

const clinicalStatuses = { active: 'Active', resolved: 'Resolved' } as const;
const verificationStatuses = {
  provisional: 'Provisional',
  confirmed: 'Confirmed',
  'entered-in-error': 'Entered in Error',
} as const;
type VerificationStatus = keyof typeof verificationStatuses;

/**
 * condition-ver-status of a diagnosis: a provisional diagnosis is provisional, a final one confirmed, and
 * one marked entered-in-error is that whatever its kind.
 */
function verificationStatusOf(d: Pick<DiagnosisRow, 'kind' | 'status'>): VerificationStatus {
  if (d.status === 'entered-in-error') return 'entered-in-error';
  return d.kind === 'final' ? 'confirmed' : 'provisional';
}

/**
 * condition-clinical of a diagnosis: active or resolved. None for one entered in error, which FHIR
 * forbids to carry a clinical status (invariant con-5).
 */
function clinicalStatusOf(d: Pick<DiagnosisRow, 'status'>): keyof typeof clinicalStatuses | null {
  if (d.status === 'entered-in-error') return null;
  return d.status === 'resolved' ? 'resolved' : 'active';
}

/** A diagnosis of an encounter as a FHIR R4 Condition (category encounter-diagnosis, ICD-10 coded). */
export function toFhirCondition(d: DiagnosisRow): FhirCondition {
  const clinical = clinicalStatusOf(d);
  const verification = verificationStatusOf(d);
  const notes = [
    ...(d.note?.trim() ? [{ text: d.note }] : []),
    ...(d.status === 'entered-in-error' && d.statusReason?.trim()
      ? [{ text: `Entered in error: ${d.statusReason}` }]
      : []),
  ];
  return {
    resourceType: 'Condition',
    id: d.id,
    meta: { versionId: String(d.version), lastUpdated: d.updatedAt.toISOString() },
    ...(clinical
      ? {
          clinicalStatus: {
            coding: [{ system: CONDITION_CLINICAL, code: clinical, display: clinicalStatuses[clinical] }],
          },
        }
      : {}),
    verificationStatus: {
      coding: [
        { system: CONDITION_VERIFICATION, code: verification, display: verificationStatuses[verification] },
      ],
    },
    category: [
      {
        coding: [{ system: CONDITION_CATEGORY, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }],
      },
    ],
    code: { coding: [{ system: d.system, code: d.code, display: d.display }], text: d.display },
    subject: { reference: `Patient/${d.patientId}` },
    encounter: { reference: `Encounter/${d.encounterId}` },
    recordedDate: d.recordedAt.toISOString(),
    recorder: { display: d.recordedByName },
    ...(notes.length > 0 ? { note: notes } : {}),
  };
}
