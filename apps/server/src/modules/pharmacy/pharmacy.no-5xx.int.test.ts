import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { createPharmacyWorld, type PharmacyWorld } from './pharmacy-test-support';

// Every pharmacy, prescription and MAR route sent contract-shaped random input with the real ids of this
// world mixed in (stores, batches, items, patients, visits, a stay, prescriptions, doses, sales), so that
// random input reaches the services and the database: the answer is never a 5xx.

let t: TestApp;
let w: PharmacyWorld;
let headers: Record<string, string>;
const ids: string[] = [];
let routes: { method: string; path: string }[] = [];

beforeAll(async () => {
  t = await createTestApp();
  w = await createPharmacyWorld(t);
  const doctor = await w.prescriber();
  const admin = doctor.admin;
  headers = admin.headers;
  const item = await w.item('Fuzzomycin');
  const controlled = await w.item('Fuzzorphine', { schedule: 'X', narcotic: true });
  const receipt = await w.receive(w.opdStore.id, [
    { formularyItemId: item.id, batchNo: 'FZ1', expiryDate: '2030-01-31', quantity: 50 },
    { formularyItemId: controlled.id, batchNo: 'FZ2', expiryDate: '2030-01-31', quantity: 5 },
  ]);
  const patient = await w.patient();
  const visit = await w.visit(patient.id);
  const stay = await w.inpatient(patient.id, doctor);
  const sale = await w.call('POST', '/api/v1/pharmacy/dispensations', headers, {
    storeId: w.opdStore.id,
    patientId: patient.id,
    encounterId: visit.id,
    prescriberName: 'Dr Fuzz',
    lines: [{ formularyItemId: item.id, quantity: 2 }],
  });
  const rx = await w.call('POST', '/api/v1/prescriptions', doctor.headers, {
    encounterId: stay.encounterId,
    items: [
      {
        formularyItemId: item.id,
        dose: { amount: 1, unit: 'tablet' },
        route: 'oral',
        frequency: 'BD',
        durationDays: 2,
      },
    ],
  });
  const mar = await w.call('GET', `/api/v1/admissions/${stay.admissionId}/mar`, headers);
  const indent = await w.call('POST', '/api/v1/pharmacy/indents', headers, {
    requestingStoreId: w.opdStore.id,
    supplyingStoreId: w.mainStore.id,
    lines: [{ formularyItemId: item.id, quantity: 3 }],
  });
  const adjustment = await w.call('POST', '/api/v1/pharmacy/adjustments', headers, {
    storeId: w.opdStore.id,
    batchId: receipt.lines[0]!.batchId,
    quantity: -1,
    reason: 'Fuzz',
  });
  ids.push(
    w.opdStore.id,
    w.mainStore.id,
    w.supplier.id,
    item.id,
    controlled.id,
    receipt.id,
    ...receipt.lines.map((l) => l.batchId),
    patient.id,
    visit.id,
    stay.admissionId,
    stay.encounterId,
    sale.json().id,
    rx.json().id,
    ...(mar.json().doses ?? []).slice(0, 3).map((d: { id: string }) => d.id),
    indent.json().id,
    adjustment.json().id,
  );
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths)
    .filter(([path]) =>
      /^\/api\/v1\/(pharmacy|prescriptions|mar)\/|^\/api\/v1\/admissions\/\{id\}\/mar|^\/api\/v1\/patients\/\{id\}\/prescriptions/.test(
        path,
      ),
    )
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
}, 180_000);
afterAll(() => t.close());

const anyId = () =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...ids), weight: 4 },
    { arbitrary: fc.constantFrom(crypto.randomUUID(), 'nope'), weight: 1 },
  );
const small = () => fc.oneof(fc.integer({ min: -3, max: 60 }), fc.constant(0.5), fc.constant(2 ** 40));
const text = () =>
  fc.oneof(fc.string({ maxLength: 12 }), fc.constant('x'.repeat(1200)), fc.constant('\u0000'));
const date = () =>
  fc.oneof(
    fc
      .integer({ min: -400, max: 2000 })
      .map((n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10)),
    fc.constantFrom('2026-02-30', 'soon'),
  );
const line = () =>
  fc.record(
    {
      formularyItemId: anyId(),
      quantity: small(),
      batchId: anyId(),
      batchNo: fc.constantFrom('B1', 'FZ1', 'a b'),
      expiryDate: date(),
      mrp: small(),
      cost: small(),
      lineNo: small(),
      dose: fc.record({ amount: small(), unit: fc.constantFrom('mg', 'tablet', 'mL', 'kg') }),
      route: fc.constantFrom('oral', 'iv', 'x'),
      frequency: fc.constantFrom('OD', 'BD', 'SOS', 'STAT', 'CUSTOM', 'HOURLY'),
      times: fc.array(fc.constantFrom('08:00', '25:00', '20:00'), { maxLength: 3 }),
      prnIndication: text(),
      maxDosesPerDay: small(),
      durationDays: small(),
      substituteFormularyItemId: anyId(),
      substitutionNote: text(),
    },
    { requiredKeys: [] },
  );
const values: Record<string, () => fc.Arbitrary<unknown>> = {
  storeId: anyId,
  supplierId: anyId,
  patientId: anyId,
  encounterId: anyId,
  admissionId: anyId,
  batchId: anyId,
  prescriptionId: anyId,
  requestingStoreId: anyId,
  supplyingStoreId: anyId,
  formularyItemId: anyId,
  lines: () => fc.array(line(), { maxLength: 3 }),
  items: () => fc.array(line(), { maxLength: 3 }),
  overrides: () => fc.array(fc.record({ alertKey: text(), reason: text() }), { maxLength: 2 }),
  quantity: small,
  lineNo: small,
  version: small,
  reason: text,
  note: text,
  kind: () => fc.constantFrom('adjustment', 'expired-write-off', 'other'),
  decision: () => fc.constantFrom('approved', 'rejected', 'maybe'),
  status: () => fc.constantFrom('given', 'held', 'refused', 'missed', 'due'),
  wristbandCode: text,
  medicineCode: text,
  prnIndication: text,
  prescriberName: text,
  witnessName: text,
  counsellingNote: text,
  supplierInvoiceNo: text,
  supplierInvoiceDate: date,
  alertsAcknowledged: () => fc.boolean(),
  code: () => fc.constantFrom('OPD2', 'x', 'MAIN'),
  name: text,
  gstin: () => fc.constantFrom('29ABCDE1234F1Z5', 'nope'),
  minimum: small,
  reorderQuantity: small,
  dispenses: () => fc.boolean(),
};
const body = () =>
  fc.oneof(
    {
      arbitrary: fc
        .dictionary(fc.constantFrom(...Object.keys(values)), fc.constant(null), { maxKeys: 8 })
        .chain((shape) => fc.record(Object.fromEntries(Object.keys(shape).map((k) => [k, values[k]!()])))),
      weight: 4,
    },
    { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
const query = () =>
  fc
    .record(
      {
        q: text(),
        storeId: anyId(),
        patientId: anyId(),
        formularyItemId: anyId(),
        withinDays: small(),
        from: fc.oneof(date(), fc.constant(new Date().toISOString())),
        to: fc.oneof(date(), fc.constant(new Date().toISOString())),
        status: fc.constantFrom('pending', 'requested', 'x'),
        belowReorder: fc.constantFrom('true', 'no'),
        hours: small(),
        wardId: anyId(),
        setting: fc.constantFrom('outpatient', 'inpatient', 'x'),
      },
      { requiredKeys: [] },
    )
    .map((q) =>
      new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)] as [string, string])).toString(),
    );

describe('pharmacy, prescriptions and the MAR', () => {
  it('never answer 5xx to random input with real ids', async () => {
    expect(routes.length).toBeGreaterThan(30);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(anyId(), { minLength: 2, maxLength: 2 }),
        fc.integer({ min: -1, max: 4 }),
        body(),
        query(),
        async (route, [id, itemId], lineNo, payload, qs) => {
          const url = route.path
            .replace('{id}', id!)
            .replace('{itemId}', itemId!)
            .replace('{lineNo}', String(lineNo));
          const res = await t.app.inject({
            method: route.method as 'GET',
            url: route.method === 'GET' ? `${url}?${qs}` : url,
            headers,
            ...(route.method !== 'GET' && payload !== undefined ? { payload: payload as object } : {}),
          });
          if (res.statusCode >= 500) throw new Error(`${route.method} ${url}: ${res.statusCode} ${res.body}`);
        },
      ),
      { numRuns: 400 },
    );
  }, 300_000);
});
