import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { Indent } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useIssueIndent } from '../hooks/use-pharmacy';
import { outstandingUnits, parseUnits } from '../units';

/** Issues against an indent, first to expire first: each line up to what is still outstanding. */
export function IssueIndentDialog({ indent, onClose }: { indent: Indent | null; onClose: () => void }) {
  const titleId = useId();
  const issue = useIssueIndent();
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    if (indent) {
      setQuantities(
        Object.fromEntries(indent.lines.map((l) => [l.formularyItemId, String(outstandingUnits(l))])),
      );
      issue.reset();
    }
  }, [indent]);
  const lines = (indent?.lines ?? []).filter((l) => outstandingUnits(l) > 0);
  const problems: Record<string, string> = {};
  const chosen: { formularyItemId: string; quantity: number }[] = [];
  for (const l of lines) {
    const n = parseUnits(quantities[l.formularyItemId] ?? '', 0);
    if (n === null || n > outstandingUnits(l)) problems[l.formularyItemId] = `0 to ${outstandingUnits(l)}`;
    else chosen.push({ formularyItemId: l.formularyItemId, quantity: n });
  }
  const nothing = chosen.every((c) => c.quantity === 0);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!indent || Object.keys(problems).length > 0 || nothing) return;
    issue.mutate({ id: indent.id, version: indent.version, lines: chosen }, { onSuccess: onClose });
  };
  return (
    <Dialog open={!!indent} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{`Issue indent ${indent?.number ?? ''}`}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {indent &&
              `From ${indent.supplyingStoreName} to ${indent.requestingStoreName}, first to expire first, same batches.`}
          </DialogContentText>
          <Stack spacing={2}>
            {lines.map((l, i) => (
              <TextField
                key={l.formularyItemId}
                label={`${l.genericName} ${l.strength}`.trim()}
                value={quantities[l.formularyItemId] ?? ''}
                onChange={(e) => setQuantities((q) => ({ ...q, [l.formularyItemId]: e.target.value }))}
                autoFocus={i === 0}
                error={!!problems[l.formularyItemId]}
                helperText={
                  problems[l.formularyItemId] ??
                  `${outstandingUnits(l)} outstanding (${l.requested} asked, ${l.issued} issued)`
                }
                slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'off' } }}
              />
            ))}
            <ProblemAlert error={issue.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={issue.isPending || nothing}>
            Issue
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
