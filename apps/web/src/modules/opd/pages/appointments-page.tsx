import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  type Appointment,
  type AppointmentStatus,
  appointmentStatuses,
  type QueueToken,
  type Slot,
} from '@newhms/contracts';
import { type FormEvent, useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import {
  addDays,
  calendarDateIn,
  formatCalendarDate,
  formatTimeIn,
  useFacilityTimeZone,
} from '../../../ui/facility-time';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { AppointmentTable } from '../components/appointment-table';
import { CheckInDialog } from '../components/check-in-dialog';
import { PatientPicker } from '../components/patient-picker';
import { PractitionerPicker } from '../components/practitioner-picker';
import { SlotPicker } from '../components/slot-picker';
import { TokenSlipDialog } from '../components/token-slip-dialog';
import { useAppointments, useBookAppointment, useRescheduleList } from '../hooks/use-opd-visits';
import { appointmentStatusLabels } from '../opd-labels';

/** Front desk and call centre: book a slot for a patient, and the day's appointments with their status. */
export function AppointmentsPage() {
  const { can } = useAuth();
  const timeZone = useFacilityTimeZone();
  const today = calendarDateIn(timeZone);
  const [params, setParams] = useSearchParams();
  const practitionerId = params.get('practitionerId');
  const date = params.get('date') ?? today;
  const setFilter = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const [status, setStatus] = useState<AppointmentStatus | ''>('');
  const list = useAppointments({ date, practitionerId, status: status || undefined });

  return (
    <>
      <PageHeader
        title="Appointments"
        subtitle="Book OPD appointments for the front desk or the call centre; check in, reschedule or cancel."
      />
      <Paper variant="outlined" sx={{ p: 2, mb: 3 }} component="section" aria-labelledby="appointment-day">
        <Typography id="appointment-day" variant="h6" component="h2" sx={{ mb: 2 }}>
          Doctor and day
        </Typography>
        <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'flex-start' }}>
          <Box sx={{ flex: '3 1 420px' }}>
            <PractitionerPicker
              value={practitionerId}
              onChange={(id) => setFilter('practitionerId', id)}
              allowAll
            />
          </Box>
          <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
            <Button
              size="small"
              aria-label="Previous day"
              onClick={() => setFilter('date', addDays(date, -1))}
            >
              ‹
            </Button>
            <TextField
              label="Date"
              type="date"
              value={date}
              onChange={(e) => setFilter('date', e.target.value || null)}
              slotProps={{ inputLabel: { shrink: true } }}
              sx={{ width: 180 }}
            />
            <Button size="small" aria-label="Next day" onClick={() => setFilter('date', addDays(date, 1))}>
              ›
            </Button>
            {date !== today && (
              <Button size="small" onClick={() => setFilter('date', null)}>
                Today
              </Button>
            )}
          </Box>
        </Box>
      </Paper>

      <Box
        sx={{
          display: 'grid',
          gap: 3,
          gridTemplateColumns: { xs: '1fr', lg: can('opd:book') ? 'minmax(380px, 5fr) 7fr' : '1fr' },
          alignItems: 'start',
        }}
      >
        {can('opd:book') && (
          <BookingPanel practitionerId={practitionerId} date={date} timeZone={timeZone} today={today} />
        )}
        <Paper variant="outlined" sx={{ p: 2, minWidth: 0 }} component="section" aria-labelledby="day-list">
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap', mb: 2 }}>
            <Typography id="day-list" variant="h6" component="h2" sx={{ flexGrow: 1 }}>
              Appointments on {formatCalendarDate(date)}
            </Typography>
            <TextField
              select
              size="small"
              label="Status"
              value={status}
              onChange={(e) => setStatus(e.target.value as AppointmentStatus | '')}
              sx={{ minWidth: 160 }}
            >
              <MenuItem value="">All but cancelled</MenuItem>
              {appointmentStatuses.map((s) => (
                <MenuItem key={s} value={s}>
                  {appointmentStatusLabels[s]}
                </MenuItem>
              ))}
            </TextField>
          </Box>
          <ProblemAlert error={list.error} sx={{ mb: 2 }} />
          <AppointmentTable
            label="Appointments of the day"
            appointments={(list.data ?? []).filter((a) => status || a.status !== 'cancelled')}
            timeZone={timeZone}
            loading={list.isFetching && !list.data}
            showDoctor={!practitionerId}
            emptyText="No appointments on this day"
          />
        </Paper>
      </Box>
      {can('opd:book') && <RescheduleListSection timeZone={timeZone} />}
    </>
  );
}

function BookingPanel(props: {
  practitionerId: string | null;
  date: string;
  timeZone: string;
  today: string;
}) {
  const { can } = useAuth();
  const { practitionerId, date, timeZone, today } = props;
  const book = useBookAppointment();
  const [slot, setSlot] = useState<Slot | null>(null);
  const [patientId, setPatientId] = useState<string | null>(null);
  const [source, setSource] = useState<'front-desk' | 'call-centre'>('front-desk');
  const [reason, setReason] = useState('');
  const [booked, setBooked] = useState<Appointment | null>(null);
  const [checkingIn, setCheckingIn] = useState<Appointment | null>(null);
  const [token, setToken] = useState<QueueToken | null>(null);
  const [tried, setTried] = useState(false);
  const sourceLabel = useId();
  // A slot belongs to one doctor and day: a change of either drops it.
  const [slotKey, setSlotKey] = useState('');
  const key = `${practitionerId}|${date}`;
  if (slotKey !== key) {
    setSlotKey(key);
    setSlot(null);
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!slot || !patientId) return;
    book.mutate(
      { patientId, slotId: slot.id, source, reason: reason.trim() || null },
      {
        onSuccess: (a) => {
          setBooked(a);
          setSlot(null);
          setPatientId(null);
          setReason('');
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
      aria-labelledby="book-title"
      onSubmit={submit}
      noValidate
    >
      <Typography id="book-title" variant="h6" component="h2" sx={{ mb: 2 }}>
        Book an appointment
      </Typography>
      <Stack spacing={2}>
        {booked && (
          <Alert
            severity="success"
            role="status"
            onClose={() => setBooked(null)}
            action={
              booked.date === today &&
              can('opd:check-in') && (
                <Button color="inherit" size="small" onClick={() => setCheckingIn(booked)}>
                  Check in now
                </Button>
              )
            }
          >
            Booked {booked.patient?.displayName} with {booked.practitionerName} on{' '}
            {formatCalendarDate(booked.date)} at {formatTimeIn(booked.startsAt, timeZone)}.
          </Alert>
        )}
        <Box>
          <Typography variant="subtitle2" component="h3" sx={{ mb: 1 }}>
            Slot
          </Typography>
          <SlotPicker
            practitionerId={practitionerId}
            date={date}
            timeZone={timeZone}
            value={slot?.id ?? null}
            onChange={setSlot}
          />
          {tried && !slot && (
            <Typography color="error" variant="body2" sx={{ mt: 1 }}>
              Choose a free slot
            </Typography>
          )}
        </Box>
        <Box>
          <PatientPicker value={patientId} onChange={setPatientId} />
          {tried && !patientId && (
            <Typography color="error" variant="body2" sx={{ mt: 1 }}>
              Choose the patient
            </Typography>
          )}
        </Box>
        <Box>
          <FormLabel id={sourceLabel}>Booked by</FormLabel>
          <RadioGroup
            row
            aria-labelledby={sourceLabel}
            value={source}
            onChange={(e) => setSource(e.target.value as 'front-desk' | 'call-centre')}
          >
            <FormControlLabel value="front-desk" control={<Radio />} label="Front desk" />
            <FormControlLabel value="call-centre" control={<Radio />} label="Call centre" />
          </RadioGroup>
        </Box>
        <TextField
          label="Reason for visit (optional)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          slotProps={{ htmlInput: { maxLength: 300 } }}
        />
        <ProblemAlert error={book.error} />
        <Box>
          <Button type="submit" variant="contained" disabled={book.isPending}>
            {slot ? `Book ${formatTimeIn(slot.startsAt, timeZone)}` : 'Book appointment'}
          </Button>
        </Box>
      </Stack>
      <CheckInDialog
        appointment={checkingIn}
        timeZone={timeZone}
        onClose={() => setCheckingIn(null)}
        onCheckedIn={(t) => {
          setCheckingIn(null);
          setBooked(null);
          setToken(t);
        }}
      />
      <TokenSlipDialog token={token} timeZone={timeZone} onClose={() => setToken(null)} />
    </Paper>
  );
}

function RescheduleListSection({ timeZone }: { timeZone: string }) {
  const list = useRescheduleList();
  const items = list.data ?? [];
  if (items.length === 0) return null;
  return (
    <Paper variant="outlined" sx={{ p: 2, mt: 3 }} component="section" aria-labelledby="rebook-title">
      <Typography id="rebook-title" variant="h6" component="h2">
        Patients to rebook
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        Their doctor's session was cancelled. Call them, then reschedule, or cancel if they will not come.
      </Typography>
      <AppointmentTable
        label="Patients to rebook"
        appointments={items}
        timeZone={timeZone}
        showDoctor
        showDate
      />
    </Paper>
  );
}
