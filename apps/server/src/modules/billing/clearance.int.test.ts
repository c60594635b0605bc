import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { systemCtx } from '../../platform/context';
import type { BillingEnv } from './billing.env';
import { accounts, payers, policies, preauths } from './billing.tables';
import { BILLING_CLEARANCE_ITEM, registerClearanceSubscriptions, reviewClearance } from './clearance.service';
import { createPaymentsWorld, type PaymentsWorld } from './payments-test-support';

// The discharge clearance with IPD's real flow: billing holds 'billing.final-bill' when the discharge starts and
// releases it once the final bill's patient share is paid and the payer's share is guaranteed.

let t: TestApp;
let w: PaymentsWorld;
let env: BillingEnv;
const base = '/api/v1/billing';

beforeAll(async () => {
  t = await createTestApp();
  env = { events: t.app.deps.events, database: t.database };
  // Until the lead wires it into billing's plugin (then it is registered already).
  if (!t.app.deps.events.subscriptions.has('billing.discharge-clearance')) {
    registerClearanceSubscriptions(t.app.deps, env);
  }
  w = await createPaymentsWorld(t);
  await w.openShift(w.clerk, 0);
}, 120_000);
afterAll(() => t.close());

type Clearance = { id: string; item: string; status: string; heldBy: string; version: number };

async function inPatient() {
  const patient = await w.patient();
  const admission = await w.admit(patient.id);
  const [existing] = await t.database.db
    .select()
    .from(accounts)
    .where(and(eq(accounts.facilityId, w.facilityId), eq(accounts.admissionId, admission.id)));
  const account =
    existing ??
    (await w.account(patient.id, {
      kind: 'ipd',
      episodeKey: `ipd.admission:${admission.id}`,
      admissionId: admission.id,
      admissionNumber: admission.admissionNumber,
    }));
  return { patient, admission, account };
}

const clearances = async (admissionId: string) =>
  (
    await w.ok<{ items: Clearance[] }>(
      'GET',
      `/api/v1/ipd/admissions/${admissionId}/clearances`,
      w.admin.headers,
    )
  ).items;
const billingItem = async (admissionId: string) =>
  (await clearances(admissionId)).find((c) => c.item === BILLING_CLEARANCE_ITEM);

async function initiate(admission: { id: string; version: number }) {
  return w.ok<{ version: number }>(
    'POST',
    `/api/v1/ipd/admissions/${admission.id}/discharge/initiate`,
    w.admin.headers,
    {
      type: 'normal',
      version: admission.version,
    },
  );
}

/** Clears IPD's own checklist items, so that only billing's can hold the discharge. */
async function clearIpdItems(admissionId: string) {
  for (const c of await clearances(admissionId)) {
    if (c.heldBy !== 'ipd' || c.status !== 'pending') continue;
    await w.ok('POST', `/api/v1/ipd/admissions/${admissionId}/clearances/${c.id}`, w.admin.headers, {
      action: 'clear',
      note: 'Done',
      version: c.version,
    });
  }
}

const take = (body: Record<string, unknown>) =>
  w.ok<{ id: string; allocated: number }>('POST', `${base}/payments`, w.clerk.headers, {
    kind: 'payment',
    mode: 'cash',
    ...body,
  });

describe('the discharge clearance', () => {
  it('holds the discharge until the final bill is paid, then lets it complete', async () => {
    // 1. Asha is admitted and pays a deposit of INR 200 on admission.
    const { patient, admission, account } = await inPatient();
    const deposit = await take({
      patientId: patient.id,
      accountId: account.id,
      kind: 'deposit',
      amount: 20_000,
    });
    // 2. The doctor initiates the discharge: billing holds it.
    const initiated = await initiate(admission);
    await w.deliver();
    expect(await billingItem(admission.id)).toMatchObject({ status: 'pending', heldBy: 'billing' });
    await clearIpdItems(admission.id);
    const held = await w.call(
      'POST',
      `/api/v1/ipd/admissions/${admission.id}/discharge/complete`,
      w.admin.headers,
      {
        version: initiated.version,
      },
    );
    expect(held.statusCode).toBe(409);
    expect(held.json().pending).toEqual([expect.objectContaining({ item: BILLING_CLEARANCE_ITEM })]);
    // 3. The final bill of INR 300: the deposit pays 200 of it; still held.
    await w.invoice(account, { patientShare: 30_000, kind: 'ipd-final' });
    await w.ok('POST', `${base}/payments/${deposit.id}/allocations`, w.clerk.headers, { auto: true });
    await w.deliver();
    expect((await billingItem(admission.id))!.status).toBe('pending');
    expect(await w.events('discharge-clearance.released', admission.id)).toHaveLength(0);
    // 4. Asha pays the last INR 100 by UPI: released, once.
    await take({
      patientId: patient.id,
      accountId: account.id,
      mode: 'upi',
      reference: 'UPI-77',
      amount: 10_000,
      autoAllocate: true,
    });
    await w.deliver();
    expect((await billingItem(admission.id))!.status).toBe('cleared');
    const ctx = systemCtx(t.database.db, 'test', w.facilityId);
    await t.database.db.transaction((tx) => reviewClearance(tx, ctx, env, account.id));
    expect(await w.events('discharge-clearance.released', admission.id)).toHaveLength(1);
    // 5. The discharge completes.
    const done = await w.call(
      'POST',
      `/api/v1/ipd/admissions/${admission.id}/discharge/complete`,
      w.admin.headers,
      {
        version: initiated.version,
      },
    );
    expect(done.statusCode).toBe(200);
    expect(done.json().status).toBe('discharged');
  });

  it('releases at once when the bill was settled before the discharge started', async () => {
    const { patient, admission, account } = await inPatient();
    const bill = await w.invoice(account, { patientShare: 5_000, kind: 'ipd-final' });
    await take({
      patientId: patient.id,
      amount: 5_000,
      allocations: [{ invoiceId: bill.id, amount: 5_000 }],
    });
    await initiate(admission);
    await w.deliver();
    expect((await billingItem(admission.id))!.status).toBe('cleared');
    expect(await w.events('discharge-clearance.held', admission.id)).toHaveLength(0);
  });

  it("counts an approved pre-authorization as the payer's guarantee, and holds again when the bill is credited", async () => {
    const { patient, admission, account } = await inPatient();
    await initiate(admission);
    await w.deliver();
    const bill = await w.invoice(account, { patientShare: 5_000, payerShare: 50_000, kind: 'ipd-final' });
    await take({
      patientId: patient.id,
      amount: 5_000,
      allocations: [{ invoiceId: bill.id, amount: 5_000 }],
    });
    await w.deliver();
    expect((await billingItem(admission.id))!.status).toBe('pending');
    // The TPA approves a pre-authorization of INR 600 (insurance's job; written here directly).
    const db = t.database.db;
    const [payer] = await db
      .insert(payers)
      .values({
        facilityId: w.facilityId,
        code: `TPA-${randomUUID().slice(0, 6)}`,
        name: 'Test TPA',
        kind: 'tpa',
      })
      .returning();
    const [policy] = await db
      .insert(policies)
      .values({
        facilityId: w.facilityId,
        patientId: patient.id,
        payerId: payer!.id,
        policyNumber: `POL-${randomUUID().slice(0, 8)}`,
        memberId: 'M1',
        validFrom: '2026-01-01',
        validTo: '2030-12-31',
        sumInsured: 50_000_000,
      })
      .returning();
    await db.insert(preauths).values({
      facilityId: w.facilityId,
      accountId: account.id,
      policyId: policy!.id,
      patientId: patient.id,
      number: `PA-${randomUUID().slice(0, 8)}`,
      estimate: 60_000,
      requestedAmount: 60_000,
      approvedAmount: 60_000,
      status: 'approved',
    });
    const ctx = systemCtx(db, 'test', w.facilityId);
    await db.transaction((tx) => reviewClearance(tx, ctx, env, account.id));
    await w.deliver();
    expect((await billingItem(admission.id))!.status).toBe('cleared');
    // A credit note cancels the bill (the invoices service's job): billing holds the discharge again.
    await w.cancelInvoice(bill.id);
    await db.transaction((tx) => reviewClearance(tx, ctx, env, account.id));
    await w.deliver();
    expect((await billingItem(admission.id))!.status).toBe('pending');
  });
});
