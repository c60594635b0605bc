import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { type Charge, type DiscountReason, discountReasons } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { formatRupees, parsePercent, parseRupees } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { discountReasonLabels } from '../billing-labels';
import { useRequestDiscount } from '../hooks/use-billing';
import { MoneyField } from './money-field';

type Props = { open: boolean; accountId: string; charges: Charge[]; onClose: () => void };

/** Requests a discount on the whole bill or one charge; within the role's limit it is approved at once. */
export function DiscountDialog({ open, accountId, charges, onClose }: Props) {
  const titleId = useId();
  const [reason, setReason] = useState<DiscountReason | ''>('');
  const [note, setNote] = useState('');
  const [kind, setKind] = useState<'percent' | 'amount'>('percent');
  const [value, setValue] = useState('');
  const [chargeId, setChargeId] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const request = useRequestDiscount();
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    if (open) {
      setReason('');
      setNote('');
      setKind('percent');
      setValue('');
      setChargeId('');
      setSubmitted(false);
      request.reset();
    }
  }, [open]);
  const parsed = kind === 'percent' ? parsePercent(value) : parseRupees(value);
  const valueOk = parsed !== null && parsed > 0;
  const noteNeeded = reason === 'other' && note.trim() === '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!reason || !valueOk || parsed === null || noteNeeded) return;
    request.mutate(
      {
        accountId,
        reason,
        kind,
        value: parsed,
        ...(chargeId ? { chargeId } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      },
      { onSuccess: onClose },
    );
  };
  const billable = charges.filter((c) => c.status === 'active' && !c.packageCovered);
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Request a discount</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            Within your role's limit the discount applies at once; above it, it waits for an approver.
          </DialogContentText>
          <Stack spacing={2}>
            <TextField
              select
              label="Reason"
              value={reason}
              onChange={(e) => setReason(e.target.value as DiscountReason)}
              required
              error={submitted && !reason}
              helperText={submitted && !reason ? 'Choose a reason' : ' '}
            >
              {discountReasons.map((r) => (
                <MenuItem key={r} value={r}>
                  {discountReasonLabels[r]}
                </MenuItem>
              ))}
            </TextField>
            <TextField select label="On" value={chargeId} onChange={(e) => setChargeId(e.target.value)}>
              <MenuItem value="">The whole bill</MenuItem>
              {billable.map((c) => (
                <MenuItem key={c.id} value={c.id}>
                  {c.serviceName} · {formatRupees(c.amount)}
                </MenuItem>
              ))}
            </TextField>
            <FormControl>
              <FormLabel id={`${titleId}-kind`}>Discount as</FormLabel>
              <RadioGroup
                row
                aria-labelledby={`${titleId}-kind`}
                value={kind}
                onChange={(e) => {
                  setKind(e.target.value as 'percent' | 'amount');
                  setValue('');
                }}
              >
                <FormControlLabel value="percent" control={<Radio />} label="Percent" />
                <FormControlLabel value="amount" control={<Radio />} label="Amount" />
              </RadioGroup>
            </FormControl>
            {kind === 'percent' ? (
              <TextField
                label="Percent"
                value={value}
                onChange={(e) => setValue(e.target.value)}
                required
                error={(submitted || value !== '') && !valueOk}
                helperText={(submitted || value !== '') && !valueOk ? 'A percentage from 0.01 to 100' : ' '}
                slotProps={{
                  input: { endAdornment: <InputAdornment position="end">%</InputAdornment> },
                  htmlInput: { inputMode: 'decimal' },
                }}
              />
            ) : (
              <MoneyField label="Amount" value={value} onChange={setValue} required showErrors={submitted} />
            )}
            <TextField
              label="Note"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              required={reason === 'other'}
              multiline
              minRows={2}
              error={submitted && noteNeeded}
              helperText={submitted && noteNeeded ? 'Say why, for a discount for another reason' : ' '}
              slotProps={{ htmlInput: { maxLength: 300 } }}
            />
            <ProblemAlert error={request.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={request.isPending}>
            Request discount
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
