import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { bearer, createTestUser, signIn, type TestApp } from '../../../test/harness';

// Test factories of the nursing integration tests, through HTTP: a facility of its own (Asia/Kolkata, so the
// shift arithmetic is fixed at +05:30), a ward with beds, an OPD practitioner to attend, patients admitted
// through POST /api/v1/ipd/admissions.

type Headers = Record<string, string>;

const letters = (n: number) =>
  Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[b % 26]).join('');

export type NursingWorld = Awaited<ReturnType<typeof createNursingWorld>>;
export type TestAdmission = { id: string; encounterId: string; patientId: string; admissionNumber: string };

export async function createNursingWorld(t: TestApp, options: { timeZone?: string } = {}) {
  const timeZone = options.timeZone ?? 'Asia/Kolkata';
  const code = `N${letters(6)}`;
  const facility = await t.app.inject({
    method: 'POST',
    url: '/api/v1/organization/facilities',
    headers: bearer(t.admin.token),
    payload: { code, name: `Nursing test ${code}`, timeZone, addressLine: '12 MG Road', city: 'Bengaluru' },
  });
  if (facility.statusCode !== 201) throw new Error(`facility: ${facility.statusCode} ${facility.body}`);
  const facilityId = facility.json().id as string;
  const staff = async (roles: string[], displayName?: string) => {
    const user = await createTestUser(t.database, { roles, facilityId, displayName });
    return { id: user.id, headers: bearer(await signIn(t.app, user.email), facilityId) };
  };
  const admin = await staff(['admin'], 'Admin Iyer');
  const desk = await staff(['front-desk'], 'Desk Kumar');
  const nurse = await staff(['nurse'], 'Sister Mary Thomas');
  const doctorUser = await staff(['doctor'], 'Dr. Kavya Menon');

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

  const department = await ok<{ id: string }>(
    'POST',
    `/api/v1/organization/facilities/${facilityId}/departments`,
    admin.headers,
    { code: 'GMED', name: 'General Medicine', kind: 'clinical' },
  );
  const practitioner = await ok<{ id: string; displayName: string }>(
    'POST',
    '/api/v1/opd/practitioners',
    admin.headers,
    {
      userId: doctorUser.id,
      displayName: 'Dr. Kavya Menon',
      departmentId: department.id,
      specialty: 'General Medicine',
      registrationCouncil: 'Karnataka Medical Council',
      registrationNumber: `KMC-${Math.floor(Math.random() * 90_000) + 10_000}`,
      qualifications: ['MBBS', 'MD'],
      languages: ['English'],
      firstVisitFee: 50_000,
      followUpFee: 30_000,
      followUpWithinDays: 7,
    },
  );
  const category = await ok<{ id: string }>('POST', '/api/v1/ipd/bed-categories', admin.headers, {
    code: `GEN${letters(3)}`,
    name: 'General',
    tariffClass: 'general',
  });

  async function ward(kind = 'general') {
    const w = await ok<{ id: string; code: string; name: string }>(
      'POST',
      '/api/v1/ipd/wards',
      admin.headers,
      {
        code: `W${letters(5)}`,
        name: `Ward ${letters(4)}`,
        kind,
      },
    );
    const room = await ok<{ id: string; code: string }>('POST', '/api/v1/ipd/rooms', admin.headers, {
      wardId: w.id,
      code: `R${letters(3)}`,
      name: 'Room',
    });
    return { ...w, roomId: room.id, roomCode: room.code };
  }
  async function bed(w: { roomId: string }, sortOrder = 0) {
    return ok<{ id: string; code: string }>('POST', '/api/v1/ipd/beds', admin.headers, {
      roomId: w.roomId,
      categoryId: category.id,
      code: `B${letters(4)}`,
      sortOrder,
    });
  }
  const mainWard = await ward();

  return {
    t,
    facilityId,
    timeZone,
    admin,
    desk,
    nurse,
    doctor: doctorUser,
    staff,
    practitioner,
    departmentId: department.id,
    ward: mainWard,
    call,
    ok,
    newWard: ward,
    bed,

    async patient(overrides: Record<string, unknown> = {}) {
      const body = {
        name: { given: letters(7), family: letters(9) },
        sex: 'female',
        birth: { birthDate: '1958-03-14' },
        ...overrides,
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

    /**
     * Admits a new patient (or the one given) to a new bed of the ward. `admittedHoursAgo` moves the stay's
     * start back in time (the record of a patient who came in earlier), so charting can be backdated.
     */
    async admit(
      options: {
        patientId?: string;
        ward?: { roomId: string };
        admittedHoursAgo?: number;
        reason?: string;
        provisionalDiagnosis?: { text: string; code?: string };
        expectedLengthOfStayDays?: number;
      } = {},
    ): Promise<TestAdmission> {
      const patientId = options.patientId ?? (await this.patient()).id;
      const b = await bed(options.ward ?? mainWard);
      const reason = options.reason ?? 'Community-acquired pneumonia';
      const res = await call('POST', '/api/v1/ipd/admissions', admin.headers, {
        patientId,
        source: 'direct',
        bedId: b.id,
        admittingPractitionerId: practitioner.id,
        attendingPractitionerId: practitioner.id,
        reason,
        provisionalDiagnosis: options.provisionalDiagnosis ?? null,
        expectedLengthOfStayDays: options.expectedLengthOfStayDays ?? null,
        payerCategory: 'cash',
      });
      if (res.statusCode !== 201) throw new Error(`admit: ${res.statusCode} ${res.body}`);
      const a = res.json() as TestAdmission;
      if (options.admittedHoursAgo) {
        const back = sql`make_interval(hours => ${options.admittedHoursAgo})`;
        await t.database.db.execute(
          sql`update ipd.admissions set admitted_at = admitted_at - ${back} where id = ${a.id}`,
        );
        await t.database.db.execute(
          sql`update ipd.bed_occupancies set started_at = started_at - ${back} where admission_id = ${a.id}`,
        );
        await t.database.db.execute(
          sql`update encounters.encounters set started_at = started_at - ${back} where id = ${a.encounterId}`,
        );
      }
      return { id: a.id, encounterId: a.encounterId, patientId, admissionNumber: a.admissionNumber };
    },
  };
}

/** The audit entries of a patient, newest first (what an auditor would see). */
export async function auditOf(t: TestApp, patientId: string) {
  return t.database.query<{
    action: string;
    resource_type: string;
    resource_id: string | null;
    detail: unknown;
  }>(
    'select action, resource_type, resource_id, detail from audit.entries where patient_id = $1 order by occurred_at desc, id desc',
    [patientId],
  );
}

/** The outbox events of a type about an aggregate. */
export async function eventsOf(t: TestApp, type: string, aggregateId: string) {
  return t.database.query<{ payload: Record<string, unknown> }>(
    'select payload from events.outbox where type = $1 and aggregate_id = $2 order by id',
    [type, aggregateId],
  );
}
