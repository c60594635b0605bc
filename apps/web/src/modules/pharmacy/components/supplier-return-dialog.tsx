import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { SupplierReturn } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { formatCalendarDate } from '../../../ui/facility-time';
import { fieldErrorsFromProblem } from '../../../ui/form-validation';
import { formatRupees } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useReturnToSupplier } from '../hooks/use-pharmacy';
import { parseUnits } from '../units';
import { SupplierSelect } from './supplier-select';

/** The batch to send back, as the stock or expiry page shows it. */
export type ReturnableBatch = {
  batchId: string;
  batchNo: string;
  expiryDate: string;
  /** Units of the batch the store holds. */
  quantity: number;
  itemLabel: string;
};

type Props = { batch: ReturnableBatch | null; storeId: string; storeName: string; onClose: () => void };

/**
 * Sends units of one batch back to a supplier (short expiry, damage, a recall): at most what the store holds,
 * with a reason; the return note's number and value at cost are shown when it is made.
 */
export function SupplierReturnDialog({ batch, storeId, storeName, onClose }: Props) {
  const titleId = useId();
  const send = useReturnToSupplier();
  const [supplierId, setSupplierId] = useState('');
  const [units, setUnits] = useState('');
  const [reason, setReason] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [note, setNote] = useState<SupplierReturn | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    if (batch) {
      setUnits(String(batch.quantity));
      setReason('');
      setSubmitted(false);
      setNote(null);
      send.reset();
    }
  }, [batch]);

  const n = parseUnits(units);
  const unitsError =
    n === null ? 'Whole units, at least 1' : batch && n > batch.quantity ? `At most ${batch.quantity}` : null;
  const serverErrors = fieldErrorsFromProblem(send.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!batch || !supplierId || unitsError || n === null || reason.trim() === '') return;
    send.mutate(
      { storeId, supplierId, reason: reason.trim(), lines: [{ batchId: batch.batchId, quantity: n }] },
      { onSuccess: setNote },
    );
  };

  return (
    <Dialog open={!!batch} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Return to supplier</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {batch &&
              `${batch.itemLabel}, batch ${batch.batchNo} (expiry ${formatCalendarDate(batch.expiryDate)}): ${batch.quantity} unit${batch.quantity === 1 ? '' : 's'} in ${storeName}.`}
          </DialogContentText>
          {note ? (
            <Alert severity="success" data-testid="supplier-return-note">
              {`Return note ${note.number} to ${note.supplierName}: ${note.lines.reduce((s, l) => s + l.quantity, 0)} units, ${formatRupees(note.totalCost)} at cost.`}
            </Alert>
          ) : (
            <Stack spacing={2}>
              <SupplierSelect
                value={supplierId}
                onChange={setSupplierId}
                required
                fullWidth
                error={submitted && !supplierId ? 'Choose the supplier' : undefined}
              />
              <TextField
                label="Units to return"
                value={units}
                onChange={(e) => setUnits(e.target.value)}
                required
                error={(submitted && !!unitsError) || !!serverErrors['lines.0.quantity']}
                helperText={
                  (submitted && unitsError) ||
                  serverErrors['lines.0.quantity'] ||
                  (batch ? `The store holds ${batch.quantity}` : ' ')
                }
                slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'off' } }}
              />
              <TextField
                label="Reason"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                required
                multiline
                minRows={2}
                placeholder="Short expiry, damaged in transit, recall…"
                error={submitted && reason.trim() === ''}
                helperText={submitted && reason.trim() === '' ? 'Say why it goes back' : ' '}
                slotProps={{ htmlInput: { maxLength: 300 } }}
              />
              <ProblemAlert error={send.error} />
            </Stack>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{note ? 'Close' : 'Cancel'}</Button>
          {!note && (
            <Button type="submit" variant="contained" disabled={send.isPending}>
              Return
            </Button>
          )}
        </DialogActions>
      </form>
    </Dialog>
  );
}
