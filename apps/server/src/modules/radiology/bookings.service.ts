import type { RadBookBody, RadCancelBookingBody, RadOrder } from '@newhms/contracts';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { withConstraintErrors } from '../../platform/db/constraint-errors';
import type { DbOrTx } from '../../platform/db/database';
import { Conflict, RuleViolation } from '../../platform/http/errors';
import { requireFacility } from '../../platform/organization/facility-context';
import { getFacility } from '../../platform/organization/organization.service';
import { localDate, zonedInstant } from '../../platform/time/facility-time';
import { procedureOf } from './catalog.service';
import { assertVersion, orderRowOf } from './orders.service';
import { type OrderRow, type RadiologyEnv, readOrderRecords } from './rad-records';
import { bookings, orders } from './radiology.tables';
import { roomOf } from './rooms.service';

// Booking a study into a modality room: a period [start, end) of one room for one order. Two active bookings of
// a room never overlap: the database's exclusion constraint decides under concurrency (the loser gets 409), the
// checks here only give the clearer answers (room of another modality, closed, in the past).

/** A booking may start at most this long ago (a study entered just after it began). */
const PAST_TOLERANCE_MS = 60 * 60_000;

const doubleBooked = () =>
  new Conflict(
    'RAD_ROOM_DOUBLE_BOOKED',
    'The room is already booked for part of that time; choose another slot',
  );
const CONSTRAINTS = {
  bookings_no_double_booking: doubleBooked,
  bookings_one_active_per_order_uq: () =>
    new Conflict('RAD_ORDER_ALREADY_BOOKED', 'This order has just been booked by someone else; reload'),
};

type Slot = { roomId: string; startsAt: Date; endsAt: Date };

/** The slot asked for, checked against the room (this facility's, active, of the order's modality, open). */
async function checkedSlot(
  tx: DbOrTx,
  ctx: Ctx,
  facilityId: string,
  order: OrderRow,
  input: { roomId: string; startsAt: string; endsAt?: string | undefined },
): Promise<Slot> {
  // The room's row is locked until the booking commits: bookings of one room take turns. Without it, two
  // bookings of the same slot could insert at the same instant, each then wait for the other in the exclusion
  // constraint's check, and PostgreSQL aborted one of them as a deadlock (a 409 RETRY instead of "double
  // booked"), seen with ten at once on the PostgreSQL CI pass.
  const room = await roomOf(tx, facilityId, input.roomId, true);
  if (!room.active) {
    throw new RuleViolation('RAD_ROOM_INACTIVE', `${room.name} is not in use`, [
      { path: 'roomId', message: 'the room is deactivated' },
    ]);
  }
  if (room.modality !== order.modality) {
    throw new RuleViolation('RAD_ROOM_WRONG_MODALITY', `${room.name} is a ${room.modality} room`, [
      { path: 'roomId', message: `a ${order.modality} room is needed for ${order.procedureName}` },
    ]);
  }
  const startsAt = new Date(input.startsAt);
  let endsAt: Date;
  if (input.endsAt) endsAt = new Date(input.endsAt);
  else {
    const procedure = await procedureOf(tx, order.procedureCode);
    endsAt = new Date(startsAt.getTime() + (procedure?.durationMinutes ?? 15) * 60_000);
  }
  if (startsAt.getTime() < ctx.now.getTime() - PAST_TOLERANCE_MS) {
    throw new RuleViolation('RAD_BOOKING_IN_THE_PAST', 'A booking cannot start in the past', [
      { path: 'startsAt', message: 'in the future (or within the last hour)' },
    ]);
  }
  if (room.opensAt && room.closesAt) {
    const { timeZone } = await getFacility(tx, facilityId);
    const day = localDate(startsAt, timeZone);
    const opens = zonedInstant(day, room.opensAt, timeZone);
    const closes = zonedInstant(day, room.closesAt, timeZone);
    if (startsAt < opens || endsAt > closes) {
      throw new RuleViolation(
        'RAD_ROOM_CLOSED',
        `${room.name} works ${room.opensAt} to ${room.closesAt} (${timeZone})`,
        [{ path: 'startsAt', message: `within ${room.opensAt}-${room.closesAt} on the facility's clock` }],
      );
    }
  }
  return { roomId: room.id, startsAt, endsAt };
}

async function insertBooking(tx: DbOrTx, ctx: Ctx, order: OrderRow, slot: Slot): Promise<string> {
  const [row] = await tx
    .insert(bookings)
    .values({
      facilityId: order.facilityId,
      orderId: order.id,
      roomId: slot.roomId,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      bookedById: actorId(ctx.actor),
      bookedByName: ctx.actor.name,
      bookedAt: ctx.now,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning({ id: bookings.id });
  return row!.id;
}

async function endBooking(
  tx: DbOrTx,
  ctx: Ctx,
  orderId: string,
  status: 'moved' | 'cancelled',
  reason: string,
) {
  const [ended] = await tx
    .update(bookings)
    .set({
      status,
      endedAt: ctx.now,
      endedById: actorId(ctx.actor),
      endedByName: ctx.actor.name,
      endReason: reason,
      updatedAt: ctx.now,
    })
    .where(and(eq(bookings.orderId, orderId), eq(bookings.status, 'active')))
    .returning({ id: bookings.id, roomId: bookings.roomId, startsAt: bookings.startsAt });
  return ended ?? null;
}

async function bumpOrder(tx: DbOrTx, ctx: Ctx, order: OrderRow, status: RadOrder['status']) {
  await tx
    .update(orders)
    .set({ status, version: order.version + 1, updatedAt: ctx.now })
    .where(eq(orders.id, order.id));
}

/** Books an ordered study into a room (the order becomes scheduled). 409 when the room is taken then. */
export async function bookOrder(
  ctx: Ctx,
  env: RadiologyEnv,
  id: string,
  input: z.output<typeof RadBookBody>,
): Promise<RadOrder> {
  const facilityId = requireFacility(ctx);
  await withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const order = await orderRowOf(tx, facilityId, id, true);
        assertVersion(order, input.version);
        if (order.status !== 'ordered') {
          throw new RuleViolation(
            'RAD_ORDER_NOT_BOOKABLE',
            order.status === 'scheduled'
              ? 'The order is booked already: reschedule it'
              : `An order that is ${order.status} cannot be booked`,
          );
        }
        const slot = await checkedSlot(tx, ctx, facilityId, order, input);
        const bookingId = await insertBooking(tx, ctx, order, slot);
        await bumpOrder(tx, ctx, order, 'scheduled');
        await recordAudit(tx, ctx, {
          action: 'update',
          resourceType: 'RadiologyOrder',
          resourceId: id,
          patientId: order.patientId,
          detail: {
            booked: bookingId,
            roomId: slot.roomId,
            startsAt: slot.startsAt.toISOString(),
            endsAt: slot.endsAt.toISOString(),
          },
        });
      }),
    CONSTRAINTS,
  );
  const [order] = await readOrderRecords(ctx.db, [id], env, ctx.now);
  return order!;
}

/** Moves a booked (or arrived) study to another slot or room: the old booking is kept as moved. */
export async function rescheduleOrder(
  ctx: Ctx,
  env: RadiologyEnv,
  id: string,
  input: z.output<typeof RadBookBody>,
): Promise<RadOrder> {
  const facilityId = requireFacility(ctx);
  await withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const order = await orderRowOf(tx, facilityId, id, true);
        assertVersion(order, input.version);
        if (order.status !== 'scheduled' && order.status !== 'arrived') {
          throw new RuleViolation(
            'RAD_ORDER_NOT_BOOKED',
            order.status === 'ordered'
              ? 'The order has no booking yet: book it'
              : `An order that is ${order.status} cannot be moved`,
          );
        }
        const slot = await checkedSlot(tx, ctx, facilityId, order, input);
        const before = await endBooking(tx, ctx, id, 'moved', 'rescheduled');
        const bookingId = await insertBooking(tx, ctx, order, slot);
        await bumpOrder(tx, ctx, order, order.status as RadOrder['status']);
        await recordAudit(tx, ctx, {
          action: 'update',
          resourceType: 'RadiologyOrder',
          resourceId: id,
          patientId: order.patientId,
          detail: {
            rescheduled: bookingId,
            from: before ? { roomId: before.roomId, startsAt: before.startsAt.toISOString() } : null,
            roomId: slot.roomId,
            startsAt: slot.startsAt.toISOString(),
            endsAt: slot.endsAt.toISOString(),
          },
        });
      }),
    CONSTRAINTS,
  );
  const [order] = await readOrderRecords(ctx.db, [id], env, ctx.now);
  return order!;
}

/** Frees a booked study's slot; the order is back to ordered, to be booked again. */
export async function cancelBooking(
  ctx: Ctx,
  env: RadiologyEnv,
  id: string,
  input: z.output<typeof RadCancelBookingBody>,
): Promise<RadOrder> {
  const facilityId = requireFacility(ctx);
  await ctx.db.transaction(async (tx) => {
    const order = await orderRowOf(tx, facilityId, id, true);
    assertVersion(order, input.version);
    if (order.status !== 'scheduled') {
      throw new RuleViolation(
        'RAD_ORDER_NOT_BOOKED',
        `An order that is ${order.status} has no booking to cancel`,
      );
    }
    const ended = await endBooking(tx, ctx, id, 'cancelled', input.reason);
    await bumpOrder(tx, ctx, order, 'ordered');
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'RadiologyOrder',
      resourceId: id,
      patientId: order.patientId,
      detail: { bookingCancelled: ended?.id ?? null, reason: input.reason },
    });
  });
  const [order] = await readOrderRecords(ctx.db, [id], env, ctx.now);
  return order!;
}
