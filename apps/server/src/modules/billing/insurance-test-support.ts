import { randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { bearer, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { accounts, invoiceLines, invoices } from './billing.tables';
import { billingModule } from './index';

// Test factories of the insurance tests: a facility of its own (Asia/Kolkata), its staff by role, patients
// (through HTTP), payers, plans and policies (through HTTP), and the rows other billing helpers will create
// through their services (accounts, final IPD bills with a payer share), inserted directly for now.

type Headers = Record<string, string>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

export const letters = (n: number) =>
  Array.from(randomBytes(n), (b) => 'abcdefghijklmnopqrstuvwxyz'[b % 26])
    .join('')
    .replace(/^./, (c) => c.toUpperCase());

export type InsuranceWorld = Awaited<ReturnType<typeof createInsuranceWorld>>;
export type TestLine = {
  serviceCode?: string;
  serviceGroup?: string;
  description?: string;
  quantity?: number;
  unitPrice: number;
  /** The payer's part of the line (default: all of it). */
  payerShare?: number;
};

/**
 * The accounts-manager role is declared by billing but missing from contracts' builtinRoleNames, so
 * syncPermissions never creates it. Until that is fixed, tests create it with billing's grants for it.
 */
async function ensureAccountsManagerRole(t: TestApp) {
  const permissions = billingModule.permissions
    .filter((p) => p.roles.includes('accounts-manager'))
    .map((p) => p.name)
    .sort();
  // Raw SQL: the platform's tables are private to it outside tests (dependency-cruiser).
  await t.database.db.execute(
    sql`insert into access.roles (id, name, description, permissions, builtin)
        values (gen_random_uuid(), 'accounts-manager', 'Accounts manager', ${`{${permissions.join(',')}}`}::text[], true)
        on conflict (name) do nothing`,
  );
}

export async function createInsuranceWorld(t: TestApp) {
  await ensureAccountsManagerRole(t);
  const code = `N${letters(6).toUpperCase()}`;
  const facility = await t.app.inject({
    method: 'POST',
    url: '/api/v1/organization/facilities',
    headers: bearer(t.admin.token),
    payload: { code, name: `Insurance test ${code}`, timeZone: 'Asia/Kolkata' },
  });
  if (facility.statusCode !== 201) throw new Error(`facility: ${facility.statusCode} ${facility.body}`);
  const facilityId = facility.json().id as string;
  const staff = async (roles: string[], displayName?: string) => {
    const user = await createTestUser(t.database, { roles, facilityId, displayName });
    return { id: user.id, headers: bearer(await signIn(t.app, user.email), facilityId) };
  };
  const admin = await staff(['admin']);
  const insuranceDesk = await staff(['insurance-desk'], 'Meera (TPA desk)');
  const manager = await staff(['accounts-manager'], 'Arun (accounts)');
  const frontDesk = await staff(['front-desk']);
  const nurse = await staff(['nurse']);

  async function call(method: Method, url: string, headers: Headers, payload?: unknown) {
    return t.app.inject({
      method,
      url,
      headers,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  }
  async function ok<T = Record<string, unknown>>(
    method: Method,
    url: string,
    headers: Headers,
    payload?: unknown,
  ): Promise<T> {
    const res = await call(method, url, headers, payload);
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  }

  return {
    t,
    facilityId,
    admin,
    insuranceDesk,
    manager,
    frontDesk,
    nurse,
    staff,
    call,
    ok,

    /** A registered patient. */
    async patient() {
      const body = {
        name: { given: letters(7), family: letters(9) },
        sex: 'female',
        birth: { birthDate: '1978-04-12' },
      };
      let res = await call('POST', '/api/v1/patients', frontDesk.headers, body);
      if (res.statusCode === 409) {
        res = await call('POST', '/api/v1/patients', frontDesk.headers, {
          ...body,
          duplicateOverride: { reason: 'test patient', candidateIds: [] },
        });
      }
      if (res.statusCode !== 201) throw new Error(`patient: ${res.statusCode} ${res.body}`);
      return res.json() as { id: string; displayName: string; mrn: string };
    },

    async payer(overrides: Record<string, unknown> = {}) {
      return ok<{ id: string; code: string; kind: string; version: number }>(
        'POST',
        '/api/v1/billing/payers',
        manager.headers,
        {
          code: `P-${letters(5).toUpperCase()}`,
          name: `Fictional Assurance ${letters(4)}`,
          kind: 'insurer',
          ...overrides,
        },
      );
    },

    async plan(payerId: string, overrides: Record<string, unknown> = {}) {
      return ok<{ id: string; code: string; version: number }>(
        'POST',
        `/api/v1/billing/payers/${payerId}/plans`,
        manager.headers,
        { code: `PL-${letters(4).toUpperCase()}`, name: `Silver ${letters(4)}`, copayBp: 1000, ...overrides },
      );
    },

    async policy(patientId: string, payerId: string, overrides: Record<string, unknown> = {}) {
      return ok<{ id: string; version: number; sumInsured: number; used: number; balance: number }>(
        'POST',
        '/api/v1/billing/policies',
        insuranceDesk.headers,
        {
          patientId,
          payerId,
          policyNumber: `POL-${letters(8).toUpperCase()}`,
          memberId: `M-${letters(6).toUpperCase()}`,
          holderName: 'Policy Holder',
          relationToHolder: 'self',
          validFrom: '2025-01-01',
          validTo: '2035-12-31',
          sumInsured: 50_000_000,
          ...overrides,
        },
      );
    },

    /** An IPD billing account (inserted directly: the charges helper owns its creation). */
    async account(patientId: string, overrides: Partial<typeof accounts.$inferInsert> = {}) {
      const admissionId = randomUUID();
      const [row] = await t.database.db
        .insert(accounts)
        .values({
          facilityId,
          patientId,
          kind: 'ipd',
          episodeKey: `ipd.admission:${admissionId}`,
          admissionId,
          admissionNumber: `ADM-${letters(5).toUpperCase()}`,
          ...overrides,
        })
        .returning();
      return row!;
    },

    /**
     * A final IPD bill of an account with a payer share (inserted as a draft with its lines, then made final
     * with a number: the trigger of migration 0015 freezes it from then on).
     */
    async finalInvoice(
      account: { id: string; patientId: string; policyId: string | null },
      options: { lines?: TestLine[]; payerId?: string | null; issuedAt?: Date; kind?: string } = {},
    ) {
      const lines = (
        options.lines ?? [
          {
            serviceCode: 'ROOM-GEN',
            serviceGroup: 'room',
            description: 'General ward bed',
            quantity: 4,
            unitPrice: 250_000,
          },
          {
            serviceCode: 'LAB-CBC',
            serviceGroup: 'investigation',
            description: 'Complete blood count',
            quantity: 2,
            unitPrice: 45_000,
          },
          {
            serviceCode: 'CONS-IP',
            serviceGroup: 'consultation',
            description: 'In-patient visit',
            quantity: 4,
            unitPrice: 80_000,
            payerShare: 288_000,
          },
        ]
      ).map((l, i) => {
        const quantity = l.quantity ?? 1;
        const amount = quantity * l.unitPrice;
        const payerShare = l.payerShare ?? amount;
        return {
          position: i + 1,
          serviceGroup: l.serviceGroup ?? 'procedure',
          serviceCode: l.serviceCode ?? `SVC-${i + 1}`,
          description: l.description ?? `Service ${i + 1}`,
          serviceDate: '2026-04-10',
          quantity,
          unitPrice: l.unitPrice,
          amount,
          taxCode: 'EXEMPT',
          total: amount,
          payerShare,
          patientShare: amount - payerShare,
        };
      });
      const total = lines.reduce((s, l) => s + l.total, 0);
      const payerShare = lines.reduce((s, l) => s + l.payerShare, 0);
      const db = t.database.db;
      const [draft] = await db
        .insert(invoices)
        .values({
          facilityId,
          accountId: account.id,
          patientId: account.patientId,
          kind: options.kind ?? 'ipd-final',
          series: 'INV',
          gross: total,
          total,
          payerShare,
          patientShare: total - payerShare,
          payerId: options.payerId ?? null,
          policyId: account.policyId,
        })
        .returning();
      await db.insert(invoiceLines).values(lines.map((l) => ({ ...l, invoiceId: draft!.id })));
      const [final] = await db
        .update(invoices)
        .set({
          status: 'final',
          financialYear: '2026-27',
          number: `INV/2026-27/${letters(6).toUpperCase()}`,
          issuedAt: options.issuedAt ?? new Date(),
          issuedByName: 'Test clerk',
        })
        .where(eq(invoices.id, draft!.id))
        .returning();
      return final!;
    },

    /** A patient with a policy of a fresh payer, and an open account billed to it. */
    async insuredEpisode(policyOverrides: Record<string, unknown> = {}) {
      const patient = await this.patient();
      const payer = await this.payer();
      const policy = await this.policy(patient.id, payer.id, policyOverrides);
      const account = await this.account(patient.id);
      const attached = await ok<{ version: number }>(
        'PUT',
        `/api/v1/billing/accounts/${account.id}/policy`,
        insuranceDesk.headers,
        { policyId: policy.id },
      );
      return {
        patient,
        payer,
        policy,
        account: { ...account, policyId: policy.id, version: attached.version },
      };
    },
  };
}
