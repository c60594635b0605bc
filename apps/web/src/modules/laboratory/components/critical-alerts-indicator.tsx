import NotificationImportant from '@mui/icons-material/NotificationImportant';
import Badge from '@mui/material/Badge';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { Link as RouterLink } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
// By file: radiology's critical findings share this inbox (its index reaches the OPD pages, a cycle).
import { useOpenRadiologyFindingsCount } from '../../radiology/components/radiology-critical-findings';
import { useCriticalAlerts } from '../hooks/use-laboratory';

/**
 * In the top bar: the signed-in doctor's open critical results, asked for every 30 s. Shown only while there is
 * one (a count in words for screen readers, not only a red dot); it opens the inbox.
 */
export function CriticalAlertsIndicator() {
  const { can } = useAuth();
  const alerts = useCriticalAlerts({ mine: true, status: 'open' }, can('laboratory:read'));
  // Radiology's critical findings count too: the inbox this opens lists them below the laboratory's.
  const imaging = useOpenRadiologyFindingsCount(can('laboratory:read') && can('radiology:read'));
  const count = (alerts.data?.length ?? 0) + imaging;
  if (count === 0) return null;
  const words = `${count} critical result${count === 1 ? '' : 's'} to acknowledge`;
  return (
    <Button
      component={RouterLink}
      to="/laboratory/critical-alerts"
      color="inherit"
      aria-label={words}
      data-testid="critical-alerts-badge"
      data-count={count}
      sx={{ minWidth: 0, bgcolor: 'error.main', '&:hover': { bgcolor: 'error.dark' }, px: 1.5 }}
      startIcon={
        <Badge
          badgeContent={count}
          color="default"
          sx={{ '& .MuiBadge-badge': { bgcolor: '#ffffff', color: 'error.main', fontWeight: 700 } }}
        >
          <NotificationImportant aria-hidden="true" />
        </Badge>
      }
    >
      <Box component="span" sx={{ display: { xs: 'none', md: 'inline' }, ml: 1 }}>
        Critical results
      </Box>
    </Button>
  );
}
