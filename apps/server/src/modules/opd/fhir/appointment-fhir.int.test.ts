import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../../test/fhir-validators';
import { bearer, createTestApp, type TestApp } from '../../../../test/harness';
import { auditEntries } from '../../../platform/audit/audit.tables';
import { addDays } from '../../../platform/time/facility-time';
import { createOpdWorld, type OpdWorld } from '../opd-test-support';

// biome-ignore lint/suspicious/noExplicitAny: FHIR JSON read in assertions
type Json = Record<string, any>;
type Headers = Record<string, string>;

let t: TestApp;
let w: OpdWorld;
let d1: Awaited<ReturnType<OpdWorld['doctor']>>;
let d2: Awaited<ReturnType<OpdWorld['doctor']>>;
const asha = { id: '', today: {} as Json, tomorrow: {} as Json, cancelled: {} as Json, followUp: {} as Json };
const ravi = { id: '', today: {} as Json };
let encounterId = '';

const get = (url: string, headers: Headers = w.desk.headers) =>
  t.app.inject({ method: 'GET', url: url.replace(/^https?:\/\/[^/]+/, ''), headers });

async function search(path: string, headers: Headers = w.desk.headers): Promise<Json> {
  const res = await get(`/fhir/R4/${path}`, headers);
  expect(res.statusCode, res.body).toBe(200);
  const bundle = res.json();
  expectValidFhir(bundle);
  for (const e of bundle.entry ?? []) if (e.search?.mode === 'match') expectValidFhir(e.resource);
  return bundle;
}
const ids = (bundle: Json): string[] =>
  (bundle.entry ?? []).filter((e: Json) => e.search?.mode === 'match').map((e: Json) => e.resource.id);
const sorted = (xs: string[]) => [...xs].sort();

async function book(patientId: string, practitionerId: string, date: string, skip = 0) {
  const slot = (await w.slots(practitionerId, date))[skip]!;
  const res = await w.book(patientId, slot.id);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Json;
}

beforeAll(async () => {
  t = await createTestApp();
  w = await createOpdWorld(t);
  const room = await w.room();
  d1 = await w.doctor();
  d2 = await w.doctor({ specialty: 'Cardiology' });
  await w.schedule(d1.id, room.id);
  await w.schedule(d2.id, (await w.room()).id);
  // 1. The desk books Asha with Dr 1 today and with Dr 2 today (which she cancels) and tomorrow, and Ravi
  //    with Dr 1 today.
  asha.id = (await w.patient()).id;
  ravi.id = (await w.patient()).id;
  asha.today = await book(asha.id, d1.id, w.today, 0);
  asha.tomorrow = await book(asha.id, d2.id, w.tomorrow, 4);
  asha.cancelled = await book(asha.id, d2.id, w.today, 1);
  ravi.today = await book(ravi.id, d1.id, w.today, 2);
  asha.cancelled = await w.ok(
    'POST',
    `/api/v1/opd/appointments/${asha.cancelled.id}/cancel`,
    w.desk.headers,
    {
      reason: 'travelling to Mysuru',
    },
  );
  // 2. Asha arrives; Dr 1 starts the consultation and books a follow-up two days on.
  const arrived = await w.ok<{ token: Json }>(
    'POST',
    `/api/v1/opd/appointments/${asha.today.id}/arrive`,
    w.desk.headers,
    {},
  );
  const started = await w.ok<{ encounterId: string }>(
    'POST',
    `/api/v1/opd/tokens/${arrived.token.id}/start`,
    d1.headers,
    {},
  );
  encounterId = started.encounterId;
  asha.today = await w.ok('GET', `/api/v1/opd/appointments/${asha.today.id}`, w.desk.headers);
  const followUp = await t.app.inject({
    method: 'POST',
    url: '/api/v1/opd/follow-ups',
    headers: d1.headers,
    payload: { encounterId, slotId: (await w.slots(d1.id, w.tomorrow))[10]!.id },
  });
  expect(followUp.statusCode, followUp.body).toBe(201);
  asha.followUp = followUp.json();
});
afterAll(() => t.close());

describe('FHIR Appointment', () => {
  it('is in the CapabilityStatement with read, search and its parameters', async () => {
    const cs = (await get('/fhir/R4/metadata', {})).json();
    expectValidFhir(cs);
    const a = cs.rest[0].resource.find((r: Json) => r.type === 'Appointment');
    expect(a.interaction.map((i: Json) => i.code).sort()).toEqual(['read', 'search-type']);
    expect(a.searchParam.map((p: Json) => p.name).sort()).toEqual([
      '_id',
      'actor',
      'date',
      'patient',
      'practitioner',
      'status',
    ]);
  });

  it('reads a booking: the patient and the named practitioner, the slot times, a routine first visit', async () => {
    const res = await get(`/fhir/R4/Appointment/${ravi.today.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.headers.etag).toBe(`W/"${ravi.today.version}"`);
    const a = res.json();
    expectValidFhir(a);
    expect(a).toMatchObject({
      resourceType: 'Appointment',
      id: ravi.today.id,
      status: 'booked',
      start: ravi.today.startsAt,
      end: ravi.today.endsAt,
      minutesDuration: 15,
      appointmentType: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0276', code: 'ROUTINE' }],
      },
      specialty: [{ text: 'General Medicine' }],
      participant: [
        { actor: { reference: `Patient/${ravi.id}` }, status: 'accepted' },
        { actor: { reference: `Practitioner/${d1.id}`, display: d1.displayName }, status: 'accepted' },
      ],
    });
    expect(a.cancelationReason).toBeUndefined();
  });

  it('shows arrival, a cancellation with its reason, and a follow-up naming the consultation it follows', async () => {
    const arrived = (await get(`/fhir/R4/Appointment/${asha.today.id}`)).json();
    expectValidFhir(arrived);
    expect(arrived.status).toBe('arrived');
    const cancelled = (await get(`/fhir/R4/Appointment/${asha.cancelled.id}`)).json();
    expectValidFhir(cancelled);
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancelationReason: { text: 'travelling to Mysuru' },
      specialty: [{ text: 'Cardiology' }],
    });
    const followUp = (await get(`/fhir/R4/Appointment/${asha.followUp.id}`)).json();
    expectValidFhir(followUp);
    expect(followUp).toMatchObject({
      appointmentType: { coding: [{ code: 'FOLLOWUP' }] },
      supportingInformation: [{ reference: `Encounter/${encounterId}` }],
    });
  });

  it("puts the practitioner's name on the consultation's Encounter too", async () => {
    const e = (await get(`/fhir/R4/Encounter/${encounterId}`, d1.headers)).json();
    expectValidFhir(e);
    expect(e.participant[0].individual).toEqual({
      reference: `Practitioner/${d1.id}`,
      display: d1.displayName,
    });
  });

  it('finds by patient, practitioner, actor and _id', async () => {
    const all = [asha.today.id, asha.tomorrow.id, asha.cancelled.id, asha.followUp.id];
    expect(sorted(ids(await search(`Appointment?patient=Patient/${asha.id}`)))).toEqual(sorted(all));
    expect(sorted(ids(await search(`Appointment?patient=${asha.id}`)))).toEqual(sorted(all));
    const withD2 = sorted([asha.cancelled.id, asha.tomorrow.id]);
    expect(sorted(ids(await search(`Appointment?practitioner=Practitioner/${d2.id}`)))).toEqual(withD2);
    expect(sorted(ids(await search(`Appointment?practitioner=${d1.id}&patient=${ravi.id}`)))).toEqual([
      ravi.today.id,
    ]);
    expect(sorted(ids(await search(`Appointment?actor=Practitioner/${d2.id}`)))).toEqual(withD2);
    expect(ids(await search(`Appointment?actor=Patient/${ravi.id}`))).toEqual([ravi.today.id]);
    expect(ids(await search(`Appointment?actor=${ravi.id}`))).toEqual([ravi.today.id]);
    expect(ids(await search(`Appointment?actor=Patient/${d2.id}`))).toEqual([]);
    expect(sorted(ids(await search(`Appointment?_id=${ravi.today.id},${asha.tomorrow.id}`)))).toEqual(
      sorted([ravi.today.id, asha.tomorrow.id]),
    );
  });

  it('finds by status (FHIR codes, and :not) and by date of the start in the facility zone', async () => {
    const p = `patient=${asha.id}`;
    expect(ids(await search(`Appointment?${p}&status=cancelled`))).toEqual([asha.cancelled.id]);
    expect(ids(await search(`Appointment?${p}&status=arrived`))).toEqual([asha.today.id]);
    expect(sorted(ids(await search(`Appointment?${p}&status=booked`)))).toEqual(
      sorted([asha.tomorrow.id, asha.followUp.id]),
    );
    expect(
      ids(await search(`Appointment?${p}&status=http://hl7.org/fhir/appointmentstatus|arrived`)),
    ).toEqual([asha.today.id]);
    expect(ids(await search(`Appointment?${p}&status:not=booked,arrived`))).toEqual([asha.cancelled.id]);
    expect(ids(await search(`Appointment?${p}&status=noshow`))).toEqual([]);
    expect(sorted(ids(await search(`Appointment?${p}&date=${w.today}`)))).toEqual(
      sorted([asha.today.id, asha.cancelled.id]),
    );
    expect(sorted(ids(await search(`Appointment?${p}&date=ge${w.tomorrow}`)))).toEqual(
      sorted([asha.tomorrow.id, asha.followUp.id]),
    );
    expect(ids(await search(`Appointment?${p}&date=lt${w.today}`))).toEqual([]);
    expect(ids(await search(`Appointment?${p}&date=gt${addDays(w.today, 2)}`))).toEqual([]);
    expect(ids(await search(`Appointment?${p}&date=${asha.tomorrow.startsAt}`))).toEqual([asha.tomorrow.id]);
  });

  it('pages with _count and next links, with the total when asked', async () => {
    const seen: string[] = [];
    let bundle = await search(`Appointment?patient=${asha.id}&_count=3`);
    expect(bundle.total).toBeUndefined();
    for (;;) {
      seen.push(...ids(bundle));
      const next = bundle.link.find((l: Json) => l.relation === 'next')?.url as string | undefined;
      if (!next) break;
      bundle = await search(next.split('/fhir/R4/')[1]!);
    }
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
    expect((await search(`Appointment?patient=${asha.id}&_total=accurate&_count=1`)).total).toBe(4);
  });

  it('audits reads and searches with the patient', async () => {
    await get(`/fhir/R4/Appointment/${asha.tomorrow.id}`);
    await search(`Appointment?patient=${asha.id}&status=booked`);
    const entries = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.patientId, asha.id), eq(auditEntries.actorId, w.desk.id)))
      .orderBy(desc(auditEntries.occurredAt), desc(auditEntries.id))
      .limit(2);
    expect(entries[1]).toMatchObject({
      action: 'read',
      resourceType: 'Appointment',
      resourceId: asha.tomorrow.id,
      detail: { via: 'fhir' },
    });
    expect(entries[0]).toMatchObject({
      action: 'search',
      resourceType: 'Appointment',
      detail: { via: 'fhir', query: `patient=${asha.id}&status=booked`, results: 2 },
    });
  });

  it("keeps to the actor's facility: another facility's appointment is 404", async () => {
    const elsewhere = bearer(t.admin.token, t.facilityId);
    const res = await get(`/fhir/R4/Appointment/${ravi.today.id}`, elsewhere);
    expect(res.statusCode).toBe(404);
    expectValidFhir(res.json());
    expect(ids(await search(`Appointment?patient=${ravi.id}`, elsewhere))).toEqual([]);
  });

  it('answers 404, 401 and 403 (a pharmacist may not see OPD appointments) with OperationOutcomes', async () => {
    for (const id of [randomUUID(), 'A-42']) {
      const res = await get(`/fhir/R4/Appointment/${id}`);
      expect(res.statusCode).toBe(404);
      expectValidFhir(res.json());
      expect(res.json().issue[0].code).toBe('not-found');
    }
    for (const path of [`Appointment/${ravi.today.id}`, `Appointment?patient=${ravi.id}`]) {
      const anonymous = await get(`/fhir/R4/${path}`, {});
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().issue[0].code).toBe('login');
      const pharmacist = await get(`/fhir/R4/${path}`, (await w.staff(['pharmacist'])).headers);
      expect(pharmacist.statusCode).toBe(403);
      expectValidFhir(pharmacist.json());
      expect(pharmacist.json().issue[0].code).toBe('forbidden');
    }
    const bad = await get(`/fhir/R4/Appointment?date=tomorrow`);
    expect(bad.statusCode).toBe(400);
    expectValidFhir(bad.json());
  });
});
