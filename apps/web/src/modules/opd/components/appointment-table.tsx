import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import type { Appointment, QueueToken } from '@newhms/contracts';
import { useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { calendarDateIn, formatCalendarDate, formatTimeIn } from '../../../ui/facility-time';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { useCancelAppointment, useMarkNoShow } from '../hooks/use-opd-visits';
import {
  appointmentStatusColors,
  appointmentStatusLabels,
  feeKindLabels,
  formatMoney,
  sourceLabels,
} from '../opd-labels';
import { CheckInDialog } from './check-in-dialog';
import { RescheduleDialog } from './reschedule-dialog';
import { TokenSlipDialog } from './token-slip-dialog';

type Props = {
  label: string;
  appointments: Appointment[];
  timeZone: string;
  loading?: boolean;
  emptyText?: string;
  showDoctor?: boolean;
  showDate?: boolean;
};

export function AppointmentStatusChip({ appointment }: { appointment: Appointment }) {
  return (
    <Chip
      size="small"
      color={appointmentStatusColors[appointment.status]}
      label={
        appointment.cancelledBySession && appointment.status === 'cancelled'
          ? 'Session cancelled'
          : appointmentStatusLabels[appointment.status]
      }
    />
  );
}

/** Appointments with what the desk does to them: check in, no-show, reschedule, cancel. */
export function AppointmentTable(props: Props) {
  const { can } = useAuth();
  const { timeZone } = props;
  const today = calendarDateIn(timeZone);
  const [checkingIn, setCheckingIn] = useState<Appointment | null>(null);
  const [token, setToken] = useState<QueueToken | null>(null);
  const [moving, setMoving] = useState<Appointment | null>(null);
  const [cancelling, setCancelling] = useState<Appointment | null>(null);
  const cancel = useCancelAppointment();
  const noShow = useMarkNoShow();

  const columns: Column<Appointment>[] = [];
  if (props.showDate) {
    columns.push({ id: 'date', header: 'Date', render: (a) => formatCalendarDate(a.date) });
  }
  columns.push(
    {
      id: 'time',
      header: 'Time',
      width: 80,
      render: (a) => (
        <Typography component="span" sx={{ fontWeight: 600 }}>
          {formatTimeIn(a.startsAt, timeZone)}
        </Typography>
      ),
    },
    {
      id: 'patient',
      header: 'Patient',
      render: (a) => (
        <Box>
          <Typography component="span" sx={{ fontWeight: 600 }}>
            {a.patient?.displayName ?? '—'}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            MRN {a.patient?.mrn}
            {a.patient?.phoneEnding ? ` · ${a.patient.phoneEnding}` : ''}
          </Typography>
        </Box>
      ),
    },
  );
  if (props.showDoctor) columns.push({ id: 'doctor', header: 'Doctor', render: (a) => a.practitionerName });
  columns.push(
    { id: 'status', header: 'Status', render: (a) => <AppointmentStatusChip appointment={a} /> },
    { id: 'source', header: 'Source', hideBelow: 'lg', render: (a) => sourceLabels[a.source] },
    {
      id: 'fee',
      header: 'Fee',
      hideBelow: 'md',
      render: (a) => (
        <>
          {formatMoney(a.fee, a.currency)}
          <Typography variant="body2" color="text.secondary">
            {feeKindLabels[a.feeKind]}
          </Typography>
        </>
      ),
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (a) => {
        const booked = a.status === 'booked';
        const started = Date.parse(a.startsAt) <= Date.now();
        const rebook = a.status === 'cancelled' && a.cancelledBySession;
        return (
          <Box
            sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', '& .MuiButton-root': { whiteSpace: 'nowrap' } }}
          >
            {booked && a.date === today && can('opd:check-in') && (
              <Button size="small" variant="contained" onClick={() => setCheckingIn(a)}>
                Check in
              </Button>
            )}
            {(booked || rebook) && can('opd:book') && (
              <Button size="small" variant="outlined" onClick={() => setMoving(a)}>
                Reschedule
              </Button>
            )}
            {booked && started && can('opd:check-in') && (
              <Button
                size="small"
                color="warning"
                disabled={noShow.isPending}
                onClick={() => noShow.mutate({ id: a.id, version: a.version })}
              >
                No-show
              </Button>
            )}
            {(booked || rebook) && can('opd:book') && (
              <Button size="small" color="error" onClick={() => setCancelling(a)}>
                Cancel
              </Button>
            )}
          </Box>
        );
      },
    },
  );

  return (
    <>
      <ProblemAlert error={noShow.error} sx={{ mb: 1 }} />
      <DataTable
        label={props.label}
        columns={columns}
        rows={props.appointments}
        rowKey={(a) => a.id}
        loading={props.loading}
        emptyText={props.emptyText ?? 'No appointments'}
      />
      <CheckInDialog
        appointment={checkingIn}
        timeZone={timeZone}
        onClose={() => setCheckingIn(null)}
        onCheckedIn={(t) => {
          setCheckingIn(null);
          setToken(t);
        }}
      />
      <TokenSlipDialog token={token} timeZone={timeZone} onClose={() => setToken(null)} />
      <RescheduleDialog appointment={moving} timeZone={timeZone} onClose={() => setMoving(null)} />
      <ReasonDialog
        open={!!cancelling}
        title="Cancel appointment"
        message={
          cancelling &&
          `${cancelling.patient?.displayName ?? 'The patient'} with ${cancelling.practitionerName} on ${formatCalendarDate(cancelling.date)} at ${formatTimeIn(cancelling.startsAt, timeZone)}. The slot is freed for others.`
        }
        label="Reason for cancelling"
        confirmLabel="Cancel appointment"
        danger
        busy={cancel.isPending}
        error={cancel.error}
        onCancel={() => {
          setCancelling(null);
          cancel.reset();
        }}
        onConfirm={(reason) =>
          cancelling &&
          cancel.mutate(
            {
              id: cancelling.id,
              reason,
              // The list is read again every few seconds: send the version it shows now.
              version:
                cancelling.status === 'cancelled'
                  ? undefined
                  : (props.appointments.find((a) => a.id === cancelling.id)?.version ?? cancelling.version),
            },
            { onSuccess: () => setCancelling(null) },
          )
        }
      />
    </>
  );
}
