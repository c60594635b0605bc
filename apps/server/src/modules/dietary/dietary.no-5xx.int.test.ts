import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { createDietaryWorld, type DietaryWorld } from './dietary-test-support';

// Every dietary route sent contract-shaped random input, with real ids of this world mixed in (open and
// discharged admissions, orders, wards), so that random input reaches the services and the database.

let t: TestApp;
let w: DietaryWorld;
let nurse: Record<string, string>;
const ids: string[] = [];
let routes: { method: string; path: string }[] = [];

beforeAll(async () => {
  t = await createTestApp();
  w = await createDietaryWorld(t);
  nurse = (await w.staff(['nurse', 'dietitian'])).headers;
  const ward = await w.ward('Fuzz Ward', ['F1', 'F2', 'F3']);
  const stays = [];
  for (const bed of ['F1', 'F2', 'F3']) {
    const patient = await w.patient();
    stays.push(await w.admit(patient.id, ward, ward.beds[bed]!));
  }
  const placed = await w.call('POST', `/api/v1/dietary/admissions/${stays[0]!.admissionId}/orders`, nurse, {
    diet: 'soft',
  });
  const npo = await w.call('POST', `/api/v1/dietary/admissions/${stays[1]!.admissionId}/orders`, nurse, {
    diet: 'npo',
  });
  await w.endStay(stays[2]!.admissionId, stays[2]!.patientId, 'discharged');
  await w.deliver();
  ids.push(...stays.map((s) => s.admissionId), placed.json().id, npo.json().id, ward.wardId);
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/v1/dietary/'))
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
}, 120_000);
afterAll(() => t.close());

const anyId = () =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...ids), weight: 4 },
    { arbitrary: fc.constantFrom(crypto.randomUUID(), 'nope'), weight: 1 },
  );
const instant = () =>
  fc.oneof(
    fc.integer({ min: -72, max: 72 }).map((h) => new Date(Date.now() + h * 3600_000).toISOString()),
    fc.constantFrom('0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-13-01T00:00:00Z', 'soon'),
  );
const small = () => fc.oneof(fc.integer({ min: -2, max: 6000 }), fc.constant(1.5), fc.constant(2 ** 40));
const values: Record<string, () => fc.Arbitrary<unknown>> = {
  diet: () =>
    fc.constantFrom('normal', 'soft', 'liquid', 'diabetic', 'renal', 'low-salt', 'npo', 'tube-feed', 'keto'),
  npoFrom: instant,
  npoUntil: () => fc.oneof(instant(), fc.constant(null)),
  tubeFeed: () =>
    fc.oneof(
      fc.record({ formula: fc.string({ maxLength: 10 }), volumeMl: small(), timesPerDay: small() }),
      fc.constant(null),
    ),
  instructions: () =>
    fc.oneof(fc.string({ maxLength: 30 }), fc.constant('\u0000'), fc.constant('x'.repeat(1200))),
  replacesOrderId: () => fc.oneof(anyId(), fc.constant(null)),
  reason: () => fc.oneof(fc.string({ maxLength: 20 }), fc.constant('x'.repeat(400))),
  version: small,
};
const nearValid = () =>
  fc.constantFrom('normal', 'npo', 'tube-feed', 'renal').chain((diet) =>
    fc.record(
      {
        diet: fc.constant(diet),
        ...(diet === 'npo' ? { npoUntil: fc.oneof(instant(), fc.constant(null)) } : {}),
        ...(diet === 'tube-feed'
          ? {
              tubeFeed: fc.record({
                formula: fc.constant('Ensure'),
                volumeMl: fc.integer({ min: 1, max: 500 }),
                timesPerDay: fc.integer({ min: 1, max: 8 }),
              }),
            }
          : {}),
        instructions: fc.string({ maxLength: 20 }),
        replacesOrderId: fc.oneof(anyId(), fc.constant(null)),
        reason: fc.constant('Eating well'),
        version: fc.integer({ min: 1, max: 3 }),
      },
      { requiredKeys: ['diet', 'reason', ...(diet === 'tube-feed' ? ['tubeFeed' as const] : [])] },
    ),
  );
const body = () =>
  fc.oneof(
    // Near-valid orders and stops, so that many reach the service.
    { arbitrary: nearValid(), weight: 4 },
    {
      arbitrary: fc
        .dictionary(fc.constantFrom(...Object.keys(values)), fc.constant(null), { maxKeys: 6 })
        .chain((shape) => fc.record(Object.fromEntries(Object.keys(shape).map((k) => [k, values[k]!()])))),
      weight: 2,
    },
    { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
const query = () =>
  fc
    .record(
      {
        meal: fc.constantFrom('breakfast', 'lunch', 'snacks', 'dinner', 'brunch'),
        date: fc.oneof(
          fc
            .integer({ min: -3, max: 3 })
            .map((n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10)),
          fc.constantFrom('2026-02-30', 'today'),
        ),
        wardId: anyId(),
      },
      { requiredKeys: [] },
    )
    .map((q) => new URLSearchParams(q as Record<string, string>).toString());

describe('every dietary route, sent contract-shaped random input', () => {
  it('never answers 5xx', async () => {
    expect(routes.length).toBeGreaterThanOrEqual(6);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        anyId(),
        body(),
        query(),
        async (route, param, payload, qs) => {
          const url = `${route.path.replace(/\{[^}]+\}/g, param)}${route.method === 'GET' ? `?${qs}` : ''}`;
          const send = route.method !== 'GET' && payload !== undefined;
          const res = await t.app.inject({
            method: route.method as 'POST',
            url,
            headers: { ...nurse, ...(send ? { 'content-type': 'application/json' } : {}) },
            ...(send ? { payload: JSON.stringify(payload) } : {}),
          });
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode >= 500) {
            throw new Error(
              `${route.method} ${url} ${JSON.stringify(payload)} -> ${res.statusCode}: ${res.body}`,
            );
          }
          if (res.statusCode >= 400)
            expect(res.headers['content-type']).toContain('application/problem+json');
        },
      ),
      { numRuns: 400 },
    );
    console.info('dietary fuzz statuses', Object.fromEntries(statuses));
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    expect([...statuses.keys()].some((s) => s === 409 || s === 422 || s === 404)).toBe(true);
  }, 300_000);
});
