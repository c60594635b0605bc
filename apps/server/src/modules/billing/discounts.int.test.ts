import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { auditEntries } from '../../platform/audit/audit.tables';
import { discounts } from './billing.tables';
import { createInvoiceWorld, type InvoiceWorld } from './invoices-test-support';

let t: TestApp;
let w: InvoiceWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await createInvoiceWorld(t);
}, 120_000);
afterAll(() => t.close());

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date());

async function ask(accountId: string, headers: Record<string, string>, body: Record<string, unknown>) {
  return w.call('POST', `/api/v1/billing/accounts/${accountId}/discounts`, headers, body);
}

describe('discounts', () => {
  it('approves a discount within the clerk’s limit at once and one above it only with another’s approval', async () => {
    // 1. Lakshmi's OPD bill comes to INR 18,000 (two charges).
    const p = await w.patient('Lakshmi', 'Nair');
    const account = await w.account(p.id, 'opd');
    const scan = await w.charge(account, { group: 'imaging', unitPrice: 1_600_000, name: 'CT scan' });
    await w.charge(account, { group: 'consultation', unitPrice: 200_000 });

    // 2. The clerk (10% / INR 1,000) gives a senior-citizen 1% on the whole bill: approved at once.
    const small = await ask(account.id, w.clerk.headers, {
      reason: 'senior-citizen',
      kind: 'percent',
      value: 100,
    });
    expect(small.statusCode).toBe(201);
    expect(small.json()).toMatchObject({
      status: 'approved',
      decidedByName: 'Clerk Kiran',
      reason: 'senior-citizen',
    });

    // 3. 20% on the CT scan is above the limit: it waits.
    const big = await ask(account.id, w.clerk.headers, {
      chargeId: scan.id,
      reason: 'financial-hardship',
      note: 'Daily wage earner',
      kind: 'percent',
      value: 2_000,
    });
    expect(big.json()).toMatchObject({ status: 'pending', note: 'Daily wage earner', chargeId: scan.id });
    // INR 1,200 is above the clerk's INR 1,000 although it is only 6.7% of the bill.
    const amount = await ask(account.id, w.clerk.headers, {
      reason: 'management',
      kind: 'amount',
      value: 120_000,
    });
    expect(amount.json().status).toBe('pending');

    // 4. The clerk cannot approve; the accounts manager approves one and rejects the other, with notes.
    const clerkApproves = await w.call(
      'POST',
      `/api/v1/billing/discounts/${big.json().id}/approve`,
      w.clerk.headers,
      {},
    );
    expect(clerkApproves.statusCode).toBe(403);
    const approved = await w.call(
      'POST',
      `/api/v1/billing/discounts/${big.json().id}/approve`,
      w.manager.headers,
      {
        note: 'Hardship verified by social worker',
      },
    );
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', decidedByName: 'Manager Meera' });
    const noNote = await w.call(
      'POST',
      `/api/v1/billing/discounts/${amount.json().id}/reject`,
      w.manager.headers,
      {},
    );
    expect(noNote.statusCode).toBe(400);
    const rejected = await w.call(
      'POST',
      `/api/v1/billing/discounts/${amount.json().id}/reject`,
      w.manager.headers,
      {
        note: 'No reason given',
      },
    );
    expect(rejected.json().status).toBe('rejected');
    const twice = await w.call(
      'POST',
      `/api/v1/billing/discounts/${amount.json().id}/approve`,
      w.manager.headers,
      {},
    );
    expect(twice.statusCode).toBe(409);

    // 5. The bill applies the two approved discounts: 20% of 16,000 on the scan, then 1% of the rest (14,800).
    const bill = (await w.issue(account.id, 'opd')).json();
    expect(bill.discount).toBe(320_000 + 14_800);
    const scanLine = bill.lines.find((l: { chargeId: string }) => l.chargeId === scan.id);
    expect(scanLine.discount).toBe(320_000 + 12_800);
    expect(bill.total).toBe(1_800_000 - 334_800);
    const rows = await t.database.db.select().from(discounts).where(eq(discounts.accountId, account.id));
    expect(rows.filter((r) => r.status === 'approved').every((r) => r.invoiceId === bill.id)).toBe(true);
    expect(rows.find((r) => r.status === 'rejected')!.invoiceId).toBeNull();
    const list = await w.call('GET', `/api/v1/billing/accounts/${account.id}/discounts`, w.clerk.headers);
    expect(list.json().items).toHaveLength(3);

    // 6. The report: by reason and by whom.
    const report = await w.call(
      'GET',
      `/api/v1/billing/reports/discounts?from=${today()}&to=${today()}`,
      w.manager.headers,
    );
    expect(report.statusCode).toBe(200);
    const r = report.json();
    expect(r.total).toMatchObject({ count: 2, applied: 334_800 });
    expect(r.byReason).toEqual(
      expect.arrayContaining([
        { reason: 'senior-citizen', count: 1, applied: 14_800, pending: 0 },
        { reason: 'financial-hardship', count: 1, applied: 320_000, pending: 0 },
      ]),
    );
    expect(r.byRequester).toEqual([{ name: 'Clerk Kiran', count: 2, applied: 334_800, pending: 0 }]);
    expect(r.byApprover).toEqual(
      expect.arrayContaining([
        { name: 'Clerk Kiran', count: 1, applied: 14_800, pending: 0 },
        { name: 'Manager Meera', count: 1, applied: 320_000, pending: 0 },
      ]),
    );
    const clerkReport = await w.call(
      'GET',
      `/api/v1/billing/reports/discounts?from=${today()}&to=${today()}`,
      w.clerk.headers,
    );
    expect(clerkReport.statusCode).toBe(403);
  });

  it('never lets an approver approve their own request', async () => {
    const p = await w.patient();
    const account = await w.account(p.id, 'opd');
    await w.charge(account, { group: 'procedure', unitPrice: 1_000_000 });
    // The facility lowers the accounts manager's limit to 5%; the admin is unlimited.
    const set = await w.call('PUT', '/api/v1/billing/discount-limits/accounts-manager', w.admin.headers, {
      maxBp: 500,
      maxAmount: 10_000_000,
    });
    expect(set.statusCode).toBe(200);
    const limits = (await w.call('GET', '/api/v1/billing/discount-limits', w.clerk.headers)).json().items;
    expect(limits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'accounts-manager', maxBp: 500 }),
        expect.objectContaining({ role: 'billing-clerk', maxBp: 1_000, maxAmount: 100_000 }),
      ]),
    );
    const own = await ask(account.id, w.manager.headers, { reason: 'staff', kind: 'percent', value: 5_000 });
    expect(own.json().status).toBe('pending');
    const self = await w.call(
      'POST',
      `/api/v1/billing/discounts/${own.json().id}/approve`,
      w.manager.headers,
      {},
    );
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe('BILLING_DISCOUNT_OWN_REQUEST');
    const ok = await w.call(
      'POST',
      `/api/v1/billing/discounts/${own.json().id}/approve`,
      w.admin.headers,
      {},
    );
    expect(ok.json().status).toBe('approved');
    const decided = await t.database.db
      .select()
      .from(auditEntries)
      .where(eq(auditEntries.resourceId, own.json().id));
    expect(decided.map((a) => a.action).sort()).toEqual(['create', 'update']);
  });

  it('refuses discounts larger than what they discount, on foreign charges, and withdraws unapplied ones', async () => {
    const p = await w.patient();
    const account = await w.account(p.id, 'opd');
    await w.charge(account, { group: 'consultation', unitPrice: 50_000 });
    const other = await w.account((await w.patient()).id, 'opd');
    const foreign = await w.charge(other, { group: 'consultation', unitPrice: 50_000 });
    const tooBig = await ask(account.id, w.manager.headers, {
      reason: 'management',
      kind: 'amount',
      value: 50_001,
    });
    expect(tooBig.statusCode).toBe(422);
    expect(tooBig.json().code).toBe('BILLING_DISCOUNT_TOO_LARGE');
    const wrong = await ask(account.id, w.manager.headers, {
      chargeId: foreign.id,
      reason: 'staff',
      kind: 'percent',
      value: 100,
    });
    expect(wrong.statusCode).toBe(422);
    const needsNote = await ask(account.id, w.clerk.headers, {
      reason: 'other',
      kind: 'percent',
      value: 100,
    });
    expect(needsNote.statusCode).toBe(400);
    const d = await ask(account.id, w.clerk.headers, { reason: 'staff', kind: 'amount', value: 5_000 });
    const withdrawn = await w.call(
      'POST',
      `/api/v1/billing/discounts/${d.json().id}/withdraw`,
      w.clerk.headers,
      {},
    );
    expect(withdrawn.json().status).toBe('withdrawn');
    const bill = (await w.issue(account.id, 'opd')).json();
    expect(bill.discount).toBe(0);
    // Once billed, nothing is left to discount.
    const late = await ask(account.id, w.clerk.headers, { reason: 'staff', kind: 'percent', value: 100 });
    expect(late.statusCode).toBe(422);
  });
});
