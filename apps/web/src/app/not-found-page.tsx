import Button from '@mui/material/Button';
import { Link as RouterLink } from 'react-router';
import { PageHeader } from '../ui/page-header';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" subtitle="There is nothing at this address." />
      <Button component={RouterLink} to="/" variant="contained">
        Go to the home page
      </Button>
    </>
  );
}
