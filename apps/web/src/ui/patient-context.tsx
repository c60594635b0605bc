import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { type BannerPatient, PatientBannerView } from './patient-banner-view';

export type { BannerPatient } from './patient-banner-view';

type PatientContextValue = {
  patient: BannerPatient | null;
  setPatient: (patient: BannerPatient | null) => void;
};

const PatientContext = createContext<PatientContextValue | null>(null);

export function PatientProvider({ children }: { children: ReactNode }) {
  const [patient, setPatient] = useState<BannerPatient | null>(null);
  const value = useMemo(() => ({ patient, setPatient }), [patient]);
  return <PatientContext.Provider value={value}>{children}</PatientContext.Provider>;
}

/** The patient in context: clinical modules set it when a chart is opened and clear it when closed. */
export function usePatientContext(): PatientContextValue {
  const value = useContext(PatientContext);
  if (!value) throw new Error('usePatientContext must be used inside <PatientProvider>');
  return value;
}

/** The patient header slot under the top bar; renders nothing while no patient is in context. */
export function PatientBannerSlot() {
  const { patient, setPatient } = usePatientContext();
  if (!patient) return null;
  return <PatientBannerView patient={patient} onClose={() => setPatient(null)} />;
}
