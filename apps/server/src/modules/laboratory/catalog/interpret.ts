import type { DeltaRule, ReferenceRange } from './catalog-file';

// Pure interpretation of a numeric result against the catalog: which reference range applies to the
// patient, the flag, whether it is critical, the delta check against the previous result, rounding and the
// range text on a report. No I/O.

export const FLAGS = ['LL', 'L', 'N', 'H', 'HH'] as const;
export type Flag = (typeof FLAGS)[number];

/** The patient's sex as registered; `other` and `unknown` are matched only by `any` ranges. */
export type PatientSex = 'male' | 'female' | 'other' | 'unknown';

/** The limits `flagOf` needs; a `ReferenceRange` row is one. */
export type RangeLimits = Pick<ReferenceRange, 'low' | 'high' | 'criticalLow' | 'criticalHigh'>;

const MS_PER_DAY = 86_400_000;

/**
 * The reference range of a test for a patient: rows of that test whose age band holds `ageDays`
 * (from inclusive, to exclusive), a row for the patient's own sex before an `any` row, then the narrowest
 * age band; on a tie the row earlier in the file. An unknown age (null) matches only rows without age
 * bounds. Null when no row applies: the result is then not flagged.
 */
export function rangeFor<R extends ReferenceRange>(
  testCode: string,
  ranges: readonly R[],
  patient: { sex: PatientSex; ageDays: number | null },
): R | null {
  let best: R | null = null;
  let bestRank: [number, number] = [Infinity, Infinity];
  for (const r of ranges) {
    if (r.testCode !== testCode) continue;
    if (r.sex !== 'any' && r.sex !== patient.sex) continue;
    if (patient.ageDays === null) {
      if (r.ageFromDays !== null || r.ageToDays !== null) continue;
    } else if (
      (r.ageFromDays !== null && patient.ageDays < r.ageFromDays) ||
      (r.ageToDays !== null && patient.ageDays >= r.ageToDays)
    ) {
      continue;
    }
    const rank: [number, number] = [
      r.sex === 'any' ? 1 : 0,
      (r.ageToDays ?? Infinity) - (r.ageFromDays ?? 0),
    ];
    if (rank[0] < bestRank[0] || (rank[0] === bestRank[0] && rank[1] < bestRank[1])) {
      best = r;
      bestRank = rank;
    }
  }
  return best;
}

/**
 * Flags a numeric result. The reference interval is inclusive: `low <= value <= high` is N, below `low` L,
 * above `high` H. Critical limits are exclusive: only a value strictly below `criticalLow` is LL and strictly
 * above `criticalHigh` HH (the critical-value list reads "K < 2.8 or > 6.2 mmol/L"), so a value exactly at a
 * critical limit is L or H. A missing limit never flags. Null without a range or for a value that is not a
 * finite number.
 */
export function flagOf(value: number, range: RangeLimits | null): Flag | null {
  if (range === null || !Number.isFinite(value)) return null;
  if (range.criticalLow !== null && value < range.criticalLow) return 'LL';
  if (range.criticalHigh !== null && value > range.criticalHigh) return 'HH';
  if (range.low !== null && value < range.low) return 'L';
  if (range.high !== null && value > range.high) return 'H';
  return 'N';
}

/** Whether a result lies beyond a critical limit (LL or HH): the lab must telephone it to the doctor. */
export function isCritical(value: number, range: RangeLimits | null): boolean {
  const flag = flagOf(value, range);
  return flag === 'LL' || flag === 'HH';
}

export type TimedResult = { value: number; at: Date | string };
export type DeltaCheck = {
  flagged: boolean;
  /** current - previous, in the test's unit. */
  change: number;
  /** The change in percent of the previous value; null when the previous value is 0. */
  percent: number | null;
  /** Whether the previous result is recent enough for the rule (within `windowDays` of the current one). */
  withinWindow: boolean;
};

/**
 * Compares a result with the patient's previous one of the same test. Flagged when both are within the
 * rule's window (inclusive) and the change is strictly greater than the threshold: in the test's unit for an
 * `absolute` rule, in percent of the previous value for a `percent` rule. A rise and a fall are treated alike.
 */
export function deltaCheck(
  current: TimedResult,
  previous: TimedResult,
  rule: Pick<DeltaRule, 'mode' | 'threshold' | 'windowDays'>,
): DeltaCheck {
  const change = current.value - previous.value;
  const percent = previous.value === 0 ? null : (change / Math.abs(previous.value)) * 100;
  const elapsed = Math.abs(toTime(current.at) - toTime(previous.at));
  const withinWindow = elapsed <= rule.windowDays * MS_PER_DAY;
  const size = rule.mode === 'absolute' ? Math.abs(change) : percent === null ? null : Math.abs(percent);
  // A percent rule against a previous 0 cannot be evaluated; any non-zero change is then flagged.
  const exceeds = size === null ? change !== 0 : size > rule.threshold;
  return { flagged: withinWindow && exceeds, change, percent, withinWindow };
}

function toTime(at: Date | string): number {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(t)) throw new RangeError(`not a date: ${String(at)}`);
  return t;
}

/**
 * Rounds to `decimals` places, halves away from zero (2.25 -> 2.3, -2.25 -> -2.3), without binary floating
 * point surprises (1.005 -> 1.01).
 */
export function roundTo(value: number, decimals: number): number {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 15) {
    throw new RangeError(`decimals must be a whole number from 0 to 15, not ${decimals}`);
  }
  if (!Number.isFinite(value)) return value;
  const sign = value < 0 ? -1 : 1;
  const factor = 10 ** decimals;
  // 1.005 * 100 is 100.49999999999999 in binary; 15 significant digits give back the decimal 100.5.
  const shifted = Math.round(Number((Math.abs(value) * factor).toPrecision(15)));
  const result = (sign * shifted) / factor;
  return Object.is(result, -0) ? 0 : result;
}

/**
 * The range as printed on a report: "3.5 – 5.1 mmol/L"; a one-sided range as "≤ 200 mg/dL" or
 * "≥ 40 mg/dL" (the limit itself is within the interval). With `decimals`, limits are printed with that many
 * places. Empty when there is no range.
 */
export function formatRange(
  range: Pick<ReferenceRange, 'low' | 'high'> | null,
  unit: string | null,
  decimals?: number | null,
): string {
  if (range === null || (range.low === null && range.high === null)) return '';
  const n = (v: number) =>
    decimals === undefined || decimals === null ? String(v) : roundTo(v, decimals).toFixed(decimals);
  const text =
    range.low !== null && range.high !== null
      ? `${n(range.low)} – ${n(range.high)}`
      : range.low !== null
        ? `≥ ${n(range.low)}`
        : `≤ ${n(range.high as number)}`;
  return unit ? `${text} ${unit}` : text;
}
