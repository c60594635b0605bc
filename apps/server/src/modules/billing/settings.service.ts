import {
  type BillingSettings,
  type LabChargeMoment,
  orderFulfilmentRank,
  type UpdateBillingSettingsBody,
} from '@newhms/contracts';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { StaleVersion } from '../../platform/http/errors';
import { requireFacility } from '../../platform/organization/facility-context';
import { facilitySettings } from './billing.tables';

// A facility's billing settings. Today one: when laboratory tests are charged (on order, the default, or on
// collection). Stored per facility in the database, read at the moment of posting: the dispatcher of any
// replica decides alike, and the facilities of a group may choose differently.

const DEFAULT_LAB_CHARGE_ON: LabChargeMoment = 'order';

/** When this facility charges laboratory tests: 'order' (the default) or 'collection'. */
export async function labChargeMomentOf(db: DbOrTx, facilityId: string): Promise<LabChargeMoment> {
  const [row] = await db
    .select({ labChargeOn: facilitySettings.labChargeOn })
    .from(facilitySettings)
    .where(eq(facilitySettings.facilityId, facilityId));
  return (row?.labChargeOn as LabChargeMoment | undefined) ?? DEFAULT_LAB_CHARGE_ON;
}

/**
 * Whether a laboratory order still waits for its sample before it may be charged: the facility charges on
 * collection and the order's fulfilment (followed by encounters from the laboratory's events) has not reached
 * `collected`. Orders of other categories never wait.
 */
export function awaitsCollection(
  order: { category: string; fulfilmentStatus: string },
  moment: LabChargeMoment,
): boolean {
  if (order.category !== 'laboratory' || moment !== 'collection') return false;
  const rank = orderFulfilmentRank[order.fulfilmentStatus as keyof typeof orderFulfilmentRank] ?? 0;
  return rank < orderFulfilmentRank.collected;
}

function toSettings(
  facilityId: string,
  row: typeof facilitySettings.$inferSelect | undefined,
): BillingSettings {
  return {
    facilityId,
    labChargeOn: (row?.labChargeOn as LabChargeMoment | undefined) ?? DEFAULT_LAB_CHARGE_ON,
    version: row?.version ?? 0,
    updatedAt: row?.updatedAt.toISOString() ?? null,
    updatedByName: row?.updatedByName ?? null,
  };
}

/** The settings of the actor's facility (the defaults, version 0, until something is set). */
export async function getBillingSettings(ctx: Ctx): Promise<BillingSettings> {
  const facilityId = requireFacility(ctx);
  const [row] = await ctx.db
    .select()
    .from(facilitySettings)
    .where(eq(facilitySettings.facilityId, facilityId));
  return toSettings(facilityId, row);
}

/**
 * Changes the facility's settings (the version read: 0 before anything was set; stale is 409). Audited. A
 * change applies to what happens next: charges already posted stay, and a laboratory order placed under
 * 'collection' and collected after a switch to 'order' is charged by hand from the unpriced list.
 */
export async function updateBillingSettings(
  ctx: Ctx,
  input: z.output<typeof UpdateBillingSettingsBody>,
): Promise<BillingSettings> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(facilitySettings)
      .where(eq(facilitySettings.facilityId, facilityId))
      .for('update');
    if ((current?.version ?? 0) !== input.version) throw new StaleVersion('The billing settings');
    const values = {
      labChargeOn: input.labChargeOn,
      updatedAt: ctx.now,
      updatedById: actorId(ctx.actor),
      updatedByName: ctx.actor.name,
    };
    const [row] = current
      ? await tx
          .update(facilitySettings)
          .set({ ...values, version: current.version + 1 })
          .where(eq(facilitySettings.facilityId, facilityId))
          .returning()
      : // Two first writes at once: the primary key lets one in, the other finds nothing returned (stale).
        await tx
          .insert(facilitySettings)
          .values({ facilityId, ...values })
          .onConflictDoNothing()
          .returning();
    if (!row) throw new StaleVersion('The billing settings');
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'BillingSettings',
      resourceId: facilityId,
      detail: { labChargeOn: input.labChargeOn, previous: toSettings(facilityId, current).labChargeOn },
    });
    return toSettings(facilityId, row);
  });
}
