import Alert from '@mui/material/Alert';
import { Outlet } from 'react-router';
import type { AppPermission } from '../navigation';
import { useAuth } from './auth-context';

/** Renders the child routes only for users who hold the permission in the chosen facility. */
export function RequirePermission({ permission }: { permission: AppPermission }) {
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
