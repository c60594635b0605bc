import type { Patient } from '@newhms/contracts';
import { useEffect, useMemo } from 'react';
import { type BannerPatient, PatientBannerView } from '../../../ui/patient-banner-view';
import { usePatientContext } from '../../../ui/patient-context';
import { usePatientPhoto } from '../hooks/use-patient-files';
import { alertKindLabels } from '../patient-labels';

/** The banner's view of a patient record: active allergies and alerts only. */
export function toBannerPatient(patient: Patient, photoUrl: string | null): BannerPatient {
  return {
    id: patient.id,
    mrn: patient.mrn,
    name: patient.displayName,
    age: patient.age,
    sex: patient.sex,
    birthDate: patient.birthDate,
    birthDateEstimated: patient.birthDateEstimated,
    allergyState: patient.allergyState,
    allergies: patient.allergies
      .filter((a) => a.status === 'active')
      .map((a) => ({ substance: a.substance, severity: a.severity })),
    alerts: patient.alerts
      .filter((a) => a.status === 'active')
      .map((a) => ({ label: alertKindLabels[a.kind], text: a.text, severity: a.severity })),
    photoUrl,
    unidentified: patient.unidentified,
    merged: patient.status === 'merged',
  };
}

/** The patient banner inside a page (a comparison, a dialog); the chart's banner is set by usePatientInContext. */
export function PatientBanner({ patient }: { patient: Patient }) {
  const photoUrl = usePatientPhoto(patient.id, patient.hasPhoto, patient.version);
  return <PatientBannerView patient={toBannerPatient(patient, photoUrl)} inline />;
}

/**
 * Puts the patient in the banner slot under the top bar while the calling page is shown, and takes them out
 * when it goes away. Pass the record from usePatient(id).
 */
export function usePatientInContext(patient: Patient | undefined): void {
  const { setPatient } = usePatientContext();
  const photoUrl = usePatientPhoto(patient?.id ?? '', patient?.hasPhoto ?? false, patient?.version ?? 0);
  const banner = useMemo(() => (patient ? toBannerPatient(patient, photoUrl) : null), [patient, photoUrl]);
  useEffect(() => {
    if (banner) setPatient(banner);
  }, [banner, setPatient]);
  useEffect(() => () => setPatient(null), [setPatient]);
}
