import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { Administration, MarView } from '@newhms/contracts';
import { useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatTimeIn, useFacilityTimeZone } from '../../../ui/facility-time';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { useAdmissionMar, useStrikeDose } from '../hooks/use-prescriptions';
import { canStrike, doseStatusLabels, groupDosesByHour, minutesLate } from '../mar-schedule';
import { MedicineChips } from './medicine-chips';
import { type DoseToRecord, RecordDoseDialog } from './record-dose-dialog';

type Order = MarView['orders'][number];

type Props = { admissionId: string; patientName: string; open: boolean };

/** An in-patient's MAR: the active orders, and the doses of the last and next day by the hour, with what was done. */
export function MarPanel({ admissionId, patientName, open }: Props) {
  const { can } = useAuth();
  const timeZone = useFacilityTimeZone();
  const mar = useAdmissionMar(admissionId);
  const strike = useStrikeDose();
  const [recording, setRecording] = useState<DoseToRecord | null>(null);
  const [striking, setStriking] = useState<Administration | null>(null);
  const canAdminister = can('pharmacy:administer') && open;
  const orders = mar.data?.orders ?? [];
  const groups = groupDosesByHour(mar.data?.doses ?? [], timeZone);

  const orderColumns: Column<Order>[] = [
    {
      id: 'medicine',
      header: 'Medicine',
      render: (o) => (
        <Stack spacing={0.5}>
          <Typography sx={{ fontWeight: 600 }}>
            {o.genericName} {o.strength} {o.doseForm}
          </Typography>
          <MedicineChips schedule={o.schedule} highAlert={o.highAlert} />
        </Stack>
      ),
    },
    { id: 'sig', header: 'Order', render: (o) => o.sig },
    {
      id: 'kind',
      header: 'Times',
      render: (o) =>
        o.frequency === 'SOS' ? 'As needed' : o.frequency === 'STAT' ? 'Once, now' : o.times.join(', '),
      hideBelow: 'sm',
    },
  ];
  if (canAdminister) {
    orderColumns.push({
      id: 'actions',
      header: 'Actions',
      render: (o) =>
        o.frequency === 'SOS' && (
          <Button
            size="small"
            variant="outlined"
            onClick={() => setRecording({ kind: 'prn', order: o })}
            aria-label={`Give ${o.genericName} ${o.strength} now`}
          >
            Give now
          </Button>
        ),
    });
  }

  return (
    <Stack spacing={3}>
      <ProblemAlert error={mar.error} />
      {mar.isLoading && <LinearProgress aria-label="Loading the medication record" />}
      <Box component="section" aria-labelledby="mar-orders-title">
        <Typography id="mar-orders-title" variant="h6" component="h2" sx={{ mb: 1 }}>
          Active medication orders
        </Typography>
        <DataTable
          label="Active medication orders"
          columns={orderColumns}
          rows={orders}
          rowKey={(o) => `${o.prescriptionId}:${o.lineNo}`}
          emptyText="No active medication orders."
        />
      </Box>
      <Box component="section" aria-labelledby="mar-doses-title">
        <Typography id="mar-doses-title" variant="h6" component="h2" sx={{ mb: 1 }}>
          Doses (last and next 24 hours)
        </Typography>
        <TableContainer component={Paper} variant="outlined" tabIndex={0} sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-label="Doses">
            <TableHead>
              <TableRow>
                <TableCell sx={{ fontWeight: 600 }}>Time</TableCell>
                <TableCell sx={{ fontWeight: 600 }}>Medicine</TableCell>
                <TableCell sx={{ fontWeight: 600 }}>Status</TableCell>
                <TableCell sx={{ fontWeight: 600, display: { xs: 'none', md: 'table-cell' } }}>
                  Recorded
                </TableCell>
                <TableCell sx={{ fontWeight: 600 }}>Actions</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {groups.length === 0 && (
                <TableRow>
                  <TableCell colSpan={5}>
                    <Typography color="text.secondary">No doses in this window.</Typography>
                  </TableCell>
                </TableRow>
              )}
              {groups.map((g) => [
                <TableRow key={g.key} sx={{ bgcolor: 'action.hover' }}>
                  <TableCell component="th" scope="rowgroup" colSpan={5} sx={{ fontWeight: 700 }}>
                    {g.label}
                  </TableCell>
                </TableRow>,
                ...g.doses.map((d) => (
                  <TableRow key={d.id} data-testid="mar-dose" data-status={d.status}>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>
                      {formatTimeIn(d.scheduledAt ?? d.recordedAt, timeZone)}
                    </TableCell>
                    <TableCell
                      sx={
                        d.status === 'entered-in-error' || d.status === 'cancelled'
                          ? { textDecoration: 'line-through', color: 'text.secondary' }
                          : undefined
                      }
                    >
                      <Typography component="span" sx={{ fontWeight: 600 }}>
                        {d.genericName} {d.strength}
                      </Typography>
                      {d.highAlert && <Chip size="small" color="error" label="High alert" sx={{ ml: 1 }} />}
                      <Typography variant="body2" color="text.secondary">
                        {d.sig}
                      </Typography>
                    </TableCell>
                    <TableCell>
                      <DoseStatusChip dose={d} />
                    </TableCell>
                    <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>
                      {d.recordedAt && (
                        <Typography variant="body2">
                          {d.recordedByName} · {formatDateTime(d.recordedAt)}
                        </Typography>
                      )}
                      {d.prnIndication && <Typography variant="body2">For: {d.prnIndication}</Typography>}
                      {d.reason && (
                        <Typography variant="body2" color="text.secondary">
                          {d.reason}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>
                      {canAdminister && d.status === 'due' && (
                        <Button
                          size="small"
                          variant="contained"
                          onClick={() => setRecording({ kind: 'scheduled', dose: d })}
                          aria-label={`Record ${d.genericName} ${d.strength} due ${formatTimeIn(d.scheduledAt, timeZone)}`}
                        >
                          Record
                        </Button>
                      )}
                      {canAdminister && canStrike(d) && (
                        <Button
                          size="small"
                          color="error"
                          onClick={() => {
                            strike.reset();
                            setStriking(d);
                          }}
                          aria-label={`Strike out ${d.genericName} ${d.strength} ${doseStatusLabels[d.status].toLowerCase()}`}
                        >
                          Strike out
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                )),
              ])}
            </TableBody>
          </Table>
        </TableContainer>
      </Box>
      {recording && (
        <RecordDoseDialog target={recording} patientName={patientName} onClose={() => setRecording(null)} />
      )}
      <ReasonDialog
        open={!!striking}
        title="Strike out dose"
        message={
          striking &&
          `${striking.genericName} ${striking.strength} recorded as ${doseStatusLabels[striking.status].toLowerCase()}: a scheduled dose becomes due again.`
        }
        label="Reason (recorded in error because…)"
        confirmLabel="Strike out"
        danger
        busy={strike.isPending}
        error={strike.error}
        onCancel={() => setStriking(null)}
        onConfirm={(reason) =>
          striking &&
          strike.mutate(
            { id: striking.id, reason, version: striking.version },
            { onSuccess: () => setStriking(null) },
          )
        }
      />
    </Stack>
  );
}

/** A dose's status: overdue in red with the minutes, given in green, not given in amber, struck out grey. */
export function DoseStatusChip({ dose }: { dose: Administration }) {
  if (dose.status === 'due' && dose.overdue) {
    return <Chip size="small" color="error" label={`Overdue ${minutesLate(dose)} min`} />;
  }
  const color =
    dose.status === 'given'
      ? 'success'
      : dose.status === 'held' || dose.status === 'refused' || dose.status === 'missed'
        ? 'warning'
        : dose.status === 'due'
          ? 'primary'
          : 'default';
  return (
    <Chip
      size="small"
      color={color}
      variant={dose.status === 'due' ? 'outlined' : 'filled'}
      label={doseStatusLabels[dose.status]}
    />
  );
}
