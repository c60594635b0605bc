import type {
  RadCriticalAlert,
  RadLaterality,
  RadOrderStatus,
  RadPriority,
  RadReportStatus,
  radPregnancyStatuses,
} from '@newhms/contracts';

export { radModalityNames as modalityLabels } from '@newhms/contracts';

export const priorityLabels: Record<RadPriority, string> = {
  routine: 'Routine',
  urgent: 'Urgent',
  stat: 'STAT',
};

export const orderStatusLabels: Record<RadOrderStatus, string> = {
  ordered: 'To schedule',
  scheduled: 'Scheduled',
  arrived: 'Arrived',
  'in-progress': 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export const reportStatusLabels: Record<RadReportStatus | 'none', string> = {
  none: 'Not reported',
  draft: 'Draft',
  final: 'Final',
  amended: 'Amended',
};

export const lateralityLabels: Record<RadLaterality, string> = {
  left: 'Left',
  right: 'Right',
  bilateral: 'Both sides',
};

export const pregnancyLabels: Record<(typeof radPregnancyStatuses)[number], string> = {
  'not-pregnant': 'Not pregnant',
  'possibly-pregnant': 'Possibly pregnant',
  pregnant: 'Pregnant',
  'not-applicable': 'Not applicable (e.g. after hysterectomy, menopause)',
};

export const criticalCategoryLabels: Record<RadCriticalAlert['category'], string> = {
  immediate: 'Immediate (minutes)',
  urgent: 'Urgent (hours)',
  'significant-unexpected': 'Significant, unexpected (days)',
};

export const settingLabels = {
  opd: 'OPD',
  ipd: 'In-patient',
  emergency: 'Emergency',
  'walk-in': 'Walk-in',
} as const;

/** "Chest X-ray PA view (left)": the procedure with its side when it has one. */
export function procedureWithSide(o: { procedureName: string; laterality: RadLaterality | null }): string {
  return o.laterality
    ? `${o.procedureName} (${lateralityLabels[o.laterality].toLowerCase()})`
    : o.procedureName;
}
