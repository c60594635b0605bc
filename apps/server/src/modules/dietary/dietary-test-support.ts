import { randomBytes, randomUUID } from 'node:crypto';
import { type AdmissionEventPayload, IPD_EVENTS } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { bearer, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { startDispatcher } from '../../platform/events/dispatcher';
import { appendEvent } from '../../platform/events/outbox';

// Test factories of the dietary tests: a facility of its own (PostgreSQL test files share one database),
// patients and allergies through the API, and in-patients written as IPD keeps them. The dietary module may
// not import IPD's tables, so the IPD rows are plain SQL on IPD's schema (migration 0009): wards, rooms,
// beds, admissions and bed occupancies. The end of a stay is IPD's real event, delivered by the dispatcher.

type Headers = Record<string, string>;

const letters = (n: number) =>
  Array.from(randomBytes(n), (b) => 'abcdefghijklmnopqrstuvwxyz'[b % 26])
    .join('')
    .replace(/^./, (c) => c.toUpperCase());

export type DietaryWorld = Awaited<ReturnType<typeof createDietaryWorld>>;

export async function createDietaryWorld(t: TestApp, timeZone = 'Asia/Kolkata') {
  const code = `D${letters(6).toUpperCase()}`;
  const facility = await t.app.inject({
    method: 'POST',
    url: '/api/v1/organization/facilities',
    headers: bearer(t.admin.token),
    payload: { code, name: `Dietary test ${code}`, timeZone },
  });
  if (facility.statusCode !== 201) throw new Error(`facility: ${facility.statusCode} ${facility.body}`);
  const facilityId = facility.json().id as string;
  const db = t.database.db;
  const staff = async (roles: string[], displayName?: string) => {
    const user = await createTestUser(t.database, { roles, facilityId, displayName });
    return { id: user.id, headers: bearer(await signIn(t.app, user.email), facilityId) };
  };
  const admin = await staff(['admin']);
  const desk = await staff(['front-desk']);
  const categoryId = randomUUID();
  await db.execute(sql`insert into ipd.bed_categories (id, facility_id, code, name, tariff_class)
    values (${categoryId}, ${facilityId}, 'GEN', 'General', 'general')`);
  let admissionNo = 0;

  async function call(method: 'GET' | 'POST', url: string, headers: Headers, payload?: unknown) {
    return t.app.inject({
      method,
      url,
      headers,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  }

  return {
    facilityId,
    admin,
    desk,
    staff,
    call,

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

    async allergy(
      patientId: string,
      substance: string,
      category = 'food',
      severity = 'severe',
      reaction?: string,
    ) {
      const res = await call('POST', `/api/v1/patients/${patientId}/allergies`, admin.headers, {
        category,
        substance,
        severity,
        ...(reaction ? { reaction } : {}),
      });
      if (res.statusCode >= 300) throw new Error(`allergy: ${res.statusCode} ${res.body}`);
    },

    async noKnownAllergies(patientId: string) {
      const res = await call('POST', `/api/v1/patients/${patientId}/no-known-allergies`, admin.headers, {});
      if (res.statusCode >= 300) throw new Error(`nka: ${res.statusCode} ${res.body}`);
    },

    /** A ward with one room and the given beds. */
    async ward(name: string, bedCodes: string[], kind = 'general') {
      const wardId = randomUUID();
      const roomId = randomUUID();
      const wardCode = `${name
        .replace(/[^A-Za-z]/g, '')
        .slice(0, 4)
        .toUpperCase()}${letters(3).toUpperCase()}`;
      await db.execute(sql`insert into ipd.wards (id, facility_id, code, name, kind)
        values (${wardId}, ${facilityId}, ${wardCode}, ${name}, ${kind})`);
      await db.execute(
        sql`insert into ipd.rooms (id, ward_id, code, name) values (${roomId}, ${wardId}, 'R1', 'Room 1')`,
      );
      const beds: Record<string, string> = {};
      for (const [i, bedCode] of bedCodes.entries()) {
        const bedId = randomUUID();
        await db.execute(sql`insert into ipd.beds (id, facility_id, ward_id, room_id, category_id, code, sort_order)
          values (${bedId}, ${facilityId}, ${wardId}, ${roomId}, ${categoryId}, ${bedCode}, ${i})`);
        beds[bedCode] = bedId;
      }
      return { wardId, wardCode, name, beds };
    },

    /** An admission lying in a bed now (as IPD's admit writes it). */
    async admit(patientId: string, ward: { wardId: string }, bedId: string) {
      const admissionId = randomUUID();
      admissionNo += 1;
      const at = new Date(Date.now() - 3600_000).toISOString();
      await db.execute(sql`insert into ipd.admissions (id, facility_id, admission_number, patient_id, encounter_id,
          source, admitting_practitioner_name, attending_practitioner_name, reason, payer_category, admitted_at,
          admitted_by_name)
        values (${admissionId}, ${facilityId}, ${`IP-${code}-${admissionNo}`}, ${patientId}, ${randomUUID()},
          'direct', 'Dr. Test', 'Dr. Test', 'Observation', 'cash', ${at}::timestamptz, 'Test')`);
      await db.execute(sql`insert into ipd.bed_occupancies (id, admission_id, patient_id, bed_id, ward_id,
          tariff_class, started_at, start_reason, moved_by_name)
        values (${randomUUID()}, ${admissionId}, ${patientId}, ${bedId}, ${ward.wardId}, 'general',
          ${at}::timestamptz, 'admission', 'Test')`);
      return { admissionId, patientId };
    },

    /** IPD moves the patient to another bed (the old occupancy ends, a new one starts). */
    async transfer(admissionId: string, ward: { wardId: string }, bedId: string) {
      const at = new Date().toISOString();
      await db.execute(sql`update ipd.bed_occupancies set ended_at = ${at}::timestamptz, end_reason = 'transfer'
        where admission_id = ${admissionId} and ended_at is null`);
      await db.execute(sql`insert into ipd.bed_occupancies (id, admission_id, patient_id, bed_id, ward_id,
          tariff_class, started_at, start_reason, moved_by_name)
        select ${randomUUID()}, id, patient_id, ${bedId}, ${ward.wardId}, 'general', ${at}::timestamptz,
          'transfer', 'Test' from ipd.admissions where id = ${admissionId}`);
    },

    /**
     * IPD ends the stay (discharged or cancelled): the admission's status, the occupancy closed, and IPD's
     * real event appended to the outbox in the same transaction.
     */
    async endStay(admissionId: string, patientId: string, how: 'discharged' | 'cancelled') {
      const at = new Date().toISOString();
      await db.transaction(async (tx) => {
        await tx.execute(
          how === 'discharged'
            ? sql`update ipd.admissions set status = 'discharged', discharge_type = 'normal',
                discharged_at = ${at}::timestamptz where id = ${admissionId}`
            : sql`update ipd.admissions set status = 'cancelled', cancelled_reason = 'entered in error'
                where id = ${admissionId}`,
        );
        await tx.execute(sql`update ipd.bed_occupancies set ended_at = ${at}::timestamptz,
            end_reason = ${how === 'discharged' ? 'discharge' : 'cancelled'}
          where admission_id = ${admissionId} and ended_at is null`);
        const payload: AdmissionEventPayload = {
          admissionId,
          admissionNumber: 'IP-test',
          patientId,
          encounterId: randomUUID(),
          payerCategory: 'cash',
          bed: null,
          previousBed: null,
          at,
          dischargeType: how === 'discharged' ? 'normal' : null,
        };
        await appendEvent(tx, t.app.deps.events, {
          type: how === 'discharged' ? IPD_EVENTS.discharged : IPD_EVENTS.cancelled,
          facilityId,
          aggregateId: admissionId,
          payload,
        });
      });
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
  };
}
