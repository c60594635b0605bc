import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/harness';
import { createLabWorld, type LabWorld } from '../laboratory-test-support';

// Random reads and searches of the laboratory's FHIR resources and of the shared Observation and
// DiagnosticReport (vitals and results merged), with the real ids and accessions of this world mixed in:
// whatever the input, the answer is never a 5xx.

let t: TestApp;
let w: LabWorld;
let headers: Record<string, string>;
const existing: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  w = await createLabWorld(t);
  headers = (await w.staff(['admin'])).headers;
  const patient = await w.patient();
  const visit = await w.visit(patient.id);
  const vitals = await w.call('POST', `/api/v1/encounters/${visit.id}/vitals`, w.nurse.headers, {
    systolic: 120,
    diastolic: 80,
    heartRate: 70,
  });
  const [k, culture] = await w.walkIn(patient.id, ['K', 'URINE_CULTURE']);
  await w.collectAndReceive(k!);
  await w.collectAndReceive(culture!);
  await w.call('POST', `/api/v1/laboratory/requests/${k!.id}/results`, w.technician.headers, {
    results: [{ testCode: 'K', value: 4.4 }],
  });
  await w.call('POST', `/api/v1/laboratory/requests/${k!.id}/validate`, w.pathologist.headers, {});
  existing.push(
    patient.id,
    visit.id,
    k!.id,
    k!.samples[0]!.id,
    k!.results[0]!.id,
    culture!.results[0]!.id,
    k!.samples[0]!.accession,
    ...vitals.json().items.map((o: { id: string }) => o.id),
  );
}, 180_000);
afterAll(() => t.close());

const types = ['ServiceRequest', 'Specimen', 'Observation', 'DiagnosticReport'] as const;
const oddString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '%_\\', "O'Brien", '💉', 'x'.repeat(600), ',', '\\,'),
);
const dateValue = fc.oneof(
  fc.constantFrom(
    '0001',
    '9999-12-31',
    'ap0001-01-01',
    'sa2026-02-29',
    'eb2024-02-29T24:00Z',
    'gt2024-05-01T10:00-99:99',
  ),
  fc
    .tuple(
      fc.constantFrom('', 'eq', 'ne', 'lt', 'ge', 'sa', 'eb', 'ap', 'xx'),
      fc.date({ noInvalidDate: true }),
    )
    .map(([p, d]) => `${p}${d.toISOString()}`),
);
const key = fc.constantFrom(
  'patient',
  'subject',
  'encounter',
  'date',
  'authored',
  'collected',
  'status',
  'status:not',
  'code',
  'category',
  'accession',
  'type',
  '_id',
  '_count',
  '_cursor',
  '_total',
  'code:text',
  'category:not',
  'x',
);
const value = fc.oneof(
  oddString,
  dateValue,
  fc.constantFrom(...[0, 1, 2, 3, 4, 5, 6, 7, 8].map(String)).map((i) => existing[Number(i)] ?? 'missing'),
  fc.constantFrom(0, 1).map((i) => `Patient/${existing[i] ?? ''}`),
  fc.uuid(),
  fc.constantFrom(
    'http://loinc.org|2823-3',
    'https://newhms.dev/fhir/CodeSystem/lab-test|K',
    'http://loinc.org|',
    '|K',
    'laboratory',
    'vital-signs,laboratory',
    'LAB',
    'http://terminology.hl7.org/CodeSystem/v2-0074|LAB',
    'final,amended,partial',
    'active,revoked',
    'unsatisfactory',
    'serum',
    'eyJ4IjoxfQ',
    'WyJ6enoiXQ',
    '0',
    '100',
    '101',
    'accurate',
  ),
);
const request = fc.oneof(
  fc
    .tuple(fc.constantFrom(...types), fc.array(fc.tuple(key, value), { maxLength: 4 }))
    .map(([type, params]) => `/fhir/R4/${type}?${new URLSearchParams(params).toString()}`),
  fc
    .tuple(
      fc.constantFrom(...types),
      fc.oneof(oddString, fc.uuid(), fc.integer({ min: 0, max: 9 }).map(String)),
    )
    .map(([type, id]) => `/fhir/R4/${type}/${encodeURIComponent(existing[Number(id)] ?? id)}`),
);

describe("the laboratory's FHIR resources under random input", () => {
  it('never answer 5xx to a read or a search', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (url) => {
        const res = await t.app.inject({ method: 'GET', url, headers });
        expect(res.statusCode, `${url} -> ${res.body.slice(0, 300)}`).toBeLessThan(500);
        expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      }),
      { numRuns: 300 },
    );
  });
});
