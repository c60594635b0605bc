import type { ConsciousnessLevel, News2Risk, NursingShift } from '@newhms/contracts';

// The permissions the nursing screens check (declared by the server's ipd module).
export type NursingPermission = 'ipd:read' | 'ipd:nursing' | 'ipd:discharge';

/** NEWS2 risk as people say it, with the colour the RCP chart gives it. */
export const riskLabels: Record<News2Risk, string> = {
  low: 'Low risk',
  'low-medium': 'Low-medium risk (a 3 in one parameter)',
  medium: 'Medium risk',
  high: 'High risk',
};

export const riskColors: Record<News2Risk, 'success' | 'warning' | 'error' | 'info'> = {
  low: 'success',
  'low-medium': 'info',
  medium: 'warning',
  high: 'error',
};

/** Medium and high NEWS2 call for an urgent (or emergency) response: the chart shows a banner. */
export function isAlerting(risk: News2Risk): boolean {
  return risk === 'medium' || risk === 'high';
}

export const consciousnessLabels: Record<ConsciousnessLevel, string> = {
  alert: 'A: Alert',
  'new-confusion': 'C: New confusion',
  voice: 'V: Responds to voice',
  pain: 'P: Responds to pain',
  unresponsive: 'U: Unresponsive',
};

export const shiftLabels: Record<NursingShift, string> = {
  morning: 'Morning',
  evening: 'Evening',
  night: 'Night',
};

export const ioRouteLabels: Record<string, string> = {
  oral: 'Oral',
  iv: 'IV fluids',
  'ng-tube': 'NG tube',
  blood: 'Blood products',
  urine: 'Urine',
  drain: 'Drain',
  vomit: 'Vomit',
  stool: 'Stool',
  'ng-aspirate': 'NG aspirate',
};

export const taskKindLabels: Record<string, string> = {
  vitals: 'Vitals',
  medication: 'Medication',
  dressing: 'Dressing',
  positioning: 'Positioning',
  hygiene: 'Hygiene',
  investigation: 'Investigation',
  escalation: 'NEWS2 escalation',
  other: 'Other',
};

/** "+350 ml" / "-120 ml": a fluid balance with its sign. */
export function formatBalance(ml: number): string {
  return `${ml > 0 ? '+' : ml < 0 ? '−' : ''}${Math.abs(ml).toLocaleString()} ml`;
}
