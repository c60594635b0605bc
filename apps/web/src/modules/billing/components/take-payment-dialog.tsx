import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { PAYMENT_MODES, type Payment, type PaymentMode } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { formatRupees, parseRupees, rupeesInput } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { paymentModeLabels, referenceLabels } from '../billing-labels';
import { useCurrentShift, useReceivePayment } from '../hooks/use-billing';
import { openPendingTab, showPdfInTab } from '../receipt-tab';
import { MoneyField } from './money-field';

type Props = {
  open: boolean;
  patientId: string;
  accountId: string;
  /** What the patient owes now (paise): the amount's default for a payment. */
  due: number;
  /** Deposit (on admission) or payment. */
  initialKind: 'payment' | 'deposit';
  onClose: () => void;
};

/** Takes a payment or a deposit in the cashier's open shift; the receipt PDF opens right after. */
export function TakePaymentDialog({ open, patientId, accountId, due, initialKind, onClose }: Props) {
  const titleId = useId();
  const shift = useCurrentShift(open);
  const receive = useReceivePayment();
  const [kind, setKind] = useState(initialKind);
  const [mode, setMode] = useState<PaymentMode>('cash');
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [done, setDone] = useState<Payment | null>(null);
  const [pdfError, setPdfError] = useState<unknown>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    if (open) {
      setKind(initialKind);
      setMode('cash');
      setAmount(initialKind === 'payment' && due > 0 ? rupeesInput(due) : '');
      setReference('');
      setNote('');
      setSubmitted(false);
      setDone(null);
      setPdfError(null);
      receive.reset();
    }
  }, [open]);

  const paise = parseRupees(amount);
  const needsReference = mode !== 'cash';
  const referenceMissing = needsReference && reference.trim() === '';
  const noShift = shift.isSuccess && shift.data === null;

  const printReceipt = (payment: Payment, tab: Window | null) => {
    setPdfError(null);
    showPdfInTab(tab, `/billing/payments/${payment.id}/receipt.pdf`, `${payment.receiptNumber}.pdf`).catch(
      setPdfError,
    );
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (paise === null || paise <= 0 || referenceMissing || noShift) return;
    const tab = openPendingTab();
    receive.mutate(
      {
        patientId,
        accountId,
        kind,
        mode,
        amount: paise,
        reference: reference.trim() || null,
        note: note.trim() || null,
        autoAllocate: kind === 'payment',
      },
      {
        onSuccess: (payment) => {
          setDone(payment);
          printReceipt(payment, tab);
        },
        onError: () => tab?.close(),
      },
    );
  };

  const noun = kind === 'deposit' ? 'deposit' : 'payment';
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      {done ? (
        <>
          <DialogTitle id={titleId}>Receipt {done.receiptNumber}</DialogTitle>
          <DialogContent>
            <Alert severity="success" data-testid="payment-received">
              {formatRupees(done.amount)} received by {paymentModeLabels[done.mode]}
              {done.reference ? ` (ref. ${done.reference})` : ''}: receipt {done.receiptNumber}.
              {done.allocated > 0 && ` ${formatRupees(done.allocated)} applied to the bills.`}
            </Alert>
            <ProblemAlert error={pdfError} sx={{ mt: 2 }} />
          </DialogContent>
          <DialogActions>
            <Button onClick={() => printReceipt(done, openPendingTab())}>Print receipt again</Button>
            <Button variant="contained" onClick={onClose} autoFocus>
              Done
            </Button>
          </DialogActions>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <DialogTitle id={titleId}>{kind === 'deposit' ? 'Take a deposit' : 'Take a payment'}</DialogTitle>
          <DialogContent>
            <Stack spacing={2} sx={{ pt: 1 }}>
              {noShift && (
                <Alert severity="warning">
                  You have no open shift: open one at your counter on the{' '}
                  <Link component={RouterLink} to="/billing/cashier">
                    cashier page
                  </Link>{' '}
                  first.
                </Alert>
              )}
              {shift.data && (
                <Typography variant="body2" color="text.secondary">
                  Shift at {shift.data.counterName} ({shift.data.counterCode})
                </Typography>
              )}
              <FormControl>
                <FormLabel id={`${titleId}-kind`}>Receive as</FormLabel>
                <RadioGroup
                  row
                  aria-labelledby={`${titleId}-kind`}
                  value={kind}
                  onChange={(e) => setKind(e.target.value as 'payment' | 'deposit')}
                >
                  <FormControlLabel value="payment" control={<Radio />} label="Payment of the bills" />
                  <FormControlLabel value="deposit" control={<Radio />} label="Deposit (advance)" />
                </RadioGroup>
              </FormControl>
              <TextField
                select
                label="Mode"
                value={mode}
                onChange={(e) => setMode(e.target.value as PaymentMode)}
                required
              >
                {PAYMENT_MODES.map((m) => (
                  <MenuItem key={m} value={m}>
                    {paymentModeLabels[m]}
                  </MenuItem>
                ))}
              </TextField>
              <MoneyField
                label="Amount"
                value={amount}
                onChange={setAmount}
                required
                autoFocus
                showErrors={submitted}
                error={submitted && paise === 0 ? 'The amount must be more than zero' : undefined}
                helperText={
                  kind === 'payment' ? `Balance due ${formatRupees(due)}` : 'Kept as an advance on the stay'
                }
              />
              <TextField
                label={referenceLabels[mode]}
                value={reference}
                onChange={(e) => setReference(e.target.value)}
                required={needsReference}
                error={submitted && referenceMissing}
                helperText={submitted && referenceMissing ? `Required for ${paymentModeLabels[mode]}` : ' '}
                slotProps={{ htmlInput: { maxLength: 80, autoComplete: 'off' } }}
              />
              <TextField
                label="Note"
                value={note}
                onChange={(e) => setNote(e.target.value)}
                slotProps={{ htmlInput: { maxLength: 500 } }}
              />
              <ProblemAlert error={receive.error} />
            </Stack>
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="contained" disabled={receive.isPending || noShift}>
              Receive {paise ? formatRupees(paise) : noun}
            </Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}
