import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { outbox } from '../../platform/events/events.tables';
import { createInsuranceWorld, type InsuranceWorld } from './insurance-test-support';
import { approvedCover } from './preauths.service';

let t: TestApp;
let w: InsuranceWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await createInsuranceWorld(t);
}, 120_000);
afterAll(() => t.close());

type Detail = {
  id: string;
  number: string;
  status: string;
  version: number;
  requestedAmount: number;
  approvedAmount: number;
  enhancementPending: boolean;
  history: { kind: string; status: string; amount: number | null; note: string | null; recordedBy: string }[];
};

async function request(accountId: string, requestedAmount = 15_000_000) {
  return w.ok<Detail>('POST', '/api/v1/billing/preauths', w.insuranceDesk.headers, {
    accountId,
    diagnosis: 'Acute calculous cholecystitis (K80.0)',
    plannedTreatment: 'Laparoscopic cholecystectomy, 3 days stay',
    estimate: 18_000_000,
    requestedAmount,
  });
}

async function step(p: { id: string; version: number }, name: string, body: Record<string, unknown> = {}) {
  return w.call('POST', `/api/v1/billing/preauths/${p.id}/${name}`, w.insuranceDesk.headers, {
    version: p.version,
    ...body,
  });
}

async function stepOk(p: { id: string; version: number }, name: string, body: Record<string, unknown> = {}) {
  const res = await step(p, name, body);
  if (res.statusCode !== 200) throw new Error(`${name}: ${res.statusCode} ${res.body}`);
  return res.json() as Detail;
}

describe('pre-authorizations', () => {
  it('goes submitted -> query -> submitted -> partially approved, then an enhancement is approved', async () => {
    const { account } = await w.insuredEpisode();
    // 1. The TPA desk requests cashless treatment.
    let p = await request(account.id);
    expect(p.number).toMatch(/^PA\/\d{4}-\d{2}\/\d{5}$/);
    expect(p).toMatchObject({ status: 'submitted', requestedAmount: 15_000_000, approvedAmount: 0 });
    // 2. The TPA asks for the ultrasound report; 3. the desk answers.
    p = await stepOk(p, 'query', { note: 'Send the USG abdomen report' });
    expect(p.status).toBe('query');
    p = await stepOk(p, 'answer', { note: 'USG report attached' });
    expect(p.status).toBe('submitted');
    // 4. The TPA approves part of it.
    p = await stepOk(p, 'approve', { approvedAmount: 12_000_000, payerReference: 'CB-PA-99812' });
    expect(p).toMatchObject({
      status: 'partially-approved',
      approvedAmount: 12_000_000,
      enhancementPending: false,
    });
    expect(await approvedCover(t.database.db, account.id)).toBe(12_000_000);
    // 5. The stay grows: an enhancement; the earlier approval still covers meanwhile.
    p = await stepOk(p, 'enhance', { requestedAmount: 20_000_000, note: 'Post-op ileus, 2 more days' });
    expect(p).toMatchObject({ status: 'submitted', requestedAmount: 20_000_000, enhancementPending: true });
    expect(await approvedCover(t.database.db, account.id)).toBe(12_000_000);
    // 6. The enhancement is approved in full: the approved amount rises.
    p = await stepOk(p, 'approve', { approvedAmount: 20_000_000 });
    expect(p).toMatchObject({ status: 'approved', approvedAmount: 20_000_000 });
    expect(await approvedCover(t.database.db, account.id)).toBe(20_000_000);
    expect(p.history.map((h) => [h.kind, h.status, h.amount])).toEqual([
      ['submitted', 'submitted', 15_000_000],
      ['query', 'query', null],
      ['answer', 'submitted', null],
      ['partially-approved', 'partially-approved', 12_000_000],
      ['enhancement', 'submitted', 20_000_000],
      ['enhancement-approved', 'approved', 20_000_000],
    ]);
    expect(p.history[1]!.note).toBe('Send the USG abdomen report');
    const events = await t.database.db.select().from(outbox).where(eq(outbox.aggregateId, p.id));
    expect(events.map((e) => e.type)).toEqual(['billing.preauth.decided', 'billing.preauth.decided']);
  });

  it('keeps the earlier approval when an enhancement is denied, and stops counting a denied or cancelled one', async () => {
    const { account } = await w.insuredEpisode();
    let p = await request(account.id, 5_000_000);
    p = await stepOk(p, 'approve', { approvedAmount: 5_000_000 });
    p = await stepOk(p, 'enhance', { requestedAmount: 8_000_000, note: 'ICU stay' });
    p = await stepOk(p, 'deny', { note: 'Not medically justified' });
    expect(p).toMatchObject({ status: 'partially-approved', approvedAmount: 5_000_000 });
    expect(p.history.at(-1)).toMatchObject({ kind: 'enhancement-denied', status: 'partially-approved' });

    const second = await request(account.id, 1_000_000);
    const denied = await stepOk(second, 'deny', { note: 'Excluded: waiting period' });
    expect(denied.status).toBe('denied');
    expect(await approvedCover(t.database.db, account.id)).toBe(5_000_000);
    const cancelled = await stepOk(p, 'cancel', { note: 'Patient chose to pay' });
    expect(cancelled.status).toBe('cancelled');
    expect(await approvedCover(t.database.db, account.id)).toBe(0);
  });

  it('refuses illegal transitions with 409 and stale versions with 409', async () => {
    const { account } = await w.insuredEpisode();
    const p = await request(account.id);
    const illegal: [string, Record<string, unknown>][] = [
      ['answer', { note: 'nothing was asked' }],
      ['enhance', { requestedAmount: 20_000_000, note: 'not approved yet' }],
    ];
    for (const [name, body] of illegal) {
      const res = await step(p, name, body);
      expect(res.statusCode, name).toBe(409);
      expect(res.json().code).toBe('BILLING_PREAUTH_TRANSITION');
    }
    const q = await stepOk(p, 'query', { note: 'Q' });
    expect((await step(q, 'approve', { approvedAmount: 100 })).statusCode).toBe(409);
    expect((await step(q, 'deny', { note: 'no' })).statusCode).toBe(409);
    expect((await step(p, 'answer', { note: 'stale' })).statusCode).toBe(409);
    const denied = await stepOk(await stepOk(q, 'answer', { note: 'A' }), 'deny', { note: 'Denied' });
    for (const name of ['query', 'answer', 'approve', 'deny', 'enhance', 'cancel']) {
      const res = await step(denied, name, { note: 'x', approvedAmount: 1, requestedAmount: 2 });
      expect(res.statusCode, name).toBe(409);
    }
    const mismatch = await w.call(
      'POST',
      `/api/v1/billing/preauths/${denied.id}/cancel`,
      { ...w.insuranceDesk.headers, 'if-match': 'W/"1"' },
      { note: 'x', version: denied.version },
    );
    expect(mismatch.statusCode).toBe(412);
  });

  it("checks amounts against the request and the policy's balance", async () => {
    const { account } = await w.insuredEpisode({ sumInsured: 10_000_000 });
    const tooMuch = await w.call('POST', '/api/v1/billing/preauths', w.insuranceDesk.headers, {
      accountId: account.id,
      diagnosis: 'Fracture neck of femur',
      plannedTreatment: 'Hemiarthroplasty',
      estimate: 25_000_000,
      requestedAmount: 25_000_000,
    });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().code).toBe('BILLING_POLICY_BALANCE');
    let p = await request(account.id, 8_000_000);
    expect((await step(p, 'approve', { approvedAmount: 9_000_000 })).statusCode).toBe(422);
    p = await stepOk(p, 'approve', { approvedAmount: 6_000_000 });
    const lower = await step(p, 'enhance', { requestedAmount: 6_000_000, note: 'same' });
    expect(lower.statusCode).toBe(422);
    const beyond = await step(p, 'enhance', { requestedAmount: 12_000_000, note: 'beyond the sum insured' });
    expect(beyond.statusCode).toBe(422);
    p = await stepOk(p, 'enhance', { requestedAmount: 9_000_000, note: 'more' });
    const lowered = await step(p, 'approve', { approvedAmount: 5_000_000 });
    expect(lowered.statusCode).toBe(422);
    expect(lowered.json().code).toBe('BILLING_PREAUTH_APPROVAL_LOWERED');
  });

  it('refuses a pre-authorization on an expired policy or an account without one', async () => {
    const patient = await w.patient();
    const payer = await w.payer();
    const expired = await w.policy(patient.id, payer.id, { validFrom: '2023-01-01', validTo: '2024-12-31' });
    const account = await w.account(patient.id);
    const none = await w.call('POST', '/api/v1/billing/preauths', w.insuranceDesk.headers, {
      accountId: account.id,
      diagnosis: 'D',
      plannedTreatment: 'T',
      estimate: 100,
      requestedAmount: 100,
    });
    expect(none.statusCode).toBe(422);
    expect(none.json().code).toBe('BILLING_POLICY_REQUIRED');
    const old = await w.call('POST', '/api/v1/billing/preauths', w.insuranceDesk.headers, {
      accountId: account.id,
      policyId: expired.id,
      diagnosis: 'D',
      plannedTreatment: 'T',
      estimate: 100,
      requestedAmount: 100,
    });
    expect(old.statusCode).toBe(422);
    expect(old.json().code).toBe('BILLING_POLICY_NOT_VALID');
  });

  it('numbers pre-authorizations gaplessly and lists them by account', async () => {
    const { account } = await w.insuredEpisode();
    const a = await request(account.id, 100_000);
    const b = await request(account.id, 200_000);
    const n = (x: string) => Number(x.split('/')[2]);
    expect(n(b.number)).toBe(n(a.number) + 1);
    const list = await w.ok<{ items: { id: string }[] }>(
      'GET',
      `/api/v1/billing/preauths?accountId=${account.id}`,
      w.insuranceDesk.headers,
    );
    expect(list.items.map((x) => x.id)).toEqual([b.id, a.id]);
    const page = await w.ok<{ items: { id: string }[]; nextCursor: string }>(
      'GET',
      `/api/v1/billing/preauths?accountId=${account.id}&limit=1`,
      w.insuranceDesk.headers,
    );
    const next = await w.ok<{ items: { id: string }[] }>(
      'GET',
      `/api/v1/billing/preauths?accountId=${account.id}&limit=1&cursor=${page.nextCursor}`,
      w.insuranceDesk.headers,
    );
    expect([...page.items, ...next.items].map((x) => x.id)).toEqual([b.id, a.id]);
    const detail = await w.call('GET', `/api/v1/billing/preauths/${a.id}`, w.insuranceDesk.headers);
    expect(detail.statusCode).toBe(200);
    expect(detail.headers.etag).toBe('W/"1"');
  });

  it('is closed to roles without billing:insurance (403)', async () => {
    const { account } = await w.insuredEpisode();
    const p = await request(account.id);
    for (const who of [w.nurse, w.frontDesk]) {
      expect((await w.call('GET', `/api/v1/billing/preauths/${p.id}`, who.headers)).statusCode).toBe(403);
      const res = await w.call('POST', `/api/v1/billing/preauths/${p.id}/approve`, who.headers, {
        approvedAmount: 1,
        version: p.version,
      });
      expect(res.statusCode).toBe(403);
    }
  });
});
