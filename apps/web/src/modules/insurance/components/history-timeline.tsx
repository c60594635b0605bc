import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { InsuranceEvent } from '@newhms/contracts';
import { formatDateTime } from '../../../ui/format';
import { formatRupees } from '../../../ui/money';
import { historyKindLabel } from '../insurance-labels';

/** The status history of a pre-authorization or a claim, oldest first: what happened, by whom, when. */
export function HistoryTimeline({ events, label }: { events: InsuranceEvent[]; label: string }) {
  if (events.length === 0) return <Typography color="text.secondary">Nothing recorded yet.</Typography>;
  return (
    <Stack component="ol" aria-label={label} spacing={0} sx={{ p: 0, m: 0, listStyle: 'none' }}>
      {events.map((e, i) => (
        <Box
          component="li"
          key={e.id}
          sx={{ display: 'flex', gap: 2, position: 'relative', pb: i === events.length - 1 ? 0 : 2 }}
        >
          <Box
            aria-hidden="true"
            sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center', pt: 0.75 }}
          >
            <Box
              sx={{ width: 12, height: 12, borderRadius: '50%', bgcolor: 'primary.main', flexShrink: 0 }}
            />
            {i < events.length - 1 && <Box sx={{ width: 2, flexGrow: 1, bgcolor: 'divider', mt: 0.5 }} />}
          </Box>
          <Paper variant="outlined" sx={{ p: 1.5, flexGrow: 1 }}>
            <Typography sx={{ fontWeight: 600 }}>
              {historyKindLabel(e.kind)}
              {e.amount !== null ? ` · ${formatRupees(e.amount)}` : ''}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {formatDateTime(e.recordedAt)} · {e.recordedBy}
            </Typography>
            {e.note && (
              <Typography variant="body2" sx={{ mt: 0.5, whiteSpace: 'pre-wrap' }}>
                {e.note}
              </Typography>
            )}
          </Paper>
        </Box>
      ))}
    </Stack>
  );
}
