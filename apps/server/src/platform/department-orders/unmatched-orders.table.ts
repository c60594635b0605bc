import { sql } from 'drizzle-orm';
import { check, index, type PgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../db/columns';
import { facilityIdColumn } from '../organization/references';

/**
 * The `unmatched_orders` table of a department's schema (laboratory, radiology): an encounter order that names
 * nothing of the department's catalog, kept once per order, open until the doctor cancels the order or the
 * department's staff close it with a note. Each module declares its own in its `*.tables.ts` with this.
 */
export function unmatchedOrdersTable<S extends string>(schema: PgSchema<S>) {
  return schema.table(
    'unmatched_orders',
    {
      id: idColumn(),
      facilityId: uuid('facility_id').notNull().references(facilityIdColumn),
      orderId: uuid('order_id').notNull(),
      encounterId: uuid('encounter_id').notNull(),
      patientId: uuid('patient_id').notNull(),
      code: text('code'),
      system: text('system'),
      display: text('display').notNull(),
      priority: text('priority').notNull(),
      reasonCode: text('reason_code').notNull(),
      reason: text('reason').notNull(),
      requestedById: uuid('requested_by_id'),
      requestedByName: text('requested_by_name'),
      requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
      receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
      status: text('status').notNull().default('open'),
      closedAt: timestamp('closed_at', { withTimezone: true }),
      closedById: uuid('closed_by_id'),
      closedByName: text('closed_by_name'),
      closeNote: text('close_note'),
      version: versionColumn(),
      ...timestamps(),
    },
    (t) => [
      uniqueIndex('unmatched_orders_order_uq').on(t.orderId),
      index('unmatched_orders_facility_idx').on(t.facilityId, t.status, t.receivedAt),
      check('unmatched_orders_priority_ck', sql`${t.priority} in ('routine', 'urgent', 'stat')`),
      check('unmatched_orders_reason_ck', sql`${t.reasonCode} in ('no-code', 'not-in-catalog')`),
      check('unmatched_orders_status_ck', sql`${t.status} in ('open', 'closed')`),
      check(
        'unmatched_orders_closed_ck',
        sql`(${t.status} = 'closed') = (${t.closedAt} is not null and ${t.closeNote} is not null)`,
      ),
    ],
  );
}

export type UnmatchedOrdersTable = ReturnType<typeof unmatchedOrdersTable<string>>;
