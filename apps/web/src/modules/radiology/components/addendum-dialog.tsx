import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { fieldErrorsFromProblem } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useAddAddendum } from '../hooks/use-radiology';

/** Adds an addendum to a signed report, with its reason (append-only; the report becomes amended). */
export function AddendumDialog({ reportId, onClose }: { reportId: string | null; onClose: () => void }) {
  const titleId = useId();
  const add = useAddAddendum();
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    setText('');
    setReason('');
    setTried(false);
    add.reset();
  }, [reportId]);
  const errors = fieldErrorsFromProblem(add.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!reportId || !text.trim() || !reason.trim()) return;
    add.mutate({ id: reportId, text: text.trim(), reason: reason.trim() }, { onSuccess: onClose });
  };
  return (
    <Dialog open={!!reportId} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Add addendum</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ mt: 1 }}>
            <TextField
              label="Addendum"
              value={text}
              onChange={(e) => setText(e.target.value)}
              required
              multiline
              minRows={4}
              autoFocus
              error={(tried && !text.trim()) || !!errors.text}
              helperText={errors.text ?? (tried && !text.trim() ? 'Write the addendum' : ' ')}
              slotProps={{ htmlInput: { maxLength: 10_000 } }}
            />
            <TextField
              label="Reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              error={(tried && !reason.trim()) || !!errors.reason}
              helperText={
                errors.reason ??
                (tried && !reason.trim()
                  ? 'Give the reason'
                  : 'e.g. comparison with outside films, clinical query')
              }
              slotProps={{ htmlInput: { maxLength: 500 } }}
            />
            <ProblemAlert error={add.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Back</Button>
          <Button type="submit" variant="contained" disabled={add.isPending}>
            Add addendum
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
