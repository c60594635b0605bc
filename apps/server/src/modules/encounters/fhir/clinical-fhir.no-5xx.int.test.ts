import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/harness';

// Random reads and searches of the clinical FHIR resources (and the OPD's Appointment, which shares the
// search plumbing): whatever the input, the answer is never a 5xx.

let t: TestApp;
let auth: Record<string, string>;
const existing: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  auth = bearer(t.admin.token);
  const patient = await t.app.inject({
    method: 'POST',
    url: '/api/v1/patients',
    headers: auth,
    payload: { name: { given: 'Fuzzy', family: 'Clinical' }, sex: 'unknown' },
  });
  const patientId = patient.json().id as string;
  const encounter = await t.app.inject({
    method: 'POST',
    url: '/api/v1/encounters',
    headers: auth,
    payload: { patientId },
  });
  const encounterId = encounter.json().id as string;
  const vitals = await t.app.inject({
    method: 'POST',
    url: `/api/v1/encounters/${encounterId}/vitals`,
    headers: auth,
    payload: { systolic: 120, diastolic: 80, heartRate: 70 },
  });
  const dx = await t.app.inject({
    method: 'POST',
    url: `/api/v1/encounters/${encounterId}/diagnoses`,
    headers: auth,
    payload: { code: 'I10' },
  });
  existing.push(
    patientId,
    encounterId,
    dx.json().id,
    ...vitals.json().items.map((o: { id: string }) => o.id),
  );
});
afterAll(() => t.close());

const types = ['Encounter', 'Observation', 'Condition', 'Appointment'] as const;
const oddString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '%_\\', "O'Brien", '💉', 'x'.repeat(600)),
);
const dateValue = fc.oneof(
  fc.constantFrom(
    '0001',
    '0050-01-01',
    '9999-12-31',
    'ge9999-12-31T23:59:59.999999999Z',
    'ap0001-01-01',
    'sa2026-02-29',
    'eb2024-02-29T24:00Z',
    'ne2024-05-01T10:00+14:00',
    'lt2024-05-01T10:00 05:30',
    'gt2024-05-01T10:00-99:99',
  ),
  fc
    .tuple(
      fc.constantFrom('', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'sa', 'eb', 'ap', 'xx'),
      fc.date({ noInvalidDate: true }),
    )
    .map(([p, d]) => `${p}${d.toISOString()}`),
);
const key = fc.constantFrom(
  'patient',
  'subject',
  'encounter',
  'practitioner',
  'actor',
  'date',
  'recorded-date',
  'status',
  'status:not',
  'class',
  'code',
  'category',
  'clinical-status',
  'verification-status',
  '_id',
  '_count',
  '_cursor',
  '_total',
  'code:text',
  'patient:Patient',
  'x',
);
const value = fc.oneof(
  oddString,
  dateValue,
  fc.constantFrom(0, 1, 2, 3, 4).map((i) => existing[i] ?? 'missing'),
  fc.constantFrom(0, 1).map((i) => `Patient/${existing[i] ?? ''}`),
  fc.uuid(),
  fc.constantFrom(
    'http://loinc.org|85354-9',
    '|8867-4',
    'http://loinc.org|',
    'final,amended',
    'AMB,EMER',
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
      fc.oneof(oddString, fc.uuid(), fc.constantFrom(...[0, 1, 2, 3].map(String))),
    )
    .map(([type, id]) => `/fhir/R4/${type}/${encodeURIComponent(existing[Number(id)] ?? id)}`),
);

describe('the clinical FHIR resources under random input', () => {
  it('never answer 5xx to a read or a search', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (url) => {
        const res = await t.app.inject({ method: 'GET', url, headers: auth });
        expect(res.statusCode, `${url} -> ${res.body.slice(0, 300)}`).toBeLessThan(500);
        expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      }),
      { numRuns: 300 },
    );
  });
});
