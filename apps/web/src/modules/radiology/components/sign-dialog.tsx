import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { type RadCriticalAlert, type RadReport, radCriticalCategories } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { fieldErrorsFromProblem } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { type ReportText, useSignReport } from '../hooks/use-radiology';
import { criticalCategoryLabels } from '../radiology-labels';

type Category = RadCriticalAlert['category'];

type Props = {
  open: boolean;
  report: RadReport;
  /** The text on the screen: saved with the sign-off. */
  text: ReportText;
  version: number;
  onClose: () => void;
  /** A refusal the editor shows at its fields too (a blank left in the findings, a colleague's save). */
  onError: (err: unknown) => void;
};

/**
 * Signs the report off: final, frozen, with who and when. A critical finding (what and how soon: the ACR's
 * levels) is called through to the ordering doctor, who must read it back; unacknowledged, it escalates.
 */
export function SignDialog({ open, report, text, version, onClose, onError }: Props) {
  const titleId = useId();
  const categoryId = useId();
  const sign = useSignReport();
  const [critical, setCritical] = useState(false);
  const [finding, setFinding] = useState('');
  const [category, setCategory] = useState<Category | ''>('');
  const [tried, setTried] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    if (!open) return;
    setCritical(!!report.criticalFinding);
    setFinding(report.criticalFinding?.text ?? '');
    setCategory(report.criticalFinding?.category ?? '');
    setTried(false);
    sign.reset();
  }, [open]);

  const errors = fieldErrorsFromProblem(sign.error);
  const missing = { finding: critical && !finding.trim(), category: critical && !category };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (missing.finding || missing.category) return;
    sign.mutate(
      {
        id: report.id,
        ...text,
        version,
        criticalFinding: critical && category ? { text: finding.trim(), category } : null,
      },
      { onSuccess: onClose, onError },
    );
  };

  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Sign report</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {`${report.procedureName} · ${report.accession}. Once signed the report is final: later changes are addenda.`}
          </DialogContentText>
          <Stack spacing={2}>
            <FormControlLabel
              control={<Checkbox checked={critical} onChange={(e) => setCritical(e.target.checked)} />}
              label="Critical finding: call it through to the ordering doctor"
            />
            {critical && (
              <>
                <TextField
                  label="Critical finding"
                  value={finding}
                  onChange={(e) => setFinding(e.target.value)}
                  required
                  multiline
                  autoFocus
                  error={(tried && missing.finding) || !!errors['criticalFinding.text']}
                  helperText={
                    errors['criticalFinding.text'] ??
                    (tried && missing.finding
                      ? 'Say what the finding is'
                      : 'In a few words the doctor will read back, e.g. "large left pneumothorax"')
                  }
                  slotProps={{ htmlInput: { maxLength: 1000 } }}
                />
                <FormControl error={(tried && missing.category) || !!errors['criticalFinding.category']}>
                  <FormLabel id={categoryId}>How soon must the doctor know?</FormLabel>
                  <RadioGroup
                    aria-labelledby={categoryId}
                    value={category}
                    onChange={(e) => setCategory(e.target.value as Category)}
                  >
                    {radCriticalCategories.map((c) => (
                      <FormControlLabel
                        key={c}
                        value={c}
                        control={<Radio />}
                        label={criticalCategoryLabels[c]}
                      />
                    ))}
                  </RadioGroup>
                  {((tried && missing.category) || errors['criticalFinding.category']) && (
                    <FormHelperText>{errors['criticalFinding.category'] ?? 'Choose how soon'}</FormHelperText>
                  )}
                </FormControl>
                <Alert severity="warning">
                  The ordering doctor is alerted now and must read the finding back; unacknowledged, it
                  escalates.
                </Alert>
              </>
            )}
            <ProblemAlert error={sign.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Back</Button>
          <Button
            type="submit"
            variant="contained"
            color={critical ? 'error' : 'primary'}
            disabled={sign.isPending}
          >
            {critical ? 'Sign and call through' : 'Sign'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
