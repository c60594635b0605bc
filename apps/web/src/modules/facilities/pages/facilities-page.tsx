import Add from '@mui/icons-material/Add';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import type { Facility } from '@newhms/contracts';
import { useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { FacilityDialog } from '../components/facility-dialog';
import { useFacilities } from '../hooks/use-facilities';

export function FacilitiesPage() {
  const { can } = useAuth();
  const manage = can('organization:manage');
  const facilities = useFacilities();
  const [editing, setEditing] = useState<{ facility: Facility | null } | null>(null);
  const columns: Column<Facility>[] = [
    { id: 'code', header: 'Code', render: (f) => f.code },
    { id: 'name', header: 'Name', render: (f) => f.name },
    { id: 'city', header: 'City', render: (f) => f.city ?? '—', hideBelow: 'md' },
    { id: 'tz', header: 'Time zone', render: (f) => f.timeZone, hideBelow: 'lg' },
    {
      id: 'active',
      header: 'Status',
      render: (f) => (
        <Chip
          size="small"
          label={f.active ? 'active' : 'inactive'}
          color={f.active ? 'success' : 'default'}
        />
      ),
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (f) => (
        <Box sx={{ display: 'flex', gap: 1 }}>
          <Button
            size="small"
            component={RouterLink}
            to={`/admin/facilities/${f.id}`}
            aria-label={`Departments of ${f.name}`}
          >
            Departments
          </Button>
          {manage && (
            <Button
              size="small"
              onClick={() => setEditing({ facility: f })}
              aria-label={`Edit facility ${f.name}`}
            >
              Edit
            </Button>
          )}
        </Box>
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title="Facilities & departments"
        subtitle="The hospitals and clinics of the group."
        actions={
          manage && (
            <Button variant="contained" startIcon={<Add />} onClick={() => setEditing({ facility: null })}>
              New facility
            </Button>
          )
        }
      />
      <ProblemAlert error={facilities.error} sx={{ mb: 2 }} />
      <DataTable
        label="Facilities"
        columns={columns}
        rows={facilities.data ?? []}
        rowKey={(f) => f.id}
        loading={facilities.isFetching}
        emptyText="No facilities yet."
      />
      {editing && (
        <FacilityDialog
          key={`${editing.facility?.id ?? 'new'}:${editing.facility?.version ?? 0}`}
          facility={editing.facility}
          onClose={() => setEditing(null)}
          onReload={async () => {
            const fresh = await facilities.refetch();
            const f = fresh.data?.find((x) => x.id === editing.facility?.id);
            setEditing(f ? { facility: f } : null);
          }}
        />
      )}
    </>
  );
}
