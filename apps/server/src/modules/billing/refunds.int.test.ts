import type { RefundsReport } from '@newhms/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { payments } from './billing.tables';
import { localDateOf } from './cashier.service';
import { financialYearOf } from './payments-rules';
import { createPaymentsWorld, type PaymentsWorld } from './payments-test-support';

// Refunds: requested from a payment's unallocated rest, approved by someone else, paid out, numbered.

let t: TestApp;
let w: PaymentsWorld;
const base = '/api/v1/billing';

beforeAll(async () => {
  t = await createTestApp();
  w = await createPaymentsWorld(t);
  await w.openShift(w.clerk, 0);
}, 120_000);
afterAll(() => t.close());

async function paid(amount: number) {
  const patient = await w.patient();
  const p = await w.ok<{ id: string; patientId: string }>('POST', `${base}/payments`, w.clerk.headers, {
    patientId: patient.id,
    kind: 'deposit',
    mode: 'cash',
    amount,
  });
  return p;
}
const request = (paymentId: string, amount: number, mode = 'cash', headers = w.clerk.headers) =>
  w.call('POST', `${base}/refunds`, headers, { paymentId, amount, reason: 'Discharged early', mode });

describe('refunds', () => {
  it('are requested, approved by someone else, paid out and numbered', async () => {
    const p = await paid(50_000);
    const r = await request(p.id, 20_000);
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ status: 'requested', refundNumber: null, amount: 20_000 });
    const own = await w.call('POST', `${base}/refunds/${r.json().id}/approve`, w.clerk.headers, {
      version: 1,
    });
    expect(own.statusCode).toBe(403); // billing-clerk lacks billing:approve
    const approved = await w.ok<{ version: number; status: string }>(
      'POST',
      `${base}/refunds/${r.json().id}/approve`,
      w.manager.headers,
      { version: 1, note: 'OK' },
    );
    expect(approved.status).toBe('approved');
    const [row] = await t.database.db.select().from(payments).where(eq(payments.id, p.id));
    expect(row!.refunded).toBe(20_000); // reserved at approval
    const out = await w.ok<{ refundNumber: string; status: string; sessionId: string }>(
      'POST',
      `${base}/refunds/${r.json().id}/pay`,
      w.clerk.headers,
      { version: approved.version },
    );
    const fy = financialYearOf(localDateOf(new Date(), 'Asia/Kolkata'));
    expect(out.status).toBe('paid');
    expect(out.refundNumber).toMatch(new RegExp(`^RF/${fy}/\\d{6}$`));
    expect(out.sessionId).not.toBeNull();
    expect(await w.events('billing.refund.paid', r.json().id)).toEqual([
      expect.objectContaining({ refundNumber: out.refundNumber, amount: 20_000 }),
    ]);
    const again = await w.call('POST', `${base}/refunds/${r.json().id}/pay`, w.clerk.headers, { version: 3 });
    expect(again.statusCode).toBe(409);
    const pdf = await w.call('GET', `${base}/refunds/${r.json().id}/voucher.pdf`, w.clerk.headers);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('are never decided by their requester', async () => {
    const p = await paid(1_000);
    const r = await request(p.id, 500, 'cash', w.manager.headers);
    const self = await w.call('POST', `${base}/refunds/${r.json().id}/approve`, w.manager.headers, {
      version: 1,
    });
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe('BILLING_OWN_REFUND');
    const rejected = await w.ok<{ status: string }>(
      'POST',
      `${base}/refunds/${r.json().id}/reject`,
      w.admin.headers,
      {
        version: 1,
        note: 'Not eligible',
      },
    );
    expect(rejected.status).toBe('rejected');
    const payRejected = await w.call('POST', `${base}/refunds/${r.json().id}/pay`, w.clerk.headers, {
      version: 2,
    });
    expect(payRejected.statusCode).toBe(409);
  });

  it('never exceed what was paid and not allocated, nor what other requests already ask', async () => {
    const p = await paid(10_000);
    const account = await w.account(p.patientId);
    const bill = await w.invoice(account, { patientShare: 4_000 });
    await w.ok('POST', `${base}/payments/${p.id}/allocations`, w.clerk.headers, {
      allocations: [{ invoiceId: bill.id, amount: 4_000 }],
    });
    const tooMuch = await request(p.id, 6_001);
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().code).toBe('BILLING_REFUND_EXCEEDS_AVAILABLE');
    expect((await request(p.id, 4_000)).statusCode).toBe(201);
    expect((await request(p.id, 2_001)).statusCode).toBe(409);
    expect((await request(p.id, 2_000)).statusCode).toBe(201);
  });

  it('when two approvals race for the same rest, only one reserves it', async () => {
    const p = await paid(10_000);
    const r1 = (await request(p.id, 6_000)).json();
    const r2 = (await request(p.id, 4_000)).json();
    // Meanwhile 2,000 of the payment go to a bill: the two refunds no longer fit together.
    const account = await w.account(p.patientId);
    const bill = await w.invoice(account, { patientShare: 2_000 });
    await w.ok('POST', `${base}/payments/${p.id}/allocations`, w.clerk.headers, {
      allocations: [{ invoiceId: bill.id, amount: 2_000 }],
    });
    const results = await Promise.all(
      [r1, r2].map((r) =>
        w.call('POST', `${base}/refunds/${r.id}/approve`, w.manager.headers, { version: 1 }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const [row] = await t.database.db.select().from(payments).where(eq(payments.id, p.id));
    expect(row!.allocated + row!.refunded).toBeLessThanOrEqual(row!.amount);
    // And once reserved, an allocation cannot take the money back.
    const after = await w.ok<{ available: number }>('GET', `${base}/payments/${p.id}`, w.clerk.headers);
    expect(after.available).toBe(10_000 - 2_000 - row!.refunded);
  });

  it('need a reference to pay out other than in cash, and an open shift for cash', async () => {
    const p = await paid(3_000);
    const r = (await request(p.id, 1_000, 'bank-transfer')).json();
    const ok = await w.ok<{ version: number }>('POST', `${base}/refunds/${r.id}/approve`, w.manager.headers, {
      version: 1,
    });
    const noRef = await w.call('POST', `${base}/refunds/${r.id}/pay`, w.clerk.headers, {
      version: ok.version,
    });
    expect(noRef.statusCode).toBe(422);
    const cash = (await request(p.id, 1_000)).json();
    const ok2 = await w.ok<{ version: number }>(
      'POST',
      `${base}/refunds/${cash.id}/approve`,
      w.manager.headers,
      {
        version: 1,
      },
    );
    const noShift = await w.call('POST', `${base}/refunds/${cash.id}/pay`, w.clerk2.headers, {
      version: ok2.version,
    });
    expect(noShift.json().code).toBe('BILLING_NO_OPEN_SHIFT');
    const done = await w.ok('POST', `${base}/refunds/${r.id}/pay`, w.clerk2.headers, {
      version: ok.version,
      reference: 'NEFT-123',
    });
    expect(done).toMatchObject({ status: 'paid', reference: 'NEFT-123', sessionId: null });
  });

  it('are reported by who requested, approved and paid them', async () => {
    const today = localDateOf(new Date(), 'Asia/Kolkata');
    const report = await w.ok<RefundsReport>(
      'GET',
      `${base}/reports/refunds?from=${today}&to=${today}`,
      w.auditor.headers,
    );
    expect(report.count).toBeGreaterThanOrEqual(2);
    expect(report.byApprover).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Manager Meera' })]),
    );
    expect(report.byPaidBy.map((x) => x.name)).toEqual(
      expect.arrayContaining(['Cashier Chitra', 'Cashier Kiran']),
    );
    expect(report.total).toBe(report.refunds.reduce((s, r) => s + r.amount, 0));
    expect(
      (await w.call('GET', `${base}/reports/refunds?from=${today}&to=${today}`, w.clerk.headers)).statusCode,
    ).toBe(403);
  });
});
