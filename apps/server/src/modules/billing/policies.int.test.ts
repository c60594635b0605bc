import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { auditEntries } from '../../platform/audit/audit.tables';
import { accounts, policies } from './billing.tables';
import { createInsuranceWorld, type InsuranceWorld } from './insurance-test-support';

let t: TestApp;
let w: InsuranceWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await createInsuranceWorld(t);
}, 120_000);
afterAll(() => t.close());

async function auditsOf(resourceType: string, resourceId: string) {
  return t.database.db
    .select()
    .from(auditEntries)
    .where(and(eq(auditEntries.resourceType, resourceType), eq(auditEntries.resourceId, resourceId)));
}

describe("patients' policies", () => {
  it('records a policy with its TPA and plan, shows the balance, and audits the write and every read', async () => {
    const patient = await w.patient();
    const insurer = await w.payer({ name: 'Aranya Health Assurance' });
    const tpa = await w.payer({ kind: 'tpa', name: 'CareBridge TPA' });
    const plan = await w.plan(insurer.id, { copayBp: 1000 });
    const policy = await w.ok<Record<string, unknown> & { id: string }>(
      'POST',
      '/api/v1/billing/policies',
      w.insuranceDesk.headers,
      {
        patientId: patient.id,
        payerId: insurer.id,
        tpaId: tpa.id,
        planId: plan.id,
        policyNumber: 'AHA/2026/778812',
        memberId: 'AHA-778812-02',
        holderName: 'Rakesh Sharma',
        relationToHolder: 'spouse',
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
        sumInsured: 50_000_000,
        documents: [{ name: 'Insurance card (front)' }],
      },
    );
    expect(policy).toMatchObject({
      payerName: 'Aranya Health Assurance',
      payerKind: 'insurer',
      tpaName: 'CareBridge TPA',
      planId: plan.id,
      sumInsured: 50_000_000,
      used: 0,
      balance: 50_000_000,
      currency: 'INR',
      status: 'active',
      patient: { id: patient.id, mrn: patient.mrn },
    });
    expect((policy.documents as { name: string; receivedAt: string }[])[0]).toMatchObject({
      name: 'Insurance card (front)',
      documentId: null,
    });
    const read = await w.call('GET', `/api/v1/billing/policies/${policy.id}`, w.insuranceDesk.headers);
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('W/"1"');
    const withDoc = await w.ok<{ documents: unknown[]; version: number }>(
      'POST',
      `/api/v1/billing/policies/${policy.id}/documents`,
      w.insuranceDesk.headers,
      { name: 'Aadhaar (masked)', documentId: crypto.randomUUID() },
    );
    expect(withDoc.documents).toHaveLength(2);
    const list = await w.ok<{ items: { id: string }[] }>(
      'GET',
      `/api/v1/billing/policies?patientId=${patient.id}`,
      w.insuranceDesk.headers,
    );
    expect(list.items.map((p) => p.id)).toEqual([policy.id]);
    const audits = await auditsOf('InsurancePolicy', policy.id);
    expect(audits.map((a) => a.action).sort()).toEqual(['create', 'read', 'update']);
    expect(audits.every((a) => a.patientId === patient.id)).toBe(true);
    const search = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.resourceType, 'InsurancePolicy'), eq(auditEntries.action, 'search')));
    expect(search.some((a) => a.patientId === patient.id)).toBe(true);
  });

  it('refuses a TPA as the payer, a plan of another payer, and a policy ending before it starts', async () => {
    const patient = await w.patient();
    const insurer = await w.payer();
    const tpa = await w.payer({ kind: 'tpa' });
    const otherPlan = await w.plan((await w.payer()).id);
    const base = {
      patientId: patient.id,
      policyNumber: 'X-1',
      memberId: 'M-1',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      sumInsured: 1_000_000,
    };
    const asTpa = await w.call('POST', '/api/v1/billing/policies', w.insuranceDesk.headers, {
      ...base,
      payerId: tpa.id,
    });
    expect(asTpa.statusCode).toBe(422);
    expect(asTpa.json().code).toBe('BILLING_PAYER_IS_TPA');
    const wrongPlan = await w.call('POST', '/api/v1/billing/policies', w.insuranceDesk.headers, {
      ...base,
      payerId: insurer.id,
      planId: otherPlan.id,
    });
    expect(wrongPlan.statusCode).toBe(422);
    expect(wrongPlan.json().code).toBe('BILLING_PLAN_NOT_FOUND');
    const backwards = await w.call('POST', '/api/v1/billing/policies', w.insuranceDesk.headers, {
      ...base,
      payerId: insurer.id,
      validFrom: '2026-12-31',
      validTo: '2026-01-01',
    });
    expect(backwards.statusCode).toBe(400);
    const dup1 = await w.call('POST', '/api/v1/billing/policies', w.insuranceDesk.headers, {
      ...base,
      payerId: insurer.id,
    });
    expect(dup1.statusCode).toBe(201);
    const dup2 = await w.call('POST', '/api/v1/billing/policies', w.insuranceDesk.headers, {
      ...base,
      payerId: insurer.id,
    });
    expect(dup2.statusCode).toBe(409);
  });

  it('never lets the sum insured drop below what is used', async () => {
    const patient = await w.patient();
    const payer = await w.payer();
    const policy = await w.policy(patient.id, payer.id, { sumInsured: 1_000_000 });
    await t.database.db.update(policies).set({ used: 600_000 }).where(eq(policies.id, policy.id));
    const below = await w.call('PATCH', `/api/v1/billing/policies/${policy.id}`, w.insuranceDesk.headers, {
      sumInsured: 500_000,
      version: 1,
    });
    expect(below.statusCode).toBe(422);
    const above = await w.ok<{ balance: number; version: number }>(
      'PATCH',
      `/api/v1/billing/policies/${policy.id}`,
      { ...w.insuranceDesk.headers, 'if-match': 'W/"1"' },
      { sumInsured: 800_000, version: 1 },
    );
    expect(above).toMatchObject({ balance: 200_000, version: 2 });
  });

  it('attaches a valid policy to an account (payer category from the payer kind) and refuses expired ones', async () => {
    const patient = await w.patient();
    const corporate = await w.payer({ kind: 'corporate', name: 'Vedanta Textiles Ltd (staff)' });
    const scheme = await w.payer({ kind: 'government', name: 'State Health Scheme (fictional)' });
    const corporatePolicy = await w.policy(patient.id, corporate.id);
    const expired = await w.policy(patient.id, scheme.id, { validFrom: '2024-04-01', validTo: '2025-03-31' });
    const account = await w.account(patient.id);

    const refused = await w.call(
      'PUT',
      `/api/v1/billing/accounts/${account.id}/policy`,
      w.insuranceDesk.headers,
      {
        policyId: expired.id,
      },
    );
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('BILLING_POLICY_NOT_VALID');
    const onServiceDate = await w.ok<{ payerCategory: string; policyId: string }>(
      'PUT',
      `/api/v1/billing/accounts/${account.id}/policy`,
      w.insuranceDesk.headers,
      { policyId: expired.id, serviceDate: '2025-02-10' },
    );
    expect(onServiceDate).toMatchObject({ policyId: expired.id, payerCategory: 'government' });

    const attached = await w.ok<{ payerCategory: string; version: number }>(
      'PUT',
      `/api/v1/billing/accounts/${account.id}/policy`,
      w.insuranceDesk.headers,
      { policyId: corporatePolicy.id },
    );
    expect(attached.payerCategory).toBe('corporate');
    const [row] = await t.database.db.select().from(accounts).where(eq(accounts.id, account.id));
    expect(row).toMatchObject({ policyId: corporatePolicy.id, payerCategory: 'corporate' });

    const stale = await w.call(
      'PUT',
      `/api/v1/billing/accounts/${account.id}/policy`,
      w.insuranceDesk.headers,
      {
        policyId: null,
        version: 1,
      },
    );
    expect(stale.statusCode).toBe(409);
    const cash = await w.ok<{ payerCategory: string; policyId: string | null }>(
      'PUT',
      `/api/v1/billing/accounts/${account.id}/policy`,
      { ...w.insuranceDesk.headers, 'if-match': `W/"${attached.version}"` },
      { policyId: null },
    );
    expect(cash).toMatchObject({ policyId: null, payerCategory: 'cash' });

    const stranger = await w.patient();
    const strangerAccount = await w.account(stranger.id);
    const otherPatients = await w.call(
      'PUT',
      `/api/v1/billing/accounts/${strangerAccount.id}/policy`,
      w.insuranceDesk.headers,
      { policyId: corporatePolicy.id },
    );
    expect(otherPatients.statusCode).toBe(422);
    expect(otherPatients.json().code).toBe('BILLING_POLICY_OTHER_PATIENT');
    const audits = await auditsOf('BillingAccount', account.id);
    expect(audits.length).toBeGreaterThanOrEqual(3);
  });

  it('keeps policies from roles without billing:insurance (403)', async () => {
    const patient = await w.patient();
    const payer = await w.payer();
    const policy = await w.policy(patient.id, payer.id);
    for (const who of [w.nurse, w.frontDesk]) {
      expect((await w.call('GET', `/api/v1/billing/policies/${policy.id}`, who.headers)).statusCode).toBe(
        403,
      );
      expect((await w.call('GET', '/api/v1/billing/policies', who.headers)).statusCode).toBe(403);
      const create = await w.call('POST', '/api/v1/billing/policies', who.headers, {
        patientId: patient.id,
        payerId: payer.id,
        policyNumber: 'N',
        memberId: 'N',
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
        sumInsured: 100,
      });
      expect(create.statusCode).toBe(403);
    }
  });
});
