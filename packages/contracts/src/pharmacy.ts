import { z } from 'zod';
import { IsoDateTime, IsoDay, Text, Uuid } from './common';

// Pharmacy (module `pharmacy`): the formulary, stores, suppliers, goods receipts, stock by batch, indents
// between stores, adjustments, and the controlled-drug register.

const PharmacyDate = IsoDay;
const Version = z.number().int().min(1);
/** Paise per unit of issue: whole, not negative, at most INR 10 lakh a unit. */
const UnitPaise = z.number().int().min(0).max(100_000_000);
/** Units of issue (tablets, vials, bottles) in one line. */
const Units = z.number().int().min(1).max(1_000_000);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

export const drugSchedules = ['H', 'H1', 'X', 'G', 'OTC'] as const;
export const DrugSchedule = z.enum(drugSchedules);
export type DrugSchedule = z.infer<typeof DrugSchedule>;

export const FormularyItem = z
  .object({
    id: Uuid,
    code: z.string(),
    genericName: z.string(),
    ingredients: z.array(z.string()),
    strength: z.string(),
    doseForm: z.string(),
    route: z.string(),
    unitOfIssue: z.string(),
    schedule: DrugSchedule,
    narcotic: z.boolean(),
    /** Schedule H1 or X, or a narcotic: every movement goes into the controlled-drug register. */
    controlled: z.boolean(),
    hsnCode: z.string(),
    taxCode: z.string(),
    highAlert: z.boolean(),
    lasaGroup: z.string().nullable(),
    atcCode: z.string().nullable(),
    nlem: z.boolean(),
    active: z.boolean(),
    brands: z.array(z.object({ id: Uuid, name: z.string(), manufacturer: z.string(), packSize: z.number() })),
  })
  .meta({ id: 'FormularyItem' });
export type FormularyItem = z.infer<typeof FormularyItem>;

export const FormularyQuery = z.object({
  q: z.string().trim().max(100).optional(),
  schedule: DrugSchedule.optional(),
  highAlert: z.stringbool().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const storeKinds = ['main', 'opd', 'ip', 'ward'] as const;
export const StoreKind = z.enum(storeKinds);

export const Store = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    code: z.string(),
    name: z.string(),
    kind: StoreKind,
    wardId: Uuid.nullable(),
    dispenses: z.boolean(),
    active: z.boolean(),
    version: Version,
  })
  .meta({ id: 'PharmacyStore' });
export type Store = z.infer<typeof Store>;

export const StoreBody = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Z0-9-]{2,20}$/, 'use 2-20 capital letters, digits or dashes'),
    name: Text(100),
    kind: StoreKind,
    wardId: Uuid.nullable().optional(),
    dispenses: z.boolean().default(false),
  })
  .refine((v) => (v.kind === 'ward') === !!v.wardId, {
    message: 'a ward store names its ward, and only a ward store does',
    path: ['wardId'],
  });

export const Supplier = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    name: z.string(),
    gstin: z.string().nullable(),
    drugLicenceNo: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    address: z.string().nullable(),
    active: z.boolean(),
    version: Version,
  })
  .meta({ id: 'PharmacySupplier' });
export type Supplier = z.infer<typeof Supplier>;

export const SupplierBody = z.object({
  name: Text(120),
  /** GSTIN: 2 digits of state, PAN, entity, Z, checksum. */
  gstin: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][0-9A-Z]Z[0-9A-Z]$/, 'not a GSTIN')
    .nullable()
    .optional(),
  drugLicenceNo: optionalText(60),
  phone: optionalText(20),
  email: z.email().nullable().optional(),
  address: optionalText(300),
});

export const GoodsReceiptLineBody = z
  .object({
    formularyItemId: Uuid,
    brandId: Uuid.nullable().optional(),
    batchNo: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .regex(/^[A-Za-z0-9/-]+$/, 'letters, digits, / and - only'),
    expiryDate: PharmacyDate,
    quantity: Units,
    freeQuantity: z.number().int().min(0).max(1_000_000).default(0),
    /** Per unit of issue, paise. */
    mrp: UnitPaise,
    cost: UnitPaise,
  })
  .refine((v) => v.cost <= v.mrp, { message: 'the cost is above the MRP', path: ['cost'] });

export const GoodsReceiptBody = z.object({
  storeId: Uuid,
  supplierId: Uuid,
  /** The purchase order this delivery fills (its items and quantities are counted against it). */
  purchaseOrderId: Uuid.nullable().optional(),
  supplierInvoiceNo: Text(40),
  supplierInvoiceDate: PharmacyDate,
  notes: optionalText(500),
  lines: z.array(GoodsReceiptLineBody).min(1).max(200),
});

export const GoodsReceipt = z
  .object({
    id: Uuid,
    number: z.string(),
    storeId: Uuid,
    supplierId: Uuid,
    supplierName: z.string(),
    supplierInvoiceNo: z.string(),
    supplierInvoiceDate: PharmacyDate,
    totalCost: z.number().int(),
    receivedByName: z.string(),
    receivedAt: IsoDateTime,
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        batchId: Uuid,
        formularyItemId: Uuid,
        genericName: z.string(),
        batchNo: z.string(),
        expiryDate: PharmacyDate,
        quantity: z.number().int(),
        freeQuantity: z.number().int(),
        mrp: z.number().int(),
        cost: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'GoodsReceipt' });
export type GoodsReceipt = z.infer<typeof GoodsReceipt>;

export const StockBatch = z.object({
  batchId: Uuid,
  batchNo: z.string(),
  brandName: z.string().nullable(),
  expiryDate: PharmacyDate,
  quantity: z.number().int(),
  mrp: z.number().int(),
  /** Days from today to the expiry (negative once expired). */
  daysToExpiry: z.number().int(),
});

export const StockItem = z
  .object({
    storeId: Uuid,
    formularyItemId: Uuid,
    code: z.string(),
    genericName: z.string(),
    strength: z.string(),
    doseForm: z.string(),
    unitOfIssue: z.string(),
    schedule: DrugSchedule,
    controlled: z.boolean(),
    highAlert: z.boolean(),
    /** Units that can be issued today: not expired. */
    available: z.number().int(),
    expired: z.number().int(),
    reorderMinimum: z.number().int().nullable(),
    /** What to order when it falls to the minimum. */
    reorderQuantity: z.number().int().nullable(),
    belowReorder: z.boolean(),
    /** First to expire first: the order FEFO issues them. */
    batches: z.array(StockBatch),
  })
  .meta({ id: 'StockItem' });
export type StockItem = z.infer<typeof StockItem>;

export const StockQuery = z.object({
  q: z.string().trim().max(100).optional(),
  belowReorder: z.stringbool().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const ExpiryQuery = z.object({
  storeId: Uuid.optional(),
  withinDays: z.coerce.number().int().min(0).max(365).default(90),
});

export const ExpiringBatch = z
  .object({
    storeId: Uuid,
    storeName: z.string(),
    formularyItemId: Uuid,
    genericName: z.string(),
    strength: z.string(),
    batchId: Uuid,
    batchNo: z.string(),
    expiryDate: PharmacyDate,
    daysToExpiry: z.number().int(),
    /** 'expired', or the alert band it falls in: within 30, 60 or 90 days. */
    band: z.enum(['expired', '30', '60', '90', 'later']),
    quantity: z.number().int(),
    /** Value at cost, paise. */
    costValue: z.number().int(),
  })
  .meta({ id: 'ExpiringBatch' });
export type ExpiringBatch = z.infer<typeof ExpiringBatch>;

export const ReorderLevelBody = z
  .object({
    minimum: z.number().int().min(0).max(1_000_000),
    reorderQuantity: z.number().int().min(1).max(1_000_000),
  })
  .meta({ id: 'ReorderLevelBody' });

export const StoreItemParams = z.object({ id: Uuid, itemId: Uuid });

export const adjustmentStatuses = ['pending', 'approved', 'rejected'] as const;

export const AdjustmentBody = z.object({
  storeId: Uuid,
  batchId: Uuid,
  /** Signed units: negative for breakage, loss or expiry, positive for a count found higher. */
  quantity: z
    .number()
    .int()
    .min(-1_000_000)
    .max(1_000_000)
    .refine((v) => v !== 0, 'zero changes nothing'),
  kind: z.enum(['adjustment', 'expired-write-off']).default('adjustment'),
  reason: Text(300),
});

export const AdjustmentDecisionBody = z.object({
  decision: z.enum(['approved', 'rejected']),
  note: optionalText(300),
  version: Version,
});

export const StockAdjustment = z
  .object({
    id: Uuid,
    storeId: Uuid,
    storeName: z.string(),
    batchId: Uuid,
    batchNo: z.string(),
    genericName: z.string(),
    quantity: z.number().int(),
    kind: z.enum(['adjustment', 'expired-write-off']),
    reason: z.string(),
    status: z.enum(adjustmentStatuses),
    requestedByName: z.string(),
    requestedAt: IsoDateTime,
    decidedByName: z.string().nullable(),
    decidedAt: IsoDateTime.nullable(),
    decisionNote: z.string().nullable(),
    version: Version,
  })
  .meta({ id: 'StockAdjustment' });
export type StockAdjustment = z.infer<typeof StockAdjustment>;

export const IndentBody = z.object({
  requestingStoreId: Uuid,
  supplyingStoreId: Uuid,
  note: optionalText(300),
  lines: z
    .array(z.object({ formularyItemId: Uuid, quantity: Units }))
    .min(1)
    .max(100),
});

export const IndentIssueBody = z.object({
  lines: z
    .array(z.object({ formularyItemId: Uuid, quantity: z.number().int().min(0).max(1_000_000) }))
    .min(1)
    .max(100),
  version: Version,
});

export const indentStatuses = ['requested', 'partially-issued', 'issued', 'cancelled'] as const;

export const Indent = z
  .object({
    id: Uuid,
    number: z.string(),
    requestingStoreId: Uuid,
    requestingStoreName: z.string(),
    supplyingStoreId: Uuid,
    supplyingStoreName: z.string(),
    status: z.enum(indentStatuses),
    requestedByName: z.string(),
    requestedAt: IsoDateTime,
    note: z.string().nullable(),
    lines: z.array(
      z.object({
        formularyItemId: Uuid,
        genericName: z.string(),
        strength: z.string(),
        requested: z.number().int(),
        issued: z.number().int(),
      }),
    ),
    version: Version,
  })
  .meta({ id: 'Indent' });
export type Indent = z.infer<typeof Indent>;

export const IndentQuery = z.object({
  storeId: Uuid.optional(),
  status: z.enum(indentStatuses).optional(),
});

export const stockMovementKinds = [
  'receipt',
  'dispense',
  'patient-return',
  'transfer-out',
  'transfer-in',
  'adjustment',
  'supplier-return',
  'expired-write-off',
] as const;

export const StockMovement = z
  .object({
    id: Uuid,
    storeId: Uuid,
    batchId: Uuid,
    batchNo: z.string(),
    formularyItemId: Uuid,
    genericName: z.string(),
    quantity: z.number().int(),
    kind: z.enum(stockMovementKinds),
    referenceType: z.string(),
    referenceId: Uuid,
    reason: z.string().nullable(),
    patientId: Uuid.nullable(),
    /** The register prints who received a controlled drug (filled on the register, null elsewhere). */
    patientName: z.string().nullable(),
    patientMrn: z.string().nullable(),
    balanceAfter: z.number().int().nullable(),
    witnessName: z.string().nullable(),
    prescriberName: z.string().nullable(),
    performedByName: z.string(),
    occurredAt: IsoDateTime,
  })
  .meta({ id: 'StockMovement' });
export type StockMovement = z.infer<typeof StockMovement>;

export const ControlledRegisterQuery = z.object({
  storeId: Uuid,
  formularyItemId: Uuid.optional(),
  from: PharmacyDate.optional(),
  to: PharmacyDate.optional(),
});

export const DispenseBody = z
  .object({
    storeId: Uuid,
    patientId: Uuid,
    /** The out-patient visit, or the in-patient stay, the medicines are charged to. */
    encounterId: Uuid.nullable().optional(),
    admissionId: Uuid.nullable().optional(),
    /** Who prescribed (a Schedule H/H1/X medicine is sold only on a prescription). */
    prescriberName: optionalText(120),
    counsellingNote: optionalText(1000),
    /** A controlled drug (H1, X, narcotic) is issued in front of a witness, another staff member. */
    witnessName: optionalText(120),
    lines: z
      .array(
        z.object({
          formularyItemId: Uuid,
          quantity: Units,
          /** Dispense from this batch only; otherwise first expiry first out. */
          batchId: Uuid.optional(),
          substitutionNote: optionalText(300),
        }),
      )
      .min(1)
      .max(50),
  })
  .refine((v) => !!v.encounterId || !!v.admissionId, {
    message: 'name the visit or the stay the medicines are charged to',
    path: ['encounterId'],
  });

export const Dispensation = z
  .object({
    id: Uuid,
    number: z.string(),
    storeId: Uuid,
    patientId: Uuid,
    encounterId: Uuid.nullable(),
    admissionId: Uuid.nullable(),
    prescriptionId: Uuid.nullable(),
    prescriberName: z.string().nullable(),
    counsellingNote: z.string().nullable(),
    total: z.number().int(),
    dispensedByName: z.string(),
    dispensedAt: IsoDateTime,
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        formularyItemId: Uuid,
        genericName: z.string(),
        strength: z.string(),
        batchId: Uuid,
        batchNo: z.string(),
        expiryDate: PharmacyDate,
        quantity: z.number().int(),
        returned: z.number().int(),
        unitPrice: z.number().int(),
        substitutionNote: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'Dispensation' });
export type Dispensation = z.infer<typeof Dispensation>;

export const DispensationReturnBody = z.object({
  lines: z
    .array(z.object({ lineNo: z.number().int().min(1), quantity: Units }))
    .min(1)
    .max(50),
  reason: Text(300),
});

export const DispensationQuery = z.object({
  patientId: Uuid.optional(),
  storeId: Uuid.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const purchaseOrderStatuses = [
  'draft',
  'ordered',
  'partially-received',
  'received',
  'cancelled',
] as const;

export const PurchaseOrderBody = z.object({
  supplierId: Uuid,
  storeId: Uuid,
  expectedDate: PharmacyDate.nullable().optional(),
  notes: optionalText(500),
  lines: z
    .array(z.object({ formularyItemId: Uuid, quantity: Units, rate: UnitPaise }))
    .min(1)
    .max(200),
});

export const SuggestPurchaseOrderBody = z.object({ supplierId: Uuid, storeId: Uuid });

export const PurchaseOrder = z
  .object({
    id: Uuid,
    number: z.string(),
    supplierId: Uuid,
    supplierName: z.string(),
    storeId: Uuid,
    storeName: z.string(),
    status: z.enum(purchaseOrderStatuses),
    expectedDate: PharmacyDate.nullable(),
    notes: z.string().nullable(),
    total: z.number().int(),
    createdByName: z.string(),
    orderedAt: IsoDateTime.nullable(),
    orderedByName: z.string().nullable(),
    cancelReason: z.string().nullable(),
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        formularyItemId: Uuid,
        genericName: z.string(),
        strength: z.string(),
        quantity: z.number().int(),
        rate: z.number().int(),
        received: z.number().int(),
      }),
    ),
    version: Version,
  })
  .meta({ id: 'PurchaseOrder' });
export type PurchaseOrder = z.infer<typeof PurchaseOrder>;

export const PurchaseOrderQuery = z.object({
  status: z.enum(purchaseOrderStatuses).optional(),
  supplierId: Uuid.optional(),
});

export const PurchaseOrderActionBody = z.object({ version: Version, reason: optionalText(300) });

export const SupplierReturnBody = z.object({
  storeId: Uuid,
  supplierId: Uuid,
  reason: Text(300),
  lines: z
    .array(z.object({ batchId: Uuid, quantity: Units }))
    .min(1)
    .max(100),
});

export const SupplierReturn = z
  .object({
    id: Uuid,
    number: z.string(),
    storeId: Uuid,
    supplierId: Uuid,
    supplierName: z.string(),
    reason: z.string(),
    totalCost: z.number().int(),
    returnedByName: z.string(),
    returnedAt: IsoDateTime,
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        batchId: Uuid,
        batchNo: z.string(),
        genericName: z.string(),
        expiryDate: PharmacyDate,
        quantity: z.number().int(),
        cost: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'SupplierReturn' });
export type SupplierReturn = z.infer<typeof SupplierReturn>;

export const StockAlert = z
  .object({
    id: Uuid,
    storeId: Uuid,
    storeName: z.string(),
    kind: z.enum(['expiry', 'reorder']),
    /** Expiry alerts: the band the batch entered. */
    band: z.enum(['expired', '30', '60', '90']).nullable(),
    formularyItemId: Uuid,
    genericName: z.string(),
    strength: z.string(),
    batchId: Uuid.nullable(),
    batchNo: z.string().nullable(),
    expiryDate: PharmacyDate.nullable(),
    /** Units in the batch (expiry), or units available (reorder), when raised. */
    quantity: z.number().int(),
    raisedAt: IsoDateTime,
  })
  .meta({ id: 'StockAlert' });
export type StockAlert = z.infer<typeof StockAlert>;

export const PHARMACY_EVENTS = {
  /** Medicines were handed to a patient (billing posts the charges from billing.service.rendered). */
  dispensed: 'pharmacy.dispensation.created',
  /** A patient returned medicines. */
  returned: 'pharmacy.dispensation.returned',
} as const;

/** The charge master code of a pharmacy sale, by the item's tax code: billing prices it at the batch's MRP. */
export function pharmacyServiceCode(taxCode: string): string {
  return `PHARMACY-${taxCode}`;
}
