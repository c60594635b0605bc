import type { Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { getEncounter, startEncounter, unsignedNotesOf } from '../encounters';
import type { OpdEnv } from './opd.events';

// The one place the OPD talks to the clinical record (the encounters module, through its index.ts).

/**
 * Opens the consultation's encounter for a queue token. The encounters module keeps one encounter per
 * (source type, source id), so calling this twice for one token gives the same encounter.
 */
export async function openConsultation(
  ctx: Ctx,
  env: OpdEnv,
  input: {
    tokenId: string;
    patientId: string;
    practitionerId: string;
    practitionerName: string;
    departmentId: string;
    reason: string | null;
  },
): Promise<{ id: string }> {
  const encounter = await startEncounter(
    ctx,
    { events: env.events },
    {
      patientId: input.patientId,
      class: 'ambulatory',
      practitionerId: input.practitionerId,
      practitionerName: input.practitionerName,
      departmentId: input.departmentId,
      reason: input.reason,
      sourceType: 'opd-token',
      sourceId: input.tokenId,
    },
  );
  return { id: encounter.id };
}

/** The encounter a follow-up is booked from: whose patient, which practitioner. */
export async function consultationOf(
  db: DbOrTx,
  encounterId: string,
): Promise<{ patientId: string; practitionerId: string | null; facilityId: string }> {
  const e = await getEncounter(db, encounterId);
  return { patientId: e.patientId, practitionerId: e.practitionerId, facilityId: e.facilityId };
}

/** How many of a doctor's notes are still drafts (the encounters module lists at most 100). */
export async function countUnsignedNotes(ctx: Ctx, userId: string): Promise<number> {
  return (await unsignedNotesOf(ctx.db, userId)).length;
}
