import type { EncounterDetail, Order } from '@newhms/contracts';
import { expect } from 'vitest';
import type { DomainEvent } from '../src/platform/events/outbox';
import type { TestApp } from './harness';

/**
 * Delivers an event again to one subscriber, `times` deliveries at once, each in its own transaction, as the
 * outbox does after a crash or a retry: none may fail (the subscribers are idempotent).
 */
export async function redeliver(
  t: TestApp,
  subscriber: string,
  event: DomainEvent,
  times = 1,
): Promise<void> {
  const subscription = t.app.deps.events.subscriptions.get(subscriber);
  if (!subscription) throw new Error(`no subscriber ${subscriber}`);
  const outcomes = await Promise.allSettled(
    Array.from({ length: times }, () => t.database.db.transaction((tx) => subscription.handler(event, tx))),
  );
  expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
}

/** The order as the encounter shows it to the doctor (GET /encounters/:id). */
export async function orderInEncounter(
  t: TestApp,
  headers: Record<string, string>,
  encounterId: string,
  orderId: string,
): Promise<Order> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/encounters/${encounterId}`, headers });
  expect(res.statusCode, res.body).toBe(200);
  const order = (res.json() as EncounterDetail).orders.find((o) => o.id === orderId);
  if (!order) throw new Error(`order ${orderId} not in encounter ${encounterId}`);
  return order;
}
