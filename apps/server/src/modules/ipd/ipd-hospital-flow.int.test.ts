import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { startDispatcher } from '../../platform/events/dispatcher';
import { createIpdWorld, type IpdWorld } from './ipd-test-support';

// One stay across the modules that share it, through their HTTP APIs and the real event dispatcher:
// IPD admits and transfers, housekeeping cleans the beds IPD releases (and IPD hears the bed is clean),
// dietary's order follows the admission and stops at discharge.

let t: TestApp;
let w: IpdWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await createIpdWorld(t);
});
afterAll(() => t.close());

async function deliverEvents() {
  const dispatcher = startDispatcher({
    database: t.database,
    registry: t.app.deps.events,
    logger: pino({ level: 'silent' }),
    pollMs: 60_000,
  });
  await dispatcher.drain();
  await dispatcher.stop();
}

type Task = { id: string; bedId: string | null; kind: string; status: string; version: number };

describe('a stay from admission to a clean bed', () => {
  it('hands each released bed to housekeeping, and makes it available only once it is clean', async () => {
    const general = await w.ward({}, 2);
    const icu = await w.ward({ kind: 'icu' }, 1, { isolation: true });
    const doctor = await w.doctor();
    const patient = await w.patient();
    const housekeeper = await w.staff(['housekeeping']);
    const [firstBed] = general.beds;
    const [icuBed] = icu.beds;

    const admitted = await w.admit(patient.id, firstBed!.id, doctor.id);
    expect(admitted.statusCode).toBe(201);
    const admission = admitted.json() as { id: string; version: number; encounterId: string };

    const diet = await w.call('POST', `/api/v1/dietary/admissions/${admission.id}/orders`, w.nurse.headers, {
      diet: 'diabetic',
      instructions: 'No added sugar',
    });
    expect(diet.statusCode).toBe(201);

    // Transfer to the ICU: the general bed is released to housekeeping and is not available yet.
    const moved = await w.call('POST', `/api/v1/ipd/admissions/${admission.id}/transfer`, doctor.headers, {
      bedId: icuBed!.id,
      reason: 'Worsening hypoxia',
      version: admission.version,
    });
    expect(moved.statusCode).toBe(200);
    await deliverEvents();
    expect((await w.bed(firstBed!.id)).status).toBe('cleaning');
    const queue = async (wardId: string) =>
      (
        await w.ok<{ items: Task[] }>(
          'GET',
          `/api/v1/facilities/housekeeping/tasks?wardId=${wardId}`,
          housekeeper.headers,
        )
      ).items;
    const [cleanFirst] = await queue(general.id);
    expect(cleanFirst).toMatchObject({ bedId: firstBed!.id, kind: 'bed-cleaning', status: 'open' });

    // A bed in cleaning cannot take the next patient.
    const next = await w.patient({ sex: 'male' });
    const tooEarly = await w.admit(next.id, firstBed!.id, doctor.id);
    expect(tooEarly.statusCode).toBe(409);

    const act = (task: Task, action: string, version: number) =>
      w.ok<Task>('POST', `/api/v1/facilities/housekeeping/tasks/${task.id}/${action}`, housekeeper.headers, {
        version,
      });
    const taken = await act(cleanFirst!, 'take', cleanFirst!.version);
    const started = await act(taken, 'start', taken.version);
    await act(started, 'finish', started.version);
    await deliverEvents();
    expect((await w.bed(firstBed!.id)).status).toBe('available');
    expect((await w.admit(next.id, firstBed!.id, doctor.id)).statusCode).toBe(201);

    // Discharge: the checklist is cleared, the ICU bed (isolation) needs terminal cleaning, the diet stops.
    const current = await w.ok<{ version: number }>(
      'GET',
      `/api/v1/ipd/admissions/${admission.id}`,
      doctor.headers,
    );
    const initiated = await w.ok<{ version: number }>(
      'POST',
      `/api/v1/ipd/admissions/${admission.id}/discharge/initiate`,
      doctor.headers,
      { type: 'normal', version: current.version },
    );
    const checklist = await w.ok<{ items: { id: string; status: string; version: number }[] }>(
      'GET',
      `/api/v1/ipd/admissions/${admission.id}/clearances`,
      w.nurse.headers,
    );
    expect(checklist.items.length).toBeGreaterThan(0);
    for (const item of checklist.items) {
      await w.ok('POST', `/api/v1/ipd/admissions/${admission.id}/clearances/${item.id}`, doctor.headers, {
        action: 'clear',
        note: 'Done',
        version: item.version,
      });
    }
    const done = await w.call(
      'POST',
      `/api/v1/ipd/admissions/${admission.id}/discharge/complete`,
      doctor.headers,
      {
        version: initiated.version,
      },
    );
    expect(done.statusCode).toBe(200);
    await deliverEvents();
    expect((await w.bed(icuBed!.id)).status).toBe('cleaning');
    const [terminal] = await queue(icu.id);
    expect(terminal).toMatchObject({ bedId: icuBed!.id, kind: 'terminal-cleaning' });
    const dietNow = await w.ok<{ active: unknown | null; history: { status: string }[] }>(
      'GET',
      `/api/v1/dietary/admissions/${admission.id}`,
      w.nurse.headers,
    );
    expect(dietNow.active).toBeNull();
    expect(dietNow.history.map((o) => o.status)).toEqual(['stopped']);

    const t1 = await act(terminal!, 'start', terminal!.version);
    await act(t1, 'finish', t1.version);
    await deliverEvents();
    const clean = await w.bed(icuBed!.id);
    expect(clean.status).toBe('available');
    const history = await w.ok<{ items: { toStatus: string; changedBy: string }[] }>(
      'GET',
      `/api/v1/ipd/beds/${icuBed!.id}/status-history`,
      w.admin.headers,
    );
    expect(history.items.map((h) => h.toStatus)).toEqual(
      expect.arrayContaining(['occupied', 'cleaning', 'available']),
    );
  });
});
