import { randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { bearer, createTestUser, signIn, type TestApp } from '../../../test/harness';
import {
  accounts,
  allocations,
  charges,
  payerPlans,
  payers,
  payments,
  policies,
  preauths,
  services,
  taxCodes,
  taxRates,
} from './billing.tables';
import { billingModule } from './index';

// Test factories of the invoice tests: a facility of its own (PostgreSQL test files share one database),
// patients through the API, and the billing rows that other parts of billing own (charge master, accounts,
// charges, payers, policies, pre-authorizations, payments) written straight into their tables. Tax codes are
// global, so each world names its own (HC-xxxx, ROOM-xxxx, MED-xxxx) with DOMAIN.md's GST rows.

type Headers = Record<string, string>;

const letters = (n: number) =>
  Array.from(randomBytes(n), (b) => 'abcdefghijklmnopqrstuvwxyz'[b % 26])
    .join('')
    .replace(/^./, (c) => c.toUpperCase());

export type InvoiceWorld = Awaited<ReturnType<typeof createInvoiceWorld>>;

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

export async function createInvoiceWorld(t: TestApp, timeZone = 'Asia/Kolkata') {
  await ensureAccountsManagerRole(t);
  const code = `B${letters(6).toUpperCase()}`;
  const facility = await t.app.inject({
    method: 'POST',
    url: '/api/v1/organization/facilities',
    headers: bearer(t.admin.token),
    payload: { code, name: `Billing test ${code}`, timeZone, gstin: '29ABCDE1234F1Z5', city: 'Bengaluru' },
  });
  if (facility.statusCode !== 201) throw new Error(`facility: ${facility.statusCode} ${facility.body}`);
  const facilityId = facility.json().id as string;
  const db = t.database.db;
  const staff = async (roles: string[], displayName?: string) => {
    const user = await createTestUser(t.database, { roles, facilityId, displayName });
    return { id: user.id, headers: bearer(await signIn(t.app, user.email), facilityId) };
  };
  const [admin, clerk, manager, desk] = await Promise.all([
    staff(['admin'], 'Admin Anita'),
    staff(['billing-clerk'], 'Clerk Kiran'),
    staff(['accounts-manager'], 'Manager Meera'),
    staff(['front-desk'], 'Desk Deepa'),
  ]);

  // DOMAIN.md's GST rows under this world's own codes.
  const suffix = code.slice(1);
  const tax = { HC: `HC-${suffix}`, ROOM: `ROOM-${suffix}`, MED: `MED-${suffix}` };
  await db.insert(taxCodes).values([
    { code: tax.HC, name: 'Health care services', hsnSac: '999312' },
    { code: tax.ROOM, name: 'Room rent', hsnSac: '996311' },
    { code: tax.MED, name: 'Medicines', hsnSac: '3004' },
  ]);
  await db.insert(taxRates).values([
    { taxCode: tax.HC, setting: 'any', rateBp: 0, validFrom: '2017-07-01' },
    { taxCode: tax.ROOM, setting: 'any', rateBp: 0, validFrom: '2017-07-01' },
    { taxCode: tax.ROOM, setting: 'any', rateBp: 500, minUnitPrice: 500_000, validFrom: '2022-07-18' },
    { taxCode: tax.MED, setting: 'inpatient', rateBp: 0, validFrom: '2017-07-01' },
    { taxCode: tax.MED, setting: 'outpatient', rateBp: 1200, validFrom: '2017-07-01', validTo: '2025-09-22' },
    { taxCode: tax.MED, setting: 'outpatient', rateBp: 500, validFrom: '2025-09-22' },
  ]);

  const serviceIds = new Map<string, string>();
  async function serviceFor(group: string, taxCode: string, intensiveCare: boolean) {
    const key = `${group}|${taxCode}|${intensiveCare}`;
    let id = serviceIds.get(key);
    if (!id) {
      const [row] = await db
        .insert(services)
        .values({
          facilityId,
          code: `${group.toUpperCase()}-${serviceIds.size + 1}`,
          name: group,
          serviceGroup: group,
          taxCode,
          intensiveCare,
        })
        .returning({ id: services.id });
      id = row!.id;
      serviceIds.set(key, id);
    }
    return id;
  }

  async function call(method: 'GET' | 'POST' | 'PUT', url: string, headers: Headers, payload?: unknown) {
    return t.app.inject({
      method,
      url,
      headers,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  }

  let admissionNo = 0;
  return {
    facilityId,
    admin,
    clerk,
    manager,
    desk,
    staff,
    call,
    tax,
    db,

    async patient(given = letters(6), family = letters(8)) {
      const body = { name: { given, family }, sex: 'female', birth: { birthDate: '1962-04-01' } };
      let res = await call('POST', '/api/v1/patients', desk.headers, body);
      if (res.statusCode === 409) {
        res = await call('POST', '/api/v1/patients', desk.headers, {
          ...body,
          duplicateOverride: { reason: 'test patient', candidateIds: [] },
        });
      }
      if (res.statusCode !== 201) throw new Error(`patient: ${res.statusCode} ${res.body}`);
      return res.json() as { id: string; displayName: string; mrn: string };
    },

    /** A billing account (OPD visit or IPD stay), as the accounts service opens it. */
    async account(patientId: string, kind: 'opd' | 'ipd', opts: { policyId?: string } = {}) {
      admissionNo += 1;
      const admissionId = kind === 'ipd' ? randomUUID() : null;
      const [row] = await db
        .insert(accounts)
        .values({
          facilityId,
          patientId,
          kind,
          episodeKey: kind === 'ipd' ? `ipd.admission:${admissionId}` : `desk:${randomUUID()}`,
          admissionId,
          admissionNumber: kind === 'ipd' ? `IP-${code}-${admissionNo}` : null,
          payerCategory: opts.policyId ? 'insurance' : 'cash',
          policyId: opts.policyId ?? null,
          tariffClass: kind === 'ipd' ? 'private' : '*',
        })
        .returning();
      return row!;
    },

    /** A charge posted on an account (as the charges service posts it). */
    async charge(
      account: { id: string; patientId: string },
      c: {
        group: string;
        unitPrice: number;
        quantity?: number;
        taxCode?: string;
        serviceDate?: string;
        intensiveCare?: boolean;
        tariffClass?: string;
        name?: string;
        code?: string;
      },
    ) {
      const taxCode = c.taxCode ?? tax.HC;
      const intensiveCare = c.intensiveCare ?? false;
      const serviceId = await serviceFor(c.group, taxCode, intensiveCare);
      const quantity = c.quantity ?? 1;
      const [row] = await db
        .insert(charges)
        .values({
          facilityId,
          accountId: account.id,
          patientId: account.patientId,
          serviceId,
          serviceCode: c.code ?? c.group.toUpperCase(),
          serviceName: c.name ?? `${c.group} service`,
          serviceGroup: c.group,
          taxCode,
          tariffClass: c.tariffClass ?? '*',
          intensiveCare,
          quantity,
          unitPrice: c.unitPrice,
          amount: quantity * c.unitPrice,
          serviceDate: c.serviceDate ?? '2026-05-10',
          sourceType: 'manual',
          sourceId: randomUUID(),
          postedByName: 'Test',
        })
        .returning();
      return row!;
    },

    async cancelCharge(chargeId: string) {
      await db
        .update(charges)
        .set({
          status: 'cancelled',
          cancelReason: 'entered in error',
          cancelledAt: new Date(),
          cancelledByName: 'Test',
        })
        .where(eq(charges.id, chargeId));
    },

    /** A payer with a plan and a patient's policy on it (as the insurance desk records them). */
    async policy(
      patientId: string,
      opts: {
        copayBp?: number;
        roomRentLimit?: number | null;
        roomRentLimitBp?: number | null;
        nonPayableGroups?: string[];
        nonPayableCodes?: string[];
        sumInsured?: number;
        used?: number;
        validFrom?: string;
        validTo?: string;
        status?: string;
      } = {},
    ) {
      const [payer] = await db
        .insert(payers)
        .values({ facilityId, code: `P${letters(5).toUpperCase()}`, name: 'Star Health', kind: 'insurer' })
        .returning();
      const [plan] = await db
        .insert(payerPlans)
        .values({
          payerId: payer!.id,
          code: 'GOLD',
          name: 'Gold',
          copayBp: opts.copayBp ?? 0,
          roomRentLimit: opts.roomRentLimit ?? null,
          roomRentLimitBp: opts.roomRentLimitBp ?? null,
          nonPayableGroups: opts.nonPayableGroups ?? [],
          nonPayableCodes: opts.nonPayableCodes ?? [],
        })
        .returning();
      const [policy] = await db
        .insert(policies)
        .values({
          facilityId,
          patientId,
          payerId: payer!.id,
          planId: plan!.id,
          policyNumber: `POL-${letters(8)}`,
          memberId: 'M1',
          validFrom: opts.validFrom ?? '2026-01-01',
          validTo: opts.validTo ?? '2026-12-31',
          sumInsured: opts.sumInsured ?? 50_000_000,
          used: opts.used ?? 0,
          status: opts.status ?? 'active',
        })
        .returning();
      return { payerId: payer!.id, planId: plan!.id, policyId: policy!.id };
    },

    async preauth(
      account: { id: string; patientId: string },
      policyId: string,
      approved: number,
      status = 'approved',
    ) {
      await db.insert(preauths).values({
        facilityId,
        accountId: account.id,
        policyId,
        patientId: account.patientId,
        number: `PA-${letters(8)}`,
        estimate: approved || 100,
        requestedAmount: approved || 100,
        approvedAmount: approved,
        status,
      });
    },

    /** A patient's payment allocated to an invoice (as the cashier's allocation writes it). */
    async payAndAllocate(invoiceId: string, patientId: string, amount: number) {
      const [payment] = await db
        .insert(payments)
        .values({
          facilityId,
          patientId,
          kind: 'payment',
          mode: 'upi',
          amount,
          allocated: amount,
          reference: `UPI${letters(8)}`,
          receiptNumber: `RC-${letters(10)}`,
          receivedByName: 'Cashier',
        })
        .returning();
      await db.insert(allocations).values({
        facilityId,
        paymentId: payment!.id,
        invoiceId,
        amount,
        allocatedByName: 'Cashier',
      });
      await t.database.query('update billing.invoices set paid = paid + $1 where id = $2', [
        amount,
        invoiceId,
      ]);
      return payment!;
    },

    async issue(
      accountId: string,
      kind: 'opd' | 'ipd-interim' | 'ipd-final',
      headers: Headers = clerk.headers,
    ) {
      return call('POST', `/api/v1/billing/accounts/${accountId}/invoices`, headers, { kind });
    },
  };
}
