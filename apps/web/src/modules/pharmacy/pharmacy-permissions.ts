// The permissions the pharmacy module declares on the server (apps/server/src/modules/pharmacy/index.ts).
const pharmacyPermissions = [
  'pharmacy:read',
  'pharmacy:manage',
  'pharmacy:receive',
  'pharmacy:dispense',
  'pharmacy:approve-adjustment',
  'pharmacy:indent',
] as const;
export type PharmacyPermission = (typeof pharmacyPermissions)[number];
