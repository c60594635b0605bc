import { z } from 'zod';
import { IsoDateTime, IsoDay, PageQuery, page, Text, Uuid } from './common';

// Billing, part one: taxes (dated GST rows), the charge master (services, dated prices per tariff class and
// payer, packages), accounts (one per episode) and charges (posted from other modules' events or by hand,
// cancelled with a reason, never deleted), unpriced orders, and revenue. Money is integer paise.

const BillingDate = IsoDay;
const Version = z.number().int().min(1);
/** Paise: whole, not negative, at most 10^13 (INR 100 billion). */
const Paise = z.number().int().min(0).max(10_000_000_000_000);

export const serviceGroups = [
  'consultation',
  'room',
  'nursing',
  'investigation',
  'imaging',
  'procedure',
  'pharmacy',
  'consumable',
  'package',
  'other',
] as const;
export const ServiceGroup = z.enum(serviceGroups);
export type ServiceGroup = z.infer<typeof ServiceGroup>;

/** A charge master or order code: LOINC codes ('58410-2'), local codes ('RAD-CXR-PA'). */
export const ServiceCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,39}$/, '1-40 letters, digits or . _ : / -');
/** A bed category's tariff class, or '*' for any. */
export const TariffClass = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(\*|[a-z0-9][a-z0-9-]{0,39})$/, "'*' or 1-40 lower-case letters, digits or dashes");
export const TaxCodeValue = z
  .string()
  .trim()
  .regex(/^[A-Z0-9][A-Z0-9-]{0,29}$/, '1-30 capital letters, digits or dashes');

// ---------------------------------------------------------------------------------------------------------
// Taxes
// ---------------------------------------------------------------------------------------------------------

export const taxSettings = ['any', 'outpatient', 'inpatient'] as const;

export const TaxRate = z
  .object({
    id: Uuid,
    taxCode: z.string(),
    setting: z.enum(taxSettings),
    rateBp: z.number().int(),
    minUnitPrice: z.number().int().nullable(),
    inputCredit: z.boolean(),
    validFrom: BillingDate,
    validTo: BillingDate.nullable(),
    notification: z.string().nullable(),
  })
  .meta({ id: 'TaxRate' });
export type TaxRate = z.infer<typeof TaxRate>;

export const TaxCode = z
  .object({
    code: z.string(),
    name: z.string(),
    hsnSac: z.string().nullable(),
    description: z.string().nullable(),
    rates: z.array(TaxRate),
  })
  .meta({ id: 'TaxCode' });
export type TaxCode = z.infer<typeof TaxCode>;
export const TaxCodeList = z.object({ items: z.array(TaxCode) });

export const TaxCodeBody = z.object({
  code: TaxCodeValue,
  name: Text(120),
  hsnSac: z
    .string()
    .trim()
    .regex(/^\d{4,8}$/, '4-8 digits')
    .nullable()
    .optional(),
  description: z.string().trim().max(500).nullable().optional(),
});
export const TaxCodeParams = z.object({ code: TaxCodeValue });

/** A new dated row; the open row of the same code, setting and threshold is closed the day it starts. */
export const TaxRateBody = z.object({
  setting: z.enum(taxSettings).default('any'),
  rateBp: z.number().int().min(0).max(10_000),
  minUnitPrice: Paise.nullable().optional(),
  inputCredit: z.boolean().default(false),
  validFrom: BillingDate,
  notification: z.string().trim().max(200).nullable().optional(),
});

// ---------------------------------------------------------------------------------------------------------
// Charge master
// ---------------------------------------------------------------------------------------------------------

export const BillingService = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    code: z.string(),
    name: z.string(),
    departmentId: Uuid.nullable(),
    serviceGroup: ServiceGroup,
    taxCode: z.string(),
    payWhen: z.enum(['before', 'after']),
    intensiveCare: z.boolean(),
    /** The price includes GST (MRP goods): the bill takes the tax out instead of adding it. */
    priceIncludesTax: z.boolean(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'BillingService' });
export type BillingService = z.infer<typeof BillingService>;

export const ServicePrice = z
  .object({
    id: Uuid,
    serviceId: Uuid,
    tariffClass: z.string(),
    payerId: Uuid.nullable(),
    price: z.number().int(),
    currency: z.literal('INR'),
    validFrom: BillingDate,
    validTo: BillingDate.nullable(),
  })
  .meta({ id: 'ServicePrice' });
export type ServicePrice = z.infer<typeof ServicePrice>;
export const ServicePriceList = z.object({ items: z.array(ServicePrice) });

export const BillingServiceDetail = BillingService.extend({ prices: z.array(ServicePrice) }).meta({
  id: 'BillingServiceDetail',
});
export const BillingServicePage = page(BillingService);

export const BillingServiceBody = z.object({
  code: ServiceCode,
  name: Text(200),
  departmentId: Uuid.nullable().optional(),
  serviceGroup: ServiceGroup,
  taxCode: TaxCodeValue.default('HEALTHCARE'),
  payWhen: z.enum(['before', 'after']).default('after'),
  intensiveCare: z.boolean().default(false),
  priceIncludesTax: z.boolean().default(false),
});
export const UpdateBillingServiceBody = z.object({
  name: Text(200).optional(),
  departmentId: Uuid.nullable().optional(),
  serviceGroup: ServiceGroup.optional(),
  taxCode: TaxCodeValue.optional(),
  payWhen: z.enum(['before', 'after']).optional(),
  intensiveCare: z.boolean().optional(),
  priceIncludesTax: z.boolean().optional(),
  active: z.boolean().optional(),
  version: Version,
});
export const BillingServiceQuery = PageQuery.extend({
  /** Code or name contains (case-insensitive). */
  q: z.string().trim().max(100).optional(),
  serviceGroup: ServiceGroup.optional(),
  active: z.enum(['true', 'false']).optional(),
});

/** A new dated price; the open price of the same tariff class and payer is closed the day it starts. */
export const ServicePriceBody = z.object({
  tariffClass: TariffClass.default('*'),
  payerId: Uuid.nullable().optional(),
  price: Paise,
  validFrom: BillingDate,
});

export const PriceQuoteQuery = z.object({
  tariffClass: TariffClass.default('*'),
  payerId: Uuid.optional(),
  /** Default: today in the facility's time zone. */
  date: BillingDate.optional(),
});
export const PriceQuote = z
  .object({
    serviceId: Uuid,
    /** The price row that applies after the fallbacks (payer -> hospital rate, tariff class -> '*'). */
    priceId: Uuid,
    price: z.number().int(),
    currency: z.literal('INR'),
    tariffClass: z.string(),
    payerId: Uuid.nullable(),
    date: BillingDate,
  })
  .meta({ id: 'PriceQuote' });

export const packageItemKinds = ['include', 'exclude'] as const;
export const PackageItem = z
  .object({
    kind: z.enum(packageItemKinds),
    serviceId: Uuid.nullable(),
    serviceCode: z.string().nullable(),
    serviceGroup: ServiceGroup.nullable(),
    quantityLimit: z.number().int().nullable(),
  })
  .meta({ id: 'PackageItem' });
export const PackageItemBody = z
  .object({
    kind: z.enum(packageItemKinds),
    serviceId: Uuid.nullable().optional(),
    serviceGroup: ServiceGroup.nullable().optional(),
    quantityLimit: z.number().int().min(1).max(10_000).nullable().optional(),
  })
  .refine((v) => !v.serviceId !== !v.serviceGroup, {
    message: 'name either a service or a service group',
    path: ['serviceId'],
  });

export const BillingPackage = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    /** The package's own service: its code, name and price are the package's. */
    serviceId: Uuid,
    serviceCode: z.string(),
    serviceName: z.string(),
    losLimitDays: z.number().int().nullable(),
    beyondLos: z.enum(['charge-per-day', 'absorb']),
    active: z.boolean(),
    items: z.array(PackageItem),
    version: z.number().int(),
  })
  .meta({ id: 'BillingPackage' });
export type BillingPackage = z.infer<typeof BillingPackage>;
export const BillingPackageList = z.object({ items: z.array(BillingPackage) });
export const BillingPackageBody = z.object({
  serviceId: Uuid,
  losLimitDays: z.number().int().min(1).max(365).nullable().optional(),
  beyondLos: z.enum(['charge-per-day', 'absorb']).default('charge-per-day'),
  items: z.array(PackageItemBody).max(200).default([]),
});
export const UpdateBillingPackageBody = z.object({
  losLimitDays: z.number().int().min(1).max(365).nullable().optional(),
  beyondLos: z.enum(['charge-per-day', 'absorb']).optional(),
  active: z.boolean().optional(),
  /** Replaces the inclusions and exclusions. */
  items: z.array(PackageItemBody).max(200).optional(),
  version: Version,
});

// ---------------------------------------------------------------------------------------------------------
// Accounts and charges
// ---------------------------------------------------------------------------------------------------------

export const accountStatuses = ['open', 'final-billed', 'settled', 'closed'] as const;
export const chargeStatuses = ['active', 'cancelled'] as const;
export const payWhens = ['before', 'after'] as const;

export const Charge = z
  .object({
    id: Uuid,
    accountId: Uuid,
    patientId: Uuid,
    serviceId: Uuid,
    serviceCode: z.string(),
    serviceName: z.string(),
    serviceGroup: z.string(),
    departmentId: Uuid.nullable(),
    taxCode: z.string(),
    tariffClass: z.string(),
    intensiveCare: z.boolean(),
    quantity: z.number().int(),
    unitPrice: z.number().int(),
    amount: z.number().int(),
    currency: z.literal('INR'),
    serviceDate: BillingDate,
    performerId: Uuid.nullable(),
    /** Where it came from: 'manual', 'opd.token', 'encounters.order', 'ipd.bed-day', ... */
    sourceType: z.string(),
    sourceId: z.string(),
    sourceLine: z.string(),
    sourceEventId: Uuid.nullable(),
    packageCovered: z.boolean(),
    note: z.string().nullable(),
    status: z.enum(chargeStatuses),
    postedBy: z.string(),
    postedAt: IsoDateTime,
    cancelledBy: z.string().nullable(),
    cancelledAt: IsoDateTime.nullable(),
    cancelReason: z.string().nullable(),
    invoiceId: Uuid.nullable(),
    /** The service's rule in the charge master (OPD): paid before the service is given, or after. */
    payWhen: z.enum(payWhens),
    /**
     * Paid: the charge is active and on a live final bill (OPD bill or IPD final bill) whose patient share is
     * fully paid (paid >= patient share), or whose line for this charge leaves the patient nothing to pay.
     */
    paid: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'Charge' });
export type Charge = z.infer<typeof Charge>;
export const ChargeList = z.object({ items: z.array(Charge) });

export const BillingAccount = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    patientId: Uuid,
    kind: z.enum(['opd', 'ipd']),
    episodeKey: z.string(),
    encounterId: Uuid.nullable(),
    admissionId: Uuid.nullable(),
    admissionNumber: z.string().nullable(),
    payerCategory: z.string(),
    policyId: Uuid.nullable(),
    packageId: Uuid.nullable(),
    tariffClass: z.string(),
    status: z.enum(accountStatuses),
    openedAt: IsoDateTime,
    closedAt: IsoDateTime.nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'BillingAccount' });
export type BillingAccount = z.infer<typeof BillingAccount>;

/** Where an account's money stands (paise), computed with the list in one query. */
export const AccountBalances = z
  .object({
    /** Sum of active charges, including those a package covers. */
    charged: z.number().int(),
    /** Billable charges that no live final bill carries yet. */
    unbilled: z.number().int(),
    /** Totals of the live final bills (OPD bills and IPD final bills; patient and payer shares). */
    billed: z.number().int(),
    /** What the patient has paid against those bills (allocations). */
    paid: z.number().int(),
    /** Payments and deposits received on the account (completed). */
    received: z.number().int(),
    /** Of what was received, what is neither applied to a bill nor refunded: the deposit held. */
    available: z.number().int(),
    /** The balance due: the patient's share of the live final bills not yet paid. */
    outstanding: z.number().int(),
    currency: z.literal('INR'),
  })
  .meta({ id: 'BillingAccountBalances' });
export type AccountBalances = z.infer<typeof AccountBalances>;

/** An account in a list: its patient's name and MRN and its balances. */
export const BillingAccountListItem = BillingAccount.extend({
  patientName: z.string(),
  mrn: z.string(),
  balances: AccountBalances,
}).meta({ id: 'BillingAccountListItem' });
export type BillingAccountListItem = z.infer<typeof BillingAccountListItem>;
export const BillingAccountList = z.object({ items: z.array(BillingAccountListItem) });
export const BillingAccountPage = page(BillingAccountListItem);
export const BillingAccountQuery = PageQuery.extend({
  status: z.enum(accountStatuses).optional(),
  kind: z.enum(['opd', 'ipd']).optional(),
  patientId: Uuid.optional(),
});

/** Running totals of an account's active charges (paise). */
export const AccountTotals = z.object({
  /** Sum of active charges, including those a package covers. */
  charged: z.number().int(),
  /** Of which covered by the package (billed on the package's line). */
  packageCovered: z.number().int(),
  /** Charged minus covered: what the bills will carry before discounts and tax. */
  billable: z.number().int(),
  /** Of the billable, what no live final invoice bills yet. */
  unbilled: z.number().int(),
  activeCharges: z.number().int(),
  cancelledCharges: z.number().int(),
  currency: z.literal('INR'),
});
export const AccountDetail = BillingAccount.extend({
  charges: z.array(Charge),
  totals: AccountTotals,
}).meta({ id: 'BillingAccountDetail' });
export type AccountDetail = z.infer<typeof AccountDetail>;

export const DeskAccountBody = z.object({
  patientId: Uuid,
  tariffClass: TariffClass.default('*'),
});
export const ApplyPackageBody = z.object({ packageId: Uuid.nullable(), version: Version });
export const ApplyTariffClassBody = z.object({ tariffClass: TariffClass, version: Version });
export const BillingPatientParams = z.object({ patientId: Uuid });

export const PostChargeBody = z
  .object({
    accountId: Uuid,
    serviceId: Uuid.optional(),
    serviceCode: ServiceCode.optional(),
    quantity: z.number().int().min(1).max(10_000).default(1),
    /** Default: today in the facility's time zone; not in the future. */
    serviceDate: BillingDate.optional(),
    performerId: Uuid.nullable().optional(),
    /** Only for a service the charge master has no price for (open-priced consumables). */
    unitPrice: Paise.optional(),
    note: z.string().trim().max(500).nullable().optional(),
  })
  .refine((v) => !v.serviceId !== !v.serviceCode, {
    message: 'name the service by id or by code',
    path: ['serviceId'],
  });
export type PostChargeBody = z.input<typeof PostChargeBody>;
export const CancelChargeBody = z.object({ reason: Text(300), version: Version });

/** Whether a source's service (a consultation token, an order, a later module's record) is charged and paid. */
export const ChargePaymentStatusQuery = z.object({
  sourceType: z.string().trim().min(1).max(60),
  sourceId: z.string().trim().min(1).max(100),
});
export const ChargePaymentStatus = z
  .object({
    sourceType: z.string(),
    sourceId: z.string(),
    /** An active charge bills the source. */
    charged: z.boolean(),
    /** One of its services is to be paid before it is given. */
    payBefore: z.boolean(),
    /** Every active charge of the source is paid (see Charge.paid); false when nothing is charged. */
    paid: z.boolean(),
    chargeIds: z.array(Uuid),
  })
  .meta({ id: 'ChargePaymentStatus' });
export type ChargePaymentStatus = z.infer<typeof ChargePaymentStatus>;

/** OPD charges of services paid before they are given, not paid yet: the patients the cashier calls first. */
export const DueBeforeServiceQuery = PageQuery.extend({
  /** How many days back (service date) to look, today included. */
  days: z.coerce.number().int().min(1).max(92).default(7),
});
export const DueBeforeServiceItem = z
  .object({
    chargeId: Uuid,
    accountId: Uuid,
    patientId: Uuid,
    patientName: z.string(),
    mrn: z.string(),
    serviceCode: z.string(),
    serviceName: z.string(),
    serviceGroup: z.string(),
    quantity: z.number().int(),
    amount: z.number().int(),
    currency: z.literal('INR'),
    serviceDate: BillingDate,
    postedAt: IsoDateTime,
    sourceType: z.string(),
    sourceId: z.string(),
    /** The live final bill that carries it (unpaid), or null when no bill carries it yet. */
    invoiceId: Uuid.nullable(),
  })
  .meta({ id: 'DueBeforeServiceItem' });
export type DueBeforeServiceItem = z.infer<typeof DueBeforeServiceItem>;
export const DueBeforeServicePage = page(DueBeforeServiceItem);

/** An order whose code (or name) matches no active service: billing staff price it, then post it. */
export const UnpricedOrder = z
  .object({
    orderId: Uuid,
    encounterId: Uuid,
    patientId: Uuid,
    category: z.string(),
    code: z.string().nullable(),
    display: z.string(),
    requestedAt: IsoDateTime,
  })
  .meta({ id: 'UnpricedOrder' });
export const UnpricedOrderList = z.object({ items: z.array(UnpricedOrder) });
export const UnpricedOrderQuery = z.object({ from: BillingDate, to: BillingDate });
export const OrderParams = z.object({ orderId: Uuid });

// ---------------------------------------------------------------------------------------------------------
// Revenue
// ---------------------------------------------------------------------------------------------------------

export const RevenueQuery = z.object({ from: BillingDate, to: BillingDate });
export const RevenueLine = z.object({
  key: z.string(),
  label: z.string(),
  quantity: z.number().int(),
  amount: z.number().int(),
  charges: z.number().int(),
});
export const RevenueReport = z
  .object({
    from: BillingDate,
    to: BillingDate,
    currency: z.literal('INR'),
    total: z.number().int(),
    byDepartment: z.array(RevenueLine),
    byService: z.array(RevenueLine.extend({ serviceGroup: z.string() })),
  })
  .meta({ id: 'RevenueReport' });
export type RevenueReport = z.infer<typeof RevenueReport>;

// ---------------------------------------------------------------------------------------------------------
// Events: services rendered by modules that post their own charges (pharmacy issues, laboratory, radiology)
// ---------------------------------------------------------------------------------------------------------

export const BILLING_EVENTS = {
  /** A module gave a billable service: billing posts one charge per (sourceType, sourceId, sourceLine). */
  serviceRendered: 'billing.service.rendered',
  /** The service was undone (an issue returned, a test cancelled): billing cancels that charge. */
  serviceReversed: 'billing.service.reversed',
} as const;

export const ServiceRenderedPayload = z
  .object({
    /** The publishing module's kind of record, e.g. 'pharmacy.issue', 'laboratory.test'. */
    sourceType: z.string().min(1).max(60),
    sourceId: z.string().min(1).max(100),
    /** A line within the source (an issue's item), '' when the source is one service. */
    sourceLine: z.string().max(100).default(''),
    patientId: Uuid,
    /** An in-patient's stay (charged to the IPD account), or the encounter of an out-patient service. */
    admissionId: Uuid.nullable().optional(),
    encounterId: Uuid.nullable().optional(),
    /** The charge master code of the service. */
    serviceCode: z.string().min(1).max(40),
    quantity: z.number().int().min(1),
    serviceDate: BillingDate,
    performerId: Uuid.nullable().optional(),
    /** Overrides the charge master price (pharmacy: the batch's MRP per unit), paise. */
    unitPrice: Paise.nullable().optional(),
  })
  .refine((v) => !!v.admissionId || !!v.encounterId, {
    message: 'name the admission or the encounter',
    path: ['admissionId'],
  });
export type ServiceRenderedPayload = z.input<typeof ServiceRenderedPayload>;

export const ServiceReversedPayload = z.object({
  sourceType: z.string().min(1).max(60),
  sourceId: z.string().min(1).max(100),
  /** Omitted: every line of the source. */
  sourceLine: z.string().max(100).optional(),
  reason: z.string().min(1).max(300),
});
export type ServiceReversedPayload = z.infer<typeof ServiceReversedPayload>;

// ---------------------------------------------------------------------------------------------------------
// A facility's billing settings
// ---------------------------------------------------------------------------------------------------------

/**
 * When a laboratory test is charged. `order` (the default): an encounter's order when the doctor places it,
 * a walk-in when the counter books it. `collection`: both when the (first) sample is drawn, so that a test
 * never collected (cancelled, the patient left, the order not matched) is never charged.
 */
export const labChargeMoments = ['order', 'collection'] as const;
export const LabChargeMoment = z.enum(labChargeMoments);
export type LabChargeMoment = z.infer<typeof LabChargeMoment>;

export const BillingSettings = z
  .object({
    facilityId: Uuid,
    labChargeOn: LabChargeMoment,
    /** 0 while the facility runs on the defaults (nothing set yet). */
    version: z.number().int(),
    updatedAt: IsoDateTime.nullable(),
    updatedByName: z.string().nullable(),
  })
  .meta({ id: 'BillingSettings' });
export type BillingSettings = z.infer<typeof BillingSettings>;

export const UpdateBillingSettingsBody = z.object({
  labChargeOn: LabChargeMoment,
  /** The version read (0 when nothing was set yet). */
  version: z.number().int().min(0),
});
