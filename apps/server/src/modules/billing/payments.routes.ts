import {
  AccountBalanceParams,
  AllocateBody,
  CashCounter,
  CashCounterBody,
  CashCounterList,
  CashierShift,
  CashierShiftList,
  CloseShiftBody,
  CollectionsReport,
  DayEndQuery,
  DayEndReport,
  DepositLedger,
  IdParams,
  OpenShiftBody,
  PatientBalanceParams,
  Payment,
  PaymentBalance,
  PaymentPage,
  PaymentQuery,
  PayRefundBody,
  Problem,
  ReceivePaymentBody,
  Refund,
  RefundDecisionBody,
  RefundPage,
  RefundQuery,
  RefundsReport,
  RejectRefundBody,
  ReportPeriodQuery,
  RequestRefundBody,
  ShiftQuery,
  UpdateCashCounterBody,
} from '@newhms/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { expectedVersion, setEtag } from '../../platform/http/etag';
import type { BillingEnv } from './billing.env';
import * as cashier from './cashier.service';
import * as pay from './payments.service';
import { collectionsReport, refundsReport } from './payments-reports';
import { receiptPdf, refundPdf, shiftSummaryPdf } from './receipt-pdf';
import * as refunds from './refunds.service';

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
/** A binary body (PDF); Fastify sends Buffers as they are, the schema only documents it. */
const Binary = z.string().meta({ format: 'binary' });

function sendPdf(reply: FastifyReply, pdf: Buffer, name: string) {
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `inline; filename="${name.replaceAll('/', '-')}.pdf"`)
    .header('cache-control', 'private, no-store')
    .send(pdf as unknown as string);
}

/** Counters, cashier shifts and the day end, payments and deposits, allocations, refunds, balances, reports. */
export async function paymentsRoutes(app: FastifyInstance, env: BillingEnv): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = app.requirePermission('billing:read');
  const collect = app.requirePermission('billing:collect');
  const approve = app.requirePermission('billing:approve');
  const manage = app.requirePermission('billing:manage');
  const reports = app.requirePermission('billing:reports');
  const dayEnd = app.requirePermission('billing:collect', 'billing:reports');

  // Counters ---------------------------------------------------------------------------------------------
  r.get(
    `${base}/counters`,
    {
      preHandler: read,
      schema: { tags, summary: 'Cash counters', response: { 200: CashCounterList, ...errors } },
    },
    async (request) => ({ items: await cashier.listCounters(request.ctx) }),
  );
  r.post(
    `${base}/counters`,
    {
      preHandler: manage,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Add a cash counter',
        body: CashCounterBody,
        response: { 201: CashCounter, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await cashier.createCounter(request.ctx, request.body)),
  );
  r.patch(
    `${base}/counters/:id`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Rename or (de)activate a counter',
        params: IdParams,
        body: UpdateCashCounterBody,
        response: { 200: CashCounter, ...errors },
      },
    },
    async (request) => cashier.updateCounter(request.ctx, request.params.id, request.body),
  );

  // Shifts -----------------------------------------------------------------------------------------------
  r.post(
    `${base}/cashier/shifts`,
    {
      preHandler: collect,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Open my shift at a counter with an opening float (one open shift per cashier and counter)',
        body: OpenShiftBody,
        response: { 201: CashierShift, ...errors },
      },
    },
    async (request, reply) => {
      const s = await cashier.openShift(request.ctx, request.body);
      setEtag(reply, s.version);
      return reply.status(201).send(s);
    },
  );
  r.get(
    `${base}/cashier/shifts/current`,
    {
      preHandler: collect,
      schema: {
        tags,
        summary: 'My open shift, with its figures so far',
        response: { 200: CashierShift, ...errors },
      },
    },
    async (request, reply) => {
      const s = await cashier.currentShift(request.ctx);
      setEtag(reply, s.version);
      return s;
    },
  );
  r.get(
    `${base}/cashier/shifts`,
    {
      preHandler: dayEnd,
      schema: {
        tags,
        summary: 'Shifts of a business date (default today)',
        querystring: ShiftQuery,
        response: { 200: CashierShiftList, ...errors },
      },
    },
    async (request) => ({ items: await cashier.listShifts(request.ctx, request.query) }),
  );
  r.get(
    `${base}/cashier/shifts/:id`,
    {
      preHandler: dayEnd,
      schema: { tags, summary: 'A shift', params: IdParams, response: { 200: CashierShift, ...errors } },
    },
    async (request, reply) => {
      const s = await cashier.getShift(request.ctx, request.params.id);
      setEtag(reply, s.version);
      return s;
    },
  );
  r.post(
    `${base}/cashier/shifts/:id/close`,
    {
      preHandler: collect,
      schema: {
        tags,
        summary: 'Close a shift with the cash counted (expected cash and the difference are recorded)',
        params: IdParams,
        body: CloseShiftBody,
        response: { 200: CashierShift, ...errors },
      },
    },
    async (request, reply) => {
      const s = await cashier.closeShift(request.ctx, request.params.id, {
        ...request.body,
        version: expectedVersion(request, request.body.version) ?? request.body.version,
      });
      setEtag(reply, s.version);
      return s;
    },
  );
  r.get(
    `${base}/cashier/shifts/:id/summary.pdf`,
    {
      preHandler: dayEnd,
      schema: {
        tags,
        summary: "A shift's summary as a PDF",
        params: IdParams,
        response: { 200: Binary, ...errors },
      },
    },
    async (request, reply) => {
      const { pdf, shift } = await shiftSummaryPdf(request.ctx, request.params.id);
      return sendPdf(reply, pdf, `shift-${shift.counterCode}-${shift.businessDate}`);
    },
  );
  r.get(
    `${base}/cashier/day-end`,
    {
      preHandler: dayEnd,
      schema: {
        tags,
        summary: 'Day-end closing per cashier and counter: totals by mode, refunds, expected vs counted cash',
        querystring: DayEndQuery,
        response: { 200: DayEndReport, ...errors },
      },
    },
    async (request) => cashier.dayEndReport(request.ctx, request.query),
  );

  // Payments ---------------------------------------------------------------------------------------------
  r.post(
    `${base}/payments`,
    {
      preHandler: collect,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Take a payment or deposit in my open shift (receipt numbered), optionally allocating it',
        body: ReceivePaymentBody,
        response: { 201: Payment, ...errors },
      },
    },
    async (request, reply) => {
      const p = await pay.receivePayment(request.ctx, env, request.body);
      setEtag(reply, p.version);
      return reply.status(201).header('location', `${base}/payments/${p.id}`).send(p);
    },
  );
  r.get(
    `${base}/payments`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Payments, newest first',
        querystring: PaymentQuery,
        response: { 200: PaymentPage, ...errors },
      },
    },
    async (request) => pay.listPayments(request.ctx, request.query),
  );
  r.get(
    `${base}/payments/:id`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'A payment with its allocations',
        params: IdParams,
        response: { 200: Payment, ...errors },
      },
    },
    async (request, reply) => {
      const p = await pay.getPayment(request.ctx, request.params.id);
      setEtag(reply, p.version);
      return p;
    },
  );
  r.post(
    `${base}/payments/:id/allocations`,
    {
      preHandler: collect,
      schema: {
        tags,
        summary:
          "Allocate a payment's unallocated rest to named bills, or automatically to the oldest unpaid",
        params: IdParams,
        body: AllocateBody,
        response: { 200: Payment, ...errors },
      },
    },
    async (request, reply) => {
      const p = await pay.allocatePayment(request.ctx, env, request.params.id, request.body);
      setEtag(reply, p.version);
      return p;
    },
  );
  r.get(
    `${base}/payments/:id/receipt.pdf`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The receipt as a PDF',
        params: IdParams,
        response: { 200: Binary, ...errors },
      },
    },
    async (request, reply) => {
      const { pdf, payment } = await receiptPdf(request.ctx, request.params.id);
      return sendPdf(reply, pdf, payment.receiptNumber);
    },
  );
  r.get(
    `${base}/balances/patients/:patientId`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: "A patient's running balance: received, allocated, refunded, available, outstanding",
        params: PatientBalanceParams,
        response: { 200: PaymentBalance, ...errors },
      },
    },
    async (request) => pay.getPatientBalance(request.ctx, request.params.patientId),
  );
  r.get(
    `${base}/balances/accounts/:accountId`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: "An account's deposit ledger: every receipt, allocation and refund with the running balance",
        params: AccountBalanceParams,
        response: { 200: DepositLedger, ...errors },
      },
    },
    async (request) => pay.getAccountLedger(request.ctx, request.params.accountId),
  );

  // Refunds ----------------------------------------------------------------------------------------------
  r.post(
    `${base}/refunds`,
    {
      preHandler: collect,
      config: { idempotent: true },
      schema: {
        tags,
        summary: "Request a refund from a payment's unallocated rest, with the reason",
        body: RequestRefundBody,
        response: { 201: Refund, ...errors },
      },
    },
    async (request, reply) => {
      const x = await refunds.requestRefund(request.ctx, request.body);
      setEtag(reply, x.version);
      return reply.status(201).header('location', `${base}/refunds/${x.id}`).send(x);
    },
  );
  r.get(
    `${base}/refunds`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Refunds, newest first',
        querystring: RefundQuery,
        response: { 200: RefundPage, ...errors },
      },
    },
    async (request) => refunds.listRefunds(request.ctx, request.query),
  );
  r.get(
    `${base}/refunds/:id`,
    {
      preHandler: read,
      schema: { tags, summary: 'A refund', params: IdParams, response: { 200: Refund, ...errors } },
    },
    async (request, reply) => {
      const x = await refunds.getRefund(request.ctx, request.params.id);
      setEtag(reply, x.version);
      return x;
    },
  );
  r.post(
    `${base}/refunds/:id/approve`,
    {
      preHandler: approve,
      schema: {
        tags,
        summary: 'Approve a refund (not your own request): its amount is reserved on the payment',
        params: IdParams,
        body: RefundDecisionBody,
        response: { 200: Refund, ...errors },
      },
    },
    async (request, reply) => {
      const x = await refunds.approveRefund(request.ctx, request.params.id, {
        ...request.body,
        version: expectedVersion(request, request.body.version) ?? request.body.version,
      });
      setEtag(reply, x.version);
      return x;
    },
  );
  r.post(
    `${base}/refunds/:id/reject`,
    {
      preHandler: approve,
      schema: {
        tags,
        summary: 'Reject a refund request (not your own), with the reason',
        params: IdParams,
        body: RejectRefundBody,
        response: { 200: Refund, ...errors },
      },
    },
    async (request, reply) => {
      const x = await refunds.rejectRefund(request.ctx, request.params.id, {
        ...request.body,
        version: expectedVersion(request, request.body.version) ?? request.body.version,
      });
      setEtag(reply, x.version);
      return x;
    },
  );
  r.post(
    `${base}/refunds/:id/pay`,
    {
      preHandler: collect,
      schema: {
        tags,
        summary: 'Pay out an approved refund (cash from my open shift); numbered RF/<year>/...',
        params: IdParams,
        body: PayRefundBody,
        response: { 200: Refund, ...errors },
      },
    },
    async (request, reply) => {
      const x = await refunds.payRefund(request.ctx, env, request.params.id, {
        ...request.body,
        version: expectedVersion(request, request.body.version) ?? request.body.version,
      });
      setEtag(reply, x.version);
      return x;
    },
  );
  r.get(
    `${base}/refunds/:id/voucher.pdf`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The refund voucher as a PDF',
        params: IdParams,
        response: { 200: Binary, ...errors },
      },
    },
    async (request, reply) => {
      const { pdf, refund } = await refundPdf(request.ctx, request.params.id);
      return sendPdf(reply, pdf, refund.refundNumber ?? `refund-${refund.id}`);
    },
  );

  // Reports ----------------------------------------------------------------------------------------------
  r.get(
    `${base}/reports/collections`,
    {
      preHandler: reports,
      schema: {
        tags,
        summary: 'Collections of a period by mode, cashier, department and service group',
        querystring: ReportPeriodQuery,
        response: { 200: CollectionsReport, ...errors },
      },
    },
    async (request) => collectionsReport(request.ctx, request.query),
  );
  r.get(
    `${base}/reports/refunds`,
    {
      preHandler: reports,
      schema: {
        tags,
        summary: 'Refunds paid in a period, and who requested, approved and paid them',
        querystring: ReportPeriodQuery,
        response: { 200: RefundsReport, ...errors },
      },
    },
    async (request) => refundsReport(request.ctx, request.query),
  );
}
