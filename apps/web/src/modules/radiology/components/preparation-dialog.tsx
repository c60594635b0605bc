import Print from '@mui/icons-material/Print';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import type { RadOrder } from '@newhms/contracts';
import { useId, useState } from 'react';
import { formatDateTime } from '../../../ui/format';
import { procedureWithSide } from '../radiology-labels';

type Props = { order: RadOrder | null; onClose: () => void };

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** The slip the patient takes home: who, what, when and where, and how to prepare. */
function preparationSlip(order: RadOrder): string {
  const when = order.booking
    ? `${formatDateTime(order.booking.startsAt)}, ${order.booking.roomName}`
    : 'Not booked yet: the radiology desk will call you';
  const rows = [
    ['Patient', `${order.patientName} (MRN ${order.mrn})`],
    ['Study', procedureWithSide(order)],
    ['Accession', order.accession],
    ['Appointment', when],
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Preparation ${escapeHtml(order.accession)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:24px;max-width:640px}th{text-align:left;padding-right:16px;vertical-align:top}
p.prep{font-size:16px;border:2px solid #000;padding:12px;white-space:pre-wrap}</style></head><body>
<h1>Preparation for your ${escapeHtml(order.procedureName)}</h1><table>${rows
    .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k ?? '')}</th><td>${escapeHtml(v ?? '')}</td></tr>`)
    .join('')}</table>
<p class="prep">${escapeHtml(order.preparation ?? 'No special preparation.')}</p>
<p>Bring this slip, your previous reports and films. Tell the staff if you are or may be pregnant.</p></body></html>`;
}

/** Shows a study's preparation instructions and prints them as a slip for the patient. */
export function PreparationDialog({ order, onClose }: Props) {
  const titleId = useId();
  const [blocked, setBlocked] = useState(false);
  const print = () => {
    if (!order) return;
    const tab = window.open('', '_blank');
    if (!tab) {
      setBlocked(true);
      return;
    }
    tab.document.write(preparationSlip(order));
    tab.document.close();
    tab.focus();
    tab.print();
  };
  return (
    <Dialog open={!!order} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>
        {order ? `Preparation: ${procedureWithSide(order)}` : 'Preparation'}
      </DialogTitle>
      <DialogContent>
        {order && (
          <>
            <Typography
              sx={{ mb: 1 }}
            >{`${order.patientName} · MRN ${order.mrn} · ${order.accession}`}</Typography>
            {order.booking && (
              <Typography sx={{ mb: 1 }}>
                {`Booked: ${formatDateTime(order.booking.startsAt)}, ${order.booking.roomName}`}
              </Typography>
            )}
            <Alert severity={order.preparation ? 'info' : 'success'} icon={false} data-testid="preparation">
              {order.preparation ?? 'No special preparation.'}
            </Alert>
            {blocked && (
              <Alert severity="warning" role="alert" sx={{ mt: 2 }}>
                The browser blocked the print window: allow pop-ups for this site and try again.
              </Alert>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
        <Button variant="contained" startIcon={<Print />} onClick={print}>
          Print for the patient
        </Button>
      </DialogActions>
    </Dialog>
  );
}
