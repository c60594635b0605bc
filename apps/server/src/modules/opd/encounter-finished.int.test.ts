import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { startDispatcher } from '../../platform/events/dispatcher';
import { tokens } from './opd.tables';
import { createOpdWorld, type OpdWorld } from './opd-test-support';

let t: TestApp;
let w: OpdWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await createOpdWorld(t);
});
afterAll(() => t.close());

describe('finishing a consultation', () => {
  it('completes the queue token that opened it', async () => {
    const doctor = await w.doctor();
    const room = await w.room();
    await w.schedule(doctor.id, room.id);
    const patient = await w.patient();
    expect((await w.walkIn(patient.id, doctor.id)).statusCode).toBe(201);
    const started = await w.ok<{ encounterId: string; token: { id: string } }>(
      'POST',
      '/api/v1/opd/worklist/call-next',
      doctor.headers,
      { practitionerId: doctor.id },
    );
    const before = await t.database.db.select().from(tokens).where(eq(tokens.id, started.token.id));
    expect(before[0]!.status).toBe('in-consultation');
    await w.ok('POST', `/api/v1/encounters/${started.encounterId}/finish`, doctor.headers, { version: 1 });
    const dispatcher = startDispatcher({
      database: t.database,
      registry: t.app.deps.events,
      logger: pino({ level: 'silent' }),
      pollMs: 60_000,
    });
    await dispatcher.drain();
    await dispatcher.stop();
    // On PostgreSQL every test file shares one database, and another file's dispatcher may have claimed this
    // event first (delivery by any process is the design): then it is done when that delivery commits.
    const tokenNow = async () =>
      (await t.database.db.select().from(tokens).where(eq(tokens.id, started.token.id)))[0]!;
    await expect.poll(async () => (await tokenNow()).status, { timeout: 10_000 }).toBe('completed');
    expect((await tokenNow()).completedAt).toBeInstanceOf(Date);
  });
});
