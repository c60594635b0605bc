import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from './harness';

let t: TestApp;
let writeRoutes: { method: string; path: string }[] = [];
beforeAll(async () => {
  t = await createTestApp();
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
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
