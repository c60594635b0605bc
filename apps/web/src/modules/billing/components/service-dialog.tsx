import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { type BillingService, BillingServiceBody, type ServiceGroup, serviceGroups } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useDepartments } from '../../opd';
import { serviceGroupLabels } from '../billing-labels';
import { isStale, useCreateService, useTaxCodes, useUpdateService } from '../hooks/use-billing';

type Props = {
  open: boolean;
  /** Null: a new service. */
  service: BillingService | null;
  onClose: () => void;
  onReload: () => void;
};

/** Creates a service of the charge master or edits one (its code is fixed once created). */
export function ServiceDialog({ open, service, onClose, onReload }: Props) {
  const titleId = useId();
  const departments = useDepartments();
  const taxCodes = useTaxCodes();
  const create = useCreateService();
  const update = useUpdateService();
  const mutation = service ? update : create;
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [departmentId, setDepartmentId] = useState('');
  const [serviceGroup, setServiceGroup] = useState<ServiceGroup>('other');
  const [taxCode, setTaxCode] = useState('HEALTHCARE');
  const [payWhen, setPayWhen] = useState<'before' | 'after'>('after');
  const [intensiveCare, setIntensiveCare] = useState(false);
  const [active, setActive] = useState(true);
  const [errors, setErrors] = useState<FieldErrors>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    if (!open) return;
    setCode(service?.code ?? '');
    setName(service?.name ?? '');
    setDepartmentId(service?.departmentId ?? '');
    setServiceGroup(service?.serviceGroup ?? 'other');
    setTaxCode(service?.taxCode ?? 'HEALTHCARE');
    setPayWhen(service?.payWhen ?? 'after');
    setIntensiveCare(service?.intensiveCare ?? false);
    setActive(service?.active ?? true);
    setErrors({});
    create.reset();
    update.reset();
  }, [open, service]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const values = {
      code: service?.code ?? code,
      name,
      departmentId: departmentId || null,
      serviceGroup,
      taxCode,
      payWhen,
      intensiveCare,
    };
    const checked = validateForm(BillingServiceBody, values);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    const onError = (err: unknown) => setErrors(fieldErrorsFromProblem(err));
    if (service) {
      const { code: _code, ...changes } = values;
      update.mutate(
        { id: service.id, ...changes, active, version: service.version },
        { onSuccess: onClose, onError },
      );
    } else {
      create.mutate(values, { onSuccess: onClose, onError });
    }
  };
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{service ? `Edit ${service.code}` : 'New service'}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <TextField
              label="Code"
              value={service?.code ?? code}
              onChange={(e) => setCode(e.target.value)}
              required
              disabled={!!service}
              error={!!errors.code}
              helperText={errors.code ?? (service ? 'The code cannot change' : 'e.g. LAB-CBC, RAD-CXR-PA')}
            />
            <TextField
              label="Name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              error={!!errors.name}
              helperText={errors.name ?? ' '}
            />
            <TextField
              select
              label="Service group"
              value={serviceGroup}
              onChange={(e) => setServiceGroup(e.target.value as ServiceGroup)}
              required
            >
              {serviceGroups.map((g) => (
                <MenuItem key={g} value={g}>
                  {serviceGroupLabels[g]}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              label="Department"
              value={departmentId}
              onChange={(e) => setDepartmentId(e.target.value)}
            >
              <MenuItem value="">None</MenuItem>
              {(departments.data ?? []).map((d) => (
                <MenuItem key={d.id} value={d.id}>
                  {d.name}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              label="Tax code"
              value={taxCode}
              onChange={(e) => setTaxCode(e.target.value)}
              error={!!errors.taxCode}
              helperText={errors.taxCode ?? 'The GST rows of this code apply by date'}
            >
              {(taxCodes.data ?? [{ code: taxCode, name: taxCode }]).map((t) => (
                <MenuItem key={t.code} value={t.code}>
                  {t.code} · {t.name}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              label="Paid"
              value={payWhen}
              onChange={(e) => setPayWhen(e.target.value as 'before' | 'after')}
            >
              <MenuItem value="before">Before the service (OPD)</MenuItem>
              <MenuItem value="after">After the service</MenuItem>
            </TextField>
            <FormControlLabel
              control={
                <Checkbox checked={intensiveCare} onChange={(e) => setIntensiveCare(e.target.checked)} />
              }
              label="Intensive care (room rent in ICU is GST-exempt)"
            />
            {service && (
              <FormControlLabel
                control={<Checkbox checked={active} onChange={(e) => setActive(e.target.checked)} />}
                label="Active (can be charged)"
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
            {service ? 'Save' : 'Create service'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
