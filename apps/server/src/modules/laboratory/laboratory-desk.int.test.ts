import type {
  CumulativeResults,
  LabCatalogSearch,
  LabRequest,
  LabSampleLookup,
  LabValidationQueueItem,
} from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createTestApp, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import { createLabWorld, type LabWorld } from './laboratory-test-support';

// What the desks around the bench see before they act: the pathologist's queue of results awaiting
// validation (STAT first, then the oldest entry), the range a test will be judged against before its value is
// typed, values in the test's precision, a tube looked up by its accession so reception can reject it without
// receiving it, and the catalog for whoever orders or bills tests (not patient data).

let t: TestApp;
let w: LabWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await createLabWorld(t);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

type Res = { statusCode: number; headers: Record<string, unknown>; json(): unknown };

function problem(res: Res, status: number) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  return res.json() as { code?: string; errors?: { path: string; message: string }[] };
}

async function audits(patientId: string, resourceType: string) {
  return rowsOf<{ action: string; resource_id: string | null; detail: Record<string, unknown> | null }>(
    t.database.db,
    sql`select action, resource_id, detail from audit.entries where patient_id = ${patientId}
      and resource_type = ${resourceType} order by occurred_at, id`,
  );
}

/** A walk-in of one test, collected and received, with its value entered by the technician. */
async function entered(patientId: string, code: string, value: number, priority = 'routine') {
  const [request] = await w.walkIn(patientId, [code], priority);
  await w.collectAndReceive(request!);
  return w.ok<LabRequest>(
    await w.call('POST', `/api/v1/laboratory/requests/${request!.id}/results`, w.technician.headers, {
      results: [{ testCode: code, value }],
    }),
    200,
    'enter',
  );
}

async function queue(query = '', headers = w.pathologist.headers) {
  return w.ok<LabValidationQueueItem[]>(
    await w.call('GET', `/api/v1/laboratory/validation-queue${query}`, headers),
    200,
    'validation queue',
  );
}

describe('the validation queue', () => {
  it('lists entered results STAT first, then the oldest entry, with patient, tube, value, flag and who entered them', async () => {
    // 1. Asha's routine potassium is entered first, then Ravi's routine creatinine, Meera's urgent haemoglobin
    //    and last Ravi's STAT sodium. Farid's STAT potassium is received but not entered yet.
    const asha = await w.patient({ sex: 'female', birthDate: '1980-01-01' });
    const ravi = await w.patient({ sex: 'male', birthDate: '1961-04-02' });
    const meera = await w.patient({ sex: 'female', birthDate: '1991-05-20' });
    const farid = await w.patient({ sex: 'male', birthDate: '1975-09-09' });
    const k = await entered(asha.id, 'K', 6.9);
    const creat = await entered(ravi.id, 'CREAT', 1.2);
    const hb = await entered(meera.id, 'HB', 12, 'urgent');
    const na = await entered(ravi.id, 'NA', 131, 'stat');
    const [waiting] = await w.walkIn(farid.id, ['K'], 'stat');
    await w.collectAndReceive(waiting!);

    // 2. The pathologist's queue: STAT sodium, urgent haemoglobin, then the routine ones oldest first.
    const all = await queue();
    expect(all.map((i) => i.result.testCode)).toEqual(['NA', 'HB', 'K', 'CREAT']);
    expect(all.map((i) => i.priority)).toEqual(['stat', 'urgent', 'routine', 'routine']);
    const first = all[0]!;
    expect(first).toMatchObject({
      requestId: na.id,
      requestCode: 'NA',
      patientId: ravi.id,
      patientName: ravi.displayName,
      mrn: ravi.mrn,
      accession: na.samples[0]!.accession,
      requestEnteredCount: 1,
      setting: 'walk-in',
    });
    expect(first.result).toMatchObject({
      status: 'entered',
      value: 131,
      unit: 'mmol/L',
      flag: 'L',
      decimals: 0,
      enteredByName: 'Tech Anil',
      source: 'manual',
    });
    expect(Date.parse(first.result.enteredAt ?? '')).toBeGreaterThan(0);
    const potassium = all.find((i) => i.result.testCode === 'K')!;
    expect(potassium.result).toMatchObject({ value: 6.9, flag: 'HH', critical: true, decimals: 1 });
    expect(potassium.accession).toBe(k.samples[0]!.accession);
    // 12 g/dL is reported to one decimal: the result says so, for the screen to write 12.0.
    expect(all.find((i) => i.result.testCode === 'HB')!.result).toMatchObject({ value: 12, decimals: 1 });
    expect(all.some((i) => i.patientId === farid.id)).toBe(false);

    // 3. By section and by priority.
    expect((await queue('?section=haematology')).map((i) => i.requestId)).toEqual([hb.id]);
    expect((await queue('?priority=stat')).map((i) => i.requestId)).toEqual([na.id]);
    expect((await queue('?section=biochemistry&priority=routine')).map((i) => i.requestId)).toEqual([
      k.id,
      creat.id,
    ]);
    expect((await queue('?limit=1')).map((i) => i.requestId)).toEqual([na.id]);

    // 4. Validated results leave the queue; reading it was a read of each listed patient's results.
    w.ok(
      await w.call('POST', `/api/v1/laboratory/requests/${na.id}/validate`, w.pathologist.headers, {}),
      200,
      'validate',
    );
    expect((await queue()).map((i) => i.result.testCode)).toEqual(['HB', 'K', 'CREAT']);
    const read = (await audits(asha.id, 'LabResult')).filter((a) => a.action === 'read');
    expect(read.at(-1)?.detail).toMatchObject({ list: 'validation-queue', results: [k.results[0]!.id] });
  });

  it('is for validators; a section or priority it does not know is a 400 naming the field', async () => {
    problem(await w.call('GET', '/api/v1/laboratory/validation-queue', w.nurse.headers), 403);
    problem(await w.call('GET', '/api/v1/laboratory/validation-queue', w.desk.headers), 403);
    for (const [query, field] of [
      ['section=kitchen', 'section'],
      ['priority=asap', 'priority'],
      ['limit=0', 'limit'],
      ['limit=lots', 'limit'],
    ] as const) {
      const body = problem(
        await w.call('GET', `/api/v1/laboratory/validation-queue?${query}`, w.pathologist.headers),
        400,
      );
      expect(body.errors?.map((e) => e.path)).toContain(`querystring.${field}`);
    }
  });
});

describe('the range before the value, and the value in its precision', () => {
  it('gives a pending haemoglobin the range of the patient’s sex and age band, and keeps it when the value is entered', async () => {
    const woman = await w.patient({ sex: 'female', birthDate: '1970-02-03' });
    const man = await w.patient({ sex: 'male', birthDate: '1970-02-03' });
    const infantBirth = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
    const infant = await w.patient({ sex: 'male', birthDate: infantBirth });
    const other = await w.patient({ sex: 'other', birthDate: '1970-02-03' });

    const rangeOf = async (patientId: string) => {
      const [request] = await w.walkIn(patientId, ['HB']);
      const result = request!.results[0]!;
      expect(result).toMatchObject({ status: 'pending', value: null, flag: null, unit: 'g/dL', decimals: 1 });
      return { request: request!, range: result.referenceRange };
    };
    const forWoman = await rangeOf(woman.id);
    expect(forWoman.range).toEqual({
      low: 12,
      high: 15,
      criticalLow: 7,
      criticalHigh: 20,
      text: '12.0 – 15.0 g/dL',
    });
    expect((await rangeOf(man.id)).range).toMatchObject({ low: 13, high: 17, text: '13.0 – 17.0 g/dL' });
    // Two months old: the 28-183 day band, whoever the child is.
    expect((await rangeOf(infant.id)).range).toMatchObject({ low: 9.5, high: 14, text: '9.5 – 14.0 g/dL' });
    // An adult of sex "other" has no adult range of their own in the shipped catalog: none is guessed.
    expect((await rangeOf(other.id)).range).toBeNull();

    // The request read back (the entry screen's GET) carries it too, and entry keeps the same range.
    expect((await w.request(forWoman.request.id)).results[0]!.referenceRange?.text).toBe('12.0 – 15.0 g/dL');
    await w.collectAndReceive(forWoman.request);
    const after = w.ok<LabRequest>(
      await w.call(
        'POST',
        `/api/v1/laboratory/requests/${forWoman.request.id}/results`,
        w.technician.headers,
        { results: [{ testCode: 'HB', value: 11 }] },
      ),
      200,
      'enter',
    );
    expect(after.results[0]).toMatchObject({
      status: 'entered',
      value: 11,
      flag: 'L',
      decimals: 1,
      referenceRange: forWoman.range,
    });
  });

  it('carries the decimals on released and cumulative results, and none on text results', async () => {
    const asha = await w.patient({ sex: 'female', birthDate: '1985-06-06' });
    const hb = await entered(asha.id, 'HB', 12);
    w.ok(
      await w.call('POST', `/api/v1/laboratory/requests/${hb.id}/validate`, w.pathologist.headers, {}),
      200,
      'validate',
    );
    const cumulative = w.ok<z.infer<typeof CumulativeResults>>(
      await w.call('GET', `/api/v1/laboratory/patients/${asha.id}/results`, w.doctor.headers),
      200,
      'cumulative',
    );
    expect(cumulative.tests).toEqual([
      expect.objectContaining({
        code: 'HB',
        unit: 'g/dL',
        decimals: 1,
        values: [expect.objectContaining({ value: 12 })],
      }),
    ]);
    const [culture] = await w.walkIn(asha.id, ['URINE_CULTURE']);
    expect(culture!.results[0]).toMatchObject({
      resultType: 'culture',
      decimals: null,
      referenceRange: null,
    });
  });
});

describe('a tube looked up by its accession before receipt', () => {
  it('shows reception the collected tube, its tests and patient; it is rejected unreceived and the lookup is audited', async () => {
    // 1. Kamala's potassium tube is drawn on the ward and reaches the lab haemolysed.
    const kamala = await w.patient({ sex: 'female', birthDate: '1958-03-14' });
    const [request] = await w.walkIn(kamala.id, ['K'], 'stat');
    const tube = request!.samples[0]!;
    w.ok(
      await w.call('POST', `/api/v1/laboratory/samples/${tube.id}/collect`, w.nurse.headers, {}),
      200,
      'collect',
    );

    // 2. Reception scans it (the scanner's case and spaces do not matter): the tube, not yet received.
    const found = w.ok<LabSampleLookup>(
      await w.call(
        'GET',
        `/api/v1/laboratory/samples/by-accession/%20${tube.accession.toLowerCase()}%20`,
        w.technician.headers,
      ),
      200,
      'lookup',
    );
    expect(found).toMatchObject({
      sample: { id: tube.id, accession: tube.accession, status: 'collected', container: tube.container },
      request: { id: request!.id, code: 'K', priority: 'stat' },
      patientId: kamala.id,
      patientName: kamala.displayName,
      mrn: kamala.mrn,
      sex: 'female',
    });
    expect(found.request.results[0]).toMatchObject({ testCode: 'K', status: 'pending' });
    const lookups = (await audits(kamala.id, 'LabSample')).filter((a) => a.action === 'read');
    expect(lookups.at(-1)).toMatchObject({
      resource_id: tube.id,
      detail: { lookup: 'accession', accession: tube.accession, status: 'collected' },
    });

    // 3. Rejected without being received: a new tube is asked for at once.
    const rejected = w.ok<LabRequest>(
      await w.call('POST', `/api/v1/laboratory/samples/${tube.id}/reject`, w.technician.headers, {
        reason: 'haemolysed',
        note: 'Pink serum before spinning',
      }),
      200,
      'reject',
    );
    const [old, recollection] = rejected.samples;
    expect(old).toMatchObject({ status: 'rejected', receivedAt: null, rejectionReason: 'haemolysed' });
    expect(recollection).toMatchObject({ status: 'awaiting-collection', recollectionOf: tube.id });
    const again = w.ok<LabSampleLookup>(
      await w.call('GET', `/api/v1/laboratory/samples/by-accession/${tube.accession}`, w.technician.headers),
      200,
      'lookup again',
    );
    expect(again.sample).toMatchObject({ status: 'rejected', recollectionSampleId: recollection!.id });
  });

  it('answers 404 for no tube of this facility, 400 naming a malformed accession, 403 without the lab’s permissions', async () => {
    const url = (a: string) => `/api/v1/laboratory/samples/by-accession/${a}`;
    expect(problem(await w.call('GET', url('L0000009999'), w.technician.headers), 404).code).toBe(
      'LAB_SAMPLE_NOT_FOUND',
    );
    for (const bad of ['XYZ', 'L12', 'L12345678901234567890123456789012', '%20']) {
      const body = problem(await w.call('GET', url(bad), w.technician.headers), 400);
      expect(body.errors?.map((e) => e.path)).toContain('params.accession');
    }
    const mine = await w.patient();
    const [own] = await w.walkIn(mine.id, ['K']);
    const accession = own!.samples[0]!.accession;
    problem(await w.call('GET', url(accession), w.desk.headers), 403);
    // Another hospital of the group (a fresh facility: its counter has not reached our number) does not find
    // our tube: accession numbers are per facility.
    const elsewhere = await createLabWorld(t);
    expect(problem(await w.call('GET', url(accession), elsewhere.technician.headers), 404).code).toBe(
      'LAB_SAMPLE_NOT_FOUND',
    );
    expect(
      (await audits(mine.id, 'LabSample')).filter((a) => a.action === 'read' && a.detail?.lookup),
    ).toEqual([]);
  });
});

describe('the catalog, for whoever orders or bills tests', () => {
  it('is read by the front desk and the billing clerk, who still see no patient’s results', async () => {
    const clerk = await w.staff(['billing-clerk']);
    const housekeeping = await w.staff(['housekeeping']);
    for (const who of [w.desk, clerk]) {
      const found = w.ok<z.infer<typeof LabCatalogSearch>>(
        await w.call('GET', '/api/v1/laboratory/catalog?q=potassium', who.headers),
        200,
        'catalog',
      );
      expect(found.tests.map((x) => x.code)).toContain('K');
      const imaging = w.ok<{ code: string }[]>(
        await w.call('GET', '/api/v1/radiology/catalog?q=chest', who.headers),
        200,
        'imaging catalog',
      );
      expect(imaging.length).toBeGreaterThan(0);
    }
    const patient = await w.patient();
    problem(await w.call('GET', `/api/v1/laboratory/requests?patientId=${patient.id}`, clerk.headers), 403);
    problem(await w.call('GET', `/api/v1/laboratory/patients/${patient.id}/results`, w.desk.headers), 403);
    problem(await w.call('GET', '/api/v1/laboratory/catalog?q=potassium', housekeeping.headers), 403);
    problem(await w.call('GET', '/api/v1/radiology/catalog?q=chest', housekeeping.headers), 403);
  });
});
