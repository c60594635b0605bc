import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { createLabWorld, type LabWorld } from './laboratory-test-support';

// Every laboratory route sent contract-shaped random input with the real ids and accessions of this world
// mixed in (patients, visits, requests, samples, results in every state), so that random input reaches the
// services and the database: the answer is never a 5xx.

let t: TestApp;
let w: LabWorld;
let headers: Record<string, string>;
const ids: string[] = [];
const accessions: string[] = [];
let routes: { method: string; path: string }[] = [];

beforeAll(async () => {
  t = await createTestApp();
  w = await createLabWorld(t);
  headers = (await w.staff(['admin'])).headers;
  const patient = await w.patient({ sex: 'male', birthDate: '1990-01-01' });
  const visit = await w.visit(patient.id);
  await w.order(visit.id, 'CBC', { priority: 'stat' });
  await w.deliver();
  const [cbc] = await w.requestsOf(visit.id);
  const [k, culture, pending] = await w.walkIn(patient.id, ['K', 'URINE_CULTURE', 'LFT']);
  await w.collectAndReceive(k!);
  await w.collectAndReceive(culture!);
  await w.call('POST', `/api/v1/laboratory/requests/${k!.id}/results`, w.technician.headers, {
    results: [{ testCode: 'K', value: 4.4 }],
  });
  const validated = (
    await w.call('POST', `/api/v1/laboratory/requests/${k!.id}/validate`, w.pathologist.headers, {})
  ).json();
  for (const r of [cbc!, k!, culture!, pending!]) {
    ids.push(r.id, ...r.samples.map((s) => s.id), ...r.results.slice(0, 3).map((x) => x.id));
    accessions.push(...r.samples.map((s) => s.accession));
  }
  ids.push(patient.id, visit.id, validated.results?.[0]?.id ?? patient.id);
  // An entered, unvalidated result: the validation queue has something to list.
  await w.call('POST', `/api/v1/laboratory/requests/${culture!.id}/results`, w.technician.headers, {
    results: [{ testCode: 'URINE_CULTURE', culture: { organism: null, antibiotics: [] } }],
  });
  accessions.push('L0000009999', `l${accessions[0]!.slice(1)}`, ` ${accessions[0]} `);
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths)
    .filter(([path]) => /^\/api\/v1\/laboratory\//.test(path))
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
}, 180_000);
afterAll(() => t.close());

const anyId = () =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...ids), weight: 4 },
    { arbitrary: fc.constantFrom(crypto.randomUUID(), 'nope'), weight: 1 },
  );
const small = () =>
  fc.oneof(fc.integer({ min: -3, max: 60 }), fc.constant(0.5), fc.constant(2 ** 40), fc.constant(1e300));
const text = () =>
  fc.oneof(fc.string({ maxLength: 12 }), fc.constant('x'.repeat(3000)), fc.constant('\u0000'));
const code = () => fc.constantFrom('K', 'HB', 'CBC', 'LFT', 'URINE_CULTURE', 'NA', 'nope', '2823-3', 'k', '');
const time = () =>
  fc.oneof(
    fc.integer({ min: -10, max: 2 }).map((d) => new Date(Date.now() + d * 86_400_000).toISOString()),
    fc.constantFrom('2026-02-30T00:00:00Z', 'soon'),
  );
const culture = () =>
  fc.record(
    {
      organism: fc.oneof(text(), fc.constant(null)),
      growth: text(),
      antibiotics: fc.array(
        fc.record({ antibiotic: text(), interpretation: fc.constantFrom('S', 'I', 'R', 'X'), mic: text() }),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: [] },
  );
const result = () =>
  fc.record(
    {
      testCode: code(),
      value: fc.oneof(small(), fc.constant(null)),
      text: fc.oneof(text(), fc.constant(null)),
      culture: fc.oneof(culture(), fc.constant(null)),
      comment: text(),
    },
    { requiredKeys: [] },
  );
const values: Record<string, () => fc.Arbitrary<unknown>> = {
  patientId: anyId,
  encounterId: anyId,
  tests: () => fc.array(code(), { maxLength: 4 }),
  priority: () => fc.constantFrom('routine', 'urgent', 'stat', 'asap'),
  note: text,
  collectedAt: time,
  collectorName: text,
  accession: () => fc.oneof(fc.constantFrom(...accessions), text()),
  reason: () => fc.oneof(fc.constantFrom('haemolysed', 'clotted', 'insufficient', 'mislabelled'), text()),
  results: () => fc.array(result(), { maxLength: 3 }),
  resultIds: () => fc.array(anyId(), { maxLength: 3 }),
  value: small,
  text: text,
  culture: culture,
  version: small,
};
const body = () =>
  fc.oneof(
    {
      arbitrary: fc
        .dictionary(fc.constantFrom(...Object.keys(values)), fc.constant(null), { maxKeys: 6 })
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
        section: fc.constantFrom('haematology', 'biochemistry', 'microbiology', 'x'),
        setting: fc.constantFrom('opd', 'ipd', 'emergency', 'walk-in', 'x'),
        wardId: anyId(),
        patientId: anyId(),
        encounterId: anyId(),
        code: code(),
        priority: fc.constantFrom('routine', 'urgent', 'stat', 'asap'),
        limit: small(),
      },
      { requiredKeys: [] },
    )
    .map((q) =>
      new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)] as [string, string])).toString(),
    );

describe('laboratory', () => {
  it('never answers 5xx to random input with real ids', async () => {
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(routes.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        '/api/v1/laboratory/validation-queue',
        '/api/v1/laboratory/samples/by-accession/{accession}',
      ]),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        anyId(),
        body(),
        query(),
        values.accession!(),
        async (route, id, payload, qs, accession) => {
          // The accession is a path segment too (the tube looked up before receipt): real, random or awkward.
          const url = route.path
            .replace('{id}', id)
            .replace('{accession}', encodeURIComponent(String(accession)));
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
