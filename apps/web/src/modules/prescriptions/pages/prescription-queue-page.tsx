import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { QueuedPrescription } from '@newhms/contracts';
import { useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { FillDialog } from '../components/fill-dialog';
import { usePrescriptionQueue } from '../hooks/use-prescriptions';

type Setting = 'outpatient' | 'inpatient' | '';

/** The pharmacy's prescription queue (/pharmacy/queue): signed prescriptions still to hand over, oldest first. */
export function PrescriptionQueuePage() {
  const { can } = useAuth();
  const [setting, setSetting] = useState<Setting>('');
  // A snapshot: once filled, the prescription leaves the queue while the sale is still on screen.
  const [opened, setOpened] = useState<QueuedPrescription | null>(null);
  const queue = usePrescriptionQueue(setting);

  const columns: Column<QueuedPrescription>[] = [
    {
      id: 'patient',
      header: 'Patient',
      render: (q) => (
        <>
          <Typography sx={{ fontWeight: 600 }}>{q.patientName}</Typography>
          <Typography variant="body2" color="text.secondary">
            MRN {q.patientMrn}
          </Typography>
        </>
      ),
    },
    {
      id: 'number',
      header: 'Prescription',
      render: (q) => (
        <>
          {q.prescription.number}
          <Typography variant="body2" color="text.secondary">
            {q.prescription.setting === 'inpatient' ? 'In-patient' : 'Out-patient'}
          </Typography>
        </>
      ),
    },
    { id: 'prescriber', header: 'Prescriber', render: (q) => q.prescription.prescriberName, hideBelow: 'sm' },
    {
      id: 'time',
      header: 'Signed',
      render: (q) => formatDateTime(q.prescription.createdAt),
      hideBelow: 'md',
    },
    { id: 'lines', header: 'Lines to fill', align: 'right', render: (q) => q.outstandingLines },
    {
      id: 'overrides',
      header: 'Overrides',
      render: (q) =>
        q.overriddenAlerts > 0 ? (
          <Chip
            size="small"
            color="error"
            label={`${q.overriddenAlerts} overridden`}
            data-testid="overridden-alerts"
          />
        ) : (
          ''
        ),
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (q) => (
        <Button
          size="small"
          variant="outlined"
          onClick={() => setOpened(q)}
          disabled={!can('pharmacy:dispense')}
          aria-label={`Open ${q.prescription.number} of ${q.patientName}`}
        >
          Open
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Prescription queue"
        subtitle="Signed prescriptions with medicines still to hand over, oldest first"
        actions={
          <TextField
            select
            size="small"
            label="Setting"
            value={setting}
            onChange={(e) => setSetting(e.target.value as Setting)}
            slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
            sx={{ minWidth: 180 }}
          >
            <MenuItem value="">All</MenuItem>
            <MenuItem value="outpatient">Out-patients</MenuItem>
            <MenuItem value="inpatient">In-patients</MenuItem>
          </TextField>
        }
      />
      <ProblemAlert error={queue.error} sx={{ mb: 2 }} />
      <Box>
        <DataTable
          label="Prescription queue"
          columns={columns}
          rows={queue.data ?? []}
          rowKey={(q) => q.prescription.id}
          loading={queue.isLoading}
          emptyText="Nothing waiting: every prescription is filled."
        />
      </Box>
      {opened && <FillDialog key={opened.prescription.id} queued={opened} onClose={() => setOpened(null)} />}
    </>
  );
}
