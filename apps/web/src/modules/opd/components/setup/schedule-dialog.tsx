import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { type AffectedAppointment, CreateScheduleBody } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../../ui/form-validation';
import { ProblemAlert } from '../../../../ui/problem-alert';
import { useCreateSchedule, useRooms } from '../../hooks/use-opd-setup';
import { weekdayLabels } from '../../opd-labels';

type Props = {
  open: boolean;
  practitionerId: string;
  today: string;
  onClose: () => void;
  onAffected: (affected: AffectedAppointment[]) => void;
};

/** A weekly session of a doctor in a room: times, slot length, patients per slot, walk-in quota. */
export function ScheduleDialog({ open, practitionerId, today, onClose, onAffected }: Props) {
  const titleId = useId();
  const create = useCreateSchedule();
  const rooms = useRooms();
  const blank = {
    weekday: '1',
    roomId: '',
    startTime: '09:00',
    endTime: '13:00',
    slotMinutes: '15',
    patientsPerSlot: '1',
    walkInQuota: '10',
    validFrom: today,
    validTo: '',
  };
  const [values, setValues] = useState(blank);
  const [errors, setErrors] = useState<FieldErrors>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new dialog starts blank
  useEffect(() => {
    if (open) {
      setValues(blank);
      setErrors({});
      create.reset();
    }
  }, [open]);
  const set = (key: keyof typeof blank) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      practitionerId,
      weekday: Number(values.weekday),
      roomId: values.roomId,
      startTime: values.startTime,
      endTime: values.endTime,
      slotMinutes: Number(values.slotMinutes),
      patientsPerSlot: Number(values.patientsPerSlot),
      walkInQuota: Number(values.walkInQuota),
      validFrom: values.validFrom,
      validTo: values.validTo || null,
    };
    const checked = validateForm(CreateScheduleBody, body);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    create.mutate(body, {
      onSuccess: (result) => {
        onClose();
        if (result.affected.length > 0) onAffected(result.affected);
      },
      onError: (err) => setErrors(fieldErrorsFromProblem(err)),
    });
  };
  const field = (key: keyof typeof blank, label: string, type = 'text') => (
    <TextField
      label={label}
      type={type}
      value={values[key]}
      onChange={set(key)}
      required={key !== 'validTo'}
      error={!!errors[key]}
      helperText={errors[key] ?? ' '}
      slotProps={{ inputLabel: type === 'text' ? undefined : { shrink: true } }}
    />
  );

  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <Box component="form" onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>New weekly session</DialogTitle>
        <DialogContent>
          <Stack spacing={1} sx={{ pt: 1 }}>
            <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
              <TextField select label="Weekday" value={values.weekday} onChange={set('weekday')} required>
                {weekdayLabels.slice(1).map((d, i) => (
                  <MenuItem key={d} value={String(i + 1)}>
                    {d}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                select
                label="Room"
                value={values.roomId}
                onChange={set('roomId')}
                required
                error={!!errors.roomId}
                helperText={errors.roomId ?? ' '}
              >
                {(rooms.data ?? [])
                  .filter((r) => r.active)
                  .map((r) => (
                    <MenuItem key={r.id} value={r.id}>
                      {r.name}
                    </MenuItem>
                  ))}
              </TextField>
              {field('startTime', 'Starts', 'time')}
              {field('endTime', 'Ends', 'time')}
              {field('slotMinutes', 'Slot length (minutes)')}
              {field('patientsPerSlot', 'Patients per slot')}
              {field('walkInQuota', 'Walk-in quota')}
              <Box />
              {field('validFrom', 'Valid from', 'date')}
              {field('validTo', 'Valid to (optional)', 'date')}
            </Box>
            <ProblemAlert error={create.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={create.isPending}>
            Add session
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}
