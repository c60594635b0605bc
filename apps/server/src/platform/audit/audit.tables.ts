import { bigint, boolean, index, jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const auditSchema = pgSchema('audit');

/**
 * One row per security event and per create/read/update of patient data. Append-only: a trigger
 * refuses UPDATE and DELETE. entry_hash is the SHA-256 of the row's canonical content.
 */
export const auditEntries = auditSchema.table(
  'entries',
  {
    id: uuid('id').primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id'),
    actorType: text('actor_type').notNull(),
    actorName: text('actor_name'),
    facilityId: uuid('facility_id'),
    action: text('action').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: text('resource_id'),
    patientId: uuid('patient_id'),
    outcome: text('outcome').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    breakGlass: boolean('break_glass').notNull().default(false),
    detail: jsonb('detail'),
    entryHash: text('entry_hash').notNull(),
  },
  (t) => [
    index('audit_entries_time_idx').on(t.occurredAt, t.id),
    index('audit_entries_patient_idx').on(t.patientId, t.occurredAt),
    index('audit_entries_actor_idx').on(t.actorId, t.occurredAt),
  ],
);

/**
 * The hash chain, written after commit by one sealer at a time, so that the chain never serializes the
 * writes of patient data: chain_hash = sha256(prev_hash || entry_hash), in seq order.
 */
export const auditSeals = auditSchema.table('seals', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  entryId: uuid('entry_id').notNull().unique(),
  prevHash: text('prev_hash').notNull(),
  chainHash: text('chain_hash').notNull(),
  sealedAt: timestamp('sealed_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Entries not yet sealed into the chain; the sealer takes them in order and removes them. */
export const auditPending = auditSchema.table('pending', {
  entryId: uuid('entry_id').primaryKey(),
});
