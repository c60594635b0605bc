import { integer, timestamp, uuid } from 'drizzle-orm/pg-core';
import { newId } from './ids';

/** Shared column builders, so every table spells ids, times and versions the same way. */
export const idColumn = () =>
  uuid('id')
    .primaryKey()
    .$defaultFn(() => newId());
export const timestamps = () => ({
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
/** Optimistic concurrency: every update a person makes bumps it; a stale write is refused. */
export const versionColumn = () => integer('version').notNull().default(1);
