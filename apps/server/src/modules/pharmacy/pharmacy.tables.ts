import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../platform/db/columns';
import { facilityIdColumn } from '../../platform/organization/references';

// The pharmacy owns medicines: the formulary (generics and brands), stores, suppliers, batches and the stock
// of each batch in each store, and the ledger of every movement. Stock is a whole number of units of issue
// (tablets, vials, bottles) and can never go negative: a CHECK on `stock.quantity`, so that two pharmacists
// selling the last strip at once cannot both succeed. Nothing here is deleted (migration triggers): a
// movement is corrected by another movement. Money is integer paise.

export const pharmacySchema = pgSchema('pharmacy');

const facilityId = () => uuid('facility_id').notNull().references(facilityIdColumn);
const money = (name: string) => bigint(name, { mode: 'number' });

/**
 * A generic product of the formulary: one ingredient set, strength and form (Amoxicillin 500 mg capsule).
 * Shared by every facility of the group (the group's formulary); loaded from reference/formulary.csv and a
 * hospital's own list (`import:formulary`). `ingredients` are lowercase INN keys, the vocabulary of the
 * prescription checker's classes.
 */
export const formularyItems = pharmacySchema.table(
  'formulary_items',
  {
    id: idColumn(),
    code: text('code').notNull(),
    genericName: text('generic_name').notNull(),
    ingredients: text('ingredients').array().notNull(),
    strength: text('strength').notNull(),
    doseForm: text('dose_form').notNull(),
    route: text('route').notNull(),
    unitOfIssue: text('unit_of_issue').notNull(),
    /** Drugs and Cosmetics Rules schedule: H, H1, X, G or OTC. */
    schedule: text('schedule').notNull(),
    /** NDPS Act narcotic or psychotropic: the controlled-drug register applies. */
    narcotic: boolean('narcotic').notNull().default(false),
    hsnCode: text('hsn_code').notNull(),
    /** Billing's tax code (MEDICINE, MEDICINE-LIFESAVING, DEVICE): the dated GST rows live in billing. */
    taxCode: text('tax_code').notNull(),
    highAlert: boolean('high_alert').notNull().default(false),
    lasaGroup: text('lasa_group'),
    atcCode: text('atc_code'),
    nlem: boolean('nlem').notNull().default(false),
    active: boolean('active').notNull().default(true),
    source: text('source').notNull(),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('formulary_items_code_uq').on(t.code),
    index('formulary_items_name_trgm_idx').using('gin', sql`${t.genericName} gin_trgm_ops`),
    index('formulary_items_ingredients_idx').using('gin', t.ingredients),
    check('formulary_items_schedule_ck', sql`${t.schedule} in ('H', 'H1', 'X', 'G', 'OTC')`),
    check('formulary_items_ingredients_ck', sql`cardinality(${t.ingredients}) > 0`),
  ],
);

/** A brand of a formulary item (a manufacturer's product), what a batch physically is. */
export const brands = pharmacySchema.table(
  'brands',
  {
    id: idColumn(),
    formularyItemId: uuid('formulary_item_id')
      .notNull()
      .references(() => formularyItems.id),
    name: text('name').notNull(),
    manufacturer: text('manufacturer').notNull(),
    packSize: integer('pack_size').notNull().default(1),
    /** GS1 GTIN or the maker's barcode, matched when a nurse scans the medicine. */
    barcode: text('barcode'),
    active: boolean('active').notNull().default(true),
    source: text('source').notNull(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('brands_name_uq').on(sql`lower(${t.name})`),
    index('brands_item_idx').on(t.formularyItemId),
    uniqueIndex('brands_barcode_uq').on(t.barcode).where(sql`${t.barcode} is not null`),
    check('brands_pack_ck', sql`${t.packSize} > 0`),
  ],
);

/** A place that holds stock: the main store, the OPD and IP pharmacies, a ward's sub-store. */
export const stores = pharmacySchema.table(
  'stores',
  {
    id: idColumn(),
    facilityId: facilityId(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    /** A ward sub-store's ward (ipd.wards, by value). */
    wardId: uuid('ward_id'),
    /** Sells to patients (the OPD and IP pharmacies); a main store only issues to other stores. */
    dispenses: boolean('dispenses').notNull().default(false),
    active: boolean('active').notNull().default(true),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('stores_code_uq').on(t.facilityId, t.code),
    check('stores_kind_ck', sql`${t.kind} in ('main', 'opd', 'ip', 'ward')`),
    check('stores_ward_ck', sql`(${t.kind} = 'ward') = (${t.wardId} is not null)`),
  ],
);

export const suppliers = pharmacySchema.table(
  'suppliers',
  {
    id: idColumn(),
    facilityId: facilityId(),
    name: text('name').notNull(),
    gstin: text('gstin'),
    drugLicenceNo: text('drug_licence_no'),
    phone: text('phone'),
    email: text('email'),
    address: text('address'),
    active: boolean('active').notNull().default(true),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [uniqueIndex('suppliers_name_uq').on(t.facilityId, sql`lower(${t.name})`)],
);

/**
 * One manufacturer's batch of a formulary item, as received: batch number, expiry, MRP and cost per unit of
 * issue. The same batch received twice (two deliveries) is one row; its stock lives in `stock`.
 */
export const batches = pharmacySchema.table(
  'batches',
  {
    id: idColumn(),
    facilityId: facilityId(),
    formularyItemId: uuid('formulary_item_id')
      .notNull()
      .references(() => formularyItems.id),
    brandId: uuid('brand_id').references(() => brands.id),
    batchNo: text('batch_no').notNull(),
    expiryDate: date('expiry_date').notNull(),
    /** Maximum retail price per unit of issue, GST included (what the patient pays at most), paise. */
    mrp: money('mrp').notNull(),
    /** Purchase cost per unit of issue, paise. */
    cost: money('cost').notNull(),
    supplierId: uuid('supplier_id').references(() => suppliers.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('batches_uq').on(
      t.facilityId,
      t.formularyItemId,
      sql`coalesce(${t.brandId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      t.batchNo,
    ),
    index('batches_item_expiry_idx').on(t.formularyItemId, t.expiryDate),
    check('batches_money_ck', sql`${t.mrp} >= 0 and ${t.cost} >= 0 and ${t.cost} <= ${t.mrp}`),
  ],
);

/** Units of a batch in a store. Never negative: the CHECK is what stops two sales of the last unit. */
export const stock = pharmacySchema.table(
  'stock',
  {
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => batches.id),
    formularyItemId: uuid('formulary_item_id')
      .notNull()
      .references(() => formularyItems.id),
    quantity: integer('quantity').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.storeId, t.batchId] }),
    index('stock_store_item_idx').on(t.storeId, t.formularyItemId),
    check('stock_not_negative_ck', sql`${t.quantity} >= 0`),
  ],
);

/**
 * The ledger: every change of `stock`, signed, with why and who, written in the same transaction as the
 * change. Append-only (a trigger refuses UPDATE and DELETE). Controlled drugs (schedule H1 and X, narcotics)
 * also carry the running balance of the item in the store after the movement, and the witness.
 */
export const stockMovements = pharmacySchema.table(
  'stock_movements',
  {
    id: idColumn(),
    facilityId: facilityId(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => batches.id),
    formularyItemId: uuid('formulary_item_id')
      .notNull()
      .references(() => formularyItems.id),
    /** Positive in, negative out. */
    quantity: integer('quantity').notNull(),
    kind: text('kind').notNull(),
    /** What caused it: 'goods-receipt', 'dispense', 'transfer', 'adjustment', ... and that record's id. */
    referenceType: text('reference_type').notNull(),
    referenceId: uuid('reference_id').notNull(),
    reason: text('reason'),
    patientId: uuid('patient_id'),
    controlled: boolean('controlled').notNull().default(false),
    /** Controlled drugs: units of the item left in the store after this movement. */
    balanceAfter: integer('balance_after'),
    witnessId: uuid('witness_id'),
    witnessName: text('witness_name'),
    prescriberName: text('prescriber_name'),
    performedById: uuid('performed_by_id'),
    performedByName: text('performed_by_name').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('stock_movements_store_item_idx').on(t.storeId, t.formularyItemId, t.occurredAt),
    index('stock_movements_reference_idx').on(t.referenceType, t.referenceId),
    index('stock_movements_controlled_idx')
      .on(t.facilityId, t.formularyItemId, t.occurredAt)
      .where(sql`${t.controlled}`),
    check('stock_movements_quantity_ck', sql`${t.quantity} <> 0`),
    check(
      'stock_movements_kind_ck',
      sql`${t.kind} in ('receipt', 'dispense', 'patient-return', 'transfer-out', 'transfer-in', 'adjustment', 'supplier-return', 'expired-write-off')`,
    ),
    check(
      'stock_movements_controlled_ck',
      sql`not ${t.controlled} or (${t.balanceAfter} is not null and ${t.balanceAfter} >= 0)`,
    ),
  ],
);

/** Below `minimum` units of an item in a store, the reorder job lists it (and suggests `reorderQuantity`). */
export const reorderLevels = pharmacySchema.table(
  'reorder_levels',
  {
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    formularyItemId: uuid('formulary_item_id')
      .notNull()
      .references(() => formularyItems.id),
    minimum: integer('minimum').notNull(),
    reorderQuantity: integer('reorder_quantity').notNull(),
    ...timestamps(),
  },
  (t) => [
    primaryKey({ columns: [t.storeId, t.formularyItemId] }),
    check('reorder_levels_ck', sql`${t.minimum} >= 0 and ${t.reorderQuantity} > 0`),
  ],
);

/**
 * A delivery from a supplier into a store, with the supplier's invoice. Its lines create (or find) batches
 * and add stock, all in one transaction: a receipt is posted whole or not at all.
 */
export const goodsReceipts = pharmacySchema.table(
  'goods_receipts',
  {
    id: idColumn(),
    facilityId: facilityId(),
    number: text('number').notNull(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    supplierId: uuid('supplier_id')
      .notNull()
      .references(() => suppliers.id),
    supplierInvoiceNo: text('supplier_invoice_no').notNull(),
    supplierInvoiceDate: date('supplier_invoice_date').notNull(),
    /** The purchase order this delivery filled (purchasing.tables.ts, by value: that file imports this one). */
    purchaseOrderId: uuid('purchase_order_id'),
    /** Sum of the lines' cost, paise. */
    totalCost: money('total_cost').notNull(),
    receivedById: uuid('received_by_id'),
    receivedByName: text('received_by_name').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    notes: text('notes'),
  },
  (t) => [
    uniqueIndex('goods_receipts_number_uq').on(t.facilityId, t.number),
    uniqueIndex('goods_receipts_invoice_uq').on(t.supplierId, t.supplierInvoiceNo),
  ],
);

export const goodsReceiptLines = pharmacySchema.table(
  'goods_receipt_lines',
  {
    receiptId: uuid('receipt_id')
      .notNull()
      .references(() => goodsReceipts.id),
    lineNo: integer('line_no').notNull(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => batches.id),
    /** Units paid for, and units received free (a scheme: 10 + 1). */
    quantity: integer('quantity').notNull(),
    freeQuantity: integer('free_quantity').notNull().default(0),
    cost: money('cost').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.receiptId, t.lineNo] }),
    check('goods_receipt_lines_ck', sql`${t.quantity} > 0 and ${t.freeQuantity} >= 0`),
  ],
);

/**
 * A stock correction (breakage, count difference, expiry write-off) asked for by one person and applied
 * only when someone else with `pharmacy:approve-adjustment` approves it.
 */
export const stockAdjustments = pharmacySchema.table(
  'stock_adjustments',
  {
    id: idColumn(),
    facilityId: facilityId(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => batches.id),
    quantity: integer('quantity').notNull(),
    reason: text('reason').notNull(),
    kind: text('kind').notNull().default('adjustment'),
    status: text('status').notNull().default('pending'),
    requestedById: uuid('requested_by_id'),
    requestedByName: text('requested_by_name').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    decidedById: uuid('decided_by_id'),
    decidedByName: text('decided_by_name'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
    version: versionColumn(),
  },
  (t) => [
    index('stock_adjustments_pending_idx').on(t.facilityId).where(sql`${t.status} = 'pending'`),
    check('stock_adjustments_quantity_ck', sql`${t.quantity} <> 0`),
    check('stock_adjustments_kind_ck', sql`${t.kind} in ('adjustment', 'expired-write-off')`),
    check('stock_adjustments_status_ck', sql`${t.status} in ('pending', 'approved', 'rejected')`),
    check('stock_adjustments_decided_ck', sql`(${t.status} = 'pending') = (${t.decidedAt} is null)`),
  ],
);

/**
 * A request from one store to another (a ward's indent to the IP pharmacy, the IP pharmacy's to the main
 * store), issued in one or more transfers. Issuing moves stock out of the supplying store and into the
 * requesting one in the same transaction.
 */
export const indents = pharmacySchema.table(
  'indents',
  {
    id: idColumn(),
    facilityId: facilityId(),
    number: text('number').notNull(),
    /** The store that asks (a ward) and the store that supplies (the IP pharmacy). */
    requestingStoreId: uuid('requesting_store_id')
      .notNull()
      .references(() => stores.id),
    supplyingStoreId: uuid('supplying_store_id')
      .notNull()
      .references(() => stores.id),
    status: text('status').notNull().default('requested'),
    requestedById: uuid('requested_by_id'),
    requestedByName: text('requested_by_name').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    note: text('note'),
    version: versionColumn(),
  },
  (t) => [
    uniqueIndex('indents_number_uq').on(t.facilityId, t.number),
    index('indents_supplying_open_idx')
      .on(t.supplyingStoreId, t.requestedAt)
      .where(sql`${t.status} in ('requested', 'partially-issued')`),
    check('indents_stores_ck', sql`${t.requestingStoreId} <> ${t.supplyingStoreId}`),
    check('indents_status_ck', sql`${t.status} in ('requested', 'partially-issued', 'issued', 'cancelled')`),
  ],
);

export const indentLines = pharmacySchema.table(
  'indent_lines',
  {
    indentId: uuid('indent_id')
      .notNull()
      .references(() => indents.id),
    formularyItemId: uuid('formulary_item_id')
      .notNull()
      .references(() => formularyItems.id),
    requested: integer('requested').notNull(),
    issued: integer('issued').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.indentId, t.formularyItemId] }),
    check('indent_lines_ck', sql`${t.requested} > 0 and ${t.issued} >= 0`),
  ],
);

/**
 * Medicines handed to a patient from a dispensing store (OPD or IP pharmacy): against a prescription later,
 * or over the counter with the prescriber named. Each line is one batch (FEFO picks may split an item over
 * batches); stock, the ledger and the billing event move in the same transaction. Returns add back to the
 * same batch and lower `returned`.
 */
export const dispensations = pharmacySchema.table(
  'dispensations',
  {
    id: idColumn(),
    facilityId: facilityId(),
    number: text('number').notNull(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    patientId: uuid('patient_id').notNull(),
    /** The out-patient visit or the in-patient stay the medicines are charged to (by value). */
    encounterId: uuid('encounter_id'),
    admissionId: uuid('admission_id'),
    prescriptionId: uuid('prescription_id'),
    prescriberName: text('prescriber_name'),
    counsellingNote: text('counselling_note'),
    /** Sum of the lines at MRP, paise. */
    total: money('total').notNull(),
    dispensedById: uuid('dispensed_by_id'),
    dispensedByName: text('dispensed_by_name').notNull(),
    dispensedAt: timestamp('dispensed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('dispensations_number_uq').on(t.facilityId, t.number),
    index('dispensations_patient_idx').on(t.patientId, t.dispensedAt),
    index('dispensations_store_idx').on(t.storeId, t.dispensedAt),
    check('dispensations_charged_to_ck', sql`${t.encounterId} is not null or ${t.admissionId} is not null`),
  ],
);

export const dispensationLines = pharmacySchema.table(
  'dispensation_lines',
  {
    dispensationId: uuid('dispensation_id')
      .notNull()
      .references(() => dispensations.id),
    lineNo: integer('line_no').notNull(),
    formularyItemId: uuid('formulary_item_id')
      .notNull()
      .references(() => formularyItems.id),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => batches.id),
    quantity: integer('quantity').notNull(),
    returned: integer('returned').notNull().default(0),
    /** MRP per unit at the time of sale, paise. */
    unitPrice: money('unit_price').notNull(),
    /** Another brand of the same generic than the one prescribed: who allowed it and why. */
    substitutionNote: text('substitution_note'),
    /** The prescription line this fills (the sale's prescription), when sold against one. */
    prescriptionLineNo: integer('prescription_line_no'),
  },
  (t) => [
    primaryKey({ columns: [t.dispensationId, t.lineNo] }),
    check(
      'dispensation_lines_ck',
      sql`${t.quantity} > 0 and ${t.returned} >= 0 and ${t.returned} <= ${t.quantity}`,
    ),
  ],
);

/**
 * Alerts the daily stock job raises: a batch entering an expiry band (90, 60, 30 days, expired) and an item
 * falling to its reorder level in a store. One open alert per batch and band (or store and item); the job
 * closes those that no longer apply (sold, written off, restocked).
 */
export const stockAlerts = pharmacySchema.table(
  'stock_alerts',
  {
    id: idColumn(),
    facilityId: facilityId(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    kind: text('kind').notNull(),
    formularyItemId: uuid('formulary_item_id')
      .notNull()
      .references(() => formularyItems.id),
    batchId: uuid('batch_id').references(() => batches.id),
    /** Expiry: 'expired', '30', '60' or '90'; reorder: ''. */
    band: text('band').notNull().default(''),
    quantity: integer('quantity').notNull(),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('stock_alerts_open_uq')
      .on(t.storeId, t.kind, t.formularyItemId, sql`coalesce(${t.batchId}, ${t.formularyItemId})`, t.band)
      .where(sql`${t.resolvedAt} is null`),
    index('stock_alerts_facility_open_idx').on(t.facilityId, t.raisedAt).where(sql`${t.resolvedAt} is null`),
    check('stock_alerts_kind_ck', sql`${t.kind} in ('expiry', 'reorder')`),
    check('stock_alerts_band_ck', sql`${t.band} in ('', 'expired', '30', '60', '90')`),
  ],
);

/** A doctor's favourite prescription lines and order sets ("Fever, adult": paracetamol + ORS), by name. */
export const prescriptionFavourites = pharmacySchema.table(
  'prescription_favourites',
  {
    id: idColumn(),
    facilityId: facilityId(),
    ownerId: uuid('owner_id').notNull(),
    name: text('name').notNull(),
    /** The lines as the prescribing form sends them (PrescriptionItemBody without start date and quantity). */
    items: jsonb('items').notNull(),
    active: boolean('active').notNull().default(true),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('prescription_favourites_name_uq')
      .on(t.ownerId, sql`lower(${t.name})`)
      .where(sql`${t.active}`),
  ],
);
