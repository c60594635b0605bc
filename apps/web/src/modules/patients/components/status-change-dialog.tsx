import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { type FormEvent, useEffect, useState } from 'react';
import { isConflict } from '../../../ui/conflict';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { ProblemAlert } from '../../../ui/problem-alert';

type Props<S extends string> = {
  open: boolean;
  title: string;
  statuses: Record<S, string>;
  current: S;
  busy: boolean;
  error: unknown;
  onConfirm: (status: S, reason: string) => void;
  onCancel: () => void;
  onReload: () => void;
};

/** Changes the status of an allergy or an alert; clinical records change with a reason, never silently. */
export function StatusChangeDialog<S extends string>(props: Props<S>) {
  const [status, setStatus] = useState<S>(props.current);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  useEffect(() => {
    if (props.open) {
      setStatus(props.current);
      setReason('');
      setReasonError(null);
    }
  }, [props.open, props.current]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return setReasonError('Say why, e.g. "tolerated amoxicillin on 3 May"');
    props.onConfirm(status, reason.trim());
  };
  return (
    <Dialog
      open={props.open}
      onClose={props.onCancel}
      aria-labelledby="status-change-title"
      fullWidth
      maxWidth="xs"
    >
      <form noValidate onSubmit={submit}>
        <DialogTitle id="status-change-title">{props.title}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {isConflict(props.error) ? (
              <ConflictAlert onReload={props.onReload} />
            ) : (
              <ProblemAlert error={props.error} />
            )}
            <TextField
              select
              label="New status"
              value={status}
              onChange={(e) => setStatus(e.target.value as S)}
            >
              {(Object.entries(props.statuses) as [S, string][]).map(([value, label]) => (
                <MenuItem key={value} value={value}>
                  {label}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label="Reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              error={!!reasonError}
              helperText={reasonError}
              required
              multiline
              minRows={2}
              slotProps={{ htmlInput: { maxLength: 300 } }}
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onCancel}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={props.busy || status === props.current}>
            Change status
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
