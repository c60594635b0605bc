import type { LabRequest } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import type { DomainEvent } from '../../platform/events/outbox';
import { createLabWorld, type LabWorld } from './laboratory-test-support';

// The laboratory's ward round: a doctor's order becomes a request with its tubes, a nurse collects and
// labels them, the lab receives, rejects or works them, a technician enters results that are flagged and
// delta-checked, a pathologist (another person) validates and amends, and a cancelled order stops the work.

let t: TestApp;
let w: LabWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await createLabWorld(t);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

async function onlyRequest(encounterId: string): Promise<LabRequest> {
  const list = await w.requestsOf(encounterId);
  expect(list).toHaveLength(1);
  return list[0]!;
}

async function audited(patientId: string, resourceType: string) {
  return rowsOf<{ action: string }>(
    t.database.db,
    sql`select action from audit.entries where patient_id = ${patientId} and resource_type = ${resourceType}`,
  );
}

describe('laboratory orders, samples and results', () => {
  it('turns an encounter order for a CBC into a request with an EDTA tube that is collected, labelled and received', async () => {
    // 1. The doctor orders a CBC in Asha's OPD visit.
    const asha = await w.patient();
    const visit = await w.visit(asha.id);
    const order = await w.order(visit.id, 'CBC');
    await w.deliver();

    // 2. The laboratory has one request for the order, its 20 results pending, one EDTA lavender tube.
    const request = await onlyRequest(visit.id);
    expect(request).toMatchObject({ orderId: order.id, code: 'CBC', kind: 'panel', setting: 'opd' });
    expect(request.results).toHaveLength(20);
    expect(request.results.every((r) => r.status === 'pending')).toBe(true);
    expect(request.samples).toHaveLength(1);
    const tube = request.samples[0]!;
    expect(tube).toMatchObject({
      container: 'EDTA lavender',
      specimen: 'blood',
      status: 'awaiting-collection',
    });
    expect(tube.accession).toMatch(/^L\d{6}\d{4}$/);
    expect(tube.testCodes).toContain('HB');

    // 3. The nurse sees it on the OPD collection list, collects it and prints the label.
    const list = w.ok<{ sample: { id: string }; patientName: string; mrn: string }[]>(
      await w.call('GET', '/api/v1/laboratory/collection-list?setting=opd', w.nurse.headers),
      200,
      'collection list',
    );
    expect(list.find((i) => i.sample.id === tube.id)).toMatchObject({ mrn: asha.mrn });
    const collected = w.ok<LabRequest>(
      await w.call('POST', `/api/v1/laboratory/samples/${tube.id}/collect`, w.nurse.headers, {}),
      200,
      'collect',
    );
    expect(collected.samples[0]).toMatchObject({ status: 'collected', collectedByName: 'Sr Mary' });
    const label = await w.call('GET', `/api/v1/laboratory/samples/${tube.id}/label`, w.nurse.headers);
    expect(label.statusCode).toBe(200);
    expect(label.headers['content-type']).toContain('application/pdf');
    expect(label.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    expect(label.headers['content-disposition']).toContain(tube.accession);
    const pdf = await getDocument({ data: new Uint8Array(label.rawPayload), verbosity: 0 }).promise;
    const printed = (await (await pdf.getPage(1)).getTextContent()).items
      .map((i) => ('str' in i ? i.str : ''))
      .join(' ');
    await pdf.destroy();
    expect(printed).toContain(tube.accession);
    expect(printed).toContain(asha.mrn);

    // 4. The lab scans the accession: received, the request is in progress; a second scan is a 409.
    const received = w.ok<LabRequest>(
      await w.call('POST', '/api/v1/laboratory/samples/receive', w.technician.headers, {
        accession: tube.accession.toLowerCase(),
      }),
      200,
      'receive',
    );
    expect(received.status).toBe('in-progress');
    expect(received.samples[0]).toMatchObject({ status: 'received', receivedByName: 'Tech Anil' });
    const again = await w.call('POST', '/api/v1/laboratory/samples/receive', w.technician.headers, {
      accession: tube.accession,
    });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');

    // 5. The haematology worklist shows the tube with its pending tests and TAT target.
    const bench = w.ok<{ sample: { id: string }; pendingTests: unknown[]; tatTargetMinutes: number }[]>(
      await w.call('GET', '/api/v1/laboratory/worklist?section=haematology', w.technician.headers),
      200,
      'worklist',
    );
    const item = bench.find((b) => b.sample.id === tube.id);
    expect(item?.pendingTests).toHaveLength(20);
    expect(item?.tatTargetMinutes).toBe(120);

    // Every step was audited with the patient.
    const sampleAudit = await audited(asha.id, 'LabSample');
    expect(sampleAudit.map((a) => a.action)).toEqual(expect.arrayContaining(['update', 'read']));
    expect((await audited(asha.id, 'LabRequest')).map((a) => a.action)).toContain('create');
  });

  it('flags a potassium of 6.8 HH, refuses validation by who entered it, and finalizes when another validates', async () => {
    // 1. A walk-in adult at the lab counter, STAT potassium.
    const ravi = await w.patient({ sex: 'male', birthDate: '1980-05-05' });
    const [request] = await w.walkIn(ravi.id, ['K'], 'stat');
    expect(request).toMatchObject({ code: 'K', kind: 'test', setting: 'walk-in', priority: 'stat' });
    expect(request!.samples[0]).toMatchObject({ container: 'SST gold' });
    await w.collectAndReceive(request!);

    // 2. The technician enters 6.84: rounded to 6.8 mmol/L, flagged HH, critical.
    const entered = w.ok<LabRequest>(
      await w.call('POST', `/api/v1/laboratory/requests/${request!.id}/results`, w.technician.headers, {
        results: [{ testCode: 'K', value: 6.84 }],
      }),
      200,
      'enter',
    );
    expect(entered.results[0]).toMatchObject({
      status: 'entered',
      value: 6.8,
      unit: 'mmol/L',
      flag: 'HH',
      critical: true,
      enteredByName: 'Tech Anil',
    });
    expect(entered.results[0]!.referenceRange).toMatchObject({ low: 3.5, high: 5.1, criticalHigh: 6.2 });

    // 3. The same technician cannot validate it.
    const self = await w.call(
      'POST',
      `/api/v1/laboratory/requests/${request!.id}/validate`,
      w.technician.headers,
      {},
    );
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe('LAB_SECOND_PERSON_REQUIRED');

    // 4. A nurse may not validate at all; the pathologist does: the request is complete.
    const nurse = await w.call(
      'POST',
      `/api/v1/laboratory/requests/${request!.id}/validate`,
      w.nurse.headers,
      {},
    );
    expect(nurse.statusCode).toBe(403);
    const validated = w.ok<LabRequest>(
      await w.call('POST', `/api/v1/laboratory/requests/${request!.id}/validate`, w.pathologist.headers, {}),
      200,
      'validate',
    );
    expect(validated.status).toBe('completed');
    expect(validated.results[0]).toMatchObject({ status: 'validated', validatedByName: 'Dr Path Sen' });

    // 5. One finalized event, critical, naming the potassium.
    const events = await w.events(request!.id);
    expect(events.map((e) => e.type)).toEqual(['laboratory.result.finalized']);
    expect(events[0]!.payload).toMatchObject({
      requestId: request!.id,
      patientId: ravi.id,
      critical: true,
      criticalResults: [{ testCode: 'K', value: 6.8, flag: 'HH' }],
    });

    // 6. The cumulative view shows the validated value with its flag.
    const cumulative = w.ok<{ tests: { code: string; values: { value: number; flag: string }[] }[] }>(
      await w.call('GET', `/api/v1/laboratory/patients/${ravi.id}/results`, w.doctor.headers),
      200,
      'cumulative',
    );
    expect(cumulative.tests).toEqual([
      expect.objectContaining({ code: 'K', values: [expect.objectContaining({ value: 6.8, flag: 'HH' })] }),
    ]);
  });

  it('amends a released result with a reason and keeps what it said before', async () => {
    const p = await w.patient({ sex: 'male', birthDate: '1975-01-01' });
    const [request] = await w.walkIn(p.id, ['NA']);
    await w.collectAndReceive(request!);
    await w.call('POST', `/api/v1/laboratory/requests/${request!.id}/results`, w.technician.headers, {
      results: [{ testCode: 'NA', value: 128 }],
    });
    const validated = w.ok<LabRequest>(
      await w.call('POST', `/api/v1/laboratory/requests/${request!.id}/validate`, w.pathologist.headers, {}),
      200,
      'validate',
    );
    const result = validated.results[0]!;
    expect(result.flag).toBe('L');

    // Not without a reason (400), not on a stale version (409), not by who entered it (403).
    const noReason = await w.call(
      'POST',
      `/api/v1/laboratory/results/${result.id}/amend`,
      w.pathologist.headers,
      {
        value: 138,
        version: result.version,
      },
    );
    expect(noReason.statusCode).toBe(400);
    const stale = await w.call(
      'POST',
      `/api/v1/laboratory/results/${result.id}/amend`,
      w.pathologist.headers,
      {
        value: 138,
        reason: 'Transcription error',
        version: result.version - 1,
      },
    );
    expect(stale.statusCode).toBe(409);

    const amended = w.ok<LabRequest>(
      await w.call('POST', `/api/v1/laboratory/results/${result.id}/amend`, w.pathologist.headers, {
        value: 138,
        reason: 'Transcription error: 138 read as 128',
        version: result.version,
      }),
      200,
      'amend',
    );
    expect(amended.results[0]).toMatchObject({ status: 'amended', value: 138, flag: 'N' });
    expect(amended.results[0]!.revisions).toEqual([
      expect.objectContaining({
        revisionNo: 1,
        previousValue: 128,
        previousFlag: 'L',
        reason: 'Transcription error: 138 read as 128',
        amendedByName: 'Dr Path Sen',
      }),
    ]);
    const events = await w.events(request!.id);
    expect(events.map((e) => e.type)).toEqual(['laboratory.result.finalized', 'laboratory.result.amended']);
    expect(events[1]!.payload).toMatchObject({ resultId: result.id, revisionNo: 1, critical: false });

    // The revision is history: the database refuses to change or delete it.
    await expect(
      t.database.db.execute(
        sql`update laboratory.result_revisions set reason = 'x' where result_id = ${result.id}`,
      ),
    ).rejects.toThrow();
    await expect(
      t.database.db.execute(sql`delete from laboratory.results where id = ${result.id}`),
    ).rejects.toThrow();
  });

  it('rejects a haemolysed sample and asks for a recollection with a new accession', async () => {
    const p = await w.patient();
    const [request] = await w.walkIn(p.id, ['K']);
    const first = request!.samples[0]!;
    await w.collectAndReceive(request!);

    const bad = await w.call('POST', `/api/v1/laboratory/samples/${first.id}/reject`, w.technician.headers, {
      reason: 'lipaemic',
    });
    expect(bad.statusCode).toBe(400);
    const rejected = w.ok<LabRequest>(
      await w.call('POST', `/api/v1/laboratory/samples/${first.id}/reject`, w.technician.headers, {
        reason: 'haemolysed',
        note: 'Pink serum',
      }),
      200,
      'reject',
    );
    const old = rejected.samples.find((s) => s.id === first.id)!;
    const fresh = rejected.samples.find((s) => s.id !== first.id)!;
    expect(old).toMatchObject({
      status: 'rejected',
      rejectionReason: 'haemolysed',
      recollectionSampleId: fresh.id,
    });
    expect(fresh).toMatchObject({
      status: 'awaiting-collection',
      recollectionOf: first.id,
      container: 'SST gold',
      testCodes: ['K'],
    });
    expect(fresh.accession).not.toBe(first.accession);
    expect(rejected.results[0]!.sampleId).toBe(fresh.id);

    // The new tube is on the collection list again; the rejected one cannot be rejected twice.
    const list = w.ok<{ sample: { id: string } }[]>(
      await w.call('GET', '/api/v1/laboratory/collection-list', w.nurse.headers),
      200,
      'collection list',
    );
    expect(list.some((i) => i.sample.id === fresh.id)).toBe(true);
    const twice = await w.call(
      'POST',
      `/api/v1/laboratory/samples/${first.id}/reject`,
      w.technician.headers,
      {
        reason: 'clotted',
      },
    );
    expect(twice.statusCode).toBe(409);

    // Results cannot be entered until the new sample is received.
    const early = await w.call(
      'POST',
      `/api/v1/laboratory/requests/${request!.id}/results`,
      w.technician.headers,
      {
        results: [{ testCode: 'K', value: 4.2 }],
      },
    );
    expect(early.statusCode).toBe(422);
  });

  it('cancels the request when the doctor cancels the order before any result', async () => {
    const p = await w.patient();
    const visit = await w.visit(p.id);
    const order = await w.order(visit.id, 'LFT', { priority: 'urgent' });
    await w.deliver();
    const request = await onlyRequest(visit.id);
    expect(request.status).toBe('requested');

    w.ok(
      await w.call('POST', `/api/v1/encounters/${visit.id}/orders/${order.id}/cancel`, w.doctor.headers, {
        reason: 'Ordered for the wrong patient',
        version: order.version,
      }),
      200,
      'cancel order',
    );
    await w.deliver();
    const cancelled = await w.request(request.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cancelReason).toContain('Ordered for the wrong patient');
    expect(cancelled.samples.every((s) => s.status === 'cancelled')).toBe(true);
    expect(cancelled.results.every((r) => r.status === 'cancelled')).toBe(true);
  });

  it('resolves a LOINC order and ignores codes the catalog does not know', async () => {
    const p = await w.patient();
    const visit = await w.visit(p.id);
    await w.order(visit.id, '2823-3', { system: 'http://loinc.org' });
    await w.order(visit.id, 'NOT_A_TEST');
    await w.deliver();
    const request = await onlyRequest(visit.id);
    expect(request.code).toBe('K');
  });

  it('flags a haemoglobin drop of 3 g/dL within 3 days on the delta check', async () => {
    const p = await w.patient({ sex: 'female', birthDate: '1965-03-03' });
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const [first] = await w.walkIn(p.id, ['HB']);
    await w.collectAndReceive(first!, twoDaysAgo);
    await w.call('POST', `/api/v1/laboratory/requests/${first!.id}/results`, w.technician.headers, {
      results: [{ testCode: 'HB', value: 12.1 }],
    });
    w.ok(
      await w.call('POST', `/api/v1/laboratory/requests/${first!.id}/validate`, w.pathologist.headers, {}),
      200,
      'validate first',
    );

    const [second] = await w.walkIn(p.id, ['HB']);
    await w.collectAndReceive(second!);
    const entered = w.ok<LabRequest>(
      await w.call('POST', `/api/v1/laboratory/requests/${second!.id}/results`, w.technician.headers, {
        results: [{ testCode: 'HB', value: 9.1 }],
      }),
      200,
      'enter second',
    );
    expect(entered.results[0]!.delta).toMatchObject({ flagged: true, previousValue: 12.1, change: -3 });
    expect(entered.results[0]!.flag).toBe('L');
  });

  it('makes one request of an order however many times its event is delivered at once', async () => {
    const p = await w.patient();
    const visit = await w.visit(p.id);
    const order = await w.order(visit.id, 'CBC', { priority: 'stat' });
    const [row] = await rowsOf<{
      id: string;
      type: string;
      facility_id: string;
      aggregate_id: string;
      actor_id: string | null;
      payload: unknown;
      occurred_at: string;
    }>(
      t.database.db,
      sql`select * from events.outbox where aggregate_id = ${order.id} and type = 'encounters.order.placed'`,
    );
    const event: DomainEvent = {
      id: row!.id,
      type: row!.type,
      facilityId: row!.facility_id,
      aggregateId: row!.aggregate_id,
      actorId: row!.actor_id,
      payload: row!.payload,
      occurredAt: new Date(row!.occurred_at),
    };
    const handler = t.app.deps.events.subscriptions.get('laboratory.order-placed')!.handler;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => t.database.db.transaction((tx) => handler(event, tx))),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    await w.deliver();
    expect(await w.count('requests', 'order_id', order.id)).toBe(1);
    const request = await onlyRequest(visit.id);
    expect(request.samples).toHaveLength(1);
    expect(request.results).toHaveLength(20);

    // A STAT request heads the collection list.
    const list = w.ok<{ priority: string }[]>(
      await w.call('GET', '/api/v1/laboratory/collection-list', w.nurse.headers),
      200,
      'collection list',
    );
    expect(list[0]!.priority).toBe('stat');
  }, 60_000);
});
