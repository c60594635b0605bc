import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { ProblemAlert } from './problem-alert';

type Props = {
  open: boolean;
  title: string;
  /** What will happen, shown above the reason. */
  message?: ReactNode;
  label?: string;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: unknown;
  maxLength?: number;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
};

/** Asks for the reason of an action that is recorded with one (a cancellation, an entry in error). */
export function ReasonDialog(props: Props) {
  const titleId = useId();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (props.open) {
      setReason('');
      setTouched(false);
    }
  }, [props.open]);
  const missing = reason.trim() === '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!missing) props.onConfirm(reason.trim());
  };
  return (
    <Dialog open={props.open} onClose={props.onCancel} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{props.title}</DialogTitle>
        <DialogContent>
          {props.message && <DialogContentText sx={{ mb: 2 }}>{props.message}</DialogContentText>}
          <TextField
            label={props.label ?? 'Reason'}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            fullWidth
            multiline
            minRows={2}
            autoFocus
            error={touched && missing}
            helperText={touched && missing ? 'Give a reason' : ' '}
            slotProps={{ htmlInput: { maxLength: props.maxLength ?? 300 } }}
          />
          <ProblemAlert error={props.error} sx={{ mt: 1 }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onCancel}>Back</Button>
          <Button
            type="submit"
            variant="contained"
            color={props.danger ? 'error' : 'primary'}
            disabled={props.busy}
          >
            {props.confirmLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
