import { type Observation, type VitalSign, vitalSigns } from '@newhms/contracts';

/** How the form and the chart name each vital sign, with the unit as people write it (UCUM is stored). */
export const vitalFields: { key: VitalSign; label: string; unit: string; step: string }[] = [
  { key: 'systolic', label: 'BP systolic', unit: 'mmHg', step: '1' },
  { key: 'diastolic', label: 'BP diastolic', unit: 'mmHg', step: '1' },
  { key: 'heartRate', label: 'Pulse', unit: '/min', step: '1' },
  { key: 'respiratoryRate', label: 'Respiratory rate', unit: '/min', step: '1' },
  { key: 'temperature', label: 'Temperature', unit: '°C', step: '0.1' },
  { key: 'spo2', label: 'SpO₂', unit: '%', step: '1' },
  { key: 'weight', label: 'Weight', unit: 'kg', step: '0.1' },
  { key: 'height', label: 'Height', unit: 'cm', step: '0.1' },
];

const byLoinc = new Map<string, { key: VitalSign; label: string; unit: string }>([
  ...vitalFields.map((f) => [vitalSigns[f.key].loinc, f] as const),
  [vitalSigns.bmi.loinc, { key: 'bmi', label: 'BMI', unit: 'kg/m²' }],
]);

/** The short label and display unit of a vital-sign observation. */
export function vitalOf(observation: Pick<Observation, 'code' | 'display' | 'unit'>): {
  key: VitalSign | null;
  label: string;
  unit: string;
} {
  const known = byLoinc.get(observation.code);
  return known ?? { key: null, label: observation.display, unit: observation.unit ?? '' };
}

export const interpretationLabels: Record<string, string> = {
  N: 'Normal',
  L: 'Low',
  H: 'High',
  LL: 'Critically low',
  HH: 'Critically high',
};

export function isFlagged(o: Pick<Observation, 'interpretation'>): boolean {
  return !!o.interpretation && o.interpretation !== 'N';
}

/** What the trend chart can draw: one series per line. */
export const trendChoices: { id: string; label: string; series: VitalSign[]; unit: string }[] = [
  { id: 'bp', label: 'Blood pressure', series: ['systolic', 'diastolic'], unit: 'mmHg' },
  { id: 'pulse', label: 'Pulse', series: ['heartRate'], unit: '/min' },
  { id: 'temperature', label: 'Temperature', series: ['temperature'], unit: '°C' },
  { id: 'spo2', label: 'SpO₂', series: ['spo2'], unit: '%' },
  { id: 'weight', label: 'Weight', series: ['weight'], unit: 'kg' },
  { id: 'bmi', label: 'BMI', series: ['bmi'], unit: 'kg/m²' },
];
