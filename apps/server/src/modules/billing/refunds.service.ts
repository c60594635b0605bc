import {
  BILLING_PAYMENT_EVENTS,
  type PatientSummary,
  type PayRefundBody,
  type Refund,
  type RefundDecisionBody,
  type RefundPaidPayload,
  type RefundQuery,
  type RejectRefundBody,
  type RequestRefundBody,
} from '@newhms/contracts';
import { and, desc, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { nextCounterValue } from '../../platform/db/counters';
import type { DbOrTx } from '../../platform/db/database';
import { appendEvent } from '../../platform/events/outbox';
import {
  BadRequest,
  Conflict,
  Forbidden,
  NotFound,
  RuleViolation,
  StaleVersion,
} from '../../platform/http/errors';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination';
import { readPatientSummaries } from '../patients';
import type { BillingEnv } from './billing.env';
import { cashierSessions, payments, refunds } from './billing.tables';
import { facilityDate, requireFacility, requireOpenShift, requireUser } from './cashier.service';
import { loadPayment } from './payments.service';
import {
  financialYearOf,
  REFUND_COUNTER,
  refundApprovalBreach,
  refundNumberOf,
  refundRequestBreach,
} from './payments-rules';

// Refunds from a payment's unallocated rest: requested with a reason, approved or rejected by someone else
// with 'billing:approve', then paid out (cash only in an open shift, where it counts against expected cash).
//
// Reservation: the approval reserves the amount on the payment (`payments.refunded` += amount, under the
// payment's row lock), so from then on no allocation can take that money and the database check
// allocated + refunded <= amount holds whatever races. A request reserves nothing but is checked against the
// rest less the other open requests, and the approval checks again on the locked row: of two racing
// approvals, the second sees the first's reservation and is refused (409).

export type RefundRow = typeof refunds.$inferSelect;

export function toRefund(r: RefundRow, receiptNumber: string, patient: PatientSummary | undefined): Refund {
  return {
    id: r.id,
    facilityId: r.facilityId,
    paymentId: r.paymentId,
    receiptNumber,
    patientId: r.patientId,
    patientName: patient?.displayName ?? '',
    mrn: patient?.mrn ?? '',
    amount: r.amount,
    reason: r.reason,
    mode: r.mode as Refund['mode'],
    reference: r.reference,
    status: r.status as Refund['status'],
    refundNumber: r.refundNumber,
    requestedByName: r.requestedByName,
    requestedAt: r.requestedAt.toISOString(),
    decidedByName: r.decidedByName,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decisionNote: r.decisionNote,
    paidByName: r.paidByName,
    paidAt: r.paidAt?.toISOString() ?? null,
    sessionId: r.sessionId,
    currency: 'INR',
    version: r.version,
  };
}

async function refundView(db: DbOrTx, ctx: Ctx, r: RefundRow, purpose: string): Promise<Refund> {
  const [p] = await db
    .select({ receipt: payments.receiptNumber })
    .from(payments)
    .where(eq(payments.id, r.paymentId));
  const patients = await readPatientSummaries(db, ctx, [r.patientId], purpose);
  return toRefund(r, p?.receipt ?? '', patients.get(r.patientId));
}

async function loadRefund(db: DbOrTx, facilityId: string, id: string, lock = false): Promise<RefundRow> {
  const q = db
    .select()
    .from(refunds)
    .where(and(eq(refunds.id, id), eq(refunds.facilityId, facilityId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFound('The refund', 'BILLING_REFUND_NOT_FOUND');
  return row;
}

/** Asks to give back part of a payment's unallocated rest, with the reason. */
export async function requestRefund(ctx: Ctx, input: z.output<typeof RequestRefundBody>): Promise<Refund> {
  const facilityId = requireFacility(ctx);
  requireUser(ctx);
  return ctx.db.transaction(async (tx) => {
    let payment: Awaited<ReturnType<typeof loadPayment>>;
    try {
      payment = await loadPayment(tx, facilityId, input.paymentId, true);
    } catch (err) {
      if (err instanceof NotFound) {
        throw new RuleViolation('BILLING_PAYMENT_NOT_FOUND', 'No payment of this facility has this id', [
          { path: 'body.paymentId', message: 'not found' },
        ]);
      }
      throw err;
    }
    if (payment.kind === 'payer-settlement') {
      throw new Conflict('BILLING_PAYMENT_NOT_USABLE', "A payer's settlement is not refunded to the patient");
    }
    const [open] = await tx
      .select({ sum: sql<string>`coalesce(sum(${refunds.amount}), 0)::text` })
      .from(refunds)
      .where(and(eq(refunds.paymentId, payment.id), eq(refunds.status, 'requested')));
    const breach = refundRequestBreach(payment, Number(open!.sum), input.amount);
    if (breach) throw new Conflict(breach.code, breach.message);
    const [row] = await tx
      .insert(refunds)
      .values({
        facilityId,
        paymentId: payment.id,
        patientId: payment.patientId,
        amount: input.amount,
        reason: input.reason,
        mode: input.mode,
        requestedById: actorId(ctx.actor),
        requestedByName: ctx.actor.name,
        requestedAt: ctx.now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'Refund',
      resourceId: row!.id,
      patientId: payment.patientId,
      detail: { paymentId: payment.id, amount: input.amount, reason: input.reason },
    });
    return refundView(tx, ctx, row!, 'billing-refund');
  });
}

/** The refund, with its payment locked first (the order every money movement takes its locks in). */
async function lockRefundAndPayment(tx: DbOrTx, facilityId: string, id: string) {
  const peek = await loadRefund(tx, facilityId, id);
  const payment = await loadPayment(tx, facilityId, peek.paymentId, true);
  const refund = await loadRefund(tx, facilityId, id, true);
  return { payment, refund };
}

function assertDecider(ctx: Ctx, refund: RefundRow) {
  if (refund.requestedById && refund.requestedById === actorId(ctx.actor)) {
    throw new Forbidden('BILLING_OWN_REFUND', 'Someone other than the requester must decide on a refund');
  }
}

/** Approves a requested refund: reserves its amount on the payment (never more than is unallocated now). */
export async function approveRefund(
  ctx: Ctx,
  id: string,
  input: z.output<typeof RefundDecisionBody>,
): Promise<Refund> {
  const facilityId = requireFacility(ctx);
  requireUser(ctx);
  return ctx.db.transaction(async (tx) => {
    const { payment, refund } = await lockRefundAndPayment(tx, facilityId, id);
    assertDecider(ctx, refund);
    if (refund.status !== 'requested') {
      throw new Conflict('BILLING_REFUND_DECIDED', `The refund is ${refund.status} already`);
    }
    if (refund.version !== input.version) throw new StaleVersion('The refund');
    const breach = refundApprovalBreach(payment, refund.amount);
    if (breach) throw new Conflict(breach.code, breach.message);
    await tx
      .update(payments)
      .set({ refunded: sql`${payments.refunded} + ${refund.amount}`, version: sql`${payments.version} + 1` })
      .where(eq(payments.id, payment.id));
    const [row] = await tx
      .update(refunds)
      .set({
        status: 'approved',
        decidedById: actorId(ctx.actor),
        decidedByName: ctx.actor.name,
        decidedAt: ctx.now,
        decisionNote: input.note ?? null,
        version: refund.version + 1,
      })
      .where(eq(refunds.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Refund',
      resourceId: id,
      patientId: refund.patientId,
      detail: { status: 'approved', amount: refund.amount },
    });
    return refundView(tx, ctx, row!, 'billing-refund');
  });
}

export async function rejectRefund(
  ctx: Ctx,
  id: string,
  input: z.output<typeof RejectRefundBody>,
): Promise<Refund> {
  const facilityId = requireFacility(ctx);
  requireUser(ctx);
  return ctx.db.transaction(async (tx) => {
    const refund = await loadRefund(tx, facilityId, id, true);
    assertDecider(ctx, refund);
    if (refund.status !== 'requested') {
      throw new Conflict('BILLING_REFUND_DECIDED', `The refund is ${refund.status} already`);
    }
    if (refund.version !== input.version) throw new StaleVersion('The refund');
    const [row] = await tx
      .update(refunds)
      .set({
        status: 'rejected',
        decidedById: actorId(ctx.actor),
        decidedByName: ctx.actor.name,
        decidedAt: ctx.now,
        decisionNote: input.note,
        version: refund.version + 1,
      })
      .where(eq(refunds.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Refund',
      resourceId: id,
      patientId: refund.patientId,
      detail: { status: 'rejected', note: input.note },
    });
    return refundView(tx, ctx, row!, 'billing-refund');
  });
}

/**
 * Pays out an approved refund: takes the next refund number of the financial year. Cash leaves the till of
 * the cashier's open shift (required); other modes need the transfer's reference and are recorded in the
 * shift when one is open.
 */
export async function payRefund(
  ctx: Ctx,
  env: BillingEnv,
  id: string,
  input: z.output<typeof PayRefundBody>,
): Promise<Refund> {
  const facilityId = requireFacility(ctx);
  requireUser(ctx);
  const { today } = await facilityDate(ctx.db, facilityId, ctx.now);
  return ctx.db.transaction(async (tx) => {
    const refund = await loadRefund(tx, facilityId, id, true);
    if (refund.status !== 'approved') {
      throw new Conflict(
        'BILLING_REFUND_NOT_APPROVED',
        refund.status === 'paid'
          ? 'The refund is paid already'
          : `The refund is ${refund.status}, not approved`,
      );
    }
    if (refund.version !== input.version) throw new StaleVersion('The refund');
    if (refund.mode !== 'cash' && !input.reference) {
      throw new RuleViolation('BILLING_REFERENCE_REQUIRED', 'A refund other than cash needs its reference', [
        { path: 'body.reference', message: 'required except for cash' },
      ]);
    }
    let sessionId: string | null = null;
    if (refund.mode === 'cash') sessionId = (await requireOpenShift(tx, ctx)).id;
    else {
      const [open] = await tx
        .select({ id: cashierSessions.id })
        .from(cashierSessions)
        .where(
          and(
            eq(cashierSessions.cashierId, requireUser(ctx)),
            eq(cashierSessions.facilityId, facilityId),
            eq(cashierSessions.status, 'open'),
          ),
        )
        .for('share');
      sessionId = open?.id ?? null;
    }
    const fy = financialYearOf(today);
    const n = await nextCounterValue(tx, facilityId, REFUND_COUNTER, fy);
    const [row] = await tx
      .update(refunds)
      .set({
        status: 'paid',
        refundNumber: refundNumberOf(fy, n),
        reference: input.reference ?? null,
        paidById: actorId(ctx.actor),
        paidByName: ctx.actor.name,
        paidAt: ctx.now,
        sessionId,
        version: refund.version + 1,
      })
      .where(eq(refunds.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Refund',
      resourceId: id,
      patientId: refund.patientId,
      detail: { status: 'paid', refundNumber: row!.refundNumber, mode: refund.mode },
    });
    const payload: RefundPaidPayload = {
      refundId: id,
      refundNumber: row!.refundNumber!,
      paymentId: refund.paymentId,
      patientId: refund.patientId,
      mode: refund.mode as RefundPaidPayload['mode'],
      amount: refund.amount,
      paidAt: ctx.now.toISOString(),
    };
    await appendEvent(tx, env.events, {
      type: BILLING_PAYMENT_EVENTS.refundPaid,
      facilityId,
      aggregateId: id,
      actorId: actorId(ctx.actor),
      payload,
    });
    return refundView(tx, ctx, row!, 'billing-refund');
  });
}

export async function getRefund(ctx: Ctx, id: string): Promise<Refund> {
  const row = await loadRefund(ctx.db, requireFacility(ctx), id);
  return refundView(ctx.db, ctx, row, 'billing-refund');
}

export async function listRefunds(ctx: Ctx, q: z.output<typeof RefundQuery>) {
  const facilityId = requireFacility(ctx);
  const filters: (SQL | undefined)[] = [eq(refunds.facilityId, facilityId)];
  if (q.status) filters.push(eq(refunds.status, q.status));
  if (q.patientId) filters.push(eq(refunds.patientId, q.patientId));
  if (q.paymentId) filters.push(eq(refunds.paymentId, q.paymentId));
  const after = decodeCursor(q.cursor, 2);
  if (after) {
    const [at, id] = after.map(String) as [string, string];
    if (Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) {
      throw new BadRequest('INVALID_CURSOR', 'The cursor is not valid for this list');
    }
    filters.push(
      or(
        lt(refunds.requestedAt, new Date(at)),
        and(eq(refunds.requestedAt, new Date(at)), lt(refunds.id, id)),
      ),
    );
  }
  const rows = await ctx.db
    .select({ r: refunds, receipt: payments.receiptNumber })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(and(...filters))
    .orderBy(desc(refunds.requestedAt), desc(refunds.id))
    .limit(q.limit + 1);
  const pageRows = rows.slice(0, q.limit);
  const patients = await readPatientSummaries(
    ctx.db,
    ctx,
    pageRows.map((x) => x.r.patientId),
    'billing-refunds',
  );
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map((x) => toRefund(x.r, x.receipt, patients.get(x.r.patientId))),
    nextCursor:
      rows.length > q.limit && last ? encodeCursor([last.r.requestedAt.toISOString(), last.r.id]) : null,
  };
}
