import { sql } from 'drizzle-orm';
import { check, index, integer, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../platform/db/columns';
import { facilityIdColumn } from '../../platform/organization/references';

export const dietarySchema = pgSchema('dietary');

/**
 * A diet order for an in-patient. A new order for the same admission replaces the active one (status
 * 'replaced', never deleted); discharge stops it. NPO carries its time window; a tube feed its formula,
 * volume and frequency. The allergies are a snapshot of the patient's record at ordering, shown to the
 * kitchen (the patient record stays the truth). admission_id points at ipd.admissions by value.
 */
export const dietOrders = dietarySchema.table(
  'diet_orders',
  {
    id: idColumn(),
    facilityId: uuid('facility_id').notNull().references(facilityIdColumn),
    admissionId: uuid('admission_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    diet: text('diet').notNull(),
    npoFrom: timestamp('npo_from', { withTimezone: true }),
    npoUntil: timestamp('npo_until', { withTimezone: true }),
    tubeFeedFormula: text('tube_feed_formula'),
    tubeFeedVolumeMl: integer('tube_feed_volume_ml'),
    tubeFeedTimesPerDay: integer('tube_feed_times_per_day'),
    instructions: text('instructions'),
    allergies: text('allergies').array().notNull(),
    /** The patient's allergy state at ordering: 'not-recorded' (nobody asked) is not 'none-known'. */
    allergyState: text('allergy_state').notNull().default('not-recorded'),
    status: text('status').notNull().default('active'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endReason: text('end_reason'),
    orderedById: uuid('ordered_by_id'),
    orderedByName: text('ordered_by_name').notNull(),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    index('diet_orders_admission_idx').on(t.admissionId, t.status),
    uniqueIndex('diet_orders_one_active_uq').on(t.admissionId).where(sql`${t.status} = 'active'`),
    index('diet_orders_facility_active_idx').on(t.facilityId).where(sql`${t.status} = 'active'`),
    check(
      'diet_orders_diet_ck',
      sql`${t.diet} in ('normal', 'soft', 'liquid', 'diabetic', 'renal', 'low-salt', 'npo', 'tube-feed')`,
    ),
    check(
      'diet_orders_allergy_state_ck',
      sql`${t.allergyState} in ('not-recorded', 'none-known', 'recorded')`,
    ),
    check('diet_orders_status_ck', sql`${t.status} in ('active', 'replaced', 'stopped')`),
    check(
      'diet_orders_npo_ck',
      sql`${t.diet} <> 'npo' or (${t.npoFrom} is not null and (${t.npoUntil} is null or ${t.npoFrom} < ${t.npoUntil}))`,
    ),
    check(
      'diet_orders_tube_ck',
      sql`${t.diet} <> 'tube-feed' or (${t.tubeFeedFormula} is not null and ${t.tubeFeedVolumeMl} > 0 and ${t.tubeFeedTimesPerDay} > 0)`,
    ),
  ],
);
