import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../test/fhir-validators';
import { createTestApp, type TestApp } from '../../../test/harness';
import { nextCounterValue } from '../../platform/db/counters';
import { modules } from '../index';
import { claims, invoices, payments, policies } from './billing.tables';
import { billingFhirResources, billingFhirRoutes } from './fhir/billing-fhir.routes';
import { createInsuranceWorld, type InsuranceWorld } from './insurance-test-support';
import { RECEIPT_COUNTER, receiptNumberOf } from './payments-rules';

let t: TestApp;
let w: InsuranceWorld;

beforeAll(async () => {
  // The FHIR resources as the lead wires them into billing/index.ts.
  t = await createTestApp({
    modules: modules.map((m) =>
      m.name === 'billing'
        ? { ...m, fhir: { resources: billingFhirResources, routes: billingFhirRoutes } }
        : m,
    ),
  });
  w = await createInsuranceWorld(t);
}, 120_000);
afterAll(() => t.close());

type Claim = {
  id: string;
  number: string;
  status: string;
  version: number;
  claimedAmount: number;
  approvedAmount: number | null;
  settledAmount: number;
  tds: number;
  disallowed: number;
  writtenOff: number;
  outstanding: number;
  preauthId: string | null;
  settlementPaymentId: string | null;
  settlementReceiptNumber: string | null;
  writeOffReason: string | null;
  writeOffApprovedBy: string | null;
  history: { kind: string; status: string; amount: number | null; recordedBy: string }[];
};

/** An insured episode with an approved pre-authorization and a final bill: payer share 1,378,000 paise. */
async function billedEpisode(policyOverrides: Record<string, unknown> = {}) {
  const episode = await w.insuredEpisode(policyOverrides);
  const pa = await w.ok<{ id: string; version: number }>(
    'POST',
    '/api/v1/billing/preauths',
    w.insuranceDesk.headers,
    {
      accountId: episode.account.id,
      diagnosis: 'Dengue fever with warning signs (A97.1)',
      plannedTreatment: 'Medical management, 4 days',
      estimate: 1_500_000,
      requestedAmount: 1_500_000,
    },
  );
  await w.ok('POST', `/api/v1/billing/preauths/${pa.id}/approve`, w.insuranceDesk.headers, {
    approvedAmount: 1_400_000,
    version: pa.version,
  });
  const invoice = await w.finalInvoice(episode.account, { payerId: episode.payer.id });
  return { ...episode, invoice, preauthId: pa.id };
}

async function submit(invoiceId: string, headers = w.insuranceDesk.headers) {
  const res = await w.call('POST', '/api/v1/billing/claims', headers, { invoiceId });
  if (res.statusCode !== 201) throw new Error(`claim: ${res.statusCode} ${res.body}`);
  return res.json() as Claim;
}

async function step(
  c: { id: string; version: number },
  name: string,
  body: Record<string, unknown>,
  headers = w.insuranceDesk.headers,
) {
  return w.call('POST', `/api/v1/billing/claims/${c.id}/${name}`, headers, { version: c.version, ...body });
}

async function stepOk(
  c: { id: string; version: number },
  name: string,
  body: Record<string, unknown>,
  headers = w.insuranceDesk.headers,
) {
  const res = await step(c, name, body, headers);
  if (res.statusCode !== 200) throw new Error(`${name}: ${res.statusCode} ${res.body}`);
  return res.json() as Claim;
}

describe('claims', () => {
  it('claims the payer share of a final IPD bill, settles it with TDS and a disallowance, and writes off the rest with approval', async () => {
    const { invoice, policy, preauthId } = await billedEpisode();
    // 1. The TPA desk submits the claim for the bill's payer share.
    let c = await submit(invoice.id);
    expect(c.number).toMatch(/^CL\/\d{4}-\d{2}\/\d{5}$/);
    expect(c).toMatchObject({
      status: 'submitted',
      claimedAmount: 1_378_000,
      outstanding: 1_378_000,
      preauthId,
    });
    // 2. The payer asks for the discharge summary; the desk answers.
    c = await stepOk(c, 'query', { note: 'Discharge summary missing' });
    c = await stepOk(c, 'answer', { note: 'Sent' });
    // 3. The payer approves part of it.
    c = await stepOk(c, 'approve', { approvedAmount: 1_200_000 });
    expect(c).toMatchObject({ status: 'partially-approved', approvedAmount: 1_200_000 });
    // 4. The money arrives: 1,080,000 by NEFT, 120,000 TDS, 50,000 disallowed for the admission kit.
    c = await stepOk(c, 'settle', {
      amountReceived: 1_080_000,
      tds: 120_000,
      disallowances: [{ reason: 'Admission kit non-payable', amount: 50_000 }],
      utr: 'HDFCN52026041512345',
    });
    expect(c).toMatchObject({
      status: 'settled',
      settledAmount: 1_080_000,
      tds: 120_000,
      disallowed: 50_000,
      outstanding: 128_000,
    });
    expect(c.settlementReceiptNumber).toMatch(/^RCP\/\d{4}-\d{2}\/\d{6}$/);
    const [payment] = await t.database.db
      .select()
      .from(payments)
      .where(eq(payments.id, c.settlementPaymentId!));
    expect(payment).toMatchObject({
      kind: 'payer-settlement',
      mode: 'bank-transfer',
      amount: 1_080_000,
      reference: 'HDFCN52026041512345',
      claimId: c.id,
      sessionId: null,
      patientId: invoice.patientId,
    });
    const [pol] = await t.database.db.select().from(policies).where(eq(policies.id, policy.id));
    expect(pol!.used).toBe(1_200_000);

    // 5. The desk cannot write off (no billing:approve).
    const desk = await step(c, 'write-off', { reason: 'Short payment' });
    expect(desk.statusCode).toBe(403);
    // 6. An accounts manager approves the write-off of the 128,000 left.
    c = await stepOk(c, 'write-off', { reason: 'Tariff difference accepted' }, w.manager.headers);
    expect(c).toMatchObject({
      status: 'closed',
      writtenOff: 128_000,
      outstanding: 0,
      writeOffReason: 'Tariff difference accepted',
      writeOffApprovedBy: 'Arun (accounts)',
    });
    expect(c.history.map((h) => h.kind)).toEqual([
      'submitted',
      'query',
      'answer',
      'partially-approved',
      'settled',
      'written-off',
    ]);
    const again = await step(c, 'write-off', { reason: 'again' }, w.manager.headers);
    expect(again.statusCode).toBe(409);
  });

  it('refuses the write-off by the one who submitted the claim (403), and before settlement (409)', async () => {
    const { invoice } = await billedEpisode();
    const otherManager = await w.staff(['accounts-manager'], 'Second approver');
    let c = await submit(invoice.id, w.manager.headers);
    const early = await step(c, 'write-off', { reason: 'too early' }, otherManager.headers);
    expect(early.statusCode).toBe(409);
    c = await stepOk(c, 'deny', { note: 'Pre-existing disease' });
    const own = await step(c, 'write-off', { reason: 'Denied' }, w.manager.headers);
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('BILLING_WRITE_OFF_OWN_CLAIM');
    c = await stepOk(c, 'write-off', { reason: 'Denied: pre-existing disease' }, otherManager.headers);
    expect(c).toMatchObject({ status: 'closed', writtenOff: 1_378_000 });
  });

  it('closes a claim settled in full at once, and numbers receipts in the one receipt series', async () => {
    const first = await billedEpisode();
    const second = await billedEpisode();
    const a = await stepOk(await submit(first.invoice.id), 'settle', {
      amountReceived: 1_278_000,
      tds: 100_000,
      utr: 'UTR-A',
    });
    // A cashier's receipt in between takes the next number of the same series (the cashier's counter).
    const fy = a.settlementReceiptNumber!.split('/')[1]!;
    const cashier = await t.database.db.transaction((tx) =>
      nextCounterValue(tx, w.facilityId, RECEIPT_COUNTER, fy),
    );
    expect(receiptNumberOf(fy, cashier)).toBe(
      receiptNumberOf(fy, Number(a.settlementReceiptNumber!.split('/')[2]) + 1),
    );
    const b = await stepOk(await submit(second.invoice.id), 'settle', {
      amountReceived: 1_000_000,
      utr: 'UTR-B',
      receivedAt: '2026-04-20T10:00:00+05:30',
    });
    expect(a.status).toBe('closed');
    expect(b.status).toBe('settled');
    const n = (x: string | null) => Number(x!.split('/')[2]);
    expect(n(b.settlementReceiptNumber)).toBe(n(a.settlementReceiptNumber) + 2);
    const [row] = await t.database.db.select().from(claims).where(eq(claims.id, b.id));
    expect(row!.settledAt!.toISOString()).toBe('2026-04-20T04:30:00.000Z');
    const twice = await step(b, 'settle', { amountReceived: 1, utr: 'x' });
    expect(twice.statusCode).toBe(409);
  });

  it('refuses a settlement above the claim, without a UTR, or beyond the policy balance (422)', async () => {
    const { invoice, policy } = await billedEpisode();
    const c = await submit(invoice.id);
    const over = await step(c, 'settle', {
      amountReceived: 1_300_000,
      tds: 50_000,
      disallowances: [{ reason: 'x', amount: 50_000 }],
      utr: 'U',
    });
    expect(over.statusCode).toBe(422);
    expect(over.json().code).toBe('BILLING_CLAIM_AMOUNTS');
    const noUtr = await step(c, 'settle', { amountReceived: 100_000 });
    expect(noUtr.statusCode).toBe(422);
    const empty = await step(c, 'settle', { amountReceived: 0 });
    expect(empty.statusCode).toBe(422);
    await t.database.db.update(policies).set({ used: 49_500_000 }).where(eq(policies.id, policy.id));
    const beyond = await step(c, 'settle', { amountReceived: 1_000_000, utr: 'U' });
    expect(beyond.statusCode).toBe(422);
    expect(beyond.json().code).toBe('BILLING_POLICY_BALANCE');
    const [row] = await t.database.db.select().from(claims).where(eq(claims.id, c.id));
    expect(row).toMatchObject({ status: 'submitted', settledAmount: 0, version: 1 });
  });

  it('claims only final IPD bills with a payer share, once', async () => {
    const episode = await w.insuredEpisode();
    const opd = await w.finalInvoice(episode.account, { kind: 'opd' });
    const res = await w.call('POST', '/api/v1/billing/claims', w.insuranceDesk.headers, {
      invoiceId: opd.id,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('BILLING_CLAIM_NEEDS_FINAL_BILL');
    const cashOnly = await w.finalInvoice(episode.account, { lines: [{ unitPrice: 10_000, payerShare: 0 }] });
    const none = await w.call('POST', '/api/v1/billing/claims', w.insuranceDesk.headers, {
      invoiceId: cashOnly.id,
    });
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('BILLING_CLAIM_NO_PAYER_SHARE');
    const bill = await w.finalInvoice(episode.account);
    const c = await submit(bill.id);
    const dup = await w.call('POST', '/api/v1/billing/claims', w.insuranceDesk.headers, {
      invoiceId: bill.id,
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('BILLING_CLAIM_EXISTS');
    const cancelled = await stepOk(c, 'cancel', { reason: 'Wrong policy' });
    expect(cancelled.status).toBe('cancelled');
    const resubmitted = await submit(bill.id);
    expect(resubmitted.status).toBe('submitted');
    const unknown = await w.call('POST', '/api/v1/billing/claims', w.insuranceDesk.headers, {
      invoiceId: crypto.randomUUID(),
    });
    expect(unknown.statusCode).toBe(422);
  });

  it('refuses illegal claim transitions (409) and lists claims by payer', async () => {
    const { invoice, payer } = await billedEpisode();
    const c = await submit(invoice.id);
    expect((await step(c, 'answer', { note: 'nothing asked' })).statusCode).toBe(409);
    const approved = await stepOk(c, 'approve', { approvedAmount: 1_378_000 });
    expect(approved.status).toBe('approved');
    for (const [name, body] of [
      ['query', { note: 'x' }],
      ['deny', { note: 'x' }],
      ['cancel', { reason: 'x' }],
      ['approve', { approvedAmount: 1 }],
    ] as const) {
      expect((await step(approved, name, body)).statusCode, name).toBe(409);
    }
    expect((await step(approved, 'approve', { approvedAmount: 1 })).json().code).toBe(
      'BILLING_CLAIM_TRANSITION',
    );
    const list = await w.ok<{ items: { id: string }[] }>(
      'GET',
      `/api/v1/billing/claims?payerId=${payer.id}`,
      w.insuranceDesk.headers,
    );
    expect(list.items.map((x) => x.id)).toEqual([c.id]);
    expect((await w.call('GET', `/api/v1/billing/claims/${c.id}`, w.nurse.headers)).statusCode).toBe(403);
    expect((await w.call('GET', `/api/v1/billing/claims/${c.id}`, w.frontDesk.headers)).statusCode).toBe(403);
  });
});

describe('aging of receivables', () => {
  it('buckets what payers owe on open claims by days since submission, and patient dues by days since issue', async () => {
    const world = await createInsuranceWorld(t);
    const episode = await world.insuredEpisode();
    const day = 86_400_000;
    const now = Date.now();
    const claimIds: string[] = [];
    // Three bills of one payer: claimed 45 days ago (half settled), 100 days ago, and 10 days ago then settled in full.
    for (const ageDays of [45, 100, 10]) {
      const invoice = await world.finalInvoice(episode.account, {
        payerId: episode.payer.id,
        issuedAt: new Date(now - ageDays * day),
        lines: [{ unitPrice: 1_000_000, payerShare: 900_000 }],
      });
      const res = await world.call('POST', '/api/v1/billing/claims', world.insuranceDesk.headers, {
        invoiceId: invoice.id,
      });
      expect(res.statusCode).toBe(201);
      claimIds.push(res.json().id);
      await t.database.db
        .update(claims)
        .set({ submittedAt: new Date(now - ageDays * day) })
        .where(eq(claims.id, res.json().id));
    }
    await world.ok('POST', `/api/v1/billing/claims/${claimIds[0]}/settle`, world.insuranceDesk.headers, {
      amountReceived: 400_000,
      tds: 50_000,
      utr: 'UTR-AGING',
      version: 1,
    });
    await world.ok('POST', `/api/v1/billing/claims/${claimIds[2]}/settle`, world.insuranceDesk.headers, {
      amountReceived: 900_000,
      utr: 'UTR-FULL',
      version: 1,
    });
    const report = await world.ok<{
      payers: { payerId: string; openClaims: number; amounts: Record<string, number> }[];
      totals: Record<string, number>;
    }>('GET', '/api/v1/billing/aging/payers', world.manager.headers);
    expect(report.payers).toHaveLength(1);
    expect(report.payers[0]).toMatchObject({
      payerId: episode.payer.id,
      openClaims: 2,
      amounts: { '0-30': 0, '31-60': 450_000, '61-90': 0, '91-180': 900_000, '181+': 0, total: 1_350_000 },
    });
    expect(report.totals.total).toBe(1_350_000);
    // As of 60 days ago only the 100-day-old claim existed (then 40 days old).
    const earlier = new Date(now - 60 * day).toISOString().slice(0, 10);
    const past = await world.ok<{ totals: Record<string, number> }>(
      'GET',
      `/api/v1/billing/aging/payers?asOf=${earlier}`,
      world.manager.headers,
    );
    expect(past.totals).toMatchObject({ '31-60': 900_000, total: 900_000 });

    // Patient dues: 100,000 of each bill is the patient's; one bill is partly paid.
    const [oldest] = await t.database.db
      .select()
      .from(invoices)
      .where(
        eq(
          invoices.id,
          (await t.database.db.select().from(claims).where(eq(claims.id, claimIds[1]!)))[0]!.invoiceId,
        ),
      );
    await t.database.db.update(invoices).set({ paid: 60_000 }).where(eq(invoices.id, oldest!.id));
    const dues = await world.ok<{
      patients: {
        patientId: string;
        openInvoices: number;
        patient: { mrn: string } | null;
        amounts: Record<string, number>;
      }[];
      totals: Record<string, number>;
    }>('GET', '/api/v1/billing/aging/patients', world.manager.headers);
    expect(dues.patients).toHaveLength(1);
    expect(dues.patients[0]).toMatchObject({
      patientId: episode.patient.id,
      openInvoices: 3,
      patient: { mrn: episode.patient.mrn },
      amounts: { '0-30': 100_000, '31-60': 100_000, '91-180': 40_000, total: 240_000 },
    });
    for (const who of [world.insuranceDesk, world.nurse, world.frontDesk]) {
      expect((await world.call('GET', '/api/v1/billing/aging/payers', who.headers)).statusCode).toBe(403);
      expect((await world.call('GET', '/api/v1/billing/aging/patients', who.headers)).statusCode).toBe(403);
    }
    const auditor = await world.staff(['auditor']);
    expect((await world.call('GET', '/api/v1/billing/aging/patients', auditor.headers)).statusCode).toBe(200);
  });
});

describe('FHIR Claim and Coverage', () => {
  it('serves the claim as a valid FHIR Claim, its policy as a Coverage, and both as an exchange Bundle', async () => {
    const { invoice, policy, patient } = await billedEpisode();
    const c = await submit(invoice.id);
    const fhirHeaders = { ...w.insuranceDesk.headers, accept: 'application/fhir+json' };
    const claimRes = await w.call('GET', `/fhir/R4/Claim/${c.id}`, fhirHeaders);
    expect(claimRes.statusCode).toBe(200);
    const claim = claimRes.json();
    expect(claim).toMatchObject({
      resourceType: 'Claim',
      id: c.id,
      patient: { reference: `Patient/${patient.id}` },
      insurance: [{ coverage: { reference: `Coverage/${policy.id}` } }],
      total: { value: 13780, currency: 'INR' },
      diagnosis: [{ diagnosisCodeableConcept: { text: 'Dengue fever with warning signs (A97.1)' } }],
    });
    expect(claim.item).toHaveLength(3);
    expectValidFhir(claim);
    const coverage = (await w.call('GET', `/fhir/R4/Coverage/${policy.id}`, fhirHeaders)).json();
    expect(coverage).toMatchObject({
      resourceType: 'Coverage',
      beneficiary: { reference: `Patient/${patient.id}` },
    });
    expectValidFhir(coverage);
    const bundle = await w.call('GET', `/api/v1/billing/claims/${c.id}/fhir`, w.insuranceDesk.headers);
    expect(bundle.statusCode).toBe(200);
    expect(bundle.json()).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(
      bundle.json().entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType),
    ).toEqual(['Claim', 'Coverage']);
    expectValidFhir(bundle.json());

    expect((await w.call('GET', `/fhir/R4/Claim/${crypto.randomUUID()}`, fhirHeaders)).statusCode).toBe(404);
    expect((await w.call('GET', '/fhir/R4/Coverage/not-an-id', fhirHeaders)).statusCode).toBe(404);
    expect(
      (await w.call('GET', `/api/v1/billing/claims/${crypto.randomUUID()}/fhir`, w.insuranceDesk.headers))
        .statusCode,
    ).toBe(404);
    expect(
      (await w.call('GET', `/fhir/R4/Claim/${c.id}`, { ...w.nurse.headers, accept: 'application/fhir+json' }))
        .statusCode,
    ).toBe(403);
    const metadata = (await w.call('GET', '/fhir/R4/metadata', {})).json();
    const types = metadata.rest[0].resource.map((r: { type: string }) => r.type);
    expect(types).toEqual(expect.arrayContaining(['Claim', 'Coverage']));
  });
});
