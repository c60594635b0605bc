import { sql } from 'drizzle-orm';
import { check, index, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { idColumn } from '../../platform/db/columns';
import { admissions, ipdSchema } from './ipd.tables';

/**
 * Which NEWS2 SpO2 scale an admission is scored on. Scale 2 is only for patients with hypercapnic
 * respiratory failure and a prescribed target of 88-92 % (RCP NEWS2, 2017): a clinician's decision,
 * documented with a reason. Append-only: the latest row is the admission's scale; none means scale 1.
 */
export const spo2ScaleDecisions = ipdSchema.table(
  'spo2_scale_decisions',
  {
    id: idColumn(),
    admissionId: uuid('admission_id')
      .notNull()
      .references(() => admissions.id),
    scale: smallint('scale').notNull(),
    reason: text('reason').notNull(),
    decidedById: uuid('decided_by_id'),
    decidedByName: text('decided_by_name').notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('spo2_scale_decisions_admission_idx').on(t.admissionId, t.decidedAt),
    check('spo2_scale_decisions_scale_ck', sql`${t.scale} in (1, 2)`),
  ],
);
