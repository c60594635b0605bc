import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { type FormEvent, useState } from 'react';
import { ProblemAlert } from '../../../ui/problem-alert';
import type { Candidate } from '../hooks/use-patients';
import { CandidateList } from './duplicate-candidates';

type Props = {
  candidates: Candidate[] | null;
  busy: boolean;
  error: unknown;
  onRegisterAnyway: (reason: string) => void;
  onCancel: () => void;
};

/** The server found records that may be this person: open one of them, or register anyway with a reason. */
export function DuplicateDialog({ candidates, busy, error, onRegisterAnyway, onCancel }: Props) {
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return setReasonError('Say why this is a different person, e.g. "twin brother"');
    setReasonError(null);
    onRegisterAnyway(reason.trim());
  };
  return (
    <Dialog
      open={candidates !== null}
      onClose={onCancel}
      aria-labelledby="duplicate-dialog-title"
      fullWidth
      maxWidth="md"
    >
      <form noValidate onSubmit={submit}>
        <DialogTitle id="duplicate-dialog-title">This patient may already be registered</DialogTitle>
        <DialogContent>
          <Alert severity="warning" sx={{ mb: 2 }}>
            Open the existing record if it is the same person. A second record splits their history.
          </Alert>
          <CandidateList candidates={candidates ?? []} label="Existing records" />
          <ProblemAlert error={error} sx={{ mt: 2 }} />
          <TextField
            label="Reason to register anyway"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={!!reasonError}
            helperText={reasonError ?? 'Kept with the new record; the pair goes to the duplicate worklist'}
            fullWidth
            multiline
            minRows={2}
            sx={{ mt: 2 }}
            slotProps={{ htmlInput: { maxLength: 300 } }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onCancel}>Back to the form</Button>
          <Button type="submit" variant="contained" color="warning" disabled={busy}>
            {busy ? 'Registering…' : 'Register anyway'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
