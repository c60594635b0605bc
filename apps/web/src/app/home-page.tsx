import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { Link as RouterLink } from 'react-router';
import { PageHeader } from '../ui/page-header';
import { useAuth } from './auth/auth-context';
import { visibleNavItems } from './navigation';

export function HomePage() {
  const { me, can, facilityId } = useAuth();
  const facility = me?.facilities.find((f) => f.facilityId === facilityId);
  const areas = visibleNavItems(can).filter((item) => item.path !== '/');
  return (
    <>
      <PageHeader
        title={`Welcome, ${me?.displayName ?? ''}`}
        subtitle={
          facility ? `You are working in ${facility.facilityName}.` : 'You have no role in any facility yet.'
        }
      />
      {facility && facility.roles.length > 0 && (
        <Stack direction="row" spacing={1} sx={{ mb: 3, flexWrap: 'wrap' }} aria-label="Your roles here">
          {facility.roles.map((r) => (
            <Chip key={r} label={r} variant="outlined" />
          ))}
        </Stack>
      )}
      {me && !me.mfaEnabled && (
        <Typography sx={{ mb: 3 }}>
          Two-step sign-in is off for your account. <RouterLink to="/account/mfa">Set it up</RouterLink> to
          protect it.
        </Typography>
      )}
      <Typography variant="h5" component="h2" sx={{ mb: 2 }}>
        Your areas
      </Typography>
      {areas.length === 0 ? (
        <Typography color="text.secondary">
          Nothing else is open to your role yet. Ask an administrator if you need more access.
        </Typography>
      ) : (
        <Box
          sx={{
            display: 'grid',
            gap: 2,
            gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', lg: '1fr 1fr 1fr' },
          }}
        >
          {areas.map((item) => (
            <Card key={item.path} variant="outlined">
              <CardActionArea component={RouterLink} to={item.path} sx={{ height: '100%' }}>
                <CardContent>
                  <Typography variant="h6" component="h3">
                    {item.label}
                  </Typography>
                  <Typography color="text.secondary">{item.description}</Typography>
                </CardContent>
              </CardActionArea>
            </Card>
          ))}
        </Box>
      )}
    </>
  );
}
