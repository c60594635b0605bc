import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import type { LabCriticalAlert } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { fieldErrorsFromProblem } from '../../../ui/form-validation';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useAcknowledgeCritical } from '../hooks/use-laboratory';
import { flagWords } from '../result-flags';

type Props = {
  alert: LabCriticalAlert | null;
  onClose: () => void;
  onDone: (alert: LabCriticalAlert) => void;
};

/**
 * Acknowledges a critical value by reading it back (Joint Commission NPSG.02.03.01): the doctor repeats the test
 * and the value; the server checks that the value is named and says so (422) when it is not.
 */
export function AcknowledgeDialog({ alert, onClose, onDone }: Props) {
  const titleId = useId();
  const ack = useAcknowledgeCritical();
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
        <DialogTitle id={titleId}>Acknowledge critical result</DialogTitle>
        <DialogContent>
          {alert && (
            <Alert severity="error" icon={false} sx={{ mb: 2 }} data-testid="critical-value">
              <AlertTitle>{`${alert.patientName} · MRN ${alert.mrn}`}</AlertTitle>
              {`${alert.testName}: ${alert.value}${alert.unit ? ` ${alert.unit}` : ''} ${alert.flag} (${flagWords[alert.flag]}), released ${formatDateTime(alert.notifiedAt)}${alert.validatedByName ? ` by ${alert.validatedByName}` : ''}`}
            </Alert>
          )}
          <TextField
            label="Read back the value"
            value={readBack}
            onChange={(e) => setReadBack(e.target.value)}
            required
            fullWidth
            autoFocus
            error={missing || !!fieldError}
            helperText={
              missing
                ? 'Repeat the test and the value'
                : (fieldError ?? 'Repeat the test and the value as you understood it, e.g. "potassium 6.9"')
            }
            slotProps={{ htmlInput: { maxLength: 300, autoComplete: 'off' } }}
          />
          <ProblemAlert
            error={ack.error}
            titles={{
              LAB_CRITICAL_READ_BACK: 'The read-back does not name the value',
              LAB_CRITICAL_ALREADY_ACKNOWLEDGED: 'Already acknowledged',
              LAB_CRITICAL_NOT_ADDRESSEE: 'Not addressed to you',
            }}
            sx={{ mt: 2 }}
          />
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
