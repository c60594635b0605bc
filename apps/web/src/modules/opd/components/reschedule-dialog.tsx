import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { Appointment, Slot } from '@newhms/contracts';
import { useEffect, useId, useState } from 'react';
import { calendarDateIn, formatCalendarDate, formatTimeIn } from '../../../ui/facility-time';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useRescheduleAppointment } from '../hooks/use-opd-visits';
import { PractitionerPicker } from './practitioner-picker';
import { SlotPicker } from './slot-picker';

type Props = { appointment: Appointment | null; timeZone: string; onClose: () => void };

/** Moves an appointment to another slot (of the same or another doctor); the old capacity is freed. */
export function RescheduleDialog({ appointment, timeZone, onClose }: Props) {
  const titleId = useId();
  const reschedule = useRescheduleAppointment();
  const [practitionerId, setPractitionerId] = useState<string | null>(null);
  const [date, setDate] = useState('');
  const [slot, setSlot] = useState<Slot | null>(null);
  const [reason, setReason] = useState('');
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new appointment starts a clean form
  useEffect(() => {
    if (!appointment) return;
    setPractitionerId(appointment.practitionerId);
    const today = calendarDateIn(timeZone);
    // The later of the two calendar dates: a past appointment is moved from today on.
    setDate([appointment.date, today].sort()[1] ?? today);
    setSlot(null);
    setReason('');
    reschedule.reset();
  }, [appointment?.id]);
  if (!appointment) return null;
  const submit = () => {
    if (!slot) return;
    reschedule.mutate(
      {
        id: appointment.id,
        slotId: slot.id,
        reason: reason.trim() || null,
        version: appointment.status === 'cancelled' ? undefined : appointment.version,
      },
      { onSuccess: onClose },
    );
  };
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="md">
      <DialogTitle id={titleId}>Reschedule appointment</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          {appointment.patient?.displayName} (MRN {appointment.patient?.mrn}), now{' '}
          {formatCalendarDate(appointment.date)} {formatTimeIn(appointment.startsAt, timeZone)} with{' '}
          {appointment.practitionerName}.
        </DialogContentText>
        <Stack spacing={2}>
          <PractitionerPicker
            value={practitionerId}
            onChange={(id) => {
              setPractitionerId(id);
              setSlot(null);
            }}
          />
          <TextField
            label="Date"
            type="date"
            value={date}
            onChange={(e) => {
              setDate(e.target.value);
              setSlot(null);
            }}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: calendarDateIn(timeZone) } }}
            sx={{ maxWidth: 220 }}
          />
          <SlotPicker
            practitionerId={practitionerId}
            date={date}
            timeZone={timeZone}
            value={slot?.id ?? null}
            onChange={setSlot}
            currentSlotId={appointment.status === 'cancelled' ? null : appointment.slotId}
          />
          <TextField
            label="Reason (optional)"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            slotProps={{ htmlInput: { maxLength: 300 } }}
          />
          <ProblemAlert error={reschedule.error} />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Back</Button>
        <Button variant="contained" onClick={submit} disabled={!slot || reschedule.isPending}>
          {slot ? `Move to ${formatTimeIn(slot.startsAt, timeZone)}` : 'Choose a slot'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
