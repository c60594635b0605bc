import { z } from 'zod';
import { IsoDateTime, IsoDay, PageQuery, page, Text, Uuid } from './common';

// Invoices (OPD bills, IPD interim statements and final bills, credit notes), discounts and their limits
// (module `billing`). Money is integer paise; percentages are basis points (500 = 5%).

const Paise = z.number().int();
const CalendarDay = IsoDay;
const Version = z.number().int().min(1).optional();

export const invoiceKinds = ['opd', 'ipd-interim', 'ipd-final', 'credit-note'] as const;
export const InvoiceKind = z.enum(invoiceKinds);
export type InvoiceKind = z.infer<typeof InvoiceKind>;
/** What a bill can be issued as (a credit note comes only from cancelling a bill). */
export const IssuableInvoiceKind = z.enum(['opd', 'ipd-interim', 'ipd-final']);
export const invoiceStatuses = ['draft', 'final', 'cancelled'] as const;
export const InvoiceStatus = z.enum(invoiceStatuses);

export const BILLING_INVOICE_EVENTS = {
  issued: 'billing.invoice.issued',
  cancelled: 'billing.invoice.cancelled',
} as const;

/** Payload of billing.invoice.issued and billing.invoice.cancelled. */
export const InvoiceEventPayload = z.object({
  invoiceId: Uuid,
  number: z.string(),
  kind: InvoiceKind,
  accountId: Uuid,
  patientId: Uuid,
  admissionId: Uuid.nullable(),
  total: Paise,
  patientShare: Paise,
  payerShare: Paise,
  /** Cancelled: the credit note that cancels it. */
  creditNoteId: Uuid.nullable(),
  reason: z.string().nullable(),
  at: IsoDateTime,
});
export type InvoiceEventPayload = z.infer<typeof InvoiceEventPayload>;

export const InvoiceLine = z.object({
  position: z.number().int(),
  chargeId: Uuid.nullable(),
  serviceGroup: z.string(),
  serviceCode: z.string(),
  description: z.string(),
  serviceDate: CalendarDay.nullable(),
  quantity: z.number().int(),
  unitPrice: Paise,
  amount: Paise,
  discount: Paise,
  taxCode: z.string(),
  hsnSac: z.string().nullable(),
  taxRateBp: z.number().int(),
  tax: Paise,
  total: Paise,
  payerShare: Paise,
  patientShare: Paise,
  /** Why the payer does not pay all of it: non-payable, room-rent-limit, room-rent-proportionate, co-pay, cap. */
  splitNote: z.string().nullable(),
});
export type InvoiceLine = z.infer<typeof InvoiceLine>;

export const InvoiceTaxSummaryRow = z.object({
  taxCode: z.string(),
  hsnSac: z.string().nullable(),
  rateBp: z.number().int(),
  taxable: Paise,
  tax: Paise,
});
export const InvoiceGroupRow = z.object({
  serviceGroup: z.string(),
  amount: Paise,
  discount: Paise,
  tax: Paise,
  total: Paise,
});

/** How the payer's share came about: the rules applied, the room-rent ratio, co-pay and the cap. */
export const InvoiceSplitExplanation = z
  .looseObject({
    payerId: Uuid.nullable(),
    policyId: Uuid.nullable(),
    planCode: z.string().nullable(),
    rules: z.array(z.string()),
    nonPayable: Paise,
    roomRent: z
      .object({
        limitPerDay: Paise,
        eligible: Paise,
        actual: Paise,
        ratio: z.string(),
        deduction: Paise,
      })
      .nullable(),
    copay: z.object({ bp: z.number().int(), amount: Paise }).nullable(),
    cap: z
      .object({
        preauthApproved: Paise.nullable(),
        policyBalance: Paise,
        limit: Paise,
        reduction: Paise,
      })
      .nullable(),
    payerShare: Paise,
    patientShare: Paise,
  })
  .meta({ id: 'InvoiceSplitExplanation' });

const figures = {
  gross: Paise,
  discount: Paise,
  tax: Paise,
  roundOff: Paise,
  total: Paise,
  patientShare: Paise,
  payerShare: Paise,
  currency: z.literal('INR'),
  lines: z.array(InvoiceLine),
  taxSummary: z.array(InvoiceTaxSummaryRow),
  groups: z.array(InvoiceGroupRow),
  split: InvoiceSplitExplanation.nullable(),
  /** Why no payer shares this bill although the account names a policy (inactive, expired). */
  splitSkipped: z.string().nullable(),
  discountsApplied: z.array(z.object({ id: Uuid, amount: Paise })),
};

export const Invoice = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    accountId: Uuid,
    patientId: Uuid,
    patientName: z.string(),
    mrn: z.string(),
    admissionNumber: z.string().nullable(),
    kind: InvoiceKind,
    status: InvoiceStatus,
    series: z.string(),
    financialYear: z.string().nullable(),
    number: z.string().nullable(),
    issuedAt: IsoDateTime.nullable(),
    issuedByName: z.string().nullable(),
    ...figures,
    paid: Paise,
    /** What the patient still owes on it: patient share - paid. */
    balance: Paise,
    payerId: Uuid.nullable(),
    policyId: Uuid.nullable(),
    creditOfId: Uuid.nullable(),
    reissueOfId: Uuid.nullable(),
    /** For a cancelled invoice: its credit note. */
    creditNoteId: Uuid.nullable(),
    cancelReason: z.string().nullable(),
    version: z.number().int(),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'Invoice' });
export type Invoice = z.infer<typeof Invoice>;

/** A bill computed now and not stored: what issuing it would give. */
export const InvoicePreview = z
  .object({
    accountId: Uuid,
    patientId: Uuid,
    kind: IssuableInvoiceKind,
    ...figures,
  })
  .meta({ id: 'InvoicePreview' });
export type InvoicePreview = z.infer<typeof InvoicePreview>;

export const InvoiceSummary = Invoice.omit({
  lines: true,
  taxSummary: true,
  groups: true,
  split: true,
  discountsApplied: true,
}).meta({ id: 'InvoiceSummary' });
export const InvoicePage = page(InvoiceSummary);

export const InvoiceAccountParams = z.object({ accountId: Uuid });
export const InvoicePreviewQuery = z.object({ kind: IssuableInvoiceKind });
export const IssueInvoiceBody = z.object({
  kind: IssuableInvoiceKind,
  /** The account's version the clerk saw (optional; a mismatch is 409). */
  version: Version,
});
export const InvoiceListQuery = PageQuery.extend({
  accountId: Uuid.optional(),
  patientId: Uuid.optional(),
  kind: InvoiceKind.optional(),
  status: InvoiceStatus.optional(),
});
export const CreditNoteBody = z.object({ reason: Text(300), version: Version });
export const CreditNoteResult = z
  .object({ cancelled: Invoice, creditNote: Invoice })
  .meta({ id: 'CreditNoteResult' });

// ---------------------------------------------------------------------------------------------------------
// Discounts
// ---------------------------------------------------------------------------------------------------------

export const discountReasons = [
  'staff',
  'senior-citizen',
  'financial-hardship',
  'management',
  'doctor-referral',
  'corporate-tie-up',
  'service-recovery',
  'other',
] as const;
export const DiscountReason = z.enum(discountReasons);
export type DiscountReason = z.infer<typeof DiscountReason>;
export const DiscountKind = z.enum(['percent', 'amount']);
export const DiscountStatus = z.enum(['pending', 'approved', 'rejected', 'withdrawn']);

export const Discount = z
  .object({
    id: Uuid,
    accountId: Uuid,
    chargeId: Uuid.nullable(),
    reason: DiscountReason,
    note: z.string().nullable(),
    kind: DiscountKind,
    /** Basis points (percent) or paise (amount). */
    value: z.number().int(),
    status: DiscountStatus,
    requestedByName: z.string(),
    requestedAt: IsoDateTime,
    decidedByName: z.string().nullable(),
    decidedAt: IsoDateTime.nullable(),
    decisionNote: z.string().nullable(),
    invoiceId: Uuid.nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Discount' });
export type Discount = z.infer<typeof Discount>;
export const DiscountList = z.object({ items: z.array(Discount) });

/** A discount in the facility's list (the approvers' queue): whose bill and which episode it is on. */
export const DiscountListItem = Discount.extend({
  patientId: Uuid,
  patientName: z.string(),
  mrn: z.string(),
  accountKind: z.enum(['opd', 'ipd']),
  accountStatus: z.string(),
  admissionNumber: z.string().nullable(),
  /** The charge it discounts (null: the whole bill). */
  chargeName: z.string().nullable(),
}).meta({ id: 'DiscountListItem' });
export type DiscountListItem = z.infer<typeof DiscountListItem>;
export const DiscountPage = page(DiscountListItem);
/** The facility's discounts, oldest request first (a queue), by status, patient or account. */
export const DiscountListQuery = PageQuery.extend({
  status: DiscountStatus.optional(),
  patientId: Uuid.optional(),
  accountId: Uuid.optional(),
});

export const DiscountRequestBody = z
  .object({
    chargeId: Uuid.optional(),
    reason: DiscountReason,
    note: Text(300).optional(),
    kind: DiscountKind,
    value: z.number().int().min(1).max(1_000_000_000_00),
  })
  .refine((b) => b.kind !== 'percent' || b.value <= 10_000, {
    message: 'a percent is at most 10000 basis points',
    path: ['value'],
  })
  .refine((b) => b.reason !== 'other' || b.note !== undefined, {
    message: "a discount for 'other' reason needs a note",
    path: ['note'],
  });
export const DiscountDecisionBody = z.object({ note: Text(300).optional(), version: Version });
export const DiscountRejectBody = z.object({ note: Text(300), version: Version });

export const DiscountLimit = z.object({
  role: z.string(),
  maxBp: z.number().int(),
  maxAmount: Paise,
  version: z.number().int(),
});
export const DiscountLimitList = z.object({ items: z.array(DiscountLimit) });
export const DiscountLimitParams = z.object({ role: z.string().trim().min(1).max(60) });
export const DiscountLimitBody = z.object({
  maxBp: z.number().int().min(0).max(10_000),
  maxAmount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  version: Version,
});

const ReportDay = CalendarDay.refine(
  (d) => d >= '1900-01-01' && d <= '2999-12-31',
  'a date between 1900 and 2999',
);
export const DiscountReportQuery = z
  .object({ from: ReportDay, to: ReportDay })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, {
    message: 'a report covers at most 366 days',
    path: ['to'],
  });
const DiscountReportRow = z.object({ count: z.number().int(), applied: Paise, pending: z.number().int() });
export const DiscountReport = z
  .object({
    from: CalendarDay,
    to: CalendarDay,
    currency: z.literal('INR'),
    /** Applied: what live bills took off for these discounts. */
    total: DiscountReportRow,
    byReason: z.array(DiscountReportRow.extend({ reason: DiscountReason })),
    byRequester: z.array(DiscountReportRow.extend({ name: z.string() })),
    byApprover: z.array(DiscountReportRow.extend({ name: z.string() })),
  })
  .meta({ id: 'DiscountReport' });
export type DiscountReport = z.infer<typeof DiscountReport>;
