import type { OpdSettings, PriorityKind } from '@newhms/contracts';
import { and, eq } from 'drizzle-orm';
import type { Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { NotFound, RuleViolation } from '../../platform/http/errors';
import { getFacility } from '../../platform/organization/organization.service';
import { localDate } from '../../platform/time/facility-time';
import { opdSettings, practitioners, rooms } from './opd.tables';
import { type PractitionerRow, type RoomRow, requireFacility } from './opd-records';

// Loaders every OPD service shares: the facility's zone and currency, the settings, a practitioner, a room.

export const DEFAULT_SETTINGS = {
  priorityKinds: ['emergency', 'elderly', 'pregnant', 'disabled'] as PriorityKind[],
  // India's senior citizens are 60 and over (Maintenance and Welfare of Parents and Senior Citizens Act).
  elderlyAge: 60,
  bookingWindowDays: 30,
};

export type FacilityClock = { facilityId: string; timeZone: string; currency: string; today: string };

export async function facilityClock(db: DbOrTx, facilityId: string, now: Date): Promise<FacilityClock> {
  const f = await getFacility(db, facilityId);
  return { facilityId, timeZone: f.timeZone, currency: f.currency, today: localDate(now, f.timeZone) };
}

export async function loadSettings(db: DbOrTx, facilityId: string): Promise<OpdSettings> {
  const [row] = await db.select().from(opdSettings).where(eq(opdSettings.facilityId, facilityId));
  if (!row) return { facilityId, ...DEFAULT_SETTINGS, version: 1 };
  return {
    facilityId,
    priorityKinds: row.priorityKinds as PriorityKind[],
    elderlyAge: row.elderlyAge,
    bookingWindowDays: row.bookingWindowDays,
    version: row.version,
  };
}

export async function loadPractitioner(
  db: DbOrTx,
  facilityId: string,
  id: string,
  options: { lock?: boolean; path?: string } = {},
): Promise<PractitionerRow> {
  const q = db
    .select()
    .from(practitioners)
    .where(and(eq(practitioners.id, id), eq(practitioners.facilityId, facilityId)));
  const [row] = options.lock ? await q.for('update') : await q;
  if (!row) {
    if (options.path) {
      throw new RuleViolation('OPD_PRACTITIONER_NOT_FOUND', 'The practitioner is not in this facility', [
        { path: options.path, message: 'not found in this facility' },
      ]);
    }
    throw new NotFound('The practitioner', 'OPD_PRACTITIONER_NOT_FOUND');
  }
  return row;
}

/** The practitioner profile of a staff user in a facility, if they have one. */
export async function practitionerOfUser(
  db: DbOrTx,
  facilityId: string,
  userId: string,
): Promise<PractitionerRow | undefined> {
  const [row] = await db
    .select()
    .from(practitioners)
    .where(and(eq(practitioners.facilityId, facilityId), eq(practitioners.userId, userId)));
  return row;
}

export async function loadRoom(db: DbOrTx, facilityId: string, id: string, path?: string): Promise<RoomRow> {
  const [row] = await db
    .select()
    .from(rooms)
    .where(and(eq(rooms.id, id), eq(rooms.facilityId, facilityId)));
  if (!row) {
    if (path) {
      throw new RuleViolation('OPD_ROOM_NOT_FOUND', 'The clinic room is not in this facility', [
        { path, message: 'not found in this facility' },
      ]);
    }
    throw new NotFound('The clinic room', 'OPD_ROOM_NOT_FOUND');
  }
  return row;
}

/** The practitioner a doctor's screen is about: the one named, else the signed-in user's own profile. */
export async function worklistPractitioner(ctx: Ctx, practitionerId?: string): Promise<PractitionerRow> {
  const facilityId = requireFacility(ctx);
  if (practitionerId) return loadPractitioner(ctx.db, facilityId, practitionerId);
  const own =
    ctx.actor.type === 'user' ? await practitionerOfUser(ctx.db, facilityId, ctx.actor.userId) : undefined;
  if (!own) {
    throw new RuleViolation('OPD_NOT_A_PRACTITIONER', 'You have no practitioner profile in this facility', [
      { path: 'practitionerId', message: 'name the practitioner' },
    ]);
  }
  return own;
}
