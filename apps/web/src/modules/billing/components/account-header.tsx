import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { AccountDetail } from '@newhms/contracts';
import type { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router';
import { formatDateTime } from '../../../ui/format';
import { accountStatusLabels, payerCategoryLabels } from '../billing-labels';
import { usePackages } from '../hooks/use-billing';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography component="dt" variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography component="dd" sx={{ m: 0, fontWeight: 500, overflowWrap: 'anywhere' }}>
        {children}
      </Typography>
    </Box>
  );
}

/** The episode an account bills, who pays, the package and the tariff class. */
export function AccountHeader({ account }: { account: AccountDetail }) {
  const packages = usePackages();
  const pkg = packages.data?.find((p) => p.id === account.packageId);
  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-label="Account">
      <Box
        component="dl"
        sx={{ m: 0, display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))' }}
      >
        <Fact label="Episode">
          {account.kind === 'ipd' ? (
            account.admissionId ? (
              <Link component={RouterLink} to={`/ipd/admissions/${account.admissionId}`}>
                In-patient stay {account.admissionNumber ?? ''}
              </Link>
            ) : (
              'In-patient stay'
            )
          ) : (
            'Out-patient visit'
          )}
        </Fact>
        <Fact label="Opened">{formatDateTime(account.openedAt)}</Fact>
        <Fact label="Status">
          <Chip
            size="small"
            data-testid="account-status"
            color={account.status === 'open' ? 'primary' : 'success'}
            variant="outlined"
            label={accountStatusLabels[account.status]}
          />
        </Fact>
        <Fact label="Payer">{payerCategoryLabels[account.payerCategory] ?? account.payerCategory}</Fact>
        <Fact label="Policy">{account.policyId ? 'Policy attached' : 'None'}</Fact>
        <Fact label="Package">
          {account.packageId ? (pkg ? `${pkg.serviceName} (${pkg.serviceCode})` : 'Package') : 'None'}
        </Fact>
        <Fact label="Tariff class">{account.tariffClass === '*' ? 'Standard' : account.tariffClass}</Fact>
      </Box>
    </Paper>
  );
}
