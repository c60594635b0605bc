import { randomUUID } from 'node:crypto';
import type { RadOrder } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import { radiologyModule } from './index';
import { createRadWorld, type RadWorld } from './radiology-test-support';

// Imaging orders: from the doctor's order in an encounter (one radiology order per encounter order, however
// often the event is delivered), from the radiology desk (walk-ins, charged when they belong to an encounter),
// and their cancellation.

let t: TestApp;
let w: RadWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await createRadWorld(t);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const ACCESSION = /^R\d{6}\d{4,}$/;

async function radiologyOrdersOfOrder(orderId: string) {
  return rowsOf<{ id: string; accession: string }>(
    t.database.db,
    sql`select id, accession from radiology.orders where order_id = ${orderId}`,
  );
}

describe('orders from encounters', () => {
  it("turns the doctor's imaging order into one radiology order with an accession number", async () => {
    // 1. Dr Rao sees Ravi in the OPD and orders a CT head, STAT.
    const ravi = await w.patient({ sex: 'male', birthDate: '1961-04-02' });
    const visit = await w.visit(ravi.id);
    const order = await w.order(visit.id, 'RAD-CT-HEAD', { priority: 'stat' });
    await w.deliver();

    // 2. Radiology has one order for it: the procedure from the catalog, the accession number, Dr Rao as the
    // one who ordered it, the OPD setting, waiting to be booked.
    const [rad, ...more] = await w.ordersOf(visit.id);
    expect(more).toEqual([]);
    expect(rad).toMatchObject({
      orderId: order.id,
      patientId: ravi.id,
      patientName: ravi.displayName,
      mrn: ravi.mrn,
      encounterId: visit.id,
      setting: 'opd',
      procedureCode: 'RAD-CT-HEAD',
      procedureName: 'CT head (plain)',
      modality: 'CT',
      contrast: 'none',
      priority: 'stat',
      status: 'ordered',
      orderedById: w.doctor.id,
      orderedByName: 'Dr Rao',
      booking: null,
      report: null,
      viewerUrl: null,
      version: 1,
    });
    expect(rad!.accession).toMatch(ACCESSION);
    expect(rad!.preparation).toMatch(/metal/i);

    // 3. The order and the reads are audited with the patient.
    const audits = await w.audits('RadiologyOrder', ravi.id);
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['create', 'read']));
  });

  it('makes one radiology order however many deliveries of the event race', async () => {
    const patient = await w.patient();
    const visit = await w.visit(patient.id);
    const order = await w.order(visit.id, 'RAD-XR-PELVIS');
    const event = await w.storedEvent(order.id, 'encounters.order.placed');
    const handler = t.app.deps.events.subscriptions.get('radiology.order-placed')!.handler;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, () => t.database.db.transaction((tx) => handler(event, tx))),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    await w.deliver();
    const rows = await radiologyOrdersOfOrder(order.id);
    expect(rows).toHaveLength(1);
  });

  it('finds the procedure by its name when the order has no code, and ignores what the catalog does not know', async () => {
    const patient = await w.patient();
    const visit = await w.visit(patient.id);
    const byName = await w.order(visit.id, null, { display: 'ultrasound ABDOMEN' });
    const unknown = await w.order(visit.id, 'RAD-PET-CT', { display: 'PET-CT whole body' });
    // The side is read from the order's text when the procedure has one.
    const knee = await w.order(visit.id, null, { display: 'X-ray knee AP and lateral (left)' });
    await w.deliver();
    const orders = await w.ordersOf(visit.id);
    expect(orders.map((o) => o.procedureCode).sort()).toEqual(['RAD-USG-ABD', 'RAD-XR-KNEE']);
    expect(orders.find((o) => o.orderId === byName.id)?.procedureCode).toBe('RAD-USG-ABD');
    expect(orders.find((o) => o.orderId === knee.id)?.laterality).toBe('left');
    expect(await radiologyOrdersOfOrder(unknown.id)).toEqual([]);
  });

  it('cancels the radiology order when the doctor cancels before the study starts, not after', async () => {
    const patient = await w.patient();
    const visit = await w.visit(patient.id);
    const early = await w.order(visit.id, 'RAD-CXR-PA');
    const late = await w.order(visit.id, 'RAD-CT-CHEST');
    await w.deliver();
    const orders = await w.ordersOf(visit.id);
    const earlyRad = orders.find((o) => o.orderId === early.id)!;
    const lateRad = orders.find((o) => o.orderId === late.id)!;
    // The early one is booked, the late one already in the scanner.
    w.ok(await w.book(earlyRad, w.rooms.XR.id, new Date(Date.now() + 3 * 3600_000)), 200, 'book');
    await w.started(lateRad);

    for (const o of [early, late]) {
      w.ok(
        await w.call('POST', `/api/v1/encounters/${visit.id}/orders/${o.id}/cancel`, w.doctor.headers, {
          reason: 'Patient left against advice',
          version: o.version,
        }),
        200,
        'cancel order',
      );
    }
    await w.deliver();
    const after = await w.get(earlyRad.id);
    expect(after).toMatchObject({
      status: 'cancelled',
      booking: null,
      cancelled: { reason: 'Order cancelled: Patient left against advice' },
    });
    const [booking] = await rowsOf<{ status: string }>(
      t.database.db,
      sql`select status from radiology.bookings where order_id = ${earlyRad.id}`,
    );
    expect(booking!.status).toBe('cancelled');
    expect((await w.get(lateRad.id)).status).toBe('in-progress');

    // Radiology cannot cancel a doctor's order itself: it is cancelled in the encounter.
    const other = await w.order(visit.id, 'RAD-XR-SKULL');
    await w.deliver();
    const otherRad = (await w.ordersOf(visit.id)).find((o) => o.orderId === other.id)!;
    const refused = await w.call('POST', `/api/v1/radiology/orders/${otherRad.id}/cancel`, w.desk.headers, {
      reason: 'duplicate',
      version: otherRad.version,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('RAD_ORDER_FROM_ENCOUNTER');
  });
});

describe('walk-ins', () => {
  it('orders a study at the desk; with an encounter it is charged in the same transaction', async () => {
    const patient = await w.patient();
    const visit = await w.visit(patient.id);

    // 1. Without an encounter: no charge event.
    const plain = await w.walkIn(patient.id, 'RAD-XR-KNEE', { laterality: 'right' });
    expect(plain).toMatchObject({
      setting: 'walk-in',
      encounterId: null,
      orderId: null,
      laterality: 'right',
      orderedByName: 'Desk Kumar',
      clinicalIndication: 'Pain and swelling after a fall',
      status: 'ordered',
    });
    expect(plain.accession).toMatch(ACCESSION);
    expect(await w.events('billing.service.rendered', plain.id)).toEqual([]);

    // 2. With the encounter: billing.service.rendered with our source type and the procedure code.
    const charged = await w.walkIn(patient.id, 'RAD-USG-ABD', { encounterId: visit.id, priority: 'urgent' });
    expect(charged).toMatchObject({ setting: 'opd', encounterId: visit.id, priority: 'urgent' });
    const [rendered] = await w.events('billing.service.rendered', charged.id);
    expect(rendered!.payload).toMatchObject({
      sourceType: 'radiology.order',
      sourceId: charged.id,
      patientId: patient.id,
      encounterId: visit.id,
      serviceCode: 'RAD-USG-ABD',
      quantity: 1,
    });
    expect(charged.accession).not.toBe(plain.accession);

    // 3. Cancelling the charged walk-in reverses the charge.
    const cancelled = w.ok<RadOrder>(
      await w.call('POST', `/api/v1/radiology/orders/${charged.id}/cancel`, w.desk.headers, {
        reason: 'Patient chose another centre',
        version: charged.version,
      }),
      200,
      'cancel',
    );
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelled: { byName: 'Desk Kumar' } });
    const [reversed] = await w.events('billing.service.reversed', charged.id);
    expect(reversed!.payload).toMatchObject({ sourceType: 'radiology.order', sourceId: charged.id });
  });

  it('refuses what cannot be ordered, naming the field, and writes nothing', async () => {
    const patient = await w.patient();
    const stranger = await w.patient();
    const visit = await w.visit(stranger.id);
    const before = await rowsOf<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from radiology.orders where patient_id = ${patient.id}`,
    );
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ procedureCode: 'RAD-XR-KNEE' }, 422, 'RAD_LATERALITY_REQUIRED', 'laterality'],
      [
        { procedureCode: 'RAD-CT-HEAD', laterality: 'left' },
        422,
        'RAD_LATERALITY_NOT_APPLICABLE',
        'laterality',
      ],
      [{ procedureCode: 'RAD-NOPE' }, 422, 'RAD_UNKNOWN_PROCEDURE', 'procedureCode'],
      [
        { procedureCode: 'RAD-CT-HEAD', encounterId: visit.id },
        422,
        'RAD_ENCOUNTER_OF_ANOTHER_PATIENT',
        'encounterId',
      ],
      [{ procedureCode: 'RAD-CT-HEAD', priority: 'asap' }, 400, 'VALIDATION_FAILED', 'body.priority'],
      [
        { procedureCode: 'RAD-CT-HEAD', clinicalIndication: '' },
        400,
        'VALIDATION_FAILED',
        'body.clinicalIndication',
      ],
    ];
    for (const [body, status, code, path] of cases) {
      const res = await w.call('POST', '/api/v1/radiology/orders', w.desk.headers, {
        patientId: patient.id,
        clinicalIndication: 'Pain',
        ...body,
      });
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe(code);
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const after = await rowsOf<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from radiology.orders where patient_id = ${patient.id}`,
    );
    expect(after).toEqual(before);
    // A nurse may see orders but not place one.
    const nurse = await w.call('POST', '/api/v1/radiology/orders', w.nurse.headers, {
      patientId: patient.id,
      procedureCode: 'RAD-CT-HEAD',
      clinicalIndication: 'Headache',
    });
    expect(nurse.statusCode).toBe(403);
  });

  it('finds procedures in the catalog by name and modality', async () => {
    const found = w.ok<{ code: string; modality: string }[]>(
      await w.call('GET', '/api/v1/radiology/catalog?q=knee&modality=MR', w.doctor.headers),
      200,
      'catalog',
    );
    expect(found.map((p) => p.code)).toEqual(['RAD-MRI-KNEE']);
    const all = w.ok<unknown[]>(
      await w.call('GET', '/api/v1/radiology/catalog?limit=200', w.doctor.headers),
      200,
      'catalog',
    );
    expect(all.length).toBeGreaterThanOrEqual(60);
  });
});

describe('the demo hospital', () => {
  it('gets three rooms and studies in every state, one reported; a second run adds nothing', async () => {
    // A facility without rooms, with its staff and four registered patients.
    const fresh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organization/facilities',
      headers: bearer(t.admin.token),
      payload: {
        code: `D${randomUUID().slice(0, 6).toUpperCase()}`,
        name: 'Demo radiology',
        timeZone: 'Asia/Kolkata',
      },
    });
    expect(fresh.statusCode).toBe(201);
    const facilityId = fresh.json().id as string;
    const userIds: Record<string, string> = {};
    for (const role of ['admin', 'front-desk', 'doctor', 'radiographer', 'radiologist']) {
      userIds[role] = (await createTestUser(t.database, { roles: [role], facilityId })).id;
    }
    const desk = bearer(
      await signIn(t.app, (await createTestUser(t.database, { roles: ['front-desk'], facilityId })).email),
      facilityId,
    );
    for (const [i, sex] of ['male', 'male', 'male', 'female'].entries()) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/patients',
        headers: desk,
        payload: {
          name: { given: `Demo${'ABCD'[i]}`, family: `Radiology${randomUUID().slice(0, 6)}` },
          sex,
          birth: { birthDate: `19${60 + i}-01-01` },
          duplicateOverride: { reason: 'test patient', candidateIds: [] },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    await radiologyModule.seedDemo!(t.app.deps, { facilityId, userIds });
    await radiologyModule.seedDemo!(t.app.deps, { facilityId, userIds });
    const rooms = await rowsOf<{ code: string }>(
      t.database.db,
      sql`select code from radiology.rooms where facility_id = ${facilityId} order by code`,
    );
    expect(rooms.map((r) => r.code)).toEqual(['CT-1', 'US-1', 'XR-1']);
    const orders = await rowsOf<{ procedure_code: string; status: string }>(
      t.database.db,
      sql`select procedure_code, status from radiology.orders where facility_id = ${facilityId} order by procedure_code`,
    );
    expect(orders).toEqual([
      { procedure_code: 'RAD-CT-HEAD', status: 'completed' },
      { procedure_code: 'RAD-CXR-PA', status: 'scheduled' },
      { procedure_code: 'RAD-USG-ABD', status: 'arrived' },
      { procedure_code: 'RAD-XR-KNEE', status: 'ordered' },
    ]);
    const reports = await rowsOf<{ status: string }>(
      t.database.db,
      sql`select status from radiology.reports where facility_id = ${facilityId}`,
    );
    expect(reports).toEqual([{ status: 'final' }]);
  });
});
