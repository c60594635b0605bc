import type { CultureResult, LabResult } from '@newhms/contracts';
import type { ReferenceRange } from './catalog/catalog-file';
import { type Flag, flagOf, formatRange, type PatientSex, rangeFor, roundTo } from './catalog/interpret';

// Pure: what a technician's entry becomes on the result row (the value in the test's unit and decimals, the
// flag, whether it is critical, the range it was judged against), and the patient's age in days on a date.

const MS_PER_DAY = 86_400_000;

/** Whole days from a birth date to a date (both YYYY-MM-DD); null without a birth date or before birth. */
export function ageInDays(birthDate: string | null, onDate: string): number | null {
  if (!birthDate) return null;
  const days = Math.floor(
    (Date.parse(`${onDate}T00:00:00Z`) - Date.parse(`${birthDate}T00:00:00Z`)) / MS_PER_DAY,
  );
  return Number.isFinite(days) && days >= 0 ? days : null;
}

export type TestForEntry = {
  code: string;
  resultType: string;
  unit: string | null;
  decimals: number | null;
};

export type EntryInput = {
  value?: number | null | undefined;
  text?: string | null | undefined;
  culture?: CultureResult | null | undefined;
};

export type InterpretedEntry = {
  numericValue: number | null;
  textValue: string | null;
  culture: CultureResult | null;
  unit: string | null;
  flag: Flag | null;
  critical: boolean;
  referenceRange: LabResult['referenceRange'];
};

/**
 * Checks that the entry has the kind of value its test reports (a number for numeric tests, text for text
 * and coded ones, an organism and susceptibilities for cultures) and interprets it: a number is rounded to
 * the test's decimals and flagged against the patient's range (sex, age in days at collection). Returns the
 * reason when the entry does not fit.
 */
export function interpretEntry(
  test: TestForEntry,
  input: EntryInput,
  ranges: readonly ReferenceRange[],
  patient: { sex: PatientSex; ageDays: number | null },
): InterpretedEntry | { problem: string } {
  const has = {
    value: input.value !== undefined && input.value !== null,
    text: input.text !== undefined && input.text !== null,
    culture: input.culture !== undefined && input.culture !== null,
  };
  const none = { numericValue: null, textValue: null, culture: null, unit: test.unit };
  if (test.resultType === 'numeric') {
    if (!has.value || has.culture) return { problem: `${test.code} needs a number` };
    const value = roundTo(input.value as number, test.decimals ?? 0);
    const range = rangeFor(test.code, ranges, patient);
    const flag = flagOf(value, range);
    return {
      ...none,
      numericValue: value,
      // A numeric test may carry a remark beside its number ("haemolysed, repeated").
      textValue: has.text ? (input.text as string) : null,
      flag,
      critical: flag === 'LL' || flag === 'HH',
      referenceRange: range
        ? {
            low: range.low,
            high: range.high,
            criticalLow: range.criticalLow,
            criticalHigh: range.criticalHigh,
            text: formatRange(range, test.unit, test.decimals),
          }
        : null,
    };
  }
  if (test.resultType === 'culture') {
    if (!has.culture || has.value) return { problem: `${test.code} needs a culture result` };
    const culture = input.culture as CultureResult;
    if (culture.organism === null && culture.antibiotics.length > 0) {
      return { problem: `${test.code}: susceptibilities need an organism` };
    }
    return {
      ...none,
      culture,
      textValue: has.text ? (input.text as string) : null,
      flag: null,
      critical: false,
      referenceRange: null,
    };
  }
  if (!has.text || has.value || has.culture) return { problem: `${test.code} needs a text result` };
  return { ...none, textValue: input.text as string, flag: null, critical: false, referenceRange: null };
}
