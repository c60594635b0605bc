import Print from '@mui/icons-material/Print';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import type { QueueToken } from '@newhms/contracts';
import { useId } from 'react';
import { formatCalendarDate, formatTimeIn } from '../../../ui/facility-time';
import { useRooms } from '../hooks/use-opd-setup';
import { priorityLabels } from '../opd-labels';

type Props = { token: QueueToken | null; timeZone: string; onClose: () => void };

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Prints a small token slip through a hidden frame (no pop-up, nothing else of the page). */
function printSlip(lines: { token: string; doctor: string; room: string; when: string; patient: string }) {
  const frame = document.createElement('iframe');
  frame.setAttribute('aria-hidden', 'true');
  frame.style.cssText = 'position:fixed;width:0;height:0;border:0;right:0;bottom:0';
  document.body.appendChild(frame);
  const doc = frame.contentDocument;
  if (!doc) return;
  doc.open();
  doc.write(`<!doctype html><html><head><title>Token ${escapeHtml(lines.token)}</title>
<style>body{font-family:sans-serif;text-align:center;margin:8mm}h1{font-size:48pt;margin:4mm 0}p{margin:1mm 0;font-size:11pt}</style>
</head><body><p>Your token</p><h1>${escapeHtml(lines.token)}</h1><p>${escapeHtml(lines.doctor)}</p>
<p>${escapeHtml(lines.room)}</p><p>${escapeHtml(lines.patient)}</p><p>${escapeHtml(lines.when)}</p>
<p>Please wait until your number is shown on the screen.</p></body></html>`);
  doc.close();
  const win = frame.contentWindow;
  setTimeout(() => {
    win?.focus();
    win?.print();
    setTimeout(() => frame.remove(), 1000);
  }, 50);
}

/** The token just issued at check-in: large enough to read out, with a slip to print. */
export function TokenSlipDialog({ token, timeZone, onClose }: Props) {
  const titleId = useId();
  const rooms = useRooms();
  if (!token) return null;
  const room = rooms.data?.find((r) => r.id === token.roomId)?.name ?? '';
  const patient = token.patient ? `${token.patient.displayName} · MRN ${token.patient.mrn}` : '';
  const when = `${formatCalendarDate(token.date)} · checked in ${formatTimeIn(token.arrivedAt, timeZone)}`;
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} maxWidth="xs" fullWidth>
      <DialogTitle id={titleId}>Checked in</DialogTitle>
      <DialogContent sx={{ textAlign: 'center' }}>
        <Typography color="text.secondary">Token number</Typography>
        <Box
          component="output"
          aria-label="Token number"
          data-testid="issued-token"
          sx={{ display: 'block', fontSize: '4rem', fontWeight: 800, lineHeight: 1.1, my: 1 }}
        >
          {token.label}
        </Box>
        <Typography sx={{ fontWeight: 600 }}>{token.practitionerName}</Typography>
        {room && <Typography>{room}</Typography>}
        <Typography variant="body2" color="text.secondary">
          {patient}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {when}
        </Typography>
        {token.priorities.length > 0 && (
          <Typography variant="body2" sx={{ mt: 1 }}>
            Priority: {token.priorities.map((p) => priorityLabels[p]).join(', ')}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button
          startIcon={<Print />}
          onClick={() =>
            printSlip({ token: token.label, doctor: token.practitionerName, room, when, patient })
          }
        >
          Print slip
        </Button>
        <Button variant="contained" onClick={onClose}>
          Done
        </Button>
      </DialogActions>
    </Dialog>
  );
}
