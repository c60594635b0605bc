import Alert from '@mui/material/Alert';
import { Outlet } from 'react-router';
import type { AppPermission } from '../navigation';
import { useAuth } from './auth-context';

/** Renders the child routes only for users who hold the permission (or any of several) in the chosen facility. */
export function RequirePermission({ permission }: { permission: AppPermission | readonly AppPermission[] }) {
  const { me, can } = useAuth();
  if (!me) return null;
  const allowed = typeof permission === 'string' ? can(permission) : permission.some((p) => can(p));
  if (!allowed) {
    return (
      <Alert severity="warning" role="alert">
        You do not have access to this area in the chosen facility.
      </Alert>
    );
  }
  return <Outlet />;
}
