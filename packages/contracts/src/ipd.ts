import { z } from 'zod';
import { IsoDateTime, IsoDay, PageQuery, page, Text, Uuid } from './common';
import { PatientSummary } from './patients';

// In-patients: bed categories, wards, rooms and beds; the admission request queue and bed reservations;
// admissions with their bed history, transfers, cancellation; discharge with its clearance checklist.

/** A calendar date YYYY-MM-DD in the facility's time zone. */
const IpdDate = IsoDay;
const Version = z.number().int().min(1);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();
const Code = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9-]{0,19}$/, '1-20 letters, digits or dashes');
const BoolQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

// ---------------------------------------------------------------------------------------------------------
// Value sets
// ---------------------------------------------------------------------------------------------------------

export const wardKinds = [
  'general',
  'semi-private',
  'private',
  'icu',
  'nicu',
  'hdu',
  'isolation',
  'day-care',
] as const;
export const WardKind = z.enum(wardKinds);
export type WardKind = z.infer<typeof WardKind>;

export const genderRestrictions = ['any', 'male', 'female'] as const;
export const GenderRestriction = z.enum(genderRestrictions);

export const bedStatuses = [
  'available',
  'reserved',
  'occupied',
  'cleaning',
  'maintenance',
  'blocked',
] as const;
export const BedStatus = z.enum(bedStatuses);
export type BedStatus = z.infer<typeof BedStatus>;

/** The statuses a person may set by hand (the others follow admissions, reservations and housekeeping). */
export const manualBedStatuses = ['available', 'maintenance', 'blocked'] as const;

export const admissionSources = ['opd', 'emergency', 'planned', 'direct'] as const;
export const AdmissionSource = z.enum(admissionSources);
export type AdmissionSource = z.infer<typeof AdmissionSource>;

export const admissionPriorities = ['routine', 'urgent', 'emergency'] as const;
export const AdmissionPriority = z.enum(admissionPriorities);

export const admissionRequestStatuses = ['waiting', 'reserved', 'admitted', 'cancelled'] as const;
export const AdmissionRequestStatus = z.enum(admissionRequestStatuses);

export const reservationStatuses = ['active', 'used', 'released', 'expired'] as const;
export const ReservationStatus = z.enum(reservationStatuses);

export const payerCategories = ['cash', 'insurance', 'corporate', 'government-scheme'] as const;
export const PayerCategory = z.enum(payerCategories);
export type PayerCategory = z.infer<typeof PayerCategory>;

export const admissionStatuses = ['admitted', 'discharge-initiated', 'discharged', 'cancelled'] as const;
export const AdmissionStatus = z.enum(admissionStatuses);
export type AdmissionStatus = z.infer<typeof AdmissionStatus>;

export const dischargeTypes = [
  'normal',
  'against-medical-advice',
  'absconded',
  'transferred',
  'death',
] as const;
export const DischargeType = z.enum(dischargeTypes);
export type DischargeType = z.infer<typeof DischargeType>;

export const clearanceStatuses = ['pending', 'cleared', 'waived'] as const;
export const ClearanceStatus = z.enum(clearanceStatuses);

// ---------------------------------------------------------------------------------------------------------
// Setup: bed categories, wards, rooms, beds
// ---------------------------------------------------------------------------------------------------------

export const BedCategory = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    code: z.string(),
    name: z.string(),
    /** The key of billing's bed-day rates (general, semi-private, private, icu ...). */
    tariffClass: z.string(),
    intensiveCare: z.boolean(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'BedCategory' });
export type BedCategory = z.infer<typeof BedCategory>;
export const BedCategoryList = z.object({ items: z.array(BedCategory) });
export const BedCategoryBody = z.object({
  code: Code,
  name: Text(80),
  tariffClass: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, '1-40 lower-case letters, digits or dashes'),
  intensiveCare: z.boolean().default(false),
});
export const UpdateBedCategoryBody = BedCategoryBody.partial().extend({
  active: z.boolean().optional(),
  version: Version,
});

export const Ward = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    code: z.string(),
    name: z.string(),
    building: z.string().nullable(),
    floor: z.string().nullable(),
    kind: WardKind,
    departmentId: Uuid.nullable(),
    genderRestriction: GenderRestriction,
    minAgeYears: z.number().int().nullable(),
    maxAgeYears: z.number().int().nullable(),
    /** The public bed board of this ward (/display/beds/<displayCode>), when set. */
    displayCode: z.string().nullable(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'Ward' });
export type Ward = z.infer<typeof Ward>;
export const WardList = z.object({ items: z.array(Ward) });
const wardShape = {
  code: Code,
  name: Text(80),
  building: optionalText(80),
  floor: optionalText(20),
  kind: WardKind,
  departmentId: Uuid.nullable().optional(),
  genderRestriction: GenderRestriction.default('any'),
  minAgeYears: z.number().int().min(0).max(130).nullable().optional(),
  maxAgeYears: z.number().int().min(0).max(130).nullable().optional(),
  displayCode: Code.nullable().optional(),
};
const agesInOrder = (v: { minAgeYears?: number | null; maxAgeYears?: number | null }) =>
  v.minAgeYears == null || v.maxAgeYears == null || v.minAgeYears <= v.maxAgeYears;
export const WardBody = z
  .object(wardShape)
  .refine(agesInOrder, { message: 'minAgeYears must not exceed maxAgeYears', path: ['maxAgeYears'] });
export const UpdateWardBody = z
  .object(wardShape)
  .partial()
  .extend({ active: z.boolean().optional(), version: Version })
  .refine(agesInOrder, { message: 'minAgeYears must not exceed maxAgeYears', path: ['maxAgeYears'] });
export const WardQuery = z.object({ active: BoolQuery, kind: WardKind.optional() });

export const WardRoom = z
  .object({
    id: Uuid,
    wardId: Uuid,
    code: z.string(),
    name: z.string(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'WardRoom' });
export type WardRoom = z.infer<typeof WardRoom>;
export const WardRoomList = z.object({ items: z.array(WardRoom) });
export const WardRoomBody = z.object({ wardId: Uuid, code: Code, name: Text(80) });
export const UpdateWardRoomBody = z.object({
  code: Code.optional(),
  name: Text(80).optional(),
  active: z.boolean().optional(),
  version: Version,
});
export const WardRoomQuery = z.object({ wardId: Uuid.optional(), active: BoolQuery });

export const Bed = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    wardId: Uuid,
    wardCode: z.string(),
    wardName: z.string(),
    roomId: Uuid,
    roomCode: z.string(),
    categoryId: Uuid,
    categoryCode: z.string(),
    tariffClass: z.string(),
    intensiveCare: z.boolean(),
    code: z.string(),
    /** Isolation beds need terminal cleaning when released. */
    isolation: z.boolean(),
    status: BedStatus,
    statusSince: IsoDateTime,
    statusReason: z.string().nullable(),
    sortOrder: z.number().int(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'Bed' });
export type Bed = z.infer<typeof Bed>;
export const BedList = z.object({ items: z.array(Bed) });
export const BedBody = z.object({
  roomId: Uuid,
  categoryId: Uuid,
  code: Code,
  isolation: z.boolean().default(false),
  sortOrder: z.number().int().min(0).max(100_000).default(0),
});
export const UpdateBedBody = z.object({
  categoryId: Uuid.optional(),
  code: Code.optional(),
  isolation: z.boolean().optional(),
  sortOrder: z.number().int().min(0).max(100_000).optional(),
  /** Deactivating retires the bed (only when it is empty); beds are never deleted. */
  active: z.boolean().optional(),
  version: Version,
});
export const BedQuery = z.object({
  wardId: Uuid.optional(),
  roomId: Uuid.optional(),
  status: BedStatus.optional(),
  active: BoolQuery,
});

/** Block, unblock or send a bed to maintenance by hand, with a reason. */
export const BedStatusBody = z.object({
  status: z.enum(manualBedStatuses),
  reason: Text(300),
  version: Version,
});

export const BedStatusChange = z
  .object({
    id: Uuid,
    bedId: Uuid,
    fromStatus: BedStatus.nullable(),
    toStatus: BedStatus,
    reason: z.string().nullable(),
    admissionId: Uuid.nullable(),
    changedById: Uuid.nullable(),
    changedBy: z.string(),
    changedAt: IsoDateTime,
  })
  .meta({ id: 'BedStatusChange' });
export type BedStatusChange = z.infer<typeof BedStatusChange>;
export const BedStatusChangeList = z.object({ items: z.array(BedStatusChange) });

// ---------------------------------------------------------------------------------------------------------
// Admission requests and reservations
// ---------------------------------------------------------------------------------------------------------

export const BedReservation = z
  .object({
    id: Uuid,
    bedId: Uuid,
    bedCode: z.string(),
    wardId: Uuid,
    wardCode: z.string(),
    patientId: Uuid,
    requestId: Uuid.nullable(),
    fromAt: IsoDateTime,
    untilAt: IsoDateTime,
    status: ReservationStatus,
    reason: z.string().nullable(),
    admissionId: Uuid.nullable(),
    reservedBy: z.string(),
    createdAt: IsoDateTime,
    version: z.number().int(),
  })
  .meta({ id: 'BedReservation' });
export type BedReservation = z.infer<typeof BedReservation>;
export const BedReservationList = z.object({ items: z.array(BedReservation) });

export const AdmissionRequest = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    patientId: Uuid,
    patient: PatientSummary.nullable(),
    source: AdmissionSource,
    sourceEncounterId: Uuid.nullable(),
    priority: AdmissionPriority,
    wardKind: WardKind.nullable(),
    bedCategoryId: Uuid.nullable(),
    departmentId: Uuid.nullable(),
    practitionerId: Uuid.nullable(),
    practitionerName: z.string().nullable(),
    reason: z.string(),
    plannedFor: IpdDate.nullable(),
    status: AdmissionRequestStatus,
    statusReason: z.string().nullable(),
    admissionId: Uuid.nullable(),
    /** The active reservation held for this request, if any. */
    reservation: BedReservation.nullable(),
    requestedBy: z.string(),
    createdAt: IsoDateTime,
    version: z.number().int(),
  })
  .meta({ id: 'AdmissionRequest' });
export type AdmissionRequest = z.infer<typeof AdmissionRequest>;
export const AdmissionRequestPage = page(AdmissionRequest);

export const AdmissionRequestBody = z
  .object({
    patientId: Uuid,
    source: AdmissionSource,
    /** The OPD consultation or ER visit the request comes from (required for opd). */
    sourceEncounterId: Uuid.nullable().optional(),
    priority: AdmissionPriority.default('routine'),
    wardKind: WardKind.nullable().optional(),
    bedCategoryId: Uuid.nullable().optional(),
    departmentId: Uuid.nullable().optional(),
    practitionerId: Uuid.nullable().optional(),
    reason: Text(500),
    /** The day of a planned admission (required for planned). */
    plannedFor: IpdDate.nullable().optional(),
  })
  .refine((v) => v.source !== 'planned' || !!v.plannedFor, {
    message: 'a planned admission needs plannedFor',
    path: ['plannedFor'],
  })
  .refine((v) => v.source !== 'opd' || !!v.sourceEncounterId, {
    message: 'an admission from OPD names its consultation',
    path: ['sourceEncounterId'],
  });
export type AdmissionRequestBody = z.input<typeof AdmissionRequestBody>;

/** The queue: waiting and reserved requests, most urgent first, then oldest. */
export const AdmissionRequestQuery = PageQuery.extend({
  status: AdmissionRequestStatus.optional(),
  patientId: Uuid.optional(),
});

export const ReasonVersionBody = z.object({ reason: Text(300), version: Version });

export const ReserveBedBody = z
  .object({
    bedId: Uuid,
    /** For a request (the patient is the request's), or for a patient directly. */
    requestId: Uuid.optional(),
    patientId: Uuid.optional(),
    /** Default now. */
    fromAt: IsoDateTime.optional(),
    untilAt: IsoDateTime,
    reason: optionalText(300),
  })
  .refine((v) => !!v.requestId || !!v.patientId, {
    message: 'name a request or a patient',
    path: ['patientId'],
  });
export type ReserveBedBody = z.input<typeof ReserveBedBody>;

export const ReleaseReservationBody = z.object({ reason: optionalText(300), version: Version });

export const ReservationQuery = z.object({
  bedId: Uuid.optional(),
  status: ReservationStatus.optional(),
});

// ---------------------------------------------------------------------------------------------------------
// Admissions
// ---------------------------------------------------------------------------------------------------------

export const Attendant = z.object({
  name: Text(120),
  relationship: Text(60),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 -]{5,19}$/, 'a phone number'),
});
export type Attendant = z.infer<typeof Attendant>;

export const AdmissionConsentInput = z.object({
  /** Who signed the admission consent (the patient, or a relative for a minor or an unconscious patient). */
  signedBy: Text(120),
  relationship: optionalText(60),
});
export const AdmissionConsent = z.object({
  signedBy: z.string(),
  relationship: z.string().nullable(),
  recordedById: Uuid.nullable(),
  recordedByName: z.string(),
  recordedAt: IsoDateTime,
});

export const PayerDetails = z.object({
  /** Insurer, TPA, employer or scheme name. */
  payerName: optionalText(120),
  policyNumber: optionalText(60),
  memberId: optionalText(60),
  authorizationNumber: optionalText(60),
  note: optionalText(300),
});
export type PayerDetails = z.infer<typeof PayerDetails>;
/** Payer details as stored and shown. */
export const PayerDetailsView = z.object({
  payerName: z.string().nullable().optional(),
  policyNumber: z.string().nullable().optional(),
  memberId: z.string().nullable().optional(),
  authorizationNumber: z.string().nullable().optional(),
  note: z.string().nullable().optional(),
});

export const ProvisionalDiagnosis = z.object({
  text: Text(300),
  /** ICD-10 code (as in the encounters' code set), optional. */
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/, 'an ICD-10 code')
    .nullable()
    .optional(),
});

/** A reason to place a patient in a ward whose gender or age limits they do not meet. */
export const RestrictionOverride = z.object({ reason: Text(300) });

export const AdmitBody = z
  .object({
    patientId: Uuid,
    source: AdmissionSource,
    sourceEncounterId: Uuid.nullable().optional(),
    /** The request this admission fulfils, and the reservation it uses, if any. */
    requestId: Uuid.nullable().optional(),
    bedId: Uuid,
    admittingPractitionerId: Uuid,
    attendingPractitionerId: Uuid,
    departmentId: Uuid.nullable().optional(),
    reason: Text(500),
    provisionalDiagnosis: ProvisionalDiagnosis.nullable().optional(),
    expectedLengthOfStayDays: z.number().int().min(1).max(365).nullable().optional(),
    attendant: Attendant.nullable().optional(),
    consent: AdmissionConsentInput.nullable().optional(),
    payerCategory: PayerCategory,
    payerDetails: PayerDetails.nullable().optional(),
    restrictionOverride: RestrictionOverride.nullable().optional(),
  })
  .refine((v) => v.source !== 'opd' || !!v.sourceEncounterId, {
    message: 'an admission from OPD names its consultation',
    path: ['sourceEncounterId'],
  })
  .refine((v) => v.payerCategory === 'cash' || !!v.payerDetails?.payerName, {
    message: 'name the insurer, employer or scheme',
    path: ['payerDetails', 'payerName'],
  });
export type AdmitBody = z.input<typeof AdmitBody>;

/** Where the patient is now. */
export const CurrentBed = z.object({
  occupancyId: Uuid,
  bedId: Uuid,
  bedCode: z.string(),
  roomId: Uuid,
  roomCode: z.string(),
  wardId: Uuid,
  wardCode: z.string(),
  wardName: z.string(),
  wardKind: WardKind,
  tariffClass: z.string(),
  isolation: z.boolean(),
  since: IsoDateTime,
});
export type CurrentBed = z.infer<typeof CurrentBed>;

export const Admission = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    admissionNumber: z.string(),
    patientId: Uuid,
    patient: PatientSummary.nullable(),
    encounterId: Uuid,
    requestId: Uuid.nullable(),
    source: AdmissionSource,
    sourceEncounterId: Uuid.nullable(),
    admittingPractitionerId: Uuid.nullable(),
    admittingPractitionerName: z.string(),
    attendingPractitionerId: Uuid.nullable(),
    attendingPractitionerName: z.string(),
    departmentId: Uuid.nullable(),
    reason: z.string(),
    provisionalDiagnosis: z.string().nullable(),
    provisionalDiagnosisCode: z.string().nullable(),
    expectedLengthOfStayDays: z.number().int().nullable(),
    expectedDischargeDate: IpdDate.nullable(),
    attendant: Attendant.nullable(),
    consent: AdmissionConsent.nullable(),
    payerCategory: PayerCategory,
    payerDetails: PayerDetailsView.nullable(),
    status: AdmissionStatus,
    admittedAt: IsoDateTime,
    admittedBy: z.string(),
    bed: CurrentBed.nullable(),
    dischargeInitiatedAt: IsoDateTime.nullable(),
    dischargeType: DischargeType.nullable(),
    dischargedAt: IsoDateTime.nullable(),
    dischargedBy: z.string().nullable(),
    deathAt: IsoDateTime.nullable(),
    deathCause: z.string().nullable(),
    transferredTo: z.string().nullable(),
    cancelledReason: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Admission' });
export type Admission = z.infer<typeof Admission>;
export const AdmissionPage = page(Admission);
export const AdmissionList = z.object({ items: z.array(Admission) });

/** One occupancy period: billing charges bed days per tariff class from these. */
export const BedPeriod = z
  .object({
    occupancyId: Uuid,
    bedId: Uuid,
    bedCode: z.string(),
    wardId: Uuid,
    wardCode: z.string(),
    wardName: z.string(),
    tariffClass: z.string(),
    startedAt: IsoDateTime,
    /** null: the patient is still there (bed days count to now). */
    endedAt: IsoDateTime.nullable(),
    startReason: z.enum(['admission', 'transfer']),
    endReason: z.enum(['transfer', 'discharge', 'cancelled']).nullable(),
    note: z.string().nullable(),
    movedBy: z.string(),
    /** Midnight census in the facility's time zone; a stay with no midnight counts 1 (on its longest period). */
    bedDays: z.number().int(),
  })
  .meta({ id: 'BedPeriod' });
export type BedPeriod = z.infer<typeof BedPeriod>;
export const BedHistory = z.object({ items: z.array(BedPeriod), totalBedDays: z.number().int() });

export const DischargeClearanceItem = z
  .object({
    id: Uuid,
    admissionId: Uuid,
    item: z.string(),
    label: z.string(),
    heldBy: z.string(),
    status: ClearanceStatus,
    detail: z.string().nullable(),
    clearedAt: IsoDateTime.nullable(),
    clearedBy: z.string().nullable(),
    clearNote: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'DischargeClearanceItem' });
export type DischargeClearanceItem = z.infer<typeof DischargeClearanceItem>;
export const DischargeClearanceList = z.object({ items: z.array(DischargeClearanceItem) });

export const AdmissionDetail = Admission.extend({
  bedHistory: z.array(BedPeriod),
  totalBedDays: z.number().int(),
  clearances: z.array(DischargeClearanceItem),
}).meta({ id: 'AdmissionDetail' });
export type AdmissionDetail = z.infer<typeof AdmissionDetail>;

export const AdmissionQuery = PageQuery.extend({
  wardId: Uuid.optional(),
  /** Default: the open ones (admitted and discharge-initiated). */
  status: AdmissionStatus.optional(),
});
export const PatientParams = z.object({ patientId: Uuid });
export const ExpectedDischargesQuery = z.object({
  /** Default today (facility time zone); admissions expected on or before it that are still open. */
  date: IpdDate.optional(),
  wardId: Uuid.optional(),
});

export const BedTransferBody = z.object({
  bedId: Uuid,
  reason: Text(300),
  restrictionOverride: RestrictionOverride.nullable().optional(),
  version: Version,
});

export const CancelAdmissionBody = ReasonVersionBody;

// ---------------------------------------------------------------------------------------------------------
// Discharge
// ---------------------------------------------------------------------------------------------------------

export const ExpectedDischargeBody = z.object({ expectedDischargeDate: IpdDate, version: Version });

export const InitiateDischargeBody = z.discriminatedUnion('type', [
  z.object({
    type: z.enum(['normal', 'against-medical-advice', 'absconded']),
    version: Version,
  }),
  z.object({ type: z.literal('transferred'), transferredTo: Text(200), version: Version }),
  z.object({ type: z.literal('death'), deathAt: IsoDateTime, deathCause: Text(500), version: Version }),
]);
export type InitiateDischargeBody = z.input<typeof InitiateDischargeBody>;

export const ClearItemBody = z.object({
  action: z.enum(['clear', 'waive']),
  note: Text(300),
  version: Version,
});
export const ClearanceParams = z.object({ id: Uuid, clearanceId: Uuid });

export const CompleteDischargeBody = z.object({
  version: Version,
  /** The time the patient left (default now; not in the future, not before the admission). */
  dischargedAt: IsoDateTime.optional(),
});

export const ClearanceItemConfig = z
  .object({
    id: Uuid,
    item: z.string(),
    label: z.string(),
    permission: z.string().nullable(),
    sortOrder: z.number().int(),
    active: z.boolean(),
  })
  .meta({ id: 'ClearanceItemConfig' });
export const ClearanceItemConfigList = z.object({ items: z.array(ClearanceItemConfig) });
