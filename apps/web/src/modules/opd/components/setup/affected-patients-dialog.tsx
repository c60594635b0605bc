import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import type { AffectedAppointment } from '@newhms/contracts';
import { useId } from 'react';
import { Link as RouterLink } from 'react-router';
import { type Column, DataTable } from '../../../../ui/data-table';
import { formatDateTime } from '../../../../ui/format';
import { usePractitioners } from '../../hooks/use-opd-setup';

type Props = { affected: AffectedAppointment[] | null; onClose: () => void };

/** Booked patients whose session a change cancelled: the desk calls them to rebook. */
export function AffectedPatientsDialog({ affected, onClose }: Props) {
  const titleId = useId();
  const practitioners = usePractitioners({ includeInactive: true });
  if (!affected || affected.length === 0) return null;
  const doctor = (id: string) => practitioners.data?.find((p) => p.id === id)?.displayName ?? '';
  const columns: Column<AffectedAppointment>[] = [
    { id: 'when', header: 'Was booked for', render: (a) => formatDateTime(a.startsAt) },
    { id: 'patient', header: 'Patient', render: (a) => `${a.patient.displayName} (MRN ${a.patient.mrn})` },
    { id: 'phone', header: 'Phone', render: (a) => a.patient.phoneEnding ?? '—' },
    { id: 'doctor', header: 'Doctor', render: (a) => doctor(a.practitionerId) },
  ];
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="md">
      <DialogTitle id={titleId}>Patients to rebook ({affected.length})</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          Their appointments were cancelled with the session. They are on the front desk's list of patients to
          rebook, and the notification service is told.
        </Alert>
        <DataTable
          label="Affected patients"
          columns={columns}
          rows={affected}
          rowKey={(a) => a.appointmentId}
        />
      </DialogContent>
      <DialogActions>
        <Button component={RouterLink} to="/opd/appointments">
          Open appointments
        </Button>
        <Button variant="contained" onClick={onClose}>
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
