import type { PlatformPermission } from '@newhms/contracts';

export type NavItem = {
  label: string;
  path: string;
  /** Shown only to users who hold this permission in the chosen facility. */
  permission?: PlatformPermission;
  description: string;
};

export const navItems: NavItem[] = [
  { label: 'Home', path: '/', description: 'Your overview' },
  {
    label: 'Users',
    path: '/admin/users',
    permission: 'auth:manage-users',
    description: 'Staff accounts, roles per facility, locks and passwords',
  },
  {
    label: 'Roles',
    path: '/admin/roles',
    permission: 'access:manage-roles',
    description: 'Roles and the permissions they grant',
  },
  {
    label: 'Facilities & departments',
    path: '/admin/facilities',
    permission: 'organization:read',
    description: 'Hospitals of the group and their departments',
  },
  {
    label: 'Audit log',
    path: '/admin/audit',
    permission: 'audit:read',
    description: 'Who did what, when, and the integrity of the log',
  },
  {
    label: 'Break-glass review',
    path: '/admin/break-glass',
    permission: 'access:review-break-glass',
    description: 'Emergency access to patient records, to review',
  },
];

export function visibleNavItems(can: (permission: string) => boolean): NavItem[] {
  return navItems.filter((item) => !item.permission || can(item.permission));
}
