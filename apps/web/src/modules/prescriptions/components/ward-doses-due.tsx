import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { Administration } from '@newhms/contracts';
import { useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatTimeIn, useFacilityTimeZone } from '../../../ui/facility-time';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useWardDosesDue } from '../hooks/use-prescriptions';
import { orderDosesDue } from '../mar-schedule';
import { DoseStatusChip } from './mar-panel';
import { type DoseToRecord, RecordDoseDialog } from './record-dose-dialog';

type Row = Administration & { bedCode: string; patientName: string };

type Props = {
  wardId: string;
  /** The patients of the ward's beds by admission (the station knows them). */
  patients: Record<string, string>;
  /** The address of an admission's MAR. */
  marPath: (admissionId: string) => string;
  hours?: number;
};

/** The ward's "Medicines due": every overdue dose first, in red, then those due in the next hours, bed by bed. */
export function WardDosesDue({ wardId, patients, marPath, hours = 4 }: Props) {
  const { can } = useAuth();
  const timeZone = useFacilityTimeZone();
  const due = useWardDosesDue(wardId, hours);
  const [recording, setRecording] = useState<{ target: DoseToRecord; patientName: string } | null>(null);
  const rows: Row[] = orderDosesDue(
    (due.data ?? []).flatMap((b) =>
      b.doses.map((d) => ({ ...d, bedCode: b.bedCode, patientName: patients[b.admissionId] ?? '' })),
    ),
  );
  const overdue = rows.filter((r) => r.overdue).length;

  const columns: Column<Row>[] = [
    {
      id: 'due',
      header: 'Due',
      render: (d) => (
        <Box sx={{ color: d.overdue ? 'error.main' : undefined, fontWeight: d.overdue ? 700 : undefined }}>
          {formatTimeIn(d.scheduledAt, timeZone)}
        </Box>
      ),
    },
    { id: 'bed', header: 'Bed', render: (d) => d.bedCode },
    {
      id: 'patient',
      header: 'Patient',
      render: (d) => (
        <Link component={RouterLink} to={marPath(d.admissionId)}>
          {d.patientName || 'MAR'}
        </Link>
      ),
    },
    {
      id: 'medicine',
      header: 'Medicine',
      render: (d) => (
        <>
          <Typography component="span" sx={{ fontWeight: 600 }}>
            {d.genericName} {d.strength}
          </Typography>
          {d.highAlert && <Chip size="small" color="error" label="High alert" sx={{ ml: 1 }} />}
          <Typography variant="body2" color="text.secondary">
            {d.sig}
          </Typography>
        </>
      ),
    },
    { id: 'status', header: 'Status', render: (d) => <DoseStatusChip dose={d} /> },
  ];
  if (can('pharmacy:administer')) {
    columns.push({
      id: 'actions',
      header: 'Actions',
      render: (d) => (
        <Button
          size="small"
          variant="outlined"
          onClick={() => setRecording({ target: { kind: 'scheduled', dose: d }, patientName: d.patientName })}
          aria-label={`Record ${d.genericName} ${d.strength} for bed ${d.bedCode}`}
        >
          Record
        </Button>
      ),
    });
  }

  return (
    <Paper variant="outlined" component="section" aria-labelledby="doses-due-title" sx={{ p: 2, mb: 2 }}>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', mb: 1, flexWrap: 'wrap' }}>
        <Typography id="doses-due-title" variant="h6" component="h2">
          Medicines due
        </Typography>
        <Typography color="text.secondary">next {hours} hours</Typography>
        {overdue > 0 && (
          <Chip color="error" size="small" label={`${overdue} overdue`} data-testid="overdue-doses" />
        )}
      </Box>
      <ProblemAlert error={due.error} sx={{ mb: 1 }} />
      <DataTable
        label="Medicines due"
        columns={columns}
        rows={rows}
        rowKey={(d) => d.id}
        loading={due.isLoading}
        emptyText={`No doses due in the next ${hours} hours.`}
      />
      {recording && (
        <RecordDoseDialog
          target={recording.target}
          patientName={recording.patientName}
          onClose={() => setRecording(null)}
        />
      )}
    </Paper>
  );
}
