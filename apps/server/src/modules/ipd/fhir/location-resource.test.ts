import { describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../../test/fhir-validators';
import { operationalStatusOf, toFhirLocation } from './location-resource';

describe('operationalStatusOf (v2-0116)', () => {
  it.each([
    ['available', false, 'U'],
    ['reserved', false, 'U'],
    ['occupied', false, 'O'],
    ['occupied', true, 'I'],
    ['cleaning', false, 'H'],
    ['cleaning', true, 'K'],
    ['maintenance', false, 'C'],
    ['blocked', true, 'C'],
  ] as const)('a %s bed (isolation %s) is %s', (status, isolation, code) => {
    expect(operationalStatusOf(status, isolation)).toBe(code);
  });
});

describe('toFhirLocation', () => {
  const base = {
    id: '01900000-0000-7000-8000-000000000001',
    description: null,
    isolation: false,
    active: true,
    version: 3,
    updatedAt: new Date('2026-03-01T10:00:00Z'),
    parentName: null,
  };
  it('makes a bed a valid R4 Location with operationalStatus and partOf its room', () => {
    const bed = toFhirLocation({
      ...base,
      kind: 'bd',
      name: 'ICU-03',
      description: 'ICU, Room 1',
      bedStatus: 'cleaning',
      isolation: true,
      parentId: '01900000-0000-7000-8000-000000000002',
      parentName: 'Room 1',
    });
    expect(bed).toMatchObject({
      status: 'active',
      name: 'ICU-03',
      mode: 'instance',
      physicalType: { coding: [{ code: 'bd', display: 'Bed' }] },
      operationalStatus: {
        system: 'http://terminology.hl7.org/CodeSystem/v2-0116',
        code: 'K',
        display: 'Contaminated',
      },
      partOf: { reference: 'Location/01900000-0000-7000-8000-000000000002', display: 'Room 1' },
      meta: { versionId: '3' },
    });
    expectValidFhir(bed);
  });
  it('gives a ward no operational status and no partOf, and an inactive ward status inactive', () => {
    const ward = toFhirLocation({
      ...base,
      kind: 'wa',
      name: 'ICU',
      bedStatus: null,
      active: false,
      parentId: null,
    });
    expect(ward.operationalStatus).toBeUndefined();
    expect(ward.partOf).toBeUndefined();
    expect(ward.status).toBe('inactive');
    expectValidFhir(ward);
  });
});
