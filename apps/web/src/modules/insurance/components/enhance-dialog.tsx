import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { formatRupees, parseRupees } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { MoneyField } from './money-field';

export type Enhancement = { requestedAmount: number; estimate?: number; note: string };

type Props = {
  open: boolean;
  approved: number;
  busy?: boolean;
  error?: unknown;
  onConfirm: (enhancement: Enhancement) => void;
  onCancel: () => void;
};

/** Asks the payer for more than was approved: the new total, a revised estimate, and why. */
export function EnhanceDialog(props: Props) {
  const titleId = useId();
  const [requested, setRequested] = useState('');
  const [estimate, setEstimate] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!props.open) return;
    setRequested('');
    setEstimate('');
    setNote('');
    setErrors({});
  }, [props.open]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    const paise = parseRupees(requested);
    if (paise === null || paise <= props.approved) {
      next.requested = `A new total above the ${formatRupees(props.approved)} approved`;
    }
    const est = estimate.trim() === '' ? undefined : parseRupees(estimate);
    if (est === null) next.estimate = 'Rupees, two decimals at most';
    if (note.trim() === '') next.note = 'Say why more is needed';
    setErrors(next);
    if (Object.keys(next).length > 0 || paise === null || est === null) return;
    props.onConfirm({
      requestedAmount: paise,
      ...(est !== undefined ? { estimate: est } : {}),
      note: note.trim(),
    });
  };
  return (
    <Dialog open={props.open} onClose={props.onCancel} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Request an enhancement</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {formatRupees(props.approved)} is approved and stays approved while the payer decides.
          </DialogContentText>
          <Stack spacing={1}>
            <MoneyField
              label="New total requested"
              value={requested}
              onChange={setRequested}
              error={errors.requested}
              required
              autoFocus
            />
            <MoneyField
              label="Revised estimate"
              value={estimate}
              onChange={setEstimate}
              error={errors.estimate}
              helperText="Optional"
            />
            <TextField
              label="Reason"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              required
              multiline
              minRows={2}
              error={!!errors.note}
              helperText={errors.note ?? 'e.g. stay extended, surgery added'}
              slotProps={{ htmlInput: { maxLength: 2000 } }}
            />
            <ProblemAlert error={props.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onCancel}>Back</Button>
          <Button type="submit" variant="contained" disabled={props.busy}>
            Request enhancement
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
