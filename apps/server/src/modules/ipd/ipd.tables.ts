import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
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

export const ipdSchema = pgSchema('ipd');

const facilityId = () => uuid('facility_id').notNull().references(facilityIdColumn);
const recordedBy = () => ({
  recordedById: uuid('recorded_by_id'),
  recordedByName: text('recorded_by_name').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A class of bed that billing prices: the tariff class is the key of the charge master's bed-day rates
 * (general, semi-private, private, ICU...). `intensiveCare` matters for GST (ICU rooms are exempt).
 */
export const bedCategories = ipdSchema.table(
  'bed_categories',
  {
    id: idColumn(),
    facilityId: facilityId(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    tariffClass: text('tariff_class').notNull(),
    intensiveCare: boolean('intensive_care').notNull().default(false),
    active: boolean('active').notNull().default(true),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [uniqueIndex('bed_categories_code_uq').on(t.facilityId, t.code)],
);

/**
 * A ward: the unit a nursing station runs. Building and floor are where it is; kind says what care it gives;
 * gender and age limits are checked at admission and transfer (an override needs a reason).
 */
export const wards = ipdSchema.table(
  'wards',
  {
    id: idColumn(),
    facilityId: facilityId(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    building: text('building'),
    floor: text('floor'),
    kind: text('kind').notNull(),
    departmentId: uuid('department_id'),
    genderRestriction: text('gender_restriction').notNull().default('any'),
    minAgeYears: smallint('min_age_years'),
    maxAgeYears: smallint('max_age_years'),
    /** The public bed board of this ward (/display/beds/<code>), when set. */
    displayCode: text('display_code'),
    active: boolean('active').notNull().default(true),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('wards_code_uq').on(t.facilityId, t.code),
    uniqueIndex('wards_display_code_uq').on(t.displayCode),
    check(
      'wards_kind_ck',
      sql`${t.kind} in ('general', 'semi-private', 'private', 'icu', 'nicu', 'hdu', 'isolation', 'day-care')`,
    ),
    check('wards_gender_ck', sql`${t.genderRestriction} in ('any', 'male', 'female')`),
    check(
      'wards_age_ck',
      sql`${t.minAgeYears} is null or ${t.maxAgeYears} is null or ${t.minAgeYears} <= ${t.maxAgeYears}`,
    ),
  ],
);

export const rooms = ipdSchema.table(
  'rooms',
  {
    id: idColumn(),
    wardId: uuid('ward_id')
      .notNull()
      .references(() => wards.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    active: boolean('active').notNull().default(true),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [uniqueIndex('rooms_code_uq').on(t.wardId, t.code)],
);

export const BED_STATUSES = [
  'available',
  'reserved',
  'occupied',
  'cleaning',
  'maintenance',
  'blocked',
] as const;

/**
 * A bed. `status` is the bed board's truth, changed only by the service with a row in bed_status_changes;
 * who is in the bed is bed_occupancies (the exclusion constraint there is what stops a double placement).
 */
export const beds = ipdSchema.table(
  'beds',
  {
    id: idColumn(),
    facilityId: facilityId(),
    wardId: uuid('ward_id')
      .notNull()
      .references(() => wards.id),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => bedCategories.id),
    code: text('code').notNull(),
    /** Isolation beds need terminal cleaning when released. */
    isolation: boolean('isolation').notNull().default(false),
    status: text('status').notNull().default('available'),
    statusSince: timestamp('status_since', { withTimezone: true }).notNull().defaultNow(),
    statusReason: text('status_reason'),
    sortOrder: integer('sort_order').notNull().default(0),
    active: boolean('active').notNull().default(true),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('beds_code_uq').on(t.wardId, t.code),
    index('beds_facility_status_idx').on(t.facilityId, t.status),
    check(
      'beds_status_ck',
      sql`${t.status} in ('available', 'reserved', 'occupied', 'cleaning', 'maintenance', 'blocked')`,
    ),
  ],
);

/** Every change of a bed's status: who, when, why (and for which admission). Append-only. */
export const bedStatusChanges = ipdSchema.table(
  'bed_status_changes',
  {
    id: idColumn(),
    bedId: uuid('bed_id')
      .notNull()
      .references(() => beds.id),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    reason: text('reason'),
    admissionId: uuid('admission_id'),
    changedById: uuid('changed_by_id'),
    changedByName: text('changed_by_name').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('bed_status_changes_bed_idx').on(t.bedId, t.changedAt)],
);

/**
 * A request to admit: from an OPD consultation, from emergency (a patient waiting for a bed), or planned
 * (elective surgery next Tuesday). The admitting desk works this queue; a request can hold a reservation.
 */
export const admissionRequests = ipdSchema.table(
  'admission_requests',
  {
    id: idColumn(),
    facilityId: facilityId(),
    patientId: uuid('patient_id').notNull(),
    source: text('source').notNull(),
    sourceEncounterId: uuid('source_encounter_id'),
    priority: text('priority').notNull().default('routine'),
    wardKind: text('ward_kind'),
    bedCategoryId: uuid('bed_category_id').references(() => bedCategories.id),
    departmentId: uuid('department_id'),
    practitionerId: uuid('practitioner_id'),
    practitionerName: text('practitioner_name'),
    reason: text('reason').notNull(),
    plannedFor: date('planned_for'),
    status: text('status').notNull().default('waiting'),
    statusReason: text('status_reason'),
    admissionId: uuid('admission_id'),
    requestedById: uuid('requested_by_id'),
    requestedByName: text('requested_by_name').notNull(),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    index('admission_requests_queue_idx').on(t.facilityId, t.status, t.createdAt),
    index('admission_requests_patient_idx').on(t.patientId),
    check('admission_requests_source_ck', sql`${t.source} in ('opd', 'emergency', 'planned', 'direct')`),
    check('admission_requests_priority_ck', sql`${t.priority} in ('routine', 'urgent', 'emergency')`),
    check(
      'admission_requests_status_ck',
      sql`${t.status} in ('waiting', 'reserved', 'admitted', 'cancelled')`,
    ),
  ],
);

/**
 * A bed held for someone from a time until a time (a planned admission, a patient waiting in emergency).
 * Active reservations of one bed never overlap (exclusion constraint in migration 0010).
 */
export const bedReservations = ipdSchema.table(
  'bed_reservations',
  {
    id: idColumn(),
    facilityId: facilityId(),
    bedId: uuid('bed_id')
      .notNull()
      .references(() => beds.id),
    patientId: uuid('patient_id').notNull(),
    requestId: uuid('request_id').references(() => admissionRequests.id),
    fromAt: timestamp('from_at', { withTimezone: true }).notNull(),
    untilAt: timestamp('until_at', { withTimezone: true }).notNull(),
    status: text('status').notNull().default('active'),
    reason: text('reason'),
    admissionId: uuid('admission_id'),
    reservedById: uuid('reserved_by_id'),
    reservedByName: text('reserved_by_name').notNull(),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    index('bed_reservations_bed_idx').on(t.bedId, t.status),
    check('bed_reservations_status_ck', sql`${t.status} in ('active', 'used', 'released', 'expired')`),
    check('bed_reservations_range_ck', sql`${t.fromAt} < ${t.untilAt}`),
  ],
);

/**
 * An in-patient stay. The clinical side (vitals, notes, diagnoses, orders, the discharge summary) is the
 * inpatient encounter in `encounters`; this row is the administrative side: who admitted, why, who pays,
 * the bed history (bed_occupancies) and the discharge. One open admission per patient (partial unique index).
 */
export const admissions = ipdSchema.table(
  'admissions',
  {
    id: idColumn(),
    facilityId: facilityId(),
    admissionNumber: text('admission_number').notNull(),
    patientId: uuid('patient_id').notNull(),
    encounterId: uuid('encounter_id').notNull(),
    requestId: uuid('request_id').references(() => admissionRequests.id),
    source: text('source').notNull(),
    sourceEncounterId: uuid('source_encounter_id'),
    admittingPractitionerId: uuid('admitting_practitioner_id'),
    admittingPractitionerName: text('admitting_practitioner_name').notNull(),
    attendingPractitionerId: uuid('attending_practitioner_id'),
    attendingPractitionerName: text('attending_practitioner_name').notNull(),
    departmentId: uuid('department_id'),
    reason: text('reason').notNull(),
    provisionalDiagnosis: text('provisional_diagnosis'),
    provisionalDiagnosisCode: text('provisional_diagnosis_code'),
    expectedLengthOfStayDays: smallint('expected_length_of_stay_days'),
    expectedDischargeDate: date('expected_discharge_date'),
    /** { name, relationship, phone } of the attendant staying with the patient. */
    attendant: jsonb('attendant'),
    /** { signedBy, relationship?, recordedById, recordedByName, recordedAt } of the admission consent. */
    consent: jsonb('consent'),
    payerCategory: text('payer_category').notNull(),
    /** Insurer / corporate / scheme name and member or authorization numbers; billing reads it. */
    payerDetails: jsonb('payer_details'),
    status: text('status').notNull().default('admitted'),
    admittedAt: timestamp('admitted_at', { withTimezone: true }).notNull(),
    admittedById: uuid('admitted_by_id'),
    admittedByName: text('admitted_by_name').notNull(),
    dischargeInitiatedAt: timestamp('discharge_initiated_at', { withTimezone: true }),
    dischargeType: text('discharge_type'),
    dischargedAt: timestamp('discharged_at', { withTimezone: true }),
    dischargedById: uuid('discharged_by_id'),
    dischargedByName: text('discharged_by_name'),
    /** For a death: time and cause (the medical records module certifies from these). */
    deathAt: timestamp('death_at', { withTimezone: true }),
    deathCause: text('death_cause'),
    /** For a transfer out: where to. */
    transferredTo: text('transferred_to'),
    cancelledReason: text('cancelled_reason'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('admissions_number_uq').on(t.facilityId, t.admissionNumber),
    uniqueIndex('admissions_encounter_uq').on(t.encounterId),
    uniqueIndex('admissions_open_patient_uq')
      .on(t.patientId)
      .where(sql`${t.status} in ('admitted', 'discharge-initiated')`),
    index('admissions_facility_status_idx').on(t.facilityId, t.status),
    index('admissions_expected_discharge_idx').on(t.facilityId, t.expectedDischargeDate),
    check('admissions_source_ck', sql`${t.source} in ('opd', 'emergency', 'planned', 'direct')`),
    check(
      'admissions_payer_ck',
      sql`${t.payerCategory} in ('cash', 'insurance', 'corporate', 'government-scheme')`,
    ),
    check(
      'admissions_status_ck',
      sql`${t.status} in ('admitted', 'discharge-initiated', 'discharged', 'cancelled')`,
    ),
    check(
      'admissions_discharge_type_ck',
      sql`${t.dischargeType} is null or ${t.dischargeType} in ('normal', 'against-medical-advice', 'absconded', 'transferred', 'death')`,
    ),
    check(
      'admissions_discharged_ck',
      sql`${t.status} <> 'discharged' or (${t.dischargedAt} is not null and ${t.dischargeType} is not null)`,
    ),
    check(
      'admissions_death_ck',
      sql`${t.dischargeType} is distinct from 'death' or (${t.deathAt} is not null and ${t.deathCause} is not null)`,
    ),
  ],
);

/**
 * Who was in which bed, from when until when: the bed history of an admission (billing charges bed days
 * from it) and of a bed. ended_at null = still there. Migration 0010 adds the exclusion constraints: one
 * patient per bed at any moment, one bed per admission at any moment.
 */
export const bedOccupancies = ipdSchema.table(
  'bed_occupancies',
  {
    id: idColumn(),
    admissionId: uuid('admission_id')
      .notNull()
      .references(() => admissions.id),
    patientId: uuid('patient_id').notNull(),
    bedId: uuid('bed_id')
      .notNull()
      .references(() => beds.id),
    wardId: uuid('ward_id')
      .notNull()
      .references(() => wards.id),
    /** The tariff class at the time (a later change of the bed's category does not rewrite history). */
    tariffClass: text('tariff_class').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    startReason: text('start_reason').notNull(),
    endReason: text('end_reason'),
    note: text('note'),
    movedById: uuid('moved_by_id'),
    movedByName: text('moved_by_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('bed_occupancies_admission_idx').on(t.admissionId, t.startedAt),
    index('bed_occupancies_open_idx').on(t.bedId).where(sql`${t.endedAt} is null`),
    check('bed_occupancies_range_ck', sql`${t.endedAt} is null or ${t.startedAt} < ${t.endedAt}`),
    check('bed_occupancies_start_ck', sql`${t.startReason} in ('admission', 'transfer')`),
    check(
      'bed_occupancies_end_ck',
      sql`${t.endReason} is null or ${t.endReason} in ('transfer', 'discharge', 'cancelled')`,
    ),
  ],
);

/**
 * The discharge checklist of an admission. Items come from the facility's configured list when the
 * discharge is initiated, and from any module's `discharge-clearance.held` event (billing: the bill is not
 * settled); an item is cleared by its `released` event or by a person with the right permission. The
 * discharge completes only when no item is pending.
 */
export const dischargeClearances = ipdSchema.table(
  'discharge_clearances',
  {
    id: idColumn(),
    admissionId: uuid('admission_id')
      .notNull()
      .references(() => admissions.id),
    item: text('item').notNull(),
    label: text('label').notNull(),
    /** Who holds it: a module name ('billing') or 'ipd' for the configured manual items. */
    heldBy: text('held_by').notNull(),
    status: text('status').notNull().default('pending'),
    detail: text('detail'),
    clearedAt: timestamp('cleared_at', { withTimezone: true }),
    clearedById: uuid('cleared_by_id'),
    clearedByName: text('cleared_by_name'),
    clearNote: text('clear_note'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('discharge_clearances_item_uq').on(t.admissionId, t.item),
    check('discharge_clearances_status_ck', sql`${t.status} in ('pending', 'cleared', 'waived')`),
  ],
);

/** The manual clearance items of a facility (e.g. nursing, pharmacy returns), asked for on every discharge. */
export const clearanceItems = ipdSchema.table(
  'clearance_items',
  {
    id: idColumn(),
    facilityId: facilityId(),
    item: text('item').notNull(),
    label: text('label').notNull(),
    /** The permission that may clear it (default ipd:discharge). */
    permission: text('permission'),
    sortOrder: integer('sort_order').notNull().default(0),
    active: boolean('active').notNull().default(true),
    ...timestamps(),
  },
  (t) => [uniqueIndex('clearance_items_uq').on(t.facilityId, t.item)],
);

/**
 * NEWS2 (Royal College of Physicians, 2017) of one set of vitals of an in-patient: the score, the
 * parameter scores, the clinical risk, and the escalation it triggered until someone responded.
 */
export const earlyWarningScores = ipdSchema.table(
  'early_warning_scores',
  {
    id: idColumn(),
    admissionId: uuid('admission_id')
      .notNull()
      .references(() => admissions.id),
    patientId: uuid('patient_id').notNull(),
    /** The encounters.observations group of the vitals set it was computed from. */
    observationGroupId: uuid('observation_group_id').notNull(),
    score: smallint('score').notNull(),
    risk: text('risk').notNull(),
    /** { respiratoryRate: 2, spo2: 0, ... } and which SpO2 scale was used. */
    parameters: jsonb('parameters').notNull(),
    /** Which parameters were missing (a partial set gives a partial score, flagged as such). */
    missing: text('missing').array().notNull(),
    effectiveAt: timestamp('effective_at', { withTimezone: true }).notNull(),
    escalation: text('escalation').notNull().default('none'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedById: uuid('acknowledged_by_id'),
    acknowledgedByName: text('acknowledged_by_name'),
    response: text('response'),
    ...recordedBy(),
  },
  (t) => [
    uniqueIndex('early_warning_scores_group_uq').on(t.observationGroupId),
    index('early_warning_scores_admission_idx').on(t.admissionId, t.effectiveAt),
    index('early_warning_scores_open_idx').on(t.admissionId).where(sql`${t.escalation} = 'alerted'`),
    check('early_warning_scores_risk_ck', sql`${t.risk} in ('low', 'low-medium', 'medium', 'high')`),
    check('early_warning_scores_escalation_ck', sql`${t.escalation} in ('none', 'alerted', 'acknowledged')`),
  ],
);

/** Intake and output chart entries (ml). Corrections mark the entry entered-in-error; nothing is deleted. */
export const intakeOutput = ipdSchema.table(
  'intake_output',
  {
    id: idColumn(),
    admissionId: uuid('admission_id')
      .notNull()
      .references(() => admissions.id),
    patientId: uuid('patient_id').notNull(),
    direction: text('direction').notNull(),
    route: text('route').notNull(),
    volumeMl: integer('volume_ml').notNull(),
    note: text('note'),
    effectiveAt: timestamp('effective_at', { withTimezone: true }).notNull(),
    status: text('status').notNull().default('final'),
    errorReason: text('error_reason'),
    ...recordedBy(),
  },
  (t) => [
    index('intake_output_admission_idx').on(t.admissionId, t.effectiveAt),
    check('intake_output_direction_ck', sql`${t.direction} in ('intake', 'output')`),
    check('intake_output_volume_ck', sql`${t.volumeMl} >= 0 and ${t.volumeMl} <= 20000`),
    check('intake_output_status_ck', sql`${t.status} in ('final', 'entered-in-error')`),
  ],
);

/**
 * Nursing notes, and shift handover notes (SBAR: situation, background, assessment, recommendation).
 * Nurses' own record; the doctor's progress notes are clinical notes in `encounters`.
 */
export const nursingNotes = ipdSchema.table(
  'nursing_notes',
  {
    id: idColumn(),
    admissionId: uuid('admission_id')
      .notNull()
      .references(() => admissions.id),
    patientId: uuid('patient_id').notNull(),
    kind: text('kind').notNull(),
    shift: text('shift'),
    body: jsonb('body').notNull(),
    effectiveAt: timestamp('effective_at', { withTimezone: true }).notNull(),
    status: text('status').notNull().default('final'),
    errorReason: text('error_reason'),
    ...recordedBy(),
  },
  (t) => [
    index('nursing_notes_admission_idx').on(t.admissionId, t.effectiveAt),
    check('nursing_notes_kind_ck', sql`${t.kind} in ('note', 'handover')`),
    check('nursing_notes_shift_ck', sql`${t.shift} is null or ${t.shift} in ('morning', 'evening', 'night')`),
    check('nursing_notes_status_ck', sql`${t.status} in ('final', 'entered-in-error')`),
  ],
);

/** The nursing care plan: one row per problem (nursing diagnosis) with goal, interventions and evaluation. */
export const carePlanItems = ipdSchema.table(
  'care_plan_items',
  {
    id: idColumn(),
    admissionId: uuid('admission_id')
      .notNull()
      .references(() => admissions.id),
    patientId: uuid('patient_id').notNull(),
    problem: text('problem').notNull(),
    goal: text('goal').notNull(),
    interventions: text('interventions').array().notNull(),
    evaluation: text('evaluation'),
    status: text('status').notNull().default('active'),
    ...recordedBy(),
    version: versionColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('care_plan_items_admission_idx').on(t.admissionId),
    check('care_plan_items_status_ck', sql`${t.status} in ('active', 'resolved', 'entered-in-error')`),
  ],
);

/** Pending work on the ward (turn the patient, a dressing, vitals due): the nursing station's task list. */
export const nursingTasks = ipdSchema.table(
  'nursing_tasks',
  {
    id: idColumn(),
    admissionId: uuid('admission_id')
      .notNull()
      .references(() => admissions.id),
    patientId: uuid('patient_id').notNull(),
    wardId: uuid('ward_id')
      .notNull()
      .references(() => wards.id),
    kind: text('kind').notNull(),
    description: text('description').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    status: text('status').notNull().default('pending'),
    doneAt: timestamp('done_at', { withTimezone: true }),
    doneById: uuid('done_by_id'),
    doneByName: text('done_by_name'),
    outcome: text('outcome'),
    /** Tasks made by the system (a NEWS2 escalation, vitals due) carry their source so they are made once. */
    sourceKey: text('source_key'),
    ...recordedBy(),
    version: versionColumn(),
  },
  (t) => [
    index('nursing_tasks_ward_idx').on(t.wardId, t.status, t.dueAt),
    index('nursing_tasks_admission_idx').on(t.admissionId),
    uniqueIndex('nursing_tasks_source_uq').on(t.sourceKey),
    check('nursing_tasks_status_ck', sql`${t.status} in ('pending', 'done', 'cancelled')`),
  ],
);
