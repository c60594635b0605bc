// FHIR R4 Claim and Coverage from our rows, for an exchange (a TPA's or the national claims exchange's
// gateway). Pure: no I/O. Money is INR in decimal rupees converted exactly from integer paise.

export const BILLING_SERVICE_SYSTEM = 'https://newhms.example/fhir/CodeSystem/billing-service';
export const CLAIM_NUMBER_SYSTEM = 'https://newhms.example/fhir/sid/claim-number';
export const PREAUTH_NUMBER_SYSTEM = 'https://newhms.example/fhir/sid/preauth-number';
export const PAYER_CODE_SYSTEM = 'https://newhms.example/fhir/sid/payer-code';
export const POLICY_NUMBER_SYSTEM = 'https://newhms.example/fhir/sid/policy-number';

type Coding = { system?: string; code?: string; display?: string };
type CodeableConcept = { coding?: Coding[]; text?: string };
type Identifier = { system?: string; value: string };
type Reference = { reference?: string; identifier?: Identifier; display?: string };
export type Money = { value: number; currency: 'INR' };

export type FhirCoverage = {
  resourceType: 'Coverage';
  id: string;
  meta: { versionId: string; lastUpdated: string };
  identifier: Identifier[];
  status: 'active' | 'cancelled';
  type?: CodeableConcept;
  subscriberId: string;
  beneficiary: Reference;
  relationship?: CodeableConcept;
  period: { start: string; end: string };
  payor: Reference[];
  class?: { type: CodeableConcept; value: string; name?: string }[];
  costToBeneficiary?: {
    type: CodeableConcept;
    valueQuantity: { value: number; unit: string; system: string; code: string };
  }[];
};

export type FhirClaim = {
  resourceType: 'Claim';
  id: string;
  meta: { versionId: string; lastUpdated: string };
  identifier: Identifier[];
  status: 'active' | 'cancelled';
  type: CodeableConcept;
  use: 'claim';
  patient: Reference;
  created: string;
  insurer: Reference;
  provider: Reference;
  priority: CodeableConcept;
  insurance: {
    sequence: number;
    focal: boolean;
    coverage: Reference;
    preAuthRef?: string[];
  }[];
  diagnosis?: { sequence: number; diagnosisCodeableConcept: CodeableConcept }[];
  item?: {
    sequence: number;
    diagnosisSequence?: number[];
    productOrService: CodeableConcept;
    servicedDate?: string;
    quantity: { value: number };
    unitPrice: Money;
    net: Money;
  }[];
  total: Money;
};

export type FhirCollectionBundle = {
  resourceType: 'Bundle';
  type: 'collection';
  timestamp: string;
  entry: { fullUrl: string; resource: FhirClaim | FhirCoverage }[];
};

/** Rupees as a decimal number from integer paise, exact: 12345 paise -> 123.45 (printed as such in JSON). */
export function rupees(paise: number): number {
  if (!Number.isSafeInteger(paise)) throw new RangeError(`paise must be a safe integer: ${paise}`);
  const sign = paise < 0 ? '-' : '';
  const abs = Math.abs(paise);
  // Built from the decimal digits, so the number is the double nearest the exact decimal and JSON prints it
  // back digit for digit.
  return Number(`${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`);
}

export function inr(paise: number): Money {
  return { value: rupees(paise), currency: 'INR' };
}

/** Maps our relation to the holder onto http://terminology.hl7.org/CodeSystem/subscriber-relationship. */
const RELATIONSHIP: Record<string, { code: string; display: string }> = {
  self: { code: 'self', display: 'Self' },
  spouse: { code: 'spouse', display: 'Spouse' },
  child: { code: 'child', display: 'Child' },
  parent: { code: 'parent', display: 'Parent' },
  employee: { code: 'other', display: 'Other' },
  other: { code: 'other', display: 'Other' },
};

export type PayerRef = { id: string; code: string; name: string; kind: string };

function payerReference(p: PayerRef): Reference {
  return { identifier: { system: PAYER_CODE_SYSTEM, value: p.code }, display: p.name };
}

export type CoverageInput = {
  id: string;
  version: number;
  updatedAt: Date;
  patientId: string;
  policyNumber: string;
  memberId: string;
  relationToHolder: string | null;
  validFrom: string;
  validTo: string;
  status: string;
  copayBp: number | null;
  payer: PayerRef;
  tpa: PayerRef | null;
  plan: { code: string; name: string; copayBp: number } | null;
};

/** A patient's policy as a FHIR R4 Coverage: beneficiary, member id, period, payors (insurer, then TPA), plan. */
export function toFhirCoverage(p: CoverageInput): FhirCoverage {
  const relation = p.relationToHolder ? RELATIONSHIP[p.relationToHolder] : undefined;
  const copayBp = p.copayBp ?? p.plan?.copayBp ?? 0;
  return {
    resourceType: 'Coverage',
    id: p.id,
    meta: { versionId: String(p.version), lastUpdated: p.updatedAt.toISOString() },
    identifier: [{ system: POLICY_NUMBER_SYSTEM, value: p.policyNumber }],
    status: p.status === 'active' ? 'active' : 'cancelled',
    type: {
      coding: [
        p.payer.kind === 'government'
          ? {
              system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
              code: 'PUBLICPOL',
              display: 'public healthcare',
            }
          : {
              system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
              code: 'EHCPOL',
              display: 'extended healthcare',
            },
      ],
    },
    subscriberId: p.memberId,
    beneficiary: { reference: `Patient/${p.patientId}` },
    ...(relation
      ? {
          relationship: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
                code: relation.code,
                display: relation.display,
              },
            ],
          },
        }
      : {}),
    period: { start: p.validFrom, end: p.validTo },
    payor: [payerReference(p.payer), ...(p.tpa ? [payerReference(p.tpa)] : [])],
    ...(p.plan
      ? {
          class: [
            {
              type: {
                coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }],
              },
              value: p.plan.code,
              name: p.plan.name,
            },
          ],
        }
      : {}),
    ...(copayBp > 0
      ? {
          costToBeneficiary: [
            {
              type: {
                coding: [
                  { system: 'http://terminology.hl7.org/CodeSystem/coverage-copay-type', code: 'copaypct' },
                ],
              },
              valueQuantity: {
                value: copayBp / 100,
                unit: '%',
                system: 'http://unitsofmeasure.org',
                code: '%',
              },
            },
          ],
        }
      : {}),
  };
}

export type ClaimLineInput = {
  serviceCode: string;
  description: string;
  serviceDate: string | null;
  quantity: number;
  unitPrice: number;
  /** The payer's part of the line (paise): what is claimed for it. */
  payerShare: number;
};

export type ClaimInput = {
  id: string;
  version: number;
  updatedAt: Date;
  number: string;
  status: string;
  submittedAt: Date;
  patientId: string;
  claimedAmount: number;
  policyId: string;
  payer: PayerRef;
  facility: { id: string; name: string };
  preauthNumber: string | null;
  diagnosis: string | null;
  lines: readonly ClaimLineInput[];
};

/**
 * A claim as a FHIR R4 Claim (institutional, use claim): the bill's lines the payer is asked to pay, each
 * with the payer's part as net; total is the amount claimed.
 */
export function toFhirClaim(c: ClaimInput): FhirClaim {
  const claimed = c.lines.filter((l) => l.payerShare > 0);
  return {
    resourceType: 'Claim',
    id: c.id,
    meta: { versionId: String(c.version), lastUpdated: c.updatedAt.toISOString() },
    identifier: [{ system: CLAIM_NUMBER_SYSTEM, value: c.number }],
    status: c.status === 'cancelled' ? 'cancelled' : 'active',
    type: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/claim-type',
          code: 'institutional',
          display: 'Institutional',
        },
      ],
    },
    use: 'claim',
    patient: { reference: `Patient/${c.patientId}` },
    created: c.submittedAt.toISOString(),
    insurer: payerReference(c.payer),
    provider: { reference: `Organization/${c.facility.id}`, display: c.facility.name },
    priority: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/processpriority',
          code: 'normal',
          display: 'Normal',
        },
      ],
    },
    insurance: [
      {
        sequence: 1,
        focal: true,
        coverage: { reference: `Coverage/${c.policyId}` },
        ...(c.preauthNumber ? { preAuthRef: [c.preauthNumber] } : {}),
      },
    ],
    ...(c.diagnosis ? { diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { text: c.diagnosis } }] } : {}),
    ...(claimed.length > 0
      ? {
          item: claimed.map((l, i) => ({
            sequence: i + 1,
            ...(c.diagnosis ? { diagnosisSequence: [1] } : {}),
            productOrService: {
              coding: [{ system: BILLING_SERVICE_SYSTEM, code: l.serviceCode, display: l.description }],
              text: l.description,
            },
            ...(l.serviceDate ? { servicedDate: l.serviceDate } : {}),
            quantity: { value: l.quantity },
            unitPrice: inr(l.unitPrice),
            net: inr(l.payerShare),
          })),
        }
      : {}),
    total: inr(c.claimedAmount),
  };
}

/** The Claim and its Coverage in one collection Bundle, ready to send to an exchange. */
export function claimBundle(
  base: string,
  claim: FhirClaim,
  coverage: FhirCoverage,
  now: Date,
): FhirCollectionBundle {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: now.toISOString(),
    entry: [
      { fullUrl: `${base}/Claim/${claim.id}`, resource: claim },
      { fullUrl: `${base}/Coverage/${coverage.id}`, resource: coverage },
    ],
  };
}
