import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgSchema,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../platform/db/columns';
import { facilityIdColumn } from '../../platform/organization/references';

export const encountersSchema = pgSchema('encounters');

const recorded = () => ({
  recordedById: uuid('recorded_by_id'),
  recordedByName: text('recorded_by_name').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One contact of a patient with the hospital: an OPD visit, an IPD stay, an ER visit. Every clinical row
 * hangs from one. patient_id is a reference to patients.patients by value (another module's table):
 * re-pointed by the patients.patient.merged subscriber.
 */
export const encounters = encountersSchema.table(
  'encounters',
  {
    id: idColumn(),
    patientId: uuid('patient_id').notNull(),
    facilityId: uuid('facility_id').notNull().references(facilityIdColumn),
    class: text('class').notNull(),
    status: text('status').notNull(),
    departmentId: uuid('department_id'),
    practitionerId: uuid('practitioner_id'),
    practitionerName: text('practitioner_name'),
    reason: text('reason'),
    sourceType: text('source_type'),
    sourceId: uuid('source_id'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    followUpDate: date('follow_up_date'),
    advice: text('advice'),
    referral: text('referral'),
    createdById: uuid('created_by_id'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    index('encounters_patient_idx').on(t.patientId, t.startedAt),
    index('encounters_practitioner_idx').on(t.practitionerId, t.startedAt),
    index('encounters_facility_started_idx').on(t.facilityId, t.startedAt),
    uniqueIndex('encounters_source_uq').on(t.sourceType, t.sourceId),
    check('encounters_class_ck', sql`${t.class} in ('ambulatory', 'inpatient', 'emergency')`),
    check(
      'encounters_status_ck',
      sql`${t.status} in ('planned', 'arrived', 'in-progress', 'finished', 'cancelled', 'entered-in-error')`,
    ),
  ],
);

/** Vital signs and other observations (LOINC code, UCUM unit). Never deleted: entered-in-error instead. */
export const observations = encountersSchema.table(
  'observations',
  {
    id: idColumn(),
    encounterId: uuid('encounter_id').references(() => encounters.id),
    patientId: uuid('patient_id').notNull(),
    category: text('category').notNull(),
    code: text('code').notNull(),
    system: text('system').notNull().default('http://loinc.org'),
    display: text('display').notNull(),
    value: doublePrecision('value'),
    valueText: text('value_text'),
    unit: text('unit'),
    interpretation: text('interpretation'),
    status: text('status').notNull().default('final'),
    /** Observations entered together (one set of vitals) share a group id. */
    groupId: uuid('group_id'),
    effectiveAt: timestamp('effective_at', { withTimezone: true }).notNull(),
    ...recorded(),
  },
  (t) => [
    index('observations_patient_code_idx').on(t.patientId, t.code, t.effectiveAt),
    index('observations_encounter_idx').on(t.encounterId),
  ],
);

export const clinicalNotes = encountersSchema.table(
  'notes',
  {
    id: idColumn(),
    encounterId: uuid('encounter_id')
      .notNull()
      .references(() => encounters.id),
    patientId: uuid('patient_id').notNull(),
    kind: text('kind').notNull(),
    status: text('status').notNull().default('draft'),
    sections: jsonb('sections').notNull(),
    authorId: uuid('author_id'),
    authorName: text('author_name').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    signedById: uuid('signed_by_id'),
    signedByName: text('signed_by_name'),
    amendmentReason: text('amendment_reason'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    index('notes_encounter_idx').on(t.encounterId),
    index('notes_author_status_idx').on(t.authorId, t.status),
    check('notes_status_ck', sql`${t.status} in ('draft', 'signed', 'amended', 'entered-in-error')`),
    check('notes_signed_ck', sql`${t.status} = 'draft' or ${t.signedAt} is not null`),
  ],
);

/** What a note said when it was signed, kept when it is amended. */
export const noteRevisions = encountersSchema.table(
  'note_revisions',
  {
    id: idColumn(),
    noteId: uuid('note_id')
      .notNull()
      .references(() => clinicalNotes.id),
    revision: integer('revision').notNull(),
    sections: jsonb('sections').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
    signedByName: text('signed_by_name').notNull(),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('note_revisions_uq').on(t.noteId, t.revision)],
);

export const diagnoses = encountersSchema.table(
  'diagnoses',
  {
    id: idColumn(),
    encounterId: uuid('encounter_id')
      .notNull()
      .references(() => encounters.id),
    patientId: uuid('patient_id').notNull(),
    code: text('code').notNull(),
    system: text('system').notNull(),
    display: text('display').notNull(),
    kind: text('kind').notNull(),
    rank: text('rank').notNull(),
    status: text('status').notNull().default('active'),
    statusReason: text('status_reason'),
    note: text('note'),
    ...recorded(),
    version: versionColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('diagnoses_encounter_idx').on(t.encounterId),
    index('diagnoses_patient_idx').on(t.patientId, t.status),
  ],
);

export const orders = encountersSchema.table(
  'orders',
  {
    id: idColumn(),
    encounterId: uuid('encounter_id')
      .notNull()
      .references(() => encounters.id),
    patientId: uuid('patient_id').notNull(),
    facilityId: uuid('facility_id').notNull(),
    category: text('category').notNull(),
    code: text('code'),
    system: text('system'),
    display: text('display').notNull(),
    priority: text('priority').notNull().default('routine'),
    status: text('status').notNull().default('active'),
    note: text('note'),
    cancelReason: text('cancel_reason'),
    requestedById: uuid('requested_by_id'),
    requestedByName: text('requested_by_name').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    // Where the department that fulfils the order is with it, followed from its events (order-fulfilment.ts).
    // Apart from `status` (the doctor's request: active, cancelled; FHIR ServiceRequest.status), and outside
    // `version` (the doctor's edits): a sample collected must not make the doctor's cancel a stale write.
    fulfilmentStatus: text('fulfilment_status').notNull().default('pending'),
    fulfilmentNote: text('fulfilment_note'),
    fulfilmentUpdatedAt: timestamp('fulfilment_updated_at', { withTimezone: true }),
    fulfilledAt: timestamp('fulfilled_at', { withTimezone: true }),
    version: versionColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('orders_encounter_idx').on(t.encounterId),
    index('orders_facility_category_status_idx').on(t.facilityId, t.category, t.status),
    check(
      'orders_fulfilment_status_ck',
      sql`${t.fulfilmentStatus} in ('pending', 'not-matched', 'accepted', 'collected', 'in-progress', 'performed', 'resulted')`,
    ),
    check('orders_fulfilled_ck', sql`(${t.fulfilmentStatus} = 'resulted') = (${t.fulfilledAt} is not null)`),
    check(
      'orders_not_matched_ck',
      sql`${t.fulfilmentStatus} <> 'not-matched' or ${t.fulfilmentNote} is not null`,
    ),
    check(
      'orders_fulfilment_time_ck',
      sql`(${t.fulfilmentStatus} = 'pending') = (${t.fulfilmentUpdatedAt} is null)`,
    ),
  ],
);

/** ICD-10 codes: our curated ICD-10-CM set, or a hospital's imported full set. */
export const icd10Codes = encountersSchema.table(
  'icd10_codes',
  {
    code: text('code').primaryKey(),
    system: text('system').notNull(),
    title: text('title').notNull(),
    category: text('category').notNull(),
    chapter: smallint('chapter'),
    billable: boolean('billable').notNull(),
    /** Lower-case title for the trigram index. */
    searchText: text('search_text').notNull(),
  },
  (t) => [index('icd10_search_trgm').using('gin', sql`${t.searchText} gin_trgm_ops`)],
);

/**
 * Where the patient was during an encounter (FHIR Encounter.location): the beds and wards of an IPD stay,
 * written by the module that moves the patient (ipd) through `recordEncounterLocation`. One row per place
 * and period; the open row (ended_at null) is where the patient is now.
 */
export const encounterLocations = encountersSchema.table(
  'encounter_locations',
  {
    id: idColumn(),
    encounterId: uuid('encounter_id')
      .notNull()
      .references(() => encounters.id),
    /** The FHIR Location id (ipd's bed id) and a display text ("ICU-03, ICU, Block A"). */
    locationId: uuid('location_id').notNull(),
    display: text('display').notNull(),
    physicalType: text('physical_type').notNull().default('bd'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('encounter_locations_encounter_idx').on(t.encounterId, t.startedAt),
    check('encounter_locations_range_ck', sql`${t.endedAt} is null or ${t.startedAt} <= ${t.endedAt}`),
  ],
);
