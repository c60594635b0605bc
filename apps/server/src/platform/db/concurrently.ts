import { PgTransaction } from 'drizzle-orm/pg-core';
import type { DbOrTx } from './database';

type Results<T extends readonly (() => PromiseLike<unknown>)[]> = {
  -readonly [K in keyof T]: Awaited<ReturnType<T[K]>>;
};

/**
 * Runs independent reads at once on a pool (each gets its own connection), one after another inside a
 * transaction: a transaction is one connection, and node-postgres deprecates overlapping queries on a client
 * (pg 9 removes them).
 */
export async function concurrently<const T extends readonly (() => PromiseLike<unknown>)[]>(
  db: DbOrTx,
  tasks: T,
): Promise<Results<T>> {
  if (db instanceof PgTransaction) {
    const out: unknown[] = [];
    for (const task of tasks) out.push(await task());
    return out as Results<T>;
  }
  return (await Promise.all(tasks.map((task) => task()))) as Results<T>;
}
