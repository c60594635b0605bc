import { z } from 'zod';
import { IsoDateTime, IsoDay, Text, Uuid } from './common';

// Laboratory (module `laboratory`): the test catalog, requests (from encounter orders or walk-in), samples
// with accession numbers and labels, collection, receipt and rejection, worklists, result entry with flags
// and delta checks, validation by a second person, amendments that keep what was reported before.

export const LABORATORY_EVENTS = {
  resultFinalized: 'laboratory.result.finalized',
  resultAmended: 'laboratory.result.amended',
  resultCritical: 'laboratory.result.critical',
  criticalAcknowledged: 'laboratory.critical.acknowledged',
  criticalEscalated: 'laboratory.critical.escalated',
  /** An encounter order became a request (payload LabOrderAcceptedPayload, order-fulfilment.ts). */
  orderAccepted: 'laboratory.order.accepted',
  /** An encounter order named no test or panel of the catalog: not requested (OrderUnmatchedPayload). */
  orderUnmatched: 'laboratory.order.unmatched',
  /** A tube was drawn (LabSampleCollectedPayload). */
  sampleCollected: 'laboratory.sample.collected',
} as const;

export const labSections = [
  'haematology',
  'biochemistry',
  'microbiology',
  'serology',
  'clinical-pathology',
  'immunology',
] as const;
export const LabSection = z.enum(labSections);
export type LabSection = z.infer<typeof LabSection>;

export const labPriorities = ['routine', 'urgent', 'stat'] as const;
export const LabPriority = z.enum(labPriorities);
export type LabPriority = z.infer<typeof LabPriority>;

export const labRequestStatuses = ['requested', 'in-progress', 'completed', 'cancelled'] as const;
export const labSampleStatuses = [
  'awaiting-collection',
  'collected',
  'received',
  'rejected',
  'cancelled',
] as const;
export const labResultStatuses = ['pending', 'entered', 'validated', 'amended', 'cancelled'] as const;
export const labResultTypes = ['numeric', 'text', 'coded', 'culture'] as const;
export const labFlags = ['LL', 'L', 'N', 'H', 'HH'] as const;
export const LabFlag = z.enum(labFlags);
/** Why a sample cannot be tested; each asks for a new sample. */
export const sampleRejectionReasons = ['haemolysed', 'clotted', 'insufficient', 'mislabelled'] as const;
export const SampleRejectionReason = z.enum(sampleRejectionReasons);
export const labSettings = ['opd', 'ipd', 'emergency', 'walk-in'] as const;
export const LabSetting = z.enum(labSettings);

/** A test code or panel code of the catalog: upper-case letters, digits, `_` and `-`. */
const LabCode = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/, 'a test or panel code')
  .transform((v) => v.toUpperCase());

// ---------------------------------------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------------------------------------

export const LabTest = z
  .object({
    code: z.string(),
    name: z.string(),
    loincCode: z.string().nullable(),
    section: LabSection,
    specimen: z.string(),
    container: z.string(),
    resultType: z.enum(labResultTypes),
    unit: z.string().nullable(),
    decimals: z.number().int().nullable(),
    tatMinutesRoutine: z.number().int(),
    tatMinutesStat: z.number().int().nullable(),
  })
  .meta({ id: 'LabTest' });
export type LabTest = z.infer<typeof LabTest>;

export const LabPanel = z
  .object({
    code: z.string(),
    name: z.string(),
    loincCode: z.string().nullable(),
    members: z.array(z.object({ code: z.string(), name: z.string() })),
  })
  .meta({ id: 'LabPanel' });
export type LabPanel = z.infer<typeof LabPanel>;

export const LabCatalogQuery = z.object({
  q: z.string().trim().max(100).optional(),
  section: LabSection.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export const LabCatalogSearch = z.object({ tests: z.array(LabTest), panels: z.array(LabPanel) });

// ---------------------------------------------------------------------------------------------------------
// Requests, samples, results
// ---------------------------------------------------------------------------------------------------------

export const CultureResult = z
  .object({
    /** Null: no growth. */
    organism: z.string().trim().min(1).max(200).nullable(),
    /** Colony count or growth description ("> 10^5 CFU/mL", "no growth after 48 h"). */
    growth: z.string().trim().max(200).nullable().optional(),
    antibiotics: z
      .array(
        z.object({
          antibiotic: Text(100),
          interpretation: z.enum(['S', 'I', 'R']),
          mic: z.string().trim().max(20).nullable().optional(),
        }),
      )
      .max(60)
      .default([]),
  })
  .meta({ id: 'LabCultureResult' });
export type CultureResult = z.infer<typeof CultureResult>;

export const LabReferenceRange = z.object({
  low: z.number().nullable(),
  high: z.number().nullable(),
  criticalLow: z.number().nullable(),
  criticalHigh: z.number().nullable(),
  text: z.string(),
});

export const LabResultRevision = z.object({
  revisionNo: z.number().int(),
  previousValue: z.number().nullable(),
  previousText: z.string().nullable(),
  previousCulture: CultureResult.nullable(),
  previousFlag: LabFlag.nullable(),
  reason: z.string(),
  amendedByName: z.string(),
  amendedAt: IsoDateTime,
});

export const LabResult = z
  .object({
    id: Uuid,
    requestId: Uuid,
    sampleId: Uuid,
    testCode: z.string(),
    testName: z.string(),
    loincCode: z.string().nullable(),
    section: LabSection,
    resultType: z.enum(labResultTypes),
    status: z.enum(labResultStatuses),
    value: z.number().nullable(),
    text: z.string().nullable(),
    culture: CultureResult.nullable(),
    unit: z.string().nullable(),
    /**
     * Display precision of a numeric value: the test's decimals in the catalog (12 with 1 decimal reads
     * "12.0"); null for text, coded and culture results.
     */
    decimals: z.number().int().min(0).nullable(),
    flag: LabFlag.nullable(),
    critical: z.boolean(),
    /**
     * Once entered: the range the value was flagged against (kept, so new ranges never re-flag a report).
     * While pending: the catalog's range for the patient's sex and age band at collection (or at the request
     * before collection), so that the bench sees it before typing; null when no range applies.
     */
    referenceRange: LabReferenceRange.nullable(),
    delta: z
      .object({
        flagged: z.boolean(),
        previousValue: z.number(),
        previousAt: IsoDateTime,
        change: z.number(),
      })
      .nullable(),
    comment: z.string().nullable(),
    source: z.enum(['manual', 'analyzer']),
    enteredByName: z.string().nullable(),
    enteredAt: IsoDateTime.nullable(),
    validatedByName: z.string().nullable(),
    validatedAt: IsoDateTime.nullable(),
    revisions: z.array(LabResultRevision),
    version: z.number().int(),
  })
  .meta({ id: 'LabResult' });
export type LabResult = z.infer<typeof LabResult>;

export const LabSample = z
  .object({
    id: Uuid,
    requestId: Uuid,
    accession: z.string(),
    specimen: z.string(),
    container: z.string(),
    status: z.enum(labSampleStatuses),
    testCodes: z.array(z.string()),
    collectedAt: IsoDateTime.nullable(),
    collectedByName: z.string().nullable(),
    receivedAt: IsoDateTime.nullable(),
    receivedByName: z.string().nullable(),
    rejectedAt: IsoDateTime.nullable(),
    rejectionReason: SampleRejectionReason.nullable(),
    rejectionNote: z.string().nullable(),
    /** The rejected sample this one recollects. */
    recollectionOf: Uuid.nullable(),
    /** The new sample a rejection asked for. */
    recollectionSampleId: Uuid.nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'LabSample' });
export type LabSample = z.infer<typeof LabSample>;

export const LabRequest = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    patientId: Uuid,
    encounterId: Uuid.nullable(),
    orderId: Uuid.nullable(),
    code: z.string(),
    display: z.string(),
    kind: z.enum(['test', 'panel']),
    priority: LabPriority,
    setting: LabSetting,
    status: z.enum(labRequestStatuses),
    note: z.string().nullable(),
    requestedByName: z.string().nullable(),
    requestedAt: IsoDateTime,
    completedAt: IsoDateTime.nullable(),
    cancelledAt: IsoDateTime.nullable(),
    cancelReason: z.string().nullable(),
    samples: z.array(LabSample),
    results: z.array(LabResult),
    version: z.number().int(),
  })
  .meta({ id: 'LabRequest' });
export type LabRequest = z.infer<typeof LabRequest>;

export const WalkInOrderBody = z.object({
  patientId: Uuid,
  encounterId: Uuid.nullable().optional(),
  /** Test or panel codes of the catalog; each becomes one request. */
  tests: z.array(LabCode).min(1).max(30),
  priority: LabPriority.default('routine'),
  note: z.string().trim().max(500).nullable().optional(),
});

/** Cancelling a walk-in before any result is entered (an encounter's order is cancelled in the encounter). */
export const CancelLabRequestBody = z.object({
  reason: Text(300),
  version: z.number().int().min(1),
});

export const LabRequestQuery = z.object({
  patientId: Uuid.optional(),
  encounterId: Uuid.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const CollectionListQuery = z.object({
  setting: LabSetting.optional(),
  wardId: Uuid.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

const PatientLine = {
  patientId: Uuid,
  patientName: z.string(),
  mrn: z.string(),
};

export const LabCollectionItem = z
  .object({
    sample: LabSample,
    requestId: Uuid,
    requestCode: z.string(),
    requestDisplay: z.string(),
    priority: LabPriority,
    setting: LabSetting,
    ...PatientLine,
    wardName: z.string().nullable(),
    bedCode: z.string().nullable(),
    requestedAt: IsoDateTime,
  })
  .meta({ id: 'LabCollectionItem' });

export const CollectSampleBody = z.object({
  /** When the sample was drawn; default now. */
  collectedAt: IsoDateTime.optional(),
  /** The person who drew it, when not the one recording (default: the signed-in user). */
  collectorName: z.string().trim().min(1).max(120).optional(),
});

export const ReceiveSampleBody = z.object({
  accession: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .transform((v) => v.toUpperCase()),
});

export const RejectSampleBody = z.object({
  reason: SampleRejectionReason,
  note: z.string().trim().max(500).nullable().optional(),
});

export const LabWorklistQuery = z.object({
  section: LabSection,
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const LabWorklistItem = z
  .object({
    sample: LabSample,
    requestId: Uuid,
    requestCode: z.string(),
    requestDisplay: z.string(),
    priority: LabPriority,
    ...PatientLine,
    pendingTests: z.array(z.object({ resultId: Uuid, code: z.string(), name: z.string() })),
    tatTargetMinutes: z.number().int(),
    elapsedMinutes: z.number().int(),
    overdue: z.boolean(),
  })
  .meta({ id: 'LabWorklistItem' });

/** A laboratory accession number as printed on the tube: `L`, the facility's YYMMDD, a daily counter. */
const LabAccession = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^L\d{10,30}$/, 'an accession number: L, six date digits and the counter');

export const LabAccessionParams = z.object({ accession: LabAccession });

/** A tube looked up by its accession before it is received (reception may reject it unreceived). */
export const LabSampleLookup = z
  .object({
    sample: LabSample,
    request: LabRequest,
    ...PatientLine,
    sex: z.string(),
    age: z.string().nullable(),
  })
  .meta({ id: 'LabSampleLookup' });
export type LabSampleLookup = z.infer<typeof LabSampleLookup>;

/** Results entered and awaiting validation; by section and priority. */
export const LabValidationQueueQuery = z.object({
  section: LabSection.optional(),
  priority: LabPriority.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

/** One entered result awaiting validation, with its patient, tube and request: STAT first, then oldest entry. */
export const LabValidationQueueItem = z
  .object({
    result: LabResult,
    requestId: Uuid,
    requestCode: z.string(),
    requestDisplay: z.string(),
    priority: LabPriority,
    setting: LabSetting,
    ...PatientLine,
    accession: z.string(),
    /** Results of the same request awaiting validation (this one included). */
    requestEnteredCount: z.number().int(),
  })
  .meta({ id: 'LabValidationQueueItem' });
export type LabValidationQueueItem = z.infer<typeof LabValidationQueueItem>;

const ResultValue = {
  value: z.number().finite().min(-1e9).max(1e9).nullable().optional(),
  text: z.string().trim().min(1).max(2000).nullable().optional(),
  culture: CultureResult.nullable().optional(),
};

export const EnterResultsBody = z.object({
  results: z
    .array(
      z.object({
        testCode: LabCode,
        ...ResultValue,
        comment: z.string().trim().max(500).nullable().optional(),
      }),
    )
    .min(1)
    .max(60),
});

export const ValidateResultsBody = z.object({
  /** Validate only these results; default: every entered result of the request. */
  resultIds: z.array(Uuid).max(60).optional(),
});

export const AmendResultBody = z.object({
  ...ResultValue,
  reason: Text(500),
  version: z.number().int().min(1),
});

export const CumulativeResults = z
  .object({
    patientId: Uuid,
    tests: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        unit: z.string().nullable(),
        /** Display precision of the values (the test's decimals); null for non-numeric tests. */
        decimals: z.number().int().min(0).nullable(),
        values: z.array(
          z.object({
            resultId: Uuid,
            requestId: Uuid,
            collectedAt: IsoDateTime.nullable(),
            validatedAt: IsoDateTime.nullable(),
            value: z.number().nullable(),
            text: z.string().nullable(),
            culture: CultureResult.nullable(),
            flag: LabFlag.nullable(),
            amended: z.boolean(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'LabCumulativeResults' });

export const CumulativeQuery = z.object({
  code: LabCode.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

/** The cumulative report as PDF: samples collected from `from` to `to` (facility calendar, inclusive). */
export const CumulativePdfQuery = z
  .object({
    from: IsoDay.optional(),
    to: IsoDay.optional(),
    section: LabSection.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'on or after from' });

// ---------------------------------------------------------------------------------------------------------
// Critical values: notification, read-back acknowledgement, escalation
// ---------------------------------------------------------------------------------------------------------

/** Levels an unacknowledged critical value climbs, one per NEWHMS_LAB_CRITICAL_ACK_MINUTES. */
export const LAB_CRITICAL_MAX_ESCALATION = 3;

export const LabCriticalAlert = z
  .object({
    id: Uuid,
    resultId: Uuid,
    /** 0 for the value as validated, n for the value of the result's n-th amendment. */
    revisionNo: z.number().int(),
    requestId: Uuid,
    patientId: Uuid,
    patientName: z.string(),
    mrn: z.string(),
    encounterId: Uuid.nullable(),
    testCode: z.string(),
    testName: z.string(),
    value: z.number(),
    unit: z.string().nullable(),
    flag: z.enum(['LL', 'HH']),
    /** The doctor who ordered the test (for a walk-in, who placed it); null when unknown. */
    orderingUserId: Uuid.nullable(),
    orderingUserName: z.string().nullable(),
    validatedByName: z.string().nullable(),
    notifiedAt: IsoDateTime,
    status: z.enum(['open', 'acknowledged']),
    acknowledgedAt: IsoDateTime.nullable(),
    acknowledgedByName: z.string().nullable(),
    /** What the person who took the call repeated back. */
    readBack: z.string().nullable(),
    escalationLevel: z.number().int().min(0).max(LAB_CRITICAL_MAX_ESCALATION),
    escalatedAt: IsoDateTime.nullable(),
    /** Who the last escalation reached (holders of laboratory:validate in the facility). */
    escalatedTo: z.array(z.object({ id: Uuid, name: z.string() })),
  })
  .meta({ id: 'LabCriticalAlert' });
export type LabCriticalAlert = z.infer<typeof LabCriticalAlert>;

export const LabCriticalAlertQuery = z.object({
  /** Only those addressed to me (as the ordering doctor, or escalated to me). Without it: the lab's view. */
  mine: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  status: z.enum(['open', 'acknowledged', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const AcknowledgeCriticalBody = z.object({
  /** The test and the value as the doctor repeated them ("potassium 6.9"); must contain the value. */
  readBack: Text(300),
});

// ---------------------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------------------

export const LabCriticalResult = z.object({
  resultId: Uuid,
  testCode: z.string(),
  testName: z.string(),
  value: z.number(),
  unit: z.string().nullable(),
  flag: z.enum(['LL', 'HH']),
});

export const LabResultFinalizedPayload = z.object({
  requestId: Uuid,
  orderId: Uuid.nullable(),
  patientId: Uuid,
  encounterId: Uuid.nullable(),
  code: z.string(),
  critical: z.boolean(),
  criticalResults: z.array(LabCriticalResult),
});
export type LabResultFinalizedPayload = z.infer<typeof LabResultFinalizedPayload>;

export const LabResultAmendedPayload = z.object({
  requestId: Uuid,
  resultId: Uuid,
  orderId: Uuid.nullable(),
  patientId: Uuid,
  encounterId: Uuid.nullable(),
  testCode: z.string(),
  revisionNo: z.number().int(),
  reason: z.string(),
  critical: z.boolean(),
});
export type LabResultAmendedPayload = z.infer<typeof LabResultAmendedPayload>;

export const LabResultCriticalPayload = z.object({
  alertId: Uuid,
  resultId: Uuid,
  requestId: Uuid,
  patientId: Uuid,
  encounterId: Uuid.nullable(),
  test: z.object({ code: z.string(), name: z.string(), loincCode: z.string().nullable() }),
  value: z.number(),
  unit: z.string().nullable(),
  flag: z.enum(['LL', 'HH']),
  orderingUserId: Uuid.nullable(),
});
export type LabResultCriticalPayload = z.infer<typeof LabResultCriticalPayload>;

export const LabCriticalAcknowledgedPayload = z.object({
  alertId: Uuid,
  requestId: Uuid,
  patientId: Uuid,
  acknowledgedById: Uuid.nullable(),
  minutesToAcknowledge: z.number(),
  escalationLevel: z.number().int(),
});
export type LabCriticalAcknowledgedPayload = z.infer<typeof LabCriticalAcknowledgedPayload>;

export const LabCriticalEscalatedPayload = z.object({
  alertId: Uuid,
  requestId: Uuid,
  patientId: Uuid,
  encounterId: Uuid.nullable(),
  testCode: z.string(),
  value: z.number(),
  unit: z.string().nullable(),
  flag: z.enum(['LL', 'HH']),
  orderingUserId: Uuid.nullable(),
  level: z.number().int(),
  escalatedToIds: z.array(Uuid),
});
export type LabCriticalEscalatedPayload = z.infer<typeof LabCriticalEscalatedPayload>;

export const laboratoryPermissions = [
  'laboratory:catalog',
  'laboratory:read',
  'laboratory:order',
  'laboratory:collect',
  'laboratory:process',
  'laboratory:validate',
] as const;

// ---------------------------------------------------------------------------------------------------------
// Reports: turnaround time
// ---------------------------------------------------------------------------------------------------------

const LabCalendarDay = IsoDay;

export const LabTurnaroundQuery = z
  .object({
    /** First and last day (inclusive) of collection, in the facility's calendar. */
    from: LabCalendarDay,
    to: LabCalendarDay,
    section: LabSection.optional(),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'on or after from' });

/** Medians and 90th percentiles in minutes; null when nothing was measured. */
const LabTurnaroundFigures = z.object({
  /** Released results counted (validated or amended, collected in the period). */
  count: z.number().int(),
  collectionToValidation: z.object({ median: z.number().nullable(), p90: z.number().nullable() }),
  receiptToValidation: z.object({ median: z.number().nullable(), p90: z.number().nullable() }),
  /** Results whose collection-to-validation time exceeded the test's target for the request's priority. */
  overTarget: z.number().int(),
  withinTarget: z.number().int(),
});

export const LabTurnaroundReport = z
  .object({
    from: LabCalendarDay,
    to: LabCalendarDay,
    timeZone: z.string(),
    section: LabSection.nullable(),
    tests: z.array(
      LabTurnaroundFigures.extend({
        testCode: z.string(),
        testName: z.string(),
        section: LabSection,
        /** The test's targets in minutes: routine, and STAT (the routine one when the catalog has none). */
        targetRoutineMinutes: z.number().int(),
        targetStatMinutes: z.number().int(),
        stat: z.number().int(),
      }),
    ),
    sections: z.array(LabTurnaroundFigures.extend({ section: LabSection })),
  })
  .meta({ id: 'LabTurnaroundReport' });
export type LabTurnaroundReport = z.infer<typeof LabTurnaroundReport>;
