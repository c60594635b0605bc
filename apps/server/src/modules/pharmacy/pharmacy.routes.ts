import {
  AdjustmentBody,
  AdjustmentDecisionBody,
  ControlledRegisterQuery,
  Dispensation,
  DispensationQuery,
  DispensationReturnBody,
  DispenseBody,
  ExpiringBatch,
  ExpiryQuery,
  FormularyItem,
  FormularyQuery,
  GoodsReceipt,
  GoodsReceiptBody,
  IdParams,
  Indent,
  IndentBody,
  IndentIssueBody,
  IndentQuery,
  Problem,
  PurchaseOrder,
  PurchaseOrderActionBody,
  PurchaseOrderBody,
  PurchaseOrderQuery,
  ReorderLevelBody,
  StockAdjustment,
  StockAlert,
  StockItem,
  StockMovement,
  StockQuery,
  Store,
  StoreBody,
  StoreItemParams,
  SuggestPurchaseOrderBody,
  Supplier,
  SupplierBody,
  SupplierReturn,
  SupplierReturnBody,
} from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  dispense,
  getDispensation,
  listDispensations,
  type PharmacyEnv,
  returnDispensed,
} from './dispensing.service';
import { cancelIndent, createIndent, issueIndent, listIndents } from './indents.service';
import {
  changePurchaseOrder,
  createPurchaseOrder,
  getPurchaseOrder,
  getSupplierReturn,
  listPurchaseOrders,
  returnToSupplier,
  suggestPurchaseOrder,
} from './purchasing.service';
import {
  controlledRegister,
  decideAdjustment,
  expiringStock,
  listAdjustments,
  requestAdjustment,
  setReorderLevel,
  stockCard,
  storeStock,
} from './stock.service';
import { listStockAlerts } from './stock-alerts.service';
import {
  createStore,
  createSupplier,
  getFormularyItem,
  getGoodsReceipt,
  listStores,
  listSuppliers,
  receiveGoods,
  searchFormulary,
} from './stores.service';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };
const tags = ['pharmacy'];
const P = '/api/v1/pharmacy';

/** The pharmacy's API: formulary, stores, suppliers, receipts, stock, expiry, adjustments, indents, sales. */
export async function pharmacyRoutes(app: FastifyInstance, env: PharmacyEnv): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = app.requirePermission('pharmacy:read');
  const manage = app.requirePermission('pharmacy:manage');
  const receive = app.requirePermission('pharmacy:receive');
  const dispensePermission = app.requirePermission('pharmacy:dispense');
  const approve = app.requirePermission('pharmacy:approve-adjustment');
  const indent = app.requirePermission('pharmacy:indent');

  r.get(
    `${P}/formulary`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Find formulary items by generic name (typos allowed), code, ingredient or brand',
        querystring: FormularyQuery,
        response: { 200: z.array(FormularyItem), ...errors },
      },
    },
    async (request) => searchFormulary(request.ctx, request.query),
  );
  r.get(
    `${P}/formulary/:id`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'A formulary item with its brands',
        params: IdParams,
        response: { 200: FormularyItem, ...errors },
      },
    },
    async (request) => getFormularyItem(request.ctx, request.params.id),
  );

  r.get(
    `${P}/stores`,
    {
      preHandler: read,
      schema: { tags, summary: "The facility's stores", response: { 200: z.array(Store), ...errors } },
    },
    async (request) => listStores(request.ctx),
  );
  r.post(
    `${P}/stores`,
    {
      preHandler: manage,
      config: { idempotent: true },
      schema: { tags, summary: 'Open a store', body: StoreBody, response: { 201: Store, ...errors } },
    },
    async (request, reply) => reply.status(201).send(await createStore(request.ctx, request.body)),
  );
  r.get(
    `${P}/suppliers`,
    {
      preHandler: read,
      schema: { tags, summary: 'Suppliers', response: { 200: z.array(Supplier), ...errors } },
    },
    async (request) => listSuppliers(request.ctx),
  );
  r.post(
    `${P}/suppliers`,
    {
      preHandler: manage,
      config: { idempotent: true },
      schema: { tags, summary: 'Add a supplier', body: SupplierBody, response: { 201: Supplier, ...errors } },
    },
    async (request, reply) => reply.status(201).send(await createSupplier(request.ctx, request.body)),
  );

  r.post(
    `${P}/goods-receipts`,
    {
      preHandler: receive,
      config: { idempotent: true },
      schema: {
        tags,
        summary:
          "Post a supplier's delivery into a store: batches, expiry, MRP, cost; stock and ledger in one go",
        body: GoodsReceiptBody,
        response: { 201: GoodsReceipt, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await receiveGoods(request.ctx, request.body)),
  );
  r.get(
    `${P}/goods-receipts/:id`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'A goods receipt',
        params: IdParams,
        response: { 200: GoodsReceipt, ...errors },
      },
    },
    async (request) => getGoodsReceipt(request.ctx, request.params.id),
  );

  r.post(
    `${P}/purchase-orders`,
    {
      preHandler: receive,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Draft a purchase order to a supplier for a store',
        body: PurchaseOrderBody,
        response: { 201: PurchaseOrder, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createPurchaseOrder(request.ctx, request.body)),
  );
  r.post(
    `${P}/purchase-orders/suggest`,
    {
      preHandler: receive,
      schema: {
        tags,
        summary:
          "Draft a purchase order of the store's items at or under their reorder level, at their latest cost",
        body: SuggestPurchaseOrderBody,
        response: { 201: PurchaseOrder, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await suggestPurchaseOrder(request.ctx, request.body.supplierId, request.body.storeId)),
  );
  r.get(
    `${P}/purchase-orders`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Purchase orders, newest first',
        querystring: PurchaseOrderQuery,
        response: { 200: z.array(PurchaseOrder), ...errors },
      },
    },
    async (request) => listPurchaseOrders(request.ctx, request.query),
  );
  r.get(
    `${P}/purchase-orders/:id`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'A purchase order',
        params: IdParams,
        response: { 200: PurchaseOrder, ...errors },
      },
    },
    async (request) => getPurchaseOrder(request.ctx, request.params.id),
  );
  for (const action of ['order', 'cancel'] as const) {
    r.post(
      `${P}/purchase-orders/:id/${action}`,
      {
        preHandler: action === 'order' ? manage : receive,
        schema: {
          tags,
          summary:
            action === 'order'
              ? 'Place a draft with the supplier'
              : 'Cancel a purchase order nothing was received on (reason)',
          params: IdParams,
          body: PurchaseOrderActionBody,
          response: { 200: PurchaseOrder, ...errors },
        },
      },
      async (request) => changePurchaseOrder(request.ctx, request.params.id, action, request.body),
    );
  }
  r.post(
    `${P}/supplier-returns`,
    {
      preHandler: receive,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Send batches back to a supplier (short expiry, damage, recall) with a return note at cost',
        body: SupplierReturnBody,
        response: { 201: SupplierReturn, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await returnToSupplier(request.ctx, request.body)),
  );
  r.get(
    `${P}/supplier-returns/:id`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'A return note',
        params: IdParams,
        response: { 200: SupplierReturn, ...errors },
      },
    },
    async (request) => getSupplierReturn(request.ctx, request.params.id),
  );

  r.get(
    `${P}/stores/:id/stock`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Stock of a store by item, batches first to expire first, with reorder flags',
        params: IdParams,
        querystring: StockQuery,
        response: { 200: z.array(StockItem), ...errors },
      },
    },
    async (request) => storeStock(request.ctx, request.params.id, request.query),
  );
  r.put(
    `${P}/stores/:id/items/:itemId/reorder-level`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Set the reorder level of an item in a store',
        params: StoreItemParams,
        body: ReorderLevelBody,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await setReorderLevel(request.ctx, request.params.id, request.params.itemId, request.body);
      return reply.status(204).send(null);
    },
  );
  r.get(
    `${P}/stores/:id/items/:itemId/movements`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The stock card: every movement of an item in a store, newest first',
        params: StoreItemParams,
        response: { 200: z.array(StockMovement), ...errors },
      },
    },
    async (request) => stockCard(request.ctx, request.params.id, request.params.itemId),
  );
  r.get(
    `${P}/expiry`,
    {
      preHandler: read,
      schema: {
        tags,
        summary:
          'Batches expiring within N days (default 90) or expired, by band (90/60/30), first to expire first',
        querystring: ExpiryQuery,
        response: { 200: z.array(ExpiringBatch), ...errors },
      },
    },
    async (request) => expiringStock(request.ctx, request.query),
  );
  r.get(
    `${P}/alerts`,
    {
      preHandler: read,
      schema: {
        tags,
        summary:
          'Open stock alerts raised by the daily job: batches entering 90/60/30-day expiry bands, items to reorder',
        querystring: z.object({ storeId: z.uuid().optional() }),
        response: { 200: z.array(StockAlert), ...errors },
      },
    },
    async (request) => listStockAlerts(request.ctx, request.query.storeId),
  );
  r.get(
    `${P}/controlled-register`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The register of Schedule H1/X and narcotic drugs of a store, with running balances',
        querystring: ControlledRegisterQuery,
        response: { 200: z.array(StockMovement), ...errors },
      },
    },
    async (request) => controlledRegister(request.ctx, request.query),
  );

  r.post(
    `${P}/adjustments`,
    {
      preHandler: receive,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Ask for a stock correction; someone else approves it before stock moves',
        body: AdjustmentBody,
        response: { 201: StockAdjustment, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await requestAdjustment(request.ctx, request.body)),
  );
  r.get(
    `${P}/adjustments`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Adjustments, newest first',
        querystring: z.object({ status: z.enum(['pending', 'approved', 'rejected']).optional() }),
        response: { 200: z.array(StockAdjustment), ...errors },
      },
    },
    async (request) => listAdjustments(request.ctx, request.query.status),
  );
  r.post(
    `${P}/adjustments/:id/decision`,
    {
      preHandler: approve,
      schema: {
        tags,
        summary: 'Approve (stock moves now) or reject an adjustment; not your own',
        params: IdParams,
        body: AdjustmentDecisionBody,
        response: { 200: StockAdjustment, ...errors },
      },
    },
    async (request) => decideAdjustment(request.ctx, request.params.id, request.body),
  );

  r.post(
    `${P}/indents`,
    {
      preHandler: indent,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Ask another store for stock',
        body: IndentBody,
        response: { 201: Indent, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createIndent(request.ctx, request.body)),
  );
  r.get(
    `${P}/indents`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Indents, newest first',
        querystring: IndentQuery,
        response: { 200: z.array(Indent), ...errors },
      },
    },
    async (request) => listIndents(request.ctx, request.query),
  );
  r.post(
    `${P}/indents/:id/issue`,
    {
      preHandler: receive,
      schema: {
        tags,
        summary: 'Issue against an indent (FEFO): stock moves from the supplying store to the requesting one',
        params: IdParams,
        body: IndentIssueBody,
        response: { 200: Indent, ...errors },
      },
    },
    async (request) => issueIndent(request.ctx, request.params.id, request.body),
  );
  r.post(
    `${P}/indents/:id/cancel`,
    {
      preHandler: indent,
      schema: {
        tags,
        summary: 'Cancel an indent nothing has been issued against',
        params: IdParams,
        body: z.object({ version: z.number().int().min(1) }),
        response: { 200: Indent, ...errors },
      },
    },
    async (request) => cancelIndent(request.ctx, request.params.id, request.body.version),
  );

  r.post(
    `${P}/dispensations`,
    {
      preHandler: dispensePermission,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Hand medicines to a patient: FEFO batches, stock, ledger and the bill in one transaction',
        body: DispenseBody,
        response: { 201: Dispensation, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await dispense(request.ctx, env, request.body)),
  );
  r.get(
    `${P}/dispensations`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Sales, newest first (by patient or store)',
        querystring: DispensationQuery,
        response: { 200: z.array(Dispensation), ...errors },
      },
    },
    async (request) => listDispensations(request.ctx, request.query),
  );
  r.get(
    `${P}/dispensations/:id`,
    {
      preHandler: read,
      schema: { tags, summary: 'A sale', params: IdParams, response: { 200: Dispensation, ...errors } },
    },
    async (request) => getDispensation(request.ctx, request.params.id),
  );
  r.post(
    `${P}/dispensations/:id/returns`,
    {
      preHandler: dispensePermission,
      schema: {
        tags,
        summary: 'Take medicines back onto their batches; the charge of what came back is reversed',
        params: IdParams,
        body: DispensationReturnBody,
        response: { 200: Dispensation, ...errors },
      },
    },
    async (request) => returnDispensed(request.ctx, env, request.params.id, request.body),
  );
}
