// The permissions the OPD module declares on the server (apps/server/src/modules/opd/index.ts). The contracts
// package does not list them yet, unlike patientPermissions and encounterPermissions.
const opdPermissions = [
  'opd:read',
  'opd:book',
  'opd:check-in',
  'opd:manage-queue',
  'opd:manage-schedules',
  'opd:consult',
  'opd:reports',
] as const;
export type OpdPermission = (typeof opdPermissions)[number];
