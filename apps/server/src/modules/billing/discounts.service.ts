import type {
  Discount,
  DiscountListItem,
  DiscountListQuery,
  DiscountReason,
  DiscountReport,
  DiscountReportQuery,
  DiscountRequestBody,
} from '@newhms/contracts';
import { and, asc, eq, gt, gte, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import type { DbOrTx, Tx } from '../../platform/db/database';
import { Conflict, Forbidden, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { toPage } from '../../platform/http/pagination';
import { getFacility } from '../../platform/organization/organization.service';
import { addDays, zonedInstant } from '../../platform/time/facility-time';
import { readPatientSummaries } from '../patients';
import { accounts, charges, discountLimits, discounts, invoices } from './billing.tables';
import { createdCursor } from './insurance-records';
import { requireFacility } from './invoices.service';
import { mulDivHalfUp } from './payer-split';

// Discounts on an account (one charge or the whole bill), by reason. Within the best limit of the requester's
// roles a discount is approved at once; above it, it waits for someone with billing:approve who is not the
// requester. The next bill applies the approved ones (invoice-calc.ts).

type DiscountRow = typeof discounts.$inferSelect;

/** The limits a facility starts with until it sets its own. */
export const DEFAULT_DISCOUNT_LIMITS: readonly { role: string; maxBp: number; maxAmount: number }[] = [
  { role: 'billing-clerk', maxBp: 1_000, maxAmount: 100_000 },
  { role: 'accounts-manager', maxBp: 10_000, maxAmount: Number.MAX_SAFE_INTEGER },
  { role: 'admin', maxBp: 10_000, maxAmount: Number.MAX_SAFE_INTEGER },
];

// Rows from before migration 0016 packed the requester's note into `reason` as 'reason: note'; they are read
// that way still. New rows keep the enumerated reason and the note in their own columns.
function decodeReason(r: Pick<DiscountRow, 'reason' | 'note'>): {
  reason: DiscountReason;
  note: string | null;
} {
  if (r.note !== null) return { reason: r.reason as DiscountReason, note: r.note };
  const i = r.reason.indexOf(': ');
  return i < 0
    ? { reason: r.reason as DiscountReason, note: null }
    : { reason: r.reason.slice(0, i) as DiscountReason, note: r.reason.slice(i + 2) };
}

export function toDiscount(r: DiscountRow): Discount {
  const { reason, note } = decodeReason(r);
  return {
    id: r.id,
    accountId: r.accountId,
    chargeId: r.chargeId,
    reason,
    note,
    kind: r.kind as Discount['kind'],
    value: r.value,
    status: r.status as Discount['status'],
    requestedByName: r.requestedByName,
    requestedAt: r.requestedAt.toISOString(),
    decidedByName: r.decidedByName,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decisionNote: r.decisionNote,
    invoiceId: r.invoiceId,
    version: r.version,
  };
}

/** The facility's discount limits by role (the defaults while it has set none). */
export async function limitsOf(db: DbOrTx, facilityId: string) {
  const rows = await db
    .select()
    .from(discountLimits)
    .where(eq(discountLimits.facilityId, facilityId))
    .orderBy(asc(discountLimits.role));
  if (rows.length > 0)
    return rows.map((r) => ({ role: r.role, maxBp: r.maxBp, maxAmount: r.maxAmount, version: r.version }));
  return DEFAULT_DISCOUNT_LIMITS.map((d) => ({ ...d, version: 0 }));
}

/**
 * Whether a discount of `bp` basis points worth `amount` paise is within the limit of one of the roles
 * (the best of the requester's roles counts): both the percent and the amount must fit.
 */
export function withinLimit(
  limits: readonly { role: string; maxBp: number; maxAmount: number }[],
  roles: readonly string[],
  bp: number,
  amount: number,
): boolean {
  return limits.some((l) => roles.includes(l.role) && bp <= l.maxBp && amount <= l.maxAmount);
}

/**
 * Requests a discount on an open account: on one unbilled charge, or on the whole bill (the unbilled
 * charges). Approved at once within the requester's role limit, else pending for an approver.
 */
export async function requestDiscount(
  ctx: Ctx,
  accountId: string,
  input: z.output<typeof DiscountRequestBody>,
): Promise<Discount> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const [account] = await tx
      .select()
      .from(accounts)
      .where(and(eq(accounts.id, accountId), eq(accounts.facilityId, facilityId)))
      .for('update');
    if (!account) throw new NotFound('The billing account', 'BILLING_ACCOUNT_NOT_FOUND');
    if (account.status !== 'open') {
      throw new Conflict(
        'BILLING_ACCOUNT_NOT_OPEN',
        `The account is ${account.status}: no discount can be added`,
      );
    }
    const conds = [
      eq(charges.accountId, accountId),
      eq(charges.status, 'active'),
      isNull(charges.invoiceId),
      eq(charges.packageCovered, false),
    ];
    if (input.chargeId) conds.push(eq(charges.id, input.chargeId));
    const [sum] = await tx
      .select({ base: sql<string>`coalesce(sum(${charges.amount}), 0)`, n: sql<number>`count(*)::int` })
      .from(charges)
      .where(and(...conds));
    const base = Number(sum?.base ?? 0);
    if (input.chargeId && (sum?.n ?? 0) === 0) {
      throw new RuleViolation(
        'BILLING_DISCOUNT_CHARGE_NOT_BILLABLE',
        'The charge is not an active, unbilled charge of this account',
        [{ path: 'body.chargeId', message: 'an active, unbilled charge of the account' }],
      );
    }
    if (base <= 0) {
      throw new RuleViolation(
        'BILLING_DISCOUNT_NOTHING_TO_DISCOUNT',
        'There is nothing unbilled to discount',
      );
    }
    if (input.kind === 'amount' && input.value > base) {
      throw new RuleViolation('BILLING_DISCOUNT_TOO_LARGE', 'The discount is more than what it discounts', [
        { path: 'body.value', message: `at most ${base} paise` },
      ]);
    }
    const amount = input.kind === 'percent' ? mulDivHalfUp(base, input.value, 10_000) : input.value;
    const bp = input.kind === 'percent' ? input.value : Math.ceil((input.value * 10_000) / base);
    const roles = ctx.actor.type === 'user' ? ctx.actor.roles : [];
    const auto = withinLimit(await limitsOf(tx, facilityId), roles, bp, amount);
    const [row] = await tx
      .insert(discounts)
      .values({
        facilityId,
        accountId,
        chargeId: input.chargeId ?? null,
        reason: input.reason,
        note: input.note ?? null,
        kind: input.kind,
        value: input.value,
        status: auto ? 'approved' : 'pending',
        requestedById: actorId(ctx.actor),
        requestedByName: ctx.actor.name,
        requestedAt: ctx.now,
        ...(auto
          ? {
              decidedById: actorId(ctx.actor),
              decidedByName: ctx.actor.name,
              decidedAt: ctx.now,
              decisionNote: 'within the role limit',
            }
          : {}),
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'Discount',
      resourceId: row!.id,
      patientId: account.patientId,
      detail: { accountId, reason: input.reason, kind: input.kind, value: input.value, amount, bp, auto },
    });
    return toDiscount(row!);
  });
}

async function lockDiscount(tx: Tx, facilityId: string, id: string, version: number | undefined) {
  const [row] = await tx
    .select()
    .from(discounts)
    .where(and(eq(discounts.id, id), eq(discounts.facilityId, facilityId)))
    .for('update');
  if (!row) throw new NotFound('The discount', 'BILLING_DISCOUNT_NOT_FOUND');
  if (version !== undefined && row.version !== version) throw new StaleVersion('The discount');
  return row;
}

async function patientOfAccount(tx: DbOrTx, accountId: string): Promise<string | null> {
  const [a] = await tx
    .select({ patientId: accounts.patientId })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  return a?.patientId ?? null;
}

/** Approves or rejects a pending discount (billing:approve; never one's own request). */
export async function decideDiscount(
  ctx: Ctx,
  id: string,
  decision: 'approved' | 'rejected',
  input: { note?: string | undefined; version?: number | undefined },
): Promise<Discount> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const current = await lockDiscount(tx, facilityId, id, input.version);
    if (current.status !== 'pending') {
      throw new Conflict('BILLING_DISCOUNT_NOT_PENDING', `The discount is ${current.status}`);
    }
    if (current.requestedById !== null && current.requestedById === actorId(ctx.actor)) {
      throw new Forbidden(
        'BILLING_DISCOUNT_OWN_REQUEST',
        'A discount is approved by someone other than its requester',
      );
    }
    const [row] = await tx
      .update(discounts)
      .set({
        status: decision,
        decidedById: actorId(ctx.actor),
        decidedByName: ctx.actor.name,
        decidedAt: ctx.now,
        decisionNote: input.note ?? null,
        version: current.version + 1,
      })
      .where(eq(discounts.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Discount',
      resourceId: id,
      patientId: await patientOfAccount(tx, current.accountId),
      detail: { change: decision, note: input.note ?? null },
    });
    return toDiscount(row!);
  });
}

/** Withdraws a discount no bill has applied yet (its requester, or an approver). */
export async function withdrawDiscount(
  ctx: Ctx,
  id: string,
  input: { version?: number | undefined },
): Promise<Discount> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const current = await lockDiscount(tx, facilityId, id, input.version);
    const mayApprove = ctx.actor.type === 'user' && ctx.actor.permissions.has('billing:approve');
    if (current.requestedById !== actorId(ctx.actor) && !mayApprove) {
      throw new Forbidden(
        'BILLING_DISCOUNT_NOT_YOURS',
        'Only its requester or an approver withdraws a discount',
      );
    }
    if (!(current.status === 'pending' || current.status === 'approved') || current.invoiceId !== null) {
      throw new Conflict(
        'BILLING_DISCOUNT_NOT_WITHDRAWABLE',
        current.invoiceId ? 'A bill has applied the discount' : `The discount is ${current.status}`,
      );
    }
    const [row] = await tx
      .update(discounts)
      .set({ status: 'withdrawn', version: current.version + 1 })
      .where(eq(discounts.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Discount',
      resourceId: id,
      patientId: await patientOfAccount(tx, current.accountId),
      detail: { change: 'withdrawn' },
    });
    return toDiscount(row!);
  });
}

/** The discounts of an account, oldest first (an audited read). */
export async function listAccountDiscounts(ctx: Ctx, accountId: string): Promise<{ items: Discount[] }> {
  const facilityId = requireFacility(ctx);
  const [account] = await ctx.db
    .select({ patientId: accounts.patientId })
    .from(accounts)
    .where(and(eq(accounts.id, accountId), eq(accounts.facilityId, facilityId)));
  if (!account) throw new NotFound('The billing account', 'BILLING_ACCOUNT_NOT_FOUND');
  const rows = await ctx.db
    .select()
    .from(discounts)
    .where(eq(discounts.accountId, accountId))
    .orderBy(asc(discounts.requestedAt), asc(discounts.id));
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Discount',
    resourceId: accountId,
    patientId: account.patientId,
    detail: { purpose: 'account-discounts', count: rows.length },
  });
  return { items: rows.map(toDiscount) };
}

/**
 * The facility's discounts, oldest request first (the approvers' queue with ?status=pending), each with its
 * patient's name and MRN and its account (one query; the patients shown are audited reads in one statement).
 */
export async function listDiscounts(
  ctx: Ctx,
  q: z.output<typeof DiscountListQuery>,
): Promise<{ items: DiscountListItem[]; nextCursor: string | null }> {
  const facilityId = requireFacility(ctx);
  const conds: SQL[] = [eq(discounts.facilityId, facilityId)];
  if (q.status) conds.push(eq(discounts.status, q.status));
  if (q.accountId) conds.push(eq(discounts.accountId, q.accountId));
  if (q.patientId) conds.push(eq(accounts.patientId, q.patientId));
  const after = createdCursor(q.cursor);
  if (after) {
    conds.push(
      or(
        gt(discounts.requestedAt, after.at),
        and(eq(discounts.requestedAt, after.at), gt(discounts.id, after.id)),
      )!,
    );
  }
  const rows = await ctx.db
    .select({
      discount: discounts,
      patientId: accounts.patientId,
      accountKind: accounts.kind,
      accountStatus: accounts.status,
      admissionNumber: accounts.admissionNumber,
      chargeName: charges.serviceName,
    })
    .from(discounts)
    .innerJoin(accounts, eq(accounts.id, discounts.accountId))
    .leftJoin(charges, eq(charges.id, discounts.chargeId))
    .where(and(...conds))
    .orderBy(asc(discounts.requestedAt), asc(discounts.id))
    .limit(q.limit + 1);
  const result = toPage(rows, q.limit, (r) => [r.discount.requestedAt.toISOString(), r.discount.id]);
  const patients = await readPatientSummaries(
    ctx.db,
    ctx,
    result.items.map((r) => r.patientId),
    'billing-discounts',
  );
  return {
    items: result.items.map((r) => ({
      ...toDiscount(r.discount),
      patientId: r.patientId,
      patientName: patients.get(r.patientId)?.displayName ?? '',
      mrn: patients.get(r.patientId)?.mrn ?? '',
      accountKind: r.accountKind as DiscountListItem['accountKind'],
      accountStatus: r.accountStatus,
      admissionNumber: r.admissionNumber,
      chargeName: r.discount.chargeId ? r.chargeName : null,
    })),
    nextCursor: result.nextCursor,
  };
}

export async function listDiscountLimits(ctx: Ctx) {
  return { items: await limitsOf(ctx.db, requireFacility(ctx)) };
}

/** Sets a role's discount limit (the defaults are stored first, so the other roles keep theirs). */
export async function setDiscountLimit(
  ctx: Ctx,
  role: string,
  input: { maxBp: number; maxAmount: number; version?: number | undefined },
) {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    await tx
      .insert(discountLimits)
      .values(DEFAULT_DISCOUNT_LIMITS.map((d) => ({ ...d, facilityId })))
      .onConflictDoNothing();
    const [current] = await tx
      .select()
      .from(discountLimits)
      .where(and(eq(discountLimits.facilityId, facilityId), eq(discountLimits.role, role)))
      .for('update');
    if (current && input.version !== undefined && current.version !== input.version)
      throw new StaleVersion('The discount limit');
    const [row] = current
      ? await tx
          .update(discountLimits)
          .set({
            maxBp: input.maxBp,
            maxAmount: input.maxAmount,
            version: current.version + 1,
            updatedAt: ctx.now,
          })
          .where(eq(discountLimits.id, current.id))
          .returning()
      : await tx
          .insert(discountLimits)
          .values({ facilityId, role, maxBp: input.maxBp, maxAmount: input.maxAmount })
          .returning();
    await recordAudit(tx, ctx, {
      action: current ? 'update' : 'create',
      resourceType: 'DiscountLimit',
      resourceId: row!.id,
      detail: { role, maxBp: input.maxBp, maxAmount: input.maxAmount },
    });
    return { role: row!.role, maxBp: row!.maxBp, maxAmount: row!.maxAmount, version: row!.version };
  });
}

/**
 * Discounts requested in a date range (facility time), by reason, by requester and by approver: how many were
 * approved, how many wait, and what live bills took off for them.
 */
export async function discountReport(
  ctx: Ctx,
  q: z.output<typeof DiscountReportQuery>,
): Promise<DiscountReport> {
  const facilityId = requireFacility(ctx);
  const facility = await getFacility(ctx.db, facilityId);
  const from = zonedInstant(q.from, '00:00', facility.timeZone);
  const to = zonedInstant(addDays(q.to, 1), '00:00', facility.timeZone);
  const rows = await ctx.db
    .select()
    .from(discounts)
    .where(
      and(
        eq(discounts.facilityId, facilityId),
        gte(discounts.requestedAt, from),
        lt(discounts.requestedAt, to),
      ),
    );
  const invoiceIds = [...new Set(rows.map((r) => r.invoiceId).filter((v): v is string => v !== null))];
  const bills = invoiceIds.length
    ? await ctx.db
        .select({ id: invoices.id, explanation: invoices.explanation })
        .from(invoices)
        .where(and(inArray(invoices.id, invoiceIds), eq(invoices.status, 'final')))
    : [];
  const appliedOf = new Map<string, number>();
  for (const b of bills) {
    const applied = (b.explanation as { discountsApplied?: { id: string; amount: number }[] } | null)
      ?.discountsApplied;
    for (const d of applied ?? []) appliedOf.set(d.id, d.amount);
  }
  const blank = () => ({ count: 0, applied: 0, pending: 0 });
  const total = blank();
  const byReason = new Map<string, ReturnType<typeof blank>>();
  const byRequester = new Map<string, ReturnType<typeof blank>>();
  const byApprover = new Map<string, ReturnType<typeof blank>>();
  const add = (m: Map<string, ReturnType<typeof blank>>, key: string, r: DiscountRow) => {
    const e = m.get(key) ?? blank();
    if (r.status === 'pending') e.pending += 1;
    else {
      e.count += 1;
      e.applied += appliedOf.get(r.id) ?? 0;
    }
    m.set(key, e);
  };
  for (const r of rows) {
    if (r.status !== 'approved' && r.status !== 'pending') continue;
    add(new Map([['', total]]), '', r);
    add(byReason, decodeReason(r).reason, r);
    add(byRequester, r.requestedByName, r);
    if (r.status === 'approved') add(byApprover, r.decidedByName ?? '', r);
  }
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'DiscountReport',
    detail: { from: q.from, to: q.to, discounts: rows.length },
  });
  return {
    from: q.from,
    to: q.to,
    currency: 'INR',
    total,
    byReason: [...byReason].map(([reason, v]) => ({ reason: reason as DiscountReason, ...v })),
    byRequester: [...byRequester].map(([name, v]) => ({ name, ...v })),
    byApprover: [...byApprover].map(([name, v]) => ({ name, ...v })),
  };
}
