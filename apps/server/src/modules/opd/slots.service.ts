import { type AffectedAppointment, OPD_EVENTS, type OpdSession, type Slot } from '@newhms/contracts';
import { and, asc, eq, gt, gte, inArray, isNull, lte, ne, or, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx, systemCtx } from '../../platform/context';
import type { Db, DbOrTx, Tx } from '../../platform/db/database';
import { newId } from '../../platform/db/ids';
import { Conflict, NotFound } from '../../platform/http/errors';
import { addDays, earlierDate, hhmm, laterDate } from '../../platform/time/facility-time';
import { emitAppointmentEvent, emitSessionCancelled, type OpdEnv } from './opd.events';
import {
  appointments,
  practitioners,
  scheduleExceptions,
  scheduleTemplates,
  sessions,
  slots,
  tokens,
} from './opd.tables';
import { type FacilityClock, facilityClock, loadPractitioner, loadSettings } from './opd-lookups';
import {
  type AppointmentRow,
  type PractitionerRow,
  readPatients,
  requireFacility,
  type SessionRow,
  toSession,
  toSlot,
} from './opd-records';
import {
  type DesiredSession,
  desiredSessions,
  type ExceptionRule,
  type ExistingSession,
  planSessions,
  type TemplateRule,
} from './schedule-plan';

// Sessions and slots: made from the templates and exceptions over a rolling window (idempotent), cancelled
// with the booked patients listed, and the slot picker.

export type MaterializeOutcome = { sessionsCreated: number; cancelled: AppointmentRow[] };

/**
 * Makes the sessions and slots of one practitioner match the schedule from `from` to `to` (inclusive).
 * Call inside a transaction; practitioners are serialized by an advisory lock, so two runs never race.
 */
export async function materializePractitioner(
  tx: Tx,
  env: OpdEnv,
  ctx: Ctx,
  practitioner: PractitionerRow,
  clock: FacilityClock,
  from: string,
  to: string,
): Promise<MaterializeOutcome> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`opd-slots:${practitioner.id}`}))`);
  const outcome: MaterializeOutcome = { sessionsCreated: 0, cancelled: [] };
  if (to < from) return outcome;
  const templates: TemplateRule[] = practitioner.active
    ? (
        await tx.select().from(scheduleTemplates).where(eq(scheduleTemplates.practitionerId, practitioner.id))
      ).map((t) => ({ ...t, startTime: hhmm(t.startTime), endTime: hhmm(t.endTime) }))
    : [];
  const exceptionRows = await tx
    .select()
    .from(scheduleExceptions)
    .where(
      and(
        eq(scheduleExceptions.facilityId, practitioner.facilityId),
        or(eq(scheduleExceptions.practitionerId, practitioner.id), isNull(scheduleExceptions.practitionerId)),
        eq(scheduleExceptions.status, 'active'),
        lte(scheduleExceptions.dateFrom, to),
        gte(scheduleExceptions.dateTo, from),
      ),
    );
  const exceptions: ExceptionRule[] = exceptionRows
    .filter((e) => practitioner.active || e.kind !== 'extra-session')
    .map((e) => ({
      ...e,
      kind: e.kind as ExceptionRule['kind'],
      status: e.status as ExceptionRule['status'],
      startTime: e.startTime ? hhmm(e.startTime) : null,
      endTime: e.endTime ? hhmm(e.endTime) : null,
    }));
  const existingRows = await tx
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.practitionerId, practitioner.id),
        gte(sessions.date, from),
        lte(sessions.date, to),
        ne(sessions.status, 'superseded'),
      ),
    );
  const inUse = await sessionsInUse(
    tx,
    existingRows.map((s) => s.id),
  );
  const existing: ExistingSession[] = existingRows.map((s) => ({
    ...s,
    status: s.status as ExistingSession['status'],
    hasAppointments: inUse.has(s.id),
  }));
  const { desired, blocked } = desiredSessions({ from, to, timeZone: clock.timeZone, templates, exceptions });
  for (const action of planSessions(desired, blocked, existing)) {
    switch (action.type) {
      case 'create':
        await createSession(tx, practitioner, action.session);
        outcome.sessionsCreated++;
        break;
      case 'update':
        await tx
          .update(sessions)
          .set({
            roomId: action.roomId,
            patientsPerSlot: action.patientsPerSlot,
            walkInQuota: action.walkInQuota,
            updatedAt: ctx.now,
          })
          .where(eq(sessions.id, action.id));
        // Fewer patients per slot never throws out someone already booked.
        await tx
          .update(slots)
          .set({ roomId: action.roomId, capacity: sql`greatest(${slots.booked}, ${action.patientsPerSlot})` })
          .where(eq(slots.sessionId, action.id));
        break;
      case 'reopen':
        await tx
          .update(sessions)
          .set({
            status: 'open',
            cancelReason: null,
            cancelledAt: null,
            cancelledById: null,
            cancelledByExceptionId: null,
            updatedAt: ctx.now,
          })
          .where(eq(sessions.id, action.id));
        await tx.update(slots).set({ status: 'open' }).where(eq(slots.sessionId, action.id));
        break;
      case 'cancel':
        outcome.cancelled.push(
          ...(await closeSession(tx, env, ctx, action.id, {
            status: 'cancelled',
            reason: action.reason,
            exceptionId: action.exceptionId,
          })),
        );
        break;
      case 'supersede':
        outcome.cancelled.push(
          ...(await closeSession(tx, env, ctx, action.id, { status: 'superseded', reason: action.reason })),
        );
        break;
      case 'remove':
        await tx.delete(slots).where(eq(slots.sessionId, action.id));
        await tx.delete(sessions).where(eq(sessions.id, action.id));
        break;
    }
  }
  if (!practitioner.slotsThrough || practitioner.slotsThrough < to) {
    await tx.update(practitioners).set({ slotsThrough: to }).where(eq(practitioners.id, practitioner.id));
  }
  return outcome;
}

/** Sessions that an appointment or a token points at (whatever its status): they can never be deleted. */
async function sessionsInUse(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const booked = await tx
    .selectDistinct({ id: appointments.sessionId })
    .from(appointments)
    .where(inArray(appointments.sessionId, [...ids]));
  const queued = await tx
    .selectDistinct({ id: tokens.sessionId })
    .from(tokens)
    .where(inArray(tokens.sessionId, [...ids]));
  return new Set([...booked, ...queued].map((r) => r.id));
}

async function createSession(tx: Tx, practitioner: PractitionerRow, d: DesiredSession): Promise<void> {
  const sessionId = newId();
  await tx.insert(sessions).values({
    id: sessionId,
    facilityId: practitioner.facilityId,
    practitionerId: practitioner.id,
    roomId: d.roomId,
    scheduleId: d.scheduleId,
    exceptionId: d.exceptionId,
    date: d.date,
    startsAt: d.startsAt,
    endsAt: d.endsAt,
    slotMinutes: d.slotMinutes,
    patientsPerSlot: d.patientsPerSlot,
    walkInQuota: d.walkInQuota,
  });
  const step = d.slotMinutes * 60_000;
  const rows = [];
  for (let t = d.startsAt.getTime(); t + step <= d.endsAt.getTime(); t += step) {
    rows.push({
      facilityId: practitioner.facilityId,
      sessionId,
      practitionerId: practitioner.id,
      roomId: d.roomId,
      date: d.date,
      startsAt: new Date(t),
      endsAt: new Date(t + step),
      capacity: d.patientsPerSlot,
    });
  }
  for (let i = 0; i < rows.length; i += 500) await tx.insert(slots).values(rows.slice(i, i + 500));
}

/**
 * Cancels (or supersedes) a session: its slots close, its booked appointments are cancelled and flagged for
 * rescheduling, each with its event, and opd.session.cancelled names them all. Returns those appointments.
 */
async function closeSession(
  tx: Tx,
  env: OpdEnv,
  ctx: Ctx,
  sessionId: string,
  how: { status: 'cancelled' | 'superseded'; reason: string; exceptionId?: string },
): Promise<AppointmentRow[]> {
  const [session] = await tx
    .update(sessions)
    .set({
      status: how.status,
      cancelReason: how.reason,
      cancelledAt: ctx.now,
      cancelledById: actorId(ctx.actor),
      cancelledByExceptionId: how.exceptionId ?? null,
      updatedAt: ctx.now,
    })
    .where(eq(sessions.id, sessionId))
    .returning();
  await tx.update(slots).set({ status: 'cancelled' }).where(eq(slots.sessionId, sessionId));
  const cancelled = await tx
    .update(appointments)
    .set({
      status: 'cancelled',
      cancelledBySession: true,
      cancelReason: how.reason,
      cancelledAt: ctx.now,
      version: sql`${appointments.version} + 1`,
      updatedAt: ctx.now,
    })
    .where(and(eq(appointments.sessionId, sessionId), eq(appointments.status, 'booked')))
    .returning();
  for (const a of cancelled) {
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Appointment',
      resourceId: a.id,
      patientId: a.patientId,
      detail: { change: 'cancelled', cause: 'session-cancelled', sessionId, reason: how.reason },
    });
    await emitAppointmentEvent(tx, env, ctx, OPD_EVENTS.appointmentCancelled, a, {
      cause: 'session-cancelled',
    });
  }
  if (how.status === 'cancelled' || cancelled.length > 0) {
    await emitSessionCancelled(tx, env, ctx, session!.facilityId, {
      sessionId,
      practitionerId: session!.practitionerId,
      date: session!.date,
      startsAt: session!.startsAt.toISOString(),
      reason: how.reason,
      appointmentIds: cancelled.map((a) => a.id),
    });
  }
  await recordAudit(tx, ctx, {
    action: 'update',
    resourceType: 'OpdSession',
    resourceId: sessionId,
    detail: { change: how.status, reason: how.reason, appointments: cancelled.length },
  });
  return cancelled;
}

/** The booked patients of cancelled sessions, as the desk needs them to call and rebook. */
export async function affectedAppointments(
  db: DbOrTx,
  ctx: Ctx,
  rows: readonly AppointmentRow[],
): Promise<AffectedAppointment[]> {
  if (rows.length === 0) return [];
  const patients = await readPatients(
    db,
    ctx,
    rows.map((r) => r.patientId),
    'reschedule-list',
  );
  return rows.flatMap((r) => {
    const patient = patients.get(r.patientId);
    return patient
      ? [
          {
            appointmentId: r.id,
            patient,
            practitionerId: r.practitionerId,
            startsAt: r.startsAt.toISOString(),
          },
        ]
      : [];
  });
}

/** Materializes today .. today + the booking window for one practitioner (after a schedule change). */
export async function rematerialize(
  tx: Tx,
  env: OpdEnv,
  ctx: Ctx,
  practitionerId: string,
): Promise<MaterializeOutcome> {
  const facilityId = requireFacility(ctx);
  const clock = await facilityClock(tx, facilityId, ctx.now);
  const settings = await loadSettings(tx, facilityId);
  const practitioner = await loadPractitioner(tx, facilityId, practitionerId);
  return materializePractitioner(
    tx,
    env,
    ctx,
    practitioner,
    clock,
    clock.today,
    addDays(clock.today, settings.bookingWindowDays),
  );
}

/** The rolling window for every active practitioner of every facility (the daily job), or for one facility. */
export async function materializeAll(
  db: Db,
  env: OpdEnv,
  options: { facilityId?: string; practitionerId?: string; ctx?: Ctx } = {},
): Promise<{ practitioners: number; sessionsCreated: number; cancelled: AppointmentRow[] }> {
  const rows = await db
    .select({ id: practitioners.id, facilityId: practitioners.facilityId })
    .from(practitioners)
    .where(
      and(
        options.facilityId ? eq(practitioners.facilityId, options.facilityId) : undefined,
        options.practitionerId ? eq(practitioners.id, options.practitionerId) : undefined,
      ),
    )
    .orderBy(asc(practitioners.id));
  const result = { practitioners: 0, sessionsCreated: 0, cancelled: [] as AppointmentRow[] };
  for (const row of rows) {
    const ctx = options.ctx ?? systemCtx(db, 'opd.materialize-slots', row.facilityId);
    const outcome = await db.transaction((tx) =>
      rematerialize(tx, env, { ...ctx, db: tx, facilityId: row.facilityId }, row.id),
    );
    result.practitioners++;
    result.sessionsCreated += outcome.sessionsCreated;
    result.cancelled.push(...outcome.cancelled);
  }
  return result;
}

/** The materialize button: one practitioner or the whole facility, now; answers with displaced patients. */
export async function materializeNow(ctx: Ctx, env: OpdEnv, practitionerId: string | undefined) {
  const facilityId = requireFacility(ctx);
  if (practitionerId)
    await loadPractitioner(ctx.db, facilityId, practitionerId, { path: 'body.practitionerId' });
  const result = await materializeAll(ctx.db, env, { facilityId, practitionerId, ctx });
  return {
    practitioners: result.practitioners,
    sessionsCreated: result.sessionsCreated,
    affected: await affectedAppointments(ctx.db, ctx, result.cancelled),
  };
}

/** Cancels one session by hand: booked patients are listed for rescheduling and the event names them. */
export async function cancelSession(
  ctx: Ctx,
  env: OpdEnv,
  sessionId: string,
  reason: string,
): Promise<{ session: OpdSession; affected: AffectedAppointment[] }> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(sessions)
      .where(and(eq(sessions.id, sessionId), eq(sessions.facilityId, facilityId)))
      .for('update');
    if (!row) throw new NotFound('The session', 'OPD_SESSION_NOT_FOUND');
    if (row.status !== 'open') {
      throw new Conflict('OPD_SESSION_NOT_OPEN', `The session is already ${row.status}`);
    }
    const cancelled = await closeSession(tx, env, ctx, sessionId, { status: 'cancelled', reason });
    const [after] = await tx.select().from(sessions).where(eq(sessions.id, sessionId));
    return { session: toSession(after!), affected: await affectedAppointments(tx, ctx, cancelled) };
  });
}

export async function listSessions(
  ctx: Ctx,
  q: { practitionerId?: string | undefined; from: string; to: string },
): Promise<OpdSession[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.facilityId, facilityId),
        q.practitionerId ? eq(sessions.practitionerId, q.practitionerId) : undefined,
        gte(sessions.date, q.from),
        lte(sessions.date, q.to),
        ne(sessions.status, 'superseded'),
      ),
    )
    .orderBy(asc(sessions.startsAt))
    .limit(1000);
  return rows.map((r: SessionRow) => toSession(r));
}

/**
 * The slot picker: every slot of a practitioner between two dates with its free capacity. Days inside the
 * booking window that were never made yet (the daily job has not reached them) are made first.
 */
export async function listSlots(
  ctx: Ctx,
  env: OpdEnv,
  q: { practitionerId: string; from: string; to: string; onlyFree?: boolean | undefined },
): Promise<Slot[]> {
  const facilityId = requireFacility(ctx);
  const practitioner = await loadPractitioner(ctx.db, facilityId, q.practitionerId);
  const clock = await facilityClock(ctx.db, facilityId, ctx.now);
  const settings = await loadSettings(ctx.db, facilityId);
  const windowEnd = addDays(clock.today, settings.bookingWindowDays);
  if (practitioner.active && (!practitioner.slotsThrough || practitioner.slotsThrough < q.to)) {
    const from = practitioner.slotsThrough ? addDays(practitioner.slotsThrough, 1) : clock.today;
    const to = earlierDate(q.to, windowEnd);
    if (from <= to) {
      await ctx.db.transaction(async (tx) => {
        const fresh = await loadPractitioner(tx, facilityId, practitioner.id);
        const start =
          fresh.slotsThrough && fresh.slotsThrough >= from ? addDays(fresh.slotsThrough, 1) : from;
        await materializePractitioner(
          tx,
          env,
          { ...ctx, db: tx },
          fresh,
          clock,
          laterDate(start, clock.today),
          to,
        );
      });
    }
  }
  const rows = await ctx.db
    .select({ slot: slots })
    .from(slots)
    .innerJoin(sessions, eq(sessions.id, slots.sessionId))
    .where(
      and(
        eq(slots.practitionerId, practitioner.id),
        gte(slots.date, q.from),
        lte(slots.date, q.to),
        ne(sessions.status, 'superseded'),
        q.onlyFree
          ? and(eq(slots.status, 'open'), sql`${slots.booked} < ${slots.capacity}`, gt(slots.endsAt, ctx.now))
          : undefined,
      ),
    )
    .orderBy(asc(slots.startsAt))
    .limit(5000);
  return rows.map((r) => toSlot(r.slot));
}

/** The first slot with free capacity of a practitioner on a date (for a follow-up "in two weeks"). */
export async function firstFreeSlot(
  db: DbOrTx,
  practitionerId: string,
  date: string,
  now: Date,
): Promise<string | undefined> {
  const [row] = await db
    .select({ id: slots.id })
    .from(slots)
    .innerJoin(sessions, eq(sessions.id, slots.sessionId))
    .where(
      and(
        eq(slots.practitionerId, practitionerId),
        eq(slots.date, date),
        eq(slots.status, 'open'),
        eq(sessions.status, 'open'),
        sql`${slots.booked} < ${slots.capacity}`,
        gt(slots.endsAt, now),
      ),
    )
    .orderBy(asc(slots.startsAt))
    .limit(1);
  return row?.id;
}
