import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { MfaEnrollment } from '../../../app/auth/mfa-enrollment';
import { PageHeader } from '../../../ui/page-header';

export function MfaSetupPage() {
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const [enrolling, setEnrolling] = useState(false);
  const [finished, setFinished] = useState(false);
  return (
    <>
      <PageHeader
        title="Two-step sign-in"
        subtitle="A code from an authenticator app, on top of your password, protects your account."
      />
      <Paper variant="outlined" sx={{ p: 3, maxWidth: 560 }}>
        {finished ? (
          <Alert severity="success" role="status">
            Two-step sign-in is on. You will be asked for a code at your next sign-in.
          </Alert>
        ) : enrolling ? (
          <MfaEnrollment
            onDone={() => {
              setEnrolling(false);
              setFinished(true);
              void queryClient.invalidateQueries({ queryKey: ['auth', 'me'] });
            }}
          />
        ) : me?.mfaEnabled ? (
          <Alert severity="success">
            Two-step sign-in is already on for your account. Set it up again to move it to a new device; your
            old recovery codes will stop working.
            <Button sx={{ display: 'block', mt: 1 }} variant="outlined" onClick={() => setEnrolling(true)}>
              Set up again
            </Button>
          </Alert>
        ) : (
          <Button variant="contained" onClick={() => setEnrolling(true)}>
            Set up two-step sign-in
          </Button>
        )}
      </Paper>
    </>
  );
}
