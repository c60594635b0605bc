import Alert from '@mui/material/Alert';
import type { PlatformPermission } from '@newhms/contracts';
import { Outlet } from 'react-router';
import { useAuth } from './auth-context';

/** Renders the child routes only for users who hold the permission in the chosen facility. */
export function RequirePermission({ permission }: { permission: PlatformPermission }) {
  const { me, can } = useAuth();
  if (!me) return null;
  if (!can(permission)) {
    return (
      <Alert severity="warning" role="alert">
        You do not have access to this area in the chosen facility.
      </Alert>
    );
  }
  return <Outlet />;
}
