import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { formatRupees, parseRupees, rupeesInput } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { MoneyField } from './money-field';

export type Approval = { approvedAmount: number; payerReference: string | null; note: string | null };

type Props = {
  open: boolean;
  title: string;
  /** What was asked of the payer: all of it is "approved", less is "partially approved". */
  asked: number;
  askedLabel: string;
  /** An enhancement's approval gives the new total, never less than what was approved before. */
  atLeast?: number;
  payerReference?: string | null;
  busy?: boolean;
  error?: unknown;
  onConfirm: (approval: Approval) => void;
  onCancel: () => void;
};

/** Records what the payer approved: the amount (all or part), the payer's reference and a note. */
export function ApproveDialog(props: Props) {
  const titleId = useId();
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const [amountError, setAmountError] = useState<string>();
  useEffect(() => {
    if (!props.open) return;
    setAmount(rupeesInput(props.asked));
    setReference(props.payerReference ?? '');
    setNote('');
    setAmountError(undefined);
  }, [props.open, props.asked, props.payerReference]);

  const paise = parseRupees(amount);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (paise === null || paise <= 0) return setAmountError('Enter the approved amount in rupees');
    if (paise > props.asked) return setAmountError(`At most ${formatRupees(props.asked)}`);
    if (props.atLeast !== undefined && paise < props.atLeast) {
      return setAmountError(`At least the ${formatRupees(props.atLeast)} approved before`);
    }
    setAmountError(undefined);
    props.onConfirm({
      approvedAmount: paise,
      payerReference: reference.trim() || null,
      note: note.trim() || null,
    });
  };
  const partial = paise !== null && paise > 0 && paise < props.asked;
  return (
    <Dialog open={props.open} onClose={props.onCancel} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{props.title}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {props.askedLabel}: {formatRupees(props.asked)}.{' '}
            {partial
              ? `Approving ${formatRupees(paise)} records a partial approval.`
              : 'The full amount records an approval; less records a partial approval.'}
          </DialogContentText>
          <Stack spacing={1}>
            <MoneyField
              label="Approved amount"
              value={amount}
              onChange={setAmount}
              error={amountError}
              required
              autoFocus
            />
            <TextField
              label="Payer reference"
              value={reference}
              onChange={(e) => setReference(e.target.value)}
              helperText="The payer's approval or authorization number"
              slotProps={{ htmlInput: { maxLength: 60 } }}
            />
            <TextField
              label="Note"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              multiline
              minRows={2}
              slotProps={{ htmlInput: { maxLength: 2000 } }}
            />
            <ProblemAlert error={props.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onCancel}>Back</Button>
          <Button type="submit" variant="contained" disabled={props.busy}>
            {partial ? 'Record partial approval' : 'Record approval'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
