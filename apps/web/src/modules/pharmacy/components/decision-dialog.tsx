import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import type { StockAdjustment } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { blankToNull } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useDecideAdjustment } from '../hooks/use-pharmacy';
import { adjustmentKindLabels, signedUnits } from '../pharmacy-labels';

type Props = {
  adjustment: StockAdjustment | null;
  decision: 'approved' | 'rejected';
  onClose: () => void;
};

const titles = {
  PHARMACY_SELF_APPROVAL: 'You cannot decide your own request',
  PHARMACY_INSUFFICIENT_STOCK: 'The stock would go below zero',
};

/** Approves (the stock moves now) or rejects another person's adjustment, with an optional note. */
export function DecisionDialog({ adjustment, decision, onClose }: Props) {
  const titleId = useId();
  const decide = useDecideAdjustment();
  const [note, setNote] = useState('');
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    if (adjustment) {
      setNote('');
      decide.reset();
    }
  }, [adjustment, decision]);
  const approving = decision === 'approved';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!adjustment) return;
    decide.mutate(
      { id: adjustment.id, decision, note: blankToNull(note), version: adjustment.version },
      { onSuccess: onClose },
    );
  };
  return (
    <Dialog open={!!adjustment} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>
          {approving ? 'Approve the adjustment' : 'Reject the adjustment'}
        </DialogTitle>
        <DialogContent>
          {adjustment && (
            <DialogContentText sx={{ mb: 2 }}>
              {`${adjustmentKindLabels[adjustment.kind]} of ${signedUnits(adjustment.quantity)} unit(s) of ${adjustment.genericName}, batch ${adjustment.batchNo}, in ${adjustment.storeName}: ${adjustment.reason} (asked by ${adjustment.requestedByName}).`}
              {approving ? ' The stock moves when you approve.' : ''}
            </DialogContentText>
          )}
          <TextField
            label="Note"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            fullWidth
            multiline
            minRows={2}
            autoFocus
            helperText="Optional"
            slotProps={{ htmlInput: { maxLength: 300 } }}
          />
          <ProblemAlert error={decide.error} titles={titles} sx={{ mt: 1 }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Back</Button>
          <Button
            type="submit"
            variant="contained"
            color={approving ? 'primary' : 'error'}
            disabled={decide.isPending}
          >
            {approving ? 'Approve' : 'Reject'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
