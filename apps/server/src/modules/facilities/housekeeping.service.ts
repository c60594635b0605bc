import {
  type BedCleanedPayload,
  type BedReleasedPayload,
  type CreateHousekeepingTaskBody,
  FACILITIES_EVENTS,
  type HousekeepingTask,
  type HousekeepingTaskKind,
  type HousekeepingTaskPage,
  type HousekeepingTaskStatus,
  liveHousekeepingStatuses,
  type HousekeepingQueueQuery as QueueQuerySchema,
} from '@newhms/contracts';
import { and, asc, eq, gt, inArray, or } from 'drizzle-orm';
import type { z } from 'zod';
import { hasPermission, loadGrants, staffWithPermission } from '../../platform/access/access.service';
import { getUser } from '../../platform/auth/users.service';
import { actorId, type Ctx } from '../../platform/context';
import type { DbOrTx, Tx } from '../../platform/db/database';
import { appendEvent, type EventRegistry } from '../../platform/events/outbox';
import {
  BadRequest,
  Conflict,
  Forbidden,
  NotFound,
  RuleViolation,
  StaleVersion,
} from '../../platform/http/errors';
import { decodeCursor, toPage } from '../../platform/http/pagination';
import { getWardNames } from '../ipd';
import { housekeepingTasks } from './facilities.tables';
import {
  bedTaskKind,
  DUE_MINUTES,
  type HousekeepingAction,
  isOverdue,
  nextStatus,
  turnaroundMinutes,
} from './housekeeping-rules';

// The housekeeping task queue: tasks from released beds (IPD's events) and by hand, assignment, start,
// finish (a bed task tells IPD the bed is clean), cancellation. Tasks carry no patient data.

/** What the housekeeping services need besides the context. */
export type FacilitiesEnv = { events: EventRegistry };

export type TaskRow = typeof housekeepingTasks.$inferSelect;

export const SUPERVISE = 'facilities:supervise-housekeeping';
export const HOUSEKEEPING = 'facilities:housekeeping';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requireFacility(ctx: Ctx): string {
  if (!ctx.facilityId) throw new RuleViolation('FACILITY_REQUIRED', 'Choose a facility first');
  return ctx.facilityId;
}

export function toTask(r: TaskRow, now: Date): HousekeepingTask {
  const status = r.status as HousekeepingTaskStatus;
  return {
    id: r.id,
    facilityId: r.facilityId,
    kind: r.kind as HousekeepingTaskKind,
    priority: r.priority as HousekeepingTask['priority'],
    location: r.location,
    wardId: r.wardId,
    bedId: r.bedId,
    note: r.note,
    status,
    requestedAt: r.requestedAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    overdue: isOverdue(status, r.dueAt, now),
    overdueAlertedAt: r.overdueAlertedAt?.toISOString() ?? null,
    assignedToId: r.assignedToId,
    assignedToName: r.assignedToName,
    assignedAt: r.assignedAt?.toISOString() ?? null,
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    finishedByName: r.finishedByName,
    turnaroundMinutes: r.turnaroundMinutes,
    cancelledReason: r.cancelledReason,
    createdByName: r.createdByName,
    version: r.version,
  };
}

const SYSTEM_CREATOR = 'IPD (bed released)';

/**
 * The subscriber of `ipd.bed.released`: one cleaning task per released bed (terminal cleaning for an
 * isolation bed), due 45 or 90 minutes after the release. The event id is the task's source, so a
 * redelivered event makes no second task; a bed that already has cleaning under way gets none either.
 */
export async function createBedCleaningTask(
  tx: DbOrTx,
  eventId: string,
  facilityId: string,
  p: BedReleasedPayload,
): Promise<TaskRow | null> {
  const [live] = await tx
    .select({ id: housekeepingTasks.id })
    .from(housekeepingTasks)
    .where(
      and(
        eq(housekeepingTasks.bedId, p.bedId),
        inArray(housekeepingTasks.kind, ['bed-cleaning', 'terminal-cleaning']),
        inArray(housekeepingTasks.status, [...liveHousekeepingStatuses]),
      ),
    )
    .limit(1);
  if (live) return null;
  const kind = bedTaskKind(p.isolation);
  const requestedAt = new Date(p.releasedAt);
  const [row] = await tx
    .insert(housekeepingTasks)
    .values({
      facilityId,
      kind,
      location: `${p.wardName} / ${p.bedCode}`,
      wardId: p.wardId,
      bedId: p.bedId,
      sourceEventId: eventId,
      note: p.cause === 'transfer' ? 'Patient transferred' : null,
      requestedAt,
      dueAt: new Date(requestedAt.getTime() + DUE_MINUTES[kind] * 60_000),
      createdByName: SYSTEM_CREATOR,
    })
    .onConflictDoNothing({ target: housekeepingTasks.sourceEventId })
    .returning();
  return row ?? null;
}

/** A spill or a routine task, made by a supervisor. */
export async function createManualTask(
  ctx: Ctx,
  input: z.output<typeof CreateHousekeepingTaskBody>,
): Promise<HousekeepingTask> {
  const facilityId = requireFacility(ctx);
  if (input.wardId) {
    const names = await getWardNames(ctx.db, facilityId, [input.wardId]);
    if (!names.has(input.wardId)) {
      throw new RuleViolation('HOUSEKEEPING_WARD_NOT_FOUND', 'The ward is not in this facility', [
        { path: 'body.wardId', message: 'no such ward in this facility' },
      ]);
    }
  }
  const dueIn = input.dueInMinutes ?? DUE_MINUTES[input.kind];
  const [row] = await ctx.db
    .insert(housekeepingTasks)
    .values({
      facilityId,
      kind: input.kind,
      priority: input.priority ?? (input.kind === 'spill' ? 'urgent' : 'routine'),
      location: input.location,
      wardId: input.wardId ?? null,
      note: input.note ?? null,
      requestedAt: ctx.now,
      dueAt: new Date(ctx.now.getTime() + dueIn * 60_000),
      createdById: actorId(ctx.actor),
      createdByName: ctx.actor.name,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  return toTask(row!, ctx.now);
}

async function lockTask(tx: Tx, facilityId: string, id: string, version: number | undefined) {
  const [row] = await tx
    .select()
    .from(housekeepingTasks)
    .where(and(eq(housekeepingTasks.id, id), eq(housekeepingTasks.facilityId, facilityId)))
    .for('update');
  if (!row) throw new NotFound('The housekeeping task', 'HOUSEKEEPING_TASK_NOT_FOUND');
  if (version !== undefined && row.version !== version) throw new StaleVersion('The housekeeping task');
  return row;
}

const DONE: Record<HousekeepingAction, string> = {
  assign: 'assigned',
  take: 'taken',
  start: 'started',
  finish: 'finished',
  cancel: 'cancelled',
};

function refuse(row: TaskRow, action: HousekeepingAction): never {
  throw new Conflict(
    'HOUSEKEEPING_INVALID_TRANSITION',
    `A task that is ${row.status} cannot be ${DONE[action]}`,
  );
}

function transition(row: TaskRow, action: HousekeepingAction): HousekeepingTaskStatus {
  const next = nextStatus(row.status as HousekeepingTaskStatus, action);
  if (!next) refuse(row, action);
  return next;
}

function userOf(ctx: Ctx): { id: string; name: string } {
  if (ctx.actor.type !== 'user') throw new Forbidden('HOUSEKEEPING_STAFF_ONLY', 'Only staff take tasks');
  return { id: ctx.actor.userId, name: ctx.actor.name };
}

/** Runs one change of a task under its row lock, with the version check. */
async function changeTask(
  ctx: Ctx,
  id: string,
  version: number | undefined,
  change: (tx: Tx, row: TaskRow) => Promise<Partial<typeof housekeepingTasks.$inferInsert>>,
  after?: (tx: Tx, row: TaskRow) => Promise<void>,
): Promise<HousekeepingTask> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const current = await lockTask(tx, facilityId, id, version);
    const set = await change(tx, current);
    const [row] = await tx
      .update(housekeepingTasks)
      .set({ ...set, version: current.version + 1, updatedAt: ctx.now })
      .where(eq(housekeepingTasks.id, id))
      .returning();
    await after?.(tx, row!);
    return toTask(row!, ctx.now);
  });
}

/** The staff a supervisor may give tasks to in the current facility. */
export async function assignableStaff(ctx: Ctx): Promise<{ id: string; displayName: string }[]> {
  return staffWithPermission(ctx.db, requireFacility(ctx), HOUSEKEEPING);
}

/** A supervisor gives the task to a member of staff who holds facilities:housekeeping here. */
export async function assignTask(
  ctx: Ctx,
  id: string,
  input: { userId: string; version?: number | undefined },
): Promise<HousekeepingTask> {
  const facilityId = requireFacility(ctx);
  const assignee = await housekeeper(ctx, facilityId, input.userId);
  return changeTask(ctx, id, input.version, async (_tx, row) => ({
    status: transition(row, 'assign'),
    assignedToId: assignee.id,
    assignedToName: assignee.name,
    assignedAt: ctx.now,
  }));
}

async function housekeeper(ctx: Ctx, facilityId: string, userId: string) {
  const invalid = () =>
    new RuleViolation('HOUSEKEEPING_NOT_STAFF', 'This user is not housekeeping staff of this facility', [
      { path: 'body.userId', message: 'no facilities:housekeeping permission in this facility' },
    ]);
  let user: Awaited<ReturnType<typeof getUser>>;
  try {
    user = await getUser(ctx, userId);
  } catch (err) {
    if (err instanceof NotFound) throw invalid();
    throw err;
  }
  const grants = await loadGrants(ctx.db, userId);
  const here = grants.find((g) => g.facilityId === facilityId);
  if (user.status !== 'active' || !here?.permissions.includes(HOUSEKEEPING)) throw invalid();
  return { id: user.id, name: user.displayName };
}

/** Staff take an open task for themselves. */
export async function takeTask(
  ctx: Ctx,
  id: string,
  input: { version?: number | undefined },
): Promise<HousekeepingTask> {
  const me = userOf(ctx);
  return changeTask(ctx, id, input.version, async (_tx, row) => ({
    status: transition(row, 'take'),
    assignedToId: me.id,
    assignedToName: me.name,
    assignedAt: ctx.now,
  }));
}

function assertAssigneeOrSupervisor(ctx: Ctx, row: TaskRow) {
  if (row.assignedToId && row.assignedToId !== actorId(ctx.actor) && !hasPermission(ctx, SUPERVISE)) {
    throw new Forbidden(
      'HOUSEKEEPING_NOT_ASSIGNEE',
      `This task is assigned to ${row.assignedToName ?? 'someone else'}`,
    );
  }
}

/** Work begins: by the assignee (an open task is taken at the same time). */
export async function startTask(
  ctx: Ctx,
  id: string,
  input: { version?: number | undefined },
): Promise<HousekeepingTask> {
  const me = userOf(ctx);
  return changeTask(ctx, id, input.version, async (_tx, row) => {
    const status = transition(row, 'start');
    if (row.assignedToId && row.assignedToId !== me.id) {
      throw new Forbidden(
        'HOUSEKEEPING_NOT_ASSIGNEE',
        `This task is assigned to ${row.assignedToName ?? 'someone else'}`,
      );
    }
    return {
      status,
      startedAt: ctx.now,
      ...(row.assignedToId ? {} : { assignedToId: me.id, assignedToName: me.name, assignedAt: ctx.now }),
    };
  });
}

/**
 * Work done: by the assignee or a supervisor. A bed task keeps its turnaround and, in the same
 * transaction, tells IPD the bed is clean (`facilities.housekeeping.bed-cleaned`).
 */
export async function finishTask(
  ctx: Ctx,
  env: FacilitiesEnv,
  id: string,
  input: { version?: number | undefined; note?: string | null | undefined },
): Promise<HousekeepingTask> {
  return changeTask(
    ctx,
    id,
    input.version,
    async (_tx, row) => {
      const status = transition(row, 'finish');
      assertAssigneeOrSupervisor(ctx, row);
      return {
        status,
        finishedAt: ctx.now,
        finishedById: actorId(ctx.actor),
        finishedByName: ctx.actor.name,
        turnaroundMinutes: turnaroundMinutes(row.requestedAt, ctx.now),
        ...(input.note ? { note: row.note ? `${row.note}; ${input.note}` : input.note } : {}),
      };
    },
    async (tx, row) => {
      if (!row.bedId || (row.kind !== 'bed-cleaning' && row.kind !== 'terminal-cleaning')) return;
      const payload: BedCleanedPayload = {
        taskId: row.id,
        bedId: row.bedId,
        finishedAt: row.finishedAt!.toISOString(),
        turnaroundMinutes: row.turnaroundMinutes!,
        kind: row.kind,
      };
      await appendEvent(tx, env.events, {
        type: FACILITIES_EVENTS.bedCleaned,
        facilityId: row.facilityId,
        aggregateId: row.id,
        actorId: actorId(ctx.actor),
        payload,
      });
    },
  );
}

/** A supervisor cancels work that is not needed, with the reason (kept; the task is not deleted). */
export async function cancelTask(
  ctx: Ctx,
  id: string,
  input: { reason: string; version?: number | undefined },
): Promise<HousekeepingTask> {
  return changeTask(ctx, id, input.version, async (_tx, row) => ({
    status: transition(row, 'cancel'),
    cancelledReason: input.reason,
  }));
}

export async function getTask(ctx: Ctx, id: string): Promise<HousekeepingTask> {
  const facilityId = requireFacility(ctx);
  const [row] = await ctx.db
    .select()
    .from(housekeepingTasks)
    .where(and(eq(housekeepingTasks.id, id), eq(housekeepingTasks.facilityId, facilityId)));
  if (!row) throw new NotFound('The housekeeping task', 'HOUSEKEEPING_TASK_NOT_FOUND');
  return toTask(row, ctx.now);
}

function afterCursor(cursor: string | undefined) {
  const key = decodeCursor(cursor, 2);
  if (!key) return undefined;
  const at = new Date(String(key[0]));
  if (Number.isNaN(at.getTime()) || typeof key[1] !== 'string' || !UUID.test(key[1])) {
    throw new BadRequest('INVALID_CURSOR', 'The cursor is not valid for this list');
  }
  return or(
    gt(housekeepingTasks.dueAt, at),
    and(eq(housekeepingTasks.dueAt, at), gt(housekeepingTasks.id, key[1])),
  );
}

/** The work still to do in the facility, the most overdue first (keyset pages by due time). */
export async function listQueue(
  ctx: Ctx,
  q: z.output<typeof QueueQuerySchema>,
): Promise<HousekeepingTaskPage> {
  const facilityId = requireFacility(ctx);
  const me = q.mine ? userOf(ctx).id : undefined;
  const rows = await ctx.db
    .select()
    .from(housekeepingTasks)
    .where(
      and(
        eq(housekeepingTasks.facilityId, facilityId),
        q.status
          ? eq(housekeepingTasks.status, q.status)
          : inArray(housekeepingTasks.status, [...liveHousekeepingStatuses]),
        q.wardId ? eq(housekeepingTasks.wardId, q.wardId) : undefined,
        me ? eq(housekeepingTasks.assignedToId, me) : undefined,
        afterCursor(q.cursor),
      ),
    )
    .orderBy(asc(housekeepingTasks.dueAt), asc(housekeepingTasks.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => [r.dueAt.toISOString(), r.id]);
  return { items: page.items.map((r) => toTask(r, ctx.now)), nextCursor: page.nextCursor };
}
