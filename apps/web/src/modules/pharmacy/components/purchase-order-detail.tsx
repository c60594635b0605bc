import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { PurchaseOrder } from '@newhms/contracts';
import { useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatCalendarDate } from '../../../ui/facility-time';
import { formatDateTime } from '../../../ui/format';
import { formatRupees } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { useChangePurchaseOrder } from '../hooks/use-pharmacy';
import { nothingReceived, outstandingOrderUnits } from '../purchase-orders';
import { PurchaseOrderStatusChip } from './purchase-order-status-chip';
import { Section } from './section';

type Line = PurchaseOrder['lines'][number];

/** One purchase order: its lines with what has come, and Place order (a draft) or Cancel (nothing received). */
export function PurchaseOrderDetail({ po, onClose }: { po: PurchaseOrder; onClose: () => void }) {
  const { can } = useAuth();
  const change = useChangePurchaseOrder();
  const [cancelling, setCancelling] = useState(false);
  const cancellable =
    (po.status === 'draft' || po.status === 'ordered') && nothingReceived(po) && can('pharmacy:receive');

  const columns: Column<Line>[] = [
    { id: 'no', header: '#', render: (l) => l.lineNo, width: 32 },
    { id: 'item', header: 'Item', render: (l) => `${l.genericName} ${l.strength}` },
    { id: 'ordered', header: 'Ordered', align: 'right', render: (l) => l.quantity },
    { id: 'received', header: 'Received', align: 'right', render: (l) => l.received },
    { id: 'due', header: 'Still to come', align: 'right', render: (l) => outstandingOrderUnits(l) },
    { id: 'rate', header: 'Rate', align: 'right', render: (l) => formatRupees(l.rate) },
    { id: 'value', header: 'Value', align: 'right', render: (l) => formatRupees(l.quantity * l.rate) },
  ];

  return (
    <Section
      title={`Purchase order ${po.number}`}
      testId="purchase-order"
      actions={
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <PurchaseOrderStatusChip status={po.status} />
          <Button size="small" onClick={onClose}>
            Close
          </Button>
        </Stack>
      }
    >
      <Box sx={{ display: 'grid', gap: 0.5, mb: 2 }}>
        <Typography>{`${po.supplierName} → ${po.storeName}`}</Typography>
        <Typography variant="body2" color="text.secondary">
          {`Drafted by ${po.createdByName}`}
          {po.orderedAt ? ` · ordered ${formatDateTime(po.orderedAt)} by ${po.orderedByName ?? ''}` : ''}
          {po.expectedDate ? ` · expected by ${formatCalendarDate(po.expectedDate)}` : ''}
        </Typography>
        {po.notes && <Typography variant="body2">{po.notes}</Typography>}
        {po.cancelReason && (
          <Typography variant="body2" color="error">{`Cancelled: ${po.cancelReason}`}</Typography>
        )}
      </Box>
      <DataTable
        label={`Lines of ${po.number}`}
        columns={columns}
        rows={po.lines}
        rowKey={(l) => String(l.lineNo)}
      />
      <Typography sx={{ fontWeight: 600, mt: 1 }} data-testid="purchase-order-total">
        {`Total ${formatRupees(po.total)}`}
      </Typography>
      <ProblemAlert error={change.error} sx={{ mt: 1 }} />
      <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
        {po.status === 'draft' && can('pharmacy:manage') && (
          <Button
            variant="contained"
            disabled={change.isPending}
            onClick={() => change.mutate({ id: po.id, action: 'order', version: po.version, reason: null })}
          >
            Place order
          </Button>
        )}
        {cancellable && (
          <Button
            color="error"
            onClick={() => {
              change.reset();
              setCancelling(true);
            }}
          >
            Cancel order
          </Button>
        )}
      </Stack>
      <ReasonDialog
        open={cancelling}
        title={`Cancel ${po.number}`}
        message={`The order to ${po.supplierName} is cancelled; nothing was received against it.`}
        confirmLabel="Cancel order"
        danger
        busy={change.isPending}
        error={change.error}
        onCancel={() => setCancelling(false)}
        onConfirm={(reason) =>
          change.mutate(
            { id: po.id, action: 'cancel', version: po.version, reason },
            { onSuccess: () => setCancelling(false) },
          )
        }
      />
    </Section>
  );
}
