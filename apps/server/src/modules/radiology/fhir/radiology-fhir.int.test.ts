import type { RadOrder } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../../test/fhir-validators';
import { createTestApp, type TestApp } from '../../../../test/harness';
import type { Ctx } from '../../../platform/context';
import { rowsOf } from '../../../platform/db/raw-rows';
import { radiologyModule } from '../index';
import { createRadWorld, type RadWorld } from '../radiology-test-support';

// FHIR R4: ImagingStudy (radiology's own route) read and searched by patient, started, status, modality,
// identifier and _id; the radiology share of DiagnosticReport (a provider the platform merges with the
// laboratory's) read and searched through its functions. Every resource validates against R4, every read and
// search is audited.

// biome-ignore lint/suspicious/noExplicitAny: FHIR JSON read in assertions
type Json = Record<string, any>;

const FHIR = { accept: 'application/fhir+json' };
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const ACCESSION = 'https://newhms.dev/fhir/sid/radiology-accession';

let t: TestApp;
let w: RadWorld;
let patientId: string;
let ordered: RadOrder;
let inProgress: RadOrder;
let completed: RadOrder;
let amended: RadOrder;
let drafted: RadOrder;
let finalReportId: string;
let amendedReportId: string;
let draftReportId: string;

const provider = radiologyModule.fhir!.providers![0]!;

function doctorCtx(): Ctx {
  return {
    db: t.database.db,
    actor: {
      type: 'user',
      userId: w.doctor.id,
      name: 'Dr Rao',
      sessionId: '',
      facilityId: w.facilityId,
      roles: ['doctor'],
      permissions: new Set(['radiology:read']),
    },
    facilityId: w.facilityId,
    requestId: 'fhir-test',
    now: new Date(),
  };
}

async function fhirGet(path: string, headers = w.doctor.headers) {
  return t.app.inject({ method: 'GET', url: `/fhir/R4/${path}`, headers: { ...headers, ...FHIR } });
}

beforeAll(async () => {
  t = await createTestApp();
  w = await createRadWorld(t);
  const p = await w.patient({ sex: 'male', birthDate: '1966-06-06' });
  patientId = p.id;
  const visit = await w.visit(p.id);
  await w.order(visit.id, 'RAD-CT-HEAD');
  await w.deliver();
  const [fromEncounter] = await w.ordersOf(visit.id);
  completed = await w.completed(fromEncounter!);
  finalReportId = (await w.signed(completed)).id;
  amended = await w.completed(await w.walkIn(p.id, 'RAD-XR-KNEE', { laterality: 'left' }));
  amendedReportId = (
    await w.signed(amended, { text: 'Displaced fracture of the tibial plateau', category: 'urgent' })
  ).id;
  w.ok(
    await w.call('POST', `/api/v1/radiology/reports/${amendedReportId}/addenda`, w.radiologist.headers, {
      text: 'Lipohaemarthrosis also noted.',
      reason: 'Second look',
    }),
    200,
    'addendum',
  );
  drafted = await w.completed(await w.walkIn(p.id, 'RAD-USG-ABD'));
  draftReportId = w.ok<{ id: string }>(
    await w.call('POST', `/api/v1/radiology/orders/${drafted.id}/report`, w.radiologist.headers),
    201,
    'draft',
  ).id;
  inProgress = await w.started(await w.walkIn(p.id, 'RAD-MRI-LS'), {
    mriScreening: {
      pacemakerOrDefibrillator: false,
      cochlearImplant: false,
      aneurysmClip: false,
      neurostimulator: false,
      metalForeignBody: false,
      otherImplant: false,
    },
  });
  ordered = await w.walkIn(p.id, 'RAD-CXR-PA');
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('ImagingStudy', () => {
  it('serves the studies that have started, valid R4, searchable by patient, status, modality and identifier', async () => {
    const res = await fhirGet(`ImagingStudy?patient=Patient/${patientId}`);
    expect(res.statusCode).toBe(200);
    const bundle = res.json() as Json;
    const entries = (bundle.entry ?? []).map((e: Json) => e.resource as Json);
    // The ordered study is not an ImagingStudy yet.
    expect(entries.map((r: Json) => r.id).sort()).toEqual(
      [completed.id, amended.id, drafted.id, inProgress.id].sort(),
    );
    expect(entries.some((r: Json) => r.id === ordered.id)).toBe(false);
    for (const r of entries) expectValidFhir(r);

    const ct = entries.find((r: Json) => r.id === completed.id)!;
    expect(ct).toMatchObject({
      resourceType: 'ImagingStudy',
      status: 'available',
      subject: { reference: `Patient/${patientId}` },
      encounter: { reference: `Encounter/${completed.encounterId}` },
      basedOn: [{ reference: `ServiceRequest/${completed.orderId}` }],
      modality: [{ system: DCM, code: 'CT' }],
      numberOfInstances: 120,
      referrer: { display: 'Dr Rao' },
      procedureCode: [{ coding: [{ code: 'RAD-CT-HEAD' }], text: 'CT head (plain)' }],
    });
    expect(ct.identifier).toEqual(
      expect.arrayContaining([
        { system: 'urn:dicom:uid', value: `urn:oid:${completed.studyInstanceUid}` },
        expect.objectContaining({ system: ACCESSION, value: completed.accession }),
      ]),
    );
    const xr = entries.find((r: Json) => r.id === amended.id)!;
    expect(xr).toMatchObject({ modality: [{ code: 'DX' }], description: 'X-ray knee AP and lateral (left)' });
    expect(entries.find((r: Json) => r.id === inProgress.id)).toMatchObject({ status: 'registered' });

    const ids = async (query: string) => {
      const r = await fhirGet(`ImagingStudy?patient=${patientId}&${query}`);
      expect(r.statusCode, query).toBe(200);
      return ((r.json() as Json).entry ?? []).map((e: Json) => e.resource.id).sort();
    };
    expect(await ids('status=available')).toEqual([completed.id, amended.id, drafted.id].sort());
    expect(await ids('status:not=available')).toEqual([inProgress.id]);
    expect(await ids(`modality=${encodeURIComponent(`${DCM}|CT`)}`)).toEqual([completed.id]);
    expect(await ids('modality=CR')).toEqual([amended.id]);
    expect(await ids(`identifier=${encodeURIComponent(`${ACCESSION}|${amended.accession}`)}`)).toEqual([
      amended.id,
    ]);
    expect(
      await ids(`identifier=${encodeURIComponent(`urn:dicom:uid|urn:oid:${completed.studyInstanceUid}`)}`),
    ).toEqual([completed.id]);
    expect(await ids(`_id=${inProgress.id}`)).toEqual([inProgress.id]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await ids(`started=ge${today}T00:00:00Z`)).length).toBe(4);
    expect(await ids('started=lt2000-01-01')).toEqual([]);
    const bad = await fhirGet('ImagingStudy?started=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().resourceType).toBe('OperationOutcome');
  });

  it('reads one study (audited), and knows no study that has not started or is another facility’s', async () => {
    const res = await fhirGet(`ImagingStudy/${completed.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toMatch(/^W\/"\d+"$/);
    expectValidFhir(res.json());
    expect((await fhirGet(`ImagingStudy/${ordered.id}`)).statusCode).toBe(404);
    const elsewhere = await createRadWorld(t);
    expect((await fhirGet(`ImagingStudy/${completed.id}`, elsewhere.doctor.headers)).statusCode).toBe(404);
    const audits = await rowsOf<{ action: string; detail: Json }>(
      t.database.db,
      sql`select action, detail from audit.entries where resource_type = 'ImagingStudy' and patient_id = ${patientId}`,
    );
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['read', 'search']));
    expect(audits.every((a) => a.detail.via === 'fhir')).toBe(true);
    // Without radiology:read (a pharmacist), no studies.
    const pharmacist = await w.staff(['pharmacist']);
    expect((await fhirGet(`ImagingStudy/${completed.id}`, pharmacist.headers)).statusCode).toBe(403);
  });

  it('is listed in the CapabilityStatement', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/fhir/R4/metadata', headers: FHIR });
    const types = (res.json() as Json).rest[0].resource.map((r: Json) => r.type);
    expect(types).toContain('ImagingStudy');
  });
});

describe('DiagnosticReport (radiology provider)', () => {
  it('reads a signed report as a valid R4 DiagnosticReport, and nothing else', async () => {
    const ctx = doctorCtx();
    const final = (await provider.read(ctx, finalReportId)) as Json;
    expectValidFhir(final);
    expect(final).toMatchObject({
      resourceType: 'DiagnosticReport',
      id: finalReportId,
      status: 'final',
      category: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'RAD' },
            { system: 'http://loinc.org', code: 'LP29684-5' },
          ],
        },
      ],
      code: { coding: [{ code: 'RAD-CT-HEAD' }] },
      subject: { reference: `Patient/${patientId}` },
      imagingStudy: [{ reference: `ImagingStudy/${completed.id}` }],
      conclusion: 'Impression: as described.',
      resultsInterpreter: [{ display: 'Dr Radiologist Sen' }],
    });
    const text = Buffer.from(final.presentedForm[0].data, 'base64').toString('utf8');
    expect(text).toContain('FINDINGS');

    const appended = (await provider.read(ctx, amendedReportId)) as Json;
    expectValidFhir(appended);
    expect(appended.status).toBe('appended');
    expect(Buffer.from(appended.presentedForm[0].data, 'base64').toString('utf8')).toContain(
      'Lipohaemarthrosis also noted.',
    );

    // Drafts, unknown ids and another facility's reports are not this provider's.
    expect(await provider.read(ctx, draftReportId)).toBeNull();
    expect(await provider.read(ctx, crypto.randomUUID())).toBeNull();
    expect(await provider.read({ ...ctx, facilityId: t.facilityId }, finalReportId)).toBeNull();
    const audits = await rowsOf<{ action: string }>(
      t.database.db,
      sql`select action from audit.entries where resource_type = 'DiagnosticReport' and patient_id = ${patientId}`,
    );
    expect(audits.map((a) => a.action)).toContain('read');
  });

  it('searches by patient, status, code, category, date and encounter, ordered by id, paged after an id', async () => {
    const ctx = doctorCtx();
    const search = async (query: Record<string, unknown>, afterId?: string, limit = 10, countTotal = false) =>
      provider.search(ctx, { query, afterId, limit, countTotal });
    const all = await search({ patient: `Patient/${patientId}` }, undefined, 10, true);
    const expected = [finalReportId, amendedReportId].sort();
    expect(all.resources.map((r) => r.id)).toEqual(expected);
    expect(all.total).toBe(2);
    for (const r of all.resources) expectValidFhir(r);

    const page2 = await search({ subject: patientId }, expected[0], 1);
    expect(page2.resources.map((r) => r.id)).toEqual([expected[1]]);

    const ids = async (query: Record<string, unknown>) =>
      (await search({ patient: patientId, ...query })).resources.map((r) => r.id).sort();
    expect(await ids({ status: 'amended' })).toEqual([amendedReportId]);
    expect(await ids({ status: 'final' })).toEqual([finalReportId]);
    expect(await ids({ status: 'preliminary' })).toEqual([]);
    expect(await ids({ code: 'https://newhms.dev/fhir/CodeSystem/radiology-procedure|RAD-XR-KNEE' })).toEqual(
      [amendedReportId],
    );
    expect(await ids({ category: 'http://loinc.org|LP29684-5' })).toEqual(expected);
    expect(await ids({ category: 'RAD' })).toEqual(expected);
    expect(await ids({ category: 'LAB' })).toEqual([]);
    expect(await ids({ encounter: `Encounter/${completed.encounterId}` })).toEqual([finalReportId]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await ids({ date: `ge${today}T00:00:00Z` })).toEqual(expected);
    expect(await ids({ date: 'lt2001' })).toEqual([]);
    await expect(search({ date: 'soon' })).rejects.toMatchObject({ status: 400 });

    // The platform may skip the provider when the category is not radiology.
    expect(provider.applies({})).toBe(true);
    expect(provider.applies({ category: 'http://terminology.hl7.org/CodeSystem/v2-0074|RAD' })).toBe(true);
    expect(provider.applies({ category: 'http://terminology.hl7.org/CodeSystem/v2-0074|LAB' })).toBe(false);
    expect(provider.applies({ category: 'LAB,LP29684-5' })).toBe(true);
    expect(provider.searchParamNames).toEqual(
      expect.arrayContaining(['patient', 'subject', 'date', 'status', 'code', 'category', 'encounter']),
    );
    const audits = await rowsOf<{ action: string }>(
      t.database.db,
      sql`select action from audit.entries where resource_type = 'DiagnosticReport' and patient_id = ${patientId}`,
    );
    expect(audits.map((a) => a.action)).toContain('search');
  });
});
