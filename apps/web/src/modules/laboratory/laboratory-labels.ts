import type {
  LabPriority,
  LabRequest,
  LabResult,
  LabSample,
  LabSection,
  labSettings,
  sampleRejectionReasons,
} from '@newhms/contracts';

export const sectionLabels: Record<LabSection, string> = {
  haematology: 'Haematology',
  biochemistry: 'Biochemistry',
  microbiology: 'Microbiology',
  serology: 'Serology',
  'clinical-pathology': 'Clinical pathology',
  immunology: 'Immunology',
};

export const priorityLabels: Record<LabPriority, string> = {
  routine: 'Routine',
  urgent: 'Urgent',
  stat: 'STAT',
};

export const settingLabels: Record<(typeof labSettings)[number], string> = {
  opd: 'OPD',
  ipd: 'In-patients',
  emergency: 'Emergency',
  'walk-in': 'Walk-in',
};

export const requestStatusLabels: Record<LabRequest['status'], string> = {
  requested: 'Requested',
  'in-progress': 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export const sampleStatusLabels: Record<LabSample['status'], string> = {
  'awaiting-collection': 'Awaiting collection',
  collected: 'Collected',
  received: 'Received',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};

export const resultStatusLabels: Record<LabResult['status'], string> = {
  pending: 'Pending',
  entered: 'Awaiting validation',
  validated: 'Validated',
  amended: 'Amended',
  cancelled: 'Cancelled',
};

export const rejectionReasonLabels: Record<(typeof sampleRejectionReasons)[number], string> = {
  haemolysed: 'Haemolysed',
  clotted: 'Clotted',
  insufficient: 'Insufficient volume',
  mislabelled: 'Mislabelled',
};

export const interpretationLabels = { S: 'S: sensitive', I: 'I: intermediate', R: 'R: resistant' } as const;

/** "Blood culture bottle · blood": the tube to draw. */
export function tubeLabel(sample: { container: string; specimen: string }): string {
  return `${sample.container} · ${sample.specimen}`;
}
