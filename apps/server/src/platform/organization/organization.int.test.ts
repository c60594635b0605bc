import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../test/harness';

let t: TestApp;
let admin: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  admin = bearer(t.admin.token);
});
afterAll(() => t.close());

const code = () =>
  `H${randomUUID()
    .replace(/[^0-9A-F]/gi, '')
    .slice(0, 6)
    .toUpperCase()}`;

describe('facilities', () => {
  it('creates and edits a facility with optimistic concurrency', async () => {
    const c = code();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organization/facilities',
      headers: admin,
      payload: {
        code: c.toLowerCase(),
        name: 'Mysuru Branch',
        timeZone: 'Asia/Kolkata',
        gstin: '29abcde1234f1z5',
        city: 'Mysuru',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const f = res.json();
    expect(f).toMatchObject({ code: c, gstin: '29ABCDE1234F1Z5', currency: 'INR', version: 1, active: true });
    const upd = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/organization/facilities/${f.id}`,
      headers: { ...admin, 'if-match': 'W/"1"' },
      payload: { name: 'Mysuru Branch Hospital', version: 1 },
    });
    expect(upd.statusCode).toBe(200);
    expect(upd.headers.etag).toBe('W/"2"');
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/organization/facilities/${f.id}`,
      headers: admin,
      payload: { name: 'Lost update', version: 1 },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('STALE_VERSION');
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organization/facilities',
      headers: admin,
      payload: { code: c, name: 'Duplicate' },
    });
    expect(dup.statusCode).toBe(409);
  });

  it('names every bad field and writes nothing', async () => {
    const before = (
      await t.app.inject({ method: 'GET', url: '/api/v1/organization/facilities', headers: admin })
    ).json().items.length;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organization/facilities',
      headers: admin,
      payload: { code: 'x', name: '', timeZone: 'Mars/Olympus', currency: 'rupees', gstin: '123' },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.code', 'body.name', 'body.timeZone', 'body.currency', 'body.gstin']),
    );
    const after = (
      await t.app.inject({ method: 'GET', url: '/api/v1/organization/facilities', headers: admin })
    ).json().items.length;
    expect(after).toBe(before);
  });

  it('replays the first reply to a POST repeated with the same Idempotency-Key', async () => {
    const key = `create-facility-${randomUUID()}`;
    const payload = { code: code(), name: 'Hubballi Branch' };
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organization/facilities',
      headers: { ...admin, 'idempotency-key': key },
      payload,
    });
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organization/facilities',
      headers: { ...admin, 'idempotency-key': key },
      payload,
    });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organization/facilities',
      headers: { ...admin, 'idempotency-key': key },
      payload: { ...payload, name: 'Something else' },
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('lets a nurse read but not change the organization', async () => {
    const nurse = await createTestUser(t.database, { roles: ['nurse'], facilityId: t.facilityId });
    const token = await signIn(t.app, nurse.email);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/organization/facilities', headers: bearer(token) }))
        .statusCode,
    ).toBe(200);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organization/facilities',
      headers: bearer(token),
      payload: { code: code(), name: 'Nope' },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('departments', () => {
  it('creates departments in a facility, nests them, and refuses a parent from elsewhere', async () => {
    const base = `/api/v1/organization/facilities/${t.facilityId}/departments`;
    const med = await t.app.inject({
      method: 'POST',
      url: base,
      headers: admin,
      payload: { code: `MED${code().slice(1, 5)}`, name: 'Medicine', kind: 'clinical' },
    });
    expect(med.statusCode).toBe(201);
    const cardio = await t.app.inject({
      method: 'POST',
      url: base,
      headers: admin,
      payload: {
        code: `CAR${code().slice(1, 5)}`,
        name: 'Cardiology',
        kind: 'clinical',
        parentId: med.json().id,
      },
    });
    expect(cardio.statusCode).toBe(201);
    expect(cardio.json().parentId).toBe(med.json().id);
    const bogus = await t.app.inject({
      method: 'POST',
      url: base,
      headers: admin,
      payload: { code: `BAD${code().slice(1, 5)}`, name: 'Orphan', kind: 'clinical', parentId: randomUUID() },
    });
    expect(bogus.statusCode).toBe(422);
    const self = await t.app.inject({
      method: 'PATCH',
      url: `${base}/${med.json().id}`,
      headers: admin,
      payload: { parentId: med.json().id, version: 1 },
    });
    expect(self.statusCode).toBe(422);
    const off = await t.app.inject({
      method: 'PATCH',
      url: `${base}/${cardio.json().id}`,
      headers: admin,
      payload: { active: false, version: 1 },
    });
    expect(off.json()).toMatchObject({ active: false, version: 2 });
    const list = await t.app.inject({ method: 'GET', url: base, headers: admin });
    expect(list.json().items.map((d: { name: string }) => d.name)).toEqual(
      expect.arrayContaining(['Medicine', 'Cardiology']),
    );
    const unknownFacility = await t.app.inject({
      method: 'GET',
      url: `/api/v1/organization/facilities/${randomUUID()}/departments`,
      headers: admin,
    });
    expect(unknownFacility.statusCode).toBe(404);
  });
});
