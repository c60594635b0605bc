import type {
  Bed,
  BedBody,
  BedCategory,
  BedCategoryBody,
  BedQuery,
  BedStatus,
  BedStatusBody,
  BedStatusChange,
  UpdateBedBody,
  UpdateBedCategoryBody,
  UpdateWardBody,
  UpdateWardRoomBody,
  Ward,
  WardBody,
  WardQuery,
  WardRoom,
  WardRoomBody,
  WardRoomQuery,
} from '@newhms/contracts';
import { and, asc, desc, eq, gt, inArray, isNull, lte, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { Conflict, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { listDepartments } from '../../platform/organization/organization.service';
import { notifyBeds } from './ipd.events';
import {
  bedCategories,
  bedOccupancies,
  bedReservations,
  bedStatusChanges,
  beds,
  rooms,
  wards,
} from './ipd.tables';
import {
  type BedInfo,
  type BedRow,
  loadBedInfo,
  requireFacility,
  toBed,
  toCategory,
  toRoom,
  toStatusChange,
  toWard,
  withConstraintErrors,
} from './ipd-records';

// Setup of the house (bed categories, wards, rooms, beds) and the bed's status with its history.

const setupConstraints = {
  bed_categories_code_uq: () =>
    new Conflict('IPD_CATEGORY_CODE_TAKEN', 'A bed category with this code exists'),
  wards_code_uq: () => new Conflict('IPD_WARD_CODE_TAKEN', 'A ward with this code exists in this facility'),
  wards_display_code_uq: () => new Conflict('IPD_DISPLAY_CODE_TAKEN', 'Another ward uses this display code'),
  rooms_code_uq: () => new Conflict('IPD_ROOM_CODE_TAKEN', 'A room with this code exists in this ward'),
  beds_code_uq: () => new Conflict('IPD_BED_CODE_TAKEN', 'A bed with this code exists in this ward'),
};

function checkVersion(row: { version: number }, version: number, what: string) {
  if (row.version !== version) throw new StaleVersion(what);
}

async function assertDepartment(ctx: Ctx, facilityId: string, departmentId: string | null | undefined) {
  if (!departmentId) return;
  const departments = await listDepartments(ctx, facilityId);
  if (!departments.some((d) => d.id === departmentId)) {
    throw new RuleViolation('IPD_DEPARTMENT_NOT_FOUND', 'The department is not in this facility', [
      { path: 'body.departmentId', message: 'not found in this facility' },
    ]);
  }
}

async function setupAudit(
  tx: DbOrTx,
  ctx: Ctx,
  action: string,
  resourceType: string,
  id: string,
  detail: object,
) {
  await recordAudit(tx, ctx, {
    action,
    resourceType,
    resourceId: id,
    detail: detail as Record<string, unknown>,
  });
}

// ------------------------------------------------------------------------------------------------------
// Bed categories
// ------------------------------------------------------------------------------------------------------

export async function listCategories(ctx: Ctx): Promise<BedCategory[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(bedCategories)
    .where(eq(bedCategories.facilityId, facilityId))
    .orderBy(asc(bedCategories.code));
  return rows.map(toCategory);
}

export async function createCategory(
  ctx: Ctx,
  input: z.output<typeof BedCategoryBody>,
): Promise<BedCategory> {
  const facilityId = requireFacility(ctx);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(bedCategories)
          .values({ ...input, facilityId, createdAt: ctx.now, updatedAt: ctx.now })
          .returning();
        await setupAudit(tx, ctx, 'create', 'BedCategory', row!.id, input);
        return toCategory(row!);
      }),
    setupConstraints,
  );
}

export async function updateCategory(
  ctx: Ctx,
  id: string,
  input: z.output<typeof UpdateBedCategoryBody>,
): Promise<BedCategory> {
  const facilityId = requireFacility(ctx);
  const { version, ...changes } = input;
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .select()
          .from(bedCategories)
          .where(and(eq(bedCategories.id, id), eq(bedCategories.facilityId, facilityId)))
          .for('update');
        if (!row) throw new NotFound('The bed category', 'IPD_CATEGORY_NOT_FOUND');
        checkVersion(row, version, 'The bed category');
        const [updated] = await tx
          .update(bedCategories)
          .set({ ...changes, version: row.version + 1, updatedAt: ctx.now })
          .where(eq(bedCategories.id, id))
          .returning();
        await setupAudit(tx, ctx, 'update', 'BedCategory', id, changes);
        return toCategory(updated!);
      }),
    setupConstraints,
  );
}

// ------------------------------------------------------------------------------------------------------
// Wards
// ------------------------------------------------------------------------------------------------------

export async function listWards(ctx: Ctx, query: z.output<typeof WardQuery>): Promise<Ward[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(wards)
    .where(
      and(
        eq(wards.facilityId, facilityId),
        query.active === undefined ? undefined : eq(wards.active, query.active),
        query.kind ? eq(wards.kind, query.kind) : undefined,
      ),
    )
    .orderBy(asc(wards.code));
  return rows.map(toWard);
}

async function loadWard(db: DbOrTx, facilityId: string, id: string, lock = false) {
  const q = db
    .select()
    .from(wards)
    .where(and(eq(wards.id, id), eq(wards.facilityId, facilityId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFound('The ward', 'IPD_WARD_NOT_FOUND');
  return row;
}

export async function getWard(ctx: Ctx, id: string): Promise<Ward> {
  return toWard(await loadWard(ctx.db, requireFacility(ctx), id));
}

export async function createWard(ctx: Ctx, input: z.output<typeof WardBody>): Promise<Ward> {
  const facilityId = requireFacility(ctx);
  await assertDepartment(ctx, facilityId, input.departmentId);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(wards)
          .values({
            facilityId,
            code: input.code,
            name: input.name,
            building: input.building ?? null,
            floor: input.floor ?? null,
            kind: input.kind,
            departmentId: input.departmentId ?? null,
            genderRestriction: input.genderRestriction,
            minAgeYears: input.minAgeYears ?? null,
            maxAgeYears: input.maxAgeYears ?? null,
            displayCode: input.displayCode ?? null,
            createdAt: ctx.now,
            updatedAt: ctx.now,
          })
          .returning();
        await setupAudit(tx, ctx, 'create', 'Ward', row!.id, input);
        return toWard(row!);
      }),
    setupConstraints,
  );
}

export async function updateWard(
  ctx: Ctx,
  id: string,
  input: z.output<typeof UpdateWardBody>,
): Promise<Ward> {
  const facilityId = requireFacility(ctx);
  const { version, ...changes } = input;
  await assertDepartment(ctx, facilityId, changes.departmentId);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const row = await loadWard(tx, facilityId, id, true);
        checkVersion(row, version, 'The ward');
        const min = changes.minAgeYears === undefined ? row.minAgeYears : changes.minAgeYears;
        const max = changes.maxAgeYears === undefined ? row.maxAgeYears : changes.maxAgeYears;
        if (min !== null && max !== null && min > max) {
          throw new RuleViolation('IPD_WARD_AGES', 'The minimum age is above the maximum', [
            { path: 'body.maxAgeYears', message: `must be at least ${min}` },
          ]);
        }
        if (changes.active === false && row.active) {
          const [bed] = await tx
            .select({ id: beds.id })
            .from(beds)
            .where(and(eq(beds.wardId, id), eq(beds.active, true)))
            .limit(1);
          if (bed) throw new Conflict('IPD_WARD_HAS_BEDS', 'Deactivate the beds of the ward first');
        }
        const [updated] = await tx
          .update(wards)
          .set({ ...changes, version: row.version + 1, updatedAt: ctx.now })
          .where(eq(wards.id, id))
          .returning();
        await setupAudit(tx, ctx, 'update', 'Ward', id, changes);
        return toWard(updated!);
      }),
    setupConstraints,
  );
}

// ------------------------------------------------------------------------------------------------------
// Rooms
// ------------------------------------------------------------------------------------------------------

export async function listRooms(ctx: Ctx, query: z.output<typeof WardRoomQuery>): Promise<WardRoom[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select({ room: rooms })
    .from(rooms)
    .innerJoin(wards, eq(wards.id, rooms.wardId))
    .where(
      and(
        eq(wards.facilityId, facilityId),
        query.wardId ? eq(rooms.wardId, query.wardId) : undefined,
        query.active === undefined ? undefined : eq(rooms.active, query.active),
      ),
    )
    .orderBy(asc(wards.code), asc(rooms.code));
  return rows.map((r) => toRoom(r.room));
}

export async function createRoom(ctx: Ctx, input: z.output<typeof WardRoomBody>): Promise<WardRoom> {
  const facilityId = requireFacility(ctx);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const [ward] = await tx
          .select()
          .from(wards)
          .where(and(eq(wards.id, input.wardId), eq(wards.facilityId, facilityId)));
        if (!ward?.active) {
          throw new RuleViolation('IPD_WARD_NOT_FOUND', 'The ward is not an active ward of this facility', [
            { path: 'body.wardId', message: 'no such active ward' },
          ]);
        }
        const [row] = await tx
          .insert(rooms)
          .values({ ...input, createdAt: ctx.now, updatedAt: ctx.now })
          .returning();
        await setupAudit(tx, ctx, 'create', 'WardRoom', row!.id, input);
        return toRoom(row!);
      }),
    setupConstraints,
  );
}

export async function updateRoom(
  ctx: Ctx,
  id: string,
  input: z.output<typeof UpdateWardRoomBody>,
): Promise<WardRoom> {
  const facilityId = requireFacility(ctx);
  const { version, ...changes } = input;
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        await tx.select({ id: rooms.id }).from(rooms).where(eq(rooms.id, id)).for('update');
        const [found] = await tx
          .select({ room: rooms })
          .from(rooms)
          .innerJoin(wards, eq(wards.id, rooms.wardId))
          .where(and(eq(rooms.id, id), eq(wards.facilityId, facilityId)));
        if (!found) throw new NotFound('The room', 'IPD_ROOM_NOT_FOUND');
        checkVersion(found.room, version, 'The room');
        if (changes.active === false && found.room.active) {
          const [bed] = await tx
            .select({ id: beds.id })
            .from(beds)
            .where(and(eq(beds.roomId, id), eq(beds.active, true)))
            .limit(1);
          if (bed) throw new Conflict('IPD_ROOM_HAS_BEDS', 'Deactivate the beds of the room first');
        }
        const [updated] = await tx
          .update(rooms)
          .set({ ...changes, version: found.room.version + 1, updatedAt: ctx.now })
          .where(eq(rooms.id, id))
          .returning();
        await setupAudit(tx, ctx, 'update', 'WardRoom', id, changes);
        return toRoom(updated!);
      }),
    setupConstraints,
  );
}

// ------------------------------------------------------------------------------------------------------
// Beds
// ------------------------------------------------------------------------------------------------------

export async function listBeds(ctx: Ctx, query: z.output<typeof BedQuery>): Promise<Bed[]> {
  const facilityId = requireFacility(ctx);
  const filters: (SQL | undefined)[] = [
    eq(beds.facilityId, facilityId),
    query.wardId ? eq(beds.wardId, query.wardId) : undefined,
    query.roomId ? eq(beds.roomId, query.roomId) : undefined,
    query.status ? eq(beds.status, query.status) : undefined,
    query.active === undefined ? undefined : eq(beds.active, query.active),
  ];
  const rows = await ctx.db
    .select({ bed: beds, ward: wards, room: rooms, category: bedCategories })
    .from(beds)
    .innerJoin(wards, eq(wards.id, beds.wardId))
    .innerJoin(rooms, eq(rooms.id, beds.roomId))
    .innerJoin(bedCategories, eq(bedCategories.id, beds.categoryId))
    .where(and(...filters))
    .orderBy(asc(wards.code), asc(beds.sortOrder), asc(beds.code))
    .limit(2000);
  return rows.map(toBed);
}

export async function getBed(ctx: Ctx, id: string): Promise<Bed> {
  return toBed(await loadBedInfo(ctx.db, requireFacility(ctx), id));
}

async function activeCategory(db: DbOrTx, facilityId: string, id: string) {
  const [row] = await db
    .select()
    .from(bedCategories)
    .where(and(eq(bedCategories.id, id), eq(bedCategories.facilityId, facilityId)));
  if (!row?.active) {
    throw new RuleViolation(
      'IPD_CATEGORY_NOT_FOUND',
      'The bed category is not an active one of this facility',
      [{ path: 'body.categoryId', message: 'no such active category' }],
    );
  }
  return row;
}

export async function createBed(ctx: Ctx, input: z.output<typeof BedBody>): Promise<Bed> {
  const facilityId = requireFacility(ctx);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const [found] = await tx
          .select({ room: rooms, ward: wards })
          .from(rooms)
          .innerJoin(wards, eq(wards.id, rooms.wardId))
          .where(and(eq(rooms.id, input.roomId), eq(wards.facilityId, facilityId)));
        if (!found?.room.active || !found.ward.active) {
          throw new RuleViolation('IPD_ROOM_NOT_FOUND', 'The room is not an active room of this facility', [
            { path: 'body.roomId', message: 'no such active room' },
          ]);
        }
        await activeCategory(tx, facilityId, input.categoryId);
        const [row] = await tx
          .insert(beds)
          .values({
            facilityId,
            wardId: found.ward.id,
            roomId: input.roomId,
            categoryId: input.categoryId,
            code: input.code,
            isolation: input.isolation,
            sortOrder: input.sortOrder,
            status: 'available',
            statusSince: ctx.now,
            createdAt: ctx.now,
            updatedAt: ctx.now,
          })
          .returning();
        await insertStatusChange(tx, ctx, row!.id, null, 'available', 'New bed', null);
        await setupAudit(tx, ctx, 'create', 'Bed', row!.id, input);
        await notifyBeds(tx, found.ward.id);
        return toBed(await loadBedInfo(tx, facilityId, row!.id));
      }),
    setupConstraints,
  );
}

export async function updateBed(ctx: Ctx, id: string, input: z.output<typeof UpdateBedBody>): Promise<Bed> {
  const facilityId = requireFacility(ctx);
  const { version, ...changes } = input;
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const info = await loadBedInfo(tx, facilityId, id, { lock: true });
        checkVersion(info.bed, version, 'The bed');
        if (changes.categoryId) await activeCategory(tx, facilityId, changes.categoryId);
        if (changes.active === false && info.bed.active) {
          if (await hasOpenOccupancy(tx, id)) {
            throw new Conflict('IPD_BED_OCCUPIED', 'A bed with a patient in it cannot be retired');
          }
          if (await activeReservationAt(tx, id, ctx.now, 'from-now')) {
            throw new Conflict('IPD_BED_RESERVED', 'Release the reservations of the bed first');
          }
        }
        await tx
          .update(beds)
          .set({ ...changes, version: info.bed.version + 1, updatedAt: ctx.now })
          .where(eq(beds.id, id));
        await setupAudit(tx, ctx, 'update', 'Bed', id, changes);
        await notifyBeds(tx, info.ward.id);
        return toBed(await loadBedInfo(tx, facilityId, id));
      }),
    setupConstraints,
  );
}

// ------------------------------------------------------------------------------------------------------
// Bed status
// ------------------------------------------------------------------------------------------------------

async function insertStatusChange(
  tx: DbOrTx,
  ctx: Pick<Ctx, 'actor' | 'now'>,
  bedId: string,
  from: string | null,
  to: BedStatus,
  reason: string | null,
  admissionId: string | null,
  actorName?: string,
) {
  await tx.insert(bedStatusChanges).values({
    bedId,
    fromStatus: from,
    toStatus: to,
    reason,
    admissionId,
    changedById: actorName ? null : actorId(ctx.actor),
    changedByName: actorName ?? ctx.actor.name,
    changedAt: ctx.now,
  });
}

/**
 * Sets a bed's status and writes who, when and why (bed_status_changes), in the caller's transaction, and
 * tells the bed board. A bed already in that status is left alone (no row).
 */
export async function changeBedStatus(
  tx: DbOrTx,
  ctx: Pick<Ctx, 'actor' | 'now'>,
  bed: BedRow,
  to: BedStatus,
  options: { reason?: string | null; admissionId?: string | null; actorName?: string } = {},
): Promise<void> {
  if (bed.status === to) return;
  await tx
    .update(beds)
    .set({
      status: to,
      statusSince: ctx.now,
      statusReason: options.reason ?? null,
      version: bed.version + 1,
      updatedAt: ctx.now,
    })
    .where(eq(beds.id, bed.id));
  await insertStatusChange(
    tx,
    ctx,
    bed.id,
    bed.status,
    to,
    options.reason ?? null,
    options.admissionId ?? null,
    options.actorName,
  );
  await notifyBeds(tx, bed.wardId);
}

export async function hasOpenOccupancy(db: DbOrTx, bedId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: bedOccupancies.id })
    .from(bedOccupancies)
    .where(and(eq(bedOccupancies.bedId, bedId), isNull(bedOccupancies.endedAt)))
    .limit(1);
  return !!row;
}

/**
 * An active reservation of the bed that covers `at` ('now'), or any that has not ended by then ('from-now').
 */
export async function activeReservationAt(
  db: DbOrTx,
  bedId: string,
  at: Date,
  mode: 'now' | 'from-now' = 'now',
) {
  const [row] = await db
    .select()
    .from(bedReservations)
    .where(
      and(
        eq(bedReservations.bedId, bedId),
        eq(bedReservations.status, 'active'),
        mode === 'now' ? lte(bedReservations.fromAt, at) : undefined,
        gt(bedReservations.untilAt, at),
      ),
    )
    .orderBy(asc(bedReservations.fromAt))
    .limit(1);
  return row;
}

/** What an empty bed shows when nothing holds it: reserved while a reservation covers now, else available. */
export async function idleStatusOf(db: DbOrTx, bedId: string, now: Date): Promise<'available' | 'reserved'> {
  return (await activeReservationAt(db, bedId, now)) ? 'reserved' : 'available';
}

/**
 * Block, unblock or send to maintenance by hand. An occupied bed cannot be blocked; a bed being cleaned
 * becomes available only when housekeeping reports it clean.
 */
export async function setBedStatus(
  ctx: Ctx,
  id: string,
  input: z.output<typeof BedStatusBody>,
): Promise<Bed> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const info = await loadBedInfo(tx, facilityId, id, { lock: true });
    const bed = info.bed;
    checkVersion(bed, input.version, 'The bed');
    if (!bed.active) throw new Conflict('IPD_BED_INACTIVE', 'The bed is retired');
    if (bed.status === 'occupied' || (await hasOpenOccupancy(tx, id))) {
      throw new Conflict(
        'IPD_BED_OCCUPIED',
        'A bed with a patient in it cannot be blocked or released by hand',
      );
    }
    if (input.status === 'available') {
      if (bed.status === 'cleaning') {
        throw new Conflict(
          'IPD_BED_NEEDS_CLEANING',
          'The bed becomes available when housekeeping has cleaned it',
        );
      }
      if (bed.status !== 'blocked' && bed.status !== 'maintenance') {
        throw new Conflict('IPD_BED_NOT_BLOCKED', `The bed is ${bed.status}, not blocked or in maintenance`);
      }
      await changeBedStatus(tx, ctx, bed, await idleStatusOf(tx, id, ctx.now), { reason: input.reason });
    } else {
      if (bed.status === input.status) {
        throw new Conflict('IPD_BED_STATUS_UNCHANGED', `The bed is already ${bed.status}`);
      }
      if (await activeReservationAt(tx, id, ctx.now)) {
        throw new Conflict('IPD_BED_RESERVED', 'The bed is reserved now; release the reservation first');
      }
      await changeBedStatus(tx, ctx, bed, input.status, { reason: input.reason });
    }
    await setupAudit(tx, ctx, 'update', 'Bed', id, { status: input.status, reason: input.reason });
    return toBed(await loadBedInfo(tx, facilityId, id));
  });
}

export async function bedStatusHistory(ctx: Ctx, id: string): Promise<BedStatusChange[]> {
  await loadBedInfo(ctx.db, requireFacility(ctx), id);
  const rows = await ctx.db
    .select()
    .from(bedStatusChanges)
    .where(eq(bedStatusChanges.bedId, id))
    .orderBy(desc(bedStatusChanges.changedAt), desc(bedStatusChanges.id))
    .limit(500);
  return rows.map(toStatusChange);
}

/**
 * Housekeeping reported the bed clean (facilities.housekeeping.bed-cleaned): from cleaning to available (or
 * reserved, when a reservation covers now). A bed not in cleaning any more (blocked since) is left alone.
 * Idempotent.
 */
export async function markBedCleaned(
  tx: DbOrTx,
  ctx: Pick<Ctx, 'actor' | 'now'>,
  bedId: string,
  detail: { taskId: string; turnaroundMinutes: number },
): Promise<boolean> {
  const [bed] = await tx.select().from(beds).where(eq(beds.id, bedId)).for('update');
  if (bed?.status !== 'cleaning') return false;
  if (await hasOpenOccupancy(tx, bedId)) return false;
  await changeBedStatus(tx, ctx, bed, await idleStatusOf(tx, bedId, ctx.now), {
    reason: `Cleaned (housekeeping task ${detail.taskId}, ${detail.turnaroundMinutes} min)`,
    actorName: 'housekeeping',
  });
  return true;
}

/** Beds by id with ward, room and category (for other services of the module). */
export async function bedInfos(db: DbOrTx, ids: readonly string[]): Promise<Map<string, BedInfo>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ bed: beds, ward: wards, room: rooms, category: bedCategories })
    .from(beds)
    .innerJoin(wards, eq(wards.id, beds.wardId))
    .innerJoin(rooms, eq(rooms.id, beds.roomId))
    .innerJoin(bedCategories, eq(bedCategories.id, beds.categoryId))
    .where(inArray(beds.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.bed.id, r]));
}
