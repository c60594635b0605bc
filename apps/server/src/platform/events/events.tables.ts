import { index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const eventsSchema = pgSchema('events');

/** Domain events appended in the same transaction as the change that caused them. */
export const outbox = eventsSchema.table(
  'outbox',
  {
    id: uuid('id').primaryKey(),
    type: text('type').notNull(),
    facilityId: uuid('facility_id'),
    aggregateId: text('aggregate_id'),
    actorId: uuid('actor_id'),
    payload: jsonb('payload').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    relayedAt: timestamp('relayed_at', { withTimezone: true }),
  },
  (t) => [index('outbox_type_time_idx').on(t.type, t.occurredAt), index('outbox_relay_idx').on(t.relayedAt)],
);

/** One row per (event, subscriber): the inbox that makes every subscriber idempotent. */
export const deliveries = eventsSchema.table(
  'deliveries',
  {
    eventId: uuid('event_id')
      .notNull()
      .references(() => outbox.id),
    subscriber: text('subscriber').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    handledAt: timestamp('handled_at', { withTimezone: true }),
    handledBy: text('handled_by'),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.subscriber] }),
    index('deliveries_due_idx').on(t.status, t.nextAttemptAt),
  ],
);
