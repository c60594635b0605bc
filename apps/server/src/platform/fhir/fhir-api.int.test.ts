import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidFhir, fhirValidationErrors } from '../../../test/fhir-validators';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { Conflict, RuleViolation } from '../http/errors';
import type { ModuleDefinition } from '../module';

// A module that serves one more resource type, to see the platform's part alone: the CapabilityStatement
// lists what modules declare, and every error a route can raise comes back as an OperationOutcome.
const probeModule: ModuleDefinition = {
  name: 'fhir-probe',
  permissions: [],
  async plugin() {},
  fhir: {
    resources: [
      {
        type: 'Flag',
        interactions: ['read'],
        searchParams: [{ name: 'subject', type: 'reference' }],
      },
    ],
    async routes(fhir, deps) {
      fhir.get<{ Params: { id: string } }>('/Flag/:id', { schema: { hide: true } }, async (request) => {
        switch (request.params.id) {
          case 'rule':
            throw new RuleViolation('PROBE_RULE', 'A rule says no', [
              { path: 'Flag.status', message: 'must be active' },
            ]);
          case 'conflict':
            throw new Conflict('PROBE_CONFLICT', 'Someone else was first');
          case 'database':
            await deps.database.db.execute(sql`select 'not a number'::int`);
            return {};
          case 'crash':
            throw new Error('secret internal detail');
          default:
            return {
              resourceType: 'Flag',
              id: request.params.id,
              status: 'active',
              code: { text: 'probe' },
              subject: { reference: 'Patient/x' },
            };
        }
      });
    },
  },
};

let t: TestApp;
let auth: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp({ modules: [probeModule] });
  auth = bearer(t.admin.token);
});
afterAll(() => t.close());

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

describe('/fhir/R4', () => {
  it('serves a valid CapabilityStatement, without sign-in, listing what every module registered', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/fhir/R4/metadata' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(FHIR_JSON);
    const cs = res.json();
    expectValidFhir(cs);
    expect(cs).toMatchObject({ resourceType: 'CapabilityStatement', kind: 'instance', fhirVersion: '4.0.1' });
    expect(cs.implementation.url).toMatch(/^http:\/\/.+\/fhir\/R4$/);
    expect(cs.rest[0].resource).toEqual([
      expect.objectContaining({
        type: 'Flag',
        interaction: [{ code: 'read' }],
        searchParam: [expect.objectContaining({ name: '_id' }), { name: 'subject', type: 'reference' }],
      }),
    ]);
  });

  it('answers 401 with an OperationOutcome without a token or with a malformed one', async () => {
    for (const headers of [{}, { authorization: 'Basic abc' }]) {
      const res = await t.app.inject({ method: 'GET', url: '/fhir/R4/Flag/1', headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toBe(FHIR_JSON);
      expectValidFhir(res.json());
      expect(res.json().issue[0]).toMatchObject({ severity: 'error', code: 'login' });
    }
  });

  it('answers 404 with an OperationOutcome for what it does not serve', async () => {
    for (const [method, url] of [
      ['GET', '/fhir/R4/Encounter/1'],
      ['POST', '/fhir/R4/Encounter'],
      ['DELETE', '/fhir/R4/Flag/1'],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: auth });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe(FHIR_JSON);
      expectValidFhir(res.json());
    }
    // An id too long for the router (over 200 characters) never reaches a route: 414, still an OperationOutcome.
    for (const url of [`/fhir/R4/Flag/${'x'.repeat(201)}`, `/fhir/R4/Flag/${'9'.repeat(999)}`]) {
      const res = await t.app.inject({ method: 'GET', url, headers: auth });
      expect(res.statusCode).toBe(414);
      expect(res.headers['content-type']).toBe(FHIR_JSON);
      expectValidFhir(res.json());
    }
  });

  it('negotiates JSON: 406 for XML only, _format=json and Accept: application/json are fine', async () => {
    const xml = await t.app.inject({
      method: 'GET',
      url: '/fhir/R4/Flag/1',
      headers: { ...auth, accept: 'application/fhir+xml' },
    });
    expect(xml.statusCode).toBe(406);
    expectValidFhir(xml.json());
    expect(
      (await t.app.inject({ method: 'GET', url: '/fhir/R4/Flag/1?_format=xml', headers: auth })).statusCode,
    ).toBe(406);
    for (const accept of ['application/json', 'application/fhir+json;q=0.9, application/fhir+xml', '*/*']) {
      const ok = await t.app.inject({
        method: 'GET',
        url: '/fhir/R4/Flag/1?_format=json',
        headers: { ...auth, accept },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['content-type']).toBe(FHIR_JSON);
      expect(ok.headers['cache-control']).toBe('no-store');
    }
  });

  it('turns domain, database and unexpected errors into OperationOutcomes with the right status', async () => {
    const cases = [
      ['rule', 422, 'value', ['Flag.status']],
      ['conflict', 409, 'conflict', undefined],
      ['database', 400, 'value', undefined],
      ['crash', 500, 'exception', undefined],
    ] as const;
    for (const [id, status, code, expression] of cases) {
      const res = await t.app.inject({ method: 'GET', url: `/fhir/R4/Flag/${id}`, headers: auth });
      expect(res.statusCode, id).toBe(status);
      expect(res.headers['content-type']).toBe(FHIR_JSON);
      const outcome = res.json();
      expectValidFhir(outcome);
      expect(outcome.issue[0]).toMatchObject({ severity: 'error', code });
      expect(outcome.issue[0].expression).toEqual(expression);
      expect(res.body).not.toContain('secret internal detail');
    }
  });

  it('uses validators that do catch invalid resources (so the checks above can fail)', () => {
    expect(fhirValidationErrors({ resourceType: 'Patient', gender: 'M' }).join()).toContain('Patient.gender');
    expect(fhirValidationErrors({ resourceType: 'Patient', birthDate: '12/03/1990' }).join()).toContain(
      'Patient.birthDate',
    );
    expect(fhirValidationErrors({ resourceType: 'Patient', name: [{ given: [''] }] })).not.toEqual([]);
    expect(fhirValidationErrors({ resourceType: 'Patient', nickname: 'x' }).join()).toContain('nickname');
    expect(fhirValidationErrors({ resourceType: 'CapabilityStatement', status: 'active' })).not.toEqual([]);
    expect(
      fhirValidationErrors({
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [{ resource: { resourceType: 'Patient', gender: 'x' } }],
      }),
    ).not.toEqual([]);
  });
});
