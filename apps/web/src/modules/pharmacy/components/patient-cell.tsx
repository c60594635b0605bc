import { usePatient } from '../../patients';

/**
 * The patient of a register line, by name and MRN. The register carries the patient's id only, so each one is
 * read (and cached: a patient seen on ten lines is read once).
 */
export function PatientCell({ patientId }: { patientId: string | null }) {
  const patient = usePatient(patientId);
  if (!patientId) return null;
  if (!patient.data) return <>…</>;
  return <>{`${patient.data.displayName} · MRN ${patient.data.mrn}`}</>;
}
