import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { createRadWorld, freshUid, type RadWorld } from './radiology-test-support';

// Every radiology route sent contract-shaped random input with the real ids of this world mixed in (patients,
// visits, rooms, orders in every state, reports draft, final and amended, critical alerts), so that random
// input reaches the services and the database: the answer is never a 5xx.

let t: TestApp;
let w: RadWorld;
let headers: Record<string, string>;
const ids: string[] = [];
const uids: string[] = [];
let routes: { method: string; path: string }[] = [];

beforeAll(async () => {
  t = await createTestApp({
    env: { NEWHMS_PACS_VIEWER_URL: 'https://pacs.example/v?uid={studyUid}&a={accession}' },
  });
  w = await createRadWorld(t);
  headers = w.admin.headers;
  const p = await w.patient({ sex: 'female', birthDate: '1992-01-01' });
  const visit = await w.visit(p.id);
  await w.order(visit.id, 'RAD-CT-ABD-C', { priority: 'stat' });
  await w.deliver();
  const [fromEncounter] = await w.ordersOf(visit.id);
  const ordered = await w.walkIn(p.id, 'RAD-XR-KNEE', { laterality: 'left' });
  const booked = w.ok<{ id: string }>(
    await w.book(await w.walkIn(p.id, 'RAD-USG-ABD'), w.rooms.US.id, new Date(Date.now() + 86_400_000)),
    200,
    'book',
  );
  const started = await w.started(await w.walkIn(p.id, 'RAD-USG-PELVIS'));
  const done = await w.completed(await w.walkIn(p.id, 'RAD-USG-KUB'));
  const final = await w.completed(await w.walkIn(p.id, 'RAD-USG-THYROID'));
  const signed = await w.signed(final, {
    text: 'Suspicious nodule with microcalcifications',
    category: 'urgent',
  });
  const draft = await w.completed(await w.walkIn(p.id, 'RAD-USG-SCROTUM'));
  const draftReport = w.ok<{ id: string }>(
    await w.call('POST', `/api/v1/radiology/orders/${draft.id}/report`, w.radiologist.headers),
    201,
    'draft',
  );
  ids.push(
    p.id,
    visit.id,
    fromEncounter!.id,
    ordered.id,
    booked.id,
    started.id,
    done.id,
    final.id,
    draft.id,
    signed.id,
    draftReport.id,
    signed.criticalFinding!.alertId!,
    ...Object.values(w.rooms).map((r) => r.id),
  );
  uids.push(done.studyInstanceUid!, final.studyInstanceUid!);
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths)
    .filter(([path]) => /^\/api\/v1\/radiology\//.test(path))
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
}, 240_000);
afterAll(() => t.close());

const anyId = () =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...ids), weight: 4 },
    { arbitrary: fc.constantFrom(crypto.randomUUID(), 'nope'), weight: 1 },
  );
const small = () =>
  fc.oneof(fc.integer({ min: -3, max: 8 }), fc.constant(0.5), fc.constant(2 ** 40), fc.constant(1e300));
const text = () =>
  fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constant('x'.repeat(30_000)),
    fc.constant('\u0000'),
    fc.constant('left tension pneumothorax seen'),
    fc.constant('___'),
  );
const code = () =>
  fc.constantFrom('RAD-CT-HEAD', 'RAD-XR-KNEE', 'RAD-MRI-BRAIN', 'rad-usg-abd', 'nope', '', 'RAD-CT-ABD-C');
const time = () =>
  fc.oneof(
    fc.integer({ min: -3, max: 72 }).map((h) => new Date(Date.now() + h * 3_600_000).toISOString()),
    fc.constantFrom('2026-02-30T00:00:00Z', 'soon', '9999-12-31T23:59:59Z'),
  );
const uid = () =>
  fc.oneof(fc.constantFrom(...uids), fc.constant(freshUid()), fc.constantFrom('1.02', '1.2.3', 'x'));
const checklist = () =>
  fc.record(
    {
      identityConfirmed: fc.boolean(),
      pregnancyStatus: fc.constantFrom(
        'not-pregnant',
        'pregnant',
        'possibly-pregnant',
        'not-applicable',
        'x',
      ),
      pregnancyJustification: text(),
      lastMenstrualPeriod: fc.constantFrom('2026-01-01', '2026-02-30', null),
      contrastPlanned: fc.boolean(),
      contrastAllergy: fc.oneof(fc.boolean(), fc.constant(null)),
      contrastAllergyNote: text(),
      egfr: fc.oneof(small(), fc.constant(null)),
      creatinineMgDl: fc.oneof(small(), fc.constant(null)),
      renalTestDate: fc.constantFrom('2026-01-01', '0000-01-01', null),
      mriScreening: fc.oneof(
        fc.constant(null),
        fc.record({
          pacemakerOrDefibrillator: fc.boolean(),
          cochlearImplant: fc.boolean(),
          aneurysmClip: fc.boolean(),
          neurostimulator: fc.boolean(),
          metalForeignBody: fc.boolean(),
          otherImplant: fc.boolean(),
          note: text(),
        }),
      ),
      note: text(),
    },
    { requiredKeys: [] },
  );
const values: Record<string, () => fc.Arbitrary<unknown>> = {
  patientId: anyId,
  encounterId: anyId,
  roomId: anyId,
  procedureCode: code,
  priority: () => fc.constantFrom('routine', 'urgent', 'stat', 'asap'),
  clinicalIndication: text,
  laterality: () => fc.constantFrom('left', 'right', 'bilateral', 'up', null),
  note: text,
  reason: text,
  version: small,
  startsAt: time,
  endsAt: time,
  checklist,
  studyInstanceUid: uid,
  numberOfImages: small,
  dose: () =>
    fc.record(
      { dlpMGyCm: small(), ctdiVolMGy: small(), dapGyCm2: small(), fluoroscopySeconds: small() },
      { requiredKeys: [] },
    ),
  technique: text,
  comparison: text,
  findings: text,
  impression: text,
  criticalFinding: () =>
    fc.oneof(
      fc.constant(null),
      fc.record({
        text: text(),
        category: fc.constantFrom('immediate', 'urgent', 'significant-unexpected', 'x'),
      }),
    ),
  text,
  readBack: text,
  code: () => fc.constantFrom('XR-9', 'ct_1', '', 'x'.repeat(30)),
  name: text,
  modality: () => fc.constantFrom('XR', 'CT', 'MR', 'US', 'MG', 'RF', 'PET'),
  opensAt: () => fc.constantFrom('08:00', '25:00', null, '20:00'),
  closesAt: () => fc.constantFrom('18:00', '07:00', null),
  aeTitle: () => fc.constantFrom('CT1', 'back\\slash', 'x'.repeat(20), ''),
  active: fc.boolean,
};
const body = () =>
  fc.oneof(
    {
      arbitrary: fc
        .dictionary(fc.constantFrom(...Object.keys(values)), fc.constant(null), { maxKeys: 7 })
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
        modality: fc.constantFrom('XR', 'CT', 'MR', 'x'),
        patientId: anyId(),
        encounterId: anyId(),
        roomId: anyId(),
        status: fc.constantFrom('ordered', 'scheduled', 'completed', 'x'),
        reportStatus: fc.constantFrom('none', 'draft', 'final', 'amended', 'x'),
        date: fc.constantFrom('2026-01-01', '2026-02-30', '9999-12-31', 'today'),
        mine: fc.constantFrom('true', 'false', 'yes'),
        includeInactive: fc.constantFrom('true', 'false', '1'),
        limit: small(),
      },
      { requiredKeys: [] },
    )
    .map((q) =>
      new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)] as [string, string])).toString(),
    );

describe('radiology', () => {
  it('never answers 5xx to random input with real ids', async () => {
    expect(routes.length).toBeGreaterThanOrEqual(25);
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        anyId(),
        body(),
        query(),
        async (route, id, payload, qs) => {
          const url = route.path.replace('{id}', id).replace('{patientId}', id);
          const res = await t.app.inject({
            method: route.method as 'GET',
            url: route.method === 'GET' ? `${url}?${qs}` : url,
            headers,
            ...(route.method !== 'GET' && payload !== undefined ? { payload: payload as object } : {}),
          });
          if (res.statusCode >= 500) throw new Error(`${route.method} ${url}: ${res.statusCode} ${res.body}`);
          seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
        },
      ),
      { numRuns: 500 },
    );
    // The input reached the services, not only the contracts: some succeeded, some were refused by a rule.
    expect(seen.get(200) ?? 0, JSON.stringify([...seen])).toBeGreaterThan(0);
    expect((seen.get(404) ?? 0) + (seen.get(409) ?? 0) + (seen.get(422) ?? 0)).toBeGreaterThan(0);
  }, 400_000);

  it('never answers 5xx to FHIR searches of ImagingStudy with odd parameters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            patient: anyId(),
            started: fc.constantFrom('ge2026', 'x', '2026-13-01', 'ap2026-03-01T10:00'),
            status: fc.constantFrom(
              'available',
              'registered|x',
              ',',
              'http://hl7.org/fhir/imagingstudy-status|',
            ),
            modality: fc.constantFrom('CT', 'http://dicom.nema.org/resources/ontology/DCM|DX', '|', 'x|y|z'),
            identifier: fc.oneof(
              fc.constantFrom(...uids).map((u) => `urn:dicom:uid|urn:oid:${u}`),
              text(),
            ),
            _id: anyId(),
            _count: fc.constantFrom('0', '1', '-1', 'x', '1000'),
          },
          { requiredKeys: [] },
        ),
        async (q) => {
          const qs = new URLSearchParams(
            Object.entries(q).map(([k, v]) => [k, String(v)] as [string, string]),
          );
          const res = await t.app.inject({
            method: 'GET',
            url: `/fhir/R4/ImagingStudy?${qs}`,
            headers: { ...headers, accept: 'application/fhir+json' },
          });
          if (res.statusCode >= 500) throw new Error(`ImagingStudy?${qs}: ${res.statusCode} ${res.body}`);
        },
      ),
      { numRuns: 150 },
    );
  }, 200_000);
});
