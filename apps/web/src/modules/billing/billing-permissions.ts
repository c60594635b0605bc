// The permissions the billing module declares on the server (apps/server/src/modules/billing/index.ts).
const billingPermissions = [
  'billing:read',
  'billing:charge',
  'billing:invoice',
  'billing:collect',
  'billing:approve',
  'billing:manage',
  'billing:insurance',
  'billing:reports',
] as const;
export type BillingPermission = (typeof billingPermissions)[number];
