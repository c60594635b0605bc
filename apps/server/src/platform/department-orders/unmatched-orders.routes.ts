import {
  CloseUnmatchedOrderBody,
  IdParams,
  Problem,
  UnmatchedOrder,
  UnmatchedOrderQuery,
} from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { UnmatchedOrdersDesk } from './unmatched-orders.service';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };

/** Where a department serves its unmatched orders, and who follows them up. */
export type UnmatchedOrdersRoutesConfig = {
  /** `/api/v1/laboratory/unmatched-orders` */
  path: string;
  /** The OpenAPI tag: the module's name. */
  tag: string;
  /** The department's staff who follow them up (any one of these); a doctor sees their own in the encounter. */
  permissions: readonly [string, ...string[]];
  /** The list's OpenAPI summary, in the department's words. */
  listSummary: string;
};

/** Encounter orders the catalog could not match: the department's list to call the ordering doctors from. */
export function unmatchedOrdersRoutes(desk: UnmatchedOrdersDesk, config: UnmatchedOrdersRoutesConfig) {
  return async (app: FastifyInstance): Promise<void> => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = [config.tag];
    const staff = app.requirePermission(...config.permissions);
    r.get(
      config.path,
      {
        preHandler: staff,
        schema: {
          tags,
          summary: config.listSummary,
          querystring: UnmatchedOrderQuery,
          response: { 200: z.array(UnmatchedOrder), ...errors },
        },
      },
      async (request) => desk.listUnmatchedOrders(request.ctx, request.query),
    );
    r.post(
      `${config.path}/:id/close`,
      {
        preHandler: staff,
        schema: {
          tags,
          summary: 'Close an unmatched order with what was done about it (the doctor was called, re-ordered)',
          params: IdParams,
          body: CloseUnmatchedOrderBody,
          response: { 200: UnmatchedOrder, ...errors },
        },
      },
      async (request) => desk.closeUnmatchedOrder(request.ctx, request.params.id, request.body),
    );
  };
}
