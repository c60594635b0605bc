import {
  INSURANCE_EVENTS,
  type InsuranceNoteBody,
  type Preauth,
  type PreauthApproveBody,
  type PreauthBody,
  type PreauthDecidedPayload,
  type PreauthDetail,
  type PreauthEnhanceBody,
  type PreauthListItem,
  type PreauthQuery,
  type PreauthStatus,
} from '@newhms/contracts';
import { and, desc, eq, lt, ne, notInArray, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { nextCounterValue } from '../../platform/db/counters';
import type { DbOrTx } from '../../platform/db/database';
import { appendEvent } from '../../platform/events/outbox';
import { Conflict, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { toPage } from '../../platform/http/pagination';
import { readPatientSummaries } from '../patients';
import type { BillingEnv } from './billing.env';
import { accounts, claims, payers, policies, preauths } from './billing.tables';
import { reviewClearance } from './clearance.service';
import {
  createdCursor,
  documentNumber,
  documentsOf,
  facilityToday,
  filesOf,
  financialYearOf,
  historyOf,
  recordInsuranceEvent,
  requireFacility,
  storedDocuments,
} from './insurance-records';
import { loadPolicy, policyBalance, policyRefusal } from './policies.service';

// Pre-authorizations (cashless requests) of an episode: the hospital submits an estimate and a requested
// amount; the payer may ask (query), the hospital answers; the payer approves all, part, or nothing; while
// approved the hospital may ask for more (an enhancement: the approved amount holds meanwhile, an approval
// raises it). Every step is a history row. The approved amounts cap the payer's share of the bills.

export type PreauthRow = typeof preauths.$inferSelect;
type PreauthJoined = {
  preauth: PreauthRow;
  payerId: string;
  payerName: string;
  admissionNumber: string | null;
};

export const preauthActions = ['query', 'answer', 'approve', 'deny', 'enhance', 'cancel'] as const;
export type PreauthAction = (typeof preauthActions)[number];

/** From which statuses each action may be taken (anything else is 409). */
export const PREAUTH_ALLOWED_FROM: Record<PreauthAction, readonly PreauthStatus[]> = {
  query: ['submitted'],
  answer: ['query'],
  approve: ['submitted'],
  deny: ['submitted'],
  enhance: ['approved', 'partially-approved'],
  cancel: ['submitted', 'query', 'approved', 'partially-approved'],
};

/** Statuses whose approved amount is cover (an enhancement waiting keeps the earlier approval). */
const LAPSED: PreauthStatus[] = ['denied', 'cancelled'];

/**
 * The approved pre-authorization cover of an account: the sum of the approved amounts of its
 * pre-authorizations that are neither denied nor cancelled. The payer's share of the account's bills never
 * exceeds it.
 */
export async function approvedCover(tx: DbOrTx, accountId: string): Promise<number> {
  const [row] = await tx
    .select({ total: sql<string>`coalesce(sum(${preauths.approvedAmount}), 0)` })
    .from(preauths)
    .where(and(eq(preauths.accountId, accountId), notInArray(preauths.status, LAPSED)));
  return Number(row?.total ?? 0);
}

export function toPreauth(j: PreauthJoined): Preauth {
  const r = j.preauth;
  const status = r.status as PreauthStatus;
  return {
    id: r.id,
    facilityId: r.facilityId,
    number: r.number,
    accountId: r.accountId,
    policyId: r.policyId,
    patientId: r.patientId,
    payerId: j.payerId,
    payerName: j.payerName,
    payerReference: r.payerReference,
    diagnosis: r.diagnosis,
    plannedTreatment: r.plannedTreatment,
    estimate: r.estimate,
    requestedAmount: r.requestedAmount,
    approvedAmount: r.approvedAmount,
    status,
    enhancementPending: (status === 'submitted' || status === 'query') && r.approvedAmount > 0,
    documents: documentsOf(r.documents),
    currency: 'INR',
    createdAt: r.createdAt.toISOString(),
    version: r.version,
  };
}

function joined(db: DbOrTx) {
  return db
    .select({
      preauth: preauths,
      payerId: payers.id,
      payerName: payers.name,
      admissionNumber: accounts.admissionNumber,
    })
    .from(preauths)
    .innerJoin(policies, eq(policies.id, preauths.policyId))
    .innerJoin(payers, eq(payers.id, policies.payerId))
    .innerJoin(accounts, eq(accounts.id, preauths.accountId));
}

export async function loadPreauth(
  db: DbOrTx,
  facilityId: string,
  id: string,
  lock = false,
): Promise<PreauthJoined> {
  if (lock) {
    await db
      .select({ id: preauths.id })
      .from(preauths)
      .where(and(eq(preauths.id, id), eq(preauths.facilityId, facilityId)))
      .for('update');
  }
  const [row] = await joined(db).where(and(eq(preauths.id, id), eq(preauths.facilityId, facilityId)));
  if (!row) throw new NotFound('The pre-authorization', 'BILLING_PREAUTH_NOT_FOUND');
  return row;
}

async function detailOf(db: DbOrTx, j: PreauthJoined): Promise<PreauthDetail> {
  return {
    ...toPreauth(j),
    history: await historyOf(db, { preauthId: j.preauth.id }),
    files: await filesOf(db, { preauthId: j.preauth.id }),
  };
}

export async function requestPreauth(
  ctx: Ctx,
  _env: Pick<BillingEnv, 'events'>,
  input: z.output<typeof PreauthBody>,
): Promise<PreauthDetail> {
  const facilityId = requireFacility(ctx);
  const { today } = await facilityToday(ctx.db, facilityId, ctx.now);
  return ctx.db.transaction(async (tx) => {
    const [account] = await tx
      .select()
      .from(accounts)
      .where(and(eq(accounts.id, input.accountId), eq(accounts.facilityId, facilityId)));
    if (!account) {
      throw new RuleViolation('BILLING_ACCOUNT_NOT_FOUND', 'The account is not in this facility', [
        { path: 'body.accountId', message: 'no such account here' },
      ]);
    }
    if (account.status !== 'open') {
      throw new Conflict('BILLING_ACCOUNT_NOT_OPEN', `The account is ${account.status}`);
    }
    const policyId = input.policyId ?? account.policyId;
    if (!policyId) {
      throw new RuleViolation(
        'BILLING_POLICY_REQUIRED',
        'The account is not billed to a policy; attach one',
        [{ path: 'body.policyId', message: 'required: the account has no policy' }],
      );
    }
    const { policy } = await loadPolicy(tx, facilityId, policyId, { path: 'body.policyId', lock: true });
    if (policy.patientId !== account.patientId) {
      throw new RuleViolation('BILLING_POLICY_OTHER_PATIENT', "The policy is not this patient's", [
        { path: 'body.policyId', message: "another patient's policy" },
      ]);
    }
    const refusal = policyRefusal(policy, today);
    if (refusal) {
      throw new RuleViolation('BILLING_POLICY_NOT_VALID', refusal, [
        { path: 'body.policyId', message: refusal },
      ]);
    }
    assertWithinBalance(input.requestedAmount, policy, 'body.requestedAmount');
    const fy = financialYearOf(today);
    const n = await nextCounterValue(tx, facilityId, 'preauth', fy);
    const [row] = await tx
      .insert(preauths)
      .values({
        facilityId,
        accountId: account.id,
        policyId,
        patientId: account.patientId,
        number: documentNumber('PA', fy, n),
        payerReference: input.payerReference ?? null,
        diagnosis: input.diagnosis,
        plannedTreatment: input.plannedTreatment,
        estimate: input.estimate,
        requestedAmount: input.requestedAmount,
        status: 'submitted',
        documents: storedDocuments(input.documents, ctx.now),
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await recordInsuranceEvent(
      tx,
      ctx,
      facilityId,
      { preauthId: row!.id },
      {
        kind: 'submitted',
        status: 'submitted',
        amount: input.requestedAmount,
        note: input.plannedTreatment,
      },
    );
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'Preauth',
      resourceId: row!.id,
      patientId: account.patientId,
      detail: { number: row!.number, accountId: account.id, requestedAmount: input.requestedAmount },
    });
    return detailOf(tx, await loadPreauth(tx, facilityId, row!.id));
  });
}

function assertWithinBalance(
  amount: number,
  policy: { sumInsured: number; used: number },
  path: string,
): void {
  const balance = policyBalance(policy);
  if (amount > balance) {
    throw new RuleViolation(
      'BILLING_POLICY_BALANCE',
      `The amount (${amount} paise) is more than the policy's balance (${balance} paise)`,
      [{ path, message: `at most ${balance}` }],
    );
  }
}

export async function getPreauth(ctx: Ctx, id: string): Promise<PreauthDetail> {
  const facilityId = requireFacility(ctx);
  const j = await loadPreauth(ctx.db, facilityId, id);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Preauth',
    resourceId: id,
    patientId: j.preauth.patientId,
  });
  return detailOf(ctx.db, j);
}

export async function listPreauths(ctx: Ctx, query: z.output<typeof PreauthQuery>) {
  const facilityId = requireFacility(ctx);
  const where: SQL[] = [eq(preauths.facilityId, facilityId)];
  if (query.accountId) where.push(eq(preauths.accountId, query.accountId));
  if (query.patientId) where.push(eq(preauths.patientId, query.patientId));
  if (query.status) where.push(eq(preauths.status, query.status));
  const after = createdCursor(query.cursor);
  if (after) {
    where.push(
      or(lt(preauths.createdAt, after.at), and(eq(preauths.createdAt, after.at), lt(preauths.id, after.id)))!,
    );
  }
  const rows = await joined(ctx.db)
    .where(and(...where))
    .orderBy(desc(preauths.createdAt), desc(preauths.id))
    .limit(query.limit + 1);
  const result = toPage(rows, query.limit, (r) => [r.preauth.createdAt.toISOString(), r.preauth.id]);
  const patientIds = [...new Set(result.items.map((r) => r.preauth.patientId))];
  await recordAudit(ctx.db, ctx, {
    action: 'search',
    resourceType: 'Preauth',
    patientId: query.patientId ?? (patientIds.length === 1 ? patientIds[0]! : null),
    detail: {
      accountId: query.accountId ?? null,
      status: query.status ?? null,
      results: result.items.length,
      ...(patientIds.length > 1 ? { patientIds } : {}),
    },
  });
  // The worklist shows each patient's name and MRN: one batched read, audited per patient in one statement.
  const patients = await readPatientSummaries(ctx.db, ctx, patientIds, 'insurance-preauths');
  return {
    items: result.items.map(
      (r): PreauthListItem => ({
        ...toPreauth(r),
        patientName: patients.get(r.preauth.patientId)?.displayName ?? '',
        mrn: patients.get(r.preauth.patientId)?.mrn ?? '',
        admissionNumber: r.admissionNumber,
      }),
    ),
    nextCursor: result.nextCursor,
  };
}

type Step = {
  action: PreauthAction;
  version: number;
  note?: string | null;
  approvedAmount?: number;
  requestedAmount?: number;
  estimate?: number;
  payerReference?: string | null;
};

/** One step of the state machine, in one transaction with its history row and audit entry. */
async function stepPreauth(
  ctx: Ctx,
  env: Pick<BillingEnv, 'events'>,
  id: string,
  step: Step,
): Promise<PreauthDetail> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const j = await loadPreauth(tx, facilityId, id, true);
    const r = j.preauth;
    if (r.version !== step.version) throw new StaleVersion('The pre-authorization');
    const status = r.status as PreauthStatus;
    if (!PREAUTH_ALLOWED_FROM[step.action].includes(status)) {
      throw new Conflict(
        'BILLING_PREAUTH_TRANSITION',
        `A pre-authorization that is ${status} cannot be given "${step.action}"`,
      );
    }
    const enhancing = r.approvedAmount > 0;
    let next: PreauthStatus = status;
    let kind: string = step.action;
    let amount: number | null = null;
    const set: Partial<PreauthRow> = {};
    switch (step.action) {
      case 'query':
        next = 'query';
        break;
      case 'answer':
        next = 'submitted';
        break;
      case 'approve': {
        const approved = step.approvedAmount!;
        if (approved > r.requestedAmount) {
          throw new RuleViolation('BILLING_PREAUTH_APPROVED_ABOVE_REQUEST', 'More than requested', [
            { path: 'body.approvedAmount', message: `at most the requested ${r.requestedAmount}` },
          ]);
        }
        if (approved < r.approvedAmount) {
          throw new RuleViolation(
            'BILLING_PREAUTH_APPROVAL_LOWERED',
            'An enhancement approval gives the new total, at least what was approved before',
            [{ path: 'body.approvedAmount', message: `at least ${r.approvedAmount}` }],
          );
        }
        const { policy } = await loadPolicy(tx, facilityId, r.policyId);
        assertWithinBalance(approved, policy, 'body.approvedAmount');
        next = approved >= r.requestedAmount ? 'approved' : 'partially-approved';
        kind = enhancing ? `enhancement-${next}` : next;
        amount = approved;
        set.approvedAmount = approved;
        if (step.payerReference) set.payerReference = step.payerReference;
        break;
      }
      case 'deny':
        // A denied enhancement leaves the earlier approval standing (less than now requested).
        next = enhancing ? 'partially-approved' : 'denied';
        kind = enhancing ? 'enhancement-denied' : 'denied';
        break;
      case 'enhance': {
        const requested = step.requestedAmount!;
        if (requested <= r.approvedAmount) {
          throw new RuleViolation(
            'BILLING_PREAUTH_ENHANCEMENT_AMOUNT',
            'An enhancement asks for a new total above what is approved',
            [{ path: 'body.requestedAmount', message: `more than ${r.approvedAmount}` }],
          );
        }
        const { policy } = await loadPolicy(tx, facilityId, r.policyId);
        assertWithinBalance(requested, policy, 'body.requestedAmount');
        next = 'submitted';
        kind = 'enhancement';
        amount = requested;
        set.requestedAmount = requested;
        if (step.estimate !== undefined) set.estimate = step.estimate;
        break;
      }
      case 'cancel': {
        const [claim] = await tx
          .select({ id: claims.id })
          .from(claims)
          .where(and(eq(claims.preauthId, id), ne(claims.status, 'cancelled')))
          .limit(1);
        if (claim) {
          throw new Conflict('BILLING_PREAUTH_CLAIMED', 'A claim was made under this pre-authorization');
        }
        next = 'cancelled';
        break;
      }
    }
    const [updated] = await tx
      .update(preauths)
      .set({ ...set, status: next, version: r.version + 1, updatedAt: ctx.now })
      .where(eq(preauths.id, id))
      .returning();
    await recordInsuranceEvent(
      tx,
      ctx,
      facilityId,
      { preauthId: id },
      {
        kind,
        status: next,
        amount,
        note: step.note ?? null,
      },
    );
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Preauth',
      resourceId: id,
      patientId: r.patientId,
      detail: { step: kind, from: status, to: next, amount },
    });
    if (step.action === 'approve' || step.action === 'deny') {
      await appendEvent<PreauthDecidedPayload>(tx, env.events, {
        type: INSURANCE_EVENTS.preauthDecided,
        facilityId,
        aggregateId: id,
        actorId: actorId(ctx.actor),
        payload: {
          preauthId: id,
          accountId: r.accountId,
          patientId: r.patientId,
          status: next,
          approvedAmount: updated!.approvedAmount,
        },
      });
    }
    // A decision changes the payer guarantee the discharge clearance counts on.
    if (step.action !== 'query' && step.action !== 'answer') await reviewClearance(tx, ctx, env, r.accountId);
    return detailOf(tx, { ...j, preauth: updated! });
  });
}

export function raisePreauthQuery(
  ctx: Ctx,
  env: Pick<BillingEnv, 'events'>,
  id: string,
  input: z.output<typeof InsuranceNoteBody>,
) {
  return stepPreauth(ctx, env, id, { action: 'query', ...input });
}

export function answerPreauthQuery(
  ctx: Ctx,
  env: Pick<BillingEnv, 'events'>,
  id: string,
  input: z.output<typeof InsuranceNoteBody>,
) {
  return stepPreauth(ctx, env, id, { action: 'answer', ...input });
}

export function approvePreauth(
  ctx: Ctx,
  env: Pick<BillingEnv, 'events'>,
  id: string,
  input: z.output<typeof PreauthApproveBody>,
) {
  return stepPreauth(ctx, env, id, { action: 'approve', ...input });
}

export function denyPreauth(
  ctx: Ctx,
  env: Pick<BillingEnv, 'events'>,
  id: string,
  input: z.output<typeof InsuranceNoteBody>,
) {
  return stepPreauth(ctx, env, id, { action: 'deny', ...input });
}

export function enhancePreauth(
  ctx: Ctx,
  env: Pick<BillingEnv, 'events'>,
  id: string,
  input: z.output<typeof PreauthEnhanceBody>,
) {
  return stepPreauth(ctx, env, id, { action: 'enhance', ...input });
}

export function cancelPreauth(
  ctx: Ctx,
  env: Pick<BillingEnv, 'events'>,
  id: string,
  input: z.output<typeof InsuranceNoteBody>,
) {
  return stepPreauth(ctx, env, id, { action: 'cancel', ...input });
}
