import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type RadModality, type RadOrder, type RadRoomSchedule, radModalities } from '@newhms/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../../app/api-client';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { addDays, calendarDateIn, formatCalendarDate, useFacilityTimeZone } from '../../../ui/facility-time';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { Section } from '../../../ui/titled-section';
import { wallTime } from '../booking-slots';
import { BookDialog } from '../components/book-dialog';
import { OrderStatusChip, PriorityChip } from '../components/chips';
import { PatientCell, StudyCell } from '../components/order-cells';
import { PreparationDialog } from '../components/preparation-dialog';
import {
  radiologyKey,
  useCancelBooking,
  useCancelImagingOrder,
  useRadRooms,
  useRadWorklist,
  useRoomSchedule,
} from '../hooks/use-radiology';
import { modalityLabels } from '../radiology-labels';

type Booked = RadRoomSchedule['bookings'][number];

function useFetchOrder() {
  const queryClient = useQueryClient();
  return (id: string) =>
    queryClient.fetchQuery({
      queryKey: [...radiologyKey, 'order', id],
      queryFn: ({ signal }) => api.get<RadOrder>(`/radiology/orders/${id}`, undefined, signal),
      staleTime: 0,
    });
}

/**
 * The radiology desk (/radiology/scheduling): orders waiting for a slot, STAT first, with their preparation; the
 * day of each modality room with its bookings; book, move and cancel bookings; the patient's preparation slip.
 */
export function SchedulingPage() {
  const timeZone = useFacilityTimeZone();
  const [params, setParams] = useSearchParams();
  const modality = (radModalities as readonly string[]).includes(params.get('modality') ?? '')
    ? (params.get('modality') as RadModality)
    : '';
  const date = params.get('date') ?? calendarDateIn(timeZone);
  const waiting = useRadWorklist({ status: 'ordered', modality });
  const rooms = useRadRooms({ modality });
  const fetchOrder = useFetchOrder();
  const cancelBooking = useCancelBooking();
  const cancelOrder = useCancelImagingOrder();
  const [booking, setBooking] = useState<RadOrder | null>(null);
  const [preparing, setPreparing] = useState<RadOrder | null>(null);
  const [unbooking, setUnbooking] = useState<RadOrder | null>(null);
  const [cancelling, setCancelling] = useState<RadOrder | null>(null);
  const [opening, setOpening] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const setParam = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (value) p.set(key, value);
        else p.delete(key);
        return p;
      },
      { replace: true },
    );

  // A booking row carries no version: the order is read fresh before acting on it.
  const withOrder = (id: string, then: (order: RadOrder) => void) => {
    setOpening(null);
    fetchOrder(id).then(then, setOpening);
  };

  const waitingColumns: Column<RadOrder>[] = [
    { id: 'priority', header: 'Priority', render: (o) => <PriorityChip priority={o.priority} /> },
    { id: 'patient', header: 'Patient', render: (o) => <PatientCell order={o} /> },
    { id: 'study', header: 'Study', render: (o) => <StudyCell order={o} /> },
    {
      id: 'ordered',
      header: 'Ordered',
      hideBelow: 'md',
      render: (o) => (
        <>
          {formatDateTime(o.orderedAt)}
          {o.orderedByName && (
            <Typography variant="body2" color="text.secondary">{`by ${o.orderedByName}`}</Typography>
          )}
        </>
      ),
    },
    {
      id: 'preparation',
      header: 'Preparation',
      hideBelow: 'lg',
      render: (o) => (
        <Typography variant="body2" sx={{ maxWidth: 320 }}>
          {o.preparation ?? 'None'}
        </Typography>
      ),
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (o) => (
        <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
          <Button
            size="small"
            variant="contained"
            onClick={() => {
              setDone(null);
              setBooking(o);
            }}
            aria-label={`Book ${o.procedureName} for ${o.patientName}`}
          >
            Book
          </Button>
          <Button
            size="small"
            onClick={() => setPreparing(o)}
            aria-label={`Preparation for ${o.patientName}`}
          >
            Preparation
          </Button>
          {!o.orderId && (
            <Button
              size="small"
              color="error"
              onClick={() => setCancelling(o)}
              aria-label={`Cancel the order of ${o.procedureName} for ${o.patientName}`}
            >
              Cancel order
            </Button>
          )}
        </Box>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Radiology scheduling"
        subtitle="Orders waiting for a slot, STAT first; each room's day; book, move or cancel; the patient's preparation"
      />
      <Stack spacing={3}>
        <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
          <TextField
            select
            label="Modality"
            value={modality}
            onChange={(e) => setParam('modality', e.target.value || null)}
            sx={{ minWidth: 180 }}
            slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
          >
            <MenuItem value="">All modalities</MenuItem>
            {radModalities.map((m) => (
              <MenuItem key={m} value={m}>
                {modalityLabels[m]}
              </MenuItem>
            ))}
          </TextField>
        </Box>
        {done && (
          <Alert severity="success" role="status" onClose={() => setDone(null)}>
            {done}
          </Alert>
        )}
        <ProblemAlert error={opening} />
        <Section title="Waiting to be scheduled" testId="orders-to-schedule">
          <ProblemAlert error={waiting.error} sx={{ mb: 1 }} />
          <DataTable
            label="Orders to schedule"
            columns={waitingColumns}
            rows={waiting.data ?? []}
            rowKey={(o) => o.id}
            loading={waiting.isLoading}
            emptyText="No order waits for a slot."
          />
        </Section>
        <Section
          title={`Rooms on ${formatCalendarDate(date)}`}
          actions={
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
              <Button size="small" onClick={() => setParam('date', addDays(date, -1))}>
                Previous day
              </Button>
              <TextField
                size="small"
                type="date"
                label="Day"
                value={date}
                onChange={(e) => setParam('date', e.target.value || null)}
                slotProps={{ inputLabel: { shrink: true } }}
              />
              <Button size="small" onClick={() => setParam('date', addDays(date, 1))}>
                Next day
              </Button>
            </Box>
          }
        >
          <ProblemAlert error={rooms.error} />
          {rooms.data?.length === 0 && (
            <Typography color="text.secondary">
              No active room{modality ? ` for ${modalityLabels[modality]}` : ''}.
            </Typography>
          )}
          <Stack spacing={2}>
            {(rooms.data ?? []).map((room) => (
              <RoomDay
                key={room.id}
                roomId={room.id}
                roomName={room.name}
                hours={room.opensAt ? `${room.opensAt}-${room.closesAt}` : 'Around the clock'}
                date={date}
                timeZone={timeZone}
                onReschedule={(b) => withOrder(b.orderId, setBooking)}
                onCancel={(b) => withOrder(b.orderId, setUnbooking)}
                onPreparation={(b) => withOrder(b.orderId, setPreparing)}
              />
            ))}
          </Stack>
        </Section>
      </Stack>
      <BookDialog
        order={booking}
        date={date}
        onClose={() => setBooking(null)}
        onDone={(o) => {
          setBooking(null);
          setDone(
            `${o.procedureName} for ${o.patientName} booked in ${o.booking?.roomName ?? 'the room'} at ${formatDateTime(o.booking?.startsAt)}.`,
          );
          if (o.booking) setParam('date', calendarDateIn(timeZone, new Date(o.booking.startsAt)));
        }}
      />
      <PreparationDialog order={preparing} onClose={() => setPreparing(null)} />
      <ReasonDialog
        open={!!unbooking}
        title="Cancel booking"
        message={
          unbooking &&
          `${unbooking.procedureName} for ${unbooking.patientName}, ${formatDateTime(unbooking.booking?.startsAt)}: the slot is freed and the order waits for a new one.`
        }
        label="Reason"
        confirmLabel="Cancel booking"
        danger
        busy={cancelBooking.isPending}
        error={cancelBooking.error}
        onCancel={() => {
          setUnbooking(null);
          cancelBooking.reset();
        }}
        onConfirm={(reason) =>
          unbooking &&
          cancelBooking.mutate(
            { id: unbooking.id, reason, version: unbooking.version },
            {
              onSuccess: (o) => {
                setUnbooking(null);
                setDone(`The booking of ${o.procedureName} for ${o.patientName} was cancelled.`);
              },
            },
          )
        }
      />
      <ReasonDialog
        open={!!cancelling}
        title="Cancel imaging order"
        message={
          cancelling && `${cancelling.procedureName} for ${cancelling.patientName} (${cancelling.accession})`
        }
        label="Reason for cancelling"
        confirmLabel="Cancel order"
        danger
        busy={cancelOrder.isPending}
        error={cancelOrder.error}
        onCancel={() => {
          setCancelling(null);
          cancelOrder.reset();
        }}
        onConfirm={(reason) =>
          cancelling &&
          cancelOrder.mutate(
            { id: cancelling.id, reason, version: cancelling.version },
            { onSuccess: () => setCancelling(null) },
          )
        }
      />
    </>
  );
}

type RoomDayProps = {
  roomId: string;
  roomName: string;
  hours: string;
  date: string;
  timeZone: string;
  onReschedule: (b: Booked) => void;
  onCancel: (b: Booked) => void;
  onPreparation: (b: Booked) => void;
};

/** One room's day: its bookings in time order, each a time block with the patient, the study and its state. */
function RoomDay({
  roomId,
  roomName,
  hours,
  date,
  timeZone,
  onReschedule,
  onCancel,
  onPreparation,
}: RoomDayProps) {
  const { can } = useAuth();
  const schedule = useRoomSchedule(roomId, date);
  const columns: Column<Booked>[] = [
    {
      id: 'time',
      header: 'Time',
      render: (b) => (
        <Typography component="span" sx={{ fontWeight: 700, whiteSpace: 'nowrap' }}>
          {`${wallTime(b.startsAt, timeZone)}-${wallTime(b.endsAt, timeZone)}`}
        </Typography>
      ),
    },
    {
      id: 'patient',
      header: 'Patient',
      render: (b) => (
        <>
          {b.patientName}
          <Typography variant="body2" color="text.secondary">{`MRN ${b.mrn}`}</Typography>
        </>
      ),
    },
    {
      id: 'study',
      header: 'Study',
      render: (b) => (
        <>
          {b.procedureName}
          <Typography variant="body2" color="text.secondary">
            {b.accession}
          </Typography>
        </>
      ),
    },
    {
      id: 'priority',
      header: 'Priority',
      hideBelow: 'md',
      render: (b) => <PriorityChip priority={b.priority} />,
    },
    { id: 'status', header: 'Status', render: (b) => <OrderStatusChip status={b.status} /> },
    {
      id: 'actions',
      header: 'Actions',
      render: (b) => (
        <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
          {can('radiology:schedule') && (b.status === 'scheduled' || b.status === 'arrived') && (
            <Button
              size="small"
              onClick={() => onReschedule(b)}
              aria-label={`Reschedule ${b.procedureName} of ${b.patientName}`}
            >
              Reschedule
            </Button>
          )}
          {can('radiology:schedule') && b.status === 'scheduled' && (
            <Button
              size="small"
              color="error"
              onClick={() => onCancel(b)}
              aria-label={`Cancel the booking of ${b.procedureName} of ${b.patientName}`}
            >
              Cancel booking
            </Button>
          )}
          <Button
            size="small"
            onClick={() => onPreparation(b)}
            aria-label={`Preparation for ${b.patientName}`}
          >
            Preparation
          </Button>
        </Box>
      ),
    },
  ];
  return (
    <Box data-testid="room-day">
      <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 600 }}>
        {roomName}
        <Typography component="span" variant="body2" color="text.secondary">
          {` · ${hours}`}
        </Typography>
      </Typography>
      <ProblemAlert error={schedule.error} />
      <DataTable
        label={`Bookings of ${roomName}`}
        columns={columns}
        rows={schedule.data?.bookings ?? []}
        rowKey={(b) => b.bookingId}
        loading={schedule.isLoading}
        emptyText="Nothing booked."
      />
    </Box>
  );
}
