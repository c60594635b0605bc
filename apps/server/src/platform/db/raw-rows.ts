import type { SQL } from 'drizzle-orm';
import type { DbOrTx } from './database';

/** Runs raw SQL on a handle or transaction and returns its rows, whichever driver is behind it. */
export async function rowsOf<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}
