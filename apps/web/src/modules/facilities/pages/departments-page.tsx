import Add from '@mui/icons-material/Add';
import ArrowBack from '@mui/icons-material/ArrowBack';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import type { Department } from '@newhms/contracts';
import { useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { DepartmentDialog } from '../components/department-dialog';
import { useDepartments, useFacility } from '../hooks/use-facilities';

export function DepartmentsPage() {
  const { facilityId = '' } = useParams();
  const { can } = useAuth();
  const manage = can('organization:manage');
  const facility = useFacility(facilityId);
  const departments = useDepartments(facilityId);
  const [editing, setEditing] = useState<{ department: Department | null } | null>(null);
  const columns: Column<Department>[] = [
    { id: 'code', header: 'Code', render: (d) => d.code },
    { id: 'name', header: 'Name', render: (d) => d.name },
    { id: 'kind', header: 'Kind', render: (d) => d.kind },
    {
      id: 'active',
      header: 'Status',
      render: (d) => (
        <Chip
          size="small"
          label={d.active ? 'active' : 'inactive'}
          color={d.active ? 'success' : 'default'}
        />
      ),
    },
    ...(manage
      ? [
          {
            id: 'actions',
            header: 'Actions',
            render: (d: Department) => (
              <Button
                size="small"
                onClick={() => setEditing({ department: d })}
                aria-label={`Edit department ${d.name}`}
              >
                Edit
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      <Button component={RouterLink} to="/admin/facilities" startIcon={<ArrowBack />} sx={{ mb: 2 }}>
        All facilities
      </Button>
      <PageHeader
        title={facility.data ? `Departments of ${facility.data.name}` : 'Departments'}
        subtitle={facility.data ? `${facility.data.code} · ${facility.data.timeZone}` : undefined}
        actions={
          manage && (
            <Button variant="contained" startIcon={<Add />} onClick={() => setEditing({ department: null })}>
              New department
            </Button>
          )
        }
      />
      <ProblemAlert error={facility.error ?? departments.error} sx={{ mb: 2 }} />
      <DataTable
        label="Departments"
        columns={columns}
        rows={departments.data ?? []}
        rowKey={(d) => d.id}
        loading={departments.isFetching}
        emptyText="No departments yet."
      />
      {editing && (
        <DepartmentDialog
          key={`${editing.department?.id ?? 'new'}:${editing.department?.version ?? 0}`}
          facilityId={facilityId}
          department={editing.department}
          onClose={() => setEditing(null)}
          onReload={async () => {
            const fresh = await departments.refetch();
            const d = fresh.data?.find((x) => x.id === editing.department?.id);
            setEditing(d ? { department: d } : null);
          }}
        />
      )}
    </>
  );
}
