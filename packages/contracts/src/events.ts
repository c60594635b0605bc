import { z } from 'zod';
import { IsoDateTime, PageQuery, page, Uuid } from './common';

export const deliveryStatuses = ['pending', 'done', 'dead'] as const;
export const DeliveryStatus = z.enum(deliveryStatuses);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** One (event, subscriber) delivery of the transactional outbox. */
export const EventDelivery = z
  .object({
    eventId: Uuid,
    subscriber: z.string(),
    eventType: z.string(),
    occurredAt: IsoDateTime,
    status: DeliveryStatus,
    attempts: z.number().int(),
    nextAttemptAt: IsoDateTime,
    lastError: z.string().nullable(),
    handledAt: IsoDateTime.nullable(),
    handledBy: z.string().nullable(),
  })
  .meta({ id: 'EventDelivery' });
export type EventDelivery = z.infer<typeof EventDelivery>;

export const EventDeliveryQuery = PageQuery.extend({ status: DeliveryStatus.default('dead') });
export type EventDeliveryQuery = z.infer<typeof EventDeliveryQuery>;

export const EventDeliveryPage = page(EventDelivery);
export type EventDeliveryPage = z.infer<typeof EventDeliveryPage>;

export const EventDeliveryParams = z.object({ eventId: Uuid, subscriber: z.string().min(1).max(200) });
export type EventDeliveryParams = z.infer<typeof EventDeliveryParams>;

/** Health of event delivery: what waits, what has given up, and how far behind the oldest waiting one is. */
export const EventStats = z
  .object({
    pending: z.number().int(),
    retrying: z.number().int(),
    dead: z.number().int(),
    oldestPendingAgeSeconds: z.number().nullable(),
  })
  .meta({ id: 'EventStats' });
export type EventStats = z.infer<typeof EventStats>;
