import {
  CreditNoteBody,
  CreditNoteResult,
  Discount,
  DiscountDecisionBody,
  DiscountLimit,
  DiscountLimitBody,
  DiscountLimitList,
  DiscountLimitParams,
  DiscountList,
  DiscountListQuery,
  DiscountPage,
  DiscountRejectBody,
  DiscountReport,
  DiscountReportQuery,
  DiscountRequestBody,
  IdParams,
  Invoice,
  InvoiceAccountParams,
  InvoiceListQuery,
  InvoicePage,
  InvoicePreview,
  InvoicePreviewQuery,
  IssueInvoiceBody,
  Problem,
} from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { expectedVersion, setEtag } from '../../platform/http/etag';
import type { BillingEnv } from './billing.env';
import * as discounts from './discounts.service';
import { invoicePdf } from './invoice-pdf';
import * as invoices from './invoices.service';

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
const binary = (b: Buffer) => b as unknown as string;

/** Bills (preview, OPD, interim, final), credit notes and reissues, invoice PDFs, discounts and their limits. */
export async function invoicesRoutes(app: FastifyInstance, env: BillingEnv): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = app.requirePermission('billing:read');
  const invoice = app.requirePermission('billing:invoice');
  const approve = app.requirePermission('billing:approve');
  const manage = app.requirePermission('billing:manage');
  const reports = app.requirePermission('billing:reports');
  const readOrApprove = app.requirePermission('billing:read', 'billing:approve');

  r.get(
    `${base}/accounts/:accountId/invoice-preview`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'What a bill of this kind would be now: lines, discounts, GST, split (computed, not stored)',
        params: InvoiceAccountParams,
        querystring: InvoicePreviewQuery,
        response: { 200: InvoicePreview, ...errors },
      },
    },
    async (request) => invoices.previewInvoice(request.ctx, request.params.accountId, request.query.kind),
  );
  r.post(
    `${base}/accounts/:accountId/invoices`,
    {
      preHandler: invoice,
      config: { idempotent: true },
      schema: {
        tags,
        summary:
          'Issue an OPD bill, an IPD interim statement or the IPD final bill (numbered gaplessly per financial year)',
        params: InvoiceAccountParams,
        body: IssueInvoiceBody,
        response: { 201: Invoice, ...errors },
      },
    },
    async (request, reply) => {
      const i = await invoices.issueInvoice(request.ctx, env, request.params.accountId, {
        kind: request.body.kind,
        version: expectedVersion(request, request.body.version),
      });
      setEtag(reply, i.version);
      return reply.status(201).header('location', `${base}/invoices/${i.id}`).send(i);
    },
  );
  r.get(
    `${base}/invoices`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Invoices, newest first, by account, patient, kind or status',
        querystring: InvoiceListQuery,
        response: { 200: InvoicePage, ...errors },
      },
    },
    async (request) => invoices.listInvoices(request.ctx, request.query),
  );
  r.get(
    `${base}/invoices/:id`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'An invoice with its lines, GST summary and payer split',
        params: IdParams,
        response: { 200: Invoice, ...errors },
      },
    },
    async (request, reply) => {
      const i = await invoices.getInvoice(request.ctx, request.params.id);
      setEtag(reply, i.version);
      return i;
    },
  );
  r.get(
    `${base}/invoices/:id/invoice.pdf`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The invoice, credit note or interim statement as an A4 PDF',
        params: IdParams,
        response: { 200: Binary, ...errors },
      },
    },
    async (request, reply) => {
      const { pdf, invoice: i } = await invoicePdf(request.ctx, request.params.id);
      const name = (i.number ?? i.id).replaceAll('/', '-');
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${name}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(binary(pdf));
    },
  );
  r.post(
    `${base}/invoices/:id/credit-note`,
    {
      preHandler: approve,
      config: { idempotent: true },
      schema: {
        tags,
        summary:
          'Cancel a final bill with a credit note: charges free to bill again, payments allocated to it reversed',
        params: IdParams,
        body: CreditNoteBody,
        response: { 201: CreditNoteResult, ...errors },
      },
    },
    async (request, reply) => {
      const result = await invoices.creditInvoice(request.ctx, env, request.params.id, {
        reason: request.body.reason,
        version: expectedVersion(request, request.body.version),
      });
      return reply.status(201).header('location', `${base}/invoices/${result.creditNote.id}`).send(result);
    },
  );
  r.post(
    `${base}/invoices/:id/reissue`,
    {
      preHandler: invoice,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Issue the replacement of a bill cancelled by a credit note',
        params: IdParams,
        response: { 201: Invoice, ...errors },
      },
    },
    async (request, reply) => {
      const i = await invoices.reissueInvoice(request.ctx, env, request.params.id);
      setEtag(reply, i.version);
      return reply.status(201).header('location', `${base}/invoices/${i.id}`).send(i);
    },
  );

  // Discounts.
  r.post(
    `${base}/accounts/:accountId/discounts`,
    {
      preHandler: invoice,
      config: { idempotent: true },
      schema: {
        tags,
        summary:
          'Request a discount on the bill or a charge (approved at once within the role limit, else pending)',
        params: InvoiceAccountParams,
        body: DiscountRequestBody,
        response: { 201: Discount, ...errors },
      },
    },
    async (request, reply) => {
      const d = await discounts.requestDiscount(request.ctx, request.params.accountId, request.body);
      setEtag(reply, d.version);
      return reply.status(201).send(d);
    },
  );
  r.get(
    `${base}/accounts/:accountId/discounts`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The discounts of an account',
        params: InvoiceAccountParams,
        response: { 200: DiscountList, ...errors },
      },
    },
    async (request) => discounts.listAccountDiscounts(request.ctx, request.params.accountId),
  );
  r.get(
    `${base}/discounts`,
    {
      preHandler: readOrApprove,
      schema: {
        tags,
        summary:
          "The facility's discounts, oldest request first (?status=pending: the approvers' queue), with patient and account",
        querystring: DiscountListQuery,
        response: { 200: DiscountPage, ...errors },
      },
    },
    async (request) => discounts.listDiscounts(request.ctx, request.query),
  );
  for (const [action, decision] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    r.post(
      `${base}/discounts/:id/${action}`,
      {
        preHandler: approve,
        schema: {
          tags,
          summary: `${action === 'approve' ? 'Approve' : 'Reject'} a pending discount (not one's own request)`,
          params: IdParams,
          body: action === 'approve' ? DiscountDecisionBody : DiscountRejectBody,
          response: { 200: Discount, ...errors },
        },
      },
      async (request, reply) => {
        const d = await discounts.decideDiscount(request.ctx, request.params.id, decision, {
          note: request.body.note,
          version: expectedVersion(request, request.body.version),
        });
        setEtag(reply, d.version);
        return d;
      },
    );
  }
  r.post(
    `${base}/discounts/:id/withdraw`,
    {
      preHandler: invoice,
      schema: {
        tags,
        summary: 'Withdraw a discount no bill has applied yet',
        params: IdParams,
        body: DiscountDecisionBody.pick({ version: true }),
        response: { 200: Discount, ...errors },
      },
    },
    async (request, reply) => {
      const d = await discounts.withdrawDiscount(request.ctx, request.params.id, {
        version: expectedVersion(request, request.body.version),
      });
      setEtag(reply, d.version);
      return d;
    },
  );
  r.get(
    `${base}/discount-limits`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'How much discount each role may give on its own',
        response: { 200: DiscountLimitList, ...errors },
      },
    },
    async (request) => discounts.listDiscountLimits(request.ctx),
  );
  r.put(
    `${base}/discount-limits/:role`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: "Set a role's discount limit (percent in basis points and amount in paise)",
        params: DiscountLimitParams,
        body: DiscountLimitBody,
        response: { 200: DiscountLimit, ...errors },
      },
    },
    async (request) =>
      discounts.setDiscountLimit(request.ctx, request.params.role, {
        maxBp: request.body.maxBp,
        maxAmount: request.body.maxAmount,
        version: expectedVersion(request, request.body.version),
      }),
  );
  r.get(
    `${base}/reports/discounts`,
    {
      preHandler: reports,
      schema: {
        tags,
        summary: 'Discounts given in a date range, by reason, by requester and by approver',
        querystring: DiscountReportQuery,
        response: { 200: DiscountReport, ...errors },
      },
    },
    async (request) => discounts.discountReport(request.ctx, request.query),
  );
}
