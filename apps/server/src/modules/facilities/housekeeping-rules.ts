import type { HousekeepingTaskKind, HousekeepingTaskStatus } from '@newhms/contracts';

// The pure rules of housekeeping: what a released bed needs, how long it may take, which status changes
// are allowed, and how turnaround is counted.

/** A released isolation bed needs terminal cleaning (disinfection of every surface); any other a bed clean. */
export function bedTaskKind(isolation: boolean): 'bed-cleaning' | 'terminal-cleaning' {
  return isolation ? 'terminal-cleaning' : 'bed-cleaning';
}

/** Minutes from the request until a task is due, by kind (the hospital's turnaround targets). */
export const DUE_MINUTES: Record<HousekeepingTaskKind, number> = {
  'bed-cleaning': 45,
  'terminal-cleaning': 90,
  spill: 30,
  routine: 120,
};

export type HousekeepingAction = 'assign' | 'take' | 'start' | 'finish' | 'cancel';

const TRANSITIONS: Record<
  HousekeepingAction,
  Partial<Record<HousekeepingTaskStatus, HousekeepingTaskStatus>>
> = {
  // A supervisor assigns an open task, or re-assigns one nobody has started.
  assign: { open: 'assigned', assigned: 'assigned' },
  // Staff take an open task for themselves.
  take: { open: 'assigned' },
  // Starting an open task takes it at the same time (one tap on the phone).
  start: { open: 'in-progress', assigned: 'in-progress' },
  finish: { 'in-progress': 'done' },
  cancel: { open: 'cancelled', assigned: 'cancelled', 'in-progress': 'cancelled' },
};

/** The status after an action, or null when the action is not allowed from this status. */
export function nextStatus(
  status: HousekeepingTaskStatus,
  action: HousekeepingAction,
): HousekeepingTaskStatus | null {
  return TRANSITIONS[action][status] ?? null;
}

/** Whole minutes from the request to the finish (never negative: clocks of two sources may differ). */
export function turnaroundMinutes(requestedAt: Date, finishedAt: Date): number {
  return Math.max(0, Math.floor((finishedAt.getTime() - requestedAt.getTime()) / 60_000));
}

/** Work still to do that is past its due time. */
export function isOverdue(status: HousekeepingTaskStatus, dueAt: Date, now: Date): boolean {
  return (status === 'open' || status === 'assigned' || status === 'in-progress') && dueAt < now;
}
