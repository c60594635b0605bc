/** Permissions are `<module>:<action>`. The platform's own; each module adds its list. */
export const platformPermissions = [
  'auth:manage-users',
  'access:manage-roles',
  'access:break-glass',
  'access:review-break-glass',
  'audit:read',
  'audit:verify',
  'organization:read',
  'organization:manage',
  'events:admin',
  'jobs:admin',
] as const;
export type PlatformPermission = (typeof platformPermissions)[number];

export const builtinRoleNames = [
  'admin',
  'doctor',
  'nurse',
  'front-desk',
  'pharmacist',
  'lab-technician',
  'radiologist',
  'radiographer',
  'billing-clerk',
  'insurance-desk',
  'accounts-manager',
  'hr-manager',
  'quality-manager',
  'records-officer',
  'housekeeping',
  'dietitian',
  'auditor',
] as const;
export type BuiltinRoleName = (typeof builtinRoleNames)[number];
