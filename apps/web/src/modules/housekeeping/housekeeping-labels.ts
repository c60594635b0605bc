import type { HousekeepingTaskKind, HousekeepingTaskStatus } from '@newhms/contracts';

// The permissions the housekeeping screens check (declared by the server's facilities module).
export type HousekeepingPermission = 'facilities:housekeeping' | 'facilities:supervise-housekeeping';

export const kindLabels: Record<HousekeepingTaskKind, string> = {
  'bed-cleaning': 'Bed cleaning',
  'terminal-cleaning': 'Terminal cleaning',
  spill: 'Spill',
  routine: 'Routine',
};

export const statusLabels: Record<HousekeepingTaskStatus, string> = {
  open: 'Open',
  assigned: 'Assigned',
  'in-progress': 'In progress',
  done: 'Done',
  cancelled: 'Cancelled',
};
