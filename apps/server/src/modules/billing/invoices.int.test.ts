import { and, eq } from 'drizzle-orm';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { auditEntries } from '../../platform/audit/audit.tables';
import { outbox } from '../../platform/events/events.tables';
import { accounts, allocations, charges, invoiceLines, invoices, payments } from './billing.tables';
import { financialYearOf } from './invoice-calc';
import { createInvoiceWorld, type InvoiceWorld } from './invoices-test-support';

let t: TestApp;
let w: InvoiceWorld;
let fy: string;

beforeAll(async () => {
  t = await createTestApp();
  w = await createInvoiceWorld(t);
  fy = financialYearOf(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date()));
}, 120_000);
afterAll(() => t.close());

/** The text of every page of a PDF, as a reader sees it (pdf.js), on one line. */
async function pdfTextOf(pdf: Buffer): Promise<string> {
  const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  try {
    const parts: string[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const content = await (await document.getPage(n)).getTextContent();
      parts.push(content.items.map((i) => ('str' in i ? i.str : '')).join(' '));
    }
    return parts.join(' ').replace(/\s+/g, ' ');
  } finally {
    await document.destroy();
  }
}

type Line = { serviceGroup: string; unitPrice: number; taxRateBp: number; tax: number; total: number };

async function events(type: string, aggregateId: string) {
  return t.database.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.type, type), eq(outbox.aggregateId, aggregateId)));
}

describe('OPD bill', () => {
  it('bills the unbilled charges with GST by date, numbers it, binds the charges and prints it', async () => {
    // 1. Reception registers Asha; the doctor sees her and the pharmacy sells two medicines.
    const asha = await w.patient('Asha', 'Rao');
    const account = await w.account(asha.id, 'opd');
    const consult = await w.charge(account, {
      group: 'consultation',
      unitPrice: 50_000,
      name: 'Consultation',
    });
    await w.charge(account, {
      group: 'pharmacy',
      unitPrice: 10_000,
      taxCode: w.tax.MED,
      serviceDate: '2025-09-21',
      name: 'Paracetamol strip',
    });
    await w.charge(account, {
      group: 'pharmacy',
      unitPrice: 10_049,
      taxCode: w.tax.MED,
      serviceDate: '2025-09-22',
      name: 'Amoxicillin strip',
    });

    // 2. The clerk previews the bill: nothing is stored.
    const preview = await w.call(
      'GET',
      `/api/v1/billing/accounts/${account.id}/invoice-preview?kind=opd`,
      w.clerk.headers,
    );
    expect(preview.statusCode).toBe(200);
    // 12% before 2025-09-22, 5% from it: 12.00 and 5.02 (5.0245 rounded half up per line).
    expect(preview.json().lines.map((l: Line) => [l.taxRateBp, l.tax])).toEqual([
      [0, 0],
      [1200, 1200],
      [500, 502],
    ]);
    expect(preview.json()).toMatchObject({ gross: 70_049, tax: 1_702, total: 71_800, roundOff: 49 });
    const [none] = await t.database.db
      .select({ id: invoices.id })
      .from(invoices)
      .where(eq(invoices.accountId, account.id));
    expect(none).toBeUndefined();

    // 3. The clerk issues the bill.
    const res = await w.issue(account.id, 'opd');
    expect(res.statusCode).toBe(201);
    const bill = res.json();
    expect(bill).toMatchObject({
      kind: 'opd',
      status: 'final',
      series: 'INV',
      number: `INV/${fy}/000001`,
      financialYear: fy,
      total: 71_800,
      patientShare: 71_800,
      payerShare: 0,
      paid: 0,
      balance: 71_800,
      patientName: asha.displayName,
      mrn: asha.mrn,
      issuedByName: 'Clerk Kiran',
    });
    expect(bill.taxSummary).toEqual([
      { taxCode: w.tax.HC, hsnSac: '999312', rateBp: 0, taxable: 50_000, tax: 0 },
      { taxCode: w.tax.MED, hsnSac: '3004', rateBp: 500, taxable: 10_049, tax: 502 },
      { taxCode: w.tax.MED, hsnSac: '3004', rateBp: 1200, taxable: 10_000, tax: 1200 },
    ]);
    const bound = await t.database.db
      .select({ invoiceId: charges.invoiceId })
      .from(charges)
      .where(eq(charges.accountId, account.id));
    expect(bound.every((c) => c.invoiceId === bill.id)).toBe(true);
    expect(await events('billing.invoice.issued', bill.id)).toHaveLength(1);
    const created = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.resourceId, bill.id), eq(auditEntries.action, 'create')));
    expect(created).toHaveLength(1);

    // 4. Nothing is left to bill; a new charge makes a second bill with the next number.
    const again = await w.issue(account.id, 'opd');
    expect(again.statusCode).toBe(422);
    expect(again.json().code).toBe('BILLING_NOTHING_TO_BILL');
    await w.charge(account, { group: 'investigation', unitPrice: 30_000 });
    const second = await w.issue(account.id, 'opd');
    expect(second.json().number).toBe(`INV/${fy}/000002`);
    expect(second.json().lines.map((l: { chargeId: string }) => l.chargeId)).not.toContain(consult.id);

    // 5. The bill is read (audited) and printed.
    const read = await w.call('GET', `/api/v1/billing/invoices/${bill.id}`, w.desk.headers);
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe(`W/"${bill.version}"`);
    const reads = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.resourceId, bill.id), eq(auditEntries.action, 'read')));
    expect(reads.length).toBeGreaterThanOrEqual(1);
    const pdf = await w.call('GET', `/api/v1/billing/invoices/${bill.id}/invoice.pdf`, w.desk.headers);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfTextOf(pdf.rawPayload);
    for (const s of [
      'OPD Bill',
      'Tax invoice',
      asha.displayName,
      asha.mrn,
      `INV/${fy}/000001`,
      'Consultation',
      'Pharmacy',
      'Subtotal',
      'GST summary',
      '3004',
      '12%',
      '5%',
      'Round off',
      '718.00',
      'Rupees Seven Hundred Eighteen Only',
      'Balance due',
      'GSTIN 29ABCDE1234F1Z5',
    ]) {
      expect(text).toContain(s);
    }
    expect(text).not.toContain('CANCELLED');

    // 6. The list shows both bills of the account, newest first.
    const list = await w.call('GET', `/api/v1/billing/invoices?accountId=${account.id}`, w.desk.headers);
    expect(list.json().items.map((i: { number: string }) => i.number)).toEqual([
      `INV/${fy}/000002`,
      `INV/${fy}/000001`,
    ]);
  });

  it('is frozen once final: the database refuses to change its total or its lines', async () => {
    const p = await w.patient();
    const account = await w.account(p.id, 'opd');
    await w.charge(account, { group: 'consultation', unitPrice: 40_000 });
    const bill = (await w.issue(account.id, 'opd')).json();
    await expect(
      t.database.query('update billing.invoices set total = total + 100 where id = $1', [bill.id]),
    ).rejects.toThrow(/final/);
    await expect(
      t.database.query('update billing.invoice_lines set total = 1 where invoice_id = $1', [bill.id]),
    ).rejects.toThrow(/final/);
    await expect(t.database.query('delete from billing.invoices where id = $1', [bill.id])).rejects.toThrow();
    const [row] = await t.database.db.select().from(invoices).where(eq(invoices.id, bill.id));
    expect(row!.total).toBe(40_000);
  });

  it('gives a stay with nothing to charge a zero final bill, but refuses an empty OPD bill or statement', async () => {
    const p = await w.patient();
    const stay = await w.account(p.id, 'ipd');
    const interim = await w.issue(stay.id, 'ipd-interim');
    expect(interim.statusCode).toBe(422);
    expect(interim.json().code).toBe('BILLING_NOTHING_TO_BILL');
    const final = await w.issue(stay.id, 'ipd-final');
    expect(final.statusCode).toBe(201);
    expect(final.json()).toMatchObject({
      kind: 'ipd-final',
      total: 0,
      patientShare: 0,
      payerShare: 0,
      lines: [],
    });
    expect(final.json().number).toMatch(/^INV\//);
    const [row] = await t.database.db.select().from(accounts).where(eq(accounts.id, stay.id));
    expect(row?.status).toBe('final-billed');
    const opd = await w.account(p.id, 'opd');
    expect((await w.issue(opd.id, 'opd')).json().code).toBe('BILLING_NOTHING_TO_BILL');
  });

  it('refuses a bill of the wrong kind, an unknown account, and a charge with no GST row', async () => {
    const p = await w.patient();
    const opd = await w.account(p.id, 'opd');
    await w.charge(opd, { group: 'pharmacy', unitPrice: 100, taxCode: w.tax.MED, serviceDate: '2010-01-01' });
    const wrong = await w.issue(opd.id, 'ipd-final');
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().code).toBe('BILLING_INVOICE_KIND_MISMATCH');
    const noRate = await w.issue(opd.id, 'opd');
    expect(noRate.statusCode).toBe(422);
    expect(noRate.json().code).toBe('BILLING_TAX_RATE_MISSING');
    const unknown = await w.issue(crypto.randomUUID(), 'opd');
    expect(unknown.statusCode).toBe(404);
    const denied = await w.issue(opd.id, 'opd', w.desk.headers);
    expect(denied.statusCode).toBe(403);
  });
});

describe('IPD bills', () => {
  it('taxes room rent above INR 5,000/day at 5% (ICU exempt), gives interim statements, then the final bill', async () => {
    // 1. Ravi is admitted: two days at 4,000, three at 6,000, one in ICU at 8,000, medicines and nursing.
    const ravi = await w.patient('Ravi', 'Kumar');
    const account = await w.account(ravi.id, 'ipd');
    await w.charge(account, {
      group: 'room',
      taxCode: w.tax.ROOM,
      unitPrice: 400_000,
      quantity: 2,
      serviceDate: '2026-05-01',
    });
    await w.charge(account, {
      group: 'room',
      taxCode: w.tax.ROOM,
      unitPrice: 600_000,
      quantity: 3,
      serviceDate: '2026-05-03',
    });
    await w.charge(account, {
      group: 'room',
      taxCode: w.tax.ROOM,
      unitPrice: 800_000,
      intensiveCare: true,
      serviceDate: '2026-05-06',
    });
    await w.charge(account, {
      group: 'pharmacy',
      taxCode: w.tax.MED,
      unitPrice: 25_000,
      serviceDate: '2026-05-02',
    });
    await w.charge(account, { group: 'nursing', unitPrice: 150_000, quantity: 6 });

    // 2. An interim statement: its own series, binds nothing.
    const interim = await w.issue(account.id, 'ipd-interim');
    expect(interim.statusCode).toBe(201);
    expect(interim.json().number).toBe(`IB/${fy}/000001`);
    const rooms = interim
      .json()
      .lines.filter((l: Line) => l.serviceGroup === 'room')
      .map((l: Line) => [l.unitPrice, l.taxRateBp, l.tax]);
    expect(rooms).toEqual([
      [400_000, 0, 0],
      [600_000, 500, 90_000],
      [800_000, 0, 0],
    ]);
    const pharmacy = interim.json().lines.find((l: Line) => l.serviceGroup === 'pharmacy');
    expect(pharmacy.taxRateBp).toBe(0);
    const unbound = await t.database.db.select().from(charges).where(eq(charges.accountId, account.id));
    expect(unbound.every((c) => c.invoiceId === null)).toBe(true);
    const interimPdf = await w.call(
      'GET',
      `/api/v1/billing/invoices/${interim.json().id}/invoice.pdf`,
      w.clerk.headers,
    );
    expect(await pdfTextOf(interimPdf.rawPayload)).toContain('Interim Bill');

    // 3. The final bill binds everything and closes the account to new bills.
    const final = await w.issue(account.id, 'ipd-final');
    expect(final.statusCode).toBe(201);
    expect(final.json()).toMatchObject({
      kind: 'ipd-final',
      admissionNumber: account.admissionNumber,
      gross: 800_000 + 1_800_000 + 800_000 + 25_000 + 900_000,
      tax: 90_000,
    });
    expect(final.json().number).toMatch(new RegExp(`^INV/${fy}/\\d{6}$`));
    const [acc] = await t.database.db.select().from(accounts).where(eq(accounts.id, account.id));
    expect(acc!.status).toBe('final-billed');
    const again = await w.issue(account.id, 'ipd-final');
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('BILLING_ACCOUNT_NOT_OPEN');
    const text = await pdfTextOf(
      (await w.call('GET', `/api/v1/billing/invoices/${final.json().id}/invoice.pdf`, w.clerk.headers))
        .rawPayload,
    );
    expect(text).toContain('Final Bill');
    expect(text).toContain(account.admissionNumber!);
    expect(text).toContain('Room rent');
    expect(text).toContain('996311');
  });

  it('cancels a final bill with a credit note, returns the payment to the patient, and reissues it', async () => {
    // 1. Meena's final bill; she pays INR 1,000 against it by UPI.
    const meena = await w.patient('Meena', 'Iyer');
    const account = await w.account(meena.id, 'ipd');
    const wrongCharge = await w.charge(account, {
      group: 'procedure',
      unitPrice: 500_000,
      name: 'Dressing (wrong patient)',
    });
    await w.charge(account, { group: 'room', taxCode: w.tax.ROOM, unitPrice: 300_000, quantity: 2 });
    const bill = (await w.issue(account.id, 'ipd-final')).json();
    const payment = await w.payAndAllocate(bill.id, meena.id, 100_000);

    // 2. A clerk may not cancel it; the accounts manager does, with a reason.
    const refused = await w.call('POST', `/api/v1/billing/invoices/${bill.id}/credit-note`, w.clerk.headers, {
      reason: 'Charge posted to the wrong patient',
    });
    expect(refused.statusCode).toBe(403);
    const res = await w.call('POST', `/api/v1/billing/invoices/${bill.id}/credit-note`, w.manager.headers, {
      reason: 'Charge posted to the wrong patient',
    });
    expect(res.statusCode, res.body).toBe(201);
    const { cancelled, creditNote } = res.json();
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Charge posted to the wrong patient',
      paid: 0,
    });
    expect(cancelled.creditNoteId).toBe(creditNote.id);
    expect(creditNote).toMatchObject({
      kind: 'credit-note',
      status: 'final',
      series: 'CN',
      number: `CN/${fy}/000001`,
      creditOfId: bill.id,
      total: -bill.total,
      gross: -bill.gross,
      patientShare: -bill.patientShare,
    });
    expect(creditNote.lines.map((l: { total: number }) => l.total)).toEqual(
      bill.lines.map((l: { total: number }) => -l.total),
    );
    // The charges are free again, the account is open, the payment is the patient's unallocated money.
    const free = await t.database.db.select().from(charges).where(eq(charges.accountId, account.id));
    expect(free.every((c) => c.invoiceId === null)).toBe(true);
    const [acc] = await t.database.db.select().from(accounts).where(eq(accounts.id, account.id));
    expect(acc!.status).toBe('open');
    const [alloc] = await t.database.db.select().from(allocations).where(eq(allocations.invoiceId, bill.id));
    expect(alloc!.reversedAt).not.toBeNull();
    expect(alloc!.reversedReason).toContain('credit note');
    const [pay] = await t.database.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(pay!.allocated).toBe(0);
    expect(await events('billing.invoice.cancelled', bill.id)).toHaveLength(1);
    // A cancelled bill cannot be cancelled twice.
    const twice = await w.call('POST', `/api/v1/billing/invoices/${bill.id}/credit-note`, w.manager.headers, {
      reason: 'again',
    });
    expect(twice.statusCode).toBe(409);

    // 3. The PDFs: the bill stamped CANCELLED, the credit note naming the bill it cancels.
    const billText = await pdfTextOf(
      (await w.call('GET', `/api/v1/billing/invoices/${bill.id}/invoice.pdf`, w.clerk.headers)).rawPayload,
    );
    expect(billText).toContain('CANCELLED');
    const cnText = await pdfTextOf(
      (await w.call('GET', `/api/v1/billing/invoices/${creditNote.id}/invoice.pdf`, w.clerk.headers))
        .rawPayload,
    );
    expect(cnText).toContain('Credit Note');
    expect(cnText).toContain(bill.number);
    expect(cnText).toContain('Minus Rupees');

    // 4. The wrong charge is cancelled and the bill reissued, pointing back at the cancelled one.
    await w.cancelCharge(wrongCharge.id);
    const reissued = await w.call('POST', `/api/v1/billing/invoices/${bill.id}/reissue`, w.clerk.headers, {});
    expect(reissued.statusCode).toBe(201);
    expect(reissued.json()).toMatchObject({
      kind: 'ipd-final',
      status: 'final',
      reissueOfId: bill.id,
      total: 600_000,
    });
    expect(reissued.json().number).not.toBe(bill.number);
    const again = await w.call('POST', `/api/v1/billing/invoices/${bill.id}/reissue`, w.clerk.headers, {});
    expect(again.statusCode).toBe(409);
    const lines = await t.database.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, bill.id));
    expect(lines).toHaveLength(2);
  });
});

describe('the patient/payer split', () => {
  it('pays room rent up to the limit and room-linked charges in proportion, and explains it', async () => {
    // 1. Kavya's policy allows INR 5,000/day; she stays 3 days in an INR 8,000/day private room.
    const kavya = await w.patient('Kavya', 'Shetty');
    const { policyId, payerId } = await w.policy(kavya.id, { roomRentLimit: 500_000 });
    const account = await w.account(kavya.id, 'ipd', { policyId });
    await w.preauth(account, policyId, 10_000_000);
    await w.charge(account, {
      group: 'room',
      taxCode: w.tax.ROOM,
      unitPrice: 800_000,
      quantity: 3,
      tariffClass: 'private',
    });
    await w.charge(account, { group: 'procedure', unitPrice: 1_000_000, tariffClass: 'private' });
    await w.charge(account, { group: 'investigation', unitPrice: 200_000, tariffClass: 'private' });
    await w.charge(account, { group: 'pharmacy', taxCode: w.tax.MED, unitPrice: 300_000 });

    // 2. The final bill: room 24,000 + 5% GST = 25,200, of which the payer pays 25,200 x 5,000/8,000.
    const bill = (await w.issue(account.id, 'ipd-final')).json();
    const share = (group: string) =>
      bill.lines.find((l: { serviceGroup: string }) => l.serviceGroup === group) as {
        total: number;
        payerShare: number;
        patientShare: number;
        splitNote: string | null;
      };
    expect(share('room')).toMatchObject({
      total: 2_520_000,
      payerShare: 1_575_000,
      splitNote: 'room-rent-limit',
    });
    expect(share('procedure')).toMatchObject({ payerShare: 625_000, splitNote: 'room-rent-proportionate' });
    expect(share('investigation')).toMatchObject({ payerShare: 200_000, splitNote: null });
    expect(share('pharmacy')).toMatchObject({ payerShare: 300_000 });
    expect(bill).toMatchObject({
      payerId,
      policyId,
      payerShare: 2_700_000,
      patientShare: 4_020_000 - 2_700_000,
    });
    expect(bill.split).toMatchObject({
      rules: ['room-rent-limit', 'room-rent-proportionate'],
      roomRent: { limitPerDay: 500_000, eligible: 1_500_000, actual: 2_400_000, ratio: '0.6250' },
    });
    const [stored] = await t.database.db.select().from(invoices).where(eq(invoices.id, bill.id));
    expect((stored!.explanation as { split: { roomRent: { ratio: string } } }).split.roomRent.ratio).toBe(
      '0.6250',
    );
    const text = await pdfTextOf(
      (await w.call('GET', `/api/v1/billing/invoices/${bill.id}/invoice.pdf`, w.clerk.headers)).rawPayload,
    );
    expect(text).toContain('Payer share');
    expect(text).toContain('ratio 0.6250');
  });

  it('leaves non-payable items to the patient, takes the co-pay, and caps the payer at the pre-authorization', async () => {
    const p = await w.patient();
    const { policyId } = await w.policy(p.id, { copayBp: 2_000, nonPayableGroups: ['consumable'] });
    const account = await w.account(p.id, 'ipd', { policyId });
    await w.preauth(account, policyId, 150_000);
    await w.charge(account, { group: 'consumable', unitPrice: 10_000, quantity: 5 });
    await w.charge(account, { group: 'procedure', unitPrice: 100_000 });
    await w.charge(account, { group: 'investigation', unitPrice: 100_000 });
    const preview = (
      await w.call(
        'GET',
        `/api/v1/billing/accounts/${account.id}/invoice-preview?kind=ipd-final`,
        w.clerk.headers,
      )
    ).json();
    // Payable 2,000 after 20% co-pay = 1,600, capped at the approved 1,500.
    expect(preview.payerShare).toBe(150_000);
    expect(preview.patientShare).toBe(250_000 - 150_000);
    expect(preview.split.rules).toEqual(['non-payable', 'co-pay', 'cap']);
    expect(preview.split.copay).toEqual({ bp: 2_000, amount: 40_000 });
    expect(
      preview.lines.find((l: { serviceGroup: string }) => l.serviceGroup === 'consumable').payerShare,
    ).toBe(0);
  });

  it('bills the patient alone when the policy has expired, and says why', async () => {
    const p = await w.patient();
    const { policyId } = await w.policy(p.id, { validFrom: '2025-01-01', validTo: '2025-12-31' });
    const account = await w.account(p.id, 'ipd', { policyId });
    await w.charge(account, { group: 'procedure', unitPrice: 100_000, serviceDate: '2026-05-01' });
    const preview = (
      await w.call(
        'GET',
        `/api/v1/billing/accounts/${account.id}/invoice-preview?kind=ipd-final`,
        w.clerk.headers,
      )
    ).json();
    expect(preview).toMatchObject({ payerShare: 0, patientShare: 100_000, split: null });
    expect(preview.splitSkipped).toContain('2025-12-31');
  });
});
