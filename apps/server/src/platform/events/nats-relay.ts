import { type JetStreamClient, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection, nanos } from '@nats-io/transport-node';
import { asc, inArray, isNull, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database, DbOrTx } from '../db/database';
import { computeBackoffMs } from './backoff';
import { type EventMetrics, noEventMetrics } from './events.metrics';
import { outbox } from './events.tables';
import { EVENTS_CHANNEL } from './outbox';
import { startWakeLoop } from './wake-loop';

export type NatsRelayOptions = {
  database: Database;
  /** nats://host:port of a server with JetStream enabled. */
  url: string;
  logger: Logger;
  /** Stream that holds the events; created with subjects `<subjectPrefix>.>` when missing. */
  stream?: string;
  subjectPrefix?: string;
  pollMs?: number;
  batchSize?: number;
  /** How long JetStream remembers a message id: a re-publish within it is dropped as a duplicate. */
  duplicateWindowMs?: number;
  metrics?: EventMetrics;
};

export type NatsRelay = {
  stop(): Promise<void>;
  /** Relays every outbox event not yet relayed (for tests); returns how many it published. */
  drain(): Promise<number>;
};

type OutboxRow = typeof outbox.$inferSelect;

const connectBackoff = { baseMs: 1000, capMs: 60_000, jitter: 0.2 };

/** Subject of an event type: `newhms.laboratory.result.finalized`. */
export function subjectOf(prefix: string, type: string): string {
  return `${prefix}.${type.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

/**
 * Publishes outbox events to NATS JetStream, oldest first, with the event id as the message id so
 * that JetStream drops a re-publish (after a crash between publish and marking) as a duplicate.
 * A NATS outage is logged and retried with backoff; it never stops the process or the dispatcher.
 */
export function startNatsRelay(options: NatsRelayOptions): NatsRelay {
  const { database, url } = options;
  const streamName = options.stream ?? 'NEWHMS_EVENTS';
  const prefix = options.subjectPrefix ?? 'newhms';
  const pollMs = options.pollMs ?? 1000;
  const batchSize = options.batchSize ?? 100;
  const duplicateWindowMs = options.duplicateWindowMs ?? 10 * 60_000;
  const metrics = options.metrics ?? noEventMetrics;
  const log = options.logger.child({ component: 'nats-relay', stream: streamName });

  let nc: NatsConnection | undefined;
  let js: JetStreamClient | undefined;
  let connected = false;
  let connectFailures = 0;
  let nextConnectAt = 0;
  let stopped = false;

  async function watchStatus(conn: NatsConnection): Promise<void> {
    for await (const status of conn.status()) {
      if (status.type === 'disconnect') {
        connected = false;
        log.warn('NATS disconnected; events wait in the outbox');
      } else if (status.type === 'reconnect') {
        connected = true;
        log.info('NATS reconnected');
        loop.wake();
      }
    }
  }

  async function ensureStream(conn: NatsConnection): Promise<void> {
    const jsm = await jetstreamManager(conn);
    const subjects = [`${prefix}.>`];
    try {
      const info = await jsm.streams.info(streamName);
      if (!subjects.every((s) => info.config.subjects?.includes(s))) {
        log.warn(
          { subjects: info.config.subjects },
          'the stream exists without the newhms subjects; left as it is',
        );
      }
    } catch (error) {
      if ((error as { name?: string }).name !== 'StreamNotFoundError') throw error;
      await jsm.streams.add({ name: streamName, subjects, duplicate_window: nanos(duplicateWindowMs) });
      log.info({ subjects }, 'created the JetStream stream');
    }
  }

  async function ensureConnected(): Promise<JetStreamClient | undefined> {
    if (nc && !nc.isClosed()) return connected ? js : undefined;
    if (Date.now() < nextConnectAt) return undefined;
    try {
      const conn = await connect({
        servers: url,
        name: 'newhms-relay',
        maxReconnectAttempts: -1,
        reconnectTimeWait: 2000,
        timeout: 5000,
      });
      try {
        await ensureStream(conn);
      } catch (error) {
        await conn.close().catch(() => {});
        throw error;
      }
      nc = conn;
      js = jetstream(conn, { timeout: 5000 });
      connected = true;
      connectFailures = 0;
      void watchStatus(conn).catch(() => {});
      log.info('connected to NATS');
      return js;
    } catch (error) {
      connectFailures += 1;
      const delayMs = computeBackoffMs(connectFailures, connectBackoff);
      nextConnectAt = Date.now() + delayMs;
      metrics.recordRelayError();
      log.warn({ err: error, retryInMs: delayMs }, 'cannot reach NATS; will retry');
      return undefined;
    }
  }

  /** Publishes the rows; returns the ids JetStream acknowledged (a duplicate is acknowledged too). */
  async function publish(client: JetStreamClient, rows: OutboxRow[]): Promise<string[]> {
    const results = await Promise.allSettled(
      rows.map((row) =>
        client.publish(
          subjectOf(prefix, row.type),
          JSON.stringify({
            id: row.id,
            type: row.type,
            facilityId: row.facilityId,
            aggregateId: row.aggregateId,
            actorId: row.actorId,
            occurredAt: row.occurredAt.toISOString(),
            payload: row.payload,
          }),
          { msgID: row.id },
        ),
      ),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) {
      metrics.recordRelayError();
      log.warn({ err: failed.reason }, 'some events could not be published; they stay in the outbox');
    }
    return rows.filter((_, i) => results[i]!.status === 'fulfilled').map((r) => r.id);
  }

  async function markRelayed(db: DbOrTx, ids: string[]): Promise<void> {
    if (ids.length > 0) await db.update(outbox).set({ relayedAt: sql`now()` }).where(inArray(outbox.id, ids));
  }

  async function relayBatch(client: JetStreamClient): Promise<{ claimed: number; published: number }> {
    const unrelayed = (db: DbOrTx) =>
      db
        .select()
        .from(outbox)
        .where(isNull(outbox.relayedAt))
        .orderBy(asc(outbox.occurredAt))
        .limit(batchSize);
    if (database.kind === 'pglite') {
      // PGlite has one connection and one process: a transaction held across network I/O would stall
      // every request, and there is no other relay to race.
      const rows = await unrelayed(database.db);
      const ids = await publish(client, rows);
      await markRelayed(database.db, ids);
      return { claimed: rows.length, published: ids.length };
    }
    return database.db.transaction(async (tx) => {
      const rows = await unrelayed(tx).for('update', { skipLocked: true });
      const ids = await publish(client, rows);
      await markRelayed(tx, ids);
      return { claimed: rows.length, published: ids.length };
    });
  }

  async function relayAll(): Promise<number> {
    let total = 0;
    while (!stopped) {
      const client = await ensureConnected();
      if (!client) break;
      const { claimed, published } = await relayBatch(client);
      total += published;
      metrics.recordRelayed(published);
      if (claimed < batchSize || published < claimed) break;
    }
    return total;
  }

  const loop = startWakeLoop({ database, channel: EVENTS_CHANNEL, pollMs, log, pass: relayAll });

  return {
    async stop() {
      stopped = true;
      await loop.stop();
      await nc?.drain().catch(() => {});
    },
    drain: () => loop.exclusive(relayAll),
  };
}
