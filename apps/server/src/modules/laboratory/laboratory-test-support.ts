import { randomBytes } from 'node:crypto';
import type { LabRequest } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { bearer, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import { startDispatcher } from '../../platform/events/dispatcher';

// Test factories of the laboratory tests: a facility of its own (PostgreSQL test files share one database),
// staff by role (two lab technicians, so that one enters and the other validates), patients and visits
// through the API, orders through the encounters API, and the event dispatcher run until nothing is due.

type Headers = Record<string, string>;
type Res = { statusCode: number; body: string; json(): unknown };

const letters = (n: number) =>
  Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[b % 26]).join('');

export type LabWorld = Awaited<ReturnType<typeof createLabWorld>>;

export async function createLabWorld(t: TestApp, timeZone = 'Asia/Kolkata') {
  const code = `L${letters(6)}`;
  const facility = await t.app.inject({
    method: 'POST',
    url: '/api/v1/organization/facilities',
    headers: bearer(t.admin.token),
    payload: { code, name: `Laboratory test ${code}`, timeZone },
  });
  if (facility.statusCode !== 201) throw new Error(`facility: ${facility.statusCode} ${facility.body}`);
  const facilityId = facility.json().id as string;
  const staff = async (roles: string[], displayName?: string) => {
    const user = await createTestUser(t.database, { roles, facilityId, displayName });
    return { id: user.id, headers: bearer(await signIn(t.app, user.email), facilityId) };
  };
  const doctor = await staff(['doctor'], 'Dr Rao');
  const nurse = await staff(['nurse'], 'Sr Mary');
  const technician = await staff(['lab-technician'], 'Tech Anil');
  const pathologist = await staff(['lab-technician'], 'Dr Path Sen');
  const desk = await staff(['front-desk']);

  async function call(method: 'GET' | 'POST', url: string, headers: Headers, payload?: unknown) {
    return t.app.inject({
      method,
      url,
      headers,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  }
  function ok<T>(res: Res, status: number, what: string): T {
    if (res.statusCode !== status) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  }

  return {
    facilityId,
    facilityCode: code,
    doctor,
    nurse,
    technician,
    pathologist,
    desk,
    staff,
    call,
    ok,

    async patient(options: { sex?: string; birthDate?: string } = {}) {
      const body = {
        name: { given: letters(6), family: letters(8) },
        sex: options.sex ?? 'female',
        birth: { birthDate: options.birthDate ?? '1970-02-03' },
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

    async visit(patientId: string) {
      return ok<{ id: string }>(
        await call('POST', '/api/v1/encounters', doctor.headers, { patientId, class: 'ambulatory' }),
        201,
        'encounter',
      );
    },

    /** The doctor orders a laboratory test in the encounter (encounters API). */
    async order(encounterId: string, code: string, options: { priority?: string; system?: string } = {}) {
      return ok<{ id: string; version: number }>(
        await call('POST', `/api/v1/encounters/${encounterId}/orders`, doctor.headers, {
          category: 'laboratory',
          code,
          system: options.system ?? null,
          display: code,
          priority: options.priority ?? 'routine',
        }),
        201,
        'order',
      );
    },

    /** A walk-in order at the lab counter. */
    async walkIn(patientId: string, tests: string[], priority = 'routine') {
      return ok<LabRequest[]>(
        await call('POST', '/api/v1/laboratory/requests', technician.headers, { patientId, tests, priority }),
        201,
        'walk-in',
      );
    },

    async request(id: string) {
      return ok<LabRequest>(
        await call('GET', `/api/v1/laboratory/requests/${id}`, technician.headers),
        200,
        'request',
      );
    },

    /** The requests made for an encounter. */
    async requestsOf(encounterId: string) {
      return ok<LabRequest[]>(
        await call('GET', `/api/v1/laboratory/requests?encounterId=${encounterId}`, technician.headers),
        200,
        'requests',
      );
    },

    /** Collects (optionally at a given time) and receives every sample of a request awaiting collection. */
    async collectAndReceive(request: LabRequest, collectedAt?: string) {
      for (const s of request.samples.filter((x) => x.status === 'awaiting-collection')) {
        ok(
          await call('POST', `/api/v1/laboratory/samples/${s.id}/collect`, nurse.headers, {
            ...(collectedAt ? { collectedAt } : {}),
          }),
          200,
          'collect',
        );
        ok(
          await call('POST', '/api/v1/laboratory/samples/receive', technician.headers, {
            accession: s.accession,
          }),
          200,
          'receive',
        );
      }
    },

    /**
     * Runs the event dispatcher until this facility's laboratory deliveries (or those of the subscribers
     * named by `subscribers`, e.g. 'billing.') are done. On PostgreSQL the test files share one database, and
     * another file's dispatcher may hold one of ours (SKIP LOCKED): wait for it.
     */
    async deliver(subscribers = 'laboratory.') {
      const dispatcher = startDispatcher({
        database: t.database,
        registry: t.app.deps.events,
        logger: pino({ level: 'silent' }),
        pollMs: 60_000,
      });
      try {
        for (let attempt = 0; attempt < 100; attempt++) {
          await dispatcher.drain();
          const [row] = await rowsOf<{ n: number }>(
            t.database.db,
            sql`select count(*)::int as n from events.deliveries d join events.outbox o on o.id = d.event_id
              where o.facility_id = ${facilityId} and d.subscriber like ${`${subscribers}%`} and d.status = 'pending'`,
          );
          if (Number(row!.n) === 0) return;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error(`${subscribers} deliveries still pending`);
      } finally {
        await dispatcher.stop();
      }
    },

    /** Events the laboratory published about a request. */
    async events(requestId: string) {
      return rowsOf<{ id: string; type: string; payload: Record<string, unknown> }>(
        t.database.db,
        sql`select id, type, payload from events.outbox where aggregate_id = ${requestId}
          and type like 'laboratory.%' order by occurred_at, id`,
      );
    },

    /** Rows of a laboratory table matching a column (tests may read tables to assert what persisted). */
    async count(table: 'requests' | 'samples' | 'results', column: string, value: string) {
      const [row] = await rowsOf<{ n: number }>(
        t.database.db,
        sql`select count(*)::int as n from ${sql.raw(`laboratory.${table}`)} where ${sql.raw(column)} = ${value}`,
      );
      return Number(row!.n);
    },
  };
}
