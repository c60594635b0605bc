import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { fieldErrorsFromProblem } from './form-validation';
import { ProblemAlert } from './problem-alert';

/** The acknowledge mutation of a department's critical alerts (laboratory values, imaging findings). */
type AcknowledgeMutation<A> = {
  mutate(vars: { id: string; readBack: string }, options: { onSuccess: (done: A) => void }): void;
  reset(): void;
  error: unknown;
  isPending: boolean;
};

type Props<A extends { id: string }> = {
  alert: A | null;
  ack: AcknowledgeMutation<A>;
  title: string;
  /** What was found, shown above the read-back: the heading line and the body. */
  summary: (alert: A) => { heading: string; text: string; testId: string };
  label: string;
  /** The helper text when the field is empty after a try, and its usual example. */
  missingText: string;
  hint: string;
  maxLength: number;
  multiline?: boolean;
  problemTitles?: Record<string, string>;
  onClose: () => void;
  onDone: (alert: A) => void;
};

/**
 * Acknowledges a critical result by reading it back (Joint Commission NPSG.02.03.01): the doctor repeats what
 * they understood; the server decides whether that names the result (422 on the field when it does not).
 */
export function ReadBackDialog<A extends { id: string }>(props: Props<A>): ReactNode {
  const { alert, ack, onClose, onDone } = props;
  const titleId = useId();
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
  const summary = alert ? props.summary(alert) : null;
  return (
    <Dialog open={!!alert} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{props.title}</DialogTitle>
        <DialogContent>
          {summary && (
            <Alert severity="error" icon={false} sx={{ mb: 2 }} data-testid={summary.testId}>
              <AlertTitle>{summary.heading}</AlertTitle>
              {summary.text}
            </Alert>
          )}
          <TextField
            label={props.label}
            value={readBack}
            onChange={(e) => setReadBack(e.target.value)}
            required
            fullWidth
            multiline={props.multiline}
            autoFocus
            error={missing || !!fieldError}
            helperText={missing ? props.missingText : (fieldError ?? props.hint)}
            slotProps={{ htmlInput: { maxLength: props.maxLength, autoComplete: 'off' } }}
          />
          <ProblemAlert error={ack.error} titles={props.problemTitles} sx={{ mt: 2 }} />
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
