import type { Patient } from '@newhms/contracts';
import { describe, expect, it } from 'vitest';
import { FhirError } from '../../../platform/fhir/operation-outcome';
import { mapFhirPatient, parseFhirPatient, registrationOf, updateOf } from './patient-input';
import { toFhirPatient } from './patient-resource';

const now = new Date('2025-06-01T10:00:00Z');

function expressionsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof FhirError) return err.issues.flatMap((i) => i.expression ?? []);
    throw err;
  }
  throw new Error('expected a FhirError');
}

const stored: Patient = {
  id: '01900000-0000-7000-8000-000000000001',
  mrn: 'MAIN-2025-000007',
  status: 'active',
  mergedIntoId: null,
  name: { given: 'Farhan', middle: 'Ali', family: 'Qureshi' },
  displayName: 'Farhan Ali Qureshi',
  sex: 'male',
  birthDate: '1961-06-01',
  birthDateEstimated: true,
  age: '64 y',
  phones: [{ number: '+919812345678', kind: 'mobile' }],
  email: null,
  address: {
    line: '3 Mohammed Ali Road',
    locality: 'Bhendi Bazaar',
    district: 'Mumbai',
    state: 'Maharashtra',
    postalCode: '400003',
    country: 'IN',
  },
  preferredLanguage: 'Urdu',
  maritalStatus: 'widowed',
  occupation: 'tailor',
  bloodGroup: 'O+',
  hasPhoto: false,
  unidentified: false,
  identifiers: [
    { id: '01900000-0000-7000-8000-0000000000a1', type: 'aadhaar', display: '••••••••4321', issuer: null },
    {
      id: '01900000-0000-7000-8000-0000000000a2',
      type: 'insurance-member',
      display: 'STAR-99-123',
      issuer: 'Star Health',
    },
  ],
  contacts: [
    {
      id: '01900000-0000-7000-8000-0000000000c1',
      kind: 'next-of-kin',
      name: 'Ayesha Qureshi',
      relationship: 'daughter',
      phone: null,
      address: null,
    },
  ],
  consents: [],
  allergyState: 'not-recorded',
  allergies: [],
  alerts: [],
  registeredFacilityId: '01900000-0000-7000-8000-0000000000f1',
  registeredAt: '2025-01-01T00:00:00.000Z',
  lastVisitAt: null,
  duplicateReason: null,
  version: 4,
  updatedAt: '2025-05-01T00:00:00.000Z',
};

describe('reading a FHIR Patient', () => {
  it('round-trips our own record into an update that keeps identifiers, name and estimated birth date', () => {
    const resource = toFhirPatient(stored);
    const update = updateOf(mapFhirPatient(parseFhirPatient(resource), 'strict', stored), stored, 4, now);
    expect(update).toMatchObject({
      version: 4,
      sex: 'male',
      identifiers: [{ id: stored.identifiers[0]!.id }, { id: stored.identifiers[1]!.id }],
      phones: [{ number: '+919812345678', kind: 'mobile' }],
      maritalStatus: 'widowed',
      preferredLanguage: 'Urdu',
      contacts: [{ kind: 'next-of-kin', name: 'Ayesha Qureshi', relationship: 'daughter' }],
      address: { line: '3 Mohammed Ali Road', locality: 'Bhendi Bazaar', country: 'IN' },
    });
    // Unchanged: not rewritten (the estimated birth date stays estimated); FHIR has no occupation to clear.
    expect(update).not.toHaveProperty('name');
    expect(update).not.toHaveProperty('birth');
    expect(update).not.toHaveProperty('occupation');
  });

  it('registers an estimated birth date as the age it implies', () => {
    const resource = {
      resourceType: 'Patient',
      name: [{ given: ['Kamala'] }],
      gender: 'female',
      birthDate: '1963-02-10',
      _birthDate: {
        extension: [
          { url: 'https://newhms.dev/fhir/StructureDefinition/birth-date-estimated', valueBoolean: true },
        ],
      },
    };
    expect(registrationOf(mapFhirPatient(parseFhirPatient(resource), 'strict'), now).birth).toEqual({
      age: { years: 62, months: 3 },
    });
  });

  it('names the FHIR element behind a rule of our contract, counting the elements it skipped', () => {
    const tooLong = {
      resourceType: 'Patient',
      name: [
        { use: 'old', family: 'X' },
        { use: 'official', given: ['A'.repeat(81)] },
      ],
      gender: 'male',
    };
    expect(
      expressionsOf(() => registrationOf(mapFhirPatient(parseFhirPatient(tooLong), 'strict'), now)),
    ).toEqual(['Patient.name[1].given']);
    const oddTelecom = {
      resourceType: 'Patient',
      name: [{ family: 'Rao' }],
      gender: 'male',
      telecom: [
        { system: 'fax', value: '1' },
        { system: 'email', value: 'rao@example.in' },
        { system: 'email', value: 'not-an-email' },
      ],
    };
    // Lenient: what cannot be kept is left out and reported, the rest registers.
    const lenient = mapFhirPatient(parseFhirPatient(oddTelecom), 'lenient');
    expect(lenient.email).toBe('rao@example.in');
    expect(lenient.warnings.map((w) => w.expression)).toEqual([
      'Patient.telecom[0].system',
      'Patient.telecom[2]',
    ]);
    const many = {
      resourceType: 'Patient',
      name: [{ family: 'Rao' }],
      gender: 'male',
      identifier: Array.from({ length: 11 }, (_, i) => ({
        system: 'https://newhms.dev/fhir/sid/insurance-member',
        value: `POL-${i}0`,
      })),
    };
    expect(
      expressionsOf(() => registrationOf(mapFhirPatient(parseFhirPatient(many), 'strict'), now)),
    ).toEqual(['Patient.identifier']);
  });

  it('maps identifiers by system, or by their v2-0203 type when the system is someone else’s', () => {
    const m = mapFhirPatient(
      parseFhirPatient({
        resourceType: 'Patient',
        name: [{ family: 'Rao' }],
        gender: 'male',
        identifier: [
          {
            system: 'http://passports.example.org',
            type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'PPN' }] },
            value: 'x1234567',
            assigner: { display: 'Republic of India' },
          },
          { system: 'https://healthid.abdm.gov.in/abha-address', value: 'Rao.1961@ABDM' },
        ],
      }),
      'strict',
    );
    expect(m.identifiers).toEqual([
      { type: 'passport', value: 'X1234567', issuer: 'Republic of India' },
      { type: 'abha-address', value: 'rao.1961@abdm', issuer: null },
    ]);
  });
});
