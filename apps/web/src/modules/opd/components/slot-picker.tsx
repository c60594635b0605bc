import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import ToggleButton from '@mui/material/ToggleButton';
import Typography from '@mui/material/Typography';
import type { Slot } from '@newhms/contracts';
import { formatTimeIn } from '../../../ui/facility-time';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useSlots } from '../hooks/use-opd-visits';

type Props = {
  practitionerId: string | null;
  date: string;
  timeZone: string;
  value: string | null;
  onChange: (slot: Slot | null) => void;
  /** The slot the appointment holds now (when rescheduling): shown, not offered. */
  currentSlotId?: string | null;
};

function slotState(slot: Slot, now: number, currentSlotId?: string | null) {
  if (slot.id === currentSlotId) return { disabled: true, text: 'current' };
  if (slot.status !== 'open') return { disabled: true, text: 'cancelled' };
  if (Date.parse(slot.endsAt) <= now) return { disabled: true, text: 'over' };
  if (slot.free <= 0) return { disabled: true, text: 'full' };
  return { disabled: false, text: `${slot.free} of ${slot.capacity} free` };
}

/** The day's slots of a doctor with their free capacity now; a full or past slot cannot be chosen. */
export function SlotPicker({ practitionerId, date, timeZone, value, onChange, currentSlotId }: Props) {
  const slots = useSlots(practitionerId, date);
  if (!practitionerId)
    return <Typography color="text.secondary">Choose a doctor to see the slots.</Typography>;
  const now = Date.now();
  // Slots that are over cannot be booked: they are left out rather than shown greyed.
  const all = slots.data ?? [];
  const items = all.filter((s) => Date.parse(s.endsAt) > now || s.id === currentSlotId);
  const over = all.length - items.length;
  const free = items.filter((s) => !slotState(s, now, currentSlotId).disabled).length;
  return (
    <Box>
      {slots.isLoading && <LinearProgress aria-label="Loading slots" />}
      <ProblemAlert error={slots.error} />
      {slots.isSuccess && all.length === 0 && (
        <Typography color="text.secondary">The doctor has no OPD session on this day.</Typography>
      )}
      {all.length > 0 && (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }} role="status">
          {free === 0 ? 'No free slot on this day.' : `${free} slot${free === 1 ? '' : 's'} free`}
          {over > 0 && ` · ${over} earlier slot${over === 1 ? ' is' : 's are'} over`}
        </Typography>
      )}
      <Box
        role="group"
        aria-label="Slots"
        sx={{
          display: 'grid',
          gap: 1,
          gridTemplateColumns: 'repeat(auto-fill, minmax(112px, 1fr))',
          maxHeight: 320,
          overflowY: 'auto',
          p: 0.5,
        }}
      >
        {items.map((slot) => {
          const state = slotState(slot, now, currentSlotId);
          const time = formatTimeIn(slot.startsAt, timeZone);
          return (
            <ToggleButton
              key={slot.id}
              value={slot.id}
              selected={slot.id === value}
              disabled={state.disabled}
              onChange={() => onChange(slot.id === value ? null : slot)}
              aria-label={`${time}, ${state.text}`}
              color="primary"
              sx={{ flexDirection: 'column', lineHeight: 1.2, py: 0.75, textTransform: 'none' }}
            >
              <Box component="span" sx={{ fontWeight: 700, fontSize: '1rem' }}>
                {time}
              </Box>
              <Box component="span" sx={{ fontSize: '0.75rem' }}>
                {state.text}
              </Box>
            </ToggleButton>
          );
        })}
      </Box>
    </Box>
  );
}
