import type { PermissionDeclaration } from '../module';

/** The platform's own permissions and which built-in roles get them when first seen. */
export const platformPermissionDeclarations: readonly PermissionDeclaration[] = [
  {
    name: 'auth:manage-users',
    description: 'Create users, assign roles, lock, reset passwords',
    roles: ['admin'],
  },
  { name: 'access:manage-roles', description: 'Create and edit roles', roles: ['admin'] },
  {
    name: 'access:break-glass',
    description: "Open a patient's record in an emergency, with a reason",
    roles: ['doctor', 'nurse'],
  },
  {
    name: 'access:review-break-glass',
    description: 'Review emergency accesses',
    roles: ['admin', 'auditor', 'quality-manager'],
  },
  { name: 'audit:read', description: 'Read the audit log', roles: ['admin', 'auditor'] },
  { name: 'audit:verify', description: 'Verify the audit chain', roles: ['admin', 'auditor'] },
  {
    name: 'organization:read',
    description: 'See facilities and departments',
    roles: [
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
      'hr-manager',
      'quality-manager',
      'records-officer',
      'housekeeping',
      'auditor',
    ],
  },
  {
    name: 'organization:manage',
    description: 'Create and edit facilities and departments',
    roles: ['admin'],
  },
  { name: 'events:admin', description: 'See and retry failed event deliveries', roles: ['admin'] },
  { name: 'jobs:admin', description: 'See and retry background jobs', roles: ['admin'] },
];

export const builtinRoleDescriptions: Record<string, string> = {
  admin: 'System administrator',
  doctor: 'Doctor / consultant',
  nurse: 'Nurse',
  'front-desk': 'Front desk and registration',
  pharmacist: 'Pharmacist',
  'lab-technician': 'Laboratory technician',
  radiologist: 'Radiologist',
  radiographer: 'Radiographer / radiology technologist',
  'billing-clerk': 'Billing and cashier',
  'accounts-manager': 'Accounts manager (approves discounts, refunds, write-offs)',
  'insurance-desk': 'Insurance / TPA desk',
  'hr-manager': 'Human resources',
  'quality-manager': 'Quality and accreditation',
  'records-officer': 'Medical records',
  housekeeping: 'Housekeeping',
  dietitian: 'Dietitian and kitchen',
  auditor: 'Auditor (read-only audit access)',
};
