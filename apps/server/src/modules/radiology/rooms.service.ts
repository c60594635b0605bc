import type {
  CreateRadRoomBody,
  RadRoom,
  RadRoomQuery,
  RadRoomSchedule,
  RadScheduleQuery,
  UpdateRadRoomBody,
} from '@newhms/contracts';
import { and, asc, eq, gt, lt } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import type { Ctx } from '../../platform/context';
import { withConstraintErrors } from '../../platform/db/constraint-errors';
import type { DbOrTx } from '../../platform/db/database';
import { Conflict, NotFound, StaleVersion } from '../../platform/http/errors';
import { requireFacility } from '../../platform/organization/facility-context';
import { getFacility } from '../../platform/organization/organization.service';
import { addDays, zonedInstant } from '../../platform/time/facility-time';
import { getPatientSummaries } from '../patients';
import { auditList } from './orders.service';
import { bookings, orders, rooms } from './radiology.tables';

// Modality rooms of a facility (X-ray 1, CT, MRI, USG 2...): created, renamed, given working hours, deactivated
// (never deleted: their bookings stay); and a room's day as the front desk books it.

type RoomRow = typeof rooms.$inferSelect;

export function toRadRoom(r: RoomRow): RadRoom {
  return {
    id: r.id,
    facilityId: r.facilityId,
    code: r.code,
    name: r.name,
    modality: r.modality as RadRoom['modality'],
    opensAt: r.opensAt,
    closesAt: r.closesAt,
    aeTitle: r.aeTitle,
    active: r.active,
    version: r.version,
  };
}

/** A room of this facility; 404 for another facility's. */
export async function roomOf(db: DbOrTx, facilityId: string, id: string, lock = false): Promise<RoomRow> {
  const query = db.select().from(rooms).where(eq(rooms.id, id));
  const [row] = lock ? await query.for('update') : await query;
  if (!row || row.facilityId !== facilityId) throw new NotFound('The room', 'RAD_ROOM_NOT_FOUND');
  return row;
}

export async function listRooms(ctx: Ctx, query: z.output<typeof RadRoomQuery>): Promise<RadRoom[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(rooms)
    .where(
      and(
        eq(rooms.facilityId, facilityId),
        query.modality ? eq(rooms.modality, query.modality) : undefined,
        query.includeInactive ? undefined : eq(rooms.active, true),
      ),
    )
    .orderBy(asc(rooms.modality), asc(rooms.code));
  return rows.map(toRadRoom);
}

export async function createRoom(ctx: Ctx, input: z.output<typeof CreateRadRoomBody>): Promise<RadRoom> {
  const facilityId = requireFacility(ctx);
  const row = await withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const [r] = await tx
          .insert(rooms)
          .values({
            facilityId,
            code: input.code,
            name: input.name,
            modality: input.modality,
            opensAt: input.opensAt ?? null,
            closesAt: input.closesAt ?? null,
            aeTitle: input.aeTitle ?? null,
            createdAt: ctx.now,
            updatedAt: ctx.now,
          })
          .returning();
        await recordAudit(tx, ctx, {
          action: 'create',
          resourceType: 'RadiologyRoom',
          resourceId: r!.id,
          detail: { code: input.code, modality: input.modality },
        });
        return r!;
      }),
    { rooms_code_uq: () => new Conflict('RAD_ROOM_CODE_TAKEN', `A room ${input.code} exists already`) },
  );
  return toRadRoom(row);
}

/** Renames a room, changes its hours or AE title, deactivates or reactivates it (no new bookings while inactive). */
export async function updateRoom(
  ctx: Ctx,
  id: string,
  input: z.output<typeof UpdateRadRoomBody>,
): Promise<RadRoom> {
  const facilityId = requireFacility(ctx);
  const row = await ctx.db.transaction(async (tx) => {
    const current = await roomOf(tx, facilityId, id);
    const [updated] = await tx
      .update(rooms)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.opensAt !== undefined ? { opensAt: input.opensAt, closesAt: input.closesAt ?? null } : {}),
        ...(input.aeTitle !== undefined ? { aeTitle: input.aeTitle } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        version: current.version + 1,
        updatedAt: ctx.now,
      })
      .where(and(eq(rooms.id, id), eq(rooms.version, input.version)))
      .returning();
    if (!updated) throw new StaleVersion('The room');
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'RadiologyRoom',
      resourceId: id,
      detail: { ...input, version: undefined },
    });
    return updated;
  });
  return toRadRoom(row);
}

/** The instants a facility day runs between, in its time zone. */
export function dayBounds(date: string, timeZone: string): { from: Date; to: Date } {
  return {
    from: zonedInstant(date, '00:00', timeZone),
    to: zonedInstant(addDays(date, 1), '00:00', timeZone),
  };
}

/** A room's active bookings that touch a day of the facility's calendar, in time order (audited per patient). */
export async function roomSchedule(
  ctx: Ctx,
  id: string,
  query: z.output<typeof RadScheduleQuery>,
): Promise<RadRoomSchedule> {
  const facilityId = requireFacility(ctx);
  const room = await roomOf(ctx.db, facilityId, id);
  const { timeZone } = await getFacility(ctx.db, facilityId);
  const { from, to } = dayBounds(query.date, timeZone);
  const rows = await ctx.db
    .select({ booking: bookings, order: orders })
    .from(bookings)
    .innerJoin(orders, eq(orders.id, bookings.orderId))
    .where(
      and(
        eq(bookings.roomId, id),
        eq(bookings.status, 'active'),
        lt(bookings.startsAt, to),
        gt(bookings.endsAt, from),
      ),
    )
    .orderBy(asc(bookings.startsAt), asc(bookings.id))
    .limit(500);
  const patients = new Map(
    (await getPatientSummaries(ctx.db, [...new Set(rows.map((r) => r.order.patientId))], ctx.now)).map(
      (p) => [p.id, p],
    ),
  );
  await auditList(
    ctx,
    rows.map((r) => r.order),
    'room-schedule',
  );
  return {
    room: toRadRoom(room),
    date: query.date,
    timeZone,
    bookings: rows.map(({ booking: b, order: o }) => ({
      bookingId: b.id,
      orderId: o.id,
      accession: o.accession,
      patientId: o.patientId,
      patientName: patients.get(o.patientId)?.displayName ?? '',
      mrn: patients.get(o.patientId)?.mrn ?? '',
      procedureCode: o.procedureCode,
      procedureName: o.procedureName,
      priority: o.priority as RadRoomSchedule['bookings'][number]['priority'],
      status: o.status as RadRoomSchedule['bookings'][number]['status'],
      startsAt: b.startsAt.toISOString(),
      endsAt: b.endsAt.toISOString(),
    })),
  };
}
