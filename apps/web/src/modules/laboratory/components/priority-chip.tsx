import Chip from '@mui/material/Chip';
import type { LabPriority } from '@newhms/contracts';
import { priorityLabels } from '../laboratory-labels';

/** STAT (red), urgent (amber) or routine, in words. */
export function PriorityChip({ priority }: { priority: LabPriority }) {
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
