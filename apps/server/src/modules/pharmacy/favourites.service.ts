import type { Favourite, FavouriteBody } from '@newhms/contracts';
import { and, asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { withConstraintErrors } from '../../platform/db/constraint-errors';
import { Conflict, NotFound, RuleViolation } from '../../platform/http/errors';
import { requireFacility } from '../../platform/organization/facility-context';
import { prescriptionFavourites } from './pharmacy.tables';

// A doctor's favourites and order sets: named lists of prescription lines, the doctor's own, in the facility.
// Picking one fills the prescribing form (the checker still runs on what is signed).

type Row = typeof prescriptionFavourites.$inferSelect;

const toFavourite = (r: Row): Favourite => ({
  id: r.id,
  name: r.name,
  items: r.items as Record<string, unknown>[],
  version: r.version,
});

function ownerOf(ctx: Ctx): string {
  const id = actorId(ctx.actor);
  if (!id) throw new RuleViolation('FAVOURITES_NEED_A_USER', 'Favourites belong to a signed-in doctor');
  return id;
}

export async function listFavourites(ctx: Ctx): Promise<Favourite[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(prescriptionFavourites)
    .where(
      and(
        eq(prescriptionFavourites.facilityId, facilityId),
        eq(prescriptionFavourites.ownerId, ownerOf(ctx)),
        eq(prescriptionFavourites.active, true),
      ),
    )
    .orderBy(asc(prescriptionFavourites.name));
  return rows.map(toFavourite);
}

export async function saveFavourite(ctx: Ctx, input: z.output<typeof FavouriteBody>): Promise<Favourite> {
  const facilityId = requireFacility(ctx);
  const ownerId = ownerOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const [row] = await withConstraintErrors(
      () =>
        tx
          .insert(prescriptionFavourites)
          .values({ facilityId, ownerId, name: input.name, items: input.items })
          .returning(),
      {
        prescription_favourites_name_uq: () =>
          new Conflict('FAVOURITE_NAME_TAKEN', `You have a favourite named "${input.name}" already`),
      },
    );
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'PrescriptionFavourite',
      resourceId: row!.id,
    });
    return toFavourite(row!);
  });
}

/** Removes a favourite from the doctor's list (kept, inactive). */
export async function removeFavourite(ctx: Ctx, id: string): Promise<void> {
  const facilityId = requireFacility(ctx);
  const ownerId = ownerOf(ctx);
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(prescriptionFavourites)
      .set({ active: false, updatedAt: ctx.now })
      .where(
        and(
          eq(prescriptionFavourites.id, id),
          eq(prescriptionFavourites.facilityId, facilityId),
          eq(prescriptionFavourites.ownerId, ownerId),
          eq(prescriptionFavourites.active, true),
        ),
      )
      .returning();
    if (!row) throw new NotFound('The favourite', 'FAVOURITE_NOT_FOUND');
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'PrescriptionFavourite',
      resourceId: id,
      detail: { removed: true },
    });
  });
}
