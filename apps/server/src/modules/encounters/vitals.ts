import { type VitalSign, vitalSigns } from '@newhms/contracts';

export type Interpretation = 'N' | 'L' | 'H' | 'LL' | 'HH';

/** Age bands for heart and respiratory rate (children run faster); danger zones from DOMAIN.md. */
function rateLimits(sign: 'heartRate' | 'respiratoryRate', ageMonths: number | null) {
  const adult =
    sign === 'heartRate' ? { normal: [60, 100], danger: [40, 130] } : { normal: [12, 20], danger: [8, 30] };
  if (ageMonths === null || ageMonths >= 18 * 12) return adult;
  if (sign === 'heartRate') {
    if (ageMonths < 3) return { normal: [100, 180], danger: [80, 180] };
    if (ageMonths < 36) return { normal: [90, 160], danger: [70, 160] };
    if (ageMonths < 96) return { normal: [70, 140], danger: [60, 140] };
    return { normal: [60, 100], danger: [50, 120] };
  }
  if (ageMonths < 3) return { normal: [30, 50], danger: [20, 50] };
  if (ageMonths < 36) return { normal: [24, 40], danger: [16, 40] };
  if (ageMonths < 96) return { normal: [18, 30], danger: [12, 30] };
  return { normal: [12, 20], danger: [10, 24] };
}

// Critical limits for the adult signs without age bands.
const danger: Partial<Record<VitalSign, [number, number]>> = {
  temperature: [35, 39.5],
  spo2: [92, 101],
  systolic: [90, 180],
  diastolic: [40, 110],
  bmi: [16, 40],
};

/**
 * Flags a vital sign: N within the normal range, L/H outside it, LL/HH beyond the danger limits
 * (SpO2 below 92 % is LL at any age). Weight and height are not flagged.
 */
export function interpretVital(
  sign: VitalSign,
  value: number,
  ageMonths: number | null,
): Interpretation | null {
  let normal: readonly number[] | null;
  let limits: readonly number[] | undefined;
  if (sign === 'heartRate' || sign === 'respiratoryRate') {
    const l = rateLimits(sign, ageMonths);
    normal = l.normal;
    limits = l.danger;
  } else {
    normal = vitalSigns[sign].normal;
    limits = danger[sign];
  }
  if (!normal) return null;
  const [lo, hi] = normal as [number, number];
  if (limits && value < limits[0]!) return 'LL';
  if (limits && value > limits[1]!) return 'HH';
  if (value < lo) return 'L';
  if (value > hi) return 'H';
  return 'N';
}

/** BMI from weight (kg) and height (cm), one decimal. */
export function bmiOf(weightKg: number, heightCm: number): number {
  const m = heightCm / 100;
  return Math.round((weightKg / (m * m)) * 10) / 10;
}

/** Whole months between a birth date and a moment; null when the birth date is unknown. */
export function ageInMonths(birthDate: string | null, at: Date): number | null {
  if (!birthDate) return null;
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let months = (at.getUTCFullYear() - y) * 12 + (at.getUTCMonth() + 1 - m);
  if (at.getUTCDate() < d) months -= 1;
  return Math.max(0, months);
}
