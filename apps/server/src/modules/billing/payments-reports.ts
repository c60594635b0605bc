import type { CollectionsReport, RefundsReport, ReportPeriodQuery } from '@newhms/contracts';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import type { Ctx } from '../../platform/context';
import { listDepartments } from '../../platform/organization/organization.service';
import { readPatientSummaries } from '../patients';
import { allocations, charges, invoiceLines, payments, refunds } from './billing.tables';
import { facilityDate, requireFacility } from './cashier.service';
import { addToTotals, apportion, emptyModeTotals } from './payments-rules';
import { toRefund } from './refunds.service';

// Collections and refunds of a period of business dates (the facility's calendar days).

const ADVANCE = 'Advance (unallocated)';
const REFUNDED = 'Refunded';

/**
 * Money received in the period (payments and deposits; payers' settlements are reported with claims): by
 * mode, kind and cashier; and by department and service group, each live allocation apportioned to its bill's
 * lines by their patient share (largest remainder, exact to the paisa). What is still unallocated counts as
 * advance, what was refunded as refunded, so the departments add up to what was received.
 */
export async function collectionsReport(
  ctx: Ctx,
  q: z.output<typeof ReportPeriodQuery>,
): Promise<CollectionsReport> {
  const facilityId = requireFacility(ctx);
  const { timeZone } = await facilityDate(ctx.db, facilityId, ctx.now);
  const inPeriod = sql`(${payments.receivedAt} at time zone ${timeZone})::date between ${q.from}::date and ${q.to}::date`;
  const rows = await ctx.db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.facilityId, facilityId),
        inArray(payments.kind, ['payment', 'deposit']),
        eq(payments.status, 'completed'),
        inPeriod,
      ),
    )
    .orderBy(asc(payments.receivedAt));
  const byMode = emptyModeTotals();
  const byKind = { payment: 0, deposit: 0 };
  const cashiers = new Map<string, CollectionsReport['byCashier'][number]>();
  let received = 0;
  for (const p of rows) {
    received += p.amount;
    addToTotals(byMode, p.mode, p.amount);
    byKind[p.kind as 'payment' | 'deposit'] += p.amount;
    const key = p.receivedById ?? p.receivedByName;
    const c = cashiers.get(key) ?? {
      cashierId: p.receivedById,
      cashierName: p.receivedByName,
      totals: emptyModeTotals(),
      received: 0,
      receiptsCount: 0,
    };
    addToTotals(c.totals, p.mode, p.amount);
    c.received += p.amount;
    c.receiptsCount += 1;
    cashiers.set(key, c);
  }

  // Departments and service groups: live allocations of these payments over their bills' lines.
  const ids = rows.map((p) => p.id);
  const byDept = new Map<string | null, number>();
  const byGroup = new Map<string, number>();
  const add = <K>(m: Map<K, number>, k: K, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  if (ids.length > 0) {
    const allocs = await ctx.db
      .select()
      .from(allocations)
      .where(and(inArray(allocations.paymentId, ids), isNull(allocations.reversedAt)));
    const invoiceIds = [...new Set(allocs.map((a) => a.invoiceId))];
    const lines =
      invoiceIds.length === 0
        ? []
        : await ctx.db
            .select({
              invoiceId: invoiceLines.invoiceId,
              serviceGroup: invoiceLines.serviceGroup,
              patientShare: invoiceLines.patientShare,
              total: invoiceLines.total,
              departmentId: charges.departmentId,
            })
            .from(invoiceLines)
            .leftJoin(charges, eq(charges.id, invoiceLines.chargeId))
            .where(inArray(invoiceLines.invoiceId, invoiceIds))
            .orderBy(asc(invoiceLines.invoiceId), asc(invoiceLines.position));
    const linesOf = new Map<string, typeof lines>();
    for (const l of lines) linesOf.set(l.invoiceId, [...(linesOf.get(l.invoiceId) ?? []), l]);
    for (const a of allocs) {
      const ls = linesOf.get(a.invoiceId) ?? [];
      if (ls.length === 0) {
        add(byDept, null, a.amount);
        add(byGroup, 'unspecified', a.amount);
        continue;
      }
      const useShare = ls.some((l) => l.patientShare > 0);
      const parts = apportion(
        a.amount,
        ls.map((l) => (useShare ? l.patientShare : l.total)),
      );
      ls.forEach((l, i) => {
        add(byDept, l.departmentId, parts[i]!);
        add(byGroup, l.serviceGroup, parts[i]!);
      });
    }
  }
  const unallocated = rows.reduce((s, p) => s + p.amount - p.allocated - p.refunded, 0);
  const refundedOfThese = rows.reduce((s, p) => s + p.refunded, 0);
  const departments = new Map((await listDepartments(ctx, facilityId)).map((d) => [d.id, d.name]));
  const byDepartment: CollectionsReport['byDepartment'] = [...byDept]
    .map(([departmentId, amount]) => ({
      departmentId,
      departmentName: departmentId
        ? (departments.get(departmentId) ?? 'Unknown department')
        : 'No department',
      amount,
    }))
    .sort((a, b) => b.amount - a.amount);
  if (unallocated > 0)
    byDepartment.push({ departmentId: null, departmentName: ADVANCE, amount: unallocated });
  if (refundedOfThese > 0)
    byDepartment.push({ departmentId: null, departmentName: REFUNDED, amount: refundedOfThese });
  const byServiceGroup = [...byGroup]
    .map(([serviceGroup, amount]) => ({ serviceGroup, amount }))
    .sort((a, b) => b.amount - a.amount);
  if (unallocated > 0) byServiceGroup.push({ serviceGroup: 'advance', amount: unallocated });
  if (refundedOfThese > 0) byServiceGroup.push({ serviceGroup: 'refunded', amount: refundedOfThese });

  const [paidOut] = await ctx.db
    .select({ total: sql<string>`coalesce(sum(${refunds.amount}), 0)::text` })
    .from(refunds)
    .where(
      and(
        eq(refunds.facilityId, facilityId),
        eq(refunds.status, 'paid'),
        sql`(${refunds.paidAt} at time zone ${timeZone})::date between ${q.from}::date and ${q.to}::date`,
      ),
    );
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'CollectionsReport',
    detail: { from: q.from, to: q.to, receipts: rows.length },
  });
  const refunded = Number(paidOut!.total);
  return {
    facilityId,
    from: q.from,
    to: q.to,
    currency: 'INR',
    received,
    receiptsCount: rows.length,
    refunded,
    net: received - refunded,
    byMode,
    byKind,
    byCashier: [...cashiers.values()].sort((a, b) => b.received - a.received),
    byDepartment,
    byServiceGroup,
  };
}

/** Refunds paid out in the period, with who requested, approved and paid each. */
export async function refundsReport(ctx: Ctx, q: z.output<typeof ReportPeriodQuery>): Promise<RefundsReport> {
  const facilityId = requireFacility(ctx);
  const { timeZone } = await facilityDate(ctx.db, facilityId, ctx.now);
  const rows = await ctx.db
    .select({ r: refunds, receipt: payments.receiptNumber })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(
      and(
        eq(refunds.facilityId, facilityId),
        eq(refunds.status, 'paid'),
        sql`(${refunds.paidAt} at time zone ${timeZone})::date between ${q.from}::date and ${q.to}::date`,
      ),
    )
    .orderBy(asc(refunds.paidAt))
    .limit(5000);
  const patients = await readPatientSummaries(
    ctx.db,
    ctx,
    rows.map((x) => x.r.patientId),
    'billing-refunds-report',
  );
  const byMode = emptyModeTotals();
  const groups = { requester: new Map(), approver: new Map(), paidBy: new Map() } as Record<
    'requester' | 'approver' | 'paidBy',
    Map<string, { name: string; count: number; amount: number }>
  >;
  const tally = (
    m: Map<string, { name: string; count: number; amount: number }>,
    name: string,
    amount: number,
  ) => {
    const g = m.get(name) ?? { name, count: 0, amount: 0 };
    g.count += 1;
    g.amount += amount;
    m.set(name, g);
  };
  let total = 0;
  for (const { r } of rows) {
    total += r.amount;
    addToTotals(byMode, r.mode, r.amount);
    tally(groups.requester, r.requestedByName, r.amount);
    tally(groups.approver, r.decidedByName ?? '', r.amount);
    tally(groups.paidBy, r.paidByName ?? '', r.amount);
  }
  const list = (m: Map<string, { name: string; count: number; amount: number }>) =>
    [...m.values()].sort((a, b) => b.amount - a.amount);
  return {
    facilityId,
    from: q.from,
    to: q.to,
    currency: 'INR',
    count: rows.length,
    total,
    byMode,
    byRequester: list(groups.requester),
    byApprover: list(groups.approver),
    byPaidBy: list(groups.paidBy),
    refunds: rows.map((x) => toRefund(x.r, x.receipt, patients.get(x.r.patientId))),
  };
}
