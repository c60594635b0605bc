import { verhoeffCheckDigit } from '@newhms/contracts';
import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../../test/fhir-validators';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../../test/harness';
import { auditEntries } from '../../../platform/audit/audit.tables';
import { duplicateReviews, patientIdentifiers, patients } from '../patients.tables';

let t: TestApp;
let desk: Record<string, string>;
let records: Record<string, string>;
let pharmacist: Record<string, string>;
let deskUserId: string;

const FHIR_JSON = 'application/fhir+json';
const aadhaar = (base11: string) => `${base11}${verhoeffCheckDigit(base11)}`;
// Unique per run: on PostgreSQL every test file shares one database, and a shared Aadhaar is a duplicate.
const randomBase11 = () =>
  `${2 + Math.floor(Math.random() * 8)}${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
const AADHAAR_SYSTEM = 'https://uidai.gov.in/aadhaar';
const MRN_SYSTEM = 'https://newhms.dev/fhir/sid/mrn';

// biome-ignore lint/suspicious/noExplicitAny: FHIR JSON read in assertions
type Json = Record<string, any>;

beforeAll(async () => {
  t = await createTestApp();
  const fd = await createTestUser(t.database, { roles: ['front-desk'], facilityId: t.facilityId });
  deskUserId = fd.id;
  desk = bearer(await signIn(t.app, fd.email));
  const ro = await createTestUser(t.database, { roles: ['records-officer'], facilityId: t.facilityId });
  records = bearer(await signIn(t.app, ro.email));
  const ph = await createTestUser(t.database, { roles: ['pharmacist'], facilityId: t.facilityId });
  pharmacist = bearer(await signIn(t.app, ph.email));
});
afterAll(() => t.close());

function create(body: unknown, headers: Record<string, string> = desk) {
  return t.app.inject({
    method: 'POST',
    url: '/fhir/R4/Patient',
    headers: { ...headers, 'content-type': FHIR_JSON },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
function get(url: string, headers: Record<string, string> = desk) {
  return t.app.inject({ method: 'GET', url: url.replace(/^https?:\/\/[^/]+/, ''), headers });
}
function put(id: string, body: unknown, ifMatch: string | null, headers: Record<string, string> = desk) {
  return t.app.inject({
    method: 'PUT',
    url: `/fhir/R4/Patient/${id}`,
    headers: { ...headers, 'content-type': FHIR_JSON, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
    payload: JSON.stringify(body),
  });
}
/**
 * Patients this file's front desk registered (every create here is theirs): on PostgreSQL every test file shares
 * one database, so a count of all patients moves with the other files' registrations.
 */
async function patientCount() {
  const [row] = await t.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(patients)
    .where(eq(patients.createdById, deskUserId));
  return row!.n;
}
function patient(overrides: Json = {}): Json {
  return {
    resourceType: 'Patient',
    name: [{ use: 'official', family: 'Deshpande', given: ['Vaishnavi'] }],
    gender: 'female',
    birthDate: '1992-06-17',
    ...overrides,
  };
}
const ids = (bundle: Json) =>
  (bundle.entry ?? []).filter((e: Json) => e.search?.mode === 'match').map((e: Json) => e.resource.id);

describe('the CapabilityStatement', () => {
  it('lists Patient with its interactions, conditional create, versioned update and search parameters', async () => {
    const cs = (await get('/fhir/R4/metadata', {})).json();
    expectValidFhir(cs);
    const p = cs.rest[0].resource.find((r: Json) => r.type === 'Patient');
    expect(p).toMatchObject({ versioning: 'versioned-update', conditionalCreate: true, readHistory: true });
    expect(p.interaction.map((i: Json) => i.code).sort()).toEqual([
      'create',
      'history-instance',
      'read',
      'search-type',
      'update',
      'vread',
    ]);
    expect(p.searchParam.map((s: Json) => s.name).sort()).toEqual([
      '_id',
      'active',
      'birthdate',
      'email',
      'family',
      'gender',
      'given',
      'identifier',
      'name',
      'phone',
    ]);
  });
});

describe('create, read, update (FHIR Patient)', () => {
  let created: Json;
  const aadhaarNumber = aadhaar(randomBase11());

  it('1. registers a Patient through the registration path, with MRN, masked national id, ETag and Location', async () => {
    const res = await create(
      patient({
        identifier: [
          { system: AADHAAR_SYSTEM, value: aadhaarNumber },
          { system: 'https://healthid.abdm.gov.in/abha-address', value: 'vaishnavi.d@abdm' },
        ],
        telecom: [
          { system: 'phone', value: '98450 33445', use: 'mobile' },
          { system: 'email', value: 'vaishnavi@example.in' },
        ],
        address: [
          {
            use: 'home',
            line: ['14 Tilak Road'],
            city: 'Sadashiv Peth',
            district: 'Pune',
            state: 'Maharashtra',
            postalCode: '411030',
            country: 'IN',
          },
        ],
        maritalStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }],
        },
        communication: [{ language: { text: 'Marathi' }, preferred: true }],
        contact: [
          {
            relationship: [
              { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'C' }] },
              { text: 'brother' },
            ],
            name: { text: 'Sagar Deshpande' },
            telecom: [{ system: 'phone', value: '9845033446' }],
          },
        ],
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    created = res.json();
    expectValidFhir(created);
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.headers.location).toMatch(new RegExp(`/fhir/R4/Patient/${created.id}/_history/1$`));
    expect(res.headers['last-modified']).toBe(new Date(created.meta.lastUpdated).toUTCString());
    expect(created.identifier[0]).toMatchObject({ system: MRN_SYSTEM, type: { coding: [{ code: 'MR' }] } });
    const national = created.identifier.find((i: Json) => i.system === AADHAAR_SYSTEM);
    expect(national.value).toBe(`••••••••${aadhaarNumber.slice(-4)}`);
    expect(JSON.stringify(created)).not.toContain(aadhaarNumber);
    expect(created.meta.security).toEqual([expect.objectContaining({ code: 'MASKED' })]);
    expect(created.telecom).toEqual([
      { system: 'phone', value: '+919845033445', use: 'mobile', rank: 1 },
      { system: 'email', value: 'vaishnavi@example.in' },
    ]);
    expect(created.maritalStatus.coding[0].code).toBe('M');
    expect(created.contact[0].relationship[0].coding[0].code).toBe('C');
    // The same record through the REST API, registered by the desk user and audited as a create.
    const rest = (await get(`/api/v1/patients/${created.id}`)).json();
    expect(rest).toMatchObject({
      displayName: 'Vaishnavi Deshpande',
      maritalStatus: 'married',
      preferredLanguage: 'Marathi',
      contacts: [{ kind: 'emergency', relationship: 'brother', phone: '+919845033446' }],
      address: { locality: 'Sadashiv Peth', district: 'Pune' },
    });
    const audits = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.patientId, created.id), eq(auditEntries.action, 'create')));
    expect(audits.map((a) => a.actorId)).toEqual([deskUserId]);
  });

  it('2. reads it back (audited as a view), and answers 404 for ids that are not ours', async () => {
    const res = await get(`/fhir/R4/Patient/${created.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.json()).toEqual(created);
    const [audit] = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.patientId, created.id), eq(auditEntries.action, 'read')))
      .orderBy(desc(auditEntries.occurredAt));
    expect(audit).toMatchObject({ actorId: deskUserId, resourceType: 'Patient' });
    for (const url of [
      '/fhir/R4/Patient/00000000-0000-7000-8000-000000000000',
      '/fhir/R4/Patient/not-one-of-ours',
    ]) {
      const missing = await get(url);
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({
        resourceType: 'OperationOutcome',
        issue: [{ code: 'not-found' }],
      });
      expectValidFhir(missing.json());
    }
  });

  it('3. updates with If-Match, keeping the masked national id as it is', async () => {
    const [before] = await t.database.db
      .select()
      .from(patientIdentifiers)
      .where(and(eq(patientIdentifiers.patientId, created.id), eq(patientIdentifiers.type, 'aadhaar')));
    const changed = {
      ...created,
      telecom: [...created.telecom, { system: 'phone', value: '020 2445 6789', use: 'home' }],
      address: [{ ...created.address[0], line: ['22 Tilak Road'] }],
    };
    // Not a number we keep (we keep mobiles and +country numbers): refused, naming the element.
    const refused = await put(created.id, changed, 'W/"1"');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().issue[0].expression).toEqual(['Patient.telecom[2].value']);
    changed.telecom[2].value = '+442071234567';
    const res = await put(created.id, changed, 'W/"1"');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe('W/"2"');
    expect(res.headers.location).toMatch(/\/_history\/2$/);
    const updated = res.json();
    expectValidFhir(updated);
    expect(updated.meta.versionId).toBe('2');
    expect(updated.address[0].line).toEqual(['22 Tilak Road']);
    expect(updated.identifier).toEqual(created.identifier);
    const [after] = await t.database.db
      .select()
      .from(patientIdentifiers)
      .where(and(eq(patientIdentifiers.patientId, created.id), eq(patientIdentifiers.type, 'aadhaar')));
    expect(after).toEqual(before);
    // A masked value that is not the stored one cannot be kept or stored.
    const wrongMask = await put(
      created.id,
      { ...updated, identifier: [{ system: AADHAAR_SYSTEM, value: '••••••••9999' }] },
      'W/"2"',
    );
    expect(wrongMask.statusCode).toBe(422);
    expect(wrongMask.json().issue[0]).toMatchObject({ expression: ['Patient.identifier[0].value'] });
    created = updated;
  });

  it('4. refuses a stale If-Match (412), a missing one (428), another id (400), and writes nothing', async () => {
    const body = { ...created, gender: 'other' };
    const stale = await put(created.id, body, 'W/"1"');
    expect(stale.statusCode).toBe(412);
    expectValidFhir(stale.json());
    expect(stale.json().issue[0].code).toBe('conflict');
    const missing = await put(created.id, body, null);
    expect(missing.statusCode).toBe(428);
    const otherId = await put(created.id, { ...body, id: '00000000-0000-7000-8000-000000000001' }, 'W/"2"');
    expect(otherId.statusCode).toBe(400);
    expect(otherId.json().issue[0].expression).toEqual(['Patient.id']);
    const now = (await get(`/fhir/R4/Patient/${created.id}`)).json();
    expect(now).toMatchObject({ gender: 'female', meta: { versionId: '2' } });
  });

  it('5. reads old versions (vread) and the history, newest first, paged', async () => {
    const v1 = await get(`/fhir/R4/Patient/${created.id}/_history/1`);
    expect(v1.statusCode).toBe(200);
    expect(v1.headers.etag).toBe('W/"1"');
    expectValidFhir(v1.json());
    expect(v1.json().address[0].line).toEqual(['14 Tilak Road']);
    expect(v1.json().meta.versionId).toBe('1');
    expect((await get(`/fhir/R4/Patient/${created.id}/_history/9`)).statusCode).toBe(404);
    expect((await get(`/fhir/R4/Patient/${created.id}/_history/x`)).statusCode).toBe(404);

    const history = (await get(`/fhir/R4/Patient/${created.id}/_history`)).json();
    expectValidFhir(history);
    expect(history).toMatchObject({ resourceType: 'Bundle', type: 'history', total: 2 });
    expect(
      history.entry.map((e: Json) => [e.resource.meta.versionId, e.request.method, e.response.status]),
    ).toEqual([
      ['2', 'PUT', '200'],
      ['1', 'POST', '201'],
    ]);
    const first = (await get(`/fhir/R4/Patient/${created.id}/_history?_count=1`)).json();
    expect(first.entry).toHaveLength(1);
    const next = first.link.find((l: Json) => l.relation === 'next').url;
    const second = (await get(next)).json();
    expect(second.entry.map((e: Json) => e.resource.meta.versionId)).toEqual(['1']);
    expect(second.link.find((l: Json) => l.relation === 'next')).toBeUndefined();
    const vreads = await t.database.db
      .select()
      .from(auditEntries)
      .where(
        and(
          eq(auditEntries.patientId, created.id),
          sql`${auditEntries.detail}->>'purpose' in ('vread', 'history')`,
        ),
      );
    expect(vreads.length).toBeGreaterThanOrEqual(4);
  });

  it('6. keeps an estimated birth date estimated, and an unidentified patient unidentified, on a round trip', async () => {
    const byAge = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patients',
      headers: desk,
      payload: { name: { given: 'Yellamma' }, sex: 'female', birth: { age: { years: 70, months: 0 } } },
    });
    const fhirView = (await get(`/fhir/R4/Patient/${byAge.json().id}`)).json();
    expectValidFhir(fhirView);
    expect(fhirView._birthDate.extension).toEqual([
      { url: 'https://newhms.dev/fhir/StructureDefinition/birth-date-estimated', valueBoolean: true },
    ]);
    const { _birthDate, ...withoutExtension } = fhirView;
    expect((await put(fhirView.id, withoutExtension, 'W/"1"')).statusCode).toBe(200);
    expect((await get(`/api/v1/patients/${fhirView.id}`)).json().birthDateEstimated).toBe(true);

    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patients/unknown',
      headers: desk,
      payload: { sex: 'male', approximateAge: 40 },
    });
    const view = (await get(`/fhir/R4/Patient/${unknown.json().id}`)).json();
    expectValidFhir(view);
    expect(view.name[0]).toMatchObject({ use: 'temp', text: 'Unknown Male ~40' });
    expect(view.identifier[1]).toMatchObject({
      use: 'temp',
      system: 'https://newhms.dev/fhir/sid/temporary',
    });
    expect((await put(view.id, view, 'W/"1"')).statusCode).toBe(200);
    expect((await get(`/api/v1/patients/${view.id}`)).json().unidentified).toBe(true);
  });
});

describe('refusing bad input (nothing is written)', () => {
  it.each([
    ['gender "M"', patient({ gender: 'M' }), 422, 'Patient.gender'],
    ['no gender', patient({ gender: undefined }), 422, 'Patient.gender'],
    ['a birth date in the future', patient({ birthDate: '2999-01-01' }), 422, 'Patient.birthDate'],
    ['a birth date that is no date', patient({ birthDate: '1992-02-30x' }), 422, 'Patient.birthDate'],
    ['a year for a birth date', patient({ birthDate: '1992' }), 422, 'Patient.birthDate'],
    ['no name', patient({ name: [] }), 422, 'Patient.name'],
    [
      'an Aadhaar with a wrong check digit',
      patient({ identifier: [{ system: AADHAAR_SYSTEM, value: '234567890123' }] }),
      422,
      'Patient.identifier[0].value',
    ],
    [
      'an identifier system we do not keep',
      patient({ identifier: [{ system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-11-2222' }] }),
      422,
      'Patient.identifier[0].system',
    ],
    [
      'an MRN chosen by the client',
      patient({ identifier: [{ system: MRN_SYSTEM, value: 'X-1' }] }),
      422,
      'Patient.identifier[0].value',
    ],
    [
      'a phone number that is not one',
      patient({ telecom: [{ system: 'phone', value: '12' }] }),
      422,
      'Patient.telecom[0].value',
    ],
    [
      'a fax number',
      patient({ telecom: [{ system: 'fax', value: '+912024456789' }] }),
      422,
      'Patient.telecom[0].system',
    ],
    [
      'an unknown marital status',
      patient({
        maritalStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'Q' }],
        },
      }),
      422,
      'Patient.maritalStatus',
    ],
    ['a death', patient({ deceasedBoolean: true }), 422, 'Patient.deceased'],
    ['a name of the wrong type', patient({ name: 'Vaishnavi' }), 400, 'Patient.name'],
    ['a gender of the wrong type', patient({ gender: 1 }), 400, 'Patient.gender'],
    ['another resource type', { resourceType: 'Observation', status: 'final' }, 400, 'resourceType'],
  ])('refuses %s with an OperationOutcome naming the element', async (_what, body, status, expression) => {
    const before = await patientCount();
    const res = await create(body);
    expect(res.statusCode, res.body).toBe(status);
    const outcome = res.json();
    expectValidFhir(outcome);
    expect(outcome.issue.flatMap((i: Json) => i.expression ?? [])).toContain(expression);
    expect(await patientCount()).toBe(before);
  });

  it.each([
    ['malformed JSON', '{"resourceType": "Patient",', FHIR_JSON, 400],
    ['a JSON array', '[]', FHIR_JSON, 400],
    ['an XML body', '<Patient xmlns="http://hl7.org/fhir"/>', 'application/fhir+xml', 415],
  ])('refuses %s with an OperationOutcome', async (_what, payload, contentType, status) => {
    const before = await patientCount();
    const res = await t.app.inject({
      method: 'POST',
      url: '/fhir/R4/Patient',
      headers: { ...desk, 'content-type': contentType },
      payload,
    });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expectValidFhir(res.json());
    expect(await patientCount()).toBe(before);
  });

  it('also accepts plain application/json', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/fhir/R4/Patient',
      headers: desk,
      payload: patient({ name: [{ family: 'Thangaraj', given: ['Ezhilarasi'] }], birthDate: '1968-12-01' }),
    });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('checks permissions like the REST API (a pharmacist reads but does not register)', async () => {
    const res = await create(patient({ name: [{ family: 'Fernandes', given: ['Joanna'] }] }), pharmacist);
    expect(res.statusCode).toBe(403);
    expect(res.json().issue[0].code).toBe('forbidden');
    expectValidFhir(res.json());
    expect((await get('/fhir/R4/Patient?family=fernandes', pharmacist)).statusCode).toBe(200);
  });
});

describe('duplicates', () => {
  const person = patient({
    name: [{ family: 'Iyengar', given: ['Raghavendra'] }],
    gender: 'male',
    birthDate: '1959-09-09',
    telecom: [{ system: 'phone', value: '9448012345' }],
  });
  let first: Json;

  it('answers 409 with the candidate records, writes nothing, and registers with an override reason', async () => {
    first = (await create(person)).json();
    const before = await patientCount();
    const again = await create(person);
    expect(again.statusCode).toBe(409);
    const outcome = again.json();
    expectValidFhir(outcome);
    expect(outcome.issue[0].code).toBe('duplicate');
    expect(outcome.issue.map((i: Json) => i.details.text)).toContain(`Patient/${first.id}`);
    expect(await patientCount()).toBe(before);

    const forced = await create(person, {
      ...desk,
      'x-duplicate-override-reason': 'Namesake, different father',
    });
    expect(forced.statusCode).toBe(201);
    const rest = (await get(`/api/v1/patients/${forced.json().id}`)).json();
    expect(rest.duplicateReason).toBe('Namesake, different father');
    const reviews = await t.database.db
      .select()
      .from(duplicateReviews)
      .where(sql`${forced.json().id} in (${duplicateReviews.patientA}, ${duplicateReviews.patientB})`);
    expect(reviews).toHaveLength(1);
  });

  it('creates conditionally: If-None-Exist returns the record that matches instead of a new one', async () => {
    const mrn = first.identifier[0].value;
    const before = await patientCount();
    const res = await create(person, { ...desk, 'if-none-exist': `identifier=${MRN_SYSTEM}|${mrn}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(first.id);
    expect(res.headers.location).toBeUndefined();
    expect(await patientCount()).toBe(before);
    const fresh = await create(
      patient({ name: [{ family: 'Zachariah', given: ['Ninan'] }], gender: 'male', birthDate: '1949-02-02' }),
      { ...desk, 'if-none-exist': 'identifier=https://newhms.dev/fhir/sid/passport|Z9876543' },
    );
    expect(fresh.statusCode).toBe(201);
    expect(await patientCount()).toBe(before + 1);
    const many = await create(person, { ...desk, 'if-none-exist': 'family=Iyengar' });
    expect(many.statusCode).toBe(412);
    expect(many.json().issue[0].code).toBe('multiple-matches');
  });

  it('shows a merged record as inactive with a replaced-by link, and refuses to update it', async () => {
    const a = (
      await create(patient({ name: [{ family: 'Pillai', given: ['Gopika'] }], birthDate: '1980-05-05' }))
    ).json();
    const b = (
      await create(patient({ name: [{ family: 'Pillai', given: ['Gopika'] }], birthDate: '1980-05-05' }), {
        ...desk,
        'x-duplicate-override-reason': 'Could not confirm at the desk',
      })
    ).json();
    const merge = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patients/merges',
      headers: records,
      payload: { survivorId: a.id, mergedId: b.id, reason: 'Same person, same Aadhaar card' },
    });
    expect(merge.statusCode).toBe(201);
    const merged = (await get(`/fhir/R4/Patient/${b.id}`)).json();
    expectValidFhir(merged);
    expect(merged.active).toBe(false);
    expect(merged.link).toEqual([{ other: { reference: `Patient/${a.id}` }, type: 'replaced-by' }]);
    const survivor = (await get(`/fhir/R4/Patient/${a.id}`)).json();
    expect(survivor.active).toBe(true);
    const edit = await put(b.id, merged, `W/"${merged.meta.versionId}"`);
    expect(edit.statusCode).toBe(422);
    expectValidFhir(edit.json());
    const inactive = (await get(`/fhir/R4/Patient?family=pillai&active=false`)).json();
    expect(ids(inactive)).toEqual([b.id]);
  });
});

describe('search', () => {
  const meenakshiAadhaar = aadhaar(randomBase11());
  const p: Record<'a' | 'b' | 'c', Json> = {} as never;

  beforeAll(async () => {
    const made = await Promise.all([
      create(
        patient({
          name: [{ family: 'Kolathur', given: ['Meenakshi', 'Sundari'] }],
          birthDate: '1990-03-15',
          telecom: [
            { system: 'phone', value: '9886011111' },
            { system: 'email', value: 'meenakshi@example.in' },
          ],
          identifier: [{ system: AADHAAR_SYSTEM, value: meenakshiAadhaar }],
        }),
      ),
      create(
        patient({
          name: [{ family: 'Kolathur', given: ['Mohan'] }],
          gender: 'male',
          birthDate: '1978-07-01',
        }),
      ),
      create(
        patient({
          name: [{ family: 'Kolathurkar', given: ['Mehul'] }],
          gender: 'male',
          birthDate: '1990-11-30',
        }),
      ),
    ]);
    for (const m of made) expect(m.statusCode, m.body).toBe(201);
    [p.a, p.b, p.c] = made.map((m) => m.json() as Json) as [Json, Json, Json];
  });

  const search = async (query: string, headers = desk) => {
    const res = await get(`/fhir/R4/Patient?${query}`, headers);
    expect(res.statusCode, res.body).toBe(200);
    const bundle = res.json();
    expectValidFhir(bundle);
    return bundle;
  };
  const found = async (query: string) =>
    (await search(query)).entry?.map((e: Json) => e.resource.id).sort() ?? [];
  const idsOf = (...keys: ('a' | 'b' | 'c')[]) => keys.map((k) => p[k].id).sort();

  it.each([
    ['family=kolathur', ['a', 'b', 'c']],
    ['family=KOLATH', ['a', 'b', 'c']],
    ['family:exact=Kolathur', ['a', 'b']],
    ['family:contains=athurk', ['c']],
    ['name=kolathu', ['a', 'b', 'c']],
    ['name=sundari', ['a']],
    ['name:exact=Mohan', ['b']],
    ['family=kolathur&given=me', ['a', 'c']],
    ['family=kolathur&given=sund', ['a']],
    ['family=kolathur&birthdate=1990', ['a', 'c']],
    ['family=kolathur&birthdate=1990-03', ['a']],
    ['family=kolathur&birthdate=1990-03-15', ['a']],
    ['family=kolathur&birthdate=lt1980', ['b']],
    ['family=kolathur&birthdate=ge1990-11-30', ['c']],
    ['family=kolathur&birthdate=ne1990', ['b']],
    ['family=kolathur&birthdate=ge1978&birthdate=le1990-03', ['a', 'b']],
    ['family=kolathur&gender=male', ['b', 'c']],
    ['family=kolathur&gender=http://hl7.org/fhir/administrative-gender|female', ['a']],
    ['family=kolathur&gender:not=male', ['a']],
    ['family=kolathur&gender=female,male', ['a', 'b', 'c']],
    ['phone=9886011111', ['a']],
    ['phone=%2B91-98860-11111', ['a']],
    ['email=MEENAKSHI@example.in', ['a']],
  ] as const)('finds %s', async (query, expected) => {
    expect(await found(query)).toEqual(idsOf(...expected));
  });

  it('finds by identifier: a national id by its full value, an MRN with or without its system', async () => {
    expect(await found(`identifier=${encodeURIComponent(`${AADHAAR_SYSTEM}|${meenakshiAadhaar}`)}`)).toEqual(
      idsOf('a'),
    );
    expect(await found(`identifier=${meenakshiAadhaar}`)).toEqual(idsOf('a'));
    const mrn = p.b.identifier[0].value;
    expect(await found(`identifier=${encodeURIComponent(`${MRN_SYSTEM}|${mrn}`)}`)).toEqual(idsOf('b'));
    expect(await found(`identifier=${mrn}`)).toEqual(idsOf('b'));
    expect(await found(`identifier=${encodeURIComponent(`http://example.org|${mrn}`)}`)).toEqual([]);
    expect(await found(`_id=${p.a.id},${p.c.id}`)).toEqual(idsOf('a', 'c'));
    expect(await found('_id=not-a-uuid')).toEqual([]);
  });

  it('pages with _count and an opaque next link, and gives the total when known', async () => {
    const first = await search('family=kolathur&_count=2');
    expect(first.entry).toHaveLength(2);
    expect(first.total).toBeUndefined();
    const self = first.link.find((l: Json) => l.relation === 'self').url;
    expect(self).toMatch(/\/fhir\/R4\/Patient\?family=kolathur&_count=2$/);
    const next = first.link.find((l: Json) => l.relation === 'next').url;
    expect(next).toMatch(/^http:\/\/.+\/fhir\/R4\/Patient\?family=kolathur&_count=2&_cursor=/);
    const second = await search(next.split('?')[1]);
    expect(second.entry).toHaveLength(1);
    expect(second.link.find((l: Json) => l.relation === 'next')).toBeUndefined();
    expect([...ids(first), ...ids(second)].sort()).toEqual(idsOf('a', 'b', 'c'));
    expect((await search('family=kolathur')).total).toBe(3);
    expect((await search('family=kolathur&_count=1&_total=accurate')).total).toBe(3);
    const onlyCount = await search('family=kolathur&_count=0');
    expect(onlyCount).toMatchObject({ total: 3 });
    expect(onlyCount.entry).toBeUndefined();
  });

  it('audits each search with the query (national ids masked) and the number of results', async () => {
    await search(`identifier=${meenakshiAadhaar}&_count=5`);
    const [entry] = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.action, 'search'), eq(auditEntries.actorId, deskUserId)))
      .orderBy(desc(auditEntries.occurredAt), desc(auditEntries.id))
      .limit(1);
    expect(entry!.detail).toMatchObject({ via: 'fhir', results: 1 });
    expect(JSON.stringify(entry!.detail)).not.toContain(meenakshiAadhaar);
    expect((entry!.detail as Json).query).toContain(meenakshiAadhaar.slice(-4));
  });

  it('reports an unknown parameter as a warning, and refuses it under Prefer: handling=strict', async () => {
    const lenient = await search('family=kolathur&_sort=birthdate');
    expect(ids(lenient)).toHaveLength(3);
    const outcome = lenient.entry.find((e: Json) => e.search.mode === 'outcome');
    expect(outcome.resource.issue[0]).toMatchObject({ severity: 'warning', code: 'not-supported' });
    const strict = await get('/fhir/R4/Patient?family=kolathur&_sort=birthdate', {
      ...desk,
      prefer: 'handling=strict',
    });
    expect(strict.statusCode).toBe(400);
    expectValidFhir(strict.json());
  });

  it.each([
    ['gender=M', 'gender'],
    ['birthdate=1990-02-30', 'birthdate'],
    ['birthdate=yesterday', 'birthdate'],
    ['_count=1000', '_count'],
    ['_count=-1', '_count'],
    ['_cursor=bm90LWEtY3Vyc29y', '_cursor'],
    ['family:phonetic=kolatur', 'family:phonetic'],
    ['name=', 'name'],
  ])('refuses %s with 400 naming the parameter', async (query, expression) => {
    const res = await get(`/fhir/R4/Patient?${query}`);
    expect(res.statusCode).toBe(400);
    expectValidFhir(res.json());
    expect(res.json().issue[0].expression).toEqual([expression]);
  });
});
