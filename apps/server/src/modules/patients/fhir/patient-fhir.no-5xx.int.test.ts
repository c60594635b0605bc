import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/harness';

// The REST property test (test/no-5xx.int.test.ts) walks the OpenAPI document, which does not list the
// FHIR routes (the CapabilityStatement describes them); this one sends the FHIR API random input.

let t: TestApp;
let auth: Record<string, string>;
const existing: { id: string; version: string }[] = [];

beforeAll(async () => {
  t = await createTestApp();
  auth = bearer(t.admin.token);
  for (const given of ['Randomised', 'Fuzzed']) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/fhir/R4/Patient',
      headers: auth,
      payload: { resourceType: 'Patient', name: [{ family: 'Property', given: [given] }], gender: 'unknown' },
    });
    existing.push({ id: res.json().id, version: res.json().meta.versionId });
  }
});
afterAll(() => t.close());

const systems = [
  'https://newhms.dev/fhir/sid/mrn',
  'https://healthid.ndhm.gov.in',
  'https://healthid.abdm.gov.in/abha-address',
  'https://uidai.gov.in/aadhaar',
  'https://newhms.dev/fhir/sid/passport',
  'https://newhms.dev/fhir/sid/temporary',
  'http://hl7.org/fhir/sid/us-ssn',
];
const oddString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '••••1234',
    '1990-02-30',
    '0000-01-01',
    '9999-12-31',
    '+919845012345',
    "O'Brien",
    '%_\\',
  ),
);
const anything = fc.jsonValue({ maxDepth: 3 });
const patientLike = fc.record(
  {
    resourceType: fc.oneof(fc.constant('Patient'), anything),
    id: fc.oneof(fc.uuid(), oddString),
    gender: fc.oneof(fc.constantFrom('male', 'female', 'other', 'unknown', 'M'), anything),
    birthDate: fc.oneof(
      fc.constantFrom('1990-01-01', '1990', '2999-12-31', '1890-01-01'),
      oddString,
      anything,
    ),
    name: fc.oneof(
      fc.array(
        fc.record(
          {
            use: fc.constantFrom('official', 'old', 'temp'),
            family: oddString,
            given: fc.array(oddString, { maxLength: 3 }),
            text: oddString,
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
      anything,
    ),
    telecom: fc.oneof(
      fc.array(
        fc.record(
          {
            system: fc.constantFrom('phone', 'email', 'fax', 'sms', 'url'),
            value: oddString,
            use: fc.constantFrom('home', 'mobile', 'old'),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 7 },
      ),
      anything,
    ),
    identifier: fc.oneof(
      fc.array(
        fc.record(
          { system: fc.oneof(fc.constantFrom(...systems), oddString), value: oddString, type: anything },
          { requiredKeys: [] },
        ),
        { maxLength: 12 },
      ),
      anything,
    ),
    address: fc.array(
      fc.record(
        { line: fc.array(oddString), city: oddString, postalCode: oddString, country: oddString },
        { requiredKeys: [] },
      ),
      { maxLength: 2 },
    ),
    maritalStatus: fc.oneof(
      fc.record({
        coding: fc.array(fc.record({ system: oddString, code: fc.constantFrom('M', 'S', 'UNK', 'Q') })),
      }),
      anything,
    ),
    communication: fc.oneof(fc.array(fc.record({ language: fc.record({ text: oddString }) })), anything),
    contact: fc.oneof(
      fc.array(
        fc.record(
          {
            name: fc.record({ text: oddString }),
            relationship: fc.array(fc.record({ text: oddString })),
            telecom: fc.array(fc.record({ system: fc.constant('phone'), value: oddString })),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 11 },
      ),
      anything,
    ),
    active: fc.oneof(fc.boolean(), anything),
    deceasedBoolean: fc.boolean(),
    _birthDate: anything,
  },
  { requiredKeys: [] },
);
const body = fc.oneof(patientLike, anything, fc.constant(undefined));
const searchKey = fc.constantFrom(
  'name',
  'name:exact',
  'name:contains',
  'family',
  'given',
  'birthdate',
  'gender',
  'gender:not',
  'identifier',
  'phone',
  'email',
  '_id',
  'active',
  '_count',
  '_cursor',
  '_total',
  '_format',
  'family:missing',
  'x',
);
const searchValue = fc.oneof(
  oddString,
  fc.constantFrom(
    'ge1990',
    'ap2000-02',
    'eb1800',
    'https://uidai.gov.in/aadhaar|',
    '|123456789012',
    'male,female',
    '0',
    '100',
    'accurate',
    'eyJ4IjoxfQ',
  ),
);
const query = fc.array(fc.tuple(searchKey, searchValue), { maxLength: 4 });
const idParam = fc.oneof(
  fc.constantFrom(0, 1).map((i) => existing[i]?.id ?? 'missing'),
  fc.uuid(),
  oddString,
);

type Req = { method: 'GET' | 'POST' | 'PUT'; url: string; headers: Record<string, string>; payload?: string };
const request: fc.Arbitrary<Req> = fc.oneof(
  fc
    .tuple(
      body,
      fc.boolean(),
      fc.constantFrom('application/fhir+json', 'application/json'),
      fc.option(oddString),
    )
    .map(([b, truncate, type, override]) => ({
      method: 'POST' as const,
      url: '/fhir/R4/Patient',
      headers: {
        'content-type': type,
        ...(override !== null ? { 'x-duplicate-override-reason': override } : {}),
      },
      ...(b !== undefined ? { payload: truncate ? JSON.stringify(b).slice(0, -1) : JSON.stringify(b) } : {}),
    })),
  fc
    .tuple(idParam, body, fc.oneof(fc.constantFrom('W/"1"', 'W/"2"', '"1"', 'W/"999999999"'), oddString))
    .map(([id, b, ifMatch]) => ({
      method: 'PUT' as const,
      url: `/fhir/R4/Patient/${encodeURIComponent(String(id))}`,
      headers: { 'content-type': 'application/fhir+json', ...(ifMatch ? { 'if-match': ifMatch } : {}) },
      ...(b !== undefined ? { payload: JSON.stringify(typeof b === 'object' && b ? { ...b, id } : b) } : {}),
    })),
  query.map((q) => ({
    method: 'GET' as const,
    url: `/fhir/R4/Patient?${q.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`,
    headers: {},
  })),
  fc.tuple(idParam, fc.option(fc.oneof(fc.nat().map(String), oddString)), query).map(([id, vid, q]) => ({
    method: 'GET' as const,
    url: `/fhir/R4/Patient/${encodeURIComponent(String(id))}/_history${vid !== null ? `/${encodeURIComponent(vid)}` : ''}?${q
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&')}`,
    headers: {},
  })),
);

describe('the FHIR Patient API, sent random input', () => {
  it('never answers 5xx, and every refusal is an OperationOutcome', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const res = await t.app.inject({ ...r, headers: { ...auth, ...r.headers } });
        if (res.statusCode >= 500) throw new Error(`${r.method} ${r.url} -> ${res.statusCode}: ${res.body}`);
        expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
        if (res.statusCode >= 400) expect(res.json().resourceType).toBe('OperationOutcome');
      }),
      { numRuns: 400 },
    );
  });
});
