import type {
  ClinicRoom,
  ClinicRoomFields,
  CreatePractitionerBody,
  OpdSettings,
  OpdSettingsBody,
  Practitioner,
  PractitionerQuery,
  UpdateClinicRoomBody,
  UpdatePractitionerBody,
} from '@newhms/contracts';
import { and, asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { getUser } from '../../platform/auth/users.service';
import type { Ctx } from '../../platform/context';
import { Conflict, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { listDepartments } from '../../platform/organization/organization.service';
import type { OpdEnv } from './opd.events';
import { opdSettings, practitioners, rooms } from './opd.tables';
import { facilityClock, loadPractitioner, loadRoom, loadSettings } from './opd-lookups';
import { requireFacility, toPractitioner, toRoom, withConstraintErrors } from './opd-records';
import { materializeAll, rematerialize } from './slots.service';

// Settings, practitioner profiles and clinic rooms: what the administrator sets up before schedules.

export async function getSettings(ctx: Ctx): Promise<OpdSettings> {
  return loadSettings(ctx.db, requireFacility(ctx));
}

export async function updateSettings(
  ctx: Ctx,
  env: OpdEnv,
  input: z.output<typeof OpdSettingsBody>,
): Promise<OpdSettings> {
  const facilityId = requireFacility(ctx);
  const result = await ctx.db.transaction(async (tx) => {
    const current = await loadSettings(tx, facilityId);
    if (current.version !== input.version) throw new StaleVersion('The OPD settings');
    const values = {
      priorityKinds: [...new Set(input.priorityKinds)],
      elderlyAge: input.elderlyAge,
      bookingWindowDays: input.bookingWindowDays,
      version: input.version + 1,
      updatedAt: ctx.now,
    };
    await tx
      .insert(opdSettings)
      .values({ facilityId, ...values })
      .onConflictDoUpdate({ target: opdSettings.facilityId, set: values });
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'OpdSettings',
      resourceId: facilityId,
      detail: { from: current, to: values },
    });
    return {
      settings: await loadSettings(tx, facilityId),
      windowGrew: values.bookingWindowDays > current.bookingWindowDays,
    };
  });
  // A longer booking window is made at once rather than at the next nightly run.
  if (result.windowGrew) await materializeAll(ctx.db, env, { facilityId, ctx });
  return result.settings;
}

async function assertDepartment(ctx: Ctx, facilityId: string, departmentId: string, path: string) {
  const departments = await listDepartments(ctx, facilityId);
  if (!departments.some((d) => d.id === departmentId)) {
    throw new RuleViolation('OPD_DEPARTMENT_NOT_FOUND', 'The department is not in this facility', [
      { path, message: 'not found in this facility' },
    ]);
  }
}

async function assertUser(ctx: Ctx, userId: string) {
  try {
    await getUser(ctx, userId);
  } catch (err) {
    if (err instanceof NotFound) {
      throw new RuleViolation('OPD_USER_NOT_FOUND', 'A practitioner must be a staff user', [
        { path: 'body.userId', message: 'no such user' },
      ]);
    }
    throw err;
  }
}

const practitionerConstraints = {
  practitioners_facility_user_uq: () =>
    new Conflict('OPD_PRACTITIONER_EXISTS', 'This user already has a practitioner profile in this facility'),
};

export async function listPractitioners(
  ctx: Ctx,
  q: z.output<typeof PractitionerQuery>,
): Promise<Practitioner[]> {
  const facilityId = requireFacility(ctx);
  const clock = await facilityClock(ctx.db, facilityId, ctx.now);
  const rows = await ctx.db
    .select()
    .from(practitioners)
    .where(
      and(
        eq(practitioners.facilityId, facilityId),
        q.departmentId ? eq(practitioners.departmentId, q.departmentId) : undefined,
        q.active !== undefined ? eq(practitioners.active, q.active) : undefined,
      ),
    )
    .orderBy(asc(practitioners.displayName))
    .limit(1000);
  return rows.map((r) => toPractitioner(r, clock.currency));
}

export async function getPractitioner(ctx: Ctx, id: string): Promise<Practitioner> {
  const facilityId = requireFacility(ctx);
  const clock = await facilityClock(ctx.db, facilityId, ctx.now);
  return toPractitioner(await loadPractitioner(ctx.db, facilityId, id), clock.currency);
}

export async function createPractitioner(
  ctx: Ctx,
  input: z.output<typeof CreatePractitionerBody>,
): Promise<Practitioner> {
  const facilityId = requireFacility(ctx);
  await assertDepartment(ctx, facilityId, input.departmentId, 'body.departmentId');
  await assertUser(ctx, input.userId);
  const clock = await facilityClock(ctx.db, facilityId, ctx.now);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(practitioners)
          .values({
            ...input,
            facilityId,
            registrationCouncil: input.registrationCouncil ?? null,
            registrationNumber: input.registrationNumber ?? null,
            tokenPrefix: input.tokenPrefix ?? null,
            createdAt: ctx.now,
            updatedAt: ctx.now,
          })
          .returning();
        await recordAudit(tx, ctx, {
          action: 'create',
          resourceType: 'Practitioner',
          resourceId: row!.id,
          detail: { userId: input.userId, departmentId: input.departmentId, specialty: input.specialty },
        });
        return toPractitioner(row!, clock.currency);
      }),
    practitionerConstraints,
  );
}

export async function updatePractitioner(
  ctx: Ctx,
  env: OpdEnv,
  id: string,
  input: z.output<typeof UpdatePractitionerBody>,
): Promise<Practitioner> {
  const facilityId = requireFacility(ctx);
  if (input.departmentId) await assertDepartment(ctx, facilityId, input.departmentId, 'body.departmentId');
  const clock = await facilityClock(ctx.db, facilityId, ctx.now);
  return ctx.db.transaction(async (tx) => {
    const current = await loadPractitioner(tx, facilityId, id, { lock: true });
    if (current.version !== input.version) throw new StaleVersion('The practitioner');
    const { version, ...changes } = input;
    const [row] = await tx
      .update(practitioners)
      .set({ ...changes, version: version + 1, updatedAt: ctx.now })
      .where(eq(practitioners.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Practitioner',
      resourceId: id,
      detail: changes,
    });
    // Going inactive retires future sessions (booked patients go to the reschedule list); coming back makes them.
    if (changes.active !== undefined && changes.active !== current.active) {
      await rematerialize(tx, env, { ...ctx, db: tx }, id);
    }
    return toPractitioner(row!, clock.currency);
  });
}

const roomConstraints = {
  rooms_board_code_uq: () =>
    new Conflict('OPD_BOARD_CODE_TAKEN', 'Another room already uses this board code'),
  rooms_facility_name_uq: () =>
    new Conflict('OPD_ROOM_NAME_TAKEN', 'Another room of this facility has this name'),
};

export async function listRooms(ctx: Ctx): Promise<ClinicRoom[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(rooms)
    .where(eq(rooms.facilityId, facilityId))
    .orderBy(asc(rooms.name))
    .limit(1000);
  return rows.map(toRoom);
}

export async function createRoom(ctx: Ctx, input: z.output<typeof ClinicRoomFields>): Promise<ClinicRoom> {
  const facilityId = requireFacility(ctx);
  await assertDepartment(ctx, facilityId, input.departmentId, 'body.departmentId');
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(rooms)
          .values({ ...input, facilityId, createdAt: ctx.now, updatedAt: ctx.now })
          .returning();
        await recordAudit(tx, ctx, {
          action: 'create',
          resourceType: 'ClinicRoom',
          resourceId: row!.id,
          detail: input,
        });
        return toRoom(row!);
      }),
    roomConstraints,
  );
}

export async function updateRoom(
  ctx: Ctx,
  id: string,
  input: z.output<typeof UpdateClinicRoomBody>,
): Promise<ClinicRoom> {
  const facilityId = requireFacility(ctx);
  if (input.departmentId) await assertDepartment(ctx, facilityId, input.departmentId, 'body.departmentId');
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const current = await loadRoom(tx, facilityId, id);
        if (current.version !== input.version) throw new StaleVersion('The clinic room');
        const { version, ...changes } = input;
        const [row] = await tx
          .update(rooms)
          .set({ ...changes, version: version + 1, updatedAt: ctx.now })
          .where(and(eq(rooms.id, id), eq(rooms.version, version)))
          .returning();
        if (!row) throw new StaleVersion('The clinic room');
        await recordAudit(tx, ctx, {
          action: 'update',
          resourceType: 'ClinicRoom',
          resourceId: id,
          detail: changes,
        });
        return toRoom(row);
      }),
    roomConstraints,
  );
}
