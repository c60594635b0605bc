import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { createInsuranceWorld, type InsuranceWorld } from './insurance-test-support';

// Every insurance route (payers, plans, policies, pre-authorizations, claims, aging) sent contract-shaped
// random input, with real ids of this world mixed in, so that random input reaches the services and the
// database, not only the schema validation.

let t: TestApp;
let w: InsuranceWorld;
const ids: Record<string, string[]> = {};
let routes: { method: string; path: string }[] = [];
let everything: Record<string, string>;

/** A minimal PDF and a 1x1 PNG, for the file uploads. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const INSURANCE =
  /^\/api\/v1\/billing\/(payers|plans|policies|preauths|claims|aging|insurance-documents|accounts\/\{id\}\/policy)/;

beforeAll(async () => {
  t = await createTestApp();
  w = await createInsuranceWorld(t);
  everything = (await w.staff(['admin'])).headers;
  const episode = await w.insuredEpisode();
  const plan = await w.plan(episode.payer.id);
  const tpa = await w.payer({ kind: 'tpa' });
  const pa = await w.ok<{ id: string }>('POST', '/api/v1/billing/preauths', w.insuranceDesk.headers, {
    accountId: episode.account.id,
    diagnosis: 'D',
    plannedTreatment: 'T',
    estimate: 1_000_000,
    requestedAmount: 1_000_000,
  });
  const invoice = await w.finalInvoice(episode.account, { payerId: episode.payer.id });
  const spare = await w.finalInvoice(episode.account, { payerId: episode.payer.id });
  const claim = await w.ok<{ id: string }>('POST', '/api/v1/billing/claims', w.insuranceDesk.headers, {
    invoiceId: invoice.id,
  });
  ids.payer = [episode.payer.id, tpa.id];
  ids.plan = [plan.id];
  ids.policy = [episode.policy.id];
  ids.patient = [episode.patient.id];
  ids.account = [episode.account.id];
  ids.preauth = [pa.id];
  ids.invoice = [invoice.id, spare.id];
  ids.claim = [claim.id];
  const file = await w.ok<{ id: string }>(
    'POST',
    `/api/v1/billing/preauths/${pa.id}/files`,
    w.insuranceDesk.headers,
    { name: 'Report', kind: 'investigation-report', data: PDF.toString('base64') },
  );
  ids.document = [file.id];
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths)
    .filter(([path]) => INSURANCE.test(path))
    .flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch'].includes(m))
        .map((method) => ({ method: method.toUpperCase(), path })),
    );
}, 300_000);
afterAll(() => t.close());

const anyId = () => fc.constantFrom(...Object.values(ids).flat(), crypto.randomUUID(), 'not-a-uuid');
const amount = () =>
  fc.oneof(
    fc.integer({ min: -5, max: 60_000_000 }),
    fc.constant(1.5),
    fc.constant(2 ** 60),
    fc.constant('100'),
  );
const text = () =>
  fc.oneof(fc.string({ maxLength: 20 }), fc.constant('x'.repeat(3000)), fc.constant('a\u0000b'));
const date = () =>
  fc.constantFrom('2026-01-01', '2035-12-31', '2026-02-30', '1899-01-01', '9999-12-31', 'today');
const values: Record<string, () => fc.Arbitrary<unknown>> = {
  payerId: anyId,
  tpaId: () => fc.oneof(anyId(), fc.constant(null)),
  planId: () => fc.oneof(anyId(), fc.constant(null)),
  patientId: anyId,
  accountId: anyId,
  policyId: () => fc.oneof(anyId(), fc.constant(null)),
  invoiceId: anyId,
  preauthId: () => fc.oneof(anyId(), fc.constant(null)),
  documentId: () => fc.oneof(anyId(), fc.constant(null)),
  version: () => fc.oneof(fc.integer({ min: -1, max: 5 }), fc.constant(1.5)),
  code: () => fc.oneof(fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,8}$/), fc.string({ maxLength: 25 })),
  name: text,
  kind: () =>
    fc.constantFrom('insurer', 'tpa', 'corporate', 'government', 'bank', 'policy-card', 'bill', 'other'),
  data: () =>
    fc.constantFrom(
      PDF.toString('base64'),
      PNG.toString('base64'),
      Buffer.from('plain text').toString('base64'),
      '',
      'not base64!',
      'AAAA',
    ),
  contentType: () => fc.constantFrom('application/pdf', 'image/png', 'image/jpeg', 'text/plain'),
  creditDays: amount,
  contactEmail: () => fc.constantFrom('a@b.co', 'nope', null),
  copayBp: amount,
  roomRentLimit: () => fc.oneof(amount(), fc.constant(null)),
  roomRentLimitBp: () => fc.oneof(amount(), fc.constant(null)),
  nonPayableGroups: () => fc.array(text(), { maxLength: 3 }),
  nonPayableCodes: () => fc.array(text(), { maxLength: 3 }),
  policyNumber: text,
  memberId: text,
  holderName: text,
  relationToHolder: () => fc.constantFrom('self', 'spouse', 'cousin', null),
  validFrom: date,
  validTo: date,
  serviceDate: date,
  sumInsured: amount,
  status: () => fc.constantFrom('active', 'inactive', 'submitted', 'zombie'),
  documents: () => fc.array(fc.record({ name: text() }), { maxLength: 2 }),
  diagnosis: text,
  plannedTreatment: text,
  estimate: amount,
  requestedAmount: amount,
  approvedAmount: amount,
  amountReceived: amount,
  tds: amount,
  disallowances: () => fc.array(fc.record({ reason: text(), amount: amount() }), { maxLength: 3 }),
  utr: () => fc.oneof(text(), fc.constant(null)),
  receivedAt: () => fc.constantFrom('2026-04-01T10:00:00+05:30', 'yesterday', '9999-12-31T23:59:59Z'),
  payerReference: text,
  note: text,
  reason: text,
};

function templateFor(path: string): Record<string, unknown> {
  const id = (k: string) => ids[k]![0]!;
  if (path.endsWith('/plans') || path.includes('/plans/')) return { code: 'FZ', name: 'Fuzz', version: 1 };
  if (path.includes('/payers')) return { code: 'FZ', name: 'Fuzz', kind: 'insurer', version: 1 };
  if (path.endsWith('/documents')) return { name: 'Card' };
  if (path.endsWith('/files')) return { name: 'Card', kind: 'policy-card', data: PNG.toString('base64') };
  if (path.includes('/policies'))
    return {
      patientId: id('patient'),
      payerId: id('payer'),
      policyNumber: 'FZ-1',
      memberId: 'FZ-M',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      sumInsured: 1_000_000,
      version: 1,
    };
  if (path.endsWith('/policy')) return { policyId: id('policy') };
  if (path.endsWith('/preauths'))
    return {
      accountId: id('account'),
      diagnosis: 'D',
      plannedTreatment: 'T',
      estimate: 100,
      requestedAmount: 100,
    };
  if (path.endsWith('/approve')) return { approvedAmount: 100_000, version: 1 };
  if (path.endsWith('/enhance')) return { requestedAmount: 2_000_000, note: 'More', version: 1 };
  if (path.endsWith('/settle')) return { amountReceived: 100_000, tds: 0, utr: 'UTR', version: 1 };
  if (path.endsWith('/write-off') || path.endsWith('/cancel'))
    return { reason: 'Fuzz', note: 'Fuzz', version: 1 };
  if (path.endsWith('/claims')) return { invoiceId: id('invoice') };
  return { note: 'Fuzz', version: 1 };
}

/** The kind of id a route's {id} names. */
function idKindOf(path: string): string {
  const segment = /\/api\/v1\/billing\/([a-z-]+)\//.exec(path)?.[1] ?? '';
  return (
    {
      payers: 'payer',
      plans: 'plan',
      policies: 'policy',
      preauths: 'preauth',
      claims: 'claim',
      accounts: 'account',
      'insurance-documents': 'document',
    }[segment] ?? 'payer'
  );
}

const body = fc.oneof(
  fc
    .dictionary(fc.constantFrom(...Object.keys(values)), fc.constant(null), { maxKeys: 10 })
    .chain((shape) => fc.record(Object.fromEntries(Object.keys(shape).map((k) => [k, values[k]!()])))),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(undefined),
);
const query = fc.oneof(
  fc.constant(''),
  fc
    .tuple(
      fc.constantFrom(
        'kind',
        'active',
        'patientId',
        'payerId',
        'accountId',
        'status',
        'limit',
        'cursor',
        'asOf',
      ),
      fc.oneof(anyId(), fc.constantFrom('true', 'x', '0', '500', '2026-02-30', 'WyIxIiwiMiJd', '%00')),
    )
    .map(([k, v]) => `?${k}=${encodeURIComponent(v)}`),
);

describe('every insurance route, sent contract-shaped random input', () => {
  it('never answers 5xx', async () => {
    expect(routes.length).toBeGreaterThan(30);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: anyId(), weight: 1 }),
        query,
        fc.oneof(
          body.map((b) => () => b),
          fc
            .tuple(fc.constantFrom(...Object.keys(values)), fc.nat())
            .chain(([key]) =>
              values[key]!().map((v) => (path: string) => ({ ...templateFor(path), [key]: v })),
            ),
          fc.constant((path: string) => templateFor(path)),
        ),
        async (route, randomId, q, makeBody) => {
          const payload = route.method === 'GET' ? undefined : makeBody(route.path);
          const p1 = randomId ?? ids[idKindOf(route.path)]![0]!;
          const url = route.path.replace(/\{[^}]+\}/g, () => p1) + (route.method === 'GET' ? q : '');
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
    console.info('insurance fuzz statuses', Object.fromEntries(statuses));
    expect([...statuses.keys()].some((s) => s === 409 || s === 422)).toBe(true);
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
  }, 600_000);
});
