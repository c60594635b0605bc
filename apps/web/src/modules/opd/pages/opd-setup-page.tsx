import Add from '@mui/icons-material/Add';
import OpenInNew from '@mui/icons-material/OpenInNew';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormLabel from '@mui/material/FormLabel';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  type AffectedAppointment,
  type ClinicRoom,
  type OpdSession,
  type OpdSettings,
  type Practitioner,
  type PriorityKind,
  priorityKinds,
  type ScheduleException,
  type ScheduleTemplate,
} from '@newhms/contracts';
import { type FormEvent, useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import { isConflict } from '../../../ui/conflict';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { type Column, DataTable } from '../../../ui/data-table';
import {
  addDays,
  calendarDateIn,
  formatCalendarDate,
  formatTimeIn,
  useFacilityDate,
  useFacilityTimeZone,
} from '../../../ui/facility-time';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { PractitionerPicker } from '../components/practitioner-picker';
import { AffectedPatientsDialog } from '../components/setup/affected-patients-dialog';
import { ExceptionDialog } from '../components/setup/exception-dialog';
import { PractitionerDialog } from '../components/setup/practitioner-dialog';
import { RoomDialog } from '../components/setup/room-dialog';
import { ScheduleDialog } from '../components/setup/schedule-dialog';
import {
  useCancelSession,
  useDepartments,
  useOpdSettings,
  usePractitioners,
  useRooms,
  useSaveOpdSettings,
  useScheduleExceptions,
  useScheduleTemplates,
  useSessions,
  useUpdateSchedule,
  useWithdrawException,
} from '../hooks/use-opd-setup';
import { exceptionKindLabels, formatMoney, priorityLabels, weekdayLabels } from '../opd-labels';

const tabs = [
  ['practitioners', 'Practitioners'],
  ['rooms', 'Rooms & boards'],
  ['schedules', 'Weekly schedules'],
  ['exceptions', 'Leave & holidays'],
  ['sessions', 'Sessions'],
  ['settings', 'Settings'],
] as const;
type TabId = (typeof tabs)[number][0];

/** OPD set-up for administrators: doctors, rooms and boards, weekly schedules, leave, sessions, queue rules. */
export function OpdSetupPage() {
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: TabId = tabs.some(([id]) => id === requested) ? (requested as TabId) : 'practitioners';
  const [affected, setAffected] = useState<AffectedAppointment[] | null>(null);
  return (
    <>
      <PageHeader
        title="OPD schedules"
        subtitle="Practitioners, clinic rooms and boards, weekly sessions and leave."
      />
      <Box sx={{ borderBottom: 1, borderColor: 'divider', mb: 2 }}>
        <Tabs
          value={tab}
          onChange={(_, next: TabId) => setParams({ tab: next }, { replace: true })}
          variant="scrollable"
          scrollButtons="auto"
          allowScrollButtonsMobile
          aria-label="OPD set-up"
        >
          {tabs.map(([id, label]) => (
            <Tab
              key={id}
              value={id}
              label={label}
              id={`opd-tab-${id}`}
              aria-controls={id === tab ? `opd-tabpanel-${id}` : undefined}
            />
          ))}
        </Tabs>
      </Box>
      <Box role="tabpanel" id={`opd-tabpanel-${tab}`} aria-labelledby={`opd-tab-${tab}`}>
        {tab === 'practitioners' && <PractitionersTab />}
        {tab === 'rooms' && <RoomsTab />}
        {tab === 'schedules' && <SchedulesTab onAffected={setAffected} />}
        {tab === 'exceptions' && <ExceptionsTab onAffected={setAffected} />}
        {tab === 'sessions' && <SessionsTab onAffected={setAffected} />}
        {tab === 'settings' && <SettingsTab />}
      </Box>
      <AffectedPatientsDialog affected={affected} onClose={() => setAffected(null)} />
    </>
  );
}

function PractitionersTab() {
  const practitioners = usePractitioners({ includeInactive: true });
  const departments = useDepartments();
  const [editing, setEditing] = useState<Practitioner | null>(null);
  const [open, setOpen] = useState(false);
  const department = (id: string) => departments.data?.find((d) => d.id === id)?.name ?? '';
  const columns: Column<Practitioner>[] = [
    { id: 'name', header: 'Name', render: (p) => p.displayName },
    { id: 'specialty', header: 'Specialty', render: (p) => `${p.specialty} · ${department(p.departmentId)}` },
    {
      id: 'registration',
      header: 'Registration',
      hideBelow: 'lg',
      render: (p) => [p.registrationCouncil, p.registrationNumber].filter(Boolean).join(' ') || '—',
    },
    {
      id: 'fees',
      header: 'Fees',
      hideBelow: 'md',
      render: (p) =>
        `${formatMoney(p.firstVisitFee, p.currency)} / ${formatMoney(p.followUpFee, p.currency)} (${p.followUpWithinDays} d)`,
    },
    { id: 'prefix', header: 'Token prefix', hideBelow: 'md', render: (p) => p.tokenPrefix ?? '—' },
    {
      id: 'active',
      header: 'Status',
      render: (p) => (
        <Chip
          size="small"
          label={p.active ? 'Active' : 'Inactive'}
          color={p.active ? 'success' : 'default'}
        />
      ),
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (p) => (
        <Button
          size="small"
          onClick={() => {
            setEditing(p);
            setOpen(true);
          }}
        >
          Edit
        </Button>
      ),
    },
  ];
  return (
    <Stack spacing={2}>
      <Box>
        <Button
          variant="contained"
          startIcon={<Add />}
          onClick={() => {
            setEditing(null);
            setOpen(true);
          }}
        >
          New practitioner
        </Button>
      </Box>
      <ProblemAlert error={practitioners.error} />
      <DataTable
        label="Practitioners"
        columns={columns}
        rows={practitioners.data ?? []}
        rowKey={(p) => p.id}
        loading={practitioners.isLoading}
        emptyText="No practitioner yet: create the profile of a doctor's staff user"
      />
      <PractitionerDialog open={open} practitioner={editing} onClose={() => setOpen(false)} />
    </Stack>
  );
}

function RoomsTab() {
  const rooms = useRooms();
  const departments = useDepartments();
  const [editing, setEditing] = useState<ClinicRoom | null>(null);
  const [open, setOpen] = useState(false);
  const columns: Column<ClinicRoom>[] = [
    { id: 'name', header: 'Room', render: (r) => r.name },
    {
      id: 'department',
      header: 'Department',
      hideBelow: 'md',
      render: (r) => departments.data?.find((d) => d.id === r.departmentId)?.name ?? '',
    },
    {
      id: 'board',
      header: 'Board',
      render: (r) => (
        <Button
          size="small"
          href={`/display/${r.boardCode}`}
          target="_blank"
          rel="noopener"
          endIcon={<OpenInNew />}
        >
          /display/{r.boardCode}
        </Button>
      ),
    },
    {
      id: 'initials',
      header: 'Initials on board',
      hideBelow: 'sm',
      render: (r) => (r.showInitials ? 'Yes' : 'No'),
    },
    {
      id: 'active',
      header: 'Status',
      render: (r) => (
        <Chip
          size="small"
          label={r.active ? 'Active' : 'Inactive'}
          color={r.active ? 'success' : 'default'}
        />
      ),
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (r) => (
        <Button
          size="small"
          onClick={() => {
            setEditing(r);
            setOpen(true);
          }}
        >
          Edit
        </Button>
      ),
    },
  ];
  return (
    <Stack spacing={2}>
      <Box>
        <Button
          variant="contained"
          startIcon={<Add />}
          onClick={() => {
            setEditing(null);
            setOpen(true);
          }}
        >
          New room
        </Button>
      </Box>
      <ProblemAlert error={rooms.error} />
      <DataTable
        label="Clinic rooms"
        columns={columns}
        rows={rooms.data ?? []}
        rowKey={(r) => r.id}
        loading={rooms.isLoading}
      />
      <RoomDialog open={open} room={editing} onClose={() => setOpen(false)} />
    </Stack>
  );
}

function useDoctorParam(): [string | null, (id: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const set = (id: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id) next.set('practitionerId', id);
        else next.delete('practitionerId');
        return next;
      },
      { replace: true },
    );
  return [params.get('practitionerId'), set];
}

function SchedulesTab({ onAffected }: { onAffected: (a: AffectedAppointment[]) => void }) {
  const timeZone = useFacilityTimeZone();
  const [practitionerId, setPractitionerId] = useDoctorParam();
  const templates = useScheduleTemplates(practitionerId);
  const rooms = useRooms();
  const update = useUpdateSchedule();
  const [open, setOpen] = useState(false);
  const columns: Column<ScheduleTemplate>[] = [
    { id: 'day', header: 'Weekday', render: (t) => weekdayLabels[t.weekday] },
    { id: 'time', header: 'Time', render: (t) => `${t.startTime}–${t.endTime}` },
    { id: 'room', header: 'Room', render: (t) => rooms.data?.find((r) => r.id === t.roomId)?.name ?? '' },
    {
      id: 'slots',
      header: 'Slots',
      render: (t) => `${t.slotMinutes} min × ${t.patientsPerSlot}, walk-ins ${t.walkInQuota}`,
    },
    {
      id: 'valid',
      header: 'Valid',
      hideBelow: 'md',
      render: (t) =>
        `${formatCalendarDate(t.validFrom)} – ${t.validTo ? formatCalendarDate(t.validTo) : 'open'}`,
    },
    {
      id: 'active',
      header: 'Status',
      render: (t) => (
        <Chip size="small" label={t.active ? 'Active' : 'Ended'} color={t.active ? 'success' : 'default'} />
      ),
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (t) =>
        t.active && (
          <Button
            size="small"
            color="error"
            disabled={update.isPending}
            onClick={() =>
              update.mutate(
                { id: t.id, active: false, version: t.version },
                { onSuccess: (r) => r.affected.length > 0 && onAffected(r.affected) },
              )
            }
          >
            End
          </Button>
        ),
    },
  ];
  return (
    <Stack spacing={2}>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <PractitionerPicker value={practitionerId} onChange={(id) => setPractitionerId(id)} />
      </Paper>
      {practitionerId && (
        <>
          <Box>
            <Button variant="contained" startIcon={<Add />} onClick={() => setOpen(true)}>
              New weekly session
            </Button>
          </Box>
          {isConflict(update.error) ? (
            <ConflictAlert onReload={() => void templates.refetch()} />
          ) : (
            <ProblemAlert error={update.error ?? templates.error} />
          )}
          <DataTable
            label="Weekly sessions"
            columns={columns}
            rows={(templates.data ?? []).sort(
              (a, b) => a.weekday - b.weekday || a.startTime.localeCompare(b.startTime),
            )}
            rowKey={(t) => t.id}
            loading={templates.isLoading}
            emptyText="No weekly sessions yet"
          />
          <ScheduleDialog
            open={open}
            practitionerId={practitionerId}
            today={calendarDateIn(timeZone)}
            onClose={() => setOpen(false)}
            onAffected={onAffected}
          />
        </>
      )}
    </Stack>
  );
}

function ExceptionsTab({ onAffected }: { onAffected: (a: AffectedAppointment[]) => void }) {
  const timeZone = useFacilityTimeZone();
  const today = calendarDateIn(timeZone);
  const [practitionerId, setPractitionerId] = useDoctorParam();
  const exceptions = useScheduleExceptions({
    practitionerId: practitionerId ?? undefined,
    from: addDays(today, -30),
  });
  const withdraw = useWithdrawException();
  const practitioners = usePractitioners({ includeInactive: true });
  const [open, setOpen] = useState(false);
  const columns: Column<ScheduleException>[] = [
    { id: 'kind', header: 'Kind', render: (e) => exceptionKindLabels[e.kind] },
    {
      id: 'who',
      header: 'Who',
      render: (e) =>
        e.practitionerId
          ? (practitioners.data?.find((p) => p.id === e.practitionerId)?.displayName ?? '')
          : 'Whole facility',
    },
    {
      id: 'when',
      header: 'When',
      render: (e) =>
        e.dateFrom === e.dateTo
          ? `${formatCalendarDate(e.dateFrom)}${e.session ? ` ${e.session.startTime}–${e.session.endTime}` : ''}`
          : `${formatCalendarDate(e.dateFrom)} – ${formatCalendarDate(e.dateTo)}`,
    },
    { id: 'reason', header: 'Reason', render: (e) => e.reason },
    {
      id: 'status',
      header: 'Status',
      render: (e) => <Chip size="small" label={e.status === 'active' ? 'Active' : 'Withdrawn'} />,
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (e) =>
        e.status === 'active' && (
          <Button
            size="small"
            disabled={withdraw.isPending}
            onClick={() =>
              withdraw.mutate(e.id, { onSuccess: (r) => r.affected.length > 0 && onAffected(r.affected) })
            }
          >
            Withdraw
          </Button>
        ),
    },
  ];
  return (
    <Stack spacing={2}>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <PractitionerPicker value={practitionerId} onChange={(id) => setPractitionerId(id)} allowAll />
      </Paper>
      <Box>
        <Button variant="contained" startIcon={<Add />} onClick={() => setOpen(true)}>
          {practitionerId ? 'New leave or extra session' : 'New facility holiday'}
        </Button>
      </Box>
      <ProblemAlert error={withdraw.error ?? exceptions.error} />
      <DataTable
        label="Leave, holidays and extra sessions"
        columns={columns}
        rows={exceptions.data ?? []}
        rowKey={(e) => e.id}
        loading={exceptions.isLoading}
        emptyText="None recorded"
      />
      <ExceptionDialog
        open={open}
        practitionerId={practitionerId}
        today={today}
        onClose={() => setOpen(false)}
        onAffected={onAffected}
      />
    </Stack>
  );
}

function SessionsTab({ onAffected }: { onAffected: (a: AffectedAppointment[]) => void }) {
  const timeZone = useFacilityTimeZone();
  const [practitionerId, setPractitionerId] = useDoctorParam();
  const [from, setFrom] = useFacilityDate();
  const today = calendarDateIn(timeZone);
  const to = addDays(from, 13);
  const sessions = useSessions({ practitionerId: practitionerId ?? undefined, from, to });
  const practitioners = usePractitioners({ includeInactive: true });
  const rooms = useRooms();
  const cancel = useCancelSession();
  const [cancelling, setCancelling] = useState<OpdSession | null>(null);
  const columns: Column<OpdSession>[] = [
    { id: 'date', header: 'Date', render: (s) => formatCalendarDate(s.date) },
    {
      id: 'time',
      header: 'Time',
      render: (s) => `${formatTimeIn(s.startsAt, timeZone)}–${formatTimeIn(s.endsAt, timeZone)}`,
    },
    {
      id: 'doctor',
      header: 'Doctor',
      render: (s) => practitioners.data?.find((p) => p.id === s.practitionerId)?.displayName ?? '',
    },
    {
      id: 'room',
      header: 'Room',
      hideBelow: 'md',
      render: (s) => rooms.data?.find((r) => r.id === s.roomId)?.name ?? '',
    },
    {
      id: 'status',
      header: 'Status',
      render: (s) => (
        <>
          <Chip
            size="small"
            label={s.status === 'open' ? 'Open' : s.status === 'cancelled' ? 'Cancelled' : 'Replaced'}
            color={s.status === 'open' ? 'success' : 'default'}
          />
          {s.cancelReason && (
            <Typography variant="body2" color="text.secondary">
              {s.cancelReason}
            </Typography>
          )}
        </>
      ),
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (s) =>
        s.status === 'open' &&
        Date.parse(s.endsAt) > Date.now() && (
          <Button size="small" color="error" onClick={() => setCancelling(s)}>
            Cancel session
          </Button>
        ),
    },
  ];
  return (
    <Stack spacing={2}>
      <Paper
        variant="outlined"
        sx={{ p: 2, display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'flex-start' }}
      >
        <Box sx={{ flex: '3 1 420px' }}>
          <PractitionerPicker value={practitionerId} onChange={(id) => setPractitionerId(id)} allowAll />
        </Box>
        <TextField
          label="From"
          type="date"
          value={from}
          onChange={(e) => setFrom(e.target.value || today)}
          slotProps={{ inputLabel: { shrink: true } }}
          helperText={`Two weeks, to ${formatCalendarDate(to)}`}
        />
      </Paper>
      <ProblemAlert error={sessions.error} />
      <DataTable
        label="Sessions"
        columns={columns}
        rows={sessions.data ?? []}
        rowKey={(s) => s.id}
        loading={sessions.isLoading}
        emptyText="No sessions in these two weeks"
      />
      <ReasonDialog
        open={!!cancelling}
        title="Cancel session"
        message={
          cancelling &&
          `${formatCalendarDate(cancelling.date)} ${formatTimeIn(cancelling.startsAt, timeZone)}–${formatTimeIn(cancelling.endsAt, timeZone)}. Booked patients are listed for rebooking and notified.`
        }
        confirmLabel="Cancel session"
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
            { id: cancelling.id, reason },
            {
              onSuccess: (r) => {
                setCancelling(null);
                if (r.affected.length > 0) onAffected(r.affected);
              },
            },
          )
        }
      />
    </Stack>
  );
}

function SettingsTab() {
  const settings = useOpdSettings();
  if (!settings.data) return <ProblemAlert error={settings.error} />;
  return (
    <SettingsForm
      key={settings.data.facilityId}
      settings={settings.data}
      reload={() => void settings.refetch()}
    />
  );
}

function SettingsForm({ settings, reload }: { settings: OpdSettings; reload: () => void }) {
  const save = useSaveOpdSettings();
  const labelId = useId();
  const [kinds, setKinds] = useState<PriorityKind[]>(settings.priorityKinds);
  const [elderlyAge, setElderlyAge] = useState(String(settings.elderlyAge));
  const [windowDays, setWindowDays] = useState(String(settings.bookingWindowDays));
  const [saved, setSaved] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      {
        priorityKinds: kinds,
        elderlyAge: Number(elderlyAge),
        bookingWindowDays: Number(windowDays),
        version: settings.version,
      },
      { onSuccess: () => setSaved(true) },
    );
  };
  return (
    <Paper
      variant="outlined"
      sx={{ p: 2, maxWidth: 640 }}
      component="form"
      onSubmit={submit}
      aria-label="OPD settings"
    >
      <Stack spacing={2}>
        <FormGroup role="group" aria-labelledby={labelId}>
          <FormLabel id={labelId}>Queue priorities honoured</FormLabel>
          <FormGroup row>
            {priorityKinds.map((k) => (
              <FormControlLabel
                key={k}
                control={
                  <Checkbox
                    checked={kinds.includes(k)}
                    onChange={(e) =>
                      setKinds((v) => (e.target.checked ? [...v, k] : v.filter((x) => x !== k)))
                    }
                  />
                }
                label={priorityLabels[k]}
              />
            ))}
          </FormGroup>
        </FormGroup>
        <TextField
          label="Elderly from age (years)"
          value={elderlyAge}
          onChange={(e) => setElderlyAge(e.target.value)}
          slotProps={{ htmlInput: { inputMode: 'numeric' } }}
        />
        <TextField
          label="Booking window (days ahead)"
          value={windowDays}
          onChange={(e) => setWindowDays(e.target.value)}
          slotProps={{ htmlInput: { inputMode: 'numeric' } }}
        />
        {isConflict(save.error) ? <ConflictAlert onReload={reload} /> : <ProblemAlert error={save.error} />}
        {saved && !save.error && (
          <Typography role="status" color="success.main">
            Settings saved.
          </Typography>
        )}
        <Box>
          <Button type="submit" variant="contained" disabled={save.isPending}>
            Save settings
          </Button>
        </Box>
      </Stack>
    </Paper>
  );
}
