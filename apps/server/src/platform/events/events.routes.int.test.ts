import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../audit/audit.tables';
import { type Ctx, systemCtx } from '../context';
import { Forbidden } from '../http/errors';
import { registerProblemHandler } from '../http/problem';
import { getEventStats } from './deliveries.service';
import { startDispatcher } from './dispatcher';
import { registerEventMetrics } from './events.metrics';
import { eventsAdminRoutes } from './events.routes';
import { appendEvent, EventRegistry } from './outbox';
import { openTestPglite, type TestDatabase } from './test-databases';

describe('events admin API', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  const admin = { 'x-test-permission': 'events:admin' };

  beforeAll(async () => {
    t = await openTestPglite();
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerProblemHandler(app);
    app.decorateRequest('ctx', null as unknown as Ctx);
    app.addHook('onRequest', async (request) => {
      request.ctx = systemCtx(t.database.db, 'events-admin-test');
    });
    await eventsAdminRoutes(app, {
      database: t.database,
      requirePermission: (permission) => async (request) => {
        if (request.headers['x-test-permission'] !== permission) throw new Forbidden();
      },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('lets an administrator find a dead delivery, retry it, and see the counts change', async () => {
    // 1. An SMS subscriber fails once and for all on a discharge event.
    const registry = new EventRegistry();
    const subscriber = `sms-${randomUUID().slice(0, 8)}`;
    registry.subscribe(subscriber, ['ipd.patient.discharged'], async () => {
      throw new Error('SMS gateway refused the message');
    });
    const eventId = await t.database.db.transaction((tx) =>
      appendEvent(tx, registry, { type: 'ipd.patient.discharged', payload: {} }),
    );
    const dispatcher = startDispatcher({
      database: t.database,
      registry,
      logger: pino({ level: 'silent' }),
      maxAttempts: 1,
    });
    await dispatcher.drain();
    await dispatcher.stop();

    // 2. The administrator sees it among the dead deliveries, and in the stats.
    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/events/deliveries?status=dead&limit=10',
      headers: admin,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toContainEqual(
      expect.objectContaining({
        eventId,
        subscriber,
        eventType: 'ipd.patient.discharged',
        status: 'dead',
        attempts: 1,
        lastError: 'Error: SMS gateway refused the message',
      }),
    );
    const before = (await app.inject({ method: 'GET', url: '/api/v1/events/stats', headers: admin })).json();
    expect(before.dead).toBeGreaterThanOrEqual(1);

    // 3. The administrator retries it: it is pending again, with fresh attempts, and the retry is audited.
    const retry = await app.inject({
      method: 'POST',
      url: `/api/v1/events/deliveries/${eventId}/${subscriber}/retry`,
      headers: admin,
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ eventId, subscriber, status: 'pending', attempts: 0 });
    const after = (await app.inject({ method: 'GET', url: '/api/v1/events/stats', headers: admin })).json();
    expect(after.dead).toBe(before.dead - 1);
    expect(after.pending).toBe(before.pending + 1);
    const audit = await t.database.db
      .select()
      .from(auditEntries)
      .where(eq(auditEntries.resourceId, `${eventId}/${subscriber}`));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'admin', resourceType: 'event-delivery' });

    // 4. Retrying it again is a conflict; an unknown delivery is not found.
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/events/deliveries/${eventId}/${subscriber}/retry`,
      headers: admin,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'EVENTS_DELIVERY_NOT_DEAD' });
    const missing = await app.inject({
      method: 'POST',
      url: `/api/v1/events/deliveries/${randomUUID()}/${subscriber}/retry`,
      headers: admin,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('counts deliveries by outcome and reports lag, pending and dead deliveries as Prometheus metrics', async () => {
    const metricsRegistry = new Registry();
    const metrics = registerEventMetrics(metricsRegistry, t.database);
    const registry = new EventRegistry();
    const [ok, broken] = [`ok-${randomUUID().slice(0, 8)}`, `broken-${randomUUID().slice(0, 8)}`];
    registry.subscribe(ok, ['opd.visit.closed'], async () => {});
    registry.subscribe(broken, ['opd.visit.closed'], async () => {
      throw new Error('down');
    });
    await t.database.db.transaction((tx) =>
      appendEvent(tx, registry, { type: 'opd.visit.closed', payload: {} }),
    );
    const dispatcher = startDispatcher({
      database: t.database,
      registry,
      logger: pino({ level: 'silent' }),
      maxAttempts: 1,
      metrics,
    });
    await dispatcher.drain();
    await dispatcher.stop();

    const text = await metricsRegistry.metrics();
    expect(text).toContain(`newhms_events_delivered_total{subscriber="${ok}",outcome="done"} 1`);
    expect(text).toContain(`newhms_events_delivered_total{subscriber="${broken}",outcome="dead"} 1`);
    const stats = await getEventStats(t.database.db);
    expect(text).toContain(`newhms_events_dead_deliveries ${stats.dead}`);
    expect(text).toContain(`newhms_events_pending_deliveries ${stats.pending}`);
    expect(text).toMatch(/newhms_events_lag_seconds \d/);
  });

  it('refuses without events:admin and rejects a bad status or cursor', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/events/stats' })).statusCode).toBe(403);
    const badStatus = await app.inject({
      method: 'GET',
      url: '/api/v1/events/deliveries?status=lost',
      headers: admin,
    });
    expect(badStatus.statusCode).toBe(400);
    const badCursor = await app.inject({
      method: 'GET',
      url: '/api/v1/events/deliveries?status=dead&cursor=nonsense',
      headers: admin,
    });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json()).toMatchObject({ code: 'INVALID_CURSOR' });
  });
});
