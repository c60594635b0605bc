import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  pgSchema,
  smallint,
  text,
  time,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../platform/db/columns';
import { facilityIdColumn } from '../../platform/organization/references';

export const opdSchema = pgSchema('opd');

const facilityId = () => uuid('facility_id').notNull().references(facilityIdColumn);

/** Per-facility OPD settings; a facility without a row uses the defaults in practitioners.service.ts. */
export const opdSettings = opdSchema.table('settings', {
  facilityId: uuid('facility_id').primaryKey().references(facilityIdColumn),
  priorityKinds: text('priority_kinds').array().notNull(),
  elderlyAge: smallint('elderly_age').notNull(),
  bookingWindowDays: smallint('booking_window_days').notNull(),
  version: versionColumn(),
  ...timestamps(),
});

/**
 * A doctor who sees out-patients, linked to a staff user (user_id refers to auth.users by value; the
 * department to org.departments, checked through the organization service).
 */
export const practitioners = opdSchema.table(
  'practitioners',
  {
    id: idColumn(),
    facilityId: facilityId(),
    userId: uuid('user_id').notNull(),
    displayName: text('display_name').notNull(),
    departmentId: uuid('department_id').notNull(),
    specialty: text('specialty').notNull(),
    registrationCouncil: text('registration_council'),
    registrationNumber: text('registration_number'),
    qualifications: text('qualifications').array().notNull(),
    languages: text('languages').array().notNull(),
    firstVisitFee: bigint('first_visit_fee', { mode: 'number' }).notNull(),
    followUpFee: bigint('follow_up_fee', { mode: 'number' }).notNull(),
    followUpWithinDays: smallint('follow_up_within_days').notNull(),
    tokenPrefix: text('token_prefix'),
    active: boolean('active').notNull().default(true),
    /** Sessions and slots exist up to this date (the rolling window); null: never materialized. */
    slotsThrough: date('slots_through'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('practitioners_facility_user_uq').on(t.facilityId, t.userId),
    index('practitioners_facility_department_idx').on(t.facilityId, t.departmentId),
    check('practitioners_fees_ck', sql`${t.firstVisitFee} >= 0 and ${t.followUpFee} >= 0`),
  ],
);

export const rooms = opdSchema.table(
  'rooms',
  {
    id: idColumn(),
    facilityId: facilityId(),
    departmentId: uuid('department_id').notNull(),
    name: text('name').notNull(),
    /** Upper case; the public board's address, unique across the group (the URL names no facility). */
    boardCode: text('board_code').notNull(),
    showInitials: boolean('show_initials').notNull().default(false),
    active: boolean('active').notNull().default(true),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('rooms_board_code_uq').on(t.boardCode),
    uniqueIndex('rooms_facility_name_uq').on(t.facilityId, t.name),
  ],
);

/** A weekly session of a practitioner in a room: every <weekday> from start to end, in the facility's zone. */
export const scheduleTemplates = opdSchema.table(
  'schedule_templates',
  {
    id: idColumn(),
    facilityId: facilityId(),
    practitionerId: uuid('practitioner_id')
      .notNull()
      .references(() => practitioners.id),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id),
    weekday: smallint('weekday').notNull(),
    startTime: time('start_time').notNull(),
    endTime: time('end_time').notNull(),
    slotMinutes: smallint('slot_minutes').notNull(),
    patientsPerSlot: smallint('patients_per_slot').notNull(),
    walkInQuota: smallint('walk_in_quota').notNull().default(0),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    active: boolean('active').notNull().default(true),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    index('schedule_templates_practitioner_idx').on(t.practitionerId),
    check('schedule_templates_weekday_ck', sql`${t.weekday} between 1 and 7`),
    check('schedule_templates_times_ck', sql`${t.endTime} > ${t.startTime}`),
    check(
      'schedule_templates_slot_ck',
      sql`${t.slotMinutes} between 5 and 240 and ${t.patientsPerSlot} >= 1`,
    ),
    check('schedule_templates_validity_ck', sql`${t.validTo} is null or ${t.validTo} >= ${t.validFrom}`),
  ],
);

/** Leave, a holiday (of one practitioner, or the whole facility when practitioner_id is null), an extra session. */
export const scheduleExceptions = opdSchema.table(
  'schedule_exceptions',
  {
    id: idColumn(),
    facilityId: facilityId(),
    practitionerId: uuid('practitioner_id').references(() => practitioners.id),
    kind: text('kind').notNull(),
    dateFrom: date('date_from').notNull(),
    dateTo: date('date_to').notNull(),
    reason: text('reason').notNull(),
    roomId: uuid('room_id').references(() => rooms.id),
    startTime: time('start_time'),
    endTime: time('end_time'),
    slotMinutes: smallint('slot_minutes'),
    patientsPerSlot: smallint('patients_per_slot'),
    walkInQuota: smallint('walk_in_quota'),
    status: text('status').notNull().default('active'),
    createdById: uuid('created_by_id'),
    ...timestamps(),
  },
  (t) => [
    index('schedule_exceptions_facility_dates_idx').on(t.facilityId, t.dateFrom, t.dateTo),
    index('schedule_exceptions_practitioner_idx').on(t.practitionerId, t.dateFrom),
    check('schedule_exceptions_kind_ck', sql`${t.kind} in ('leave', 'holiday', 'extra-session')`),
    check('schedule_exceptions_status_ck', sql`${t.status} in ('active', 'withdrawn')`),
    check('schedule_exceptions_dates_ck', sql`${t.dateTo} >= ${t.dateFrom}`),
    check(
      'schedule_exceptions_extra_ck',
      sql`(${t.kind} = 'extra-session') = (${t.roomId} is not null and ${t.startTime} is not null and ${t.endTime} is not null and ${t.slotMinutes} is not null and ${t.patientsPerSlot} is not null)`,
    ),
  ],
);

/**
 * One concrete session on one day, made from a template or an extra session. 'superseded': replaced after
 * its template changed (a new row exists); 'cancelled': stays cancelled (not made again) until reopened.
 */
export const sessions = opdSchema.table(
  'sessions',
  {
    id: idColumn(),
    facilityId: facilityId(),
    practitionerId: uuid('practitioner_id')
      .notNull()
      .references(() => practitioners.id),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id),
    scheduleId: uuid('schedule_id').references(() => scheduleTemplates.id),
    exceptionId: uuid('exception_id').references(() => scheduleExceptions.id),
    date: date('date').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    slotMinutes: smallint('slot_minutes').notNull(),
    patientsPerSlot: smallint('patients_per_slot').notNull(),
    walkInQuota: smallint('walk_in_quota').notNull(),
    status: text('status').notNull().default('open'),
    cancelReason: text('cancel_reason'),
    /** The leave or holiday that cancelled it: withdrawing that exception reopens the session. */
    cancelledByExceptionId: uuid('cancelled_by_exception_id'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelledById: uuid('cancelled_by_id'),
    ...timestamps(),
  },
  (t) => [
    index('sessions_practitioner_date_idx').on(t.practitionerId, t.date),
    index('sessions_room_date_idx').on(t.roomId, t.date),
    uniqueIndex('sessions_schedule_date_uq')
      .on(t.scheduleId, t.date)
      .where(sql`${t.status} <> 'superseded' and ${t.scheduleId} is not null`),
    uniqueIndex('sessions_exception_date_uq')
      .on(t.exceptionId, t.date)
      .where(sql`${t.status} <> 'superseded' and ${t.exceptionId} is not null`),
    check('sessions_status_ck', sql`${t.status} in ('open', 'cancelled', 'superseded')`),
    check('sessions_source_ck', sql`(${t.scheduleId} is null) <> (${t.exceptionId} is null)`),
    check('sessions_times_ck', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/**
 * A bookable time of a session. `booked` counts the appointments holding it (every status but cancelled),
 * kept by the trigger opd.appointments_hold_capacity (migration 0008); the CHECK makes overbooking impossible
 * whatever the application does.
 */
export const slots = opdSchema.table(
  'slots',
  {
    id: idColumn(),
    facilityId: facilityId(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id),
    practitionerId: uuid('practitioner_id')
      .notNull()
      .references(() => practitioners.id),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id),
    date: date('date').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    capacity: smallint('capacity').notNull(),
    booked: smallint('booked').notNull().default(0),
    status: text('status').notNull().default('open'),
  },
  (t) => [
    uniqueIndex('slots_session_start_uq').on(t.sessionId, t.startsAt),
    index('slots_practitioner_start_idx').on(t.practitionerId, t.startsAt),
    check('slots_capacity_ck', sql`${t.booked} >= 0 and ${t.booked} <= ${t.capacity}`),
    check('slots_status_ck', sql`${t.status} in ('open', 'cancelled')`),
  ],
);

/** An appointment. patient_id refers to patients.patients by value (re-pointed when records merge). */
export const appointments = opdSchema.table(
  'appointments',
  {
    id: idColumn(),
    facilityId: facilityId(),
    patientId: uuid('patient_id').notNull(),
    practitionerId: uuid('practitioner_id')
      .notNull()
      .references(() => practitioners.id),
    slotId: uuid('slot_id')
      .notNull()
      .references(() => slots.id),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id),
    date: date('date').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    status: text('status').notNull().default('booked'),
    source: text('source').notNull(),
    reason: text('reason'),
    feeKind: text('fee_kind').notNull(),
    fee: bigint('fee', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    followUpOfEncounterId: uuid('follow_up_of_encounter_id'),
    cancelReason: text('cancel_reason'),
    cancelledBySession: boolean('cancelled_by_session').notNull().default(false),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    tokenId: uuid('token_id'),
    bookedById: uuid('booked_by_id'),
    arrivedAt: timestamp('arrived_at', { withTimezone: true }),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    index('appointments_practitioner_date_idx').on(t.practitionerId, t.date, t.startsAt),
    index('appointments_facility_date_idx').on(t.facilityId, t.date, t.startsAt),
    index('appointments_patient_idx').on(t.patientId, t.startsAt),
    index('appointments_slot_idx').on(t.slotId),
    index('appointments_session_idx').on(t.sessionId),
    // One active appointment per patient, doctor and day, whatever races the desk and the call centre run.
    uniqueIndex('appointments_patient_practitioner_day_uq')
      .on(t.patientId, t.practitionerId, t.date)
      .where(sql`${t.status} in ('booked', 'arrived')`),
    check(
      'appointments_status_ck',
      sql`${t.status} in ('booked', 'arrived', 'completed', 'cancelled', 'no-show')`,
    ),
    check('appointments_source_ck', sql`${t.source} in ('front-desk', 'call-centre', 'follow-up')`),
    check('appointments_fee_kind_ck', sql`${t.feeKind} in ('first-visit', 'follow-up')`),
  ],
);

/**
 * A queue token: one patient in one practitioner's queue on one day. Numbers come from a counter per
 * practitioner per day (gapless); the unique index keeps them unique whatever happens.
 */
export const tokens = opdSchema.table(
  'tokens',
  {
    id: idColumn(),
    facilityId: facilityId(),
    practitionerId: uuid('practitioner_id')
      .notNull()
      .references(() => practitioners.id),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id),
    date: date('date').notNull(),
    number: integer('number').notNull(),
    label: text('label').notNull(),
    patientId: uuid('patient_id').notNull(),
    appointmentId: uuid('appointment_id').references(() => appointments.id),
    kind: text('kind').notNull(),
    priorities: text('priorities').array().notNull(),
    priorityRank: smallint('priority_rank').notNull(),
    status: text('status').notNull().default('waiting'),
    arrivedAt: timestamp('arrived_at', { withTimezone: true }).notNull(),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull(),
    appointmentAt: timestamp('appointment_at', { withTimezone: true }),
    firstCalledAt: timestamp('first_called_at', { withTimezone: true }),
    calledAt: timestamp('called_at', { withTimezone: true }),
    callCount: smallint('call_count').notNull().default(0),
    consultationStartedAt: timestamp('consultation_started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    skippedAt: timestamp('skipped_at', { withTimezone: true }),
    transferredToTokenId: uuid('transferred_to_token_id'),
    transferredFromTokenId: uuid('transferred_from_token_id'),
    transferReason: text('transfer_reason'),
    encounterId: uuid('encounter_id'),
    feeKind: text('fee_kind').notNull(),
    issuedById: uuid('issued_by_id'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('tokens_practitioner_day_number_uq').on(t.practitionerId, t.date, t.number),
    uniqueIndex('tokens_appointment_uq').on(t.appointmentId),
    // One live token per patient in one doctor's queue on one day.
    uniqueIndex('tokens_patient_practitioner_day_uq')
      .on(t.patientId, t.practitionerId, t.date)
      .where(sql`${t.status} in ('waiting', 'called', 'in-consultation', 'skipped')`),
    index('tokens_queue_idx').on(t.practitionerId, t.date, t.status, t.priorityRank, t.queuedAt),
    index('tokens_room_day_idx').on(t.roomId, t.date, t.status),
    index('tokens_facility_day_idx').on(t.facilityId, t.date),
    index('tokens_session_kind_idx').on(t.sessionId, t.kind),
    index('tokens_patient_practitioner_seen_idx').on(t.patientId, t.practitionerId, t.consultationStartedAt),
    check(
      'tokens_status_ck',
      sql`${t.status} in ('waiting', 'called', 'in-consultation', 'completed', 'skipped', 'transferred')`,
    ),
    check('tokens_kind_ck', sql`${t.kind} in ('appointment', 'walk-in', 'transfer')`),
    check('tokens_priority_rank_ck', sql`${t.priorityRank} between 0 and 2`),
    check('tokens_number_ck', sql`${t.number} >= 1`),
  ],
);
