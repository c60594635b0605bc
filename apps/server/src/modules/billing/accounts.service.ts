import type {
  AccountDetail,
  ApplyPackageBody,
  ApplyTariffClassBody,
  BillingAccount,
  BillingAccountListItem,
  BillingAccountQuery,
  DeskAccountBody,
  PatientSummary,
} from '@newhms/contracts';
import { and, asc, desc, eq, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import type { Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { newId } from '../../platform/db/ids';
import { Conflict, NotFound, StaleVersion } from '../../platform/http/errors';
import { toPage } from '../../platform/http/pagination';
import { getPatientSummaries, readPatientSummaries } from '../patients';
import { accounts, charges, invoices, payments } from './billing.tables';
import { facilityClock, loadPackage, requireFacility } from './charge-master.service';
import {
  applyPackageCoverage,
  CHARGE_SOURCES,
  cancelRows,
  listChargesOf,
  postCharge,
  toChargeViews,
} from './charges.service';
import { createdCursor } from './insurance-records';

// Billing accounts: one per episode (an OPD visit, an admission, a desk sale), the charges gathered on it
// and their running totals, the package and tariff class that price it.

export type AccountRow = typeof accounts.$inferSelect;

export function toAccount(r: AccountRow): BillingAccount {
  return {
    id: r.id,
    facilityId: r.facilityId,
    patientId: r.patientId,
    kind: r.kind as BillingAccount['kind'],
    episodeKey: r.episodeKey,
    encounterId: r.encounterId,
    admissionId: r.admissionId,
    admissionNumber: r.admissionNumber,
    payerCategory: r.payerCategory,
    policyId: r.policyId,
    packageId: r.packageId,
    tariffClass: r.tariffClass,
    status: r.status as BillingAccount['status'],
    openedAt: r.openedAt.toISOString(),
    closedAt: r.closedAt?.toISOString() ?? null,
    version: r.version,
  };
}

export type EnsureAccountInput = {
  patientId: string;
  kind: 'opd' | 'ipd';
  /** 'opd.token:<id>', 'ipd.admission:<id>', 'encounter:<id>', 'desk:<uuid>': one account per episode. */
  episodeKey: string;
  encounterId?: string | null;
  admissionId?: string | null;
  admissionNumber?: string | null;
  payerCategory?: string;
  tariffClass?: string;
  policyId?: string | null;
};

/** The IPD payer categories as billing names them. */
export function accountPayerCategory(ipdCategory: string): string {
  return ipdCategory === 'government-scheme' ? 'government' : ipdCategory;
}

/**
 * The account of an episode, opened on first use (unique on the facility and episode key, so concurrent
 * callers get the same account). Call it inside the caller's transaction.
 */
export async function ensureAccount(tx: DbOrTx, ctx: Ctx, input: EnsureAccountInput): Promise<AccountRow> {
  const facilityId = requireFacility(ctx);
  const key = and(eq(accounts.facilityId, facilityId), eq(accounts.episodeKey, input.episodeKey));
  const [existing] = await tx.select().from(accounts).where(key);
  if (existing) return existing;
  const [created] = await tx
    .insert(accounts)
    .values({
      facilityId,
      patientId: input.patientId,
      kind: input.kind,
      episodeKey: input.episodeKey,
      encounterId: input.encounterId ?? null,
      admissionId: input.admissionId ?? null,
      admissionNumber: input.admissionNumber ?? null,
      payerCategory: input.payerCategory ?? 'cash',
      tariffClass: input.tariffClass ?? '*',
      policyId: input.policyId ?? null,
      openedAt: ctx.now,
      updatedAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning();
  if (!created) {
    const [raced] = await tx.select().from(accounts).where(key);
    return raced!;
  }
  await recordAudit(tx, ctx, {
    action: 'create',
    resourceType: 'BillingAccount',
    resourceId: created.id,
    patientId: created.patientId,
    detail: { kind: created.kind, episodeKey: created.episodeKey },
  });
  return created;
}

export async function loadAccount(db: DbOrTx, facilityId: string, id: string, lock = false) {
  const q = db
    .select()
    .from(accounts)
    .where(and(eq(accounts.id, id), eq(accounts.facilityId, facilityId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFound('The account', 'BILLING_ACCOUNT_NOT_FOUND');
  return row;
}

/** Running totals of an account's charges. */
export function accountTotals(rows: readonly (typeof charges.$inferSelect)[]): AccountDetail['totals'] {
  let charged = 0;
  let packageCovered = 0;
  let unbilled = 0;
  let activeCharges = 0;
  for (const c of rows) {
    if (c.status !== 'active') continue;
    activeCharges++;
    charged += c.amount;
    if (c.packageCovered) packageCovered += c.amount;
    else if (!c.invoiceId) unbilled += c.amount;
  }
  return {
    charged,
    packageCovered,
    billable: charged - packageCovered,
    unbilled,
    activeCharges,
    cancelledCharges: rows.length - activeCharges,
    currency: 'INR',
  };
}

/** An account with its charges (posting order) and running totals; audited as a read of the patient's bill. */
export async function getAccountDetail(ctx: Ctx, id: string): Promise<AccountDetail> {
  const facilityId = requireFacility(ctx);
  const account = await loadAccount(ctx.db, facilityId, id);
  const rows = await listChargesOf(ctx.db, account.id);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'BillingAccount',
    resourceId: account.id,
    patientId: account.patientId,
  });
  return {
    ...toAccount(account),
    charges: await toChargeViews(ctx.db, rows),
    totals: accountTotals(rows),
  };
}

/** The bills a patient pays: final OPD bills and IPD final bills (interim bills are statements). */
const PAYABLE_KINDS = ['opd', 'ipd-final'];

/**
 * Accounts with their balances, in one query: each account row joins (laterally) the sums of its charges, its
 * live final bills and the money received on it, so a page of accounts costs one round trip whatever its size.
 */
function accountsWithBalances(db: DbOrTx) {
  const c = db
    .select({
      charged:
        sql<string>`coalesce(sum(${charges.amount}) filter (where ${charges.status} = 'active'), 0)::text`.as(
          'charged',
        ),
      unbilled:
        sql<string>`coalesce(sum(${charges.amount}) filter (where ${charges.status} = 'active' and not ${charges.packageCovered} and ${charges.invoiceId} is null), 0)::text`.as(
          'unbilled',
        ),
    })
    .from(charges)
    .where(eq(charges.accountId, accounts.id))
    .as('c');
  const i = db
    .select({
      billed: sql<string>`coalesce(sum(${invoices.total}), 0)::text`.as('billed'),
      paid: sql<string>`coalesce(sum(${invoices.paid}), 0)::text`.as('paid'),
      outstanding:
        sql<string>`coalesce(sum(greatest(${invoices.patientShare}, 0) - ${invoices.paid}), 0)::text`.as(
          'outstanding',
        ),
    })
    .from(invoices)
    .where(
      and(
        eq(invoices.accountId, accounts.id),
        eq(invoices.status, 'final'),
        inArray(invoices.kind, PAYABLE_KINDS),
      ),
    )
    .as('i');
  const p = db
    .select({
      received: sql<string>`coalesce(sum(${payments.amount}), 0)::text`.as('received'),
      available:
        sql<string>`coalesce(sum(${payments.amount} - ${payments.allocated} - ${payments.refunded}), 0)::text`.as(
          'available',
        ),
    })
    .from(payments)
    .where(
      and(
        eq(payments.accountId, accounts.id),
        inArray(payments.kind, ['payment', 'deposit']),
        eq(payments.status, 'completed'),
      ),
    )
    .as('p');
  return db
    .select({
      account: accounts,
      charged: c.charged,
      unbilled: c.unbilled,
      billed: i.billed,
      paid: i.paid,
      outstanding: i.outstanding,
      received: p.received,
      available: p.available,
    })
    .from(accounts)
    .leftJoinLateral(c, sql`true`)
    .leftJoinLateral(i, sql`true`)
    .leftJoinLateral(p, sql`true`);
}

type AccountWithBalances = Awaited<ReturnType<ReturnType<typeof accountsWithBalances>['where']>>[number];

function toListItem(
  r: AccountWithBalances,
  patients: ReadonlyMap<string, PatientSummary>,
): BillingAccountListItem {
  const patient = patients.get(r.account.patientId);
  return {
    ...toAccount(r.account),
    patientName: patient?.displayName ?? '',
    mrn: patient?.mrn ?? '',
    balances: {
      charged: Number(r.charged ?? 0),
      unbilled: Number(r.unbilled ?? 0),
      billed: Number(r.billed ?? 0),
      paid: Number(r.paid ?? 0),
      received: Number(r.received ?? 0),
      available: Number(r.available ?? 0),
      outstanding: Number(r.outstanding ?? 0),
      currency: 'INR',
    },
  };
}

/** A patient's accounts in this facility, newest first (at most 200), with their balances. */
export async function listPatientAccounts(ctx: Ctx, patientId: string): Promise<BillingAccountListItem[]> {
  const facilityId = requireFacility(ctx);
  const rows = await accountsWithBalances(ctx.db)
    .where(and(eq(accounts.facilityId, facilityId), eq(accounts.patientId, patientId)))
    .orderBy(desc(accounts.openedAt), asc(accounts.id))
    .limit(200);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'BillingAccount',
    patientId,
    detail: { list: 'patient-accounts', count: rows.length },
  });
  const patients = await readPatientSummaries(
    ctx.db,
    ctx,
    rows.length > 0 ? [patientId] : [],
    'billing-patient-accounts',
  );
  return rows.map((r) => toListItem(r, patients));
}

/**
 * The facility's accounts, newest first (the billing desk's worklist with ?status=open), by kind or patient,
 * each with its patient's name and MRN and its balances; the patients shown are audited reads.
 */
export async function listAccounts(
  ctx: Ctx,
  q: z.output<typeof BillingAccountQuery>,
): Promise<{ items: BillingAccountListItem[]; nextCursor: string | null }> {
  const facilityId = requireFacility(ctx);
  const conds: SQL[] = [eq(accounts.facilityId, facilityId)];
  if (q.status) conds.push(eq(accounts.status, q.status));
  if (q.kind) conds.push(eq(accounts.kind, q.kind));
  if (q.patientId) conds.push(eq(accounts.patientId, q.patientId));
  const after = createdCursor(q.cursor);
  if (after) {
    conds.push(
      or(lt(accounts.openedAt, after.at), and(eq(accounts.openedAt, after.at), lt(accounts.id, after.id)))!,
    );
  }
  const rows = await accountsWithBalances(ctx.db)
    .where(and(...conds))
    .orderBy(desc(accounts.openedAt), desc(accounts.id))
    .limit(q.limit + 1);
  const result = toPage(rows, q.limit, (r) => [r.account.openedAt.toISOString(), r.account.id]);
  const patients = await readPatientSummaries(
    ctx.db,
    ctx,
    result.items.map((r) => r.account.patientId),
    'billing-accounts',
  );
  return { items: result.items.map((r) => toListItem(r, patients)), nextCursor: result.nextCursor };
}

/** Opens an OPD account at the desk for walk-in services (no visit behind it). */
export async function openDeskAccount(
  ctx: Ctx,
  input: z.output<typeof DeskAccountBody>,
): Promise<BillingAccount> {
  requireFacility(ctx);
  const [patient] = await getPatientSummaries(ctx.db, [input.patientId], ctx.now);
  if (!patient) throw new NotFound('The patient', 'PATIENT_NOT_FOUND');
  return ctx.db.transaction(async (tx) =>
    toAccount(
      await ensureAccount(tx, ctx, {
        patientId: input.patientId,
        kind: 'opd',
        episodeKey: `desk:${newId()}`,
        tariffClass: input.tariffClass,
      }),
    ),
  );
}

function assertOpen(account: AccountRow) {
  if (account.status !== 'open') {
    throw new Conflict('BILLING_ACCOUNT_NOT_OPEN', `The account is ${account.status}; it takes no changes`);
  }
}

/**
 * Puts an account on a package (or takes it off): the package's own service is charged once, and every charge
 * of the account is flagged covered or not by the package's inclusions, quantity limits and length of stay.
 */
export async function applyPackage(
  ctx: Ctx,
  id: string,
  input: z.output<typeof ApplyPackageBody>,
): Promise<AccountDetail> {
  const facilityId = requireFacility(ctx);
  const clock = await facilityClock(ctx.db, facilityId, ctx.now);
  await ctx.db.transaction(async (tx) => {
    const account = await loadAccount(tx, facilityId, id, true);
    if (account.version !== input.version) throw new StaleVersion('The account');
    assertOpen(account);
    const pkg = input.packageId ? await loadPackage(tx, facilityId, input.packageId) : null;
    if (pkg && !pkg.active) throw new Conflict('BILLING_PACKAGE_INACTIVE', 'The package is withdrawn');
    const [updated] = await tx
      .update(accounts)
      .set({ packageId: pkg?.id ?? null, version: account.version + 1, updatedAt: ctx.now })
      .where(eq(accounts.id, id))
      .returning();
    // The previous package's line goes; the new one's comes (one line per application of a package).
    if (account.packageId && account.packageId !== pkg?.id) {
      const lines = await tx
        .select()
        .from(charges)
        .where(
          and(
            eq(charges.accountId, id),
            eq(charges.sourceType, CHARGE_SOURCES.package),
            eq(charges.status, 'active'),
          ),
        )
        .for('update');
      await cancelRows(tx, ctx, lines, 'The package was changed on the account');
    }
    if (pkg && pkg.id !== account.packageId) {
      await postCharge(tx, ctx, {
        account: updated!,
        serviceId: pkg.serviceId,
        quantity: 1,
        serviceDate: clock.today,
        source: { type: CHARGE_SOURCES.package, id: account.id, line: `${pkg.id}@v${updated!.version}` },
        requirePrice: true,
      });
    }
    await applyPackageCoverage(tx, updated!);
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'BillingAccount',
      resourceId: id,
      patientId: account.patientId,
      detail: { packageId: pkg?.id ?? null, previousPackageId: account.packageId },
    });
  });
  return getAccountDetail(ctx, id);
}

/** Sets the tariff class that prices the account's services not tied to a bed (charges already posted keep theirs). */
export async function applyTariffClass(
  ctx: Ctx,
  id: string,
  input: z.output<typeof ApplyTariffClassBody>,
): Promise<BillingAccount> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const account = await loadAccount(tx, facilityId, id, true);
    if (account.version !== input.version) throw new StaleVersion('The account');
    assertOpen(account);
    const [updated] = await tx
      .update(accounts)
      .set({ tariffClass: input.tariffClass, version: account.version + 1, updatedAt: ctx.now })
      .where(eq(accounts.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'BillingAccount',
      resourceId: id,
      patientId: account.patientId,
      detail: { tariffClass: input.tariffClass, previous: account.tariffClass },
    });
    return toAccount(updated!);
  });
}
