import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { seedInsuranceDemo } from './insurance-demo';
import { createInsuranceWorld, type InsuranceWorld } from './insurance-test-support';

let t: TestApp;
let w: InsuranceWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await createInsuranceWorld(t);
}, 120_000);
afterAll(() => t.close());

describe('payers and plans', () => {
  it('lets the accounts manager set up an insurer, a TPA and a plan, and lists them', async () => {
    const insurer = await w.payer({ name: 'Suraksha General Assurance', kind: 'insurer', creditDays: 45 });
    const tpa = await w.payer({ name: 'Medilink TPA Services', kind: 'tpa' });
    expect(insurer).toMatchObject({ kind: 'insurer', creditDays: 45, active: true, version: 1 });
    const plan = await w.plan(insurer.id, {
      code: 'gold-2026',
      name: 'Gold Floater',
      copayBp: 2000,
      roomRentLimitBp: 100,
      nonPayableGroups: ['consumable', 'consumable'],
      nonPayableCodes: ['ADM-KIT'],
    });
    expect(plan).toMatchObject({
      code: 'GOLD-2026',
      copayBp: 2000,
      roomRentLimit: null,
      roomRentLimitBp: 100,
      proportionateDeduction: true,
      nonPayableGroups: ['consumable'],
      nonPayableCodes: ['ADM-KIT'],
    });
    const tpas = await w.ok<{ items: { id: string }[] }>(
      'GET',
      '/api/v1/billing/payers?kind=tpa',
      w.insuranceDesk.headers,
    );
    expect(tpas.items.map((p) => p.id)).toEqual([tpa.id]);
    const plans = await w.ok<{ items: { id: string }[] }>(
      'GET',
      `/api/v1/billing/payers/${insurer.id}/plans`,
      w.insuranceDesk.headers,
    );
    expect(plans.items.map((p) => p.id)).toEqual([plan.id]);
  });

  it('refuses a duplicate payer code with 409 and a plan with both room-rent limits with 422', async () => {
    const payer = await w.payer();
    const dup = await w.call('POST', '/api/v1/billing/payers', w.manager.headers, {
      code: payer.code,
      name: 'Copy',
      kind: 'corporate',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('BILLING_PAYER_CODE_TAKEN');
    const both = await w.call('POST', `/api/v1/billing/payers/${payer.id}/plans`, w.manager.headers, {
      code: 'BOTH',
      name: 'Both limits',
      roomRentLimit: 300_000,
      roomRentLimitBp: 100,
    });
    expect(both.statusCode).toBe(422);
  });

  it('edits with ETag and If-Match: a stale version is 409, a mismatching If-Match 412', async () => {
    const payer = await w.payer();
    const read = await w.call('GET', `/api/v1/billing/payers/${payer.id}`, w.manager.headers);
    expect(read.headers.etag).toBe('W/"1"');
    const edited = await w.call(
      'PATCH',
      `/api/v1/billing/payers/${payer.id}`,
      { ...w.manager.headers, 'if-match': 'W/"1"' },
      {
        contactEmail: 'claims@example.org',
        version: 1,
      },
    );
    expect(edited.statusCode).toBe(200);
    expect(edited.headers.etag).toBe('W/"2"');
    expect(edited.json().contactEmail).toBe('claims@example.org');
    const stale = await w.call('PATCH', `/api/v1/billing/payers/${payer.id}`, w.manager.headers, {
      name: 'Late edit',
      version: 1,
    });
    expect(stale.statusCode).toBe(409);
    const mismatch = await w.call(
      'PATCH',
      `/api/v1/billing/payers/${payer.id}`,
      { ...w.manager.headers, 'if-match': 'W/"7"' },
      {
        name: 'Mismatch',
        version: 2,
      },
    );
    expect(mismatch.statusCode).toBe(412);
    const kind = await w.call('PATCH', `/api/v1/billing/payers/${payer.id}`, w.manager.headers, {
      kind: 'tpa',
      version: 2,
    });
    expect(kind.statusCode).toBe(409);

    const plan = await w.plan(payer.id);
    const planEdit = await w.call(
      'PATCH',
      `/api/v1/billing/plans/${plan.id}`,
      { ...w.manager.headers, 'if-match': 'W/"1"' },
      {
        copayBp: 500,
        roomRentLimit: 400_000,
        version: 1,
      },
    );
    expect(planEdit.statusCode).toBe(200);
    expect(planEdit.json()).toMatchObject({ copayBp: 500, roomRentLimit: 400_000, version: 2 });
  });

  it('lets only billing:manage change payers and plans (403 for the insurance desk and a nurse)', async () => {
    const payer = await w.payer();
    for (const who of [w.insuranceDesk, w.nurse, w.frontDesk]) {
      const create = await w.call('POST', '/api/v1/billing/payers', who.headers, {
        code: 'NOPE',
        name: 'Nope',
        kind: 'insurer',
      });
      expect(create.statusCode).toBe(403);
      const plan = await w.call('POST', `/api/v1/billing/payers/${payer.id}/plans`, who.headers, {
        code: 'NOPE',
        name: 'Nope',
      });
      expect(plan.statusCode).toBe(403);
    }
    expect((await w.call('GET', '/api/v1/billing/payers', w.nurse.headers)).statusCode).toBe(403);
    expect((await w.call('GET', '/api/v1/billing/payers', w.frontDesk.headers)).statusCode).toBe(200);
  });

  it('answers 404 for a payer of another facility', async () => {
    const other = await createInsuranceWorld(t);
    const payer = await other.payer();
    const res = await w.call('GET', `/api/v1/billing/payers/${payer.id}`, w.manager.headers);
    expect(res.statusCode).toBe(404);
  });
});

describe('demo payers', () => {
  it('seeds fictional insurers, TPAs, a corporate and a scheme with plans, once', async () => {
    const world = await createInsuranceWorld(t);
    const deps = { config: {} as never, database: t.database, events: {} as never };
    await seedInsuranceDemo(deps, { facilityId: world.facilityId, userIds: {} });
    await seedInsuranceDemo(deps, { facilityId: world.facilityId, userIds: {} });
    const list = await world.ok<{ items: { code: string; kind: string; id: string }[] }>(
      'GET',
      '/api/v1/billing/payers',
      world.manager.headers,
    );
    expect(list.items.map((p) => p.kind).sort()).toEqual([
      'corporate',
      'government',
      'insurer',
      'insurer',
      'tpa',
      'tpa',
    ]);
    const aranya = list.items.find((p) => p.code === 'ARANYA')!;
    const plans = await world.ok<{ items: { code: string; roomRentLimitBp: number | null }[] }>(
      'GET',
      `/api/v1/billing/payers/${aranya.id}/plans`,
      world.manager.headers,
    );
    expect(plans.items.map((p) => p.code).sort()).toEqual(['GOLD', 'SILVER']);
  });
});
