import type { LabRequest } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import { createLabWorld, type LabWorld } from './laboratory-test-support';

// Walk-ins on the bill: a test ordered at the lab counter for a visit (or for a patient in a ward) is charged
// by billing from billing.service.rendered under the charge master code billing matches an encounter's
// order with (our code, the LOINC code, the name); cancelling the walk-in reverses it. A doctor's order in
// the encounter is charged by billing from the order itself, never a second time by the laboratory. A walk-in
// with no visit and no stay has no episode to be charged to: nothing is published.

let t: TestApp;
let w: LabWorld;
let admin: Record<string, string>;

type ChargeRow = {
  sourceType: string;
  sourceId: string;
  sourceLine: string;
  serviceCode: string;
  status: string;
  unitPrice: number;
  encounterId: string | null;
  admissionId: string | null;
};

/** The charges billing posted for some sources (tests may read billing's table to assert what persisted). */
async function chargesOf(...sourceIds: string[]): Promise<ChargeRow[]> {
  const rows = await rowsOf<ChargeRow>(
    t.database.db,
    sql`select c.source_type as "sourceType", c.source_id as "sourceId", c.source_line as "sourceLine",
          c.service_code as "serviceCode", c.status, c.unit_price as "unitPrice",
          a.encounter_id as "encounterId", a.admission_id as "admissionId"
        from billing.charges c join billing.accounts a on a.id = c.account_id
        where c.source_id in (${sql.join(
          sourceIds.map((id) => sql`${id}`),
          sql`, `,
        )}) order by c.source_line, c.posted_at`,
  );
  return rows.map((r) => ({ ...r, unitPrice: Number(r.unitPrice) }));
}

async function billingEventsOf(requestId: string) {
  return rowsOf<{ type: string; payload: Record<string, unknown> }>(
    t.database.db,
    sql`select type, payload from events.outbox where aggregate_id = ${requestId} and type like 'billing.%'
      order by occurred_at, id`,
  );
}

async function service(code: string, name: string, price: number) {
  const s = w.ok<{ id: string }>(
    await w.call('POST', '/api/v1/billing/services', admin, { code, name, serviceGroup: 'investigation' }),
    201,
    'service',
  );
  w.ok(
    await w.call('POST', `/api/v1/billing/services/${s.id}/prices`, admin, {
      tariffClass: '*',
      price,
      validFrom: '2020-01-01',
    }),
    201,
    'price',
  );
}

async function walkIn(body: Record<string, unknown>) {
  return w.ok<LabRequest[]>(
    await w.call('POST', '/api/v1/laboratory/requests', w.technician.headers, {
      priority: 'routine',
      ...body,
    }),
    201,
    'walk-in',
  );
}

/** Billing's subscribers have had every event of this facility. */
const deliver = () => w.deliver('billing.');

/** A patient admitted to a ward of the lab's facility (the stay's account takes the charges). */
async function admit(patientId: string) {
  const ok = <T>(res: Awaited<ReturnType<typeof w.call>>, what: string) => w.ok<T>(res, 201, what);
  const n = Math.random().toString(36).slice(2, 7).toUpperCase();
  const department = ok<{ id: string }>(
    await w.call('POST', `/api/v1/organization/facilities/${w.facilityId}/departments`, admin, {
      code: `D${n}`,
      name: `Medicine ${n}`,
      kind: 'clinical',
    }),
    'department',
  );
  const practitioner = ok<{ id: string }>(
    await w.call('POST', '/api/v1/opd/practitioners', admin, {
      userId: w.doctor.id,
      displayName: 'Dr Rao',
      departmentId: department.id,
      specialty: 'General Medicine',
      qualifications: ['MBBS'],
      registrationCouncil: 'KMC',
      registrationNumber: `R${n}`,
      firstVisitFee: 50_000,
      followUpFee: 30_000,
    }),
    'practitioner',
  );
  const ward = ok<{ id: string }>(
    await w.call('POST', '/api/v1/ipd/wards', admin, { code: `W${n}`, name: `Ward ${n}`, kind: 'general' }),
    'ward',
  );
  const room = ok<{ id: string }>(
    await w.call('POST', '/api/v1/ipd/rooms', admin, { wardId: ward.id, code: 'R1', name: 'Room 1' }),
    'room',
  );
  const category = ok<{ id: string }>(
    await w.call('POST', '/api/v1/ipd/bed-categories', admin, {
      code: `G${n}`,
      name: 'General bed',
      tariffClass: 'general',
      intensiveCare: false,
    }),
    'category',
  );
  const bed = ok<{ id: string }>(
    await w.call('POST', '/api/v1/ipd/beds', admin, {
      roomId: room.id,
      categoryId: category.id,
      code: 'B001',
      sortOrder: 1,
    }),
    'bed',
  );
  return ok<{ id: string; encounterId: string }>(
    await w.call('POST', '/api/v1/ipd/admissions', admin, {
      patientId,
      bedId: bed.id,
      source: 'direct',
      admittingPractitionerId: practitioner.id,
      attendingPractitionerId: practitioner.id,
      reason: 'Pneumonia',
      provisionalDiagnosis: { text: 'Pneumonia', code: 'J18.9' },
      expectedLengthOfStayDays: 3,
      attendant: { name: 'Ravi Kumar', relationship: 'Husband', phone: '+91 98450 12345' },
      consent: { signedBy: 'The patient', relationship: 'Self' },
      payerCategory: 'cash',
    }),
    'admission',
  );
}

beforeAll(async () => {
  t = await createTestApp();
  w = await createLabWorld(t);
  admin = (await w.staff(['admin'])).headers;
  // The lab's price list: potassium by our code, electrolytes by its LOINC code, the urine culture by its
  // name. The blood group has no price.
  await service('K', 'Potassium', 20_000);
  await service('24326-1', 'Electrolytes panel', 45_000);
  await service('LAB-UCX', 'Urine culture and sensitivity', 90_000);
}, 180_000);
afterAll(() => t?.close());

describe('walk-in laboratory requests on the bill', () => {
  it("charges each test or panel of a walk-in to the visit, under the charge master's code", async () => {
    // 1. Asha's visit; at the counter she is booked for potassium, electrolytes, a urine culture, a blood group.
    const asha = await w.patient();
    const visit = await w.visit(asha.id);
    const requests = await walkIn({
      patientId: asha.id,
      encounterId: visit.id,
      tests: ['K', 'ELECTROLYTES', 'URINE_CULTURE', 'ABO'],
    });
    const [k, electrolytes, culture, abo] = requests as [LabRequest, LabRequest, LabRequest, LabRequest];
    // 2. One billing.service.rendered per priced request, in the same transaction as the request.
    expect((await billingEventsOf(k.id)).map((e) => [e.type, e.payload])).toEqual([
      [
        'billing.service.rendered',
        expect.objectContaining({
          sourceType: 'laboratory.request',
          sourceId: k.id,
          sourceLine: 'K',
          serviceCode: 'K',
          encounterId: visit.id,
          admissionId: null,
          patientId: asha.id,
          quantity: 1,
        }),
      ],
    ]);
    expect(await billingEventsOf(abo.id)).toEqual([]);
    // 3. Billing posts them on the visit's account.
    await deliver();
    const charges = await chargesOf(...requests.map((r) => r.id));
    expect(charges.map((c) => [c.sourceId, c.sourceLine, c.serviceCode, c.unitPrice, c.status])).toEqual([
      [electrolytes.id, 'ELECTROLYTES', '24326-1', 45_000, 'active'],
      [k.id, 'K', 'K', 20_000, 'active'],
      [culture.id, 'URINE_CULTURE', 'LAB-UCX', 90_000, 'active'],
    ]);
    for (const c of charges)
      expect(c).toMatchObject({ sourceType: 'laboratory.request', encounterId: visit.id });

    // 4. The potassium was booked by mistake: the counter cancels it, and billing reverses the charge.
    const cancelled = w.ok<LabRequest>(
      await w.call('POST', `/api/v1/laboratory/requests/${k.id}/cancel`, w.technician.headers, {
        reason: 'Booked twice',
        version: k.version,
      }),
      200,
      'cancel',
    );
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Booked twice' });
    expect(cancelled.samples.every((s) => s.status === 'cancelled')).toBe(true);
    expect((await billingEventsOf(k.id)).map((e) => e.type)).toEqual([
      'billing.service.rendered',
      'billing.service.reversed',
    ]);
    await deliver();
    expect((await chargesOf(k.id)).map((c) => c.status)).toEqual(['cancelled']);
    expect((await chargesOf(electrolytes.id)).map((c) => c.status)).toEqual(['active']);
  });

  it('refuses to cancel twice, with a stale version, after results, or a request from an encounter order', async () => {
    const p = await w.patient();
    const visit = await w.visit(p.id);
    const [k, na] = (await walkIn({ patientId: p.id, encounterId: visit.id, tests: ['K', 'NA'] })) as [
      LabRequest,
      LabRequest,
    ];
    const cancel = (id: string, version: number) =>
      w.call('POST', `/api/v1/laboratory/requests/${id}/cancel`, w.technician.headers, {
        reason: 'Patient left',
        version,
      });
    expect((await cancel(k.id, k.version + 1)).json()).toMatchObject({ code: 'STALE_VERSION' });
    expect((await cancel(k.id, k.version)).statusCode).toBe(200);
    expect((await cancel(k.id, k.version + 1)).json()).toMatchObject({ code: 'LAB_REQUEST_CLOSED' });
    await w.collectAndReceive(na);
    w.ok(
      await w.call('POST', `/api/v1/laboratory/requests/${na.id}/results`, w.technician.headers, {
        results: [{ testCode: 'NA', value: 140 }],
      }),
      200,
      'enter',
    );
    const resulted = await cancel(na.id, (await w.request(na.id)).version);
    expect(resulted.statusCode).toBe(409);
    expect(resulted.json()).toMatchObject({ code: 'LAB_REQUEST_RESULTED' });
    await w.order(visit.id, 'K');
    await w.deliver();
    const fromOrder = (await w.requestsOf(visit.id)).find((r) => r.orderId)!;
    const refused = await cancel(fromOrder.id, fromOrder.version);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'LAB_REQUEST_FROM_ORDER' });
    // The front desk may order (laboratory:order) and so cancel; a nurse may not.
    const nurse = await w.call('POST', `/api/v1/laboratory/requests/${na.id}/cancel`, w.nurse.headers, {
      reason: 'x',
      version: 1,
    });
    expect(nurse.statusCode).toBe(403);
  });

  it("charges a doctor's order once: billing from the order, never the laboratory", async () => {
    const p = await w.patient();
    const visit = await w.visit(p.id);
    const order = await w.order(visit.id, 'K');
    await w.deliver();
    const [request] = await w.requestsOf(visit.id);
    expect(request!.orderId).toBe(order.id);
    await deliver();
    expect(await billingEventsOf(request!.id)).toEqual([]);
    expect(await chargesOf(request!.id)).toEqual([]);
    const byOrder = await chargesOf(order.id);
    expect(byOrder.map((c) => [c.sourceType, c.serviceCode, c.status])).toEqual([
      ['encounters.order', 'K', 'active'],
    ]);
  });

  it("charges an in-patient's walk-in to the open stay, and publishes nothing without a visit or a stay", async () => {
    const inpatient = await w.patient();
    const stay = await admit(inpatient.id);
    const [k] = await walkIn({ patientId: inpatient.id, tests: ['K'] });
    await deliver();
    expect((await chargesOf(k!.id)).map((c) => [c.serviceCode, c.admissionId, c.status])).toEqual([
      ['K', stay.id, 'active'],
    ]);

    const passerby = await w.patient();
    const [alone] = await walkIn({ patientId: passerby.id, tests: ['K'] });
    expect(alone).toMatchObject({ setting: 'walk-in', encounterId: null });
    await deliver();
    expect(await billingEventsOf(alone!.id)).toEqual([]);
    expect(await chargesOf(alone!.id)).toEqual([]);
  });
});
