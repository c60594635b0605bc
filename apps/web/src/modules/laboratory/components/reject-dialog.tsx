import Button from '@mui/material/Button';
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
import TextField from '@mui/material/TextField';
import { type LabRequest, type LabSample, sampleRejectionReasons } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { blankToNull } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { type RejectionReason, useRejectSample } from '../hooks/use-laboratory';
import { rejectionReasonLabels, tubeLabel } from '../laboratory-labels';

type Props = {
  sample: Pick<LabSample, 'id' | 'accession' | 'container' | 'specimen'> | null;
  onClose: () => void;
  /** The request after the rejection: the rejected tube and its recollection. */
  onRejected: (request: LabRequest) => void;
  /** Once the dialog has gone (the place to put the focus back, e.g. the scan field). */
  onExited?: () => void;
};

/** Rejects a tube for a reason from the fixed list, with a note; the server asks for a new tube at once. */
export function RejectDialog({ sample, onClose, onRejected, onExited }: Props) {
  const titleId = useId();
  const reasonId = useId();
  const reject = useRejectSample();
  const [reason, setReason] = useState<RejectionReason | ''>('');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new tube starts a new form
  useEffect(() => {
    setReason('');
    setNote('');
    setTried(false);
    reject.reset();
  }, [sample?.id]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!sample || !reason) return;
    reject.mutate(
      { sampleId: sample.id, reason, note: blankToNull(note) },
      { onSuccess: (request) => onRejected(request) },
    );
  };
  return (
    <Dialog
      open={!!sample}
      onClose={onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
      // With onExited the caller places the focus itself (the button that opened the dialog may be gone).
      disableRestoreFocus={!!onExited}
      slotProps={onExited ? { transition: { onExited } } : undefined}
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{`Reject ${sample?.accession ?? ''}`}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {sample
              ? `${tubeLabel(sample)}. A new tube with a new accession number is asked for at once.`
              : ''}
          </DialogContentText>
          <FormControl error={tried && !reason} required>
            <FormLabel id={reasonId}>Reason</FormLabel>
            <RadioGroup
              aria-labelledby={reasonId}
              value={reason}
              onChange={(e) => setReason(e.target.value as RejectionReason)}
            >
              {sampleRejectionReasons.map((r) => (
                <FormControlLabel key={r} value={r} control={<Radio />} label={rejectionReasonLabels[r]} />
              ))}
            </RadioGroup>
            <FormHelperText>{tried && !reason ? 'Choose why the tube cannot be tested' : ' '}</FormHelperText>
          </FormControl>
          <TextField
            label="Note"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            fullWidth
            multiline
            minRows={2}
            helperText="What was seen, who was told"
            slotProps={{ htmlInput: { maxLength: 500 } }}
          />
          <ProblemAlert error={reject.error} sx={{ mt: 2 }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Back</Button>
          <Button type="submit" variant="contained" color="error" disabled={reject.isPending}>
            Reject sample
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
