import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { AdmissionDetail } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ApiError } from '../../../app/api-client';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { ProblemAlert } from '../../../ui/problem-alert';
import { isStale, useTransferPatient } from '../hooks/use-ipd';
import { BedPicker } from './bed-picker';

/** Moves the patient to another bed, ward or the ICU, with a reason: a new occupancy period starts. */
export function TransferDialog({
  admission,
  open,
  onClose,
  onReload,
}: {
  admission: AdmissionDetail;
  open: boolean;
  onClose: () => void;
  onReload: () => void;
}) {
  const titleId = useId();
  const transfer = useTransferPatient();
  const [bedId, setBedId] = useState('');
  const [reason, setReason] = useState('');
  const [override, setOverride] = useState('');
  const [touched, setTouched] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new opening resets the form
  useEffect(() => {
    if (!open) return;
    setBedId('');
    setReason('');
    setOverride('');
    setTouched(false);
    transfer.reset();
  }, [open]);
  const restricted = transfer.error instanceof ApiError && transfer.error.code === 'IPD_WARD_RESTRICTION';
  const stale = isStale(transfer.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!bedId || !reason.trim()) return;
    transfer.mutate(
      {
        id: admission.id,
        bedId,
        reason: reason.trim(),
        version: admission.version,
        restrictionOverride: restricted && override.trim() ? { reason: override.trim() } : null,
      },
      { onSuccess: onClose },
    );
  };

  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Transfer to another bed</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            Now in {admission.bed ? `${admission.bed.wardName}, bed ${admission.bed.bedCode}` : 'no bed'}. The
            bed left goes to housekeeping for cleaning.
          </DialogContentText>
          <Stack spacing={2}>
            <BedPicker
              label="New bed"
              value={bedId}
              onChange={setBedId}
              exclude={admission.bed?.bedId}
              error={touched && !bedId ? 'Choose a bed' : undefined}
            />
            <TextField
              label="Reason for the transfer"
              required
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              error={touched && !reason.trim()}
              helperText={touched && !reason.trim() ? 'Give a reason' : ' '}
              slotProps={{ htmlInput: { maxLength: 300 } }}
            />
            {restricted && (
              <TextField
                label="Reason to override the ward's limits"
                required
                value={override}
                onChange={(e) => setOverride(e.target.value)}
                slotProps={{ htmlInput: { maxLength: 300 } }}
              />
            )}
            {stale ? (
              <ConflictAlert
                onReload={() => {
                  transfer.reset();
                  onReload();
                }}
              />
            ) : (
              <ProblemAlert error={transfer.error} />
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={transfer.isPending}>
            Transfer
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
