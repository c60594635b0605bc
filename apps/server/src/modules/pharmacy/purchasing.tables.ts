import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../platform/db/columns';
import { facilityIdColumn } from '../../platform/organization/references';
import { batches, formularyItems, pharmacySchema, stores, suppliers } from './pharmacy.tables';

// Buying and sending back: purchase orders to suppliers (drafted by hand or from the items under their
// reorder level, then placed; goods receipts fill them line by line), and returns to a supplier (a batch
// short-dated, damaged or recalled leaves the store with a numbered return note). Nothing is deleted.

const facilityId = () => uuid('facility_id').notNull().references(facilityIdColumn);
const money = (name: string) => bigint(name, { mode: 'number' });

export const purchaseOrders = pharmacySchema.table(
  'purchase_orders',
  {
    id: idColumn(),
    facilityId: facilityId(),
    number: text('number').notNull(),
    supplierId: uuid('supplier_id')
      .notNull()
      .references(() => suppliers.id),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    status: text('status').notNull().default('draft'),
    expectedDate: date('expected_date'),
    notes: text('notes'),
    /** Sum of quantity x rate of the lines, paise. */
    total: money('total').notNull(),
    createdByName: text('created_by_name').notNull(),
    orderedAt: timestamp('ordered_at', { withTimezone: true }),
    orderedByName: text('ordered_by_name'),
    cancelReason: text('cancel_reason'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('purchase_orders_number_uq').on(t.facilityId, t.number),
    index('purchase_orders_open_idx')
      .on(t.facilityId, t.supplierId)
      .where(sql`${t.status} in ('ordered', 'partially-received')`),
    check(
      'purchase_orders_status_ck',
      sql`${t.status} in ('draft', 'ordered', 'partially-received', 'received', 'cancelled')`,
    ),
  ],
);

export const purchaseOrderLines = pharmacySchema.table(
  'purchase_order_lines',
  {
    purchaseOrderId: uuid('purchase_order_id')
      .notNull()
      .references(() => purchaseOrders.id),
    lineNo: integer('line_no').notNull(),
    formularyItemId: uuid('formulary_item_id')
      .notNull()
      .references(() => formularyItems.id),
    quantity: integer('quantity').notNull(),
    /** Agreed cost per unit of issue, paise. */
    rate: money('rate').notNull(),
    received: integer('received').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.purchaseOrderId, t.lineNo] }),
    uniqueIndex('purchase_order_lines_item_uq').on(t.purchaseOrderId, t.formularyItemId),
    check('purchase_order_lines_ck', sql`${t.quantity} > 0 and ${t.rate} >= 0 and ${t.received} >= 0`),
  ],
);

export const supplierReturns = pharmacySchema.table(
  'supplier_returns',
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
    reason: text('reason').notNull(),
    /** Value at cost of what went back, paise (the supplier's credit note should match it). */
    totalCost: money('total_cost').notNull(),
    returnedByName: text('returned_by_name').notNull(),
    returnedAt: timestamp('returned_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('supplier_returns_number_uq').on(t.facilityId, t.number)],
);

export const supplierReturnLines = pharmacySchema.table(
  'supplier_return_lines',
  {
    returnId: uuid('return_id')
      .notNull()
      .references(() => supplierReturns.id),
    lineNo: integer('line_no').notNull(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => batches.id),
    quantity: integer('quantity').notNull(),
    cost: money('cost').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.returnId, t.lineNo] }),
    check('supplier_return_lines_ck', sql`${t.quantity} > 0`),
  ],
);
