import type {
  AccountPolicy,
  AttachPolicyBody,
  InsuranceDocument,
  InsurancePolicy,
  PatientSummary,
  PolicyBody,
  PolicyDocumentBody,
  PolicyQuery,
  UpdatePolicyBody,
} from '@newhms/contracts';
import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import type { Ctx } from '../../platform/context';
import { withConstraintErrors } from '../../platform/db/constraint-errors';
import type { DbOrTx } from '../../platform/db/database';
import { Conflict, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { toPage } from '../../platform/http/pagination';
import { getPatientSummaries, readPatientSummaries } from '../patients';
import { accounts, payerPlans, payers, policies } from './billing.tables';
import {
  createdCursor,
  documentsOf,
  facilityToday,
  filesOf,
  filesOfPolicies,
  requireFacility,
  storedDocuments,
} from './insurance-records';
import { loadPayer, loadPlan, type PayerRow, type PlanRow } from './payers.service';

// Patients' policies (or corporate and scheme eligibility): payer, TPA, plan, member, validity, sum insured
// and what is used of it. A policy is patient data: every read and write is audited. An account (an episode)
// is billed to a policy by attaching it, which also sets the account's payer category.

export type PolicyRow = typeof policies.$inferSelect;
type PolicyJoined = { policy: PolicyRow; payer: PayerRow; tpa: PayerRow | null; plan: PlanRow | null };

const tpas = alias(payers, 'tpa');

const constraints = {
  policies_member_uq: () =>
    new Conflict('BILLING_POLICY_EXISTS', 'This payer already has this policy number and member id'),
  policies_used_ck: () =>
    new RuleViolation(
      'BILLING_POLICY_SUM_INSURED',
      'The sum insured cannot be less than what is used of it',
      [{ path: 'body.sumInsured', message: 'below the amount already used' }],
    ),
  policies_dates_ck: () =>
    new RuleViolation('BILLING_POLICY_DATES', 'validTo is before validFrom', [
      { path: 'body.validTo', message: 'before validFrom' },
    ]),
};

/** The account category of a payer kind (IPD's and billing's payer categories). */
export function payerCategoryOf(kind: string): string {
  switch (kind) {
    case 'corporate':
      return 'corporate';
    case 'government':
      return 'government';
    default:
      return 'insurance';
  }
}

export function toPolicy(
  j: PolicyJoined,
  patient: PatientSummary | null,
  files: InsuranceDocument[] = [],
): InsurancePolicy {
  const r = j.policy;
  return {
    id: r.id,
    facilityId: r.facilityId,
    patientId: r.patientId,
    patient,
    payerId: r.payerId,
    payerName: j.payer.name,
    payerKind: j.payer.kind as InsurancePolicy['payerKind'],
    tpaId: r.tpaId,
    tpaName: j.tpa?.name ?? null,
    planId: r.planId,
    planName: j.plan?.name ?? null,
    policyNumber: r.policyNumber,
    memberId: r.memberId,
    holderName: r.holderName,
    relationToHolder: r.relationToHolder,
    validFrom: r.validFrom,
    validTo: r.validTo,
    sumInsured: r.sumInsured,
    used: r.used,
    balance: r.sumInsured - r.used,
    copayBp: r.copayBp,
    roomRentLimit: r.roomRentLimit,
    documents: documentsOf(r.documents),
    files,
    status: r.status as InsurancePolicy['status'],
    currency: 'INR',
    version: r.version,
  };
}

function joined(db: DbOrTx) {
  return db
    .select({ policy: policies, payer: payers, tpa: tpas, plan: payerPlans })
    .from(policies)
    .innerJoin(payers, eq(payers.id, policies.payerId))
    .leftJoin(tpas, eq(tpas.id, policies.tpaId))
    .leftJoin(payerPlans, eq(payerPlans.id, policies.planId));
}

/** A policy of the facility with its payer, TPA and plan; optionally locked (FOR UPDATE of the policy). */
export async function loadPolicy(
  db: DbOrTx,
  facilityId: string,
  id: string,
  options: { lock?: boolean; path?: string } = {},
): Promise<PolicyJoined> {
  if (options.lock) {
    await db
      .select({ id: policies.id })
      .from(policies)
      .where(and(eq(policies.id, id), eq(policies.facilityId, facilityId)))
      .for('update');
  }
  const [row] = await joined(db).where(and(eq(policies.id, id), eq(policies.facilityId, facilityId)));
  if (!row) {
    if (options.path) {
      throw new RuleViolation('BILLING_POLICY_NOT_FOUND', 'The policy is not in this facility', [
        { path: options.path, message: 'no such policy here' },
      ]);
    }
    throw new NotFound('The policy', 'BILLING_POLICY_NOT_FOUND');
  }
  return row;
}

/** Why a policy cannot pay for a date, or null when it can (active, within its validity). */
export function policyRefusal(
  policy: Pick<PolicyRow, 'status' | 'validFrom' | 'validTo'>,
  date: string,
): string | null {
  if (policy.status !== 'active') return 'The policy is inactive';
  if (date < policy.validFrom) return `The policy is valid only from ${policy.validFrom}`;
  if (date > policy.validTo) return `The policy expired on ${policy.validTo}`;
  return null;
}

/** What is left of the sum insured. */
export function policyBalance(policy: Pick<PolicyRow, 'sumInsured' | 'used'>): number {
  return policy.sumInsured - policy.used;
}

async function assertParties(
  db: DbOrTx,
  facilityId: string,
  input: { payerId?: string; tpaId?: string | null; planId?: string | null },
  current?: PolicyRow,
) {
  const payerId = input.payerId ?? current?.payerId;
  if (!payerId) return;
  let payer: PayerRow;
  try {
    payer = await loadPayer(db, facilityId, payerId);
  } catch {
    throw new RuleViolation('BILLING_PAYER_NOT_FOUND', 'The payer is not set up in this facility', [
      { path: 'body.payerId', message: 'no such payer here' },
    ]);
  }
  if (input.payerId && !payer.active) {
    throw new RuleViolation('BILLING_PAYER_INACTIVE', 'The payer is inactive', [
      { path: 'body.payerId', message: 'inactive payer' },
    ]);
  }
  if (payer.kind === 'tpa') {
    throw new RuleViolation('BILLING_PAYER_IS_TPA', 'A TPA administers a policy; the payer is the insurer', [
      { path: 'body.payerId', message: 'give the insurer here and the TPA as tpaId' },
    ]);
  }
  const tpaId = input.tpaId === undefined ? current?.tpaId : input.tpaId;
  if (tpaId) {
    const [tpa] = await db
      .select()
      .from(payers)
      .where(and(eq(payers.id, tpaId), eq(payers.facilityId, facilityId)));
    if (tpa?.kind !== 'tpa') {
      throw new RuleViolation('BILLING_TPA_NOT_FOUND', 'The TPA is not set up in this facility', [
        { path: 'body.tpaId', message: 'no such TPA here' },
      ]);
    }
  }
  const planId = input.planId === undefined ? current?.planId : input.planId;
  if (planId) {
    let plan: PlanRow | undefined;
    try {
      plan = (await loadPlan(db, facilityId, planId)).plan;
    } catch {
      plan = undefined;
    }
    if (!plan || plan.payerId !== payerId) {
      throw new RuleViolation('BILLING_PLAN_NOT_FOUND', 'The plan is not a plan of this payer', [
        { path: 'body.planId', message: "not one of the payer's plans" },
      ]);
    }
  }
}

export async function createPolicy(ctx: Ctx, input: z.output<typeof PolicyBody>): Promise<InsurancePolicy> {
  const facilityId = requireFacility(ctx);
  const [known] = await getPatientSummaries(ctx.db, [input.patientId], ctx.now);
  if (!known) {
    throw new RuleViolation('BILLING_PATIENT_NOT_FOUND', 'The patient is not registered', [
      { path: 'body.patientId', message: 'no such patient' },
    ]);
  }
  await assertParties(ctx.db, facilityId, input);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(policies)
          .values({
            facilityId,
            patientId: input.patientId,
            payerId: input.payerId,
            tpaId: input.tpaId ?? null,
            planId: input.planId ?? null,
            policyNumber: input.policyNumber,
            memberId: input.memberId,
            holderName: input.holderName ?? null,
            relationToHolder: input.relationToHolder ?? null,
            validFrom: input.validFrom,
            validTo: input.validTo,
            sumInsured: input.sumInsured,
            copayBp: input.copayBp ?? null,
            roomRentLimit: input.roomRentLimit ?? null,
            documents: storedDocuments(input.documents, ctx.now),
            createdAt: ctx.now,
            updatedAt: ctx.now,
          })
          .returning();
        await recordAudit(tx, ctx, {
          action: 'create',
          resourceType: 'InsurancePolicy',
          resourceId: row!.id,
          patientId: input.patientId,
          detail: { payerId: input.payerId, validTo: input.validTo, sumInsured: input.sumInsured },
        });
        const patients = await readPatientSummaries(tx, ctx, [input.patientId], 'insurance policy');
        return toPolicy(await loadPolicy(tx, facilityId, row!.id), patients.get(input.patientId) ?? null);
      }),
    constraints,
  );
}

export async function getPolicy(ctx: Ctx, id: string): Promise<InsurancePolicy> {
  const facilityId = requireFacility(ctx);
  const j = await loadPolicy(ctx.db, facilityId, id);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'InsurancePolicy',
    resourceId: id,
    patientId: j.policy.patientId,
  });
  const patients = await readPatientSummaries(ctx.db, ctx, [j.policy.patientId], 'insurance policy');
  return toPolicy(j, patients.get(j.policy.patientId) ?? null, await filesOf(ctx.db, { policyId: id }));
}

export async function listPolicies(ctx: Ctx, query: z.output<typeof PolicyQuery>) {
  const facilityId = requireFacility(ctx);
  const where: SQL[] = [eq(policies.facilityId, facilityId)];
  if (query.patientId) where.push(eq(policies.patientId, query.patientId));
  if (query.payerId) where.push(eq(policies.payerId, query.payerId));
  if (query.status) where.push(eq(policies.status, query.status));
  const after = createdCursor(query.cursor);
  if (after) {
    where.push(
      or(lt(policies.createdAt, after.at), and(eq(policies.createdAt, after.at), lt(policies.id, after.id)))!,
    );
  }
  const rows = await joined(ctx.db)
    .where(and(...where))
    .orderBy(desc(policies.createdAt), desc(policies.id))
    .limit(query.limit + 1);
  const pageRows = toPage(rows, query.limit, (r) => [r.policy.createdAt.toISOString(), r.policy.id]);
  const patientIds = pageRows.items.map((r) => r.policy.patientId);
  await recordAudit(ctx.db, ctx, {
    action: 'search',
    resourceType: 'InsurancePolicy',
    patientId: query.patientId ?? null,
    detail: { payerId: query.payerId ?? null, results: pageRows.items.length },
  });
  const patients = await readPatientSummaries(ctx.db, ctx, patientIds, 'insurance policies');
  const files = await filesOfPolicies(
    ctx.db,
    pageRows.items.map((r) => r.policy.id),
  );
  return {
    items: pageRows.items.map((r) =>
      toPolicy(r, patients.get(r.policy.patientId) ?? null, files.get(r.policy.id) ?? []),
    ),
    nextCursor: pageRows.nextCursor,
  };
}

export async function updatePolicy(
  ctx: Ctx,
  id: string,
  input: z.output<typeof UpdatePolicyBody>,
): Promise<InsurancePolicy> {
  const facilityId = requireFacility(ctx);
  const { version, documents, ...changes } = input;
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const current = await loadPolicy(tx, facilityId, id, { lock: true });
        if (current.policy.version !== version) throw new StaleVersion('The policy');
        await assertParties(tx, facilityId, changes, current.policy);
        const validFrom = changes.validFrom ?? current.policy.validFrom;
        const validTo = changes.validTo ?? current.policy.validTo;
        if (validTo < validFrom) throw constraints.policies_dates_ck();
        const sumInsured = changes.sumInsured ?? current.policy.sumInsured;
        if (sumInsured < current.policy.used) throw constraints.policies_used_ck();
        await tx
          .update(policies)
          .set({
            ...changes,
            ...(documents ? { documents: storedDocuments(documents, ctx.now) } : {}),
            version: current.policy.version + 1,
            updatedAt: ctx.now,
          })
          .where(eq(policies.id, id));
        await recordAudit(tx, ctx, {
          action: 'update',
          resourceType: 'InsurancePolicy',
          resourceId: id,
          patientId: current.policy.patientId,
          detail: { ...changes, ...(documents ? { documents: documents.length } : {}) },
        });
        const patients = await readPatientSummaries(tx, ctx, [current.policy.patientId], 'insurance policy');
        return toPolicy(
          await loadPolicy(tx, facilityId, id),
          patients.get(current.policy.patientId) ?? null,
          await filesOf(tx, { policyId: id }),
        );
      }),
    constraints,
  );
}

/** Adds a document (card scan, ID proof, letter) to a policy's list. */
export async function addPolicyDocument(
  ctx: Ctx,
  id: string,
  input: z.output<typeof PolicyDocumentBody>,
): Promise<InsurancePolicy> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const current = await loadPolicy(tx, facilityId, id, { lock: true });
    const documents = [...documentsOf(current.policy.documents), ...storedDocuments([input], ctx.now)];
    if (documents.length > 50) {
      throw new RuleViolation('BILLING_POLICY_DOCUMENTS', 'A policy keeps at most 50 documents');
    }
    await tx
      .update(policies)
      .set({ documents, version: current.policy.version + 1, updatedAt: ctx.now })
      .where(eq(policies.id, id));
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'InsurancePolicy',
      resourceId: id,
      patientId: current.policy.patientId,
      detail: { documentAdded: input.name },
    });
    const patients = await readPatientSummaries(tx, ctx, [current.policy.patientId], 'insurance policy');
    return toPolicy(
      await loadPolicy(tx, facilityId, id),
      patients.get(current.policy.patientId) ?? null,
      await filesOf(tx, { policyId: id }),
    );
  });
}

/**
 * Bills an account to a policy of the same patient (payer category from the payer's kind), or back to cash
 * with null. The policy must be active and valid on the service date (today when not given).
 */
export async function attachPolicy(
  ctx: Ctx,
  accountId: string,
  input: z.output<typeof AttachPolicyBody>,
): Promise<AccountPolicy> {
  const facilityId = requireFacility(ctx);
  const serviceDate = input.serviceDate ?? (await facilityToday(ctx.db, facilityId, ctx.now)).today;
  return ctx.db.transaction(async (tx) => {
    const [account] = await tx
      .select()
      .from(accounts)
      .where(and(eq(accounts.id, accountId), eq(accounts.facilityId, facilityId)))
      .for('update');
    if (!account) throw new NotFound('The account', 'BILLING_ACCOUNT_NOT_FOUND');
    if (input.version !== undefined && input.version !== account.version) {
      throw new StaleVersion('The account');
    }
    if (account.status !== 'open') {
      throw new Conflict(
        'BILLING_ACCOUNT_NOT_OPEN',
        `The account is ${account.status}: its payer can no longer change`,
      );
    }
    let category = 'cash';
    if (input.policyId) {
      const j = await loadPolicy(tx, facilityId, input.policyId, { path: 'body.policyId' });
      if (j.policy.patientId !== account.patientId) {
        throw new RuleViolation('BILLING_POLICY_OTHER_PATIENT', "The policy is not this patient's", [
          { path: 'body.policyId', message: "another patient's policy" },
        ]);
      }
      const refusal = policyRefusal(j.policy, serviceDate);
      if (refusal) {
        throw new RuleViolation('BILLING_POLICY_NOT_VALID', `${refusal} (service date ${serviceDate})`, [
          { path: 'body.policyId', message: refusal },
        ]);
      }
      category = payerCategoryOf(j.payer.kind);
    }
    const [updated] = await tx
      .update(accounts)
      .set({
        policyId: input.policyId,
        payerCategory: category,
        version: account.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(accounts.id, accountId))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'BillingAccount',
      resourceId: accountId,
      patientId: account.patientId,
      detail: { policyId: input.policyId, payerCategory: category, serviceDate },
    });
    return {
      accountId,
      patientId: updated!.patientId,
      policyId: updated!.policyId,
      payerCategory: updated!.payerCategory,
      version: updated!.version,
    };
  });
}
