import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { PublicBedBoardBed } from '@newhms/contracts';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { BedStatusIcon } from '../../ipd/components/bed-status-icon';
import { bedStatusColours, bedStatusLabels, formatMinutes } from '../../ipd/ipd-labels';
import { type FeedState, usePublicBedFeed } from '../hooks/use-public-bed-feed';

// A screen at the nurses' station or the ward entrance: white on dark, large tiles, initials and MRN only.

const stateLabels: Record<FeedState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  'not-found': 'Unknown display',
  closed: 'Display closed',
};

function useClock(intervalMs = 15_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

function minutesNow(bed: PublicBedBoardBed, now: Date): number {
  const since = Date.parse(bed.since);
  if (Number.isNaN(since)) return bed.minutesInStatus;
  return Math.max(bed.minutesInStatus, Math.floor((now.getTime() - since) / 60_000));
}

/** The public bed board of a ward at /display/beds/:displayCode (no sign-in, no names). */
export function BedDisplayPage() {
  const { displayCode = '' } = useParams();
  const { board, state } = usePublicBedFeed(displayCode);
  const now = useClock();
  const ward = board?.ward;
  useEffect(() => {
    document.title = ward ? `${ward.name} · Bed board` : 'Bed board';
  }, [ward]);
  const summary = ward?.summary;

  return (
    <Box
      component="main"
      sx={{
        minHeight: '100vh',
        bgcolor: '#0b1a2b',
        color: '#ffffff',
        display: 'flex',
        flexDirection: 'column',
        p: { xs: 2, md: 4 },
        gap: { xs: 2, md: 3 },
      }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 3, flexWrap: 'wrap' }}>
        <Typography
          component="h1"
          sx={{ fontSize: 'clamp(1.75rem, 4vw, 4rem)', fontWeight: 800, flexGrow: 1, lineHeight: 1.1 }}
        >
          {ward?.name ?? displayCode.toUpperCase()}
        </Typography>
        <Box
          role="status"
          data-testid="board-connection"
          data-state={state}
          sx={{
            px: 2,
            py: 0.5,
            borderRadius: 5,
            fontSize: 'clamp(1rem, 1.5vw, 1.5rem)',
            fontWeight: 700,
            bgcolor: state === 'live' ? '#1b5e20' : '#b71c1c',
          }}
        >
          {stateLabels[state]}
        </Box>
        <Typography component="p" sx={{ fontSize: 'clamp(1.5rem, 3vw, 3rem)', fontWeight: 700 }}>
          {new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(now)}
        </Typography>
      </Box>
      {state === 'not-found' ? (
        <Typography sx={{ fontSize: '2rem' }}>There is no bed board “{displayCode}”.</Typography>
      ) : (
        <>
          {summary && (
            <Box
              component="dl"
              sx={{
                m: 0,
                display: 'flex',
                flexWrap: 'wrap',
                gap: { xs: 2, md: 5 },
                fontSize: 'clamp(1.1rem, 2vw, 2rem)',
                '& div': { display: 'flex', gap: 1, alignItems: 'baseline' },
                '& dt': { color: '#b0bec5' },
                '& dd': { m: 0, fontWeight: 800 },
              }}
            >
              <div>
                <dt>Occupancy</dt>
                <dd data-testid="occupancy">
                  {summary.occupancyPercent === null ? '—' : `${summary.occupancyPercent}%`}
                </dd>
              </div>
              <div>
                <dt>Available</dt>
                <dd data-testid="available-count">{summary.counts.available ?? 0}</dd>
              </div>
              <div>
                <dt>Being cleaned</dt>
                <dd>{summary.cleaning.length}</dd>
              </div>
              <div>
                <dt>Leaving today</dt>
                <dd>{summary.expectedDischargesToday}</dd>
              </div>
              <div>
                <dt>Waiting for a bed</dt>
                <dd>{summary.requests.waiting}</dd>
              </div>
            </Box>
          )}
          <Box
            component="ul"
            aria-label="Beds"
            sx={{
              listStyle: 'none',
              m: 0,
              p: 0,
              display: 'grid',
              gap: { xs: 1.5, md: 2 },
              gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 220px), 1fr))',
            }}
          >
            {(ward?.beds ?? []).map((bed) => {
              const colours = bedStatusColours[bed.status];
              return (
                <Box
                  component="li"
                  key={bed.bedId}
                  data-testid={`bed-tile-${bed.code}`}
                  data-status={bed.status}
                  sx={{
                    borderRadius: 3,
                    p: 2,
                    bgcolor: colours.strong,
                    color: '#ffffff',
                    border: '3px solid',
                    borderColor: bed.status === 'blocked' ? '#9e9e9e' : colours.strong,
                    minHeight: 150,
                    display: 'flex',
                    flexDirection: 'column',
                    gap: 0.5,
                  }}
                >
                  <Typography
                    component="p"
                    sx={{ fontSize: 'clamp(2rem, 3.5vw, 3.5rem)', fontWeight: 900, lineHeight: 1 }}
                  >
                    {bed.code}
                  </Typography>
                  <Typography
                    component="p"
                    sx={{
                      fontSize: 'clamp(1.1rem, 1.6vw, 1.6rem)',
                      fontWeight: 700,
                      display: 'flex',
                      gap: 1,
                      alignItems: 'center',
                    }}
                  >
                    <BedStatusIcon status={bed.status} fontSize="inherit" />
                    {bedStatusLabels[bed.status]}
                    {bed.status === 'cleaning' ? ` · ${formatMinutes(minutesNow(bed, now))}` : ''}
                  </Typography>
                  {bed.occupant && (
                    <Typography
                      component="p"
                      sx={{ fontSize: 'clamp(1.1rem, 1.6vw, 1.6rem)', fontWeight: 600 }}
                    >
                      {bed.occupant.initials} · {bed.occupant.mrn}
                    </Typography>
                  )}
                </Box>
              );
            })}
          </Box>
        </>
      )}
    </Box>
  );
}
