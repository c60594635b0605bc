import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { addDays } from '../../platform/time/facility-time';
import { seedBillingReference } from './billing-reference';
import { loadTaxRateRows } from './charge-master.service';
import { seedChargeMasterDemo } from './charges-demo';
import { type ChargesWorld, createChargesWorld, letters } from './charges-test-support';
import { taxRateFor } from './tax-rates';

let t: TestApp;
let w: ChargesWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await createChargesWorld(t);
}, 180_000);
afterAll(() => t.close());

type Price = {
  id: string;
  tariffClass: string;
  payerId: string | null;
  price: number;
  validFrom: string;
  validTo: string | null;
};

describe('tax codes and dated GST rows', () => {
  it('ships the GST codes once, however often the reference is loaded', async () => {
    await seedBillingReference(t.database.db);
    const { items } = await w.ok<{
      items: {
        code: string;
        hsnSac: string;
        rates: {
          setting: string;
          rateBp: number;
          minUnitPrice: number | null;
          validFrom: string;
          validTo: string | null;
        }[];
      }[];
    }>('GET', '/api/v1/billing/tax-codes', w.clerk.headers);
    const room = items.find((c) => c.code === 'ROOM')!;
    expect(room.hsnSac).toBe('9993');
    expect(room.rates.map((r) => [r.rateBp, r.minUnitPrice, r.validFrom])).toEqual(
      expect.arrayContaining([
        [0, null, '2017-07-01'],
        [500, 500_000, '2022-07-18'],
      ]),
    );
    expect(room.rates).toHaveLength(2);
    const medicine = items.find((c) => c.code === 'MEDICINE')!;
    expect(
      medicine.rates.filter((r) => r.setting === 'outpatient').map((r) => [r.rateBp, r.validFrom, r.validTo]),
    ).toEqual([
      [1200, '2017-07-01', '2025-09-22'],
      [500, '2025-09-22', null],
    ]);
  });

  it('adds a dated row that closes the open one, and refuses an overlap with 409', async () => {
    const code = `T${letters(5).toUpperCase()}`;
    const created = await w.call('POST', '/api/v1/billing/tax-codes', w.manager.headers, {
      code,
      name: 'Test levy',
      hsnSac: '9997',
    });
    expect(created.statusCode).toBe(201);
    expect(
      (await w.call('POST', '/api/v1/billing/tax-codes', w.manager.headers, { code, name: 'Again' }))
        .statusCode,
    ).toBe(409);
    await w.ok('POST', `/api/v1/billing/tax-codes/${code}/rates`, w.manager.headers, {
      rateBp: 1200,
      validFrom: '2020-01-01',
    });
    const next = await w.ok<{ validFrom: string }>(
      'POST',
      `/api/v1/billing/tax-codes/${code}/rates`,
      w.manager.headers,
      {
        rateBp: 500,
        validFrom: '2025-09-22',
        notification: 'Test notification',
      },
    );
    expect(next.validFrom).toBe('2025-09-22');
    const before = await w.call('POST', `/api/v1/billing/tax-codes/${code}/rates`, w.manager.headers, {
      rateBp: 0,
      validFrom: '2021-01-01',
    });
    expect([before.statusCode, before.json().code]).toEqual([409, 'BILLING_TAX_RATE_OVERLAP']);
    const { items } = await w.ok<{
      items: { code: string; rates: { rateBp: number; validFrom: string; validTo: string | null }[] }[];
    }>('GET', '/api/v1/billing/tax-codes', w.clerk.headers);
    expect(items.find((c) => c.code === code)!.rates.map((r) => [r.rateBp, r.validFrom, r.validTo])).toEqual([
      [1200, '2020-01-01', '2025-09-22'],
      [500, '2025-09-22', null],
    ]);
    const missing = await w.call('POST', '/api/v1/billing/tax-codes/NOPE/rates', w.manager.headers, {
      rateBp: 0,
      validFrom: '2021-01-01',
    });
    expect(missing.statusCode).toBe(404);
    const byClerk = await w.call('POST', `/api/v1/billing/tax-codes/${code}/rates`, w.clerk.headers, {
      rateBp: 0,
      validFrom: '2030-01-01',
    });
    expect(byClerk.statusCode).toBe(403);
  });
});

describe('services and prices', () => {
  it('creates, reads and edits a service with ETag and If-Match, and refuses duplicates and unknown tax codes', async () => {
    const code = `LAB-${letters(4).toUpperCase()}`;
    const created = await w.call('POST', '/api/v1/billing/services', w.manager.headers, {
      code,
      name: 'HbA1c',
      serviceGroup: 'investigation',
      departmentId: w.departments.laboratory,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      code,
      taxCode: 'HEALTHCARE',
      payWhen: 'after',
      active: true,
      version: 1,
    });
    const id = created.json().id as string;
    const dup = await w.call('POST', '/api/v1/billing/services', w.manager.headers, {
      code,
      name: 'Dup',
      serviceGroup: 'other',
    });
    expect([dup.statusCode, dup.json().code]).toEqual([409, 'BILLING_SERVICE_CODE_TAKEN']);
    const badTax = await w.call('POST', '/api/v1/billing/services', w.manager.headers, {
      code: `${code}-X`,
      name: 'Bad',
      serviceGroup: 'other',
      taxCode: 'NO-SUCH',
    });
    expect(badTax.json().code).toBe('BILLING_TAX_CODE_UNKNOWN');
    const read = await w.call('GET', `/api/v1/billing/services/${id}`, w.clerk.headers);
    expect(read.headers.etag).toBe('W/"1"');
    const stale = await w.call(
      'PATCH',
      `/api/v1/billing/services/${id}`,
      { ...w.manager.headers, 'if-match': 'W/"3"' },
      { name: 'x', version: 3 },
    );
    expect(stale.statusCode).toBe(409);
    const edited = await w.call(
      'PATCH',
      `/api/v1/billing/services/${id}`,
      { ...w.manager.headers, 'if-match': 'W/"1"' },
      {
        name: 'Glycated haemoglobin (HbA1c)',
        payWhen: 'before',
        version: 1,
      },
    );
    expect(edited.statusCode).toBe(200);
    expect(edited.headers.etag).toBe('W/"2"');
    expect(edited.json()).toMatchObject({
      name: 'Glycated haemoglobin (HbA1c)',
      payWhen: 'before',
      version: 2,
    });
    const found = await w.ok<{ items: { id: string }[] }>(
      'GET',
      `/api/v1/billing/services?q=glycated&serviceGroup=investigation`,
      w.clerk.headers,
    );
    expect(found.items.map((s) => s.id)).toEqual([id]);
  });

  it('closes the open price when a new one starts, refuses overlaps with 409, and falls back payer -> hospital, class -> any', async () => {
    const s = await w.service({ serviceGroup: 'room', taxCode: 'ROOM', name: 'Private room' });
    const payer = crypto.randomUUID();
    const add = (body: Record<string, unknown>) =>
      w.call('POST', `/api/v1/billing/services/${s.id}/prices`, w.manager.headers, body);
    expect((await add({ tariffClass: '*', price: 300_000, validFrom: '2025-04-01' })).statusCode).toBe(201);
    expect((await add({ tariffClass: 'private', price: 550_000, validFrom: '2025-04-01' })).statusCode).toBe(
      201,
    );
    expect((await add({ tariffClass: 'private', price: 600_000, validFrom: '2026-04-01' })).statusCode).toBe(
      201,
    );
    expect(
      (await add({ tariffClass: 'private', payerId: payer, price: 500_000, validFrom: '2025-04-01' }))
        .statusCode,
    ).toBe(201);
    const overlap = await add({ tariffClass: 'private', price: 1, validFrom: '2025-10-01' });
    expect([overlap.statusCode, overlap.json().code]).toEqual([409, 'BILLING_PRICE_OVERLAP']);
    const { items } = await w.ok<{ items: Price[] }>(
      'GET',
      `/api/v1/billing/services/${s.id}/prices`,
      w.clerk.headers,
    );
    expect(
      items
        .filter((p) => p.tariffClass === 'private' && !p.payerId)
        .map((p) => [p.price, p.validFrom, p.validTo]),
    ).toEqual([
      [600_000, '2026-04-01', null],
      [550_000, '2025-04-01', '2026-04-01'],
    ]);
    const quote = (q: string) =>
      w.ok<{ price: number; tariffClass: string; payerId: string | null }>(
        'GET',
        `/api/v1/billing/services/${s.id}/price?${q}`,
        w.clerk.headers,
      );
    expect(await quote('tariffClass=private&date=2026-03-31')).toMatchObject({
      price: 550_000,
      payerId: null,
    });
    expect(await quote('tariffClass=private&date=2026-04-01')).toMatchObject({ price: 600_000 });
    expect(await quote(`tariffClass=private&payerId=${payer}&date=2026-05-01`)).toMatchObject({
      price: 500_000,
      payerId: payer,
    });
    expect(await quote(`tariffClass=general&payerId=${payer}&date=2026-05-01`)).toMatchObject({
      price: 300_000,
      tariffClass: '*',
      payerId: null,
    });
    const before = await w.call(
      'GET',
      `/api/v1/billing/services/${s.id}/price?tariffClass=private&date=2024-01-01`,
      w.clerk.headers,
    );
    expect([before.statusCode, before.json().code]).toEqual([404, 'BILLING_PRICE_NOT_FOUND']);
  });
});

describe('packages', () => {
  it('creates a surgical package with inclusions, exclusions and a length of stay, and edits its items', async () => {
    const pkgService = await w.service(
      { serviceGroup: 'package', name: 'Laparoscopic cholecystectomy package' },
      { '*': 8_500_000 },
    );
    const implant = await w.service({ serviceGroup: 'consumable', name: 'Mesh implant' });
    const created = await w.call('POST', '/api/v1/billing/packages', w.manager.headers, {
      serviceId: pkgService.id,
      losLimitDays: 3,
      items: [
        { kind: 'include', serviceGroup: 'room' },
        { kind: 'include', serviceGroup: 'investigation', quantityLimit: 6 },
        { kind: 'exclude', serviceId: implant.id },
      ],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      serviceCode: pkgService.code,
      losLimitDays: 3,
      beyondLos: 'charge-per-day',
      items: [
        { kind: 'include', serviceGroup: 'room', serviceId: null, quantityLimit: null },
        { kind: 'include', serviceGroup: 'investigation', quantityLimit: 6 },
        { kind: 'exclude', serviceId: implant.id, serviceCode: implant.code },
      ],
    });
    const again = await w.call('POST', '/api/v1/billing/packages', w.manager.headers, {
      serviceId: pkgService.id,
    });
    expect(again.json().code).toBe('BILLING_PACKAGE_EXISTS');
    const notPackage = await w.call('POST', '/api/v1/billing/packages', w.manager.headers, {
      serviceId: implant.id,
    });
    expect(notPackage.json().code).toBe('BILLING_NOT_A_PACKAGE_SERVICE');
    const both = await w.call('POST', '/api/v1/billing/packages', w.manager.headers, {
      serviceId: pkgService.id,
      items: [{ kind: 'include', serviceId: implant.id, serviceGroup: 'room' }],
    });
    expect(both.statusCode).toBe(400);
    const edited = await w.ok<{ version: number; items: unknown[]; beyondLos: string }>(
      'PATCH',
      `/api/v1/billing/packages/${created.json().id}`,
      w.manager.headers,
      { beyondLos: 'absorb', items: [{ kind: 'include', serviceGroup: 'room' }], version: 1 },
    );
    expect(edited).toMatchObject({
      version: 2,
      beyondLos: 'absorb',
      items: [{ kind: 'include', serviceGroup: 'room' }],
    });
    const list = await w.ok<{ items: { id: string }[] }>('GET', '/api/v1/billing/packages', w.clerk.headers);
    expect(list.items.map((p) => p.id)).toContain(created.json().id);
  });

  it('refuses a price dated before an open price of the same class (the closed history stays)', async () => {
    const s = await w.service({}, { '*': 10_000 }, addDays(w.today, -10));
    const res = await w.call('POST', `/api/v1/billing/services/${s.id}/prices`, w.manager.headers, {
      tariffClass: '*',
      price: 9_000,
      validFrom: addDays(w.today, -20),
    });
    expect(res.statusCode).toBe(409);
  });
});

describe('the demo charge master', () => {
  it('seeds once, with a private room above INR 5,000/day that draws 5% GST and an ICU bed that does not', async () => {
    const deps = t.app.deps;
    await seedChargeMasterDemo(deps, { facilityId: w.facilityId, userIds: {} });
    await seedChargeMasterDemo(deps, { facilityId: w.facilityId, userIds: {} });
    const page = await w.ok<{
      items: { code: string; id: string; taxCode: string; intensiveCare: boolean }[];
    }>('GET', '/api/v1/billing/services?q=ROOM-&limit=200', w.clerk.headers);
    const byCode = new Map(page.items.map((s) => [s.code, s]));
    const rows = await loadTaxRateRows(t.database.db, ['ROOM']);
    const quote = (code: string, tariffClass: string) =>
      w.ok<{ price: number }>(
        'GET',
        `/api/v1/billing/services/${byCode.get(code)!.id}/price?tariffClass=${tariffClass}`,
        w.clerk.headers,
      );
    const pvt = await quote('ROOM-PVT', 'private');
    expect(pvt.price).toBeGreaterThan(500_000);
    expect(
      taxRateFor(rows, { taxCode: 'ROOM', setting: 'inpatient', unitPrice: pvt.price, date: w.today })
        ?.rateBp,
    ).toBe(500);
    const icu = await quote('ROOM-ICU', 'icu');
    expect(byCode.get('ROOM-ICU')!.intensiveCare).toBe(true);
    expect(
      taxRateFor(rows, {
        taxCode: 'ROOM',
        setting: 'inpatient',
        unitPrice: icu.price,
        date: w.today,
        intensiveCare: true,
      })?.rateBp,
    ).toBe(0);
    const all = await w.ok<{ items: unknown[] }>(
      'GET',
      '/api/v1/billing/services?limit=200&q=',
      w.clerk.headers,
    );
    const packages = await w.ok<{ items: { serviceCode: string; losLimitDays: number }[] }>(
      'GET',
      '/api/v1/billing/packages',
      w.clerk.headers,
    );
    expect(packages.items.filter((p) => p.serviceCode === 'PKG-LAP-CHOLE')).toEqual([
      expect.objectContaining({ losLimitDays: 3 }),
    ]);
    expect(all.items.length).toBeGreaterThan(40);
  });
});
