import { z } from 'zod';
import { IsoDateTime, IsoDay, Text, Uuid } from './common';
import { Observation } from './encounters';

// IPD nursing: NEWS2 on every set of vitals with its escalation, the vitals flow sheet, the intake/output
// chart, nursing and handover notes, the nursing care plan, nursing tasks and the ward's nursing station.

export const news2Parameters = [
  'respiratoryRate',
  'spo2',
  'supplementalOxygen',
  'systolic',
  'heartRate',
  'consciousness',
  'temperature',
] as const;
export const News2Parameter = z.enum(news2Parameters);
export type News2Parameter = z.infer<typeof News2Parameter>;
export const news2Risks = ['low', 'low-medium', 'medium', 'high'] as const;
export const News2Risk = z.enum(news2Risks);
export type News2Risk = z.infer<typeof News2Risk>;

export const Spo2ScaleNumber = z.union([z.literal(1), z.literal(2)]);

/** One NEWS2 score: of a set of vitals, with the escalation it raised and who responded. */
export const News2Score = z
  .object({
    id: Uuid,
    admissionId: Uuid,
    patientId: Uuid,
    observationGroupId: Uuid,
    effectiveAt: IsoDateTime,
    score: z.number().int(),
    risk: News2Risk,
    parameters: z.record(News2Parameter, z.number().int().nullable()),
    spo2Scale: Spo2ScaleNumber,
    /** Parameters not recorded in this set: the score is partial and its risk a floor. */
    missing: z.array(News2Parameter),
    complete: z.boolean(),
    /** A 3 in a single parameter. */
    redScore: z.boolean(),
    monitoring: z.string(),
    clinicalResponse: z.string(),
    /** Said when NEWS2 does not apply as validated (under 16 years). */
    caveat: z.string().nullable(),
    escalation: z.enum(['none', 'alerted', 'acknowledged']),
    acknowledgedAt: IsoDateTime.nullable(),
    acknowledgedBy: z.string().nullable(),
    /** The response taken, as the acknowledging doctor or nurse wrote it. */
    responseTaken: z.string().nullable(),
    recordedBy: z.string(),
    recordedAt: IsoDateTime,
  })
  .meta({ id: 'News2Score' });
export type News2Score = z.infer<typeof News2Score>;

export const NursingTaskStatus = z.enum(['pending', 'done', 'cancelled']);
export const nursingTaskKinds = [
  'vitals',
  'medication',
  'dressing',
  'positioning',
  'hygiene',
  'investigation',
  'escalation',
  'other',
] as const;
export const NursingTask = z
  .object({
    id: Uuid,
    admissionId: Uuid,
    patientId: Uuid,
    wardId: Uuid,
    kind: z.string(),
    description: z.string(),
    dueAt: IsoDateTime,
    status: NursingTaskStatus,
    overdue: z.boolean(),
    doneAt: IsoDateTime.nullable(),
    doneBy: z.string().nullable(),
    outcome: z.string().nullable(),
    /** Set on tasks the system made (e.g. 'news2:<score id>'). */
    sourceKey: z.string().nullable(),
    recordedBy: z.string(),
    recordedAt: IsoDateTime,
    version: z.number().int(),
  })
  .meta({ id: 'NursingTask' });
export type NursingTask = z.infer<typeof NursingTask>;

/** What charting one set of vitals gave: the observations, the NEWS2 and the escalation task if any. */
export const ChartedVitals = z.object({
  observations: z.array(Observation),
  news2: News2Score,
  escalationTask: NursingTask.nullable(),
  /** Whether this set raised `ipd.early-warning.raised` (a new escalation, or a higher risk than the open one). */
  alertRaised: z.boolean(),
});
export type ChartedVitals = z.infer<typeof ChartedVitals>;

export const AcknowledgeEscalationBody = z.object({ response: Text(1000) });

export const Spo2ScaleBody = z.object({
  scale: Spo2ScaleNumber,
  /** Why (scale 2: the hypercapnic respiratory failure and the prescribed 88-92 % target). */
  reason: Text(500),
});
export const Spo2ScaleState = z.object({
  admissionId: Uuid,
  scale: Spo2ScaleNumber,
  reason: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: IsoDateTime.nullable(),
});
export type Spo2ScaleState = z.infer<typeof Spo2ScaleState>;

export const EscalationList = z.object({ items: z.array(News2Score) });

// ---------------------------------------------------------------------------------------------------------
// Flow sheet
// ---------------------------------------------------------------------------------------------------------

export const FlowSheetQuery = z.object({
  /** Default: 72 hours before `to`. At most 31 days. */
  from: IsoDateTime.optional(),
  /** Default: now. */
  to: IsoDateTime.optional(),
});

export const FlowSheetCell = z.object({
  value: z.number().nullable(),
  text: z.string().nullable(),
  unit: z.string().nullable(),
  interpretation: z.string().nullable(),
});
export const FlowSheet = z
  .object({
    admissionId: Uuid,
    from: IsoDateTime,
    to: IsoDateTime,
    /** The parameters, in chart order: key, label, LOINC code, unit. */
    columns: z.array(
      z.object({ key: z.string(), label: z.string(), loinc: z.string(), unit: z.string().nullable() }),
    ),
    /** One row per set of vitals, oldest first. */
    rows: z.array(
      z.object({
        groupId: Uuid,
        effectiveAt: IsoDateTime,
        recordedBy: z.string(),
        values: z.record(z.string(), FlowSheetCell),
        news2: z
          .object({
            id: Uuid,
            score: z.number().int(),
            risk: News2Risk,
            complete: z.boolean(),
            escalation: z.enum(['none', 'alerted', 'acknowledged']),
          })
          .nullable(),
      }),
    ),
    /** Per parameter (and 'news2'), the points of a trend chart. */
    trend: z.record(z.string(), z.array(z.object({ at: IsoDateTime, value: z.number() }))),
  })
  .meta({ id: 'FlowSheet' });
export type FlowSheet = z.infer<typeof FlowSheet>;

// ---------------------------------------------------------------------------------------------------------
// Intake and output
// ---------------------------------------------------------------------------------------------------------

export const intakeRoutes = ['oral', 'iv', 'ng-tube', 'blood'] as const;
export const outputRoutes = ['urine', 'drain', 'vomit', 'stool', 'ng-aspirate'] as const;
export const nursingShifts = ['morning', 'evening', 'night'] as const;
export const NursingShift = z.enum(nursingShifts);
export type NursingShift = z.infer<typeof NursingShift>;

export const IntakeOutputBody = z
  .object({
    direction: z.enum(['intake', 'output']),
    route: z.enum([...intakeRoutes, ...outputRoutes]),
    volumeMl: z.number().int().min(0).max(20000),
    note: z.string().trim().max(500).nullable().optional(),
    effectiveAt: IsoDateTime.optional(),
  })
  .refine(
    (v) =>
      v.direction === 'intake'
        ? (intakeRoutes as readonly string[]).includes(v.route)
        : (outputRoutes as readonly string[]).includes(v.route),
    { message: 'this route does not belong to the direction', path: ['route'] },
  );

export const IntakeOutputEntry = z
  .object({
    id: Uuid,
    admissionId: Uuid,
    patientId: Uuid,
    direction: z.enum(['intake', 'output']),
    route: z.string(),
    volumeMl: z.number().int(),
    note: z.string().nullable(),
    effectiveAt: IsoDateTime,
    shift: NursingShift,
    status: z.enum(['final', 'entered-in-error']),
    errorReason: z.string().nullable(),
    recordedBy: z.string(),
    recordedAt: IsoDateTime,
  })
  .meta({ id: 'IntakeOutputEntry' });
export type IntakeOutputEntry = z.infer<typeof IntakeOutputEntry>;

export const EnteredInErrorBody = z.object({ reason: Text(300) });

export const IoTotals = z.object({
  intakeMl: z.number().int(),
  outputMl: z.number().int(),
  balanceMl: z.number().int(),
  byRoute: z.record(z.string(), z.number().int()),
});
export type IoTotals = z.infer<typeof IoTotals>;

export const IntakeOutputChartQuery = z.object({
  /** The nursing day (08:00 to 08:00 next day, facility time); default the one running now. */
  date: IsoDay.optional(),
});
export const IntakeOutputChart = z
  .object({
    admissionId: Uuid,
    date: z.string(),
    timeZone: z.string(),
    from: IsoDateTime,
    to: IsoDateTime,
    shifts: z.array(z.object({ shift: NursingShift, from: IsoDateTime, to: IsoDateTime, totals: IoTotals })),
    day: IoTotals,
    /** Every entry of the day, entered-in-error ones too (not counted), oldest first. */
    entries: z.array(IntakeOutputEntry),
  })
  .meta({ id: 'IntakeOutputChart' });
export type IntakeOutputChart = z.infer<typeof IntakeOutputChart>;

// ---------------------------------------------------------------------------------------------------------
// Nursing notes and handovers (SBAR)
// ---------------------------------------------------------------------------------------------------------

export const Sbar = z.object({
  situation: Text(4000),
  background: Text(4000),
  assessment: Text(4000),
  recommendation: Text(4000),
});
export const NursingNoteBody = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('note'),
    text: Text(10000),
    shift: NursingShift.optional(),
    effectiveAt: IsoDateTime.optional(),
  }),
  z.object({
    kind: z.literal('handover'),
    sbar: Sbar,
    /** The shift handing over; default the shift of effectiveAt. */
    shift: NursingShift.optional(),
    effectiveAt: IsoDateTime.optional(),
  }),
]);
export const NursingNote = z
  .object({
    id: Uuid,
    admissionId: Uuid,
    patientId: Uuid,
    kind: z.enum(['note', 'handover']),
    shift: NursingShift.nullable(),
    text: z.string().nullable(),
    sbar: Sbar.nullable(),
    effectiveAt: IsoDateTime,
    status: z.enum(['final', 'entered-in-error']),
    errorReason: z.string().nullable(),
    recordedBy: z.string(),
    recordedAt: IsoDateTime,
  })
  .meta({ id: 'NursingNote' });
export type NursingNote = z.infer<typeof NursingNote>;
export const NursingNoteQuery = z.object({
  kind: z.enum(['note', 'handover']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export const NursingNotePage = z.object({ items: z.array(NursingNote), nextCursor: z.string().nullable() });

// ---------------------------------------------------------------------------------------------------------
// Care plan
// ---------------------------------------------------------------------------------------------------------

export const CarePlanItemBody = z.object({
  problem: Text(500),
  goal: Text(1000),
  interventions: z.array(Text(500)).min(1).max(30),
});
export const CarePlanUpdateBody = z.object({
  goal: Text(1000).optional(),
  interventions: z.array(Text(500)).min(1).max(30).optional(),
  evaluation: Text(2000).optional(),
  version: z.number().int().min(1),
});
export const ResolveCarePlanBody = z.object({ evaluation: Text(2000), version: z.number().int().min(1) });
export const CarePlanErrorBody = z.object({ reason: Text(300), version: z.number().int().min(1) });
export const CarePlanItem = z
  .object({
    id: Uuid,
    admissionId: Uuid,
    patientId: Uuid,
    problem: z.string(),
    goal: z.string(),
    interventions: z.array(z.string()),
    evaluation: z.string().nullable(),
    status: z.enum(['active', 'resolved', 'entered-in-error']),
    recordedBy: z.string(),
    recordedAt: IsoDateTime,
    updatedAt: IsoDateTime,
    version: z.number().int(),
  })
  .meta({ id: 'CarePlanItem' });
export type CarePlanItem = z.infer<typeof CarePlanItem>;
export const CarePlan = z.object({ items: z.array(CarePlanItem) });

// ---------------------------------------------------------------------------------------------------------
// Tasks
// ---------------------------------------------------------------------------------------------------------

export const NursingTaskBody = z.object({
  kind: z.enum(nursingTaskKinds).default('other'),
  description: Text(500),
  dueAt: IsoDateTime,
});
export const CompleteTaskBody = z.object({ outcome: Text(1000), version: z.number().int().min(1) });
export const CancelTaskBody = z.object({ reason: Text(300), version: z.number().int().min(1) });
export const NursingTaskQuery = z.object({
  status: NursingTaskStatus.optional(),
});
export const NursingTaskList = z.object({ items: z.array(NursingTask) });

// ---------------------------------------------------------------------------------------------------------
// Nursing station
// ---------------------------------------------------------------------------------------------------------

export const StationBed = z.object({
  bedId: Uuid,
  bedCode: z.string(),
  roomCode: z.string(),
  bedStatus: z.string(),
  isolation: z.boolean(),
  patient: z
    .object({
      id: Uuid,
      displayName: z.string(),
      mrn: z.string(),
      age: z.string().nullable(),
      sex: z.string(),
      /** 'recorded' (at least one active allergy), 'none-known' or 'not-recorded'. */
      allergyState: z.string(),
      allergies: z.array(z.string()),
      alerts: z.array(z.string()),
    })
    .nullable(),
  admission: z
    .object({
      id: Uuid,
      admissionNumber: z.string(),
      admittedAt: IsoDateTime,
      daysSinceAdmission: z.number().int(),
      attendingPractitionerName: z.string(),
      expectedDischargeDate: z.string().nullable(),
      status: z.string(),
    })
    .nullable(),
  news2: z
    .object({
      score: z.number().int(),
      risk: News2Risk,
      complete: z.boolean(),
      effectiveAt: IsoDateTime,
    })
    .nullable(),
  openEscalations: z.number().int(),
  pendingTasks: z.number().int(),
  overdueTasks: z.number().int(),
  nextTaskDueAt: IsoDateTime.nullable(),
  ioToday: z.object({ intakeMl: z.number().int(), outputMl: z.number().int(), balanceMl: z.number().int() }),
});
export type StationBed = z.infer<typeof StationBed>;
export const WardStation = z
  .object({
    ward: z.object({ id: Uuid, code: z.string(), name: z.string(), kind: z.string() }),
    generatedAt: IsoDateTime,
    /** The nursing day the I/O figures cover (08:00 to 08:00, facility time). */
    ioDate: z.string(),
    beds: z.array(StationBed),
    summary: z.object({
      beds: z.number().int(),
      occupied: z.number().int(),
      openEscalations: z.number().int(),
      overdueTasks: z.number().int(),
      expectedDischargesToday: z.number().int(),
    }),
  })
  .meta({ id: 'WardStation' });
export type WardStation = z.infer<typeof WardStation>;
export const WardIdParams = z.object({ wardId: Uuid });

// ---------------------------------------------------------------------------------------------------------
// Discharge summary
// ---------------------------------------------------------------------------------------------------------

/** The sections of the discharge summary pre-filled from the record (the note's sections). */
export const DischargeSummaryPrefill = z.object({
  diagnoses: z.string(),
  procedures: z.string(),
  hospitalCourse: z.string(),
  conditionAtDischarge: z.string(),
  medications: z.string(),
  advice: z.string(),
  followUp: z.string(),
});
