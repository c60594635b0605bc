import type { Frequency } from '@newhms/contracts';
import { addDays, zonedInstant } from '../../platform/time/facility-time';
import type { DoseAmount, MedicationItem } from './checker/checker';

// The arithmetic of a prescription line, pure: the standard times of each frequency, doses per day, the
// quantity to hand over, the line as the patient reads it ("sig"), the line as the checker reads it, and the
// in-patient dose schedule.

/** The ward's standard administration times (facility time) of each frequency. */
export const STANDARD_TIMES: Record<Exclude<Frequency, 'CUSTOM'>, readonly string[]> = {
  OD: ['08:00'],
  BD: ['08:00', '20:00'],
  TDS: ['08:00', '14:00', '20:00'],
  QID: ['06:00', '12:00', '18:00', '22:00'],
  HS: ['21:00'],
  SOS: [],
  STAT: [],
};

const FREQUENCY_WORDS: Record<Frequency, string> = {
  OD: 'once a day',
  BD: 'twice a day',
  TDS: 'three times a day',
  QID: 'four times a day',
  HS: 'at bedtime',
  SOS: 'when needed',
  STAT: 'once, now',
  CUSTOM: 'at',
};

const INSTRUCTION_WORDS: Record<string, string> = {
  'after-food': 'after food',
  'before-food': 'before food',
  'with-food': 'with food',
  'empty-stomach': 'on an empty stomach',
  bedtime: 'at bedtime',
  'as-directed': 'as directed',
};

export type LineInput = {
  dose: DoseAmount;
  route: string;
  frequency: Frequency;
  times?: readonly string[] | undefined;
  prnIndication?: string | null | undefined;
  maxDosesPerDay?: number | null | undefined;
  durationDays: number;
  instructions: string;
};

export type ProductFacts = {
  ingredients: readonly string[];
  strength: string;
  unitOfIssue: string;
  doseForm: string;
};

/** The times a line is given at: the custom ones, or the frequency's standard ones (sorted, unique). */
export function timesOf(frequency: Frequency, custom?: readonly string[]): string[] {
  const times = frequency === 'CUSTOM' ? (custom ?? []) : custom?.length ? custom : STANDARD_TIMES[frequency];
  return [...new Set(times)].sort();
}

/** Scheduled doses a day; 'prn' for as-needed lines; a STAT line is one dose. */
export function dosesPerDay(line: Pick<LineInput, 'frequency' | 'times'>): number | 'prn' {
  if (line.frequency === 'SOS') return 'prn';
  if (line.frequency === 'STAT') return 1;
  return timesOf(line.frequency, line.times).length;
}

const MASS_TO_MG: Record<string, number> = { mg: 1, g: 1000, mcg: 0.001 };

/** The mass of one unit of issue, when the strength is a plain mass ("500 mg", "1 g", "250 mcg"). */
export function strengthInMg(strength: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(mg|g|mcg)\s*$/i.exec(strength);
  if (!m) return null;
  return Number(m[1]) * MASS_TO_MG[m[2]!.toLowerCase()]!;
}

const COUNTABLE = new Set(['tablet', 'capsule', 'sachet', 'suppository', 'pessary', 'lozenge']);
const WHOLE_CONTAINERS = new Set(['vial', 'ampoule', 'prefilled syringe', 'cartridge']);

/** Units of issue for one dose, or null when the strength cannot tell (a syrup dosed in mg, an inhaler). */
export function unitsPerDose(dose: DoseAmount, product: ProductFacts): number | null {
  const unit = product.unitOfIssue.toLowerCase();
  if (dose.unit.toLowerCase() === unit) return dose.amount;
  const mgPerUnit = strengthInMg(product.strength);
  const doseMg = MASS_TO_MG[dose.unit] !== undefined ? dose.amount * MASS_TO_MG[dose.unit]! : null;
  if (mgPerUnit === null || doseMg === null || product.ingredients.length !== 1) return null;
  if (COUNTABLE.has(unit)) return doseMg / mgPerUnit;
  // A dose from an injection uses whole vials: the rest of an opened vial is discarded.
  if (WHOLE_CONTAINERS.has(unit)) return Math.ceil(doseMg / mgPerUnit - 1e-9);
  return null;
}

/**
 * Units of issue to hand over for the whole course: doses a day x days x units per dose, rounded up to whole
 * units. As-needed lines count their most doses a day; null when it cannot be computed (the prescriber gives
 * the quantity: bottles of syrup, inhalers, creams).
 */
export function computeQuantity(line: LineInput, product: ProductFacts): number | null {
  const perDose = unitsPerDose(line.dose, product);
  if (perDose === null || perDose <= 0) return null;
  const perDay = dosesPerDay(line);
  const doses =
    line.frequency === 'STAT'
      ? 1
      : perDay === 'prn'
        ? line.maxDosesPerDay
          ? line.maxDosesPerDay * line.durationDays
          : null
        : perDay * line.durationDays;
  if (doses === null) return null;
  return Math.max(1, Math.ceil(doses * perDose - 1e-9));
}

function amountText(n: number): string {
  if (n === 0.5) return 'half';
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}

/** The line as the patient reads it: "1 tablet (500 mg) oral, three times a day after food, for 5 days". */
export function sigOf(line: LineInput, product: ProductFacts): string {
  const perDose = unitsPerDose(line.dose, product);
  const unit = product.unitOfIssue.toLowerCase();
  const dose =
    perDose !== null && COUNTABLE.has(unit) && line.dose.unit.toLowerCase() !== unit
      ? `${amountText(perDose)} ${unit}${perDose > 1 ? 's' : ''} (${amountText(line.dose.amount)} ${line.dose.unit})`
      : `${amountText(line.dose.amount)} ${line.dose.unit}`;
  const when =
    line.frequency === 'CUSTOM'
      ? `at ${timesOf('CUSTOM', line.times).join(', ')}`
      : line.frequency === 'SOS'
        ? `when needed for ${line.prnIndication ?? 'symptoms'}${line.maxDosesPerDay ? `, at most ${line.maxDosesPerDay} a day` : ''}`
        : FREQUENCY_WORDS[line.frequency];
  const instruction = INSTRUCTION_WORDS[line.instructions] ?? line.instructions;
  const course =
    line.frequency === 'STAT' ? '' : `, for ${line.durationDays} day${line.durationDays > 1 ? 's' : ''}`;
  return `${dose} ${line.route}, ${when} ${instruction}${course}`;
}

/** The line as the checker reads it: per-dose mass where it can be known, doses a day, the course. */
export function checkerItemOf(line: LineInput, product: ProductFacts): MedicationItem {
  const perDay = dosesPerDay(line);
  const unit = product.unitOfIssue.toLowerCase();
  let dose: DoseAmount | undefined;
  if (MASS_TO_MG[line.dose.unit] !== undefined) dose = line.dose;
  else if (line.dose.unit.toLowerCase() === unit && product.ingredients.length === 1) {
    const mg = strengthInMg(product.strength);
    if (mg !== null) dose = { amount: line.dose.amount * mg, unit: 'mg' };
  }
  return {
    ingredients: product.ingredients,
    ...(dose ? { dose } : {}),
    route: line.route,
    frequency: perDay,
    ...(line.maxDosesPerDay ? { maxDosesPerDay: line.maxDosesPerDay } : {}),
    durationDays: line.frequency === 'STAT' ? 1 : line.durationDays,
  };
}

/**
 * The scheduled doses of an in-patient line: each standard (or custom) time of each day of the course from
 * the start date, in the facility's zone, from `from` on (a time already past when it was ordered is not
 * scheduled). A STAT line is one dose at `from`; an as-needed line has no schedule.
 */
export function doseSchedule(
  line: Pick<LineInput, 'frequency' | 'times' | 'durationDays'>,
  startDate: string,
  from: Date,
  timeZone: string,
): Date[] {
  if (line.frequency === 'SOS') return [];
  if (line.frequency === 'STAT') return [from];
  const times = timesOf(line.frequency, line.times);
  const out: Date[] = [];
  for (let day = 0; day < line.durationDays; day++) {
    const date = addDays(startDate, day);
    for (const time of times) {
      const at = zonedInstant(date, time, timeZone);
      if (at.getTime() >= from.getTime() - 60_000) out.push(at);
    }
  }
  return out;
}
