import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { PAYMENT_MODES, type PaymentMode } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { formatRupees, parseRupees, rupeesInput } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { paymentModeLabels } from '../billing-labels';
import { type PaymentSummary, useRequestRefund } from '../hooks/use-billing';
import { MoneyField } from './money-field';

type Props = { payment: PaymentSummary | null; onClose: () => void };

/** Requests a refund of what a payment still holds; an approver decides before the cashier pays it out. */
export function RefundDialog({ payment, onClose }: Props) {
  const titleId = useId();
  const request = useRequestRefund();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [mode, setMode] = useState<PaymentMode>('cash');
  const [submitted, setSubmitted] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    if (payment) {
      setAmount(rupeesInput(payment.available));
      setReason('');
      setMode(payment.mode);
      setSubmitted(false);
      request.reset();
    }
  }, [payment]);
  const paise = parseRupees(amount);
  const tooMuch = payment !== null && paise !== null && paise > payment.available;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!payment || paise === null || paise <= 0 || tooMuch || reason.trim() === '') return;
    request.mutate(
      { paymentId: payment.id, amount: paise, reason: reason.trim(), mode },
      { onSuccess: onClose },
    );
  };
  return (
    <Dialog open={!!payment} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Request a refund</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            Receipt {payment?.receiptNumber}: {formatRupees(payment?.available)} can still be refunded. An
            approver decides, then the cashier pays it out.
          </DialogContentText>
          <Stack spacing={2}>
            <MoneyField
              label="Amount to refund"
              value={amount}
              onChange={setAmount}
              required
              showErrors={submitted}
              error={tooMuch ? `At most ${formatRupees(payment?.available)}` : undefined}
            />
            <TextField
              select
              label="Refund by"
              value={mode}
              onChange={(e) => setMode(e.target.value as PaymentMode)}
            >
              {PAYMENT_MODES.map((m) => (
                <MenuItem key={m} value={m}>
                  {paymentModeLabels[m]}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label="Reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              multiline
              minRows={2}
              error={submitted && reason.trim() === ''}
              helperText={submitted && reason.trim() === '' ? 'Give a reason' : ' '}
              slotProps={{ htmlInput: { maxLength: 500 } }}
            />
            <ProblemAlert error={request.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={request.isPending}>
            Request refund
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
