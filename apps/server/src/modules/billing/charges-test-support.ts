import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { bearer, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import { startDispatcher } from '../../platform/events/dispatcher';
import { addDays, localDate } from '../../platform/time/facility-time';
import { seedBillingReference } from './billing-reference';
import { registerChargePosting } from './charge-posting';

// Test factories of the charge-master and charges integration tests (through HTTP, plus the event
// dispatcher): a facility of its own per test file whose time zone puts "now" near 11:00 (so today's OPD
// sessions are open whatever the hour of the run), billing staff, a doctor, wards with beds, patients.

type Headers = Record<string, string>;

export const letters = (n: number) =>
  Array.from(randomBytes(n), (b) => 'abcdefghijklmnopqrstuvwxyz'[b % 26])
    .join('')
    .replace(/^./, (c) => c.toUpperCase());

/** A fixed-offset zone in which the wall clock now reads about 11:00. */
function lateMorningZone(now = new Date()): string {
  let offset = 11 - now.getUTCHours();
  if (offset < -12) offset += 24;
  if (offset > 14) offset -= 24;
  if (offset === 0) return 'Etc/GMT';
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

export type ChargesWorld = Awaited<ReturnType<typeof createChargesWorld>>;

export async function createChargesWorld(t: TestApp) {
  await seedBillingReference(t.database.db);
  // Until billing's index registers them, the tests subscribe the posting themselves (once per app).
  if (!t.app.deps.events.subscriptions.has('billing.consultation')) {
    registerChargePosting(t.app.deps, { events: t.app.deps.events, database: t.database });
  }
  const timeZone = lateMorningZone();
  const today = localDate(new Date(), timeZone);
  const code = `B${letters(6).toUpperCase()}`;
  const facility = await t.app.inject({
    method: 'POST',
    url: '/api/v1/organization/facilities',
    headers: bearer(t.admin.token),
    payload: { code, name: `Billing test ${code}`, timeZone },
  });
  if (facility.statusCode !== 201) throw new Error(`facility: ${facility.statusCode} ${facility.body}`);
  const facilityId = facility.json().id as string;
  const staff = async (roles: string[], displayName?: string) => {
    const user = await createTestUser(t.database, { roles, facilityId, displayName });
    return { id: user.id, headers: bearer(await signIn(t.app, user.email), facilityId) };
  };
  const admin = await staff(['admin']);
  const manager = await staff(['accounts-manager']);
  const clerk = await staff(['billing-clerk']);
  const desk = await staff(['front-desk']);
  const nurse = await staff(['nurse']);

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
  const department = async (deptCode: string, name: string, kind = 'clinical') =>
    (
      await ok<{ id: string }>(
        'POST',
        `/api/v1/organization/facilities/${facilityId}/departments`,
        admin.headers,
        {
          code: deptCode,
          name,
          kind,
        },
      )
    ).id;
  const departments = {
    medicine: await department('GMED', 'General Medicine'),
    laboratory: await department('PATH', 'Laboratory Medicine', 'diagnostic'),
  };
  await ok('PUT', '/api/v1/opd/settings', admin.headers, {
    priorityKinds: ['emergency', 'elderly'],
    elderlyAge: 60,
    bookingWindowDays: 2,
    version: 1,
  });

  const categories = new Map<string, string>();
  async function category(tariffClass: string, intensiveCare: boolean): Promise<string> {
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

  /** Delivers every pending event to the subscribers (as the dispatcher does after commit). */
  async function drain() {
    const dispatcher = startDispatcher({
      database: t.database,
      registry: t.app.deps.events,
      logger: pino({ level: 'silent' }),
      pollMs: 60_000,
    });
    await dispatcher.drain();
    await dispatcher.stop();
  }

  return {
    t,
    facilityId,
    timeZone,
    today,
    departments,
    admin,
    manager,
    clerk,
    desk,
    nurse,
    staff,
    call,
    ok,
    drain,

    /** A service of the charge master, with hospital prices per tariff class valid from a date. */
    async service(
      body: Record<string, unknown>,
      prices: Record<string, number> = {},
      validFrom = addDays(today, -30),
    ) {
      const s = await ok<{ id: string; code: string; version: number }>(
        'POST',
        '/api/v1/billing/services',
        manager.headers,
        {
          code: `S-${letters(6).toUpperCase()}`,
          name: `Service ${letters(6)}`,
          serviceGroup: 'procedure',
          ...body,
        },
      );
      for (const [tariffClass, price] of Object.entries(prices)) {
        await ok('POST', `/api/v1/billing/services/${s.id}/prices`, manager.headers, {
          tariffClass,
          price,
          validFrom,
        });
      }
      return s;
    },

    /** A ward with one room and n beds of a tariff class. */
    async ward(tariffClass: string, beds = 2, intensiveCare = tariffClass === 'icu') {
      const ward = await ok<{ id: string }>('POST', '/api/v1/ipd/wards', admin.headers, {
        code: `W-${letters(5).toUpperCase()}`,
        name: `Ward ${letters(5)}`,
        kind: intensiveCare ? 'icu' : 'general',
      });
      const room = await ok<{ id: string }>('POST', '/api/v1/ipd/rooms', admin.headers, {
        wardId: ward.id,
        code: 'R1',
        name: 'Room 1',
      });
      const categoryId = await category(tariffClass, intensiveCare);
      const list: { id: string }[] = [];
      for (let i = 1; i <= beds; i++) {
        list.push(
          await ok<{ id: string }>('POST', '/api/v1/ipd/beds', admin.headers, {
            roomId: room.id,
            categoryId,
            code: `B${i}`,
            sortOrder: i,
          }),
        );
      }
      return { id: ward.id, beds: list };
    },

    /** A doctor with a practitioner profile (fees INR 500 first visit, INR 300 follow-up). */
    async doctor() {
      const user = await staff(['doctor'], `Dr. ${letters(6)}`);
      const p = await ok<{ id: string; displayName: string }>(
        'POST',
        '/api/v1/opd/practitioners',
        admin.headers,
        {
          userId: user.id,
          displayName: `Dr. ${letters(6)} ${letters(7)}`,
          departmentId: departments.medicine,
          specialty: 'General Medicine',
          qualifications: ['MBBS'],
          languages: ['English'],
          firstVisitFee: 50_000,
          followUpFee: 30_000,
          followUpWithinDays: 7,
        },
      );
      return { ...p, userId: user.id, headers: user.headers };
    },

    /** Today's all-day clinic of a practitioner in a new room (walk-ins welcome). */
    async clinic(practitionerId: string) {
      const room = await ok<{ id: string }>('POST', '/api/v1/opd/rooms', admin.headers, {
        departmentId: departments.medicine,
        name: `Room ${letters(5)}`,
        boardCode: `B-${letters(8).toUpperCase()}`,
      });
      const weekday = new Date(`${today}T00:00:00Z`).getUTCDay() || 7;
      await ok('POST', '/api/v1/opd/schedules', admin.headers, {
        practitionerId,
        roomId: room.id,
        weekday,
        startTime: '00:00',
        endTime: '23:55',
        slotMinutes: 15,
        patientsPerSlot: 1,
        walkInQuota: 50,
        validFrom: today,
      });
      return room;
    },

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
      return res.json() as { id: string; displayName: string };
    },

    async admit(patientId: string, bedId: string, doctorId: string) {
      return ok<{ id: string; version: number; encounterId: string; admissionNumber: string }>(
        'POST',
        '/api/v1/ipd/admissions',
        desk.headers,
        {
          patientId,
          bedId,
          source: 'direct',
          admittingPractitionerId: doctorId,
          attendingPractitionerId: doctorId,
          reason: 'Community-acquired pneumonia',
          payerCategory: 'cash',
        },
      );
    },

    /** The billing account of an episode (by its key), or undefined. */
    async accountOf(episodeKey: string) {
      const [row] = await rowsOf<{ id: string }>(
        t.database.db,
        sql`select id from billing.accounts where facility_id = ${facilityId} and episode_key = ${episodeKey}`,
      );
      return row ? ok<AccountView>('GET', `/api/v1/billing/accounts/${row.id}`, clerk.headers) : undefined;
    },
  };
}

export type ChargeView = {
  id: string;
  serviceCode: string;
  serviceGroup: string;
  tariffClass: string;
  intensiveCare: boolean;
  quantity: number;
  unitPrice: number;
  amount: number;
  serviceDate: string;
  sourceType: string;
  sourceId: string;
  sourceLine: string;
  sourceEventId: string | null;
  departmentId: string | null;
  performerId: string | null;
  packageCovered: boolean;
  status: string;
  cancelReason: string | null;
  version: number;
};
export type AccountView = {
  id: string;
  kind: string;
  tariffClass: string;
  packageId: string | null;
  version: number;
  charges: ChargeView[];
  totals: {
    charged: number;
    packageCovered: number;
    billable: number;
    unbilled: number;
    activeCharges: number;
    cancelledCharges: number;
  };
};
