import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../platform/db/columns';
import { facilityIdColumn } from '../../platform/organization/references';
import { batches, formularyItems, pharmacySchema } from './pharmacy.tables';

// E-prescriptions and the medication administration record. A prescription belongs to an encounter (an OPD
// visit or an in-patient stay); its items are structured (dose, route, frequency, duration) so that the
// checker, the pharmacy and the nurses read the same order. The alerts the checker raised when it was
// signed are kept with the reasons the doctor gave to override them; the pharmacist sees both. An in-patient
// item produces a schedule of doses; nurses record each as given, held, refused or missed. Nothing here is
// deleted: items are stopped, prescriptions cancelled, a dose recorded wrongly is corrected by a new record.

const facilityId = () => uuid('facility_id').notNull().references(facilityIdColumn);

export const prescriptions = pharmacySchema.table(
  'prescriptions',
  {
    id: idColumn(),
    facilityId: facilityId(),
    number: text('number').notNull(),
    patientId: uuid('patient_id').notNull(),
    encounterId: uuid('encounter_id').notNull(),
    /** The stay, for an in-patient prescription (its items are medication orders with a MAR schedule). */
    admissionId: uuid('admission_id'),
    setting: text('setting').notNull(),
    status: text('status').notNull().default('active'),
    prescriberId: uuid('prescriber_id'),
    prescriberName: text('prescriber_name').notNull(),
    /** What the PDF prints under the name: qualifications and council registration (from the OPD profile). */
    prescriberQualification: text('prescriber_qualification'),
    prescriberRegistration: text('prescriber_registration'),
    notes: text('notes'),
    /** The patient's allergy record when it was written: 'not-recorded' is shown as a warning. */
    allergyState: text('allergy_state').notNull(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelReason: text('cancel_reason'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('prescriptions_number_uq').on(t.facilityId, t.number),
    index('prescriptions_patient_idx').on(t.patientId, t.createdAt),
    index('prescriptions_encounter_idx').on(t.encounterId),
    index('prescriptions_queue_idx')
      .on(t.facilityId, t.setting, t.createdAt)
      .where(sql`${t.status} = 'active'`),
    check('prescriptions_setting_ck', sql`${t.setting} in ('outpatient', 'inpatient')`),
    check('prescriptions_status_ck', sql`${t.status} in ('active', 'completed', 'cancelled')`),
    check('prescriptions_inpatient_ck', sql`(${t.setting} = 'inpatient') = (${t.admissionId} is not null)`),
  ],
);

export const prescriptionItems = pharmacySchema.table(
  'prescription_items',
  {
    prescriptionId: uuid('prescription_id')
      .notNull()
      .references(() => prescriptions.id),
    lineNo: integer('line_no').notNull(),
    formularyItemId: uuid('formulary_item_id')
      .notNull()
      .references(() => formularyItems.id),
    brandId: uuid('brand_id'),
    ingredients: text('ingredients').array().notNull(),
    doseAmount: numeric('dose_amount', { precision: 12, scale: 3, mode: 'number' }).notNull(),
    doseUnit: text('dose_unit').notNull(),
    route: text('route').notNull(),
    /** OD, BD, TDS, QID, HS, SOS (as needed), STAT (once), CUSTOM (the times given). */
    frequency: text('frequency').notNull(),
    times: text('times').array().notNull(),
    prnIndication: text('prn_indication'),
    maxDosesPerDay: integer('max_doses_per_day'),
    durationDays: integer('duration_days').notNull(),
    startDate: date('start_date').notNull(),
    /** Units of issue to hand over (tablets, bottles), computed or given by the prescriber. */
    quantity: integer('quantity').notNull(),
    dispensed: integer('dispensed').notNull().default(0),
    instructions: text('instructions').notNull(),
    note: text('note'),
    status: text('status').notNull().default('active'),
    stoppedAt: timestamp('stopped_at', { withTimezone: true }),
    stopReason: text('stop_reason'),
    stoppedByName: text('stopped_by_name'),
  },
  (t) => [
    primaryKey({ columns: [t.prescriptionId, t.lineNo] }),
    index('prescription_items_item_idx').on(t.formularyItemId),
    check('prescription_items_dose_ck', sql`${t.doseAmount} > 0`),
    check(
      'prescription_items_frequency_ck',
      sql`${t.frequency} in ('OD', 'BD', 'TDS', 'QID', 'HS', 'SOS', 'STAT', 'CUSTOM')`,
    ),
    check('prescription_items_duration_ck', sql`${t.durationDays} between 1 and 365`),
    check(
      'prescription_items_quantity_ck',
      sql`${t.quantity} > 0 and ${t.dispensed} >= 0 and ${t.dispensed} <= ${t.quantity}`,
    ),
    check('prescription_items_status_ck', sql`${t.status} in ('active', 'stopped', 'completed')`),
    check('prescription_items_prn_ck', sql`${t.frequency} <> 'SOS' or ${t.prnIndication} is not null`),
  ],
);

/**
 * An alert the checker raised when the prescription was signed. Contraindicated and major ones carry the
 * prescriber's override reason (a prescription with such an alert and no reason is refused).
 */
export const prescriptionAlerts = pharmacySchema.table(
  'prescription_alerts',
  {
    prescriptionId: uuid('prescription_id')
      .notNull()
      .references(() => prescriptions.id),
    alertKey: text('alert_key').notNull(),
    kind: text('kind').notNull(),
    severity: text('severity').notNull(),
    ruleId: text('rule_id').notNull(),
    lineNos: integer('line_nos').array().notNull(),
    message: text('message').notNull(),
    detail: jsonb('detail').notNull(),
    overrideReason: text('override_reason'),
    overriddenByName: text('overridden_by_name'),
    /** The pharmacist who saw the alert before dispensing. */
    acknowledgedByName: text('acknowledged_by_name'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.prescriptionId, t.alertKey] }),
    check(
      'prescription_alerts_override_ck',
      sql`${t.severity} not in ('contraindicated', 'major') or ${t.overrideReason} is not null`,
    ),
  ],
);

/**
 * One scheduled dose of an in-patient medication order (or a PRN dose given), and what the nurse recorded.
 * A dose is recorded once: 'given', 'held', 'refused' or 'missed' with a reason (given needs the wristband
 * and the medicine scanned and matched). A mistaken record is struck out ('entered-in-error', with a reason)
 * and the dose recorded again as a new row.
 */
export const administrations = pharmacySchema.table(
  'administrations',
  {
    id: idColumn(),
    facilityId: facilityId(),
    prescriptionId: uuid('prescription_id')
      .notNull()
      .references(() => prescriptions.id),
    lineNo: integer('line_no').notNull(),
    admissionId: uuid('admission_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    /** Null for a PRN dose given when needed. */
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    status: text('status').notNull().default('due'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }),
    recordedById: uuid('recorded_by_id'),
    recordedByName: text('recorded_by_name'),
    reason: text('reason'),
    prnIndication: text('prn_indication'),
    doseGiven: text('dose_given'),
    wristbandScanned: boolean('wristband_scanned').notNull().default(false),
    medicineScanned: text('medicine_scanned'),
    batchId: uuid('batch_id').references(() => batches.id),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('administrations_scheduled_uq')
      .on(t.prescriptionId, t.lineNo, t.scheduledAt)
      .where(sql`${t.scheduledAt} is not null and ${t.status} <> 'entered-in-error'`),
    index('administrations_admission_idx').on(t.admissionId, t.scheduledAt),
    index('administrations_due_idx').on(t.facilityId, t.scheduledAt).where(sql`${t.status} = 'due'`),
    check(
      'administrations_status_ck',
      sql`${t.status} in ('due', 'given', 'held', 'refused', 'missed', 'cancelled', 'entered-in-error')`,
    ),
    check(
      'administrations_reason_ck',
      sql`${t.status} not in ('held', 'refused', 'missed', 'cancelled', 'entered-in-error') or ${t.reason} is not null`,
    ),
    check(
      'administrations_given_ck',
      sql`${t.status} <> 'given' or (${t.wristbandScanned} and ${t.medicineScanned} is not null and ${t.recordedAt} is not null)`,
    ),
    check('administrations_prn_ck', sql`${t.scheduledAt} is not null or ${t.prnIndication} is not null`),
  ],
);
