import Paper from '@mui/material/Paper';
import { ChangePasswordForm } from '../../../app/auth/change-password-form';
import { PageHeader } from '../../../ui/page-header';

export function ChangePasswordPage() {
  return (
    <>
      <PageHeader title="Change password" subtitle="Your other sessions will be signed out." />
      <Paper variant="outlined" sx={{ p: 3, maxWidth: 480 }}>
        <ChangePasswordForm onChanged={() => undefined} />
      </Paper>
    </>
  );
}
