import Alert from '@mui/material/Alert';
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
import {
  CreateDepartmentBody,
  type Department,
  departmentKinds,
  UpdateDepartmentBody,
} from '@newhms/contracts';
import { type FormEvent, useId, useState } from 'react';
import { CONFLICT_MESSAGE, isConflict } from '../../../ui/conflict';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useCreateDepartment, useUpdateDepartment } from '../hooks/use-facilities';

type Props = { facilityId: string; department: Department | null; onClose: () => void; onReload: () => void };

export function DepartmentDialog({ facilityId, department, onClose, onReload }: Props) {
  const titleId = useId();
  const [code, setCode] = useState(department?.code ?? '');
  const [name, setName] = useState(department?.name ?? '');
  const [kind, setKind] = useState<Department['kind']>(department?.kind ?? 'clinical');
  const [active, setActive] = useState(department?.active ?? true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useCreateDepartment(facilityId);
  const update = useUpdateDepartment(facilityId);
  const mutation = department ? update : create;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const onError = (err: unknown) => setErrors(fieldErrorsFromProblem(err));
    if (department) {
      const result = validateForm(UpdateDepartmentBody, { name, kind, active, version: department.version });
      if (!result.ok) return setErrors(result.errors);
      setErrors({});
      update.mutate({ id: department.id, ...result.data }, { onSuccess: onClose, onError });
    } else {
      const result = validateForm(CreateDepartmentBody, { code, name, kind });
      if (!result.ok) return setErrors(result.errors);
      setErrors({});
      create.mutate(result.data, { onSuccess: onClose, onError });
    }
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form noValidate onSubmit={submit}>
        <DialogTitle id={titleId}>{department ? `Edit ${department.name}` : 'New department'}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {isConflict(update.error) ? (
              <Alert
                severity="warning"
                role="alert"
                action={
                  <Button color="inherit" onClick={onReload}>
                    Reload
                  </Button>
                }
              >
                {CONFLICT_MESSAGE}
              </Alert>
            ) : (
              <ProblemAlert error={mutation.error} />
            )}
            <TextField
              label="Code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              error={!!errors.code}
              helperText={
                errors.code ?? (department ? 'The code cannot be changed' : '2-16 letters, digits or dashes')
              }
              required={!department}
              disabled={!!department}
              autoFocus={!department}
            />
            <TextField
              label="Name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={!!errors.name}
              helperText={errors.name}
              required
            />
            <TextField
              select
              label="Kind"
              value={kind}
              onChange={(e) => setKind(e.target.value as Department['kind'])}
              error={!!errors.kind}
              helperText={errors.kind}
            >
              {departmentKinds.map((k) => (
                <MenuItem key={k} value={k}>
                  {k}
                </MenuItem>
              ))}
            </TextField>
            {department && (
              <FormControlLabel
                control={<Switch checked={active} onChange={(e) => setActive(e.target.checked)} />}
                label="Active"
              />
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={mutation.isPending}>
            {department ? 'Save department' : 'Create department'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
