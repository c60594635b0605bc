import ArrowBack from '@mui/icons-material/ArrowBack';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { UpdateUserBody, type User } from '@newhms/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { ConfirmDialog } from '../../../ui/confirm-dialog';
import { CONFLICT_MESSAGE, isConflict } from '../../../ui/conflict';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { formatDateTime } from '../../../ui/format';
import { OneTimeSecretDialog } from '../../../ui/one-time-secret';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { RoleAssignmentsEditor } from '../components/role-assignments-editor';
import {
  type RoleAssignment,
  useLockUser,
  useResetPassword,
  useRevokeUserSessions,
  useSetUserRoles,
  useUpdateUser,
  useUser,
} from '../hooks/use-users';
import { UserStatusChips } from './users-page';

export function UserDetailPage() {
  const { userId = '' } = useParams();
  const user = useUser(userId);
  return (
    <>
      <Button component={RouterLink} to="/admin/users" startIcon={<ArrowBack />} sx={{ mb: 2 }}>
        All users
      </Button>
      {user.isPending && <CircularProgress aria-label="Loading user" />}
      <ProblemAlert error={user.error} />
      {user.data && <UserDetail user={user.data} />}
    </>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper variant="outlined" component="section" aria-label={title} sx={{ p: { xs: 2, sm: 3 } }}>
      <Typography variant="h6" component="h2" sx={{ mb: 2 }}>
        {title}
      </Typography>
      {children}
    </Paper>
  );
}

function ConflictAlert({ onReload }: { onReload: () => void }) {
  return (
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
  );
}

function UserDetail({ user }: { user: User }) {
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const reload = () => void queryClient.invalidateQueries({ queryKey: ['auth', 'users'] });
  return (
    <>
      <PageHeader
        title={user.displayName}
        subtitle={
          <>
            {user.email} · last sign-in {formatDateTime(user.lastLoginAt) || 'never'} · MFA{' '}
            {user.mfaEnabled ? 'on' : 'off'}
          </>
        }
      />
      <Box sx={{ mb: 3 }}>
        <UserStatusChips user={user} />
      </Box>
      <Stack spacing={3}>
        <ProfileSection key={`p${user.version}`} user={user} onReload={reload} />
        <RolesSection key={`r${user.version}`} user={user} onReload={reload} />
        <SecuritySection user={user} isSelf={me?.id === user.id} />
      </Stack>
    </>
  );
}

function ProfileSection({ user, onReload }: { user: User; onReload: () => void }) {
  const [displayName, setDisplayName] = useState(user.displayName);
  const [status, setStatus] = useState<User['status']>(user.status);
  const [errors, setErrors] = useState<FieldErrors>({});
  const update = useUpdateUser(user.id);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = validateForm(UpdateUserBody, { displayName, status, version: user.version });
    if (!result.ok) return setErrors(result.errors);
    setErrors({});
    update.mutate(result.data, { onError: (err) => setErrors(fieldErrorsFromProblem(err)) });
  };
  return (
    <Section title="Profile">
      <Stack component="form" noValidate spacing={2} onSubmit={submit} sx={{ maxWidth: 480 }}>
        {isConflict(update.error) ? (
          <ConflictAlert onReload={onReload} />
        ) : (
          <ProblemAlert error={update.error} />
        )}
        <TextField
          label="Name"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          error={!!errors.displayName}
          helperText={errors.displayName}
          required
        />
        <TextField
          select
          label="Status"
          value={status}
          onChange={(e) => setStatus(e.target.value as User['status'])}
          helperText="A disabled user cannot sign in"
        >
          <MenuItem value="active">Active</MenuItem>
          <MenuItem value="disabled">Disabled</MenuItem>
        </TextField>
        <Box>
          <Button type="submit" variant="contained" disabled={update.isPending}>
            Save profile
          </Button>
        </Box>
      </Stack>
    </Section>
  );
}

function RolesSection({ user, onReload }: { user: User; onReload: () => void }) {
  const [roles, setRoles] = useState<RoleAssignment[]>(() =>
    user.roles.map((r) => ({ facilityId: r.facilityId, roleId: r.roleId })),
  );
  const setUserRoles = useSetUserRoles(user.id);
  const knownRoleNames = Object.fromEntries(user.roles.map((r) => [r.roleId, r.roleName]));
  return (
    <Section title="Roles">
      <Stack spacing={2}>
        {isConflict(setUserRoles.error) ? (
          <ConflictAlert onReload={onReload} />
        ) : (
          <ProblemAlert error={setUserRoles.error} />
        )}
        <RoleAssignmentsEditor value={roles} onChange={setRoles} knownRoleNames={knownRoleNames} />
        <Box>
          <Button
            variant="contained"
            disabled={setUserRoles.isPending}
            onClick={() => setUserRoles.mutate({ roles, version: user.version })}
          >
            Save roles
          </Button>
        </Box>
      </Stack>
    </Section>
  );
}

type Pending = 'reset' | 'revoke' | null;

function SecuritySection({ user, isSelf }: { user: User; isSelf: boolean }) {
  const lock = useLockUser(user.id);
  const reset = useResetPassword(user.id);
  const revoke = useRevokeUserSessions(user.id);
  const [pending, setPending] = useState<Pending>(null);
  const [temporary, setTemporary] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const error = lock.error ?? reset.error ?? revoke.error;
  return (
    <Section title="Security">
      <Stack spacing={2}>
        <ProblemAlert error={error} />
        {notice && (
          <Alert severity="success" role="status" onClose={() => setNotice(null)}>
            {notice}
          </Alert>
        )}
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
          <Button
            variant="outlined"
            disabled={lock.isPending || isSelf}
            onClick={() =>
              lock.mutate(!user.locked, {
                onSuccess: () =>
                  setNotice(user.locked ? 'The account was unlocked.' : 'The account was locked.'),
              })
            }
          >
            {user.locked ? 'Unlock account' : 'Lock account'}
          </Button>
          <Button variant="outlined" onClick={() => setPending('reset')} disabled={isSelf}>
            Reset password
          </Button>
          <Button variant="outlined" color="error" onClick={() => setPending('revoke')}>
            Sign out everywhere
          </Button>
        </Box>
        {isSelf && (
          <Typography variant="body2" color="text.secondary">
            To change your own password use Change password in your account menu.
          </Typography>
        )}
      </Stack>
      <ConfirmDialog
        open={pending === 'reset'}
        title="Reset password?"
        message={`A temporary password will be generated for ${user.displayName}. Their sessions will end and they must choose a new password at sign-in.`}
        confirmLabel="Reset password"
        busy={reset.isPending}
        onCancel={() => setPending(null)}
        onConfirm={() =>
          reset.mutate(undefined, {
            onSuccess: (res) => {
              setPending(null);
              setTemporary(res.temporaryPassword);
            },
            onError: () => setPending(null),
          })
        }
      />
      <ConfirmDialog
        open={pending === 'revoke'}
        title="Sign out everywhere?"
        message={`Every session of ${user.displayName} will end; they must sign in again.`}
        confirmLabel="Sign out everywhere"
        danger
        busy={revoke.isPending}
        onCancel={() => setPending(null)}
        onConfirm={() =>
          revoke.mutate(undefined, {
            onSuccess: () => {
              setPending(null);
              setNotice('All sessions of the user were ended.');
            },
            onError: () => setPending(null),
          })
        }
      />
      <OneTimeSecretDialog
        open={!!temporary}
        title="Password reset"
        message={`Give this temporary password to ${user.displayName} by a safe channel.`}
        secret={temporary}
        onClose={() => setTemporary(null)}
      />
    </Section>
  );
}
