import Add from '@mui/icons-material/Add';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import type { RadRoom } from '@newhms/contracts';
import { useState } from 'react';
import { type Column, DataTable } from '../../../ui/data-table';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { Section } from '../../../ui/titled-section';
import { RoomDialog } from '../components/room-dialog';
import { useRadRooms } from '../hooks/use-radiology';
import { modalityLabels } from '../radiology-labels';

/** The modality rooms at /radiology/rooms (radiology:manage): working hours, AE title, in use or not. */
export function RoomsPage() {
  const rooms = useRadRooms({ includeInactive: true });
  const [editing, setEditing] = useState<RadRoom | 'new' | null>(null);
  const columns: Column<RadRoom>[] = [
    { id: 'code', header: 'Code', render: (r) => r.code },
    { id: 'name', header: 'Name', render: (r) => r.name },
    { id: 'modality', header: 'Modality', render: (r) => modalityLabels[r.modality] },
    {
      id: 'hours',
      header: 'Hours',
      render: (r) => (r.opensAt ? `${r.opensAt}-${r.closesAt}` : 'Around the clock'),
    },
    { id: 'ae', header: 'AE title', render: (r) => r.aeTitle ?? '—', hideBelow: 'sm' },
    {
      id: 'active',
      header: 'Status',
      render: (r) =>
        r.active ? (
          <Chip size="small" color="success" variant="outlined" label="In use" />
        ) : (
          <Chip size="small" variant="outlined" label="Out of use" />
        ),
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (r) => (
        <Button size="small" onClick={() => setEditing(r)} aria-label={`Edit ${r.name}`}>
          Edit
        </Button>
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title="Radiology rooms"
        subtitle="The modality rooms the desk books studies into, with their working hours"
        actions={
          <Button variant="contained" startIcon={<Add />} onClick={() => setEditing('new')}>
            New room
          </Button>
        }
      />
      <Section title="Rooms">
        <ProblemAlert error={rooms.error} sx={{ mb: 1 }} />
        <DataTable
          label="Radiology rooms"
          columns={columns}
          rows={rooms.data ?? []}
          rowKey={(r) => r.id}
          loading={rooms.isLoading}
          emptyText="No room yet: create the first one."
        />
      </Section>
      <RoomDialog room={editing} onClose={() => setEditing(null)} />
    </>
  );
}
