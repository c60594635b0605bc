import Chip from '@mui/material/Chip';
import type { PurchaseOrder } from '@newhms/contracts';
import { purchaseOrderStatusLabels } from '../pharmacy-labels';

const colours = {
  draft: 'default',
  ordered: 'primary',
  'partially-received': 'warning',
  received: 'success',
  cancelled: 'default',
} as const;

export function PurchaseOrderStatusChip({ status }: { status: PurchaseOrder['status'] }) {
  return (
    <Chip
      size="small"
      variant="outlined"
      color={colours[status]}
      label={purchaseOrderStatusLabels[status]}
      data-testid="purchase-order-status"
    />
  );
}
