import {
  type AdmissionEventPayload,
  DISCHARGE_CLEARANCE_EVENTS,
  type DischargeClearancePayload,
  IPD_EVENTS,
} from '@newhms/contracts';
import { and, eq, gte, inArray, notInArray } from 'drizzle-orm';
import { actorId, type Ctx, systemCtx } from '../../platform/context';
import type { Db, DbOrTx } from '../../platform/db/database';
import { appendEvent } from '../../platform/events/outbox';
import type { AppDeps } from '../../platform/module';
import { getDischargeClearanceState } from '../ipd';
import type { BillingEnv } from './billing.env';
import { accounts, claims, invoices, preauths } from './billing.tables';
import { unpaidOf } from './payments-rules';

// Billing's item on the discharge checklist: 'billing.final-bill' is held when the discharge starts and
// released once the final bill is settled or a payer guarantees the rest.
//
// The rule (clearanceVerdict): the admission's account has at least one live IPD final bill, and for every
// live IPD final bill
//   - the patient's share is fully paid (allocations), and
//   - the payer's share, if any, is guaranteed: a pre-authorization of the account that is approved or
//     partially approved for at least the payer's share, or a live claim on that bill (submitted, query,
//     approved, partially approved, settled or closed; not denied or cancelled). A claim is the payer's debt
//     to the hospital from then on, whatever it finally pays; what it disallows is chased through the claim.

export const BILLING_CLEARANCE_ITEM = 'billing.final-bill';
const LABEL = 'Final bill settled';

const LIVE_CLAIM_EXCLUDED = ['denied', 'cancelled'];
const GUARANTEEING_PREAUTH = ['approved', 'partially-approved'];

const rupees = (paise: number) =>
  `INR ${(paise / 100).toLocaleString('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** Whether an account's final bill is settled for discharge, and why not. */
export async function clearanceVerdict(
  db: DbOrTx,
  accountId: string,
): Promise<{ settled: boolean; detail: string }> {
  const bills = await db
    .select()
    .from(invoices)
    .where(
      and(eq(invoices.accountId, accountId), eq(invoices.kind, 'ipd-final'), eq(invoices.status, 'final')),
    );
  if (bills.length === 0) return { settled: false, detail: 'The final bill is not issued yet' };
  for (const bill of bills) {
    const unpaid = unpaidOf(bill);
    if (unpaid > 0) {
      return {
        settled: false,
        detail: `${rupees(unpaid)} of the patient's share of ${bill.number} is unpaid`,
      };
    }
    if (bill.payerShare > 0) {
      const [preauth] = await db
        .select({ id: preauths.id })
        .from(preauths)
        .where(
          and(
            eq(preauths.accountId, accountId),
            inArray(preauths.status, GUARANTEEING_PREAUTH),
            gte(preauths.approvedAmount, bill.payerShare),
          ),
        )
        .limit(1);
      const [claim] = preauth
        ? [undefined]
        : await db
            .select({ id: claims.id })
            .from(claims)
            .where(and(eq(claims.invoiceId, bill.id), notInArray(claims.status, LIVE_CLAIM_EXCLUDED)))
            .limit(1);
      if (!preauth && !claim) {
        return {
          settled: false,
          detail: `The payer's share of ${bill.number} (${rupees(bill.payerShare)}) is not covered by an approved pre-authorization or a claim`,
        };
      }
    }
  }
  return { settled: true, detail: 'The final bill is settled' };
}

async function publish(
  tx: DbOrTx,
  env: Pick<BillingEnv, 'events'>,
  ctx: Pick<Ctx, 'actor'>,
  kind: 'held' | 'released',
  facilityId: string,
  admissionId: string,
  detail: string,
) {
  const payload: DischargeClearancePayload = {
    admissionId,
    item: BILLING_CLEARANCE_ITEM,
    label: LABEL,
    heldBy: 'billing',
    detail: detail.slice(0, 500),
  };
  await appendEvent(tx, env.events, {
    type: kind === 'held' ? DISCHARGE_CLEARANCE_EVENTS.held : DISCHARGE_CLEARANCE_EVENTS.released,
    facilityId,
    aggregateId: admissionId,
    actorId: actorId(ctx.actor),
    payload,
  });
}

/**
 * Looks at an IPD account's discharge clearance after its money moved (an allocation, a final bill issued, a
 * pre-authorization approved, a claim submitted, a credit note): while the discharge is initiated, it
 * publishes `discharge-clearance.released` when the bill has become settled and IPD's item is not cleared yet,
 * and holds it again when a bill that billing had released is no longer settled (credited). Anything else
 * publishes nothing, so calling it again is harmless. The account row is locked to serialize reviews.
 */
export async function reviewClearance(
  tx: DbOrTx,
  ctx: Ctx,
  env: Pick<BillingEnv, 'events'>,
  accountId: string,
): Promise<void> {
  const [account] = await tx.select().from(accounts).where(eq(accounts.id, accountId)).for('update');
  if (account?.kind !== 'ipd' || !account.admissionId) return;
  const state = await getDischargeClearanceState(tx, account.admissionId, BILLING_CLEARANCE_ITEM);
  if (state?.admissionStatus !== 'discharge-initiated') return;
  const verdict = await clearanceVerdict(tx, accountId);
  if (verdict.settled && state.itemStatus !== 'cleared' && state.itemStatus !== 'waived') {
    await publish(tx, env, ctx, 'released', account.facilityId, account.admissionId, verdict.detail);
  } else if (!verdict.settled && state.itemStatus === 'cleared' && state.clearedByName === 'billing') {
    await publish(tx, env, ctx, 'held', account.facilityId, account.admissionId, verdict.detail);
  }
}

/**
 * When a discharge starts, billing holds it until the final bill is settled (or releases it at once when it
 * already is). The admission's account row is locked, so a payment committing at the same moment either
 * happens before (and this releases) or after (and its own review releases).
 */
export async function onDischargeInitiated(
  tx: DbOrTx,
  env: Pick<BillingEnv, 'events'>,
  facilityId: string,
  p: AdmissionEventPayload,
): Promise<void> {
  const ctx = systemCtx(tx as Db, 'billing', facilityId);
  const [account] = await tx
    .select()
    .from(accounts)
    .where(
      and(
        eq(accounts.facilityId, facilityId),
        eq(accounts.admissionId, p.admissionId),
        eq(accounts.kind, 'ipd'),
      ),
    )
    .for('update');
  const verdict = account
    ? await clearanceVerdict(tx, account.id)
    : { settled: false, detail: 'The final bill is not issued yet' };
  await publish(
    tx,
    env,
    ctx,
    verdict.settled ? 'released' : 'held',
    facilityId,
    p.admissionId,
    verdict.detail,
  );
}

/** Billing's subscribers for the discharge clearance (the lead registers them in billing's plugin). */
export function registerClearanceSubscriptions(deps: AppDeps, env: BillingEnv): void {
  deps.events.subscribe('billing.discharge-clearance', [IPD_EVENTS.dischargeInitiated], async (event, tx) => {
    const p = event.payload as AdmissionEventPayload;
    const facilityId = event.facilityId;
    if (!facilityId) return;
    await onDischargeInitiated(tx, env, facilityId, p);
  });
}
