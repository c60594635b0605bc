import { z } from 'zod';
import { IsoDateTime, IsoDay, PageQuery, page, Text, Uuid } from './common';
import { PatientSummary } from './patients';

// Out-patient department: practitioners and clinic rooms, weekly schedules and their exceptions, the
// sessions and slots made from them, appointments, walk-in tokens and the queue, the public token board.

// ---------------------------------------------------------------------------------------------------------
// Value rules
// ---------------------------------------------------------------------------------------------------------

/** A calendar date YYYY-MM-DD in the facility's time zone. */
export const CalendarDate = IsoDay;
/** A time of day HH:MM (24 h) in the facility's time zone. */
export const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM (24 h)');
/** Money in minor units (paise), never floats. At most ten lakh rupees. */
export const Paise = z.number().int().min(0).max(100_000_000);
/** ISO weekday: 1 Monday ... 7 Sunday. */
export const Weekday = z.number().int().min(1).max(7);

/** A body that may be left out (a POST action with nothing to say): absent or null reads as {}. */
const optionalBody = <T extends z.ZodObject>(schema: T) =>
  schema.nullish().transform((v): z.output<T> => v ?? schema.parse({}));

const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

export const priorityKinds = ['emergency', 'elderly', 'pregnant', 'disabled'] as const;
export const PriorityKind = z.enum(priorityKinds);
export type PriorityKind = z.infer<typeof PriorityKind>;

export const feeKinds = ['first-visit', 'follow-up'] as const;
export const FeeKind = z.enum(feeKinds);
export type FeeKind = z.infer<typeof FeeKind>;

export const appointmentStatuses = ['booked', 'arrived', 'completed', 'cancelled', 'no-show'] as const;
export const AppointmentStatus = z.enum(appointmentStatuses);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;

/** Who booked: the front desk, the call centre, or the doctor (a follow-up from a consultation). */
export const appointmentSources = ['front-desk', 'call-centre', 'follow-up'] as const;
export const AppointmentSource = z.enum(appointmentSources);

export const tokenStatuses = [
  'waiting',
  'called',
  'in-consultation',
  'completed',
  'skipped',
  'transferred',
] as const;
export const TokenStatus = z.enum(tokenStatuses);
export type TokenStatus = z.infer<typeof TokenStatus>;

export const tokenKinds = ['appointment', 'walk-in', 'transfer'] as const;
export const TokenKind = z.enum(tokenKinds);

export const exceptionKinds = ['leave', 'holiday', 'extra-session'] as const;
export const ExceptionKind = z.enum(exceptionKinds);

export const opdSessionStatuses = ['open', 'cancelled', 'superseded'] as const;
export const OpdSessionStatus = z.enum(opdSessionStatuses);

// ---------------------------------------------------------------------------------------------------------
// Settings, practitioners, rooms
// ---------------------------------------------------------------------------------------------------------

export const OpdSettings = z
  .object({
    facilityId: Uuid,
    /** Priorities this facility honours in its queues. */
    priorityKinds: z.array(PriorityKind),
    /** From this age (in whole years, from the birth date) a patient is elderly. */
    elderlyAge: z.number().int(),
    /** How many days ahead slots are made and can be booked. */
    bookingWindowDays: z.number().int(),
    version: z.number().int(),
  })
  .meta({ id: 'OpdSettings' });
export type OpdSettings = z.infer<typeof OpdSettings>;

export const OpdSettingsBody = z.object({
  priorityKinds: z.array(PriorityKind).max(4),
  elderlyAge: z.number().int().min(40).max(100),
  bookingWindowDays: z.number().int().min(1).max(180),
  version: z.number().int().min(1),
});

export const Practitioner = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    userId: Uuid,
    displayName: z.string(),
    departmentId: Uuid,
    specialty: z.string(),
    registrationCouncil: z.string().nullable(),
    registrationNumber: z.string().nullable(),
    qualifications: z.array(z.string()),
    languages: z.array(z.string()),
    /** Fees in paise (minor units) of the facility's currency. */
    firstVisitFee: z.number().int(),
    followUpFee: z.number().int(),
    /** A visit within this many days after the last consultation with the same doctor is a follow-up. */
    followUpWithinDays: z.number().int(),
    currency: z.string(),
    /** Letters before the token number on the board, when doctors share a board. */
    tokenPrefix: z.string().nullable(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'Practitioner' });
export type Practitioner = z.infer<typeof Practitioner>;
export const PractitionerList = z.object({ items: z.array(Practitioner) });

export const PractitionerFields = z.object({
  displayName: Text(120),
  departmentId: Uuid,
  specialty: Text(120),
  registrationCouncil: optionalText(120),
  registrationNumber: optionalText(40),
  qualifications: z.array(Text(60)).max(10).default([]),
  languages: z.array(Text(40)).max(10).default([]),
  firstVisitFee: Paise,
  followUpFee: Paise,
  followUpWithinDays: z.number().int().min(0).max(365).default(7),
  tokenPrefix: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{1,3}$/, '1-3 letters')
    .nullable()
    .optional(),
  active: z.boolean().default(true),
});
export const CreatePractitionerBody = PractitionerFields.extend({ userId: Uuid });
export type CreatePractitionerBody = z.input<typeof CreatePractitionerBody>;
export const UpdatePractitionerBody = PractitionerFields.partial().extend({
  version: z.number().int().min(1),
});

export const PractitionerQuery = z.object({
  departmentId: Uuid.optional(),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export const BoardCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9-]{1,19}$/, '2-20 letters, digits or dashes');

export const ClinicRoom = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    departmentId: Uuid,
    name: z.string(),
    /** The public display's address: /display/<boardCode>. */
    boardCode: z.string(),
    /** Whether the public board may show patients' initials next to token numbers. */
    showInitials: z.boolean(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'ClinicRoom' });
export type ClinicRoom = z.infer<typeof ClinicRoom>;
export const ClinicRoomList = z.object({ items: z.array(ClinicRoom) });

export const ClinicRoomFields = z.object({
  departmentId: Uuid,
  name: Text(80),
  boardCode: BoardCode,
  showInitials: z.boolean().default(false),
  active: z.boolean().default(true),
});
export const UpdateClinicRoomBody = ClinicRoomFields.partial().extend({ version: z.number().int().min(1) });

// ---------------------------------------------------------------------------------------------------------
// Schedules: weekly templates, exceptions, sessions, slots
// ---------------------------------------------------------------------------------------------------------

const sessionShape = {
  roomId: Uuid,
  startTime: TimeOfDay,
  endTime: TimeOfDay,
  slotMinutes: z.number().int().min(5).max(240),
  patientsPerSlot: z.number().int().min(1).max(50),
  walkInQuota: z.number().int().min(0).max(500).default(0),
};
const sessionRefinements = <T extends z.ZodType<{ startTime: string; endTime: string; slotMinutes: number }>>(
  schema: T,
) =>
  schema
    .refine((s) => minutesOf(s.endTime) > minutesOf(s.startTime), {
      message: 'the session must end after it starts',
      path: ['endTime'],
    })
    .refine((s) => minutesOf(s.endTime) - minutesOf(s.startTime) >= s.slotMinutes, {
      message: 'the session is shorter than one slot',
      path: ['slotMinutes'],
    });

export const ScheduleTemplate = z
  .object({
    id: Uuid,
    practitionerId: Uuid,
    roomId: Uuid,
    weekday: Weekday,
    startTime: TimeOfDay,
    endTime: TimeOfDay,
    slotMinutes: z.number().int(),
    patientsPerSlot: z.number().int(),
    walkInQuota: z.number().int(),
    validFrom: CalendarDate,
    validTo: CalendarDate.nullable(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'ScheduleTemplate' });
export type ScheduleTemplate = z.infer<typeof ScheduleTemplate>;
export const ScheduleTemplateList = z.object({ items: z.array(ScheduleTemplate) });

export const CreateScheduleBody = sessionRefinements(
  z.object({
    practitionerId: Uuid,
    weekday: Weekday,
    ...sessionShape,
    validFrom: CalendarDate,
    validTo: CalendarDate.nullable().optional(),
  }),
).refine((s) => !s.validTo || s.validTo >= s.validFrom, {
  message: 'valid to must not be before valid from',
  path: ['validTo'],
});
export type CreateScheduleBody = z.input<typeof CreateScheduleBody>;

export const UpdateScheduleBody = z
  .object({
    roomId: Uuid.optional(),
    startTime: TimeOfDay.optional(),
    endTime: TimeOfDay.optional(),
    slotMinutes: z.number().int().min(5).max(240).optional(),
    patientsPerSlot: z.number().int().min(1).max(50).optional(),
    walkInQuota: z.number().int().min(0).max(500).optional(),
    validTo: CalendarDate.nullable().optional(),
    active: z.boolean().optional(),
    version: z.number().int().min(1),
  })
  .refine((s) => !s.startTime || !s.endTime || minutesOf(s.endTime) > minutesOf(s.startTime), {
    message: 'the session must end after it starts',
    path: ['endTime'],
  });

export const ScheduleQuery = z.object({ practitionerId: Uuid.optional() });

export const ScheduleException = z
  .object({
    id: Uuid,
    /** Null: a holiday of the whole facility. */
    practitionerId: Uuid.nullable(),
    kind: ExceptionKind,
    dateFrom: CalendarDate,
    dateTo: CalendarDate,
    reason: z.string(),
    /** For an extra session: where and when. */
    session: z
      .object({
        roomId: Uuid,
        startTime: TimeOfDay,
        endTime: TimeOfDay,
        slotMinutes: z.number().int(),
        patientsPerSlot: z.number().int(),
        walkInQuota: z.number().int(),
      })
      .nullable(),
    status: z.enum(['active', 'withdrawn']),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'ScheduleException' });
export type ScheduleException = z.infer<typeof ScheduleException>;
export const ScheduleExceptionList = z.object({ items: z.array(ScheduleException) });

export const CreateExceptionBody = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('leave'),
      practitionerId: Uuid,
      dateFrom: CalendarDate,
      dateTo: CalendarDate,
      reason: Text(300),
    })
    .refine((e) => e.dateTo >= e.dateFrom, { message: 'must not be before dateFrom', path: ['dateTo'] }),
  z
    .object({
      kind: z.literal('holiday'),
      /** Omitted: the whole facility is closed. */
      practitionerId: Uuid.nullable().optional(),
      dateFrom: CalendarDate,
      dateTo: CalendarDate,
      reason: Text(300),
    })
    .refine((e) => e.dateTo >= e.dateFrom, { message: 'must not be before dateFrom', path: ['dateTo'] }),
  sessionRefinements(
    z.object({
      kind: z.literal('extra-session'),
      practitionerId: Uuid,
      date: CalendarDate,
      reason: Text(300),
      ...sessionShape,
    }),
  ),
]);
export type CreateExceptionBody = z.input<typeof CreateExceptionBody>;

export const ExceptionQuery = z.object({
  practitionerId: Uuid.optional(),
  from: CalendarDate.optional(),
  to: CalendarDate.optional(),
});

export const OpdSession = z
  .object({
    id: Uuid,
    practitionerId: Uuid,
    roomId: Uuid,
    date: CalendarDate,
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    slotMinutes: z.number().int(),
    patientsPerSlot: z.number().int(),
    walkInQuota: z.number().int(),
    status: OpdSessionStatus,
    cancelReason: z.string().nullable(),
    scheduleId: Uuid.nullable(),
    exceptionId: Uuid.nullable(),
  })
  .meta({ id: 'OpdSession' });
export type OpdSession = z.infer<typeof OpdSession>;
export const OpdSessionList = z.object({ items: z.array(OpdSession) });
export const OpdSessionQuery = z.object({
  practitionerId: Uuid.optional(),
  from: CalendarDate,
  to: CalendarDate,
});

/** A booked patient whose session was cancelled: the desk calls them to rebook (see the reschedule list). */
export const AffectedAppointment = z.object({
  appointmentId: Uuid,
  patient: PatientSummary,
  practitionerId: Uuid,
  startsAt: IsoDateTime,
});
export type AffectedAppointment = z.infer<typeof AffectedAppointment>;

export const CancelSessionBody = z.object({ reason: Text(300) });
export const SessionCancellation = z.object({ session: OpdSession, affected: z.array(AffectedAppointment) });

/** What a schedule change did to booked patients (sessions cancelled or replaced). */
export const ScheduleChangeResult = z.object({
  template: ScheduleTemplate.optional(),
  exception: ScheduleException.optional(),
  affected: z.array(AffectedAppointment),
});

export const Slot = z
  .object({
    id: Uuid,
    sessionId: Uuid,
    practitionerId: Uuid,
    roomId: Uuid,
    date: CalendarDate,
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    capacity: z.number().int(),
    booked: z.number().int(),
    /** capacity - booked: what can still be booked now. */
    free: z.number().int(),
    status: z.enum(['open', 'cancelled']),
  })
  .meta({ id: 'Slot' });
export type Slot = z.infer<typeof Slot>;
export const SlotList = z.object({ items: z.array(Slot) });

export const SlotQuery = z
  .object({
    practitionerId: Uuid,
    from: CalendarDate,
    to: CalendarDate,
    onlyFree: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  })
  .refine((q) => q.to >= q.from, { message: 'must not be before from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 31 * 86_400_000, {
    message: 'at most 31 days at a time',
    path: ['to'],
  });

export const MaterializeBody = optionalBody(z.object({ practitionerId: Uuid.optional() }));
export const MaterializeResult = z.object({
  practitioners: z.number().int(),
  sessionsCreated: z.number().int(),
  affected: z.array(AffectedAppointment),
});

// ---------------------------------------------------------------------------------------------------------
// Appointments
// ---------------------------------------------------------------------------------------------------------

export const Appointment = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    patientId: Uuid,
    patient: PatientSummary.nullable(),
    practitionerId: Uuid,
    practitionerName: z.string(),
    slotId: Uuid,
    sessionId: Uuid,
    roomId: Uuid,
    date: CalendarDate,
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    status: AppointmentStatus,
    source: AppointmentSource,
    reason: z.string().nullable(),
    feeKind: FeeKind,
    /** The consultation fee in paise, fixed at booking. */
    fee: z.number().int(),
    currency: z.string(),
    followUpOfEncounterId: Uuid.nullable(),
    cancelReason: z.string().nullable(),
    /** Cancelled because the doctor's session was cancelled: on the reschedule list until rebooked. */
    cancelledBySession: z.boolean(),
    tokenId: Uuid.nullable(),
    bookedAt: IsoDateTime,
    arrivedAt: IsoDateTime.nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Appointment' });
export type Appointment = z.infer<typeof Appointment>;
export const AppointmentPage = page(Appointment);

export const BookAppointmentBody = z.object({
  patientId: Uuid,
  slotId: Uuid,
  source: z.enum(['front-desk', 'call-centre']).default('front-desk'),
  reason: optionalText(300),
});
export type BookAppointmentBody = z.input<typeof BookAppointmentBody>;

export const RescheduleBody = z.object({
  slotId: Uuid,
  reason: optionalText(300),
  version: z.number().int().min(1).optional(),
});
export const CancelAppointmentBody = z.object({
  reason: Text(300),
  version: z.number().int().min(1).optional(),
});
/** Optional body of queue and appointment actions: the version the client saw (or send If-Match). */
export const VersionBody = optionalBody(z.object({ version: z.number().int().min(1).optional() }));

/** A follow-up booked from a consultation: a given slot, or the first free slot on a date. */
export const FollowUpBody = z
  .object({
    encounterId: Uuid,
    slotId: Uuid.optional(),
    date: CalendarDate.optional(),
    reason: optionalText(300),
  })
  .refine((b) => (b.slotId === undefined) !== (b.date === undefined), {
    message: 'give either slotId or date',
    path: ['slotId'],
  });

export const AppointmentQuery = PageQuery.extend({
  date: CalendarDate.optional(),
  practitionerId: Uuid.optional(),
  patientId: Uuid.optional(),
  status: AppointmentStatus.optional(),
});

export const RescheduleListQuery = PageQuery;

// ---------------------------------------------------------------------------------------------------------
// Tokens and the queue
// ---------------------------------------------------------------------------------------------------------

export const QueueToken = z
  .object({
    id: Uuid,
    /** What the board shows and the nurse calls: "A-012" or "12". */
    label: z.string(),
    number: z.number().int(),
    date: CalendarDate,
    practitionerId: Uuid,
    practitionerName: z.string(),
    roomId: Uuid,
    patientId: Uuid,
    patient: PatientSummary.nullable(),
    appointmentId: Uuid.nullable(),
    kind: TokenKind,
    priorities: z.array(PriorityKind),
    /** 0 emergency, 1 elderly / pregnant / disabled, 2 everyone else. */
    priorityRank: z.number().int(),
    status: TokenStatus,
    arrivedAt: IsoDateTime,
    /** The time the queue orders by (see the module README: the fair rule). */
    queuedAt: IsoDateTime,
    /** Slot start of an appointment token. */
    appointmentAt: IsoDateTime.nullable(),
    calledAt: IsoDateTime.nullable(),
    callCount: z.number().int(),
    consultationStartedAt: IsoDateTime.nullable(),
    completedAt: IsoDateTime.nullable(),
    transferredToTokenId: Uuid.nullable(),
    transferredFromTokenId: Uuid.nullable(),
    encounterId: Uuid.nullable(),
    feeKind: FeeKind,
    version: z.number().int(),
  })
  .meta({ id: 'QueueToken' });
export type QueueToken = z.infer<typeof QueueToken>;

export const CheckInBody = z.object({
  patientId: Uuid,
  practitionerId: Uuid,
  /** Declared at the desk; "elderly" is also worked out from the birth date. */
  priorities: z.array(PriorityKind).max(4).default([]),
});
export type CheckInBody = z.input<typeof CheckInBody>;
export const ArriveBody = optionalBody(
  z.object({
    priorities: z.array(PriorityKind).max(4).default([]),
    version: z.number().int().min(1).optional(),
  }),
);
export const CheckInResult = z.object({ token: QueueToken, appointment: Appointment.nullable() });

export const QueueQuery = z.object({ practitionerId: Uuid, date: CalendarDate.optional() });
export const Queue = z
  .object({
    practitionerId: Uuid,
    date: CalendarDate,
    /** Waiting, called, in consultation and skipped, in the order they will be seen. */
    active: z.array(QueueToken),
    /** Completed and transferred, most recent first. */
    done: z.array(QueueToken),
  })
  .meta({ id: 'Queue' });
export type Queue = z.infer<typeof Queue>;

export const TransferBody = z.object({
  toPractitionerId: Uuid,
  reason: Text(300),
  version: z.number().int().min(1).optional(),
});
export const TransferResult = z.object({ from: QueueToken, to: QueueToken });
export const CallNextBody = z.object({ practitionerId: Uuid });

// ---------------------------------------------------------------------------------------------------------
// The doctor's worklist, waiting times
// ---------------------------------------------------------------------------------------------------------

export const Worklist = z
  .object({
    practitioner: Practitioner,
    date: CalendarDate,
    appointments: z.array(Appointment),
    queue: Queue,
    current: QueueToken.nullable(),
    next: QueueToken.nullable(),
    counts: z.object({
      booked: z.number().int(),
      arrived: z.number().int(),
      waiting: z.number().int(),
      completed: z.number().int(),
      noShow: z.number().int(),
    }),
    /** The doctor's clinical notes still unsigned; null when the encounters module cannot tell. */
    unsignedNotes: z.number().int().nullable(),
  })
  .meta({ id: 'Worklist' });
export type Worklist = z.infer<typeof Worklist>;
export const WorklistQuery = z.object({ practitionerId: Uuid.optional(), date: CalendarDate.optional() });
export const WorklistCallNextBody = optionalBody(z.object({ practitionerId: Uuid.optional() }));
export const ConsultationStart = z.object({
  token: QueueToken,
  patient: PatientSummary,
  encounterId: Uuid,
});

const Percentiles = z.object({
  median: z.number().nullable(),
  p90: z.number().nullable(),
});
export const WaitingTimeRow = z.object({
  date: CalendarDate,
  roomId: Uuid,
  roomName: z.string(),
  practitionerId: Uuid,
  practitionerName: z.string(),
  tokens: z.number().int(),
  called: z.number().int(),
  completed: z.number().int(),
  /** Seconds from arrival (check-in) to the first call. */
  arrivalToCall: Percentiles,
  /** Seconds from the first call to completion. */
  callToCompletion: Percentiles,
});
export const WaitingTimeQuery = z
  .object({
    from: CalendarDate,
    to: CalendarDate,
    roomId: Uuid.optional(),
    practitionerId: Uuid.optional(),
  })
  .refine((q) => q.to >= q.from, { message: 'must not be before from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 31 * 86_400_000, {
    message: 'at most 31 days at a time',
    path: ['to'],
  });
export const WaitingTimes = z.object({ items: z.array(WaitingTimeRow) }).meta({ id: 'WaitingTimes' });
export type WaitingTimes = z.infer<typeof WaitingTimes>;

// ---------------------------------------------------------------------------------------------------------
// The public token board (no login): token numbers and status, no names unless the board allows initials
// ---------------------------------------------------------------------------------------------------------

export const BoardToken = z.object({
  label: z.string(),
  status: z.enum(['waiting', 'called', 'in-consultation']),
  calledAt: IsoDateTime.nullable(),
  /** Only when the board's setting allows it: "L N". */
  initials: z.string().nullable(),
});
export const PublicBoard = z
  .object({
    boardCode: z.string(),
    roomName: z.string(),
    date: CalendarDate,
    nowServing: z.array(BoardToken),
    waiting: z.array(BoardToken),
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'PublicBoard' });
export type PublicBoard = z.infer<typeof PublicBoard>;
export const BoardParams = z.object({ boardCode: z.string().min(1).max(40) });

// ---------------------------------------------------------------------------------------------------------
// Events (payloads carry ids and times, never names: they may leave the process)
// ---------------------------------------------------------------------------------------------------------

export const OPD_EVENTS = {
  appointmentBooked: 'opd.appointment.booked',
  appointmentRescheduled: 'opd.appointment.rescheduled',
  appointmentCancelled: 'opd.appointment.cancelled',
  appointmentArrived: 'opd.appointment.arrived',
  appointmentNoShow: 'opd.appointment.no-show',
  sessionCancelled: 'opd.session.cancelled',
  tokenIssued: 'opd.token.issued',
  tokenCalled: 'opd.token.called',
  tokenCompleted: 'opd.token.completed',
  tokenTransferred: 'opd.token.transferred',
} as const;

export const AppointmentEventPayload = z.object({
  appointmentId: Uuid,
  patientId: Uuid,
  practitionerId: Uuid,
  slotId: Uuid,
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  source: AppointmentSource,
  feeKind: FeeKind,
  fee: z.number().int(),
  currency: z.string(),
  /** rescheduled: where it was. */
  previous: z.object({ slotId: Uuid, practitionerId: Uuid, startsAt: IsoDateTime }).optional(),
  /** cancelled: 'request' (patient or desk) or 'session-cancelled' (also announced by opd.session.cancelled). */
  cause: z.enum(['request', 'session-cancelled', 'merged']).optional(),
  tokenId: Uuid.optional(),
});
export type AppointmentEventPayload = z.infer<typeof AppointmentEventPayload>;

export const SessionCancelledPayload = z.object({
  sessionId: Uuid,
  practitionerId: Uuid,
  date: CalendarDate,
  startsAt: IsoDateTime,
  reason: z.string(),
  appointmentIds: z.array(Uuid),
});
export type SessionCancelledPayload = z.infer<typeof SessionCancelledPayload>;

export const TokenEventPayload = z.object({
  tokenId: Uuid,
  patientId: Uuid,
  practitionerId: Uuid,
  roomId: Uuid,
  date: CalendarDate,
  number: z.number().int(),
  status: TokenStatus,
  appointmentId: Uuid.nullable(),
  kind: TokenKind,
  feeKind: FeeKind,
  transferredToTokenId: Uuid.optional(),
});
export type TokenEventPayload = z.infer<typeof TokenEventPayload>;
