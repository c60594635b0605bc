import Campaign from '@mui/icons-material/Campaign';
import OpenInNew from '@mui/icons-material/OpenInNew';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { PriorityKind, QueueToken } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { calendarDateIn, formatCalendarDate, useFacilityTimeZone } from '../../../ui/facility-time';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { AppointmentTable } from '../components/appointment-table';
import { PatientPicker } from '../components/patient-picker';
import { PractitionerPicker } from '../components/practitioner-picker';
import { PrioritiesField } from '../components/priorities-field';
import { QueueTable } from '../components/queue-table';
import { TokenSlipDialog } from '../components/token-slip-dialog';
import { TransferDialog } from '../components/transfer-dialog';
import { useRooms } from '../hooks/use-opd-setup';
import {
  useAppointments,
  useCallNext,
  useCheckInWalkIn,
  useQueue,
  useTokenAction,
  useWaitingTimes,
} from '../hooks/use-opd-visits';

/** Front desk and nurses: check patients in (appointments and walk-ins) and run a doctor's queue. */
export function QueuePage() {
  const { can } = useAuth();
  const timeZone = useFacilityTimeZone();
  const today = calendarDateIn(timeZone);
  const [params, setParams] = useSearchParams();
  const practitionerId = params.get('practitionerId');
  const choose = (id: string | null) => setParams(id ? { practitionerId: id } : {}, { replace: true });
  const [issued, setIssued] = useState<QueueToken | null>(null);
  const queue = useQueue(practitionerId);
  const rooms = useRooms();
  const expected = useAppointments({ date: today, practitionerId, status: 'booked' }, !!practitionerId);
  const roomIds = new Set([...(queue.data?.active ?? []), ...(queue.data?.done ?? [])].map((t) => t.roomId));
  const boards = (rooms.data ?? []).filter((r) => roomIds.has(r.id) && r.active);

  return (
    <>
      <PageHeader
        title="Check-in & queue"
        subtitle={`Tokens for ${formatCalendarDate(today)}: check in appointments and walk-ins, call and transfer.`}
        actions={boards.map((b) => (
          <Button
            key={b.id}
            variant="outlined"
            startIcon={<OpenInNew />}
            href={`/display/${b.boardCode}`}
            target="_blank"
            rel="noopener"
          >
            Board {b.name}
          </Button>
        ))}
      />
      <Paper variant="outlined" sx={{ p: 2, mb: 3 }} component="section" aria-labelledby="queue-doctor">
        <Typography id="queue-doctor" variant="h6" component="h2" sx={{ mb: 2 }}>
          Doctor
        </Typography>
        <PractitionerPicker value={practitionerId} onChange={(id) => choose(id)} />
      </Paper>
      {practitionerId && (
        <>
          <Box
            sx={{
              display: 'grid',
              gap: 3,
              gridTemplateColumns: { xs: '1fr', lg: can('opd:check-in') ? 'minmax(360px, 5fr) 7fr' : '1fr' },
              alignItems: 'start',
              mb: 3,
            }}
          >
            {can('opd:check-in') && <WalkInPanel practitionerId={practitionerId} onIssued={setIssued} />}
            {can('opd:check-in') && (
              <Paper
                variant="outlined"
                sx={{ p: 2, minWidth: 0 }}
                component="section"
                aria-labelledby="expected"
              >
                <Typography id="expected" variant="h6" component="h2" sx={{ mb: 2 }}>
                  Booked for today, not yet arrived
                </Typography>
                <ProblemAlert error={expected.error} sx={{ mb: 1 }} />
                <AppointmentTable
                  label="Booked for today"
                  appointments={expected.data ?? []}
                  timeZone={timeZone}
                  loading={expected.isLoading}
                  emptyText="Everyone booked for today has arrived"
                />
              </Paper>
            )}
          </Box>
          <QueueSection practitionerId={practitionerId} timeZone={timeZone} today={today} />
          <ProblemAlert error={queue.error} />
        </>
      )}
      <TokenSlipDialog token={issued} timeZone={timeZone} onClose={() => setIssued(null)} />
    </>
  );
}

function WalkInPanel(props: { practitionerId: string; onIssued: (token: QueueToken) => void }) {
  const checkIn = useCheckInWalkIn();
  const [patientId, setPatientId] = useState<string | null>(null);
  const [priorities, setPriorities] = useState<PriorityKind[]>([]);
  const [tried, setTried] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!patientId) return;
    checkIn.mutate(
      { patientId, practitionerId: props.practitionerId, priorities },
      {
        onSuccess: (result) => {
          props.onIssued(result.token);
          setPatientId(null);
          setPriorities([]);
          setTried(false);
        },
      },
    );
  };
  return (
    <Paper
      variant="outlined"
      sx={{ p: 2 }}
      component="form"
      aria-labelledby="walk-in-title"
      onSubmit={submit}
      noValidate
    >
      <Typography id="walk-in-title" variant="h6" component="h2" sx={{ mb: 2 }}>
        Walk-in
      </Typography>
      <Stack spacing={2}>
        <Box>
          <PatientPicker value={patientId} onChange={setPatientId} label="Walk-in patient" />
          {tried && !patientId && (
            <Typography color="error" variant="body2" sx={{ mt: 1 }}>
              Choose the patient
            </Typography>
          )}
        </Box>
        <PrioritiesField value={priorities} onChange={setPriorities} />
        <ProblemAlert error={checkIn.error} />
        <Box>
          <Button type="submit" variant="contained" disabled={checkIn.isPending}>
            Check in walk-in
          </Button>
        </Box>
      </Stack>
    </Paper>
  );
}

function QueueSection(props: { practitionerId: string; timeZone: string; today: string }) {
  const { can } = useAuth();
  const { practitionerId, timeZone, today } = props;
  const queue = useQueue(practitionerId);
  const action = useTokenAction();
  const callNext = useCallNext();
  const waits = useWaitingTimes({ from: today, to: today, practitionerId });
  const [transferring, setTransferring] = useState<QueueToken | null>(null);
  const manage = can('opd:manage-queue');
  const active = queue.data?.active ?? [];
  const done = queue.data?.done ?? [];
  const waitingCount = active.filter((t) => t.status === 'waiting').length;
  const figures = waits.data?.[0];
  const minutes = (s: number | null | undefined) => (s == null ? '—' : `${Math.round(s / 60)} min`);

  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-labelledby="queue-title">
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap', mb: 2 }}>
        <Typography id="queue-title" variant="h6" component="h2" sx={{ flexGrow: 1 }}>
          Queue
        </Typography>
        <Chip label={`${waitingCount} waiting`} />
        {figures && (
          <Typography variant="body2" color="text.secondary" data-testid="waiting-times">
            Today: arrival to call {minutes(figures.arrivalToCall.median)} (median), consultation{' '}
            {minutes(figures.callToCompletion.median)}
          </Typography>
        )}
        {manage && (
          <Button
            variant="contained"
            startIcon={<Campaign />}
            disabled={callNext.isPending || waitingCount === 0}
            onClick={() => callNext.mutate(practitionerId)}
          >
            Call next
          </Button>
        )}
      </Box>
      <ProblemAlert error={callNext.error ?? action.error} sx={{ mb: 2 }} />
      <QueueTable
        label="Queue"
        tokens={active}
        timeZone={timeZone}
        loading={queue.isLoading}
        emptyText="Nobody is waiting"
        actions={
          manage
            ? (t) => (
                <>
                  {(t.status === 'waiting' || t.status === 'skipped') && (
                    <Button
                      size="small"
                      variant="outlined"
                      onClick={() => action.mutate({ id: t.id, action: 'call', version: t.version })}
                    >
                      Call
                    </Button>
                  )}
                  {t.status === 'called' && (
                    <Button
                      size="small"
                      variant="outlined"
                      onClick={() => action.mutate({ id: t.id, action: 'call', version: t.version })}
                    >
                      Call again
                    </Button>
                  )}
                  {(t.status === 'called' || t.status === 'waiting') && (
                    <Button
                      size="small"
                      color="warning"
                      onClick={() => action.mutate({ id: t.id, action: 'skip', version: t.version })}
                    >
                      Skip
                    </Button>
                  )}
                  {t.status === 'skipped' && (
                    <Button
                      size="small"
                      onClick={() => action.mutate({ id: t.id, action: 'recall', version: t.version })}
                    >
                      Recall
                    </Button>
                  )}
                  {t.status === 'in-consultation' && (
                    <Button
                      size="small"
                      color="success"
                      onClick={() => action.mutate({ id: t.id, action: 'complete', version: t.version })}
                    >
                      Complete
                    </Button>
                  )}
                  <Button size="small" onClick={() => setTransferring(t)}>
                    Transfer
                  </Button>
                </>
              )
            : undefined
        }
      />
      {done.length > 0 && (
        <Box sx={{ mt: 3 }}>
          <Typography variant="subtitle1" component="h3" sx={{ mb: 1, fontWeight: 600 }}>
            Seen and transferred
          </Typography>
          <QueueTable label="Seen and transferred" tokens={done} timeZone={timeZone} />
        </Box>
      )}
      <TransferDialog token={transferring} onClose={() => setTransferring(null)} />
    </Paper>
  );
}
