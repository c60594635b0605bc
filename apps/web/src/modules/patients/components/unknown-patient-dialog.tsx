import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { type Patient, type Sex, sexes } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { type FieldErrors, fieldErrorsFromProblem } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useRegisterUnknownPatient } from '../hooks/use-patients';
import { sexLabels } from '../patient-labels';

type Props = { open: boolean; onClose: () => void; onRegistered: (patient: Patient) => void };

/** Emergency registration of a patient who cannot be identified yet: one click, a temporary identity. */
export function UnknownPatientDialog({ open, onClose, onRegistered }: Props) {
  const [sex, setSex] = useState<Sex>('unknown');
  const [age, setAge] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const register = useRegisterUnknownPatient();
  const close = () => {
    setSex('unknown');
    setAge('');
    setNote('');
    setErrors({});
    register.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const years = age.trim() === '' ? null : Number(age);
    if (years !== null && (!Number.isInteger(years) || years < 0 || years > 120)) {
      return setErrors({ approximateAge: 'whole years, 0 to 120' });
    }
    setErrors({});
    register.mutate(
      { sex, approximateAge: years, note: note.trim() || null },
      {
        onSuccess: (patient) => {
          close();
          onRegistered(patient);
        },
        onError: (err) => setErrors(fieldErrorsFromProblem(err)),
      },
    );
  };
  return (
    <Dialog open={open} onClose={close} aria-labelledby="unknown-patient-title" fullWidth maxWidth="sm">
      <form noValidate onSubmit={submit}>
        <DialogTitle id="unknown-patient-title">Unknown patient (emergency)</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            Registers the patient now under a temporary name and ID, so that care can start. Their identity
            can be added later and the records merged.
          </DialogContentText>
          <Stack spacing={2}>
            <ProblemAlert error={register.error} />
            <FormControl component="fieldset">
              <FormLabel component="legend">Sex</FormLabel>
              <RadioGroup row value={sex} onChange={(e) => setSex(e.target.value as Sex)}>
                {sexes.map((s) => (
                  <FormControlLabel key={s} value={s} control={<Radio />} label={sexLabels[s]} />
                ))}
              </RadioGroup>
            </FormControl>
            <TextField
              label="Approximate age in years"
              type="number"
              value={age}
              onChange={(e) => setAge(e.target.value)}
              error={!!errors.approximateAge}
              helperText={errors.approximateAge ?? 'Leave empty when it cannot be guessed'}
              slotProps={{ htmlInput: { min: 0, max: 120, inputMode: 'numeric' } }}
              autoFocus
            />
            <TextField
              label="Note"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              error={!!errors.note}
              helperText={errors.note ?? 'E.g. brought by ambulance from the highway, wearing a blue shirt'}
              multiline
              minRows={2}
              slotProps={{ htmlInput: { maxLength: 300 } }}
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="contained" color="error" disabled={register.isPending}>
            {register.isPending ? 'Registering…' : 'Register unknown patient'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
