import Add from '@mui/icons-material/Add';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import type { Role } from '@newhms/contracts';
import { useState } from 'react';
import { type Column, DataTable } from '../../../ui/data-table';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { RoleDialog } from '../components/role-dialog';
import { useRoles } from '../hooks/use-roles';

type Editing = { role: Role | null } | null;

export function RolesPage() {
  const roles = useRoles();
  const [editing, setEditing] = useState<Editing>(null);
  const columns: Column<Role>[] = [
    { id: 'name', header: 'Role', render: (r) => r.name },
    { id: 'description', header: 'Description', render: (r) => r.description || '—', hideBelow: 'md' },
    { id: 'permissions', header: 'Permissions', render: (r) => r.permissions.length, align: 'right' },
    {
      id: 'kind',
      header: 'Kind',
      render: (r) => <Chip size="small" variant="outlined" label={r.builtin ? 'built-in' : 'custom'} />,
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (r) => (
        <Button size="small" onClick={() => setEditing({ role: r })} aria-label={`Edit role ${r.name}`}>
          Edit
        </Button>
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title="Roles"
        subtitle="A role is a set of permissions; users hold roles per facility."
        actions={
          <Button variant="contained" startIcon={<Add />} onClick={() => setEditing({ role: null })}>
            New role
          </Button>
        }
      />
      <ProblemAlert error={roles.error} sx={{ mb: 2 }} />
      <DataTable
        label="Roles"
        columns={columns}
        rows={roles.data ?? []}
        rowKey={(r) => r.id}
        loading={roles.isFetching}
        emptyText="No roles yet."
      />
      {editing && (
        <RoleDialog
          key={editing.role?.id ?? 'new'}
          role={editing.role}
          onClose={() => setEditing(null)}
          onReload={async () => {
            const fresh = await roles.refetch();
            return fresh.data?.find((r) => r.id === editing.role?.id);
          }}
        />
      )}
    </>
  );
}
