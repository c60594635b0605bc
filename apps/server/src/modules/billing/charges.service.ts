import type {
  CancelChargeBody,
  Charge,
  PostChargeBody,
  RevenueQuery,
  RevenueReport,
  UnpricedOrderQuery,
} from '@newhms/contracts';
import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { newId } from '../../platform/db/ids';
import { Conflict, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { listDepartments } from '../../platform/organization/organization.service';
import { addDays, zonedInstant } from '../../platform/time/facility-time';
import { listOrdersPlaced } from '../encounters';
import { bedDayCovered } from './bed-day-charges';
import { accounts, charges, invoices, policies, services } from './billing.tables';
import {
  facilityClock,
  findServiceByCode,
  loadPackage,
  loadService,
  priceOf,
  requireFacility,
  type ServiceRow,
} from './charge-master.service';
import { type ChargePay, chargePayStates } from './charge-payment';
import { awaitsCollection, labChargeMomentOf } from './settings.service';

// Charges: a service given to a patient on an account, priced from the charge master at the service date
// (the price is copied: later price changes never alter it). Automatic charges are unique on their source;
// every charge is cancelled with a reason, never deleted.

export type ChargeRow = typeof charges.$inferSelect;
export type AccountRow = typeof accounts.$inferSelect;

/** Source types of the charges billing posts itself. */
export const CHARGE_SOURCES = {
  manual: 'manual',
  token: 'opd.token',
  order: 'encounters.order',
  bedDay: 'ipd.bed-day',
  admissionFee: 'ipd.admission',
  package: 'billing.package',
} as const;

export function toCharge(r: ChargeRow, pay: ChargePay): Charge {
  return {
    id: r.id,
    accountId: r.accountId,
    patientId: r.patientId,
    serviceId: r.serviceId,
    serviceCode: r.serviceCode,
    serviceName: r.serviceName,
    serviceGroup: r.serviceGroup,
    departmentId: r.departmentId,
    taxCode: r.taxCode,
    tariffClass: r.tariffClass,
    intensiveCare: r.intensiveCare,
    quantity: r.quantity,
    unitPrice: r.unitPrice,
    amount: r.amount,
    currency: 'INR',
    serviceDate: r.serviceDate,
    performerId: r.performerId,
    sourceType: r.sourceType,
    sourceId: r.sourceId,
    sourceLine: r.sourceLine,
    sourceEventId: r.sourceEventId,
    packageCovered: r.packageCovered,
    note: r.note,
    status: r.status as Charge['status'],
    postedBy: r.postedByName,
    postedAt: r.postedAt.toISOString(),
    cancelledBy: r.cancelledByName,
    cancelledAt: r.cancelledAt?.toISOString() ?? null,
    cancelReason: r.cancelReason,
    invoiceId: r.invoiceId,
    payWhen: pay.payWhen,
    paid: pay.paid,
    version: r.version,
  };
}

/** Charges as the API shows them: with when their service is paid (its rule) and whether they are paid. */
export async function toChargeViews(db: DbOrTx, rows: readonly ChargeRow[]): Promise<Charge[]> {
  const states = await chargePayStates(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toCharge(r, states.get(r.id) ?? { payWhen: 'after', paid: false }));
}

export async function toChargeView(db: DbOrTx, row: ChargeRow): Promise<Charge> {
  const [view] = await toChargeViews(db, [row]);
  return view!;
}

/** The account's payer for prices: the payer of its policy, if it is billed to one. */
export async function payerOf(db: DbOrTx, account: AccountRow): Promise<string | null> {
  if (!account.policyId) return null;
  const [p] = await db
    .select({ payerId: policies.payerId })
    .from(policies)
    .where(eq(policies.id, account.policyId));
  return p?.payerId ?? null;
}

export type PostChargeInput = {
  account: AccountRow;
  serviceId: string;
  quantity: number;
  serviceDate: string;
  /** Overrides the charge master (a practitioner's consultation fee, a pharmacy batch's MRP). */
  unitPrice?: number | null;
  /** Default: the account's. Bed days pass the tariff class of the bed held that night. */
  tariffClass?: string;
  intensiveCare?: boolean;
  departmentId?: string | null;
  performerId?: string | null;
  note?: string | null;
  source: { type: string; id: string; line?: string; eventId?: string | null };
  /** true: no price is a 422 (posting by hand); false: no charge (automatic posting of an unpriced service). */
  requirePrice?: boolean;
  /** The caller recomputes the package coverage itself (once, after many charges). */
  skipCoverage?: boolean;
};

/**
 * Posts one charge, idempotent by its source: posting the same (source type, id, line) again returns the
 * charge already there. Null when the service has no price that day and none was required.
 */
export async function postCharge(
  tx: DbOrTx,
  ctx: Ctx,
  input: PostChargeInput,
): Promise<{ charge: ChargeRow; created: boolean } | null> {
  const { account } = input;
  const line = input.source.line ?? '';
  const sourceKey = and(
    eq(charges.facilityId, account.facilityId),
    eq(charges.sourceType, input.source.type),
    eq(charges.sourceId, input.source.id),
    eq(charges.sourceLine, line),
  );
  const [existing] = await tx.select().from(charges).where(sourceKey);
  if (existing) return { charge: existing, created: false };
  const service: ServiceRow = await loadService(tx, account.facilityId, input.serviceId);
  const tariffClass = input.tariffClass ?? account.tariffClass;
  let unitPrice = input.unitPrice ?? null;
  if (unitPrice === null) {
    const found = await priceOf(tx, {
      serviceId: service.id,
      tariffClass,
      payerId: await payerOf(tx, account),
      date: input.serviceDate,
    });
    if (!found) {
      if (input.requirePrice) {
        throw new RuleViolation(
          'BILLING_PRICE_NOT_FOUND',
          `${service.name} has no price for tariff class ${tariffClass} on ${input.serviceDate}`,
          [{ path: 'body.serviceId', message: 'no price on the service date' }],
        );
      }
      return null;
    }
    unitPrice = found.price;
  }
  const [row] = await tx
    .insert(charges)
    .values({
      id: newId(),
      facilityId: account.facilityId,
      accountId: account.id,
      patientId: account.patientId,
      serviceId: service.id,
      serviceCode: service.code,
      serviceName: service.name,
      serviceGroup: service.serviceGroup,
      departmentId: input.departmentId === undefined ? service.departmentId : input.departmentId,
      taxCode: service.taxCode,
      tariffClass,
      intensiveCare: input.intensiveCare ?? service.intensiveCare,
      priceIncludesTax: service.priceIncludesTax,
      quantity: input.quantity,
      unitPrice,
      amount: input.quantity * unitPrice,
      serviceDate: input.serviceDate,
      performerId: input.performerId ?? null,
      sourceType: input.source.type,
      sourceId: input.source.id,
      sourceLine: line,
      sourceEventId: input.source.eventId ?? null,
      note: input.note ?? null,
      postedById: actorId(ctx.actor),
      postedByName: ctx.actor.name,
      postedAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) {
    const [raced] = await tx.select().from(charges).where(sourceKey);
    return { charge: raced!, created: false };
  }
  await recordAudit(tx, ctx, {
    action: 'create',
    resourceType: 'Charge',
    resourceId: row.id,
    patientId: row.patientId,
    detail: {
      accountId: account.id,
      serviceCode: row.serviceCode,
      quantity: row.quantity,
      unitPrice: row.unitPrice,
      source: `${row.sourceType}:${row.sourceId}${line ? `:${line}` : ''}`,
    },
  });
  if (account.packageId && !input.skipCoverage) await applyPackageCoverage(tx, account);
  const [fresh] = await tx.select().from(charges).where(eq(charges.id, row.id));
  return { charge: fresh!, created: true };
}

/** Every charge of an account, in service-date and posting order. */
export async function listChargesOf(db: DbOrTx, accountId: string): Promise<ChargeRow[]> {
  return db
    .select()
    .from(charges)
    .where(eq(charges.accountId, accountId))
    .orderBy(asc(charges.serviceDate), asc(charges.postedAt), asc(charges.id))
    .limit(10_000);
}

/**
 * Flags the account's charges covered or not by its package: exclusions first (a service, then a group), then
 * inclusions (a service item over a group item) within their quantity limits in service-date order; bed days
 * within the length-of-stay limit, and beyond it only when the package absorbs them. The package's own line
 * and charges already on a final invoice keep their flag.
 */
export async function applyPackageCoverage(tx: DbOrTx, account: AccountRow): Promise<void> {
  const rows = (await listChargesOf(tx, account.id)).filter((c) => c.status === 'active');
  const pkg = account.packageId ? await loadPackage(tx, account.facilityId, account.packageId) : null;
  const used = new Map<number, number>();
  const bedDates = [
    ...new Set(rows.filter((c) => c.sourceType === CHARGE_SOURCES.bedDay).map((c) => c.serviceDate)),
  ].sort();
  for (const c of rows) {
    let covered = false;
    if (pkg && c.sourceType !== CHARGE_SOURCES.package) {
      const matches = (i: (typeof pkg.items)[number]) =>
        i.serviceId ? i.serviceId === c.serviceId : i.serviceGroup === c.serviceGroup;
      const excluded = pkg.items.some((i) => i.kind === 'exclude' && matches(i));
      const includes = pkg.items
        .map((item, index) => ({ item, index }))
        .filter(({ item }) => item.kind === 'include' && matches(item))
        .sort((a, b) => Number(!!b.item.serviceId) - Number(!!a.item.serviceId));
      const chosen = includes[0];
      if (!excluded && chosen) {
        const dayOk =
          c.sourceType !== CHARGE_SOURCES.bedDay || bedDayCovered(bedDates.indexOf(c.serviceDate) + 1, pkg);
        const limit = chosen.item.quantityLimit;
        const before = used.get(chosen.index) ?? 0;
        if (dayOk && (limit === null || before + c.quantity <= limit)) {
          covered = true;
          used.set(chosen.index, before + c.quantity);
        }
      }
    }
    if (c.invoiceId) continue;
    if (covered !== c.packageCovered) {
      await tx
        .update(charges)
        .set({ packageCovered: covered, version: sql`${charges.version} + 1` })
        .where(eq(charges.id, c.id));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Posting and cancelling by hand
// ---------------------------------------------------------------------------------------------------------

async function loadAccountRow(db: DbOrTx, facilityId: string, id: string, lock = false) {
  const q = db
    .select()
    .from(accounts)
    .where(and(eq(accounts.id, id), eq(accounts.facilityId, facilityId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFound('The account', 'BILLING_ACCOUNT_NOT_FOUND');
  return row;
}

/** Billing staff post a charge: priced from the charge master at the service date, for the account's class. */
export async function postManualCharge(ctx: Ctx, input: z.output<typeof PostChargeBody>): Promise<Charge> {
  const facilityId = requireFacility(ctx);
  const clock = await facilityClock(ctx.db, facilityId, ctx.now);
  const serviceDate = input.serviceDate ?? clock.today;
  if (serviceDate > clock.today) {
    throw new RuleViolation('BILLING_SERVICE_DATE_FUTURE', 'A charge is posted for a service already given', [
      { path: 'body.serviceDate', message: `after today (${clock.today})` },
    ]);
  }
  return ctx.db.transaction(async (tx) => {
    const account = await loadAccountRow(tx, facilityId, input.accountId, true);
    if (account.status === 'closed') {
      throw new Conflict('BILLING_ACCOUNT_CLOSED', 'The account is closed; open a new one for new services');
    }
    const service = input.serviceId
      ? await loadService(tx, facilityId, input.serviceId)
      : await findServiceByCode(tx, facilityId, input.serviceCode!);
    if (!service) {
      throw new RuleViolation('BILLING_SERVICE_UNKNOWN', 'There is no active service with this code', [
        { path: 'body.serviceCode', message: 'unknown code' },
      ]);
    }
    if (!service.active) {
      throw new RuleViolation('BILLING_SERVICE_INACTIVE', 'The service is withdrawn from the charge master', [
        { path: 'body.serviceId', message: 'inactive service' },
      ]);
    }
    if (input.unitPrice !== undefined) {
      const listed = await priceOf(tx, {
        serviceId: service.id,
        tariffClass: account.tariffClass,
        payerId: await payerOf(tx, account),
        date: serviceDate,
      });
      if (listed) {
        throw new RuleViolation(
          'BILLING_PRICE_FIXED',
          'The charge master prices this service; a price can be given only for unpriced services',
          [{ path: 'body.unitPrice', message: `listed at ${listed.price} paise` }],
        );
      }
    }
    const id = newId();
    const posted = await postCharge(tx, ctx, {
      account,
      serviceId: service.id,
      quantity: input.quantity,
      serviceDate,
      unitPrice: input.unitPrice ?? null,
      performerId: input.performerId ?? null,
      note: input.note ?? null,
      source: { type: CHARGE_SOURCES.manual, id },
      requirePrice: true,
    });
    return toChargeView(tx, posted!.charge);
  });
}

export async function loadCharge(db: DbOrTx, facilityId: string, id: string, lock = false) {
  const q = db
    .select()
    .from(charges)
    .where(and(eq(charges.id, id), eq(charges.facilityId, facilityId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFound('The charge', 'BILLING_CHARGE_NOT_FOUND');
  return row;
}

export async function getCharge(ctx: Ctx, id: string): Promise<Charge> {
  const row = await loadCharge(ctx.db, requireFacility(ctx), id);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Charge',
    resourceId: id,
    patientId: row.patientId,
  });
  return toChargeView(ctx.db, row);
}

export async function listAccountCharges(ctx: Ctx, accountId: string): Promise<Charge[]> {
  const account = await loadAccountRow(ctx.db, requireFacility(ctx), accountId);
  const rows = await listChargesOf(ctx.db, account.id);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'BillingAccount',
    resourceId: account.id,
    patientId: account.patientId,
    detail: { list: 'charges', count: rows.length },
  });
  return toChargeViews(ctx.db, rows);
}

/** Whether a charge is billed by a live final invoice (only a credit note may undo that). */
async function onLiveInvoice(tx: DbOrTx, c: ChargeRow): Promise<boolean> {
  if (!c.invoiceId) return false;
  const [inv] = await tx
    .select({ status: invoices.status })
    .from(invoices)
    .where(eq(invoices.id, c.invoiceId));
  return inv?.status === 'final';
}

async function markCancelled(tx: DbOrTx, ctx: Ctx, c: ChargeRow, reason: string): Promise<ChargeRow> {
  const [row] = await tx
    .update(charges)
    .set({
      status: 'cancelled',
      cancelReason: reason,
      cancelledAt: ctx.now,
      cancelledById: actorId(ctx.actor),
      cancelledByName: ctx.actor.name,
      packageCovered: false,
      version: c.version + 1,
    })
    .where(eq(charges.id, c.id))
    .returning();
  await recordAudit(tx, ctx, {
    action: 'update',
    resourceType: 'Charge',
    resourceId: c.id,
    patientId: c.patientId,
    detail: { status: 'cancelled', reason, amount: c.amount },
  });
  return row!;
}

/** Cancels a charge with a reason; refused while a live final invoice bills it (a credit note cancels that first). */
export async function cancelCharge(
  ctx: Ctx,
  id: string,
  input: z.output<typeof CancelChargeBody>,
): Promise<Charge> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const c = await loadCharge(tx, facilityId, id, true);
    if (c.version !== input.version) throw new StaleVersion('The charge');
    if (c.status === 'cancelled')
      throw new Conflict('BILLING_CHARGE_CANCELLED', 'The charge is already cancelled');
    if (await onLiveInvoice(tx, c)) {
      throw new Conflict(
        'BILLING_CHARGE_INVOICED',
        'A final invoice bills this charge; cancel that invoice with a credit note first',
      );
    }
    const row = await markCancelled(tx, ctx, c, input.reason);
    const account = await loadAccountRow(tx, facilityId, c.accountId);
    if (account.packageId) await applyPackageCoverage(tx, account);
    return toChargeView(tx, row);
  });
}

/**
 * Reverses the active charges of a source (an order cancelled, an admission entered in error, an issue
 * returned). Charges on a live final invoice stay (a credit note must come first); they are returned.
 */
export async function cancelChargesOfSource(
  tx: DbOrTx,
  ctx: Ctx,
  facilityId: string,
  source: { type: string; id: string; line?: string | undefined },
  reason: string,
): Promise<{ cancelled: number; invoiced: ChargeRow[] }> {
  const rows = await tx
    .select()
    .from(charges)
    .where(
      and(
        eq(charges.facilityId, facilityId),
        eq(charges.sourceType, source.type),
        eq(charges.sourceId, source.id),
        source.line !== undefined ? eq(charges.sourceLine, source.line) : undefined,
        eq(charges.status, 'active'),
      ),
    )
    .for('update');
  return cancelRows(tx, ctx, rows, reason);
}

export async function cancelRows(
  tx: DbOrTx,
  ctx: Ctx,
  rows: readonly ChargeRow[],
  reason: string,
): Promise<{ cancelled: number; invoiced: ChargeRow[] }> {
  const invoiced: ChargeRow[] = [];
  let cancelled = 0;
  const touched = new Set<string>();
  for (const c of rows) {
    if (c.status !== 'active') continue;
    if (await onLiveInvoice(tx, c)) {
      invoiced.push(c);
      continue;
    }
    await markCancelled(tx, ctx, c, reason);
    touched.add(c.accountId);
    cancelled++;
  }
  for (const accountId of touched) {
    const [account] = await tx.select().from(accounts).where(eq(accounts.id, accountId));
    if (account?.packageId) await applyPackageCoverage(tx, account);
  }
  if (invoiced.length) {
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Charge',
      resourceId: invoiced[0]!.id,
      patientId: invoiced[0]!.patientId,
      outcome: 'failure',
      detail: { reversal: reason, keptOnFinalInvoice: invoiced.map((c) => c.id) },
    });
  }
  return { cancelled, invoiced };
}

// ---------------------------------------------------------------------------------------------------------
// Unpriced orders and revenue
// ---------------------------------------------------------------------------------------------------------

function assertRange(from: string, to: string, maxDays: number) {
  if (to < from) {
    throw new RuleViolation('BILLING_RANGE_INVALID', 'The range ends before it starts', [
      { path: 'querystring.to', message: 'before from' },
    ]);
  }
  if (Date.parse(to) - Date.parse(from) > maxDays * 86_400_000) {
    throw new RuleViolation('BILLING_RANGE_TOO_LONG', `Ask for at most ${maxDays} days at a time`, [
      { path: 'querystring.to', message: `more than ${maxDays} days after from` },
    ]);
  }
}

/**
 * Orders placed in the date range that no charge bills: their code (and name) matches no active service.
 * Billing staff add the service with that code, then post the order's charge. In a facility that charges
 * laboratory tests on collection, a laboratory order is not listed before its sample is collected (it is not
 * due yet; one never collected is never due), nor is an order the laboratory or radiology did not take.
 */
export async function listUnpricedOrders(ctx: Ctx, query: z.output<typeof UnpricedOrderQuery>) {
  const facilityId = requireFacility(ctx);
  assertRange(query.from, query.to, 92);
  const { timeZone } = await facilityClock(ctx.db, facilityId, ctx.now);
  const orders = await listOrdersPlaced(
    ctx.db,
    facilityId,
    zonedInstant(query.from, '00:00', timeZone),
    zonedInstant(addDays(query.to, 1), '00:00', timeZone),
    2000,
  );
  if (orders.length === 0) return [];
  const charged = await ctx.db
    .select({ sourceId: charges.sourceId })
    .from(charges)
    .where(
      and(
        eq(charges.facilityId, facilityId),
        eq(charges.sourceType, CHARGE_SOURCES.order),
        inArray(
          charges.sourceId,
          orders.map((o) => o.orderId),
        ),
      ),
    );
  const done = new Set(charged.map((c) => c.sourceId));
  const moment = await labChargeMomentOf(ctx.db, facilityId);
  // An order the laboratory or radiology did not take is not done, so never due.
  const open = orders.filter(
    (o) => !done.has(o.orderId) && !awaitsCollection(o, moment) && o.fulfilmentStatus !== 'not-matched',
  );
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'ServiceRequest',
    detail: { list: 'unpriced-orders', from: query.from, to: query.to, count: open.length },
  });
  return open.map((o) => ({
    orderId: o.orderId,
    encounterId: o.encounterId,
    patientId: o.patientId,
    category: o.category,
    code: o.code,
    display: o.display,
    requestedAt: o.requestedAt.toISOString(),
  }));
}

/** Revenue by department and by service from the active charges of the date range (package-covered ones excluded). */
export async function revenueReport(ctx: Ctx, query: z.output<typeof RevenueQuery>): Promise<RevenueReport> {
  const facilityId = requireFacility(ctx);
  assertRange(query.from, query.to, 366);
  const where = and(
    eq(charges.facilityId, facilityId),
    eq(charges.status, 'active'),
    eq(charges.packageCovered, false),
    gte(charges.serviceDate, query.from),
    lte(charges.serviceDate, query.to),
  );
  const byDept = await ctx.db
    .select({
      departmentId: charges.departmentId,
      quantity: sql<number>`sum(${charges.quantity})::int`,
      amount: sql<number>`sum(${charges.amount})::bigint`,
      charges: sql<number>`count(*)::int`,
    })
    .from(charges)
    .where(where)
    .groupBy(charges.departmentId);
  const byService = await ctx.db
    .select({
      serviceId: charges.serviceId,
      quantity: sql<number>`sum(${charges.quantity})::int`,
      amount: sql<number>`sum(${charges.amount})::bigint`,
      charges: sql<number>`count(*)::int`,
    })
    .from(charges)
    .where(where)
    .groupBy(charges.serviceId);
  const names = new Map((await listDepartments(ctx, facilityId)).map((d) => [d.id, d.name]));
  const svc = byService.length
    ? await ctx.db
        .select({ id: services.id, code: services.code, name: services.name, group: services.serviceGroup })
        .from(services)
        .where(
          inArray(
            services.id,
            byService.map((s) => s.serviceId),
          ),
        )
    : [];
  const svcById = new Map(svc.map((s) => [s.id, s]));
  const num = (v: number | string) => Number(v);
  const department = byDept
    .map((d) => ({
      key: d.departmentId ?? 'none',
      label: d.departmentId ? (names.get(d.departmentId) ?? 'Unknown department') : 'No department',
      quantity: num(d.quantity),
      amount: num(d.amount),
      charges: num(d.charges),
    }))
    .sort((a, b) => b.amount - a.amount || a.label.localeCompare(b.label));
  const service = byService
    .map((s) => ({
      key: svcById.get(s.serviceId)?.code ?? s.serviceId,
      label: svcById.get(s.serviceId)?.name ?? 'Unknown service',
      serviceGroup: svcById.get(s.serviceId)?.group ?? 'other',
      quantity: num(s.quantity),
      amount: num(s.amount),
      charges: num(s.charges),
    }))
    .sort((a, b) => b.amount - a.amount || a.key.localeCompare(b.key));
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'RevenueReport',
    detail: { from: query.from, to: query.to },
  });
  return {
    from: query.from,
    to: query.to,
    currency: 'INR',
    total: department.reduce((a, d) => a + d.amount, 0),
    byDepartment: department,
    byService: service,
  };
}
