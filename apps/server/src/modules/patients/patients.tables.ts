import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgSchema,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../platform/db/columns';
import { facilityIdColumn } from '../../platform/organization/references';

export const patientsSchema = pgSchema('patients');

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

const recordedBy = () => ({
  recordedById: uuid('recorded_by_id'),
  recordedByName: text('recorded_by_name').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The master patient index: one row per person per hospital group. A merged record stays (status
 * 'merged', merged_into_id set) so that old references and printed MRNs still lead somewhere.
 */
export const patients = patientsSchema.table(
  'patients',
  {
    id: idColumn(),
    mrn: text('mrn').notNull(),
    /** The facility that registered the patient; the record itself belongs to the whole group. */
    facilityId: uuid('facility_id').notNull().references(facilityIdColumn),
    status: text('status').notNull().default('active'),
    mergedIntoId: uuid('merged_into_id'),
    given: text('given'),
    middle: text('middle'),
    family: text('family'),
    displayName: text('display_name').notNull(),
    /** Lower-case, accent-free "given middle family": the trigram index works on it. */
    searchName: text('search_name').notNull(),
    /**
     * The words of search_name, kept by PostgreSQL: the search's word stage looks names up by word through
     * its GIN index (search.ts), and a trigger adds new words to the dictionary (nameWords below).
     */
    nameWords: text('name_words').array().notNull().generatedAlwaysAs(sql`string_to_array(search_name, ' ')`),
    /** One phonetic key per name word (see names.ts): Mohammad, Mohammed and Muhammad share "mmd". */
    phoneticKeys: text('phonetic_keys').array().notNull(),
    sex: text('sex').notNull(),
    birthDate: date('birth_date'),
    birthDateEstimated: boolean('birth_date_estimated').notNull().default(false),
    birthYear: smallint('birth_year'),
    email: text('email'),
    addressLine: text('address_line'),
    locality: text('locality'),
    district: text('district'),
    state: text('state'),
    postalCode: text('postal_code'),
    country: text('country'),
    preferredLanguage: text('preferred_language'),
    maritalStatus: text('marital_status'),
    occupation: text('occupation'),
    bloodGroup: text('blood_group'),
    unidentified: boolean('unidentified').notNull().default(false),
    hasPhoto: boolean('has_photo').notNull().default(false),
    /** Set when someone recorded "no known allergies"; cleared when an allergy is recorded. */
    noKnownAllergiesAt: timestamp('no_known_allergies_at', { withTimezone: true }),
    noKnownAllergiesBy: text('no_known_allergies_by'),
    duplicateReason: text('duplicate_reason'),
    lastVisitAt: timestamp('last_visit_at', { withTimezone: true }),
    createdById: uuid('created_by_id'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('patients_mrn_uq').on(t.mrn),
    index('patients_search_name_trgm').using('gin', sql`${t.searchName} gin_trgm_ops`),
    index('patients_phonetic_keys_gin').using('gin', t.phoneticKeys),
    index('patients_name_words_gin').using('gin', t.nameWords),
    index('patients_merged_into_idx').on(t.mergedIntoId),
    // The search's birth-year filter (the year, or ±2 years for an estimated birth date) combines with the
    // name indexes through these (BitmapAnd) instead of rechecking every namesake's row.
    index('patients_birth_year_idx').on(t.birthYear),
    index('patients_birth_year_estimated_idx').on(t.birthYear).where(sql`${t.birthDateEstimated}`),
    check('patients_status_ck', sql`${t.status} in ('active', 'merged', 'inactive')`),
    check('patients_sex_ck', sql`${t.sex} in ('male', 'female', 'other', 'unknown')`),
    check(
      'patients_merged_ck',
      sql`(${t.status} = 'merged') = (${t.mergedIntoId} is not null) and ${t.mergedIntoId} is distinct from ${t.id}`,
    ),
  ],
);

/**
 * Every word that is or was in a patient's name, once (a few thousand at 1M patients), with a trigram index:
 * the search finds the words close to a query word here, then the patients holding them through
 * patients.name_words. Filled by a trigger on patients (migration 0030) whatever writes a name: registration,
 * edits, identification, merges, FHIR import and bulk loads. A word nobody has any more stays: it only leads
 * the search to no one.
 */
export const nameWords = patientsSchema.table(
  'name_words',
  // Unique through an exclusion constraint on a hash index (migration 0030), not a primary key: a btree on
  // the word would let the planner read the whole dictionary in order for a trigram condition (1.1 ms at
  // 1,090 words, where the trigram index takes 0.09 ms).
  { word: text('word').notNull() },
  (t) => [index('name_words_word_trgm').using('gin', sql`${t.word} gin_trgm_ops`)],
);

export const patientPhotos = patientsSchema.table('photos', {
  patientId: uuid('patient_id')
    .primaryKey()
    .references(() => patients.id),
  contentType: text('content_type').notNull(),
  data: bytea('data').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const patientPhones = patientsSchema.table(
  'phones',
  {
    id: idColumn(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    /** E.164, e.g. +919812345678. */
    number: text('number').notNull(),
    /** The last ten digits: what people type at the desk. */
    lastDigits: text('last_digits').notNull(),
    kind: text('kind').notNull().default('mobile'),
    position: smallint('position').notNull().default(0),
  },
  (t) => [index('phones_last_digits_idx').on(t.lastDigits), index('phones_patient_idx').on(t.patientId)],
);

export const patientIdentifiers = patientsSchema.table(
  'identifiers',
  {
    id: idColumn(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    type: text('type').notNull(),
    /** AES-256-GCM ciphertext of the normalized value (platform/crypto). */
    valueEncrypted: text('value_encrypted').notNull(),
    /** Keyed HMAC of type and normalized value: exact search without decrypting. */
    valueHash: text('value_hash').notNull(),
    /** What screens show: masked for national ids. */
    display: text('display').notNull(),
    issuer: text('issuer'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('identifiers_hash_idx').on(t.valueHash), index('identifiers_patient_idx').on(t.patientId)],
);

export const patientContacts = patientsSchema.table(
  'contacts',
  {
    id: idColumn(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    relationship: text('relationship').notNull(),
    phone: text('phone'),
    address: text('address'),
    position: smallint('position').notNull().default(0),
  },
  (t) => [index('contacts_patient_idx').on(t.patientId)],
);

/** Consents are appended, never edited: the latest row per kind is the current answer. */
export const patientConsents = patientsSchema.table(
  'consents',
  {
    id: idColumn(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    kind: text('kind').notNull(),
    granted: boolean('granted').notNull(),
    ...recordedBy(),
  },
  (t) => [index('consents_patient_idx').on(t.patientId, t.kind, t.recordedAt)],
);

export const allergies = patientsSchema.table(
  'allergies',
  {
    id: idColumn(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    category: text('category').notNull(),
    substance: text('substance').notNull(),
    code: text('code'),
    reaction: text('reaction'),
    severity: text('severity').notNull(),
    status: text('status').notNull().default('active'),
    statusReason: text('status_reason'),
    note: text('note'),
    ...recordedBy(),
    version: versionColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('allergies_patient_idx').on(t.patientId),
    check('allergies_status_ck', sql`${t.status} in ('active', 'inactive', 'resolved', 'entered-in-error')`),
  ],
);

export const alerts = patientsSchema.table(
  'alerts',
  {
    id: idColumn(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    severity: text('severity').notNull(),
    status: text('status').notNull().default('active'),
    statusReason: text('status_reason'),
    ...recordedBy(),
    version: versionColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('alerts_patient_idx').on(t.patientId)],
);

/** Every version of a patient's demographics, for the change history and FHIR vread/_history. */
export const patientVersions = patientsSchema.table(
  'versions',
  {
    id: idColumn(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    version: integer('version').notNull(),
    action: text('action').notNull(),
    fields: text('fields').array().notNull(),
    snapshot: jsonb('snapshot').notNull(),
    reason: text('reason'),
    changedById: uuid('changed_by_id'),
    changedByName: text('changed_by_name').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('versions_patient_version_uq').on(t.patientId, t.version)],
);

/** A pair of records that may be one person, waiting for someone to decide. patient_a < patient_b. */
export const duplicateReviews = patientsSchema.table(
  'duplicate_reviews',
  {
    id: idColumn(),
    patientA: uuid('patient_a')
      .notNull()
      .references(() => patients.id),
    patientB: uuid('patient_b')
      .notNull()
      .references(() => patients.id),
    score: real('score').notNull(),
    reasons: text('reasons').array().notNull(),
    source: text('source').notNull(),
    status: text('status').notNull().default('open'),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedByName: text('resolved_by_name'),
  },
  (t) => [
    uniqueIndex('duplicate_reviews_pair_uq').on(t.patientA, t.patientB),
    index('duplicate_reviews_status_idx').on(t.status, t.id),
    check('duplicate_reviews_order_ck', sql`${t.patientA} < ${t.patientB}`),
  ],
);

export const merges = patientsSchema.table(
  'merges',
  {
    id: idColumn(),
    survivorId: uuid('survivor_id')
      .notNull()
      .references(() => patients.id),
    mergedId: uuid('merged_id')
      .notNull()
      .references(() => patients.id),
    reason: text('reason').notNull(),
    moved: jsonb('moved').notNull(),
    survivorSnapshot: jsonb('survivor_snapshot').notNull(),
    mergedSnapshot: jsonb('merged_snapshot').notNull(),
    mergedById: uuid('merged_by_id'),
    mergedByName: text('merged_by_name').notNull(),
    mergedAt: timestamp('merged_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('merges_merged_uq').on(t.mergedId)],
);

/** How a facility spells its MRNs, e.g. "{FACILITY}-{YYYY}-{SEQ:6}". */
export const mrnFormats = patientsSchema.table('mrn_formats', {
  facilityId: uuid('facility_id').primaryKey().references(facilityIdColumn),
  format: text('format').notNull(),
  version: versionColumn(),
  ...timestamps(),
});
