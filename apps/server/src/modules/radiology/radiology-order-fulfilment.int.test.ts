import type { UnmatchedOrder } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { orderInEncounter, redeliver } from '../../../test/order-events';
import { rowsOf } from '../../platform/db/raw-rows';
import { createRadWorld, type RadWorld } from './radiology-test-support';

// The doctor's imaging order follows radiology: accepted (the radiology order with its accession), in
// progress (the study started), performed (images taken, report awaited), resulted (the report signed),
// never backwards whatever the redeliveries; an order naming no procedure of the catalog is shown to the
// doctor as not taken and listed for radiology's desk to call the doctor, and is not charged.

let t: TestApp;
let w: RadWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await createRadWorld(t);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

async function settle() {
  await w.deliver('radiology.');
  await w.deliver('encounters.');
}

describe("the encounter's imaging order follows radiology", () => {
  it('goes accepted, in progress, performed and resulted, and stays resulted when old events come again', async () => {
    // 1. Dr Rao orders a chest X-ray for Ravi.
    const ravi = await w.patient();
    const visit = await w.visit(ravi.id);
    const placed = await w.order(visit.id, 'RAD-CXR-PA');
    expect((await orderInEncounter(t, w.doctor.headers, visit.id, placed.id)).fulfilmentStatus).toBe(
      'pending',
    );

    // 2. Radiology makes its order and says so, with the accession number.
    await settle();
    const [rad] = await w.ordersOf(visit.id);
    const [accepted] = await w.events('radiology.order.accepted', placed.id);
    expect(accepted!.payload).toEqual({
      orderId: placed.id,
      radiologyOrderId: rad!.id,
      encounterId: visit.id,
      patientId: ravi.id,
      accession: rad!.accession,
      procedureCode: 'RAD-CXR-PA',
      procedureName: rad!.procedureName,
    });
    expect(await orderInEncounter(t, w.doctor.headers, visit.id, placed.id)).toMatchObject({
      fulfilmentStatus: 'accepted',
      fulfilmentNote: `Radiology accession ${rad!.accession}`,
    });

    // 3. The radiographer starts the study: radiology.study.started, the order is in progress.
    const started = await w.started(rad!);
    const [startedEvent] = await w.events('radiology.study.started', rad!.id);
    expect(startedEvent!.payload).toMatchObject({
      radiologyOrderId: rad!.id,
      orderId: placed.id,
      patientId: ravi.id,
      encounterId: visit.id,
      accession: rad!.accession,
      procedureCode: 'RAD-CXR-PA',
    });
    await settle();
    expect(await orderInEncounter(t, w.doctor.headers, visit.id, placed.id)).toMatchObject({
      status: 'active',
      fulfilmentStatus: 'in-progress',
      fulfilmentNote: `Study ${rad!.accession} started`,
    });

    // 4. The images are taken: performed, the report awaited.
    w.ok(
      await w.call('POST', `/api/v1/radiology/orders/${rad!.id}/complete`, w.radiographer.headers, {
        numberOfImages: 2,
        version: started.version,
      }),
      200,
      'complete',
    );
    await settle();
    expect((await orderInEncounter(t, w.doctor.headers, visit.id, placed.id)).fulfilmentStatus).toBe(
      'performed',
    );

    // 5. The radiologist signs the report: resulted, and the order is completed.
    await w.signed(rad!);
    await settle();
    const done = await orderInEncounter(t, w.doctor.headers, visit.id, placed.id);
    expect(done).toMatchObject({
      status: 'completed',
      fulfilmentStatus: 'resulted',
      fulfilmentNote: 'Report signed',
    });
    expect(done.fulfilledAt).not.toBeNull();

    // 6. The start and the acceptance are delivered again, late and at once: the order stays resulted.
    await redeliver(
      t,
      'encounters.order-fulfilment',
      await w.storedEvent(rad!.id, 'radiology.study.started'),
      3,
    );
    await redeliver(
      t,
      'encounters.order-fulfilment',
      await w.storedEvent(placed.id, 'radiology.order.accepted'),
    );
    expect(await orderInEncounter(t, w.doctor.headers, visit.id, placed.id)).toMatchObject({
      status: 'completed',
      fulfilmentStatus: 'resulted',
      fulfilledAt: done.fulfilledAt,
    });
    const steps = await rowsOf<{ detail: { fulfilmentStatus?: string } }>(
      t.database.db,
      sql`select detail from audit.entries where resource_type = 'ServiceRequest' and resource_id = ${placed.id}
        and detail ? 'fulfilmentStatus' order by occurred_at, id`,
    );
    expect(steps.map((s) => s.detail.fulfilmentStatus)).toEqual([
      'accepted',
      'in-progress',
      'performed',
      'resulted',
    ]);
  });
});

describe('an imaging order radiology cannot match', () => {
  it('is not charged, even when the charge master prices its code, however often the order arrives', async () => {
    // Billing prices a code the radiology catalog does not have; the facility charges on order (the default).
    const code = `RAD-Q${Date.now().toString(36).toUpperCase()}`;
    const service = w.ok<{ id: string }>(
      await w.call('POST', '/api/v1/billing/services', w.admin.headers, {
        code,
        name: 'Q-scan whole body',
        serviceGroup: 'imaging',
      }),
      201,
      'service',
    );
    w.ok(
      await w.call('POST', `/api/v1/billing/services/${service.id}/prices`, w.admin.headers, {
        tariffClass: '*',
        price: 1_800_000,
        validFrom: '2020-01-01',
      }),
      201,
      'price',
    );
    const charges = () =>
      rowsOf<{ status: string; reason: string | null; price: string }>(
        t.database.db,
        sql`select status, cancel_reason as reason, unit_price::text as price from billing.charges
            where source_id = ${order.id}`,
      );
    const p = await w.patient();
    const visit = await w.visit(p.id);
    const order = await w.order(visit.id, code, { display: 'Q-scan whole body' });
    // 1. Billing has the order first and charges it ...
    const placed = await w.storedEvent(order.id, 'encounters.order.placed');
    await redeliver(t, 'billing.order-placed', placed);
    expect(await charges()).toEqual([{ status: 'active', reason: null, price: '1800000' }]);
    // 2. ... then radiology does not take it: the charge is cancelled with radiology's reason.
    await settle();
    await w.deliver('billing.');
    const [cancelled, ...more] = await charges();
    expect(more).toEqual([]);
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      reason: expect.stringMatching(/^Not taken by radiology: /),
    });
    // 3. The order's event coming again charges nothing more.
    await redeliver(t, 'billing.order-placed', placed, 3);
    expect((await charges()).map((c) => c.status)).toEqual(['cancelled']);
  });

  it('is shown to the doctor as not taken and listed for the desk, once however often it arrives', async () => {
    const asha = await w.patient({ sex: 'female' });
    const visit = await w.visit(asha.id);
    const pet = await w.order(visit.id, 'RAD-PET-CT', { display: 'PET-CT whole body', priority: 'urgent' });
    await redeliver(t, 'radiology.order-placed', await w.storedEvent(pet.id, 'encounters.order.placed'), 4);
    await settle();
    expect(await w.ordersOf(visit.id)).toEqual([]);
    const [event, ...more] = await w.events('radiology.order.unmatched', pet.id);
    expect(more).toEqual([]);
    expect(event!.payload).toMatchObject({
      orderId: pet.id,
      encounterId: visit.id,
      patientId: asha.id,
      category: 'imaging',
      code: 'RAD-PET-CT',
      display: 'PET-CT whole body',
      reasonCode: 'not-in-catalog',
    });
    const shown = await orderInEncounter(t, w.doctor.headers, visit.id, pet.id);
    expect(shown).toMatchObject({ status: 'active', fulfilmentStatus: 'not-matched' });
    expect(shown.fulfilmentNote).toContain('PET-CT whole body');

    const list = w.ok<UnmatchedOrder[]>(
      await w.call('GET', '/api/v1/radiology/unmatched-orders', w.desk.headers),
      200,
      'list',
    );
    const row = list.find((u) => u.orderId === pet.id)!;
    expect(row).toMatchObject({
      patientName: asha.displayName,
      mrn: asha.mrn,
      priority: 'urgent',
      requestedByName: 'Dr Rao',
      status: 'open',
    });
    expect((await w.audits('RadUnmatchedOrder', asha.id)).map((a) => a.action)).toEqual(['create', 'read']);
    expect((await w.call('GET', '/api/v1/radiology/unmatched-orders', w.doctor.headers)).statusCode).toBe(
      403,
    );

    const closed = w.ok<UnmatchedOrder>(
      await w.call('POST', `/api/v1/radiology/unmatched-orders/${row.id}/close`, w.radiographer.headers, {
        note: 'Dr Rao will refer the patient for PET-CT elsewhere',
        version: row.version,
      }),
      200,
      'close',
    );
    expect(closed).toMatchObject({ status: 'closed', closedByName: 'Tech Latha' });
    const twice = await w.call('POST', `/api/v1/radiology/unmatched-orders/${row.id}/close`, w.desk.headers, {
      note: 'again',
      version: closed.version,
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'RAD_UNMATCHED_ORDER_CLOSED' });
    const noBody = await w.call(
      'POST',
      `/api/v1/radiology/unmatched-orders/${row.id}/close`,
      w.desk.headers,
      {},
    );
    expect(noBody.statusCode).toBe(400);
  });
});
