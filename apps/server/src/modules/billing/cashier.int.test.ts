import type { DayEndReport } from '@newhms/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { localDateOf } from './cashier.service';
import { createPaymentsWorld, type PaymentsWorld } from './payments-test-support';

// The cashier's day: counters, a shift opened with a float, money in and out, the closing with the cash counted,
// and the day end per cashier and counter.

let t: TestApp;
let w: PaymentsWorld;
const base = '/api/v1/billing';

beforeAll(async () => {
  t = await createTestApp();
  w = await createPaymentsWorld(t);
}, 120_000);
afterAll(() => t.close());

describe('counters', () => {
  it('are set up by billing:manage only, with unique codes', async () => {
    const body = { code: 'MAIN-1', name: 'Main cash counter' };
    expect((await w.call('POST', `${base}/counters`, w.clerk.headers, body)).statusCode).toBe(403);
    const made = await w.call('POST', `${base}/counters`, w.manager.headers, body);
    expect(made.statusCode).toBe(201);
    const again = await w.call('POST', `${base}/counters`, w.manager.headers, body);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('BILLING_COUNTER_CODE_TAKEN');
    const renamed = await w.ok('PATCH', `${base}/counters/${made.json().id}`, w.manager.headers, {
      name: 'Main counter, ground floor',
      active: false,
    });
    expect(renamed).toMatchObject({ name: 'Main counter, ground floor', active: false });
    const list = await w.ok<{ items: { id: string }[] }>('GET', `${base}/counters`, w.clerk.headers);
    expect(list.items.map((c) => c.id)).toContain(made.json().id);
    // An inactive counter takes no shift.
    const shift = await w.call('POST', `${base}/cashier/shifts`, w.clerk.headers, {
      counterId: made.json().id,
    });
    expect(shift.statusCode).toBe(422);
  });
});

describe("a cashier's shift", () => {
  it('opens once per cashier and per counter', async () => {
    const cashier = await w.staff(['billing-clerk'], 'Cashier One');
    const other = await w.staff(['billing-clerk'], 'Cashier Two');
    const counter = await w.counter();
    const first = await w.call('POST', `${base}/cashier/shifts`, cashier.headers, { counterId: counter.id });
    expect(first.statusCode).toBe(201);
    const twice = await w.call('POST', `${base}/cashier/shifts`, cashier.headers, {
      counterId: (await w.counter()).id,
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('BILLING_SHIFT_ALREADY_OPEN');
    const busy = await w.call('POST', `${base}/cashier/shifts`, other.headers, { counterId: counter.id });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().code).toBe('BILLING_COUNTER_BUSY');
    expect(
      (await w.call('POST', `${base}/cashier/shifts`, w.nurse.headers, { counterId: counter.id })).statusCode,
    ).toBe(403);
  });

  it('closes with expected cash = float + cash in - cash refunds out, records the difference, and is final', async () => {
    const cashier = await w.staff(['billing-clerk'], 'Cashier Three');
    const shift = await w.openShift(cashier, 100_000);
    const patient = await w.patient();
    const take = (body: Record<string, unknown>) =>
      w.ok<{ id: string }>('POST', `${base}/payments`, cashier.headers, {
        patientId: patient.id,
        kind: 'payment',
        mode: 'cash',
        ...body,
      });
    const cash = await take({ amount: 50_000 });
    await take({ amount: 20_000, mode: 'card', reference: 'APPR-1' });
    await take({ amount: 30_000, mode: 'upi', reference: 'UPI-1', kind: 'deposit' });
    // A cash refund of 15,000 paid out in the shift.
    const refund = await w.ok<{ id: string; version: number }>('POST', `${base}/refunds`, cashier.headers, {
      paymentId: cash.id,
      amount: 15_000,
      reason: 'Paid twice',
      mode: 'cash',
    });
    const approved = await w.ok<{ version: number }>(
      'POST',
      `${base}/refunds/${refund.id}/approve`,
      w.manager.headers,
      {
        version: refund.version,
      },
    );
    await w.ok('POST', `${base}/refunds/${refund.id}/pay`, cashier.headers, { version: approved.version });

    const live = await w.ok<Record<string, unknown>>(
      'GET',
      `${base}/cashier/shifts/current`,
      cashier.headers,
    );
    expect(live).toMatchObject({
      status: 'open',
      expectedCash: 100_000 + 50_000 - 15_000,
      totals: { cash: 50_000, card: 20_000, upi: 30_000, 'bank-transfer': 0, cheque: 0 },
      refundTotals: { cash: 15_000 },
      receiptsCount: 3,
      refundsCount: 1,
    });
    // Another cashier without billing:approve may not close it.
    const foreign = await w.call('POST', `${base}/cashier/shifts/${shift.id}/close`, w.clerk.headers, {
      countedCash: 0,
      version: shift.version,
    });
    expect(foreign.statusCode).toBe(403);
    const closed = await w.ok<Record<string, unknown>>(
      'POST',
      `${base}/cashier/shifts/${shift.id}/close`,
      cashier.headers,
      {
        countedCash: 134_500,
        note: 'Short by 500',
        version: shift.version,
      },
    );
    expect(closed).toMatchObject({
      status: 'closed',
      expectedCash: 135_000,
      countedCash: 134_500,
      difference: -500,
      totals: { cash: 50_000, card: 20_000, upi: 30_000 },
    });
    const again = await w.call('POST', `${base}/cashier/shifts/${shift.id}/close`, cashier.headers, {
      countedCash: 135_000,
      version: closed.version,
    });
    expect(again.statusCode).toBe(409);
    const after = await w.call('POST', `${base}/payments`, cashier.headers, {
      patientId: patient.id,
      kind: 'payment',
      mode: 'cash',
      amount: 100,
    });
    expect(after.json().code).toBe('BILLING_NO_OPEN_SHIFT');
    const pdf = await w.call('GET', `${base}/cashier/shifts/${shift.id}/summary.pdf`, cashier.headers);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('adds up the day per cashier and counter', async () => {
    const day = await createPaymentsWorld(t);
    const a = await day.openShift(day.clerk, 10_000);
    const b = await day.openShift(day.clerk2, 5_000);
    const patient = await day.patient();
    const take = (who: { headers: Record<string, string> }, amount: number, mode = 'cash') =>
      day.ok('POST', `${base}/payments`, who.headers, {
        patientId: patient.id,
        kind: 'payment',
        mode,
        amount,
        ...(mode === 'cash' ? {} : { reference: 'REF' }),
      });
    await take(day.clerk, 1_000);
    await take(day.clerk, 2_000, 'card');
    await take(day.clerk2, 4_000);
    await day.ok('POST', `${base}/cashier/shifts/${a.id}/close`, day.clerk.headers, {
      countedCash: 11_000,
      version: a.version,
    });
    const today = localDateOf(new Date(), 'Asia/Kolkata');
    const report = await day.ok<DayEndReport>(
      'GET',
      `${base}/cashier/day-end?date=${today}`,
      day.manager.headers,
    );
    expect(report).toMatchObject({
      businessDate: today,
      totals: { cash: 5_000, card: 2_000 },
      receiptsCount: 3,
      expectedCash: 11_000 + 9_000,
      openShifts: 1,
    });
    const byCashier = Object.fromEntries(report.byCashier.map((c) => [c.cashierName, c]));
    expect(byCashier['Cashier Chitra']).toMatchObject({
      expectedCash: 11_000,
      countedCash: 11_000,
      difference: 0,
    });
    expect(byCashier['Cashier Kiran']).toMatchObject({
      expectedCash: 9_000,
      countedCash: null,
      openShifts: 1,
    });
    expect(report.byCounter.map((c) => c.counterId).sort()).toEqual([a.counterId, b.counterId].sort());
    expect((await day.call('GET', `${base}/cashier/day-end`, day.nurse.headers)).statusCode).toBe(403);
  });
});
