import {
  BILLING_INVOICE_EVENTS,
  type Invoice,
  type InvoiceEventPayload,
  type InvoiceKind,
  type InvoiceListQuery,
  type InvoicePreview,
} from '@newhms/contracts';
import { and, asc, desc, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { concurrently } from '../../platform/db/concurrently';
import { nextCounterValue } from '../../platform/db/counters';
import type { DbOrTx, Tx } from '../../platform/db/database';
import { newId } from '../../platform/db/ids';
import { appendEvent } from '../../platform/events/outbox';
import { Conflict, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { decodeCursor, toPage } from '../../platform/http/pagination';
import { getFacility } from '../../platform/organization/organization.service';
import { localDate } from '../../platform/time/facility-time';
import { getPatientSummaries, readPatientSummaries } from '../patients';
import type { BillingEnv } from './billing.env';
import {
  accounts,
  charges,
  claims,
  discounts,
  invoiceLines,
  invoices,
  payerPlans,
  policies,
  preauths,
  taxCodes,
  taxRates,
} from './billing.tables';
import { reviewClearance } from './clearance.service';
import {
  type ChargeInput,
  computeInvoice,
  type DiscountInput,
  financialYearOf,
  type InvoiceFigures,
  invoiceNumberOf,
  MissingTaxRate,
  negateFigures,
  type TaxRow,
} from './invoice-calc';
import { roomRentLimitOf, type SplitRules } from './payer-split';
import { reverseAllocationsOf } from './payments.service';

// Bills of an account: a preview computed on demand, OPD bills, IPD interim statements and final bills, and
// credit notes that cancel a final bill (then reissued). Numbers are gapless per facility, series and
// financial year: the counter is taken in the transaction that finalizes the invoice. A final invoice and its
// lines are frozen by the database (migration 0015). Every read and write is audited.

export type InvoiceRow = typeof invoices.$inferSelect;
type LineRow = typeof invoiceLines.$inferSelect;
type AccountRow = typeof accounts.$inferSelect;
type ChargeRow = typeof charges.$inferSelect;
type IssuableKind = Exclude<InvoiceKind, 'credit-note'>;

const SERIES: Record<InvoiceKind, string> = {
  opd: 'INV',
  'ipd-final': 'INV',
  'ipd-interim': 'IB',
  'credit-note': 'CN',
};

export function requireFacility(ctx: Ctx): string {
  if (!ctx.facilityId) throw new RuleViolation('FACILITY_REQUIRED', 'Choose a facility first');
  return ctx.facilityId;
}

/** What the stored explanation of an invoice holds besides the split (shown on the PDF). */
type Explanation = {
  setting?: string;
  taxSummary?: InvoiceFigures['taxSummary'];
  groups?: InvoiceFigures['groups'];
  discountsApplied?: InvoiceFigures['discountsApplied'];
  split?: InvoiceFigures['split'];
  splitSkipped?: string | null;
  roundOff?: { patient: number; payer: number };
  credits?: { id: string; number: string | null; reason: string };
};

// ---------------------------------------------------------------------------------------------------------
// Loading what a bill is made of
// ---------------------------------------------------------------------------------------------------------

async function lockAccount(tx: Tx, facilityId: string, accountId: string): Promise<AccountRow> {
  const [row] = await tx
    .select()
    .from(accounts)
    .where(and(eq(accounts.id, accountId), eq(accounts.facilityId, facilityId)))
    .for('update');
  if (!row) throw new NotFound('The billing account', 'BILLING_ACCOUNT_NOT_FOUND');
  return row;
}

function checkKind(account: AccountRow, kind: IssuableKind) {
  const wants = kind === 'opd' ? 'opd' : 'ipd';
  if (account.kind !== wants) {
    throw new RuleViolation(
      'BILLING_INVOICE_KIND_MISMATCH',
      `An ${account.kind.toUpperCase()} account cannot be billed as ${kind}`,
      [
        {
          path: 'body.kind',
          message: `an ${account.kind} account takes ${account.kind === 'opd' ? 'opd' : 'ipd-interim or ipd-final'}`,
        },
      ],
    );
  }
  if (account.status !== 'open') {
    throw new Conflict(
      'BILLING_ACCOUNT_NOT_OPEN',
      `The account is ${account.status}: cancel its final bill with a credit note to bill it again`,
    );
  }
}

type BillInputs = {
  chargeRows: ChargeRow[];
  chargeInputs: ChargeInput[];
  discountInputs: DiscountInput[];
  taxRows: TaxRow[];
  split: SplitRules | null;
  splitSkipped: string | null;
};

async function loadBillInputs(db: DbOrTx, account: AccountRow, kind: IssuableKind): Promise<BillInputs> {
  // An interim statement shows every active charge so far; a bill takes the charges no live bill holds.
  const chargeRows = await db
    .select()
    .from(charges)
    .where(
      and(
        eq(charges.accountId, account.id),
        eq(charges.status, 'active'),
        kind === 'ipd-interim' ? undefined : isNull(charges.invoiceId),
      ),
    )
    .orderBy(asc(charges.serviceDate), asc(charges.postedAt), asc(charges.id));
  const codes = [...new Set(chargeRows.map((c) => c.taxCode))];
  const [rateRows, codeRows, discountRows] = await concurrently(db, [
    () =>
      codes.length ? db.select().from(taxRates).where(inArray(taxRates.taxCode, codes)) : Promise.resolve([]),
    () =>
      codes.length ? db.select().from(taxCodes).where(inArray(taxCodes.code, codes)) : Promise.resolve([]),
    () =>
      db
        .select()
        .from(discounts)
        .where(
          and(
            eq(discounts.accountId, account.id),
            eq(discounts.status, 'approved'),
            isNull(discounts.invoiceId),
          ),
        )
        .orderBy(asc(discounts.requestedAt), asc(discounts.id)),
  ]);
  const hsn = new Map(codeRows.map((c) => [c.code, c.hsnSac]));
  const chargeInputs: ChargeInput[] = chargeRows.map((c) => ({
    chargeId: c.id,
    serviceGroup: c.serviceGroup,
    serviceCode: c.serviceCode,
    description: c.packageCovered ? `${c.serviceName} (in package)` : c.serviceName,
    serviceDate: c.serviceDate,
    quantity: c.quantity,
    // A charge the package covers is billed at zero: the package's own line carries its price.
    unitPrice: c.packageCovered ? 0 : c.unitPrice,
    amount: c.packageCovered ? 0 : c.amount,
    taxCode: c.taxCode,
    hsnSac: hsn.get(c.taxCode) ?? null,
    intensiveCare: c.intensiveCare,
    priceIncludesTax: c.priceIncludesTax,
    tariffClass: c.tariffClass,
  }));
  const taxRows: TaxRow[] = rateRows.map((r) => ({
    taxCode: r.taxCode,
    setting: r.setting as TaxRow['setting'],
    rateBp: r.rateBp,
    minUnitPrice: r.minUnitPrice,
    inputCredit: r.inputCredit,
    validFrom: r.validFrom,
    validTo: r.validTo,
    notification: r.notification,
  }));
  const discountInputs: DiscountInput[] = discountRows.map((d) => ({
    id: d.id,
    chargeId: d.chargeId,
    kind: d.kind as DiscountInput['kind'],
    value: d.value,
  }));
  const { split, splitSkipped } = await loadSplitRules(db, account, chargeRows);
  return { chargeRows, chargeInputs, discountInputs, taxRows, split, splitSkipped };
}

/** The payer's rules for an account billed to a policy, or why none applies. */
async function loadSplitRules(
  db: DbOrTx,
  account: AccountRow,
  chargeRows: readonly ChargeRow[],
): Promise<{ split: SplitRules | null; splitSkipped: string | null }> {
  if (!account.policyId) return { split: null, splitSkipped: null };
  const [policy] = await db
    .select()
    .from(policies)
    .where(and(eq(policies.id, account.policyId), eq(policies.facilityId, account.facilityId)));
  if (!policy) return { split: null, splitSkipped: 'The policy of the account was not found' };
  if (policy.status !== 'active') return { split: null, splitSkipped: 'The policy is inactive' };
  const first = chargeRows.reduce<string | null>(
    (m, c) => (m === null || c.serviceDate < m ? c.serviceDate : m),
    null,
  );
  if (first !== null && (first < policy.validFrom || first > policy.validTo)) {
    return {
      split: null,
      splitSkipped: `The policy is valid ${policy.validFrom} to ${policy.validTo}, the stay began ${first}`,
    };
  }
  const [plan] = policy.planId
    ? await db.select().from(payerPlans).where(eq(payerPlans.id, policy.planId))
    : [];
  const auths = await db
    .select({ status: preauths.status, approvedAmount: preauths.approvedAmount })
    .from(preauths)
    .where(and(eq(preauths.accountId, account.id), ne(preauths.status, 'cancelled')));
  // With pre-authorizations on the account the payer pays only what it approved (denied or pending: nothing).
  const preauthApproved =
    auths.length === 0
      ? null
      : auths
          .filter((a) => a.status === 'approved' || a.status === 'partially-approved')
          .reduce((s, a) => s + a.approvedAmount, 0);
  return {
    split: {
      payerId: policy.payerId,
      policyId: policy.id,
      planCode: plan?.code ?? null,
      copayBp: policy.copayBp ?? plan?.copayBp ?? 0,
      roomRentLimitPerDay: roomRentLimitOf(policy, plan ?? null),
      proportionateDeduction: plan?.proportionateDeduction ?? true,
      nonPayableGroups: plan?.nonPayableGroups ?? [],
      nonPayableCodes: plan?.nonPayableCodes ?? [],
      preauthApproved,
      policyBalance: policy.sumInsured - policy.used,
    },
    splitSkipped: null,
  };
}

function compute(account: AccountRow, inputs: BillInputs): InvoiceFigures {
  try {
    return computeInvoice({
      setting: account.kind === 'ipd' ? 'inpatient' : 'outpatient',
      charges: inputs.chargeInputs,
      discounts: inputs.discountInputs,
      taxRows: inputs.taxRows,
      split: inputs.split,
    });
  } catch (err) {
    if (err instanceof MissingTaxRate) {
      throw new RuleViolation(
        'BILLING_TAX_RATE_MISSING',
        `${err.message}: add the GST row to the charge master before billing`,
      );
    }
    throw err;
  }
}

function explanationOf(account: AccountRow, f: InvoiceFigures, splitSkipped: string | null): Explanation {
  return {
    setting: account.kind === 'ipd' ? 'inpatient' : 'outpatient',
    taxSummary: f.taxSummary,
    groups: f.groups,
    discountsApplied: f.discountsApplied,
    split: f.split,
    splitSkipped,
    roundOff: { patient: f.roundOffPatient, payer: f.roundOffPayer },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------

const neg = (n: number) => (n === 0 ? 0 : -n);

function toInvoice(
  r: InvoiceRow,
  lines: readonly LineRow[],
  who: { patientName: string; mrn: string; admissionNumber: string | null },
  creditNoteId: string | null,
): Invoice {
  const e = (r.explanation ?? {}) as Explanation;
  return {
    id: r.id,
    facilityId: r.facilityId,
    accountId: r.accountId,
    patientId: r.patientId,
    ...who,
    kind: r.kind as InvoiceKind,
    status: r.status as Invoice['status'],
    series: r.series,
    financialYear: r.financialYear,
    number: r.number,
    issuedAt: r.issuedAt?.toISOString() ?? null,
    issuedByName: r.issuedByName,
    gross: r.gross,
    discount: r.discount,
    tax: r.tax,
    roundOff: r.roundOff,
    total: r.total,
    patientShare: r.patientShare,
    payerShare: r.payerShare,
    currency: 'INR',
    lines: lines.map((l) => ({
      position: l.position,
      chargeId: l.chargeId,
      serviceGroup: l.serviceGroup,
      serviceCode: l.serviceCode,
      description: l.description,
      serviceDate: l.serviceDate,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      amount: l.amount,
      discount: l.discount,
      taxCode: l.taxCode,
      hsnSac: l.hsnSac,
      taxRateBp: l.taxRateBp,
      tax: l.tax,
      total: l.total,
      payerShare: l.payerShare,
      patientShare: l.patientShare,
      splitNote: l.splitNote,
    })),
    taxSummary: e.taxSummary ?? [],
    groups: e.groups ?? [],
    split: (e.split ?? null) as Invoice['split'],
    splitSkipped: e.splitSkipped ?? null,
    discountsApplied: e.discountsApplied ?? [],
    paid: r.paid,
    balance: r.patientShare - r.paid,
    payerId: r.payerId,
    policyId: r.policyId,
    creditOfId: r.creditOfId,
    reissueOfId: r.reissueOfId,
    creditNoteId,
    cancelReason: r.cancelReason,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
  };
}

async function whoOf(db: DbOrTx, ctx: Ctx, r: { patientId: string; accountId: string }) {
  const [[patient], [account]] = await concurrently(db, [
    () => getPatientSummaries(db, [r.patientId], ctx.now),
    () =>
      db
        .select({ admissionNumber: accounts.admissionNumber })
        .from(accounts)
        .where(eq(accounts.id, r.accountId)),
  ]);
  return {
    patientName: patient?.displayName ?? '',
    mrn: patient?.mrn ?? '',
    admissionNumber: account?.admissionNumber ?? null,
  };
}

/** The stored invoice with its lines, as the API shows it (no audit: the caller audits). */
export async function loadInvoice(db: DbOrTx, ctx: Ctx, r: InvoiceRow): Promise<Invoice> {
  const [lines, credit, who] = await concurrently(db, [
    () =>
      db
        .select()
        .from(invoiceLines)
        .where(eq(invoiceLines.invoiceId, r.id))
        .orderBy(asc(invoiceLines.position)),
    () =>
      r.status === 'cancelled'
        ? db
            .select({ id: invoices.id })
            .from(invoices)
            .where(and(eq(invoices.creditOfId, r.id), eq(invoices.kind, 'credit-note')))
        : Promise.resolve([]),
    () => whoOf(db, ctx, r),
  ]);
  return toInvoice(r, lines, who, credit[0]?.id ?? null);
}

async function findInvoice(db: DbOrTx, facilityId: string, id: string): Promise<InvoiceRow> {
  const [row] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, id), eq(invoices.facilityId, facilityId)));
  if (!row) throw new NotFound('The invoice', 'BILLING_INVOICE_NOT_FOUND');
  return row;
}

/** One invoice with its lines, tax summary and split (an audited read). */
export async function getInvoice(ctx: Ctx, id: string, purpose = 'view'): Promise<Invoice> {
  const facilityId = requireFacility(ctx);
  const row = await findInvoice(ctx.db, facilityId, id);
  const invoice = await loadInvoice(ctx.db, ctx, row);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Invoice',
    resourceId: id,
    patientId: row.patientId,
    detail: { purpose, number: row.number },
  });
  return invoice;
}

/** Invoices of the facility, newest first, by account, patient, kind or status (each patient shown is audited). */
export async function listInvoices(ctx: Ctx, q: z.output<typeof InvoiceListQuery>) {
  const facilityId = requireFacility(ctx);
  const cursor = decodeCursor(q.cursor, 2);
  const conds = [eq(invoices.facilityId, facilityId)];
  if (q.accountId) conds.push(eq(invoices.accountId, q.accountId));
  if (q.patientId) conds.push(eq(invoices.patientId, q.patientId));
  if (q.kind) conds.push(eq(invoices.kind, q.kind));
  if (q.status) conds.push(eq(invoices.status, q.status));
  if (cursor) {
    const [at, id] = cursor;
    if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at)))
      throw new RuleViolation('INVALID_CURSOR', 'The cursor is not valid for this list');
    conds.push(
      or(
        lt(invoices.createdAt, new Date(at)),
        and(eq(invoices.createdAt, new Date(at)), lt(invoices.id, id)),
      )!,
    );
  }
  const rows = await ctx.db
    .select()
    .from(invoices)
    .where(and(...conds))
    .orderBy(desc(invoices.createdAt), desc(invoices.id))
    .limit(q.limit + 1);
  const pageRows = toPage(rows, q.limit, (r) => [r.createdAt.toISOString(), r.id]);
  const patients = await readPatientSummaries(
    ctx.db,
    ctx,
    pageRows.items.map((r) => r.patientId),
    'invoice-list',
  );
  const accountRows = pageRows.items.length
    ? await ctx.db
        .select({ id: accounts.id, admissionNumber: accounts.admissionNumber })
        .from(accounts)
        .where(
          inArray(
            accounts.id,
            pageRows.items.map((r) => r.accountId),
          ),
        )
    : [];
  const admissionNo = new Map(accountRows.map((a) => [a.id, a.admissionNumber]));
  const credits = pageRows.items.some((r) => r.status === 'cancelled')
    ? await ctx.db
        .select({ id: invoices.id, creditOfId: invoices.creditOfId })
        .from(invoices)
        .where(
          and(
            eq(invoices.kind, 'credit-note'),
            inArray(
              invoices.creditOfId,
              pageRows.items.map((r) => r.id),
            ),
          ),
        )
    : [];
  const creditOf = new Map(credits.map((c) => [c.creditOfId, c.id]));
  return {
    items: pageRows.items.map((r) => {
      const {
        lines: _l,
        taxSummary: _t,
        groups: _g,
        split: _s,
        discountsApplied: _d,
        ...summary
      } = toInvoice(
        r,
        [],
        {
          patientName: patients.get(r.patientId)?.displayName ?? '',
          mrn: patients.get(r.patientId)?.mrn ?? '',
          admissionNumber: admissionNo.get(r.accountId) ?? null,
        },
        creditOf.get(r.id) ?? null,
      );
      return summary;
    }),
    nextCursor: pageRows.nextCursor,
  };
}

/** What a bill of this kind would be now: computed, not stored (an audited read). */
export async function previewInvoice(
  ctx: Ctx,
  accountId: string,
  kind: IssuableKind,
): Promise<InvoicePreview> {
  const facilityId = requireFacility(ctx);
  const [account] = await ctx.db
    .select()
    .from(accounts)
    .where(and(eq(accounts.id, accountId), eq(accounts.facilityId, facilityId)));
  if (!account) throw new NotFound('The billing account', 'BILLING_ACCOUNT_NOT_FOUND');
  const wants = kind === 'opd' ? 'opd' : 'ipd';
  if (account.kind !== wants) {
    throw new RuleViolation(
      'BILLING_INVOICE_KIND_MISMATCH',
      `An ${account.kind.toUpperCase()} account cannot be billed as ${kind}`,
    );
  }
  const inputs = await loadBillInputs(ctx.db, account, kind);
  const f = compute(account, inputs);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Invoice',
    resourceId: accountId,
    patientId: account.patientId,
    detail: { purpose: 'preview', kind, lines: f.lines.length },
  });
  return {
    accountId,
    patientId: account.patientId,
    kind,
    gross: f.gross,
    discount: f.discount,
    tax: f.tax,
    roundOff: f.roundOff,
    total: f.total,
    patientShare: f.patientShare,
    payerShare: f.payerShare,
    currency: 'INR',
    lines: f.lines,
    taxSummary: f.taxSummary,
    groups: f.groups,
    split: f.split as InvoicePreview['split'],
    splitSkipped: inputs.splitSkipped,
    discountsApplied: f.discountsApplied,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------------

type NewInvoice = {
  account: AccountRow;
  kind: InvoiceKind;
  figures: Pick<
    InvoiceFigures,
    'gross' | 'discount' | 'tax' | 'roundOff' | 'total' | 'patientShare' | 'payerShare'
  >;
  lines: readonly Omit<typeof invoiceLines.$inferInsert, 'invoiceId'>[];
  explanation: Explanation;
  payerId: string | null;
  policyId: string | null;
  creditOfId?: string | null;
  reissueOfId?: string | null;
};

/** The columns of an invoice line as one JSON document per line (jsonb_to_recordset below). */
function lineRecord(l: NewInvoice['lines'][number], invoiceId: string) {
  return {
    id: newId(),
    invoice_id: invoiceId,
    charge_id: l.chargeId ?? null,
    position: l.position,
    service_group: l.serviceGroup,
    service_code: l.serviceCode,
    description: l.description,
    service_date: l.serviceDate ?? null,
    quantity: l.quantity,
    unit_price: l.unitPrice,
    amount: l.amount,
    discount: l.discount ?? 0,
    tax_code: l.taxCode,
    hsn_sac: l.hsnSac ?? null,
    tax_rate_bp: l.taxRateBp ?? 0,
    tax: l.tax ?? 0,
    total: l.total,
    payer_share: l.payerShare ?? 0,
    patient_share: l.patientShare ?? 0,
    split_note: l.splitNote ?? null,
  };
}

/**
 * Writes an invoice the way the freeze trigger wants it: inserts it as a draft, inserts all its lines in one
 * statement (one JSON parameter: a 300-line bill is one round trip and no 6,000-parameter statement), runs
 * `beforeNumber` (binding the charges), and only then takes the next number of its series and finalizes it.
 * The counter row stays locked until commit (gapless), so taking it last keeps concurrent bills from queueing
 * behind each other's line inserts.
 */
async function writeFinalInvoice(
  tx: Tx,
  ctx: Ctx,
  n: NewInvoice,
  beforeNumber?: (invoiceId: string) => Promise<void>,
): Promise<InvoiceRow> {
  const facility = await getFacility(tx, n.account.facilityId);
  const fy = financialYearOf(localDate(ctx.now, facility.timeZone));
  const series = SERIES[n.kind];
  const [draft] = await tx
    .insert(invoices)
    .values({
      facilityId: n.account.facilityId,
      accountId: n.account.id,
      patientId: n.account.patientId,
      kind: n.kind,
      status: 'draft',
      series,
      gross: n.figures.gross,
      discount: n.figures.discount,
      tax: n.figures.tax,
      roundOff: n.figures.roundOff,
      total: n.figures.total,
      patientShare: n.figures.patientShare,
      payerShare: n.figures.payerShare,
      payerId: n.payerId,
      policyId: n.policyId,
      creditOfId: n.creditOfId ?? null,
      reissueOfId: n.reissueOfId ?? null,
      explanation: n.explanation,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning({ id: invoices.id });
  if (n.lines.length > 0) {
    const records = JSON.stringify(n.lines.map((l) => lineRecord(l, draft!.id)));
    await tx.execute(sql`insert into ${invoiceLines} (id, invoice_id, charge_id, position, service_group,
        service_code, description, service_date, quantity, unit_price, amount, discount, tax_code, hsn_sac,
        tax_rate_bp, tax, total, payer_share, patient_share, split_note)
      select id, invoice_id, charge_id, position, service_group, service_code, description, service_date,
        quantity, unit_price, amount, discount, tax_code, hsn_sac, tax_rate_bp, tax, total, payer_share,
        patient_share, split_note
        from jsonb_to_recordset(${records}::jsonb) as x(id uuid, invoice_id uuid, charge_id uuid,
          position integer, service_group text, service_code text, description text, service_date date,
          quantity integer, unit_price bigint, amount bigint, discount bigint, tax_code text, hsn_sac text,
          tax_rate_bp integer, tax bigint, total bigint, payer_share bigint, patient_share bigint,
          split_note text)`);
  }
  if (beforeNumber) await beforeNumber(draft!.id);
  const value = await nextCounterValue(tx, n.account.facilityId, `billing.invoice.${series}`, fy);
  const [row] = await tx
    .update(invoices)
    .set({
      status: 'final',
      financialYear: fy,
      number: invoiceNumberOf(series, fy, value),
      issuedAt: ctx.now,
      issuedById: actorId(ctx.actor),
      issuedByName: ctx.actor.name,
      version: 2,
    })
    .where(eq(invoices.id, draft!.id))
    .returning();
  return row!;
}

function eventPayload(
  row: InvoiceRow,
  account: AccountRow,
  at: Date,
  extra: { creditNoteId?: string | null; reason?: string | null } = {},
): InvoiceEventPayload {
  return {
    invoiceId: row.id,
    number: row.number ?? '',
    kind: row.kind as InvoiceKind,
    accountId: row.accountId,
    patientId: row.patientId,
    admissionId: account.admissionId,
    total: row.total,
    patientShare: row.patientShare,
    payerShare: row.payerShare,
    creditNoteId: extra.creditNoteId ?? null,
    reason: extra.reason ?? null,
    at: at.toISOString(),
  };
}

async function issueInTx(
  tx: Tx,
  ctx: Ctx,
  env: BillingEnv,
  account: AccountRow,
  kind: IssuableKind,
  reissueOfId: string | null,
): Promise<InvoiceRow> {
  const inputs = await loadBillInputs(tx, account, kind);
  // A stay may end with nothing to charge (a charity case, everything in a package): its final bill is a
  // zero bill, which the discharge clearance needs. Other bills need something to bill.
  if (inputs.chargeRows.length === 0 && kind !== 'ipd-final') {
    throw new RuleViolation('BILLING_NOTHING_TO_BILL', 'The account has no unbilled charges');
  }
  const f = compute(account, inputs);
  const row = await writeFinalInvoice(
    tx,
    ctx,
    {
      account,
      kind,
      figures: f,
      lines: f.lines.map((l) => ({ ...l })),
      explanation: explanationOf(account, f, inputs.splitSkipped),
      payerId: f.split?.payerId ?? null,
      policyId: f.split?.policyId ?? null,
      reissueOfId,
    },
    async (invoiceId) => {
      if (kind === 'ipd-interim') return;
      // Bind the charges to this bill; a charge cancelled or billed meanwhile makes the count differ.
      const ids = inputs.chargeRows.map((c) => c.id);
      if (ids.length > 0) {
        const bound = await tx
          .update(charges)
          .set({ invoiceId, version: sql`${charges.version} + 1` })
          .where(and(inArray(charges.id, ids), eq(charges.status, 'active'), isNull(charges.invoiceId)))
          .returning({ id: charges.id });
        if (bound.length !== ids.length) {
          throw new Conflict(
            'BILLING_CHARGES_CHANGED',
            'Charges of the account changed meanwhile; try again',
          );
        }
      }
      const applied = f.discountsApplied.map((d) => d.id);
      if (applied.length > 0) {
        await tx
          .update(discounts)
          .set({ invoiceId, version: sql`${discounts.version} + 1` })
          .where(inArray(discounts.id, applied));
      }
    },
  );
  if (kind === 'ipd-final') {
    await tx
      .update(accounts)
      .set({ status: 'final-billed', version: account.version + 1, updatedAt: ctx.now })
      .where(eq(accounts.id, account.id));
  }
  await recordAudit(tx, ctx, {
    action: 'create',
    resourceType: 'Invoice',
    resourceId: row.id,
    patientId: row.patientId,
    detail: {
      number: row.number,
      kind,
      total: row.total,
      patientShare: row.patientShare,
      payerShare: row.payerShare,
      lines: f.lines.length,
      reissueOf: reissueOfId,
    },
  });
  await appendEvent(tx, env.events, {
    type: BILLING_INVOICE_EVENTS.issued,
    facilityId: row.facilityId,
    aggregateId: row.id,
    actorId: actorId(ctx.actor),
    payload: eventPayload(row, account, ctx.now),
  });
  // The discharge checklist's billing item may now be released (a fully paid or guaranteed final bill).
  if (kind === 'ipd-final') await reviewClearance(tx, ctx, env, account.id);
  return row;
}

/**
 * Issues a bill for an account: an OPD bill or an IPD final bill (binds the unbilled charges, applies the
 * approved discounts; a final bill closes the account to new bills), or an IPD interim statement (numbered in
 * its own series, binds nothing).
 */
export async function issueInvoice(
  ctx: Ctx,
  env: BillingEnv,
  accountId: string,
  input: { kind: IssuableKind; version?: number | undefined },
): Promise<Invoice> {
  const facilityId = requireFacility(ctx);
  const row = await ctx.db.transaction(async (tx) => {
    const account = await lockAccount(tx, facilityId, accountId);
    if (input.version !== undefined && input.version !== account.version)
      throw new StaleVersion('The billing account');
    checkKind(account, input.kind);
    return issueInTx(tx, ctx, env, account, input.kind, null);
  });
  return loadInvoice(ctx.db, ctx, row);
}

/**
 * Cancels a final bill with a credit note (series CN) that negates it: the charges are free to bill again,
 * the discounts it applied wait for the next bill, and the patient's payments allocated to it are reversed
 * into the patient's unallocated balance. An IPD account is open for a new final bill again.
 */
export async function creditInvoice(
  ctx: Ctx,
  env: BillingEnv,
  invoiceId: string,
  input: { reason: string; version?: number | undefined },
): Promise<{ cancelled: Invoice; creditNote: Invoice }> {
  const facilityId = requireFacility(ctx);
  const [cancelled, credit] = await ctx.db.transaction(async (tx) => {
    // First the patient's money on it goes back to the patient's unallocated balance, taking the locks in the
    // order an allocation takes them (payments, then the invoice), so a credit note and a payment never
    // deadlock. A refusal below rolls it back.
    const reversal = await reverseAllocationsOf(tx, ctx, invoiceId, `credit note: ${input.reason}`);
    const [original] = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.id, invoiceId), eq(invoices.facilityId, facilityId)))
      .for('update');
    if (!original) throw new NotFound('The invoice', 'BILLING_INVOICE_NOT_FOUND');
    if (input.version !== undefined && input.version !== original.version)
      throw new StaleVersion('The invoice');
    if (original.kind !== 'opd' && original.kind !== 'ipd-final') {
      throw new RuleViolation(
        'BILLING_INVOICE_NOT_CREDITABLE',
        `A ${original.kind} cannot be cancelled with a credit note`,
      );
    }
    if (original.status !== 'final') {
      throw new Conflict('BILLING_INVOICE_NOT_FINAL', `The invoice is ${original.status}`);
    }
    const account = await lockAccount(tx, facilityId, original.accountId);
    const [claim] = await tx
      .select({ number: claims.number })
      .from(claims)
      .where(and(eq(claims.invoiceId, original.id), ne(claims.status, 'cancelled')))
      .limit(1);
    if (claim) {
      throw new Conflict(
        'BILLING_INVOICE_HAS_CLAIM',
        `Claim ${claim.number} was made from this bill: cancel the claim first`,
      );
    }

    const [cancelledRow] = await tx
      .update(invoices)
      .set({
        status: 'cancelled',
        cancelReason: input.reason,
        paid: 0,
        version: original.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(invoices.id, original.id))
      .returning();

    const lines = await tx
      .select()
      .from(invoiceLines)
      .where(eq(invoiceLines.invoiceId, original.id))
      .orderBy(asc(invoiceLines.position));
    const negated = negateFigures(original, lines);
    const e = (original.explanation ?? {}) as Explanation;
    const creditRow = await writeFinalInvoice(tx, ctx, {
      account,
      kind: 'credit-note',
      figures: negated.invoice,
      lines: negated.lines.map(({ id: _id, invoiceId: _inv, ...l }) => l),
      explanation: {
        ...e,
        taxSummary: (e.taxSummary ?? []).map((t) => ({ ...t, taxable: neg(t.taxable), tax: neg(t.tax) })),
        groups: (e.groups ?? []).map((g) => ({
          ...g,
          amount: neg(g.amount),
          discount: neg(g.discount),
          tax: neg(g.tax),
          total: neg(g.total),
        })),
        discountsApplied: (e.discountsApplied ?? []).map((d) => ({ ...d, amount: neg(d.amount) })),
        credits: { id: original.id, number: original.number, reason: input.reason },
      },
      payerId: original.payerId,
      policyId: original.policyId,
      creditOfId: original.id,
    });

    await tx
      .update(charges)
      .set({ invoiceId: null, version: sql`${charges.version} + 1` })
      .where(eq(charges.invoiceId, original.id));
    await tx
      .update(discounts)
      .set({ invoiceId: null, version: sql`${discounts.version} + 1` })
      .where(eq(discounts.invoiceId, original.id));
    if (original.kind === 'ipd-final' && account.status === 'final-billed') {
      await tx
        .update(accounts)
        .set({ status: 'open', version: account.version + 1, updatedAt: ctx.now })
        .where(eq(accounts.id, account.id));
    }
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Invoice',
      resourceId: original.id,
      patientId: original.patientId,
      detail: {
        change: 'cancelled',
        reason: input.reason,
        creditNote: creditRow.number,
        amountReversed: reversal.reversed,
      },
    });
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'Invoice',
      resourceId: creditRow.id,
      patientId: creditRow.patientId,
      detail: { number: creditRow.number, kind: 'credit-note', credits: original.number },
    });
    await appendEvent(tx, env.events, {
      type: BILLING_INVOICE_EVENTS.cancelled,
      facilityId: original.facilityId,
      aggregateId: original.id,
      actorId: actorId(ctx.actor),
      payload: eventPayload(cancelledRow!, account, ctx.now, {
        creditNoteId: creditRow.id,
        reason: input.reason,
      }),
    });
    // A credited final bill is no longer settled: the discharge checklist's billing item may be held again.
    if (original.kind === 'ipd-final') await reviewClearance(tx, ctx, env, account.id);
    return [cancelledRow!, creditRow] as const;
  });
  const [a, b] = await Promise.all([loadInvoice(ctx.db, ctx, cancelled), loadInvoice(ctx.db, ctx, credit)]);
  return { cancelled: a, creditNote: b };
}

/** Issues the replacement of a cancelled bill (same kind, `reissueOfId` pointing back), once. */
export async function reissueInvoice(ctx: Ctx, env: BillingEnv, invoiceId: string): Promise<Invoice> {
  const facilityId = requireFacility(ctx);
  const row = await ctx.db.transaction(async (tx) => {
    const [original] = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.id, invoiceId), eq(invoices.facilityId, facilityId)))
      .for('update');
    if (!original) throw new NotFound('The invoice', 'BILLING_INVOICE_NOT_FOUND');
    if (original.kind !== 'opd' && original.kind !== 'ipd-final') {
      throw new RuleViolation('BILLING_INVOICE_NOT_REISSUABLE', `A ${original.kind} is not reissued`);
    }
    if (original.status !== 'cancelled') {
      throw new Conflict(
        'BILLING_INVOICE_NOT_CANCELLED',
        'Only a bill cancelled by a credit note can be reissued',
      );
    }
    const [already] = await tx
      .select({ number: invoices.number })
      .from(invoices)
      .where(and(eq(invoices.reissueOfId, original.id), ne(invoices.status, 'draft')))
      .limit(1);
    if (already) {
      throw new Conflict(
        'BILLING_INVOICE_ALREADY_REISSUED',
        `The bill was already reissued as ${already.number}`,
      );
    }
    const account = await lockAccount(tx, facilityId, original.accountId);
    checkKind(account, original.kind as IssuableKind);
    return issueInTx(tx, ctx, env, account, original.kind as IssuableKind, original.id);
  });
  return loadInvoice(ctx.db, ctx, row);
}
