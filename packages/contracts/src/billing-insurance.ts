import { z } from 'zod';
import { IsoDateTime, IsoDay, PageQuery, page, Text, Uuid } from './common';
import { PatientSummary } from './patients';

// Insurance and TPA: payers (insurers, TPAs, corporates, government schemes) and their plans, patients'
// policies, pre-authorizations with their history, claims from final bills with settlement (TDS,
// disallowances) and write-off, and the aging of receivables. Money is integer paise, shares in basis points.

/** A calendar date YYYY-MM-DD in the facility's time zone. */
const InsuranceDate = IsoDay;
const Version = z.number().int().min(1);
/** Paise, never floats; up to a hundred crore rupees. */
const Amount = z.number().int().min(0).max(1_000_000_000_00);
const PositiveAmount = Amount.min(1);
const BasisPoints = z.number().int().min(0).max(10_000);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();
const Code = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9-]{0,19}$/, '1-20 letters, digits or dashes');
const BoolQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();
const Currency = z.literal('INR');

// ---------------------------------------------------------------------------------------------------------
// Payers and plans
// ---------------------------------------------------------------------------------------------------------

export const payerKinds = ['insurer', 'tpa', 'corporate', 'government'] as const;
export const PayerKind = z.enum(payerKinds);
export type PayerKind = z.infer<typeof PayerKind>;

const payerShape = {
  code: Code,
  name: Text(120),
  kind: PayerKind,
  /** IRDAI registration, scheme code... shown on claims. */
  registrationNumber: optionalText(60),
  /** Days the payer usually takes to settle. */
  creditDays: z.number().int().min(0).max(365).optional(),
  contactEmail: z.email().max(200).nullable().optional(),
  contactPhone: optionalText(30),
};
export const PayerBody = z.object(payerShape);
export const UpdatePayerBody = z
  .object(payerShape)
  .partial()
  .extend({ active: z.boolean().optional(), version: Version });
export const PayerQuery = z.object({ kind: PayerKind.optional(), active: BoolQuery });

export const Payer = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    code: z.string(),
    name: z.string(),
    kind: PayerKind,
    registrationNumber: z.string().nullable(),
    creditDays: z.number().int(),
    contactEmail: z.string().nullable(),
    contactPhone: z.string().nullable(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'Payer' });
export type Payer = z.infer<typeof Payer>;
export const PayerList = z.object({ items: z.array(Payer) });

const ServiceGroupName = z.string().trim().min(1).max(40);
const ServiceCodeName = z.string().trim().min(1).max(40);

const planShape = {
  code: Code,
  name: Text(120),
  /** Co-pay in basis points of what the payer would pay (1000 = 10%). */
  copayBp: BasisPoints.optional(),
  /** Room rent the plan pays per day, paise. */
  roomRentLimit: Amount.nullable().optional(),
  /** Room rent per day as basis points of the sum insured (100 = 1%). */
  roomRentLimitBp: BasisPoints.nullable().optional(),
  /** Reduce room-linked charges in proportion when the room costs more than the limit. */
  proportionateDeduction: z.boolean().optional(),
  nonPayableGroups: z.array(ServiceGroupName).max(50).optional(),
  nonPayableCodes: z.array(ServiceCodeName).max(500).optional(),
};
export const PayerPlanBody = z.object(planShape);
export const UpdatePayerPlanBody = z
  .object(planShape)
  .partial()
  .extend({ active: z.boolean().optional(), version: Version });

export const PayerPlan = z
  .object({
    id: Uuid,
    payerId: Uuid,
    code: z.string(),
    name: z.string(),
    copayBp: z.number().int(),
    roomRentLimit: z.number().int().nullable(),
    roomRentLimitBp: z.number().int().nullable(),
    proportionateDeduction: z.boolean(),
    nonPayableGroups: z.array(z.string()),
    nonPayableCodes: z.array(z.string()),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'PayerPlan' });
export type PayerPlan = z.infer<typeof PayerPlan>;
export const PayerPlanList = z.object({ items: z.array(PayerPlan) });

// ---------------------------------------------------------------------------------------------------------
// Policies
// ---------------------------------------------------------------------------------------------------------

export const policyStatuses = ['active', 'inactive'] as const;
export const relationsToHolder = ['self', 'spouse', 'child', 'parent', 'employee', 'other'] as const;

export const PolicyDocumentBody = z.object({
  name: Text(120),
  /** A stored document (scan of the card, ID proof), when uploaded. */
  documentId: Uuid.nullable().optional(),
  receivedAt: IsoDateTime.optional(),
});
export const PolicyDocument = z.object({
  name: z.string(),
  documentId: Uuid.nullable(),
  receivedAt: IsoDateTime,
});
export type PolicyDocument = z.infer<typeof PolicyDocument>;

/** What a stored insurance file is (a policy's card, ID proof; a pre-authorization's or a claim's papers). */
export const insuranceDocumentKinds = [
  'policy-card',
  'id-proof',
  'prescription',
  'investigation-report',
  'discharge-summary',
  'bill',
  'other',
] as const;
export const InsuranceDocumentKind = z.enum(insuranceDocumentKinds);
export type InsuranceDocumentKind = z.infer<typeof InsuranceDocumentKind>;
export const insuranceDocumentContentTypes = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export const InsuranceDocumentContentType = z.enum(insuranceDocumentContentTypes);
/** At most 5 MB decoded (the base64 is about 4/3 of that). */
export const INSURANCE_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024;
/** The body limit of an upload: the base64 of the largest file and the rest of the JSON. */
export const INSURANCE_DOCUMENT_BODY_LIMIT = 7 * 1024 * 1024 + 64 * 1024;

/** Upload a file (PDF, JPEG or PNG: the bytes decide; a contentType given must match them). */
export const InsuranceDocumentUploadBody = z.object({
  name: Text(200),
  kind: InsuranceDocumentKind,
  /** The file, base64 (at most 5 MB decoded). */
  data: z.base64().min(4).max(INSURANCE_DOCUMENT_BODY_LIMIT),
  /** What the sender believes the file is; refused when the bytes say otherwise. */
  contentType: InsuranceDocumentContentType.optional(),
});
export type InsuranceDocumentUploadBody = z.infer<typeof InsuranceDocumentUploadBody>;

/** A stored file's metadata (the bytes are at /insurance-documents/{id}/content). */
export const InsuranceDocument = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    patientId: Uuid,
    policyId: Uuid.nullable(),
    preauthId: Uuid.nullable(),
    claimId: Uuid.nullable(),
    name: z.string(),
    kind: InsuranceDocumentKind,
    contentType: InsuranceDocumentContentType,
    sizeBytes: z.number().int(),
    sha256: z.string(),
    uploadedById: Uuid.nullable(),
    uploadedBy: z.string(),
    uploadedAt: IsoDateTime,
  })
  .meta({ id: 'InsuranceDocument' });
export type InsuranceDocument = z.infer<typeof InsuranceDocument>;

const policyShape = {
  payerId: Uuid,
  /** The TPA administering the policy, when not the insurer itself. */
  tpaId: Uuid.nullable().optional(),
  planId: Uuid.nullable().optional(),
  policyNumber: Text(60),
  memberId: Text(60),
  holderName: optionalText(120),
  relationToHolder: z.enum(relationsToHolder).nullable().optional(),
  validFrom: InsuranceDate,
  validTo: InsuranceDate,
  sumInsured: PositiveAmount,
  /** Overrides of the plan for this policy. */
  copayBp: BasisPoints.nullable().optional(),
  roomRentLimit: Amount.nullable().optional(),
  documents: z.array(PolicyDocumentBody).max(30).optional(),
};
export const PolicyBody = z
  .object({ patientId: Uuid, ...policyShape })
  .refine((b) => b.validTo >= b.validFrom, { message: 'validTo is before validFrom', path: ['validTo'] });
export const UpdatePolicyBody = z
  .object(policyShape)
  .partial()
  .extend({ status: z.enum(policyStatuses).optional(), version: Version })
  .refine((b) => !b.validFrom || !b.validTo || b.validTo >= b.validFrom, {
    message: 'validTo is before validFrom',
    path: ['validTo'],
  });
export const PolicyQuery = z.object({
  patientId: Uuid.optional(),
  payerId: Uuid.optional(),
  status: z.enum(policyStatuses).optional(),
  ...PageQuery.shape,
});

export const InsurancePolicy = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    patientId: Uuid,
    patient: PatientSummary.nullable(),
    payerId: Uuid,
    payerName: z.string(),
    payerKind: PayerKind,
    tpaId: Uuid.nullable(),
    tpaName: z.string().nullable(),
    planId: Uuid.nullable(),
    planName: z.string().nullable(),
    policyNumber: z.string(),
    memberId: z.string(),
    holderName: z.string().nullable(),
    relationToHolder: z.string().nullable(),
    validFrom: z.string(),
    validTo: z.string(),
    sumInsured: z.number().int(),
    /** Settled against the sum insured so far. */
    used: z.number().int(),
    /** sumInsured - used. */
    balance: z.number().int(),
    copayBp: z.number().int().nullable(),
    roomRentLimit: z.number().int().nullable(),
    documents: z.array(PolicyDocument),
    /** Uploaded files (metadata), oldest first. */
    files: z.array(InsuranceDocument),
    status: z.enum(policyStatuses),
    currency: Currency,
    version: z.number().int(),
  })
  .meta({ id: 'InsurancePolicy' });
export type InsurancePolicy = z.infer<typeof InsurancePolicy>;
export const InsurancePolicyPage = page(InsurancePolicy);

/** Bill an account to a policy (or back to cash with null). The policy must be valid on the service date. */
export const AttachPolicyBody = z.object({
  policyId: Uuid.nullable(),
  /** The date the policy must cover; today (facility time) when absent. */
  serviceDate: InsuranceDate.optional(),
  /** The account's version, when the caller read it. */
  version: Version.optional(),
});
export const AccountPolicy = z.object({
  accountId: Uuid,
  patientId: Uuid,
  policyId: Uuid.nullable(),
  payerCategory: z.string(),
  version: z.number().int(),
});
export type AccountPolicy = z.infer<typeof AccountPolicy>;

// ---------------------------------------------------------------------------------------------------------
// History of pre-authorizations and claims
// ---------------------------------------------------------------------------------------------------------

export const InsuranceEvent = z.object({
  id: Uuid,
  kind: z.string(),
  status: z.string(),
  amount: z.number().int().nullable(),
  note: z.string().nullable(),
  recordedById: Uuid.nullable(),
  recordedBy: z.string(),
  recordedAt: IsoDateTime,
});
export type InsuranceEvent = z.infer<typeof InsuranceEvent>;

// ---------------------------------------------------------------------------------------------------------
// Pre-authorizations
// ---------------------------------------------------------------------------------------------------------

export const preauthStatuses = [
  'submitted',
  'query',
  'approved',
  'partially-approved',
  'denied',
  'cancelled',
] as const;
export const PreauthStatus = z.enum(preauthStatuses);
export type PreauthStatus = z.infer<typeof PreauthStatus>;

export const PreauthBody = z.object({
  accountId: Uuid,
  /** The account's policy when absent. */
  policyId: Uuid.optional(),
  diagnosis: Text(500),
  plannedTreatment: Text(1000),
  estimate: Amount,
  requestedAmount: PositiveAmount,
  payerReference: optionalText(60),
  documents: z.array(PolicyDocumentBody).max(30).optional(),
});
export const PreauthQuery = z.object({
  accountId: Uuid.optional(),
  patientId: Uuid.optional(),
  status: PreauthStatus.optional(),
  ...PageQuery.shape,
});
/** A note of a payer's query or of the hospital's answer. */
export const InsuranceNoteBody = z.object({ note: Text(2000), version: Version });
export const PreauthApproveBody = z.object({
  /** The total amount the payer approves (an enhancement: the new total, never lower than before). */
  approvedAmount: PositiveAmount,
  payerReference: optionalText(60),
  note: optionalText(2000),
  version: Version,
});
export const PreauthEnhanceBody = z.object({
  /** The new total requested, above what is approved. */
  requestedAmount: PositiveAmount,
  estimate: Amount.optional(),
  note: Text(2000),
  version: Version,
});

export const Preauth = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    number: z.string(),
    accountId: Uuid,
    policyId: Uuid,
    patientId: Uuid,
    payerId: Uuid,
    payerName: z.string(),
    payerReference: z.string().nullable(),
    diagnosis: z.string().nullable(),
    plannedTreatment: z.string().nullable(),
    estimate: z.number().int(),
    requestedAmount: z.number().int(),
    approvedAmount: z.number().int(),
    status: PreauthStatus,
    /** An enhancement is waiting for the payer (the approved amount still holds meanwhile). */
    enhancementPending: z.boolean(),
    documents: z.array(PolicyDocument),
    currency: Currency,
    createdAt: IsoDateTime,
    version: z.number().int(),
  })
  .meta({ id: 'Preauth' });
export type Preauth = z.infer<typeof Preauth>;
export const PreauthDetail = Preauth.extend({
  history: z.array(InsuranceEvent),
  /** Uploaded files (metadata), oldest first. */
  files: z.array(InsuranceDocument),
});
export type PreauthDetail = z.infer<typeof PreauthDetail>;
/** What a worklist row shows besides the record: the patient's name and MRN and the stay's admission number. */
const listedEpisode = {
  patientName: z.string(),
  mrn: z.string(),
  admissionNumber: z.string().nullable(),
};
export const PreauthListItem = Preauth.extend(listedEpisode).meta({ id: 'PreauthListItem' });
export type PreauthListItem = z.infer<typeof PreauthListItem>;
export const PreauthPage = page(PreauthListItem);

// ---------------------------------------------------------------------------------------------------------
// Claims
// ---------------------------------------------------------------------------------------------------------

export const claimStatuses = [
  'submitted',
  'query',
  'approved',
  'partially-approved',
  'denied',
  'settled',
  'closed',
  'cancelled',
] as const;
export const ClaimStatus = z.enum(claimStatuses);
export type ClaimStatus = z.infer<typeof ClaimStatus>;

export const ClaimBody = z.object({
  /** A final IPD bill with a payer share. */
  invoiceId: Uuid,
  /** The account's approved pre-authorization when absent. */
  preauthId: Uuid.nullable().optional(),
  payerReference: optionalText(60),
});
export const ClaimQuery = z.object({
  payerId: Uuid.optional(),
  patientId: Uuid.optional(),
  status: ClaimStatus.optional(),
  ...PageQuery.shape,
});
export const ClaimApproveBody = z.object({
  /** What the payer approves: all of the claim (approved) or less (partially approved). */
  approvedAmount: PositiveAmount,
  payerReference: optionalText(60),
  note: optionalText(2000),
  version: Version,
});
export const Disallowance = z.object({ reason: Text(300), amount: PositiveAmount });
export type Disallowance = z.infer<typeof Disallowance>;
export const ClaimSettleBody = z.object({
  /** Money received in the bank (may be 0 when everything was deducted). */
  amountReceived: Amount,
  /** Income tax deducted at source by the payer. */
  tds: Amount.default(0),
  disallowances: z.array(Disallowance).max(50).default([]),
  /** The bank's UTR of the transfer (required when money was received). */
  utr: optionalText(60),
  receivedAt: IsoDateTime.optional(),
  note: optionalText(2000),
  version: Version,
});
export const ClaimWriteOffBody = z.object({ reason: Text(500), version: Version });
export const ClaimCancelBody = z.object({ reason: Text(500), version: Version });

export const InsuranceClaim = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    number: z.string(),
    invoiceId: Uuid,
    invoiceNumber: z.string().nullable(),
    accountId: Uuid,
    policyId: Uuid,
    payerId: Uuid,
    payerName: z.string(),
    patientId: Uuid,
    preauthId: Uuid.nullable(),
    payerReference: z.string().nullable(),
    claimedAmount: z.number().int(),
    approvedAmount: z.number().int().nullable(),
    settledAmount: z.number().int(),
    tds: z.number().int(),
    disallowed: z.number().int(),
    writtenOff: z.number().int(),
    /** claimed - settled - tds - disallowed - written off. */
    outstanding: z.number().int(),
    writeOffReason: z.string().nullable(),
    writeOffApprovedBy: z.string().nullable(),
    disallowances: z.array(z.object({ reason: z.string(), amount: z.number().int() })),
    /** The payer-settlement receipt, once settled with money. */
    settlementPaymentId: Uuid.nullable(),
    settlementReceiptNumber: z.string().nullable(),
    status: ClaimStatus,
    submittedAt: IsoDateTime,
    /** Who submitted it (null for claims from before this was recorded). */
    submittedBy: z.string().nullable(),
    settledAt: IsoDateTime.nullable(),
    currency: Currency,
    version: z.number().int(),
  })
  .meta({ id: 'InsuranceClaim' });
export type InsuranceClaim = z.infer<typeof InsuranceClaim>;
export const InsuranceClaimDetail = InsuranceClaim.extend({
  history: z.array(InsuranceEvent),
  /** Uploaded files (metadata), oldest first. */
  files: z.array(InsuranceDocument),
});
export type InsuranceClaimDetail = z.infer<typeof InsuranceClaimDetail>;
export const InsuranceClaimListItem = InsuranceClaim.extend(listedEpisode).meta({
  id: 'InsuranceClaimListItem',
});
export type InsuranceClaimListItem = z.infer<typeof InsuranceClaimListItem>;
export const InsuranceClaimPage = page(InsuranceClaimListItem);

/** A FHIR R4 Bundle (type collection) with the Claim and its Coverage, for an exchange. */
export const ClaimFhirBundle = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.literal('collection'),
  timestamp: z.string(),
  entry: z.array(z.looseObject({ fullUrl: z.string(), resource: z.record(z.string(), z.unknown()) })),
});

// ---------------------------------------------------------------------------------------------------------
// Aging
// ---------------------------------------------------------------------------------------------------------

export const agingBuckets = ['0-30', '31-60', '61-90', '91-180', '181+'] as const;
export const AgingBucket = z.enum(agingBuckets);
export type AgingBucket = z.infer<typeof AgingBucket>;
export const AgingAmounts = z.object({
  '0-30': z.number().int(),
  '31-60': z.number().int(),
  '61-90': z.number().int(),
  '91-180': z.number().int(),
  '181+': z.number().int(),
  total: z.number().int(),
});
export type AgingAmounts = z.infer<typeof AgingAmounts>;
export const AgingQuery = z.object({ asOf: InsuranceDate.optional() });

export const PayerAgingReport = z.object({
  asOf: z.string(),
  currency: Currency,
  payers: z.array(
    z.object({
      payerId: Uuid,
      payerCode: z.string(),
      payerName: z.string(),
      payerKind: PayerKind,
      openClaims: z.number().int(),
      amounts: AgingAmounts,
    }),
  ),
  totals: AgingAmounts,
});
export type PayerAgingReport = z.infer<typeof PayerAgingReport>;

export const PatientDuesReport = z.object({
  asOf: z.string(),
  currency: Currency,
  patients: z.array(
    z.object({
      patientId: Uuid,
      patient: PatientSummary.nullable(),
      openInvoices: z.number().int(),
      amounts: AgingAmounts,
    }),
  ),
  totals: AgingAmounts,
});
export type PatientDuesReport = z.infer<typeof PatientDuesReport>;

// ---------------------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------------------

export const INSURANCE_EVENTS = {
  /** The payer decided a pre-authorization (approved, partially approved, denied): the cover changed. */
  preauthDecided: 'billing.preauth.decided',
  /** A claim was settled (money received, TDS, disallowances). */
  claimSettled: 'billing.claim.settled',
} as const;

export const PreauthDecidedPayload = z.object({
  preauthId: Uuid,
  accountId: Uuid,
  patientId: Uuid,
  status: PreauthStatus,
  approvedAmount: z.number().int(),
});
export type PreauthDecidedPayload = z.infer<typeof PreauthDecidedPayload>;
export const ClaimSettledPayload = z.object({
  claimId: Uuid,
  invoiceId: Uuid,
  accountId: Uuid,
  patientId: Uuid,
  payerId: Uuid,
  settledAmount: z.number().int(),
  tds: z.number().int(),
  disallowed: z.number().int(),
  paymentId: Uuid.nullable(),
});
export type ClaimSettledPayload = z.infer<typeof ClaimSettledPayload>;
