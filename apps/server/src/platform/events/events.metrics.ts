import type { EventStats } from '@newhms/contracts';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Database } from '../db/database';
import { getEventStats } from './deliveries.service';

export type DeliveryOutcome = 'done' | 'retry' | 'dead';

/** What the dispatcher and the relay report; a no-op stands in where no registry is wired. */
export type EventMetrics = {
  recordDelivery(subscriber: string, outcome: DeliveryOutcome): void;
  recordRelayed(count: number): void;
  recordRelayError(): void;
};

export const noEventMetrics: EventMetrics = {
  recordDelivery() {},
  recordRelayed() {},
  recordRelayError() {},
};

/**
 * Registers the event metrics on a registry. The gauges read the database when scraped (one indexed
 * aggregate over pending and dead deliveries), so every replica reports the same numbers.
 */
export function registerEventMetrics(registry: Registry, database: Database): EventMetrics {
  const delivered = new Counter({
    name: 'newhms_events_delivered_total',
    help: 'Event deliveries handled by this process, by subscriber and outcome (done, retry, dead).',
    labelNames: ['subscriber', 'outcome'] as const,
    registers: [registry],
  });
  const relayed = new Counter({
    name: 'newhms_events_relayed_total',
    help: 'Outbox events published to NATS JetStream by this process.',
    registers: [registry],
  });
  const relayErrors = new Counter({
    name: 'newhms_events_relay_errors_total',
    help: 'Failed attempts to relay outbox events to NATS JetStream.',
    registers: [registry],
  });

  // One query per scrape feeds all three gauges; a failed read leaves the last values in place.
  let cached: { at: number; stats: Promise<EventStats | null> } | undefined;
  const readStats = () => {
    if (!cached || Date.now() - cached.at > 1000) {
      cached = { at: Date.now(), stats: getEventStats(database.db).catch(() => null) };
    }
    return cached.stats;
  };
  new Gauge({
    name: 'newhms_events_lag_seconds',
    help: 'Age of the oldest event still waiting for a subscriber (0 when none waits).',
    registers: [registry],
    async collect() {
      const s = await readStats();
      if (s) this.set(s.oldestPendingAgeSeconds ?? 0);
    },
  });
  new Gauge({
    name: 'newhms_events_pending_deliveries',
    help: 'Deliveries waiting to be handled, including those backing off after a failure.',
    registers: [registry],
    async collect() {
      const s = await readStats();
      if (s) this.set(s.pending);
    },
  });
  new Gauge({
    name: 'newhms_events_dead_deliveries',
    help: 'Deliveries that failed every attempt and wait for an administrator to retry them.',
    registers: [registry],
    async collect() {
      const s = await readStats();
      if (s) this.set(s.dead);
    },
  });

  return {
    recordDelivery: (subscriber, outcome) => delivered.inc({ subscriber, outcome }),
    recordRelayed: (count) => relayed.inc(count),
    recordRelayError: () => relayErrors.inc(),
  };
}
