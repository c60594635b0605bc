import PersonAdd from '@mui/icons-material/PersonAdd';
import SearchIcon from '@mui/icons-material/Search';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import InputAdornment from '@mui/material/InputAdornment';
import Link from '@mui/material/Link';
import TextField from '@mui/material/TextField';
import type { User } from '@newhms/contracts';
import { useState } from 'react';
import { Link as RouterLink, useNavigate } from 'react-router';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { OneTimeSecretDialog } from '../../../ui/one-time-secret';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { CreateUserDialog } from '../components/create-user-dialog';
import { useUserList } from '../hooks/use-users';

export function UserStatusChips({ user }: { user: User }) {
  return (
    <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
      <Chip size="small" label={user.status} color={user.status === 'active' ? 'success' : 'default'} />
      {user.locked && <Chip size="small" label="locked" color="error" />}
      {user.mustChangePassword && <Chip size="small" label="must change password" variant="outlined" />}
    </Box>
  );
}

const columns: Column<User>[] = [
  {
    id: 'name',
    header: 'Name',
    render: (u) => (
      <Link component={RouterLink} to={`/admin/users/${u.id}`}>
        {u.displayName}
      </Link>
    ),
  },
  { id: 'email', header: 'E-mail', render: (u) => u.email },
  { id: 'status', header: 'Status', render: (u) => <UserStatusChips user={u} /> },
  {
    id: 'roles',
    header: 'Roles',
    render: (u) => [...new Set(u.roles.map((r) => r.roleName))].join(', ') || '—',
    hideBelow: 'md',
  },
  { id: 'mfa', header: 'MFA', render: (u) => (u.mfaEnabled ? 'On' : 'Off'), hideBelow: 'md' },
  {
    id: 'lastLogin',
    header: 'Last sign-in',
    render: (u) => formatDateTime(u.lastLoginAt) || 'Never',
    hideBelow: 'lg',
  },
];

export function UsersPage() {
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const query = useDebouncedValue(q.trim());
  const list = useUserList(query);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ user: User; password: string } | null>(null);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        title="Users"
        subtitle="Staff accounts and their roles in each facility."
        actions={
          <Button variant="contained" startIcon={<PersonAdd />} onClick={() => setCreating(true)}>
            New user
          </Button>
        }
      />
      <Box role="search" sx={{ mb: 2, maxWidth: 480 }}>
        <TextField
          label="Search users"
          placeholder="Name or e-mail"
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          fullWidth
          slotProps={{
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <SearchIcon aria-hidden="true" />
                </InputAdornment>
              ),
            },
          }}
        />
      </Box>
      <ProblemAlert error={list.error} sx={{ mb: 2 }} />
      <DataTable
        label="Users"
        columns={columns}
        rows={rows}
        rowKey={(u) => u.id}
        loading={list.isFetching && !list.isFetchingNextPage}
        emptyText={query ? 'No user matches the search.' : 'No users yet.'}
        hasMore={list.hasNextPage}
        loadingMore={list.isFetchingNextPage}
        onLoadMore={() => void list.fetchNextPage()}
      />
      <CreateUserDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(user, temporaryPassword) => {
          setCreating(false);
          if (temporaryPassword) setCreated({ user, password: temporaryPassword });
          else navigate(`/admin/users/${user.id}`);
        }}
      />
      <OneTimeSecretDialog
        open={!!created}
        title="User created"
        message={`Give this temporary password to ${created?.user.displayName ?? 'the user'} by a safe channel.`}
        secret={created?.password ?? null}
        onClose={() => setCreated(null)}
      />
    </>
  );
}
