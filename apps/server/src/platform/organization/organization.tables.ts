import { boolean, index, pgSchema, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../db/columns';

export const orgSchema = pgSchema('org');

/** A hospital of the group. Every facility-scoped row elsewhere carries its id. */
export const facilities = orgSchema.table(
  'facilities',
  {
    id: idColumn(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    timeZone: text('time_zone').notNull().default('Asia/Kolkata'),
    currency: text('currency').notNull().default('INR'),
    addressLine: text('address_line'),
    city: text('city'),
    state: text('state'),
    postalCode: text('postal_code'),
    country: text('country').notNull().default('IN'),
    phone: text('phone'),
    email: text('email'),
    registrationNumber: text('registration_number'),
    gstin: text('gstin'),
    active: boolean('active').notNull().default(true),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [uniqueIndex('facilities_code_uq').on(t.code)],
);

export const departments = orgSchema.table(
  'departments',
  {
    id: idColumn(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    parentId: uuid('parent_id'),
    headUserId: uuid('head_user_id'),
    active: boolean('active').notNull().default(true),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('departments_facility_code_uq').on(t.facilityId, t.code),
    index('departments_facility_idx').on(t.facilityId, t.name),
  ],
);
