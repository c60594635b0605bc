import Box from '@mui/material/Box';
import { keyframes } from '@mui/material/styles';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { type FeedState, useBoardFeed } from '../hooks/use-board-feed';

// A TV across a waiting hall: white on dark, token numbers in the largest type the screen allows.

const pulse = keyframes`
  0%, 100% { background-color: #f9a825; }
  50% { background-color: #ffd54f; }
`;

const stateLabels: Record<FeedState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  'not-found': 'Unknown board',
  closed: 'Board closed',
};

function Clock() {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 15_000);
    return () => clearInterval(t);
  }, []);
  return (
    <Typography component="p" sx={{ fontSize: 'clamp(1.5rem, 3vw, 3rem)', fontWeight: 700 }}>
      {new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(now)}
    </Typography>
  );
}

/** The public token display of a clinic room at /display/:boardCode (no sign-in, no names). */
export function DisplayBoardPage() {
  const { boardCode = '' } = useParams();
  const { board, state } = useBoardFeed(boardCode);
  useEffect(() => {
    document.title = board ? `${board.roomName} · Token board` : 'Token board';
  }, [board]);

  // The newest call is the one announced (a doctor's "call next" may already have started the consultation);
  // earlier calls stay listed under it.
  const latest = board?.nowServing[0] ?? null;

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
        gap: { xs: 2, md: 4 },
      }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 3 }}>
        <Typography
          component="h1"
          sx={{ fontSize: 'clamp(1.75rem, 4vw, 4rem)', fontWeight: 800, flexGrow: 1, lineHeight: 1.1 }}
        >
          {board?.roomName ?? boardCode.toUpperCase()}
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
        <Clock />
      </Box>
      {state === 'not-found' ? (
        <Typography sx={{ fontSize: '2rem' }}>There is no token board “{boardCode}”.</Typography>
      ) : (
        <Box
          sx={{
            flexGrow: 1,
            display: 'grid',
            gap: { xs: 2, md: 4 },
            gridTemplateColumns: { xs: '1fr', md: '3fr 2fr' },
          }}
        >
          <Box
            component="section"
            aria-labelledby="now-calling"
            sx={{ display: 'flex', flexDirection: 'column' }}
          >
            <Typography
              id="now-calling"
              component="h2"
              sx={{ fontSize: 'clamp(1.5rem, 3vw, 3rem)', fontWeight: 700, mb: 2, color: '#ffd54f' }}
            >
              Now calling
            </Typography>
            <Box aria-live="assertive" aria-atomic="true" sx={{ flexGrow: 1, display: 'flex' }}>
              <Box
                // A new call replays the pulse.
                key={latest?.label ?? 'none'}
                data-testid="now-calling"
                sx={{
                  flexGrow: 1,
                  minHeight: '30vh',
                  borderRadius: 4,
                  display: 'flex',
                  flexDirection: 'column',
                  alignItems: 'center',
                  justifyContent: 'center',
                  color: latest ? '#0b1a2b' : '#ffffff',
                  bgcolor: latest ? '#f9a825' : '#132f4c',
                  animation: latest ? `${pulse} 2s ease-in-out 3` : 'none',
                  '@media (prefers-reduced-motion: reduce)': { animation: 'none' },
                }}
              >
                {latest ? (
                  <>
                    <Typography
                      component="p"
                      data-testid="now-calling-token"
                      sx={{ fontSize: 'clamp(5rem, 18vw, 16rem)', fontWeight: 900, lineHeight: 1 }}
                    >
                      {latest.label}
                    </Typography>
                    {latest.initials && (
                      <Typography
                        component="p"
                        sx={{ fontSize: 'clamp(1.5rem, 4vw, 4rem)', fontWeight: 700 }}
                      >
                        {latest.initials}
                      </Typography>
                    )}
                    <Typography
                      component="p"
                      sx={{ fontSize: 'clamp(1.25rem, 2.5vw, 2.5rem)', fontWeight: 700 }}
                    >
                      Please come in
                    </Typography>
                  </>
                ) : (
                  <Typography component="p" sx={{ fontSize: 'clamp(1.5rem, 3vw, 3rem)' }}>
                    Please wait for your number
                  </Typography>
                )}
              </Box>
            </Box>
            <TokenRow
              title="Also called / in consultation"
              tokens={(board?.nowServing ?? []).filter((t) => t !== latest)}
              testId="now-serving"
            />
          </Box>
          <Box component="section" aria-labelledby="waiting-title">
            <Typography
              id="waiting-title"
              component="h2"
              sx={{ fontSize: 'clamp(1.5rem, 3vw, 3rem)', fontWeight: 700, mb: 2 }}
            >
              Next
            </Typography>
            <Box
              component="ol"
              data-testid="waiting-tokens"
              sx={{
                listStyle: 'none',
                m: 0,
                p: 0,
                display: 'grid',
                gap: 1.5,
                gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 180px), 1fr))',
              }}
            >
              {(board?.waiting ?? []).map((t) => (
                <Box
                  component="li"
                  key={t.label}
                  sx={{
                    bgcolor: '#132f4c',
                    borderRadius: 2,
                    textAlign: 'center',
                    py: 1.5,
                    fontSize: 'clamp(2rem, 4.5vw, 4.5rem)',
                    fontWeight: 800,
                  }}
                >
                  {t.label}
                  {t.initials && (
                    <Box component="span" sx={{ display: 'block', fontSize: '0.4em', fontWeight: 600 }}>
                      {t.initials}
                    </Box>
                  )}
                </Box>
              ))}
            </Box>
            {board && board.waiting.length === 0 && (
              <Typography sx={{ fontSize: 'clamp(1.25rem, 2vw, 2rem)' }}>Nobody waiting</Typography>
            )}
          </Box>
        </Box>
      )}
    </Box>
  );
}

function TokenRow({
  title,
  tokens,
  testId,
}: {
  title: string;
  tokens: { label: string; status: string; initials: string | null }[];
  testId: string;
}) {
  if (tokens.length === 0) return null;
  return (
    <Box sx={{ mt: 2 }}>
      <Typography component="h3" sx={{ fontSize: 'clamp(1.1rem, 2vw, 2rem)', fontWeight: 700, mb: 1 }}>
        {title}
      </Typography>
      <Box
        component="ul"
        data-testid={testId}
        sx={{ listStyle: 'none', m: 0, p: 0, display: 'flex', gap: 1.5, flexWrap: 'wrap' }}
      >
        {tokens.map((t) => (
          <Box
            component="li"
            key={t.label}
            sx={{
              border: '2px solid #ffd54f',
              borderRadius: 2,
              px: 2.5,
              py: 1,
              fontSize: 'clamp(1.75rem, 3.5vw, 3.5rem)',
              fontWeight: 800,
            }}
          >
            {t.label}
            {t.initials && (
              <Box component="span" sx={{ fontSize: '0.45em', ml: 1 }}>
                {t.initials}
              </Box>
            )}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
