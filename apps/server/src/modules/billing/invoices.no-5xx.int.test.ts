import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { createInvoiceWorld, type InvoiceWorld } from './invoices-test-support';

// Every invoice and discount route sent contract-shaped random input, with real ids of this world mixed in
// (OPD and IPD accounts, final, cancelled and interim bills, credit notes, discounts, charges), so that random
// input reaches the services and the database.

let t: TestApp;
let w: InvoiceWorld;
let headers: Record<string, string>;
const ids: string[] = [];
let routes: { method: string; path: string }[] = [];

const mine = (path: string) =>
  /^\/api\/v1\/billing\/(invoices|discounts|discount-limits|reports\/discounts|accounts\/\{accountId\}\/(invoices|invoice-preview|discounts))/.test(
    path,
  );

beforeAll(async () => {
  t = await createTestApp();
  w = await createInvoiceWorld(t);
  headers = w.admin.headers;
  const p = await w.patient();
  const { policyId } = await w.policy(p.id, { roomRentLimit: 300_000, copayBp: 1_000 });
  const opd = await w.account(p.id, 'opd');
  const opdOpen = await w.account(p.id, 'opd');
  const ipd = await w.account(p.id, 'ipd', { policyId });
  const ipdOpen = await w.account(p.id, 'ipd');
  await w.preauth(ipd, policyId, 500_000);
  const c1 = await w.charge(opd, { group: 'consultation', unitPrice: 50_000 });
  const c2 = await w.charge(opdOpen, { group: 'pharmacy', unitPrice: 12_345, taxCode: w.tax.MED });
  await w.charge(ipd, {
    group: 'room',
    unitPrice: 600_000,
    quantity: 2,
    taxCode: w.tax.ROOM,
    tariffClass: 'private',
  });
  await w.charge(ipdOpen, { group: 'nursing', unitPrice: 100_000 });
  const bill = (await w.issue(opd.id, 'opd')).json();
  const interim = (await w.issue(ipd.id, 'ipd-interim')).json();
  const final = (await w.issue(ipd.id, 'ipd-final')).json();
  const credit = (
    await w.call('POST', `/api/v1/billing/invoices/${final.id}/credit-note`, w.manager.headers, {
      reason: 'fuzz',
    })
  ).json();
  const d = (
    await w.call('POST', `/api/v1/billing/accounts/${opdOpen.id}/discounts`, w.clerk.headers, {
      reason: 'staff',
      kind: 'percent',
      value: 5_000,
    })
  ).json();
  ids.push(opd.id, opdOpen.id, ipd.id, ipdOpen.id, c1.id, c2.id, bill.id, interim.id, final.id, d.id);
  ids.push(credit.creditNote.id);
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths)
    .filter(([path]) => mine(path))
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
}, 120_000);
afterAll(() => t.close());

const anyId = () =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...ids), weight: 4 },
    {
      arbitrary: fc.constantFrom(crypto.randomUUID(), 'nope', 'billing-clerk', 'accounts-manager'),
      weight: 1,
    },
  );
const small = () =>
  fc.oneof(
    fc.integer({ min: -2, max: 20_000 }),
    fc.constant(1.5),
    fc.constant(2 ** 53),
    fc.constant(Number.MAX_SAFE_INTEGER),
  );
const values: Record<string, () => fc.Arbitrary<unknown>> = {
  kind: () => fc.constantFrom('opd', 'ipd-interim', 'ipd-final', 'credit-note', 'percent', 'amount', 'x'),
  version: small,
  reason: () =>
    fc.oneof(
      fc.constantFrom('staff', 'senior-citizen', 'other', 'management', 'bogus'),
      fc.string({ maxLength: 20 }),
      fc.constant('x'.repeat(400)),
      fc.constant('\u0000'),
    ),
  note: () => fc.oneof(fc.string({ maxLength: 20 }), fc.constant('\u0000')),
  value: small,
  chargeId: anyId,
  maxBp: small,
  maxAmount: small,
};
const nearValid = () =>
  fc.record(
    {
      kind: fc.constantFrom('opd', 'ipd-interim', 'ipd-final', 'percent', 'amount'),
      reason: fc.constantFrom('staff', 'senior-citizen', 'Wrong patient'),
      note: fc.constantFrom('Checked', 'Verified'),
      value: fc.integer({ min: 1, max: 12_000 }),
      chargeId: anyId(),
      maxBp: fc.integer({ min: 0, max: 10_000 }),
      maxAmount: fc.integer({ min: 0, max: 10_000_000 }),
      version: fc.integer({ min: 1, max: 4 }),
    },
    { requiredKeys: ['kind', 'reason', 'value', 'maxBp', 'maxAmount'] },
  );
const body = () =>
  fc.oneof(
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
        kind: fc.constantFrom('opd', 'ipd-interim', 'ipd-final', 'credit-note', 'nope'),
        status: fc.constantFrom('draft', 'final', 'cancelled', 'pending', 'approved', 'withdrawn', 'x'),
        accountId: anyId(),
        patientId: anyId(),
        limit: fc.constantFrom('1', '2', '0', '500', 'x'),
        cursor: fc.constantFrom('bogus', 'WyJ4IiwieSJd', 'WyIyMDI2LTAxLTAxVDAwOjAwOjAwWiIsIngiXQ'),
        from: fc.constantFrom('2026-01-01', '2026-02-30', 'today', '0001-01-01'),
        to: fc.constantFrom('2026-12-31', '2025-01-01', '9999-12-31'),
      },
      { requiredKeys: [] },
    )
    .map((q) => new URLSearchParams(q as Record<string, string>).toString());

describe('every invoice and discount route, sent contract-shaped random input', () => {
  it('never answers 5xx', async () => {
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(routes).toContainEqual({ method: 'GET', path: '/api/v1/billing/discounts' });
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
            headers: { ...headers, ...(send ? { 'content-type': 'application/json' } : {}) },
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
      { numRuns: 500 },
    );
    console.info('invoice fuzz statuses', Object.fromEntries(statuses));
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    expect([...statuses.keys()].some((s) => s === 409 || s === 422 || s === 404)).toBe(true);
  }, 300_000);
});
