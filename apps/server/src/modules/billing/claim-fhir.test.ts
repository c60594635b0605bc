import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectValidFhir, fhirValidationErrors } from '../../../test/fhir-validators';
import {
  BILLING_SERVICE_SYSTEM,
  type ClaimInput,
  type CoverageInput,
  claimBundle,
  rupees,
  toFhirClaim,
  toFhirCoverage,
} from './fhir/claim-fhir';

const patientId = '01900000-0000-7000-8000-000000000001';
const policyId = '01900000-0000-7000-8000-000000000002';
const claimId = '01900000-0000-7000-8000-000000000003';
const facilityId = '01900000-0000-7000-8000-000000000004';
const insurer = {
  id: '01900000-0000-7000-8000-000000000005',
  code: 'AHA',
  name: 'Aranya Health Assurance',
  kind: 'insurer',
};
const tpa = { id: '01900000-0000-7000-8000-000000000006', code: 'CBT', name: 'CareBridge TPA', kind: 'tpa' };

const coverageInput: CoverageInput = {
  id: policyId,
  version: 2,
  updatedAt: new Date('2026-04-01T06:00:00Z'),
  patientId,
  policyNumber: 'AHA/2026/778812',
  memberId: 'AHA-778812-02',
  relationToHolder: 'spouse',
  validFrom: '2026-01-01',
  validTo: '2026-12-31',
  status: 'active',
  copayBp: null,
  payer: insurer,
  tpa,
  plan: { code: 'GOLD', name: 'Gold Floater', copayBp: 1050 },
};

const claimInput: ClaimInput = {
  id: claimId,
  version: 3,
  updatedAt: new Date('2026-04-15T09:30:00Z'),
  number: 'CL/2026-27/00042',
  status: 'submitted',
  submittedAt: new Date('2026-04-12T05:00:00Z'),
  patientId,
  claimedAmount: 1_378_001,
  policyId,
  payer: insurer,
  facility: { id: facilityId, name: 'Newhms Demo Hospital' },
  preauthNumber: 'PA/2026-27/00007',
  diagnosis: 'Dengue fever with warning signs (A97.1)',
  lines: [
    {
      serviceCode: 'ROOM-GEN',
      description: 'General ward bed',
      serviceDate: '2026-04-10',
      quantity: 4,
      unitPrice: 250_000,
      payerShare: 1_000_000,
    },
    {
      serviceCode: 'ADM-KIT',
      description: 'Admission kit',
      serviceDate: '2026-04-10',
      quantity: 1,
      unitPrice: 35_000,
      payerShare: 0,
    },
    {
      serviceCode: 'CONS-IP',
      description: 'In-patient visit',
      serviceDate: null,
      quantity: 4,
      unitPrice: 80_001,
      payerShare: 378_001,
    },
  ],
};

describe('rupees', () => {
  it('converts paise to decimal rupees exactly', () => {
    expect(rupees(0)).toBe(0);
    expect(rupees(1)).toBe(0.01);
    expect(rupees(12_345)).toBe(123.45);
    expect(rupees(-250)).toBe(-2.5);
    expect(JSON.stringify(rupees(1_378_001))).toBe('13780.01');
  });

  it('prints every amount up to a thousand crore rupees digit for digit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000_000 }), (paise) => {
        const printed = JSON.stringify(rupees(paise));
        const [whole, frac = ''] = printed.split('.');
        expect(BigInt(whole!) * 100n + BigInt(frac.padEnd(2, '0'))).toBe(BigInt(paise));
      }),
    );
  });
});

describe('toFhirCoverage', () => {
  it('makes a policy a valid R4 Coverage with member id, period, payors and plan class', () => {
    const coverage = toFhirCoverage(coverageInput);
    expect(coverage).toMatchObject({
      resourceType: 'Coverage',
      id: policyId,
      status: 'active',
      subscriberId: 'AHA-778812-02',
      beneficiary: { reference: `Patient/${patientId}` },
      relationship: { coding: [{ code: 'spouse' }] },
      period: { start: '2026-01-01', end: '2026-12-31' },
      payor: [{ display: 'Aranya Health Assurance' }, { display: 'CareBridge TPA' }],
      class: [{ value: 'GOLD', name: 'Gold Floater' }],
      costToBeneficiary: [{ valueQuantity: { value: 10.5, unit: '%' } }],
      meta: { versionId: '2' },
    });
    expectValidFhir(coverage);
  });

  it('renders an inactive policy without plan, TPA or relation as a cancelled, still valid Coverage', () => {
    const coverage = toFhirCoverage({
      ...coverageInput,
      status: 'inactive',
      tpa: null,
      plan: null,
      relationToHolder: null,
    });
    expect(coverage.status).toBe('cancelled');
    expect(coverage.class).toBeUndefined();
    expect(coverage.costToBeneficiary).toBeUndefined();
    expect(coverage.payor).toHaveLength(1);
    expectValidFhir(coverage);
  });
});

describe('toFhirClaim', () => {
  it('makes a claim a valid R4 institutional Claim with the payer-paid lines, Money in INR and the total claimed', () => {
    const claim = toFhirClaim(claimInput);
    expect(claim).toMatchObject({
      resourceType: 'Claim',
      status: 'active',
      use: 'claim',
      type: { coding: [{ code: 'institutional' }] },
      patient: { reference: `Patient/${patientId}` },
      created: '2026-04-12T05:00:00.000Z',
      provider: { reference: `Organization/${facilityId}` },
      priority: { coding: [{ code: 'normal' }] },
      insurance: [
        {
          sequence: 1,
          focal: true,
          coverage: { reference: `Coverage/${policyId}` },
          preAuthRef: ['PA/2026-27/00007'],
        },
      ],
      diagnosis: [
        { sequence: 1, diagnosisCodeableConcept: { text: 'Dengue fever with warning signs (A97.1)' } },
      ],
      total: { value: 13780.01, currency: 'INR' },
    });
    expect(claim.item).toHaveLength(2);
    expect(claim.item![0]).toMatchObject({
      sequence: 1,
      productOrService: { coding: [{ system: BILLING_SERVICE_SYSTEM, code: 'ROOM-GEN' }] },
      quantity: { value: 4 },
      unitPrice: { value: 2500, currency: 'INR' },
      net: { value: 10000, currency: 'INR' },
      servicedDate: '2026-04-10',
    });
    expect(claim.item![1]).toMatchObject({
      sequence: 2,
      unitPrice: { value: 800.01 },
      net: { value: 3780.01 },
    });
    expect(claim.item![1]!.servicedDate).toBeUndefined();
    expectValidFhir(claim);
    // The validators do find faults: a Claim with an unknown use or a Money with a string value.
    expect(fhirValidationErrors({ ...claim, use: 'invoice' })).not.toEqual([]);
    expect(fhirValidationErrors({ ...claim, total: { value: '13780.01', currency: 'INR' } })).not.toEqual([]);
  });

  it('marks a cancelled claim cancelled and leaves out what is not known', () => {
    const claim = toFhirClaim({
      ...claimInput,
      status: 'cancelled',
      diagnosis: null,
      preauthNumber: null,
      lines: [],
    });
    expect(claim.status).toBe('cancelled');
    expect(claim.diagnosis).toBeUndefined();
    expect(claim.item).toBeUndefined();
    expect(claim.insurance[0]!.preAuthRef).toBeUndefined();
    expectValidFhir(claim);
  });

  it('puts the Claim and its Coverage in a valid collection Bundle', () => {
    const bundle = claimBundle(
      'https://hms.example.org/fhir/R4',
      toFhirClaim(claimInput),
      toFhirCoverage(coverageInput),
      new Date('2026-04-15T10:00:00Z'),
    );
    expect(bundle.entry.map((e) => e.fullUrl)).toEqual([
      `https://hms.example.org/fhir/R4/Claim/${claimId}`,
      `https://hms.example.org/fhir/R4/Coverage/${policyId}`,
    ]);
    expect(fhirValidationErrors(bundle)).toEqual([]);
  });
});
