import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import type { RadCriticalAlert } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { fieldErrorsFromProblem } from '../../../ui/form-validation';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useAcknowledgeRadCritical } from '../hooks/use-radiology';
import { criticalCategoryLabels } from '../radiology-labels';

type Props = {
  alert: RadCriticalAlert | null;
  onClose: () => void;
  onDone: (alert: RadCriticalAlert) => void;
};

/**
 * Acknowledges a critical imaging finding by reading it back (Joint Commission NPSG.02.03.01): a finding has no
 * number to repeat, so the doctor names it in a few words of their own; the server refuses "ok, noted" (422).
 */
export function AcknowledgeFindingDialog({ alert, onClose, onDone }: Props) {
  const titleId = useId();
  const ack = useAcknowledgeRadCritical();
  const [readBack, setReadBack] = useState('');
  const [tried, setTried] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new alert starts a new read-back
  useEffect(() => {
    setReadBack('');
    setTried(false);
    ack.reset();
  }, [alert?.id]);
  const fieldError = fieldErrorsFromProblem(ack.error).readBack;
  const missing = tried && !readBack.trim();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!alert || !readBack.trim()) return;
    ack.mutate({ id: alert.id, readBack: readBack.trim() }, { onSuccess: (done) => onDone(done) });
  };
  return (
    <Dialog open={!!alert} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Acknowledge critical finding</DialogTitle>
        <DialogContent>
          {alert && (
            <Alert severity="error" icon={false} sx={{ mb: 2 }} data-testid="critical-finding-text">
              <AlertTitle>{`${alert.patientName} · MRN ${alert.mrn} · ${alert.procedureName}`}</AlertTitle>
              {`${alert.finding} (${criticalCategoryLabels[alert.category]}), reported ${formatDateTime(alert.notifiedAt)}${alert.reportedByName ? ` by ${alert.reportedByName}` : ''}`}
            </Alert>
          )}
          <TextField
            label="Read back the finding"
            value={readBack}
            onChange={(e) => setReadBack(e.target.value)}
            required
            fullWidth
            multiline
            autoFocus
            error={missing || !!fieldError}
            helperText={
              missing
                ? 'Repeat the finding'
                : (fieldError ?? 'Name the finding as you understood it, e.g. "large left pneumothorax"')
            }
            slotProps={{ htmlInput: { maxLength: 500, autoComplete: 'off' } }}
          />
          <ProblemAlert error={ack.error} sx={{ mt: 2 }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Back</Button>
          <Button type="submit" variant="contained" disabled={ack.isPending}>
            Acknowledge
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
