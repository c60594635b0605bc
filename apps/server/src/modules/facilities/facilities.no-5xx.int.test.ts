import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { createHousekeepingWorld, type HousekeepingWorld } from './facilities-test-support';

// Every housekeeping route sent contract-shaped random input, with real ids of this world mixed in, by a
// supervisor and by a housekeeper, so that random input reaches the services and the database.

let t: TestApp;
let w: HousekeepingWorld;
let keeper: Record<string, string>;
const ids: string[] = [];
let routes: { method: string; path: string }[] = [];

beforeAll(async () => {
  t = await createTestApp();
  w = await createHousekeepingWorld(t);
  const k = await w.staff(['housekeeping']);
  keeper = k.headers;
  const ward = w.ward();
  for (let i = 0; i < 4; i++) {
    await w.releaseBed(ward, {
      isolation: i % 2 === 0,
      releasedAt: new Date(Date.now() - i * 40 * 60_000).toISOString(),
    });
  }
  await w.deliver();
  const queue = (await w.call('GET', '/api/v1/facilities/housekeeping/tasks', w.supervisor.headers)).json();
  ids.push(...queue.items.map((i: { id: string }) => i.id), k.id, w.supervisor.id, ward.wardId);
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/v1/facilities/'))
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
}, 120_000);
afterAll(() => t.close());

const anyId = () =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...ids), weight: 4 },
    { arbitrary: fc.constantFrom(crypto.randomUUID(), 'not-a-uuid'), weight: 1 },
  );
const date = () =>
  fc.oneof(
    fc
      .integer({ min: -100, max: 100 })
      .map((n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10)),
    fc.constantFrom('2026-02-30', '1899-01-01', '9999-12-31', 'today'),
  );
const small = () => fc.oneof(fc.integer({ min: -2, max: 20_000 }), fc.constant(1.5), fc.constant(2 ** 40));
const values: Record<string, () => fc.Arbitrary<unknown>> = {
  userId: anyId,
  wardId: anyId,
  kind: () => fc.constantFrom('spill', 'routine', 'bed-cleaning', 'other'),
  priority: () => fc.constantFrom('routine', 'urgent', 'now'),
  location: () => fc.oneof(fc.string({ maxLength: 30 }), fc.constant('x'.repeat(300))),
  note: () => fc.oneof(fc.string({ maxLength: 30 }), fc.constant(null), fc.constant('\u0000')),
  dueInMinutes: small,
  version: small,
  reason: () => fc.oneof(fc.string({ maxLength: 20 }), fc.constant('x'.repeat(400))),
};
const nearValid = () =>
  fc.record(
    {
      kind: fc.constantFrom('spill', 'routine'),
      location: fc.constant('Corridor 2'),
      userId: anyId(),
      reason: fc.constant('Not needed'),
      wardId: anyId(),
      dueInMinutes: fc.integer({ min: 5, max: 600 }),
      version: fc.integer({ min: 1, max: 4 }),
    },
    { requiredKeys: ['kind', 'location', 'reason'] },
  );
const body = () =>
  fc.oneof(
    // Near-valid bodies, so that many reach the service.
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
        wardId: anyId(),
        status: fc.constantFrom('open', 'assigned', 'in-progress', 'done', 'x'),
        mine: fc.constantFrom('true', 'false', 'yes'),
        limit: fc.constantFrom('1', '0', '500', 'x'),
        cursor: fc.oneof(fc.string({ maxLength: 20 }), fc.constant('WyJ4IiwieSJd')),
        from: date(),
        to: date(),
      },
      { requiredKeys: [] },
    )
    .map((q) => new URLSearchParams(q as Record<string, string>).toString());

describe('every housekeeping route, sent contract-shaped random input', () => {
  it('never answers 5xx', async () => {
    expect(routes.length).toBeGreaterThanOrEqual(9);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        anyId(),
        body(),
        query(),
        fc.boolean(),
        async (route, param, payload, qs, asKeeper) => {
          const url = `${route.path.replace(/\{[^}]+\}/g, param)}${route.method === 'GET' ? `?${qs}` : ''}`;
          const send = route.method !== 'GET' && payload !== undefined;
          const res = await t.app.inject({
            method: route.method as 'POST',
            url,
            headers: {
              ...(asKeeper ? keeper : w.supervisor.headers),
              ...(send ? { 'content-type': 'application/json' } : {}),
            },
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
    console.info('housekeeping fuzz statuses', Object.fromEntries(statuses));
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    expect([...statuses.keys()].some((s) => s === 409 || s === 422 || s === 404)).toBe(true);
  }, 300_000);
});
