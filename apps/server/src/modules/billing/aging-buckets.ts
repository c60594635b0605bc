import { type AgingAmounts, type AgingBucket, agingBuckets } from '@newhms/contracts';

// Aging of receivables: what is owed, by how long it has been owed (days from a claim's submission, or from
// a bill's issue), in the buckets accounts departments report: 0-30, 31-60, 61-90, 91-180, over 180 days.

/** The bucket of an age in days (an age below 0, a date after the report date, counts as current). */
export function agingBucketOf(ageDays: number): AgingBucket {
  if (ageDays <= 30) return '0-30';
  if (ageDays <= 60) return '31-60';
  if (ageDays <= 90) return '61-90';
  if (ageDays <= 180) return '91-180';
  return '181+';
}

/** Whole days from one calendar date (YYYY-MM-DD) to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function emptyAging(): AgingAmounts {
  return { '0-30': 0, '31-60': 0, '61-90': 0, '91-180': 0, '181+': 0, total: 0 };
}

/** Sums amounts (paise) into the aging buckets by their age; the total is the sum of the buckets. */
export function bucketAmounts(items: readonly { ageDays: number; amount: number }[]): AgingAmounts {
  const out = emptyAging();
  for (const item of items) {
    out[agingBucketOf(item.ageDays)] += item.amount;
    out.total += item.amount;
  }
  return out;
}

/** Adds one set of bucket amounts into another (in place) and returns it. */
export function addAging(into: AgingAmounts, more: AgingAmounts): AgingAmounts {
  for (const b of agingBuckets) into[b] += more[b];
  into.total += more.total;
  return into;
}
