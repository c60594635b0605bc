import { verhoeffCheckDigit } from '@newhms/contracts';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { auditEntries } from '../../platform/audit/audit.tables';
import { outbox } from '../../platform/events/events.tables';
import { facilities } from '../../platform/organization/organization.tables';
import { duplicateReviews, patientIdentifiers, patients } from './patients.tables';

let t: TestApp;
let desk: Record<string, string>;
let records: Record<string, string>;
let nurse: Record<string, string>;
let deskUserId: string;

const aadhaar = (base11: string) => `${base11}${verhoeffCheckDigit(base11)}`;
// Unique per run: on PostgreSQL every test file shares one database, and a shared Aadhaar is a duplicate.
const randomBase11 = () =>
  `${2 + Math.floor(Math.random() * 8)}${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;

beforeAll(async () => {
  t = await createTestApp();
  const fd = await createTestUser(t.database, { roles: ['front-desk'], facilityId: t.facilityId });
  deskUserId = fd.id;
  desk = bearer(await signIn(t.app, fd.email));
  const ro = await createTestUser(t.database, { roles: ['records-officer'], facilityId: t.facilityId });
  records = bearer(await signIn(t.app, ro.email));
  const nu = await createTestUser(t.database, { roles: ['nurse'], facilityId: t.facilityId });
  nurse = bearer(await signIn(t.app, nu.email));
});
afterAll(() => t.close());

async function register(body: Record<string, unknown>, headers = desk) {
  return t.app.inject({ method: 'POST', url: '/api/v1/patients', headers, payload: body });
}
async function patientCount() {
  const [row] = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(patients);
  return row!.n;
}

describe('registration', () => {
  it('registers a patient with an MRN, masked and encrypted identifiers, and audits it', async () => {
    const number = aadhaar(randomBase11());
    const res = await register({
      name: { given: 'Lakshmi', middle: 'Devi', family: 'Narayanan' },
      sex: 'female',
      birth: { birthDate: '1985-04-12' },
      phones: [{ number: '98450 12345' }],
      address: {
        line: '12, 4th Cross',
        locality: 'Jayanagar',
        district: 'Bengaluru Urban',
        state: 'Karnataka',
        postalCode: '560041',
      },
      bloodGroup: 'B+',
      identifiers: [
        { type: 'aadhaar', value: number.replace(/(\d{4})(\d{4})(\d{4})/, '$1 $2 $3') },
        { type: 'abha-address', value: 'lakshmi.n@abdm' },
      ],
      contacts: [
        { kind: 'next-of-kin', name: 'Ravi Narayanan', relationship: 'husband', phone: '9845012346' },
      ],
      consents: [{ kind: 'sms', granted: true }],
    });
    expect(res.statusCode).toBe(201);
    const p = res.json();
    expect(p.mrn).toMatch(/^[A-Z0-9]+-\d{4}-\d{6}$/);
    expect(p.displayName).toBe('Lakshmi Devi Narayanan');
    expect(p.phones).toEqual([{ number: '+919845012345', kind: 'mobile' }]);
    expect(p.identifiers.map((i: { display: string }) => i.display)).toEqual([
      `••••••••${number.slice(-4)}`,
      'lakshmi.n@abdm',
    ]);
    expect(p.allergyState).toBe('not-recorded');
    expect(p.consents[0]).toMatchObject({ kind: 'sms', granted: true });
    expect(res.headers.etag).toBe('W/"1"');
    // At rest: neither the value nor its digits appear in clear.
    const stored = await t.database.db
      .select()
      .from(patientIdentifiers)
      .where(eq(patientIdentifiers.patientId, p.id));
    const aadhaarRow = stored.find((s) => s.type === 'aadhaar')!;
    expect(aadhaarRow.valueEncrypted).not.toContain(number);
    expect(aadhaarRow.valueHash).not.toContain(number);
    // Reading is audited with the patient id.
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/patients/${p.id}`, headers: desk });
    expect(read.statusCode).toBe(200);
    const audits = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.patientId, p.id), eq(auditEntries.actorId, deskUserId)));
    expect(audits.map((a) => a.action).sort()).toEqual(['create', 'read']);
  });

  it('gives MRNs that never repeat, also when twenty clerks register at once', async () => {
    // A facility of its own: on PostgreSQL every test file shares one database, and another file registering
    // in the default facility meanwhile would take a number between ours.
    const code = `MRN${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    const [facility] = await t.database.db
      .insert(facilities)
      .values({ code, name: 'Counter test hospital' })
      .returning({ id: facilities.id });
    const clerk = await createTestUser(t.database, { roles: ['front-desk'], facilityId: facility!.id });
    const clerkHeaders = bearer(await signIn(t.app, clerk.email), facility!.id);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        register(
          {
            name: { given: `Concurrent${'abcdefghijklmnopqrst'[i]}`, family: `Testcase${i}x` },
            sex: 'other',
          },
          clerkHeaders,
        ),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const mrns = results.map((r) => r.json().mrn as string);
    expect(new Set(mrns).size).toBe(20);
    const seqs = mrns.map((m) => Number(m.split('-').pop())).sort((a, b) => a - b);
    // Gapless from the facility's first number: 1 to 20.
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(mrns.every((m) => m.startsWith(`${code}-`))).toBe(true);
  });

  it('stores an age as an estimated birth date and allows a single name', async () => {
    const res = await register({
      name: { given: 'Kamala' },
      sex: 'female',
      birth: { age: { years: 62, months: 0 } },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ displayName: 'Kamala', birthDateEstimated: true, age: '62 y' });
  });

  it.each([
    ['a future birth date', { birth: { birthDate: '2999-01-01' } }, 'body.birth.birthDate'],
    ['an impossible date', { birth: { birthDate: '2001-02-30' } }, 'body.birth.birthDate'],
    ['a malformed phone', { phones: [{ number: '12345' }] }, 'body.phones.0.number'],
    [
      'an Aadhaar with a wrong check digit',
      { identifiers: [{ type: 'aadhaar', value: '234567890120' }] },
      'body.identifiers.0.value',
    ],
    [
      'an invalid ABHA number',
      { identifiers: [{ type: 'abha-number', value: '91-1234-5678' }] },
      'body.identifiers.0.value',
    ],
    ['an unknown sex code', { sex: 'M' }, 'body.sex'],
    ['no name at all', { name: {} }, 'body.name.given'],
  ])('refuses %s with a 400 naming the field, and writes nothing', async (_label, change, path) => {
    const before = await patientCount();
    const res = await register({ name: { given: 'Bad', family: 'Input' }, sex: 'male', ...change });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await patientCount()).toBe(before);
  });

  it('registers an unknown emergency patient who is later identified by name', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patients/unknown',
      headers: nurse,
      payload: { sex: 'male', approximateAge: 40, note: 'brought by 108 ambulance' },
    });
    expect(res.statusCode).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({
      displayName: 'Unknown Male ~40',
      unidentified: true,
      birthDateEstimated: true,
    });
    expect(p.identifiers[0].type).toBe('temporary');
    expect(p.identifiers[0].display).toMatch(/^UNK-\d{8}-\d{3}$/);
    const named = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/patients/${p.id}`,
      headers: desk,
      payload: { name: { given: 'Suresh', family: 'Gowda' }, version: 1 },
    });
    expect(named.statusCode).toBe(200);
    expect(named.json()).toMatchObject({ displayName: 'Suresh Gowda', unidentified: false, version: 2 });
  });
});

describe('finding a returning patient', () => {
  let irfan: { id: string; mrn: string };
  const irfanAadhaar = aadhaar(randomBase11());
  beforeAll(async () => {
    irfan = (
      await register({
        name: { given: 'Mohammed', middle: 'Irfan', family: 'Shaikh' },
        sex: 'male',
        birth: { birthDate: '1979-11-03' },
        phones: [{ number: '+91 99001 23456' }],
        address: { locality: 'Tolichowki', district: 'Hyderabad', state: 'Telangana' },
        identifiers: [{ type: 'aadhaar', value: irfanAadhaar }],
      })
    ).json();
    await register({
      name: { given: 'Meera', family: 'Iyer' },
      sex: 'female',
      birth: { birthDate: '1990-01-01' },
    });
  });

  async function search(q: string, extra = '') {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/patients/search?q=${encodeURIComponent(q)}${extra}`,
      headers: desk,
    });
    expect(res.statusCode).toBe(200);
    return res.json().items as { id: string; matchedOn: string[]; phoneEnding: string; age: string }[];
  }

  it.each(['Muhamad Irfan', 'mohamed irfan', 'Irfan Shaikh', 'Mohammad Irfan Sheikh'])(
    'finds Mohammed Irfan Shaikh as "%s", ranked first',
    async (q) => {
      const items = await search(q);
      expect(items[0]?.id).toBe(irfan.id);
    },
  );

  it('finds by mobile number, MRN and Aadhaar, and tells people apart', async () => {
    const byPhone = await search('9900123456');
    expect(byPhone[0]).toMatchObject({ id: irfan.id, phoneEnding: '••••••3456' });
    expect(byPhone[0]!.matchedOn).toContain('phone');
    expect((await search(irfan.mrn.toLowerCase()))[0]).toMatchObject({ id: irfan.id, matchedOn: ['mrn'] });
    expect((await search(irfanAadhaar))[0]).toMatchObject({ id: irfan.id, matchedOn: ['identifier'] });
  });

  it('narrows by birth year and sex', async () => {
    expect((await search('Muhamad Irfan', '&birthYear=1979')).map((i) => i.id)).toContain(irfan.id);
    expect((await search('Muhamad Irfan', '&birthYear=1990')).map((i) => i.id)).not.toContain(irfan.id);
    expect((await search('Muhamad Irfan', '&sex=female')).map((i) => i.id)).not.toContain(irfan.id);
  });

  it('answers a search with characters PostgreSQL cannot store without failing (REST and FHIR)', async () => {
    const rest = await t.app.inject({
      method: 'GET',
      url: '/api/v1/patients/search?q=Irfan%00Shaikh',
      headers: desk,
    });
    expect(rest.statusCode).toBeLessThan(500);
    for (const param of ['name', 'family', 'email']) {
      const fhir = await t.app.inject({
        method: 'GET',
        url: `/fhir/R4/Patient?${param}=a%00b`,
        headers: desk,
      });
      expect(fhir.statusCode).toBeLessThan(500);
      expect(fhir.statusCode).not.toBe(401);
    }
  });

  it('does not find a different person for an unrelated name', async () => {
    expect((await search('Zacharias Fernandes')).map((i) => i.id)).not.toContain(irfan.id);
  });

  it('audits every search with what was searched (national ids masked) and how many results', async () => {
    await search(irfanAadhaar);
    const [entry] = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.action, 'search'), eq(auditEntries.actorId, deskUserId)))
      .orderBy(sql`${auditEntries.occurredAt} desc, ${auditEntries.id} desc`)
      .limit(1);
    const detail = entry!.detail as { q: string; results: number };
    expect(detail.results).toBe(1);
    expect(detail.q).not.toContain(irfanAadhaar.slice(0, 8));
    expect(detail.q.endsWith(irfanAadhaar.slice(-4))).toBe(true);
  });
});

describe('duplicates and merges', () => {
  const body = {
    name: { given: 'Venkatesh', family: 'Reddy' },
    sex: 'male',
    birth: { birthDate: '1972-06-15' },
    phones: [{ number: '9123456780' }],
  };

  it('warns of a duplicate, keeps the reason when registered anyway, and queues a review', async () => {
    const first = await register(body);
    expect(first.statusCode).toBe(201);
    const again = await register({ ...body, name: { given: 'Wenkatesh', family: 'Reddi' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('PATIENT_POSSIBLE_DUPLICATE');
    const [candidate] = again.json().candidates;
    expect(candidate.id).toBe(first.json().id);
    expect(candidate.score).toBeGreaterThan(0.8);
    expect(candidate.reasons).toEqual(expect.arrayContaining(['same date of birth', 'same mobile number']));
    const forced = await register({
      ...body,
      name: { given: 'Wenkatesh', family: 'Reddi' },
      duplicateOverride: { reason: 'Patient insists this is his brother', candidateIds: [candidate.id] },
    });
    expect(forced.statusCode).toBe(201);
    expect(forced.json().duplicateReason).toBe('Patient insists this is his brother');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/patients/duplicates', headers: records });
    const review = list
      .json()
      .items.find(
        (r: { patientA: { id: string }; patientB: { id: string } }) =>
          [r.patientA.id, r.patientB.id].sort().join() === [first.json().id, forced.json().id].sort().join(),
      );
    expect(review).toMatchObject({ status: 'open', source: 'registration-override' });
    // The live check while typing finds the same candidates.
    const match = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patients/match',
      headers: desk,
      payload: body,
    });
    expect(match.json().candidates.map((c: { id: string }) => c.id)).toContain(first.json().id);
  });

  it('does not call a family member sharing the phone a duplicate', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patients/match',
      headers: desk,
      payload: {
        name: { given: 'Anitha', family: 'Reddy' },
        sex: 'female',
        birth: { birthDate: '1999-02-01' },
        phones: [{ number: '9123456780' }],
      },
    });
    expect(res.json().candidates).toEqual([]);
  });

  it('merges a record into a survivor: everything moves, the merged one redirects, an event goes out', async () => {
    const a = (
      await register({
        name: { given: 'Priya', family: 'Sharma' },
        sex: 'female',
        birth: { birthDate: '1994-08-20' },
        identifiers: [{ type: 'passport', value: 'K1234567' }],
      })
    ).json();
    const b = (
      await register({
        name: { given: 'Pria', family: 'Sharma' },
        sex: 'female',
        birth: { birthDate: '1994-08-20' },
        phones: [{ number: '9988776655' }],
        duplicateOverride: { reason: 'could not confirm at the desk', candidateIds: [a.id] },
      })
    ).json();
    const allergy = await t.app.inject({
      method: 'POST',
      url: `/api/v1/patients/${b.id}/allergies`,
      headers: nurse,
      payload: { category: 'drug', substance: 'Penicillin', reaction: 'rash', severity: 'moderate' },
    });
    expect(allergy.statusCode).toBe(201);
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patients/merges',
      headers: desk,
      payload: { survivorId: a.id, mergedId: b.id, reason: 'same person' },
    });
    expect(denied.statusCode).toBe(403);
    const merged = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patients/merges',
      headers: records,
      payload: { survivorId: a.id, mergedId: b.id, reason: 'Same passport shown at the second visit' },
    });
    expect(merged.statusCode).toBe(201);
    expect(merged.json().moved).toMatchObject({ allergies: 1, phones: 1 });
    const survivor = (
      await t.app.inject({ method: 'GET', url: `/api/v1/patients/${a.id}`, headers: records })
    ).json();
    expect(survivor.allergies.map((x: { substance: string }) => x.substance)).toEqual(['Penicillin']);
    expect(survivor.allergyState).toBe('recorded');
    expect(survivor.phones[0].number).toBe('+919988776655');
    const old = (
      await t.app.inject({ method: 'GET', url: `/api/v1/patients/${b.id}`, headers: records })
    ).json();
    expect(old).toMatchObject({ status: 'merged', mergedIntoId: a.id });
    // Searching no longer shows the merged record.
    const found = await t.app.inject({
      method: 'GET',
      url: '/api/v1/patients/search?q=9988776655',
      headers: desk,
    });
    expect(found.json().items.map((i: { id: string }) => i.id)).toEqual([a.id]);
    // includeMerged=false is false (it used to be coerced to true); =true finds the merged record by its MRN.
    const search = async (flag: string) =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/patients/search?q=${encodeURIComponent(old.mrn)}&includeMerged=${flag}`,
          headers: desk,
        })
      )
        .json()
        .items.map((i: { id: string }) => i.id);
    expect(await search('false')).not.toContain(b.id);
    expect(await search('true')).toContain(b.id);
    const [event] = await t.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.type, 'patients.patient.merged'), eq(outbox.aggregateId, a.id)));
    expect(event!.payload).toMatchObject({ survivorId: a.id, mergedId: b.id });
    const [review] = await t.database.db
      .select()
      .from(duplicateReviews)
      .where(
        sql`${duplicateReviews.patientA} in (${a.id}, ${b.id}) and ${duplicateReviews.patientB} in (${a.id}, ${b.id})`,
      );
    expect(review!.status).toBe('merged');
    const twice = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patients/merges',
      headers: records,
      payload: { survivorId: a.id, mergedId: b.id, reason: 'again' },
    });
    expect(twice.statusCode).toBe(409);
    const log = await t.app.inject({ method: 'GET', url: '/api/v1/patients/merges', headers: records });
    expect(log.json().items[0]).toMatchObject({ survivor: { id: a.id }, merged: { id: b.id } });
    const editMerged = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/patients/${b.id}`,
      headers: desk,
      payload: { occupation: 'teacher', version: old.version },
    });
    expect(editMerged.statusCode).toBe(422);
  });

  it('lets a records officer decide two records are different people', async () => {
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/patients/duplicates?status=open',
      headers: records,
    });
    const open = list.json().items[0];
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/patients/duplicates/${open.id}/resolve`,
      headers: records,
      payload: { status: 'not-duplicate', note: 'Brothers; checked Aadhaar cards' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'not-duplicate', note: 'Brothers; checked Aadhaar cards' });
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/patients/duplicates/${open.id}/resolve`,
      headers: records,
      payload: { status: 'not-duplicate', note: 'x' },
    });
    expect(again.statusCode).toBe(409);
  });
});

describe('the record', () => {
  let id: string;
  let phoneKeeper: string;
  beforeAll(async () => {
    phoneKeeper = (
      await register({
        name: { given: 'Harbhajan', family: 'Sandhu' },
        sex: 'male',
        birth: { birthDate: '1958-12-01' },
        phones: [{ number: '9812300001' }],
        contacts: [{ kind: 'emergency', name: 'Jaspreet Sandhu', relationship: 'son' }],
        consents: [{ kind: 'whatsapp', granted: true }],
      })
    ).json().id;
    id = (
      await register({
        name: { given: 'Gurpreet', family: 'Kaur' },
        sex: 'female',
        birth: { birthDate: '2001-03-09' },
      })
    ).json().id;
  });

  it('edits with optimistic concurrency and keeps who changed what', async () => {
    const ok = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/patients/${id}`,
      headers: { ...desk, 'if-match': 'W/"1"' },
      payload: { address: { locality: 'Model Town', district: 'Ludhiana', state: 'Punjab' }, version: 1 },
    });
    expect(ok.statusCode).toBe(200);
    // A PATCH that leaves the lists out keeps them.
    const before = ok.json();
    const occupation = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/patients/${phoneKeeper}`,
      headers: desk,
      payload: { occupation: 'farmer', version: 1 },
    });
    expect(occupation.json()).toMatchObject({
      occupation: 'farmer',
      phones: [{ number: '+919812300001', kind: 'mobile' }],
    });
    expect(occupation.json().contacts).toHaveLength(1);
    expect(occupation.json().consents).toHaveLength(1);
    expect(before.version).toBe(2);
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/patients/${id}`,
      headers: desk,
      payload: { occupation: 'engineer', version: 1 },
    });
    expect(stale.statusCode).toBe(409);
    const staleEtag = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/patients/${id}`,
      headers: { ...desk, 'if-match': 'W/"1"' },
      payload: { occupation: 'engineer', version: 2 },
    });
    expect(staleEtag.statusCode).toBe(412);
    const history = (
      await t.app.inject({ method: 'GET', url: `/api/v1/patients/${id}/history`, headers: desk })
    ).json();
    expect(history.items[0]).toMatchObject({ version: 2, action: 'update' });
    expect(history.items[0].fields).toEqual(expect.arrayContaining(['address']));
    expect(history.items[1]).toMatchObject({ version: 1, action: 'register', fields: ['*'] });
  });

  it('keeps "not recorded", "no known allergies" and recorded allergies apart', async () => {
    const nka = await t.app.inject({
      method: 'POST',
      url: `/api/v1/patients/${id}/no-known-allergies`,
      headers: nurse,
    });
    expect(nka.statusCode).toBe(200);
    expect(nka.json().allergyState).toBe('none-known');
    const added = await t.app.inject({
      method: 'POST',
      url: `/api/v1/patients/${id}/allergies`,
      headers: nurse,
      payload: { category: 'food', substance: 'Peanut', reaction: 'anaphylaxis', severity: 'severe' },
    });
    expect(added.statusCode).toBe(201);
    const after = (
      await t.app.inject({ method: 'GET', url: `/api/v1/patients/${id}`, headers: nurse })
    ).json();
    expect(after.allergyState).toBe('recorded');
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/v1/patients/${id}/no-known-allergies`,
      headers: nurse,
    });
    expect(refused.statusCode).toBe(422);
    const wrong = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/patients/${id}/allergies/${added.json().id}`,
      headers: nurse,
      payload: { status: 'entered-in-error', reason: 'wrong patient', version: 1 },
    });
    expect(wrong.statusCode).toBe(200);
    const finalState = (
      await t.app.inject({ method: 'GET', url: `/api/v1/patients/${id}`, headers: nurse })
    ).json();
    // The allergy stays on the record (never deleted), but no longer counts as active.
    expect(finalState.allergies).toHaveLength(1);
    expect(finalState.allergyState).toBe('not-recorded');
    const byDesk = await t.app.inject({
      method: 'POST',
      url: `/api/v1/patients/${id}/allergies`,
      headers: desk,
      payload: { category: 'food', substance: 'Egg', severity: 'mild' },
    });
    expect(byDesk.statusCode).toBe(403);
  });

  it('stores a photo and prints a card and a wristband as PDFs', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/patients/${id}/photo`,
      headers: desk,
      payload: { contentType: 'image/png', data: png.toString('base64') },
    });
    expect(put.statusCode).toBe(204);
    const notJpeg = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/patients/${id}/photo`,
      headers: desk,
      payload: { contentType: 'image/jpeg', data: png.toString('base64') },
    });
    expect(notJpeg.statusCode).toBe(422);
    const get = await t.app.inject({ method: 'GET', url: `/api/v1/patients/${id}/photo`, headers: desk });
    expect(get.headers['content-type']).toBe('image/png');
    expect(get.rawPayload.equals(png)).toBe(true);
    for (const doc of ['card', 'wristband']) {
      const pdf = await t.app.inject({
        method: 'GET',
        url: `/api/v1/patients/${id}/${doc}.pdf`,
        headers: desk,
      });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    }
  });

  it('answers 404 for an unknown patient and 400 for a malformed id', async () => {
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/v1/patients/0190a000-0000-7000-8000-000000000000',
      headers: desk,
    });
    expect(missing.statusCode).toBe(404);
    const malformed = await t.app.inject({ method: 'GET', url: '/api/v1/patients/not-an-id', headers: desk });
    expect(malformed.statusCode).toBe(400);
  });
});

describe('MRN format', () => {
  it('is configurable per facility and applies to the next registration', async () => {
    const admin = bearer(t.admin.token);
    const current = (
      await t.app.inject({ method: 'GET', url: '/api/v1/patients/settings/mrn-format', headers: admin })
    ).json();
    expect(current.format).toBe('{FACILITY}-{YYYY}-{SEQ:6}');
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/patients/settings/mrn-format',
      headers: admin,
      payload: { format: 'NO-SEQUENCE', version: current.version },
    });
    expect(bad.statusCode).toBe(400);
    const set = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/patients/settings/mrn-format',
      headers: admin,
      payload: { format: 'MH{YY}{SEQ:7}', version: current.version },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json().example).toMatch(/^MH\d{2}0000123$/);
    const p = await register({ name: { given: 'Format', family: 'Check' }, sex: 'male' });
    expect(p.json().mrn).toMatch(/^MH\d{2}\d{7}$/);
    const denied = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/patients/settings/mrn-format',
      headers: desk,
      payload: { format: 'X{SEQ}', version: set.json().version },
    });
    expect(denied.statusCode).toBe(403);
  });
});
