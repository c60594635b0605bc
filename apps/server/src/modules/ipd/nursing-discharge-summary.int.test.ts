import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { auditOf, createNursingWorld, type NursingWorld, type TestAdmission } from './nursing-test-support';

let t: TestApp;
let w: NursingWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await createNursingWorld(t);
}, 120_000);
afterAll(() => t.close());

async function textOf(pdf: Buffer): Promise<string> {
  const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  try {
    const parts: string[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const content = await (await document.getPage(n)).getTextContent();
      parts.push(content.items.map((i) => ('str' in i ? i.str : '')).join(' '));
    }
    return parts.join(' ').replace(/\s+/g, ' ');
  } finally {
    await document.destroy();
  }
}

async function pdfText(a: TestAdmission, headers = w.doctor.headers): Promise<string> {
  const res = await w.call('GET', `/api/v1/ipd/admissions/${a.id}/discharge-summary.pdf`, headers);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  return textOf(res.rawPayload);
}

type Note = { id: string; kind: string; status: string; version: number; sections: Record<string, string> };

describe('the discharge summary: a clinical note of the stay, pre-filled, signed, printed', () => {
  let a: TestAdmission;
  let patient: { id: string; displayName: string; mrn: string };
  let note: Note;

  beforeAll(async () => {
    patient = await w.patient({ name: { given: 'Lakshmi', family: 'Narayan' } });
    a = await w.admit({
      patientId: patient.id,
      admittedHoursAgo: 100,
      reason: 'Fever and breathlessness for 4 days',
      provisionalDiagnosis: { text: 'Community-acquired pneumonia', code: 'J18.9' },
    });
    const enc = `/api/v1/encounters/${a.encounterId}`;
    await w.ok('POST', `${enc}/diagnoses`, w.doctor.headers, {
      code: 'J18.9',
      kind: 'final',
      rank: 'primary',
    });
    await w.ok('POST', `${enc}/diagnoses`, w.doctor.headers, { code: 'E11.9', kind: 'final' });
    await w.ok('POST', `${enc}/orders`, w.doctor.headers, {
      category: 'procedure',
      display: 'Ultrasound-guided pleural tap',
    });
    await w.ok('POST', `/api/v1/ipd/admissions/${a.id}/vitals`, w.nurse.headers, {
      respiratoryRate: 18,
      spo2: 96,
      supplementalOxygen: false,
      systolic: 124,
      diastolic: 80,
      heartRate: 84,
      consciousness: 'alert',
      temperature: 36.9,
    });
  });

  it('1. before it is started, the record pre-fills the sections', async () => {
    const res = await w.ok<{ note: Note | null; prefill: Record<string, string> }>(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/discharge-summary`,
      w.doctor.headers,
    );
    expect(res.note).toBeNull();
    expect(res.prefill.diagnoses!.split('\n')).toEqual([
      'J18.9 Pneumonia, unspecified organism (final, primary)',
      'E11.9 Type 2 diabetes mellitus without complications (final)',
    ]);
    expect(res.prefill.procedures).toMatch(/^Ultrasound-guided pleural tap \(/);
    expect(res.prefill.hospitalCourse).toMatch(
      /^Admitted on .+ under Dr\. Kavya Menon for Fever and breathlessness for 4 days\.$/,
    );
    expect(res.prefill.conditionAtDischarge).toContain('Last NEWS2 0 (low risk)');
    expect(res.prefill.conditionAtDischarge).toContain('Heart rate 84 /min');
  });

  it('2. the doctor starts it: a draft discharge-summary note in the inpatient encounter; again gives the same', async () => {
    const desk = await w.call('POST', `/api/v1/ipd/admissions/${a.id}/discharge-summary`, w.desk.headers);
    expect(desk.statusCode).toBe(403);
    const res = await w.call('POST', `/api/v1/ipd/admissions/${a.id}/discharge-summary`, w.doctor.headers);
    expect(res.statusCode).toBe(201);
    note = res.json() as Note;
    expect(note).toMatchObject({ kind: 'discharge-summary', status: 'draft' });
    expect(note.sections.diagnoses).toContain('J18.9');
    expect(note.sections.hospitalCourse).toContain('Admitted on');
    expect(note.sections.medications).toBeUndefined();
    const again = await w.call('POST', `/api/v1/ipd/admissions/${a.id}/discharge-summary`, w.doctor.headers);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(note.id);
    const detail = await w.ok<{ notes: { id: string; kind: string }[] }>(
      'GET',
      `/api/v1/encounters/${a.encounterId}`,
      w.doctor.headers,
    );
    expect(detail.notes.filter((n) => n.kind === 'discharge-summary').map((n) => n.id)).toEqual([note.id]);
  });

  it('3. the draft prints marked DRAFT, with the header, the stay, the bed history and every section', async () => {
    const text = await pdfText(a);
    expect(text).toContain('Nursing test');
    expect(text).toContain('12 MG Road');
    expect(text).toContain('Discharge summary (DRAFT - not signed)');
    expect(text).toContain('Lakshmi');
    expect(text).toContain(`MRN ${patient.mrn}`);
    expect(text).toContain('Discharged: not yet discharged');
    expect(text).toContain('Bed history');
    expect(text).toContain(w.ward.name);
    for (const heading of [
      'Diagnoses',
      'Procedures',
      'Course in hospital',
      'Condition at discharge',
      'Medications',
      'Advice',
      'Follow-up',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('J18.9 Pneumonia, unspecified organism');
    expect(text).toContain('Ultrasound-guided pleural tap');
    expect(text).not.toContain('Signed by');
    const audit = await auditOf(t, a.patientId);
    expect(audit.some((e) => e.action === 'read' && e.resource_type === 'DischargeSummary')).toBe(true);
  });

  it('4. edited, signed and amended through the encounter, it prints as signed and then amended', async () => {
    const enc = `/api/v1/encounters/${a.encounterId}/notes/${note.id}`;
    const edited = await w.ok<Note>('PUT', enc, w.doctor.headers, {
      sections: {
        ...note.sections,
        medications: 'Tab amoxicillin-clavulanate 625 mg TDS x 5 days; Tab metformin 500 mg BD',
        conditionAtDischarge: 'Afebrile, ambulant, SpO2 96 % on air',
        followUp: 'Chest clinic in 2 weeks with chest X-ray',
      },
      version: note.version,
    });
    const signed = await w.ok<Note>('POST', `${enc}/sign`, w.doctor.headers, { version: edited.version });
    expect(signed.status).toBe('signed');
    let text = await pdfText(a, w.desk.headers);
    expect(text).not.toContain('DRAFT');
    expect(text).toContain('amoxicillin-clavulanate 625 mg');
    expect(text).toContain('Chest clinic in 2 weeks');
    expect(text).toContain('Signed by Dr. Kavya Menon');
    await w.ok('POST', `${enc}/amend`, w.doctor.headers, {
      sections: { ...edited.sections, advice: 'Complete the antibiotic course; return if breathless' },
      reason: 'Advice added after pharmacist review',
      version: signed.version,
    });
    text = await pdfText(a);
    expect(text).toContain('Complete the antibiotic course');
    expect(text).toContain('(amended: Advice added after pharmacist review)');
    const current = await w.ok<{ note: Note }>(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/discharge-summary`,
      w.nurse.headers,
    );
    expect(current.note).toMatchObject({ id: note.id, status: 'amended' });
  });

  it('4b. a nurse (no clinical note writing) cannot start a summary the doctor would then be unable to sign', async () => {
    const started = await w.call('POST', `/api/v1/ipd/admissions/${a.id}/discharge-summary`, w.nurse.headers);
    expect(started.statusCode).toBe(403);
  });

  it('5. a role without IPD access cannot print it; another facility cannot see it', async () => {
    const user = await createTestUser(t.database, { roles: ['lab-technician'], facilityId: w.facilityId });
    const lab = bearer(await signIn(t.app, user.email), w.facilityId);
    expect(
      (await w.call('GET', `/api/v1/ipd/admissions/${a.id}/discharge-summary.pdf`, lab)).statusCode,
    ).toBe(403);
    const elsewhere = await t.app.inject({
      method: 'GET',
      url: `/api/v1/ipd/admissions/${a.id}/discharge-summary.pdf`,
      headers: bearer(t.admin.token, t.facilityId),
    });
    expect(elsewhere.statusCode).toBe(404);
  });

  it('6. a stay with nothing recorded yet still prints, with its pre-fill marked as not started', async () => {
    const b = await w.admit({ provisionalDiagnosis: { text: 'Acute gastroenteritis' } });
    const text = await pdfText(b);
    expect(text).toContain('NOT STARTED');
    expect(text).toContain('Acute gastroenteritis (provisional)');
  });
});
