import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { Link as RouterLink } from 'react-router';
import { PatientBanner, usePatient } from '../../patients';
import { PatientRecordPanel } from './patient-record-panel';

type Props = { patientId: string | null; onClose: () => void };

/** The patient at a glance (banner with allergies, problems, past visits, vitals) without opening a visit. */
export function PatientSummaryDialog({ patientId, onClose }: Props) {
  const titleId = useId();
  const patient = usePatient(patientId);
  if (!patientId) return null;
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="md">
      <DialogTitle id={titleId}>
        Patient summary{patient.data ? `: ${patient.data.displayName}` : ''}
      </DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          {patient.data ? (
            <PatientBanner patient={patient.data} />
          ) : (
            <Typography color="text.secondary">Loading…</Typography>
          )}
          <PatientRecordPanel patientId={patientId} headingLevel="h3" />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button component={RouterLink} to={`/patients/${patientId}`}>
          Open patient record
        </Button>
        <Button variant="contained" onClick={onClose}>
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
