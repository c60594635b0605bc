import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../../test/fhir-validators';
import { bearer, createTestApp, type TestApp } from '../../../../test/harness';
import { auditEntries } from '../../../platform/audit/audit.tables';
import { cancelDosesOfAdmission } from '../mar.service';
import { formularyItems } from '../pharmacy.tables';
import { createPharmacyWorld, type PharmacyWorld } from '../pharmacy-test-support';

// Prescriptions as FHIR MedicationRequests, one per line. 1. Dr Iyer prescribes paracetamol and cetirizine
// for Asha at an OPD visit, then metformin at a second visit, which she cancels. 2. Ravi is admitted; his
// in-patient order of paracetamol and as-needed cetirizine is signed, and the paracetamol stopped when he
// is afebrile. 3. Meena's stay ends with her order still running. 4. The pharmacist reads and searches them
// through /fhir/R4.

// biome-ignore lint/suspicious/noExplicitAny: FHIR JSON read in assertions
type Json = Record<string, any>;
type Headers = Record<string, string>;
type Rx = { id: string; number: string; createdAt: string; version: number };

let t: TestApp;
let w: PharmacyWorld;
const products = {
  paracetamol: { id: '', code: '' },
  cetirizine: { id: '', code: '' },
  metformin: { id: '', code: '' },
};
const asha = { id: '', visit1: '', visit2: '', rx1: {} as Rx, rx2: {} as Rx };
const ravi = { id: '', encounterId: '', rx3: {} as Rx };
const meena = { id: '', rx4: {} as Rx };

const get = (url: string, headers: Headers = w.pharmacist.headers) =>
  t.app.inject({ method: 'GET', url: url.replace(/^https?:\/\/[^/]+/, ''), headers });

async function search(path: string, headers: Headers = w.pharmacist.headers): Promise<Json> {
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
const lineId = (rx: Rx, lineNo: number) => `${rx.id}-${lineNo}`;

/** The calendar date of an instant in the facility's zone (the world's facility is in Asia/Kolkata). */
const kolkataDate = (iso: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date(iso));

const line = (formularyItemId: string, over: Record<string, unknown> = {}) => ({
  formularyItemId,
  dose: { amount: 1, unit: 'tablet' },
  route: 'oral',
  frequency: 'OD',
  durationDays: 5,
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  w = await createPharmacyWorld(t);
  const doctor = await w.prescriber();
  const prescribe = async (encounterId: string, items: unknown[]) =>
    w.ok<Rx>(
      await w.call('POST', '/api/v1/prescriptions', doctor.headers, { encounterId, items }),
      201,
      'rx',
    );

  for (const name of ['Paracetamol', 'Cetirizine', 'Metformin'] as const) {
    const row = await w.item(name);
    products[name.toLowerCase() as keyof typeof products] = { id: row.id, code: row.code };
  }
  await t.database.db
    .update(formularyItems)
    .set({ atcCode: 'N02BE01' })
    .where(eq(formularyItems.id, products.paracetamol.id));

  // 1. Asha's two OPD visits; the second prescription is cancelled.
  asha.id = (await w.patient()).id;
  asha.visit1 = (await w.visit(asha.id)).id;
  asha.rx1 = await prescribe(asha.visit1, [
    line(products.paracetamol.id, { frequency: 'TDS', dose: { amount: 500, unit: 'mg' } }),
    line(products.cetirizine.id, { frequency: 'HS', durationDays: 10, note: 'May cause drowsiness' }),
  ]);
  asha.visit2 = (await w.visit(asha.id)).id;
  asha.rx2 = await prescribe(asha.visit2, [
    line(products.metformin.id, { frequency: 'BD', durationDays: 30 }),
  ]);
  asha.rx2 = await w.ok<Rx>(
    await w.call('POST', `/api/v1/prescriptions/${asha.rx2.id}/cancel`, doctor.headers, {
      reason: 'Written for the wrong visit',
      version: asha.rx2.version,
    }),
    200,
    'cancel',
  );

  // 2. Ravi's stay: an in-patient order, its first line stopped.
  ravi.id = (await w.patient()).id;
  ravi.encounterId = (await w.inpatient(ravi.id, doctor)).encounterId;
  ravi.rx3 = await prescribe(ravi.encounterId, [
    line(products.paracetamol.id, { frequency: 'QID', durationDays: 2 }),
    line(products.cetirizine.id, {
      frequency: 'SOS',
      prnIndication: 'itching',
      maxDosesPerDay: 2,
      durationDays: 2,
    }),
  ]);
  ravi.rx3 = await w.ok<Rx>(
    await w.call('POST', `/api/v1/prescriptions/${ravi.rx3.id}/lines/1/stop`, doctor.headers, {
      reason: 'Afebrile for 24 hours',
    }),
    200,
    'stop',
  );

  // 3. Meena's stay ends: what the pharmacy does on the IPD's discharge event.
  meena.id = (await w.patient()).id;
  const stay = await w.inpatient(meena.id, doctor);
  meena.rx4 = await prescribe(stay.encounterId, [line(products.metformin.id, { frequency: 'BD' })]);
  await cancelDosesOfAdmission(t.database.db, stay.admissionId, 'Stay ended (test)', new Date());
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('FHIR MedicationRequest', () => {
  it('is in the CapabilityStatement with read, search and its parameters', async () => {
    const cs = (await get('/fhir/R4/metadata', {})).json();
    expectValidFhir(cs);
    const mr = cs.rest[0].resource.find((r: Json) => r.type === 'MedicationRequest');
    expect(mr.interaction.map((i: Json) => i.code).sort()).toEqual(['read', 'search-type']);
    expect(mr.searchParam.map((p: Json) => p.name).sort()).toEqual([
      '_id',
      'authoredon',
      'category',
      'code',
      'encounter',
      'intent',
      'patient',
      'status',
      'subject',
    ]);
  });

  it('reads a prescription line: the medicine, the patient and visit, the dosage and what to hand over', async () => {
    const res = await get(`/fhir/R4/MedicationRequest/${lineId(asha.rx1, 1)}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.headers.etag).toBe(`W/"${asha.rx1.version}"`);
    const mr = res.json();
    expectValidFhir(mr);
    expect(mr).toMatchObject({
      resourceType: 'MedicationRequest',
      id: lineId(asha.rx1, 1),
      status: 'active',
      intent: 'order',
      category: [{ coding: [{ code: 'outpatient' }] }],
      medicationCodeableConcept: {
        coding: [
          {
            system: 'https://newhms.example/fhir/CodeSystem/formulary',
            code: products.paracetamol.code,
            display: 'Paracetamol 500 mg tablet',
          },
          { system: 'http://www.whocc.no/atc', code: 'N02BE01' },
        ],
      },
      subject: { reference: `Patient/${asha.id}` },
      encounter: { reference: `Encounter/${asha.visit1}` },
      authoredOn: asha.rx1.createdAt,
      requester: { display: 'Dr Meera Iyer' },
      groupIdentifier: { value: asha.rx1.number },
      dosageInstruction: [
        {
          text: '1 tablet (500 mg) oral, three times a day after food, for 5 days',
          timing: { repeat: { frequency: 3, period: 1, periodUnit: 'd' }, code: { text: 'TDS' } },
          route: { text: 'oral' },
          doseAndRate: [{ doseQuantity: { value: 500, unit: 'mg', code: 'mg' } }],
        },
      ],
      dispenseRequest: { quantity: { value: 15, unit: 'tablet' }, expectedSupplyDuration: { value: 5 } },
    });
    const second = (await get(`/fhir/R4/MedicationRequest/${lineId(asha.rx1, 2)}`)).json();
    expectValidFhir(second);
    expect(second).toMatchObject({
      groupIdentifier: { value: asha.rx1.number },
      dosageInstruction: [{ timing: { repeat: { when: ['HS'] } } }],
      note: [{ text: 'May cause drowsiness' }],
    });
    expect(second.medicationCodeableConcept.coding).toHaveLength(1);
  });

  it('shows a cancelled prescription, a stopped line with its reason, an ended stay and an as-needed order', async () => {
    const cancelled = (await get(`/fhir/R4/MedicationRequest/${lineId(asha.rx2, 1)}`)).json();
    expectValidFhir(cancelled);
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      statusReason: { text: 'Written for the wrong visit' },
    });
    const stopped = (await get(`/fhir/R4/MedicationRequest/${lineId(ravi.rx3, 1)}`)).json();
    expectValidFhir(stopped);
    expect(stopped).toMatchObject({
      status: 'stopped',
      statusReason: { text: 'Afebrile for 24 hours' },
      category: [{ coding: [{ code: 'inpatient' }] }],
      encounter: { reference: `Encounter/${ravi.encounterId}` },
    });
    const ended = (await get(`/fhir/R4/MedicationRequest/${lineId(meena.rx4, 1)}`)).json();
    expectValidFhir(ended);
    expect(ended.status).toBe('completed');
    expect(ended.statusReason).toBeUndefined();
    const prn = (await get(`/fhir/R4/MedicationRequest/${lineId(ravi.rx3, 2)}`)).json();
    expectValidFhir(prn);
    expect(prn.status).toBe('active');
    expect(prn.dosageInstruction[0]).toMatchObject({
      asNeededCodeableConcept: { text: 'itching' },
      maxDosePerPeriod: { numerator: { value: 2, unit: 'tablet' }, denominator: { value: 1, code: 'd' } },
    });
  });

  it('finds by patient or subject, encounter, _id and intent', async () => {
    const ashas = [lineId(asha.rx1, 1), lineId(asha.rx1, 2), lineId(asha.rx2, 1)];
    expect(sorted(ids(await search(`MedicationRequest?patient=Patient/${asha.id}`)))).toEqual(sorted(ashas));
    expect(sorted(ids(await search(`MedicationRequest?subject=${asha.id}`)))).toEqual(sorted(ashas));
    expect(sorted(ids(await search(`MedicationRequest?encounter=Encounter/${asha.visit1}`)))).toEqual(
      sorted([lineId(asha.rx1, 1), lineId(asha.rx1, 2)]),
    );
    expect(sorted(ids(await search(`MedicationRequest?encounter=${ravi.encounterId}`)))).toEqual(
      sorted([lineId(ravi.rx3, 1), lineId(ravi.rx3, 2)]),
    );
    expect(ids(await search(`MedicationRequest?encounter=Patient/${asha.visit1}`))).toEqual([]);
    expect(
      sorted(ids(await search(`MedicationRequest?_id=${lineId(asha.rx1, 2)},${lineId(ravi.rx3, 1)}`))),
    ).toEqual(sorted([lineId(asha.rx1, 2), lineId(ravi.rx3, 1)]));
    expect(ids(await search(`MedicationRequest?_id=${asha.rx1.id}`))).toEqual([]);
    expect(sorted(ids(await search(`MedicationRequest?patient=${asha.id}&intent=order`)))).toEqual(
      sorted(ashas),
    );
    expect(ids(await search(`MedicationRequest?patient=${asha.id}&intent=proposal`))).toEqual([]);
  });

  it('finds by status (FHIR codes, :not), category and the formulary or ATC code', async () => {
    const p = `patient=${asha.id}`;
    expect(sorted(ids(await search(`MedicationRequest?${p}&status=active`)))).toEqual(
      sorted([lineId(asha.rx1, 1), lineId(asha.rx1, 2)]),
    );
    expect(ids(await search(`MedicationRequest?${p}&status=cancelled`))).toEqual([lineId(asha.rx2, 1)]);
    expect(
      ids(
        await search(
          `MedicationRequest?${p}&status=http://hl7.org/fhir/CodeSystem/medicationrequest-status|cancelled`,
        ),
      ),
    ).toEqual([lineId(asha.rx2, 1)]);
    expect(ids(await search(`MedicationRequest?patient=${ravi.id}&status=stopped`))).toEqual([
      lineId(ravi.rx3, 1),
    ]);
    expect(ids(await search(`MedicationRequest?patient=${ravi.id}&status:not=stopped,cancelled`))).toEqual([
      lineId(ravi.rx3, 2),
    ]);
    expect(ids(await search(`MedicationRequest?${p}&status=on-hold`))).toEqual([]);
    expect(ids(await search(`MedicationRequest?patient=${meena.id}&status=completed`))).toEqual([
      lineId(meena.rx4, 1),
    ]);
    expect(ids(await search(`MedicationRequest?patient=${meena.id}&status=active`))).toEqual([]);

    expect(sorted(ids(await search(`MedicationRequest?patient=${ravi.id}&category=inpatient`)))).toEqual(
      sorted([lineId(ravi.rx3, 1), lineId(ravi.rx3, 2)]),
    );
    expect(ids(await search(`MedicationRequest?patient=${ravi.id}&category=outpatient`))).toEqual([]);

    const bothParacetamol = sorted([lineId(asha.rx1, 1), lineId(ravi.rx3, 1)]);
    expect(sorted(ids(await search(`MedicationRequest?code=${products.paracetamol.code}`)))).toEqual(
      bothParacetamol,
    );
    expect(
      sorted(
        ids(
          await search(
            `MedicationRequest?code=${encodeURIComponent(`https://newhms.example/fhir/CodeSystem/formulary|${products.paracetamol.code}`)}`,
          ),
        ),
      ),
    ).toEqual(bothParacetamol);
    expect(
      sorted(
        ids(
          await search(
            `MedicationRequest?${p}&code=${encodeURIComponent('http://www.whocc.no/atc|N02BE01')}`,
          ),
        ),
      ),
    ).toEqual([lineId(asha.rx1, 1)]);
    expect(
      ids(await search(`MedicationRequest?${p}&code=${encodeURIComponent(`|${products.paracetamol.code}`)}`)),
    ).toEqual([]);
  });

  it("finds by authoredon, prefixes and the facility's calendar day", async () => {
    const p = `patient=${asha.id}`;
    const day = kolkataDate(asha.rx1.createdAt);
    const all = sorted([lineId(asha.rx1, 1), lineId(asha.rx1, 2), lineId(asha.rx2, 1)]);
    expect(sorted(ids(await search(`MedicationRequest?${p}&authoredon=${day}`)))).toEqual(all);
    expect(sorted(ids(await search(`MedicationRequest?${p}&authoredon=ge${day}`)))).toEqual(all);
    expect(ids(await search(`MedicationRequest?${p}&authoredon=lt${day}`))).toEqual([]);
    expect(ids(await search(`MedicationRequest?${p}&authoredon=ge${asha.rx2.createdAt}`))).toEqual([
      lineId(asha.rx2, 1),
    ]);
    expect(sorted(ids(await search(`MedicationRequest?${p}&authoredon=lt${asha.rx2.createdAt}`)))).toEqual(
      sorted([lineId(asha.rx1, 1), lineId(asha.rx1, 2)]),
    );
  });

  it('pages one line at a time with _count=1 and the next links, with the total when asked', async () => {
    const seen: string[] = [];
    let bundle = await search(`MedicationRequest?patient=${asha.id}&_count=1`);
    expect(bundle.total).toBeUndefined();
    for (;;) {
      expect(ids(bundle).length).toBeLessThanOrEqual(1);
      seen.push(...ids(bundle));
      const next = bundle.link.find((l: Json) => l.relation === 'next')?.url as string | undefined;
      if (!next) break;
      expect(next).toContain(`patient=${asha.id}`);
      bundle = await search(next.split('/fhir/R4/')[1]!);
    }
    expect(seen).toEqual(sorted([lineId(asha.rx1, 1), lineId(asha.rx1, 2), lineId(asha.rx2, 1)]));
    expect((await search(`MedicationRequest?patient=${asha.id}&_total=accurate&_count=1`)).total).toBe(3);
    const onlyTotal = await search(`MedicationRequest?patient=${asha.id}&_count=0`);
    expect(onlyTotal.total).toBe(3);
    expect(onlyTotal.entry).toBeUndefined();
    expect((await search(`MedicationRequest?patient=${asha.id}`)).total).toBe(3);
  });

  it('audits reads and searches with the patient', async () => {
    await get(`/fhir/R4/MedicationRequest/${lineId(asha.rx1, 2)}`);
    await search(`MedicationRequest?patient=${asha.id}&status=active`);
    const entries = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.patientId, asha.id), eq(auditEntries.actorId, w.pharmacist.id)))
      .orderBy(desc(auditEntries.occurredAt), desc(auditEntries.id))
      .limit(2);
    expect(entries[1]).toMatchObject({
      action: 'read',
      resourceType: 'MedicationRequest',
      resourceId: lineId(asha.rx1, 2),
      facilityId: w.facilityId,
      detail: { via: 'fhir' },
    });
    expect(entries[0]).toMatchObject({
      action: 'search',
      resourceType: 'MedicationRequest',
      detail: { via: 'fhir', query: `patient=${asha.id}&status=active`, results: 2 },
    });
  });

  it("keeps to the actor's facility: another facility's prescription line is 404", async () => {
    const elsewhere = bearer(t.admin.token, t.facilityId);
    const res = await get(`/fhir/R4/MedicationRequest/${lineId(asha.rx1, 1)}`, elsewhere);
    expect(res.statusCode).toBe(404);
    expectValidFhir(res.json());
    expect(ids(await search(`MedicationRequest?patient=${asha.id}`, elsewhere))).toEqual([]);
    expect(ids(await search(`MedicationRequest?_id=${lineId(asha.rx1, 1)}`, elsewhere))).toEqual([]);
  });

  it('answers 404, 401 and 403 (the front desk may not see prescriptions) with OperationOutcomes', async () => {
    for (const id of [`${randomUUID()}-1`, lineId(asha.rx1, 3), asha.rx1.id, 'A-42', `${asha.rx1.id}-01`]) {
      const res = await get(`/fhir/R4/MedicationRequest/${id}`);
      expect(res.statusCode, id).toBe(404);
      expectValidFhir(res.json());
      expect(res.json().issue[0].code).toBe('not-found');
    }
    for (const path of [`MedicationRequest/${lineId(asha.rx1, 1)}`, `MedicationRequest?patient=${asha.id}`]) {
      const anonymous = await get(`/fhir/R4/${path}`, {});
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().issue[0].code).toBe('login');
      const desk = await get(`/fhir/R4/${path}`, w.desk.headers);
      expect(desk.statusCode).toBe(403);
      expectValidFhir(desk.json());
      expect(desk.json().issue[0].code).toBe('forbidden');
    }
    expect((await get(`/fhir/R4/MedicationRequest/${lineId(asha.rx1, 1)}`, w.nurse.headers)).statusCode).toBe(
      200,
    );
  });

  it('refuses malformed parameters with a 400 OperationOutcome, and ignores unknown ones with a warning', async () => {
    for (const query of [
      'authoredon=yesterday',
      'authoredon=2026-02-30',
      '_count=1000',
      '_count=-1',
      'status:exact=active',
      '_cursor=not-a-cursor',
      `_cursor=${Buffer.from(JSON.stringify(['x', 1])).toString('base64url')}`,
      `_cursor=${Buffer.from(JSON.stringify([asha.rx1.id])).toString('base64url')}`,
      '_total=maybe',
      'status=',
    ]) {
      const res = await get(`/fhir/R4/MedicationRequest?patient=${asha.id}&${query}`);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      expectValidFhir(res.json());
      expect(res.json().resourceType).toBe('OperationOutcome');
    }
    const lenient = await search(`MedicationRequest?patient=${asha.id}&priority=stat`);
    expect(ids(lenient)).toHaveLength(3);
    expect(lenient.entry.find((e: Json) => e.search.mode === 'outcome').resource.issue[0].severity).toBe(
      'warning',
    );
    const strict = await get(`/fhir/R4/MedicationRequest?patient=${asha.id}&priority=stat`, {
      ...w.pharmacist.headers,
      prefer: 'handling=strict',
    });
    expect(strict.statusCode).toBe(400);
    expectValidFhir(strict.json());
  });

  it('never answers 5xx, whatever the parameters or id', async () => {
    const known = [asha.id, asha.visit1, lineId(asha.rx1, 1), products.paracetamol.code];
    const key = fc.constantFrom(
      'patient',
      'subject',
      'encounter',
      'status',
      'status:not',
      'intent',
      'authoredon',
      'category',
      'code',
      '_id',
      '_count',
      '_cursor',
      '_total',
      'code:text',
      'x',
    );
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('', '\u0000', '%_\\', "O'Brien", '💉', 'x'.repeat(600), '0', '101', 'accurate'),
      fc.constantFrom(...known),
      fc.tuple(fc.uuid(), fc.integer({ min: -5, max: 2000 })).map(([u, n]) => `${u}-${n}`),
      fc.constantFrom('ge2026-01-01', 'ap0001', 'eb9999-12-31T23:59Z', '|x', 'http://www.whocc.no/atc|'),
      fc.constantFrom('WyJ4IiwxXQ', 'WyIwMTkwYTAwMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwYjEiLDFlOTld'),
    );
    const request = fc.oneof(
      fc
        .array(fc.tuple(key, value), { maxLength: 4 })
        .map((params) => `/fhir/R4/MedicationRequest?${new URLSearchParams(params).toString()}`),
      fc
        .oneof(
          fc.string({ maxLength: 50 }),
          fc.constantFrom(...known),
          fc.uuid().map((u) => `${u}-99999999999`),
        )
        .map((id) => `/fhir/R4/MedicationRequest/${encodeURIComponent(id)}`),
    );
    await fc.assert(
      fc.asyncProperty(request, async (url) => {
        const res = await get(url);
        expect(res.statusCode, `${url} -> ${res.body.slice(0, 300)}`).toBeLessThan(500);
        expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      }),
      { numRuns: 150 },
    );
  });
});
