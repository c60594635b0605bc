import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { type AffectedAppointment, CreateExceptionBody, exceptionKinds } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../../ui/form-validation';
import { ProblemAlert } from '../../../../ui/problem-alert';
import { useCreateException, useRooms } from '../../hooks/use-opd-setup';
import { exceptionKindLabels } from '../../opd-labels';

type Kind = (typeof exceptionKinds)[number];

type Props = {
  open: boolean;
  /** The doctor chosen on the page; a holiday without one closes the whole facility. */
  practitionerId: string | null;
  today: string;
  onClose: () => void;
  onAffected: (affected: AffectedAppointment[]) => void;
};

/** Leave, a holiday, or an extra session; leave and holidays cancel booked sessions (listed after). */
export function ExceptionDialog({ open, practitionerId, today, onClose, onAffected }: Props) {
  const titleId = useId();
  const create = useCreateException();
  const rooms = useRooms();
  const blank = {
    kind: (practitionerId ? 'leave' : 'holiday') as Kind,
    dateFrom: today,
    dateTo: today,
    reason: '',
    roomId: '',
    startTime: '14:00',
    endTime: '17:00',
    slotMinutes: '15',
    patientsPerSlot: '1',
    walkInQuota: '10',
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

  const body = () => {
    if (values.kind === 'extra-session') {
      return {
        kind: 'extra-session' as const,
        practitionerId: practitionerId ?? '',
        date: values.dateFrom,
        reason: values.reason,
        roomId: values.roomId,
        startTime: values.startTime,
        endTime: values.endTime,
        slotMinutes: Number(values.slotMinutes),
        patientsPerSlot: Number(values.patientsPerSlot),
        walkInQuota: Number(values.walkInQuota),
      };
    }
    return {
      kind: values.kind,
      practitionerId: practitionerId ?? (values.kind === 'holiday' ? null : ''),
      dateFrom: values.dateFrom,
      dateTo: values.dateTo,
      reason: values.reason,
    };
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const input = body();
    const checked = validateForm(CreateExceptionBody, input);
    if (!checked.ok) {
      setErrors({ ...checked.errors, ...(checked.errors.date ? { dateFrom: checked.errors.date } : {}) });
      return;
    }
    create.mutate(input as CreateExceptionBody, {
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
      required
      error={!!errors[key]}
      helperText={errors[key] ?? ' '}
      slotProps={{ inputLabel: type === 'text' ? undefined : { shrink: true } }}
    />
  );
  const extra = values.kind === 'extra-session';

  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <Box component="form" onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Leave, holiday or extra session</DialogTitle>
        <DialogContent>
          <Stack spacing={1} sx={{ pt: 1 }}>
            <TextField select label="Kind" value={values.kind} onChange={set('kind')} required helperText=" ">
              {exceptionKinds
                .filter((k) => practitionerId || k === 'holiday')
                .map((k) => (
                  <MenuItem key={k} value={k}>
                    {exceptionKindLabels[k]}
                    {k === 'holiday' && !practitionerId ? ' (whole facility)' : ''}
                  </MenuItem>
                ))}
            </TextField>
            <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
              {field('dateFrom', extra ? 'Date' : 'From', 'date')}
              {!extra && field('dateTo', 'To', 'date')}
              {extra && (
                <TextField
                  select
                  label="Room"
                  value={values.roomId}
                  onChange={set('roomId')}
                  required
                  error={!!errors.roomId}
                  helperText={errors.roomId ?? ' '}
                >
                  {(rooms.data ?? []).map((r) => (
                    <MenuItem key={r.id} value={r.id}>
                      {r.name}
                    </MenuItem>
                  ))}
                </TextField>
              )}
              {extra && field('startTime', 'Starts', 'time')}
              {extra && field('endTime', 'Ends', 'time')}
              {extra && field('slotMinutes', 'Slot length (minutes)')}
              {extra && field('patientsPerSlot', 'Patients per slot')}
              {extra && field('walkInQuota', 'Walk-in quota')}
            </Box>
            {field('reason', 'Reason')}
            <ProblemAlert error={create.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={create.isPending}>
            Save
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}
