import { randomBytes } from 'node:crypto';
import type { RadOrder, RadReport, RadRoom } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { bearer, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import { startDispatcher } from '../../platform/events/dispatcher';
import type { DomainEvent } from '../../platform/events/outbox';

// Test factories of the radiology tests: a facility of its own (PostgreSQL test files share one database),
// staff by role (doctor, front desk, radiographer, radiologist), rooms of every modality open around the
// clock, patients and visits through the API, encounter orders through the encounters API, a study walked
// through its states, and the event dispatcher run until nothing is due.

type Headers = Record<string, string>;
type Res = { statusCode: number; body: string; json(): unknown };

const letters = (n: number) =>
  Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[b % 26]).join('');

export type RadWorld = Awaited<ReturnType<typeof createRadWorld>>;

/** A Study Instance UID no other test uses: 2.25 and a random 96-bit number. */
export function freshUid(): string {
  return `2.25.${BigInt(`0x1${randomBytes(12).toString('hex')}`).toString(10)}`;
}

export async function createRadWorld(t: TestApp, timeZone = 'Asia/Kolkata') {
  const code = `R${letters(6)}`;
  const facility = await t.app.inject({
    method: 'POST',
    url: '/api/v1/organization/facilities',
    headers: bearer(t.admin.token),
    payload: { code, name: `Radiology test ${code}`, timeZone },
  });
  if (facility.statusCode !== 201) throw new Error(`facility: ${facility.statusCode} ${facility.body}`);
  const facilityId = facility.json().id as string;
  const staff = async (roles: string[], displayName?: string) => {
    const user = await createTestUser(t.database, { roles, facilityId, displayName });
    return { id: user.id, headers: bearer(await signIn(t.app, user.email), facilityId) };
  };
  const admin = await staff(['admin'], 'Admin Iyer');
  const doctor = await staff(['doctor'], 'Dr Rao');
  const nurse = await staff(['nurse'], 'Sr Mary');
  const desk = await staff(['front-desk'], 'Desk Kumar');
  const radiographer = await staff(['radiographer'], 'Tech Latha');
  const radiologist = await staff(['radiologist'], 'Dr Radiologist Sen');

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
  function ok<T>(res: Res, status: number, what: string): T {
    if (res.statusCode !== status) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  }

  const room = async (modality: string, body: Record<string, unknown> = {}) =>
    ok<RadRoom>(
      await call('POST', '/api/v1/radiology/rooms', admin.headers, {
        code: `${modality}-${letters(4)}`,
        name: `${modality} room ${letters(3)}`,
        modality,
        ...body,
      }),
      201,
      'room',
    );
  const rooms = {
    XR: await room('XR'),
    CT: await room('CT'),
    MR: await room('MR'),
    US: await room('US'),
    MG: await room('MG'),
    RF: await room('RF'),
  };

  const world = {
    facilityId,
    facilityCode: code,
    admin,
    doctor,
    nurse,
    desk,
    radiographer,
    radiologist,
    rooms,
    staff,
    call,
    ok,
    room,

    async patient(options: { sex?: string; birthDate?: string } = {}) {
      const body = {
        name: { given: letters(6), family: letters(8) },
        sex: options.sex ?? 'male',
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

    /** The doctor orders imaging in the encounter (encounters API). */
    async order(
      encounterId: string,
      code: string | null,
      options: { priority?: string; display?: string } = {},
    ) {
      return ok<{ id: string; version: number }>(
        await call('POST', `/api/v1/encounters/${encounterId}/orders`, doctor.headers, {
          category: 'imaging',
          code,
          display: options.display ?? code ?? 'Imaging',
          priority: options.priority ?? 'routine',
        }),
        201,
        'order',
      );
    },

    /** A walk-in at the radiology desk. */
    async walkIn(
      patientId: string,
      procedureCode: string,
      extra: { laterality?: string; priority?: string; encounterId?: string; headers?: Headers } = {},
    ) {
      const { headers, ...rest } = extra;
      return ok<RadOrder>(
        await call('POST', '/api/v1/radiology/orders', headers ?? desk.headers, {
          patientId,
          procedureCode,
          clinicalIndication: 'Pain and swelling after a fall',
          ...rest,
        }),
        201,
        'walk-in',
      );
    },

    async get(id: string) {
      return ok<RadOrder>(
        await call('GET', `/api/v1/radiology/orders/${id}`, radiographer.headers),
        200,
        'order',
      );
    },

    /** The radiology orders made for an encounter. */
    async ordersOf(encounterId: string) {
      return ok<RadOrder[]>(
        await call('GET', `/api/v1/radiology/orders?encounterId=${encounterId}`, radiographer.headers),
        200,
        'orders',
      );
    },

    async book(order: RadOrder, roomId: string, startsAt: Date, minutes?: number) {
      return call('POST', `/api/v1/radiology/orders/${order.id}/booking`, desk.headers, {
        roomId,
        startsAt: startsAt.toISOString(),
        ...(minutes ? { endsAt: new Date(startsAt.getTime() + minutes * 60_000).toISOString() } : {}),
        version: order.version,
      });
    },

    /** Walks an order to in-progress (arrival with a full checklist, start in the modality's room). */
    async started(order: RadOrder, checklist: Record<string, unknown> = {}) {
      const arrived = ok<RadOrder>(
        await call('POST', `/api/v1/radiology/orders/${order.id}/arrive`, radiographer.headers, {
          checklist: { identityConfirmed: true, ...checklist },
          version: order.version,
        }),
        200,
        'arrive',
      );
      return ok<RadOrder>(
        await call('POST', `/api/v1/radiology/orders/${order.id}/start`, radiographer.headers, {
          roomId: rooms[order.modality].id,
          version: arrived.version,
        }),
        200,
        'start',
      );
    },

    /** Walks an order to completed, with a fresh Study Instance UID. */
    async completed(order: RadOrder, checklist: Record<string, unknown> = {}) {
      const started = await world.started(order, checklist);
      return ok<RadOrder>(
        await call('POST', `/api/v1/radiology/orders/${order.id}/complete`, radiographer.headers, {
          studyInstanceUid: freshUid(),
          numberOfImages: 120,
          version: started.version,
        }),
        200,
        'complete',
      );
    },

    /** A completed study reported and signed (optionally with a critical finding). */
    async signed(order: RadOrder, criticalFinding?: { text: string; category: string }) {
      const draft = ok<RadReport>(
        await call('POST', `/api/v1/radiology/orders/${order.id}/report`, radiologist.headers),
        201,
        'open report',
      );
      return ok<RadReport>(
        await call('POST', `/api/v1/radiology/reports/${draft.id}/sign`, radiologist.headers, {
          findings: 'Findings: as described, no other abnormality.',
          impression: 'Impression: as described.',
          ...(criticalFinding ? { criticalFinding } : {}),
          version: draft.version,
        }),
        200,
        'sign',
      );
    },

    /**
     * Runs the event dispatcher until this facility's radiology deliveries are done. On PostgreSQL the test
     * files share one database, and another file's dispatcher may hold one of ours (SKIP LOCKED): wait for it.
     */
    async deliver(prefix = 'radiology.') {
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
              where o.facility_id = ${facilityId} and d.subscriber like ${`${prefix}%`} and d.status = 'pending'`,
          );
          if (Number(row!.n) === 0) return;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error('radiology deliveries still pending');
      } finally {
        await dispatcher.stop();
      }
    },

    /** The stored event of an aggregate, as a subscriber receives it. */
    async storedEvent(aggregateId: string, type: string): Promise<DomainEvent> {
      const [row] = await rowsOf<{
        id: string;
        type: string;
        facility_id: string;
        aggregate_id: string;
        actor_id: string | null;
        payload: unknown;
        occurred_at: string;
      }>(
        t.database.db,
        sql`select * from events.outbox where aggregate_id = ${aggregateId} and type = ${type}`,
      );
      return {
        id: row!.id,
        type: row!.type,
        facilityId: row!.facility_id,
        aggregateId: row!.aggregate_id,
        actorId: row!.actor_id,
        payload: row!.payload,
        occurredAt: new Date(row!.occurred_at),
      };
    },

    /** Events of a type about an aggregate (or all of the facility's of that type). */
    async events(type: string, aggregateId?: string) {
      return rowsOf<{ id: string; aggregate_id: string; payload: Record<string, unknown> }>(
        t.database.db,
        sql`select id, aggregate_id, payload from events.outbox where type = ${type} and facility_id = ${facilityId}
          ${aggregateId ? sql`and aggregate_id = ${aggregateId}` : sql``} order by occurred_at, id`,
      );
    },

    /** Audit entries of a resource type about a patient (tests read the log to assert what was audited). */
    async audits(resourceType: string, patientId: string) {
      return rowsOf<{ action: string; resource_id: string | null; detail: Record<string, unknown> | null }>(
        t.database.db,
        sql`select action, resource_id, detail from audit.entries where resource_type = ${resourceType}
          and patient_id = ${patientId} order by occurred_at, id`,
      );
    },
  };
  return world;
}
