import Alert from '@mui/material/Alert';
import { Outlet } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import type { InsurancePermission } from '../insurance-labels';

/** Renders the child routes for users who hold any of the permissions (the API accepts either). */
export function RequireAnyPermission({ permissions }: { permissions: InsurancePermission[] }) {
  const { me, can } = useAuth();
  if (!me) return null;
  if (!permissions.some((p) => can(p))) {
    return (
      <Alert severity="warning" role="alert">
        You do not have access to this area in the chosen facility.
      </Alert>
    );
  }
  return <Outlet />;
}
