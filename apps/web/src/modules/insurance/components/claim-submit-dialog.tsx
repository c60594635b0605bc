import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { InsuranceClaimDetail } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { formatDateTime } from '../../../ui/format';
import { formatRupees } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { PatientPicker } from '../../opd';
import { usePatientFinalBills, useSubmitClaim } from '../hooks/use-insurance';

/** A claim for the payer's share of a final IPD bill (the account's approved pre-authorization goes with it). */
export function ClaimSubmitDialog({
  open,
  start,
  onClose,
  onCreated,
}: {
  open: boolean;
  start: { patientId?: string | null; invoiceId?: string | null };
  onClose: () => void;
  onCreated: (claim: InsuranceClaimDetail) => void;
}) {
  const titleId = useId();
  const submitClaim = useSubmitClaim();
  const [patientId, setPatientId] = useState<string | null>(null);
  const [invoiceId, setInvoiceId] = useState('');
  const [reference, setReference] = useState('');
  const [missing, setMissing] = useState(false);
  const bills = usePatientFinalBills(patientId);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new opening resets the form
  useEffect(() => {
    if (!open) return;
    setPatientId(start.patientId ?? null);
    setInvoiceId(start.invoiceId ?? '');
    setReference('');
    setMissing(false);
    submitClaim.reset();
  }, [open]);
  const claimable = (bills.data ?? []).filter((b) => b.payerShare > 0);
  useEffect(() => {
    if (open && !invoiceId && claimable.length === 1 && claimable[0]) setInvoiceId(claimable[0].id);
  }, [open, invoiceId, claimable]);
  const bill = claimable.find((b) => b.id === invoiceId);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!invoiceId) return setMissing(true);
    submitClaim.mutate({ invoiceId, payerReference: reference.trim() || null }, { onSuccess: onCreated });
  };
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Submit a claim</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            The claim asks the payer for its share of a final in-patient bill.
          </DialogContentText>
          <Stack spacing={1}>
            <PatientPicker
              value={patientId}
              onChange={(id) => {
                setPatientId(id);
                setInvoiceId('');
              }}
            />
            {patientId && (
              <TextField
                select
                label="Final bill"
                value={invoiceId}
                onChange={(e) => setInvoiceId(e.target.value)}
                required
                error={missing && !invoiceId}
                helperText={
                  bills.isSuccess && claimable.length === 0
                    ? 'No final in-patient bill with a payer share'
                    : missing && !invoiceId
                      ? 'Choose the bill'
                      : ' '
                }
              >
                {claimable.map((b) => (
                  <MenuItem key={b.id} value={b.id}>
                    {b.number} · {b.admissionNumber ? `admission ${b.admissionNumber} · ` : ''}payer share{' '}
                    {formatRupees(b.payerShare)}
                  </MenuItem>
                ))}
              </TextField>
            )}
            {bill && (
              <Typography data-testid="claim-bill-summary">
                Bill {bill.number} of {formatDateTime(bill.issuedAt)}: total {formatRupees(bill.total)},
                patient share {formatRupees(bill.patientShare)},{' '}
                <strong>payer share {formatRupees(bill.payerShare)}</strong>
              </Typography>
            )}
            <TextField
              label="Payer reference"
              value={reference}
              onChange={(e) => setReference(e.target.value)}
              helperText="The payer's claim or intimation number, when known"
              slotProps={{ htmlInput: { maxLength: 60 } }}
            />
            <ProblemAlert error={submitClaim.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={submitClaim.isPending}>
            Submit claim
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
