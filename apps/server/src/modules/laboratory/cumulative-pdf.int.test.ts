import type { LabRequest } from '@newhms/contracts';
import { and, desc, eq } from 'drizzle-orm';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { auditEntries } from '../../platform/audit/audit.tables';
import { COLUMNS_PER_PAGE } from './cumulative-pdf';
import { localDateTime } from './lab-pdf';
import { createLabWorld, type LabWorld } from './laboratory-test-support';

// The cumulative report: Meena's electrolytes were drawn eleven times over five days (one potassium
// critical, one amended), her blood group once, and a glucose is entered but not validated. The report
// prints the tests by section against the collection times, latest first, eight to a page, with the flags
// beside the values and the latest range.

let t: TestApp;
let w: LabWorld;
let meena: { id: string; displayName: string; mrn: string };
const timeZone = 'Asia/Kolkata'; // createLabWorld's facility
const drawn: Date[] = [];
let potassiumAmended: LabRequest;
let aboDrawn: Date;

type Page = { text: string; width: number; height: number };

async function printed(query = '', patientId = meena.id, headers = w.doctor.headers): Promise<Page[]> {
  const res = await w.call('GET', `/api/v1/laboratory/patients/${patientId}/cumulative.pdf${query}`, headers);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toContain('application/pdf');
  const pdf = await getDocument({ data: new Uint8Array(res.rawPayload), verbosity: 0 }).promise;
  const pages: Page[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    const [, , width, height] = page.view as [number, number, number, number];
    pages.push({ text: content.items.map((i) => ('str' in i ? i.str : '')).join(' '), width, height });
  }
  await pdf.destroy();
  return pages;
}

async function enterAndValidate(request: LabRequest, results: object[]) {
  w.ok(
    await w.call('POST', `/api/v1/laboratory/requests/${request.id}/results`, w.technician.headers, {
      results,
    }),
    200,
    'enter',
  );
  return w.ok<LabRequest>(
    await w.call('POST', `/api/v1/laboratory/requests/${request.id}/validate`, w.pathologist.headers, {}),
    200,
    'validate',
  );
}

beforeAll(async () => {
  t = await createTestApp();
  w = await createLabWorld(t);
  meena = await w.patient({ sex: 'female', birthDate: '1968-04-12' });
  // 1. Eleven electrolytes, every 11 hours back from an hour ago; the third latest potassium is critical.
  const now = Date.now();
  for (let k = 0; k < 11; k++) {
    const at = new Date(now - 3_600_000 - k * 11 * 3_600_000);
    at.setUTCSeconds(0, 0);
    drawn.push(at);
    const [request] = await w.walkIn(meena.id, ['ELECTROLYTES']);
    await w.collectAndReceive(request!, at.toISOString());
    const done = await enterAndValidate(request!, [
      { testCode: 'NA', value: 136 + (k % 5) },
      { testCode: 'K', value: k === 2 ? 6.8 : 4 + k / 10 },
      { testCode: 'CL', value: 100 },
      { testCode: 'HCO3', value: 24 },
    ]);
    // 2. The oldest potassium is amended after release.
    if (k === 10) {
      const result = done.results.find((r) => r.testCode === 'K')!;
      potassiumAmended = w.ok<LabRequest>(
        await w.call('POST', `/api/v1/laboratory/results/${result.id}/amend`, w.pathologist.headers, {
          value: 4.2,
          reason: 'Transcription error',
          version: result.version,
        }),
        200,
        'amend',
      );
    }
  }
  // 3. Her blood group, and a glucose that nobody has validated yet.
  const [abo, glucose] = await w.walkIn(meena.id, ['ABO', 'GLU_R']);
  aboDrawn = new Date(now - 2 * 3_600_000);
  aboDrawn.setUTCSeconds(0, 0);
  await w.collectAndReceive(abo!, aboDrawn.toISOString());
  await enterAndValidate(abo!, [{ testCode: 'ABO', text: 'O' }]);
  await w.collectAndReceive(glucose!);
  w.ok(
    await w.call('POST', `/api/v1/laboratory/requests/${glucose!.id}/results`, w.technician.headers, {
      results: [{ testCode: 'GLU_R', value: 321 }],
    }),
    200,
    'enter',
  );
}, 240_000);
afterAll(() => t?.close());

describe('the cumulative report', () => {
  it('prints A4 landscape: the patient, tests by section, latest collection first, flags beside values', async () => {
    const pages = await printed();
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const p of pages) expect([Math.round(p.width), Math.round(p.height)]).toEqual([842, 595]);
    const first = pages[0]!.text;
    expect(first).toContain('CUMULATIVE LABORATORY REPORT');
    expect(first).toContain(meena.displayName);
    expect(first).toContain(meena.mrn);
    expect(first).toContain('female');
    expect(first).toContain('BIOCHEMISTRY');
    expect(first).toContain('HAEMATOLOGY');
    expect(first).toMatch(/Potassium\s+mmol\/L\s+3\.5 – 5\.1/);
    expect(first).toMatch(/6\.8 HH/);
    expect(first).toContain('ABO group');
    // The columns run from the latest collection back in time: the last electrolytes, the blood group an
    // hour before them, then the electrolytes before.
    const time = (d: Date) => localDateTime(d.toISOString(), timeZone).split(' ')[1]!;
    const order = [drawn[0]!, aboDrawn, drawn[1]!, drawn[2]!].map((d) => first.indexOf(time(d)));
    expect(
      order.every((i) => i > -1),
      order.join(),
    ).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The glucose was never validated: not on the report.
    expect(pages.map((p) => p.text).join('\n')).not.toContain('Glucose');
  });

  it('continues the columns that do not fit on the following page, heads repeated, the amended value marked', async () => {
    const pages = await printed();
    const all = 12; // eleven electrolytes and the blood group
    expect(pages[0]!.text).toContain(`Collection times 1-${COLUMNS_PER_PAGE} of ${all} (latest first)`);
    const second = pages[1]!.text;
    expect(second).toContain('continued');
    expect(second).toContain(`Collection times ${COLUMNS_PER_PAGE + 1}-${all} of ${all} (latest first)`);
    expect(second).toContain('Potassium');
    // The oldest potassium, amended to 4.2, is on the second part of the columns.
    expect(second).toMatch(/4\.2 \*/);
    expect(pages.at(-1)!.text).toContain('* amended after release');
    expect(potassiumAmended.results.find((r) => r.testCode === 'K')!.status).toBe('amended');
  });

  it('keeps to a section and a period', async () => {
    const haem = (await printed('?section=haematology')).map((p) => p.text).join('\n');
    expect(haem).toContain('ABO group');
    expect(haem).not.toContain('Potassium');
    const empty = (await printed('?from=2020-01-01&to=2020-01-31')).map((p) => p.text).join('\n');
    expect(empty).toContain('No released results in this period.');
    expect(empty).toContain('2020-01-01 to 2020-01-31');
  });

  it('is an audited read of the patient', async () => {
    await printed('?section=biochemistry');
    const [entry] = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.patientId, meena.id), eq(auditEntries.action, 'read')))
      .orderBy(desc(auditEntries.occurredAt), desc(auditEntries.id))
      .limit(1);
    expect(entry).toMatchObject({
      resourceType: 'LabResult',
      actorId: w.doctor.id,
      detail: { document: 'cumulative', section: 'biochemistry', count: 44 },
    });
  });

  it('refuses a reversed period (400), an unknown patient (404) and staff without laboratory:read (403)', async () => {
    const url = (q: string, id = meena.id) => `/api/v1/laboratory/patients/${id}/cumulative.pdf${q}`;
    expect((await w.call('GET', url('?from=2026-02-01&to=2026-01-01'), w.doctor.headers)).statusCode).toBe(
      400,
    );
    expect((await w.call('GET', url('?section=radiology'), w.doctor.headers)).statusCode).toBe(400);
    const unknown = await w.call('GET', url('', '00000000-0000-4000-8000-000000000000'), w.doctor.headers);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect((await w.call('GET', url(''), w.desk.headers)).statusCode).toBe(403);
  });
});
