import Campaign from '@mui/icons-material/Campaign';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { Appointment, QueueToken, Worklist } from '@newhms/contracts';
import { useState } from 'react';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../../app/api-client';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatCalendarDate, formatTimeIn, useFacilityTimeZone } from '../../../ui/facility-time';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { PatientSummaryDialog } from '../../consultation';
import { AppointmentStatusChip } from '../components/appointment-table';
import { PractitionerPicker } from '../components/practitioner-picker';
import { QueueTable, TokenStatusChip } from '../components/queue-table';
import { useOwnPractitioner } from '../hooks/use-opd-setup';
import { useCallNextAndStart, useStartConsultation, useWorklist } from '../hooks/use-opd-visits';
import { feeKindLabels } from '../opd-labels';

/** The doctor's day: who is in, who is next, the queue and the appointments, and notes left to sign. */
export function WorklistPage() {
  const own = useOwnPractitioner();
  const [params, setParams] = useSearchParams();
  const chosen = params.get('practitionerId');
  // A doctor sees their own day; others (a nurse, an administrator) choose whose.
  const practitionerId = chosen ?? own.data?.id ?? null;
  const worklist = useWorklist(practitionerId, !own.isLoading && !!practitionerId);
  const mine = !!own.data && practitionerId === own.data.id;

  return (
    <>
      <PageHeader
        title={mine ? 'My worklist' : 'Worklist'}
        subtitle={
          worklist.data
            ? `${worklist.data.practitioner.displayName} · ${formatCalendarDate(worklist.data.date)}`
            : "A doctor's appointments and queue for today"
        }
      />
      {(!own.data || chosen) && (
        <Paper variant="outlined" sx={{ p: 2, mb: 3 }}>
          <PractitionerPicker
            value={practitionerId}
            onChange={(id) => setParams(id ? { practitionerId: id } : {}, { replace: true })}
          />
        </Paper>
      )}
      {(own.isLoading || (worklist.isLoading && practitionerId)) && <LinearProgress aria-label="Loading" />}
      {worklist.error instanceof ApiError && worklist.error.code === 'OPD_NOT_A_PRACTITIONER' ? (
        <Alert severity="info">Choose a doctor to see their worklist.</Alert>
      ) : (
        <ProblemAlert error={worklist.error} sx={{ mb: 2 }} />
      )}
      {worklist.data && <WorklistView worklist={worklist.data} mine={mine} />}
    </>
  );
}

function WorklistView({ worklist, mine }: { worklist: Worklist; mine: boolean }) {
  const { can } = useAuth();
  const navigate = useNavigate();
  const timeZone = useFacilityTimeZone();
  const callNext = useCallNextAndStart();
  const start = useStartConsultation();
  const [summaryOf, setSummaryOf] = useState<string | null>(null);
  const consult = mine && can('opd:consult');
  const { counts, current } = worklist;
  const openConsultation = (token: QueueToken) => {
    if (token.encounterId) navigate(`/consultation/${token.encounterId}`);
    else
      start.mutate(
        { id: token.id, version: token.version },
        { onSuccess: (r) => navigate(`/consultation/${r.encounterId}`) },
      );
  };
  const patientCell = (p: { id: string; displayName: string; mrn: string; age: string | null } | null) =>
    p ? (
      <Box>
        <Link
          component="button"
          type="button"
          onClick={() => setSummaryOf(p.id)}
          sx={{ fontWeight: 600, textAlign: 'left' }}
          aria-label={`Summary of ${p.displayName}`}
        >
          {p.displayName}
        </Link>
        <Typography variant="body2" color="text.secondary">
          MRN {p.mrn}
          {p.age ? ` · ${p.age}` : ''}
        </Typography>
      </Box>
    ) : (
      '—'
    );

  const appointmentColumns: Column<Appointment>[] = [
    { id: 'time', header: 'Time', width: 80, render: (a) => formatTimeIn(a.startsAt, timeZone) },
    { id: 'patient', header: 'Patient', render: (a) => patientCell(a.patient) },
    { id: 'status', header: 'Status', render: (a) => <AppointmentStatusChip appointment={a} /> },
    { id: 'kind', header: 'Visit', hideBelow: 'sm', render: (a) => feeKindLabels[a.feeKind] },
    { id: 'reason', header: 'Reason', hideBelow: 'md', render: (a) => a.reason ?? '—' },
  ];

  return (
    <Stack spacing={3}>
      <Box
        sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}
        aria-label="Today's counts"
      >
        <Chip label={`${counts.booked} booked`} variant="outlined" />
        <Chip label={`${counts.arrived} arrived`} variant="outlined" />
        <Chip label={`${counts.waiting} waiting`} color={counts.waiting > 0 ? 'primary' : 'default'} />
        <Chip label={`${counts.completed} seen`} color="success" variant="outlined" />
        {counts.noShow > 0 && <Chip label={`${counts.noShow} no-show`} color="warning" variant="outlined" />}
        <Box sx={{ flexGrow: 1 }} />
        {consult && (
          <Button
            variant="contained"
            size="large"
            startIcon={<Campaign />}
            disabled={callNext.isPending || !worklist.next}
            onClick={() =>
              callNext.mutate(undefined, { onSuccess: (r) => navigate(`/consultation/${r.encounterId}`) })
            }
          >
            Call next
          </Button>
        )}
      </Box>
      <ProblemAlert error={callNext.error ?? start.error} />
      {mine && worklist.unsignedNotes !== null && worklist.unsignedNotes > 0 && (
        <Alert severity="warning" data-testid="unsigned-notes">
          You have {worklist.unsignedNotes} unsigned note{worklist.unsignedNotes === 1 ? '' : 's'}. Open the
          consultations below (or past ones from the patient summary) to sign them.
        </Alert>
      )}
      {current && (
        <Paper
          variant="outlined"
          sx={{ p: 2, borderColor: 'primary.main', borderWidth: 2 }}
          component="section"
          aria-labelledby="current-title"
        >
          <Typography id="current-title" variant="h6" component="h2" sx={{ mb: 1 }}>
            {current.status === 'in-consultation' ? 'In consultation' : 'Called'}
          </Typography>
          <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}>
            <Typography sx={{ fontSize: '2rem', fontWeight: 800 }}>{current.label}</Typography>
            <Box sx={{ flexGrow: 1 }}>{patientCell(current.patient)}</Box>
            <TokenStatusChip token={current} />
            {consult && (
              <Button
                variant="contained"
                onClick={() => openConsultation(current)}
                disabled={start.isPending}
              >
                {current.encounterId ? 'Continue consultation' : 'Start consultation'}
              </Button>
            )}
          </Box>
        </Paper>
      )}
      <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-labelledby="wl-queue">
        <Typography id="wl-queue" variant="h6" component="h2" sx={{ mb: 2 }}>
          Queue
        </Typography>
        <QueueTable
          label="Queue"
          tokens={worklist.queue.active}
          timeZone={timeZone}
          emptyText="Nobody is waiting"
          renderPatient={(t) => patientCell(t.patient)}
          actions={
            consult
              ? (t) => (
                  <Button size="small" variant="outlined" onClick={() => openConsultation(t)}>
                    {t.encounterId ? 'Open' : 'See now'}
                  </Button>
                )
              : undefined
          }
        />
        {worklist.queue.done.length > 0 && (
          <Box sx={{ mt: 3 }}>
            <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600, mb: 1 }}>
              Seen today
            </Typography>
            <QueueTable
              label="Seen today"
              tokens={worklist.queue.done}
              timeZone={timeZone}
              renderPatient={(t) => patientCell(t.patient)}
              actions={(t) =>
                t.encounterId && (
                  <Button size="small" component={RouterLink} to={`/consultation/${t.encounterId}`}>
                    Open visit
                  </Button>
                )
              }
            />
          </Box>
        )}
      </Paper>
      <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-labelledby="wl-appointments">
        <Typography id="wl-appointments" variant="h6" component="h2" sx={{ mb: 2 }}>
          Appointments
        </Typography>
        <DataTable
          label="Appointments today"
          columns={appointmentColumns}
          rows={worklist.appointments}
          rowKey={(a) => a.id}
          emptyText="No appointments today"
        />
      </Paper>
      <PatientSummaryDialog patientId={summaryOf} onClose={() => setSummaryOf(null)} />
    </Stack>
  );
}
