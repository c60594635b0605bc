import { randomUUID } from 'node:crypto';
import type { LabRequest } from '@newhms/contracts';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../../test/fhir-validators';
import { bearer, createTestApp, type TestApp } from '../../../../test/harness';
import { auditEntries } from '../../../platform/audit/audit.tables';
import { createLabWorld, type LabWorld } from '../laboratory-test-support';

// The laboratory through FHIR R4, beside the vital signs the encounters serve: Asha's visit has vitals, an
// electrolytes panel ordered by the doctor, and at the counter a blood group, a urine culture and a random
// glucose that is entered but not validated. Observation and DiagnosticReport are types several modules
// provide: one search returns vitals and results together, paged by id under one cursor.

// biome-ignore lint/suspicious/noExplicitAny: FHIR JSON read in assertions
type Json = Record<string, any>;
type Headers = Record<string, string>;

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';

let t: TestApp;
let w: LabWorld;
let pharmacist: Headers;
const asha = {
  id: '',
  visit: '',
  vitals: [] as { id: string; code: string }[],
  electrolytes: null as unknown as LabRequest,
  abo: null as unknown as LabRequest,
  culture: null as unknown as LabRequest,
  glucose: null as unknown as LabRequest,
};
const ravi = { id: '', potassium: null as unknown as LabRequest };

function get(path: string, headers: Headers = w.doctor.headers) {
  return w.call('GET', `/fhir/R4/${path.replace(/^.*\/fhir\/R4\//, '')}`, headers);
}
async function read(path: string, headers?: Headers): Promise<Json> {
  const res = await get(path, headers);
  expect(res.statusCode, res.body).toBe(200);
  const resource = res.json() as Json;
  expectValidFhir(resource);
  return resource;
}
async function search(path: string, headers?: Headers): Promise<Json> {
  const bundle = await read(path, headers);
  for (const e of bundle.entry ?? []) expectValidFhir(e.resource);
  return bundle;
}
const ids = (bundle: Json): string[] =>
  (bundle.entry ?? []).filter((e: Json) => e.search?.mode === 'match').map((e: Json) => e.resource.id);
const resources = (bundle: Json): Json[] =>
  (bundle.entry ?? []).filter((e: Json) => e.search?.mode === 'match').map((e: Json) => e.resource);
const next = (bundle: Json): string | undefined => bundle.link.find((l: Json) => l.relation === 'next')?.url;
const result = (request: LabRequest, code: string) => request.results.find((r) => r.testCode === code)!;

async function enter(requestId: string, results: object[]) {
  return w.ok<LabRequest>(
    await w.call('POST', `/api/v1/laboratory/requests/${requestId}/results`, w.technician.headers, {
      results,
    }),
    200,
    'enter',
  );
}
async function validate(requestId: string, resultIds?: string[]) {
  return w.ok<LabRequest>(
    await w.call(
      'POST',
      `/api/v1/laboratory/requests/${requestId}/validate`,
      w.pathologist.headers,
      resultIds ? { resultIds } : {},
    ),
    200,
    'validate',
  );
}

beforeAll(async () => {
  t = await createTestApp();
  w = await createLabWorld(t);
  pharmacist = (await w.staff(['pharmacist'])).headers;

  // 1. Reception registers Asha; the doctor sees her; the nurse takes her pulse and blood pressure.
  const a = await w.patient({ sex: 'female', birthDate: '1980-03-04' });
  asha.id = a.id;
  asha.visit = (await w.visit(a.id)).id;
  asha.vitals = w.ok<{ items: { id: string; code: string }[] }>(
    await w.call('POST', `/api/v1/encounters/${asha.visit}/vitals`, w.nurse.headers, {
      heartRate: 88,
      systolic: 130,
      diastolic: 85,
    }),
    201,
    'vitals',
  ).items;
  // 2. The doctor orders electrolytes; at the counter she asks for her blood group, a urine culture and a
  //    random glucose.
  await w.order(asha.visit, 'ELECTROLYTES');
  await w.deliver();
  asha.electrolytes = (await w.requestsOf(asha.visit))[0]!;
  [asha.abo, asha.culture, asha.glucose] = (await w.walkIn(a.id, ['ABO', 'URINE_CULTURE', 'GLU_R'])) as [
    LabRequest,
    LabRequest,
    LabRequest,
  ];
  for (const r of [asha.electrolytes, asha.abo, asha.culture, asha.glucose]) await w.collectAndReceive(r);
  // 3. The technician enters everything; the pathologist validates all but bicarbonate and the glucose.
  await enter(asha.electrolytes.id, [
    { testCode: 'NA', value: 139 },
    { testCode: 'K', value: 6.8 },
    { testCode: 'CL', value: 101 },
    { testCode: 'HCO3', value: 24 },
  ]);
  await enter(asha.abo.id, [{ testCode: 'ABO', text: 'B' }]);
  await enter(asha.culture.id, [
    {
      testCode: 'URINE_CULTURE',
      culture: {
        organism: 'Escherichia coli',
        growth: '> 10^5 CFU/mL',
        antibiotics: [
          { antibiotic: 'Nitrofurantoin', interpretation: 'S', mic: '16' },
          { antibiotic: 'Ciprofloxacin', interpretation: 'R' },
        ],
      },
    },
  ]);
  await enter(asha.glucose.id, [{ testCode: 'GLU_R', value: 112 }]);
  const e = asha.electrolytes;
  asha.electrolytes = await validate(
    e.id,
    ['NA', 'K', 'CL'].map((c) => result(e, c).id),
  );
  asha.abo = await validate(asha.abo.id);
  asha.culture = await validate(asha.culture.id);

  // 4. Ravi's potassium sample arrives haemolysed and is rejected.
  const r = await w.patient({ sex: 'male' });
  ravi.id = r.id;
  const [k] = await w.walkIn(r.id, ['K']);
  await w.collectAndReceive(k!);
  ravi.potassium = w.ok<LabRequest>(
    await w.call('POST', `/api/v1/laboratory/samples/${k!.samples[0]!.id}/reject`, w.technician.headers, {
      reason: 'haemolysed',
      note: 'Pink serum',
    }),
    200,
    'reject',
  );
}, 180_000);
afterAll(() => t?.close());

const labIds = () => [
  ...['NA', 'K', 'CL'].map((c) => result(asha.electrolytes, c).id),
  result(asha.abo, 'ABO').id,
  result(asha.culture, 'URINE_CULTURE').id,
];
const vitalIds = () => asha.vitals.filter((v) => v.code !== '8462-4').map((v) => v.id);

describe('the CapabilityStatement', () => {
  it('lists Observation and DiagnosticReport once with both providers, and ServiceRequest and Specimen', async () => {
    const cs = await read('metadata');
    const byType = (type: string) => cs.rest[0].resource.filter((r: Json) => r.type === type);
    expect(byType('Observation')).toHaveLength(1);
    const obs = byType('Observation')[0];
    expect(obs.documentation).toContain('Vital signs (encounters, encounters:read)');
    expect(obs.documentation).toContain('Laboratory results (laboratory, laboratory:read)');
    expect(obs.searchParam.map((p: Json) => p.name).sort()).toEqual(
      ['_id', 'category', 'code', 'date', 'encounter', 'patient', 'status', 'subject'].sort(),
    );
    for (const type of ['DiagnosticReport', 'ServiceRequest', 'Specimen']) {
      expect(byType(type), type).toHaveLength(1);
      expect(byType(type)[0].interaction).toEqual([{ code: 'read' }, { code: 'search-type' }]);
    }
  });
});

describe('Observation: vital signs and laboratory results together', () => {
  it("finds the patient's vitals and released results in one search, never a result not validated", async () => {
    const bundle = await search(`Observation?patient=${asha.id}`);
    expect(ids(bundle)).toEqual([...vitalIds(), ...labIds()].sort());
    expect(bundle.total).toBe(vitalIds().length + labIds().length);
    expect(ids(bundle)).not.toContain(result(asha.glucose, 'GLU_R').id);
    expect(ids(bundle)).not.toContain(result(asha.electrolytes, 'HCO3').id);
    const visit = await search(`Observation?encounter=Encounter/${asha.visit}`);
    expect(ids(visit).sort()).toEqual(
      [...vitalIds(), ...['NA', 'K', 'CL'].map((c) => result(asha.electrolytes, c).id)].sort(),
    );
  });

  it('filters by category: laboratory, vital-signs, both, or one neither serves', async () => {
    const p = `patient=${asha.id}`;
    expect(ids(await search(`Observation?${p}&category=laboratory`))).toEqual([...labIds()].sort());
    expect(ids(await search(`Observation?${p}&category=vital-signs`))).toEqual([...vitalIds()].sort());
    expect(
      ids(
        await search(
          `Observation?${p}&category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory,vital-signs`,
        ),
      ),
    ).toHaveLength(vitalIds().length + labIds().length);
    expect(ids(await search(`Observation?${p}&category=exam`))).toEqual([]);
    expect(ids(await search(`Observation?${p}&code=${LOINC}|2823-3`))).toEqual([
      result(asha.electrolytes, 'K').id,
    ]);
    expect(ids(await search(`Observation?${p}&code=ABO`))).toEqual([result(asha.abo, 'ABO').id]);
    expect(ids(await search(`Observation?${p}&code=85354-9`))).toHaveLength(1);
  });

  it('walks a mixed result one by one with _count=1, each once in id order, the total on every page', async () => {
    const all = [...vitalIds(), ...labIds()].sort();
    const seen: string[] = [];
    let bundle = await search(`Observation?patient=${asha.id}&_count=1&_total=accurate`);
    let pages = 1;
    for (;;) {
      expect(bundle.total).toBe(all.length);
      seen.push(...ids(bundle));
      const url = next(bundle);
      if (!url) break;
      bundle = await search(url);
      pages += 1;
    }
    expect(pages).toBe(all.length);
    expect(seen).toEqual(all);
    const two = await search(`Observation?patient=${asha.id}&_count=2`);
    expect(two.total).toBeUndefined();
    expect((await search(`Observation?patient=${asha.id}&_count=0`)).total).toBe(all.length);
  });

  it('reads a potassium as a laboratory Observation: LOINC, UCUM, critical flag, range, specimen, request', async () => {
    const k = result(asha.electrolytes, 'K');
    const o = await read(`Observation/${k.id}`);
    expect(o).toMatchObject({
      status: 'final',
      category: [{ coding: [{ code: 'laboratory' }] }],
      code: { coding: [{ system: LOINC, code: '2823-3' }, { code: 'K' }] },
      subject: { reference: `Patient/${asha.id}` },
      encounter: { reference: `Encounter/${asha.visit}` },
      valueQuantity: { value: 6.8, system: UCUM, code: 'mmol/L' },
      interpretation: [{ coding: [{ code: 'HH' }] }],
      referenceRange: [{ low: { value: 3.5 }, high: { value: 5.1 } }],
      performer: [{ display: 'Dr Path Sen' }],
      specimen: { reference: `Specimen/${k.sampleId}` },
      basedOn: [{ reference: `ServiceRequest/${asha.electrolytes.id}` }],
    });
    expect(new Date(o.issued).getTime()).toBeGreaterThanOrEqual(new Date(o.effectiveDateTime).getTime());
    // What it points to is served too.
    await read(o.specimen.reference);
    await read(o.basedOn[0].reference);
    // A vital sign by id, through the same route.
    const hr = asha.vitals.find((v) => v.code === '8867-4')!;
    expect(await read(`Observation/${hr.id}`)).toMatchObject({
      category: [{ coding: [{ code: 'vital-signs' }] }],
    });
  });

  it('serves a blood group as text and a culture as the organism with its susceptibilities', async () => {
    expect(await read(`Observation/${result(asha.abo, 'ABO').id}`)).toMatchObject({ valueString: 'B' });
    const c = await read(`Observation/${result(asha.culture, 'URINE_CULTURE').id}`);
    expect(c.valueCodeableConcept).toEqual({ text: 'Escherichia coli' });
    expect(c.component).toEqual([
      { code: { text: 'Growth' }, valueString: '> 10^5 CFU/mL' },
      {
        code: { text: 'Nitrofurantoin susceptibility' },
        valueCodeableConcept: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
              code: 'S',
              display: 'Susceptible',
            },
          ],
          text: 'Sensitive',
        },
      },
      { code: { text: 'Nitrofurantoin MIC' }, valueString: '16' },
      expect.objectContaining({ code: { text: 'Ciprofloxacin susceptibility' } }),
    ]);
  });

  it('keeps a result entered but not validated out of FHIR (404), and an unknown id', async () => {
    for (const id of [result(asha.glucose, 'GLU_R').id, randomUUID(), 'not-a-uuid']) {
      const res = await get(`Observation/${id}`);
      expect(res.statusCode).toBe(404);
      expectValidFhir(res.json());
    }
  });

  it('shows each user only what their permissions reach: 403 with neither, vitals only without laboratory:read', async () => {
    // The front desk has neither encounters:read nor laboratory:read.
    for (const path of [`Observation?patient=${asha.id}`, `Observation/${labIds()[0]}`]) {
      const res = await get(path, w.desk.headers);
      expect(res.statusCode, path).toBe(403);
      expectValidFhir(res.json());
      expect(res.json().issue[0].code).toBe('forbidden');
    }
    // The pharmacist reads vitals (encounters:read), not results.
    expect(ids(await search(`Observation?patient=${asha.id}`, pharmacist))).toEqual([...vitalIds()].sort());
    expect((await get(`Observation/${labIds()[0]}`, pharmacist)).statusCode).toBe(404);
    // No DiagnosticReport provider is the pharmacist's.
    expect((await get(`DiagnosticReport?patient=${asha.id}`, pharmacist)).statusCode).toBe(403);
  });

  it('ignores an unknown parameter with a warning, refuses it under handling=strict, and needs a patient', async () => {
    const lenient = await search(`Observation?patient=${asha.id}&category=laboratory&_sort=-date`);
    expect(ids(lenient)).toHaveLength(labIds().length);
    expect(lenient.entry.at(-1)).toMatchObject({ search: { mode: 'outcome' } });
    const strict = await get(`Observation?patient=${asha.id}&_sort=-date`, {
      ...w.doctor.headers,
      prefer: 'handling=strict',
    });
    expect(strict.statusCode).toBe(400);
    expectValidFhir(strict.json());
    for (const path of [
      'Observation?category=laboratory',
      'Observation?status=final',
      'DiagnosticReport?status=final',
    ]) {
      const res = await get(path);
      expect(res.statusCode, path).toBe(400);
      expect(res.json().issue[0]).toMatchObject({ code: 'required' });
    }
    const bad = await get(`Observation?patient=${asha.id}&category=laboratory&date=yesterday`);
    expect(bad.statusCode).toBe(400);
  });

  it('reads dates at the edges of the calendar (ap0001, gt9999-12-31) as ranges, not failures', async () => {
    for (const path of [
      `Observation?patient=${asha.id}&date=ap0001-01-01`,
      `Observation?patient=${asha.id}&date=gt9999-12-31`,
      `DiagnosticReport?patient=${asha.id}&date=ap9999`,
      'ServiceRequest?authored=ap0001-01-01',
      'Specimen?collected=ap0001-01-01',
    ]) {
      expect(ids(await search(path)), path).toEqual([]);
    }
  });

  it('audits a read of a result and a search with the patient', async () => {
    const id = labIds()[0]!;
    await read(`Observation/${id}`);
    const [entry] = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.resourceId, id), eq(auditEntries.action, 'read')))
      .orderBy(desc(auditEntries.occurredAt));
    expect(entry).toMatchObject({ resourceType: 'Observation', patientId: asha.id, actorId: w.doctor.id });
    await search(`DiagnosticReport?patient=${asha.id}&status=final`);
    const [searched] = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.action, 'search'), eq(auditEntries.actorId, w.doctor.id)))
      .orderBy(desc(auditEntries.occurredAt), desc(auditEntries.id))
      .limit(1);
    expect(searched).toMatchObject({
      resourceType: 'DiagnosticReport',
      patientId: asha.id,
      detail: { via: 'fhir', query: `patient=${asha.id}&status=final` },
    });
  });
});

describe('DiagnosticReport', () => {
  it('reports the electrolytes as partial while bicarbonate waits, then final, then amended', async () => {
    const e = asha.electrolytes;
    let report = await read(`DiagnosticReport/${e.id}`);
    expect(report).toMatchObject({
      status: 'partial',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }],
      code: { coding: [{ system: LOINC, code: '24326-1' }, { code: 'ELECTROLYTES' }] },
      subject: { reference: `Patient/${asha.id}` },
      encounter: { reference: `Encounter/${asha.visit}` },
      basedOn: [{ reference: `ServiceRequest/${e.id}` }],
      specimen: [{ reference: `Specimen/${e.samples[0]!.id}` }],
      resultsInterpreter: [{ display: 'Dr Path Sen' }],
    });
    expect(report.result.map((r: Json) => r.reference)).toEqual(
      ['NA', 'K', 'CL'].map((c) => `Observation/${result(e, c).id}`),
    );
    expect(ids(await search(`DiagnosticReport?patient=${asha.id}&status=partial`))).toEqual([e.id]);

    asha.electrolytes = await validate(e.id);
    report = await read(`DiagnosticReport/${e.id}`);
    expect(report.status).toBe('final');
    expect(report.result).toHaveLength(4);

    // The pathologist amends the potassium: the sample was haemolysed.
    const k = result(asha.electrolytes, 'K');
    asha.electrolytes = w.ok<LabRequest>(
      await w.call('POST', `/api/v1/laboratory/results/${k.id}/amend`, w.pathologist.headers, {
        value: 4.6,
        reason: 'Haemolysed sample, repeated on a fresh draw',
        version: k.version,
      }),
      200,
      'amend',
    );
    expect((await read(`DiagnosticReport/${e.id}`)).status).toBe('amended');
    const o = await read(`Observation/${k.id}`);
    expect(o).toMatchObject({
      status: 'amended',
      valueQuantity: { value: 4.6 },
      interpretation: [{ coding: [{ code: 'N' }] }],
    });
    expect(o.note.at(-1).text).toMatch(
      /Haemolysed sample, repeated on a fresh draw\. Previously reported: 6\.8 mmol\/L HH/,
    );
    expect(ids(await search(`Observation?patient=${asha.id}&status=amended`))).toEqual([k.id]);
  });

  it('finds reports by patient, code, category, status and date; a glucose not validated has none', async () => {
    const p = `patient=${asha.id}`;
    const all = [asha.electrolytes.id, asha.abo.id, asha.culture.id].sort();
    expect(ids(await search(`DiagnosticReport?${p}`))).toEqual(all);
    expect((await get(`DiagnosticReport/${asha.glucose.id}`)).statusCode).toBe(404);
    expect(ids(await search(`DiagnosticReport?${p}&code=${LOINC}|24326-1`))).toEqual([asha.electrolytes.id]);
    expect(ids(await search(`DiagnosticReport?${p}&code=URINE_CULTURE`))).toEqual([asha.culture.id]);
    expect(ids(await search(`DiagnosticReport?${p}&category=LAB`))).toEqual(all);
    expect(ids(await search(`DiagnosticReport?${p}&category=RAD`))).toEqual([]);
    expect(ids(await search(`DiagnosticReport?${p}&status=final`))).toEqual(
      [asha.abo.id, asha.culture.id].sort(),
    );
    expect(ids(await search(`DiagnosticReport?${p}&date=ge2020-01-01`))).toEqual(all);
    expect(ids(await search(`DiagnosticReport?${p}&date=lt2020-01-01`))).toEqual([]);
    const first = await search(`DiagnosticReport?${p}&_count=2`);
    expect(ids(first)).toEqual(all.slice(0, 2));
    expect(ids(await search(next(first)!))).toEqual(all.slice(2));
  });
});

describe('ServiceRequest and Specimen', () => {
  it("reads the doctor's order and a walk-in as ServiceRequests", async () => {
    const order = await read(`ServiceRequest/${asha.electrolytes.id}`);
    expect(order).toMatchObject({
      status: 'completed',
      intent: 'order',
      priority: 'routine',
      category: [{ coding: [{ system: 'http://snomed.info/sct', code: '108252007' }] }],
      code: { coding: [{ system: LOINC, code: '24326-1' }, { code: 'ELECTROLYTES' }] },
      encounter: { reference: `Encounter/${asha.visit}` },
      requester: { display: 'Dr Rao' },
      basedOn: [{ type: 'ServiceRequest', identifier: { value: asha.electrolytes.orderId } }],
      specimen: [{ reference: `Specimen/${asha.electrolytes.samples[0]!.id}` }],
    });
    const walkIn = await read(`ServiceRequest/${asha.glucose.id}`);
    expect(walkIn).toMatchObject({ status: 'active', requester: { display: 'Tech Anil' } });
    expect(walkIn.encounter).toBeUndefined();
    expect(walkIn.basedOn).toBeUndefined();
  });

  it('finds requests by patient, encounter, status, code, category and authored date', async () => {
    const p = `patient=${asha.id}`;
    const all = [asha.electrolytes.id, asha.abo.id, asha.culture.id, asha.glucose.id].sort();
    expect(ids(await search(`ServiceRequest?${p}`))).toEqual(all);
    expect(ids(await search(`ServiceRequest?encounter=${asha.visit}`))).toEqual([asha.electrolytes.id]);
    expect(ids(await search(`ServiceRequest?${p}&status=active`))).toEqual([asha.glucose.id]);
    expect(ids(await search(`ServiceRequest?${p}&status:not=active`))).toHaveLength(3);
    expect(ids(await search(`ServiceRequest?${p}&code=${LOINC}|883-9`))).toEqual([asha.abo.id]);
    expect(ids(await search(`ServiceRequest?${p}&category=http://snomed.info/sct|108252007`))).toEqual(all);
    expect(ids(await search(`ServiceRequest?${p}&authored=ge2020-01-01`))).toEqual(all);
  });

  it('serves a rejected sample as an unsatisfactory Specimen with the reason, and finds by accession', async () => {
    const rejected = ravi.potassium.samples.find((s) => s.status === 'rejected')!;
    const specimen = await read(`Specimen/${rejected.id}`);
    expect(specimen).toMatchObject({
      status: 'unsatisfactory',
      accessionIdentifier: { value: rejected.accession },
      type: { text: 'serum' },
      container: [{ type: { text: 'SST gold' } }],
      subject: { reference: `Patient/${ravi.id}` },
      request: [{ reference: `ServiceRequest/${ravi.potassium.id}` }],
      condition: [{ coding: [{ code: 'HEM' }], text: 'haemolysed' }],
      collection: { collector: { display: 'Sr Mary' } },
    });
    expect(specimen.note[0].text).toContain('Pink serum');
    expect(ids(await search(`Specimen?accession=${rejected.accession}`))).toEqual([rejected.id]);
    expect(ids(await search(`Specimen?patient=${ravi.id}&status=unsatisfactory`))).toEqual([rejected.id]);
    // The recollection tube is not drawn yet: no Specimen.
    const fresh = ravi.potassium.samples.find((s) => s.status === 'awaiting-collection')!;
    expect((await get(`Specimen/${fresh.id}`)).statusCode).toBe(404);
    const urine = asha.culture.samples[0]!;
    expect(ids(await search(`Specimen?patient=${asha.id}&type=urine`))).toEqual([urine.id]);
    expect(
      resources(await search(`Specimen?patient=${asha.id}&collected=ge2020-01-01&status=available`)),
    ).toHaveLength(4);
  });

  it('keeps to the facility: another facility sees none of it', async () => {
    const elsewhere = bearer(t.admin.token, t.facilityId);
    expect((await get(`ServiceRequest/${asha.abo.id}`, elsewhere)).statusCode).toBe(404);
    expect(ids(await search(`Observation?patient=${asha.id}&category=laboratory`, elsewhere))).toEqual([]);
  });
});
