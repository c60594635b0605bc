import type {
  AffectedAppointment,
  CreateExceptionBody,
  CreateScheduleBody,
  ExceptionQuery,
  ScheduleException,
  ScheduleTemplate,
  UpdateScheduleBody,
} from '@newhms/contracts';
import { and, asc, eq, gte, isNull, lte, or } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import type { Tx } from '../../platform/db/database';
import { Conflict, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { hhmm } from '../../platform/time/facility-time';
import type { OpdEnv } from './opd.events';
import { practitioners, scheduleExceptions, scheduleTemplates } from './opd.tables';
import { loadPractitioner, loadRoom } from './opd-lookups';
import { type AppointmentRow, requireFacility, toException, toTemplate } from './opd-records';
import { affectedAppointments, rematerialize } from './slots.service';

// Weekly templates and their exceptions. Every change re-makes the sessions of the booking window at once,
// in the same transaction, and answers with the booked patients it displaced.

const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

async function afterChange(
  tx: Tx,
  env: OpdEnv,
  ctx: Ctx,
  practitionerIds: readonly string[],
): Promise<AffectedAppointment[]> {
  const cancelled: AppointmentRow[] = [];
  for (const id of practitionerIds) {
    cancelled.push(...(await rematerialize(tx, env, { ...ctx, db: tx }, id)).cancelled);
  }
  return affectedAppointments(tx, ctx, cancelled);
}

export async function listTemplates(
  ctx: Ctx,
  q: { practitionerId?: string | undefined },
): Promise<ScheduleTemplate[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(scheduleTemplates)
    .where(
      and(
        eq(scheduleTemplates.facilityId, facilityId),
        q.practitionerId ? eq(scheduleTemplates.practitionerId, q.practitionerId) : undefined,
      ),
    )
    .orderBy(
      asc(scheduleTemplates.practitionerId),
      asc(scheduleTemplates.weekday),
      asc(scheduleTemplates.startTime),
    )
    .limit(2000);
  return rows.map(toTemplate);
}

/** Two sessions of one practitioner on the same weekday may not overlap while both are valid. */
async function assertNoOverlap(
  tx: Tx,
  t: {
    id?: string;
    practitionerId: string;
    weekday: number;
    startTime: string;
    endTime: string;
    validFrom: string;
    validTo: string | null;
  },
) {
  const others = await tx
    .select()
    .from(scheduleTemplates)
    .where(
      and(
        eq(scheduleTemplates.practitionerId, t.practitionerId),
        eq(scheduleTemplates.weekday, t.weekday),
        eq(scheduleTemplates.active, true),
      ),
    );
  const clash = others.find(
    (o) =>
      o.id !== t.id &&
      minutesOf(hhmm(o.startTime)) < minutesOf(t.endTime) &&
      minutesOf(t.startTime) < minutesOf(hhmm(o.endTime)) &&
      (o.validTo === null || o.validTo >= t.validFrom) &&
      (t.validTo === null || t.validTo >= o.validFrom),
  );
  if (clash) {
    throw new Conflict(
      'OPD_SCHEDULE_OVERLAP',
      `This overlaps the practitioner's session ${hhmm(clash.startTime)}-${hhmm(clash.endTime)} on the same weekday`,
    );
  }
}

export async function createTemplate(
  ctx: Ctx,
  env: OpdEnv,
  input: z.output<typeof CreateScheduleBody>,
): Promise<{ template: ScheduleTemplate; affected: AffectedAppointment[] }> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const practitioner = await loadPractitioner(tx, facilityId, input.practitionerId, {
      lock: true,
      path: 'body.practitionerId',
    });
    await loadRoom(tx, facilityId, input.roomId, 'body.roomId');
    const values = { ...input, validTo: input.validTo ?? null };
    await assertNoOverlap(tx, values);
    const [row] = await tx
      .insert(scheduleTemplates)
      .values({ ...values, facilityId, createdAt: ctx.now, updatedAt: ctx.now })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'ScheduleTemplate',
      resourceId: row!.id,
      detail: values,
    });
    const affected = await afterChange(tx, env, ctx, [practitioner.id]);
    return { template: toTemplate(row!), affected };
  });
}

export async function updateTemplate(
  ctx: Ctx,
  env: OpdEnv,
  id: string,
  input: z.output<typeof UpdateScheduleBody>,
): Promise<{ template: ScheduleTemplate; affected: AffectedAppointment[] }> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(scheduleTemplates)
      .where(and(eq(scheduleTemplates.id, id), eq(scheduleTemplates.facilityId, facilityId)))
      .for('update');
    if (!current) throw new NotFound('The schedule', 'OPD_SCHEDULE_NOT_FOUND');
    if (current.version !== input.version) throw new StaleVersion('The schedule');
    const { version, ...changes } = input;
    if (changes.roomId) await loadRoom(tx, facilityId, changes.roomId, 'body.roomId');
    const next = {
      id,
      practitionerId: current.practitionerId,
      weekday: current.weekday,
      startTime: changes.startTime ?? hhmm(current.startTime),
      endTime: changes.endTime ?? hhmm(current.endTime),
      slotMinutes: changes.slotMinutes ?? current.slotMinutes,
      validFrom: current.validFrom,
      validTo: changes.validTo === undefined ? current.validTo : changes.validTo,
    };
    if (minutesOf(next.endTime) <= minutesOf(next.startTime)) {
      throw new RuleViolation('OPD_SCHEDULE_TIMES', 'The session must end after it starts', [
        { path: 'body.endTime', message: 'must be after the start time' },
      ]);
    }
    if (minutesOf(next.endTime) - minutesOf(next.startTime) < next.slotMinutes) {
      throw new RuleViolation('OPD_SCHEDULE_TIMES', 'The session is shorter than one slot', [
        { path: 'body.slotMinutes', message: 'longer than the session' },
      ]);
    }
    if (next.validTo && next.validTo < next.validFrom) {
      throw new RuleViolation('OPD_SCHEDULE_VALIDITY', 'Valid to must not be before valid from', [
        { path: 'body.validTo', message: `must not be before ${next.validFrom}` },
      ]);
    }
    if (changes.active !== false) await assertNoOverlap(tx, next);
    const [row] = await tx
      .update(scheduleTemplates)
      .set({ ...changes, version: version + 1, updatedAt: ctx.now })
      .where(eq(scheduleTemplates.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'ScheduleTemplate',
      resourceId: id,
      detail: changes,
    });
    const affected = await afterChange(tx, env, ctx, [current.practitionerId]);
    return { template: toTemplate(row!), affected };
  });
}

export async function listExceptions(
  ctx: Ctx,
  q: z.output<typeof ExceptionQuery>,
): Promise<ScheduleException[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(scheduleExceptions)
    .where(
      and(
        eq(scheduleExceptions.facilityId, facilityId),
        q.practitionerId
          ? or(
              eq(scheduleExceptions.practitionerId, q.practitionerId),
              isNull(scheduleExceptions.practitionerId),
            )
          : undefined,
        q.to ? lte(scheduleExceptions.dateFrom, q.to) : undefined,
        q.from ? gte(scheduleExceptions.dateTo, q.from) : undefined,
      ),
    )
    .orderBy(asc(scheduleExceptions.dateFrom), asc(scheduleExceptions.id))
    .limit(1000);
  return rows.map(toException);
}

async function practitionersOfFacility(tx: Tx, facilityId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: practitioners.id })
    .from(practitioners)
    .where(eq(practitioners.facilityId, facilityId))
    .orderBy(asc(practitioners.id));
  return rows.map((r) => r.id);
}

/** Leave or a holiday cancels the sessions it covers; an extra session adds one. */
export async function createException(
  ctx: Ctx,
  env: OpdEnv,
  input: z.output<typeof CreateExceptionBody>,
): Promise<{ exception: ScheduleException; affected: AffectedAppointment[] }> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const practitionerId = input.practitionerId ?? null;
    if (practitionerId)
      await loadPractitioner(tx, facilityId, practitionerId, { path: 'body.practitionerId' });
    let values: typeof scheduleExceptions.$inferInsert;
    if (input.kind === 'extra-session') {
      await loadRoom(tx, facilityId, input.roomId, 'body.roomId');
      values = {
        facilityId,
        practitionerId,
        kind: input.kind,
        dateFrom: input.date,
        dateTo: input.date,
        reason: input.reason,
        roomId: input.roomId,
        startTime: input.startTime,
        endTime: input.endTime,
        slotMinutes: input.slotMinutes,
        patientsPerSlot: input.patientsPerSlot,
        walkInQuota: input.walkInQuota,
      };
    } else {
      values = {
        facilityId,
        practitionerId,
        kind: input.kind,
        dateFrom: input.dateFrom,
        dateTo: input.dateTo,
        reason: input.reason,
      };
    }
    const [row] = await tx
      .insert(scheduleExceptions)
      .values({ ...values, createdById: actorId(ctx.actor), createdAt: ctx.now, updatedAt: ctx.now })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'ScheduleException',
      resourceId: row!.id,
      detail: { ...values },
    });
    const affected = await afterChange(
      tx,
      env,
      ctx,
      practitionerId ? [practitionerId] : await practitionersOfFacility(tx, facilityId),
    );
    return { exception: toException(row!), affected };
  });
}

/** Withdraws leave, a holiday or an extra session: sessions it cancelled reopen, an extra one goes. */
export async function withdrawException(
  ctx: Ctx,
  env: OpdEnv,
  id: string,
): Promise<{ exception: ScheduleException; affected: AffectedAppointment[] }> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(scheduleExceptions)
      .where(and(eq(scheduleExceptions.id, id), eq(scheduleExceptions.facilityId, facilityId)))
      .for('update');
    if (!current) throw new NotFound('The schedule exception', 'OPD_EXCEPTION_NOT_FOUND');
    if (current.status === 'withdrawn') {
      throw new Conflict('OPD_EXCEPTION_WITHDRAWN', 'This exception was already withdrawn');
    }
    const [row] = await tx
      .update(scheduleExceptions)
      .set({ status: 'withdrawn', updatedAt: ctx.now })
      .where(eq(scheduleExceptions.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'ScheduleException',
      resourceId: id,
      detail: { change: 'withdrawn' },
    });
    const affected = await afterChange(
      tx,
      env,
      ctx,
      current.practitionerId ? [current.practitionerId] : await practitionersOfFacility(tx, facilityId),
    );
    return { exception: toException(row!), affected };
  });
}
