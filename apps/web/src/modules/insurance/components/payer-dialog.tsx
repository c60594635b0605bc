import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import { type Payer, PayerBody, type PayerKind, payerKinds, UpdatePayerBody } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { isStale, useCreatePayer, useUpdatePayer } from '../hooks/use-insurance';
import { payerKindLabels } from '../insurance-labels';

type Values = {
  code: string;
  name: string;
  kind: PayerKind;
  registrationNumber: string;
  creditDays: string;
  contactEmail: string;
  contactPhone: string;
  active: boolean;
};

function valuesOf(payer: Payer | null): Values {
  return {
    code: payer?.code ?? '',
    name: payer?.name ?? '',
    kind: payer?.kind ?? 'insurer',
    registrationNumber: payer?.registrationNumber ?? '',
    creditDays: payer ? String(payer.creditDays) : '30',
    contactEmail: payer?.contactEmail ?? '',
    contactPhone: payer?.contactPhone ?? '',
    active: payer?.active ?? true,
  };
}

/** Adds a payer (insurer, TPA, corporate, government scheme) or edits one; `payer` null adds. */
export function PayerDialog({
  open,
  payer,
  onClose,
  onReload,
}: {
  open: boolean;
  payer: Payer | null;
  onClose: () => void;
  onReload: () => void;
}) {
  const titleId = useId();
  const create = useCreatePayer();
  const update = useUpdatePayer();
  const mutation = payer ? update : create;
  const [values, setValues] = useState<Values>(valuesOf(payer));
  const [errors, setErrors] = useState<FieldErrors>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new opening resets the form
  useEffect(() => {
    if (!open) return;
    setValues(valuesOf(payer));
    setErrors({});
    create.reset();
    update.reset();
  }, [open, payer]);

  const set = <K extends keyof Values>(key: K, value: Values[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      code: values.code,
      name: values.name,
      kind: values.kind,
      registrationNumber: values.registrationNumber,
      creditDays: values.creditDays.trim() === '' ? undefined : Number(values.creditDays),
      contactEmail: values.contactEmail.trim() === '' ? null : values.contactEmail.trim(),
      contactPhone: values.contactPhone,
    };
    const onError = (err: unknown) => setErrors(fieldErrorsFromProblem(err));
    if (payer) {
      const checked = validateForm(UpdatePayerBody, {
        ...body,
        active: values.active,
        version: payer.version,
      });
      if (!checked.ok) return setErrors(checked.errors);
      update.mutate({ id: payer.id, body: checked.data }, { onSuccess: onClose, onError });
    } else {
      const checked = validateForm(PayerBody, body);
      if (!checked.ok) return setErrors(checked.errors);
      create.mutate(checked.data, { onSuccess: onClose, onError });
    }
  };
  const helper = (key: string, text = ' ') => errors[key] ?? text;
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{payer ? `Edit ${payer.name}` : 'Add a payer'}</DialogTitle>
        <DialogContent>
          <Stack spacing={1} sx={{ pt: 1 }}>
            <TextField
              label="Code"
              value={values.code}
              onChange={(e) => set('code', e.target.value.toUpperCase())}
              required
              autoFocus
              error={!!errors.code}
              helperText={helper('code', 'Letters, digits and dashes, e.g. STAR-HEALTH')}
              slotProps={{ htmlInput: { maxLength: 20 } }}
            />
            <TextField
              label="Name"
              value={values.name}
              onChange={(e) => set('name', e.target.value)}
              required
              error={!!errors.name}
              helperText={helper('name')}
              slotProps={{ htmlInput: { maxLength: 120 } }}
            />
            <TextField
              select
              label="Kind"
              value={values.kind}
              onChange={(e) => set('kind', e.target.value as PayerKind)}
              helperText=" "
            >
              {payerKinds.map((k) => (
                <MenuItem key={k} value={k}>
                  {payerKindLabels[k]}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label="Registration number"
              value={values.registrationNumber}
              onChange={(e) => set('registrationNumber', e.target.value)}
              error={!!errors.registrationNumber}
              helperText={helper('registrationNumber', 'IRDAI registration, scheme code…')}
              slotProps={{ htmlInput: { maxLength: 60 } }}
            />
            <TextField
              label="Credit days"
              value={values.creditDays}
              onChange={(e) => set('creditDays', e.target.value.replace(/\D/g, ''))}
              error={!!errors.creditDays}
              helperText={helper('creditDays', 'Days the payer usually takes to settle')}
              slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 3 } }}
            />
            <TextField
              label="Contact e-mail"
              type="email"
              value={values.contactEmail}
              onChange={(e) => set('contactEmail', e.target.value)}
              error={!!errors.contactEmail}
              helperText={helper('contactEmail')}
            />
            <TextField
              label="Contact phone"
              value={values.contactPhone}
              onChange={(e) => set('contactPhone', e.target.value)}
              error={!!errors.contactPhone}
              helperText={helper('contactPhone')}
              slotProps={{ htmlInput: { maxLength: 30 } }}
            />
            {payer && (
              <FormControlLabel
                control={<Switch checked={values.active} onChange={(e) => set('active', e.target.checked)} />}
                label="Active (new policies can name it)"
              />
            )}
            {isStale(mutation.error) ? (
              <ConflictAlert
                onReload={() => {
                  onReload();
                  onClose();
                }}
              />
            ) : (
              <ProblemAlert error={mutation.error} />
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={mutation.isPending}>
            {payer ? 'Save payer' : 'Add payer'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
