import {
  boolean,
  index,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.tables';
import { idColumn, timestamps, versionColumn } from '../db/columns';
import { facilities } from '../organization/organization.tables';

export const accessSchema = pgSchema('access');

/** A role is data: a named set of permissions that an administrator may edit. */
export const roles = accessSchema.table(
  'roles',
  {
    id: idColumn(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    permissions: text('permissions').array().notNull(),
    builtin: boolean('builtin').notNull().default(false),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [uniqueIndex('roles_name_uq').on(t.name)],
);

/** A user holds roles per facility. */
export const userRoles = accessSchema.table(
  'user_roles',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    grantedBy: uuid('granted_by'),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.roleId, t.facilityId] }),
    index('user_roles_user_idx').on(t.userId, t.facilityId),
  ],
);

/** Emergency access to one patient's record outside the user's normal rights, with a reason. */
export const breakGlassGrants = accessSchema.table(
  'break_glass_grants',
  {
    id: idColumn(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    facilityId: uuid('facility_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    reason: text('reason').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewedBy: uuid('reviewed_by'),
    reviewNote: text('review_note'),
  },
  (t) => [
    index('break_glass_user_patient_idx').on(t.userId, t.patientId, t.expiresAt),
    index('break_glass_review_idx').on(t.reviewedAt, t.grantedAt),
  ],
);

/** Every permission this installation has seen; a new one is granted once to its default roles. */
export const knownPermissions = accessSchema.table('permissions', {
  name: text('name').primaryKey(),
  module: text('module').notNull(),
  description: text('description').notNull(),
  firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
});
