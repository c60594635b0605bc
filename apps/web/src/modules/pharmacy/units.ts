// Units of issue (tablets, vials, bottles) as typed in a field: whole numbers only, never a fraction of a strip.

const MAX_UNITS = 1_000_000;

/** "12" -> 12; blank, fractions, signs or anything outside min..1,000,000 -> null. */
export function parseUnits(input: string, min = 1): number | null {
  const cleaned = input.replace(/[,\s]/g, '');
  if (!/^\d{1,7}$/.test(cleaned)) return null;
  const n = Number(cleaned);
  return n >= min && n <= MAX_UNITS ? n : null;
}

/** A signed correction: "-5" or "+3" or "3"; zero, blank and fractions are null. */
export function parseSignedUnits(input: string): number | null {
  const match = /^([+-]?)(\d{1,7})$/.exec(input.replace(/[,\s]/g, ''));
  if (!match) return null;
  const n = Number(match[2]);
  if (n === 0 || n > MAX_UNITS) return null;
  return match[1] === '-' ? -n : n;
}

/** Units of an indent's line still to issue. */
export function outstandingUnits(line: { requested: number; issued: number }): number {
  return Math.max(0, line.requested - line.issued);
}
