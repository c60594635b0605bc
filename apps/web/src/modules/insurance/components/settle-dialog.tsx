import AddIcon from '@mui/icons-material/Add';
import DeleteOutline from '@mui/icons-material/DeleteOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { InsuranceClaim } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { localInputToIso } from '../../../ui/format';
import { formatRupees, parseRupees } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ClaimArithmetic } from './claim-arithmetic';
import { MoneyField } from './money-field';

export type Settlement = {
  amountReceived: number;
  tds: number;
  disallowances: { reason: string; amount: number }[];
  utr: string | null;
  receivedAt?: string;
  note: string | null;
};

type Row = { key: number; reason: string; amount: string };

type Props = {
  open: boolean;
  claim: InsuranceClaim;
  busy?: boolean;
  error?: unknown;
  onConfirm: (settlement: Settlement) => void;
  onCancel: () => void;
};

const amountOrZero = (value: string) => (value.trim() === '' ? 0 : parseRupees(value));

/**
 * The payer's settlement: money received (with the bank's UTR), TDS deducted, and disallowances line by line,
 * with the sum shown as it is typed: claimed = settled + TDS + disallowed + what remains.
 */
export function SettleDialog({ open, claim, busy, error, onConfirm, onCancel }: Props) {
  const titleId = useId();
  const [received, setReceived] = useState('');
  const [utr, setUtr] = useState('');
  const [tds, setTds] = useState('');
  const [receivedAt, setReceivedAt] = useState('');
  const [note, setNote] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [nextKey, setNextKey] = useState(1);
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!open) return;
    setReceived('');
    setUtr('');
    setTds('');
    setReceivedAt('');
    setNote('');
    setRows([]);
    setErrors({});
  }, [open]);

  const receivedPaise = amountOrZero(received);
  const tdsPaise = amountOrZero(tds);
  const rowAmounts = rows.map((r) => parseRupees(r.amount));
  const disallowed = rowAmounts.reduce<number>((s, a) => s + (a ?? 0), 0);
  const before = claim.outstanding;
  const remaining = before - (receivedPaise ?? 0) - (tdsPaise ?? 0) - disallowed;

  const updateRow = (key: number, change: Partial<Row>) =>
    setRows((all) => all.map((r) => (r.key === key ? { ...r, ...change } : r)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (receivedPaise === null) next.received = 'Rupees, two decimals at most';
    if (tdsPaise === null) next.tds = 'Rupees, two decimals at most';
    if ((receivedPaise ?? 0) > 0 && utr.trim() === '') next.utr = 'Give the UTR of the bank transfer';
    rows.forEach((r, i) => {
      if (r.reason.trim() === '') next[`reason-${r.key}`] = 'Why the payer disallowed it';
      const amount = rowAmounts[i];
      if (amount === null || amount === undefined || amount <= 0)
        next[`amount-${r.key}`] = 'An amount above zero';
    });
    if ((receivedPaise ?? 0) + (tdsPaise ?? 0) + disallowed === 0) {
      next.received = 'A settlement records money received, TDS or a disallowance';
    }
    if (remaining < 0) next.total = `More than the ${formatRupees(before)} outstanding on the claim`;
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    onConfirm({
      amountReceived: receivedPaise ?? 0,
      tds: tdsPaise ?? 0,
      disallowances: rows.map((r, i) => ({ reason: r.reason.trim(), amount: rowAmounts[i] ?? 0 })),
      utr: utr.trim() || null,
      ...(receivedAt ? { receivedAt: localInputToIso(receivedAt) } : {}),
      note: note.trim() || null,
    });
  };

  return (
    <Dialog open={open} onClose={onCancel} aria-labelledby={titleId} fullWidth maxWidth="md">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Record the settlement of {claim.number}</DialogTitle>
        <DialogContent>
          <Stack spacing={1} sx={{ pt: 1 }}>
            <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
              <MoneyField
                label="Amount received"
                value={received}
                onChange={setReceived}
                error={errors.received}
                helperText="Credited to the bank; 0 when all of it was deducted"
                autoFocus
              />
              <TextField
                label="UTR reference"
                value={utr}
                onChange={(e) => setUtr(e.target.value)}
                error={!!errors.utr}
                helperText={errors.utr ?? "The bank's reference of the transfer"}
                slotProps={{ htmlInput: { maxLength: 60, autoComplete: 'off' } }}
              />
              <MoneyField
                label="TDS deducted"
                value={tds}
                onChange={setTds}
                error={errors.tds}
                helperText="Income tax deducted at source by the payer"
              />
              <TextField
                label="Received on"
                type="datetime-local"
                value={receivedAt}
                onChange={(e) => setReceivedAt(e.target.value)}
                helperText="Now when blank"
                slotProps={{ inputLabel: { shrink: true } }}
              />
            </Box>
            <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 600 }}>
              Disallowances
            </Typography>
            {rows.length === 0 && (
              <Typography color="text.secondary" variant="body2">
                None: add one for each item the payer did not pay.
              </Typography>
            )}
            <Stack
              component="ul"
              aria-label="Disallowances"
              spacing={1}
              sx={{ p: 0, m: 0, listStyle: 'none' }}
            >
              {rows.map((r, i) => (
                <Box component="li" key={r.key} sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}>
                  <TextField
                    label={`Disallowance ${i + 1} reason`}
                    value={r.reason}
                    onChange={(e) => updateRow(r.key, { reason: e.target.value })}
                    error={!!errors[`reason-${r.key}`]}
                    helperText={errors[`reason-${r.key}`] ?? ' '}
                    sx={{ flexGrow: 1 }}
                    slotProps={{ htmlInput: { maxLength: 300 } }}
                  />
                  <Box sx={{ width: 200 }}>
                    <MoneyField
                      label={`Disallowance ${i + 1} amount`}
                      value={r.amount}
                      onChange={(v) => updateRow(r.key, { amount: v })}
                      error={errors[`amount-${r.key}`]}
                    />
                  </Box>
                  <IconButton
                    aria-label={`Remove disallowance ${i + 1}`}
                    onClick={() => setRows((all) => all.filter((x) => x.key !== r.key))}
                    sx={{ mt: 0.5 }}
                  >
                    <DeleteOutline />
                  </IconButton>
                </Box>
              ))}
            </Stack>
            <Box>
              <Button
                startIcon={<AddIcon />}
                onClick={() => {
                  setRows((all) => [...all, { key: nextKey, reason: '', amount: '' }]);
                  setNextKey((k) => k + 1);
                }}
              >
                Add disallowance
              </Button>
            </Box>
            <TextField
              label="Note"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              multiline
              minRows={2}
              slotProps={{ htmlInput: { maxLength: 2000 } }}
            />
            <ClaimArithmetic
              label="Settlement arithmetic"
              claimed={before}
              claimedLabel={before === claim.claimedAmount ? 'Claimed' : 'Outstanding before'}
              settled={receivedPaise ?? 0}
              tds={tdsPaise ?? 0}
              disallowed={disallowed}
              writtenOff={0}
              remaining={remaining}
            />
            {claim.approvedAmount !== null &&
              (receivedPaise ?? 0) + (tdsPaise ?? 0) !== claim.approvedAmount && (
                <Alert severity="info">
                  The payer approved {formatRupees(claim.approvedAmount)}; received plus TDS is{' '}
                  {formatRupees((receivedPaise ?? 0) + (tdsPaise ?? 0))}.
                </Alert>
              )}
            {errors.total && (
              <Alert severity="error" role="alert">
                {errors.total}
              </Alert>
            )}
            <ProblemAlert error={error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onCancel}>Back</Button>
          <Button type="submit" variant="contained" disabled={busy}>
            Record settlement
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
