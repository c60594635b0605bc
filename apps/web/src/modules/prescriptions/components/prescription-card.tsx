import Print from '@mui/icons-material/Print';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { Prescription, PrescriptionItem } from '@newhms/contracts';
import { useState } from 'react';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { useOpenPdf } from '../../../ui/open-pdf';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { useCancelPrescription, useStopLine } from '../hooks/use-prescriptions';
import { AlertList } from './alert-list';
import { MedicineChips } from './medicine-chips';

const statusLabels: Record<Prescription['status'], string> = {
  active: 'Active',
  completed: 'Completed',
  cancelled: 'Cancelled',
};
const lineStatusLabels: Record<PrescriptionItem['status'], string> = {
  active: 'Active',
  stopped: 'Stopped',
  completed: 'Completed',
};

type Props = { prescription: Prescription; canPrescribe: boolean };

/** A signed prescription: its lines as the patient reads them, the alerts gone ahead against, print, stop, cancel. */
export function PrescriptionCard({ prescription: p, canPrescribe }: Props) {
  const pdf = useOpenPdf();
  const stop = useStopLine();
  const cancel = useCancelPrescription();
  const [stopping, setStopping] = useState<PrescriptionItem | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const active = p.status === 'active';
  const names = Object.fromEntries(p.items.map((i) => [i.lineNo, `${i.genericName} ${i.strength}`]));

  const columns: Column<PrescriptionItem>[] = [
    { id: 'no', header: '#', render: (i) => i.lineNo, width: 32 },
    {
      id: 'medicine',
      header: 'Medicine',
      render: (i) => (
        <Stack spacing={0.5}>
          <Typography sx={{ fontWeight: 600 }}>
            {i.genericName} {i.strength} {i.doseForm}
          </Typography>
          <MedicineChips schedule={i.schedule} highAlert={i.highAlert} />
        </Stack>
      ),
    },
    {
      id: 'sig',
      header: 'Directions',
      render: (i) => (
        <>
          <span data-testid="sig">{i.sig}</span>
          {i.note && (
            <Typography variant="body2" color="text.secondary">
              {i.note}
            </Typography>
          )}
          {i.stopReason && (
            <Typography variant="body2" color="text.secondary">
              Stopped{i.stoppedAt ? ` ${formatDateTime(i.stoppedAt)}` : ''}: {i.stopReason}
            </Typography>
          )}
        </>
      ),
    },
    {
      id: 'qty',
      header: 'Quantity',
      align: 'right',
      render: (i) => `${i.quantity} ${i.unitOfIssue}${i.quantity === 1 ? '' : 's'}`,
    },
    { id: 'dispensed', header: 'Handed over', align: 'right', render: (i) => i.dispensed, hideBelow: 'sm' },
    { id: 'status', header: 'Status', render: (i) => lineStatusLabels[i.status] },
  ];
  if (canPrescribe && active) {
    columns.push({
      id: 'actions',
      header: 'Actions',
      render: (i) =>
        i.status === 'active' && (
          <Button
            size="small"
            color="error"
            onClick={() => setStopping(i)}
            aria-label={`Stop ${i.genericName} ${i.strength}`}
          >
            Stop
          </Button>
        ),
    });
  }

  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="article" aria-label={`Prescription ${p.number}`}>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap', mb: 1 }}>
        <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 700 }}>
          {p.number}
        </Typography>
        <Chip
          size="small"
          label={statusLabels[p.status]}
          color={p.status === 'active' ? 'primary' : 'default'}
          data-testid="prescription-status"
        />
        <Typography variant="body2" color="text.secondary" sx={{ flexGrow: 1 }}>
          {p.prescriberName}
          {p.prescriberRegistration ? ` (${p.prescriberRegistration})` : ''} · {formatDateTime(p.createdAt)}
        </Typography>
        <Button
          size="small"
          variant="outlined"
          startIcon={<Print />}
          disabled={pdf.isPending}
          onClick={() => pdf.mutate({ path: `/prescriptions/${p.id}/pdf`, filename: `${p.number}.pdf` })}
        >
          {pdf.isPending ? 'Preparing…' : 'PDF'}
        </Button>
        {canPrescribe && active && (
          <Button size="small" color="error" onClick={() => setCancelling(true)}>
            Cancel prescription
          </Button>
        )}
      </Box>
      <ProblemAlert error={pdf.error} sx={{ mb: 1 }} />
      {p.cancelReason && (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          Cancelled: {p.cancelReason}
        </Typography>
      )}
      <DataTable
        label={`Lines of ${p.number}`}
        columns={columns}
        rows={p.items}
        rowKey={(i) => String(i.lineNo)}
      />
      {p.alerts.length > 0 && (
        <Box sx={{ mt: 1.5 }}>
          <AlertList alerts={p.alerts} lineNames={names} label={`Alerts of ${p.number}`} />
        </Box>
      )}
      {p.notes && (
        <Typography variant="body2" sx={{ mt: 1 }}>
          Note: {p.notes}
        </Typography>
      )}
      <ReasonDialog
        open={!!stopping}
        title="Stop medicine"
        message={stopping && `${stopping.genericName} ${stopping.strength}: ${stopping.sig}`}
        label="Reason for stopping"
        confirmLabel="Stop medicine"
        danger
        busy={stop.isPending}
        error={stop.error}
        onCancel={() => {
          setStopping(null);
          stop.reset();
        }}
        onConfirm={(reason) =>
          stopping &&
          stop.mutate({ id: p.id, lineNo: stopping.lineNo, reason }, { onSuccess: () => setStopping(null) })
        }
      />
      <ReasonDialog
        open={cancelling}
        title={`Cancel ${p.number}`}
        message="Only for a prescription written in error, before anything is handed over or given."
        label="Reason for cancelling"
        confirmLabel="Cancel prescription"
        danger
        busy={cancel.isPending}
        error={cancel.error}
        onCancel={() => {
          setCancelling(false);
          cancel.reset();
        }}
        onConfirm={(reason) =>
          cancel.mutate({ id: p.id, reason, version: p.version }, { onSuccess: () => setCancelling(false) })
        }
      />
    </Paper>
  );
}
