import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../../test/fhir-validators';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../../test/harness';
import { newId } from '../../../platform/db/ids';
import { encounterLocations, encounters } from '../encounters.tables';

// biome-ignore lint/suspicious/noExplicitAny: FHIR JSON read in assertions
type Json = Record<string, any>;

let t: TestApp;
let headers: Record<string, string>;
let patientId: string;

beforeAll(async () => {
  t = await createTestApp();
  const doctor = await createTestUser(t.database, {
    roles: ['doctor', 'front-desk'],
    facilityId: t.facilityId,
  });
  headers = bearer(await signIn(t.app, doctor.email), t.facilityId);
  const p = await t.app.inject({
    method: 'POST',
    url: '/api/v1/patients',
    headers,
    payload: {
      name: { given: 'Inpatient', family: `Stay${Date.now()}` },
      sex: 'male',
      duplicateOverride: { reason: 'test patient', candidateIds: [] },
    },
  });
  if (p.statusCode !== 201) throw new Error(`patient: ${p.statusCode} ${p.body}`);
  patientId = p.json().id;
}, 120_000);
afterAll(() => t.close());

/** An in-patient encounter whose bed history the IPD wrote (via recordEncounterLocation): ward bed, then ICU. */
async function stay() {
  const id = newId();
  const ward = { bed: newId(), display: 'GEN-04, General ward' };
  const icu = { bed: newId(), display: 'ICU-02, ICU' };
  const admitted = new Date('2026-03-01T08:00:00Z');
  const transferred = new Date('2026-03-02T14:30:00Z');
  await t.database.db.insert(encounters).values({
    id,
    patientId,
    facilityId: t.facilityId,
    class: 'inpatient',
    status: 'in-progress',
    startedAt: admitted,
    sourceType: 'test-admission',
    sourceId: newId(),
  });
  // Written out of order: the resource lists them by time.
  await t.database.db.insert(encounterLocations).values([
    { encounterId: id, locationId: icu.bed, display: icu.display, startedAt: transferred },
    {
      encounterId: id,
      locationId: ward.bed,
      display: ward.display,
      startedAt: admitted,
      endedAt: transferred,
    },
  ]);
  return { id, ward, icu, admitted, transferred };
}

describe('FHIR Encounter.location: the bed history of an in-patient stay', () => {
  it('lists every bed with its period, the one left completed and the current one active', async () => {
    const s = await stay();
    const res = await t.app.inject({ method: 'GET', url: `/fhir/R4/Encounter/${s.id}`, headers });
    expect(res.statusCode).toBe(200);
    const encounter = res.json() as Json;
    expect(encounter.class.code).toBe('IMP');
    expect(encounter.location).toEqual([
      {
        location: { reference: `Location/${s.ward.bed}`, display: s.ward.display },
        status: 'completed',
        physicalType: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/location-physical-type',
              code: 'bd',
              display: 'Bed',
            },
          ],
        },
        period: { start: s.admitted.toISOString(), end: s.transferred.toISOString() },
      },
      {
        location: { reference: `Location/${s.icu.bed}`, display: s.icu.display },
        status: 'active',
        physicalType: expect.objectContaining({ coding: [expect.objectContaining({ code: 'bd' })] }),
        period: { start: s.transferred.toISOString() },
      },
    ]);
    expectValidFhir(encounter);
  });

  it('completes the open bed with the end of a finished stay, and finds stays by location', async () => {
    const s = await stay();
    const discharged = new Date('2026-03-05T11:00:00Z');
    await t.database.db
      .update(encounters)
      .set({ status: 'finished', endedAt: discharged })
      .where(eq(encounters.id, s.id));
    const encounter = (
      await t.app.inject({ method: 'GET', url: `/fhir/R4/Encounter/${s.id}`, headers })
    ).json() as Json;
    expect(encounter.location[1]).toMatchObject({
      status: 'completed',
      period: { end: discharged.toISOString() },
    });
    expectValidFhir(encounter);

    const found = (
      await t.app.inject({
        method: 'GET',
        url: `/fhir/R4/Encounter?location=Location/${s.ward.bed}`,
        headers,
      })
    ).json() as Json;
    expect(found.entry.map((e: Json) => e.resource.id)).toEqual([s.id]);
    expect(found.entry[0].resource.location).toHaveLength(2);
    const none = (
      await t.app.inject({ method: 'GET', url: `/fhir/R4/Encounter?location=Patient/${patientId}`, headers })
    ).json() as Json;
    expect(none.total).toBe(0);
  });

  it('leaves location out of encounters with no places (an OPD visit)', async () => {
    const id = newId();
    await t.database.db.insert(encounters).values({
      id,
      patientId,
      facilityId: t.facilityId,
      class: 'ambulatory',
      status: 'in-progress',
      startedAt: new Date(),
    });
    const encounter = (
      await t.app.inject({ method: 'GET', url: `/fhir/R4/Encounter/${id}`, headers })
    ).json() as Json;
    expect(encounter.location).toBeUndefined();
  });
});
