import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { useEffect, useId, useState } from 'react';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useDecideDiscount, useDecideRefund } from '../hooks/use-billing';

/** Friendlier titles for the refusals an approver meets. */
export const decisionTitles: Record<string, string> = {
  BILLING_DISCOUNT_OWN_REQUEST: 'You cannot approve your own request',
  BILLING_OWN_REFUND: 'You cannot approve your own request',
  BILLING_DISCOUNT_NOT_PENDING: 'Already decided',
  STALE_VERSION: 'Changed by someone else: reload',
};

type Props = {
  open: boolean;
  kind: 'discount' | 'refund';
  id: string;
  version: number;
  /** What is being decided, in a line: "10% · Senior citizen". */
  subject: string;
  onClose: () => void;
};

/** Approves or rejects a pending discount or refund with a note (required to reject). */
export function DecisionDialog({ open, kind, id, version, subject, onClose }: Props) {
  const titleId = useId();
  const [note, setNote] = useState('');
  const [rejectTried, setRejectTried] = useState(false);
  const discount = useDecideDiscount();
  const refund = useDecideRefund();
  const mutation = kind === 'discount' ? discount : refund;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    if (open) {
      setNote('');
      setRejectTried(false);
      discount.reset();
      refund.reset();
    }
  }, [open]);
  const decide = (action: 'approve' | 'reject') => {
    if (action === 'reject' && note.trim() === '') {
      setRejectTried(true);
      return;
    }
    mutation.mutate(
      { id, action, version, ...(note.trim() ? { note: note.trim() } : {}) },
      { onSuccess: onClose },
    );
  };
  const noun = kind === 'discount' ? 'discount' : 'refund';
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>Decide the {noun}</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>{subject}</DialogContentText>
        <TextField
          label="Note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          fullWidth
          multiline
          minRows={2}
          autoFocus
          error={rejectTried && note.trim() === ''}
          helperText={rejectTried && note.trim() === '' ? 'Say why it is rejected' : 'Required to reject'}
          slotProps={{ htmlInput: { maxLength: 300 } }}
        />
        <ProblemAlert error={mutation.error} titles={decisionTitles} sx={{ mt: 2 }} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Back</Button>
        <Button
          color="error"
          variant="outlined"
          onClick={() => decide('reject')}
          disabled={mutation.isPending}
        >
          Reject
        </Button>
        <Button variant="contained" onClick={() => decide('approve')} disabled={mutation.isPending}>
          Approve
        </Button>
      </DialogActions>
    </Dialog>
  );
}
