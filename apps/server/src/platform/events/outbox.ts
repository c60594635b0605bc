import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database';
import { newId } from '../db/ids';
import { deliveries, outbox } from './events.tables';

export const EVENTS_CHANNEL = 'newhms_events';

export type DomainEvent<P = unknown> = {
  id: string;
  type: string;
  facilityId: string | null;
  aggregateId: string | null;
  actorId: string | null;
  payload: P;
  occurredAt: Date;
};

export type EventHandler = (event: DomainEvent, tx: DbOrTx) => Promise<void>;
type Subscription = { subscriber: string; types: ReadonlySet<string>; handler: EventHandler };

/** The subscribers of this process, by name. Modules register theirs when their plugin loads. */
export class EventRegistry {
  readonly subscriptions = new Map<string, Subscription>();

  /** Registers an idempotent subscriber for some event types; names are stable across releases. */
  subscribe(subscriber: string, types: readonly string[], handler: EventHandler): void {
    if (this.subscriptions.has(subscriber)) throw new Error(`subscriber ${subscriber} registered twice`);
    this.subscriptions.set(subscriber, { subscriber, types: new Set(types), handler });
  }

  subscribersOf(type: string): string[] {
    return [...this.subscriptions.values()].filter((s) => s.types.has(type)).map((s) => s.subscriber);
  }
}

export type NewEvent<P = unknown> = {
  type: string;
  facilityId?: string | null;
  aggregateId?: string | null;
  actorId?: string | null;
  payload: P;
};

/**
 * Appends an event to the outbox inside the caller's transaction, with one pending delivery per
 * subscriber; NOTIFY is transactional, so the dispatcher wakes only once the change has committed.
 */
export async function appendEvent<P>(
  tx: DbOrTx,
  registry: EventRegistry,
  event: NewEvent<P>,
): Promise<string> {
  const id = newId();
  await tx.insert(outbox).values({
    id,
    type: event.type,
    facilityId: event.facilityId ?? null,
    aggregateId: event.aggregateId ?? null,
    actorId: event.actorId ?? null,
    payload: event.payload as object,
  });
  const subscribers = registry.subscribersOf(event.type);
  if (subscribers.length > 0) {
    await tx.insert(deliveries).values(subscribers.map((subscriber) => ({ eventId: id, subscriber })));
  }
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${event.type})`);
  return id;
}
