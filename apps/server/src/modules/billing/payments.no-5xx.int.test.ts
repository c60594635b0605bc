import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { createPaymentsWorld, type PaymentsWorld } from './payments-test-support';

// Every payments route (counters, shifts, day end, payments, allocations, balances, refunds, reports) sent
// contract-shaped random input with real ids of this world mixed in: 4xx problem+json, never 5xx.

let t: TestApp;
let w: PaymentsWorld;
let everything: Record<string, string>;
const ids: string[] = [];
let routes: { method: string; path: string }[] = [];
const OURS =
  /^\/api\/v1\/billing\/(counters|cashier|payments|balances|refunds|reports\/(collections|refunds))/;

beforeAll(async () => {
  t = await createTestApp();
  w = await createPaymentsWorld(t);
  everything = w.admin.headers;
  const shift = await w.openShift(w.admin, 1_000);
  const patient = await w.patient();
  const account = await w.account(patient.id);
  const bill = await w.invoice(account, { patientShare: 50_000 });
  const p = await w.ok<{ id: string }>('POST', '/api/v1/billing/payments', everything, {
    patientId: patient.id,
    accountId: account.id,
    kind: 'deposit',
    mode: 'cash',
    amount: 30_000,
  });
  const refund = await w.ok<{ id: string }>('POST', '/api/v1/billing/refunds', w.clerk.headers, {
    paymentId: p.id,
    amount: 1_000,
    reason: 'Fuzz',
    mode: 'cash',
  });
  ids.push(shift.id, shift.counterId, patient.id, account.id, bill.id, p.id, refund.id);
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths)
    .filter(([path]) => OURS.test(path))
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
}, 120_000);
afterAll(() => t.close());

const anyId = () =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...ids), weight: 4 },
    { arbitrary: fc.constantFrom(crypto.randomUUID(), 'nope'), weight: 1 },
  );
const amount = () =>
  fc.oneof(fc.integer({ min: -5, max: 60_000 }), fc.constantFrom(0, 1.5, 2 ** 53, 1e13 + 1, '100'));
const text = () =>
  fc.oneof(fc.string({ maxLength: 20 }), fc.constant('x'.repeat(600)), fc.constant('a\u0000b'));
const date = () => fc.constantFrom('2026-05-01', '2026-02-30', '1899-01-01', '9999-12-31', 'today');
const values: Record<string, () => fc.Arbitrary<unknown>> = {
  patientId: anyId,
  accountId: anyId,
  counterId: anyId,
  paymentId: anyId,
  invoiceId: anyId,
  kind: () => fc.constantFrom('payment', 'deposit', 'payer-settlement', 'gift'),
  mode: () => fc.constantFrom('cash', 'card', 'upi', 'bank-transfer', 'cheque', 'barter'),
  amount,
  openingFloat: amount,
  countedCash: amount,
  reference: () => fc.oneof(text(), fc.constant(null)),
  note: () => fc.oneof(text(), fc.constant(null)),
  reason: text,
  code: () => fc.oneof(fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,8}$/), fc.string({ maxLength: 25 })),
  name: text,
  active: () => fc.boolean(),
  autoAllocate: () => fc.boolean(),
  auto: () => fc.boolean(),
  allocations: () =>
    fc.oneof(
      fc.constant([]),
      fc.array(fc.record({ invoiceId: anyId(), amount: amount() }), { maxLength: 3 }),
    ),
  version: () => fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constant(1.5)),
};
function templateFor(path: string): Record<string, unknown> {
  const [shift, counter, patient, account, bill, payment] = ids;
  if (path.endsWith('/counters') || path.includes('/counters/')) return { code: 'FZ-1', name: 'Fuzz' };
  if (path.endsWith('/shifts')) return { counterId: counter, openingFloat: 0 };
  if (path.endsWith('/close')) return { countedCash: 1_000, version: 1, shift };
  if (path.endsWith('/allocations')) return { allocations: [{ invoiceId: bill, amount: 100 }] };
  if (path.endsWith('/payments'))
    return { patientId: patient, accountId: account, kind: 'payment', mode: 'cash', amount: 100 };
  if (path.endsWith('/refunds')) return { paymentId: payment, amount: 100, reason: 'Fuzz', mode: 'cash' };
  if (path.endsWith('/reject')) return { note: 'No', version: 1 };
  if (path.endsWith('/pay')) return { reference: 'R', version: 2 };
  return { version: 1 };
}
const query = () =>
  fc
    .record(
      {
        date: date(),
        from: date(),
        to: date(),
        counterId: anyId(),
        cashierId: anyId(),
        patientId: anyId(),
        accountId: anyId(),
        sessionId: anyId(),
        paymentId: anyId(),
        status: fc.constantFrom('open', 'closed', 'requested', 'approved', 'paid', 'nope'),
        kind: fc.constantFrom('payment', 'deposit', 'x'),
        limit: fc.constantFrom('1', '0', '500', 'ten'),
        cursor: fc.constantFrom('bm9wZQ', 'WyIyMDI2LTAxLTAxVDAwOjAwOjAwWiIsIm5vcGUiXQ', '!!'),
      },
      { requiredKeys: [] },
    )
    .map((q) => new URLSearchParams(q as Record<string, string>).toString());
const body = fc.oneof(
  fc
    .dictionary(fc.constantFrom(...Object.keys(values)), fc.constant(null), { maxKeys: 8 })
    .chain((shape) => fc.record(Object.fromEntries(Object.keys(shape).map((k) => [k, values[k]!()])))),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(undefined),
);

describe('every payments route, sent contract-shaped random input', () => {
  it('never answers 5xx', async () => {
    expect(routes.length).toBeGreaterThan(20);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        anyId(),
        query(),
        fc.oneof(
          body.map((b) => () => b),
          fc
            .constantFrom(...Object.keys(values))
            .chain((key) =>
              values[key]!().map((v) => (path: string) => ({ ...templateFor(path), [key]: v })),
            ),
          fc.constant((path: string) => templateFor(path)),
        ),
        async (route, id, qs, makeBody) => {
          const payload = route.method === 'GET' ? undefined : makeBody(route.path);
          const url = `${route.path.replace(/\{[^}]+\}/g, id)}${route.method === 'GET' ? `?${qs}` : ''}`;
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
      { numRuns: 400 },
    );
    console.info('payments fuzz statuses', Object.fromEntries(statuses));
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    expect([...statuses.keys()].some((s) => s === 409 || s === 422)).toBe(true);
  }, 600_000);

  it('answers 403 to roles without the permission, on every route', async () => {
    for (const route of routes) {
      // A valid query: the contract is checked before the permission.
      const url = `${route.path.replace(/\{[^}]+\}/g, ids[5]!)}${route.method === 'GET' ? '?from=2026-05-01&to=2026-05-02' : ''}`;
      const res = await t.app.inject({
        method: route.method as 'POST',
        url,
        headers: {
          ...w.nurse.headers,
          ...(route.method === 'GET' ? {} : { 'content-type': 'application/json' }),
        },
        ...(route.method === 'GET' ? {} : { payload: JSON.stringify(templateFor(route.path)) }),
      });
      expect([route.method, route.path, res.statusCode]).toEqual([route.method, route.path, 403]);
    }
  });
});
