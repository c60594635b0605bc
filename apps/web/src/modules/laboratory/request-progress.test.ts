import type { LabRequest, LabResult, LabSample } from '@newhms/contracts';
import { describe, expect, it } from 'vitest';
import { releasedFindings, requestProgress } from './request-progress';

const sample = (over: Partial<LabSample>): LabSample => ({
  id: crypto.randomUUID(),
  requestId: 'r',
  accession: 'L2601050001',
  specimen: 'serum',
  container: 'SST gold',
  status: 'awaiting-collection',
  testCodes: ['K'],
  collectedAt: null,
  collectedByName: null,
  receivedAt: null,
  receivedByName: null,
  rejectedAt: null,
  rejectionReason: null,
  rejectionNote: null,
  recollectionOf: null,
  recollectionSampleId: null,
  version: 1,
  ...over,
});

const result = (over: Partial<LabResult>): LabResult => ({
  id: crypto.randomUUID(),
  requestId: 'r',
  sampleId: 's',
  testCode: 'K',
  testName: 'Potassium',
  loincCode: null,
  section: 'biochemistry',
  resultType: 'numeric',
  status: 'pending',
  value: null,
  text: null,
  culture: null,
  unit: 'mmol/L',
  decimals: 1,
  flag: null,
  critical: false,
  referenceRange: null,
  delta: null,
  comment: null,
  source: 'manual',
  enteredByName: null,
  enteredAt: null,
  validatedByName: null,
  validatedAt: null,
  revisions: [],
  version: 1,
  ...over,
});

const request = (over: Partial<LabRequest>): LabRequest => ({
  id: 'r',
  facilityId: 'f',
  patientId: 'p',
  encounterId: null,
  orderId: null,
  code: 'KFT',
  display: 'Kidney function tests',
  kind: 'panel',
  priority: 'routine',
  setting: 'opd',
  status: 'requested',
  note: null,
  requestedByName: null,
  requestedAt: '2026-01-05T08:00:00.000Z',
  completedAt: null,
  cancelledAt: null,
  cancelReason: null,
  samples: [sample({})],
  results: [result({}), result({ testCode: 'NA' })],
  version: 1,
  ...over,
});

describe('where a request stands', () => {
  it('follows the tube from the ward to the bench to release', () => {
    expect(requestProgress(request({}))).toBe('Awaiting collection');
    expect(requestProgress(request({ samples: [sample({ status: 'collected' })] }))).toBe('Collected');
    expect(
      requestProgress(
        request({
          status: 'in-progress',
          samples: [sample({ status: 'received' })],
          results: [result({ status: 'validated', flag: 'HH' }), result({ status: 'entered' }), result({})],
        }),
      ),
    ).toBe('In the lab · 1 of 3 released · 1 awaiting validation');
    expect(requestProgress(request({ status: 'completed' }))).toBe('Completed');
    expect(
      requestProgress(request({ status: 'cancelled', cancelReason: 'Order cancelled: duplicate' })),
    ).toBe('Cancelled: Order cancelled: duplicate');
  });

  it('says a rejected tube is being drawn again, and why', () => {
    expect(
      requestProgress(
        request({
          samples: [
            sample({ status: 'rejected', rejectionReason: 'haemolysed' }),
            sample({ accession: 'L2' }),
          ],
        }),
      ),
    ).toBe('Recollection asked (haemolysed)');
  });

  it('counts released findings: abnormal and critical, not what awaits validation', () => {
    const f = releasedFindings(
      request({
        results: [
          result({ status: 'validated', flag: 'HH' }),
          result({ status: 'amended', flag: 'L' }),
          result({ status: 'validated', flag: 'N' }),
          result({ status: 'entered', flag: 'LL' }),
        ],
      }),
    );
    expect([f.released.length, f.abnormal.length, f.critical.length]).toEqual([3, 2, 1]);
  });
});
