import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import { Outlet } from 'react-router';
import { ProblemAlert } from '../../ui/problem-alert';
import { useAuth } from './auth-context';
import { AuthLayout, FullPageMessage } from './auth-layout';
import { ChangePasswordForm } from './change-password-form';
import { LoginPage } from './login-page';

/** Decides what a person sees: sign-in, the forced password change, or the app. */
export function AuthGate() {
  const auth = useAuth();
  if (auth.status === 'restoring') {
    return (
      <FullPageMessage>
        <CircularProgress aria-label="Restoring your session" />
        <Typography component="h1" variant="h6">
          Newhms
        </Typography>
      </FullPageMessage>
    );
  }
  if (auth.status === 'signed-out') return <LoginPage />;
  if (auth.passwordChangeRequired) {
    return (
      <AuthLayout title="Change your password">
        <Typography sx={{ mb: 2 }}>You must choose a new password before you continue.</Typography>
        <ChangePasswordForm onChanged={auth.passwordChanged} />
        <Button sx={{ mt: 2 }} onClick={() => void auth.signOut()}>
          Sign out
        </Button>
      </AuthLayout>
    );
  }
  if (!auth.me) {
    if (auth.meError) {
      return (
        <AuthLayout title="Could not load your account">
          <ProblemAlert error={auth.meError} />
          <Button sx={{ mt: 2 }} variant="contained" onClick={() => void auth.signOut()}>
            Sign out
          </Button>
        </AuthLayout>
      );
    }
    return (
      <FullPageMessage>
        <CircularProgress aria-label="Loading your account" />
        <Typography component="h1" variant="h6">
          Newhms
        </Typography>
      </FullPageMessage>
    );
  }
  return <Outlet />;
}
