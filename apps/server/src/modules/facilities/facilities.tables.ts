import { sql } from 'drizzle-orm';
import { check, index, integer, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../platform/db/columns';
import { facilityIdColumn } from '../../platform/organization/references';

export const facilitiesSchema = pgSchema('facilities');

/**
 * Housekeeping work: cleaning a released bed (terminal cleaning for isolation beds), spills, routine
 * rounds. Tasks from other modules' events carry the event id (source_event_id) so a redelivered event
 * makes no second task. bed_id and ward_id point at ipd's beds by value.
 */
export const housekeepingTasks = facilitiesSchema.table(
  'housekeeping_tasks',
  {
    id: idColumn(),
    facilityId: uuid('facility_id').notNull().references(facilityIdColumn),
    kind: text('kind').notNull(),
    priority: text('priority').notNull().default('routine'),
    location: text('location').notNull(),
    wardId: uuid('ward_id'),
    bedId: uuid('bed_id'),
    sourceEventId: uuid('source_event_id'),
    note: text('note'),
    status: text('status').notNull().default('open'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    assignedToId: uuid('assigned_to_id'),
    assignedToName: text('assigned_to_name'),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    finishedById: uuid('finished_by_id'),
    finishedByName: text('finished_by_name'),
    /** Minutes from request to finish, kept when finished (turnaround reports read it). */
    turnaroundMinutes: integer('turnaround_minutes'),
    overdueAlertedAt: timestamp('overdue_alerted_at', { withTimezone: true }),
    cancelledReason: text('cancelled_reason'),
    createdById: uuid('created_by_id'),
    createdByName: text('created_by_name').notNull(),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('housekeeping_tasks_source_uq').on(t.sourceEventId),
    index('housekeeping_tasks_queue_idx').on(t.facilityId, t.status, t.dueAt),
    index('housekeeping_tasks_assignee_idx').on(t.assignedToId, t.status),
    index('housekeeping_tasks_bed_idx').on(t.bedId, t.status),
    check(
      'housekeeping_tasks_kind_ck',
      sql`${t.kind} in ('bed-cleaning', 'terminal-cleaning', 'spill', 'routine')`,
    ),
    check('housekeeping_tasks_priority_ck', sql`${t.priority} in ('routine', 'urgent')`),
    check(
      'housekeeping_tasks_status_ck',
      sql`${t.status} in ('open', 'assigned', 'in-progress', 'done', 'cancelled')`,
    ),
  ],
);
