import { z } from 'zod';
import { IsoDateTime, IsoDay, Text, Uuid } from './common';
import { TimeOfDay } from './opd';

// Radiology (module `radiology`): the procedure catalog with preparation and report templates, modality rooms,
// imaging orders (from encounter orders or walk-in), room bookings, the technologist's worklist with the safety
// checklist, DICOM study links, the radiologist's report (draft, final, addenda) and critical findings with
// read-back acknowledgement and escalation.

export const RADIOLOGY_EVENTS = {
  studyCompleted: 'radiology.study.completed',
  reportFinalized: 'radiology.report.finalized',
  reportAmended: 'radiology.report.amended',
  findingCritical: 'radiology.finding.critical',
  criticalAcknowledged: 'radiology.critical.acknowledged',
  criticalEscalated: 'radiology.critical.escalated',
  /** An encounter order became a radiology order (payload RadOrderAcceptedPayload, order-fulfilment.ts). */
  orderAccepted: 'radiology.order.accepted',
  /** An encounter order named no procedure of the catalog: not ordered (OrderUnmatchedPayload). */
  orderUnmatched: 'radiology.order.unmatched',
  /** The study started (RadStudyStartedPayload). */
  studyStarted: 'radiology.study.started',
} as const;

/** DICOM modality codes as we use them; plain radiography (CR and DX) is XR. */
export const radModalities = ['XR', 'CT', 'MR', 'US', 'MG', 'RF'] as const;
export const RadModality = z.enum(radModalities);
export type RadModality = z.infer<typeof RadModality>;
export const radModalityNames: Record<RadModality, string> = {
  XR: 'X-ray',
  CT: 'CT',
  MR: 'MRI',
  US: 'Ultrasound',
  MG: 'Mammography',
  RF: 'Fluoroscopy',
};
/** Modalities that use ionising radiation: the pregnancy question is asked before them. */
export const radIonisingModalities: readonly RadModality[] = ['XR', 'CT', 'RF', 'MG'];

export const radContrastUses = ['none', 'optional', 'required'] as const;
export const RadContrastUse = z.enum(radContrastUses);
export type RadContrastUse = z.infer<typeof RadContrastUse>;
/** How contrast is given: renal function is asked for before intravenous contrast only. */
export const radContrastRoutes = ['iv', 'oral', 'intracavitary'] as const;
export const RadContrastRoute = z.enum(radContrastRoutes);

export const radPriorities = ['routine', 'urgent', 'stat'] as const;
export const RadPriority = z.enum(radPriorities);
export type RadPriority = z.infer<typeof RadPriority>;

export const radLateralities = ['left', 'right', 'bilateral'] as const;
export const RadLaterality = z.enum(radLateralities);
export type RadLaterality = z.infer<typeof RadLaterality>;

/** ordered -> scheduled -> arrived -> in-progress -> completed; cancelled before the study starts. */
export const radOrderStatuses = [
  'ordered',
  'scheduled',
  'arrived',
  'in-progress',
  'completed',
  'cancelled',
] as const;
export const RadOrderStatus = z.enum(radOrderStatuses);
export type RadOrderStatus = z.infer<typeof RadOrderStatus>;

export const radReportStatuses = ['draft', 'final', 'amended'] as const;
export const RadReportStatus = z.enum(radReportStatuses);
export type RadReportStatus = z.infer<typeof RadReportStatus>;

export const radSettings = ['opd', 'ipd', 'emergency', 'walk-in'] as const;
export const RadSetting = z.enum(radSettings);

/**
 * How soon a finding must reach the ordering doctor (the ACR's actionable-finding levels): immediate (minutes:
 * tension pneumothorax, intracranial haemorrhage), urgent (hours), significant-unexpected (days: a mass).
 * Every level goes through the same read-back and escalation loop.
 */
export const radCriticalCategories = ['immediate', 'urgent', 'significant-unexpected'] as const;
export const RadCriticalCategory = z.enum(radCriticalCategories);

/** Levels an unacknowledged critical finding climbs, one per NEWHMS_RADIOLOGY_CRITICAL_ACK_MINUTES. */
export const RAD_CRITICAL_MAX_ESCALATION = 3;

/** A procedure code of the catalog: letters, digits, `_` and `-`, upper-cased. */
const RadCode = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/, 'a procedure code')
  .transform((v) => v.toUpperCase());
const Version = z.number().int().min(1);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

/**
 * A DICOM UID (PS3.5 9.1): at most 64 characters, numeric components separated by dots, no component with a
 * leading zero (except "0" itself), at least two components.
 */
export const DicomUid = z
  .string()
  .trim()
  .max(64, 'a DICOM UID has at most 64 characters')
  .regex(
    /^(0|[1-9]\d*)(\.(0|[1-9]\d*))+$/,
    'a DICOM UID: digits and dots, no leading zeros (1.2.840.10008...)',
  );

// ---------------------------------------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------------------------------------

export const RadProcedure = z
  .object({
    code: z.string(),
    name: z.string(),
    modality: RadModality,
    bodyPart: z.string(),
    lateralityRequired: z.boolean(),
    contrast: RadContrastUse,
    /** Null when the procedure uses no contrast. */
    contrastRoute: RadContrastRoute.nullable(),
    durationMinutes: z.number().int(),
    /** What the patient is told to do before the study (fasting, full bladder...), or null. */
    preparation: z.string().nullable(),
    loincCode: z.string().nullable(),
    radlexCode: z.string().nullable(),
    templateCode: z.string(),
  })
  .meta({ id: 'RadProcedure' });
export type RadProcedure = z.infer<typeof RadProcedure>;

export const RadCatalogQuery = z.object({
  q: z.string().trim().max(100).optional(),
  modality: RadModality.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

// ---------------------------------------------------------------------------------------------------------
// Modality rooms
// ---------------------------------------------------------------------------------------------------------

export const RadRoom = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    code: z.string(),
    name: z.string(),
    modality: RadModality,
    /** Working hours in the facility's time zone; both null: open around the clock. */
    opensAt: z.string().nullable(),
    closesAt: z.string().nullable(),
    /** The modality's DICOM AE title, for the modality worklist. */
    aeTitle: z.string().nullable(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'RadRoom' });
export type RadRoom = z.infer<typeof RadRoom>;

const RoomCode = z
  .string()
  .trim()
  .min(1)
  .max(20)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -')
  .transform((v) => v.toUpperCase());
const AeTitle = z
  .string()
  .trim()
  .max(16)
  .regex(/^[\x20-\x5b\x5d-\x7e]*$/, 'a DICOM AE title: at most 16 printable characters, no backslash')
  .transform((v) => (v === '' ? null : v))
  .nullable()
  .optional();

const hoursRefine = <T extends { opensAt?: string | null; closesAt?: string | null }>(v: T) =>
  (v.opensAt == null) === (v.closesAt == null) && (v.opensAt == null || v.opensAt < v.closesAt!);
const hoursIssue = { path: ['closesAt'], message: 'give both opensAt and closesAt, closing after opening' };

export const CreateRadRoomBody = z
  .object({
    code: RoomCode,
    name: Text(100),
    modality: RadModality,
    opensAt: TimeOfDay.nullable().optional(),
    closesAt: TimeOfDay.nullable().optional(),
    aeTitle: AeTitle,
  })
  .refine(hoursRefine, hoursIssue);

export const UpdateRadRoomBody = z
  .object({
    name: Text(100).optional(),
    opensAt: TimeOfDay.nullable().optional(),
    closesAt: TimeOfDay.nullable().optional(),
    aeTitle: AeTitle,
    /** false deactivates the room: no new bookings; existing ones stay. */
    active: z.boolean().optional(),
    version: Version,
  })
  .refine((v) => (v.opensAt === undefined) === (v.closesAt === undefined), {
    path: ['closesAt'],
    message: 'change opensAt and closesAt together',
  })
  .refine((v) => v.opensAt === undefined || hoursRefine(v), hoursIssue);

export const RadRoomQuery = z.object({
  modality: RadModality.optional(),
  includeInactive: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

// ---------------------------------------------------------------------------------------------------------
// Orders, the safety checklist, the study
// ---------------------------------------------------------------------------------------------------------

export const radPregnancyStatuses = [
  'not-pregnant',
  'possibly-pregnant',
  'pregnant',
  'not-applicable',
] as const;

/** MR safety screening: any "yes" needs a note saying the device is MR-conditional and how it was cleared. */
/** A note as stored and answered: no transforms in a response schema (they cannot be encoded). */
const storedText = (_max: number) => z.string().nullable().optional();
type TextField = typeof storedText | typeof optionalText;

/** MR safety screening: any "yes" needs a note saying the device is MR-conditional and how it was cleared. */
const mriScreening = (text: TextField) =>
  z.object({
    pacemakerOrDefibrillator: z.boolean(),
    cochlearImplant: z.boolean(),
    aneurysmClip: z.boolean(),
    neurostimulator: z.boolean(),
    metalForeignBody: z.boolean(),
    otherImplant: z.boolean(),
    note: text(500),
  });

const checklist = (text: TextField) =>
  z.object({
    /** Two identifiers (name and MRN or date of birth) checked against the request. */
    identityConfirmed: z.boolean().optional(),
    pregnancyStatus: z.enum(radPregnancyStatuses).optional(),
    lastMenstrualPeriod: IsoDay.nullable().optional(),
    /** The radiologist's justification for imaging a pregnant or possibly pregnant patient. */
    pregnancyJustification: text(500),
    /** Whether contrast will be given (fixed by the catalog unless the procedure's contrast is optional). */
    contrastPlanned: z.boolean().optional(),
    contrastAllergy: z.boolean().optional(),
    /** The reaction and the plan (premedication, non-contrast alternative) when there is an allergy. */
    contrastAllergyNote: text(500),
    /** mL/min/1.73 m2. */
    egfr: z.number().min(0).max(300).nullable().optional(),
    /** Serum creatinine, mg/dL. */
    creatinineMgDl: z.number().min(0).max(30).nullable().optional(),
    renalTestDate: IsoDay.nullable().optional(),
    mriScreening: mriScreening(text).nullable().optional(),
    note: text(500),
  });

/**
 * The safety checklist at arrival; what is required depends on the procedure and the patient (the start is
 * refused with 422 naming the missing field): identity always; pregnancy status for women aged 12-50 before
 * an ionising study (a pregnant or possibly pregnant patient needs the radiologist's justification); the
 * contrast decision for optional-contrast procedures; contrast allergy and renal function (eGFR or serum
 * creatinine) when contrast is given; MR safety screening before MR. As recorded (responses).
 */
export const RadChecklist = checklist(storedText).meta({ id: 'RadChecklist' });
/** The checklist as sent by the radiographer (arrive, start): texts trimmed, empty ones read as null. */
export const RadChecklistInput = checklist(optionalText);
export const RadMriScreening = mriScreening(storedText);
export type RadChecklist = z.infer<typeof RadChecklist>;

export const RadDose = z
  .object({
    /** CT dose-length product, mGy.cm. */
    dlpMGyCm: z.number().min(0).max(100_000).nullable().optional(),
    /** CT dose index (volume), mGy. */
    ctdiVolMGy: z.number().min(0).max(10_000).nullable().optional(),
    /** Dose-area product, Gy.cm2 (radiography, fluoroscopy, mammography). */
    dapGyCm2: z.number().min(0).max(100_000).nullable().optional(),
    fluoroscopySeconds: z.number().min(0).max(36_000).nullable().optional(),
  })
  .meta({ id: 'RadDose' });
export type RadDose = z.infer<typeof RadDose>;

export const RadBooking = z
  .object({
    id: Uuid,
    roomId: Uuid,
    roomCode: z.string(),
    roomName: z.string(),
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    bookedByName: z.string().nullable(),
    bookedAt: IsoDateTime,
  })
  .meta({ id: 'RadBooking' });
export type RadBooking = z.infer<typeof RadBooking>;

const Step = z.object({ at: IsoDateTime, byName: z.string().nullable() }).nullable();

export const RadReportSummary = z.object({
  id: Uuid,
  status: RadReportStatus,
  signedAt: IsoDateTime.nullable(),
  signedByName: z.string().nullable(),
  critical: z.boolean(),
});

export const RadOrder = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    patientId: Uuid,
    patientName: z.string(),
    mrn: z.string(),
    sex: z.string(),
    age: z.string().nullable(),
    encounterId: Uuid.nullable(),
    /** The encounter order (service request) this fulfils; null for a walk-in. */
    orderId: Uuid.nullable(),
    setting: RadSetting,
    accession: z.string(),
    procedureCode: z.string(),
    procedureName: z.string(),
    modality: RadModality,
    bodyPart: z.string(),
    laterality: RadLaterality.nullable(),
    contrast: RadContrastUse,
    contrastRoute: RadContrastRoute.nullable(),
    preparation: z.string().nullable(),
    durationMinutes: z.number().int(),
    priority: RadPriority,
    clinicalIndication: z.string().nullable(),
    note: z.string().nullable(),
    status: RadOrderStatus,
    orderedById: Uuid.nullable(),
    orderedByName: z.string().nullable(),
    orderedAt: IsoDateTime,
    booking: RadBooking.nullable(),
    checklist: RadChecklist.nullable(),
    arrived: Step,
    started: Step,
    completed: Step,
    cancelled: z.object({ at: IsoDateTime, byName: z.string().nullable(), reason: z.string() }).nullable(),
    studyInstanceUid: z.string().nullable(),
    numberOfImages: z.number().int().nullable(),
    dose: RadDose.nullable(),
    /** The PACS viewer link (NEWHMS_PACS_VIEWER_URL) once the study has a UID; null when not configured. */
    viewerUrl: z.string().nullable(),
    report: RadReportSummary.nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'RadOrder' });
export type RadOrder = z.infer<typeof RadOrder>;

export const RadWalkInBody = z.object({
  patientId: Uuid,
  encounterId: Uuid.nullable().optional(),
  procedureCode: RadCode,
  priority: RadPriority.default('routine'),
  clinicalIndication: Text(1000),
  /** Required when the procedure has a side. */
  laterality: RadLaterality.nullable().optional(),
  note: optionalText(500),
});

export const RadOrderQuery = z.object({
  patientId: Uuid.optional(),
  encounterId: Uuid.optional(),
  status: RadOrderStatus.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const RadCancelBody = z.object({ reason: Text(300), version: Version });

export const RadBookBody = z
  .object({
    roomId: Uuid,
    startsAt: IsoDateTime,
    /** Default: startsAt plus the procedure's typical duration. */
    endsAt: IsoDateTime.optional(),
    version: Version,
  })
  .refine((b) => !b.endsAt || Date.parse(b.endsAt) > Date.parse(b.startsAt), {
    path: ['endsAt'],
    message: 'after startsAt',
  })
  .refine((b) => !b.endsAt || Date.parse(b.endsAt) - Date.parse(b.startsAt) <= 12 * 3600_000, {
    path: ['endsAt'],
    message: 'at most 12 hours after startsAt',
  });

export const RadCancelBookingBody = z.object({ reason: Text(300), version: Version });

export const RadArriveBody = z.object({
  checklist: RadChecklistInput.optional(),
  /** The side, when the procedure has one and the order did not say (an encounter order carries none). */
  laterality: RadLaterality.optional(),
  version: Version,
});
/** The checklist given here is merged over the one recorded at arrival; the start is refused when incomplete. */
export const RadStartBody = z.object({
  checklist: RadChecklistInput.optional(),
  laterality: RadLaterality.optional(),
  /** The room the study is done in; default the booking's. */
  roomId: Uuid.optional(),
  version: Version,
});

export const RadCompleteBody = z.object({
  /** From the modality; when omitted, a UID is made from a UUID under the 2.25 root (PS3.5 B.2). */
  studyInstanceUid: DicomUid.optional(),
  numberOfImages: z.number().int().min(0).max(100_000).nullable().optional(),
  dose: RadDose.nullable().optional(),
  note: optionalText(500),
  version: Version,
});

export const RadWorklistQuery = z.object({
  modality: RadModality.optional(),
  roomId: Uuid.optional(),
  /** A day of the facility's calendar: bookings starting that day, and unbooked orders placed that day. */
  date: IsoDay.optional(),
  status: RadOrderStatus.optional(),
  /** none: completed studies with no report yet (the radiologist's list); draft, final, amended. */
  reportStatus: z.enum(['none', ...radReportStatuses]).optional(),
  /** Only the orders of this encounter. */
  encounterId: Uuid.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const RadScheduleQuery = z.object({ date: IsoDay });

export const RadRoomSchedule = z
  .object({
    room: RadRoom,
    date: IsoDay,
    timeZone: z.string(),
    bookings: z.array(
      z.object({
        bookingId: Uuid,
        orderId: Uuid,
        accession: z.string(),
        patientId: Uuid,
        patientName: z.string(),
        mrn: z.string(),
        procedureCode: z.string(),
        procedureName: z.string(),
        priority: RadPriority,
        status: RadOrderStatus,
        startsAt: IsoDateTime,
        endsAt: IsoDateTime,
      }),
    ),
  })
  .meta({ id: 'RadRoomSchedule' });
export type RadRoomSchedule = z.infer<typeof RadRoomSchedule>;

// ---------------------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------------------

export const RadAddendum = z.object({
  id: Uuid,
  text: z.string(),
  reason: z.string(),
  addedByName: z.string(),
  addedAt: IsoDateTime,
});

export const RadReport = z
  .object({
    id: Uuid,
    orderId: Uuid,
    patientId: Uuid,
    accession: z.string(),
    procedureCode: z.string(),
    procedureName: z.string(),
    status: RadReportStatus,
    technique: z.string(),
    comparison: z.string(),
    findings: z.string(),
    impression: z.string(),
    createdByName: z.string().nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
    signedByName: z.string().nullable(),
    signedAt: IsoDateTime.nullable(),
    criticalFinding: z
      .object({ text: z.string(), category: RadCriticalCategory, alertId: Uuid.nullable() })
      .nullable(),
    addenda: z.array(RadAddendum),
    version: z.number().int(),
  })
  .meta({ id: 'RadReport' });
export type RadReport = z.infer<typeof RadReport>;

const ReportText = (max: number) => z.string().max(max);

export const RadSaveReportBody = z.object({
  technique: ReportText(4000).optional(),
  comparison: ReportText(2000).optional(),
  findings: ReportText(20_000).optional(),
  impression: ReportText(4000).optional(),
  version: Version,
});

export const RadCriticalFindingInput = z.object({
  text: Text(1000),
  category: RadCriticalCategory,
});

/** Sign-off: the text given here is saved first; findings and impression must not be empty. */
export const RadSignReportBody = z.object({
  technique: ReportText(4000).optional(),
  comparison: ReportText(2000).optional(),
  findings: ReportText(20_000).optional(),
  impression: ReportText(4000).optional(),
  criticalFinding: RadCriticalFindingInput.nullable().optional(),
  version: Version,
});

export const RadAddendumBody = z.object({
  text: Text(10_000),
  reason: Text(500),
});

// ---------------------------------------------------------------------------------------------------------
// A patient's imaging (the doctor's view)
// ---------------------------------------------------------------------------------------------------------

export const RadPatientStudy = z
  .object({
    orderId: Uuid,
    /** The encounter the study was ordered in (null for a walk-in without a visit). */
    encounterId: Uuid.nullable(),
    accession: z.string(),
    procedureCode: z.string(),
    procedureName: z.string(),
    modality: RadModality,
    bodyPart: z.string(),
    laterality: RadLaterality.nullable(),
    priority: RadPriority,
    status: RadOrderStatus,
    clinicalIndication: z.string().nullable(),
    orderedAt: IsoDateTime,
    orderedByName: z.string().nullable(),
    scheduledAt: IsoDateTime.nullable(),
    completedAt: IsoDateTime.nullable(),
    reportId: Uuid.nullable(),
    /** none until a radiologist opens the report; a draft's text is not shown here. */
    reportStatus: z.enum(['none', ...radReportStatuses]),
    impression: z.string().nullable(),
    signedAt: IsoDateTime.nullable(),
    signedByName: z.string().nullable(),
    critical: z.boolean(),
    studyInstanceUid: z.string().nullable(),
    viewerUrl: z.string().nullable(),
  })
  .meta({ id: 'RadPatientStudy' });
export type RadPatientStudy = z.infer<typeof RadPatientStudy>;

export const RadPatientParams = z.object({ patientId: Uuid });
export const RadPatientStudiesQuery = z.object({
  /** Only the studies ordered in this encounter (the consultation's Imaging section). */
  encounterId: Uuid.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

// ---------------------------------------------------------------------------------------------------------
// Critical findings: notification, read-back acknowledgement, escalation
// ---------------------------------------------------------------------------------------------------------

export const RadCriticalAlert = z
  .object({
    id: Uuid,
    reportId: Uuid,
    orderId: Uuid,
    patientId: Uuid,
    patientName: z.string(),
    mrn: z.string(),
    encounterId: Uuid.nullable(),
    accession: z.string(),
    procedureCode: z.string(),
    procedureName: z.string(),
    finding: z.string(),
    category: RadCriticalCategory,
    /** The doctor who ordered the study (for a walk-in, who placed it); null when unknown. */
    orderingUserId: Uuid.nullable(),
    orderingUserName: z.string().nullable(),
    reportedByName: z.string().nullable(),
    notifiedAt: IsoDateTime,
    status: z.enum(['open', 'acknowledged']),
    acknowledgedAt: IsoDateTime.nullable(),
    acknowledgedByName: z.string().nullable(),
    readBack: z.string().nullable(),
    escalationLevel: z.number().int().min(0).max(RAD_CRITICAL_MAX_ESCALATION),
    escalatedAt: IsoDateTime.nullable(),
    /** Who the last escalation reached (holders of radiology:report in the facility). */
    escalatedTo: z.array(z.object({ id: Uuid, name: z.string() })),
  })
  .meta({ id: 'RadCriticalAlert' });
export type RadCriticalAlert = z.infer<typeof RadCriticalAlert>;

export const RadCriticalAlertQuery = z.object({
  /** Only those addressed to me (as the ordering doctor, or escalated to me). Without it: the radiologists' view. */
  mine: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  status: z.enum(['open', 'acknowledged', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const RadAcknowledgeCriticalBody = z.object({
  /** The finding as the doctor repeated it ("tension pneumothorax on the left"): at least three words. */
  readBack: Text(500),
});

// ---------------------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------------------

export const RadStudyCompletedPayload = z.object({
  radiologyOrderId: Uuid,
  orderId: Uuid.nullable(),
  patientId: Uuid,
  encounterId: Uuid.nullable(),
  accession: z.string(),
  procedureCode: z.string(),
  modality: RadModality,
  studyInstanceUid: z.string(),
  numberOfImages: z.number().int().nullable(),
  completedAt: IsoDateTime,
});
export type RadStudyCompletedPayload = z.infer<typeof RadStudyCompletedPayload>;

export const RadReportFinalizedPayload = z.object({
  reportId: Uuid,
  radiologyOrderId: Uuid,
  orderId: Uuid.nullable(),
  patientId: Uuid,
  encounterId: Uuid.nullable(),
  accession: z.string(),
  procedureCode: z.string(),
  impression: z.string(),
  critical: z.boolean(),
  signedById: Uuid.nullable(),
});
export type RadReportFinalizedPayload = z.infer<typeof RadReportFinalizedPayload>;

export const RadReportAmendedPayload = z.object({
  reportId: Uuid,
  addendumId: Uuid,
  radiologyOrderId: Uuid,
  orderId: Uuid.nullable(),
  patientId: Uuid,
  encounterId: Uuid.nullable(),
  accession: z.string(),
  reason: z.string(),
});
export type RadReportAmendedPayload = z.infer<typeof RadReportAmendedPayload>;

export const RadFindingCriticalPayload = z.object({
  alertId: Uuid,
  reportId: Uuid,
  radiologyOrderId: Uuid,
  patientId: Uuid,
  encounterId: Uuid.nullable(),
  accession: z.string(),
  procedureCode: z.string(),
  finding: z.string(),
  category: RadCriticalCategory,
  orderingUserId: Uuid.nullable(),
});
export type RadFindingCriticalPayload = z.infer<typeof RadFindingCriticalPayload>;

export const RadCriticalAcknowledgedPayload = z.object({
  alertId: Uuid,
  reportId: Uuid,
  patientId: Uuid,
  acknowledgedById: Uuid.nullable(),
  minutesToAcknowledge: z.number(),
  escalationLevel: z.number().int(),
});
export type RadCriticalAcknowledgedPayload = z.infer<typeof RadCriticalAcknowledgedPayload>;

export const RadCriticalEscalatedPayload = z.object({
  alertId: Uuid,
  reportId: Uuid,
  patientId: Uuid,
  encounterId: Uuid.nullable(),
  accession: z.string(),
  finding: z.string(),
  category: RadCriticalCategory,
  orderingUserId: Uuid.nullable(),
  level: z.number().int(),
  escalatedToIds: z.array(Uuid),
});
export type RadCriticalEscalatedPayload = z.infer<typeof RadCriticalEscalatedPayload>;

export const radiologyPermissions = [
  'radiology:catalog',
  'radiology:read',
  'radiology:order',
  'radiology:schedule',
  'radiology:perform',
  'radiology:report',
  'radiology:manage',
] as const;
