import type { RadOrder, RadPatientStudy, RadReport } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import { createRadWorld, type RadWorld } from './radiology-test-support';

// The radiologist's report: a draft from the template, saved with a version, signed off (final, frozen by the
// database), amended only by addenda (append-only); the printed report; the doctor's view of the patient's
// imaging.

let t: TestApp;
let w: RadWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await createRadWorld(t);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

async function pdfText(orderId: string, headers: Record<string, string>) {
  const res = await w.call('GET', `/api/v1/radiology/orders/${orderId}/report.pdf`, headers);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('application/pdf');
  expect(res.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
  const pdf = await getDocument({ data: new Uint8Array(res.rawPayload), verbosity: 0 }).promise;
  const lines: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    lines.push(content.items.map((i) => ('str' in i ? i.str : '')).join(' '));
  }
  const pages = pdf.numPages;
  await pdf.destroy();
  return { text: lines.join('\n'), pages };
}

describe('reports', () => {
  it('drafts from the template, signs off, freezes, and takes addenda', async () => {
    // 1. Arun's chest X-ray is done.
    const arun = await w.patient({ sex: 'male', birthDate: '1958-09-09' });
    const visit = await w.visit(arun.id);
    await w.order(visit.id, 'RAD-CXR-PA', { display: 'Chest X-ray PA view' });
    await w.deliver();
    const [ordered] = await w.ordersOf(visit.id);
    const order = await w.completed(ordered!);

    // 2. A radiographer cannot report; the radiologist opens the draft from the chest template.
    const refused = await w.call(
      'POST',
      `/api/v1/radiology/orders/${order.id}/report`,
      w.radiographer.headers,
    );
    expect(refused.statusCode).toBe(403);
    let report = w.ok<RadReport>(
      await w.call('POST', `/api/v1/radiology/orders/${order.id}/report`, w.radiologist.headers),
      201,
      'open',
    );
    expect(report).toMatchObject({
      orderId: order.id,
      patientId: arun.id,
      accession: order.accession,
      status: 'draft',
      comparison: 'None available.',
      createdByName: 'Dr Radiologist Sen',
      signedAt: null,
      addenda: [],
      version: 1,
    });
    expect(report.technique).toMatch(/chest radiograph/i);
    expect(report.findings).toMatch(/Lungs:/);
    expect(report.impression).toBe('No acute cardiopulmonary abnormality.');
    const twice = await w.call('POST', `/api/v1/radiology/orders/${order.id}/report`, w.radiologist.headers);
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'RAD_REPORT_EXISTS', reportId: report.id });

    // 3. The draft prints as PRELIMINARY.
    const draftPdf = await pdfText(order.id, w.doctor.headers);
    expect(draftPdf.text).toContain('PRELIMINARY');
    expect(draftPdf.text).toContain(order.accession);

    // 4. Saved with its version; a stale save is 409.
    report = w.ok<RadReport>(
      await w.call('PUT', `/api/v1/radiology/reports/${report.id}`, w.radiologist.headers, {
        findings: 'Lungs: patchy consolidation in the right lower zone.\nPleura: no effusion.',
        impression: '',
        version: report.version,
      }),
      200,
      'save',
    );
    expect(report.version).toBe(2);
    const stale = await w.call('PUT', `/api/v1/radiology/reports/${report.id}`, w.radiologist.headers, {
      findings: 'x',
      version: 1,
    });
    expect(stale.statusCode).toBe(409);

    // 5. Sign-off needs an impression.
    const empty = await w.call('POST', `/api/v1/radiology/reports/${report.id}/sign`, w.radiologist.headers, {
      version: report.version,
    });
    expect(empty.statusCode).toBe(422);
    expect(empty.json()).toMatchObject({ code: 'RAD_REPORT_INCOMPLETE', errors: [{ path: 'impression' }] });
    report = w.ok<RadReport>(
      await w.call('POST', `/api/v1/radiology/reports/${report.id}/sign`, w.radiologist.headers, {
        impression: 'Right lower zone pneumonia.',
        version: report.version,
      }),
      200,
      'sign',
    );
    expect(report).toMatchObject({
      status: 'final',
      signedByName: 'Dr Radiologist Sen',
      impression: 'Right lower zone pneumonia.',
      criticalFinding: null,
      version: 3,
    });
    const [finalized] = await w.events('radiology.report.finalized', report.id);
    expect(finalized!.payload).toMatchObject({
      reportId: report.id,
      radiologyOrderId: order.id,
      orderId: ordered!.orderId,
      patientId: arun.id,
      impression: 'Right lower zone pneumonia.',
      critical: false,
    });

    // 6. Final is frozen: the API refuses (409), and so does the database, whoever asks.
    const edit = await w.call('PUT', `/api/v1/radiology/reports/${report.id}`, w.radiologist.headers, {
      impression: 'Normal',
      version: report.version,
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('RAD_REPORT_SIGNED');
    await expect(
      t.database.db.execute(sql`update radiology.reports set impression = 'Normal' where id = ${report.id}`),
    ).rejects.toThrow();
    await expect(
      t.database.db.execute(sql`update radiology.reports set status = 'draft' where id = ${report.id}`),
    ).rejects.toThrow();
    await expect(
      t.database.db.execute(sql`delete from radiology.reports where id = ${report.id}`),
    ).rejects.toThrow();

    // 7. An addendum: the report is amended, the addendum kept with who, when and why.
    const noReason = await w.call(
      'POST',
      `/api/v1/radiology/reports/${report.id}/addenda`,
      w.radiologist.headers,
      {
        text: 'Also: small left pleural effusion.',
      },
    );
    expect(noReason.statusCode).toBe(400);
    report = w.ok<RadReport>(
      await w.call('POST', `/api/v1/radiology/reports/${report.id}/addenda`, w.radiologist.headers, {
        text: 'On review: a small left pleural effusion as well.',
        reason: 'Second read',
      }),
      200,
      'addendum',
    );
    expect(report).toMatchObject({
      status: 'amended',
      impression: 'Right lower zone pneumonia.',
      addenda: [
        {
          text: 'On review: a small left pleural effusion as well.',
          reason: 'Second read',
          addedByName: 'Dr Radiologist Sen',
        },
      ],
    });
    const [amended] = await w.events('radiology.report.amended', report.id);
    expect(amended!.payload).toMatchObject({ reportId: report.id, reason: 'Second read' });
    await expect(
      t.database.db.execute(
        sql`update radiology.report_addenda set text = 'x' where report_id = ${report.id}`,
      ),
    ).rejects.toThrow();
    await expect(
      t.database.db.execute(sql`delete from radiology.report_addenda where report_id = ${report.id}`),
    ).rejects.toThrow();

    // 8. The printed report: the study, the sections, who signed, the addendum; no longer preliminary.
    const printed = await pdfText(order.id, w.doctor.headers);
    expect(printed.pages).toBe(1);
    for (const s of [
      'RADIOLOGY REPORT - AMENDED',
      arun.displayName,
      arun.mrn,
      order.accession,
      order.studyInstanceUid!,
      'Chest X-ray PA view',
      'FINDINGS',
      'right lower zone',
      'IMPRESSION',
      'Right lower zone pneumonia.',
      'Dr Radiologist Sen',
      'ADDENDUM',
      'Second read',
    ]) {
      expect(printed.text).toContain(s);
    }
    expect(printed.text).not.toContain('PRELIMINARY');

    // 9. The doctor's view of Arun's imaging: the signed impression and the state; reads are audited.
    const studies = w.ok<RadPatientStudy[]>(
      await w.call('GET', `/api/v1/radiology/patients/${arun.id}/studies`, w.doctor.headers),
      200,
      'studies',
    );
    expect(studies).toEqual([
      expect.objectContaining({
        orderId: order.id,
        status: 'completed',
        reportId: report.id,
        reportStatus: 'amended',
        impression: 'Right lower zone pneumonia.',
        signedByName: 'Dr Radiologist Sen',
        critical: false,
        studyInstanceUid: order.studyInstanceUid,
        viewerUrl: null,
      }),
    ]);
    const audits = await w.audits('RadiologyReport', arun.id);
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['create', 'update', 'read']));
  });

  it('keeps a draft out of the doctor view, and refuses to report a study not yet done', async () => {
    const p = await w.patient();
    const pending = await w.walkIn(p.id, 'RAD-XR-PELVIS');
    const early = await w.call(
      'POST',
      `/api/v1/radiology/orders/${pending.id}/report`,
      w.radiologist.headers,
    );
    expect(early.statusCode).toBe(422);
    expect(early.json().code).toBe('RAD_STUDY_NOT_COMPLETED');
    const none = await w.call('GET', `/api/v1/radiology/orders/${pending.id}/report`, w.doctor.headers);
    expect(none.statusCode).toBe(404);

    const done = await w.completed(await w.walkIn(p.id, 'RAD-XR-LSSPINE'));
    const draft = w.ok<RadReport>(
      await w.call('POST', `/api/v1/radiology/orders/${done.id}/report`, w.radiologist.headers),
      201,
      'open',
    );
    // A template blank (___) left in the text is refused at sign-off.
    const blank = await w.call('POST', `/api/v1/radiology/reports/${draft.id}/sign`, w.radiologist.headers, {
      impression: 'Listhesis of ___ grade',
      version: draft.version,
    });
    expect(blank.statusCode).toBe(422);
    expect(blank.json().errors).toEqual([{ path: 'impression', message: expect.stringContaining('___') }]);
    const studies = w.ok<RadPatientStudy[]>(
      await w.call('GET', `/api/v1/radiology/patients/${p.id}/studies`, w.doctor.headers),
      200,
      'studies',
    );
    expect(studies.find((s) => s.orderId === done.id)).toMatchObject({
      reportStatus: 'draft',
      impression: null,
    });
    expect(studies.find((s) => s.orderId === pending.id)).toMatchObject({
      reportStatus: 'none',
      status: 'ordered',
    });
    const order = w.ok<RadOrder>(
      await w.call('GET', `/api/v1/radiology/orders/${done.id}`, w.doctor.headers),
      200,
      'order',
    );
    expect(order.report).toMatchObject({ id: draft.id, status: 'draft', critical: false });
    // A draft is never an addendum's target.
    const addendum = await w.call(
      'POST',
      `/api/v1/radiology/reports/${draft.id}/addenda`,
      w.radiologist.headers,
      {
        text: 'x',
        reason: 'y',
      },
    );
    expect(addendum.statusCode).toBe(422);
    const [row] = await rowsOf<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from radiology.report_addenda where report_id = ${draft.id}`,
    );
    expect(row!.n).toBe(0);
  });

  it('prints a long report over several pages, each continued with the patient and the accession', async () => {
    const p = await w.patient();
    const done = await w.completed(await w.walkIn(p.id, 'RAD-CT-ABD'));
    const draft = w.ok<RadReport>(
      await w.call('POST', `/api/v1/radiology/orders/${done.id}/report`, w.radiologist.headers),
      201,
      'open',
    );
    const long = Array.from({ length: 60 }, (_, i) => `Segment ${i + 1}: no focal lesion. `.repeat(4)).join(
      '\n',
    );
    const oneLine = 'word '.repeat(2000);
    w.ok(
      await w.call('PUT', `/api/v1/radiology/reports/${draft.id}`, w.radiologist.headers, {
        findings: `${long}\n${oneLine}\nSegment end.`,
        version: draft.version,
      }),
      200,
      'save',
    );
    const printed = await pdfText(done.id, w.radiologist.headers);
    expect(printed.pages).toBeGreaterThan(2);
    expect(printed.text).toContain('Segment 60');
    expect(printed.text).toContain('Segment end.');
    expect(printed.text).toContain(`${done.accession} - PRELIMINARY - continued`);
  });
});
