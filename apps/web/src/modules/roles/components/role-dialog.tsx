import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { CreateRoleBody, type Role, UpdateRoleBody } from '@newhms/contracts';
import { type FormEvent, useId, useState } from 'react';
import { isConflict } from '../../../ui/conflict';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useCreateRole, useUpdateRole } from '../hooks/use-roles';
import { PermissionPicker } from './permission-picker';

type Props = {
  /** The role to edit; none to create one. */
  role: Role | null;
  onClose: () => void;
  /** Fetches the roles again and returns the fresh copy of this one. */
  onReload: () => Promise<Role | undefined>;
};

export function RoleDialog({ role, onClose, onReload }: Props) {
  const titleId = useId();
  const [current, setCurrent] = useState<Role | null>(role);
  const [name, setName] = useState('');
  const [description, setDescription] = useState(role?.description ?? '');
  const [permissions, setPermissions] = useState<string[]>(role?.permissions ?? []);
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useCreateRole();
  const update = useUpdateRole();
  const mutation = current ? update : create;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const onError = (err: unknown) => setErrors(fieldErrorsFromProblem(err));
    if (current) {
      const result = validateForm(UpdateRoleBody, { description, permissions, version: current.version });
      if (!result.ok) return setErrors(result.errors);
      setErrors({});
      update.mutate({ id: current.id, ...result.data }, { onSuccess: onClose, onError });
    } else {
      const result = validateForm(CreateRoleBody, { name, description, permissions });
      if (!result.ok) return setErrors(result.errors);
      setErrors({});
      create.mutate(result.data, { onSuccess: onClose, onError });
    }
  };

  const reload = async () => {
    const fresh = await onReload();
    update.reset();
    if (fresh) {
      setCurrent(fresh);
      setDescription(fresh.description);
      setPermissions(fresh.permissions);
    }
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="md">
      <form noValidate onSubmit={submit}>
        <DialogTitle id={titleId}>{current ? `Edit role ${current.name}` : 'New role'}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {isConflict(update.error) ? (
              <Alert
                severity="warning"
                role="alert"
                action={
                  <Button color="inherit" onClick={() => void reload()}>
                    Reload
                  </Button>
                }
              >
                This role was changed by someone else. Reload to see the current version; your changes will be
                replaced.
              </Alert>
            ) : (
              <ProblemAlert error={mutation.error} />
            )}
            {!current && (
              <TextField
                label="Name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                error={!!errors.name}
                helperText={errors.name ?? 'Lower-case letters, digits and dashes, e.g. ward-clerk'}
                required
                autoFocus
              />
            )}
            <TextField
              label="Description"
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              error={!!errors.description}
              helperText={errors.description}
              multiline
              minRows={2}
            />
            <Typography component="h3" variant="h6">
              Permissions
            </Typography>
            {errors.permissions && (
              <Typography color="error" role="alert">
                {errors.permissions}
              </Typography>
            )}
            <PermissionPicker value={permissions} onChange={setPermissions} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={mutation.isPending}>
            {current ? 'Save role' : 'Create role'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
