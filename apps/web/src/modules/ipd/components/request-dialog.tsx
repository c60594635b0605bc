import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type AdmissionRequest, AdmissionRequestBody } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { PatientPicker } from '../../opd';
import { useCreateAdmissionRequest } from '../hooks/use-ipd';
import { admissionSourceLabels } from '../ipd-labels';
import { emptyRequest, RequestFields, type RequestValues } from './request-fields';

const deskSources = ['direct', 'emergency', 'planned'] as const;

/** A request made at the desk: a planned admission, a patient waiting in emergency, a direct admission. */
export function RequestDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (request: AdmissionRequest) => void;
}) {
  const titleId = useId();
  const create = useCreateAdmissionRequest();
  const [patientId, setPatientId] = useState<string | null>(null);
  const [source, setSource] = useState<(typeof deskSources)[number]>('direct');
  const [plannedFor, setPlannedFor] = useState('');
  const [values, setValues] = useState<RequestValues>(emptyRequest);
  const [errors, setErrors] = useState<FieldErrors>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new opening resets the form
  useEffect(() => {
    if (!open) return;
    setPatientId(null);
    setSource('direct');
    setPlannedFor('');
    setValues(emptyRequest);
    setErrors({});
    create.reset();
  }, [open]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = validateForm(AdmissionRequestBody, {
      patientId: patientId ?? '',
      source,
      priority: values.priority,
      wardKind: values.wardKind || null,
      reason: values.reason,
      plannedFor: source === 'planned' ? plannedFor || null : null,
    });
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    create.mutate(checked.data, {
      onSuccess: onCreated,
      onError: (err) => setErrors(fieldErrorsFromProblem(err)),
    });
  };

  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>New admission request</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <PatientPicker value={patientId} onChange={setPatientId} />
            {errors.patientId && (
              <Typography color="error" variant="body2">
                Choose the patient
              </Typography>
            )}
            <TextField
              select
              label="Source"
              value={source}
              onChange={(e) => setSource(e.target.value as (typeof deskSources)[number])}
            >
              {deskSources.map((s) => (
                <MenuItem key={s} value={s}>
                  {admissionSourceLabels[s]}
                </MenuItem>
              ))}
            </TextField>
            {source === 'planned' && (
              <TextField
                label="Planned for"
                type="date"
                required
                value={plannedFor}
                onChange={(e) => setPlannedFor(e.target.value)}
                error={!!errors.plannedFor}
                helperText={errors.plannedFor ?? ' '}
                slotProps={{ inputLabel: { shrink: true } }}
              />
            )}
            <RequestFields values={values} onChange={setValues} errors={errors} />
            <ProblemAlert error={create.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={create.isPending}>
            Add to the queue
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
