import { bigint, integer, jsonb, pgSchema, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const platformSchema = pgSchema('platform');

/** Secrets generated once (token signing key) and kept across restarts and replicas. */
export const secrets = platformSchema.table('secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Per-scope gapless counters (MRN, invoice numbers): scope is 'group' or a facility id. */
export const counters = platformSchema.table(
  'counters',
  {
    scope: text('scope').notNull(),
    name: text('name').notNull(),
    period: text('period').notNull().default(''),
    value: bigint('value', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.scope, t.name, t.period] })],
);

/** Stored replies to POSTs sent with an Idempotency-Key, replayed when the same key comes again. */
export const idempotencyKeys = platformSchema.table(
  'idempotency_keys',
  {
    actorKey: text('actor_key').notNull(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code').notNull(),
    responseBody: jsonb('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.actorKey, t.key] })],
);
