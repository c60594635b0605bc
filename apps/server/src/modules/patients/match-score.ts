/**
 * How likely two records are one person. Pure, so that the weights can be reasoned about and tested.
 *
 * Families in India often share one mobile number and people share common names, so neither a phone nor
 * a name alone makes a duplicate; a national id does. Weights: name 0.5, birth date 0.3, phone 0.2, with a
 * penalty when both sexes are known and differ, and an identifier match lifting the score to at least 0.97.
 */
export type MatchFacts = {
  /** pg_trgm similarity of the normalized full names, 0..1. */
  nameSimilarity: number;
  /** Every phonetic key of the shorter name occurs in the other. */
  phoneticMatch: boolean;
  birth: { a: string | null; aEstimated: boolean; b: string | null; bEstimated: boolean };
  sex: { a: string; b: string };
  /** null when either record has no phone. */
  samePhone: boolean | null;
  /** Labels of identifiers both records hold with the same value, e.g. ["Aadhaar"]. */
  sameIdentifiers: readonly string[];
};

export const CANDIDATE_THRESHOLD = 0.6;

function birthScore(f: MatchFacts['birth']): { score: number; reason?: string } {
  if (!f.a || !f.b) return { score: 0.3 };
  if (f.a === f.b)
    return {
      score: 1,
      reason: f.aEstimated || f.bEstimated ? 'same estimated birth date' : 'same date of birth',
    };
  const years = Math.abs(Number(f.a.slice(0, 4)) - Number(f.b.slice(0, 4)));
  if (f.aEstimated || f.bEstimated) {
    if (years <= 2) return { score: 0.6, reason: 'age within two years' };
    return { score: 0 };
  }
  // Day and month swapped is a common typing slip (05-03 for 03-05).
  const [ya, ma, da] = f.a.split('-');
  const [yb, mb, db] = f.b.split('-');
  if (ya === yb && ma === db && da === mb)
    return { score: 0.8, reason: 'birth date with day and month swapped' };
  if (years === 0) return { score: 0.4, reason: 'same birth year' };
  return { score: 0 };
}

export function matchScore(f: MatchFacts): { score: number; reasons: string[] } {
  const reasons: string[] = [];
  const name = Math.max(f.nameSimilarity, f.phoneticMatch ? Math.max(0.85, f.nameSimilarity) : 0);
  if (f.nameSimilarity >= 0.99) reasons.push('same name');
  else if (f.phoneticMatch) reasons.push('name sounds the same');
  else if (name >= 0.4) reasons.push(`name ${Math.round(name * 100)}% similar`);
  const birth = birthScore(f.birth);
  if (birth.reason) reasons.push(birth.reason);
  const phone = f.samePhone === null ? 0.3 : f.samePhone ? 1 : 0;
  if (f.samePhone) reasons.push('same mobile number');
  let score = 0.5 * name + 0.3 * birth.score + 0.2 * phone;
  if (f.sex.a !== f.sex.b && f.sex.a !== 'unknown' && f.sex.b !== 'unknown') {
    score *= 0.6;
    reasons.push('different sex');
  }
  for (const id of f.sameIdentifiers) reasons.unshift(`same ${id}`);
  if (f.sameIdentifiers.length > 0) score = Math.max(score, 0.97);
  return { score: Math.round(Math.min(1, score) * 1000) / 1000, reasons };
}
