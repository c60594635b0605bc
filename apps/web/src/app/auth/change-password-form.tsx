import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { ChangePasswordBody } from '@newhms/contracts';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../ui/form-validation';
import { ProblemAlert } from '../../ui/problem-alert';
import { api } from '../api-client';

/** Current, new and confirmed password; shows the server's password-policy errors by field. */
export function ChangePasswordForm({ onChanged }: { onChanged: () => void | Promise<void> }) {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [done, setDone] = useState(false);

  const mutation = useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api.post<void>('/auth/password', body),
    onSuccess: async () => {
      setDone(true);
      setCurrent('');
      setNew('');
      setConfirm('');
      await onChanged();
    },
    onError: (err) => setErrors(fieldErrorsFromProblem(err)),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    const result = validateForm(ChangePasswordBody, { currentPassword, newPassword });
    const next: FieldErrors = result.ok ? {} : { ...result.errors };
    if (newPassword !== confirm) next.confirm = 'does not match the new password';
    setErrors(next);
    if (!result.ok || Object.keys(next).length > 0) return;
    mutation.mutate(result.data);
  };

  const hasFieldErrors = Object.keys(errors).length > 0;
  return (
    <Stack component="form" noValidate spacing={2} onSubmit={submit} aria-label="Change password">
      {mutation.isError && !hasFieldErrors && <ProblemAlert error={mutation.error} />}
      {mutation.isError && hasFieldErrors && (
        <Alert severity="error" role="alert">
          {mutation.error.message}
        </Alert>
      )}
      {done && (
        <Alert severity="success" role="status">
          Your password was changed. Your other sessions were signed out.
        </Alert>
      )}
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={currentPassword}
        onChange={(e) => setCurrent(e.target.value)}
        error={!!errors.currentPassword}
        helperText={errors.currentPassword}
        required
        fullWidth
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        value={newPassword}
        onChange={(e) => setNew(e.target.value)}
        error={!!errors.newPassword}
        helperText={errors.newPassword ?? 'At least 12 characters; not a common password'}
        required
        fullWidth
      />
      <TextField
        label="Confirm new password"
        type="password"
        autoComplete="new-password"
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={!!errors.confirm}
        helperText={errors.confirm}
        required
        fullWidth
      />
      <Button type="submit" variant="contained" disabled={mutation.isPending}>
        {mutation.isPending ? 'Changing…' : 'Change password'}
      </Button>
    </Stack>
  );
}
