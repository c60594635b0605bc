import type { CultureResult, labFlags } from '@newhms/contracts';

// Pure: how a result reads on screen and in words, so that a flag never speaks by colour alone.

export type LabFlag = (typeof labFlags)[number];

export const flagWords: Record<LabFlag, string> = {
  LL: 'critical low',
  L: 'low',
  N: 'normal',
  H: 'high',
  HH: 'critical high',
};

/** LL and HH: a value to call through to the doctor. */
export function isCriticalFlag(flag: LabFlag | null | undefined): flag is 'LL' | 'HH' {
  return flag === 'LL' || flag === 'HH';
}

/** Outside the reference range (critical or not). */
export function isAbnormalFlag(flag: LabFlag | null | undefined): boolean {
  return !!flag && flag !== 'N';
}

/** "No growth", or "Escherichia coli, > 10^5 CFU/mL: ampicillin R, nitrofurantoin S (MIC 16)". */
export function cultureSummary(culture: CultureResult): string {
  if (culture.organism === null) return culture.growth ? `No growth (${culture.growth})` : 'No growth';
  const head = culture.growth ? `${culture.organism}, ${culture.growth}` : culture.organism;
  if (culture.antibiotics.length === 0) return head;
  const list = culture.antibiotics
    .map((a) => `${a.antibiotic} ${a.interpretation}${a.mic ? ` (MIC ${a.mic})` : ''}`)
    .join(', ');
  return `${head}: ${list}`;
}

/**
 * A number in the test's precision: 12 with 1 decimal is "12.0" (a trailing zero is part of the measurement);
 * without a known precision, as it is.
 */
export function formatNumber(value: number, decimals?: number | null): string {
  if (decimals === undefined || decimals === null || !Number.isFinite(value)) return String(value);
  return value.toFixed(Math.min(Math.max(Math.trunc(decimals), 0), 20));
}

/** A result's value as read: "6.9 mmol/L", a text answer, or a culture's summary; "" when there is none. */
export function formatResultValue(r: {
  value: number | null;
  text: string | null;
  culture: CultureResult | null;
  unit: string | null;
  /** The test's display precision (the catalog's decimals). */
  decimals?: number | null;
}): string {
  if (r.value !== null) {
    const number = `${formatNumber(r.value, r.decimals)}${r.unit ? ` ${r.unit}` : ''}`;
    return r.text ? `${number} (${r.text})` : number;
  }
  if (r.culture) return cultureSummary(r.culture);
  return r.text ?? '';
}
