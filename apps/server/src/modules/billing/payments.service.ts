import {
  type AllocateBody,
  BILLING_PAYMENT_EVENTS,
  type DepositLedger,
  type PatientSummary,
  type Payment,
  type PaymentAllocation,
  type PaymentBalance,
  type PaymentQuery,
  type PaymentReceivedPayload,
  type ReceivePaymentBody,
} from '@newhms/contracts';
import { and, asc, desc, eq, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { nextCounterValue } from '../../platform/db/counters';
import type { DbOrTx } from '../../platform/db/database';
import { appendEvent } from '../../platform/events/outbox';
import { BadRequest, Conflict, NotFound, RuleViolation } from '../../platform/http/errors';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination';
import { readPatientSummaries } from '../patients';
import type { BillingEnv } from './billing.env';
import { accounts, allocations, invoices, payments, refunds } from './billing.tables';
import { facilityDate, requireFacility, requireOpenShift, requireUser } from './cashier.service';
import { reviewClearance } from './clearance.service';
import {
  allocationBreach,
  availableOf,
  financialYearOf,
  planAutoAllocation,
  RECEIPT_COUNTER,
  receiptNumberOf,
} from './payments-rules';

// Money received (payments against bills, deposits on admission), its allocation to bills, the reversal of
// allocations when a bill is credited, and a patient's or an account's running balance.

export type PaymentRow = typeof payments.$inferSelect;
type InvoiceRow = typeof invoices.$inferSelect;
type AllocationRow = typeof allocations.$inferSelect;

/** Bills that a patient pays: final OPD bills and IPD final bills (interim bills are statements). */
const PAYABLE_KINDS = ['opd', 'ipd-final'] as const;

export function toAllocation(a: AllocationRow, invoiceNumber: string | null): PaymentAllocation {
  return {
    id: a.id,
    paymentId: a.paymentId,
    invoiceId: a.invoiceId,
    invoiceNumber,
    amount: a.amount,
    allocatedAt: a.allocatedAt.toISOString(),
    allocatedByName: a.allocatedByName,
    reversedAt: a.reversedAt?.toISOString() ?? null,
    reversedReason: a.reversedReason,
  };
}

export function toPayment(
  p: PaymentRow,
  patient: PatientSummary | undefined,
  allocs: PaymentAllocation[],
): Payment {
  return {
    id: p.id,
    facilityId: p.facilityId,
    patientId: p.patientId,
    patientName: patient?.displayName ?? '',
    mrn: patient?.mrn ?? '',
    accountId: p.accountId,
    kind: p.kind as Payment['kind'],
    mode: p.mode as Payment['mode'],
    amount: p.amount,
    allocated: p.allocated,
    refunded: p.refunded,
    available: availableOf(p),
    reference: p.reference,
    receiptNumber: p.receiptNumber,
    sessionId: p.sessionId,
    receivedByName: p.receivedByName,
    receivedAt: p.receivedAt.toISOString(),
    note: p.note,
    status: p.status as Payment['status'],
    currency: 'INR',
    allocations: allocs,
    version: p.version,
  };
}

async function allocationsOf(db: DbOrTx, paymentIds: readonly string[]) {
  if (paymentIds.length === 0) return new Map<string, PaymentAllocation[]>();
  const rows = await db
    .select({ a: allocations, number: invoices.number })
    .from(allocations)
    .innerJoin(invoices, eq(invoices.id, allocations.invoiceId))
    .where(inArray(allocations.paymentId, [...paymentIds]))
    .orderBy(asc(allocations.allocatedAt), asc(allocations.id));
  const out = new Map<string, PaymentAllocation[]>();
  for (const r of rows) {
    const list = out.get(r.a.paymentId) ?? [];
    list.push(toAllocation(r.a, r.number));
    out.set(r.a.paymentId, list);
  }
  return out;
}

async function paymentView(db: DbOrTx, ctx: Ctx, p: PaymentRow, purpose: string): Promise<Payment> {
  const patients = await readPatientSummaries(db, ctx, [p.patientId], purpose);
  return toPayment(p, patients.get(p.patientId), (await allocationsOf(db, [p.id])).get(p.id) ?? []);
}

export async function loadPayment(db: DbOrTx, facilityId: string, id: string, lock = false) {
  const q = db
    .select()
    .from(payments)
    .where(and(eq(payments.id, id), eq(payments.facilityId, facilityId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFound('The payment', 'BILLING_PAYMENT_NOT_FOUND');
  return row;
}

async function assertPatient(db: DbOrTx, ctx: Ctx, patientId: string): Promise<void> {
  const found = await readPatientSummaries(db, ctx, [patientId], 'billing-payment');
  if (!found.has(patientId)) {
    throw new RuleViolation('BILLING_PATIENT_NOT_FOUND', 'No patient has this id', [
      { path: 'body.patientId', message: 'not found' },
    ]);
  }
}

// ------------------------------------------------------------------------------------------------------
// Allocation
// ------------------------------------------------------------------------------------------------------

type AllocationAsk = { invoiceId: string; amount: number };

/**
 * Applies parts of a payment (locked by the caller, FOR UPDATE) to invoices: each invoice row is locked too,
 * the rules are checked on the locked rows, and `payments.allocated` and `invoices.paid` move with the
 * allocation rows (the database refuses more than the payment or the patient share on its own as well).
 * Afterwards each IPD account touched is reviewed for its discharge clearance.
 */
export async function allocateInTx(
  tx: DbOrTx,
  ctx: Ctx,
  env: BillingEnv,
  payment: PaymentRow,
  asks: readonly AllocationAsk[],
  path = 'body.allocations',
): Promise<PaymentRow> {
  if (asks.length === 0) return payment;
  const merged = new Map<string, number>();
  for (const a of asks) merged.set(a.invoiceId, (merged.get(a.invoiceId) ?? 0) + a.amount);
  // Lock the invoices in id order: two allocations to the same bills never wait on each other in a circle.
  const ids = [...merged.keys()].sort();
  const rows = await tx
    .select()
    .from(invoices)
    .where(and(inArray(invoices.id, ids), eq(invoices.facilityId, payment.facilityId)))
    .orderBy(asc(invoices.id))
    .for('update');
  const byId = new Map(rows.map((r) => [r.id, r]));
  let current = payment;
  const accountsTouched = new Set<string>();
  for (const [invoiceId, amount] of merged) {
    const invoice = byId.get(invoiceId);
    if (!invoice || invoice.patientId !== payment.patientId) {
      throw new RuleViolation('BILLING_INVOICE_NOT_FOUND', "The bill is not this patient's bill here", [
        { path, message: `invoice ${invoiceId} not found for this patient` },
      ]);
    }
    const breach = allocationBreach(current, invoice, amount);
    if (breach) throw new Conflict(breach.code, breach.message, { invoiceId });
    await tx.insert(allocations).values({
      facilityId: payment.facilityId,
      paymentId: payment.id,
      invoiceId,
      amount,
      allocatedById: actorId(ctx.actor),
      allocatedByName: ctx.actor.name,
      allocatedAt: ctx.now,
    });
    const [inv] = await tx
      .update(invoices)
      .set({ paid: sql`${invoices.paid} + ${amount}`, updatedAt: ctx.now })
      .where(eq(invoices.id, invoiceId))
      .returning();
    byId.set(invoiceId, inv!);
    const [p] = await tx
      .update(payments)
      .set({ allocated: sql`${payments.allocated} + ${amount}`, version: sql`${payments.version} + 1` })
      .where(eq(payments.id, payment.id))
      .returning();
    current = p!;
    if (invoice.kind === 'ipd-final') accountsTouched.add(invoice.accountId);
  }
  await recordAudit(tx, ctx, {
    action: 'update',
    resourceType: 'Payment',
    resourceId: payment.id,
    patientId: payment.patientId,
    detail: { allocated: [...merged].map(([invoiceId, amount]) => ({ invoiceId, amount })) },
  });
  for (const accountId of accountsTouched) await reviewClearance(tx, ctx, env, accountId);
  return current;
}

/**
 * The bills an automatic allocation pays, in order: the account's oldest unpaid final bills first, then the
 * patient's other ones, oldest first. Locked (FOR UPDATE, in id order) by the caller's allocation.
 */
async function unpaidBillsInOrder(tx: DbOrTx, payment: PaymentRow): Promise<InvoiceRow[]> {
  const rows = await tx
    .select()
    .from(invoices)
    .where(
      and(
        eq(invoices.facilityId, payment.facilityId),
        eq(invoices.patientId, payment.patientId),
        eq(invoices.status, 'final'),
        inArray(invoices.kind, [...PAYABLE_KINDS]),
        sql`${invoices.paid} < ${invoices.patientShare}`,
      ),
    )
    .orderBy(asc(invoices.issuedAt), asc(invoices.id))
    .limit(200);
  const own = rows.filter((r) => payment.accountId && r.accountId === payment.accountId);
  return [...own, ...rows.filter((r) => !own.includes(r))];
}

async function autoAllocate(tx: DbOrTx, ctx: Ctx, env: BillingEnv, payment: PaymentRow) {
  const bills = await unpaidBillsInOrder(tx, payment);
  const plan = planAutoAllocation(availableOf(payment), bills);
  return allocateInTx(tx, ctx, env, payment, plan);
}

// ------------------------------------------------------------------------------------------------------
// Receive
// ------------------------------------------------------------------------------------------------------

/**
 * Takes a payment or a deposit in the cashier's open shift: a gapless receipt number of the facility's
 * financial year, then the allocations asked for, then (if asked) the rest to the oldest unpaid bills.
 */
export async function receivePayment(
  ctx: Ctx,
  env: BillingEnv,
  input: z.output<typeof ReceivePaymentBody>,
): Promise<Payment> {
  const facilityId = requireFacility(ctx);
  requireUser(ctx);
  if (input.mode !== 'cash' && !input.reference) {
    throw new RuleViolation('BILLING_REFERENCE_REQUIRED', 'A reference is required except for cash', [
      { path: 'body.reference', message: 'required except for cash' },
    ]);
  }
  const { today } = await facilityDate(ctx.db, facilityId, ctx.now);
  return ctx.db.transaction(async (tx) => {
    const shift = await requireOpenShift(tx, ctx);
    await assertPatient(tx, ctx, input.patientId);
    if (input.accountId) {
      const [account] = await tx
        .select()
        .from(accounts)
        .where(and(eq(accounts.id, input.accountId), eq(accounts.facilityId, facilityId)));
      if (!account || account.patientId !== input.patientId) {
        throw new RuleViolation(
          'BILLING_ACCOUNT_NOT_FOUND',
          "The account is not this patient's account here",
          [{ path: 'body.accountId', message: 'not found for this patient' }],
        );
      }
    }
    const fy = financialYearOf(today);
    const n = await nextCounterValue(tx, facilityId, RECEIPT_COUNTER, fy);
    const [inserted] = await tx
      .insert(payments)
      .values({
        facilityId,
        patientId: input.patientId,
        accountId: input.accountId ?? null,
        kind: input.kind,
        mode: input.mode,
        amount: input.amount,
        reference: input.reference ?? null,
        receiptNumber: receiptNumberOf(fy, n),
        sessionId: shift.id,
        receivedById: actorId(ctx.actor),
        receivedByName: ctx.actor.name,
        receivedAt: ctx.now,
        note: input.note ?? null,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'Payment',
      resourceId: inserted!.id,
      patientId: input.patientId,
      detail: { kind: input.kind, mode: input.mode, amount: input.amount, receipt: inserted!.receiptNumber },
    });
    let payment = await allocateInTx(tx, ctx, env, inserted!, input.allocations ?? []);
    if (input.autoAllocate) payment = await autoAllocate(tx, ctx, env, payment);
    const payload: PaymentReceivedPayload = {
      paymentId: payment.id,
      receiptNumber: payment.receiptNumber,
      patientId: payment.patientId,
      accountId: payment.accountId,
      kind: payment.kind as PaymentReceivedPayload['kind'],
      mode: payment.mode as PaymentReceivedPayload['mode'],
      amount: payment.amount,
      allocated: payment.allocated,
      receivedAt: payment.receivedAt.toISOString(),
    };
    await appendEvent(tx, env.events, {
      type: BILLING_PAYMENT_EVENTS.received,
      facilityId,
      aggregateId: payment.id,
      actorId: actorId(ctx.actor),
      payload,
    });
    return paymentView(tx, ctx, payment, 'billing-receipt');
  });
}

/** Allocates a payment's unallocated rest to named bills, or automatically to the oldest unpaid ones. */
export async function allocatePayment(
  ctx: Ctx,
  env: BillingEnv,
  paymentId: string,
  input: z.output<typeof AllocateBody>,
): Promise<Payment> {
  const facilityId = requireFacility(ctx);
  requireUser(ctx);
  return ctx.db.transaction(async (tx) => {
    // The payment first, then its bills: every allocation takes the locks in this order.
    const payment = await loadPayment(tx, facilityId, paymentId, true);
    if (payment.kind === 'payer-settlement') {
      throw new Conflict(
        'BILLING_PAYMENT_NOT_USABLE',
        "A payer's settlement is applied to its claim, not here",
      );
    }
    const updated = input.auto
      ? await autoAllocate(tx, ctx, env, payment)
      : await allocateInTx(tx, ctx, env, payment, input.allocations ?? []);
    return paymentView(tx, ctx, updated, 'billing-allocation');
  });
}

/**
 * Reverses the live allocations to an invoice that a credit note cancels (invoices calls this inside its
 * transaction): the money is back in each payment's unallocated rest, and the invoice's paid amount is zero.
 * Payments are locked before the invoice, in the same order as an allocation.
 */
export async function reverseAllocationsOf(
  tx: DbOrTx,
  ctx: Ctx,
  invoiceId: string,
  reason: string,
): Promise<{ reversed: number; paymentIds: string[] }> {
  const live = await tx
    .select()
    .from(allocations)
    .where(and(eq(allocations.invoiceId, invoiceId), isNull(allocations.reversedAt)));
  const paymentIds = [...new Set(live.map((a) => a.paymentId))].sort();
  if (paymentIds.length > 0) {
    await tx
      .select({ id: payments.id })
      .from(payments)
      .where(inArray(payments.id, paymentIds))
      .orderBy(asc(payments.id))
      .for('update');
  }
  const [invoice] = await tx.select().from(invoices).where(eq(invoices.id, invoiceId)).for('update');
  if (!invoice) throw new NotFound('The invoice', 'BILLING_INVOICE_NOT_FOUND');
  // Read again under the locks: an allocation that committed meanwhile is reversed too.
  const rows = await tx
    .select()
    .from(allocations)
    .where(and(eq(allocations.invoiceId, invoiceId), isNull(allocations.reversedAt)));
  let reversed = 0;
  for (const a of rows) {
    await tx
      .update(allocations)
      .set({ reversedAt: ctx.now, reversedReason: reason })
      .where(eq(allocations.id, a.id));
    await tx
      .update(payments)
      .set({ allocated: sql`${payments.allocated} - ${a.amount}`, version: sql`${payments.version} + 1` })
      .where(eq(payments.id, a.paymentId));
    reversed += a.amount;
  }
  if (reversed > 0) {
    await tx
      .update(invoices)
      .set({ paid: sql`${invoices.paid} - ${reversed}`, updatedAt: ctx.now })
      .where(eq(invoices.id, invoiceId));
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Invoice',
      resourceId: invoiceId,
      patientId: invoice.patientId,
      detail: { allocationsReversed: rows.length, amount: reversed, reason },
    });
  }
  return { reversed, paymentIds: [...new Set(rows.map((a) => a.paymentId))] };
}

// ------------------------------------------------------------------------------------------------------
// Reads
// ------------------------------------------------------------------------------------------------------

export async function getPayment(ctx: Ctx, id: string): Promise<Payment> {
  const row = await loadPayment(ctx.db, requireFacility(ctx), id);
  return paymentView(ctx.db, ctx, row, 'billing-payment');
}

export async function listPayments(ctx: Ctx, q: z.output<typeof PaymentQuery>) {
  const facilityId = requireFacility(ctx);
  const filters: (SQL | undefined)[] = [eq(payments.facilityId, facilityId)];
  if (q.patientId) filters.push(eq(payments.patientId, q.patientId));
  if (q.accountId) filters.push(eq(payments.accountId, q.accountId));
  if (q.sessionId) filters.push(eq(payments.sessionId, q.sessionId));
  if (q.kind) filters.push(eq(payments.kind, q.kind));
  const after = decodeCursor(q.cursor, 2);
  if (after) {
    const [at, id] = after.map(String) as [string, string];
    if (Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) {
      throw new BadRequest('INVALID_CURSOR', 'The cursor is not valid for this list');
    }
    filters.push(
      or(
        lt(payments.receivedAt, new Date(at)),
        and(eq(payments.receivedAt, new Date(at)), lt(payments.id, id)),
      ),
    );
  }
  const rows = await ctx.db
    .select()
    .from(payments)
    .where(and(...filters))
    .orderBy(desc(payments.receivedAt), desc(payments.id))
    .limit(q.limit + 1);
  const pageRows = rows.slice(0, q.limit);
  const patients = await readPatientSummaries(
    ctx.db,
    ctx,
    pageRows.map((r) => r.patientId),
    'billing-payments',
  );
  const items = pageRows.map((r) => {
    const { allocations: _, ...rest } = toPayment(r, patients.get(r.patientId), []);
    return rest;
  });
  const last = pageRows[pageRows.length - 1];
  return {
    items,
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.receivedAt.toISOString(), last.id]) : null,
  };
}

async function balanceOf(
  db: DbOrTx,
  facilityId: string,
  patientId: string,
  accountId: string | null,
): Promise<PaymentBalance> {
  const own = and(
    eq(payments.facilityId, facilityId),
    eq(payments.patientId, patientId),
    accountId ? eq(payments.accountId, accountId) : undefined,
    inArray(payments.kind, ['payment', 'deposit']),
    eq(payments.status, 'completed'),
  );
  const [sums] = await db
    .select({
      deposits: sql<string>`coalesce(sum(${payments.amount}) filter (where ${payments.kind} = 'deposit'), 0)::text`,
      payments: sql<string>`coalesce(sum(${payments.amount}) filter (where ${payments.kind} = 'payment'), 0)::text`,
      allocated: sql<string>`coalesce(sum(${payments.allocated}), 0)::text`,
      refunded: sql<string>`coalesce(sum(${payments.refunded}), 0)::text`,
    })
    .from(payments)
    .where(own);
  const [due] = await db
    .select({ due: sql<string>`coalesce(sum(${refunds.amount}), 0)::text` })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(and(own, eq(refunds.status, 'approved')));
  const [outstanding] = await db
    .select({
      unpaid: sql<string>`coalesce(sum(greatest(${invoices.patientShare}, 0) - ${invoices.paid}), 0)::text`,
    })
    .from(invoices)
    .where(
      and(
        eq(invoices.facilityId, facilityId),
        eq(invoices.patientId, patientId),
        accountId ? eq(invoices.accountId, accountId) : undefined,
        eq(invoices.status, 'final'),
        inArray(invoices.kind, [...PAYABLE_KINDS]),
      ),
    );
  const deposits = Number(sums!.deposits);
  const paymentsIn = Number(sums!.payments);
  const allocated = Number(sums!.allocated);
  const refunded = Number(sums!.refunded);
  return {
    patientId,
    accountId,
    currency: 'INR',
    deposits,
    payments: paymentsIn,
    received: deposits + paymentsIn,
    allocated,
    refunded,
    refundsDue: Number(due!.due),
    available: deposits + paymentsIn - allocated - refunded,
    outstanding: Number(outstanding!.unpaid),
  };
}

/** What a patient has paid at this facility, how much is used, and what is left (and still owed). */
export async function getPatientBalance(ctx: Ctx, patientId: string): Promise<PaymentBalance> {
  const facilityId = requireFacility(ctx);
  const found = await readPatientSummaries(ctx.db, ctx, [patientId], 'billing-balance');
  if (!found.has(patientId)) throw new NotFound('The patient', 'BILLING_PATIENT_NOT_FOUND');
  return balanceOf(ctx.db, facilityId, patientId, null);
}

/**
 * An account's deposit ledger (an in-patient's advances): every receipt, allocation, reversal and refund of
 * the money received on the account, oldest first, with the unallocated balance after each movement.
 * Refunds count when approved (the approval reserves the money).
 */
export async function getAccountLedger(ctx: Ctx, accountId: string): Promise<DepositLedger> {
  const facilityId = requireFacility(ctx);
  const [account] = await ctx.db
    .select()
    .from(accounts)
    .where(and(eq(accounts.id, accountId), eq(accounts.facilityId, facilityId)));
  if (!account) throw new NotFound('The account', 'BILLING_ACCOUNT_NOT_FOUND');
  await readPatientSummaries(ctx.db, ctx, [account.patientId], 'billing-deposit-ledger');
  const balance = await balanceOf(ctx.db, facilityId, account.patientId, accountId);
  const rows = await ctx.db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.accountId, accountId),
        inArray(payments.kind, ['payment', 'deposit']),
        eq(payments.status, 'completed'),
      ),
    )
    .orderBy(asc(payments.receivedAt));
  const ids = rows.map((r) => r.id);
  const allocs = (await allocationsOf(ctx.db, ids)).values();
  const refundRows =
    ids.length === 0
      ? []
      : await ctx.db
          .select()
          .from(refunds)
          .where(and(inArray(refunds.paymentId, ids), inArray(refunds.status, ['approved', 'paid'])));
  const receiptOf = new Map(rows.map((r) => [r.id, r.receiptNumber]));
  type Movement = Omit<DepositLedger['movements'][number], 'balance'> & { t: number };
  const moves: Movement[] = rows.map((r) => ({
    t: r.receivedAt.getTime(),
    at: r.receivedAt.toISOString(),
    kind: r.kind === 'deposit' ? 'deposit' : 'payment',
    reference: r.receiptNumber,
    amount: r.amount,
    paymentId: r.id,
    invoiceId: null,
    description: `${r.kind === 'deposit' ? 'Deposit' : 'Payment'} by ${r.mode}${r.reference ? ` (${r.reference})` : ''}`,
  }));
  for (const list of allocs) {
    for (const a of list) {
      moves.push({
        t: Date.parse(a.allocatedAt),
        at: a.allocatedAt,
        kind: 'allocation',
        reference: a.invoiceNumber ?? a.invoiceId,
        amount: -a.amount,
        paymentId: a.paymentId,
        invoiceId: a.invoiceId,
        description: `Applied from ${receiptOf.get(a.paymentId)} to bill ${a.invoiceNumber ?? ''}`.trim(),
      });
      if (a.reversedAt) {
        moves.push({
          t: Date.parse(a.reversedAt),
          at: a.reversedAt,
          kind: 'allocation-reversed',
          reference: a.invoiceNumber ?? a.invoiceId,
          amount: a.amount,
          paymentId: a.paymentId,
          invoiceId: a.invoiceId,
          description: `Bill ${a.invoiceNumber ?? ''} credited: ${a.reversedReason ?? ''}`.trim(),
        });
      }
    }
  }
  for (const r of refundRows) {
    const at = r.decidedAt ?? r.requestedAt;
    moves.push({
      t: at.getTime(),
      at: at.toISOString(),
      kind: 'refund',
      reference: r.refundNumber ?? 'approved, to be paid',
      amount: -r.amount,
      paymentId: r.paymentId,
      invoiceId: null,
      description: `Refund by ${r.mode}${r.status === 'paid' ? '' : ' (approved, not yet paid out)'}: ${r.reason}`,
    });
  }
  moves.sort((a, b) => a.t - b.t || b.amount - a.amount);
  let running = 0;
  const movements = moves.map(({ t: _, ...m }) => {
    running += m.amount;
    return { ...m, balance: running };
  });
  return { balance, movements };
}
