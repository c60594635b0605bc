import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { Link as RouterLink } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { formatRupees } from '../../../ui/money';
import { useAccount, useAccountLedger, usePatientAccounts } from '../hooks/use-billing';

type Props = { patientId: string; admissionId: string };

function Line({
  label,
  value,
  strong,
  testId,
}: {
  label: string;
  value: number;
  strong?: boolean;
  testId?: string;
}) {
  return (
    <Box sx={{ display: 'flex', justifyContent: 'space-between', gap: 2 }}>
      <Typography component="dt" color="text.secondary">
        {label}
      </Typography>
      <Typography component="dd" sx={{ m: 0, fontWeight: strong ? 700 : 500 }} data-testid={testId}>
        {formatRupees(value)}
      </Typography>
    </Box>
  );
}

/**
 * The billing panel of an admission: deposit held, charges so far, what is left to pay and a link to the
 * account. Shows nothing to users without billing:read.
 */
export function AccountSummaryCard({ patientId, admissionId }: Props) {
  const { can } = useAuth();
  const titleId = useId();
  const allowed = can('billing:read');
  const accounts = usePatientAccounts(allowed ? patientId : null);
  const account = accounts.data?.find((a) => a.admissionId === admissionId);
  const detail = useAccount(account?.id);
  const ledger = useAccountLedger(account?.id);
  if (!allowed) return null;
  const billable = detail.data?.totals.billable ?? 0;
  const held = ledger.data?.balance.available ?? 0;
  const due = ledger.data?.balance.outstanding ?? 0;
  const allocated = ledger.data?.balance.allocated ?? 0;
  // Before the final bill: charges not yet paid for, less the deposit held. After it: the bill's unpaid share.
  const toPay = detail.data?.status === 'open' ? Math.max(0, billable - allocated - held) : due;
  return (
    <Paper
      component="section"
      aria-labelledby={titleId}
      variant="outlined"
      sx={{ p: 2, minWidth: 0 }}
      data-testid="billing-summary"
    >
      <Typography id={titleId} component="h2" variant="h6" sx={{ mb: 1 }}>
        Billing
      </Typography>
      {!account ? (
        <Typography color="text.secondary">
          {accounts.isLoading ? 'Loading…' : 'No billing account yet'}
        </Typography>
      ) : (
        <>
          <Box component="dl" sx={{ m: 0, display: 'grid', gap: 0.5 }}>
            <Line label="Deposits" value={ledger.data?.balance.deposits ?? 0} />
            <Line label="Charges so far" value={billable} />
            <Line label="Deposit held" value={held} />
            <Line label="Left to pay" value={toPay} strong testId="billing-left-to-pay" />
          </Box>
          <Button component={RouterLink} to={`/billing/accounts/${account.id}`} sx={{ mt: 1 }}>
            Open the billing account
          </Button>
        </>
      )}
    </Paper>
  );
}
