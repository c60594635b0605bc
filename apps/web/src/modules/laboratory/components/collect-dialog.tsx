import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { LabSample } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { fieldErrorsFromProblem } from '../../../ui/form-validation';
import { localInputToIso } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useCollectSample } from '../hooks/use-laboratory';
import { tubeLabel } from '../laboratory-labels';

/** "2026-01-05T09:30": now, as a datetime-local input shows it (the computer's zone). */
function nowInput(): string {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

type Props = {
  sample: Pick<LabSample, 'id' | 'accession' | 'container' | 'specimen'> | null;
  patientName?: string;
  onClose: () => void;
  onCollected?: (accession: string) => void;
};

/** Records that a tube was drawn: when (now unless changed) and by whom (the signed-in person unless named). */
export function CollectDialog({ sample, patientName, onClose, onCollected }: Props) {
  const { me } = useAuth();
  const titleId = useId();
  const collect = useCollectSample();
  const [at, setAt] = useState(nowInput);
  const [collector, setCollector] = useState('');
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new tube starts from now
  useEffect(() => {
    if (sample) {
      setAt(nowInput());
      setCollector('');
      collect.reset();
    }
  }, [sample?.id]);
  const errors = fieldErrorsFromProblem(collect.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!sample) return;
    const collectedAt = localInputToIso(at);
    collect.mutate(
      {
        sampleId: sample.id,
        ...(collectedAt ? { collectedAt } : {}),
        ...(collector.trim() ? { collectorName: collector.trim() } : {}),
      },
      {
        onSuccess: () => {
          onCollected?.(sample.accession);
          onClose();
        },
      },
    );
  };
  return (
    <Dialog open={!!sample} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="xs">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{`Collected ${sample?.accession ?? ''}`}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {sample ? `${patientName ? `${patientName}: ` : ''}${tubeLabel(sample)}` : ''}
          </DialogContentText>
          <Stack spacing={2}>
            <TextField
              type="datetime-local"
              label="Collected at"
              value={at}
              onChange={(e) => setAt(e.target.value)}
              error={!!errors.collectedAt}
              helperText={errors.collectedAt ?? 'Now, unless it was drawn earlier'}
              slotProps={{ inputLabel: { shrink: true } }}
              autoFocus
            />
            <TextField
              label="Drawn by"
              value={collector}
              onChange={(e) => setCollector(e.target.value)}
              helperText={`Leave empty if you drew it yourself (${me?.displayName ?? 'you'})`}
              slotProps={{ htmlInput: { maxLength: 120 } }}
            />
          </Stack>
          <ProblemAlert error={collect.error} sx={{ mt: 2 }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Back</Button>
          <Button type="submit" variant="contained" disabled={collect.isPending}>
            Mark collected
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
