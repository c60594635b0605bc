import type { Ctx } from '../context';
import type { DbOrTx } from '../db/database';
import { RuleViolation } from '../http/errors';
import { localDate } from '../time/facility-time';
import { getFacility } from './organization.service';

/** The facility a request works in (X-Facility-Id); a 422 when the user has not chosen one. */
export function requireFacility(ctx: Ctx): string {
  if (!ctx.facilityId) throw new RuleViolation('FACILITY_REQUIRED', 'Choose a facility first');
  return ctx.facilityId;
}

/** The facility's time zone, and today's date there (expiry, bed days and due dates are local dates). */
export async function facilityToday(
  db: DbOrTx,
  facilityId: string,
  now: Date,
): Promise<{ timeZone: string; today: string; facilityName: string }> {
  const f = await getFacility(db, facilityId);
  return { timeZone: f.timeZone, today: localDate(now, f.timeZone), facilityName: f.name };
}
