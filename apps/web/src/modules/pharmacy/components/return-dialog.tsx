import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { Dispensation } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ProblemAlert } from '../../../ui/problem-alert';
import { returnableUnits } from '../dispense-rules';
import { useReturnDispensed } from '../hooks/use-pharmacy';
import { parseUnits } from '../units';

type Props = { sale: Dispensation | null; onClose: () => void };

/** Takes medicines back onto their batches; the charge of what came back is reversed. */
export function ReturnDialog({ sale, onClose }: Props) {
  const titleId = useId();
  const giveBack = useReturnDispensed();
  const [quantities, setQuantities] = useState<Record<number, string>>({});
  const [reason, setReason] = useState('');
  const [submitted, setSubmitted] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    if (sale) {
      setQuantities({});
      setReason('');
      setSubmitted(false);
      giveBack.reset();
    }
  }, [sale]);
  const lines = (sale?.lines ?? []).filter((l) => returnableUnits(l) > 0);
  const problems: Record<number, string> = {};
  const chosen: { lineNo: number; quantity: number }[] = [];
  for (const l of lines) {
    const typed = (quantities[l.lineNo] ?? '').trim();
    if (typed === '' || typed === '0') continue;
    const n = parseUnits(typed);
    if (n === null || n > returnableUnits(l))
      problems[l.lineNo] = `Whole units, at most ${returnableUnits(l)}`;
    else chosen.push({ lineNo: l.lineNo, quantity: n });
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!sale || Object.keys(problems).length > 0 || chosen.length === 0 || reason.trim() === '') return;
    giveBack.mutate({ id: sale.id, reason: reason.trim(), lines: chosen }, { onSuccess: onClose });
  };
  return (
    <Dialog open={!!sale} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Return medicines</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {`Sale ${sale?.number ?? ''}: the units go back onto their batch (never an expired one) and their charge is reversed.`}
          </DialogContentText>
          <Stack spacing={2}>
            {lines.map((l) => (
              <TextField
                key={l.lineNo}
                label={`${l.genericName} ${l.strength}, batch ${l.batchNo}`}
                value={quantities[l.lineNo] ?? ''}
                onChange={(e) => setQuantities((q) => ({ ...q, [l.lineNo]: e.target.value }))}
                error={!!problems[l.lineNo]}
                helperText={problems[l.lineNo] ?? `Up to ${returnableUnits(l)} unit(s)`}
                slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'off' } }}
              />
            ))}
            {lines.length === 0 && (
              <DialogContentText>Everything of this sale has come back.</DialogContentText>
            )}
            {submitted && chosen.length === 0 && lines.length > 0 && (
              <DialogContentText color="error">
                Enter the units coming back on at least one line.
              </DialogContentText>
            )}
            <TextField
              label="Reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              multiline
              minRows={2}
              error={submitted && reason.trim() === ''}
              helperText={submitted && reason.trim() === '' ? 'Give a reason' : ' '}
              slotProps={{ htmlInput: { maxLength: 300 } }}
            />
            <ProblemAlert error={giveBack.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={giveBack.isPending || lines.length === 0}>
            Take back
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
