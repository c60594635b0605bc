import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { bearer, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { startDispatcher } from '../../platform/events/dispatcher';
import { formularyItems } from './pharmacy.tables';

// Test factories of the pharmacy tests: a facility of its own (PostgreSQL test files share one database),
// staff by role, formulary items written straight into the module's own table (so that a test does not
// depend on the shipped list), stores, a supplier, receipts through the API, patients and visits through
// the API.

type Headers = Record<string, string>;

const letters = (n: number) =>
  Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[b % 26]).join('');

export type PharmacyWorld = Awaited<ReturnType<typeof createPharmacyWorld>>;

export async function createPharmacyWorld(t: TestApp, timeZone = 'Asia/Kolkata') {
  const code = `P${letters(6)}`;
  const facility = await t.app.inject({
    method: 'POST',
    url: '/api/v1/organization/facilities',
    headers: bearer(t.admin.token),
    payload: { code, name: `Pharmacy test ${code}`, timeZone },
  });
  if (facility.statusCode !== 201) throw new Error(`facility: ${facility.statusCode} ${facility.body}`);
  const facilityId = facility.json().id as string;
  const staff = async (roles: string[], displayName?: string) => {
    const user = await createTestUser(t.database, { roles, facilityId, displayName });
    return { id: user.id, headers: bearer(await signIn(t.app, user.email), facilityId) };
  };
  const pharmacist = await staff(['pharmacist'], 'Priya Pharmacist');
  const chief = await staff(['pharmacist'], 'Chief Pharmacist');
  const doctor = await staff(['doctor'], 'Dr Rao');
  const desk = await staff(['front-desk']);
  const nurse = await staff(['nurse'], 'Sr Nurse');

  async function call(method: 'GET' | 'POST' | 'PUT', url: string, headers: Headers, payload?: unknown) {
    return t.app.inject({
      method,
      url,
      headers,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  }
  async function ok<T>(
    res: { statusCode: number; body: string; json(): unknown },
    status: number,
    what: string,
  ) {
    if (res.statusCode !== status) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  }

  const mainStore = await ok<{ id: string }>(
    await call('POST', '/api/v1/pharmacy/stores', pharmacist.headers, {
      code: 'MAIN',
      name: 'Main store',
      kind: 'main',
    }),
    201,
    'main store',
  );
  const opdStore = await ok<{ id: string }>(
    await call('POST', '/api/v1/pharmacy/stores', pharmacist.headers, {
      code: 'OPD',
      name: 'OPD pharmacy',
      kind: 'opd',
      dispenses: true,
    }),
    201,
    'OPD pharmacy',
  );
  const supplier = await ok<{ id: string }>(
    await call('POST', '/api/v1/pharmacy/suppliers', pharmacist.headers, {
      name: `Medisupply ${letters(4)}`,
      gstin: '29ABCDE1234F1Z5',
    }),
    201,
    'supplier',
  );
  let invoiceNo = 0;

  return {
    facilityId,
    pharmacist,
    chief,
    doctor,
    desk,
    nurse,
    staff,
    call,
    ok,
    mainStore,
    opdStore,
    supplier,

    /** A formulary item of its own (unique code), written into the pharmacy's table. */
    async item(
      genericName: string,
      options: { schedule?: string; narcotic?: boolean; ingredients?: string[]; taxCode?: string } = {},
    ) {
      const [row] = await t.database.db
        .insert(formularyItems)
        .values({
          code: `T${letters(8)}`,
          genericName,
          ingredients: options.ingredients ?? [genericName.toLowerCase().split(' ')[0]!],
          strength: '500 mg',
          doseForm: 'tablet',
          route: 'oral',
          unitOfIssue: 'tablet',
          schedule: options.schedule ?? 'H',
          narcotic: options.narcotic ?? false,
          hsnCode: '3004',
          taxCode: options.taxCode ?? 'MEDICINE',
          source: 'test',
        })
        .returning();
      return row!;
    },

    /** Posts a delivery of one or more batches into a store. */
    async receive(
      storeId: string,
      lines: {
        formularyItemId: string;
        batchNo: string;
        expiryDate: string;
        quantity: number;
        mrp?: number;
        cost?: number;
      }[],
    ) {
      invoiceNo += 1;
      return ok<{ id: string; number: string; lines: { batchId: string; batchNo: string }[] }>(
        await call('POST', '/api/v1/pharmacy/goods-receipts', pharmacist.headers, {
          storeId,
          supplierId: supplier.id,
          supplierInvoiceNo: `INV-${invoiceNo}-${letters(3)}`,
          supplierInvoiceDate: '2026-01-05',
          lines: lines.map((l) => ({ mrp: 1000, cost: Math.floor((l.mrp ?? 1000) * 0.7), ...l })),
        }),
        201,
        'receipt',
      );
    },

    async patient() {
      const body = {
        name: { given: letters(6), family: letters(8) },
        sex: 'female',
        birth: { birthDate: '1970-02-03' },
      };
      let res = await call('POST', '/api/v1/patients', desk.headers, body);
      if (res.statusCode === 409) {
        res = await call('POST', '/api/v1/patients', desk.headers, {
          ...body,
          duplicateOverride: { reason: 'test patient', candidateIds: [] },
        });
      }
      return ok<{ id: string; displayName: string; mrn: string }>(res, 201, 'patient');
    },

    /** An out-patient visit of the patient (the encounter medicines are charged to). */
    async visit(patientId: string) {
      return ok<{ id: string }>(
        await call('POST', '/api/v1/encounters', doctor.headers, { patientId, class: 'ambulatory' }),
        201,
        'encounter',
      );
    },

    /** Units of an item left in a store, from the stock table itself. */
    async units(storeId: string, formularyItemId: string) {
      const [row] = await t.database.db
        .execute(sql`select coalesce(sum(quantity), 0)::int as n from pharmacy.stock
        where store_id = ${storeId} and formulary_item_id = ${formularyItemId}`)
        .then((r) => (Array.isArray(r) ? r : (r as { rows: { n: number }[] }).rows));
      return Number((row as { n: number }).n);
    },

    /** Billing events the pharmacy appended for a sale. */
    async billingEvents(dispensationId: string) {
      const result = await t.database.db.execute(sql`select type, payload from events.outbox
        where aggregate_id = ${dispensationId} and type like 'billing.%' order by occurred_at, id`);
      return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
        type: string;
        payload: { sourceLine: string; quantity: number; unitPrice: number; serviceCode: string };
      }[];
    },

    /** A doctor with an OPD practitioner profile (qualifications and registration print on prescriptions). */
    async prescriber() {
      const admin = await staff(['admin']);
      const department = await ok<{ id: string }>(
        await call('POST', `/api/v1/organization/facilities/${facilityId}/departments`, admin.headers, {
          code: `D${letters(4)}`,
          name: `Medicine ${letters(4)}`,
          kind: 'clinical',
        }),
        201,
        'department',
      );
      const user = await staff(['doctor'], 'Dr Meera Iyer');
      const practitioner = await ok<{ id: string }>(
        await call('POST', '/api/v1/opd/practitioners', admin.headers, {
          userId: user.id,
          displayName: 'Dr Meera Iyer',
          departmentId: department.id,
          specialty: 'General Medicine',
          qualifications: ['MBBS', 'MD (Medicine)'],
          registrationCouncil: 'KMC',
          registrationNumber: '54321',
          firstVisitFee: 50_000,
          followUpFee: 30_000,
        }),
        201,
        'practitioner',
      );
      return { ...user, practitionerId: practitioner.id, admin };
    },

    /** An in-patient: a ward with one bed, the patient admitted there; returns the stay and its encounter. */
    async inpatient(patientId: string, doctor: { practitionerId: string; admin: { headers: Headers } }) {
      const h = doctor.admin.headers;
      const ward = await ok<{ id: string }>(
        await call('POST', '/api/v1/ipd/wards', h, {
          code: `W-${letters(5)}`,
          name: `Ward ${letters(5)}`,
          kind: 'general',
        }),
        201,
        'ward',
      );
      const room = await ok<{ id: string }>(
        await call('POST', '/api/v1/ipd/rooms', h, { wardId: ward.id, code: 'R1', name: 'Room 1' }),
        201,
        'room',
      );
      const category = await ok<{ id: string }>(
        await call('POST', '/api/v1/ipd/bed-categories', h, {
          code: `GEN-${letters(4)}`,
          name: 'General bed',
          tariffClass: 'general',
          intensiveCare: false,
        }),
        201,
        'category',
      );
      const bed = await ok<{ id: string }>(
        await call('POST', '/api/v1/ipd/beds', h, {
          roomId: room.id,
          categoryId: category.id,
          code: 'B001',
          sortOrder: 1,
        }),
        201,
        'bed',
      );
      const admission = await ok<{ id: string; encounterId: string }>(
        await call('POST', '/api/v1/ipd/admissions', h, {
          patientId,
          bedId: bed.id,
          source: 'direct',
          admittingPractitionerId: doctor.practitionerId,
          attendingPractitionerId: doctor.practitionerId,
          reason: 'Cellulitis of the leg',
          provisionalDiagnosis: { text: 'Cellulitis', code: 'L03.1' },
          expectedLengthOfStayDays: 3,
          attendant: { name: 'Ravi Kumar', relationship: 'Husband', phone: '+91 98450 12345' },
          consent: { signedBy: 'The patient', relationship: 'Self' },
          payerCategory: 'cash',
        }),
        201,
        'admission',
      );
      return { admissionId: admission.id, encounterId: admission.encounterId, wardId: ward.id };
    },

    /** Records an allergy on the patient's record. */
    async allergy(patientId: string, substance: string, severity = 'severe') {
      return ok(
        await call('POST', `/api/v1/patients/${patientId}/allergies`, nurse.headers, {
          category: 'drug',
          substance,
          reaction: 'Rash',
          severity,
        }),
        201,
        'allergy',
      );
    },

    /** Runs the event dispatcher until nothing is due (billing posts the charges of sales). */
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

    /** The billing charges a sale posted (read from billing's table: tests may). */
    async charges(dispensationId: string) {
      const result =
        await t.database.db.execute(sql`select c.service_code as "serviceCode", c.quantity, c.unit_price as "unitPrice",
          c.price_includes_tax as "priceIncludesTax", c.status, c.source_line as "sourceLine", a.id as "accountId",
          a.admission_id as "admissionId", a.encounter_id as "encounterId"
        from billing.charges c join billing.accounts a on a.id = c.account_id
        where c.source_type = 'pharmacy.dispensation' and c.source_id = ${dispensationId} order by c.source_line, c.posted_at`);
      return (
        (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[]
      ).map((r) => ({
        ...r,
        unitPrice: Number(r.unitPrice),
      })) as {
        serviceCode: string;
        quantity: number;
        unitPrice: number;
        priceIncludesTax: boolean;
        status: string;
        sourceLine: string;
        accountId: string;
        admissionId: string | null;
        encounterId: string | null;
      }[];
    },

    async itemRow(id: string) {
      const [row] = await t.database.db
        .select()
        .from(formularyItems)
        .where(and(eq(formularyItems.id, id)));
      return row!;
    },
  };
}
