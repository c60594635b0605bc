import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { systemCtx } from '../../platform/context';
import { allocations, payments } from './billing.tables';
import { localDateOf } from './cashier.service';
import { reverseAllocationsOf } from './payments.service';
import { financialYearOf } from './payments-rules';
import { createPaymentsWorld, type PaymentsWorld } from './payments-test-support';

// Payments and deposits at the counter: receipt numbers, allocation to bills (named, automatic, concurrent),
// balances and the deposit ledger, the reversal of allocations by a credit note, receipts and reports.

let t: TestApp;
let w: PaymentsWorld;
const base = '/api/v1/billing';

beforeAll(async () => {
  t = await createTestApp();
  w = await createPaymentsWorld(t);
  await w.openShift(w.clerk, 50_000);
}, 120_000);
afterAll(() => t.close());

const pay = (body: Record<string, unknown>, headers = w.clerk.headers) =>
  w.call('POST', `${base}/payments`, headers, { kind: 'payment', mode: 'cash', ...body });

describe('taking payments', () => {
  it('numbers receipts gaplessly per facility and financial year, in the facility time zone', async () => {
    const patient = await w.patient();
    const a = await pay({ patientId: patient.id, amount: 10_000 });
    const b = await pay({ patientId: patient.id, amount: 20_000, mode: 'upi', reference: 'UPI-4711' });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    const fy = financialYearOf(localDateOf(new Date(), 'Asia/Kolkata'));
    const [na, nb] = [a.json().receiptNumber as string, b.json().receiptNumber as string];
    expect(na).toMatch(new RegExp(`^RCP/${fy}/\\d{6}$`));
    expect(Number(nb.slice(-6))).toBe(Number(na.slice(-6)) + 1);
    expect(b.json()).toMatchObject({
      mode: 'upi',
      reference: 'UPI-4711',
      available: 20_000,
      currency: 'INR',
    });
    expect(a.headers.location).toBe(`${base}/payments/${a.json().id}`);
    // The event for other modules.
    const events = await w.events('billing.payment.received', a.json().id);
    expect(events).toEqual([expect.objectContaining({ receiptNumber: na, amount: 10_000, mode: 'cash' })]);
  });

  it('requires a reference for every mode but cash', async () => {
    const patient = await w.patient();
    const res = await pay({ patientId: patient.id, amount: 100, mode: 'card' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toContain('reference');
  });

  it('refuses to take money without an open shift', async () => {
    const patient = await w.patient();
    const res = await pay({ patientId: patient.id, amount: 100 }, w.clerk2.headers);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('BILLING_NO_OPEN_SHIFT');
  });

  it('refuses an unknown patient or another patient’s account', async () => {
    const patient = await w.patient();
    const other = await w.patient();
    const account = await w.account(other.id);
    expect((await pay({ patientId: crypto.randomUUID(), amount: 100 })).statusCode).toBe(422);
    const res = await pay({ patientId: patient.id, accountId: account.id, amount: 100 });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('BILLING_ACCOUNT_NOT_FOUND');
  });

  it('allows only roles with billing:collect to take payments, billing:read to see them', async () => {
    const patient = await w.patient();
    expect((await pay({ patientId: patient.id, amount: 100 }, w.nurse.headers)).statusCode).toBe(403);
    expect((await pay({ patientId: patient.id, amount: 100 }, w.auditor.headers)).statusCode).toBe(403);
    expect((await w.call('GET', `${base}/payments`, w.nurse.headers)).statusCode).toBe(403);
    expect((await w.call('GET', `${base}/payments?patientId=${patient.id}`, w.desk.headers)).statusCode).toBe(
      200,
    );
  });
});

describe('allocating to bills', () => {
  it('pays named bills at once and keeps payment and bill in step', async () => {
    const patient = await w.patient();
    const account = await w.account(patient.id);
    const bill = await w.invoice(account, { patientShare: 30_000 });
    const res = await pay({
      patientId: patient.id,
      accountId: account.id,
      amount: 50_000,
      allocations: [{ invoiceId: bill.id, amount: 30_000 }],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ allocated: 30_000, available: 20_000 });
    expect(res.json().allocations).toEqual([
      expect.objectContaining({ invoiceId: bill.id, invoiceNumber: bill.number, amount: 30_000 }),
    ]);
    expect((await w.invoiceRow(bill.id)).paid).toBe(30_000);
  });

  it('allocates automatically to the account’s bills first, then the patient’s oldest', async () => {
    const patient = await w.patient();
    const older = await w.account(patient.id);
    const current = await w.account(patient.id);
    const oldBill = await w.invoice(older, {
      patientShare: 4_000,
      issuedAt: new Date('2026-04-02T10:00:00Z'),
    });
    const oldest = await w.invoice(older, {
      patientShare: 3_000,
      issuedAt: new Date('2026-04-01T10:00:00Z'),
    });
    const own = await w.invoice(current, { patientShare: 5_000, issuedAt: new Date('2026-04-03T10:00:00Z') });
    const interim = await w.invoice(current, { patientShare: 9_000, kind: 'ipd-interim' });
    const res = await pay({
      patientId: patient.id,
      accountId: current.id,
      amount: 9_000,
      autoAllocate: true,
    });
    expect(res.statusCode).toBe(201);
    const byInvoice = Object.fromEntries(
      (res.json().allocations as { invoiceId: string; amount: number }[]).map((a) => [a.invoiceId, a.amount]),
    );
    expect(byInvoice).toEqual({ [own.id]: 5_000, [oldest.id]: 3_000, [oldBill.id]: 1_000 });
    expect((await w.invoiceRow(interim.id)).paid).toBe(0);
    expect(res.json().available).toBe(0);
  });

  it('never allocates more than the bill’s unpaid share or the payment’s rest', async () => {
    const patient = await w.patient();
    const account = await w.account(patient.id);
    const bill = await w.invoice(account, { patientShare: 10_000 });
    const big = await w.invoice(account, { patientShare: 90_000 });
    const p = (await pay({ patientId: patient.id, amount: 20_000 })).json();
    const over = await w.call('POST', `${base}/payments/${p.id}/allocations`, w.clerk.headers, {
      allocations: [{ invoiceId: bill.id, amount: 10_001 }],
    });
    expect(over.statusCode).toBe(409);
    expect(over.json().code).toBe('BILLING_INVOICE_OVERPAID');
    const exhausted = await w.call('POST', `${base}/payments/${p.id}/allocations`, w.clerk.headers, {
      allocations: [{ invoiceId: big.id, amount: 20_001 }],
    });
    expect(exhausted.json().code).toBe('BILLING_PAYMENT_EXHAUSTED');
    // Nothing moved.
    expect((await w.ok('GET', `${base}/payments/${p.id}`, w.clerk.headers)).allocated).toBe(0);
    const cancelled = await w.invoice(account, { patientShare: 1_000 });
    await w.cancelInvoice(cancelled.id);
    const toCancelled = await w.call('POST', `${base}/payments/${p.id}/allocations`, w.clerk.headers, {
      allocations: [{ invoiceId: cancelled.id, amount: 100 }],
    });
    expect(toCancelled.json().code).toBe('BILLING_INVOICE_NOT_PAYABLE');
  });

  it('never over-allocates one payment to two bills at the same moment', async () => {
    const patient = await w.patient();
    const account = await w.account(patient.id);
    const [a, b] = [
      await w.invoice(account, { patientShare: 80_000 }),
      await w.invoice(account, { patientShare: 80_000 }),
    ];
    const p = (await pay({ patientId: patient.id, amount: 100_000 })).json();
    const results = await Promise.all(
      [a, b].map((bill) =>
        w.call('POST', `${base}/payments/${p.id}/allocations`, w.clerk.headers, {
          allocations: [{ invoiceId: bill.id, amount: 80_000 }],
        }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const [row] = await t.database.db.select().from(payments).where(eq(payments.id, p.id));
    const [sum] = await t.database.db
      .select({ total: sql<string>`sum(${allocations.amount})::text` })
      .from(allocations)
      .where(eq(allocations.paymentId, p.id));
    expect(row!.allocated).toBe(80_000);
    expect(Number(sum!.total)).toBe(80_000);
    expect((await w.invoiceRow(a.id)).paid + (await w.invoiceRow(b.id)).paid).toBe(80_000);
  });

  it('gives the money back to the payment when the bill is credited', async () => {
    const patient = await w.patient();
    const account = await w.account(patient.id);
    const bill = await w.invoice(account, { patientShare: 7_000 });
    const p = (
      await pay({
        patientId: patient.id,
        amount: 10_000,
        allocations: [{ invoiceId: bill.id, amount: 7_000 }],
      })
    ).json();
    const ctx = systemCtx(t.database.db, 'test', w.facilityId);
    const result = await t.database.db.transaction((tx) =>
      reverseAllocationsOf(tx, ctx, bill.id, 'Credit note CN/2026-27/000001'),
    );
    expect(result).toEqual({ reversed: 7_000, paymentIds: [p.id] });
    const after = await w.ok<{ allocated: number; available: number; allocations: { reversedAt: string }[] }>(
      'GET',
      `${base}/payments/${p.id}`,
      w.clerk.headers,
    );
    expect(after).toMatchObject({ allocated: 0, available: 10_000 });
    expect(after.allocations[0]!.reversedAt).not.toBeNull();
    expect((await w.invoiceRow(bill.id)).paid).toBe(0);
  });
});

describe('balances and the deposit ledger', () => {
  it('shows an in-patient’s deposits, what the bills took and what is left, movement by movement', async () => {
    const patient = await w.patient();
    const account = await w.account(patient.id, {
      kind: 'ipd',
      episodeKey: `ipd.admission:${crypto.randomUUID()}`,
    });
    await pay({ patientId: patient.id, accountId: account.id, kind: 'deposit', amount: 20_000 });
    await pay({
      patientId: patient.id,
      accountId: account.id,
      kind: 'deposit',
      mode: 'card',
      reference: 'AUTH-99',
      amount: 10_000,
    });
    const bill = await w.invoice(account, { patientShare: 25_000, kind: 'ipd-final' });
    const first = (
      await w.ok<{ items: { id: string; amount: number }[] }>(
        'GET',
        `${base}/payments?accountId=${account.id}`,
        w.clerk.headers,
      )
    ).items;
    expect(first).toHaveLength(2);
    const cash = first.find((x) => x.amount === 20_000)!;
    await w.ok('POST', `${base}/payments/${cash.id}/allocations`, w.clerk.headers, { auto: true });
    const balance = await w.ok('GET', `${base}/balances/patients/${patient.id}`, w.clerk.headers);
    expect(balance).toMatchObject({
      deposits: 30_000,
      payments: 0,
      received: 30_000,
      allocated: 20_000,
      refunded: 0,
      available: 10_000,
      outstanding: 5_000,
    });
    const ledger = await w.ok<{
      balance: { available: number };
      movements: { kind: string; amount: number; balance: number }[];
    }>('GET', `${base}/balances/accounts/${account.id}`, w.clerk.headers);
    expect(ledger.movements.map((m) => [m.kind, m.amount, m.balance])).toEqual([
      ['deposit', 20_000, 20_000],
      ['deposit', 10_000, 30_000],
      ['allocation', -20_000, 10_000],
    ]);
    expect(ledger.balance.available).toBe(10_000);
    expect((await w.invoiceRow(bill.id)).paid).toBe(20_000);
  });
});

describe('documents and reports', () => {
  it('prints the receipt as a PDF', async () => {
    const patient = await w.patient();
    const p = (await pay({ patientId: patient.id, amount: 12_345 })).json();
    const res = await w.call('GET', `${base}/payments/${p.id}/receipt.pdf`, w.clerk.headers);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('reports collections by mode, cashier and department, apportioning allocations by line', async () => {
    const reportWorld = await createPaymentsWorld(t);
    await reportWorld.openShift(reportWorld.clerk, 0);
    const patient = await reportWorld.patient();
    const account = await reportWorld.account(patient.id);
    const bill = await reportWorld.invoice(account, {
      patientShare: 30_000,
      lines: [
        { amount: 20_000, group: 'consultation', departmentId: reportWorld.departmentId },
        { amount: 10_000, group: 'investigation', departmentId: reportWorld.labDepartmentId },
      ],
    });
    const take = (body: Record<string, unknown>) =>
      reportWorld.ok('POST', `${base}/payments`, reportWorld.clerk.headers, {
        kind: 'payment',
        mode: 'cash',
        ...body,
      });
    await take({
      patientId: patient.id,
      amount: 15_000,
      allocations: [{ invoiceId: bill.id, amount: 15_000 }],
    });
    await take({ patientId: patient.id, amount: 8_000, mode: 'upi', reference: 'U1', kind: 'deposit' });
    const today = localDateOf(new Date(), 'Asia/Kolkata');
    const url = `${base}/reports/collections?from=${today}&to=${today}`;
    expect((await reportWorld.call('GET', url, reportWorld.clerk.headers)).statusCode).toBe(403);
    const report = await reportWorld.ok<Record<string, unknown>>('GET', url, reportWorld.auditor.headers);
    expect(report).toMatchObject({
      received: 23_000,
      receiptsCount: 2,
      byMode: { cash: 15_000, upi: 8_000, card: 0, 'bank-transfer': 0, cheque: 0 },
      byKind: { payment: 15_000, deposit: 8_000 },
    });
    expect(report.byCashier).toEqual([
      expect.objectContaining({ cashierName: 'Cashier Chitra', received: 23_000 }),
    ]);
    expect(report.byDepartment).toEqual(
      expect.arrayContaining([
        { departmentId: reportWorld.departmentId, departmentName: 'General Medicine', amount: 10_000 },
        { departmentId: reportWorld.labDepartmentId, departmentName: 'Laboratory', amount: 5_000 },
        { departmentId: null, departmentName: 'Advance (unallocated)', amount: 8_000 },
      ]),
    );
    const sum = (report.byDepartment as { amount: number }[]).reduce((s, d) => s + d.amount, 0);
    expect(sum).toBe(23_000);
    const bad = await reportWorld.call(
      'GET',
      `${base}/reports/collections?from=${today}&to=2000-01-01`,
      reportWorld.auditor.headers,
    );
    expect(bad.statusCode).toBe(400);
  });
});
