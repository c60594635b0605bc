import type {
  AppointmentStatus,
  appointmentSources,
  exceptionKinds,
  FeeKind,
  PriorityKind,
  TokenStatus,
  tokenKinds,
} from '@newhms/contracts';

type ChipColor = 'default' | 'primary' | 'secondary' | 'error' | 'info' | 'success' | 'warning';

export const appointmentStatusLabels: Record<AppointmentStatus, string> = {
  booked: 'Booked',
  arrived: 'Arrived',
  completed: 'Completed',
  cancelled: 'Cancelled',
  'no-show': 'No-show',
};

export const appointmentStatusColors: Record<AppointmentStatus, ChipColor> = {
  booked: 'info',
  arrived: 'primary',
  completed: 'success',
  cancelled: 'default',
  'no-show': 'warning',
};

export const tokenStatusLabels: Record<TokenStatus, string> = {
  waiting: 'Waiting',
  called: 'Called',
  'in-consultation': 'In consultation',
  completed: 'Completed',
  skipped: 'Skipped',
  transferred: 'Transferred',
};

export const tokenStatusColors: Record<TokenStatus, ChipColor> = {
  waiting: 'default',
  called: 'warning',
  'in-consultation': 'primary',
  completed: 'success',
  skipped: 'secondary',
  transferred: 'info',
};

export const priorityLabels: Record<PriorityKind, string> = {
  emergency: 'Emergency',
  elderly: 'Elderly',
  pregnant: 'Pregnant',
  disabled: 'Disabled',
};

export const sourceLabels: Record<(typeof appointmentSources)[number], string> = {
  'front-desk': 'Front desk',
  'call-centre': 'Call centre',
  'follow-up': 'Follow-up',
};

export const tokenKindLabels: Record<(typeof tokenKinds)[number], string> = {
  appointment: 'Appointment',
  'walk-in': 'Walk-in',
  transfer: 'Transfer',
};

export const feeKindLabels: Record<FeeKind, string> = {
  'first-visit': 'First visit',
  'follow-up': 'Follow-up',
};

export const exceptionKindLabels: Record<(typeof exceptionKinds)[number], string> = {
  leave: 'Leave',
  holiday: 'Holiday',
  'extra-session': 'Extra session',
};

/** ISO weekdays: 1 Monday ... 7 Sunday. */
export const weekdayLabels = [
  '',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
];

/** Money in minor units (paise) as people read it: "₹500". */
export function formatMoney(minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-IN', {
      style: 'currency',
      currency,
      maximumFractionDigits: minor % 100 === 0 ? 0 : 2,
    }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}
