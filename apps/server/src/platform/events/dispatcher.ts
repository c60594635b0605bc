import { hostname } from 'node:os';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database, DbOrTx, Tx } from '../db/database';
import { rowsOf } from '../db/raw-rows';
import { type BackoffPolicy, computeBackoffMs, defaultBackoff } from './backoff';
import { type DeliveryOutcome, type EventMetrics, noEventMetrics } from './events.metrics';
import { deliveries } from './events.tables';
import { type DomainEvent, EVENTS_CHANNEL, type EventRegistry } from './outbox';
import { startWakeLoop } from './wake-loop';

export type DispatcherOptions = {
  database: Database;
  registry: EventRegistry;
  logger: Logger;
  /** Fallback poll interval; NOTIFY on the events channel wakes the dispatcher sooner. */
  pollMs?: number;
  /** Recorded as handled_by on each delivery this process completes. */
  workerId?: string;
  /** Deliveries claimed and handled per transaction. */
  batchSize?: number;
  /** Attempts before a delivery is dead. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  metrics?: EventMetrics;
};

export type Dispatcher = {
  /** Stops polling and listening and waits for the batch in hand to finish. */
  stop(): Promise<void>;
  /** Handles everything due now (for tests and the CLI); returns how many deliveries it attempted. */
  drain(): Promise<number>;
};

type Claimed = {
  eventId: string;
  subscriber: string;
  attempts: number;
  type: string;
  facilityId: string | null;
  aggregateId: string | null;
  actorId: string | null;
  payload: unknown;
  occurredAt: Date;
};

type Result = { delivery: Claimed; outcome: DeliveryOutcome; error?: unknown; delayMs?: number };

const MAX_ERROR_LENGTH = 2000;

/**
 * Starts delivering outbox events to this process's subscribers. Each handler runs inside the
 * transaction that marks its delivery done, so its database writes and the mark commit together
 * (exactly once for database effects; at least once for anything outside the database).
 */
export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const { database, registry, logger } = options;
  const pollMs = options.pollMs ?? 1000;
  const workerId = options.workerId ?? `${hostname()}#${process.pid}`;
  const batchSize = options.batchSize ?? 10;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoff = options.backoff ?? defaultBackoff;
  const metrics = options.metrics ?? noEventMetrics;
  const log = logger.child({ component: 'events-dispatcher', workerId });

  // Raw SQL: Drizzle qualifies the table in FOR UPDATE OF, which PostgreSQL refuses.
  const claim = (tx: Tx, condition: SQL, limit: number) =>
    rowsOf<Claimed>(
      tx,
      sql`select d.event_id as "eventId", d.subscriber, d.attempts, o.type, o.facility_id as "facilityId",
                 o.aggregate_id as "aggregateId", o.actor_id as "actorId", o.payload, o.occurred_at as "occurredAt"
            from events.deliveries d
            join events.outbox o on o.id = d.event_id
           where d.status = 'pending' and ${condition}
           order by d.next_attempt_at
           limit ${limit}
             for update of d skip locked`,
    );

  const keyOf = (d: Claimed) =>
    and(eq(deliveries.eventId, d.eventId), eq(deliveries.subscriber, d.subscriber));

  async function recordFailure(db: DbOrTx, delivery: Claimed, error: unknown): Promise<Result> {
    const attempts = delivery.attempts + 1;
    const lastError = describeError(error);
    if (attempts >= maxAttempts) {
      await db
        .update(deliveries)
        .set({ status: 'dead', attempts, lastError, handledBy: workerId })
        .where(and(keyOf(delivery), eq(deliveries.status, 'pending')));
      return { delivery, outcome: 'dead', error };
    }
    const delayMs = computeBackoffMs(attempts, backoff);
    await db
      .update(deliveries)
      .set({ attempts, lastError, nextAttemptAt: sql`now() + ${delayMs} * interval '1 millisecond'` })
      .where(and(keyOf(delivery), eq(deliveries.status, 'pending')));
    return { delivery, outcome: 'retry', error, delayMs };
  }

  async function handle(tx: Tx, delivery: Claimed): Promise<Result> {
    const subscription = registry.subscriptions.get(delivery.subscriber);
    if (!subscription) return recordFailure(tx, delivery, new Error('subscriber is no longer registered'));
    const event: DomainEvent = {
      id: delivery.eventId,
      type: delivery.type,
      facilityId: delivery.facilityId,
      aggregateId: delivery.aggregateId,
      actorId: delivery.actorId,
      payload: delivery.payload,
      // Raw rows: the driver may hand a timestamptz over as text.
      occurredAt: new Date(delivery.occurredAt),
    };
    try {
      // A savepoint: a failing handler's writes roll back, the failure bookkeeping below still commits.
      await tx.transaction((savepoint) => subscription.handler(event, savepoint));
    } catch (error) {
      return recordFailure(tx, delivery, error);
    }
    await tx
      .update(deliveries)
      .set({
        status: 'done',
        attempts: delivery.attempts + 1,
        handledAt: sql`now()`,
        handledBy: workerId,
        lastError: null,
      })
      .where(keyOf(delivery));
    return { delivery, outcome: 'done' };
  }

  function report(results: Result[]): void {
    for (const { delivery, outcome, error, delayMs } of results) {
      metrics.recordDelivery(delivery.subscriber, outcome);
      const fields = { eventId: delivery.eventId, type: delivery.type, subscriber: delivery.subscriber };
      if (outcome === 'retry')
        log.warn({ ...fields, err: error, delayMs }, 'event handler failed; will retry');
      if (outcome === 'dead') log.error({ ...fields, err: error }, 'event handler failed for the last time');
    }
  }

  /** Claims one batch of due deliveries and handles it in one transaction; returns how many it claimed. */
  async function dispatchBatch(): Promise<number> {
    const subscribers = [...registry.subscriptions.keys()];
    if (subscribers.length === 0) return 0;
    let claimed: Claimed[] = [];
    try {
      const results = await database.db.transaction(async (tx) => {
        claimed = await claim(
          tx,
          sql`d.next_attempt_at <= now() and d.subscriber in (${sql.join(
            subscribers.map((s) => sql`${s}`),
            sql`, `,
          )})`,
          batchSize,
        );
        const out: Result[] = [];
        for (const delivery of claimed) out.push(await handle(tx, delivery));
        return out;
      });
      report(results);
      return claimed.length;
    } catch (error) {
      if (claimed.length === 0) throw error;
      // Something beyond one handler broke the batch (a deferred constraint at commit, a lost
      // connection): handle its deliveries one by one, so that one bad delivery cannot hold back the rest.
      log.warn(
        { err: error, count: claimed.length },
        'event batch failed; handling its deliveries one by one',
      );
      for (const delivery of claimed) await dispatchOne(delivery);
      return claimed.length;
    }
  }

  async function dispatchOne(delivery: Claimed): Promise<void> {
    try {
      const result = await database.db.transaction(async (tx) => {
        const [fresh] = await claim(
          tx,
          sql`d.event_id = ${delivery.eventId} and d.subscriber = ${delivery.subscriber}`,
          1,
        );
        return fresh ? handle(tx, fresh) : undefined;
      });
      if (result) report([result]);
    } catch (error) {
      report([await recordFailure(database.db, delivery, error)]);
    }
  }

  async function dispatchDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await dispatchBatch();
      total += n;
      if (n === 0 || stopped) return total;
    }
  }

  let stopped = false;
  const loop = startWakeLoop({ database, channel: EVENTS_CHANNEL, pollMs, log, pass: dispatchDue });

  return {
    async stop() {
      stopped = true;
      await loop.stop();
    },
    drain: () => loop.exclusive(dispatchDue),
  };
}

function describeError(error: unknown): string {
  // Drizzle's "Failed query" wraps the driver error and repeats the SQL with its parameters, which may
  // hold patient data: keep the driver's message only.
  const cause = error instanceof Error && error.message.startsWith('Failed query') ? error.cause : undefined;
  const shown = cause instanceof Error ? cause : error;
  const text = shown instanceof Error ? `${shown.name}: ${shown.message}` : String(shown);
  return text.slice(0, MAX_ERROR_LENGTH);
}
