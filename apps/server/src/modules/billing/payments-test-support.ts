import { randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { bearer, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { startDispatcher } from '../../platform/events/dispatcher';
import { accounts, charges, invoiceLines, invoices, services, taxCodes } from './billing.tables';
import { billingModule } from './index';

// Test factories of the payments tests: a facility of its own (Asia/Kolkata) with its staff, counters and
// patients through the API; billing accounts, charges and final invoices written straight into billing's tables
// (the way the charges and invoices services will: a draft with its lines, then final with a number, which
// migration 0015 then freezes). The IPD flow (ward, bed, doctor, admission) goes through IPD's API.

type Headers = Record<string, string>;

export const letters = (n: number) =>
  Array.from(randomBytes(n), (b) => 'abcdefghijklmnopqrstuvwxyz'[b % 26])
    .join('')
    .replace(/^./, (c) => c.toUpperCase());

export type PaymentsWorld = Awaited<ReturnType<typeof createPaymentsWorld>>;
export type TestInvoice = { id: string; number: string; accountId: string; patientShare: number };

const TAX_CODE = 'TEST-EXEMPT';

/**
 * The accounts-manager role is declared by billing but missing from contracts' builtinRoleNames, so
 * syncPermissions never creates it; until that is fixed, the tests create it with billing's grants (plain SQL:
 * the platform's tables are the platform's).
 */
async function ensureAccountsManagerRole(t: TestApp) {
  const permissions = billingModule.permissions
    .filter((p) => p.roles.includes('accounts-manager'))
    .map((p) => p.name)
    .sort();
  await t.database.db.execute(sql`insert into access.roles (id, name, description, permissions, builtin)
    values (${randomUUID()}, 'accounts-manager', 'Accounts manager', ${`{${permissions.join(',')}}`}::text[], true)
    on conflict do nothing`);
}

export async function createPaymentsWorld(t: TestApp) {
  await ensureAccountsManagerRole(t);
  const code = `P${letters(6).toUpperCase()}`;
  const facility = await t.app.inject({
    method: 'POST',
    url: '/api/v1/organization/facilities',
    headers: bearer(t.admin.token),
    payload: { code, name: `Payments test ${code}`, timeZone: 'Asia/Kolkata' },
  });
  if (facility.statusCode !== 201) throw new Error(`facility: ${facility.statusCode} ${facility.body}`);
  const facilityId = facility.json().id as string;
  const db = t.database.db;

  const staff = async (roles: string[], displayName?: string) => {
    const user = await createTestUser(t.database, { roles, facilityId, displayName });
    return {
      id: user.id,
      name: displayName ?? '',
      headers: bearer(await signIn(t.app, user.email), facilityId),
    };
  };
  const admin = await staff(['admin'], 'Admin Anand');
  const desk = await staff(['front-desk'], 'Desk Deepa');
  const clerk = await staff(['billing-clerk'], 'Cashier Chitra');
  const clerk2 = await staff(['billing-clerk'], 'Cashier Kiran');
  const manager = await staff(['accounts-manager'], 'Manager Meera');
  const nurse = await staff(['nurse'], 'Nurse Nila');
  const auditor = await staff(['auditor'], 'Auditor Arun');

  const department = await t.app.inject({
    method: 'POST',
    url: `/api/v1/organization/facilities/${facilityId}/departments`,
    headers: admin.headers,
    payload: { code: 'GMED', name: 'General Medicine', kind: 'clinical' },
  });
  const departmentId = department.json().id as string;
  const lab = await t.app.inject({
    method: 'POST',
    url: `/api/v1/organization/facilities/${facilityId}/departments`,
    headers: admin.headers,
    payload: { code: 'LAB', name: 'Laboratory', kind: 'clinical' },
  });
  const labDepartmentId = lab.json().id as string;

  async function call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    headers: Headers,
    payload?: unknown,
  ) {
    return t.app.inject({
      method,
      url,
      headers,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  }
  async function ok<T = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    headers: Headers,
    payload?: unknown,
  ): Promise<T> {
    const res = await call(method, url, headers, payload);
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  }

  await db.insert(taxCodes).values({ code: TAX_CODE, name: 'Exempt (tests)' }).onConflictDoNothing();
  const serviceIds = new Map<string, string>();
  async function serviceOf(group: string, deptId: string | null): Promise<string> {
    const key = `${group}:${deptId}`;
    const known = serviceIds.get(key);
    if (known) return known;
    const [row] = await db
      .insert(services)
      .values({
        facilityId,
        code: `${group.toUpperCase()}-${letters(4).toUpperCase()}`,
        name: `${group} service`,
        departmentId: deptId,
        serviceGroup: group,
        taxCode: TAX_CODE,
      })
      .returning({ id: services.id });
    serviceIds.set(key, row!.id);
    return row!.id;
  }

  let invoiceSeq = 0;

  return {
    t,
    facilityId,
    departmentId,
    labDepartmentId,
    admin,
    desk,
    clerk,
    clerk2,
    manager,
    nurse,
    auditor,
    staff,
    call,
    ok,

    /** A registered patient. */
    async patient() {
      const body = {
        name: { given: letters(7), family: letters(9) },
        sex: 'female',
        birth: { birthDate: '1980-05-05' },
      };
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

    /** A counter, through the API. */
    async counter(name = `Counter ${letters(4)}`) {
      return ok<{ id: string; code: string }>('POST', '/api/v1/billing/counters', admin.headers, {
        code: `C-${letters(5).toUpperCase()}`,
        name,
      });
    },

    /** Opens a shift of `who` at a new counter. */
    async openShift(who: { headers: Headers }, openingFloat = 0) {
      const counter = await this.counter();
      return ok<{ id: string; version: number; counterId: string }>(
        'POST',
        '/api/v1/billing/cashier/shifts',
        who.headers,
        { counterId: counter.id, openingFloat },
      );
    },

    /** A billing account (the accounts service's job), written directly. */
    async account(patientId: string, overrides: Partial<typeof accounts.$inferInsert> = {}) {
      const [row] = await db
        .insert(accounts)
        .values({
          facilityId,
          patientId,
          kind: 'opd',
          episodeKey: `desk:${randomUUID()}`,
          ...overrides,
        })
        .returning();
      return row!;
    },

    /**
     * A final invoice of the account with one line per item (default: one line of `patientShare`): a draft
     * with its lines and charges, then final with a number, as the invoices service will issue it.
     */
    async invoice(
      account: { id: string; patientId: string },
      options: {
        patientShare: number;
        payerShare?: number;
        kind?: 'opd' | 'ipd-final' | 'ipd-interim';
        lines?: { amount: number; group: string; departmentId: string | null }[];
        issuedAt?: Date;
      },
    ): Promise<TestInvoice> {
      const payerShare = options.payerShare ?? 0;
      const total = options.patientShare + payerShare;
      const lines = options.lines ?? [{ amount: total, group: 'consultation', departmentId }];
      const [draft] = await db
        .insert(invoices)
        .values({
          facilityId,
          accountId: account.id,
          patientId: account.patientId,
          kind: options.kind ?? 'opd',
          series: options.kind === 'ipd-interim' ? 'IB' : 'INV',
          gross: total,
          total,
          patientShare: options.patientShare,
          payerShare,
        })
        .returning();
      let position = 0;
      for (const l of lines) {
        const serviceId = await serviceOf(l.group, l.departmentId);
        const [charge] = await db
          .insert(charges)
          .values({
            facilityId,
            accountId: account.id,
            patientId: account.patientId,
            serviceId,
            serviceCode: 'T',
            serviceName: `${l.group} service`,
            serviceGroup: l.group,
            departmentId: l.departmentId,
            taxCode: TAX_CODE,
            quantity: 1,
            unitPrice: l.amount,
            amount: l.amount,
            serviceDate: '2026-05-01',
            sourceType: 'test',
            sourceId: randomUUID(),
            postedByName: 'Test',
          })
          .returning({ id: charges.id });
        // The patient's part of each line in proportion to the invoice's split (the last line takes the rest).
        position += 1;
        const share =
          position === lines.length
            ? options.patientShare -
              lines
                .slice(0, -1)
                .reduce((s, x) => s + Math.floor((x.amount * options.patientShare) / Math.max(total, 1)), 0)
            : Math.floor((l.amount * options.patientShare) / Math.max(total, 1));
        await db.insert(invoiceLines).values({
          invoiceId: draft!.id,
          chargeId: charge!.id,
          position,
          serviceGroup: l.group,
          serviceCode: 'T',
          description: `${l.group} service`,
          quantity: 1,
          unitPrice: l.amount,
          amount: l.amount,
          taxCode: TAX_CODE,
          total: l.amount,
          patientShare: share,
          payerShare: l.amount - share,
        });
      }
      invoiceSeq += 1;
      const number = `INV/2026-27/${code}-${String(invoiceSeq).padStart(4, '0')}`;
      await db
        .update(invoices)
        .set({
          status: 'final',
          number,
          financialYear: '2026-27',
          issuedAt: options.issuedAt ?? new Date(Date.now() - 1000 * (1000 - invoiceSeq)),
          issuedByName: 'Test',
        })
        .where(eq(invoices.id, draft!.id));
      return { id: draft!.id, number, accountId: account.id, patientShare: options.patientShare };
    },

    /** Credits (cancels) a final invoice as a credit note would: the invoice's own status only. */
    async cancelInvoice(invoiceId: string) {
      await db
        .update(invoices)
        .set({ status: 'cancelled', cancelReason: 'test' })
        .where(eq(invoices.id, invoiceId));
    },

    async invoiceRow(id: string) {
      const [row] = await db.select().from(invoices).where(eq(invoices.id, id));
      return row!;
    },

    /** Runs the event dispatcher until nothing is due (the way the server delivers events). */
    async deliver() {
      const dispatcher = startDispatcher({
        database: t.database,
        registry: t.app.deps.events,
        logger: pino({ level: 'silent' }),
        pollMs: 60_000,
      });
      await dispatcher.drain();
      await dispatcher.stop();
    },

    /** Events of a type about an aggregate, oldest first (tests may read the outbox). */
    async events(type: string, aggregateId: string) {
      const rows = await db.execute(
        sql`select payload from events.outbox where type = ${type} and aggregate_id = ${aggregateId} order by id`,
      );
      return (rows as unknown as { rows: { payload: Record<string, unknown> }[] }).rows.map((r) => r.payload);
    },

    // --- IPD through its API -------------------------------------------------------------------------------

    /** A ward with one bed, a doctor with a practitioner profile; admits the patient; returns the admission. */
    async admit(patientId: string) {
      const category = await ok<{ id: string }>('POST', '/api/v1/ipd/bed-categories', admin.headers, {
        code: `GEN-${letters(4).toUpperCase()}`,
        name: 'General bed',
        tariffClass: 'general',
      });
      const ward = await ok<{ id: string }>('POST', '/api/v1/ipd/wards', admin.headers, {
        code: `W-${letters(5).toUpperCase()}`,
        name: `Ward ${letters(5)}`,
        kind: 'general',
      });
      const room = await ok<{ id: string }>('POST', '/api/v1/ipd/rooms', admin.headers, {
        wardId: ward.id,
        code: 'R1',
        name: 'Room 1',
      });
      const bed = await ok<{ id: string }>('POST', '/api/v1/ipd/beds', admin.headers, {
        roomId: room.id,
        categoryId: category.id,
        code: 'B001',
        sortOrder: 1,
      });
      const doctorUser = await staff(['doctor'], `Dr. ${letters(6)}`);
      const doctor = await ok<{ id: string }>('POST', '/api/v1/opd/practitioners', admin.headers, {
        userId: doctorUser.id,
        displayName: `Dr. ${letters(6)} ${letters(7)}`,
        departmentId,
        specialty: 'General Medicine',
        firstVisitFee: 50_000,
        followUpFee: 30_000,
      });
      const admission = await ok<{ id: string; version: number; admissionNumber: string }>(
        'POST',
        '/api/v1/ipd/admissions',
        desk.headers,
        {
          patientId,
          bedId: bed.id,
          source: 'direct',
          admittingPractitionerId: doctor.id,
          attendingPractitionerId: doctor.id,
          reason: 'Community-acquired pneumonia',
          provisionalDiagnosis: { text: 'Pneumonia', code: 'J18.9' },
          expectedLengthOfStayDays: 3,
          attendant: { name: 'Ravi Kumar', relationship: 'Husband', phone: '+91 98450 12345' },
          consent: { signedBy: 'The patient', relationship: 'Self' },
          payerCategory: 'cash',
        },
      );
      return { ...admission, doctorHeaders: doctorUser.headers };
    },
  };
}
