import type { LabRequest, LabTurnaroundReport } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import { createLabWorld, type LabWorld } from './laboratory-test-support';

// The printed report and the turnaround figures: a doctor's CBC and potassium are validated and printed with
// their flags, ranges and validator; a report with results not validated is PRELIMINARY; an amended result
// prints AMENDED with the reason and what was reported before; the lab manager reads turnaround against the
// targets for the day.

let t: TestApp;
let w: LabWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await createLabWorld(t);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const CBC_VALUES: Record<string, number> = {
  HB: 9.8,
  RBC: 4.5,
  HCT: 40,
  MCV: 88,
  MCH: 29,
  MCHC: 33,
  RDW: 13,
  WBC: 7.5,
  NEUT_PCT: 60,
  LYMPH_PCT: 30,
  MONO_PCT: 6,
  EOS_PCT: 3,
  BASO_PCT: 1,
  NEUT_ABS: 4.5,
  LYMPH_ABS: 2.2,
  MONO_ABS: 0.5,
  EOS_ABS: 0.2,
  BASO_ABS: 0.05,
  PLT: 250,
  MPV: 9.5,
};

async function printed(requestId: string, headers = w.doctor.headers) {
  const res = await w.call('GET', `/api/v1/laboratory/requests/${requestId}/report.pdf`, headers);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toContain('application/pdf');
  expect(res.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
  const pdf = await getDocument({ data: new Uint8Array(res.rawPayload), verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(content.items.map((i) => ('str' in i ? i.str : '')).join(' '));
  }
  await pdf.destroy();
  return pages.join('\n');
}

async function enter(requestId: string, results: { testCode: string; value: number }[]) {
  return w.ok<LabRequest>(
    await w.call('POST', `/api/v1/laboratory/requests/${requestId}/results`, w.technician.headers, {
      results,
    }),
    200,
    'enter',
  );
}

async function validate(requestId: string) {
  return w.ok<LabRequest>(
    await w.call('POST', `/api/v1/laboratory/requests/${requestId}/validate`, w.pathologist.headers, {}),
    200,
    'validate',
  );
}

describe('laboratory reports', () => {
  it('prints a validated CBC and potassium with the patient, values, units, flags, ranges and the validator', async () => {
    // 1. The doctor orders a CBC and a STAT potassium in Meena's visit.
    const meena = await w.patient({ sex: 'female', birthDate: '1968-04-12' });
    const visit = await w.visit(meena.id);
    await w.order(visit.id, 'CBC');
    await w.order(visit.id, 'K', { priority: 'stat' });
    await w.deliver();
    const requests = await w.requestsOf(visit.id);
    const cbc = requests.find((r) => r.code === 'CBC')!;
    const k = requests.find((r) => r.code === 'K')!;

    // 2. The nurse collects, the lab receives, the technician enters, the pathologist validates.
    await w.collectAndReceive(cbc);
    await w.collectAndReceive(k);
    await enter(
      cbc.id,
      Object.entries(CBC_VALUES).map(([testCode, value]) => ({ testCode, value })),
    );
    await enter(k.id, [{ testCode: 'K', value: 6.84 }]);
    expect((await validate(cbc.id)).status).toBe('completed');
    expect((await validate(k.id)).status).toBe('completed');

    // 3. The CBC report: patient, haematology, Hb 9.8 g/dL L against 12.0 - 15.0, the validator.
    const cbcText = await printed(cbc.id);
    expect(cbcText).toContain(meena.displayName);
    expect(cbcText).toContain(meena.mrn);
    expect(cbcText).toContain('female');
    expect(cbcText).toContain('LABORATORY REPORT');
    expect(cbcText).not.toContain('PRELIMINARY');
    expect(cbcText).toContain('HAEMATOLOGY');
    expect(cbcText).toMatch(/Haemoglobin\s+9\.8\s+L\s+g\/dL\s+12\.0 – 15\.0/);
    expect(cbcText).toContain('Platelet');
    expect(cbcText).toContain(cbc.samples[0]!.accession);
    expect(cbcText).toContain('Validated by Dr Path Sen');
    expect(cbcText).toContain('Dr Rao');

    // 4. The potassium report: 6.8 mmol/L HH, the range 3.5 - 5.1, called as critical.
    const kText = await printed(k.id);
    expect(kText).toMatch(/Potassium\s+6\.8\s+HH\s+mmol\/L\s+3\.5 – 5\.1/);
    expect(kText).toContain('Critical value');
    expect(kText).toContain('STAT');

    // 5. Printing is an audited read with the patient.
    const audit = await rowsOf<{ detail: { document?: string } }>(
      t.database.db,
      sql`select detail from audit.entries where patient_id = ${meena.id} and resource_type = 'LabRequest'
        and action = 'read' and resource_id = ${k.id}`,
    );
    expect(audit.map((a) => a.detail.document)).toContain('report');
  });

  it('prints PRELIMINARY while a result is entered but not validated, and lists pending ones', async () => {
    const p = await w.patient({ sex: 'male', birthDate: '1975-01-01' });
    const [na, k] = await w.walkIn(p.id, ['NA', 'K']);
    await w.collectAndReceive(na!);
    await enter(na!.id, [{ testCode: 'NA', value: 128 }]);

    const entered = await printed(na!.id);
    expect(entered).toContain('PRELIMINARY');
    expect(entered).toContain('not validated');
    expect(entered).not.toContain('Validated by');

    const pending = await printed(k!.id);
    expect(pending).toContain('PRELIMINARY');
    expect(pending).toMatch(/Potassium.*Pending/);
  });

  it('prints an amended result as AMENDED with the reason and the value reported before', async () => {
    const p = await w.patient({ sex: 'male', birthDate: '1975-01-01' });
    const [na] = await w.walkIn(p.id, ['NA']);
    await w.collectAndReceive(na!);
    await enter(na!.id, [{ testCode: 'NA', value: 128 }]);
    const result = (await validate(na!.id)).results[0]!;
    w.ok(
      await w.call('POST', `/api/v1/laboratory/results/${result.id}/amend`, w.pathologist.headers, {
        value: 138,
        reason: 'Transcription error: 138 read as 128',
        version: result.version,
      }),
      200,
      'amend',
    );

    const text = await printed(na!.id);
    expect(text).toContain('LABORATORY REPORT - AMENDED');
    expect(text).toMatch(/Sodium\s+138\s+mmol\/L/);
    expect(text).toContain('Reason: Transcription error: 138 read as 128');
    expect(text).toContain('Previously reported: 128 L mmol/L');
  });

  it('prints a urine culture with the organism and its susceptibility table', async () => {
    const p = await w.patient({ sex: 'female', birthDate: '1990-06-01' });
    const [culture] = await w.walkIn(p.id, ['URINE_CULTURE']);
    await w.collectAndReceive(culture!);
    w.ok(
      await w.call('POST', `/api/v1/laboratory/requests/${culture!.id}/results`, w.technician.headers, {
        results: [
          {
            testCode: 'URINE_CULTURE',
            culture: {
              organism: 'Escherichia coli',
              growth: '> 10^5 CFU/mL',
              antibiotics: [
                { antibiotic: 'Nitrofurantoin', interpretation: 'S', mic: '16' },
                { antibiotic: 'Ciprofloxacin', interpretation: 'R' },
              ],
            },
          },
        ],
      }),
      200,
      'enter',
    );
    await validate(culture!.id);

    const text = await printed(culture!.id);
    expect(text).toContain('MICROBIOLOGY');
    expect(text).toContain('Organism isolated: Escherichia coli (> 10^5 CFU/mL)');
    expect(text).toMatch(/Nitrofurantoin\s+16\s+S \(Sensitive\)/);
    expect(text).toMatch(/Ciprofloxacin\s+R \(Resistant\)/);
  });

  it('refuses the report of another facility and of an unknown request', async () => {
    const res = await w.call(
      'GET',
      '/api/v1/laboratory/requests/00000000-0000-4000-8000-000000000000/report.pdf',
      w.doctor.headers,
    );
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});

describe('laboratory turnaround', () => {
  it('counts a STAT potassium validated in 25 minutes as within target and a routine one in 130 as over', async () => {
    // A facility of its own, in India, so the day's figures are only these.
    const lab = await createLabWorld(t, 'Asia/Kolkata');
    const p = await lab.patient({ sex: 'male', birthDate: '1980-05-05' });
    const release = async (priority: string, value: number) => {
      const [request] = await lab.walkIn(p.id, ['K'], priority);
      await lab.collectAndReceive(request!);
      lab.ok(
        await lab.call('POST', `/api/v1/laboratory/requests/${request!.id}/results`, lab.technician.headers, {
          results: [{ testCode: 'K', value }],
        }),
        200,
        'enter',
      );
      lab.ok(
        await lab.call(
          'POST',
          `/api/v1/laboratory/requests/${request!.id}/validate`,
          lab.pathologist.headers,
          {},
        ),
        200,
        'validate',
      );
      return request!;
    };
    const stamp = async (request: LabRequest, collected: string, received: string, validated: string) => {
      await t.database.db.execute(
        sql`update laboratory.samples set collected_at = ${collected}, received_at = ${received}
          where request_id = ${request.id}`,
      );
      await t.database.db.execute(
        sql`update laboratory.results set validated_at = ${validated} where request_id = ${request.id}`,
      );
    };

    // 1. 10 March 2025 in Kolkata: a STAT potassium collected 09:30, received 09:35, validated 09:55 (25 min).
    await stamp(
      await release('stat', 4.2),
      '2025-03-10T04:00:00Z',
      '2025-03-10T04:05:00Z',
      '2025-03-10T04:25:00Z',
    );
    // 2. A routine one collected 10:30, received 10:40, validated 12:40 (130 min against 120).
    await stamp(
      await release('routine', 4.4),
      '2025-03-10T05:00:00Z',
      '2025-03-10T05:10:00Z',
      '2025-03-10T07:10:00Z',
    );
    // 3. One collected at 00:30 on 11 March in Kolkata (still the 10th in UTC) belongs to the next day.
    await stamp(
      await release('routine', 4.0),
      '2025-03-10T19:00:00Z',
      '2025-03-10T19:10:00Z',
      '2025-03-10T20:00:00Z',
    );

    // 4. The lab reads the day's turnaround.
    const report = lab.ok<LabTurnaroundReport>(
      await lab.call(
        'GET',
        '/api/v1/laboratory/reports/turnaround?from=2025-03-10&to=2025-03-10&section=biochemistry',
        lab.pathologist.headers,
      ),
      200,
      'turnaround',
    );
    expect(report).toMatchObject({ timeZone: 'Asia/Kolkata', section: 'biochemistry' });
    expect(report.tests).toEqual([
      expect.objectContaining({
        testCode: 'K',
        count: 2,
        stat: 1,
        targetRoutineMinutes: 120,
        targetStatMinutes: 30,
        withinTarget: 1,
        overTarget: 1,
        collectionToValidation: { median: 77.5, p90: 130 },
        receiptToValidation: { median: 70, p90: 120 },
      }),
    ]);
    expect(report.sections).toEqual([
      expect.objectContaining({ section: 'biochemistry', count: 2, overTarget: 1, withinTarget: 1 }),
    ]);

    // 5. The next day holds the third.
    const next = lab.ok<LabTurnaroundReport>(
      await lab.call(
        'GET',
        '/api/v1/laboratory/reports/turnaround?from=2025-03-11&to=2025-03-11',
        lab.technician.headers,
      ),
      200,
      'turnaround',
    );
    expect(next.tests).toEqual([expect.objectContaining({ testCode: 'K', count: 1, overTarget: 0 })]);

    // 6. Not for a nurse or a doctor; a period that ends before it starts is a 400.
    const nurse = await lab.call(
      'GET',
      '/api/v1/laboratory/reports/turnaround?from=2025-03-10&to=2025-03-10',
      lab.nurse.headers,
    );
    expect(nurse.statusCode).toBe(403);
    const backwards = await lab.call(
      'GET',
      '/api/v1/laboratory/reports/turnaround?from=2025-03-11&to=2025-03-10',
      lab.pathologist.headers,
    );
    expect(backwards.statusCode).toBe(400);
  });
});
