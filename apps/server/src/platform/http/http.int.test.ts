import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('HTTP platform', () => {
  it('publishes an OpenAPI 3.1 document that names every API route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/auth/me',
        '/api/v1/access/roles',
        '/api/v1/audit/entries',
        '/api/v1/audit/verify',
        '/api/v1/organization/facilities/{facilityId}/departments',
      ]),
    );
    const login = doc.paths['/api/v1/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.properties).toHaveProperty('email');
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('answers problem+json for an unknown route, malformed JSON, a wrong content type and a missing token', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/nowhere' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.json()).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');
    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/x-shockwave-flash' },
      payload: 'zzz',
    });
    expect(wrongType.statusCode).toBe(415);
    const noToken = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me' });
    expect(noToken.statusCode).toBe(401);
    expect(noToken.json().requestId).toBe(noToken.headers['x-request-id']);
    const badHeader = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: 'Basic abc' },
    });
    expect(badHeader.statusCode).toBe(401);
    // The router refuses a path parameter over 200 characters before any route runs: still problem+json.
    const longParam = await t.app.inject({ method: 'GET', url: `/api/v1/patients/${'x'.repeat(201)}` });
    expect(longParam.statusCode).toBe(414);
    expect(longParam.headers['content-type']).toContain('application/problem+json');
    expect(longParam.json()).toMatchObject({ status: 414, code: 'FST_ERR_MAX_PARAM_LENGTH' });
  });

  it('sets security headers and no-store on the API', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(t.admin.token) });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('reports health, readiness and Prometheus metrics', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ method: 'GET', url: '/ready' })).json()).toEqual({ status: 'ready' });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('route="/health"');
  });
});
