import {
  AccountDetail,
  ApplyPackageBody,
  ApplyTariffClassBody,
  BillingAccount,
  BillingAccountList,
  BillingAccountPage,
  BillingAccountQuery,
  BillingPackage,
  BillingPackageBody,
  BillingPackageList,
  BillingPatientParams,
  BillingService,
  BillingServiceBody,
  BillingServiceDetail,
  BillingServicePage,
  BillingServiceQuery,
  CancelChargeBody,
  Charge,
  ChargeList,
  ChargePaymentStatus,
  ChargePaymentStatusQuery,
  DeskAccountBody,
  DueBeforeServicePage,
  DueBeforeServiceQuery,
  IdParams,
  OrderParams,
  PostChargeBody,
  PriceQuote,
  PriceQuoteQuery,
  Problem,
  RevenueQuery,
  RevenueReport,
  ServicePrice,
  ServicePriceBody,
  ServicePriceList,
  TaxCode,
  TaxCodeBody,
  TaxCodeList,
  TaxCodeParams,
  TaxRate,
  TaxRateBody,
  UnpricedOrderList,
  UnpricedOrderQuery,
  UpdateBillingPackageBody,
  UpdateBillingServiceBody,
} from '@newhms/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { expectedVersion, setEtag } from '../../platform/http/etag';
import * as accountsService from './accounts.service';
import type { BillingEnv } from './billing.env';
import * as master from './charge-master.service';
import * as chargePayment from './charge-payment';
import { postUnpricedOrder } from './charge-posting';
import * as chargesService from './charges.service';

const errors = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  412: Problem,
  422: Problem,
};
const tags = ['billing'];
const base = '/api/v1/billing';

function versionOf<T extends { version: number }>(request: FastifyRequest, body: T): T {
  return { ...body, version: expectedVersion(request, body.version) ?? body.version };
}
function withEtag<T extends { version: number }>(reply: FastifyReply, value: T): T {
  setEtag(reply, value.version);
  return value;
}

/** Taxes, the charge master, accounts, charges, unpriced orders and revenue. */
export async function chargesRoutes(app: FastifyInstance, _env: BillingEnv): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = app.requirePermission('billing:read');
  const charge = app.requirePermission('billing:charge');
  const manage = app.requirePermission('billing:manage');
  const reports = app.requirePermission('billing:reports');

  // Taxes ------------------------------------------------------------------------------------------------
  r.get(
    `${base}/tax-codes`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Tax codes with their dated GST rows',
        response: { 200: TaxCodeList, ...errors },
      },
    },
    async (request) => ({ items: await master.listTaxCodes(request.ctx) }),
  );
  r.post(
    `${base}/tax-codes`,
    {
      preHandler: manage,
      config: { idempotent: true },
      schema: { tags, summary: 'Add a tax code', body: TaxCodeBody, response: { 201: TaxCode, ...errors } },
    },
    async (request, reply) => reply.status(201).send(await master.createTaxCode(request.ctx, request.body)),
  );
  r.post(
    `${base}/tax-codes/:code/rates`,
    {
      preHandler: manage,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Add a dated rate row (the open row of the same setting and threshold ends that day)',
        params: TaxCodeParams,
        body: TaxRateBody,
        response: { 201: TaxRate, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await master.addTaxRate(request.ctx, request.params.code, request.body)),
  );

  // Services and prices ----------------------------------------------------------------------------------
  r.get(
    `${base}/services`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The charge master: services by code',
        querystring: BillingServiceQuery,
        response: { 200: BillingServicePage, ...errors },
      },
    },
    async (request) => master.listServices(request.ctx, request.query),
  );
  r.post(
    `${base}/services`,
    {
      preHandler: manage,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Add a service',
        body: BillingServiceBody,
        response: { 201: BillingService, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(withEtag(reply, await master.createService(request.ctx, request.body))),
  );
  r.get(
    `${base}/services/:id`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'A service with its prices',
        params: IdParams,
        response: { 200: BillingServiceDetail, ...errors },
      },
    },
    async (request, reply) => withEtag(reply, await master.getService(request.ctx, request.params.id)),
  );
  r.patch(
    `${base}/services/:id`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Edit or withdraw a service (version or If-Match)',
        params: IdParams,
        body: UpdateBillingServiceBody,
        response: { 200: BillingService, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await master.updateService(request.ctx, request.params.id, versionOf(request, request.body)),
      ),
  );
  r.get(
    `${base}/services/:id/prices`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Dated prices of a service',
        params: IdParams,
        response: { 200: ServicePriceList, ...errors },
      },
    },
    async (request) => ({ items: await master.listPrices(request.ctx, request.params.id) }),
  );
  r.post(
    `${base}/services/:id/prices`,
    {
      preHandler: manage,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Add a dated price (the open price of the same tariff class and payer ends that day)',
        params: IdParams,
        body: ServicePriceBody,
        response: { 201: ServicePrice, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await master.addPrice(request.ctx, request.params.id, request.body)),
  );
  r.get(
    `${base}/services/:id/price`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The price that applies (payer -> hospital rate, tariff class -> any)',
        params: IdParams,
        querystring: PriceQuoteQuery,
        response: { 200: PriceQuote, ...errors },
      },
    },
    async (request) => master.quotePrice(request.ctx, request.params.id, request.query),
  );

  // Packages ---------------------------------------------------------------------------------------------
  r.get(
    `${base}/packages`,
    {
      preHandler: read,
      schema: { tags, summary: 'Packages', response: { 200: BillingPackageList, ...errors } },
    },
    async (request) => ({ items: await master.listPackages(request.ctx) }),
  );
  r.post(
    `${base}/packages`,
    {
      preHandler: manage,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Add a package',
        body: BillingPackageBody,
        response: { 201: BillingPackage, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(withEtag(reply, await master.createPackage(request.ctx, request.body))),
  );
  r.get(
    `${base}/packages/:id`,
    {
      preHandler: read,
      schema: { tags, summary: 'A package', params: IdParams, response: { 200: BillingPackage, ...errors } },
    },
    async (request, reply) => withEtag(reply, await master.getPackage(request.ctx, request.params.id)),
  );
  r.patch(
    `${base}/packages/:id`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Edit a package, replace its items (version or If-Match)',
        params: IdParams,
        body: UpdateBillingPackageBody,
        response: { 200: BillingPackage, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await master.updatePackage(request.ctx, request.params.id, versionOf(request, request.body)),
      ),
  );

  // Accounts ---------------------------------------------------------------------------------------------
  r.post(
    `${base}/accounts`,
    {
      preHandler: charge,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Open a desk account for walk-in services',
        body: DeskAccountBody,
        response: { 201: BillingAccount, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(withEtag(reply, await accountsService.openDeskAccount(request.ctx, request.body))),
  );
  r.get(
    `${base}/accounts`,
    {
      preHandler: read,
      schema: {
        tags,
        summary:
          "The facility's accounts, newest first (?status=open: the desk's worklist), with patient and balances",
        querystring: BillingAccountQuery,
        response: { 200: BillingAccountPage, ...errors },
      },
    },
    async (request) => accountsService.listAccounts(request.ctx, request.query),
  );
  r.get(
    `${base}/accounts/:id`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'An account with its charges and running totals',
        params: IdParams,
        response: { 200: AccountDetail, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(reply, await accountsService.getAccountDetail(request.ctx, request.params.id)),
  );
  r.get(
    `${base}/patients/:patientId/accounts`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: "A patient's accounts, newest first, with their balances",
        params: BillingPatientParams,
        response: { 200: BillingAccountList, ...errors },
      },
    },
    async (request) => ({
      items: await accountsService.listPatientAccounts(request.ctx, request.params.patientId),
    }),
  );
  r.post(
    `${base}/accounts/:id/package`,
    {
      preHandler: charge,
      schema: {
        tags,
        summary: 'Put the account on a package (null: off it); charges are flagged covered or not',
        params: IdParams,
        body: ApplyPackageBody,
        response: { 200: AccountDetail, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await accountsService.applyPackage(request.ctx, request.params.id, versionOf(request, request.body)),
      ),
  );
  r.post(
    `${base}/accounts/:id/tariff-class`,
    {
      preHandler: charge,
      schema: {
        tags,
        summary: "Set the tariff class that prices the account's services",
        params: IdParams,
        body: ApplyTariffClassBody,
        response: { 200: BillingAccount, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await accountsService.applyTariffClass(
          request.ctx,
          request.params.id,
          versionOf(request, request.body),
        ),
      ),
  );
  r.get(
    `${base}/accounts/:id/charges`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Charges of an account',
        params: IdParams,
        response: { 200: ChargeList, ...errors },
      },
    },
    async (request) => ({ items: await chargesService.listAccountCharges(request.ctx, request.params.id) }),
  );

  // Charges ----------------------------------------------------------------------------------------------
  r.post(
    `${base}/charges`,
    {
      preHandler: charge,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Post a charge by hand (priced from the charge master at the service date)',
        body: PostChargeBody,
        response: { 201: Charge, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(withEtag(reply, await chargesService.postManualCharge(request.ctx, request.body))),
  );
  r.get(
    `${base}/charges/payment-status`,
    {
      preHandler: read,
      schema: {
        tags,
        summary:
          'Whether a source (a token, an order) is charged, to be paid before its service, and paid (its live final bill paid)',
        querystring: ChargePaymentStatusQuery,
        response: { 200: ChargePaymentStatus, ...errors },
      },
    },
    async (request) => chargePayment.getPaymentStatus(request.ctx, request.query),
  );
  r.get(
    `${base}/due-before-service`,
    {
      preHandler: read,
      schema: {
        tags,
        summary:
          "OPD charges of services paid before they are given, not paid yet: today's first, with patient name and MRN",
        querystring: DueBeforeServiceQuery,
        response: { 200: DueBeforeServicePage, ...errors },
      },
    },
    async (request) => chargePayment.listDueBeforeService(request.ctx, request.query),
  );
  r.get(
    `${base}/charges/:id`,
    {
      preHandler: read,
      schema: { tags, summary: 'A charge', params: IdParams, response: { 200: Charge, ...errors } },
    },
    async (request, reply) => withEtag(reply, await chargesService.getCharge(request.ctx, request.params.id)),
  );
  r.post(
    `${base}/charges/:id/cancel`,
    {
      preHandler: charge,
      schema: {
        tags,
        summary: 'Cancel a charge with a reason (409 while a final invoice bills it)',
        params: IdParams,
        body: CancelChargeBody,
        response: { 200: Charge, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await chargesService.cancelCharge(request.ctx, request.params.id, versionOf(request, request.body)),
      ),
  );

  // Unpriced orders --------------------------------------------------------------------------------------
  r.get(
    `${base}/unpriced-orders`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Orders of the date range that no charge bills (their code matches no priced service)',
        querystring: UnpricedOrderQuery,
        response: { 200: UnpricedOrderList, ...errors },
      },
    },
    async (request) => ({ items: await chargesService.listUnpricedOrders(request.ctx, request.query) }),
  );
  r.post(
    `${base}/unpriced-orders/:orderId/post`,
    {
      preHandler: charge,
      schema: {
        tags,
        summary: "Post an order's charge now that the charge master prices it",
        params: OrderParams,
        body: z.object({}).optional(),
        response: { 201: Charge, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(withEtag(reply, await postUnpricedOrder(request.ctx, request.params.orderId))),
  );

  // Revenue ----------------------------------------------------------------------------------------------
  r.get(
    `${base}/reports/revenue`,
    {
      preHandler: reports,
      schema: {
        tags,
        summary: 'Revenue by department and by service (active charges by service date)',
        querystring: RevenueQuery,
        response: { 200: RevenueReport, ...errors },
      },
    },
    async (request) => chargesService.revenueReport(request.ctx, request.query),
  );
}
