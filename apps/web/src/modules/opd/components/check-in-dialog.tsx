import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import type { Appointment, PriorityKind, QueueToken } from '@newhms/contracts';
import { useEffect, useId, useState } from 'react';
import { formatTimeIn } from '../../../ui/facility-time';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useArriveAppointment } from '../hooks/use-opd-visits';
import { PrioritiesField } from './priorities-field';

type Props = {
  appointment: Appointment | null;
  timeZone: string;
  onClose: () => void;
  onCheckedIn: (token: QueueToken) => void;
};

/** Checks in a booked patient who has come: a token in the doctor's queue, with any priority declared. */
export function CheckInDialog({ appointment, timeZone, onClose, onCheckedIn }: Props) {
  const titleId = useId();
  const arrive = useArriveAppointment();
  const [priorities, setPriorities] = useState<PriorityKind[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new appointment starts a clean form
  useEffect(() => {
    setPriorities([]);
    arrive.reset();
  }, [appointment?.id]);
  if (!appointment) return null;
  const submit = () =>
    arrive.mutate(
      { id: appointment.id, priorities, version: appointment.version },
      { onSuccess: (result) => onCheckedIn(result.token) },
    );
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>Check in</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          {appointment.patient?.displayName ?? 'The patient'} (MRN {appointment.patient?.mrn}) for{' '}
          {appointment.practitionerName} at {formatTimeIn(appointment.startsAt, timeZone)}.
        </DialogContentText>
        <PrioritiesField value={priorities} onChange={setPriorities} />
        <ProblemAlert error={arrive.error} sx={{ mt: 2 }} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Back</Button>
        <Button variant="contained" onClick={submit} disabled={arrive.isPending}>
          Check in and issue token
        </Button>
      </DialogActions>
    </Dialog>
  );
}
