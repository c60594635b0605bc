import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import { CreateFacilityBody, type Facility, UpdateFacilityBody } from '@newhms/contracts';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { CONFLICT_MESSAGE, isConflict } from '../../../ui/conflict';
import {
  blankToNull,
  type FieldErrors,
  fieldErrorsFromProblem,
  validateForm,
} from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useCreateFacility, useUpdateFacility } from '../hooks/use-facilities';

const textFields = [
  ['name', 'Name'],
  ['addressLine', 'Address'],
  ['city', 'City'],
  ['state', 'State'],
  ['postalCode', 'Postal code'],
  ['country', 'Country (ISO code)'],
  ['currency', 'Currency (ISO code)'],
  ['phone', 'Phone'],
  ['email', 'E-mail'],
  ['registrationNumber', 'Registration number'],
  ['gstin', 'GSTIN'],
] as const;
type TextKey = (typeof textFields)[number][0];
type Values = Record<TextKey | 'code' | 'timeZone', string>;

function initialValues(f: Facility | null): Values {
  return {
    code: f?.code ?? '',
    name: f?.name ?? '',
    timeZone: f?.timeZone ?? 'Asia/Kolkata',
    currency: f?.currency ?? 'INR',
    addressLine: f?.addressLine ?? '',
    city: f?.city ?? '',
    state: f?.state ?? '',
    postalCode: f?.postalCode ?? '',
    country: f?.country ?? 'IN',
    phone: f?.phone ?? '',
    email: f?.email ?? '',
    registrationNumber: f?.registrationNumber ?? '',
    gstin: f?.gstin ?? '',
  };
}

const required = new Set<string>(['name', 'country', 'currency']);

type Props = { facility: Facility | null; onClose: () => void; onReload: () => void };

/** Creates a facility, or edits one (with its version, so a concurrent change is refused). */
export function FacilityDialog({ facility, onClose, onReload }: Props) {
  const titleId = useId();
  const [values, setValues] = useState<Values>(() => initialValues(facility));
  const [active, setActive] = useState(facility?.active ?? true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useCreateFacility();
  const update = useUpdateFacility();
  const mutation = facility ? update : create;
  // ICU lists some zones by their old names (Asia/Calcutta): keep the current IANA names selectable too.
  const initialZone = facility?.timeZone;
  const timeZones = useMemo(
    () =>
      [
        ...new Set([
          ...Intl.supportedValuesOf('timeZone'),
          'Asia/Kolkata',
          'UTC',
          ...(initialZone ? [initialZone] : []),
        ]),
      ].sort(),
    [initialZone],
  );
  const set = (key: keyof Values) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      name: values.name,
      timeZone: values.timeZone,
      currency: values.currency.trim().toUpperCase(),
      country: values.country.trim().toUpperCase(),
      addressLine: blankToNull(values.addressLine),
      city: blankToNull(values.city),
      state: blankToNull(values.state),
      postalCode: blankToNull(values.postalCode),
      phone: blankToNull(values.phone),
      email: blankToNull(values.email),
      registrationNumber: blankToNull(values.registrationNumber),
      gstin: blankToNull(values.gstin),
    };
    const onError = (err: unknown) => setErrors(fieldErrorsFromProblem(err));
    if (facility) {
      const result = validateForm(UpdateFacilityBody, { ...body, active, version: facility.version });
      if (!result.ok) return setErrors(result.errors);
      setErrors({});
      update.mutate({ id: facility.id, ...result.data } as Parameters<typeof update.mutate>[0], {
        onSuccess: onClose,
        onError,
      });
    } else {
      const result = validateForm(CreateFacilityBody, { ...body, code: values.code });
      if (!result.ok) return setErrors(result.errors);
      setErrors({});
      create.mutate(result.data as Parameters<typeof create.mutate>[0], { onSuccess: onClose, onError });
    }
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="md">
      <form noValidate onSubmit={submit}>
        <DialogTitle id={titleId}>{facility ? `Edit ${facility.name}` : 'New facility'}</DialogTitle>
        <DialogContent>
          {isConflict(update.error) ? (
            <Alert
              severity="warning"
              role="alert"
              sx={{ mb: 2 }}
              action={
                <Button color="inherit" onClick={onReload}>
                  Reload
                </Button>
              }
            >
              {CONFLICT_MESSAGE}
            </Alert>
          ) : (
            <ProblemAlert error={mutation.error} sx={{ mb: 2 }} />
          )}
          <Box sx={{ display: 'grid', gap: 2, pt: 1, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
            <TextField
              label="Code"
              value={values.code}
              onChange={(e) => set('code')(e.target.value)}
              error={!!errors.code}
              helperText={errors.code ?? (facility ? 'The code cannot be changed' : '2-10 letters or digits')}
              required={!facility}
              disabled={!!facility}
              autoFocus={!facility}
            />
            {textFields.map(([key, label]) => (
              <TextField
                key={key}
                label={label}
                value={values[key]}
                onChange={(e) => set(key)(e.target.value)}
                error={!!errors[key]}
                helperText={errors[key]}
                required={required.has(key)}
                type={key === 'email' ? 'email' : key === 'phone' ? 'tel' : 'text'}
              />
            ))}
            <Autocomplete
              options={timeZones}
              value={values.timeZone}
              onChange={(_, v) => set('timeZone')(v ?? '')}
              disableClearable
              renderInput={(params) => (
                <TextField
                  {...params}
                  label="Time zone"
                  required
                  error={!!errors.timeZone}
                  helperText={errors.timeZone}
                />
              )}
            />
            {facility && (
              <FormControlLabel
                control={<Switch checked={active} onChange={(e) => setActive(e.target.checked)} />}
                label="Active"
              />
            )}
          </Box>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={mutation.isPending}>
            {facility ? 'Save facility' : 'Create facility'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
