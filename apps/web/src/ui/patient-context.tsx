import CloseIcon from '@mui/icons-material/Close';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import Typography from '@mui/material/Typography';
import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';

/** What the banner needs to identify a patient beyond doubt (two identifiers: name and MRN). */
export type PatientSummary = {
  id: string;
  mrn: string;
  name: string;
  sex?: string;
  birthDate?: string;
  allergies?: string[];
};

type PatientContextValue = {
  patient: PatientSummary | null;
  setPatient: (patient: PatientSummary | null) => void;
};

const PatientContext = createContext<PatientContextValue | null>(null);

export function PatientProvider({ children }: { children: ReactNode }) {
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const value = useMemo(() => ({ patient, setPatient }), [patient]);
  return <PatientContext.Provider value={value}>{children}</PatientContext.Provider>;
}

/** The patient in context: clinical modules set it when a chart is opened and clear it when closed. */
export function usePatientContext(): PatientContextValue {
  const value = useContext(PatientContext);
  if (!value) throw new Error('usePatientContext must be used inside <PatientProvider>');
  return value;
}

function ageFrom(birthDate: string, now = new Date()): number | null {
  const born = new Date(birthDate);
  if (Number.isNaN(born.getTime())) return null;
  let age = now.getFullYear() - born.getFullYear();
  const m = now.getMonth() - born.getMonth();
  if (m < 0 || (m === 0 && now.getDate() < born.getDate())) age--;
  return age;
}

/** The patient header slot under the top bar; renders nothing while no patient is in context. */
export function PatientBanner() {
  const { patient, setPatient } = usePatientContext();
  if (!patient) return null;
  const age = patient.birthDate ? ageFrom(patient.birthDate) : null;
  const allergies = patient.allergies ?? [];
  return (
    <Box
      component="section"
      aria-label="Patient in context"
      sx={{
        display: 'flex',
        alignItems: 'center',
        flexWrap: 'wrap',
        gap: 2,
        px: 2,
        py: 1,
        bgcolor: 'grey.100',
        borderBottom: 1,
        borderColor: 'divider',
      }}
    >
      <Typography component="p" sx={{ fontWeight: 600 }}>
        {patient.name}
      </Typography>
      <Typography component="p">MRN {patient.mrn}</Typography>
      {(age !== null || patient.sex) && (
        <Typography component="p">
          {[age !== null ? `${age} y` : null, patient.sex].filter(Boolean).join(' / ')}
        </Typography>
      )}
      {allergies.length > 0 ? (
        <Chip color="error" label={`Allergies: ${allergies.join(', ')}`} />
      ) : (
        <Chip variant="outlined" label="No known allergies recorded" />
      )}
      <Box sx={{ flexGrow: 1 }} />
      <IconButton aria-label="Close patient" onClick={() => setPatient(null)}>
        <CloseIcon />
      </IconButton>
    </Box>
  );
}
