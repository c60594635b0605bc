import { sql } from 'drizzle-orm';
import type { DbOrTx } from './database';
import { counters } from './platform.tables';

/**
 * The next value of a counter (MRN, invoice number, accession number). Call it inside the transaction that
 * uses the number: the counter row stays locked until commit, so numbers are gapless and never reused,
 * also under concurrency (a rolled-back transaction gives its number back).
 */
export async function nextCounterValue(
  tx: DbOrTx,
  scope: string,
  name: string,
  period = '',
): Promise<number> {
  const [row] = await tx
    .insert(counters)
    .values({ scope, name, period, value: 1 })
    .onConflictDoUpdate({
      target: [counters.scope, counters.name, counters.period],
      set: { value: sql`${counters.value} + 1` },
    })
    .returning({ value: counters.value });
  return row!.value;
}
