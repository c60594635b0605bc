import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Typography from '@mui/material/Typography';
import type { BedBoardBed } from '@newhms/contracts';
import { bedStatusColours, bedStatusLabels, formatMinutes } from '../ipd-labels';
import { BedStatusIcon } from './bed-status-icon';

type Props = {
  bed: BedBoardBed;
  /** The board's "today" (the facility's date), for "leaving today". */
  today: string;
  /** Minutes in the status now (the board's figure, kept ticking between frames). */
  minutes: number;
  onOpen?: (bed: BedBoardBed) => void;
};

/** What a screen reader says for a tile: the same facts the tile shows. */
function describe(bed: BedBoardBed, minutes: number): string {
  const parts = [`Bed ${bed.code}`, bedStatusLabels[bed.status]];
  if (bed.occupant) parts.push(`${bed.occupant.initials}, MRN ${bed.occupant.mrn}`);
  if (bed.reservedFor) parts.push(`for ${bed.reservedFor.initials}, MRN ${bed.reservedFor.mrn}`);
  if (bed.status === 'cleaning') parts.push(`for ${formatMinutes(minutes)}`);
  if (bed.occupant?.dischargeInitiated) parts.push('discharge initiated');
  return parts.join(', ');
}

/** One bed of the staff board: code, status (word, icon and colour), who is in it or held for, how long. */
export function BedTile({ bed, today, minutes, onOpen }: Props) {
  const colours = bedStatusColours[bed.status];
  const occupant = bed.occupant;
  const leavingToday = !!occupant?.expectedDischargeDate && occupant.expectedDischargeDate <= today;
  const content = (
    <Box sx={{ width: '100%', textAlign: 'left', p: 1.25 }}>
      <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1 }}>
        <Typography component="span" sx={{ fontWeight: 800, fontSize: '1.05rem' }}>
          {bed.code}
        </Typography>
        <Typography component="span" variant="caption" sx={{ color: colours.text, flexGrow: 1 }} noWrap>
          {bed.roomCode} · {bed.category}
          {bed.isolation ? ' · isolation' : ''}
        </Typography>
      </Box>
      <Box
        sx={{ display: 'flex', alignItems: 'center', gap: 0.5, color: colours.text, fontWeight: 700 }}
        data-testid="bed-status"
      >
        <BedStatusIcon status={bed.status} fontSize="small" />
        <span>{bedStatusLabels[bed.status]}</span>
        {bed.status === 'cleaning' && <span>· {formatMinutes(minutes)}</span>}
      </Box>
      {occupant && (
        <Typography component="p" variant="body2" sx={{ fontWeight: 600 }} title={occupant.name}>
          {occupant.initials} · MRN {occupant.mrn}
        </Typography>
      )}
      {occupant && (occupant.dischargeInitiated || leavingToday) && (
        <Typography component="p" variant="caption" sx={{ fontWeight: 700, color: colours.text }}>
          {occupant.dischargeInitiated ? 'Discharge initiated' : 'Leaving today'}
        </Typography>
      )}
      {bed.reservedFor && (
        <Typography component="p" variant="body2">
          For {bed.reservedFor.initials} · MRN {bed.reservedFor.mrn}
        </Typography>
      )}
      {bed.statusReason && (bed.status === 'blocked' || bed.status === 'maintenance') && (
        <Typography component="p" variant="caption" noWrap title={bed.statusReason}>
          {bed.statusReason}
        </Typography>
      )}
    </Box>
  );
  const sx = {
    display: 'flex',
    width: '100%',
    minHeight: 104,
    alignItems: 'flex-start',
    borderRadius: 1.5,
    border: 2,
    borderColor: colours.border,
    borderStyle: bed.status === 'blocked' || bed.status === 'maintenance' ? 'dashed' : 'solid',
    bgcolor: colours.fill,
    color: '#1f1f1f',
  } as const;
  return (
    <Box
      component="li"
      data-testid={`bed-tile-${bed.code}`}
      data-status={bed.status}
      sx={{ listStyle: 'none', display: 'flex' }}
    >
      {onOpen ? (
        <ButtonBase
          focusRipple
          onClick={() => onOpen(bed)}
          aria-label={describe(bed, minutes)}
          sx={{ ...sx, '&:hover': { boxShadow: 3 }, '&.Mui-focusVisible': { outline: '3px solid #000' } }}
        >
          {content}
        </ButtonBase>
      ) : (
        <Box aria-label={describe(bed, minutes)} role="group" sx={sx}>
          {content}
        </Box>
      )}
    </Box>
  );
}
