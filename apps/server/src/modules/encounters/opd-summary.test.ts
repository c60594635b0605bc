import type { EncounterDetail } from '@newhms/contracts';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { opdSummaryPdf } from './opd-summary';

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

const at = '2026-11-27T04:30:00.000Z';
const base = { encounterId: 'e', patientId: 'p', recordedBy: 'Dr Rao', version: 1 };
const detail: EncounterDetail = {
  encounter: {
    id: 'e',
    patientId: 'p',
    facilityId: 'f',
    class: 'ambulatory',
    status: 'finished',
    departmentId: null,
    practitionerId: null,
    practitionerName: 'Dr Anita Rao',
    reason: null,
    sourceType: null,
    sourceId: null,
    startedAt: at,
    endedAt: at,
    followUpDate: '2026-12-04',
    advice: 'Oral fluids, paracetamol 500 mg SOS',
    referral: null,
    version: 2,
  },
  vitals: [
    {
      ...base,
      id: 'v1',
      category: 'vital-signs',
      code: '8310-5',
      system: 'http://loinc.org',
      display: 'Body temperature',
      value: 38.6,
      valueText: null,
      unit: 'Cel',
      interpretation: 'H',
      status: 'final',
      effectiveAt: at,
    },
    {
      ...base,
      id: 'v2',
      category: 'vital-signs',
      code: '8867-4',
      system: 'http://loinc.org',
      display: 'Heart rate',
      value: 99,
      valueText: null,
      unit: '/min',
      interpretation: 'N',
      status: 'entered-in-error',
      effectiveAt: at,
    },
  ],
  notes: [
    {
      id: 'n1',
      encounterId: 'e',
      patientId: 'p',
      kind: 'consultation',
      status: 'signed',
      sections: { chiefComplaint: 'Fever for three days', assessment: 'Suspected dengue' },
      authorId: null,
      authorName: 'Dr Anita Rao',
      signedAt: at,
      signedBy: 'Dr Anita Rao',
      amendmentReason: null,
      revisions: [],
      version: 2,
      createdAt: at,
      updatedAt: at,
    },
    {
      id: 'n2',
      encounterId: 'e',
      patientId: 'p',
      kind: 'consultation',
      status: 'draft',
      sections: { text: 'UNSIGNED DRAFT TEXT' },
      authorId: null,
      authorName: 'Dr Anita Rao',
      signedAt: null,
      signedBy: null,
      amendmentReason: null,
      revisions: [],
      version: 1,
      createdAt: at,
      updatedAt: at,
    },
  ],
  diagnoses: [
    {
      ...base,
      id: 'd1',
      code: 'A90',
      system: 'http://hl7.org/fhir/sid/icd-10-cm',
      display: 'Dengue fever [classical dengue]',
      kind: 'provisional',
      rank: 'primary',
      status: 'active',
      note: null,
      recordedAt: at,
    },
  ],
  orders: [
    {
      id: 'o1',
      encounterId: 'e',
      patientId: 'p',
      category: 'laboratory',
      code: null,
      system: null,
      display: 'Dengue NS1 antigen',
      priority: 'urgent',
      status: 'active',
      note: null,
      requestedBy: 'Dr Rao',
      requestedAt: at,
      cancelReason: null,
      fulfilmentStatus: 'accepted',
      fulfilmentNote: 'Laboratory request; tubes L2601050001',
      fulfilmentUpdatedAt: at,
      fulfilledAt: null,
      version: 1,
    },
    {
      id: 'o2',
      encounterId: 'e',
      patientId: 'p',
      category: 'laboratory',
      code: null,
      system: null,
      display: 'CANCELLED TEST',
      priority: 'routine',
      status: 'cancelled',
      note: null,
      requestedBy: 'Dr Rao',
      requestedAt: at,
      cancelReason: 'dup',
      fulfilmentStatus: 'pending',
      fulfilmentNote: null,
      fulfilmentUpdatedAt: null,
      fulfilledAt: null,
      version: 2,
    },
  ],
};

describe('opdSummaryPdf', () => {
  it('prints what the patient takes home, and leaves out drafts, errors and cancelled orders', async () => {
    const pdf = await opdSummaryPdf(
      {
        facilityName: 'Newhms Demo Hospital',
        facilityAddress: 'MG Road, Bengaluru',
        timeZone: 'Asia/Kolkata',
        patient: {
          displayName: 'Lakshmi Narayanan',
          mrn: 'BLR-2026-000123',
          age: '41 y',
          sex: 'female',
          phone: null,
        },
        allergies: 'Penicillin',
      },
      detail,
    );
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await textOf(pdf);
    for (const expected of [
      'Newhms Demo Hospital',
      'Lakshmi Narayanan',
      'BLR-2026-000123',
      'Allergies: Penicillin',
      'Body temperature: 38.6 Cel (H)',
      'Fever for three days',
      'Suspected dengue',
      'A90',
      'Dengue NS1 antigen (URGENT)',
      'Oral fluids, paracetamol 500 mg SOS',
      '4 Dec 2026',
      '27 Nov 2026, 10:00',
    ]) {
      expect(text).toContain(expected);
    }
    for (const absent of ['UNSIGNED DRAFT TEXT', 'CANCELLED TEST', 'Heart rate'])
      expect(text).not.toContain(absent);
  });
});
