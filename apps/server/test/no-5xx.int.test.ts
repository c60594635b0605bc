import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from './harness';

let t: TestApp;
let writeRoutes: { method: string; path: string }[] = [];
let readRoutes: { path: string; query: string[] }[] = [];
const existingIds: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  // Real records, so that random bodies also reach the code behind the 404s.
  for (const given of ['Random', 'Fuzz']) {
    const p = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patients',
      headers: bearer(t.admin.token),
      payload: { name: { given, family: 'Property' }, sex: 'unknown' },
    });
    existingIds.push(p.json().id);
  }
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  readRoutes = Object.entries(doc.paths).flatMap(([path, ops]) => {
    const get = ops.get as { parameters?: { in: string; name: string }[] } | undefined;
    if (!get || path.endsWith('/events')) return [];
    return [{ path, query: (get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name) }];
  });
  writeRoutes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      // Sign-out would end the session the rest of the run uses.
      .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m) && path !== '/api/v1/auth/logout')
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
});
afterAll(() => t.close());

const paramValue = fc.oneof(
  fc.uuid(),
  fc.constantFrom(0, 1).map((i) => existingIds[i] ?? 'missing'),
  fc.constant('not-a-uuid'),
  fc.string({ maxLength: 40 }),
  fc.constant('00000000-0000-0000-0000-000000000000'),
);
// Bodies that look like our contracts (the right keys with wrong or odd values) as well as pure noise.
const likelyKeys = [
  'email',
  'password',
  'code',
  'name',
  'version',
  'roles',
  'permissions',
  'patientId',
  'reason',
  'timeZone',
  'kind',
  'parentId',
  'active',
  'mfaToken',
  'recoveryCode',
  'currentPassword',
  'newPassword',
  'status',
  'displayName',
  'minutes',
  'note',
  'description',
  'gstin',
  'currency',
  // patients
  'sex',
  'birth',
  'phones',
  'identifiers',
  'contacts',
  'consents',
  'address',
  'survivorId',
  'mergedId',
  'format',
  'category',
  'substance',
  'severity',
  'contentType',
  'data',
  'approximateAge',
  'duplicateOverride',
  'patientIds',
  // opd
  'slotId',
  'practitionerId',
  'toPractitionerId',
  'roomId',
  'userId',
  'departmentId',
  'encounterId',
  'weekday',
  'startTime',
  'endTime',
  'slotMinutes',
  'patientsPerSlot',
  'walkInQuota',
  'validFrom',
  'validTo',
  'date',
  'dateFrom',
  'dateTo',
  'priorities',
  'priorityKinds',
  'elderlyAge',
  'bookingWindowDays',
  'source',
  'specialty',
  'firstVisitFee',
  'followUpFee',
  'followUpWithinDays',
  'tokenPrefix',
  'boardCode',
  'showInitials',
];
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.constantFrom(...likelyKeys), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 }),
  fc.constant(undefined),
);

describe('every write route, sent random input', () => {
  it('never answers 5xx', async () => {
    expect(writeRoutes.length).toBeGreaterThan(15);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writeRoutes),
        paramValue,
        body,
        fc.boolean(),
        async (route, param, payload, asText) => {
          const url = route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(param));
          const res = await t.app.inject({
            method: route.method as 'POST',
            url,
            headers: {
              ...bearer(t.admin.token),
              ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            ...(payload !== undefined
              ? { payload: asText ? JSON.stringify(payload).slice(0, -1) : JSON.stringify(payload) }
              : {}),
          });
          if (res.statusCode === 401 && url.startsWith('/api/v1/auth/users')) {
            throw new Error(`the admin session was lost: ${res.body}`);
          }
          if (res.statusCode >= 500)
            throw new Error(`${route.method} ${url} -> ${res.statusCode}: ${res.body}`);
          if (res.statusCode >= 400)
            expect(res.headers['content-type']).toContain('application/problem+json');
        },
      ),
      { numRuns: 600 },
    );
  });
});

// Odd text a search box or a query string may carry: NUL, lone surrogates, SQL and LIKE metacharacters.
const oddText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '%',
    '_',
    "'",
    '\\',
    '\ud800',
    '🙂',
    '1'.repeat(40),
    ' ',
    '-1',
    'NaN',
  ),
);

describe('every read route, sent random query strings', () => {
  it('never answers 5xx', async () => {
    expect(readRoutes.length).toBeGreaterThan(15);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...readRoutes),
        paramValue,
        fc.dictionary(
          fc.constantFrom('q', 'limit', 'cursor', 'status', 'code', 'date', 'sex', 'birthYear', 'from', 'to'),
          oddText,
          { maxKeys: 4 },
        ),
        async (route, param, extra) => {
          const url = route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(param));
          const query = new URLSearchParams();
          for (const [k, v] of Object.entries(extra))
            query.set(route.query.includes(k) ? k : (route.query[0] ?? k), v);
          const res = await t.app.inject({
            method: 'GET',
            url: `${url}?${query}`,
            headers: bearer(t.admin.token),
          });
          if (res.statusCode >= 500) throw new Error(`GET ${url}?${query} -> ${res.statusCode}: ${res.body}`);
        },
      ),
      { numRuns: 400 },
    );
  });
});
