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

// Radiology owns its catalog (procedures and report templates: loaded from catalog/*.csv, replaceable by a
// hospital), the modality rooms of each facility, and the clinical trail of every study: the order (one per
// encounter order, or a walk-in) with its accession number from the start, its room bookings (never two at
// once in a room: an exclusion constraint in the migration), the safety checklist, the DICOM study, the
// report (frozen by a trigger once signed) and its addenda (append-only), and the critical-finding alerts.
// Nothing clinical is deleted (migration triggers).

export const radiologySchema = pgSchema('radiology');

const facilityId = () => uuid('facility_id').notNull().references(facilityIdColumn);
const measurement = (name: string) => numeric(name, { precision: 14, scale: 3, mode: 'number' });

/** A report skeleton per modality and body part (or a single procedure): technique, findings, impression. */
export const reportTemplates = radiologySchema.table('report_templates', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  modality: text('modality').notNull(),
  technique: text('technique').notNull(),
  findings: text('findings').notNull(),
  impression: text('impression').notNull(),
  source: text('source').notNull(),
  licence: text('licence').notNull(),
  ...timestamps(),
});

export const procedures = radiologySchema.table(
  'procedures',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    modality: text('modality').notNull(),
    bodyPart: text('body_part').notNull(),
    lateralityRequired: boolean('laterality_required').notNull(),
    contrast: text('contrast').notNull(),
    contrastRoute: text('contrast_route'),
    durationMinutes: integer('duration_minutes').notNull(),
    preparation: text('preparation'),
    loincCode: text('loinc_code'),
    radlexCode: text('radlex_code'),
    templateCode: text('template_code')
      .notNull()
      .references(() => reportTemplates.code),
    active: boolean('active').notNull().default(true),
    source: text('source').notNull(),
    licence: text('licence').notNull(),
    ...timestamps(),
  },
  (t) => [
    index('procedures_modality_idx').on(t.modality),
    index('procedures_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
    check('procedures_modality_ck', sql`${t.modality} in ('XR', 'CT', 'MR', 'US', 'MG', 'RF')`),
    check('procedures_contrast_ck', sql`${t.contrast} in ('none', 'optional', 'required')`),
    check(
      'procedures_contrast_route_ck',
      sql`(${t.contrast} = 'none') = (${t.contrastRoute} is null) and (${t.contrastRoute} is null or ${t.contrastRoute} in ('iv', 'oral', 'intracavitary'))`,
    ),
    check('procedures_duration_ck', sql`${t.durationMinutes} between 1 and 480`),
  ],
);

/** A modality room (X-ray room 1, CT, MRI, USG 2) of a facility, with its working hours. */
export const rooms = radiologySchema.table(
  'rooms',
  {
    id: idColumn(),
    facilityId: facilityId(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    modality: text('modality').notNull(),
    /** HH:MM in the facility's time zone; both null: open around the clock. */
    opensAt: text('opens_at'),
    closesAt: text('closes_at'),
    aeTitle: text('ae_title'),
    active: boolean('active').notNull().default(true),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('rooms_code_uq').on(t.facilityId, t.code),
    check('rooms_modality_ck', sql`${t.modality} in ('XR', 'CT', 'MR', 'US', 'MG', 'RF')`),
    check(
      'rooms_hours_ck',
      sql`(${t.opensAt} is null) = (${t.closesAt} is null) and (${t.opensAt} is null or ${t.opensAt} < ${t.closesAt})`,
    ),
  ],
);

/**
 * One imaging study asked for: from an encounter order (`order_id` unique, so a redelivered event never makes a
 * second one) or a walk-in. It carries its accession number from the start (`R` + YYMMDD + a daily sequence,
 * unique per facility), walks ordered -> scheduled -> arrived -> in-progress -> completed (or cancelled before
 * the start) with who and when of each step, and ends with the DICOM Study Instance UID (unique).
 */
export const orders = radiologySchema.table(
  'orders',
  {
    id: idColumn(),
    facilityId: facilityId(),
    patientId: uuid('patient_id').notNull(),
    encounterId: uuid('encounter_id'),
    admissionId: uuid('admission_id'),
    orderId: uuid('order_id'),
    setting: text('setting').notNull(),
    accession: text('accession').notNull(),
    procedureCode: text('procedure_code')
      .notNull()
      .references(() => procedures.code),
    procedureName: text('procedure_name').notNull(),
    modality: text('modality').notNull(),
    bodyPart: text('body_part').notNull(),
    laterality: text('laterality'),
    contrast: text('contrast').notNull(),
    priority: text('priority').notNull(),
    clinicalIndication: text('clinical_indication'),
    note: text('note'),
    status: text('status').notNull().default('ordered'),
    orderedById: uuid('ordered_by_id'),
    orderedByName: text('ordered_by_name'),
    orderedAt: timestamp('ordered_at', { withTimezone: true }).notNull(),
    /** The safety checklist as last recorded (RadChecklist). */
    checklist: jsonb('checklist'),
    checklistById: uuid('checklist_by_id'),
    checklistByName: text('checklist_by_name'),
    checklistAt: timestamp('checklist_at', { withTimezone: true }),
    arrivedAt: timestamp('arrived_at', { withTimezone: true }),
    arrivedById: uuid('arrived_by_id'),
    arrivedByName: text('arrived_by_name'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    startedById: uuid('started_by_id'),
    startedByName: text('started_by_name'),
    /** The room the study was done in (the booking's, when there was one). */
    performedRoomId: uuid('performed_room_id').references(() => rooms.id),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    completedById: uuid('completed_by_id'),
    completedByName: text('completed_by_name'),
    completionNote: text('completion_note'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelledById: uuid('cancelled_by_id'),
    cancelledByName: text('cancelled_by_name'),
    cancelReason: text('cancel_reason'),
    studyInstanceUid: text('study_instance_uid'),
    numberOfImages: integer('number_of_images'),
    dlpMGyCm: measurement('dlp_mgy_cm'),
    ctdiVolMGy: measurement('ctdivol_mgy'),
    dapGyCm2: measurement('dap_gy_cm2'),
    fluoroscopySeconds: measurement('fluoroscopy_seconds'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('orders_order_uq').on(t.orderId),
    uniqueIndex('orders_accession_uq').on(t.facilityId, t.accession),
    uniqueIndex('orders_study_uid_uq').on(t.studyInstanceUid),
    index('orders_patient_idx').on(t.patientId, t.orderedAt),
    index('orders_encounter_idx').on(t.encounterId),
    index('orders_queue_idx').on(t.facilityId, t.status, t.orderedAt),
    check('orders_setting_ck', sql`${t.setting} in ('opd', 'ipd', 'emergency', 'walk-in')`),
    check('orders_priority_ck', sql`${t.priority} in ('routine', 'urgent', 'stat')`),
    check(
      'orders_laterality_ck',
      sql`${t.laterality} is null or ${t.laterality} in ('left', 'right', 'bilateral')`,
    ),
    check(
      'orders_status_ck',
      sql`${t.status} in ('ordered', 'scheduled', 'arrived', 'in-progress', 'completed', 'cancelled')`,
    ),
    check(
      'orders_arrived_ck',
      sql`${t.status} not in ('arrived', 'in-progress', 'completed') or ${t.arrivedAt} is not null`,
    ),
    check(
      'orders_started_ck',
      sql`${t.status} not in ('in-progress', 'completed') or ${t.startedAt} is not null`,
    ),
    check(
      'orders_completed_ck',
      sql`(${t.status} = 'completed') = (${t.completedAt} is not null and ${t.studyInstanceUid} is not null)`,
    ),
    check(
      'orders_cancelled_ck',
      sql`(${t.status} = 'cancelled') = (${t.cancelledAt} is not null and ${t.cancelReason} is not null)`,
    ),
    // DICOM PS3.5 9.1: at most 64 characters, numeric components without leading zeros.
    check(
      'orders_study_uid_ck',
      sql`${t.studyInstanceUid} is null or (length(${t.studyInstanceUid}) <= 64 and ${t.studyInstanceUid} ~ '^(0|[1-9][0-9]*)([.](0|[1-9][0-9]*))+$')`,
    ),
  ],
);

/**
 * A slot of a room for an order. Active bookings of one room never overlap (EXCLUDE USING gist in the
 * migration); an order has at most one active booking. A reschedule ends the booking ('moved') and makes a new
 * one in the same transaction; a cancellation keeps the row ('cancelled').
 */
export const bookings = radiologySchema.table(
  'bookings',
  {
    id: idColumn(),
    facilityId: facilityId(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    status: text('status').notNull().default('active'),
    bookedById: uuid('booked_by_id'),
    bookedByName: text('booked_by_name'),
    bookedAt: timestamp('booked_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedById: uuid('ended_by_id'),
    endedByName: text('ended_by_name'),
    endReason: text('end_reason'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('bookings_one_active_per_order_uq').on(t.orderId).where(sql`${t.status} = 'active'`),
    index('bookings_room_idx').on(t.roomId, t.startsAt),
    index('bookings_order_idx').on(t.orderId),
    check('bookings_status_ck', sql`${t.status} in ('active', 'moved', 'cancelled')`),
    check('bookings_period_ck', sql`${t.endsAt} > ${t.startsAt}`),
    check('bookings_ended_ck', sql`(${t.status} = 'active') = (${t.endedAt} is null)`),
  ],
);

/**
 * The radiologist's report of a study: a draft opened from the template, saved with a version, signed off
 * (final: who and when), then frozen (a trigger refuses any change of its text or signature); an addendum
 * after that makes it amended. A critical finding flagged at sign-off is kept with it.
 */
export const reports = radiologySchema.table(
  'reports',
  {
    id: idColumn(),
    facilityId: facilityId(),
    radiologyOrderId: uuid('radiology_order_id')
      .notNull()
      .references(() => orders.id),
    patientId: uuid('patient_id').notNull(),
    status: text('status').notNull().default('draft'),
    templateCode: text('template_code').notNull(),
    technique: text('technique').notNull().default(''),
    comparison: text('comparison').notNull().default(''),
    findings: text('findings').notNull().default(''),
    impression: text('impression').notNull().default(''),
    createdById: uuid('created_by_id'),
    createdByName: text('created_by_name'),
    updatedById: uuid('updated_by_id'),
    updatedByName: text('updated_by_name'),
    signedById: uuid('signed_by_id'),
    signedByName: text('signed_by_name'),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    criticalFinding: text('critical_finding'),
    criticalCategory: text('critical_category'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('reports_order_uq').on(t.radiologyOrderId),
    index('reports_patient_idx').on(t.patientId),
    index('reports_status_idx').on(t.facilityId, t.status),
    check('reports_status_ck', sql`${t.status} in ('draft', 'final', 'amended')`),
    check(
      'reports_signed_ck',
      sql`(${t.status} = 'draft') = (${t.signedAt} is null) and (${t.signedAt} is null) = (${t.signedByName} is null)`,
    ),
    check(
      'reports_critical_ck',
      sql`(${t.criticalFinding} is null) = (${t.criticalCategory} is null) and (${t.criticalCategory} is null or ${t.criticalCategory} in ('immediate', 'urgent', 'significant-unexpected'))`,
    ),
  ],
);

/** Text added to a signed report, with the reason, who and when. Append-only (trigger). */
export const reportAddenda = radiologySchema.table(
  'report_addenda',
  {
    id: idColumn(),
    reportId: uuid('report_id')
      .notNull()
      .references(() => reports.id),
    text: text('text').notNull(),
    reason: text('reason').notNull(),
    addedById: uuid('added_by_id'),
    addedByName: text('added_by_name').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('report_addenda_report_idx').on(t.reportId, t.addedAt)],
);

/**
 * A critical finding called through to the ordering doctor: one per report (unique), acknowledged with a
 * read-back, escalated a level each time the acknowledgement limit passes (up to 3). Updated only to
 * acknowledge or escalate; never deleted (migration trigger).
 */
export const criticalAlerts = radiologySchema.table(
  'critical_alerts',
  {
    id: idColumn(),
    facilityId: facilityId(),
    reportId: uuid('report_id')
      .notNull()
      .references(() => reports.id),
    radiologyOrderId: uuid('radiology_order_id')
      .notNull()
      .references(() => orders.id),
    patientId: uuid('patient_id').notNull(),
    encounterId: uuid('encounter_id'),
    accession: text('accession').notNull(),
    procedureCode: text('procedure_code').notNull(),
    procedureName: text('procedure_name').notNull(),
    finding: text('finding').notNull(),
    category: text('category').notNull(),
    orderingUserId: uuid('ordering_user_id'),
    orderingUserName: text('ordering_user_name'),
    reportedById: uuid('reported_by_id'),
    reportedByName: text('reported_by_name'),
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
    uniqueIndex('critical_alerts_report_uq').on(t.reportId),
    index('critical_alerts_open_idx').on(t.facilityId, t.notifiedAt).where(sql`${t.acknowledgedAt} is null`),
    index('critical_alerts_ordering_idx').on(t.orderingUserId, t.notifiedAt),
    check(
      'critical_alerts_category_ck',
      sql`${t.category} in ('immediate', 'urgent', 'significant-unexpected')`,
    ),
    check('critical_alerts_level_ck', sql`${t.escalationLevel} between 0 and 3`),
    check('critical_alerts_escalated_ck', sql`(${t.escalationLevel} = 0) = (${t.escalatedAt} is null)`),
    check(
      'critical_alerts_ack_ck',
      sql`(${t.acknowledgedAt} is null) = (${t.readBack} is null) and (${t.acknowledgedAt} is null) = (${t.acknowledgedByName} is null)`,
    ),
  ],
);

/**
 * An encounter order that names no procedure of the catalog: kept (one per order, whatever the
 * redeliveries) so that the department's staff call the ordering doctor, and published so that the encounter
 * shows the order as not matched. Open until the doctor cancels the order or the staff close it with a note.
 */
export const unmatchedOrders = unmatchedOrdersTable(radiologySchema);
