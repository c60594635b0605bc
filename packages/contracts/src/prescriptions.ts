import { z } from 'zod';
import { IsoDateTime, IsoDay, Text, Uuid } from './common';

// E-prescriptions (module `pharmacy`): structured items, the checker's alerts with override reasons, the
// pharmacist's queue, and the medication administration record (MAR) of in-patients.

const LocalDate = IsoDay;
const Version = z.number().int().min(1);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

export const frequencies = ['OD', 'BD', 'TDS', 'QID', 'HS', 'SOS', 'STAT', 'CUSTOM'] as const;
export const Frequency = z.enum(frequencies);
export type Frequency = z.infer<typeof Frequency>;

export const instructionsList = [
  'after-food',
  'before-food',
  'with-food',
  'empty-stomach',
  'bedtime',
  'as-directed',
] as const;

export const doseUnits = [
  'mg',
  'g',
  'mcg',
  'mL',
  'IU',
  'unit',
  'tablet',
  'capsule',
  'puff',
  'drop',
  'sachet',
  'application',
] as const;

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');

/** A prescription line's fields (the refinements are on PrescriptionItemBody). */
export const PrescriptionLineFields = z.object({
  formularyItemId: Uuid,
  brandId: Uuid.nullable().optional(),
  dose: z.object({ amount: z.number().positive().max(100_000), unit: z.enum(doseUnits) }),
  route: z.string().trim().min(2).max(30),
  frequency: Frequency,
  /** CUSTOM: the times of day; other frequencies use the ward's standard times unless given. */
  times: z.array(ClockTime).max(12).optional(),
  /** SOS (as needed): what for, and the most doses in a day. */
  prnIndication: optionalText(200),
  maxDosesPerDay: z.number().int().min(1).max(24).nullable().optional(),
  durationDays: z.number().int().min(1).max(365),
  startDate: LocalDate.optional(),
  /** Units of issue to hand over; computed from dose, strength and duration when left out. */
  quantity: z.number().int().min(1).max(10_000).optional(),
  instructions: z.enum(instructionsList).default('after-food'),
  note: optionalText(300),
});

export const PrescriptionItemBody = PrescriptionLineFields.refine(
  (v) => v.frequency !== 'SOS' || !!v.prnIndication,
  {
    message: 'an as-needed (SOS) medicine names what it is for',
    path: ['prnIndication'],
  },
).refine((v) => v.frequency !== 'CUSTOM' || (v.times?.length ?? 0) > 0, {
  message: 'custom times need at least one time',
  path: ['times'],
});
export type PrescriptionItemBody = z.input<typeof PrescriptionItemBody>;

export const prescriptionSeverities = ['contraindicated', 'major', 'moderate', 'minor'] as const;
export const prescriptionAlertKinds = ['interaction', 'allergy', 'duplicate-therapy', 'dose-range'] as const;

export const PrescriptionAlert = z
  .object({
    key: z.string(),
    kind: z.enum(prescriptionAlertKinds),
    severity: z.enum(prescriptionSeverities),
    ruleId: z.string(),
    /** Lines of this prescription (1-based) the alert is about. */
    lineNos: z.array(z.number().int()),
    /** Current medicines of the patient it involves (generic names). */
    currentMedicines: z.array(z.string()),
    message: z.string(),
    mechanism: z.string().nullable(),
    management: z.string().nullable(),
    citation: z.string().nullable(),
    requiresOverrideReason: z.boolean(),
    overrideReason: z.string().nullable(),
    overriddenByName: z.string().nullable(),
    acknowledgedByName: z.string().nullable(),
  })
  .meta({ id: 'PrescriptionAlert' });
export type PrescriptionAlert = z.infer<typeof PrescriptionAlert>;

export const PrescriptionCheckBody = z.object({
  encounterId: Uuid,
  items: z.array(PrescriptionItemBody).min(1).max(30),
});

export const PrescriptionCheck = z
  .object({
    alerts: z.array(PrescriptionAlert),
    /** 'not-recorded': nobody asked the patient about allergies; the allergy check could not run. */
    allergyState: z.enum(['not-recorded', 'none-known', 'recorded']),
    weightKg: z.number().nullable(),
    ageYears: z.number().nullable(),
    /** Per item: the computed quantity (units of issue), or null when the prescriber must give it. */
    quantities: z.array(z.number().int().nullable()),
  })
  .meta({ id: 'PrescriptionCheck' });
export type PrescriptionCheck = z.infer<typeof PrescriptionCheck>;

export const PrescriptionBody = z.object({
  encounterId: Uuid,
  items: z.array(PrescriptionItemBody).min(1).max(30),
  /** Reasons for overriding alerts, by alert key (as returned by the check). */
  overrides: z
    .array(z.object({ alertKey: z.string().min(1).max(300), reason: Text(500) }))
    .max(60)
    .default([]),
  notes: optionalText(1000),
});

export const PrescriptionItem = z.object({
  lineNo: z.number().int(),
  formularyItemId: Uuid,
  code: z.string(),
  genericName: z.string(),
  strength: z.string(),
  doseForm: z.string(),
  unitOfIssue: z.string(),
  schedule: z.string(),
  highAlert: z.boolean(),
  brandId: Uuid.nullable(),
  dose: z.object({ amount: z.number(), unit: z.string() }),
  route: z.string(),
  frequency: Frequency,
  times: z.array(z.string()),
  prnIndication: z.string().nullable(),
  maxDosesPerDay: z.number().int().nullable(),
  durationDays: z.number().int(),
  startDate: LocalDate,
  quantity: z.number().int(),
  dispensed: z.number().int(),
  instructions: z.enum(instructionsList),
  note: z.string().nullable(),
  status: z.enum(['active', 'stopped', 'completed']),
  stoppedAt: IsoDateTime.nullable(),
  stopReason: z.string().nullable(),
  /** "1 tablet (500 mg) oral, three times a day after food, for 5 days" */
  sig: z.string(),
});
export type PrescriptionItem = z.infer<typeof PrescriptionItem>;

export const Prescription = z
  .object({
    id: Uuid,
    number: z.string(),
    patientId: Uuid,
    encounterId: Uuid,
    admissionId: Uuid.nullable(),
    setting: z.enum(['outpatient', 'inpatient']),
    status: z.enum(['active', 'completed', 'cancelled']),
    prescriberName: z.string(),
    prescriberQualification: z.string().nullable(),
    prescriberRegistration: z.string().nullable(),
    notes: z.string().nullable(),
    allergyState: z.enum(['not-recorded', 'none-known', 'recorded']),
    createdAt: IsoDateTime,
    cancelReason: z.string().nullable(),
    items: z.array(PrescriptionItem),
    alerts: z.array(PrescriptionAlert),
    version: Version,
  })
  .meta({ id: 'Prescription' });
export type Prescription = z.infer<typeof Prescription>;

/** A favourite line or order set: the lines as the form sends them (no start date or quantity). */
export const FavouriteBody = z.object({
  name: Text(80),
  items: z
    .array(PrescriptionLineFields.omit({ startDate: true, quantity: true }))
    .min(1)
    .max(20),
});

export const Favourite = z
  .object({
    id: Uuid,
    name: z.string(),
    items: z.array(z.record(z.string(), z.unknown())),
    version: Version,
  })
  .meta({ id: 'PrescriptionFavourite' });
export type Favourite = z.infer<typeof Favourite>;

export const PrescriptionLineParams = z.object({ id: Uuid, lineNo: z.coerce.number().int().min(1).max(100) });
export const StopItemBody = z.object({ reason: Text(300) });
export const CancelPrescriptionBody = z.object({ reason: Text(300), version: Version });

export const PrescriptionQueueQuery = z.object({
  setting: z.enum(['outpatient', 'inpatient']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** A prescription waiting at the pharmacy: what is still to hand over, and the alerts to read first. */
export const QueuedPrescription = z
  .object({
    prescription: Prescription,
    patientName: z.string(),
    patientMrn: z.string(),
    outstandingLines: z.number().int(),
    overriddenAlerts: z.number().int(),
  })
  .meta({ id: 'QueuedPrescription' });
export type QueuedPrescription = z.infer<typeof QueuedPrescription>;

export const DispensePrescriptionBody = z.object({
  storeId: Uuid,
  lines: z
    .array(
      z.object({
        lineNo: z.number().int().min(1),
        quantity: z.number().int().min(1).max(10_000),
        /** Dispense another formulary item of the same generic (a brand or pack the store has). */
        substituteFormularyItemId: Uuid.optional(),
        substitutionNote: optionalText(300),
        batchId: Uuid.optional(),
      }),
    )
    .min(1)
    .max(30),
  counsellingNote: optionalText(1000),
  witnessName: optionalText(120),
  /** The pharmacist has read the prescriber's overridden alerts (required when there are any). */
  alertsAcknowledged: z.boolean().default(false),
});

// ---------------------------------------------------------------------------------------------------------
// The medication administration record
// ---------------------------------------------------------------------------------------------------------

export const administrationStatuses = [
  'due',
  'given',
  'held',
  'refused',
  'missed',
  'cancelled',
  'entered-in-error',
] as const;

export const Administration = z
  .object({
    id: Uuid,
    prescriptionId: Uuid,
    lineNo: z.number().int(),
    admissionId: Uuid,
    patientId: Uuid,
    genericName: z.string(),
    strength: z.string(),
    highAlert: z.boolean(),
    sig: z.string(),
    scheduledAt: IsoDateTime.nullable(),
    status: z.enum(administrationStatuses),
    /** Due and more than the grace period past its time. */
    overdue: z.boolean(),
    recordedAt: IsoDateTime.nullable(),
    recordedByName: z.string().nullable(),
    reason: z.string().nullable(),
    prnIndication: z.string().nullable(),
    version: Version,
  })
  .meta({ id: 'Administration' });
export type Administration = z.infer<typeof Administration>;

export const MarQuery = z.object({
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
});

export const MarView = z
  .object({
    admissionId: Uuid,
    patientId: Uuid,
    /** Active in-patient medication orders (PRN ones included). */
    orders: z.array(PrescriptionItem.extend({ prescriptionId: Uuid })),
    doses: z.array(Administration),
  })
  .meta({ id: 'MarView' });
export type MarView = z.infer<typeof MarView>;

export const RecordDoseBody = z
  .object({
    status: z.enum(['given', 'held', 'refused', 'missed']),
    reason: optionalText(300),
    /** What the scanner read from the wristband (the MRN barcode) and from the medicine (item code or brand barcode). */
    wristbandCode: optionalText(60),
    medicineCode: optionalText(60),
    doseGiven: optionalText(60),
    version: Version,
  })
  .refine((v) => v.status === 'given' || !!v.reason, {
    message: 'say why the dose was not given',
    path: ['reason'],
  })
  .refine((v) => v.status !== 'given' || (!!v.wristbandCode && !!v.medicineCode), {
    message: 'scan the wristband and the medicine before giving',
    path: ['wristbandCode'],
  });

export const PrnDoseBody = z.object({
  prescriptionId: Uuid,
  lineNo: z.number().int().min(1),
  prnIndication: Text(200),
  wristbandCode: Text(60),
  medicineCode: Text(60),
  doseGiven: optionalText(60),
});

export const StrikeDoseBody = z.object({ reason: Text(300), version: Version });

export const WardMarQuery = z.object({
  wardId: Uuid.optional(),
  /** Doses due from now to this many hours ahead, and every overdue one. */
  hours: z.coerce.number().int().min(1).max(24).default(4),
});
