import type { DeliveryStatus, EventDelivery, EventDeliveryPage, EventStats } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database';
import { rowsOf } from '../db/raw-rows';
import { Conflict, NotFound } from '../http/errors';
import { decodeCursor, toPage } from '../http/pagination';
import { EVENTS_CHANNEL } from './outbox';

type DeliveryRow = {
  event_id: string;
  subscriber: string;
  event_type: string;
  occurred_at: Date | string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | string;
  // Microsecond text of next_attempt_at: a millisecond cursor would skip or repeat rows.
  cursor_time: string;
  last_error: string | null;
  handled_at: Date | string | null;
  handled_by: string | null;
};

const iso = (d: Date | string) => new Date(d).toISOString();

function toDelivery(r: DeliveryRow): EventDelivery {
  return {
    eventId: r.event_id,
    subscriber: r.subscriber,
    eventType: r.event_type,
    occurredAt: iso(r.occurred_at),
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: iso(r.next_attempt_at),
    lastError: r.last_error,
    handledAt: r.handled_at === null ? null : iso(r.handled_at),
    handledBy: r.handled_by,
  };
}

const selectDelivery = sql`
  select d.event_id, d.subscriber, o.type as event_type, o.occurred_at, d.status, d.attempts,
         d.next_attempt_at, to_char(d.next_attempt_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_time,
         d.last_error, d.handled_at, d.handled_by
    from events.deliveries d
    join events.outbox o on o.id = d.event_id`;

/** Deliveries in one status, oldest due first, by keyset on (next_attempt_at, event_id, subscriber). */
export async function listDeliveries(
  db: DbOrTx,
  query: { status: DeliveryStatus; limit: number; cursor?: string | undefined },
): Promise<EventDeliveryPage> {
  const after = decodeCursor(query.cursor, 3);
  const keyset = after
    ? sql`and (d.next_attempt_at, d.event_id, d.subscriber) > (${after[0]}::timestamptz, ${after[1]}::uuid, ${after[2]})`
    : sql``;
  const rows = await rowsOf<DeliveryRow>(
    db,
    sql`${selectDelivery}
    where d.status = ${query.status} ${keyset}
    order by d.next_attempt_at, d.event_id, d.subscriber
    limit ${query.limit + 1}`,
  );
  const page = toPage(rows, query.limit, (r) => [r.cursor_time, r.event_id, r.subscriber]);
  return { items: page.items.map(toDelivery), nextCursor: page.nextCursor };
}

/** Gives a dead delivery a fresh set of attempts, due now, and wakes the dispatchers. */
export async function retryDeadDelivery(
  db: DbOrTx,
  eventId: string,
  subscriber: string,
): Promise<EventDelivery> {
  const key = sql`d.event_id = ${eventId} and d.subscriber = ${subscriber}`;
  return db.transaction(async (tx) => {
    const [current] = await rowsOf<DeliveryRow>(tx, sql`${selectDelivery} where ${key} for update of d`);
    if (!current) throw new NotFound('Event delivery', 'EVENTS_DELIVERY_NOT_FOUND');
    if (current.status !== 'dead') {
      throw new Conflict(
        'EVENTS_DELIVERY_NOT_DEAD',
        `Only a dead delivery can be retried; this one is ${current.status}`,
      );
    }
    await tx.execute(sql`update events.deliveries d set status = 'pending', attempts = 0, next_attempt_at = now()
                          where ${key}`);
    // NOTIFY is sent at commit, so a dispatcher woken by it sees the delivery pending.
    await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, 'retry')`);
    const [row] = await rowsOf<DeliveryRow>(tx, sql`${selectDelivery} where ${key}`);
    return toDelivery(row!);
  });
}

/** Counts of waiting and dead deliveries and the age of the oldest waiting event (the event lag). */
export async function getEventStats(db: DbOrTx): Promise<EventStats> {
  const [row] = await rowsOf<{
    pending: number;
    retrying: number;
    dead: number;
    lag: number | string | null;
  }>(
    db,
    sql`
    select count(*) filter (where d.status = 'pending')::int as pending,
           count(*) filter (where d.status = 'pending' and d.attempts > 0)::int as retrying,
           count(*) filter (where d.status = 'dead')::int as dead,
           extract(epoch from now() - min(o.occurred_at) filter (where d.status = 'pending'))::float8 as lag
      from events.deliveries d
      join events.outbox o on o.id = d.event_id
     where d.status in ('pending', 'dead')`,
  );
  return {
    pending: row?.pending ?? 0,
    retrying: row?.retrying ?? 0,
    dead: row?.dead ?? 0,
    oldestPendingAgeSeconds: row?.lag == null ? null : Math.max(0, Number(row.lag)),
  };
}
