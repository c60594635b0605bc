import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../test/fhir-validators';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../test/harness';
import type { ModuleDefinition } from '../module';
import { FhirError, issueAt } from './operation-outcome';
import type { FhirResourceProvider, ProvidedResource } from './resource-providers';

// The platform's routing of a type two modules provide, on two in-memory probes: "ward" flags need
// encounters:read, "billing" flags billing:read (so a pharmacist reaches the first, the front desk the second,
// housekeeping neither). Each probe counts the searches it was asked.

// biome-ignore lint/suspicious/noExplicitAny: FHIR JSON read in assertions
type Json = Record<string, any>;
type Flag = ProvidedResource & { patient: string; category: string; code: string };

const PATIENT = randomUUID();
const OTHER = randomUUID();
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/flag-category';

function flags(category: string, n: number, patient = PATIENT): Flag[] {
  return Array.from({ length: n }, (_, i) => ({
    resourceType: 'Flag',
    id: randomUUID(),
    patient,
    category,
    code: `${category}-${i}`,
  }));
}

function probe(
  name: string,
  permission: string,
  category: string,
  data: Flag[],
  extraParams: string[],
  role: string,
): { module: ModuleDefinition; asked: { n: number } } {
  const asked = { n: 0 };
  const shown = (f: Flag) => ({
    resourceType: 'Flag',
    id: f.id,
    status: 'active',
    category: [{ coding: [{ system: CATEGORY, code: f.category }] }],
    code: { text: f.code },
    subject: { reference: `Patient/${f.patient}` },
  });
  const provider: FhirResourceProvider = {
    type: 'Flag',
    label: `${name} flags`,
    permission,
    capability: {
      documentation: `flags of ${name}.`,
      searchParams: [
        { name: 'patient', type: 'reference' },
        { name: 'category', type: 'token' },
        ...extraParams.map((p) => ({ name: p, type: 'token' as const })),
      ],
    },
    searchParamNames: ['patient', 'category', ...extraParams],
    applies: (query) => query.category === undefined || query.category === category,
    async read(_ctx, id) {
      const f = data.find((x) => x.id === id);
      return f ? (shown(f) as ProvidedResource) : null;
    },
    async search(_ctx, input) {
      asked.n++;
      const q = input.query;
      if (!q.patient && !q._id) {
        throw new FhirError(400, [issueAt('Flag', 'A search of Flag needs patient or _id', 'required')]);
      }
      const matches = data
        .filter((f) => !q.patient || f.patient === q.patient)
        .filter((f) => !q._id || f.id === q._id)
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      const after = matches.filter((f) => !input.afterId || f.id > input.afterId);
      return {
        resources: after.slice(0, input.limit).map(shown) as ProvidedResource[],
        ...(input.countTotal ? { total: matches.length } : {}),
      };
    },
  };
  return {
    module: {
      name,
      // Known already when the test database holds every module's permissions (PostgreSQL); else the roles here.
      permissions: [{ name: permission, description: `${name} probe`, roles: [role] }],
      async plugin() {},
      fhir: { resources: [], async routes() {}, providers: [provider] },
    },
    asked,
  };
}

const wardFlags = flags('clinical', 4);
const billingFlags = [...flags('admin', 3), ...flags('admin', 1, OTHER)];
const ward = probe('ward', 'encounters:read', 'clinical', wardFlags, [], 'pharmacist');
const billing = probe('billing', 'billing:read', 'admin', billingFlags, ['code'], 'front-desk');
const mine = [...wardFlags, ...billingFlags.filter((f) => f.patient === PATIENT)].map((f) => f.id).sort();

let t: TestApp;
const as: Record<string, Record<string, string>> = {};
beforeAll(async () => {
  t = await createTestApp({ modules: [ward.module, billing.module] });
  as.admin = bearer(t.admin.token);
  for (const role of ['pharmacist', 'front-desk', 'housekeeping']) {
    const user = await createTestUser(t.database, { roles: [role], facilityId: t.facilityId });
    as[role] = bearer(await signIn(t.app, user.email));
  }
});
afterAll(() => t.close());

async function get(path: string, headers: Record<string, string> = as.admin!) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/fhir/R4/${path.split('/fhir/R4/').at(-1)}`,
    headers,
  });
  expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
  return { status: res.statusCode, body: res.json() as Json };
}
const ids = (b: Json): string[] =>
  (b.entry ?? []).filter((e: Json) => e.search.mode === 'match').map((e: Json) => e.resource.id);
const next = (b: Json): string | undefined => b.link.find((l: Json) => l.relation === 'next')?.url;

describe('a resource type two modules provide', () => {
  it('is listed once in the CapabilityStatement, with read, search and the union of parameters', async () => {
    const cs = (await get('metadata', {})).body;
    const entries = cs.rest[0].resource.filter((r: Json) => r.type === 'Flag');
    expect(entries).toHaveLength(1);
    expect(entries[0].interaction).toEqual([{ code: 'read' }, { code: 'search-type' }]);
    expect(entries[0].searchParam.map((p: Json) => p.name)).toEqual(['_id', 'patient', 'category', 'code']);
    expect(entries[0].documentation).toContain('ward flags (ward, encounters:read)');
    expect(entries[0].documentation).toContain('billing flags (billing, billing:read)');
  });

  it('reads from whichever provider has the id, among those the user may use', async () => {
    const w = wardFlags[0]!.id;
    const b = billingFlags[0]!.id;
    expect((await get(`Flag/${w}`)).body).toMatchObject({ id: w, code: { text: 'clinical-0' } });
    expect((await get(`Flag/${b}`)).body).toMatchObject({ id: b });
    expect((await get(`Flag/${w}`, as.pharmacist)).status).toBe(200);
    // The pharmacist may not use the billing provider: its flag is not there for them.
    const hidden = await get(`Flag/${b}`, as.pharmacist);
    expect(hidden.status).toBe(404);
    expect(hidden.body.issue[0].code).toBe('not-found');
    expect((await get(`Flag/${b}`, as['front-desk'])).status).toBe(200);
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const res = await get(`Flag/${id}`);
      expect(res.status).toBe(404);
      expectValidFhir(res.body);
    }
  });

  it('answers 403 to a user with neither permission, reads and searches alike', async () => {
    for (const path of [`Flag/${wardFlags[0]!.id}`, `Flag?patient=${PATIENT}`]) {
      const res = await get(path, as.housekeeping);
      expect(res.status, path).toBe(403);
      expectValidFhir(res.body);
      expect(res.body.issue[0].code).toBe('forbidden');
    }
  });

  it("merges the providers' matches in id order, with the total when one page holds them", async () => {
    const bundle = (await get(`Flag?patient=${PATIENT}`)).body;
    expectValidFhir(bundle);
    expect(ids(bundle)).toEqual(mine);
    expect(bundle.total).toBe(7);
    expect(next(bundle)).toBeUndefined();
    expect(ids((await get(`Flag?patient=${PATIENT}`, as.pharmacist)).body)).toEqual(
      wardFlags.map((f) => f.id).sort(),
    );
  });

  it('walks the merged result one by one with _count=1 and the cursor, each once, in id order', async () => {
    const seen: string[] = [];
    let bundle = (await get(`Flag?patient=${PATIENT}&_count=1&_total=accurate`)).body;
    for (;;) {
      expect(ids(bundle)).toHaveLength(1);
      expect(bundle.total).toBe(7);
      seen.push(...ids(bundle));
      const url = next(bundle);
      if (!url) break;
      expect(url).toContain(`patient=${PATIENT}`);
      expect(url).toContain('_total=accurate');
      bundle = (await get(url)).body;
    }
    expect(seen).toEqual(mine);
    const first = (await get(`Flag?patient=${PATIENT}&_count=2`)).body;
    expect(first.total).toBeUndefined();
    const counted = (await get(`Flag?patient=${PATIENT}&_count=0`)).body;
    expect(counted.total).toBe(7);
    expect(counted.entry).toBeUndefined();
  });

  it('asks only the providers that may hold matches and understand every filter', async () => {
    const before = { ward: ward.asked.n, billing: billing.asked.n };
    expect(ids((await get(`Flag?patient=${PATIENT}&category=admin`)).body)).toHaveLength(3);
    expect(ward.asked.n).toBe(before.ward);
    // code is billing's parameter alone: the ward flags could not be filtered by it.
    await get(`Flag?patient=${PATIENT}&code=admin-1`);
    expect(ward.asked.n).toBe(before.ward);
    expect(billing.asked.n).toBe(before.billing + 2);
  });

  it('ignores a parameter no provider knows with a warning, or refuses it under handling=strict', async () => {
    const lenient = (await get(`Flag?patient=${PATIENT}&_sort=date`)).body;
    expect(ids(lenient)).toEqual(mine);
    expect(lenient.entry.at(-1)).toMatchObject({
      search: { mode: 'outcome' },
      resource: { issue: [{ severity: 'warning', code: 'not-supported' }] },
    });
    expect(lenient.link[0].url).not.toContain('_sort');
    const strict = await get(`Flag?patient=${PATIENT}&_sort=date`, {
      ...as.admin,
      prefer: 'handling=strict',
    });
    expect(strict.status).toBe(400);
    expectValidFhir(strict.body);
  });

  it("passes a provider's 400 on, and refuses a bad cursor, count or total", async () => {
    const broad = await get('Flag?category=clinical');
    expect(broad.status).toBe(400);
    expect(broad.body.issue[0]).toMatchObject({ code: 'required' });
    for (const path of [
      `Flag?patient=${PATIENT}&_cursor=nonsense`,
      `Flag?patient=${PATIENT}&_count=101`,
      `Flag?patient=${PATIENT}&_total=maybe`,
      `Flag?patient=${PATIENT}&_count=1&_count=2`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expectValidFhir(res.body);
    }
  });
});
