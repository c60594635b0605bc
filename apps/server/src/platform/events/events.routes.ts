import {
  EventDelivery,
  EventDeliveryPage,
  EventDeliveryParams,
  EventDeliveryQuery,
  EventStats,
  Problem,
} from '@newhms/contracts';
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/database';
import { getEventStats, listDeliveries, retryDeadDelivery } from './deliveries.service';

export type EventsAdminDeps = {
  database: Database;
  requirePermission: (permission: string) => preHandlerHookHandler;
};

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const tags = ['events'];

/** Routes for administrators: event deliveries by status, retry of a dead one, and delivery health. */
export async function eventsAdminRoutes(app: FastifyInstance, deps: EventsAdminDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { preHandler: deps.requirePermission('events:admin') };

  r.get(
    '/api/v1/events/deliveries',
    {
      ...admin,
      schema: { tags, querystring: EventDeliveryQuery, response: { 200: EventDeliveryPage, ...errors } },
    },
    async (request) => listDeliveries(deps.database.db, request.query),
  );

  r.post(
    '/api/v1/events/deliveries/:eventId/:subscriber/retry',
    { ...admin, schema: { tags, params: EventDeliveryParams, response: { 200: EventDelivery, ...errors } } },
    async (request) => {
      const { eventId, subscriber } = request.params;
      return deps.database.db.transaction(async (tx) => {
        const delivery = await retryDeadDelivery(tx, eventId, subscriber);
        await recordAudit(tx, request.ctx, {
          action: 'admin',
          resourceType: 'event-delivery',
          resourceId: `${eventId}/${subscriber}`,
          detail: { operation: 'retry', eventType: delivery.eventType, lastError: delivery.lastError },
        });
        return delivery;
      });
    },
  );

  r.get(
    '/api/v1/events/stats',
    { ...admin, schema: { tags, response: { 200: EventStats, ...errors } } },
    async () => getEventStats(deps.database.db),
  );
}
