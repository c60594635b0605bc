import { randomBytes } from 'node:crypto';
import { bearer, createTestUser, signIn, type TestApp } from '../../../test/harness';

// Test factories of the IPD integration tests (through HTTP only): a facility of its own per test file
// (Asia/Kolkata), its staff, a doctor with a practitioner profile, wards with beds, patients, admissions.
// Other IPD test files (nursing, bed board) may use it too.

type Headers = Record<string, string>;

export const letters = (n: number) =>
  Array.from(randomBytes(n), (b) => 'abcdefghijklmnopqrstuvwxyz'[b % 26])
    .join('')
    .replace(/^./, (c) => c.toUpperCase());

export type IpdWorld = Awaited<ReturnType<typeof createIpdWorld>>;
export type TestBed = { id: string; code: string; version: number; wardId: string; status: string };
export type TestAdmission = {
  id: string;
  version: number;
  admissionNumber: string;
  encounterId: string;
  patientId: string;
  status: string;
  bed: { bedId: string; bedCode: string; wardId: string } | null;
};

export async function createIpdWorld(t: TestApp, options: { timeZone?: string } = {}) {
  const code = `I${letters(6).toUpperCase()}`;
  const facility = await t.app.inject({
    method: 'POST',
    url: '/api/v1/organization/facilities',
    headers: bearer(t.admin.token),
    payload: { code, name: `IPD test ${code}`, timeZone: options.timeZone ?? 'Asia/Kolkata' },
  });
  if (facility.statusCode !== 201) throw new Error(`facility: ${facility.statusCode} ${facility.body}`);
  const facilityId = facility.json().id as string;
  const staff = async (roles: string[], displayName?: string) => {
    const user = await createTestUser(t.database, { roles, facilityId, displayName });
    return { id: user.id, headers: bearer(await signIn(t.app, user.email), facilityId) };
  };
  const admin = await staff(['admin']);
  const desk = await staff(['front-desk']);
  const nurse = await staff(['nurse']);
  const department = await t.app.inject({
    method: 'POST',
    url: `/api/v1/organization/facilities/${facilityId}/departments`,
    headers: admin.headers,
    payload: { code: 'GMED', name: 'General Medicine', kind: 'clinical' },
  });
  const departmentId = department.json().id as string;

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

  const categories = new Map<string, string>();
  async function category(tariffClass: string, intensiveCare = false): Promise<string> {
    const known = categories.get(tariffClass);
    if (known) return known;
    const c = await ok<{ id: string }>('POST', '/api/v1/ipd/bed-categories', admin.headers, {
      code: `${tariffClass.slice(0, 6).toUpperCase()}-${letters(3).toUpperCase()}`,
      name: `${tariffClass} bed`,
      tariffClass,
      intensiveCare,
    });
    categories.set(tariffClass, c.id);
    return c.id;
  }

  return {
    t,
    facilityId,
    departmentId,
    admin,
    desk,
    nurse,
    staff,
    call,
    ok,
    category,

    /** A ward with one room and n beds (default 4) of a tariff class. */
    async ward(
      overrides: Record<string, unknown> = {},
      beds = 4,
      bedOptions: { tariffClass?: string; isolation?: boolean } = {},
    ) {
      const kind = (overrides.kind as string | undefined) ?? 'general';
      const ward = await ok<{ id: string; code: string; name: string; version: number }>(
        'POST',
        '/api/v1/ipd/wards',
        admin.headers,
        { code: `W-${letters(5).toUpperCase()}`, name: `Ward ${letters(5)}`, kind, ...overrides },
      );
      const room = await ok<{ id: string }>('POST', '/api/v1/ipd/rooms', admin.headers, {
        wardId: ward.id,
        code: 'R1',
        name: 'Room 1',
      });
      const categoryId = await category(
        bedOptions.tariffClass ?? (kind === 'icu' ? 'icu' : 'general'),
        kind === 'icu',
      );
      const list: TestBed[] = [];
      for (let i = 1; i <= beds; i++) {
        list.push(
          await ok<TestBed>('POST', '/api/v1/ipd/beds', admin.headers, {
            roomId: room.id,
            categoryId,
            code: `B${String(i).padStart(3, '0')}`,
            isolation: bedOptions.isolation ?? false,
            sortOrder: i,
          }),
        );
      }
      return { ...ward, roomId: room.id, categoryId, beds: list };
    },

    /** A doctor user with an OPD practitioner profile (the admitting and attending practitioner). */
    async doctor() {
      const user = await staff(['doctor'], `Dr. ${letters(6)}`);
      const practitioner = await ok<{ id: string; displayName: string }>(
        'POST',
        '/api/v1/opd/practitioners',
        admin.headers,
        {
          userId: user.id,
          displayName: `Dr. ${letters(6)} ${letters(7)}`,
          departmentId,
          specialty: 'General Medicine',
          firstVisitFee: 50_000,
          followUpFee: 30_000,
        },
      );
      return { ...practitioner, userId: user.id, headers: user.headers };
    },

    /** A registered patient (sex and birth date overridable). */
    async patient(overrides: { sex?: string; birthDate?: string } = {}) {
      const body = {
        name: { given: letters(7), family: letters(9) },
        sex: overrides.sex ?? 'female',
        birth: { birthDate: overrides.birthDate ?? '1980-05-05' },
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

    admitBody(patientId: string, bedId: string, doctorId: string, extra: Record<string, unknown> = {}) {
      return {
        patientId,
        bedId,
        source: 'direct',
        admittingPractitionerId: doctorId,
        attendingPractitionerId: doctorId,
        reason: 'Community-acquired pneumonia',
        provisionalDiagnosis: { text: 'Pneumonia', code: 'J18.9' },
        expectedLengthOfStayDays: 3,
        attendant: { name: 'Ravi Kumar', relationship: 'Husband', phone: '+91 98450 12345' },
        consent: { signedBy: 'The patient', relationship: 'Self' },
        payerCategory: 'cash',
        ...extra,
      };
    },

    async admit(
      patientId: string,
      bedId: string,
      doctorId: string,
      extra: Record<string, unknown> = {},
      headers: Headers = desk.headers,
    ) {
      return call(
        'POST',
        '/api/v1/ipd/admissions',
        headers,
        this.admitBody(patientId, bedId, doctorId, extra),
      );
    },

    async bed(id: string) {
      return ok<TestBed & { statusReason: string | null }>('GET', `/api/v1/ipd/beds/${id}`, desk.headers);
    },
  };
}
