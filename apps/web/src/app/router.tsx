import { createBrowserRouter } from 'react-router';
import { ChangePasswordPage } from '../modules/account/pages/change-password-page';
import { MfaSetupPage } from '../modules/account/pages/mfa-setup-page';
import { SessionsPage } from '../modules/account/pages/sessions-page';
import { AuditLogPage } from '../modules/audit/pages/audit-log-page';
import { BreakGlassReviewPage } from '../modules/break-glass/pages/break-glass-review-page';
import { DepartmentsPage } from '../modules/facilities/pages/departments-page';
import { FacilitiesPage } from '../modules/facilities/pages/facilities-page';
import { RolesPage } from '../modules/roles/pages/roles-page';
import { UserDetailPage } from '../modules/users/pages/user-detail-page';
import { UsersPage } from '../modules/users/pages/users-page';
import { AppShell } from './app-shell';
import { AuthGate } from './auth/auth-gate';
import { RequirePermission } from './auth/require-permission';
import { HomePage } from './home-page';
import { NotFoundPage } from './not-found-page';

export const router = createBrowserRouter([
  {
    element: <AuthGate />,
    children: [
      {
        element: <AppShell />,
        children: [
          { index: true, element: <HomePage /> },
          {
            path: 'admin/users',
            element: <RequirePermission permission="auth:manage-users" />,
            children: [
              { index: true, element: <UsersPage /> },
              { path: ':userId', element: <UserDetailPage /> },
            ],
          },
          {
            path: 'admin/roles',
            element: <RequirePermission permission="access:manage-roles" />,
            children: [{ index: true, element: <RolesPage /> }],
          },
          {
            path: 'admin/facilities',
            element: <RequirePermission permission="organization:read" />,
            children: [
              { index: true, element: <FacilitiesPage /> },
              { path: ':facilityId', element: <DepartmentsPage /> },
            ],
          },
          {
            path: 'admin/audit',
            element: <RequirePermission permission="audit:read" />,
            children: [{ index: true, element: <AuditLogPage /> }],
          },
          {
            path: 'admin/break-glass',
            element: <RequirePermission permission="access:review-break-glass" />,
            children: [{ index: true, element: <BreakGlassReviewPage /> }],
          },
          { path: 'account/sessions', element: <SessionsPage /> },
          { path: 'account/mfa', element: <MfaSetupPage /> },
          { path: 'account/password', element: <ChangePasswordPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
