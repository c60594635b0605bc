import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/harness';
import { concurrently } from './concurrently';
import type { Database } from './database';

let database: Database;
const warnings: string[] = [];
const onWarning = (w: Error) => warnings.push(w.message);

beforeAll(async () => {
  database = await openTestDatabase();
  process.on('warning', onWarning);
});
afterAll(async () => {
  process.off('warning', onWarning);
  await database?.close();
});

type Rows = { rows: { n: number }[] };
const slow = (db: Parameters<typeof concurrently>[0], n: number, ms: number) => () =>
  db.execute<{ n: number }>(sql`select ${n}::int as n, pg_sleep(${ms / 1000})`);

describe('concurrently', () => {
  it('answers in the order asked, on the pool and inside a transaction, without overlapping a transaction', async () => {
    const onPool = await concurrently(database.db, [slow(database.db, 1, 30), slow(database.db, 2, 0)]);
    expect(onPool.map((r) => (r as Rows).rows[0]?.n)).toEqual([1, 2]);
    const inTx = await database.db.transaction((tx) =>
      concurrently(tx, [
        slow(tx, 3, 30),
        slow(tx, 4, 0),
        () => tx.execute<{ n: number }>(sql`select 5 as n`),
      ]),
    );
    expect(inTx.map((r) => (r as Rows).rows[0]?.n)).toEqual([3, 4, 5]);
    // node-postgres warns (once per process) when a client is given a query while it runs another.
    await new Promise((r) => setTimeout(r, 20));
    expect(warnings.filter((w) => w.includes('already executing'))).toEqual([]);
  });
});
