import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgSchema,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../platform/db/columns';
import { facilityIdColumn } from '../../platform/organization/references';

// Billing owns money: the charge master and taxes, charges, invoices (and credit notes), payments,
// deposits, allocations, refunds, the cashier's day, and insurance (payers, policies, pre-authorizations,
// claims). Money is integer paise (`bigint`, mode number: exact up to 9e15). Nothing here is ever deleted:
// rows change status, and a final invoice is cancelled by a credit note (migration 0014 adds the triggers).

export const billingSchema = pgSchema('billing');

const facilityId = () => uuid('facility_id').notNull().references(facilityIdColumn);
const money = (name: string) => bigint(name, { mode: 'number' });

// ---------------------------------------------------------------------------------------------------------
// Taxes: dated rows (DOMAIN.md, Indian GST). A service names a tax code; the rate that applies to a charge is
// the row of that code valid on the charge's service date, for the setting (out-patient or in-patient), and,
// for thresholds like room rent above INR 5,000/day, whose `min_unit_price` the unit price exceeds.
// ---------------------------------------------------------------------------------------------------------

export const taxCodes = billingSchema.table('tax_codes', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** HSN (goods) or SAC (services) code printed on the invoice. */
  hsnSac: text('hsn_sac'),
  description: text('description'),
});

export const taxRates = billingSchema.table(
  'tax_rates',
  {
    id: idColumn(),
    taxCode: text('tax_code')
      .notNull()
      .references(() => taxCodes.code),
    /** 'any', 'outpatient' or 'inpatient' (in-patient treatment is one exempt composite supply). */
    setting: text('setting').notNull().default('any'),
    /** Rate in basis points: 500 = 5%. */
    rateBp: integer('rate_bp').notNull(),
    /** The row applies only when the unit price is above this (paise), e.g. room rent above 500000. */
    minUnitPrice: money('min_unit_price'),
    inputCredit: boolean('input_credit').notNull().default(false),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    notification: text('notification'),
  },
  (t) => [
    index('tax_rates_code_idx').on(t.taxCode, t.validFrom),
    check('tax_rates_rate_ck', sql`${t.rateBp} >= 0 and ${t.rateBp} <= 10000`),
    check('tax_rates_setting_ck', sql`${t.setting} in ('any', 'outpatient', 'inpatient')`),
    check('tax_rates_dates_ck', sql`${t.validTo} is null or ${t.validTo} > ${t.validFrom}`),
  ],
);

// ---------------------------------------------------------------------------------------------------------
// Charge master
// ---------------------------------------------------------------------------------------------------------

/** A billable service of a facility: what a charge line names. */
export const services = billingSchema.table(
  'services',
  {
    id: idColumn(),
    facilityId: facilityId(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    departmentId: uuid('department_id'),
    /** consultation, room, nursing, investigation, imaging, procedure, pharmacy, consumable, package, other. */
    serviceGroup: text('service_group').notNull(),
    taxCode: text('tax_code')
      .notNull()
      .references(() => taxCodes.code),
    /** OPD: 'before' (pay before the service is given) or 'after'. */
    payWhen: text('pay_when').notNull().default('after'),
    /** Room rent of an intensive-care bed (GST: ICU rooms are exempt whatever the rate). */
    intensiveCare: boolean('intensive_care').notNull().default(false),
    /**
     * The price already includes GST (goods sold at MRP, which the law does not let a bill exceed): the
     * invoice takes the tax out of the price instead of adding it.
     */
    priceIncludesTax: boolean('price_includes_tax').notNull().default(false),
    active: boolean('active').notNull().default(true),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('services_code_uq').on(t.facilityId, t.code),
    index('services_group_idx').on(t.facilityId, t.serviceGroup),
    check('services_pay_when_ck', sql`${t.payWhen} in ('before', 'after')`),
  ],
);

/**
 * Effective-dated prices: per tariff class ('*' = any; otherwise a bed category's tariff class) and payer (null
 * = the hospital's own rate). Periods of one (service, tariff class, payer) never overlap (0014). A charge
 * copies its price when posted, so a later price never alters it.
 */
export const servicePrices = billingSchema.table(
  'service_prices',
  {
    id: idColumn(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id),
    tariffClass: text('tariff_class').notNull().default('*'),
    payerId: uuid('payer_id'),
    price: money('price').notNull(),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    createdById: uuid('created_by_id'),
    ...timestamps(),
  },
  (t) => [
    index('service_prices_service_idx').on(t.serviceId, t.tariffClass, t.validFrom),
    check('service_prices_price_ck', sql`${t.price} >= 0`),
    check('service_prices_dates_ck', sql`${t.validTo} is null or ${t.validTo} > ${t.validFrom}`),
  ],
);

/**
 * A package (e.g. a surgical package): priced by its own service in the charge master; what it includes and
 * excludes; a length-of-stay limit, beyond which bed days are charged at the normal tariff ('per-day') or not.
 */
export const packages = billingSchema.table(
  'packages',
  {
    id: idColumn(),
    facilityId: facilityId(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id),
    losLimitDays: integer('los_limit_days'),
    /** 'charge-per-day' (bed days beyond the limit are charged) or 'absorb'. */
    beyondLos: text('beyond_los').notNull().default('charge-per-day'),
    active: boolean('active').notNull().default(true),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [uniqueIndex('packages_service_uq').on(t.serviceId)],
);

/** What a package covers ('include') or leaves to be charged ('exclude'): a service or a whole service group. */
export const packageItems = billingSchema.table(
  'package_items',
  {
    id: idColumn(),
    packageId: uuid('package_id')
      .notNull()
      .references(() => packages.id),
    kind: text('kind').notNull(),
    serviceId: uuid('service_id').references(() => services.id),
    serviceGroup: text('service_group'),
    /** Included up to this quantity; beyond it the charge is billed. Null: unlimited. */
    quantityLimit: integer('quantity_limit'),
  },
  (t) => [
    index('package_items_package_idx').on(t.packageId),
    check('package_items_kind_ck', sql`${t.kind} in ('include', 'exclude')`),
    check('package_items_target_ck', sql`(${t.serviceId} is null) <> (${t.serviceGroup} is null)`),
  ],
);

// ---------------------------------------------------------------------------------------------------------
// Accounts and charges
// ---------------------------------------------------------------------------------------------------------

/**
 * A billing account: one episode that charges gather on. IPD: one per admission. OPD: one per visit (the
 * queue token or an encounter), or one opened by the desk for walk-in services.
 */
export const accounts = billingSchema.table(
  'accounts',
  {
    id: idColumn(),
    facilityId: facilityId(),
    patientId: uuid('patient_id').notNull(),
    kind: text('kind').notNull(),
    /** 'opd.token:<id>', 'ipd.admission:<id>', 'desk:<uuid>': one account per episode. */
    episodeKey: text('episode_key').notNull(),
    encounterId: uuid('encounter_id'),
    admissionId: uuid('admission_id'),
    admissionNumber: text('admission_number'),
    /** cash, insurance, corporate, government (IPD's payer category). */
    payerCategory: text('payer_category').notNull().default('cash'),
    /** The policy this episode is billed to, when a payer shares it. */
    policyId: uuid('policy_id'),
    packageId: uuid('package_id'),
    /** The tariff class that prices services not tied to a bed (the current bed's, for in-patients). */
    tariffClass: text('tariff_class').notNull().default('*'),
    status: text('status').notNull().default('open'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('accounts_episode_uq').on(t.facilityId, t.episodeKey),
    index('accounts_patient_idx').on(t.patientId, t.openedAt),
    // The facility's open accounts, newest first (the billing desk's worklist).
    index('accounts_status_idx').on(t.facilityId, t.status, t.openedAt),
    index('accounts_admission_idx').on(t.admissionId),
    check('accounts_kind_ck', sql`${t.kind} in ('opd', 'ipd')`),
    check('accounts_status_ck', sql`${t.status} in ('open', 'final-billed', 'settled', 'closed')`),
  ],
);

/**
 * One charge: a service given to a patient, priced when posted. Automatic charges carry their source
 * (`source_type`, `source_id`, `source_line`) and are unique on it: one event, one charge, whatever the
 * retries. Cancelled with a reason, never deleted. Billed by at most one live final invoice.
 */
export const charges = billingSchema.table(
  'charges',
  {
    id: idColumn(),
    facilityId: facilityId(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    patientId: uuid('patient_id').notNull(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id),
    serviceCode: text('service_code').notNull(),
    serviceName: text('service_name').notNull(),
    serviceGroup: text('service_group').notNull(),
    departmentId: uuid('department_id'),
    taxCode: text('tax_code').notNull(),
    tariffClass: text('tariff_class').notNull().default('*'),
    intensiveCare: boolean('intensive_care').notNull().default(false),
    /** Copied from the service when posted: the unit price includes GST (MRP). */
    priceIncludesTax: boolean('price_includes_tax').notNull().default(false),
    quantity: integer('quantity').notNull(),
    unitPrice: money('unit_price').notNull(),
    /** quantity x unit price. */
    amount: money('amount').notNull(),
    serviceDate: date('service_date').notNull(),
    /** Who ordered or gave the service (a practitioner id), for revenue by doctor. */
    performerId: uuid('performer_id'),
    sourceType: text('source_type').notNull(),
    sourceId: text('source_id').notNull(),
    sourceLine: text('source_line').notNull().default(''),
    sourceEventId: uuid('source_event_id'),
    /** Covered by the account's package (billed at zero on the package's line). */
    packageCovered: boolean('package_covered').notNull().default(false),
    note: text('note'),
    status: text('status').notNull().default('active'),
    postedById: uuid('posted_by_id'),
    postedByName: text('posted_by_name').notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull().defaultNow(),
    cancelledById: uuid('cancelled_by_id'),
    cancelledByName: text('cancelled_by_name'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelReason: text('cancel_reason'),
    /** The live final invoice (OPD bill or IPD final bill) that bills it; cleared when that is credited. */
    invoiceId: uuid('invoice_id'),
    version: versionColumn(),
  },
  (t) => [
    uniqueIndex('charges_source_uq').on(t.facilityId, t.sourceType, t.sourceId, t.sourceLine),
    index('charges_account_idx').on(t.accountId, t.serviceDate),
    index('charges_invoice_idx').on(t.invoiceId),
    index('charges_posted_idx').on(t.facilityId, t.postedAt),
    check('charges_quantity_ck', sql`${t.quantity} > 0`),
    check('charges_price_ck', sql`${t.unitPrice} >= 0 and ${t.amount} = ${t.quantity} * ${t.unitPrice}`),
    check('charges_status_ck', sql`${t.status} in ('active', 'cancelled')`),
    check(
      'charges_cancel_reason_ck',
      sql`${t.status} <> 'cancelled' or (${t.cancelReason} is not null and ${t.cancelledAt} is not null)`,
    ),
  ],
);

// ---------------------------------------------------------------------------------------------------------
// Invoices, discounts, credit notes
// ---------------------------------------------------------------------------------------------------------

/**
 * An invoice: an OPD bill, an IPD interim bill (a statement, numbered in its own series) or final bill, or a
 * credit note that cancels a final invoice. Drafts have no number; finalizing takes the next number of the
 * (facility, series, financial year) counter in the same transaction: gapless. A final invoice never changes
 * again except its status (final -> cancelled, by a credit note) and its paid amount.
 */
export const invoices = billingSchema.table(
  'invoices',
  {
    id: idColumn(),
    facilityId: facilityId(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    patientId: uuid('patient_id').notNull(),
    /** opd, ipd-interim, ipd-final, credit-note. */
    kind: text('kind').notNull(),
    status: text('status').notNull().default('draft'),
    /** INV (bills), IB (interim statements), CN (credit notes). */
    series: text('series').notNull(),
    financialYear: text('financial_year'),
    number: text('number'),
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    issuedById: uuid('issued_by_id'),
    issuedByName: text('issued_by_name'),
    /** Sum of line amounts before discounts. */
    gross: money('gross').notNull().default(0),
    discount: money('discount').notNull().default(0),
    tax: money('tax').notNull().default(0),
    /** Rounding to the rupee (paise, may be negative). */
    roundOff: money('round_off').notNull().default(0),
    /** gross - discount + tax + round off. */
    total: money('total').notNull().default(0),
    patientShare: money('patient_share').notNull().default(0),
    payerShare: money('payer_share').notNull().default(0),
    payerId: uuid('payer_id'),
    policyId: uuid('policy_id'),
    /** What the patient has paid against it (allocations); the payer's part settles through the claim. */
    paid: money('paid').notNull().default(0),
    /** A credit note: the invoice it cancels. A reissue: the invoice it replaces. */
    creditOfId: uuid('credit_of_id'),
    reissueOfId: uuid('reissue_of_id'),
    cancelReason: text('cancel_reason'),
    /** The split and tax explanation (rules applied, room-rent ratio, tax summary), as shown on the PDF. */
    explanation: jsonb('explanation'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('invoices_number_uq').on(t.facilityId, t.series, t.number),
    index('invoices_account_idx').on(t.accountId),
    index('invoices_patient_idx').on(t.patientId, t.createdAt),
    index('invoices_issued_idx').on(t.facilityId, t.issuedAt),
    check('invoices_kind_ck', sql`${t.kind} in ('opd', 'ipd-interim', 'ipd-final', 'credit-note')`),
    check('invoices_status_ck', sql`${t.status} in ('draft', 'final', 'cancelled')`),
    check('invoices_number_ck', sql`${t.status} = 'draft' or ${t.number} is not null`),
    check(
      'invoices_total_ck',
      sql`${t.total} = ${t.gross} - ${t.discount} + ${t.tax} + ${t.roundOff} and ${t.patientShare} + ${t.payerShare} = ${t.total}`,
    ),
    check('invoices_paid_ck', sql`${t.paid} >= 0 and ${t.paid} <= greatest(${t.patientShare}, 0)`),
  ],
);

/** One line of an invoice: a charge (or a package line), its discount, tax and the split between payers. */
export const invoiceLines = billingSchema.table(
  'invoice_lines',
  {
    id: idColumn(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    chargeId: uuid('charge_id').references(() => charges.id),
    position: integer('position').notNull(),
    serviceGroup: text('service_group').notNull(),
    serviceCode: text('service_code').notNull(),
    description: text('description').notNull(),
    serviceDate: date('service_date'),
    quantity: integer('quantity').notNull(),
    unitPrice: money('unit_price').notNull(),
    amount: money('amount').notNull(),
    discount: money('discount').notNull().default(0),
    taxCode: text('tax_code').notNull(),
    hsnSac: text('hsn_sac'),
    taxRateBp: integer('tax_rate_bp').notNull().default(0),
    tax: money('tax').notNull().default(0),
    total: money('total').notNull(),
    /** The payer's part of the line; the rest is the patient's. */
    payerShare: money('payer_share').notNull().default(0),
    patientShare: money('patient_share').notNull().default(0),
    /** Why the payer does not pay all of it: 'non-payable', 'room-rent-proportionate', 'co-pay', ... */
    splitNote: text('split_note'),
  },
  (t) => [
    index('invoice_lines_invoice_idx').on(t.invoiceId, t.position),
    index('invoice_lines_charge_idx').on(t.chargeId),
    check('invoice_lines_total_ck', sql`${t.total} = ${t.amount} - ${t.discount} + ${t.tax}`),
    check('invoice_lines_split_ck', sql`${t.payerShare} + ${t.patientShare} = ${t.total}`),
  ],
);

/**
 * A discount on an account (a charge or the whole bill), by reason. Within the requester's role limit it is
 * approved at once; above it it waits for an approver ('billing:approve'). Applied by the next invoice.
 */
export const discounts = billingSchema.table(
  'discounts',
  {
    id: idColumn(),
    facilityId: facilityId(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    chargeId: uuid('charge_id').references(() => charges.id),
    /** The enumerated reason. Rows from before 0016 carry the note too, as 'reason: note'. */
    reason: text('reason').notNull(),
    /** The requester's note (0016; older rows have it in `reason`). */
    note: text('note'),
    /** percent (basis points) or amount (paise). */
    kind: text('kind').notNull(),
    value: bigint('value', { mode: 'number' }).notNull(),
    status: text('status').notNull().default('pending'),
    requestedById: uuid('requested_by_id'),
    requestedByName: text('requested_by_name').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    decidedById: uuid('decided_by_id'),
    decidedByName: text('decided_by_name'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
    /** The invoice that applied it. */
    invoiceId: uuid('invoice_id'),
    version: versionColumn(),
  },
  (t) => [
    index('discounts_account_idx').on(t.accountId),
    // The approvers' queue: a facility's pending discounts, oldest first.
    index('discounts_status_idx').on(t.facilityId, t.status, t.requestedAt),
    check('discounts_kind_ck', sql`${t.kind} in ('percent', 'amount')`),
    check('discounts_value_ck', sql`${t.value} > 0 and (${t.kind} <> 'percent' or ${t.value} <= 10000)`),
    check('discounts_status_ck', sql`${t.status} in ('pending', 'approved', 'rejected', 'withdrawn')`),
  ],
);

/**
 * How much discount a role may give on its own, per facility: a percent of the bill (basis points) and an
 * amount (paise). A discount within the requester's best limit is approved at once; above it, it waits for
 * someone with 'billing:approve'.
 */
export const discountLimits = billingSchema.table(
  'discount_limits',
  {
    id: idColumn(),
    facilityId: facilityId(),
    role: text('role').notNull(),
    maxBp: integer('max_bp').notNull().default(0),
    maxAmount: money('max_amount').notNull().default(0),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('discount_limits_role_uq').on(t.facilityId, t.role),
    check('discount_limits_ck', sql`${t.maxBp} >= 0 and ${t.maxBp} <= 10000 and ${t.maxAmount} >= 0`),
  ],
);

// ---------------------------------------------------------------------------------------------------------
// Payments, deposits, allocations, refunds, the cashier's day
// ---------------------------------------------------------------------------------------------------------

/** A cash counter (a desk with a till). */
export const cashCounters = billingSchema.table(
  'cash_counters',
  {
    id: idColumn(),
    facilityId: facilityId(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    active: boolean('active').notNull().default(true),
    ...timestamps(),
  },
  (t) => [uniqueIndex('cash_counters_code_uq').on(t.facilityId, t.code)],
);

/**
 * A cashier's shift at a counter: opened with a float, closed with the cash counted. Every payment and refund
 * belongs to one. Expected cash = float + cash received - cash refunded; the difference is recorded.
 */
export const cashierSessions = billingSchema.table(
  'cashier_sessions',
  {
    id: idColumn(),
    facilityId: facilityId(),
    counterId: uuid('counter_id')
      .notNull()
      .references(() => cashCounters.id),
    cashierId: uuid('cashier_id').notNull(),
    cashierName: text('cashier_name').notNull(),
    businessDate: date('business_date').notNull(),
    openingFloat: money('opening_float').notNull().default(0),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    status: text('status').notNull().default('open'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    expectedCash: money('expected_cash'),
    countedCash: money('counted_cash'),
    /** counted - expected (short is negative). */
    difference: money('difference'),
    /** Totals by mode at closing: { cash: 0, card: 0, upi: 0, ... }. */
    totals: jsonb('totals'),
    closingNote: text('closing_note'),
    version: versionColumn(),
  },
  (t) => [
    // One open shift per cashier, and one per counter.
    uniqueIndex('cashier_sessions_open_cashier_uq').on(t.cashierId).where(sql`${t.status} = 'open'`),
    uniqueIndex('cashier_sessions_open_counter_uq').on(t.counterId).where(sql`${t.status} = 'open'`),
    index('cashier_sessions_date_idx').on(t.facilityId, t.businessDate),
    check('cashier_sessions_status_ck', sql`${t.status} in ('open', 'closed')`),
  ],
);

/**
 * Money received: a payment against bills, or a deposit/advance (on admission) that later bills draw on.
 * `allocated` and `refunded` are kept on the row under a row lock, and the database refuses more than was
 * received: allocated + refunded <= amount.
 */
export const payments = billingSchema.table(
  'payments',
  {
    id: idColumn(),
    facilityId: facilityId(),
    patientId: uuid('patient_id').notNull(),
    accountId: uuid('account_id').references(() => accounts.id),
    /** payment, deposit; 'payer-settlement' for money from an insurer or TPA against a claim. */
    kind: text('kind').notNull(),
    mode: text('mode').notNull(),
    amount: money('amount').notNull(),
    allocated: money('allocated').notNull().default(0),
    refunded: money('refunded').notNull().default(0),
    /** Card approval code, UPI transaction id, cheque number, bank reference. */
    reference: text('reference'),
    receiptNumber: text('receipt_number').notNull(),
    sessionId: uuid('session_id').references(() => cashierSessions.id),
    receivedById: uuid('received_by_id'),
    receivedByName: text('received_by_name').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    payerId: uuid('payer_id'),
    claimId: uuid('claim_id'),
    note: text('note'),
    status: text('status').notNull().default('completed'),
    version: versionColumn(),
  },
  (t) => [
    uniqueIndex('payments_receipt_uq').on(t.facilityId, t.receiptNumber),
    index('payments_patient_idx').on(t.patientId, t.receivedAt),
    index('payments_account_idx').on(t.accountId),
    index('payments_session_idx').on(t.sessionId),
    index('payments_received_idx').on(t.facilityId, t.receivedAt),
    check('payments_kind_ck', sql`${t.kind} in ('payment', 'deposit', 'payer-settlement')`),
    check('payments_mode_ck', sql`${t.mode} in ('cash', 'card', 'upi', 'bank-transfer', 'cheque')`),
    check('payments_amount_ck', sql`${t.amount} > 0`),
    check(
      'payments_balance_ck',
      sql`${t.allocated} >= 0 and ${t.refunded} >= 0 and ${t.allocated} + ${t.refunded} <= ${t.amount}`,
    ),
    check('payments_reference_ck', sql`${t.mode} = 'cash' or ${t.reference} is not null`),
    check('payments_status_ck', sql`${t.status} in ('completed', 'bounced')`),
  ],
);

/** Part of a payment applied to an invoice's patient share. Reversed (not deleted) when the invoice is credited. */
export const allocations = billingSchema.table(
  'allocations',
  {
    id: idColumn(),
    facilityId: facilityId(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    amount: money('amount').notNull(),
    allocatedById: uuid('allocated_by_id'),
    allocatedByName: text('allocated_by_name').notNull(),
    allocatedAt: timestamp('allocated_at', { withTimezone: true }).notNull().defaultNow(),
    reversedAt: timestamp('reversed_at', { withTimezone: true }),
    reversedReason: text('reversed_reason'),
  },
  (t) => [
    index('allocations_payment_idx').on(t.paymentId),
    index('allocations_invoice_idx').on(t.invoiceId),
    check('allocations_amount_ck', sql`${t.amount} > 0`),
  ],
);

/**
 * Money given back from a payment or deposit: requested, approved by someone with 'billing:approve' (not the
 * requester), then paid out (in a cashier session when cash). Never more than the payment's unallocated rest.
 */
export const refunds = billingSchema.table(
  'refunds',
  {
    id: idColumn(),
    facilityId: facilityId(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    patientId: uuid('patient_id').notNull(),
    amount: money('amount').notNull(),
    reason: text('reason').notNull(),
    mode: text('mode').notNull(),
    reference: text('reference'),
    status: text('status').notNull().default('requested'),
    refundNumber: text('refund_number'),
    requestedById: uuid('requested_by_id'),
    requestedByName: text('requested_by_name').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    decidedById: uuid('decided_by_id'),
    decidedByName: text('decided_by_name'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
    paidById: uuid('paid_by_id'),
    paidByName: text('paid_by_name'),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    sessionId: uuid('session_id').references(() => cashierSessions.id),
    version: versionColumn(),
  },
  (t) => [
    uniqueIndex('refunds_number_uq').on(t.facilityId, t.refundNumber),
    index('refunds_payment_idx').on(t.paymentId),
    index('refunds_status_idx').on(t.facilityId, t.status),
    check('refunds_amount_ck', sql`${t.amount} > 0`),
    check('refunds_status_ck', sql`${t.status} in ('requested', 'approved', 'rejected', 'paid')`),
    check('refunds_mode_ck', sql`${t.mode} in ('cash', 'card', 'upi', 'bank-transfer', 'cheque')`),
  ],
);

// ---------------------------------------------------------------------------------------------------------
// Insurance and TPA
// ---------------------------------------------------------------------------------------------------------

/** Who pays besides the patient: an insurer, a TPA (administers claims for insurers), a corporate, a scheme. */
export const payers = billingSchema.table(
  'payers',
  {
    id: idColumn(),
    facilityId: facilityId(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    /** IRDAI registration, scheme code... shown on claims. */
    registrationNumber: text('registration_number'),
    /** Days the payer takes to settle (aging buckets, follow-up). */
    creditDays: integer('credit_days').notNull().default(30),
    contactEmail: text('contact_email'),
    contactPhone: text('contact_phone'),
    active: boolean('active').notNull().default(true),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('payers_code_uq').on(t.facilityId, t.code),
    check('payers_kind_ck', sql`${t.kind} in ('insurer', 'tpa', 'corporate', 'government')`),
  ],
);

/**
 * A plan of a payer: the policy rules the split applies. Co-pay (basis points of the payable), room-rent limit
 * per day (paise) with proportionate deduction of room-linked charges, service groups and codes the payer never
 * pays (non-payable items).
 */
export const payerPlans = billingSchema.table(
  'payer_plans',
  {
    id: idColumn(),
    payerId: uuid('payer_id')
      .notNull()
      .references(() => payers.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    copayBp: integer('copay_bp').notNull().default(0),
    roomRentLimit: money('room_rent_limit'),
    /** Room rent limit as basis points of the sum insured per day (e.g. 100 = 1%), when set. */
    roomRentLimitBp: integer('room_rent_limit_bp'),
    /** Apply the proportionate deduction to room-linked groups when the room exceeds the limit. */
    proportionateDeduction: boolean('proportionate_deduction').notNull().default(true),
    nonPayableGroups: text('non_payable_groups').array().notNull().default(sql`'{}'::text[]`),
    nonPayableCodes: text('non_payable_codes').array().notNull().default(sql`'{}'::text[]`),
    active: boolean('active').notNull().default(true),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('payer_plans_code_uq').on(t.payerId, t.code),
    check('payer_plans_copay_ck', sql`${t.copayBp} >= 0 and ${t.copayBp} <= 10000`),
  ],
);

/** A patient's policy (or corporate or scheme eligibility): who insures, who administers, limits and dates. */
export const policies = billingSchema.table(
  'policies',
  {
    id: idColumn(),
    facilityId: facilityId(),
    patientId: uuid('patient_id').notNull(),
    payerId: uuid('payer_id')
      .notNull()
      .references(() => payers.id),
    /** The TPA administering it, when not the insurer itself. */
    tpaId: uuid('tpa_id').references(() => payers.id),
    planId: uuid('plan_id').references(() => payerPlans.id),
    policyNumber: text('policy_number').notNull(),
    memberId: text('member_id').notNull(),
    holderName: text('holder_name'),
    relationToHolder: text('relation_to_holder'),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to').notNull(),
    sumInsured: money('sum_insured').notNull(),
    /** Claimed and approved so far (sum insured - used = balance). */
    used: money('used').notNull().default(0),
    /** Overrides of the plan for this policy. */
    copayBp: integer('copay_bp'),
    roomRentLimit: money('room_rent_limit'),
    /** Document references (card scan, ID), as { name, documentId } items. */
    documents: jsonb('documents').notNull().default(sql`'[]'::jsonb`),
    status: text('status').notNull().default('active'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    index('policies_patient_idx').on(t.patientId),
    uniqueIndex('policies_member_uq').on(t.payerId, t.policyNumber, t.memberId),
    check('policies_dates_ck', sql`${t.validTo} >= ${t.validFrom}`),
    check('policies_used_ck', sql`${t.used} >= 0 and ${t.used} <= ${t.sumInsured}`),
    check('policies_status_ck', sql`${t.status} in ('active', 'inactive')`),
  ],
);

/**
 * A pre-authorization (cashless request) for an episode: estimate, requested and approved amounts,
 * enhancements; every status change and query in `preauth_events`.
 */
export const preauths = billingSchema.table(
  'preauths',
  {
    id: idColumn(),
    facilityId: facilityId(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    policyId: uuid('policy_id')
      .notNull()
      .references(() => policies.id),
    patientId: uuid('patient_id').notNull(),
    number: text('number').notNull(),
    payerReference: text('payer_reference'),
    diagnosis: text('diagnosis'),
    plannedTreatment: text('planned_treatment'),
    estimate: money('estimate').notNull(),
    requestedAmount: money('requested_amount').notNull(),
    approvedAmount: money('approved_amount').notNull().default(0),
    /** draft, submitted, query, approved, partially-approved, denied, cancelled. */
    status: text('status').notNull().default('submitted'),
    documents: jsonb('documents').notNull().default(sql`'[]'::jsonb`),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('preauths_number_uq').on(t.facilityId, t.number),
    index('preauths_account_idx').on(t.accountId),
    index('preauths_status_idx').on(t.facilityId, t.status),
    check(
      'preauths_status_ck',
      sql`${t.status} in ('submitted', 'query', 'approved', 'partially-approved', 'denied', 'cancelled')`,
    ),
    check(
      'preauths_amounts_ck',
      sql`${t.estimate} >= 0 and ${t.requestedAmount} > 0 and ${t.approvedAmount} >= 0`,
    ),
  ],
);

/** The history of a pre-authorization or a claim: each status, query, answer, enhancement, with who and when. */
export const insuranceEvents = billingSchema.table(
  'insurance_events',
  {
    id: idColumn(),
    facilityId: facilityId(),
    preauthId: uuid('preauth_id').references(() => preauths.id),
    claimId: uuid('claim_id'),
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    amount: money('amount'),
    note: text('note'),
    recordedById: uuid('recorded_by_id'),
    recordedByName: text('recorded_by_name').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('insurance_events_preauth_idx').on(t.preauthId, t.recordedAt),
    index('insurance_events_claim_idx').on(t.claimId, t.recordedAt),
    check('insurance_events_target_ck', sql`(${t.preauthId} is null) <> (${t.claimId} is null)`),
  ],
);

/**
 * A claim to a payer from a final invoice (its payer share): submitted, query, approved, partially approved,
 * denied, settled. Settlement records the amount received, TDS deducted and disallowances; the difference is
 * written off only with approval.
 */
export const claims = billingSchema.table(
  'claims',
  {
    id: idColumn(),
    facilityId: facilityId(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    policyId: uuid('policy_id')
      .notNull()
      .references(() => policies.id),
    payerId: uuid('payer_id')
      .notNull()
      .references(() => payers.id),
    patientId: uuid('patient_id').notNull(),
    preauthId: uuid('preauth_id').references(() => preauths.id),
    number: text('number').notNull(),
    payerReference: text('payer_reference'),
    claimedAmount: money('claimed_amount').notNull(),
    approvedAmount: money('approved_amount'),
    settledAmount: money('settled_amount').notNull().default(0),
    tds: money('tds').notNull().default(0),
    disallowed: money('disallowed').notNull().default(0),
    writtenOff: money('written_off').notNull().default(0),
    writeOffReason: text('write_off_reason'),
    writeOffApprovedById: uuid('write_off_approved_by_id'),
    writeOffApprovedByName: text('write_off_approved_by_name'),
    /** Disallowance reasons: [{ reason, amount }]. */
    disallowances: jsonb('disallowances').notNull().default(sql`'[]'::jsonb`),
    status: text('status').notNull().default('submitted'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    /** Who submitted it (0016; null on older claims, whose first history row tells). */
    submittedById: uuid('submitted_by_id'),
    submittedByName: text('submitted_by_name'),
    settledAt: timestamp('settled_at', { withTimezone: true }),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('claims_number_uq').on(t.facilityId, t.number),
    // One live claim per invoice.
    uniqueIndex('claims_invoice_uq').on(t.invoiceId).where(sql`${t.status} <> 'cancelled'`),
    index('claims_payer_idx').on(t.payerId, t.status, t.submittedAt),
    check(
      'claims_status_ck',
      sql`${t.status} in ('submitted', 'query', 'approved', 'partially-approved', 'denied', 'settled', 'closed', 'cancelled')`,
    ),
    check(
      'claims_money_ck',
      sql`${t.claimedAmount} > 0 and ${t.settledAmount} >= 0 and ${t.tds} >= 0 and ${t.disallowed} >= 0 and ${t.writtenOff} >= 0 and ${t.settledAmount} + ${t.tds} + ${t.disallowed} + ${t.writtenOff} <= ${t.claimedAmount}`,
    ),
  ],
);

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

/**
 * A file (PDF, JPEG or PNG) for a policy, a pre-authorization or a claim: the policy card, ID proof,
 * prescription, investigation reports, discharge summary, bills. Exactly one target; never deleted
 * (migration 0017's trigger). The bytes are kept with their SHA-256 so a copy can be checked.
 */
export const insuranceDocuments = billingSchema.table(
  'insurance_documents',
  {
    id: idColumn(),
    facilityId: facilityId(),
    patientId: uuid('patient_id').notNull(),
    policyId: uuid('policy_id').references(() => policies.id),
    preauthId: uuid('preauth_id').references(() => preauths.id),
    claimId: uuid('claim_id').references(() => claims.id),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    uploadedById: uuid('uploaded_by_id'),
    uploadedByName: text('uploaded_by_name').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('insurance_documents_policy_idx').on(t.policyId, t.uploadedAt),
    index('insurance_documents_preauth_idx').on(t.preauthId, t.uploadedAt),
    index('insurance_documents_claim_idx').on(t.claimId, t.uploadedAt),
    check(
      'insurance_documents_target_ck',
      sql`num_nonnulls(${t.policyId}, ${t.preauthId}, ${t.claimId}) = 1`,
    ),
    check(
      'insurance_documents_kind_ck',
      sql`${t.kind} in ('policy-card', 'id-proof', 'prescription', 'investigation-report', 'discharge-summary', 'bill', 'other')`,
    ),
    check(
      'insurance_documents_type_ck',
      sql`${t.contentType} in ('application/pdf', 'image/jpeg', 'image/png')`,
    ),
    check(
      'insurance_documents_size_ck',
      sql`${t.sizeBytes} > 0 and ${t.sizeBytes} = octet_length(${t.content})`,
    ),
  ],
);

// ---------------------------------------------------------------------------------------------------------
// A facility's billing settings: one row per facility once something is set (the defaults hold without one).
// In the database, not the environment: every process that delivers billing's events (any replica's
// dispatcher) must decide alike, and the facilities of a group may differ.
// ---------------------------------------------------------------------------------------------------------

export const facilitySettings = billingSchema.table(
  'facility_settings',
  {
    facilityId: uuid('facility_id').primaryKey().references(facilityIdColumn),
    /** When laboratory tests are charged: 'order' (placed or booked) or 'collection' (first sample drawn). */
    labChargeOn: text('lab_charge_on').notNull().default('order'),
    version: versionColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedById: uuid('updated_by_id'),
    updatedByName: text('updated_by_name').notNull(),
  },
  (t) => [check('facility_settings_lab_charge_on_ck', sql`${t.labChargeOn} in ('order', 'collection')`)],
);
