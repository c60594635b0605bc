import { randomBytes } from 'node:crypto';
import type { CreateScheduleBody } from '@newhms/contracts';
import { bearer, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { addDays, localDate } from '../../platform/time/facility-time';

// Test factories of the OPD integration tests (through HTTP only): a facility of its own per test file,
// whose time zone puts "now" near 11:00, so that today's clinics are open whatever the hour of the run.

type Headers = Record<string, string>;

const letters = (n: number) =>
  Array.from(randomBytes(n), (b) => 'abcdefghijklmnopqrstuvwxyz'[b % 26])
    .join('')
    .replace(/^./, (c) => c.toUpperCase());

/** A fixed-offset zone in which the wall clock now reads about 11:00. */
function lateMorningZone(now = new Date()): string {
  let offset = 11 - now.getUTCHours();
  if (offset < -12) offset += 24;
  if (offset === 0) return 'Etc/GMT';
  // Etc/GMT signs are inverted (POSIX): Etc/GMT-5 is five hours ahead of UTC.
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

export type OpdWorld = Awaited<ReturnType<typeof createOpdWorld>>;

export async function createOpdWorld(t: TestApp) {
  const timeZone = lateMorningZone();
  const code = `T${letters(6).toUpperCase()}`;
  const facility = await t.app.inject({
    method: 'POST',
    url: '/api/v1/organization/facilities',
    headers: bearer(t.admin.token),
    payload: { code, name: `OPD test ${code}`, timeZone },
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
  const today = localDate(new Date(), timeZone);
  // A short booking window keeps the made slots few (the window's own behaviour is tested separately).
  const settings = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/opd/settings',
    headers: admin.headers,
    payload: {
      priorityKinds: ['emergency', 'elderly', 'pregnant', 'disabled'],
      elderlyAge: 60,
      bookingWindowDays: 3,
      version: 1,
    },
  });
  if (settings.statusCode !== 200) throw new Error(`settings: ${settings.statusCode} ${settings.body}`);

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

  return {
    t,
    facilityId,
    timeZone,
    today,
    tomorrow: addDays(today, 1),
    departmentId,
    admin,
    desk,
    nurse,
    staff,
    call,
    ok,

    async room(overrides: { showInitials?: boolean } = {}) {
      return ok<{ id: string; boardCode: string; name: string }>('POST', '/api/v1/opd/rooms', admin.headers, {
        departmentId,
        name: `Room ${letters(5)}`,
        boardCode: `B-${letters(8).toUpperCase()}`,
        ...overrides,
      });
    },

    /** A doctor user with a practitioner profile. */
    async doctor(overrides: Record<string, unknown> = {}) {
      const user = await staff(['doctor'], `Dr. ${letters(6)}`);
      const practitioner = await ok<{ id: string; displayName: string; version: number }>(
        'POST',
        '/api/v1/opd/practitioners',
        admin.headers,
        {
          userId: user.id,
          displayName: `Dr. ${letters(6)} ${letters(7)}`,
          departmentId,
          specialty: 'General Medicine',
          registrationCouncil: 'Karnataka Medical Council',
          registrationNumber: `KMC-${Math.floor(Math.random() * 90_000) + 10_000}`,
          qualifications: ['MBBS', 'MD'],
          languages: ['English', 'Kannada'],
          firstVisitFee: 50_000,
          followUpFee: 30_000,
          followUpWithinDays: 7,
          ...overrides,
        },
      );
      return { ...practitioner, userId: user.id, headers: user.headers };
    },

    /** Weekly sessions on the weekdays of the given dates (default today and tomorrow). */
    async schedule(
      practitionerId: string,
      roomId: string,
      shape: Partial<Omit<CreateScheduleBody, 'practitionerId' | 'roomId'>> = {},
      dates: readonly string[] = [today, addDays(today, 1)],
    ) {
      const results = [];
      for (const date of dates) {
        const weekday = new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
        results.push(
          await ok<{ template: { id: string; version: number }; affected: unknown[] }>(
            'POST',
            '/api/v1/opd/schedules',
            admin.headers,
            {
              practitionerId,
              roomId,
              weekday,
              startTime: '00:00',
              endTime: '23:55',
              slotMinutes: 15,
              patientsPerSlot: 1,
              walkInQuota: 50,
              validFrom: today,
              ...shape,
            },
          ),
        );
      }
      return results;
    },

    async slots(practitionerId: string, date: string, onlyFree = true) {
      const { items } = await ok<{
        items: {
          id: string;
          startsAt: string;
          endsAt: string;
          free: number;
          booked: number;
          capacity: number;
          sessionId: string;
          status: string;
        }[];
      }>(
        'GET',
        `/api/v1/opd/slots?practitionerId=${practitionerId}&from=${date}&to=${date}${onlyFree ? '&onlyFree=true' : ''}`,
        desk.headers,
      );
      return items;
    },

    /** A registered patient of this facility; birthDate optional. */
    async patient(overrides: Record<string, unknown> = {}) {
      const body = { name: { given: letters(7), family: letters(9) }, sex: 'female', ...overrides };
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

    async book(patientId: string, slotId: string, headers: Headers = desk.headers) {
      return call('POST', '/api/v1/opd/appointments', headers, { patientId, slotId });
    },

    async walkIn(patientId: string, practitionerId: string, priorities: string[] = []) {
      return call('POST', '/api/v1/opd/queue/check-in', desk.headers, {
        patientId,
        practitionerId,
        priorities,
      });
    },
  };
}
