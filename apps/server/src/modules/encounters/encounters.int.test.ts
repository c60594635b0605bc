import { and, eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { startDispatcher } from '../../platform/events/dispatcher';
import { outbox } from '../../platform/events/events.tables';
import { encounters } from './encounters.tables';

let t: TestApp;
let doctor: Record<string, string>;
let otherDoctor: Record<string, string>;
let nurse: Record<string, string>;
let desk: Record<string, string>;
let records: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  const sign = async (role: string) =>
    bearer(
      await signIn(
        t.app,
        (await createTestUser(t.database, { roles: [role], facilityId: t.facilityId })).email,
      ),
    );
  doctor = await sign('doctor');
  otherDoctor = await sign('doctor');
  nurse = await sign('nurse');
  desk = await sign('front-desk');
  records = await sign('records-officer');
});
afterAll(() => t.close());

const names = [
  'Aarti Kulkarni',
  'Bhavna Joshi',
  'Chitra Raman',
  'Deepa Menon',
  'Esha Bhatt',
  'Farida Begum',
  'Gauri Patil',
  'Hema Sundaram',
  'Indu Nambiar',
  'Jaya Pillai',
  'Kavya Hegde',
  'Leela Thomas',
  'Madhu Sinha',
  'Nandini Rao',
  'Oviya Selvam',
  'Pallavi Dutta',
  'Rekha Ghosh',
  'Sunita Yadav',
];
let seq = 0;
async function newPatient(birthDate?: string) {
  const [given, family] = names[seq % names.length]!.split(' ');
  seq += 1;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/patients',
    headers: desk,
    payload: {
      name: { given, family },
      sex: 'female',
      birth: { birthDate: birthDate ?? `19${50 + seq}-0${1 + (seq % 9)}-1${seq % 10}` },
    },
  });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
}

async function start(patientId: string, extra: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/encounters',
    headers: doctor,
    payload: { patientId, class: 'ambulatory', reason: 'fever for 3 days', ...extra },
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}

describe('encounters', () => {
  it('starts an encounter once per source, and emits an event', async () => {
    const patientId = await newPatient();
    const sourceId = '0190a000-0000-7000-8000-00000000beef';
    const a = await start(patientId, { sourceType: 'opd-token', sourceId });
    const b = await start(patientId, { sourceType: 'opd-token', sourceId });
    expect(b.id).toBe(a.id);
    expect(a).toMatchObject({ status: 'in-progress', class: 'ambulatory', patientId });
    const events = await t.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.type, 'encounters.encounter.started'), eq(outbox.aggregateId, a.id)));
    expect(events).toHaveLength(1);
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/encounters',
      headers: desk,
      payload: { patientId },
    });
    expect(denied.statusCode).toBe(403);
  });

  it('records vitals with LOINC codes and UCUM units, computes BMI and flags what is out of range', async () => {
    const patientId = await newPatient();
    const e = await start(patientId);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/encounters/${e.id}/vitals`,
      headers: nurse,
      payload: {
        heartRate: 118,
        systolic: 150,
        diastolic: 95,
        temperature: 38.4,
        spo2: 97,
        weight: 70,
        height: 165,
      },
    });
    expect(res.statusCode).toBe(201);
    const byCode = Object.fromEntries(
      res
        .json()
        .items.map((o: { code: string; value: number; unit: string; interpretation: string }) => [o.code, o]),
    );
    expect(byCode['8867-4']).toMatchObject({ value: 118, unit: '/min', interpretation: 'H' });
    expect(byCode['8480-6']).toMatchObject({ value: 150, unit: 'mm[Hg]', interpretation: 'H' });
    expect(byCode['8310-5']).toMatchObject({ unit: 'Cel', interpretation: 'H' });
    expect(byCode['2708-6']).toMatchObject({ interpretation: 'N' });
    expect(byCode['39156-5']).toMatchObject({ value: 25.7, unit: 'kg/m2', interpretation: 'H' });
    expect(byCode['29463-7'].interpretation).toBeNull();
    const trend = await t.app.inject({
      method: 'GET',
      url: `/api/v1/patients/${patientId}/vitals?code=8867-4`,
      headers: doctor,
    });
    expect(trend.json().items.map((o: { value: number }) => o.value)).toEqual([118]);
  });

  it('judges a child by the rates of her age', async () => {
    const baby = await newPatient(new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10));
    const e = await start(baby);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/encounters/${e.id}/vitals`,
      headers: nurse,
      payload: { heartRate: 130, respiratoryRate: 35, spo2: 90 },
    });
    const items = res.json().items as { code: string; interpretation: string }[];
    expect(items.find((o) => o.code === '8867-4')!.interpretation).toBe('N');
    expect(items.find((o) => o.code === '9279-1')!.interpretation).toBe('N');
    expect(items.find((o) => o.code === '2708-6')!.interpretation).toBe('LL');
  });

  it.each([
    [{ heartRate: 400 }, 'body.heartRate'],
    [{ systolic: 120 }, 'body.diastolic'],
    [{ systolic: 80, diastolic: 90 }, 'body.systolic'],
    [{}, 'body.heartRate'],
  ])('refuses impossible vitals %j naming %s', async (payload, path) => {
    const e = await start(await newPatient());
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/encounters/${e.id}/vitals`,
      headers: nurse,
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((x: { path: string }) => x.path)).toContain(path);
  });

  it('keeps a note as draft, signs it, and amends it with the signed text kept', async () => {
    const e = await start(await newPatient());
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/v1/encounters/${e.id}/notes`,
      headers: doctor,
      payload: { sections: { chiefComplaint: 'Fever', assessment: 'Viral fever' } },
    });
    expect(created.statusCode).toBe(201);
    const note = created.json();
    const url = `/api/v1/encounters/${e.id}/notes/${note.id}`;
    const saved = await t.app.inject({
      method: 'PUT',
      url,
      headers: doctor,
      payload: { sections: { chiefComplaint: 'Fever 3 days', assessment: 'Dengue suspected' }, version: 1 },
    });
    expect(saved.json()).toMatchObject({ status: 'draft', version: 2 });
    const byOther = await t.app.inject({
      method: 'POST',
      url: `${url}/sign`,
      headers: otherDoctor,
      payload: { version: 2 },
    });
    expect(byOther.statusCode).toBe(422);
    const signed = await t.app.inject({
      method: 'POST',
      url: `${url}/sign`,
      headers: doctor,
      payload: { version: 2 },
    });
    expect(signed.statusCode).toBe(200);
    expect(signed.json()).toMatchObject({ status: 'signed', version: 3 });
    expect(signed.json().signedAt).toEqual(expect.any(String));
    const afterSign = await t.app.inject({
      method: 'GET',
      url: '/api/v1/encounters/unsigned-notes',
      headers: doctor,
    });
    expect(afterSign.json().items.map((n: { id: string }) => n.id)).not.toContain(note.id);
    const edit = await t.app.inject({
      method: 'PUT',
      url,
      headers: doctor,
      payload: { sections: { text: 'x' }, version: 3 },
    });
    expect(edit.statusCode).toBe(422);
    const amended = await t.app.inject({
      method: 'POST',
      url: `${url}/amend`,
      headers: doctor,
      payload: {
        sections: { chiefComplaint: 'Fever 3 days', assessment: 'Dengue confirmed (NS1+)' },
        reason: 'NS1 result',
        version: 3,
      },
    });
    expect(amended.statusCode).toBe(200);
    expect(amended.json()).toMatchObject({ status: 'amended', amendmentReason: 'NS1 result' });
    expect(amended.json().revisions).toEqual([
      expect.objectContaining({
        revision: 1,
        sections: { chiefComplaint: 'Fever 3 days', assessment: 'Dengue suspected' },
      }),
    ]);
    const signedEvents = await t.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.type, 'encounters.note.signed'), eq(outbox.aggregateId, e.id)));
    expect(signedEvents).toHaveLength(1);
  });

  it('finds ICD-10 codes by code prefix and by misspelt words', async () => {
    const byCode = await t.app.inject({ method: 'GET', url: '/api/v1/icd10?q=e11.9', headers: doctor });
    expect(byCode.json().items[0]).toMatchObject({
      code: 'E11.9',
      system: 'http://hl7.org/fhir/sid/icd-10-cm',
    });
    const byWords = await t.app.inject({
      method: 'GET',
      url: `/api/v1/icd10?q=${encodeURIComponent('type 2 diabetis')}`,
      headers: doctor,
    });
    expect(
      byWords
        .json()
        .items.slice(0, 5)
        .map((i: { code: string }) => i.code),
    ).toContain('E11.9');
    expect(byWords.json().items.every((i: { code: string }) => i.code.startsWith('E1'))).toBe(true);
  });

  it('records ICD-10 diagnoses with one primary, refusing unknown codes', async () => {
    const e = await start(await newPatient());
    const url = `/api/v1/encounters/${e.id}/diagnoses`;
    const unknown = await t.app.inject({
      method: 'POST',
      url,
      headers: doctor,
      payload: { code: 'Z99.999' },
    });
    expect(unknown.statusCode).toBe(422);
    const malformed = await t.app.inject({
      method: 'POST',
      url,
      headers: doctor,
      payload: { code: '250.00' },
    });
    expect(malformed.statusCode).toBe(400);
    const first = await t.app.inject({
      method: 'POST',
      url,
      headers: doctor,
      payload: { code: 'A90', rank: 'primary' },
    });
    expect(first.statusCode).toBe(201);
    const second = await t.app.inject({
      method: 'POST',
      url,
      headers: doctor,
      payload: { code: 'i10', kind: 'final', rank: 'primary' },
    });
    expect(second.json()).toMatchObject({
      code: 'I10',
      display: 'Essential (primary) hypertension',
      rank: 'primary',
      kind: 'final',
    });
    const detail = (
      await t.app.inject({ method: 'GET', url: `/api/v1/encounters/${e.id}`, headers: doctor })
    ).json();
    expect(
      detail.diagnoses
        .filter((d: { rank: string }) => d.rank === 'primary')
        .map((d: { code: string }) => d.code),
    ).toEqual(['I10']);
    const problems = await t.app.inject({
      method: 'GET',
      url: `/api/v1/patients/${e.patientId}/problems`,
      headers: doctor,
    });
    expect(problems.json().items.map((d: { code: string }) => d.code)).toEqual(['I10']);
    const inError = await t.app.inject({
      method: 'PATCH',
      url: `${url}/${second.json().id}`,
      headers: doctor,
      payload: { status: 'entered-in-error', version: 1 },
    });
    expect(inError.statusCode).toBe(422);
  });

  it('places and cancels orders, with events for the departments that fulfil them', async () => {
    const e = await start(await newPatient());
    const placed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/encounters/${e.id}/orders`,
      headers: doctor,
      payload: {
        category: 'laboratory',
        code: '58410-2',
        system: 'http://loinc.org',
        display: 'Complete blood count',
        priority: 'urgent',
      },
    });
    expect(placed.statusCode).toBe(201);
    const order = placed.json();
    const cancelled = await t.app.inject({
      method: 'POST',
      url: `/api/v1/encounters/${e.id}/orders/${order.id}/cancel`,
      headers: doctor,
      payload: { reason: 'ordered twice', version: 1 },
    });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelReason: 'ordered twice' });
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/encounters/${e.id}/orders/${order.id}/cancel`,
      headers: doctor,
      payload: { reason: 'x', version: 2 },
    });
    expect(again.statusCode).toBe(422);
    const types = (await t.database.db.select().from(outbox).where(eq(outbox.aggregateId, order.id))).map(
      (x) => x.type,
    );
    expect(types.sort()).toEqual(['encounters.order.cancelled', 'encounters.order.placed']);
  });

  it('finishes with advice and a follow-up date, once', async () => {
    const e = await start(await newPatient());
    const done = await t.app.inject({
      method: 'POST',
      url: `/api/v1/encounters/${e.id}/finish`,
      headers: doctor,
      payload: { advice: 'Plenty of fluids', followUpDate: '2030-01-10', version: 1 },
    });
    expect(done.json()).toMatchObject({ status: 'finished', followUpDate: '2030-01-10' });
    const twice = await t.app.inject({
      method: 'POST',
      url: `/api/v1/encounters/${e.id}/finish`,
      headers: doctor,
      payload: { version: 2 },
    });
    expect(twice.statusCode).toBe(409);
  });

  it('moves encounters to the surviving record when two patients are merged', async () => {
    const survivor = await newPatient('1975-05-05');
    const merged = await newPatient('1976-06-06');
    const e = await start(merged);
    const m = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patients/merges',
      headers: records,
      payload: { survivorId: survivor, mergedId: merged, reason: 'same person, typo in DOB' },
    });
    expect(m.statusCode).toBe(201);
    const dispatcher = startDispatcher({
      database: t.database,
      registry: t.app.deps.events,
      logger: pino({ level: 'silent' }),
      pollMs: 60_000,
    });
    await dispatcher.drain();
    await dispatcher.stop();
    const [row] = await t.database.db.select().from(encounters).where(eq(encounters.id, e.id));
    expect(row!.patientId).toBe(survivor);
  });
});
