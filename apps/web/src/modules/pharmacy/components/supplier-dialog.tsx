import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { SupplierBody } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import {
  blankToNull,
  type FieldErrors,
  fieldErrorsFromProblem,
  validateForm,
} from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { type SupplierInput, useCreateSupplier } from '../hooks/use-pharmacy';

const fields = [
  { key: 'name', label: 'Name', required: true, help: ' ' },
  { key: 'gstin', label: 'GSTIN', required: false, help: '15 characters, e.g. 27AAPFU0939F1ZV' },
  { key: 'drugLicenceNo', label: 'Drug licence number', required: false, help: ' ' },
  { key: 'phone', label: 'Phone', required: false, help: ' ' },
  { key: 'email', label: 'E-mail', required: false, help: ' ' },
  { key: 'address', label: 'Address', required: false, help: ' ' },
] as const;

type Values = Record<(typeof fields)[number]['key'], string>;
const empty: Values = { name: '', gstin: '', drugLicenceNo: '', phone: '', email: '', address: '' };

/** Adds a supplier with its GSTIN and drug licence. */
export function SupplierDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const titleId = useId();
  const create = useCreateSupplier();
  const [values, setValues] = useState<Values>(empty);
  const [formErrors, setFormErrors] = useState<FieldErrors>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    if (open) {
      setValues(empty);
      setFormErrors({});
      create.reset();
    }
  }, [open]);
  const errors = { ...fieldErrorsFromProblem(create.error), ...formErrors };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = validateForm(SupplierBody, {
      name: values.name,
      gstin: blankToNull(values.gstin),
      drugLicenceNo: blankToNull(values.drugLicenceNo),
      phone: blankToNull(values.phone),
      email: blankToNull(values.email),
      address: blankToNull(values.address),
    });
    if (!checked.ok) {
      setFormErrors(checked.errors);
      return;
    }
    setFormErrors({});
    create.mutate(checked.data as SupplierInput, { onSuccess: onClose });
  };
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>New supplier</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ mt: 1 }}>
            {fields.map((f, i) => (
              <TextField
                key={f.key}
                label={f.label}
                value={values[f.key]}
                onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
                required={f.required}
                autoFocus={i === 0}
                error={!!errors[f.key]}
                helperText={errors[f.key] ?? f.help}
              />
            ))}
            <ProblemAlert error={create.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={create.isPending}>
            Add supplier
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
