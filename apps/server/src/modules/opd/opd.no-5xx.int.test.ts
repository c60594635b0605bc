import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { addDays } from '../../platform/time/facility-time';
import { createOpdWorld, type OpdWorld } from './opd-test-support';

// The OPD's write routes sent bodies that look like their contracts, with real ids of this world mixed in,
// so that random input reaches the services and the database, not only the schema validation.

let t: TestApp;
let w: OpdWorld;
const ids: Record<string, string[]> = {};
let routes: { method: string; path: string }[] = [];
/** An administrator who is also a doctor: every OPD permission. */
let everything: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  w = await createOpdWorld(t);
  everything = (await w.staff(['admin', 'doctor'])).headers;
  const dr = await w.doctor();
  const dr2 = await w.doctor();
  const room = await w.room();
  await w.schedule(dr.id, room.id, { startTime: '00:00', endTime: '23:45' });
  await w.schedule(dr2.id, room.id, { startTime: '00:00', endTime: '23:45' }, [w.today]);
  const patients = [await w.patient(), await w.patient({ birth: { birthDate: '1940-02-02' } })];
  const free = await w.slots(dr.id, w.tomorrow);
  const a = (await w.book(patients[0]!.id, free[0]!.id)).json();
  const token = (await w.walkIn(patients[1]!.id, dr.id)).json().token;
  const [session] = await w
    .ok<{ items: { id: string }[] }>(
      'GET',
      `/api/v1/opd/sessions?from=${w.today}&to=${w.tomorrow}`,
      w.admin.headers,
    )
    .then((r) => r.items);
  ids.practitioner = [dr.id, dr2.id];
  ids.room = [room.id];
  ids.patient = patients.map((p) => p.id);
  ids.slot = free.slice(0, 5).map((s) => s.id);
  ids.appointment = [a.id];
  ids.token = [token.id];
  ids.session = [session!.id];
  ids.user = [dr.userId, w.admin.id];
  ids.department = [w.departmentId];
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/v1/opd/'))
    .flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['post', 'put', 'patch'].includes(m))
        .map((method) => ({ method: method.toUpperCase(), path })),
    );
}, 300_000);
afterAll(() => t.close());

const anyId = () => fc.constantFrom(...Object.values(ids).flat(), crypto.randomUUID());
const date = () =>
  fc.oneof(
    fc.integer({ min: -3, max: 40 }).map((n) => addDays(w.today, n)),
    fc.constantFrom('2026-02-30', '1899-01-01', '9999-12-31', 'today'),
  );
const time = () =>
  fc.oneof(
    fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
    fc.constantFrom('24:00', '9:00', '23:59'),
  );
const small = () => fc.oneof(fc.integer({ min: -2, max: 300 }), fc.constant(1.5), fc.constant(2 ** 40));
const values: Record<string, () => fc.Arbitrary<unknown>> = {
  patientId: anyId,
  practitionerId: anyId,
  toPractitionerId: anyId,
  slotId: anyId,
  roomId: anyId,
  userId: anyId,
  departmentId: anyId,
  encounterId: anyId,
  weekday: small,
  startTime: time,
  endTime: time,
  slotMinutes: small,
  patientsPerSlot: small,
  walkInQuota: small,
  elderlyAge: small,
  bookingWindowDays: small,
  firstVisitFee: small,
  followUpFee: small,
  followUpWithinDays: small,
  version: small,
  validFrom: date,
  validTo: () => fc.oneof(date(), fc.constant(null)),
  date,
  dateFrom: date,
  dateTo: date,
  kind: () => fc.constantFrom('leave', 'holiday', 'extra-session', 'other'),
  source: () => fc.constantFrom('front-desk', 'call-centre', 'portal'),
  priorities: () =>
    fc.array(fc.constantFrom('emergency', 'elderly', 'pregnant', 'disabled', 'vip'), { maxLength: 5 }),
  priorityKinds: () =>
    fc.array(fc.constantFrom('emergency', 'elderly', 'pregnant', 'disabled'), { maxLength: 5 }),
  reason: () => fc.oneof(fc.string({ maxLength: 20 }), fc.constant('x'.repeat(400))),
  displayName: () => fc.string({ maxLength: 20 }),
  specialty: () => fc.string({ maxLength: 20 }),
  name: () => fc.string({ maxLength: 20 }),
  boardCode: () => fc.oneof(fc.string({ maxLength: 25 }), fc.constant('OPD-FUZZ')),
  tokenPrefix: () => fc.oneof(fc.string({ maxLength: 4 }), fc.constant(null)),
  showInitials: () => fc.boolean(),
  active: () => fc.boolean(),
  qualifications: () => fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
  languages: () => fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
};
const body = fc.oneof(
  fc
    .dictionary(fc.constantFrom(...Object.keys(values)), fc.constant(null), { maxKeys: 10 })
    .chain((shape) => fc.record(Object.fromEntries(Object.keys(shape).map((k) => [k, values[k]!()])))),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(undefined),
);

describe('every OPD write route, sent contract-shaped random input', () => {
  it('never answers 5xx', async () => {
    expect(routes.length).toBeGreaterThan(20);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), anyId(), body, async (route, param, payload) => {
        const url = route.path.replace(/\{[^}]+\}/g, param);
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
        if (res.statusCode >= 400) expect(res.headers['content-type']).toContain('application/problem+json');
      }),
      { numRuns: 400 },
    );
    // Past validation too: some inputs reach the services (2xx, 404, 409, 422).
    console.info('OPD fuzz statuses', Object.fromEntries(statuses));
    expect([...statuses.keys()].some((s) => s === 409 || s === 422 || s < 300)).toBe(true);
  }, 600_000);
});
