import type {
  ChargePaymentStatus,
  ChargePaymentStatusQuery,
  DueBeforeServiceItem,
  DueBeforeServiceQuery,
} from '@newhms/contracts';
import { and, asc, desc, eq, gt, gte, inArray, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import type { Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { BadRequest } from '../../platform/http/errors';
import { decodeCursor, toPage } from '../../platform/http/pagination';
import { addDays } from '../../platform/time/facility-time';
import { readPatientSummaries } from '../patients';
import { accounts, charges, invoiceLines, invoices, services } from './billing.tables';
import { facilityClock, requireFacility } from './charge-master.service';

// Pay before or after service (issue 6: "OPD bills, pay before or after service, configurable per service").
// A service of the charge master says when its OPD patients pay (`services.pay_when`); a charge points to its
// service, so whether a charge is to be paid first and whether it is paid are read by joining, never stored.
//
// A charge is PAID when it is active and a live final bill (an OPD bill or an IPD final bill, status 'final')
// carries it, and either that bill's patient share is fully paid (invoices.paid >= patient_share) or the bill's
// line for the charge leaves the patient nothing to pay (line patient share <= 0: a payer or the package pays
// it). A charge no bill carries yet is not paid, whatever its amount.

export type PayWhen = 'before' | 'after';
export type ChargePay = { payWhen: PayWhen; paid: boolean };

/** The SQL truth of "paid" for a row of `charges` left-joined to its invoice (see the comment above). */
const paidSql = sql<boolean>`(${charges.status} = 'active'
  and ${invoices.id} is not null
  and ${invoices.status} = 'final'
  and ${invoices.kind} in ('opd', 'ipd-final')
  and (${invoices.paid} >= greatest(${invoices.patientShare}, 0)
    or (select coalesce(sum(l.patient_share), 1) from ${invoiceLines} l
        where l.invoice_id = ${charges.invoiceId} and l.charge_id = ${charges.id}) <= 0))`;

const asBool = (v: unknown) => v === true || v === 't' || v === 'true';

/** When each charge is paid (its service's rule) and whether it is paid, by charge id: one query. */
export async function chargePayStates(
  db: DbOrTx,
  chargeIds: readonly string[],
): Promise<Map<string, ChargePay>> {
  if (chargeIds.length === 0) return new Map();
  const rows = await db
    .select({ id: charges.id, payWhen: services.payWhen, paid: paidSql })
    .from(charges)
    .innerJoin(services, eq(services.id, charges.serviceId))
    .leftJoin(invoices, eq(invoices.id, charges.invoiceId))
    .where(inArray(charges.id, [...new Set(chargeIds)]));
  return new Map(rows.map((r) => [r.id, { payWhen: r.payWhen as PayWhen, paid: asBool(r.paid) }]));
}

/**
 * Whether a source (a consultation token, an order, a laboratory sample, a pharmacy issue) is charged, is to
 * be paid before its service is given, and is paid: for the modules that give the service (sample collection,
 * imaging, dispensing) to check before they do. Cancelled charges do not count. No audit: the caller's read.
 */
export async function paymentStatusOfSource(
  db: DbOrTx,
  q: { facilityId: string; sourceType: string; sourceId: string },
): Promise<{ charged: boolean; payBefore: boolean; paid: boolean; chargeIds: string[] }> {
  const rows = await db
    .select({ id: charges.id, payWhen: services.payWhen, paid: paidSql })
    .from(charges)
    .innerJoin(services, eq(services.id, charges.serviceId))
    .leftJoin(invoices, eq(invoices.id, charges.invoiceId))
    .where(
      and(
        eq(charges.facilityId, q.facilityId),
        eq(charges.sourceType, q.sourceType),
        eq(charges.sourceId, q.sourceId),
        eq(charges.status, 'active'),
      ),
    )
    .orderBy(asc(charges.sourceLine), asc(charges.id));
  return {
    charged: rows.length > 0,
    payBefore: rows.some((r) => r.payWhen === 'before'),
    paid: rows.length > 0 && rows.every((r) => asBool(r.paid)),
    chargeIds: rows.map((r) => r.id),
  };
}

/** The route's read of a source's payment status (audited against the patient when something is charged). */
export async function getPaymentStatus(
  ctx: Ctx,
  q: z.output<typeof ChargePaymentStatusQuery>,
): Promise<ChargePaymentStatus> {
  const facilityId = requireFacility(ctx);
  const status = await paymentStatusOfSource(ctx.db, { facilityId, ...q });
  const [first] = status.chargeIds.length
    ? await ctx.db
        .select({ patientId: charges.patientId })
        .from(charges)
        .where(eq(charges.id, status.chargeIds[0]!))
    : [];
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Charge',
    resourceId: status.chargeIds[0] ?? null,
    patientId: first?.patientId ?? null,
    detail: { paymentStatus: `${q.sourceType}:${q.sourceId}`, charged: status.charged, paid: status.paid },
  });
  return { sourceType: q.sourceType, sourceId: q.sourceId, ...status };
}

function dueCursor(cursor: string | undefined): { date: string; at: Date; id: string } | undefined {
  const key = decodeCursor(cursor, 3);
  if (!key) return undefined;
  const [date, at, id] = key;
  const when = typeof at === 'string' ? new Date(at) : new Date(Number.NaN);
  if (
    typeof date !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
    Number.isNaN(when.getTime()) ||
    typeof id !== 'string' ||
    !/^[0-9a-f-]{36}$/i.test(id)
  ) {
    throw new BadRequest('INVALID_CURSOR', 'The cursor is not valid for this list');
  }
  return { date, at: when, id };
}

/**
 * The facility's OPD charges whose service is paid before it is given and that are not paid yet (active, on an
 * account not closed, service date within the last `days` days): today's first, then earlier days; within a
 * day in posting order (first come, first called). Each with its patient's name and MRN (audited reads).
 */
export async function listDueBeforeService(
  ctx: Ctx,
  q: z.output<typeof DueBeforeServiceQuery>,
): Promise<{ items: DueBeforeServiceItem[]; nextCursor: string | null }> {
  const facilityId = requireFacility(ctx);
  const { today } = await facilityClock(ctx.db, facilityId, ctx.now);
  const conds: SQL[] = [
    eq(charges.facilityId, facilityId),
    eq(charges.status, 'active'),
    eq(services.payWhen, 'before'),
    eq(accounts.kind, 'opd'),
    ne(accounts.status, 'closed'),
    gte(charges.serviceDate, addDays(today, -(q.days - 1))),
    sql`not ${paidSql}`,
  ];
  const after = dueCursor(q.cursor);
  if (after) {
    conds.push(
      or(
        lt(charges.serviceDate, after.date),
        and(
          eq(charges.serviceDate, after.date),
          or(gt(charges.postedAt, after.at), and(eq(charges.postedAt, after.at), gt(charges.id, after.id))),
        ),
      )!,
    );
  }
  const rows = await ctx.db
    .select({
      charge: charges,
      liveInvoiceId: sql<string | null>`case when ${invoices.status} = 'final' then ${invoices.id} end`,
    })
    .from(charges)
    .innerJoin(services, eq(services.id, charges.serviceId))
    .innerJoin(accounts, eq(accounts.id, charges.accountId))
    .leftJoin(invoices, eq(invoices.id, charges.invoiceId))
    .where(and(...conds))
    .orderBy(desc(charges.serviceDate), asc(charges.postedAt), asc(charges.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => [
    r.charge.serviceDate,
    r.charge.postedAt.toISOString(),
    r.charge.id,
  ]);
  const patients = await readPatientSummaries(
    ctx.db,
    ctx,
    page.items.map((r) => r.charge.patientId),
    'billing-due-before-service',
  );
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Charge',
    detail: { list: 'due-before-service', days: q.days, count: page.items.length },
  });
  return {
    items: page.items.map(({ charge: c, liveInvoiceId }) => {
      const p = patients.get(c.patientId);
      return {
        chargeId: c.id,
        accountId: c.accountId,
        patientId: c.patientId,
        patientName: p?.displayName ?? '',
        mrn: p?.mrn ?? '',
        serviceCode: c.serviceCode,
        serviceName: c.serviceName,
        serviceGroup: c.serviceGroup,
        quantity: c.quantity,
        amount: c.amount,
        currency: 'INR',
        serviceDate: c.serviceDate,
        postedAt: c.postedAt.toISOString(),
        sourceType: c.sourceType,
        sourceId: c.sourceId,
        invoiceId: liveInvoiceId ?? null,
      };
    }),
    nextCursor: page.nextCursor,
  };
}
