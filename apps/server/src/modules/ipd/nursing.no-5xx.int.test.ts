import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { createNursingWorld, type NursingWorld } from './nursing-test-support';

// The nursing routes sent bodies and queries shaped like their contracts, with real ids of this world mixed
// in, so that random input reaches the services and the database, not only the schema validation.

let t: TestApp;
let w: NursingWorld;
const ids: Record<string, string[]> = {};
let routes: { method: string; path: string }[] = [];
/** A doctor who is also an administrator: every IPD permission. */
let everything: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  w = await createNursingWorld(t);
  everything = (await w.staff(['admin', 'doctor'])).headers;
  const a = await w.admit({ admittedHoursAgo: 20 });
  const b = await w.admit();
  const charted = await w.ok<{ news2: { id: string } }>(
    'POST',
    `/api/v1/ipd/admissions/${a.id}/vitals`,
    w.nurse.headers,
    { respiratoryRate: 28, consciousness: 'voice', heartRate: 130 },
  );
  const io = await w.ok<{ id: string }>(
    'POST',
    `/api/v1/ipd/admissions/${a.id}/intake-output`,
    w.nurse.headers,
    {
      direction: 'intake',
      route: 'oral',
      volumeMl: 200,
    },
  );
  const note = await w.ok<{ id: string }>(
    'POST',
    `/api/v1/ipd/admissions/${a.id}/nursing-notes`,
    w.nurse.headers,
    {
      kind: 'note',
      text: 'Comfortable',
    },
  );
  const plan = await w.ok<{ id: string }>(
    'POST',
    `/api/v1/ipd/admissions/${a.id}/care-plan`,
    w.nurse.headers,
    {
      problem: 'Pain',
      goal: 'Pain under 3/10',
      interventions: ['Analgesia as charted'],
    },
  );
  const task = await w.ok<{ id: string }>('POST', `/api/v1/ipd/admissions/${a.id}/tasks`, w.nurse.headers, {
    description: 'Turn the patient',
    dueAt: new Date().toISOString(),
  });
  ids.admission = [a.id, b.id];
  ids.score = [charted.news2.id];
  ids.io = [io.id];
  ids.note = [note.id];
  ids.plan = [plan.id];
  ids.task = [task.id];
  ids.ward = [w.ward.id];
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, { tags?: string[] }>>;
  };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([m, op]) => ['get', 'post', 'put', 'patch'].includes(m) && op.tags?.includes('ipd-nursing'))
      .map(([method]) => ({ method: method.toUpperCase(), path })),
  );
}, 300_000);
afterAll(() => t.close());

const anyId = () => fc.constantFrom(...Object.values(ids).flat(), crypto.randomUUID());
const instant = () =>
  fc.oneof(
    fc.integer({ min: -4 * 24, max: 4 }).map((h) => new Date(Date.now() + h * 3600_000).toISOString()),
    fc.constantFrom('2026-02-30T00:00:00Z', '1899-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'now', ''),
  );
const num = () =>
  fc.oneof(
    fc.integer({ min: -5, max: 400 }),
    fc.double({ min: -10, max: 400, noNaN: true }),
    fc.constant(2 ** 40),
    fc.constant(Number.MAX_SAFE_INTEGER),
  );
const text = () =>
  fc.oneof(fc.string({ maxLength: 20 }), fc.constant('x'.repeat(20_001)), fc.constant('\u0000'));
const values: Record<string, () => fc.Arbitrary<unknown>> = {
  heartRate: num,
  respiratoryRate: num,
  temperature: num,
  spo2: num,
  systolic: num,
  diastolic: num,
  weight: num,
  height: num,
  oxygenFlowRate: num,
  consciousness: () => fc.constantFrom('alert', 'new-confusion', 'voice', 'pain', 'unresponsive', 'asleep'),
  supplementalOxygen: () => fc.oneof(fc.boolean(), fc.constant('yes')),
  effectiveAt: instant,
  dueAt: instant,
  response: text,
  reason: text,
  outcome: text,
  description: text,
  problem: text,
  goal: text,
  evaluation: text,
  note: text,
  text,
  scale: () => fc.constantFrom(1, 2, 3, '2'),
  direction: () => fc.constantFrom('intake', 'output', 'sideways'),
  route: () =>
    fc.constantFrom('oral', 'iv', 'ng-tube', 'blood', 'urine', 'drain', 'vomit', 'stool', 'ng-aspirate', 'x'),
  volumeMl: num,
  kind: () => fc.constantFrom('note', 'handover', 'vitals', 'escalation', 'other', 'memo'),
  shift: () => fc.constantFrom('morning', 'evening', 'night', 'noon'),
  sbar: () =>
    fc.record(
      { situation: text(), background: text(), assessment: text(), recommendation: text() },
      { requiredKeys: [] },
    ),
  interventions: () => fc.array(text(), { maxLength: 35 }),
  version: () => fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constant(1.5)),
};
// Bodies that pass validation more often, so that the services' own rules are reached too.
const plausible = fc.record(
  {
    respiratoryRate: fc.integer({ min: 4, max: 60 }),
    spo2: fc.integer({ min: 70, max: 100 }),
    supplementalOxygen: fc.boolean(),
    systolic: fc.integer({ min: 70, max: 250 }),
    heartRate: fc.integer({ min: 30, max: 200 }),
    consciousness: fc.constantFrom('alert', 'new-confusion', 'voice', 'pain', 'unresponsive'),
    temperature: fc.integer({ min: 340, max: 420 }).map((x) => x / 10),
    effectiveAt: instant(),
    direction: fc.constantFrom('intake', 'output'),
    route: fc.constantFrom('oral', 'urine'),
    volumeMl: fc.integer({ min: 0, max: 3000 }),
    response: fc.constant('Reviewed'),
    reason: fc.constant('Wrong entry'),
    outcome: fc.constant('Done'),
    evaluation: fc.constant('Better'),
    scale: fc.constantFrom(1, 2),
    description: fc.constant('Check drain'),
    dueAt: instant(),
    kind: fc.constantFrom('note', 'handover', 'other'),
    text: fc.constant('Comfortable'),
    problem: fc.constant('Pain'),
    goal: fc.constant('Pain free'),
    interventions: fc.constant(['Analgesia']),
    version: fc.integer({ min: 1, max: 3 }),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  plausible,
  fc
    .dictionary(fc.constantFrom(...Object.keys(values)), fc.constant(null), { maxKeys: 9 })
    .chain((shape) => fc.record(Object.fromEntries(Object.keys(shape).map((k) => [k, values[k]!()])))),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(undefined),
);
const query = fc.oneof(
  fc.constant(''),
  fc
    .record(
      {
        from: instant(),
        to: instant(),
        date: fc.constantFrom('2026-11-27', '2026-02-30', 'today', '1899-01-01'),
        open: fc.constantFrom('true', 'false', 'maybe'),
        status: fc.constantFrom('pending', 'done', 'cancelled', 'x'),
        kind: fc.constantFrom('note', 'handover', 'x'),
        limit: fc.constantFrom('1', '0', '500', '-1', 'x'),
        cursor: fc.constantFrom('nonsense', 'WyJ4IiwieSJd', 'WzEsMl0'),
      },
      { requiredKeys: [] },
    )
    .map((q) => `?${new URLSearchParams(q as Record<string, string>).toString()}`),
);

describe('every nursing route, sent contract-shaped random input', () => {
  it('never answers 5xx', async () => {
    expect(routes.length).toBeGreaterThan(20);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), anyId(), body, query, async (route, param, payload, q) => {
        const url = route.path.replace(/\{[^}]+\}/g, param) + (route.method === 'GET' ? q : '');
        const send = route.method !== 'GET' && payload !== undefined;
        const res = await t.app.inject({
          method: route.method as 'POST',
          url,
          headers: { ...everything, ...(send ? { 'content-type': 'application/json' } : {}) },
          ...(send ? { payload: JSON.stringify(payload) } : {}),
        });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500)
          throw new Error(
            `${route.method} ${url} ${JSON.stringify(payload)} -> ${res.statusCode}: ${res.body}`,
          );
        if (res.statusCode >= 400) expect(res.headers['content-type']).toContain('application/problem+json');
      }),
      { numRuns: 400 },
    );
    console.info('nursing fuzz statuses', Object.fromEntries(statuses));
    expect([...statuses.keys()].some((s) => s === 409 || s === 422 || s < 300)).toBe(true);
  }, 600_000);
});
