import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import InputAdornment from '@mui/material/InputAdornment';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { LabResult } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useAmendResult } from '../hooks/use-laboratory';
import { draftFromResult, draftValue, type EntryDraft, type EntryErrors, emptyDraft } from '../result-entry';
import { formatResultValue } from '../result-flags';
import { CultureEntry } from './culture-entry';

type Props = { result: LabResult | null; onClose: () => void };

/** Amends a released result: the new value and a reason; what it said before stays on the report. */
export function AmendDialog({ result, onClose }: Props) {
  const titleId = useId();
  const amend = useAmendResult();
  const [draft, setDraft] = useState<EntryDraft>(emptyDraft);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<EntryErrors>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new result starts from its value
  useEffect(() => {
    if (result) {
      setDraft(draftFromResult(result));
      setReason('');
      setErrors({});
      amend.reset();
    }
  }, [result?.id]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!result) return;
    const v = draftValue(result, draft);
    const next: EntryErrors = {};
    if (v === null) next.value = 'Enter the corrected result';
    else if ('errors' in v) Object.assign(next, v.errors);
    if (!reason.trim()) next.reason = 'Say why the result is amended';
    setErrors(next);
    if (Object.keys(next).length > 0 || !v || 'errors' in v) return;
    amend.mutate(
      { resultId: result.id, ...v, reason: reason.trim(), version: result.version },
      { onSuccess: onClose },
    );
  };

  return (
    <Dialog open={!!result} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{`Amend ${result?.testName ?? ''}`}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {result
              ? `Released: ${formatResultValue(result) || '—'}${result.flag && result.flag !== 'N' ? ` ${result.flag}` : ''}. The report will show the amendment, who made it and what it said before.`
              : ''}
          </DialogContentText>
          <Stack spacing={2}>
            {result?.resultType === 'culture' ? (
              <CultureEntry
                testName={result.testName}
                value={draft.culture}
                onChange={(culture) => setDraft({ ...draft, culture })}
                errors={errors}
              />
            ) : result?.resultType === 'numeric' ? (
              <TextField
                label={`Corrected ${result.testName}`}
                value={draft.value}
                onChange={(e) => setDraft({ ...draft, value: e.target.value })}
                error={!!errors.value}
                helperText={
                  errors.value ?? (result.referenceRange ? `Range ${result.referenceRange.text}` : ' ')
                }
                autoFocus
                slotProps={{
                  htmlInput: { inputMode: 'decimal', autoComplete: 'off' },
                  input: result.unit
                    ? { endAdornment: <InputAdornment position="end">{result.unit}</InputAdornment> }
                    : undefined,
                }}
              />
            ) : (
              <TextField
                label={`Corrected ${result?.testName ?? ''}`}
                value={draft.text}
                onChange={(e) => setDraft({ ...draft, text: e.target.value })}
                error={!!errors.value || !!errors.text}
                helperText={errors.value ?? errors.text ?? ' '}
                autoFocus
              />
            )}
            <TextField
              label="Reason for the amendment"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              multiline
              minRows={2}
              error={!!errors.reason}
              helperText={errors.reason ?? 'e.g. transcription error, repeat on a new sample'}
              slotProps={{ htmlInput: { maxLength: 500 } }}
            />
          </Stack>
          <ProblemAlert error={amend.error} sx={{ mt: 2 }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Back</Button>
          <Button type="submit" variant="contained" color="warning" disabled={amend.isPending}>
            Amend result
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
