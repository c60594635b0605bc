import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { auditEntries } from '../../platform/audit/audit.tables';
import { rowsOf } from '../../platform/db/raw-rows';
import { addDays } from '../../platform/time/facility-time';
import { invoices } from './billing.tables';
import {
  type AccountView,
  type ChargesWorld,
  type ChargeView,
  createChargesWorld,
} from './charges-test-support';

let t: TestApp;
let w: ChargesWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await createChargesWorld(t);
}, 180_000);
afterAll(() => t.close());

async function deskAccount(tariffClass = '*') {
  const patient = await w.patient();
  const account = await w.ok<{ id: string; version: number; kind: string; episodeKey: string }>(
    'POST',
    '/api/v1/billing/accounts',
    w.clerk.headers,
    { patientId: patient.id, tariffClass },
  );
  return { patient, account };
}
const detail = (id: string) => w.ok<AccountView>('GET', `/api/v1/billing/accounts/${id}`, w.clerk.headers);

describe('charges posted by hand', () => {
  it('prices a charge at its service date, and a later price change never alters it', async () => {
    // 1. The charge master lists a dressing at INR 300 (any class) and INR 450 in private rooms.
    const dressing = await w.service(
      { name: 'Wound dressing (small)', departmentId: w.departments.medicine },
      {
        '*': 30_000,
        private: 45_000,
      },
    );
    const { account } = await deskAccount();
    expect(account).toMatchObject({ kind: 'opd' });
    expect(account.episodeKey).toMatch(/^desk:/);

    // 2. The clerk posts two dressings given yesterday.
    const posted = await w.call('POST', '/api/v1/billing/charges', w.clerk.headers, {
      accountId: account.id,
      serviceCode: dressing.code,
      quantity: 2,
      serviceDate: addDays(w.today, -1),
      note: 'Left forearm',
    });
    expect(posted.statusCode).toBe(201);
    expect(posted.headers.etag).toBe('W/"1"');
    expect(posted.json()).toMatchObject({
      unitPrice: 30_000,
      amount: 60_000,
      currency: 'INR',
      quantity: 2,
      sourceType: 'manual',
      departmentId: w.departments.medicine,
      status: 'active',
    });

    // 3. The price goes up from today; the posted charge keeps its price, a new one takes the new price.
    await w.ok('POST', `/api/v1/billing/services/${dressing.id}/prices`, w.manager.headers, {
      tariffClass: '*',
      price: 35_000,
      validFrom: w.today,
    });
    const again = await w.ok<ChargeView>(
      'GET',
      `/api/v1/billing/charges/${posted.json().id}`,
      w.clerk.headers,
    );
    expect(again).toMatchObject({ unitPrice: 30_000, amount: 60_000 });
    const today = await w.ok<ChargeView>('POST', '/api/v1/billing/charges', w.clerk.headers, {
      accountId: account.id,
      serviceId: dressing.id,
    });
    expect(today.unitPrice).toBe(35_000);
    const backdated = await w.ok<ChargeView>('POST', '/api/v1/billing/charges', w.clerk.headers, {
      accountId: account.id,
      serviceId: dressing.id,
      serviceDate: addDays(w.today, -2),
    });
    expect(backdated.unitPrice).toBe(30_000);

    // 4. The account shows its charges and running totals; a private-room account gets the private rate.
    const d = await detail(account.id);
    expect(d.charges).toHaveLength(3);
    expect(d.totals).toMatchObject({
      charged: 125_000,
      billable: 125_000,
      unbilled: 125_000,
      activeCharges: 3,
    });
    const { account: privateAccount } = await deskAccount('private');
    const pvt = await w.ok<ChargeView>('POST', '/api/v1/billing/charges', w.clerk.headers, {
      accountId: privateAccount.id,
      serviceId: dressing.id,
    });
    expect(pvt).toMatchObject({ unitPrice: 45_000, tariffClass: 'private' });
  });

  it('refuses unknown services, unpriced services without a price, a price over the list price, and future dates', async () => {
    const { account } = await deskAccount();
    const listed = await w.service({}, { '*': 10_000 });
    const open = await w.service({ serviceGroup: 'consumable', name: 'Crepe bandage 10 cm' });
    const unknown = await w.call('POST', '/api/v1/billing/charges', w.clerk.headers, {
      accountId: account.id,
      serviceCode: 'NO-SUCH-CODE',
    });
    expect(unknown.json().code).toBe('BILLING_SERVICE_UNKNOWN');
    const unpriced = await w.call('POST', '/api/v1/billing/charges', w.clerk.headers, {
      accountId: account.id,
      serviceId: open.id,
    });
    expect([unpriced.statusCode, unpriced.json().code]).toEqual([422, 'BILLING_PRICE_NOT_FOUND']);
    const priced = await w.ok<ChargeView>('POST', '/api/v1/billing/charges', w.clerk.headers, {
      accountId: account.id,
      serviceId: open.id,
      unitPrice: 12_000,
      quantity: 3,
    });
    expect(priced.amount).toBe(36_000);
    const override = await w.call('POST', '/api/v1/billing/charges', w.clerk.headers, {
      accountId: account.id,
      serviceId: listed.id,
      unitPrice: 1,
    });
    expect(override.json().code).toBe('BILLING_PRICE_FIXED');
    const future = await w.call('POST', '/api/v1/billing/charges', w.clerk.headers, {
      accountId: account.id,
      serviceId: listed.id,
      serviceDate: addDays(w.today, 2),
    });
    expect(future.json().code).toBe('BILLING_SERVICE_DATE_FUTURE');
    const both = await w.call('POST', '/api/v1/billing/charges', w.clerk.headers, {
      accountId: account.id,
      serviceId: listed.id,
      serviceCode: 'X',
    });
    expect(both.statusCode).toBe(400);
  });

  it('cancels a charge with a reason (never deletes it), and refuses while a final invoice bills it', async () => {
    const service = await w.service({}, { '*': 20_000 });
    const { account, patient } = await deskAccount();
    const a = await w.ok<ChargeView>('POST', '/api/v1/billing/charges', w.clerk.headers, {
      accountId: account.id,
      serviceId: service.id,
    });
    const stale = await w.call('POST', `/api/v1/billing/charges/${a.id}/cancel`, w.clerk.headers, {
      reason: 'Wrong patient',
      version: 9,
    });
    expect(stale.statusCode).toBe(409);
    const ifMatch = await w.call(
      'POST',
      `/api/v1/billing/charges/${a.id}/cancel`,
      { ...w.clerk.headers, 'if-match': 'W/"7"' },
      {
        reason: 'Wrong patient',
        version: 1,
      },
    );
    expect(ifMatch.statusCode).toBe(412);
    const cancelled = await w.ok<ChargeView>(
      'POST',
      `/api/v1/billing/charges/${a.id}/cancel`,
      w.clerk.headers,
      {
        reason: 'Posted to the wrong patient',
        version: 1,
      },
    );
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Posted to the wrong patient',
      version: 2,
    });
    const twice = await w.call('POST', `/api/v1/billing/charges/${a.id}/cancel`, w.clerk.headers, {
      reason: 'Again',
      version: 2,
    });
    expect(twice.json().code).toBe('BILLING_CHARGE_CANCELLED');
    const d = await detail(account.id);
    expect(d.totals).toMatchObject({ charged: 0, activeCharges: 0, cancelledCharges: 1 });

    // A final invoice bills the second charge: only a credit note may undo it.
    const b = await w.ok<ChargeView>('POST', '/api/v1/billing/charges', w.clerk.headers, {
      accountId: account.id,
      serviceId: service.id,
    });
    const [invoice] = await t.database.db
      .insert(invoices)
      .values({
        facilityId: w.facilityId,
        accountId: account.id,
        patientId: patient.id,
        kind: 'opd',
        status: 'final',
        series: 'INV',
        financialYear: '2026-27',
        number: `T-${crypto.randomUUID().slice(0, 8)}`,
        gross: 20_000,
        total: 20_000,
        patientShare: 20_000,
      })
      .returning();
    await t.database.db.execute(
      sql`update billing.charges set invoice_id = ${invoice!.id} where id = ${b.id}`,
    );
    const refused = await w.call('POST', `/api/v1/billing/charges/${b.id}/cancel`, w.clerk.headers, {
      reason: 'Mistake',
      version: 1,
    });
    expect([refused.statusCode, refused.json().code]).toEqual([409, 'BILLING_CHARGE_INVOICED']);
    const audit = await t.database.db
      .select()
      .from(auditEntries)
      .where(sql`${auditEntries.resourceId} = ${a.id}`);
    expect(audit.map((e) => e.action).sort()).toEqual(['create', 'update']);
  });

  it('keeps billing to billing staff: a nurse gets 403, the front desk reads but does not charge', async () => {
    const service = await w.service({}, { '*': 20_000 });
    const { account } = await deskAccount();
    for (const [method, url, body] of [
      ['GET', `/api/v1/billing/accounts/${account.id}`, undefined],
      ['POST', '/api/v1/billing/charges', { accountId: account.id, serviceId: service.id }],
      ['POST', '/api/v1/billing/services', { code: 'NURSE', name: 'Nope', serviceGroup: 'other' }],
      ['GET', `/api/v1/billing/reports/revenue?from=${w.today}&to=${w.today}`, undefined],
    ] as const) {
      const res = await w.call(method, url, w.nurse.headers, body);
      expect(res.statusCode, url).toBe(403);
    }
    expect((await w.call('GET', `/api/v1/billing/accounts/${account.id}`, w.desk.headers)).statusCode).toBe(
      200,
    );
    const byDesk = await w.call('POST', '/api/v1/billing/charges', w.desk.headers, {
      accountId: account.id,
      serviceId: service.id,
    });
    expect(byDesk.statusCode).toBe(403);
    const byClerk = await w.call('POST', '/api/v1/billing/services', w.clerk.headers, {
      code: 'CLERK',
      name: 'Nope',
      serviceGroup: 'other',
    });
    expect(byClerk.statusCode).toBe(403);
  });

  it("lists a patient's accounts", async () => {
    const { account, patient } = await deskAccount();
    const list = await w.ok<{ items: { id: string }[] }>(
      'GET',
      `/api/v1/billing/patients/${patient.id}/accounts`,
      w.desk.headers,
    );
    expect(list.items.map((a) => a.id)).toEqual([account.id]);
  });
});

describe('orders', () => {
  it('charges an order by its code, reverses it when the order is cancelled, and lists unpriced orders until priced', async () => {
    const doctor = await w.doctor();
    const cbc = await w.service(
      {
        code: '58410-2',
        name: 'Complete blood count (CBC)',
        serviceGroup: 'investigation',
        departmentId: w.departments.laboratory,
      },
      { '*': 35_000 },
    );
    const patient = await w.patient();
    const encounter = await w.ok<{ id: string }>('POST', '/api/v1/encounters', w.admin.headers, {
      patientId: patient.id,
      class: 'ambulatory',
      practitionerId: doctor.id,
      departmentId: w.departments.medicine,
    });
    const order = async (body: Record<string, unknown>) =>
      w.ok<{ id: string; version: number }>(
        'POST',
        `/api/v1/encounters/${encounter.id}/orders`,
        w.admin.headers,
        body,
      );
    // 1. The doctor orders a CBC (by LOINC code), an ultrasound typed by name, and a test nobody priced yet.
    const a = await order({ category: 'laboratory', code: '58410-2', display: 'CBC' });
    const b = await order({ category: 'laboratory', code: '58410-2', display: 'CBC again' });
    const usg = await order({ category: 'imaging', display: 'Ultrasound abdomen' });
    await w.drain();
    await w.drain();
    let account = await w.accountOf(`encounter:${encounter.id}`);
    expect(account!.charges.map((c) => [c.serviceCode, c.sourceId, c.amount, c.departmentId])).toEqual([
      ['58410-2', a.id, 35_000, w.departments.laboratory],
      ['58410-2', b.id, 35_000, w.departments.laboratory],
    ]);
    expect(account!.charges[0]!.performerId).toBe(doctor.id);

    // 2. The second CBC is cancelled: its charge is reversed with the reason.
    await w.ok('POST', `/api/v1/encounters/${encounter.id}/orders/${b.id}/cancel`, w.admin.headers, {
      reason: 'Duplicate order',
      version: b.version,
    });
    await w.drain();
    account = await w.accountOf(`encounter:${encounter.id}`);
    expect(account!.charges.map((c) => [c.sourceId, c.status, c.cancelReason])).toEqual([
      [a.id, 'active', null],
      [b.id, 'cancelled', 'Order cancelled: Duplicate order'],
    ]);

    // 3. The ultrasound is listed as unpriced; once the charge master has it (by name), the clerk posts it.
    const unpriced = await w.ok<{ items: { orderId: string; display: string }[] }>(
      'GET',
      `/api/v1/billing/unpriced-orders?from=${w.today}&to=${w.today}`,
      w.clerk.headers,
    );
    expect(unpriced.items.map((o) => [o.orderId, o.display])).toEqual([[usg.id, 'Ultrasound abdomen']]);
    const early = await w.call('POST', `/api/v1/billing/unpriced-orders/${usg.id}/post`, w.clerk.headers, {});
    expect(early.json().code).toBe('BILLING_ORDER_UNPRICED');
    await w.service(
      { code: 'RAD-USG-ABD', name: 'Ultrasound abdomen', serviceGroup: 'imaging' },
      { '*': 120_000 },
    );
    const posted = await w.ok<ChargeView>(
      'POST',
      `/api/v1/billing/unpriced-orders/${usg.id}/post`,
      w.clerk.headers,
      {},
    );
    expect(posted).toMatchObject({
      serviceCode: 'RAD-USG-ABD',
      amount: 120_000,
      sourceType: 'encounters.order',
    });
    const none = await w.ok<{ items: unknown[] }>(
      'GET',
      `/api/v1/billing/unpriced-orders?from=${w.today}&to=${w.today}`,
      w.clerk.headers,
    );
    expect(none.items).toEqual([]);

    // 4. Revenue by department and service counts the active charges only.
    const revenue = await w.ok<{
      total: number;
      byDepartment: { key: string; amount: number }[];
      byService: { key: string; amount: number; quantity: number }[];
    }>('GET', `/api/v1/billing/reports/revenue?from=${w.today}&to=${w.today}`, w.admin.headers);
    expect(revenue.byService.find((s) => s.key === cbc.code)).toMatchObject({ amount: 35_000, quantity: 1 });
    expect(revenue.byDepartment.find((d) => d.key === w.departments.laboratory)?.amount).toBe(35_000);
    expect(revenue.total).toBe(revenue.byService.reduce((s, x) => s + x.amount, 0));
    const backwards = await w.call(
      'GET',
      `/api/v1/billing/reports/revenue?from=${w.today}&to=${addDays(w.today, -1)}`,
      w.admin.headers,
    );
    expect(backwards.statusCode).toBe(422);
  });
});

it('checks the facility of every row it reads back', async () => {
  const rows = await rowsOf<{ n: number }>(
    t.database.db,
    sql`select count(*)::int as n from billing.charges c join billing.accounts a on a.id = c.account_id
        where c.facility_id <> a.facility_id or c.patient_id <> a.patient_id`,
  );
  expect(rows[0]!.n).toBe(0);
});
