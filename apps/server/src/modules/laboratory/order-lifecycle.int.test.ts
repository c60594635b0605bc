import type { LabRequest, UnmatchedOrder } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { orderInEncounter, redeliver } from '../../../test/order-events';
import { rowsOf } from '../../platform/db/raw-rows';
import type { DomainEvent } from '../../platform/events/outbox';
import { createLabWorld, type LabWorld } from './laboratory-test-support';

// The doctor's order and the laboratory, both ways: the lab publishes what it does with an encounter's order
// (accepted, the tube collected, the results released, or NOT matched to any test) and the encounter's order
// follows, never backwards, whatever the redeliveries; an order the catalog does not know is no longer dropped
// in silence but shown to the doctor as not taken and listed for the lab's staff to call the doctor.

let t: TestApp;
let w: LabWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await createLabWorld(t);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

type OutboxRow = {
  id: string;
  type: string;
  facility_id: string;
  aggregate_id: string;
  actor_id: string | null;
  payload: Record<string, unknown>;
  occurred_at: string;
};

/** Stored events of a type in this facility (about an aggregate), as subscribers receive them. */
async function stored(type: string, aggregateId?: string): Promise<DomainEvent<Record<string, unknown>>[]> {
  const rows = await rowsOf<OutboxRow>(
    t.database.db,
    sql`select * from events.outbox where type = ${type} and facility_id = ${w.facilityId}
      ${aggregateId ? sql`and aggregate_id = ${aggregateId}` : sql``} order by occurred_at, id`,
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

async function auditsOf(patientId: string, resourceType: string) {
  return rowsOf<{ action: string; resource_id: string | null; detail: Record<string, unknown> | null }>(
    t.database.db,
    sql`select action, resource_id, detail from audit.entries where patient_id = ${patientId}
      and resource_type = ${resourceType} order by occurred_at, id`,
  );
}

/** The laboratory's subscribers, then encounters' (which follows the laboratory's events). */
async function deliverAll() {
  await w.deliver('laboratory.');
  await w.deliver('encounters.');
}

describe('the encounter order follows the laboratory', () => {
  it('shows the doctor accepted, collected and resulted, and a late or repeated event never takes it back', async () => {
    // 1. Dr Rao orders a STAT potassium for Ravi: the order waits for the laboratory.
    const ravi = await w.patient({ sex: 'male' });
    const visit = await w.visit(ravi.id);
    const placed = await w.order(visit.id, 'K', { priority: 'stat' });
    expect(await orderInEncounter(t, w.doctor.headers, visit.id, placed.id)).toMatchObject({
      status: 'active',
      fulfilmentStatus: 'pending',
      fulfilmentNote: null,
      fulfilmentUpdatedAt: null,
      fulfilledAt: null,
    });

    // 2. The laboratory makes the request and says so; the order is accepted, with the tube's accession.
    await deliverAll();
    const [request] = await w.requestsOf(visit.id);
    const tube = request!.samples[0]!;
    const [accepted] = await stored('laboratory.order.accepted', placed.id);
    expect(accepted!.payload).toEqual({
      orderId: placed.id,
      requestId: request!.id,
      encounterId: visit.id,
      patientId: ravi.id,
      code: 'K',
      display: 'Potassium',
      accessions: [tube.accession],
    });
    expect(await orderInEncounter(t, w.doctor.headers, visit.id, placed.id)).toMatchObject({
      status: 'active',
      fulfilmentStatus: 'accepted',
      fulfilmentNote: `Laboratory request; tubes ${tube.accession}`,
    });

    // 3. Sr Mary draws the tube ten minutes ago: laboratory.sample.collected, and the order is collected.
    const collectedAt = new Date(Date.now() - 10 * 60_000);
    collectedAt.setMilliseconds(0);
    w.ok(
      await w.call('POST', `/api/v1/laboratory/samples/${tube.id}/collect`, w.nurse.headers, {
        collectedAt: collectedAt.toISOString(),
      }),
      200,
      'collect',
    );
    const [collected] = await stored('laboratory.sample.collected', tube.id);
    expect(collected!.actorId).toBe(w.nurse.id);
    expect(collected!.payload).toEqual({
      sampleId: tube.id,
      accession: tube.accession,
      facilityId: w.facilityId,
      patientId: ravi.id,
      encounterId: visit.id,
      admissionId: null,
      specimen: tube.specimen,
      container: tube.container,
      recollectionOf: null,
      requests: [
        { requestId: request!.id, orderId: placed.id, code: 'K', display: 'Potassium', kind: 'test' },
      ],
      tests: [{ code: 'K', name: 'Potassium', loincCode: '2823-3' }],
      collectedAt: collectedAt.toISOString(),
      collectedById: w.nurse.id,
      collectedByName: 'Sr Mary',
    });
    await deliverAll();
    expect(await orderInEncounter(t, w.doctor.headers, visit.id, placed.id)).toMatchObject({
      status: 'active',
      fulfilmentStatus: 'collected',
      fulfilmentNote: `Sample ${tube.accession} collected`,
      fulfilmentUpdatedAt: collectedAt.toISOString(),
      fulfilledAt: null,
    });

    // 4. Received, entered by one technician, validated by another: the results are released, the order
    //    is resulted and completed.
    w.ok(
      await w.call('POST', '/api/v1/laboratory/samples/receive', w.technician.headers, {
        accession: tube.accession,
      }),
      200,
      'receive',
    );
    w.ok(
      await w.call('POST', `/api/v1/laboratory/requests/${request!.id}/results`, w.technician.headers, {
        results: [{ testCode: 'K', value: 4.2 }],
      }),
      200,
      'enter',
    );
    w.ok(
      await w.call('POST', `/api/v1/laboratory/requests/${request!.id}/validate`, w.pathologist.headers, {}),
      200,
      'validate',
    );
    await deliverAll();
    const resulted = await orderInEncounter(t, w.doctor.headers, visit.id, placed.id);
    expect(resulted).toMatchObject({
      status: 'completed',
      fulfilmentStatus: 'resulted',
      fulfilmentNote: 'Results released',
    });
    expect(resulted.fulfilledAt).not.toBeNull();
    // The department's steps are not the doctor's edits: the order's version did not move.
    expect(resulted.version).toBe(placed.version);
    const steps = (await auditsOf(ravi.id, 'ServiceRequest')).filter((a) => a.detail?.fulfilmentStatus);
    expect(steps.map((a) => a.detail?.fulfilmentStatus)).toEqual(['accepted', 'collected', 'resulted']);

    // 5. The collection and the acceptance arrive again, late, several at once: nothing moves back, nothing
    //    more is audited.
    await redeliver(t, 'encounters.order-fulfilment', collected!, 3);
    await redeliver(t, 'encounters.order-fulfilment', accepted!, 2);
    expect(await orderInEncounter(t, w.doctor.headers, visit.id, placed.id)).toMatchObject({
      status: 'completed',
      fulfilmentStatus: 'resulted',
      fulfilledAt: resulted.fulfilledAt,
    });
    expect(
      (await auditsOf(ravi.id, 'ServiceRequest')).filter((a) => a.detail?.fulfilmentStatus),
    ).toHaveLength(3);

    // 6. A completed order is no longer cancelled by the doctor.
    const cancel = await w.call(
      'POST',
      `/api/v1/encounters/${visit.id}/orders/${placed.id}/cancel`,
      w.doctor.headers,
      { reason: 'Not needed', version: resulted.version },
    );
    expect(cancel.statusCode).toBe(422);
    expect(cancel.headers['content-type']).toContain('application/problem+json');
  });

  it('moves an order straight to collected when the acceptance arrives after the collection', async () => {
    const p = await w.patient();
    const visit = await w.visit(p.id);
    const placed = await w.order(visit.id, 'NA');
    // The laboratory's subscriber runs, encounters' does not yet (its delivery is late).
    await w.deliver('laboratory.');
    const [request] = await w.requestsOf(visit.id);
    w.ok(
      await w.call(
        'POST',
        `/api/v1/laboratory/samples/${request!.samples[0]!.id}/collect`,
        w.nurse.headers,
        {},
      ),
      200,
      'collect',
    );
    const [collected] = await stored('laboratory.sample.collected', request!.samples[0]!.id);
    const [accepted] = await stored('laboratory.order.accepted', placed.id);
    await redeliver(t, 'encounters.order-fulfilment', collected!);
    expect((await orderInEncounter(t, w.doctor.headers, visit.id, placed.id)).fulfilmentStatus).toBe(
      'collected',
    );
    await redeliver(t, 'encounters.order-fulfilment', accepted!);
    expect((await orderInEncounter(t, w.doctor.headers, visit.id, placed.id)).fulfilmentStatus).toBe(
      'collected',
    );
  });
});

describe('an encounter order the laboratory catalog does not know', () => {
  it('is not dropped: the doctor sees it was not taken and the lab lists it to call the doctor', async () => {
    // 1. Dr Rao types a code the catalog does not have, and orders another test with no code at all.
    const asha = await w.patient();
    const visit = await w.visit(asha.id);
    const unknown = await w.order(visit.id, 'NOPE-42');
    const noCode = w.ok<{ id: string; version: number }>(
      await w.call('POST', `/api/v1/encounters/${visit.id}/orders`, w.doctor.headers, {
        category: 'laboratory',
        display: 'Fasting lipid profile, the usual',
      }),
      201,
      'order without a code',
    );

    // 2. The order's event arrives five times at once: one unmatched row and one event per order, no request.
    const [placedEvent] = await stored('encounters.order.placed', unknown.id);
    await redeliver(t, 'laboratory.order-placed', placedEvent!, 5);
    await deliverAll();
    expect(await w.requestsOf(visit.id)).toEqual([]);
    const [unmatchedEvent, ...more] = await stored('laboratory.order.unmatched', unknown.id);
    expect(more).toEqual([]);
    expect(unmatchedEvent!.payload).toMatchObject({
      orderId: unknown.id,
      encounterId: visit.id,
      patientId: asha.id,
      category: 'laboratory',
      code: 'NOPE-42',
      display: 'NOPE-42',
      reasonCode: 'not-in-catalog',
    });
    expect(await stored('laboratory.order.unmatched', noCode.id)).toHaveLength(1);

    // 3. The doctor sees both orders as not taken, with the reason.
    const shown = await orderInEncounter(t, w.doctor.headers, visit.id, unknown.id);
    expect(shown).toMatchObject({ status: 'active', fulfilmentStatus: 'not-matched' });
    expect(shown.fulfilmentNote).toContain('NOPE-42');
    expect(shown.fulfilmentNote).toContain('did not take the order');
    expect(await orderInEncounter(t, w.doctor.headers, visit.id, noCode.id)).toMatchObject({
      fulfilmentStatus: 'not-matched',
      fulfilmentNote: expect.stringContaining('no test code'),
    });

    // 4. The lab's list: both, newest first, with the patient and the doctor to call; an audited read.
    const list = w.ok<UnmatchedOrder[]>(
      await w.call('GET', '/api/v1/laboratory/unmatched-orders', w.technician.headers),
      200,
      'unmatched list',
    );
    const mine = list.filter((u) => u.encounterId === visit.id);
    expect(mine.map((u) => [u.orderId, u.reasonCode]).sort()).toEqual(
      [
        [unknown.id, 'not-in-catalog'],
        [noCode.id, 'no-code'],
      ].sort(),
    );
    const row = mine.find((u) => u.orderId === unknown.id)!;
    expect(row).toMatchObject({
      patientId: asha.id,
      patientName: asha.displayName,
      mrn: asha.mrn,
      code: 'NOPE-42',
      priority: 'routine',
      requestedById: w.doctor.id,
      requestedByName: 'Dr Rao',
      status: 'open',
      version: 1,
    });
    expect((await auditsOf(asha.id, 'LabUnmatchedOrder')).map((a) => a.action)).toEqual([
      'create',
      'create',
      'read',
    ]);
    // Doctors and nurses see their orders in the encounter; the list is the lab's.
    for (const who of [w.doctor, w.nurse]) {
      const refused = await w.call('GET', '/api/v1/laboratory/unmatched-orders', who.headers);
      expect(refused.statusCode).toBe(403);
    }

    // 5. The technician calls Dr Rao and closes it with what was agreed; bad closes change nothing.
    const close = (id: string, body: unknown) =>
      w.call('POST', `/api/v1/laboratory/unmatched-orders/${id}/close`, w.technician.headers, body);
    const empty = await close(row.id, { note: '  ', version: 1 });
    expect(empty.statusCode).toBe(400);
    expect(empty.headers['content-type']).toContain('application/problem+json');
    expect((await close(row.id, { note: 'Called', version: 2 })).json()).toMatchObject({
      code: 'STALE_VERSION',
    });
    expect((await close('00000000-0000-4000-8000-000000000000', { note: 'x', version: 1 })).statusCode).toBe(
      404,
    );
    const closed = w.ok<UnmatchedOrder>(
      await close(row.id, { note: 'Called Dr Rao: meant K, re-ordered from the catalog', version: 1 }),
      200,
      'close',
    );
    expect(closed).toMatchObject({ status: 'closed', closedByName: 'Tech Anil', version: 2 });
    const again = await close(row.id, { note: 'Twice', version: 2 });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'LAB_UNMATCHED_ORDER_CLOSED' });
    const open = w.ok<UnmatchedOrder[]>(
      await w.call('GET', '/api/v1/laboratory/unmatched-orders?status=open', w.technician.headers),
      200,
      'open',
    );
    expect(open.some((u) => u.id === row.id)).toBe(false);
    const bad = await w.call('GET', '/api/v1/laboratory/unmatched-orders?status=maybe', w.technician.headers);
    expect(bad.statusCode).toBe(400);

    // 6. The doctor cancels the other one: it leaves the lab's list by itself.
    const current = await orderInEncounter(t, w.doctor.headers, visit.id, noCode.id);
    w.ok(
      await w.call('POST', `/api/v1/encounters/${visit.id}/orders/${noCode.id}/cancel`, w.doctor.headers, {
        reason: 'Ordered by name by mistake',
        version: current.version,
      }),
      200,
      'cancel',
    );
    await deliverAll();
    const all = w.ok<UnmatchedOrder[]>(
      await w.call('GET', '/api/v1/laboratory/unmatched-orders?status=all', w.technician.headers),
      200,
      'all',
    );
    expect(all.find((u) => u.orderId === noCode.id)).toMatchObject({
      status: 'closed',
      closeNote: 'Order cancelled: Ordered by name by mistake',
    });
    expect(await orderInEncounter(t, w.doctor.headers, visit.id, noCode.id)).toMatchObject({
      status: 'cancelled',
      fulfilmentStatus: 'not-matched',
    });
  });

  it('keeps unmatched orders: the table refuses a delete', async () => {
    await expect(t.database.db.execute(sql`delete from laboratory.unmatched_orders`)).rejects.toThrow();
  });
});

describe('laboratory.sample.collected for a walk-in', () => {
  it('names the request without an encounter order', async () => {
    const p = await w.patient();
    const [request] = (await w.walkIn(p.id, ['NA'])) as LabRequest[];
    const tube = request!.samples[0]!;
    w.ok(
      await w.call('POST', `/api/v1/laboratory/samples/${tube.id}/collect`, w.nurse.headers, {}),
      200,
      'collect',
    );
    const [event] = await stored('laboratory.sample.collected', tube.id);
    expect(event!.payload).toMatchObject({
      encounterId: null,
      requests: [{ requestId: request!.id, orderId: null, code: 'NA', kind: 'test' }],
      tests: [{ code: 'NA', name: 'Sodium', loincCode: '2951-2' }],
    });
  });
});
