import {
  AdmissionDiet,
  DietAdmissionParams,
  DietOrder,
  DietOrderBody,
  IdParams,
  KitchenList,
  KitchenListQuery,
  Problem,
  StopDietOrderBody,
} from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { expectedVersion, setEtag } from '../../platform/http/etag';
import * as orders from './diet-orders.service';
import { kitchenList, kitchenListPdf } from './kitchen.service';

const errors = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  412: Problem,
  422: Problem,
};
const tags = ['dietary'];
/** A binary body (PDF); Fastify sends Buffers as they are, the schema only documents it. */
const Binary = z.string().meta({ format: 'binary' });
const binary = (b: Buffer) => b as unknown as string;

/** Diet orders per admission and the kitchen's lists. */
export async function dietaryRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = app.requirePermission('dietary:read');
  const order = app.requirePermission('dietary:order');

  r.post(
    '/api/v1/dietary/admissions/:admissionId/orders',
    {
      preHandler: order,
      config: { idempotent: true },
      schema: {
        tags,
        summary:
          'Order a diet for an open admission (replaces the active order; allergies copied from the record)',
        params: DietAdmissionParams,
        body: DietOrderBody,
        response: { 201: DietOrder, ...errors },
      },
    },
    async (request, reply) => {
      const o = await orders.orderDiet(request.ctx, request.params.admissionId, request.body);
      setEtag(reply, o.version);
      return reply.status(201).header('location', `/api/v1/dietary/orders/${o.id}`).send(o);
    },
  );
  r.get(
    '/api/v1/dietary/admissions/:admissionId',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "An admission's diet: where the patient lies, the active order and the history",
        params: DietAdmissionParams,
        response: { 200: AdmissionDiet, ...errors },
      },
    },
    async (request) => orders.getAdmissionDiet(request.ctx, request.params.admissionId),
  );
  r.get(
    '/api/v1/dietary/orders/:id',
    {
      preHandler: read,
      schema: { tags, summary: 'A diet order', params: IdParams, response: { 200: DietOrder, ...errors } },
    },
    async (request, reply) => {
      const o = await orders.getDietOrder(request.ctx, request.params.id);
      setEtag(reply, o.version);
      return o;
    },
  );
  r.post(
    '/api/v1/dietary/orders/:id/stop',
    {
      preHandler: order,
      schema: {
        tags,
        summary: 'Stop the active order, with the reason',
        params: IdParams,
        body: StopDietOrderBody,
        response: { 200: DietOrder, ...errors },
      },
    },
    async (request, reply) => {
      const o = await orders.stopDietOrder(request.ctx, request.params.id, {
        reason: request.body.reason,
        version: expectedVersion(request, request.body.version),
      });
      setEtag(reply, o.version);
      return o;
    },
  );
  r.get(
    '/api/v1/dietary/kitchen-list',
    {
      preHandler: read,
      schema: {
        tags,
        summary:
          'The kitchen list of a meal: by ward and bed, diets, NPO, allergies; tube feeds apart; counts',
        querystring: KitchenListQuery,
        response: { 200: KitchenList, ...errors },
      },
    },
    async (request) => kitchenList(request.ctx, request.query),
  );
  r.get(
    '/api/v1/dietary/kitchen-list.pdf',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The kitchen list of a meal as an A4 PDF for the tray line',
        querystring: KitchenListQuery,
        response: { 200: Binary, ...errors },
      },
    },
    async (request, reply) => {
      const pdf = await kitchenListPdf(request.ctx, request.query);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="kitchen-${request.query.meal}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(binary(pdf));
    },
  );
}
