import {
  type doseUnits,
  type FormularyItem,
  type Frequency,
  type instructionsList,
  type PrescriptionAlert,
  PrescriptionItemBody,
} from '@newhms/contracts';
import type { z } from 'zod';
import { type FieldErrors, validateForm } from '../../ui/form-validation';

// The prescribing form, pure: a draft line as typed (strings, as the fields hold them), the request bodies the
// API takes, and the override reasons kept by alert key while lines come and go.

export type DoseUnit = (typeof doseUnits)[number];
export type Instruction = (typeof instructionsList)[number];
export type Setting = 'outpatient' | 'inpatient';
export type ItemBody = z.output<typeof PrescriptionItemBody>;

/** What the prescriber picked from the formulary (what the draft shows of it). */
export type DraftMedicine = Pick<
  FormularyItem,
  | 'id'
  | 'code'
  | 'genericName'
  | 'strength'
  | 'doseForm'
  | 'unitOfIssue'
  | 'schedule'
  | 'highAlert'
  | 'lasaGroup'
  | 'controlled'
  | 'route'
>;

/** A line of the form, its fields as typed. */
export type LineForm = {
  doseAmount: string;
  doseUnit: DoseUnit;
  route: string;
  frequency: Frequency;
  /** CUSTOM: the times of day, "08:00, 14:00". */
  times: string;
  prnIndication: string;
  maxDosesPerDay: string;
  durationDays: string;
  quantity: string;
  instructions: Instruction;
  note: string;
};

export type DraftLine = { key: string; medicine: DraftMedicine; form: LineForm; body: ItemBody };

const COUNTABLE: Record<string, DoseUnit> = { tablet: 'tablet', capsule: 'capsule', sachet: 'sachet' };

/** The unit a dose of this product is most often written in: a tablet of a tablet, mg of anything else. */
export function defaultDoseUnit(medicine: Pick<DraftMedicine, 'doseForm'>): DoseUnit {
  const form = medicine.doseForm.toLowerCase();
  const countable = Object.keys(COUNTABLE).find((k) => form.startsWith(k));
  if (countable) return COUNTABLE[countable] as DoseUnit;
  if (/inhal/.test(form)) return 'puff';
  if (/drop/.test(form)) return 'drop';
  if (/syrup|suspension|solution|liquid/.test(form)) return 'mL';
  if (/cream|ointment|gel/.test(form)) return 'application';
  return 'mg';
}

/** A fresh line form for a product: one unit (or its strength), by its own route, once a day for 5 days. */
export function newLineForm(medicine: Pick<DraftMedicine, 'doseForm' | 'route' | 'strength'>): LineForm {
  const unit = defaultDoseUnit(medicine);
  const strength = /^\s*(\d+(?:\.\d+)?)\s*mg\s*$/i.exec(medicine.strength);
  return {
    doseAmount: unit === 'mg' && strength ? String(strength[1]) : '1',
    doseUnit: unit,
    route: medicine.route || 'oral',
    frequency: 'OD',
    times: '',
    prnIndication: '',
    maxDosesPerDay: '',
    durationDays: '5',
    quantity: '',
    instructions: 'after-food',
    note: '',
  };
}

/** "08:00, 20.00 14:00" -> ["08:00", "14:00", "20:00"]: what a person types between the times does not matter. */
export function parseTimes(text: string): string[] {
  const times = (text.match(/\d{1,2}[:.]\d{2}/g) ?? []).map((t) => {
    const [h, m] = t.split(/[:.]/);
    return `${(h ?? '').padStart(2, '0')}:${m}`;
  });
  return [...new Set(times)].sort();
}

const numberOrUndefined = (text: string): number | undefined => {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : Number.NaN;
};

/** The form's strings as the API's item (before validation: a wrong number stays wrong, to be reported). */
export function toItemInput(medicine: Pick<DraftMedicine, 'id'>, form: LineForm): PrescriptionItemBody {
  const prn = form.frequency === 'SOS';
  return {
    formularyItemId: medicine.id,
    dose: { amount: numberOrUndefined(form.doseAmount) ?? Number.NaN, unit: form.doseUnit },
    route: form.route.trim(),
    frequency: form.frequency,
    ...(form.frequency === 'CUSTOM' ? { times: parseTimes(form.times) } : {}),
    ...(prn
      ? {
          prnIndication: form.prnIndication.trim() || null,
          maxDosesPerDay: numberOrUndefined(form.maxDosesPerDay) ?? null,
        }
      : {}),
    durationDays: numberOrUndefined(form.durationDays) ?? Number.NaN,
    ...(numberOrUndefined(form.quantity) !== undefined ? { quantity: numberOrUndefined(form.quantity) } : {}),
    instructions: form.instructions,
    note: form.note.trim() || null,
  };
}

const FIELD_OF: Record<string, keyof LineForm> = {
  'dose.amount': 'doseAmount',
  'dose.unit': 'doseUnit',
  dose: 'doseAmount',
  route: 'route',
  frequency: 'frequency',
  times: 'times',
  prnIndication: 'prnIndication',
  maxDosesPerDay: 'maxDosesPerDay',
  durationDays: 'durationDays',
  quantity: 'quantity',
  note: 'note',
};

/**
 * Checks a line with the contract's own schema (and the rule the server adds: STAT is an in-patient order);
 * errors are keyed by the form's field names.
 */
export function validateLine(
  medicine: Pick<DraftMedicine, 'id'>,
  form: LineForm,
  setting: Setting,
): { ok: true; body: ItemBody } | { ok: false; errors: Partial<Record<keyof LineForm, string>> } {
  const result = validateForm(PrescriptionItemBody, toItemInput(medicine, form));
  const errors: Partial<Record<keyof LineForm, string>> = {};
  if (!result.ok) {
    for (const [path, message] of Object.entries(result.errors as FieldErrors)) {
      const field = FIELD_OF[path] ?? FIELD_OF[path.split('.')[0] ?? ''];
      if (field && !errors[field]) errors[field] = friendly(field, message);
    }
  }
  if (form.frequency === 'STAT' && setting !== 'inpatient') errors.frequency = 'STAT is an in-patient order';
  if (Object.keys(errors).length > 0 || !result.ok) {
    return { ok: false, errors: Object.keys(errors).length > 0 ? errors : { note: 'Check this line' } };
  }
  return { ok: true, body: result.data };
}

function friendly(field: keyof LineForm, message: string): string {
  if (/expected number|NaN|received nan/i.test(message)) {
    return field === 'durationDays' ? 'Days, as a whole number' : 'A number';
  }
  return message;
}

/** Reasons for the alerts of the draft that are still on it (a reason for an alert that went is not sent). */
export function overridesFor(
  alerts: readonly Pick<PrescriptionAlert, 'key'>[],
  reasons: Readonly<Record<string, string>>,
): { alertKey: string; reason: string }[] {
  return alerts
    .map((a) => ({ alertKey: a.key, reason: (reasons[a.key] ?? '').trim() }))
    .filter((o) => o.reason !== '');
}

/** The keys of alerts that must have a reason and have none. */
export function missingOverrides(
  alerts: readonly Pick<PrescriptionAlert, 'key' | 'requiresOverrideReason'>[],
  reasons: Readonly<Record<string, string>>,
): string[] {
  return alerts.filter((a) => a.requiresOverrideReason && !(reasons[a.key] ?? '').trim()).map((a) => a.key);
}

/** The body of POST /prescriptions/check for the draft; null when there is nothing to check. */
export function buildCheckBody(encounterId: string, lines: readonly DraftLine[]) {
  if (lines.length === 0) return null;
  return { encounterId, items: lines.map((l) => l.body) };
}

/** The body of POST /prescriptions: the lines, the reasons for the alerts on them, the note. */
export function buildPrescriptionBody(input: {
  encounterId: string;
  lines: readonly DraftLine[];
  alerts: readonly Pick<PrescriptionAlert, 'key'>[];
  reasons: Readonly<Record<string, string>>;
  notes: string;
}) {
  return {
    encounterId: input.encounterId,
    items: input.lines.map((l) => l.body),
    overrides: overridesFor(input.alerts, input.reasons),
    notes: input.notes.trim() || null,
  };
}

/**
 * The reasons to keep when line `removed` (0-based) leaves the draft. The checker names the draft's lines
 * by position in an alert's key ("p0|p2"): a reason about that line or a later one (whose position shifts)
 * would land on another pair, so it is dropped and asked again.
 */
export function reasonsAfterRemoval(
  reasons: Readonly<Record<string, string>>,
  removed: number,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, reason] of Object.entries(reasons)) {
    const positions = [...key.matchAll(/(?:^|[:|])p(\d+)(?=$|[:|])/g)].map((m) => Number(m[1]));
    if (positions.every((p) => p < removed)) kept[key] = reason;
  }
  return kept;
}
