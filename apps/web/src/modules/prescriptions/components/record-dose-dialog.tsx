import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { Administration, MarView } from '@newhms/contracts';
import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react';
import { ApiError } from '../../../app/api-client';
import { formatTimeIn, useFacilityTimeZone } from '../../../ui/facility-time';
import { fieldErrorsFromProblem } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useGivePrnDose, useRecordDose } from '../hooks/use-prescriptions';

export type DoseToRecord =
  | { kind: 'scheduled'; dose: Administration }
  | { kind: 'prn'; order: MarView['orders'][number] };

type Outcome = 'given' | 'held' | 'refused' | 'missed';

const outcomeLabels: Record<Outcome, string> = {
  given: 'Given',
  held: 'Held',
  refused: 'Refused',
  missed: 'Missed',
};

type Props = { target: DoseToRecord; patientName: string; onClose: () => void };

/**
 * Records a dose. "Given" only with both scans: the wristband (the patient's MRN barcode) and the medicine
 * (its formulary code or a brand's barcode); a barcode scanner types into the focused field and ends with
 * Enter, which moves on to the next scan. A scan that does not match stops the nurse, field by field.
 */
export function RecordDoseDialog({ target, patientName, onClose }: Props) {
  const titleId = useId();
  const timeZone = useFacilityTimeZone();
  const record = useRecordDose();
  const prn = useGivePrnDose();
  const mutation = target.kind === 'prn' ? prn : record;
  const medicineRef = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<Outcome>('given');
  const [wristband, setWristband] = useState('');
  const [medicine, setMedicine] = useState('');
  const [reason, setReason] = useState('');
  const [indication, setIndication] = useState('');
  const [tried, setTried] = useState(false);
  const giving = target.kind === 'prn' || status === 'given';
  const server = fieldErrorsFromProblem(mutation.error);
  const mismatch = mutation.error instanceof ApiError && mutation.error.code === 'MAR_SCAN_MISMATCH';

  const name =
    target.kind === 'prn'
      ? `${target.order.genericName} ${target.order.strength}`
      : `${target.dose.genericName} ${target.dose.strength}`;
  const sig = target.kind === 'prn' ? target.order.sig : target.dose.sig;

  const missing = {
    wristband: giving && !wristband.trim(),
    medicine: giving && !medicine.trim(),
    reason: !giving && !reason.trim(),
    indication: target.kind === 'prn' && !indication.trim(),
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.values(missing).some(Boolean)) return;
    const done = { onSuccess: onClose };
    if (target.kind === 'prn') {
      prn.mutate(
        {
          prescriptionId: target.order.prescriptionId,
          lineNo: target.order.lineNo,
          prnIndication: indication.trim(),
          wristbandCode: wristband.trim(),
          medicineCode: medicine.trim(),
        },
        done,
      );
    } else {
      record.mutate(
        {
          id: target.dose.id,
          status,
          version: target.dose.version,
          ...(giving
            ? { wristbandCode: wristband.trim(), medicineCode: medicine.trim() }
            : { reason: reason.trim() }),
        },
        done,
      );
    }
  };

  // The scanner's Enter after the wristband moves on to the medicine instead of submitting half the scans.
  const nextOnEnter = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      medicineRef.current?.focus();
    }
  };

  const scanError = (field: 'wristbandCode' | 'medicineCode', empty: boolean, label: string) =>
    server[field] ?? (tried && empty ? `Scan the ${label}` : undefined);
  const wristbandError = scanError('wristbandCode', missing.wristband, 'wristband');
  const medicineError = scanError('medicineCode', missing.medicine, 'medicine');

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{target.kind === 'prn' ? 'Give now' : 'Record dose'}</DialogTitle>
        <DialogContent>
          <Typography sx={{ fontWeight: 700 }}>
            {name} · {patientName}
          </Typography>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {sig}
            {target.kind === 'scheduled' && target.dose.scheduledAt
              ? ` · due ${formatTimeIn(target.dose.scheduledAt, timeZone)}`
              : ''}
          </Typography>
          <Stack spacing={2}>
            {target.kind === 'scheduled' && (
              <FormControl>
                <FormLabel id={`${titleId}-outcome`}>What happened</FormLabel>
                <RadioGroup
                  row
                  aria-labelledby={`${titleId}-outcome`}
                  value={status}
                  onChange={(e) => {
                    setStatus(e.target.value as Outcome);
                    mutation.reset();
                  }}
                >
                  {(Object.keys(outcomeLabels) as Outcome[]).map((o) => (
                    <FormControlLabel key={o} value={o} control={<Radio />} label={outcomeLabels[o]} />
                  ))}
                </RadioGroup>
              </FormControl>
            )}
            {target.kind === 'prn' && (
              <TextField
                label="Given for"
                value={indication}
                onChange={(e) => setIndication(e.target.value)}
                required
                error={tried && missing.indication}
                helperText={
                  tried && missing.indication
                    ? 'Say what the dose is given for'
                    : `Ordered for: ${target.order.prnIndication ?? 'as needed'}`
                }
                slotProps={{ htmlInput: { maxLength: 200 } }}
              />
            )}
            {mismatch && (
              <Alert severity="error" role="alert" variant="filled" data-testid="scan-mismatch">
                <AlertTitle>STOP: do not give</AlertTitle>
                {mutation.error instanceof ApiError ? mutation.error.problem.detail : ''}
              </Alert>
            )}
            {giving ? (
              <>
                <TextField
                  label="Wristband scan"
                  value={wristband}
                  onChange={(e) => setWristband(e.target.value)}
                  onKeyDown={nextOnEnter}
                  autoFocus
                  required
                  error={!!wristbandError}
                  helperText={wristbandError ?? "Scan the patient's wristband (MRN)"}
                  slotProps={{
                    htmlInput: { autoComplete: 'off', maxLength: 60, 'data-testid': 'wristband-scan' },
                    formHelperText: { sx: wristbandError ? { fontWeight: 700, fontSize: '0.95rem' } : {} },
                  }}
                />
                <TextField
                  label="Medicine scan"
                  value={medicine}
                  onChange={(e) => setMedicine(e.target.value)}
                  inputRef={medicineRef}
                  required
                  error={!!medicineError}
                  helperText={medicineError ?? 'Scan the medicine (item code or brand barcode)'}
                  slotProps={{
                    htmlInput: { autoComplete: 'off', maxLength: 60, 'data-testid': 'medicine-scan' },
                    formHelperText: { sx: medicineError ? { fontWeight: 700, fontSize: '0.95rem' } : {} },
                  }}
                />
              </>
            ) : (
              <TextField
                label="Reason"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                required
                autoFocus
                multiline
                minRows={2}
                error={tried && missing.reason}
                helperText={tried && missing.reason ? `Say why the dose was ${status}` : ' '}
                slotProps={{ htmlInput: { maxLength: 300 } }}
              />
            )}
            {!mismatch && <ProblemAlert error={mutation.error} />}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Back</Button>
          <Button type="submit" variant="contained" disabled={mutation.isPending}>
            {giving ? 'Record as given' : `Record as ${status}`}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
