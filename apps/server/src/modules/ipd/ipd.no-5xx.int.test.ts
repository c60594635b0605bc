import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { createIpdWorld, type IpdWorld } from './ipd-test-support';

// The IPD core's write routes sent bodies that look like their contracts, with real ids of this world mixed
// in, so that random input reaches the services and the database, not only the schema validation.

let t: TestApp;
let w: IpdWorld;
const ids: Record<string, string[]> = {};
let routes: { method: string; path: string }[] = [];
let everything: Record<string, string>;

// The nursing and bed-board routes have their own property tests.
const CORE = /^\/api\/v1\/ipd\/(bed-categories|wards|rooms|beds|admission-requests|reservations|admissions)/;

beforeAll(async () => {
  t = await createTestApp();
  w = await createIpdWorld(t);
  everything = (await w.staff(['admin', 'doctor'])).headers;
  const doctor = await w.doctor();
  const ward = await w.ward({ genderRestriction: 'female' }, 4);
  const icu = await w.ward({ kind: 'icu' }, 2);
  const patients = [await w.patient(), await w.patient({ sex: 'male' }), await w.patient()];
  const a = (await w.admit(patients[0]!.id, ward.beds[0]!.id, doctor.id)).json();
  const b = (await w.admit(patients[2]!.id, ward.beds[1]!.id, doctor.id)).json();
  await w.ok('POST', `/api/v1/ipd/admissions/${b.id}/discharge/initiate`, everything, {
    type: 'normal',
    version: b.version,
  });
  const clearances = await w.ok<{ items: { id: string }[] }>(
    'GET',
    `/api/v1/ipd/admissions/${b.id}/clearances`,
    everything,
  );
  const request = await w.ok<{ id: string }>('POST', '/api/v1/ipd/admission-requests', w.desk.headers, {
    patientId: patients[1]!.id,
    source: 'emergency',
    reason: 'Waiting in ER',
  });
  const reservation = await w.ok<{ id: string }>('POST', '/api/v1/ipd/reservations', w.desk.headers, {
    bedId: icu.beds[1]!.id,
    requestId: request.id,
    untilAt: new Date(Date.now() + 3600_000).toISOString(),
  });
  ids.ward = [ward.id, icu.id];
  ids.room = [ward.roomId, icu.roomId];
  ids.bed = [...ward.beds, ...icu.beds].map((x) => x.id);
  ids.category = [ward.categoryId, icu.categoryId];
  ids.patient = patients.map((p) => p.id);
  ids.admission = [a.id, b.id];
  ids.request = [request.id];
  ids.reservation = [reservation.id];
  ids.clearance = clearances.items.map((c) => c.id);
  ids.practitioner = [doctor.id];
  ids.department = [w.departmentId];
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths)
    .filter(([path]) => CORE.test(path))
    .flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['post', 'put', 'patch'].includes(m))
        .map((method) => ({ method: method.toUpperCase(), path })),
    );
}, 300_000);
afterAll(() => t.close());

const anyId = () => fc.constantFrom(...Object.values(ids).flat(), crypto.randomUUID());
const instant = () =>
  fc.oneof(
    fc
      .integer({ min: -3 * 86_400, max: 20 * 86_400 })
      .map((s) => new Date(Date.now() + s * 1000).toISOString()),
    fc.constantFrom('2026-02-30T10:00:00Z', '1899-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'now'),
  );
const date = () =>
  fc.constantFrom('2026-01-01', '2030-06-30', '2026-02-30', '1899-01-01', '9999-12-31', 'today');
const small = () => fc.oneof(fc.integer({ min: -2, max: 400 }), fc.constant(1.5), fc.constant(2 ** 40));
const text = () =>
  fc.oneof(fc.string({ maxLength: 20 }), fc.constant('x'.repeat(600)), fc.constant('a\u0000b'));
const code = () => fc.oneof(fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,8}$/), fc.string({ maxLength: 25 }));
const values: Record<string, () => fc.Arbitrary<unknown>> = {
  patientId: anyId,
  bedId: anyId,
  roomId: anyId,
  wardId: anyId,
  categoryId: anyId,
  requestId: anyId,
  bedCategoryId: anyId,
  departmentId: anyId,
  practitionerId: anyId,
  admittingPractitionerId: anyId,
  attendingPractitionerId: anyId,
  sourceEncounterId: anyId,
  version: small,
  code,
  displayCode: () => fc.oneof(code(), fc.constant(null)),
  name: text,
  tariffClass: () => fc.constantFrom('general', 'icu', 'Bad Class!', ''),
  intensiveCare: () => fc.boolean(),
  isolation: () => fc.boolean(),
  active: () => fc.boolean(),
  sortOrder: small,
  kind: () => fc.constantFrom('general', 'icu', 'nicu', 'palace'),
  genderRestriction: () => fc.constantFrom('any', 'male', 'female', 'other'),
  minAgeYears: () => fc.oneof(small(), fc.constant(null)),
  maxAgeYears: () => fc.oneof(small(), fc.constant(null)),
  status: () => fc.constantFrom('available', 'blocked', 'maintenance', 'occupied', 'cleaning'),
  reason: text,
  note: text,
  source: () => fc.constantFrom('opd', 'emergency', 'planned', 'direct', 'portal'),
  priority: () => fc.constantFrom('routine', 'urgent', 'emergency', 'vip'),
  wardKind: () => fc.constantFrom('general', 'icu', null),
  plannedFor: date,
  fromAt: instant,
  untilAt: instant,
  deathAt: instant,
  dischargedAt: instant,
  deathCause: text,
  transferredTo: text,
  expectedDischargeDate: date,
  expectedLengthOfStayDays: () => fc.oneof(small(), fc.constant(null)),
  type: () =>
    fc.constantFrom('normal', 'against-medical-advice', 'absconded', 'transferred', 'death', 'escaped'),
  action: () => fc.constantFrom('clear', 'waive', 'ignore'),
  payerCategory: () => fc.constantFrom('cash', 'insurance', 'corporate', 'government-scheme', 'barter'),
  payerDetails: () => fc.oneof(fc.constant(null), fc.record({ payerName: text() })),
  provisionalDiagnosis: () =>
    fc.oneof(fc.constant(null), fc.record({ text: text(), code: fc.constantFrom('J18.9', 'ZZZ', null) })),
  attendant: () =>
    fc.oneof(
      fc.constant(null),
      fc.record({ name: text(), relationship: text(), phone: fc.constantFrom('+91 98450 12345', 'abc') }),
    ),
  consent: () => fc.oneof(fc.constant(null), fc.record({ signedBy: text() })),
  restrictionOverride: () => fc.oneof(fc.constant(null), fc.record({ reason: text() })),
};
/** A well-formed body for each route (real ids), so that mutated copies get past validation. */
function templateFor(path: string): Record<string, unknown> {
  const soon = new Date(Date.now() + 3600_000).toISOString();
  const id = (k: string) => ids[k]![0]!;
  if (path.endsWith('/bed-categories') || path.includes('/bed-categories/'))
    return { code: 'FZ', name: 'Fuzz', tariffClass: 'general', version: 1 };
  if (path.endsWith('/wards') || path.includes('/wards/'))
    return { code: 'FZW', name: 'Fuzz', kind: 'general', version: 1 };
  if (path.endsWith('/rooms') || path.includes('/rooms/'))
    return { wardId: id('ward'), code: 'FZR', name: 'Fuzz', version: 1 };
  if (path.endsWith('/status')) return { status: 'blocked', reason: 'Fuzz', version: 1 };
  if (path.endsWith('/beds') || path.includes('/beds/'))
    return { roomId: id('room'), categoryId: id('category'), code: 'FZB', version: 1 };
  if (path.endsWith('/admission-requests'))
    return { patientId: id('patient'), source: 'direct', reason: 'Fuzz' };
  if (path.endsWith('/reservations')) return { bedId: id('bed'), patientId: id('patient'), untilAt: soon };
  if (path.endsWith('/transfer')) return { bedId: id('bed'), reason: 'Fuzz', version: 1 };
  if (path.endsWith('/initiate')) return { type: 'normal', version: 1 };
  if (path.endsWith('/expected-discharge')) return { expectedDischargeDate: '2030-01-01', version: 1 };
  if (path.includes('/clearances/')) return { action: 'clear', note: 'Fuzz', version: 1 };
  if (path.endsWith('/admissions'))
    return {
      patientId: id('patient'),
      bedId: id('bed'),
      source: 'direct',
      admittingPractitionerId: id('practitioner'),
      attendingPractitionerId: id('practitioner'),
      reason: 'Fuzz',
      payerCategory: 'cash',
    };
  return { reason: 'Fuzz', version: 1 };
}

const body = fc.oneof(
  fc
    .dictionary(fc.constantFrom(...Object.keys(values)), fc.constant(null), { maxKeys: 14 })
    .chain((shape) => fc.record(Object.fromEntries(Object.keys(shape).map((k) => [k, values[k]!()])))),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(undefined),
);

describe('every IPD core write route, sent contract-shaped random input', () => {
  it('never answers 5xx', async () => {
    expect(routes.length).toBeGreaterThan(20);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        anyId(),
        anyId(),
        fc.oneof(
          body.map((b) => () => b),
          fc
            .tuple(fc.constantFrom(...Object.keys(values)), fc.nat())
            .chain(([key]) =>
              values[key]!().map((v) => (path: string) => ({ ...templateFor(path), [key]: v })),
            ),
          fc.constant((path: string) => templateFor(path)),
        ),
        async (route, p1, p2, makeBody) => {
          const payload = makeBody(route.path);
          let n = 0;
          const url = route.path.replace(/\{[^}]+\}/g, () => (n++ === 0 ? p1 : p2));
          const res = await t.app.inject({
            method: route.method as 'POST',
            url,
            headers: {
              ...everything,
              ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
          });
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode >= 500)
            throw new Error(
              `${route.method} ${url} ${JSON.stringify(payload)} -> ${res.statusCode}: ${res.body}`,
            );
          if (res.statusCode >= 400)
            expect(res.headers['content-type']).toContain('application/problem+json');
        },
      ),
      { numRuns: 500 },
    );
    console.info('IPD fuzz statuses', Object.fromEntries(statuses));
    expect([...statuses.keys()].some((s) => s === 409 || s === 422 || s < 300)).toBe(true);
  }, 600_000);
});
