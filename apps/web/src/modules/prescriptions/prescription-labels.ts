import type { Frequency } from '@newhms/contracts';
import type { DoseUnit, Instruction, LineForm } from './prescription-draft';

export const frequencyLabels: Record<Frequency, string> = {
  OD: 'OD: once a day',
  BD: 'BD: twice a day',
  TDS: 'TDS: three times a day',
  QID: 'QID: four times a day',
  HS: 'HS: at bedtime',
  SOS: 'SOS: when needed',
  STAT: 'STAT: once, now',
  CUSTOM: 'Custom times',
};

export const instructionLabels: Record<Instruction, string> = {
  'after-food': 'After food',
  'before-food': 'Before food',
  'with-food': 'With food',
  'empty-stomach': 'On an empty stomach',
  bedtime: 'At bedtime',
  'as-directed': 'As directed',
};

export const routes = [
  'oral',
  'IV',
  'IM',
  'SC',
  'sublingual',
  'topical',
  'inhalation',
  'rectal',
  'nasal',
  'ophthalmic',
  'otic',
];

const plural = (n: string, unit: DoseUnit) =>
  n === '1' || unit === 'mg' || unit === 'g' || unit === 'mcg' || unit === 'mL' || unit === 'IU'
    ? unit
    : `${unit}s`;

/** "1 tablet oral, HS, for 30 days, after food" (the server writes the patient's sig when signed). */
export function describeLine(form: LineForm): string {
  const how =
    form.frequency === 'CUSTOM'
      ? `at ${form.times}`
      : form.frequency === 'SOS'
        ? `SOS for ${form.prnIndication}${form.maxDosesPerDay ? `, at most ${form.maxDosesPerDay} a day` : ''}`
        : form.frequency;
  return `${form.doseAmount} ${plural(form.doseAmount, form.doseUnit)} ${form.route}, ${how}, for ${form.durationDays} day${form.durationDays === '1' ? '' : 's'}, ${instructionLabels[form.instructions].toLowerCase()}`;
}
