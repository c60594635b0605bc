import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { RadOrder } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { calendarDateIn, formatCalendarDate, useFacilityTimeZone } from '../../../ui/facility-time';
import { fieldErrorsFromProblem } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { clashOf, firstFreeSlot, wallTime, zonedInstant } from '../booking-slots';
import { useBookStudy, useRadRooms, useRoomSchedule } from '../hooks/use-radiology';
import { modalityLabels, procedureWithSide } from '../radiology-labels';

type Props = {
  order: RadOrder | null;
  /** The day to offer first (the day view's). */
  date?: string;
  onClose: () => void;
  onDone: (order: RadOrder) => void;
};

const conflictTitles = {
  RAD_ROOM_DOUBLE_BOOKED: 'That slot is taken',
  RAD_ORDER_ALREADY_BOOKED: 'Booked by someone else',
  STALE_VERSION: 'Changed by someone else',
};

/**
 * Books an ordered study into a room of its modality, or moves its booking: the room, the day and the time on the
 * facility's clock, the length (the procedure's by default). The room's bookings that day are listed and the first
 * free slot offered; a slot that overlaps another booking is refused by the server (409), said here.
 */
export function BookDialog({ order, date: initialDate, onClose, onDone }: Props) {
  const titleId = useId();
  const timeZone = useFacilityTimeZone();
  const reschedule = !!order?.booking;
  const rooms = useRadRooms({ modality: order?.modality ?? '' });
  const book = useBookStudy();
  const [roomId, setRoomId] = useState('');
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [minutes, setMinutes] = useState('');
  const [timeTouched, setTimeTouched] = useState(false);
  const [tried, setTried] = useState(false);
  const schedule = useRoomSchedule(roomId || null, date);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new order starts a new booking
  useEffect(() => {
    if (!order) return;
    book.reset();
    setTried(false);
    if (order.booking) {
      setRoomId(order.booking.roomId);
      setDate(calendarDateIn(timeZone, new Date(order.booking.startsAt)));
      setTime(wallTime(order.booking.startsAt, timeZone));
      setMinutes(
        String(Math.round((Date.parse(order.booking.endsAt) - Date.parse(order.booking.startsAt)) / 60_000)),
      );
      setTimeTouched(true);
    } else {
      setRoomId('');
      setDate(initialDate ?? calendarDateIn(timeZone));
      setTime('');
      setMinutes(String(order.durationMinutes));
      setTimeTouched(false);
    }
  }, [order?.id]);

  // One room of the modality: it is the room.
  useEffect(() => {
    const list = rooms.data ?? [];
    if (order && !roomId && list.length === 1 && list[0]) setRoomId(list[0].id);
  }, [rooms.data, order, roomId]);

  const room = (rooms.data ?? []).find((r) => r.id === roomId);
  const others = (schedule.data?.bookings ?? []).filter((b) => b.orderId !== order?.id);
  const length = Number(minutes);
  const lengthOk = Number.isInteger(length) && length >= 1 && length <= 720;
  const suggestion =
    room && schedule.data && lengthOk
      ? firstFreeSlot({
          date,
          timeZone,
          opensAt: room.opensAt,
          closesAt: room.closesAt,
          minutes: length,
          bookings: others,
          now: new Date(),
        })
      : null;

  // Until the desk types a time, offer the first free one.
  useEffect(() => {
    if (!timeTouched && suggestion) setTime(suggestion);
  }, [suggestion, timeTouched]);

  const startsAt = date && /^\d{2}:\d{2}$/.test(time) ? zonedInstant(date, time, timeZone) : null;
  const clash = startsAt && lengthOk ? clashOf(others, startsAt, length) : null;
  const serverErrors = fieldErrorsFromProblem(book.error);
  const missing = { roomId: !roomId, date: !date, time: !startsAt, minutes: !lengthOk };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!order || !startsAt || !roomId || !lengthOk) return;
    const endsAt =
      length === order.durationMinutes && !reschedule
        ? undefined
        : new Date(Date.parse(startsAt) + length * 60_000).toISOString();
    book.mutate(
      { id: order.id, reschedule, roomId, startsAt, ...(endsAt ? { endsAt } : {}), version: order.version },
      { onSuccess: onDone },
    );
  };

  return (
    <Dialog open={!!order} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{reschedule ? 'Reschedule study' : 'Book study'}</DialogTitle>
        <DialogContent>
          {order && (
            <Stack spacing={2} sx={{ mt: 0.5 }}>
              <Typography>
                <strong>{procedureWithSide(order)}</strong>
                {` · ${order.patientName} · MRN ${order.mrn} · ${order.accession}`}
              </Typography>
              <TextField
                select
                label="Room"
                value={room ? roomId : ''}
                onChange={(e) => setRoomId(e.target.value)}
                required
                error={(tried && missing.roomId) || !!serverErrors.roomId}
                helperText={
                  serverErrors.roomId ??
                  (tried && missing.roomId ? 'Choose a room' : `${modalityLabels[order.modality]} rooms`)
                }
              >
                {(rooms.data ?? []).map((r) => (
                  <MenuItem key={r.id} value={r.id}>
                    {`${r.name} (${r.code})${r.opensAt ? ` · ${r.opensAt}-${r.closesAt}` : ' · 24 h'}`}
                  </MenuItem>
                ))}
              </TextField>
              {rooms.data && rooms.data.length === 0 && (
                <Alert severity="warning">{`No active ${modalityLabels[order.modality]} room: ask an administrator to set one up.`}</Alert>
              )}
              <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
                <TextField
                  label="Date"
                  type="date"
                  value={date}
                  onChange={(e) => {
                    setDate(e.target.value);
                    if (!reschedule) setTimeTouched(false);
                  }}
                  required
                  error={tried && missing.date}
                  slotProps={{ inputLabel: { shrink: true } }}
                  sx={{ flex: '1 1 160px' }}
                />
                <TextField
                  label="Time"
                  type="time"
                  value={time}
                  onChange={(e) => {
                    setTime(e.target.value);
                    setTimeTouched(true);
                  }}
                  required
                  error={(tried && missing.time) || !!serverErrors.startsAt}
                  helperText={serverErrors.startsAt ?? `Facility time (${timeZone})`}
                  slotProps={{ inputLabel: { shrink: true }, htmlInput: { step: 300 } }}
                  sx={{ flex: '1 1 140px' }}
                />
                <TextField
                  label="Minutes"
                  type="number"
                  value={minutes}
                  onChange={(e) => setMinutes(e.target.value)}
                  required
                  error={(tried && missing.minutes) || !!serverErrors.endsAt}
                  helperText={serverErrors.endsAt ?? `Usual: ${order.durationMinutes}`}
                  slotProps={{ htmlInput: { min: 1, max: 720, step: 5 } }}
                  sx={{ flex: '0 1 110px' }}
                />
              </Box>
              {room && (
                <Box>
                  <Typography component="h3" variant="subtitle2">
                    {`${room.name}, ${formatCalendarDate(date)}`}
                  </Typography>
                  {others.length === 0 ? (
                    <Typography color="text.secondary">No other booking that day.</Typography>
                  ) : (
                    <Box component="ul" aria-label="Booked that day" sx={{ m: 0, pl: 2.5 }}>
                      {others.map((b) => (
                        <li key={b.bookingId}>
                          {`${wallTime(b.startsAt, timeZone)}-${wallTime(b.endsAt, timeZone)} · ${b.procedureName} · ${b.patientName}`}
                        </li>
                      ))}
                    </Box>
                  )}
                  {suggestion && suggestion !== time && (
                    <Button
                      size="small"
                      sx={{ mt: 1 }}
                      onClick={() => {
                        setTime(suggestion);
                        setTimeTouched(true);
                      }}
                    >
                      {`First free slot: ${suggestion}`}
                    </Button>
                  )}
                  {schedule.data && !suggestion && (
                    <Typography color="text.secondary" sx={{ mt: 1 }}>
                      No free slot of this length is left that day.
                    </Typography>
                  )}
                </Box>
              )}
              {clash && (
                <Alert severity="warning" data-testid="clash-warning">
                  {`Overlaps ${wallTime(clash.startsAt, timeZone)}-${wallTime(clash.endsAt, timeZone)} (${clash.procedureName}, ${clash.patientName}).`}
                </Alert>
              )}
              <ProblemAlert error={book.error} titles={conflictTitles} />
            </Stack>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Back</Button>
          <Button type="submit" variant="contained" disabled={book.isPending}>
            {reschedule ? 'Move booking' : 'Book'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
