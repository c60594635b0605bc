import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { seedPharmacyDemo } from './demo';

// The demo pharmacy: stores, stock in batches (some in the expiry bands), reorder levels and the alerts of
// the daily job; a second run changes nothing.

let t: TestApp;
let facilityId: string;
let headers: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  const f = await t.app.inject({
    method: 'POST',
    url: '/api/v1/organization/facilities',
    headers: bearer(t.admin.token),
    payload: { code: `PD${Date.now() % 100000}`, name: 'Pharmacy demo', timeZone: 'Asia/Kolkata' },
  });
  facilityId = f.json().id;
  const admin = await createTestUser(t.database, { roles: ['admin'], facilityId });
  headers = bearer(await signIn(t.app, admin.email), facilityId);
}, 120_000);
afterAll(() => t.close());

describe('the pharmacy demo', () => {
  it('stocks the stores with batches, reorder levels and alerts, once', async () => {
    await seedPharmacyDemo(t.app.deps, { facilityId });
    const stores = (await t.app.inject({ method: 'GET', url: '/api/v1/pharmacy/stores', headers })).json();
    expect(stores.map((s: { code: string }) => s.code).sort()).toEqual(['IP-PH', 'MAIN', 'OPD-PH']);
    const opd = stores.find((s: { code: string }) => s.code === 'OPD-PH');
    const stock = (
      await t.app.inject({ method: 'GET', url: `/api/v1/pharmacy/stores/${opd.id}/stock`, headers })
    ).json();
    expect(stock.length).toBeGreaterThanOrEqual(5);
    expect(stock.find((s: { genericName: string }) => s.genericName === 'Morphine')?.controlled).toBe(true);
    const alerts = (await t.app.inject({ method: 'GET', url: '/api/v1/pharmacy/alerts', headers })).json();
    expect(
      alerts.some((a: { kind: string; band: string | null }) => a.kind === 'expiry' && a.band === '30'),
    ).toBe(true);
    expect(
      alerts.some(
        (a: { kind: string; genericName: string }) => a.kind === 'reorder' && a.genericName === 'Ondansetron',
      ),
    ).toBe(true);
    await seedPharmacyDemo(t.app.deps, { facilityId });
    const again = (await t.app.inject({ method: 'GET', url: '/api/v1/pharmacy/stores', headers })).json();
    expect(again).toHaveLength(3);
  });
});
