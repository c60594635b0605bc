import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { QueueToken } from '@newhms/contracts';
import { useEffect, useId, useState } from 'react';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useTransferToken } from '../hooks/use-opd-visits';
import { PractitionerPicker } from './practitioner-picker';

type Props = { token: QueueToken | null; onClose: () => void; onTransferred?: (to: QueueToken) => void };

/** Sends a patient to another doctor's queue today; they keep their place in the order. */
export function TransferDialog({ token, onClose, onTransferred }: Props) {
  const titleId = useId();
  const transfer = useTransferToken();
  const [to, setTo] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new token starts a clean form
  useEffect(() => {
    setTo(null);
    setReason('');
    setTouched(false);
    transfer.reset();
  }, [token?.id]);
  if (!token) return null;
  const submit = () => {
    setTouched(true);
    if (!to || !reason.trim()) return;
    transfer.mutate(
      { id: token.id, toPractitionerId: to, reason: reason.trim(), version: token.version },
      {
        onSuccess: (result) => {
          onTransferred?.(result.to);
          onClose();
        },
      },
    );
  };
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>Transfer to another doctor</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          Token {token.label}
          {token.patient ? `, ${token.patient.displayName}` : ''}: from {token.practitionerName}'s queue.
        </DialogContentText>
        <Stack spacing={2}>
          <PractitionerPicker
            label="Transfer to"
            value={to}
            onChange={(id) => setTo(id)}
            exclude={token.practitionerId}
          />
          <TextField
            label="Reason"
            required
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={touched && !reason.trim()}
            helperText={touched && !reason.trim() ? 'Give a reason' : ' '}
            slotProps={{ htmlInput: { maxLength: 300 } }}
          />
          <ProblemAlert error={transfer.error} />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Back</Button>
        <Button variant="contained" onClick={submit} disabled={transfer.isPending || !to}>
          Transfer
        </Button>
      </DialogActions>
    </Dialog>
  );
}
