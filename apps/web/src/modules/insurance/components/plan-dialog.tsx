import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormLabel from '@mui/material/FormLabel';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import {
  type Payer,
  type PayerPlan,
  PayerPlanBody,
  serviceGroups,
  UpdatePayerPlanBody,
} from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { parsePercent, parseRupees, percentInput, rupeesInput } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { isStale, useCreatePlan, useUpdatePlan } from '../hooks/use-insurance';
import { MoneyField } from './money-field';

type RoomRentKind = 'none' | 'per-day' | 'percent';
type Values = {
  code: string;
  name: string;
  copay: string;
  roomRentKind: RoomRentKind;
  roomRentAmount: string;
  roomRentPercent: string;
  proportionateDeduction: boolean;
  nonPayableGroups: string[];
  nonPayableCodes: string;
  active: boolean;
};

function valuesOf(plan: PayerPlan | null): Values {
  return {
    code: plan?.code ?? '',
    name: plan?.name ?? '',
    copay: plan ? percentInput(plan.copayBp) : '0',
    roomRentKind:
      plan?.roomRentLimit != null ? 'per-day' : plan?.roomRentLimitBp != null ? 'percent' : 'none',
    roomRentAmount: rupeesInput(plan?.roomRentLimit ?? null),
    roomRentPercent: percentInput(plan?.roomRentLimitBp ?? null),
    proportionateDeduction: plan?.proportionateDeduction ?? false,
    nonPayableGroups: plan?.nonPayableGroups ?? [],
    nonPayableCodes: (plan?.nonPayableCodes ?? []).join(', '),
    active: plan?.active ?? true,
  };
}

/** Adds a plan to a payer or edits one: co-pay, room-rent limit, proportionate deduction, non-payables. */
export function PlanDialog({
  open,
  payer,
  plan,
  onClose,
  onReload,
}: {
  open: boolean;
  payer: Payer;
  plan: PayerPlan | null;
  onClose: () => void;
  onReload: () => void;
}) {
  const titleId = useId();
  const create = useCreatePlan();
  const update = useUpdatePlan();
  const mutation = plan ? update : create;
  const [values, setValues] = useState<Values>(valuesOf(plan));
  const [errors, setErrors] = useState<FieldErrors>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new opening resets the form
  useEffect(() => {
    if (!open) return;
    setValues(valuesOf(plan));
    setErrors({});
    create.reset();
    update.reset();
  }, [open, plan]);
  const set = <K extends keyof Values>(key: K, value: Values[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local: FieldErrors = {};
    const copayBp = parsePercent(values.copay || '0');
    if (copayBp === null) local.copayBp = 'A percentage from 0 to 100';
    let roomRentLimit: number | null = null;
    let roomRentLimitBp: number | null = null;
    if (values.roomRentKind === 'per-day') {
      roomRentLimit = parseRupees(values.roomRentAmount);
      if (roomRentLimit === null || roomRentLimit <= 0) local.roomRentLimit = 'Rupees per day';
    }
    if (values.roomRentKind === 'percent') {
      roomRentLimitBp = parsePercent(values.roomRentPercent);
      if (roomRentLimitBp === null || roomRentLimitBp <= 0)
        local.roomRentLimitBp = 'A percentage of the sum insured';
    }
    if (Object.keys(local).length > 0) return setErrors(local);
    const body = {
      code: values.code,
      name: values.name,
      copayBp: copayBp ?? 0,
      roomRentLimit,
      roomRentLimitBp,
      proportionateDeduction: values.roomRentKind !== 'none' && values.proportionateDeduction,
      nonPayableGroups: values.nonPayableGroups,
      nonPayableCodes: values.nonPayableCodes
        .split(/[,\n]/)
        .map((c) => c.trim().toUpperCase())
        .filter(Boolean),
    };
    const onError = (err: unknown) => setErrors(fieldErrorsFromProblem(err));
    if (plan) {
      const checked = validateForm(UpdatePayerPlanBody, {
        ...body,
        active: values.active,
        version: plan.version,
      });
      if (!checked.ok) return setErrors(checked.errors);
      update.mutate({ id: plan.id, body: checked.data }, { onSuccess: onClose, onError });
    } else {
      const checked = validateForm(PayerPlanBody, body);
      if (!checked.ok) return setErrors(checked.errors);
      create.mutate({ payerId: payer.id, body: checked.data }, { onSuccess: onClose, onError });
    }
  };
  const toggleGroup = (group: string, checked: boolean) =>
    set(
      'nonPayableGroups',
      checked ? [...values.nonPayableGroups, group] : values.nonPayableGroups.filter((g) => g !== group),
    );
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>
          {plan ? `Edit plan ${plan.name}` : `Add a plan to ${payer.name}`}
        </DialogTitle>
        <DialogContent>
          <Stack spacing={1} sx={{ pt: 1 }}>
            <TextField
              label="Plan code"
              value={values.code}
              onChange={(e) => set('code', e.target.value.toUpperCase())}
              required
              autoFocus
              error={!!errors.code}
              helperText={errors.code ?? ' '}
              slotProps={{ htmlInput: { maxLength: 20 } }}
            />
            <TextField
              label="Plan name"
              value={values.name}
              onChange={(e) => set('name', e.target.value)}
              required
              error={!!errors.name}
              helperText={errors.name ?? ' '}
              slotProps={{ htmlInput: { maxLength: 120 } }}
            />
            <TextField
              label="Co-pay (%)"
              value={values.copay}
              onChange={(e) => set('copay', e.target.value)}
              error={!!errors.copayBp}
              helperText={errors.copayBp ?? 'The patient pays this share of what the payer would pay'}
              slotProps={{ htmlInput: { inputMode: 'decimal' } }}
            />
            <TextField
              select
              label="Room-rent limit"
              value={values.roomRentKind}
              onChange={(e) => set('roomRentKind', e.target.value as RoomRentKind)}
              helperText=" "
            >
              <MenuItem value="none">No limit</MenuItem>
              <MenuItem value="per-day">Rupees per day</MenuItem>
              <MenuItem value="percent">Percent of the sum insured per day</MenuItem>
            </TextField>
            {values.roomRentKind === 'per-day' && (
              <MoneyField
                label="Room rent per day"
                value={values.roomRentAmount}
                onChange={(v) => set('roomRentAmount', v)}
                error={errors.roomRentLimit}
                required
              />
            )}
            {values.roomRentKind === 'percent' && (
              <TextField
                label="Room rent per day (% of sum insured)"
                value={values.roomRentPercent}
                onChange={(e) => set('roomRentPercent', e.target.value)}
                required
                error={!!errors.roomRentLimitBp}
                helperText={errors.roomRentLimitBp ?? 'e.g. 1 for 1% of the sum insured a day'}
                slotProps={{ htmlInput: { inputMode: 'decimal' } }}
              />
            )}
            {values.roomRentKind !== 'none' && (
              <FormControlLabel
                control={
                  <Checkbox
                    checked={values.proportionateDeduction}
                    onChange={(e) => set('proportionateDeduction', e.target.checked)}
                  />
                }
                label="Proportionate deduction (room-linked charges reduced when the room costs more than the limit)"
              />
            )}
            <FormControl component="fieldset">
              <FormLabel component="legend">Non-payable service groups</FormLabel>
              <FormGroup row>
                {serviceGroups.map((g) => (
                  <FormControlLabel
                    key={g}
                    control={
                      <Checkbox
                        checked={values.nonPayableGroups.includes(g)}
                        onChange={(e) => toggleGroup(g, e.target.checked)}
                      />
                    }
                    label={g}
                  />
                ))}
              </FormGroup>
            </FormControl>
            <TextField
              label="Non-payable service codes"
              value={values.nonPayableCodes}
              onChange={(e) => set('nonPayableCodes', e.target.value)}
              multiline
              minRows={2}
              error={!!errors.nonPayableCodes}
              helperText={errors.nonPayableCodes ?? 'Separated by commas, e.g. ADM-KIT, TOILETRIES'}
            />
            {plan && (
              <FormControlLabel
                control={<Switch checked={values.active} onChange={(e) => set('active', e.target.checked)} />}
                label="Active"
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
            {plan ? 'Save plan' : 'Add plan'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
