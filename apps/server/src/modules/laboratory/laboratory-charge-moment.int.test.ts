import type { BillingSettings, LabRequest } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { redeliver } from '../../../test/order-events';
import { rowsOf } from '../../platform/db/raw-rows';
import type { DomainEvent } from '../../platform/events/outbox';
import { createLabWorld, type LabWorld } from './laboratory-test-support';

// When a laboratory test goes on the bill, per facility (billing's settings): on order, as always (the
// doctor's order when placed, the walk-in when booked), or on collection (both when the first sample is
// drawn). On collection, a test is charged once whatever happens to its tubes (redelivered events, a second
// tube, a rejected sample drawn again) and a test cancelled before its sample is drawn is never charged.

let t: TestApp;
/** A facility on the default: charged on order. */
let onOrder: LabWorld;
/** A facility that charges on collection. */
let onCollection: LabWorld;
let admin: Record<string, string>;

type ChargeRow = {
  sourceType: string;
  sourceId: string;
  sourceLine: string;
  serviceCode: string;
  serviceDate: string;
  status: string;
  unitPrice: number;
};

/** The charges billing posted for some sources (tests may read billing's table to assert what persisted). */
async function chargesOf(sourceId: string): Promise<ChargeRow[]> {
  const rows = await rowsOf<ChargeRow>(
    t.database.db,
    sql`select source_type as "sourceType", source_id as "sourceId", source_line as "sourceLine",
          service_code as "serviceCode", service_date::text as "serviceDate", status, unit_price as "unitPrice"
        from billing.charges where source_id = ${sourceId} order by posted_at`,
  );
  return rows.map((r) => ({ ...r, unitPrice: Number(r.unitPrice) }));
}

async function stored(type: string, aggregateId: string): Promise<DomainEvent[]> {
  const rows = await rowsOf<{
    id: string;
    type: string;
    facility_id: string;
    aggregate_id: string;
    actor_id: string | null;
    payload: unknown;
    occurred_at: string;
  }>(
    t.database.db,
    sql`select * from events.outbox where type = ${type} and aggregate_id = ${aggregateId} order by occurred_at, id`,
  );
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    facilityId: r.facility_id,
    aggregateId: r.aggregate_id,
    actorId: r.actor_id,
    payload: r.payload,
    occurredAt: new Date(r.occurred_at),
  }));
}

/** Every subscriber that matters here has had this facility's events: laboratory, encounters, billing. */
async function settle(w: LabWorld) {
  await w.deliver('laboratory.');
  await w.deliver('encounters.');
  await w.deliver('billing.');
}

async function priceList(w: LabWorld) {
  const headers = (await w.staff(['admin'])).headers;
  for (const [code, name, price] of [
    ['K', 'Potassium', 20_000],
    ['NA', 'Sodium', 18_000],
  ] as const) {
    const s = w.ok<{ id: string }>(
      await w.call('POST', '/api/v1/billing/services', headers, {
        code,
        name,
        serviceGroup: 'investigation',
      }),
      201,
      'service',
    );
    w.ok(
      await w.call('POST', `/api/v1/billing/services/${s.id}/prices`, headers, {
        tariffClass: '*',
        price,
        validFrom: '2020-01-01',
      }),
      201,
      'price',
    );
  }
  return headers;
}

const collect = (w: LabWorld, sampleId: string, body: Record<string, unknown> = {}) =>
  w.call('POST', `/api/v1/laboratory/samples/${sampleId}/collect`, w.nurse.headers, body);

/** The facility's date (Asia/Kolkata) of an instant. */
const kolkataDay = (d: Date) => new Date(d.getTime() + 330 * 60_000).toISOString().slice(0, 10);

/** An order billing must not charge yet (or ever): off today's unpriced list, and posting it by hand is a 422. */
async function expectNotDue(w: LabWorld, headers: Record<string, string>, orderId: string, code: string) {
  const today = kolkataDay(new Date());
  const unpriced = w.ok<{ items: { orderId: string }[] }>(
    await w.call('GET', `/api/v1/billing/unpriced-orders?from=${today}&to=${today}`, headers),
    200,
    'unpriced',
  );
  expect(unpriced.items.some((o) => o.orderId === orderId)).toBe(false);
  const byHand = await w.call('POST', `/api/v1/billing/unpriced-orders/${orderId}/post`, headers, {});
  expect(byHand.statusCode).toBe(422);
  expect(byHand.json()).toMatchObject({ code });
}

beforeAll(async () => {
  t = await createTestApp();
  onOrder = await createLabWorld(t);
  onCollection = await createLabWorld(t);
  await priceList(onOrder);
  admin = await priceList(onCollection);
}, 180_000);
afterAll(() => t?.close());

describe("the facility's setting", () => {
  it("is on order until billing's manager sets collection; stale, invalid and unpermitted changes are refused", async () => {
    const w = onCollection;
    const url = '/api/v1/billing/settings';
    expect(w.ok<BillingSettings>(await w.call('GET', url, admin), 200, 'settings')).toEqual({
      facilityId: w.facilityId,
      labChargeOn: 'order',
      version: 0,
      updatedAt: null,
      updatedByName: null,
    });
    const put = (headers: Record<string, string>, body: unknown) =>
      t.app.inject({ method: 'PUT', url, headers, payload: body as object });
    const invalid = await put(admin, { labChargeOn: 'sometimes', version: 0 });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.headers['content-type']).toContain('application/problem+json');
    expect((await put(w.technician.headers, { labChargeOn: 'collection', version: 0 })).statusCode).toBe(403);
    const stale = await put(admin, { labChargeOn: 'collection', version: 3 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'STALE_VERSION' });
    expect(w.ok<BillingSettings>(await w.call('GET', url, admin), 200, 'unchanged').version).toBe(0);

    const set = w.ok<BillingSettings>(
      await put(admin, { labChargeOn: 'collection', version: 0 }),
      200,
      'set',
    );
    expect(set).toMatchObject({ labChargeOn: 'collection', version: 1 });
    expect(set.updatedAt).not.toBeNull();
    expect((await put(admin, { labChargeOn: 'collection', version: 0 })).statusCode).toBe(409);
    const [audit] = await rowsOf<{ detail: Record<string, unknown> }>(
      t.database.db,
      sql`select detail from audit.entries where resource_type = 'BillingSettings' and resource_id = ${w.facilityId}`,
    );
    expect(audit!.detail).toEqual({ labChargeOn: 'collection', previous: 'order' });
    // The other facility keeps its own (the default).
    expect(
      w.ok<BillingSettings>(await onOrder.call('GET', url, onOrder.desk.headers), 200, 'other').labChargeOn,
    ).toBe('order');
  });
});

describe('charged on order', () => {
  it('cancels the charge of an order the laboratory did not take, even when the charge master knows its code, and never charges it again', async () => {
    const w = onOrder;
    const billing = (await w.staff(['admin'])).headers;
    // Billing prices "VITQ"; the laboratory's catalog has no such test.
    const service = w.ok<{ id: string }>(
      await w.call('POST', '/api/v1/billing/services', billing, {
        code: 'VITQ',
        name: 'Vitamin Q level',
        serviceGroup: 'investigation',
      }),
      201,
      'service',
    );
    w.ok(
      await w.call('POST', `/api/v1/billing/services/${service.id}/prices`, billing, {
        tariffClass: '*',
        price: 45_000,
        validFrom: '2020-01-01',
      }),
      201,
      'price',
    );
    const p = await w.patient();
    const visit = await w.visit(p.id);
    const order = await w.order(visit.id, 'VITQ');
    // 1. Billing has the order first (charged when placed, as this facility does)...
    const [placed] = await stored('encounters.order.placed', order.id);
    await redeliver(t, 'billing.order-placed', placed!);
    expect((await chargesOf(order.id)).map((c) => [c.serviceCode, c.unitPrice, c.status])).toEqual([
      ['VITQ', 45_000, 'active'],
    ]);
    // 2. ... then the laboratory does not take it: the charge is cancelled, with the lab's reason.
    await settle(w);
    expect((await chargesOf(order.id)).map((c) => c.status)).toEqual(['cancelled']);
    const [cancel] = await rowsOf<{ reason: string }>(
      t.database.db,
      sql`select cancel_reason as reason from billing.charges where source_id = ${order.id}`,
    );
    expect(cancel!.reason).toMatch(/^Not taken by laboratory: /);
    // 3. The order's event arriving again later charges nothing: the order is not done.
    await redeliver(t, 'billing.order-placed', placed!, 3);
    expect(await chargesOf(order.id)).toHaveLength(1);
    // 4. Not on the unpriced list, and billing staff cannot post it by hand.
    await expectNotDue(w, billing, order.id, 'BILLING_ORDER_NOT_TAKEN');
    expect(await chargesOf(order.id)).toHaveLength(1);
  });
});

describe('charged on collection', () => {
  it("charges the doctor's order once, when the sample is drawn, whatever the redeliveries and recollections", async () => {
    const w = onCollection;
    // 1. Dr Rao orders a potassium: the laboratory accepts it, billing charges nothing yet.
    const p = await w.patient();
    const visit = await w.visit(p.id);
    const order = await w.order(visit.id, 'K');
    await settle(w);
    expect(await chargesOf(order.id)).toEqual([]);
    // Not due yet: not on the unpriced list, and billing staff cannot post it by hand.
    await expectNotDue(w, admin, order.id, 'BILLING_ORDER_NOT_COLLECTED');

    // 2. Sr Mary draws the tube (yesterday evening, recorded now): one charge, dated the day of collection.
    const [request] = await w.requestsOf(visit.id);
    const tube = request!.samples[0]!;
    const collectedAt = new Date(Date.now() - 20 * 3_600_000);
    w.ok(await collect(w, tube.id, { collectedAt: collectedAt.toISOString() }), 200, 'collect');
    await settle(w);
    expect(
      (await chargesOf(order.id)).map((c) => [c.sourceType, c.serviceCode, c.unitPrice, c.status]),
    ).toEqual([['encounters.order', 'K', 20_000, 'active']]);
    expect((await chargesOf(order.id))[0]!.serviceDate).toBe(kolkataDay(collectedAt));

    // 3. The collection event arrives again, five times at once: still one charge.
    const [collected] = await stored('laboratory.sample.collected', tube.id);
    await redeliver(t, 'billing.sample-collected', collected!, 5);
    expect(await chargesOf(order.id)).toHaveLength(1);

    // 4. The lab rejects the tube (haemolysed); the recollection is drawn: still one charge.
    w.ok(
      await w.call('POST', '/api/v1/laboratory/samples/receive', w.technician.headers, {
        accession: tube.accession,
      }),
      200,
      'receive',
    );
    const rejected = w.ok<LabRequest>(
      await w.call('POST', `/api/v1/laboratory/samples/${tube.id}/reject`, w.technician.headers, {
        reason: 'haemolysed',
      }),
      200,
      'reject',
    );
    const again = rejected.samples.find((s) => s.status === 'awaiting-collection')!;
    w.ok(await collect(w, again.id), 200, 'collect again');
    await settle(w);
    const [recollected] = await stored('laboratory.sample.collected', again.id);
    expect(recollected!.payload).toMatchObject({
      recollectionOf: tube.id,
      requests: [{ orderId: order.id }],
    });
    expect(await chargesOf(order.id)).toHaveLength(1);

    // 5. The doctor cancels the order after all (no result yet): the charge is cancelled, as on order.
    const current = w
      .ok<{ orders: { id: string; version: number }[] }>(
        await w.call('GET', `/api/v1/encounters/${visit.id}`, w.doctor.headers),
        200,
        'encounter',
      )
      .orders.find((o) => o.id === order.id)!;
    w.ok(
      await w.call('POST', `/api/v1/encounters/${visit.id}/orders/${order.id}/cancel`, w.doctor.headers, {
        reason: 'Patient went home',
        version: current.version,
      }),
      200,
      'cancel',
    );
    await settle(w);
    expect((await chargesOf(order.id)).map((c) => c.status)).toEqual(['cancelled']);
    // A late redelivery of a collection posts nothing for a cancelled order.
    await redeliver(t, 'billing.sample-collected', recollected!, 2);
    expect(await chargesOf(order.id)).toHaveLength(1);
  });

  it('never charges an order cancelled before its sample is drawn, even when an event comes late', async () => {
    const w = onCollection;
    const p = await w.patient();
    const visit = await w.visit(p.id);
    const order = await w.order(visit.id, 'NA');
    await settle(w);
    const [request] = await w.requestsOf(visit.id);
    w.ok(
      await w.call('POST', `/api/v1/encounters/${visit.id}/orders/${order.id}/cancel`, w.doctor.headers, {
        reason: 'Done elsewhere this morning',
        version: order.version,
      }),
      200,
      'cancel',
    );
    await settle(w);
    // The tube went with the order: it can no longer be drawn.
    const refused = await collect(w, request!.samples[0]!.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    // A collection event naming the order (out of order, from a replica that was behind) charges nothing.
    const forged: DomainEvent = {
      id: '01900000-0000-7000-8000-000000000001',
      type: 'laboratory.sample.collected',
      facilityId: w.facilityId,
      aggregateId: request!.samples[0]!.id,
      actorId: null,
      occurredAt: new Date(),
      payload: {
        sampleId: request!.samples[0]!.id,
        accession: request!.samples[0]!.accession,
        facilityId: w.facilityId,
        patientId: p.id,
        encounterId: visit.id,
        admissionId: null,
        specimen: 'serum',
        container: 'SST gold',
        recollectionOf: null,
        requests: [
          { requestId: request!.id, orderId: order.id, code: 'NA', display: 'Sodium', kind: 'test' },
        ],
        tests: [{ code: 'NA', name: 'Sodium', loincCode: '2951-2' }],
        collectedAt: new Date().toISOString(),
        collectedById: null,
        collectedByName: 'Sr Mary',
      },
    };
    await redeliver(t, 'billing.sample-collected', forged, 2);
    expect(await chargesOf(order.id)).toEqual([]);
  });

  it('charges a walk-in when its sample is drawn, once, and not when it is booked', async () => {
    const w = onCollection;
    const p = await w.patient();
    const visit = await w.visit(p.id);
    const [k] = w.ok<LabRequest[]>(
      await w.call('POST', '/api/v1/laboratory/requests', w.technician.headers, {
        patientId: p.id,
        encounterId: visit.id,
        tests: ['K'],
        priority: 'routine',
      }),
      201,
      'walk-in',
    );
    const rendered = () => stored('billing.service.rendered', k!.id);
    expect(await rendered()).toEqual([]);
    await settle(w);
    expect(await chargesOf(k!.id)).toEqual([]);

    // Drawn: billing.service.rendered in the collection's transaction, dated the day of collection.
    const tube = k!.samples[0]!;
    w.ok(await collect(w, tube.id), 200, 'collect');
    const [event, ...more] = await rendered();
    expect(more).toEqual([]);
    expect(event!.payload).toMatchObject({
      sourceType: 'laboratory.request',
      sourceId: k!.id,
      sourceLine: 'K',
      serviceCode: 'K',
      encounterId: visit.id,
      quantity: 1,
      serviceDate: kolkataDay(new Date()),
    });
    await settle(w);
    expect((await chargesOf(k!.id)).map((c) => [c.serviceCode, c.status])).toEqual([['K', 'active']]);

    // Rejected and drawn again: nothing more is published or charged.
    w.ok(
      await w.call('POST', '/api/v1/laboratory/samples/receive', w.technician.headers, {
        accession: tube.accession,
      }),
      200,
      'receive',
    );
    const rejected = w.ok<LabRequest>(
      await w.call('POST', `/api/v1/laboratory/samples/${tube.id}/reject`, w.technician.headers, {
        reason: 'clotted',
      }),
      200,
      'reject',
    );
    w.ok(
      await collect(w, rejected.samples.find((s) => s.status === 'awaiting-collection')!.id),
      200,
      'again',
    );
    await settle(w);
    expect(await rendered()).toHaveLength(1);
    expect(await chargesOf(k!.id)).toHaveLength(1);
  });
});

describe('charged on order (the default, as before)', () => {
  it('charges the order when placed and the walk-in when booked; collecting adds nothing', async () => {
    const w = onOrder;
    const p = await w.patient();
    const visit = await w.visit(p.id);
    const order = await w.order(visit.id, 'K');
    await settle(w);
    expect((await chargesOf(order.id)).map((c) => [c.sourceType, c.status])).toEqual([
      ['encounters.order', 'active'],
    ]);
    const [k] = w.ok<LabRequest[]>(
      await w.call('POST', '/api/v1/laboratory/requests', w.technician.headers, {
        patientId: p.id,
        encounterId: visit.id,
        tests: ['NA'],
        priority: 'routine',
      }),
      201,
      'walk-in',
    );
    expect(await stored('billing.service.rendered', k!.id)).toHaveLength(1);

    const [request] = (await w.requestsOf(visit.id)).filter((r) => r.orderId === order.id);
    w.ok(await collect(w, request!.samples[0]!.id), 200, 'collect order');
    w.ok(await collect(w, k!.samples[0]!.id), 200, 'collect walk-in');
    await settle(w);
    const [collected] = await stored('laboratory.sample.collected', request!.samples[0]!.id);
    await redeliver(t, 'billing.sample-collected', collected!, 2);
    expect(await chargesOf(order.id)).toHaveLength(1);
    expect(await stored('billing.service.rendered', k!.id)).toHaveLength(1);
    expect(await chargesOf(k!.id)).toHaveLength(1);
  });
});
