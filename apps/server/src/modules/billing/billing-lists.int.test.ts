import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { auditEntries } from '../../platform/audit/audit.tables';
import { accounts, allocations, claims, discounts, invoices, payments } from './billing.tables';
import { createInsuranceWorld, type InsuranceWorld } from './insurance-test-support';
import { createInvoiceWorld, type InvoiceWorld } from './invoices-test-support';

// The facility-wide lists the billing and insurance desks work from: pending discounts (the approvers'
// queue), open accounts with their balances, and the pre-authorization and claim worklists with each
// patient's name, MRN and admission number. Each audits the patients it shows.

let t: TestApp;
let w: InvoiceWorld;
let ins: InsuranceWorld;
let nurse: { id: string; headers: Record<string, string> };

beforeAll(async () => {
  t = await createTestApp();
  w = await createInvoiceWorld(t);
  ins = await createInsuranceWorld(t);
  nurse = await w.staff(['nurse'], 'Nurse Nalini');
}, 180_000);
afterAll(() => t.close());

type Page<T> = { items: T[]; nextCursor: string | null };

async function get<T>(url: string, headers: Record<string, string>): Promise<T> {
  const res = await w.call('GET', url, headers);
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

async function patientReads(purpose: string, patientIds: string[]) {
  return t.database.db
    .select()
    .from(auditEntries)
    .where(
      and(
        eq(auditEntries.action, 'read'),
        eq(auditEntries.resourceType, 'Patient'),
        inArray(auditEntries.patientId, patientIds),
        sql`${auditEntries.detail}->>'purpose' = ${purpose}`,
      ),
    );
}

describe('the facility’s discounts', () => {
  it('lists the pending discounts oldest first with patient and episode, pages them, and audits the patients shown', async () => {
    const lakshmi = await w.patient('Lakshmi', 'Rao');
    const opd = await w.account(lakshmi.id, 'opd');
    const scan = await w.charge(opd, { group: 'imaging', unitPrice: 1_600_000, name: 'CT scan' });
    const ravi = await w.patient('Ravi', 'Menon');
    const ipd = await w.account(ravi.id, 'ipd');
    await w.charge(ipd, { group: 'nursing', unitPrice: 2_000_000 });

    const ask = async (accountId: string, body: Record<string, unknown>) => {
      const res = await w.call(
        'POST',
        `/api/v1/billing/accounts/${accountId}/discounts`,
        w.clerk.headers,
        body,
      );
      expect(res.statusCode).toBe(201);
      return res.json() as { id: string; status: string };
    };
    const first = await ask(opd.id, {
      chargeId: scan.id,
      reason: 'financial-hardship',
      note: 'Daily wage earner',
      kind: 'percent',
      value: 2_000,
    });
    const second = await ask(ipd.id, { reason: 'management', kind: 'amount', value: 500_000 });
    const auto = await ask(opd.id, { reason: 'senior-citizen', kind: 'percent', value: 100 });
    expect([first.status, second.status, auto.status]).toEqual(['pending', 'pending', 'approved']);

    // The note has its own column now; the reason is the enumerated one.
    const [stored] = await t.database.db.select().from(discounts).where(eq(discounts.id, first.id));
    expect(stored).toMatchObject({ reason: 'financial-hardship', note: 'Daily wage earner' });

    type Item = {
      id: string;
      reason: string;
      note: string | null;
      patientId: string;
      patientName: string;
      mrn: string;
      accountId: string;
      accountKind: string;
      admissionNumber: string | null;
      chargeName: string | null;
    };
    const pending = await get<Page<Item>>('/api/v1/billing/discounts?status=pending', w.manager.headers);
    expect(pending.items.map((d) => d.id)).toEqual([first.id, second.id]);
    expect(pending.items[0]).toMatchObject({
      patientId: lakshmi.id,
      patientName: lakshmi.displayName,
      mrn: lakshmi.mrn,
      accountId: opd.id,
      accountKind: 'opd',
      admissionNumber: null,
      chargeName: 'CT scan',
      reason: 'financial-hardship',
      note: 'Daily wage earner',
    });
    expect(pending.items[1]).toMatchObject({
      patientName: ravi.displayName,
      accountKind: 'ipd',
      admissionNumber: ipd.admissionNumber,
      chargeName: null,
    });
    expect(pending.nextCursor).toBeNull();

    // Keyset pages of one.
    const p1 = await get<Page<Item>>('/api/v1/billing/discounts?status=pending&limit=1', w.manager.headers);
    expect(p1.items.map((d) => d.id)).toEqual([first.id]);
    expect(p1.nextCursor).not.toBeNull();
    const p2 = await get<Page<Item>>(
      `/api/v1/billing/discounts?status=pending&limit=1&cursor=${p1.nextCursor}`,
      w.manager.headers,
    );
    expect(p2.items.map((d) => d.id)).toEqual([second.id]);
    expect(p2.nextCursor).toBeNull();

    // Filters: every status, one patient, one account.
    const all = await get<Page<Item>>('/api/v1/billing/discounts', w.clerk.headers);
    expect(all.items.map((d) => d.id).sort()).toEqual([first.id, second.id, auto.id].sort());
    const ravis = await get<Page<Item>>(`/api/v1/billing/discounts?patientId=${ravi.id}`, w.clerk.headers);
    expect(ravis.items.map((d) => d.id)).toEqual([second.id]);
    const approved = await get<Page<Item>>(
      `/api/v1/billing/discounts?status=approved&accountId=${opd.id}`,
      w.clerk.headers,
    );
    expect(approved.items.map((d) => d.id)).toEqual([auto.id]);

    // Each patient shown is an audited read.
    const reads = await patientReads('billing-discounts', [lakshmi.id, ravi.id]);
    expect(new Set(reads.map((r) => r.patientId))).toEqual(new Set([lakshmi.id, ravi.id]));

    // Who may not see it, and a forged cursor.
    expect((await w.call('GET', '/api/v1/billing/discounts?status=pending', nurse.headers)).statusCode).toBe(
      403,
    );
    expect((await w.call('GET', '/api/v1/billing/discounts?status=pending', w.desk.headers)).statusCode).toBe(
      200,
    );
    const bad = await w.call('GET', '/api/v1/billing/discounts?cursor=bogus', w.manager.headers);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it('still reads a discount written before the note had its own column', async () => {
    const p = await w.patient();
    const account = await w.account(p.id, 'opd');
    const [old] = await t.database.db
      .insert(discounts)
      .values({
        facilityId: w.facilityId,
        accountId: account.id,
        reason: 'other: Family of a staff member',
        kind: 'percent',
        value: 500,
        status: 'pending',
        requestedByName: 'Clerk Kiran',
      })
      .returning();
    const list = await get<Page<{ id: string; reason: string; note: string | null }>>(
      `/api/v1/billing/discounts?accountId=${account.id}`,
      w.manager.headers,
    );
    expect(list.items).toEqual([
      expect.objectContaining({ id: old!.id, reason: 'other', note: 'Family of a staff member' }),
    ]);
    const own = await get<{ items: { reason: string; note: string | null }[] }>(
      `/api/v1/billing/accounts/${account.id}/discounts`,
      w.clerk.headers,
    );
    expect(own.items[0]).toMatchObject({ reason: 'other', note: 'Family of a staff member' });
  });
});

describe('the facility’s accounts', () => {
  it('lists the open accounts newest first with their balances, filters and pages them, and audits the patients', async () => {
    // A facility of its own: the accounts of the other tests are open too.
    const w = await createInvoiceWorld(t);
    const nurse = await w.staff(['nurse']);
    const meena = await w.patient('Meena', 'Pillai');
    const arjun = await w.patient('Arjun', 'Das');
    // Meena's OPD visit: two charges billed (INR 800), INR 500 paid, then INR 150 charged and not billed yet.
    const visit = await w.account(meena.id, 'opd');
    await w.charge(visit, { group: 'consultation', unitPrice: 50_000 });
    await w.charge(visit, { group: 'investigation', unitPrice: 30_000 });
    const bill = (await w.issue(visit.id, 'opd')).json() as { id: string; total: number };
    expect(bill.total).toBe(80_000);
    await w.payAndAllocate(bill.id, meena.id, 50_000);
    const late = await w.charge(visit, { group: 'consultation', unitPrice: 15_000 });
    await w.charge(visit, { group: 'consultation', unitPrice: 99_000 }).then((c) => w.cancelCharge(c.id));
    // Arjun's stay: INR 20,000 of bed days, a deposit of INR 10,000 of which INR 1,000 was refunded.
    const stay = await w.account(arjun.id, 'ipd');
    await w.charge(stay, { group: 'room', unitPrice: 1_000_000, quantity: 2, taxCode: w.tax.ROOM });
    await t.database.db.insert(payments).values({
      facilityId: w.facilityId,
      patientId: arjun.id,
      accountId: stay.id,
      kind: 'deposit',
      mode: 'cash',
      amount: 1_000_000,
      refunded: 100_000,
      receiptNumber: `RC-LIST-${stay.id.slice(0, 8)}`,
      receivedByName: 'Cashier',
    });
    // An account closed long ago, and an empty desk account of Arjun's.
    const closed = await w.account(arjun.id, 'opd');
    const empty = await w.account(arjun.id, 'opd');
    const at = (iso: string) => new Date(iso);
    for (const [id, openedAt, status] of [
      [visit.id, '2026-05-10T04:00:00Z', 'open'],
      [stay.id, '2026-05-11T04:00:00Z', 'open'],
      [closed.id, '2026-05-12T04:00:00Z', 'closed'],
      [empty.id, '2026-05-09T04:00:00Z', 'open'],
    ] as const) {
      await t.database.db
        .update(accounts)
        .set({ openedAt: at(openedAt), status })
        .where(eq(accounts.id, id));
    }

    type Item = {
      id: string;
      kind: string;
      status: string;
      patientId: string;
      patientName: string;
      mrn: string;
      admissionNumber: string | null;
      balances: Record<string, number | string>;
    };
    const open = await get<Page<Item>>('/api/v1/billing/accounts?status=open', w.clerk.headers);
    expect(open.items.map((a) => a.id)).toEqual([stay.id, visit.id, empty.id]);
    const [s, v, e] = open.items;
    expect(v).toMatchObject({
      patientName: meena.displayName,
      mrn: meena.mrn,
      balances: {
        charged: 80_000 + late.amount,
        unbilled: late.amount,
        billed: 80_000,
        paid: 50_000,
        received: 0,
        available: 0,
        outstanding: 30_000,
        currency: 'INR',
      },
    });
    expect(s).toMatchObject({
      kind: 'ipd',
      admissionNumber: stay.admissionNumber,
      patientName: arjun.displayName,
      balances: {
        charged: 2_000_000,
        unbilled: 2_000_000,
        billed: 0,
        paid: 0,
        received: 1_000_000,
        available: 900_000,
        outstanding: 0,
      },
    });
    expect(e!.balances).toMatchObject({ charged: 0, billed: 0, received: 0, outstanding: 0 });

    // Filters and keyset pages.
    const ipdOnly = await get<Page<Item>>('/api/v1/billing/accounts?status=open&kind=ipd', w.clerk.headers);
    expect(ipdOnly.items.map((a) => a.id)).toEqual([stay.id]);
    const arjuns = await get<Page<Item>>(`/api/v1/billing/accounts?patientId=${arjun.id}`, w.clerk.headers);
    expect(arjuns.items.map((a) => a.id)).toEqual([closed.id, stay.id, empty.id]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Item> = await get<Page<Item>>(
        `/api/v1/billing/accounts?status=open&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        w.clerk.headers,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([stay.id, visit.id, empty.id]);

    // The patient's own list carries the same balances.
    const mine = await get<{ items: Item[] }>(
      `/api/v1/billing/patients/${meena.id}/accounts`,
      w.desk.headers,
    );
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]!.balances).toEqual(v!.balances);
    expect(mine.items[0]!.patientName).toBe(meena.displayName);

    // Audited reads of the patients shown; refused to a nurse.
    const reads = await patientReads('billing-accounts', [meena.id, arjun.id]);
    expect(new Set(reads.map((r) => r.patientId))).toEqual(new Set([meena.id, arjun.id]));
    expect((await w.call('GET', '/api/v1/billing/accounts?status=open', nurse.headers)).statusCode).toBe(403);
    expect((await w.call('GET', '/api/v1/billing/accounts?status=nope', w.clerk.headers)).statusCode).toBe(
      400,
    );
    expect(
      (await w.call('GET', '/api/v1/billing/accounts?cursor=WyJ4IiwieSJd', w.clerk.headers)).statusCode,
    ).toBe(400);
  });

  it('counts only live final bills and completed money in the balances', async () => {
    const p = await w.patient();
    const visit = await w.account(p.id, 'opd');
    await w.charge(visit, { group: 'consultation', unitPrice: 40_000 });
    const bill = (await w.issue(visit.id, 'opd')).json() as { id: string };
    // The bill is credited: its charges are unbilled again, and it no longer counts as billed.
    const credit = await w.call(
      'POST',
      `/api/v1/billing/invoices/${bill.id}/credit-note`,
      w.manager.headers,
      {
        reason: 'Wrong patient',
      },
    );
    expect(credit.statusCode).toBe(201);
    await t.database.db.insert(payments).values({
      facilityId: w.facilityId,
      patientId: p.id,
      accountId: visit.id,
      kind: 'payment',
      mode: 'cheque',
      amount: 10_000,
      reference: 'CHQ-1',
      status: 'bounced',
      receiptNumber: `RC-BNC-${visit.id.slice(0, 8)}`,
      receivedByName: 'Cashier',
    });
    const list = await get<Page<{ id: string; balances: Record<string, number> }>>(
      `/api/v1/billing/accounts?patientId=${p.id}`,
      w.clerk.headers,
    );
    expect(list.items[0]!.balances).toMatchObject({
      charged: 40_000,
      unbilled: 40_000,
      billed: 0,
      paid: 0,
      received: 0,
      outstanding: 0,
    });
    const live = await t.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(allocations)
      .innerJoin(invoices, eq(invoices.id, allocations.invoiceId))
      .where(eq(invoices.accountId, visit.id));
    expect(live[0]!.n).toBe(0);
  });
});

describe('the insurance worklists', () => {
  it('show each pre-authorization’s and claim’s patient and admission number, audited, and record who submitted', async () => {
    const episode = await ins.insuredEpisode();
    const pa = await ins.ok<{ id: string; version: number }>(
      'POST',
      '/api/v1/billing/preauths',
      ins.insuranceDesk.headers,
      {
        accountId: episode.account.id,
        diagnosis: 'Acute appendicitis (K35.8)',
        plannedTreatment: 'Laparoscopic appendicectomy',
        estimate: 1_500_000,
        requestedAmount: 1_500_000,
      },
    );
    const preauths = (await ins.ok(
      'GET',
      `/api/v1/billing/preauths?patientId=${episode.patient.id}`,
      ins.insuranceDesk.headers,
    )) as Page<Record<string, unknown>>;
    expect(preauths.items).toEqual([
      expect.objectContaining({
        id: pa.id,
        patientName: episode.patient.displayName,
        mrn: episode.patient.mrn,
        admissionNumber: episode.account.admissionNumber,
      }),
    ]);
    const invoice = await ins.finalInvoice(episode.account, { payerId: episode.payer.id });
    const claim = await ins.ok<{ id: string; submittedBy: string | null }>(
      'POST',
      '/api/v1/billing/claims',
      ins.insuranceDesk.headers,
      { invoiceId: invoice.id },
    );
    expect(claim.submittedBy).toBe('Meera (TPA desk)');
    const [row] = await t.database.db.select().from(claims).where(eq(claims.id, claim.id));
    expect(row).toMatchObject({ submittedById: ins.insuranceDesk.id, submittedByName: 'Meera (TPA desk)' });
    const list = (await ins.ok(
      'GET',
      '/api/v1/billing/claims?status=submitted',
      ins.insuranceDesk.headers,
    )) as Page<Record<string, unknown>>;
    expect(list.items.find((c) => c.id === claim.id)).toMatchObject({
      patientName: episode.patient.displayName,
      mrn: episode.patient.mrn,
      admissionNumber: episode.account.admissionNumber,
      invoiceNumber: invoice.number,
    });
    expect((await patientReads('insurance-preauths', [episode.patient.id])).length).toBeGreaterThan(0);
    expect((await patientReads('insurance-claims', [episode.patient.id])).length).toBeGreaterThan(0);
    expect((await ins.call('GET', '/api/v1/billing/claims', ins.nurse.headers)).statusCode).toBe(403);
    expect((await ins.call('GET', '/api/v1/billing/preauths', ins.nurse.headers)).statusCode).toBe(403);
  });

  it('keeps the write-off four-eyes check for a claim submitted before the submitter was recorded', async () => {
    const episode = await ins.insuredEpisode();
    const invoice = await ins.finalInvoice(episode.account, { payerId: episode.payer.id });
    let c = await ins.ok<{ id: string; version: number; claimedAmount: number }>(
      'POST',
      '/api/v1/billing/claims',
      ins.manager.headers,
      { invoiceId: invoice.id },
    );
    // As an older claim: only its history row says who submitted it.
    await t.database.db
      .update(claims)
      .set({ submittedById: null, submittedByName: null })
      .where(eq(claims.id, c.id));
    c = await ins.ok('POST', `/api/v1/billing/claims/${c.id}/settle`, ins.insuranceDesk.headers, {
      amountReceived: c.claimedAmount - 10_000,
      utr: 'UTIB0001',
      version: c.version,
    });
    const own = await ins.call('POST', `/api/v1/billing/claims/${c.id}/write-off`, ins.manager.headers, {
      reason: 'Short payment',
      version: c.version,
    });
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('BILLING_WRITE_OFF_OWN_CLAIM');
    const other = await ins.staff(['accounts-manager'], 'Other manager');
    const done = await ins.call('POST', `/api/v1/billing/claims/${c.id}/write-off`, other.headers, {
      reason: 'Short payment',
      version: c.version,
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'closed', writtenOff: 10_000, submittedBy: null });
  });
});
