import {
  type ClaimApproveBody,
  type ClaimBody,
  type ClaimCancelBody,
  type ClaimQuery,
  type ClaimSettleBody,
  type ClaimSettledPayload,
  type ClaimStatus,
  type ClaimWriteOffBody,
  INSURANCE_EVENTS,
  type InsuranceClaim,
  type InsuranceClaimDetail,
  type InsuranceClaimListItem,
  type InsuranceNoteBody,
} from '@newhms/contracts';
import { and, asc, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { withConstraintErrors } from '../../platform/db/constraint-errors';
import { nextCounterValue } from '../../platform/db/counters';
import type { DbOrTx } from '../../platform/db/database';
import { appendEvent } from '../../platform/events/outbox';
import { Conflict, Forbidden, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { toPage } from '../../platform/http/pagination';
import { readPatientSummaries } from '../patients';
import type { BillingEnv } from './billing.env';
import {
  accounts,
  claims,
  insuranceEvents,
  invoices,
  payers,
  payments,
  policies,
  preauths,
} from './billing.tables';
import { reviewClearance } from './clearance.service';
import {
  createdCursor,
  documentNumber,
  facilityToday,
  filesOf,
  financialYearOf,
  historyOf,
  recordInsuranceEvent,
  requireFacility,
} from './insurance-records';
// Receipts (patient payments and payer settlements) share one gapless series per facility and year.
import { RECEIPT_COUNTER, receiptNumberOf } from './payments-rules';
import { loadPolicy, policyBalance } from './policies.service';

// Claims to payers from final IPD bills (the payer's share): submitted, queried and answered, approved in
// full or in part or denied, settled (money received by bank transfer, TDS deducted, disallowances with
// reasons), and closed: automatically when nothing remains, or by a write-off of the rest that someone with
// billing:approve other than the submitter approves. Settlement is receipted in the receipts' gapless series.

export type ClaimRow = typeof claims.$inferSelect;
type ClaimJoined = {
  claim: ClaimRow;
  admissionNumber: string | null;
  invoiceNumber: string | null;
  payerName: string;
  paymentId: string | null;
  receiptNumber: string | null;
};

export const claimActions = ['query', 'answer', 'approve', 'deny', 'settle', 'write-off', 'cancel'] as const;
export type ClaimAction = (typeof claimActions)[number];

/** From which statuses each action may be taken (anything else is 409). */
export const CLAIM_ALLOWED_FROM: Record<ClaimAction, readonly ClaimStatus[]> = {
  query: ['submitted'],
  answer: ['query'],
  approve: ['submitted'],
  deny: ['submitted'],
  settle: ['submitted', 'approved', 'partially-approved'],
  'write-off': ['settled', 'denied'],
  cancel: ['submitted', 'query'],
};

/** What the payer still owes on a claim: claimed - settled - TDS - disallowed - written off. */
export function claimOutstanding(
  c: Pick<ClaimRow, 'claimedAmount' | 'settledAmount' | 'tds' | 'disallowed' | 'writtenOff'>,
): number {
  return c.claimedAmount - c.settledAmount - c.tds - c.disallowed - c.writtenOff;
}

function disallowancesOf(value: unknown): { reason: string; amount: number }[] {
  if (!Array.isArray(value)) return [];
  return value.map((d: { reason?: unknown; amount?: unknown }) => ({
    reason: String(d.reason ?? ''),
    amount: Number(d.amount ?? 0),
  }));
}

export function toClaim(j: ClaimJoined): InsuranceClaim {
  const r = j.claim;
  return {
    id: r.id,
    facilityId: r.facilityId,
    number: r.number,
    invoiceId: r.invoiceId,
    invoiceNumber: j.invoiceNumber,
    accountId: r.accountId,
    policyId: r.policyId,
    payerId: r.payerId,
    payerName: j.payerName,
    patientId: r.patientId,
    preauthId: r.preauthId,
    payerReference: r.payerReference,
    claimedAmount: r.claimedAmount,
    approvedAmount: r.approvedAmount,
    settledAmount: r.settledAmount,
    tds: r.tds,
    disallowed: r.disallowed,
    writtenOff: r.writtenOff,
    outstanding: claimOutstanding(r),
    writeOffReason: r.writeOffReason,
    writeOffApprovedBy: r.writeOffApprovedByName,
    disallowances: disallowancesOf(r.disallowances),
    settlementPaymentId: j.paymentId,
    settlementReceiptNumber: j.receiptNumber,
    status: r.status as ClaimStatus,
    submittedAt: r.submittedAt.toISOString(),
    submittedBy: r.submittedByName,
    settledAt: r.settledAt?.toISOString() ?? null,
    currency: 'INR',
    version: r.version,
  };
}

function joined(db: DbOrTx) {
  return db
    .select({
      claim: claims,
      invoiceNumber: invoices.number,
      payerName: payers.name,
      paymentId: payments.id,
      receiptNumber: payments.receiptNumber,
      admissionNumber: accounts.admissionNumber,
    })
    .from(claims)
    .innerJoin(invoices, eq(invoices.id, claims.invoiceId))
    .innerJoin(accounts, eq(accounts.id, claims.accountId))
    .innerJoin(payers, eq(payers.id, claims.payerId))
    .leftJoin(payments, and(eq(payments.claimId, claims.id), eq(payments.kind, 'payer-settlement')));
}

export async function loadClaim(
  db: DbOrTx,
  facilityId: string,
  id: string,
  lock = false,
): Promise<ClaimJoined> {
  if (lock) {
    await db
      .select({ id: claims.id })
      .from(claims)
      .where(and(eq(claims.id, id), eq(claims.facilityId, facilityId)))
      .for('update');
  }
  const [row] = await joined(db).where(and(eq(claims.id, id), eq(claims.facilityId, facilityId)));
  if (!row) throw new NotFound('The claim', 'BILLING_CLAIM_NOT_FOUND');
  return row;
}

async function detailOf(db: DbOrTx, j: ClaimJoined): Promise<InsuranceClaimDetail> {
  return {
    ...toClaim(j),
    history: await historyOf(db, { claimId: j.claim.id }),
    files: await filesOf(db, { claimId: j.claim.id }),
  };
}

const claimConstraints = {
  claims_invoice_uq: () =>
    new Conflict('BILLING_CLAIM_EXISTS', 'The bill already has a live claim; follow that one'),
  claims_money_ck: () =>
    new RuleViolation(
      'BILLING_CLAIM_AMOUNTS',
      'Settled, TDS, disallowed and written off together cannot exceed the amount claimed',
    ),
  policies_used_ck: () =>
    new RuleViolation('BILLING_POLICY_BALANCE', "The settlement is more than the policy's balance"),
};

/** Submits a claim for a final IPD bill's payer share (its policy, payer and approved pre-authorization). */
export async function submitClaim(
  ctx: Ctx,
  env: Pick<BillingEnv, 'events'>,
  input: z.output<typeof ClaimBody>,
): Promise<InsuranceClaimDetail> {
  const facilityId = requireFacility(ctx);
  const { today } = await facilityToday(ctx.db, facilityId, ctx.now);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const [invoice] = await tx
          .select()
          .from(invoices)
          .where(and(eq(invoices.id, input.invoiceId), eq(invoices.facilityId, facilityId)));
        if (!invoice) {
          throw new RuleViolation('BILLING_INVOICE_NOT_FOUND', 'The bill is not in this facility', [
            { path: 'body.invoiceId', message: 'no such bill here' },
          ]);
        }
        if (invoice.kind !== 'ipd-final' || invoice.status !== 'final') {
          throw new Conflict(
            'BILLING_CLAIM_NEEDS_FINAL_BILL',
            'A claim is made from a final IPD bill (not a draft, interim, OPD or cancelled bill)',
          );
        }
        if (invoice.payerShare <= 0) {
          throw new Conflict('BILLING_CLAIM_NO_PAYER_SHARE', 'The bill has no payer share to claim');
        }
        const [account] = await tx.select().from(accounts).where(eq(accounts.id, invoice.accountId));
        const policyId = invoice.policyId ?? account?.policyId ?? null;
        if (!policyId) {
          throw new Conflict('BILLING_CLAIM_NO_POLICY', 'The bill is not billed to a policy');
        }
        const { policy } = await loadPolicy(tx, facilityId, policyId);
        let preauthId: string | null = input.preauthId ?? null;
        if (preauthId) {
          const [p] = await tx.select().from(preauths).where(eq(preauths.id, preauthId));
          if (!p || p.accountId !== invoice.accountId) {
            throw new RuleViolation('BILLING_PREAUTH_NOT_FOUND', 'Not a pre-authorization of this episode', [
              { path: 'body.preauthId', message: "not this account's pre-authorization" },
            ]);
          }
          if (p.status === 'denied' || p.status === 'cancelled') {
            throw new Conflict('BILLING_PREAUTH_LAPSED', `The pre-authorization is ${p.status}`);
          }
        } else if (input.preauthId === undefined) {
          const [p] = await tx
            .select({ id: preauths.id })
            .from(preauths)
            .where(
              and(
                eq(preauths.accountId, invoice.accountId),
                inArray(preauths.status, ['approved', 'partially-approved']),
              ),
            )
            .orderBy(desc(preauths.createdAt))
            .limit(1);
          preauthId = p?.id ?? null;
        }
        const fy = financialYearOf(today);
        const n = await nextCounterValue(tx, facilityId, 'claim', fy);
        const [row] = await tx
          .insert(claims)
          .values({
            facilityId,
            invoiceId: invoice.id,
            accountId: invoice.accountId,
            policyId,
            payerId: invoice.payerId ?? policy.payerId,
            patientId: invoice.patientId,
            preauthId,
            number: documentNumber('CL', fy, n),
            payerReference: input.payerReference ?? null,
            claimedAmount: invoice.payerShare,
            status: 'submitted',
            submittedAt: ctx.now,
            submittedById: actorId(ctx.actor),
            submittedByName: ctx.actor.name,
            createdAt: ctx.now,
            updatedAt: ctx.now,
          })
          .returning();
        await recordInsuranceEvent(
          tx,
          ctx,
          facilityId,
          { claimId: row!.id },
          {
            kind: 'submitted',
            status: 'submitted',
            amount: invoice.payerShare,
          },
        );
        await recordAudit(tx, ctx, {
          action: 'create',
          resourceType: 'InsuranceClaim',
          resourceId: row!.id,
          patientId: invoice.patientId,
          detail: { number: row!.number, invoiceId: invoice.id, claimedAmount: invoice.payerShare },
        });
        // A submitted claim guarantees the payer's share for the discharge clearance.
        await reviewClearance(tx, ctx, env, invoice.accountId);
        return detailOf(tx, await loadClaim(tx, facilityId, row!.id));
      }),
    claimConstraints,
  );
}

export async function getClaim(ctx: Ctx, id: string): Promise<InsuranceClaimDetail> {
  const facilityId = requireFacility(ctx);
  const j = await loadClaim(ctx.db, facilityId, id);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'InsuranceClaim',
    resourceId: id,
    patientId: j.claim.patientId,
  });
  return detailOf(ctx.db, j);
}

export async function listClaims(ctx: Ctx, query: z.output<typeof ClaimQuery>) {
  const facilityId = requireFacility(ctx);
  const where: SQL[] = [eq(claims.facilityId, facilityId)];
  if (query.payerId) where.push(eq(claims.payerId, query.payerId));
  if (query.patientId) where.push(eq(claims.patientId, query.patientId));
  if (query.status) where.push(eq(claims.status, query.status));
  const after = createdCursor(query.cursor);
  if (after) {
    where.push(
      or(lt(claims.submittedAt, after.at), and(eq(claims.submittedAt, after.at), lt(claims.id, after.id)))!,
    );
  }
  const rows = await joined(ctx.db)
    .where(and(...where))
    .orderBy(desc(claims.submittedAt), desc(claims.id))
    .limit(query.limit + 1);
  const result = toPage(rows, query.limit, (r) => [r.claim.submittedAt.toISOString(), r.claim.id]);
  const patientIds = [...new Set(result.items.map((r) => r.claim.patientId))];
  await recordAudit(ctx.db, ctx, {
    action: 'search',
    resourceType: 'InsuranceClaim',
    patientId: query.patientId ?? (patientIds.length === 1 ? patientIds[0]! : null),
    detail: {
      payerId: query.payerId ?? null,
      status: query.status ?? null,
      results: result.items.length,
      ...(patientIds.length > 1 ? { patientIds } : {}),
    },
  });
  // The worklist shows each patient's name and MRN: one batched read, audited per patient in one statement.
  const patients = await readPatientSummaries(ctx.db, ctx, patientIds, 'insurance-claims');
  return {
    items: result.items.map(
      (r): InsuranceClaimListItem => ({
        ...toClaim(r),
        patientName: patients.get(r.claim.patientId)?.displayName ?? '',
        mrn: patients.get(r.claim.patientId)?.mrn ?? '',
        admissionNumber: r.admissionNumber,
      }),
    ),
    nextCursor: result.nextCursor,
  };
}

/** Who submitted the claim: recorded on it since 0016; for older claims, its first history row. */
async function submitterOf(db: DbOrTx, claim: ClaimRow): Promise<string | null> {
  if (claim.submittedById !== null || claim.submittedByName !== null) return claim.submittedById;
  const claimId = claim.id;
  const [row] = await db
    .select({ by: insuranceEvents.recordedById })
    .from(insuranceEvents)
    .where(and(eq(insuranceEvents.claimId, claimId), eq(insuranceEvents.kind, 'submitted')))
    .orderBy(asc(insuranceEvents.recordedAt))
    .limit(1);
  return row?.by ?? null;
}

type Step =
  | { action: 'query' | 'answer' | 'deny'; version: number; note: string }
  | { action: 'cancel'; version: number; reason: string }
  | ({ action: 'approve' } & z.output<typeof ClaimApproveBody>)
  | ({ action: 'settle' } & z.output<typeof ClaimSettleBody>)
  | ({ action: 'write-off' } & z.output<typeof ClaimWriteOffBody>);

async function stepClaim(
  ctx: Ctx,
  env: Pick<BillingEnv, 'events'>,
  id: string,
  step: Step,
): Promise<InsuranceClaimDetail> {
  const facilityId = requireFacility(ctx);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const j = await loadClaim(tx, facilityId, id, true);
        const r = j.claim;
        if (r.version !== step.version) throw new StaleVersion('The claim');
        const status = r.status as ClaimStatus;
        if (step.action === 'write-off') {
          // Four eyes: whoever submitted the claim cannot also write off what the payer did not pay.
          const submitter = await submitterOf(tx, r);
          if (submitter !== null && submitter === actorId(ctx.actor)) {
            throw new Forbidden(
              'BILLING_WRITE_OFF_OWN_CLAIM',
              'The write-off of a claim is approved by someone other than its submitter',
            );
          }
        }
        if (!CLAIM_ALLOWED_FROM[step.action].includes(status)) {
          throw new Conflict(
            'BILLING_CLAIM_TRANSITION',
            `A claim that is ${status} cannot be given "${step.action}"`,
          );
        }
        const set: Partial<ClaimRow> = {};
        let next: ClaimStatus = status;
        let kind: string = step.action;
        let amount: number | null = null;
        let note: string | null = null;
        let settledPayload: ClaimSettledPayload | null = null;
        switch (step.action) {
          case 'query':
            next = 'query';
            note = step.note;
            break;
          case 'answer':
            next = 'submitted';
            note = step.note;
            break;
          case 'deny':
            next = 'denied';
            note = step.note;
            break;
          case 'cancel':
            next = 'cancelled';
            note = step.reason;
            break;
          case 'approve': {
            if (step.approvedAmount > r.claimedAmount) {
              throw new RuleViolation('BILLING_CLAIM_APPROVED_ABOVE_CLAIM', 'More than was claimed', [
                { path: 'body.approvedAmount', message: `at most ${r.claimedAmount}` },
              ]);
            }
            const { policy } = await loadPolicy(tx, facilityId, r.policyId);
            const balance = policyBalance(policy);
            if (step.approvedAmount > balance) {
              throw new RuleViolation('BILLING_POLICY_BALANCE', "More than the policy's balance", [
                { path: 'body.approvedAmount', message: `at most ${balance}` },
              ]);
            }
            next = step.approvedAmount === r.claimedAmount ? 'approved' : 'partially-approved';
            kind = next;
            amount = step.approvedAmount;
            note = step.note ?? null;
            set.approvedAmount = step.approvedAmount;
            if (step.payerReference) set.payerReference = step.payerReference;
            break;
          }
          case 'settle': {
            const disallowed = step.disallowances.reduce((s, d) => s + d.amount, 0);
            const total = step.amountReceived + step.tds + disallowed;
            if (total === 0) {
              throw new RuleViolation(
                'BILLING_SETTLEMENT_EMPTY',
                'A settlement records money, TDS or disallowances',
                [{ path: 'body.amountReceived', message: 'nothing to settle' }],
              );
            }
            if (total > r.claimedAmount) {
              throw new RuleViolation(
                'BILLING_CLAIM_AMOUNTS',
                `Received, TDS and disallowed (${total}) exceed the amount claimed (${r.claimedAmount})`,
                [
                  {
                    path: 'body.amountReceived',
                    message: `with TDS and disallowances at most ${r.claimedAmount}`,
                  },
                ],
              );
            }
            if (step.amountReceived > 0 && !step.utr) {
              throw new RuleViolation('BILLING_SETTLEMENT_UTR', 'Give the UTR of the bank transfer', [
                { path: 'body.utr', message: 'required when money was received' },
              ]);
            }
            // What the payer paid out of the sum insured: the money and the tax it deducted on our behalf.
            const consumed = step.amountReceived + step.tds;
            const { policy } = await loadPolicy(tx, facilityId, r.policyId, { lock: true });
            if (consumed > policyBalance(policy)) throw claimConstraints.policies_used_ck();
            await tx
              .update(policies)
              .set({ used: policy.used + consumed, version: policy.version + 1, updatedAt: ctx.now })
              .where(eq(policies.id, policy.id));
            const receivedAt = step.receivedAt ? new Date(step.receivedAt) : ctx.now;
            let paymentId: string | null = null;
            if (step.amountReceived > 0) {
              const { today } = await facilityToday(tx, facilityId, ctx.now);
              const fy = financialYearOf(today);
              const n = await nextCounterValue(tx, facilityId, RECEIPT_COUNTER, fy);
              const [payment] = await tx
                .insert(payments)
                .values({
                  facilityId,
                  patientId: r.patientId,
                  accountId: r.accountId,
                  kind: 'payer-settlement',
                  mode: 'bank-transfer',
                  amount: step.amountReceived,
                  reference: step.utr!,
                  receiptNumber: receiptNumberOf(fy, n),
                  receivedById: actorId(ctx.actor),
                  receivedByName: ctx.actor.name,
                  receivedAt,
                  payerId: r.payerId,
                  claimId: r.id,
                  note: `Settlement of claim ${r.number}`,
                })
                .returning({ id: payments.id });
              paymentId = payment!.id;
            }
            set.settledAmount = step.amountReceived;
            set.tds = step.tds;
            set.disallowed = disallowed;
            set.disallowances = step.disallowances;
            set.settledAt = receivedAt;
            next = total === r.claimedAmount ? 'closed' : 'settled';
            kind = 'settled';
            amount = step.amountReceived;
            note = [
              step.tds > 0 ? `TDS ${step.tds}` : null,
              ...step.disallowances.map((d) => `disallowed ${d.amount}: ${d.reason}`),
              step.utr ? `UTR ${step.utr}` : null,
              step.note ?? null,
            ]
              .filter(Boolean)
              .join('; ');
            settledPayload = {
              claimId: r.id,
              invoiceId: r.invoiceId,
              accountId: r.accountId,
              patientId: r.patientId,
              payerId: r.payerId,
              settledAmount: step.amountReceived,
              tds: step.tds,
              disallowed,
              paymentId,
            };
            break;
          }
          case 'write-off': {
            const rest = claimOutstanding(r);
            if (rest <= 0)
              throw new Conflict('BILLING_CLAIM_NOTHING_OUTSTANDING', 'Nothing is left to write off');
            set.writtenOff = r.writtenOff + rest;
            set.writeOffReason = step.reason;
            set.writeOffApprovedById = actorId(ctx.actor);
            set.writeOffApprovedByName = ctx.actor.name;
            next = 'closed';
            kind = 'written-off';
            amount = rest;
            note = step.reason;
            break;
          }
        }
        await tx
          .update(claims)
          .set({ ...set, status: next, version: r.version + 1, updatedAt: ctx.now })
          .where(eq(claims.id, id));
        await recordInsuranceEvent(
          tx,
          ctx,
          facilityId,
          { claimId: id },
          { kind, status: next, amount, note },
        );
        await recordAudit(tx, ctx, {
          action: 'update',
          resourceType: 'InsuranceClaim',
          resourceId: id,
          patientId: r.patientId,
          detail: { step: kind, from: status, to: next, amount },
        });
        if (next === 'denied' || next === 'cancelled') await reviewClearance(tx, ctx, env, r.accountId);
        if (settledPayload) {
          await appendEvent<ClaimSettledPayload>(tx, env.events, {
            type: INSURANCE_EVENTS.claimSettled,
            facilityId,
            aggregateId: id,
            actorId: actorId(ctx.actor),
            payload: settledPayload,
          });
        }
        return detailOf(tx, await loadClaim(tx, facilityId, id));
      }),
    claimConstraints,
  );
}

type NoteInput = z.output<typeof InsuranceNoteBody>;

export const raiseClaimQuery = (ctx: Ctx, env: Pick<BillingEnv, 'events'>, id: string, input: NoteInput) =>
  stepClaim(ctx, env, id, { action: 'query', ...input });
export const answerClaimQuery = (ctx: Ctx, env: Pick<BillingEnv, 'events'>, id: string, input: NoteInput) =>
  stepClaim(ctx, env, id, { action: 'answer', ...input });
export const denyClaim = (ctx: Ctx, env: Pick<BillingEnv, 'events'>, id: string, input: NoteInput) =>
  stepClaim(ctx, env, id, { action: 'deny', ...input });
export const cancelClaim = (
  ctx: Ctx,
  env: Pick<BillingEnv, 'events'>,
  id: string,
  input: z.output<typeof ClaimCancelBody>,
) => stepClaim(ctx, env, id, { action: 'cancel', ...input });
export const approveClaim = (
  ctx: Ctx,
  env: Pick<BillingEnv, 'events'>,
  id: string,
  input: z.output<typeof ClaimApproveBody>,
) => stepClaim(ctx, env, id, { action: 'approve', ...input });
/** Records the payer's settlement: a payer-settlement receipt, TDS, disallowances; the policy's use grows. */
export const settleClaim = (
  ctx: Ctx,
  env: Pick<BillingEnv, 'events'>,
  id: string,
  input: z.output<typeof ClaimSettleBody>,
) => stepClaim(ctx, env, id, { action: 'settle', ...input });
/** Writes off what the payer will not pay (approver other than the submitter); the claim is closed. */
export const writeOffClaim = (
  ctx: Ctx,
  env: Pick<BillingEnv, 'events'>,
  id: string,
  input: z.output<typeof ClaimWriteOffBody>,
) => stepClaim(ctx, env, id, { action: 'write-off', ...input });
