import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  type BedBoardBed,
  type BedBoardStatus,
  type BedBoardWard,
  bedBoardStatuses,
} from '@newhms/contracts';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { BedStatusIcon } from '../components/bed-status-icon';
import { BedTile } from '../components/bed-tile';
import { type FeedState, useBedBoardFeed, useNow } from '../hooks/use-bed-board-feed';
import { bedStatusColours, bedStatusLabels, formatMinutes, priorityLabels } from '../ipd-labels';

const stateLabels: Record<FeedState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Closed',
};

/** Minutes in the status now: the board's figure plus the time since the frame was made. */
function minutesNow(bed: BedBoardBed, now: number): number {
  const since = Date.parse(bed.since);
  return Number.isNaN(since)
    ? bed.minutesInStatus
    : Math.max(bed.minutesInStatus, Math.floor((now - since) / 60_000));
}

/** The staff bed board at /ipd/beds: every ward's beds by status, live; a bed opens its admission or admits. */
export function BedBoardPage() {
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const wardFilter = params.get('ward') ?? '';
  const statusFilter = (params.get('status') ?? '') as BedBoardStatus | '';
  const { board, state, error } = useBedBoardFeed();
  const now = useNow();
  const canAdmit = can('ipd:admit');

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const open = (bed: BedBoardBed) => {
    if (bed.occupant) navigate(`/ipd/admissions/${bed.occupant.admissionId}`);
    else if (bed.status === 'available' || bed.status === 'reserved')
      navigate(
        `/ipd/admissions?admitBed=${bed.bedId}${bed.reservedFor?.requestId ? `&request=${bed.reservedFor.requestId}` : ''}`,
      );
  };
  const clickable = (bed: BedBoardBed) =>
    !!bed.occupant || (canAdmit && (bed.status === 'available' || bed.status === 'reserved'));

  const wards = (board?.wards ?? []).filter((w) => !wardFilter || w.wardId === wardFilter);
  const requests = board?.requests;

  return (
    <>
      <PageHeader
        title="Bed board"
        subtitle="Every bed of the facility, live. Open an occupied bed for its admission, or an empty one to admit."
        actions={
          <>
            <Box
              role="status"
              data-testid="board-connection"
              data-state={state}
              sx={{ display: 'flex', alignItems: 'center' }}
            >
              <Chip
                label={stateLabels[state]}
                color={state === 'live' ? 'success' : 'warning'}
                variant={state === 'live' ? 'filled' : 'outlined'}
              />
            </Box>
            {canAdmit && (
              <Button variant="contained" component={RouterLink} to="/ipd/admissions">
                Admission desk
              </Button>
            )}
          </>
        }
      />
      {!board && !error && <LinearProgress aria-label="Loading the bed board" />}
      <ProblemAlert error={!board ? error : null} sx={{ mb: 2 }} />
      {requests && (
        <Paper
          variant="outlined"
          sx={{ p: 2, mb: 2, display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'center' }}
        >
          <Typography component="p" sx={{ fontWeight: 700 }} data-testid="requests-waiting">
            {requests.waiting === 0
              ? 'No admission request waiting'
              : `${requests.waiting} admission request${requests.waiting === 1 ? '' : 's'} waiting`}
            {requests.oldestWaitMinutes !== null && requests.waiting > 0
              ? ` · oldest ${formatMinutes(requests.oldestWaitMinutes)}`
              : ''}
          </Typography>
          {Object.entries(requests.byPriority)
            .filter(([, n]) => n > 0)
            .map(([priority, n]) => (
              <Chip
                key={priority}
                size="small"
                color={priority === 'emergency' ? 'error' : priority === 'urgent' ? 'warning' : 'default'}
                label={`${priorityLabels[priority as keyof typeof priorityLabels] ?? priority}: ${n}`}
              />
            ))}
        </Paper>
      )}
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', mb: 2 }}>
        <TextField
          select
          size="small"
          label="Ward"
          value={wardFilter}
          onChange={(e) => setFilter('ward', e.target.value)}
          sx={{ minWidth: 220 }}
        >
          <MenuItem value="">All wards</MenuItem>
          {(board?.wards ?? []).map((w) => (
            <MenuItem key={w.wardId} value={w.wardId}>
              {w.name}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          size="small"
          label="Status"
          value={statusFilter}
          onChange={(e) => setFilter('status', e.target.value)}
          sx={{ minWidth: 180 }}
        >
          <MenuItem value="">All statuses</MenuItem>
          {bedBoardStatuses.map((s) => (
            <MenuItem key={s} value={s}>
              {bedStatusLabels[s]}
            </MenuItem>
          ))}
        </TextField>
        <Legend />
      </Box>
      {board && board.wards.length === 0 && (
        <Alert severity="info">No ward is set up in this facility yet.</Alert>
      )}
      {wards.map((ward) => (
        <WardSection
          key={ward.wardId}
          ward={ward}
          today={board?.date ?? ''}
          now={now}
          statusFilter={statusFilter}
          onOpen={(bed) => (clickable(bed) ? open(bed) : undefined)}
          isClickable={clickable}
        />
      ))}
    </>
  );
}

function Legend() {
  return (
    <Box
      component="ul"
      aria-label="Bed status colours"
      sx={{
        display: 'flex',
        gap: 1.5,
        flexWrap: 'wrap',
        alignItems: 'center',
        m: 0,
        p: 0,
        listStyle: 'none',
      }}
    >
      {bedBoardStatuses.map((s) => (
        <Box
          component="li"
          key={s}
          sx={{
            display: 'flex',
            alignItems: 'center',
            gap: 0.5,
            px: 1,
            py: 0.25,
            borderRadius: 1,
            border: 1,
            borderColor: bedStatusColours[s].border,
            bgcolor: bedStatusColours[s].fill,
            color: bedStatusColours[s].text,
            fontSize: '0.85rem',
            fontWeight: 600,
          }}
        >
          <BedStatusIcon status={s} fontSize="inherit" />
          {bedStatusLabels[s]}
        </Box>
      ))}
    </Box>
  );
}

function WardSection({
  ward,
  today,
  now,
  statusFilter,
  onOpen,
  isClickable,
}: {
  ward: BedBoardWard;
  today: string;
  now: number;
  statusFilter: BedBoardStatus | '';
  onOpen: (bed: BedBoardBed) => void;
  isClickable: (bed: BedBoardBed) => boolean;
}) {
  const { summary } = ward;
  const headingId = `ward-${ward.wardId}`;
  const beds = ward.beds.filter((b) => !statusFilter || b.status === statusFilter);
  const longestCleaning = summary.cleaning[0];
  return (
    <Paper
      component="section"
      aria-labelledby={headingId}
      variant="outlined"
      sx={{ p: 2, mb: 2 }}
      data-testid={`ward-${ward.code}`}
    >
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: 1.5, mb: 1.5 }}>
        <Typography id={headingId} component="h2" variant="h6" sx={{ fontWeight: 700 }}>
          {ward.name}
        </Typography>
        <Typography color="text.secondary" variant="body2">
          {[ward.kind.toUpperCase(), ward.building, ward.floor ? `floor ${ward.floor}` : null]
            .filter(Boolean)
            .join(' · ')}
        </Typography>
      </Box>
      <Box
        component="dl"
        sx={{
          display: 'flex',
          flexWrap: 'wrap',
          gap: 2,
          m: 0,
          mb: 1.5,
          '& div': { display: 'flex', gap: 0.5 },
          '& dt': { color: 'text.secondary' },
          '& dd': { m: 0, fontWeight: 700 },
        }}
      >
        <div>
          <dt>Occupancy</dt>
          <dd data-testid="occupancy">
            {summary.occupancyPercent === null ? '—' : `${summary.occupancyPercent}%`}
          </dd>
        </div>
        <div>
          <dt>Occupied</dt>
          <dd>
            {summary.counts.occupied ?? 0} of {summary.total}
          </dd>
        </div>
        <div>
          <dt>Available</dt>
          <dd data-testid="available-count">{summary.counts.available ?? 0}</dd>
        </div>
        <div>
          <dt>Expected discharges today</dt>
          <dd data-testid="expected-discharges">{summary.expectedDischargesToday}</dd>
        </div>
        <div>
          <dt>In cleaning</dt>
          <dd>
            {summary.cleaning.length}
            {longestCleaning
              ? ` (longest ${longestCleaning.code}, ${formatMinutes(longestCleaning.minutes)})`
              : ''}
          </dd>
        </div>
        <div>
          <dt>Requests waiting</dt>
          <dd>{summary.requests.waiting}</dd>
        </div>
      </Box>
      {beds.length === 0 ? (
        <Typography color="text.secondary">
          No bed{' '}
          {statusFilter
            ? `is ${bedStatusLabels[statusFilter as BedBoardStatus].toLowerCase()}`
            : 'in this ward'}
          .
        </Typography>
      ) : (
        <Box
          component="ul"
          aria-label={`Beds of ${ward.name}`}
          sx={{
            m: 0,
            p: 0,
            display: 'grid',
            gap: 1.25,
            gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 170px), 1fr))',
          }}
        >
          {beds.map((bed) => (
            <BedTile
              key={bed.bedId}
              bed={bed}
              today={today}
              minutes={minutesNow(bed, now)}
              onOpen={isClickable(bed) ? onOpen : undefined}
            />
          ))}
        </Box>
      )}
    </Paper>
  );
}
