import { z } from 'zod';
import { IsoDateTime, PageQuery, page, Text, Uuid } from './common';
import { CalendarDate } from './opd';

// Payments, deposits, allocations, refunds and the cashier's day (module `billing`). Money is integer paise.

export const PAYMENT_MODES = ['cash', 'card', 'upi', 'bank-transfer', 'cheque'] as const;
export const PaymentMode = z.enum(PAYMENT_MODES);
export type PaymentMode = z.infer<typeof PaymentMode>;

/** Paise: a whole, non-negative number (at most about 1e13 = INR 100 billion). */
const Paise = z.number().int().min(0).max(10_000_000_000_000);
const PositivePaise = z.number().int().min(1).max(10_000_000_000_000);
const Version = z.number().int().min(1);

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

/** Amounts by payment mode, in paise (every mode present). */
export const ModeTotals = z.object({
  cash: z.number().int(),
  card: z.number().int(),
  upi: z.number().int(),
  'bank-transfer': z.number().int(),
  cheque: z.number().int(),
});
export type ModeTotals = z.infer<typeof ModeTotals>;

// ---------------------------------------------------------------------------------------------------------
// Counters and shifts
// ---------------------------------------------------------------------------------------------------------

export const CashCounter = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    code: z.string(),
    name: z.string(),
    active: z.boolean(),
  })
  .meta({ id: 'CashCounter' });
export type CashCounter = z.infer<typeof CashCounter>;
export const CashCounterList = z.object({ items: z.array(CashCounter) });

export const CashCounterBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Z0-9][A-Z0-9-]{0,19}$/, 'capital letters, digits and dashes, up to 20'),
  name: Text(120),
});
export const UpdateCashCounterBody = z
  .object({ name: Text(120).optional(), active: z.boolean().optional() })
  .refine((b) => b.name !== undefined || b.active !== undefined, 'name or active');

export const SHIFT_STATUSES = ['open', 'closed'] as const;

export const CashierShift = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    counterId: Uuid,
    counterCode: z.string(),
    counterName: z.string(),
    cashierId: Uuid,
    cashierName: z.string(),
    businessDate: CalendarDate,
    status: z.enum(SHIFT_STATUSES),
    openedAt: IsoDateTime,
    closedAt: IsoDateTime.nullable(),
    openingFloat: z.number().int(),
    /** Received in the shift, by mode (live while open; frozen at closing). */
    totals: ModeTotals,
    receiptsCount: z.number().int(),
    refundsCount: z.number().int(),
    /** Refunds paid out in the shift, by mode. */
    refundTotals: ModeTotals,
    /** float + cash received - cash refunds paid (live while open). */
    expectedCash: z.number().int(),
    countedCash: z.number().int().nullable(),
    /** counted - expected: short is negative. */
    difference: z.number().int().nullable(),
    closingNote: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'CashierShift' });
export type CashierShift = z.infer<typeof CashierShift>;
export const CashierShiftList = z.object({ items: z.array(CashierShift) });

export const OpenShiftBody = z.object({ counterId: Uuid, openingFloat: Paise.default(0) });
export const CloseShiftBody = z.object({
  countedCash: Paise,
  note: optionalText(500),
  version: Version,
});
export const ShiftQuery = z.object({
  date: CalendarDate.optional(),
  counterId: Uuid.optional(),
  cashierId: Uuid.optional(),
  status: z.enum(SHIFT_STATUSES).optional(),
});

/** The day's closing for a business date (facility time): every shift, and the totals per cashier and counter. */
export const DayEndReport = z
  .object({
    facilityId: Uuid,
    businessDate: CalendarDate,
    shifts: z.array(CashierShift),
    byCashier: z.array(
      z.object({
        cashierId: Uuid,
        cashierName: z.string(),
        totals: ModeTotals,
        receiptsCount: z.number().int(),
        refundsCount: z.number().int(),
        refunded: z.number().int(),
        expectedCash: z.number().int(),
        countedCash: z.number().int().nullable(),
        difference: z.number().int().nullable(),
        openShifts: z.number().int(),
      }),
    ),
    byCounter: z.array(
      z.object({
        counterId: Uuid,
        counterCode: z.string(),
        counterName: z.string(),
        totals: ModeTotals,
        receiptsCount: z.number().int(),
        refundsCount: z.number().int(),
        refunded: z.number().int(),
        expectedCash: z.number().int(),
        countedCash: z.number().int().nullable(),
        difference: z.number().int().nullable(),
        openShifts: z.number().int(),
      }),
    ),
    totals: ModeTotals,
    receiptsCount: z.number().int(),
    refunded: z.number().int(),
    expectedCash: z.number().int(),
    countedCash: z.number().int().nullable(),
    difference: z.number().int().nullable(),
    /** Shifts of the day still open: the day is not closed until none is. */
    openShifts: z.number().int(),
  })
  .meta({ id: 'DayEndReport' });
export type DayEndReport = z.infer<typeof DayEndReport>;
export const DayEndQuery = z.object({
  date: CalendarDate.optional(),
  counterId: Uuid.optional(),
  cashierId: Uuid.optional(),
});

// ---------------------------------------------------------------------------------------------------------
// Payments and allocations
// ---------------------------------------------------------------------------------------------------------

export const PAYMENT_KINDS = ['payment', 'deposit', 'payer-settlement'] as const;

export const PaymentAllocation = z
  .object({
    id: Uuid,
    paymentId: Uuid,
    invoiceId: Uuid,
    invoiceNumber: z.string().nullable(),
    amount: z.number().int(),
    allocatedAt: IsoDateTime,
    allocatedByName: z.string(),
    reversedAt: IsoDateTime.nullable(),
    reversedReason: z.string().nullable(),
  })
  .meta({ id: 'PaymentAllocation' });
export type PaymentAllocation = z.infer<typeof PaymentAllocation>;

export const Payment = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    patientId: Uuid,
    patientName: z.string(),
    mrn: z.string(),
    accountId: Uuid.nullable(),
    kind: z.enum(PAYMENT_KINDS),
    mode: PaymentMode,
    amount: z.number().int(),
    allocated: z.number().int(),
    refunded: z.number().int(),
    /** amount - allocated - refunded: what can still be allocated or refunded. */
    available: z.number().int(),
    reference: z.string().nullable(),
    receiptNumber: z.string(),
    sessionId: Uuid.nullable(),
    receivedByName: z.string(),
    receivedAt: IsoDateTime,
    note: z.string().nullable(),
    status: z.enum(['completed', 'bounced']),
    currency: z.literal('INR'),
    allocations: z.array(PaymentAllocation),
    version: z.number().int(),
  })
  .meta({ id: 'Payment' });
export type Payment = z.infer<typeof Payment>;
export const PaymentPage = page(Payment.omit({ allocations: true }));

export const AllocationRequest = z.object({ invoiceId: Uuid, amount: PositivePaise });

export const ReceivePaymentBody = z
  .object({
    patientId: Uuid,
    /** The episode (an admission's account, an OPD visit): a deposit on admission names it. */
    accountId: Uuid.optional(),
    kind: z.enum(['payment', 'deposit']),
    mode: PaymentMode,
    amount: PositivePaise,
    /** Card approval code, UPI transaction id, cheque number, bank reference; required except for cash. */
    reference: optionalText(80),
    note: optionalText(500),
    /** Apply at once to these invoices (their unpaid patient share). */
    allocations: z.array(AllocationRequest).max(50).optional(),
    /** Apply what is left to the account's (then the patient's) oldest unpaid final bills. */
    autoAllocate: z.boolean().default(false),
  })
  .superRefine((b, ctx) => {
    if (b.mode !== 'cash' && !b.reference) {
      ctx.addIssue({ code: 'custom', path: ['reference'], message: 'required except for cash' });
    }
  });

export const AllocateBody = z
  .object({
    allocations: z.array(AllocationRequest).min(1).max(50).optional(),
    auto: z.boolean().default(false),
  })
  .refine((b) => (b.allocations !== undefined) !== b.auto, 'either allocations or auto: true');

export const PaymentQuery = PageQuery.extend({
  patientId: Uuid.optional(),
  accountId: Uuid.optional(),
  sessionId: Uuid.optional(),
  kind: z.enum(PAYMENT_KINDS).optional(),
});

export const PatientBalanceParams = z.object({ patientId: Uuid });
export const AccountBalanceParams = z.object({ accountId: Uuid });

/** What a patient (or one account) has paid and how it was used; `available` can still be allocated or refunded. */
export const PaymentBalance = z
  .object({
    patientId: Uuid,
    accountId: Uuid.nullable(),
    currency: z.literal('INR'),
    deposits: z.number().int(),
    payments: z.number().int(),
    received: z.number().int(),
    allocated: z.number().int(),
    /** Refunds approved (reserved) and paid. */
    refunded: z.number().int(),
    /** Of those, approved and not yet paid out. */
    refundsDue: z.number().int(),
    available: z.number().int(),
    /** Unpaid patient share of live final bills (the account's, or all the patient's). */
    outstanding: z.number().int(),
  })
  .meta({ id: 'PaymentBalance' });
export type PaymentBalance = z.infer<typeof PaymentBalance>;

export const LedgerMovement = z.object({
  at: IsoDateTime,
  kind: z.enum(['deposit', 'payment', 'allocation', 'allocation-reversed', 'refund']),
  reference: z.string(),
  /** + money in hand (received, reversal), - money used (allocated, refunded). */
  amount: z.number().int(),
  /** What remains unallocated after this movement. */
  balance: z.number().int(),
  paymentId: Uuid,
  invoiceId: Uuid.nullable(),
  description: z.string(),
});

/** An in-patient's deposit ledger: every receipt, allocation and refund of the account, with the running balance. */
export const DepositLedger = z
  .object({ balance: PaymentBalance, movements: z.array(LedgerMovement) })
  .meta({ id: 'DepositLedger' });
export type DepositLedger = z.infer<typeof DepositLedger>;

// ---------------------------------------------------------------------------------------------------------
// Refunds
// ---------------------------------------------------------------------------------------------------------

export const REFUND_STATUSES = ['requested', 'approved', 'rejected', 'paid'] as const;

export const Refund = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    paymentId: Uuid,
    receiptNumber: z.string(),
    patientId: Uuid,
    patientName: z.string(),
    mrn: z.string(),
    amount: z.number().int(),
    reason: z.string(),
    mode: PaymentMode,
    reference: z.string().nullable(),
    status: z.enum(REFUND_STATUSES),
    refundNumber: z.string().nullable(),
    requestedByName: z.string(),
    requestedAt: IsoDateTime,
    decidedByName: z.string().nullable(),
    decidedAt: IsoDateTime.nullable(),
    decisionNote: z.string().nullable(),
    paidByName: z.string().nullable(),
    paidAt: IsoDateTime.nullable(),
    sessionId: Uuid.nullable(),
    currency: z.literal('INR'),
    version: z.number().int(),
  })
  .meta({ id: 'Refund' });
export type Refund = z.infer<typeof Refund>;
export const RefundPage = page(Refund);

export const RequestRefundBody = z.object({
  paymentId: Uuid,
  amount: PositivePaise,
  reason: Text(500),
  mode: PaymentMode,
});
export const RefundDecisionBody = z.object({ note: optionalText(500), version: Version });
export const RejectRefundBody = z.object({ note: Text(500), version: Version });
export const PayRefundBody = z.object({ reference: optionalText(80), version: Version });
export const RefundQuery = PageQuery.extend({
  status: z.enum(REFUND_STATUSES).optional(),
  patientId: Uuid.optional(),
  paymentId: Uuid.optional(),
});

// ---------------------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------------------

export const ReportPeriodQuery = z
  .object({ from: CalendarDate, to: CalendarDate })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'on or after from' });

/** Collections of a period of business dates (facility time): by mode, cashier and department. */
export const CollectionsReport = z
  .object({
    facilityId: Uuid,
    from: CalendarDate,
    to: CalendarDate,
    currency: z.literal('INR'),
    received: z.number().int(),
    receiptsCount: z.number().int(),
    refunded: z.number().int(),
    net: z.number().int(),
    byMode: ModeTotals,
    byKind: z.object({ payment: z.number().int(), deposit: z.number().int() }),
    byCashier: z.array(
      z.object({
        cashierId: Uuid.nullable(),
        cashierName: z.string(),
        totals: ModeTotals,
        received: z.number().int(),
        receiptsCount: z.number().int(),
      }),
    ),
    /**
     * Each allocation apportioned to its invoice's lines by their patient share: by department (null: none
     * recorded) and service group. What is not allocated counts as 'advance'.
     */
    byDepartment: z.array(
      z.object({ departmentId: Uuid.nullable(), departmentName: z.string(), amount: z.number().int() }),
    ),
    byServiceGroup: z.array(z.object({ serviceGroup: z.string(), amount: z.number().int() })),
  })
  .meta({ id: 'CollectionsReport' });
export type CollectionsReport = z.infer<typeof CollectionsReport>;

/** Refunds paid out in a period, and who requested, approved and paid them. */
export const RefundsReport = z
  .object({
    facilityId: Uuid,
    from: CalendarDate,
    to: CalendarDate,
    currency: z.literal('INR'),
    count: z.number().int(),
    total: z.number().int(),
    byMode: ModeTotals,
    byRequester: z.array(z.object({ name: z.string(), count: z.number().int(), amount: z.number().int() })),
    byApprover: z.array(z.object({ name: z.string(), count: z.number().int(), amount: z.number().int() })),
    byPaidBy: z.array(z.object({ name: z.string(), count: z.number().int(), amount: z.number().int() })),
    refunds: z.array(Refund),
  })
  .meta({ id: 'RefundsReport' });
export type RefundsReport = z.infer<typeof RefundsReport>;

/** Events billing publishes about money. */
export const BILLING_PAYMENT_EVENTS = {
  received: 'billing.payment.received',
  refundPaid: 'billing.refund.paid',
} as const;

export const PaymentReceivedPayload = z.object({
  paymentId: Uuid,
  receiptNumber: z.string(),
  patientId: Uuid,
  accountId: Uuid.nullable(),
  kind: z.enum(PAYMENT_KINDS),
  mode: PaymentMode,
  amount: z.number().int(),
  allocated: z.number().int(),
  receivedAt: IsoDateTime,
});
export type PaymentReceivedPayload = z.infer<typeof PaymentReceivedPayload>;

export const RefundPaidPayload = z.object({
  refundId: Uuid,
  refundNumber: z.string(),
  paymentId: Uuid,
  patientId: Uuid,
  mode: PaymentMode,
  amount: z.number().int(),
  paidAt: IsoDateTime,
});
export type RefundPaidPayload = z.infer<typeof RefundPaidPayload>;
