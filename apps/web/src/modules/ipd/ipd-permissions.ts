// The permissions the IPD module declares on the server (apps/server/src/modules/ipd/index.ts).
const ipdPermissions = [
  'ipd:read',
  'ipd:manage-beds',
  'ipd:admit',
  'ipd:cancel-admission',
  'ipd:nursing',
  'ipd:discharge',
] as const;
export type IpdPermission = (typeof ipdPermissions)[number];
