import type { ClaimStatus, InsuranceDocumentKind, PayerKind, PreauthStatus } from '@newhms/contracts';

// The billing permissions the insurance desk's screens check (apps/server/src/modules/billing/index.ts).
const insurancePermissions = [
  'billing:read',
  'billing:insurance',
  'billing:manage',
  'billing:approve',
  'billing:reports',
] as const;
export type InsurancePermission = (typeof insurancePermissions)[number];

export const payerKindLabels: Record<PayerKind, string> = {
  insurer: 'Insurer',
  tpa: 'TPA',
  corporate: 'Corporate',
  government: 'Government scheme',
};

export const documentKindLabels: Record<InsuranceDocumentKind, string> = {
  'policy-card': 'Policy card',
  'id-proof': 'ID proof',
  prescription: 'Prescription',
  'investigation-report': 'Investigation report',
  'discharge-summary': 'Discharge summary',
  bill: 'Bill',
  other: 'Other',
};

export const relationLabels: Record<string, string> = {
  self: 'Self',
  spouse: 'Spouse',
  child: 'Child',
  parent: 'Parent',
  employee: 'Employee',
  other: 'Other',
};

export const preauthStatusLabels: Record<PreauthStatus, string> = {
  submitted: 'Submitted',
  query: 'Query',
  approved: 'Approved',
  'partially-approved': 'Partially approved',
  denied: 'Denied',
  cancelled: 'Cancelled',
};

export const claimStatusLabels: Record<ClaimStatus, string> = {
  submitted: 'Submitted',
  query: 'Query',
  approved: 'Approved',
  'partially-approved': 'Partially approved',
  denied: 'Denied',
  settled: 'Settled',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

type ChipColour = 'default' | 'info' | 'success' | 'warning' | 'error';

/** Colours only support the words on the chip (never the only signal). */
export const statusColours: Record<string, ChipColour> = {
  submitted: 'info',
  query: 'warning',
  approved: 'success',
  'partially-approved': 'warning',
  denied: 'error',
  cancelled: 'default',
  settled: 'success',
  closed: 'default',
};

/** The steps of the history of a pre-authorization or a claim, in words. */
export const historyKindLabels: Record<string, string> = {
  submitted: 'Submitted',
  query: 'Query from the payer',
  answer: 'Answer sent',
  approved: 'Approved',
  'partially-approved': 'Partially approved',
  denied: 'Denied',
  enhancement: 'Enhancement requested',
  'enhancement-approved': 'Enhancement approved',
  'enhancement-partially-approved': 'Enhancement partially approved',
  'enhancement-denied': 'Enhancement denied',
  cancel: 'Cancelled',
  settled: 'Settlement recorded',
  'written-off': 'Written off',
};

export function historyKindLabel(kind: string): string {
  return historyKindLabels[kind] ?? kind.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
}
