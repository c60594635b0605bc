import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgSchema,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../platform/db/columns';
import { unmatchedOrdersTable } from '../../platform/department-orders/unmatched-orders.table';
import { facilityIdColumn } from '../../platform/organization/references';

// The laboratory owns its catalog (tests, reference ranges, panels, delta rules: loaded from catalog/*.csv,
// replaceable by a hospital), and the clinical trail of every test: the request (one per encounter order, or
// a walk-in), its samples (accession numbers, collection, receipt, rejection and the recollection it asked
// for), one result per test with the flag and the range it was judged against, and the revisions an
// amendment after release keeps. Nothing clinical is deleted (migration triggers); results are never edited
// after validation except by an amendment that copies the previous value into `result_revisions`.

export const laboratorySchema = pgSchema('laboratory');

const facilityId = () => uuid('facility_id').notNull().references(facilityIdColumn);
const measurement = (name: string) => numeric(name, { precision: 20, scale: 6, mode: 'number' });

export const tests = laboratorySchema.table(
  'tests',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    loincCode: text('loinc_code'),
    section: text('section').notNull(),
    specimen: text('specimen').notNull(),
    container: text('container').notNull(),
    resultType: text('result_type').notNull(),
    unit: text('unit'),
    decimals: integer('decimals'),
    tatMinutesRoutine: integer('tat_minutes_routine').notNull(),
    tatMinutesStat: integer('tat_minutes_stat'),
    active: boolean('active').notNull().default(true),
    source: text('source').notNull(),
    licence: text('licence').notNull(),
    ...timestamps(),
  },
  (t) => [
    index('tests_loinc_idx').on(t.loincCode),
    index('tests_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
    check('tests_result_type_ck', sql`${t.resultType} in ('numeric', 'text', 'coded', 'culture')`),
    check('tests_decimals_ck', sql`(${t.resultType} = 'numeric') = (${t.decimals} is not null)`),
  ],
);

/** A reference interval of a test for a sex and an age band [from, to) in days; limits in the test's unit. */
export const referenceRanges = laboratorySchema.table(
  'reference_ranges',
  {
    id: idColumn(),
    testCode: text('test_code')
      .notNull()
      .references(() => tests.code),
    sex: text('sex').notNull(),
    ageFromDays: integer('age_from_days'),
    ageToDays: integer('age_to_days'),
    low: measurement('low'),
    high: measurement('high'),
    criticalLow: measurement('critical_low'),
    criticalHigh: measurement('critical_high'),
    source: text('source').notNull(),
    licence: text('licence').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('reference_ranges_test_idx').on(t.testCode),
    check('reference_ranges_sex_ck', sql`${t.sex} in ('male', 'female', 'any')`),
  ],
);

export const panels = laboratorySchema.table('panels', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** Member test codes in report order. */
  members: text('members').array().notNull(),
  loincCode: text('loinc_code'),
  active: boolean('active').notNull().default(true),
  source: text('source').notNull(),
  licence: text('licence').notNull(),
  ...timestamps(),
});

export const deltaRules = laboratorySchema.table(
  'delta_rules',
  {
    testCode: text('test_code')
      .primaryKey()
      .references(() => tests.code),
    mode: text('mode').notNull(),
    threshold: measurement('threshold').notNull(),
    windowDays: integer('window_days').notNull(),
    source: text('source').notNull(),
    licence: text('licence').notNull(),
  },
  (t) => [check('delta_rules_mode_ck', sql`${t.mode} in ('absolute', 'percent')`)],
);

/**
 * One ordered test or panel for a patient: from an encounter order (`order_id` unique, so a redelivered
 * event never makes a second request) or a walk-in at the lab counter (no order, maybe no encounter).
 */
export const requests = laboratorySchema.table(
  'requests',
  {
    id: idColumn(),
    facilityId: facilityId(),
    patientId: uuid('patient_id').notNull(),
    encounterId: uuid('encounter_id'),
    /** The stay, for an in-patient (its ward is looked up when the collection list is drawn). */
    admissionId: uuid('admission_id'),
    orderId: uuid('order_id'),
    code: text('code').notNull(),
    display: text('display').notNull(),
    kind: text('kind').notNull(),
    priority: text('priority').notNull(),
    setting: text('setting').notNull(),
    status: text('status').notNull().default('requested'),
    note: text('note'),
    requestedById: uuid('requested_by_id'),
    requestedByName: text('requested_by_name'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelReason: text('cancel_reason'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('requests_order_uq').on(t.orderId),
    index('requests_patient_idx').on(t.patientId, t.requestedAt),
    index('requests_encounter_idx').on(t.encounterId),
    check('requests_kind_ck', sql`${t.kind} in ('test', 'panel')`),
    check('requests_priority_ck', sql`${t.priority} in ('routine', 'urgent', 'stat')`),
    check('requests_setting_ck', sql`${t.setting} in ('opd', 'ipd', 'emergency', 'walk-in')`),
    check('requests_status_ck', sql`${t.status} in ('requested', 'in-progress', 'completed', 'cancelled')`),
    check('requests_cancel_ck', sql`${t.status} <> 'cancelled' or ${t.cancelReason} is not null`),
    check('requests_completed_ck', sql`${t.status} <> 'completed' or ${t.completedAt} is not null`),
  ],
);

/**
 * A tube or container: its accession number (unique per facility, `L` + YYMMDD + a daily sequence), the
 * specimen and container, and its way from the ward to the bench. A rejected sample names the reason and the
 * recollection sample it asked for (one at most: a unique index on `recollection_of`).
 */
export const samples = laboratorySchema.table(
  'samples',
  {
    id: idColumn(),
    facilityId: facilityId(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    patientId: uuid('patient_id').notNull(),
    accession: text('accession').notNull(),
    specimen: text('specimen').notNull(),
    container: text('container').notNull(),
    /** The tests this tube is for (a recollection carries the rejected tube's). */
    testCodes: text('test_codes').array().notNull(),
    status: text('status').notNull().default('awaiting-collection'),
    collectedAt: timestamp('collected_at', { withTimezone: true }),
    collectedById: uuid('collected_by_id'),
    collectedByName: text('collected_by_name'),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    receivedById: uuid('received_by_id'),
    receivedByName: text('received_by_name'),
    rejectedAt: timestamp('rejected_at', { withTimezone: true }),
    rejectedById: uuid('rejected_by_id'),
    rejectedByName: text('rejected_by_name'),
    rejectionReason: text('rejection_reason'),
    rejectionNote: text('rejection_note'),
    recollectionOf: uuid('recollection_of'),
    recollectionSampleId: uuid('recollection_sample_id'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('samples_accession_uq').on(t.facilityId, t.accession),
    // An analyzer names a tube by its accession alone (the facility only when two issued the same number).
    index('samples_accession_idx').on(t.accession),
    index('samples_patient_idx').on(t.patientId, t.collectedAt),
    uniqueIndex('samples_recollection_uq').on(t.recollectionOf).where(sql`${t.recollectionOf} is not null`),
    index('samples_request_idx').on(t.requestId),
    index('samples_queue_idx').on(t.facilityId, t.status),
    check(
      'samples_status_ck',
      sql`${t.status} in ('awaiting-collection', 'collected', 'received', 'rejected', 'cancelled')`,
    ),
    check(
      'samples_collected_ck',
      sql`${t.status} not in ('collected', 'received') or ${t.collectedAt} is not null`,
    ),
    check('samples_received_ck', sql`${t.status} <> 'received' or ${t.receivedAt} is not null`),
    check(
      'samples_rejection_ck',
      sql`(${t.status} = 'rejected') = (${t.rejectionReason} is not null) and (${t.rejectionReason} is null or ${t.rejectionReason} in ('haemolysed', 'clotted', 'insufficient', 'mislabelled'))`,
    ),
  ],
);

/**
 * One test's result within a request (a panel's request has one per member). Numeric results keep the
 * value in the test's unit, rounded to its decimals, the flag and the range they were judged against (a later
 * change of ranges never re-flags an issued report), whether the value is critical, and the delta check
 * against the patient's previous validated value. Validation is by another person than the one who entered
 * it (CHECK). A released critical value is called through in `critical_alerts`.
 */
export const results = laboratorySchema.table(
  'results',
  {
    id: idColumn(),
    facilityId: facilityId(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    sampleId: uuid('sample_id')
      .notNull()
      .references(() => samples.id),
    patientId: uuid('patient_id').notNull(),
    position: integer('position').notNull(),
    testCode: text('test_code')
      .notNull()
      .references(() => tests.code),
    testName: text('test_name').notNull(),
    loincCode: text('loinc_code'),
    section: text('section').notNull(),
    resultType: text('result_type').notNull(),
    status: text('status').notNull().default('pending'),
    numericValue: measurement('numeric_value'),
    textValue: text('text_value'),
    culture: jsonb('culture'),
    unit: text('unit'),
    flag: text('flag'),
    critical: boolean('critical').notNull().default(false),
    /** { low, high, criticalLow, criticalHigh, text } as flagged. */
    referenceRange: jsonb('reference_range'),
    deltaFlagged: boolean('delta_flagged'),
    deltaPreviousValue: measurement('delta_previous_value'),
    deltaPreviousAt: timestamp('delta_previous_at', { withTimezone: true }),
    comment: text('comment'),
    source: text('source').notNull().default('manual'),
    enteredById: uuid('entered_by_id'),
    enteredByName: text('entered_by_name'),
    enteredAt: timestamp('entered_at', { withTimezone: true }),
    validatedById: uuid('validated_by_id'),
    validatedByName: text('validated_by_name'),
    validatedAt: timestamp('validated_at', { withTimezone: true }),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('results_request_test_uq').on(t.requestId, t.testCode),
    index('results_sample_idx').on(t.sampleId),
    index('results_patient_test_idx').on(t.patientId, t.testCode),
    // The bench's open work (worklists: pending; the validation queue: entered) is a small, moving slice of a
    // table that only grows: a partial index keeps those reads off the validated history.
    index('results_open_idx')
      .on(t.facilityId, t.status, t.enteredAt)
      .where(sql`${t.status} in ('pending', 'entered')`),
    check(
      'results_status_ck',
      sql`${t.status} in ('pending', 'entered', 'validated', 'amended', 'cancelled')`,
    ),
    check('results_source_ck', sql`${t.source} in ('manual', 'analyzer')`),
    check('results_flag_ck', sql`${t.flag} is null or ${t.flag} in ('LL', 'L', 'N', 'H', 'HH')`),
    check(
      'results_value_ck',
      sql`${t.status} in ('pending', 'cancelled') or ${t.numericValue} is not null or ${t.textValue} is not null or ${t.culture} is not null`,
    ),
    check(
      'results_validated_ck',
      sql`${t.status} not in ('validated', 'amended') or (${t.validatedAt} is not null and ${t.validatedById} is not null)`,
    ),
    // Two-person rule: the pathologist who validates is not the technician who entered.
    check(
      'results_second_person_ck',
      sql`${t.validatedById} is null or ${t.enteredById} is null or ${t.validatedById} <> ${t.enteredById}`,
    ),
  ],
);

/** What a released result said before an amendment, with who changed it, when and why. Append-only. */
export const resultRevisions = laboratorySchema.table(
  'result_revisions',
  {
    id: idColumn(),
    resultId: uuid('result_id')
      .notNull()
      .references(() => results.id),
    revisionNo: integer('revision_no').notNull(),
    previousValue: measurement('previous_value'),
    previousText: text('previous_text'),
    previousCulture: jsonb('previous_culture'),
    previousFlag: text('previous_flag'),
    previousValidatedByName: text('previous_validated_by_name'),
    previousValidatedAt: timestamp('previous_validated_at', { withTimezone: true }),
    reason: text('reason').notNull(),
    amendedById: uuid('amended_by_id'),
    amendedByName: text('amended_by_name').notNull(),
    amendedAt: timestamp('amended_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('result_revisions_uq').on(t.resultId, t.revisionNo)],
);

/**
 * A critical value (LL/HH) as released, and the loop around it: addressed to the ordering doctor when it is
 * validated (one per result and revision: an amendment that is still critical raises a new one for the new
 * value), acknowledged with a read-back of the value, escalated a level each time the acknowledgement limit
 * passes (up to 3). Updated only to acknowledge or escalate; never deleted (migration trigger).
 */
export const criticalAlerts = laboratorySchema.table(
  'critical_alerts',
  {
    id: idColumn(),
    facilityId: facilityId(),
    resultId: uuid('result_id')
      .notNull()
      .references(() => results.id),
    /** 0: the value as validated; n: the value of the result's n-th amendment. */
    revisionNo: integer('revision_no').notNull(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    patientId: uuid('patient_id').notNull(),
    encounterId: uuid('encounter_id'),
    testCode: text('test_code').notNull(),
    testName: text('test_name').notNull(),
    value: measurement('value').notNull(),
    unit: text('unit'),
    flag: text('flag').notNull(),
    orderingUserId: uuid('ordering_user_id'),
    orderingUserName: text('ordering_user_name'),
    validatedById: uuid('validated_by_id'),
    validatedByName: text('validated_by_name'),
    notifiedAt: timestamp('notified_at', { withTimezone: true }).notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedById: uuid('acknowledged_by_id'),
    acknowledgedByName: text('acknowledged_by_name'),
    readBack: text('read_back'),
    escalationLevel: integer('escalation_level').notNull().default(0),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    /** [{ id, name }] the last escalation reached. */
    escalatedTo: jsonb('escalated_to').notNull().default([]),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('critical_alerts_result_uq').on(t.resultId, t.revisionNo),
    index('critical_alerts_open_idx').on(t.facilityId, t.notifiedAt).where(sql`${t.acknowledgedAt} is null`),
    index('critical_alerts_ordering_idx').on(t.orderingUserId, t.notifiedAt),
    check('critical_alerts_flag_ck', sql`${t.flag} in ('LL', 'HH')`),
    check('critical_alerts_level_ck', sql`${t.escalationLevel} between 0 and 3`),
    check('critical_alerts_escalated_ck', sql`(${t.escalationLevel} = 0) = (${t.escalatedAt} is null)`),
    check(
      'critical_alerts_ack_ck',
      sql`(${t.acknowledgedAt} is null) = (${t.readBack} is null) and (${t.acknowledgedAt} is null) = (${t.acknowledgedByName} is null)`,
    ),
  ],
);

/**
 * HL7 result messages filed from analyzers, one per (sending application, control id): a message sent again
 * (its ACK was lost or late) is acknowledged without filing its results twice. Only filed messages are kept;
 * a refused one may be corrected and sent again under the same control id.
 */
export const analyzerMessages = laboratorySchema.table(
  'analyzer_messages',
  {
    id: idColumn(),
    facilityId: facilityId(),
    sendingApplication: text('sending_application').notNull(),
    controlId: text('control_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    /** [{ requestId, accession, testCodes }] what was filed. */
    filed: jsonb('filed').notNull(),
  },
  (t) => [uniqueIndex('analyzer_messages_uq').on(t.sendingApplication, t.controlId)],
);

/**
 * An encounter order that names no test or panel of the catalog: kept (one per order, whatever the
 * redeliveries) so that the department's staff call the ordering doctor, and published so that the encounter
 * shows the order as not matched. Open until the doctor cancels the order or the staff close it with a note.
 */
export const unmatchedOrders = unmatchedOrdersTable(laboratorySchema);
