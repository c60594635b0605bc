import {
  type Appointment,
  type AppointmentQuery,
  OPD_EVENTS,
  type PageQuery,
  type PatientSummary,
} from '@newhms/contracts';
import { and, asc, eq, gt, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import type { DbOrTx, Tx } from '../../platform/db/database';
import { BadRequest, Conflict, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { decodeCursor, toPage } from '../../platform/http/pagination';
import { getPatientSummaries } from '../patients';
import { consultationOf } from './encounter-link';
import { emitAppointmentEvent, type OpdEnv } from './opd.events';
import { appointments, practitioners, sessions, slots, tokens } from './opd.tables';
import { facilityClock, loadPractitioner } from './opd-lookups';
import {
  type AppointmentRow,
  type PractitionerRow,
  readPatients,
  requireFacility,
  type SlotRow,
  toAppointment,
  withConstraintErrors,
} from './opd-records';
import { feeKindFor } from './queue-rules';
import { listSlots } from './slots.service';

// Booking, rescheduling, cancelling and no-shows. Capacity is the database's business: the trigger on
// appointments keeps slots.booked, and CHECK (booked <= capacity) refuses the booking that would overfill.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const bookingConstraints = {
  slots_capacity_ck: () => new Conflict('OPD_SLOT_FULL', 'This slot was just taken; choose another'),
  slots_open_ck: () => new Conflict('OPD_SLOT_CANCELLED', 'This slot is no longer available'),
  appointments_patient_practitioner_day_uq: () =>
    new Conflict(
      'OPD_PATIENT_ALREADY_BOOKED',
      'The patient already has an appointment with this doctor on that day',
    ),
};

/** A patient who may be booked: exists, and is not a record merged into another. */
export async function bookablePatient(db: DbOrTx, patientId: string, now: Date): Promise<PatientSummary> {
  const [patient] = await getPatientSummaries(db, [patientId], now);
  if (!patient) {
    throw new RuleViolation('OPD_PATIENT_NOT_FOUND', 'The patient was not found', [
      { path: 'body.patientId', message: 'no such patient' },
    ]);
  }
  if (patient.status === 'merged') {
    throw new RuleViolation('OPD_PATIENT_MERGED', 'This record was merged; use the surviving record', [
      { path: 'body.patientId', message: 'merged into another record' },
    ]);
  }
  return patient;
}

/** When the patient was last seen (a consultation started) by the practitioner before a time. */
export async function lastSeenBy(
  db: DbOrTx,
  patientId: string,
  practitionerId: string,
  before: Date,
): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<Date | null>`max(${tokens.consultationStartedAt})` })
    .from(tokens)
    .where(
      and(
        eq(tokens.patientId, patientId),
        eq(tokens.practitionerId, practitionerId),
        lt(tokens.consultationStartedAt, before),
      ),
    );
  return row?.at ? new Date(row.at) : null;
}

async function bookableSlot(
  tx: Tx,
  facilityId: string,
  slotId: string,
  now: Date,
): Promise<{ slot: SlotRow; practitioner: PractitionerRow }> {
  const [found] = await tx
    .select({ slot: slots, sessionStatus: sessions.status })
    .from(slots)
    .innerJoin(sessions, eq(sessions.id, slots.sessionId))
    .where(and(eq(slots.id, slotId), eq(slots.facilityId, facilityId)));
  if (!found) {
    throw new RuleViolation('OPD_SLOT_NOT_FOUND', 'The slot was not found', [
      { path: 'body.slotId', message: 'no such slot in this facility' },
    ]);
  }
  const { slot } = found;
  if (slot.status !== 'open' || found.sessionStatus !== 'open') {
    throw new Conflict('OPD_SLOT_CANCELLED', 'This slot is no longer available (the session was cancelled)');
  }
  if (slot.endsAt <= now) {
    throw new RuleViolation('OPD_SLOT_PAST', 'This slot is over', [
      { path: 'body.slotId', message: 'the slot has ended' },
    ]);
  }
  // No capacity check here on purpose: the trigger and CHECK (booked <= capacity) decide, under any concurrency.
  const practitioner = await loadPractitioner(tx, facilityId, slot.practitionerId);
  if (!practitioner.active) {
    throw new Conflict('OPD_PRACTITIONER_INACTIVE', 'This doctor is not taking appointments');
  }
  return { slot, practitioner };
}

async function appointmentView(
  db: DbOrTx,
  row: AppointmentRow,
  patient: PatientSummary | null,
): Promise<Appointment> {
  const [p] = await db
    .select({ displayName: practitioners.displayName })
    .from(practitioners)
    .where(eq(practitioners.id, row.practitionerId));
  return toAppointment(row, p?.displayName ?? '', patient);
}

export type BookInput = {
  patientId: string;
  slotId: string;
  source: 'front-desk' | 'call-centre' | 'follow-up';
  reason?: string | null | undefined;
  followUpOfEncounterId?: string | null;
};

export async function bookAppointment(ctx: Ctx, env: OpdEnv, input: BookInput): Promise<Appointment> {
  const facilityId = requireFacility(ctx);
  const patient = await bookablePatient(ctx.db, input.patientId, ctx.now);
  const clock = await facilityClock(ctx.db, facilityId, ctx.now);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const { slot, practitioner } = await bookableSlot(tx, facilityId, input.slotId, ctx.now);
        const lastSeen = await lastSeenBy(tx, input.patientId, practitioner.id, slot.startsAt);
        const feeKind = feeKindFor(lastSeen, slot.startsAt, practitioner.followUpWithinDays);
        const [row] = await tx
          .insert(appointments)
          .values({
            facilityId,
            patientId: input.patientId,
            practitionerId: practitioner.id,
            slotId: slot.id,
            sessionId: slot.sessionId,
            roomId: slot.roomId,
            date: slot.date,
            startsAt: slot.startsAt,
            endsAt: slot.endsAt,
            source: input.source,
            reason: input.reason ?? null,
            feeKind,
            fee: feeKind === 'follow-up' ? practitioner.followUpFee : practitioner.firstVisitFee,
            currency: clock.currency,
            followUpOfEncounterId: input.followUpOfEncounterId ?? null,
            bookedById: actorId(ctx.actor),
            createdAt: ctx.now,
            updatedAt: ctx.now,
          })
          .returning();
        await recordAudit(tx, ctx, {
          action: 'create',
          resourceType: 'Appointment',
          resourceId: row!.id,
          patientId: input.patientId,
          detail: { slotId: slot.id, practitionerId: practitioner.id, source: input.source, feeKind },
        });
        await emitAppointmentEvent(tx, env, ctx, OPD_EVENTS.appointmentBooked, row!);
        return toAppointment(row!, practitioner.displayName, patient);
      }),
    bookingConstraints,
  );
}

/** A follow-up from a consultation: the given slot, or the first free slot of the same doctor on a date. */
export async function bookFollowUp(
  ctx: Ctx,
  env: OpdEnv,
  input: {
    encounterId: string;
    slotId?: string | undefined;
    date?: string | undefined;
    reason?: string | null;
  },
): Promise<Appointment> {
  const facilityId = requireFacility(ctx);
  let consultation: Awaited<ReturnType<typeof consultationOf>>;
  try {
    consultation = await consultationOf(ctx.db, input.encounterId);
  } catch (err) {
    if (err instanceof NotFound) {
      throw new RuleViolation('OPD_ENCOUNTER_NOT_FOUND', 'The consultation was not found', [
        { path: 'body.encounterId', message: 'no such encounter' },
      ]);
    }
    throw err;
  }
  if (consultation.facilityId !== facilityId) {
    throw new RuleViolation('OPD_ENCOUNTER_NOT_FOUND', 'The consultation is not in this facility', [
      { path: 'body.encounterId', message: 'not in this facility' },
    ]);
  }
  let slotId = input.slotId;
  if (!slotId) {
    const [practitioner] = consultation.practitionerId
      ? await ctx.db
          .select()
          .from(practitioners)
          .where(
            and(eq(practitioners.id, consultation.practitionerId), eq(practitioners.facilityId, facilityId)),
          )
      : [];
    if (!practitioner) {
      throw new RuleViolation(
        'OPD_FOLLOW_UP_NEEDS_SLOT',
        'This consultation has no OPD doctor; choose a slot',
        [{ path: 'body.slotId', message: 'required for this consultation' }],
      );
    }
    const [free] = await listSlots(ctx, env, {
      practitionerId: practitioner.id,
      from: input.date!,
      to: input.date!,
      onlyFree: true,
    });
    if (!free) {
      throw new Conflict('OPD_NO_FREE_SLOT', `The doctor has no free slot on ${input.date}`);
    }
    slotId = free.id;
  }
  return bookAppointment(ctx, env, {
    patientId: consultation.patientId,
    slotId,
    source: 'follow-up',
    reason: input.reason ?? null,
    followUpOfEncounterId: input.encounterId,
  });
}

async function lockAppointment(tx: Tx, facilityId: string, id: string, version?: number) {
  const [row] = await tx
    .select()
    .from(appointments)
    .where(and(eq(appointments.id, id), eq(appointments.facilityId, facilityId)))
    .for('update');
  if (!row) throw new NotFound('The appointment', 'OPD_APPOINTMENT_NOT_FOUND');
  if (version !== undefined && row.version !== version) throw new StaleVersion('The appointment');
  return row;
}

export async function rescheduleAppointment(
  ctx: Ctx,
  env: OpdEnv,
  id: string,
  input: { slotId: string; reason?: string | null | undefined; version?: number | undefined },
): Promise<Appointment> {
  const facilityId = requireFacility(ctx);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const current = await lockAppointment(tx, facilityId, id, input.version);
        const movable =
          current.status === 'booked' || (current.status === 'cancelled' && current.cancelledBySession);
        if (!movable) {
          throw new Conflict(
            'OPD_APPOINTMENT_NOT_MOVABLE',
            `An appointment that is ${current.status} cannot be moved`,
          );
        }
        if (current.slotId === input.slotId && current.status === 'booked') {
          throw new Conflict('OPD_SAME_SLOT', 'The appointment is already in this slot');
        }
        const { slot, practitioner } = await bookableSlot(tx, facilityId, input.slotId, ctx.now);
        const lastSeen = await lastSeenBy(tx, current.patientId, practitioner.id, slot.startsAt);
        const feeKind = feeKindFor(lastSeen, slot.startsAt, practitioner.followUpWithinDays);
        const [row] = await tx
          .update(appointments)
          .set({
            slotId: slot.id,
            sessionId: slot.sessionId,
            roomId: slot.roomId,
            practitionerId: practitioner.id,
            date: slot.date,
            startsAt: slot.startsAt,
            endsAt: slot.endsAt,
            status: 'booked',
            cancelledBySession: false,
            cancelReason: null,
            cancelledAt: null,
            feeKind,
            fee: feeKind === 'follow-up' ? practitioner.followUpFee : practitioner.firstVisitFee,
            version: current.version + 1,
            updatedAt: ctx.now,
          })
          .where(eq(appointments.id, id))
          .returning();
        await recordAudit(tx, ctx, {
          action: 'update',
          resourceType: 'Appointment',
          resourceId: id,
          patientId: current.patientId,
          detail: {
            change: 'rescheduled',
            from: { slotId: current.slotId, startsAt: current.startsAt.toISOString() },
            to: { slotId: slot.id, startsAt: slot.startsAt.toISOString() },
            reason: input.reason ?? null,
          },
        });
        await emitAppointmentEvent(tx, env, ctx, OPD_EVENTS.appointmentRescheduled, row!, {
          previous: {
            slotId: current.slotId,
            practitionerId: current.practitionerId,
            startsAt: current.startsAt.toISOString(),
          },
        });
        return toAppointment(row!, practitioner.displayName, null);
      }),
    bookingConstraints,
  );
}

/**
 * Cancels a booked appointment (its capacity is free at once). On an appointment of a cancelled session it
 * closes the reschedule-list item: the patient will not rebook.
 */
export async function cancelAppointment(
  ctx: Ctx,
  env: OpdEnv,
  id: string,
  input: { reason: string; version?: number | undefined },
): Promise<Appointment> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const current = await lockAppointment(tx, facilityId, id, input.version);
    const closingRescheduleItem = current.status === 'cancelled' && current.cancelledBySession;
    if (current.status !== 'booked' && !closingRescheduleItem) {
      throw new Conflict(
        'OPD_APPOINTMENT_NOT_CANCELLABLE',
        `An appointment that is ${current.status} cannot be cancelled`,
      );
    }
    const [row] = await tx
      .update(appointments)
      .set({
        status: 'cancelled',
        cancelledBySession: false,
        cancelReason: closingRescheduleItem ? `${current.cancelReason}; ${input.reason}` : input.reason,
        cancelledAt: closingRescheduleItem ? current.cancelledAt : ctx.now,
        version: current.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(appointments.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Appointment',
      resourceId: id,
      patientId: current.patientId,
      detail: { change: closingRescheduleItem ? 'not-rebooked' : 'cancelled', reason: input.reason },
    });
    if (!closingRescheduleItem) {
      await emitAppointmentEvent(tx, env, ctx, OPD_EVENTS.appointmentCancelled, row!, { cause: 'request' });
    }
    return appointmentView(tx, row!, null);
  });
}

export async function markNoShow(
  ctx: Ctx,
  env: OpdEnv,
  id: string,
  input: { version?: number | undefined },
): Promise<Appointment> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const current = await lockAppointment(tx, facilityId, id, input.version);
    if (current.status !== 'booked') {
      throw new Conflict(
        'OPD_APPOINTMENT_NOT_BOOKED',
        `An appointment that is ${current.status} cannot be a no-show`,
      );
    }
    if (current.startsAt > ctx.now) {
      throw new RuleViolation('OPD_NO_SHOW_TOO_EARLY', 'The appointment has not started yet');
    }
    const [row] = await tx
      .update(appointments)
      .set({ status: 'no-show', version: current.version + 1, updatedAt: ctx.now })
      .where(eq(appointments.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Appointment',
      resourceId: id,
      patientId: current.patientId,
      detail: { change: 'no-show' },
    });
    await emitAppointmentEvent(tx, env, ctx, OPD_EVENTS.appointmentNoShow, row!);
    return appointmentView(tx, row!, null);
  });
}

export async function getAppointment(ctx: Ctx, id: string): Promise<Appointment> {
  const facilityId = requireFacility(ctx);
  const [row] = await ctx.db
    .select()
    .from(appointments)
    .where(and(eq(appointments.id, id), eq(appointments.facilityId, facilityId)));
  if (!row) throw new NotFound('The appointment', 'OPD_APPOINTMENT_NOT_FOUND');
  const patients = await readPatients(ctx.db, ctx, [row.patientId], 'appointment');
  return appointmentView(ctx.db, row, patients.get(row.patientId) ?? null);
}

/** Appointments with their patients (each one an audited read), in time order, a page at a time. */
export async function presentAppointments(
  db: DbOrTx,
  ctx: Ctx,
  rows: readonly AppointmentRow[],
  purpose: string,
  alreadyRead?: ReadonlyMap<string, PatientSummary>,
): Promise<Appointment[]> {
  if (rows.length === 0) return [];
  const patients =
    alreadyRead ??
    (await readPatients(
      db,
      ctx,
      rows.map((r) => r.patientId),
      purpose,
    ));
  const names = new Map(
    (
      await db
        .select({ id: practitioners.id, displayName: practitioners.displayName })
        .from(practitioners)
        .where(inArray(practitioners.id, [...new Set(rows.map((r) => r.practitionerId))]))
    ).map((p) => [p.id, p.displayName]),
  );
  return rows.map((r) =>
    toAppointment(r, names.get(r.practitionerId) ?? '', patients.get(r.patientId) ?? null),
  );
}

function afterCursor(cursor: string | undefined) {
  const key = decodeCursor(cursor, 2);
  if (!key) return undefined;
  const at = new Date(String(key[0]));
  if (Number.isNaN(at.getTime()) || typeof key[1] !== 'string' || !UUID.test(key[1])) {
    throw new BadRequest('INVALID_CURSOR', 'The cursor is not valid for this list');
  }
  return or(gt(appointments.startsAt, at), and(eq(appointments.startsAt, at), gt(appointments.id, key[1])));
}

export async function listAppointments(ctx: Ctx, q: z.output<typeof AppointmentQuery>) {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(appointments)
    .where(
      and(
        eq(appointments.facilityId, facilityId),
        q.date ? eq(appointments.date, q.date) : undefined,
        q.practitionerId ? eq(appointments.practitionerId, q.practitionerId) : undefined,
        q.patientId ? eq(appointments.patientId, q.patientId) : undefined,
        q.status ? eq(appointments.status, q.status) : undefined,
        afterCursor(q.cursor),
      ),
    )
    .orderBy(asc(appointments.startsAt), asc(appointments.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => [r.startsAt.toISOString(), r.id]);
  return {
    items: await presentAppointments(ctx.db, ctx, page.items, 'appointment-list'),
    nextCursor: page.nextCursor,
  };
}

/** Appointments of cancelled sessions from the last 14 days that nobody rebooked or closed: the call list. */
export async function listRescheduleCandidates(ctx: Ctx, q: z.output<typeof PageQuery>) {
  const facilityId = requireFacility(ctx);
  const since = new Date(ctx.now.getTime() - 14 * 86_400_000);
  const rows = await ctx.db
    .select()
    .from(appointments)
    .where(
      and(
        eq(appointments.facilityId, facilityId),
        eq(appointments.status, 'cancelled'),
        eq(appointments.cancelledBySession, true),
        gte(appointments.cancelledAt, since),
        afterCursor(q.cursor),
      ),
    )
    .orderBy(asc(appointments.startsAt), asc(appointments.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => [r.startsAt.toISOString(), r.id]);
  return {
    items: await presentAppointments(ctx.db, ctx, page.items, 'reschedule-list'),
    nextCursor: page.nextCursor,
  };
}
