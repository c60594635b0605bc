import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { CreatePractitionerBody, type Practitioner, type User } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../../ui/form-validation';
import { ProblemAlert } from '../../../../ui/problem-alert';
import { useDebouncedValue } from '../../../../ui/use-debounced-value';
import {
  useCreatePractitioner,
  useDepartments,
  useStaffUsers,
  useUpdatePractitioner,
} from '../../hooks/use-opd-setup';

type Props = {
  open: boolean;
  /** Editing this practitioner; a new profile otherwise. */
  practitioner: Practitioner | null;
  onClose: () => void;
};

type Values = {
  userId: string;
  displayName: string;
  departmentId: string;
  specialty: string;
  registrationCouncil: string;
  registrationNumber: string;
  qualifications: string;
  languages: string;
  firstVisitFee: string;
  followUpFee: string;
  followUpWithinDays: string;
  tokenPrefix: string;
  active: boolean;
};

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const rupees = (paise: number) => String(paise / 100);
const paise = (s: string) => Math.round(Number(s || '0') * 100);

function initial(p: Practitioner | null): Values {
  return {
    userId: p?.userId ?? '',
    displayName: p?.displayName ?? '',
    departmentId: p?.departmentId ?? '',
    specialty: p?.specialty ?? '',
    registrationCouncil: p?.registrationCouncil ?? '',
    registrationNumber: p?.registrationNumber ?? '',
    qualifications: p?.qualifications.join(', ') ?? '',
    languages: p?.languages.join(', ') ?? '',
    firstVisitFee: p ? rupees(p.firstVisitFee) : '',
    followUpFee: p ? rupees(p.followUpFee) : '',
    followUpWithinDays: String(p?.followUpWithinDays ?? 7),
    tokenPrefix: p?.tokenPrefix ?? '',
    active: p?.active ?? true,
  };
}

/** A doctor's OPD profile: linked staff user, department and specialty, registration, fees, token prefix. */
export function PractitionerDialog({ open, practitioner, onClose }: Props) {
  const titleId = useId();
  const create = useCreatePractitioner();
  const update = useUpdatePractitioner();
  const departments = useDepartments();
  const [values, setValues] = useState<Values>(() => initial(practitioner));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [userQuery, setUserQuery] = useState('');
  const [user, setUser] = useState<User | null>(null);
  const users = useStaffUsers(useDebouncedValue(userQuery.trim(), 250), open && !practitioner);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new dialog starts from the record
  useEffect(() => {
    if (!open) return;
    setValues(initial(practitioner));
    setErrors({});
    setUser(null);
    create.reset();
    update.reset();
  }, [open, practitioner]);
  const set = <K extends keyof Values>(key: K, value: Values[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const pending = create.isPending || update.isPending;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      userId: values.userId,
      displayName: values.displayName,
      departmentId: values.departmentId,
      specialty: values.specialty,
      registrationCouncil: values.registrationCouncil,
      registrationNumber: values.registrationNumber,
      qualifications: list(values.qualifications),
      languages: list(values.languages),
      firstVisitFee: paise(values.firstVisitFee),
      followUpFee: paise(values.followUpFee),
      followUpWithinDays: Number(values.followUpWithinDays || '0'),
      tokenPrefix: values.tokenPrefix.trim() || null,
      active: values.active,
    };
    const schema = practitioner ? CreatePractitionerBody.omit({ userId: true }) : CreatePractitionerBody;
    const checked = validateForm(schema, body);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    const onError = (err: unknown) => setErrors(fieldErrorsFromProblem(err));
    if (practitioner) {
      const { userId: _, ...changes } = body;
      update.mutate(
        { id: practitioner.id, ...changes, version: practitioner.version },
        { onSuccess: onClose, onError },
      );
    } else {
      create.mutate(body, { onSuccess: onClose, onError });
    }
  };

  const text = (
    key: keyof Values,
    label: string,
    extra: Partial<React.ComponentProps<typeof TextField>> = {},
  ) => (
    <TextField
      label={label}
      value={values[key] as string}
      onChange={(e) => set(key, e.target.value as never)}
      error={!!errors[key]}
      helperText={errors[key] ?? extra.helperText}
      {...extra}
    />
  );

  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="md">
      <Box component="form" onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>
          {practitioner ? `Edit ${practitioner.displayName}` : 'New practitioner'}
        </DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {!practitioner && (
              <Autocomplete<User>
                options={users.data ?? []}
                filterOptions={(x) => x}
                value={user}
                onChange={(_, u) => {
                  setUser(u);
                  set('userId', u?.id ?? '');
                  if (u && !values.displayName) set('displayName', u.displayName);
                }}
                inputValue={userQuery}
                onInputChange={(_, v) => setUserQuery(v)}
                getOptionLabel={(u) => `${u.displayName} (${u.email})`}
                isOptionEqualToValue={(a, b) => a.id === b.id}
                renderInput={(params) => (
                  <TextField
                    {...params}
                    label="Staff user"
                    required
                    error={!!errors.userId}
                    helperText={errors.userId ?? 'The doctor signs in as this user'}
                  />
                )}
              />
            )}
            <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
              {text('displayName', 'Name on the board and slips', { required: true })}
              <TextField
                select
                label="Department"
                required
                value={values.departmentId}
                onChange={(e) => set('departmentId', e.target.value)}
                error={!!errors.departmentId}
                helperText={errors.departmentId}
              >
                {(departments.data ?? [])
                  .filter((d) => d.active)
                  .map((d) => (
                    <MenuItem key={d.id} value={d.id}>
                      {d.name}
                    </MenuItem>
                  ))}
              </TextField>
              {text('specialty', 'Specialty', { required: true })}
              {text('qualifications', 'Qualifications', { helperText: 'Separated by commas: MBBS, MD' })}
              {text('registrationCouncil', 'Registration council')}
              {text('registrationNumber', 'Registration number')}
              {text('languages', 'Languages', { helperText: 'Separated by commas' })}
              {text('tokenPrefix', 'Token prefix', { helperText: '1-3 letters, when doctors share a board' })}
              {text('firstVisitFee', 'First visit fee', {
                required: true,
                slotProps: {
                  htmlInput: { inputMode: 'decimal' },
                  input: { startAdornment: <InputAdornment position="start">₹</InputAdornment> },
                },
              })}
              {text('followUpFee', 'Follow-up fee', {
                required: true,
                slotProps: {
                  htmlInput: { inputMode: 'decimal' },
                  input: { startAdornment: <InputAdornment position="start">₹</InputAdornment> },
                },
              })}
              {text('followUpWithinDays', 'Follow-up within (days)', {
                slotProps: { htmlInput: { inputMode: 'numeric' } },
              })}
            </Box>
            <FormControlLabel
              control={<Checkbox checked={values.active} onChange={(e) => set('active', e.target.checked)} />}
              label="Active (takes appointments)"
            />
            <ProblemAlert error={create.error ?? update.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={pending}>
            Save practitioner
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}
