import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { AdmissionRequest } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { localInputToIso } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useReserveBed } from '../hooks/use-ipd';
import { BedPicker } from './bed-picker';

/** A `datetime-local` value some hours from now (the browser's zone, which the input uses). */
function localInputIn(hours: number): string {
  const d = new Date(Date.now() + hours * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Holds a bed for a waiting request until a time (a planned admission, a patient waiting in emergency). */
export function ReserveDialog({
  request,
  onClose,
}: {
  request: AdmissionRequest | null;
  onClose: () => void;
}) {
  const titleId = useId();
  const reserve = useReserveBed();
  const [bedId, setBedId] = useState('');
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new request resets the form
  useEffect(() => {
    if (!request) return;
    setBedId('');
    setUntil(localInputIn(4));
    setReason('');
    setMissing(false);
    reserve.reset();
  }, [request]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const untilAt = localInputToIso(until);
    if (!request || !bedId || !untilAt) {
      setMissing(true);
      return;
    }
    reserve.mutate(
      { bedId, requestId: request.id, untilAt, reason: reason.trim() || null },
      { onSuccess: onClose },
    );
  };

  return (
    <Dialog open={!!request} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Reserve a bed</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            For {request?.patient?.displayName ?? 'the patient'}
            {request?.patient ? ` (MRN ${request.patient.mrn})` : ''}: nobody else can take the bed until
            then.
          </DialogContentText>
          <Stack spacing={2}>
            <BedPicker
              value={bedId}
              onChange={setBedId}
              error={missing && !bedId ? 'Choose a bed' : undefined}
            />
            <TextField
              label="Reserved until"
              type="datetime-local"
              required
              value={until}
              onChange={(e) => setUntil(e.target.value)}
              error={missing && !localInputToIso(until)}
              slotProps={{ inputLabel: { shrink: true } }}
            />
            <TextField
              label="Note"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              slotProps={{ htmlInput: { maxLength: 300 } }}
            />
            <ProblemAlert error={reserve.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={reserve.isPending}>
            Reserve
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
