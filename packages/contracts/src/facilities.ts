import { z } from 'zod';
import { IsoDateTime, IsoDay, PageQuery, page, Text, Uuid } from './common';

// Housekeeping (module `facilities`): the cleaning of released beds (terminal cleaning of isolation beds),
// spills and routine rounds; a queue for the housekeeping staff's phones, assignment, start and finish,
// overdue alerts and the turnaround report.

export const housekeepingTaskKinds = ['bed-cleaning', 'terminal-cleaning', 'spill', 'routine'] as const;
export const HousekeepingTaskKind = z.enum(housekeepingTaskKinds);
export type HousekeepingTaskKind = z.infer<typeof HousekeepingTaskKind>;

export const housekeepingTaskStatuses = ['open', 'assigned', 'in-progress', 'done', 'cancelled'] as const;
export const HousekeepingTaskStatus = z.enum(housekeepingTaskStatuses);
export type HousekeepingTaskStatus = z.infer<typeof HousekeepingTaskStatus>;

/** The statuses of work still to do: what the queue shows. */
export const liveHousekeepingStatuses = ['open', 'assigned', 'in-progress'] as const;

export const housekeepingPriorities = ['routine', 'urgent'] as const;
export const HousekeepingPriority = z.enum(housekeepingPriorities);

const optionalNote = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

export const HousekeepingTask = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    kind: HousekeepingTaskKind,
    priority: HousekeepingPriority,
    /** Where: "Ward name / bed code" for beds, free text for manual tasks. */
    location: z.string(),
    wardId: Uuid.nullable(),
    bedId: Uuid.nullable(),
    note: z.string().nullable(),
    status: HousekeepingTaskStatus,
    requestedAt: IsoDateTime,
    dueAt: IsoDateTime,
    /** Past due and not finished (computed at the time of the answer). */
    overdue: z.boolean(),
    /** When the overdue alert went out (once per task). */
    overdueAlertedAt: IsoDateTime.nullable(),
    assignedToId: Uuid.nullable(),
    assignedToName: z.string().nullable(),
    assignedAt: IsoDateTime.nullable(),
    startedAt: IsoDateTime.nullable(),
    finishedAt: IsoDateTime.nullable(),
    finishedByName: z.string().nullable(),
    /** Minutes from request to finish, once done. */
    turnaroundMinutes: z.number().int().nullable(),
    cancelledReason: z.string().nullable(),
    createdByName: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'HousekeepingTask' });
export type HousekeepingTask = z.infer<typeof HousekeepingTask>;
export const HousekeepingTaskPage = page(HousekeepingTask);
export type HousekeepingTaskPage = z.infer<typeof HousekeepingTaskPage>;

export const HousekeepingQueueQuery = PageQuery.extend({
  wardId: Uuid.optional(),
  /** Only one status of the live ones (default: all three). */
  status: z.enum(liveHousekeepingStatuses).optional(),
  /** 'true': only the tasks assigned to me. */
  mine: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type HousekeepingQueueQuery = z.input<typeof HousekeepingQueueQuery>;

/** A task made by hand (a supervisor): a spill or a routine round. Bed cleaning comes from IPD's events. */
export const CreateHousekeepingTaskBody = z.object({
  kind: z.enum(['spill', 'routine']),
  priority: HousekeepingPriority.optional(),
  location: Text(200),
  /** The ward it is in, when it is in one (the queue filters by ward). */
  wardId: Uuid.nullish(),
  note: optionalNote(500),
  /** Minutes until due; default 30 for a spill, 120 for a routine task. */
  dueInMinutes: z
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .optional(),
});
export type CreateHousekeepingTaskBody = z.input<typeof CreateHousekeepingTaskBody>;

export const AssignHousekeepingTaskBody = z.object({
  /** A staff user who holds facilities:housekeeping in this facility. */
  userId: Uuid,
  version: z.number().int().min(1).optional(),
});

/** Actions with nothing to say but the version the client saw (or send If-Match). */
export const HousekeepingActionBody = z
  .object({ version: z.number().int().min(1).optional() })
  .nullish()
  .transform((v) => v ?? {});

export const FinishHousekeepingTaskBody = z
  .object({ version: z.number().int().min(1).optional(), note: optionalNote(500) })
  .nullish()
  .transform((v) => v ?? {});

export const CancelHousekeepingTaskBody = z.object({
  reason: Text(300),
  version: z.number().int().min(1).optional(),
});

const CalendarDay = IsoDay;
/** A report's day: a calendar date in this millennium (the day after it must still be a date). */
const ReportDay = CalendarDay.refine(
  (d) => d >= '2000-01-01' && d <= '2999-12-31',
  'a date from 2000 to 2999',
);
export const HousekeepingTurnaroundQuery = z
  .object({ from: ReportDay, to: ReportDay, wardId: Uuid.optional() })
  .refine((q) => q.to >= q.from, { message: 'must not be before from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 92 * 86_400_000, {
    message: 'at most 92 days at a time',
    path: ['to'],
  });

export const HousekeepingTurnaroundRow = z.object({
  wardId: Uuid.nullable(),
  /** The ward's name, or null for tasks outside a ward. */
  wardName: z.string().nullable(),
  kind: HousekeepingTaskKind,
  count: z.number().int(),
  /** Minutes from request to finish. */
  medianMinutes: z.number(),
  p90Minutes: z.number(),
});
export const HousekeepingTurnaround = z
  .object({ from: CalendarDay, to: CalendarDay, items: z.array(HousekeepingTurnaroundRow) })
  .meta({ id: 'HousekeepingTurnaround' });
export type HousekeepingTurnaround = z.infer<typeof HousekeepingTurnaround>;

/** Payload of `facilities.housekeeping.task-overdue` (FACILITIES_EVENTS.taskOverdue), sent once per task. */
export const HousekeepingTaskOverduePayload = z.object({
  taskId: Uuid,
  kind: HousekeepingTaskKind,
  priority: HousekeepingPriority,
  status: z.enum(liveHousekeepingStatuses),
  location: z.string(),
  wardId: Uuid.nullable(),
  bedId: Uuid.nullable(),
  dueAt: IsoDateTime,
  assignedToId: Uuid.nullable(),
});
export type HousekeepingTaskOverduePayload = z.infer<typeof HousekeepingTaskOverduePayload>;

/** Who a supervisor may give housekeeping work to: active staff holding facilities:housekeeping here. */
export const HousekeepingStaffList = z
  .object({ items: z.array(z.object({ id: z.uuid(), displayName: z.string() })) })
  .meta({ id: 'HousekeepingStaffList' });
export type HousekeepingStaffList = z.infer<typeof HousekeepingStaffList>;
