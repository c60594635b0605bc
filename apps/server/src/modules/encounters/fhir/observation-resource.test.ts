import { beforeAll, describe, expect, it } from 'vitest';
import { expectValidFhir, fhirValidationErrors } from '../../../../test/fhir-validators';
import { type ObservationRow, panelStatus, toFhirObservation } from './observation-resource';

const row = (overrides: Partial<ObservationRow>): ObservationRow => ({
  id: '0190a000-0000-7000-8000-000000000001',
  encounterId: '0190a000-0000-7000-8000-0000000000e1',
  patientId: '0190a000-0000-7000-8000-0000000000a1',
  category: 'vital-signs',
  code: '8480-6',
  system: 'http://loinc.org',
  display: 'Systolic blood pressure',
  value: 150,
  valueText: null,
  unit: 'mm[Hg]',
  interpretation: 'H',
  status: 'final',
  groupId: '0190a000-0000-7000-8000-0000000000f1',
  effectiveAt: new Date('2026-05-04T04:30:00Z'),
  recordedById: null,
  recordedByName: 'Nurse Latha',
  recordedAt: new Date('2026-05-04T04:31:00Z'),
  ...overrides,
});
const diastolic = (overrides: Partial<ObservationRow> = {}) =>
  row({ id: '0190a000-0000-7000-8000-000000000002', code: '8462-4', value: 95, ...overrides });

// The validators index the R4 definitions once per worker: seconds, not a test's worth.
beforeAll(() => {
  fhirValidationErrors({ resourceType: 'Basic', code: { text: 'warm-up' } });
}, 60_000);

describe('the blood pressure panel', () => {
  it('takes its status from both halves', () => {
    const ok = { status: 'final' };
    const wrong = { status: 'entered-in-error' };
    expect(panelStatus(ok, ok)).toBe('final');
    expect(panelStatus(wrong, ok)).toBe('amended');
    expect(panelStatus(ok, wrong)).toBe('amended');
    expect(panelStatus(wrong, wrong)).toBe('entered-in-error');
    expect(panelStatus(wrong, null)).toBe('entered-in-error');
  });

  it('keeps both values when the whole reading was entered in error', () => {
    const o = toFhirObservation(row({ status: 'entered-in-error' }), {
      diastolic: diastolic({ status: 'entered-in-error' }),
    });
    expectValidFhir(o);
    expect(o.status).toBe('entered-in-error');
    expect(o.component?.map((c) => c.valueQuantity?.value)).toEqual([150, 95]);
  });

  it('shows a missing diastolic half as unknown rather than leaving the slice out', () => {
    const o = toFhirObservation(row({}), { diastolic: null });
    expectValidFhir(o);
    expect(o.component?.[1]?.dataAbsentReason?.coding?.[0]?.code).toBe('unknown');
  });

  it('leaves a systolic value outside a set as a plain observation in the generic profile', () => {
    const o = toFhirObservation(row({ groupId: null }));
    expectValidFhir(o);
    expect(o.code.coding?.[0]?.code).toBe('8480-6');
    expect(o.valueQuantity).toMatchObject({ value: 150, code: 'mm[Hg]' });
    expect(o.meta?.profile).toEqual(['http://hl7.org/fhir/StructureDefinition/vitalsigns']);
  });

  it('gives a text result as valueString, and a row without any value a data absent reason', () => {
    const text = toFhirObservation(
      row({ category: 'exam', code: '32451-7', value: null, unit: null, valueText: 'pale' }),
    );
    expectValidFhir(text);
    expect(text.valueString).toBe('pale');
    expect(text.meta).toBeUndefined();
    const empty = toFhirObservation(row({ code: '8867-4', groupId: null, value: null, unit: null }));
    expectValidFhir(empty);
    expect(empty.dataAbsentReason?.coding?.[0]?.code).toBe('unknown');
  });
});
