import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { CreateUserBody, type User } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { type RoleAssignment, useCreateUser } from '../hooks/use-users';
import { RoleAssignmentsEditor } from './role-assignments-editor';

type Props = {
  open: boolean;
  onClose: () => void;
  onCreated: (user: User, temporaryPassword: string | undefined) => void;
};

export function CreateUserDialog({ open, onClose, onCreated }: Props) {
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<RoleAssignment[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useCreateUser();

  const reset = () => {
    setEmail('');
    setDisplayName('');
    setPassword('');
    setRoles([]);
    setErrors({});
    create.reset();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = validateForm(CreateUserBody, {
      email,
      displayName,
      ...(password ? { password } : {}),
      roles,
    });
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    create.mutate(result.data, {
      onSuccess: (res) => {
        reset();
        onCreated(res.user, res.temporaryPassword);
      },
      onError: (err) => setErrors(fieldErrorsFromProblem(err)),
    });
  };

  return (
    <Dialog
      open={open}
      onClose={() => {
        reset();
        onClose();
      }}
      aria-labelledby="create-user-title"
      fullWidth
      maxWidth="sm"
    >
      <form noValidate onSubmit={submit}>
        <DialogTitle id="create-user-title">New user</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <ProblemAlert error={create.error} />
            <TextField
              label="E-mail"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              error={!!errors.email}
              helperText={errors.email}
              required
              autoFocus
            />
            <TextField
              label="Name"
              value={displayName}
              onChange={(e) => setDisplayName(e.target.value)}
              error={!!errors.displayName}
              helperText={errors.displayName}
              required
            />
            <TextField
              label="Initial password (optional)"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={!!errors.password}
              helperText={errors.password ?? 'Leave empty to have a temporary password generated'}
            />
            <RoleAssignmentsEditor value={roles} onChange={setRoles} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button
            onClick={() => {
              reset();
              onClose();
            }}
          >
            Cancel
          </Button>
          <Button type="submit" variant="contained" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create user'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
