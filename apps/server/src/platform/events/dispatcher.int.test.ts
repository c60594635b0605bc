import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbOrTx } from '../db/database';
import { rowsOf } from '../db/raw-rows';
import { getEventStats, listDeliveries, retryDeadDelivery } from './deliveries.service';
import { type DispatcherOptions, startDispatcher } from './dispatcher';
import { appendEvent, type EventHandler, EventRegistry } from './outbox';
import { openTestPglite, openTestPostgres, type TestDatabase } from './test-databases';

const logger = pino({ level: 'silent' });
const noBackoff = { baseMs: 0, capMs: 0, jitter: 0 };

type DeliveryState = {
  status: string;
  attempts: number;
  last_error: string | null;
  handled_by: string | null;
};

function describeDispatcher(open: () => Promise<TestDatabase>) {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
    // A stand-in for a subscriber's own table: a unique key per (event, subscriber), and a counter.
    await t.database.query(`create schema if not exists test_effects`);
    await t.database.query(`create table if not exists test_effects.handled (
      event_id uuid not null, subscriber text not null, times int not null default 1, worker text,
      primary key (event_id, subscriber))`);
  });
  afterAll(() => t?.dispose());

  const recordEffect =
    (subscriber: string, worker = 'test'): EventHandler =>
    async (event, tx) => {
      await tx.execute(sql`insert into test_effects.handled (event_id, subscriber, worker)
        values (${event.id}, ${subscriber}, ${worker})
        on conflict (event_id, subscriber) do update set times = test_effects.handled.times + 1`);
    };

  const effectsOf = (eventId: string) =>
    rowsOf<{ subscriber: string; times: number }>(
      t.database.db,
      sql`select subscriber, times from test_effects.handled where event_id = ${eventId} order by subscriber`,
    );

  const deliveryOf = async (eventId: string, subscriber: string) =>
    (
      await rowsOf<DeliveryState & { due_in_ms: number }>(
        t.database.db,
        sql`select status, attempts, last_error, handled_by,
                   (extract(epoch from next_attempt_at - now()) * 1000)::float8 as due_in_ms
              from events.deliveries where event_id = ${eventId} and subscriber = ${subscriber}`,
      )
    )[0]!;

  const append = (registry: EventRegistry, type: string, payload: unknown = {}) =>
    t.database.db.transaction((tx) => appendEvent(tx, registry, { type, payload }));

  const start = (registry: EventRegistry, options: Partial<DispatcherOptions> = {}) =>
    startDispatcher({ database: t.database, registry, logger, pollMs: 60_000, ...options });

  const name = (what: string) => `${what}-${randomUUID().slice(0, 8)}`;

  it('hands each event once to each subscriber, even when two dispatchers run over it', async () => {
    const registry = new EventRegistry();
    const [billing, notifications] = [name('billing'), name('notifications')];
    registry.subscribe(billing, ['lab.result.finalized'], recordEffect(billing));
    registry.subscribe(notifications, ['lab.result.finalized'], recordEffect(notifications));
    const first = start(registry, { workerId: 'first' });
    const second = start(registry, { workerId: 'second' });
    const eventId = await append(registry, 'lab.result.finalized', { resultId: randomUUID() });
    await Promise.all([first.drain(), second.drain()]);
    await first.drain();
    expect(await second.drain()).toBe(0);
    await Promise.all([first.stop(), second.stop()]);

    expect(await effectsOf(eventId)).toEqual(
      [billing, notifications].sort().map((subscriber) => ({ subscriber, times: 1 })),
    );
    for (const subscriber of [billing, notifications]) {
      const d = await deliveryOf(eventId, subscriber);
      expect(d).toMatchObject({ status: 'done', attempts: 1, last_error: null });
      expect(['first', 'second']).toContain(d.handled_by);
    }
  });

  it('rolls back the writes of a failing handler, records the error and backs off', async () => {
    const registry = new EventRegistry();
    const subscriber = name('flaky');
    registry.subscribe(subscriber, ['opd.visit.closed'], async (event, tx) => {
      await recordEffect(subscriber)(event, tx);
      throw new Error('SMS gateway timed out');
    });
    const dispatcher = start(registry, { backoff: { baseMs: 60_000, capMs: 600_000, jitter: 0 } });
    const eventId = await append(registry, 'opd.visit.closed');
    await dispatcher.drain();
    await dispatcher.stop();

    expect(await effectsOf(eventId)).toEqual([]);
    const d = await deliveryOf(eventId, subscriber);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, last_error: 'Error: SMS gateway timed out' });
    expect(d.due_in_ms).toBeGreaterThan(55_000);
    expect(d.due_in_ms).toBeLessThanOrEqual(60_000);
  });

  it('doubles the wait after each failure and gives up (dead) after the last attempt', async () => {
    const registry = new EventRegistry();
    const subscriber = name('broken');
    let calls = 0;
    registry.subscribe(subscriber, ['billing.invoice.issued'], async () => {
      calls += 1;
      throw new Error(`attempt ${calls} failed`);
    });
    const dispatcher = start(registry, {
      maxAttempts: 3,
      backoff: { baseMs: 1000, capMs: 600_000, jitter: 0 },
    });
    const eventId = await append(registry, 'billing.invoice.issued');
    const makeDue = () =>
      t.database.query(
        `update events.deliveries set next_attempt_at = now() where event_id = $1 and subscriber = $2`,
        [eventId, subscriber],
      );

    await dispatcher.drain();
    const afterFirst = await deliveryOf(eventId, subscriber);
    expect(afterFirst).toMatchObject({ status: 'pending', attempts: 1 });
    expect(afterFirst.due_in_ms).toBeGreaterThan(500);
    expect(afterFirst.due_in_ms).toBeLessThanOrEqual(1000);

    await makeDue();
    await dispatcher.drain();
    const afterSecond = await deliveryOf(eventId, subscriber);
    expect(afterSecond).toMatchObject({ status: 'pending', attempts: 2 });
    expect(afterSecond.due_in_ms).toBeGreaterThan(1500);
    expect(afterSecond.due_in_ms).toBeLessThanOrEqual(2000);

    await makeDue();
    await dispatcher.drain();
    await makeDue();
    expect(await dispatcher.drain()).toBe(0);
    await dispatcher.stop();
    expect(calls).toBe(3);
    expect(await deliveryOf(eventId, subscriber)).toMatchObject({
      status: 'dead',
      attempts: 3,
      last_error: 'Error: attempt 3 failed',
    });
  });

  it('delivers a dead event again once an administrator retries it', async () => {
    const registry = new EventRegistry();
    const subscriber = name('recovering');
    let healthy = false;
    registry.subscribe(subscriber, ['ipd.patient.admitted'], async (event, tx) => {
      if (!healthy) throw new Error('ward service down');
      await recordEffect(subscriber)(event, tx);
    });
    const dispatcher = start(registry, { maxAttempts: 2, backoff: noBackoff });
    const eventId = await append(registry, 'ipd.patient.admitted');
    await dispatcher.drain();
    expect(await deliveryOf(eventId, subscriber)).toMatchObject({ status: 'dead', attempts: 2 });

    healthy = true;
    const retried = await retryDeadDelivery(t.database.db, eventId, subscriber);
    expect(retried).toMatchObject({ status: 'pending', attempts: 0, lastError: 'Error: ward service down' });
    await dispatcher.drain();
    await dispatcher.stop();
    expect(await deliveryOf(eventId, subscriber)).toMatchObject({
      status: 'done',
      attempts: 1,
      last_error: null,
    });
    expect(await effectsOf(eventId)).toEqual([{ subscriber, times: 1 }]);
    await expect(retryDeadDelivery(t.database.db, eventId, subscriber)).rejects.toMatchObject({
      code: 'EVENTS_DELIVERY_NOT_DEAD',
    });
    await expect(retryDeadDelivery(t.database.db, randomUUID(), subscriber)).rejects.toMatchObject({
      code: 'EVENTS_DELIVERY_NOT_FOUND',
    });
  });

  it('treats a handler that swallows a database error as failed and keeps the batch going', async () => {
    const registry = new EventRegistry();
    const [careless, careful] = [name('careless'), name('careful')];
    registry.subscribe(careless, ['lab.sample.collected'], async (_event, tx: DbOrTx) => {
      await tx.execute(sql`select 1 / 0`).catch(() => {});
    });
    registry.subscribe(careful, ['lab.sample.collected'], recordEffect(careful));
    const dispatcher = start(registry, { backoff: { baseMs: 60_000, capMs: 60_000, jitter: 0 } });
    const eventId = await append(registry, 'lab.sample.collected');
    await dispatcher.drain();
    await dispatcher.stop();
    expect(await deliveryOf(eventId, careful)).toMatchObject({ status: 'done' });
    const failed = await deliveryOf(eventId, careless);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
    expect(failed.last_error).toMatch(/current transaction is aborted/);
  });

  it('leaves alone the deliveries of subscribers this process does not run', async () => {
    const writer = new EventRegistry();
    const [local, elsewhere] = [name('local'), name('elsewhere')];
    writer.subscribe(local, ['pharmacy.stock.low'], recordEffect(local));
    writer.subscribe(elsewhere, ['pharmacy.stock.low'], recordEffect(elsewhere));
    const eventId = await append(writer, 'pharmacy.stock.low');

    const reader = new EventRegistry();
    reader.subscribe(local, ['pharmacy.stock.low'], recordEffect(local));
    const dispatcher = start(reader);
    await dispatcher.drain();
    await dispatcher.stop();
    expect(await deliveryOf(eventId, local)).toMatchObject({ status: 'done' });
    expect(await deliveryOf(eventId, elsewhere)).toMatchObject({
      status: 'pending',
      attempts: 0,
      handled_by: null,
    });
  });

  it('wakes on NOTIFY and delivers well within the poll interval', async () => {
    const registry = new EventRegistry();
    const subscriber = name('prompt');
    let delivered: (at: number) => void = () => {};
    const arrived = new Promise<number>((resolve) => {
      delivered = resolve;
    });
    registry.subscribe(subscriber, ['er.triage.recorded'], async () => delivered(performance.now()));
    const dispatcher = start(registry, { pollMs: 30_000 });
    await dispatcher.drain();
    await new Promise((r) => setTimeout(r, 100));
    const committedAt = await append(registry, 'er.triage.recorded').then(() => performance.now());
    const latencyMs = (await arrived) - committedAt;
    await dispatcher.stop();
    console.info(`[${t.database.kind}] NOTIFY wake-up latency ${latencyMs.toFixed(1)} ms (poll 30 s)`);
    expect(latencyMs).toBeLessThan(500);
  });

  it('lists dead deliveries page by page without gaps or repeats, and counts them', async () => {
    const registry = new EventRegistry();
    const subscriber = name('doomed');
    registry.subscribe(subscriber, ['quality.incident.reported'], async () => {
      throw new Error('no');
    });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await append(registry, 'quality.incident.reported'));
    const dispatcher = start(registry, { maxAttempts: 1 });
    await dispatcher.drain();
    await dispatcher.stop();

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listDeliveries(t.database.db, { status: 'dead', limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.filter((d) => d.subscriber === subscriber).map((d) => d.eventId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());

    const stats = await getEventStats(t.database.db);
    expect(stats.dead).toBeGreaterThanOrEqual(5);
    expect(stats.pending).toBeGreaterThanOrEqual(1);
    expect(stats.oldestPendingAgeSeconds).toBeGreaterThan(0);
  });
}

describe('event dispatcher on PGlite', () => describeDispatcher(openTestPglite));

describe.runIf(process.env.TEST_DATABASE_URL)(
  'event dispatcher on PostgreSQL (needs TEST_DATABASE_URL)',
  () => describeDispatcher(() => openTestPostgres(process.env.TEST_DATABASE_URL!)),
);
