import type { DiscountReason, InvoiceKind, PaymentMode, ServiceGroup } from '@newhms/contracts';

export const serviceGroupLabels: Record<ServiceGroup, string> = {
  consultation: 'Consultation',
  room: 'Room and bed',
  nursing: 'Nursing',
  investigation: 'Investigations',
  imaging: 'Imaging',
  procedure: 'Procedures',
  pharmacy: 'Pharmacy',
  consumable: 'Consumables',
  package: 'Package',
  other: 'Other',
};

/** A service group's label, or the key itself for one the web does not know yet. */
export function serviceGroupLabel(group: string): string {
  return serviceGroupLabels[group as ServiceGroup] ?? group;
}

export const paymentModeLabels: Record<PaymentMode, string> = {
  cash: 'Cash',
  card: 'Card',
  upi: 'UPI',
  'bank-transfer': 'Bank transfer',
  cheque: 'Cheque',
};

/** What the reference of a payment is called in each mode (cash needs none). */
export const referenceLabels: Record<PaymentMode, string> = {
  cash: 'Reference (optional)',
  card: 'Card approval code',
  upi: 'UPI transaction ID',
  'bank-transfer': 'Bank reference',
  cheque: 'Cheque number',
};

export const invoiceKindLabels: Record<InvoiceKind, string> = {
  opd: 'OPD bill',
  'ipd-interim': 'Interim bill',
  'ipd-final': 'Final bill',
  'credit-note': 'Credit note',
};

export const invoiceStatusLabels = { draft: 'Draft', final: 'Issued', cancelled: 'Cancelled' } as const;

export const accountStatusLabels = {
  open: 'Open',
  'final-billed': 'Final bill issued',
  settled: 'Settled',
  closed: 'Closed',
} as const;

export const discountReasonLabels: Record<DiscountReason, string> = {
  staff: 'Staff',
  'senior-citizen': 'Senior citizen',
  'financial-hardship': 'Financial hardship',
  management: 'Management',
  'doctor-referral': 'Doctor referral',
  'corporate-tie-up': 'Corporate tie-up',
  'service-recovery': 'Service recovery',
  other: 'Other',
};

export const discountStatusLabels = {
  pending: 'Pending approval',
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
} as const;

export const refundStatusLabels = {
  requested: 'Awaiting approval',
  approved: 'Approved, to pay out',
  rejected: 'Rejected',
  paid: 'Paid',
} as const;

export const paymentKindLabels = {
  payment: 'Payment',
  deposit: 'Deposit',
  'payer-settlement': 'Payer settlement',
} as const;

export const payerCategoryLabels: Record<string, string> = {
  cash: 'Self-pay (cash)',
  self: 'Self-pay',
  insurance: 'Insurance',
  corporate: 'Corporate',
  government: 'Government scheme',
};

/** Where a charge came from, in words: posted by hand, or by which module's event. */
export function chargeSourceLabel(sourceType: string): string {
  if (sourceType === 'manual') return 'Manual';
  const known: Record<string, string> = {
    'opd.token': 'Automatic: OPD visit',
    'encounters.order': 'Automatic: order',
    'ipd.bed-day': 'Automatic: bed day',
    'ipd.admission': 'Automatic: admission',
    'billing.package': 'Automatic: package',
  };
  return known[sourceType] ?? `Automatic: ${sourceType}`;
}
