import type {
  AdmissionSource,
  AdmissionStatus,
  BedBoardStatus,
  DischargeType,
  PayerCategory,
  WardKind,
} from '@newhms/contracts';

export const bedStatusLabels: Record<BedBoardStatus, string> = {
  available: 'Available',
  reserved: 'Reserved',
  occupied: 'Occupied',
  cleaning: 'Cleaning',
  maintenance: 'Maintenance',
  blocked: 'Blocked',
};

/**
 * The board's colour classes (contracts' bedBoardColours) on screen: a light fill with dark text for staff
 * screens (contrast 4.5:1 or more), a strong fill for the TV display. Every tile also says its status in words
 * and with an icon, so colour is never the only sign.
 */
export const bedStatusColours: Record<
  BedBoardStatus,
  { fill: string; border: string; text: string; strong: string }
> = {
  available: { fill: '#e8f5e9', border: '#2e7d32', text: '#1b5e20', strong: '#2e7d32' },
  reserved: { fill: '#e3f2fd', border: '#1565c0', text: '#0d47a1', strong: '#1565c0' },
  occupied: { fill: '#ffebee', border: '#c62828', text: '#b71c1c', strong: '#c62828' },
  cleaning: { fill: '#fff8e1', border: '#f9a825', text: '#6d4c00', strong: '#8a6100' },
  maintenance: { fill: '#eeeeee', border: '#616161', text: '#424242', strong: '#555555' },
  blocked: { fill: '#e0e0e0', border: '#212121', text: '#212121', strong: '#212121' },
};

export const wardKindLabels: Record<WardKind, string> = {
  general: 'General',
  'semi-private': 'Semi-private',
  private: 'Private',
  icu: 'ICU',
  nicu: 'NICU',
  hdu: 'HDU',
  isolation: 'Isolation',
  'day-care': 'Day care',
};

export const admissionSourceLabels: Record<AdmissionSource, string> = {
  opd: 'OPD',
  emergency: 'Emergency',
  planned: 'Planned',
  direct: 'Direct',
};

export const priorityLabels: Record<'routine' | 'urgent' | 'emergency', string> = {
  routine: 'Routine',
  urgent: 'Urgent',
  emergency: 'Emergency',
};

export const payerCategoryLabels: Record<PayerCategory, string> = {
  cash: 'Cash',
  insurance: 'Insurance',
  corporate: 'Corporate',
  'government-scheme': 'Government scheme',
};

export const admissionStatusLabels: Record<AdmissionStatus, string> = {
  admitted: 'Admitted',
  'discharge-initiated': 'Discharge initiated',
  discharged: 'Discharged',
  cancelled: 'Cancelled',
};

export const dischargeTypeLabels: Record<DischargeType, string> = {
  normal: 'Normal (on advice)',
  'against-medical-advice': 'Against medical advice',
  absconded: 'Absconded',
  transferred: 'Transferred to another hospital',
  death: 'Death',
};

/** "2 h 05 min" for a number of minutes. */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return '';
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h < 48) return `${h} h ${String(m).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
