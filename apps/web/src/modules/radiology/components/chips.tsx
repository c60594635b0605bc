import Chip from '@mui/material/Chip';
import type { RadOrderStatus, RadPriority, RadReportStatus } from '@newhms/contracts';
import { orderStatusLabels, priorityLabels, reportStatusLabels } from '../radiology-labels';

/** STAT (red), urgent (amber) or routine, in words. */
export function PriorityChip({ priority }: { priority: RadPriority }) {
  return (
    <Chip
      size="small"
      label={priorityLabels[priority]}
      data-testid="priority"
      color={priority === 'stat' ? 'error' : priority === 'urgent' ? 'warning' : 'default'}
      variant={priority === 'routine' ? 'outlined' : 'filled'}
      sx={{ fontWeight: priority === 'routine' ? 400 : 700 }}
    />
  );
}

const statusColors: Record<RadOrderStatus, 'default' | 'info' | 'warning' | 'success' | 'primary'> = {
  ordered: 'default',
  scheduled: 'info',
  arrived: 'warning',
  'in-progress': 'primary',
  completed: 'success',
  cancelled: 'default',
};

export function OrderStatusChip({ status }: { status: RadOrderStatus }) {
  return (
    <Chip
      size="small"
      variant="outlined"
      color={statusColors[status]}
      label={orderStatusLabels[status]}
      data-testid="order-status"
    />
  );
}

export function ReportStatusChip({ status }: { status: RadReportStatus | 'none' }) {
  return (
    <Chip
      size="small"
      variant={status === 'final' || status === 'amended' ? 'filled' : 'outlined'}
      color={status === 'final' || status === 'amended' ? 'success' : 'default'}
      label={reportStatusLabels[status]}
      data-testid="report-status"
    />
  );
}

/** A critical finding on the study, said in words (not only red). */
export function CriticalChip() {
  return (
    <Chip
      size="small"
      color="error"
      label="Critical finding"
      data-testid="critical-finding"
      sx={{ fontWeight: 700 }}
    />
  );
}
