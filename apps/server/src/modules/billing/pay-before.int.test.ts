import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { type ChargesWorld, createChargesWorld, letters } from './charges-test-support';
import { paymentStatusOfSource } from './index';

// Pay before or after service (issue 6): a service of the charge master paid before it is given is listed for
// the cashier until the OPD bill that carries it is paid in full; its source's payment status says so.

let t: TestApp;
let w: ChargesWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await createChargesWorld(t);
}, 180_000);
afterAll(() => t.close());

type ChargeOut = { id: string; sourceType: string; sourceId: string; payWhen: string; paid: boolean };
type Due = {
  chargeId: string;
  accountId: string;
  patientName: string;
  mrn: string;
  invoiceId: string | null;
};
type DuePage = { items: Due[]; nextCursor: string | null };
type Status = { charged: boolean; payBefore: boolean; paid: boolean; chargeIds: string[] };

const due = (query = '') =>
  w.ok<DuePage>('GET', `/api/v1/billing/due-before-service${query}`, w.clerk.headers);
const status = (c: { sourceType: string; sourceId: string }) =>
  w.ok<Status>(
    'GET',
    `/api/v1/billing/charges/payment-status?sourceType=${encodeURIComponent(c.sourceType)}&sourceId=${encodeURIComponent(c.sourceId)}`,
    w.desk.headers,
  );
const accountCharges = async (accountId: string) =>
  (await w.ok<{ charges: ChargeOut[] }>('GET', `/api/v1/billing/accounts/${accountId}`, w.clerk.headers))
    .charges;

async function openShift() {
  const counter = await w.ok<{ id: string }>('POST', '/api/v1/billing/counters', w.admin.headers, {
    code: `C-${letters(5).toUpperCase()}`,
    name: `Counter ${letters(4)}`,
  });
  await w.ok('POST', '/api/v1/billing/cashier/shifts', w.clerk.headers, {
    counterId: counter.id,
    openingFloat: 0,
  });
}

describe('pay before service', () => {
  it('lists a pay-before charge until its OPD bill is paid in full; a pay-after charge never', async () => {
    // 1. An X-ray is paid before it is taken (INR 400); a dressing after it is done (INR 200).
    const xray = await w.service(
      { name: 'Chest X-ray PA view', serviceGroup: 'imaging', payWhen: 'before' },
      { '*': 40_000 },
    );
    const dressing = await w.service({ name: 'Wound dressing', payWhen: 'after' }, { '*': 20_000 });
    const patient = await w.patient();
    const account = await w.ok<{ id: string }>('POST', '/api/v1/billing/accounts', w.clerk.headers, {
      patientId: patient.id,
    });
    const first = await w.ok<ChargeOut>('POST', '/api/v1/billing/charges', w.clerk.headers, {
      accountId: account.id,
      serviceId: xray.id,
    });
    expect(first).toMatchObject({ payWhen: 'before', paid: false });
    const after = await w.ok<ChargeOut>('POST', '/api/v1/billing/charges', w.clerk.headers, {
      accountId: account.id,
      serviceId: dressing.id,
    });
    expect(after).toMatchObject({ payWhen: 'after', paid: false });

    // 2. The cashier's list shows the X-ray (with the patient), not the dressing.
    const listed = (await due()).items;
    expect(listed.map((d) => d.chargeId)).toContain(first.id);
    expect(listed.map((d) => d.chargeId)).not.toContain(after.id);
    expect(listed.find((d) => d.chargeId === first.id)).toMatchObject({
      accountId: account.id,
      patientName: patient.displayName,
      invoiceId: null,
    });
    expect(listed.find((d) => d.chargeId === first.id)!.mrn).not.toBe('');
    // The source's status, for the radiographer's desk (the front desk may read it too).
    expect(await status(first)).toEqual({
      sourceType: first.sourceType,
      sourceId: first.sourceId,
      charged: true,
      payBefore: true,
      paid: false,
      chargeIds: [first.id],
    });
    expect(await status(after)).toMatchObject({ charged: true, payBefore: false, paid: false });
    expect(await status({ sourceType: 'encounters.order', sourceId: crypto.randomUUID() })).toMatchObject({
      charged: false,
      payBefore: false,
      paid: false,
      chargeIds: [],
    });
    // Other modules ask billing directly.
    expect(
      await paymentStatusOfSource(t.database.db, {
        facilityId: w.facilityId,
        sourceType: first.sourceType,
        sourceId: first.sourceId,
      }),
    ).toMatchObject({ charged: true, payBefore: true, paid: false });

    // 3. The OPD bill is issued (INR 600): still due (billed, not paid), now with its bill.
    const detail = await w.ok<{ version: number }>(
      'GET',
      `/api/v1/billing/accounts/${account.id}`,
      w.clerk.headers,
    );
    const bill = await w.ok<{ id: string; patientShare: number; total: number }>(
      'POST',
      `/api/v1/billing/accounts/${account.id}/invoices`,
      w.clerk.headers,
      { kind: 'opd', version: detail.version },
    );
    expect(bill.patientShare).toBe(60_000);
    expect((await due()).items.find((d) => d.chargeId === first.id)).toMatchObject({ invoiceId: bill.id });

    // 4. Half is paid by UPI: not paid yet.
    await openShift();
    const pay = (amount: number, reference: string) =>
      w.ok('POST', '/api/v1/billing/payments', w.clerk.headers, {
        patientId: patient.id,
        accountId: account.id,
        kind: 'payment',
        mode: 'upi',
        reference,
        amount,
        allocations: [{ invoiceId: bill.id, amount }],
      });
    await pay(30_000, `UPI-${letters(6)}`);
    expect((await status(first)).paid).toBe(false);
    expect((await due()).items.map((d) => d.chargeId)).toContain(first.id);

    // 5. The rest is paid: both charges are paid, and the X-ray leaves the list.
    await pay(30_000, `UPI-${letters(6)}`);
    expect(await status(first)).toMatchObject({ charged: true, payBefore: true, paid: true });
    expect((await due()).items.map((d) => d.chargeId)).not.toContain(first.id);
    const charges = await accountCharges(account.id);
    expect(charges.find((c) => c.id === first.id)).toMatchObject({ payWhen: 'before', paid: true });
    expect(charges.find((c) => c.id === after.id)).toMatchObject({ payWhen: 'after', paid: true });
    const one = await w.ok<ChargeOut>('GET', `/api/v1/billing/charges/${first.id}`, w.clerk.headers);
    expect(one.paid).toBe(true);
  });

  it("pages the list, today's first, and cancelled charges leave it", async () => {
    const test = await w.service({ name: 'Ultrasound abdomen', payWhen: 'before' }, { '*': 90_000 });
    const patient = await w.patient();
    const account = await w.ok<{ id: string }>('POST', '/api/v1/billing/accounts', w.clerk.headers, {
      patientId: patient.id,
    });
    const post = (serviceDate?: string) =>
      w.ok<ChargeOut & { version: number }>('POST', '/api/v1/billing/charges', w.clerk.headers, {
        accountId: account.id,
        serviceId: test.id,
        ...(serviceDate ? { serviceDate } : {}),
      });
    const yesterday = new Date(Date.parse(`${w.today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const old = await post(yesterday);
    const fresh = await post();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const pageOf: DuePage = await due(`?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(pageOf.items.length).toBeLessThanOrEqual(1);
      seen.push(...pageOf.items.map((d) => d.chargeId));
      cursor = pageOf.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.indexOf(fresh.id)).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf(fresh.id)).toBeLessThan(seen.indexOf(old.id));
    // Only today's, when asked for one day.
    const today = (await due('?days=1')).items.map((d) => d.chargeId);
    expect(today).toContain(fresh.id);
    expect(today).not.toContain(old.id);
    // A cancelled charge is not due, and its source is no longer charged.
    await w.ok('POST', `/api/v1/billing/charges/${old.id}/cancel`, w.clerk.headers, {
      reason: 'Posted twice',
      version: old.version,
    });
    expect((await due()).items.map((d) => d.chargeId)).not.toContain(old.id);
    expect(await status(old)).toMatchObject({ charged: false, paid: false });
    expect(
      (await w.call('GET', '/api/v1/billing/due-before-service?cursor=bogus', w.clerk.headers)).statusCode,
    ).toBe(400);
  });

  it('keeps both routes to billing:read (a nurse gets 403)', async () => {
    for (const url of [
      '/api/v1/billing/due-before-service',
      `/api/v1/billing/charges/payment-status?sourceType=manual&sourceId=${crypto.randomUUID()}`,
    ]) {
      expect((await w.call('GET', url, w.nurse.headers)).statusCode).toBe(403);
      expect((await w.call('GET', url, w.desk.headers)).statusCode).toBe(200);
    }
  });
});
