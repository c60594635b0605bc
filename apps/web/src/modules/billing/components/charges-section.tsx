import Add from '@mui/icons-material/Add';
import CheckCircle from '@mui/icons-material/CheckCircle';
import HourglassEmpty from '@mui/icons-material/HourglassEmpty';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import Switch from '@mui/material/Switch';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { AccountDetail, Charge } from '@newhms/contracts';
import { Fragment, useMemo, useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { formatCalendarDate } from '../../../ui/facility-time';
import { formatDateTime } from '../../../ui/format';
import { formatRupees } from '../../../ui/money';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { chargeSourceLabel, serviceGroupLabel, serviceGroupLabels } from '../billing-labels';
import { useCancelCharge } from '../hooks/use-billing';
import { PostChargeDialog } from './post-charge-dialog';
import { Section } from './section';

const groupOrder = Object.keys(serviceGroupLabels);

type Props = { account: AccountDetail; today: string };

/**
 * The account's charges by service group: quantities, prices, whether paid (and whether the service is paid
 * before it is given), who posted them and from where; post and cancel.
 */
export function ChargesSection({ account, today }: Props) {
  const { can } = useAuth();
  const [posting, setPosting] = useState(false);
  const [showCancelled, setShowCancelled] = useState(false);
  const [cancelling, setCancelling] = useState<Charge | null>(null);
  const cancel = useCancelCharge();
  const editable = account.status === 'open' && can('billing:charge');
  // Paying before the service is an out-patient rule: in-patient charges are settled on the final bill.
  const payFirst = (c: Charge) => account.kind === 'opd' && c.payWhen === 'before';

  const groups = useMemo(() => {
    const shown = account.charges.filter((c) => showCancelled || c.status === 'active');
    const byGroup = new Map<string, Charge[]>();
    for (const c of shown) byGroup.set(c.serviceGroup, [...(byGroup.get(c.serviceGroup) ?? []), c]);
    const rank = (g: string) => (groupOrder.includes(g) ? groupOrder.indexOf(g) : groupOrder.length);
    return [...byGroup.entries()].sort(([a], [b]) => rank(a) - rank(b));
  }, [account.charges, showCancelled]);

  const columns = 9;
  return (
    <Section
      title="Charges"
      testId="charges-section"
      actions={
        <>
          <FormControlLabel
            control={<Switch checked={showCancelled} onChange={(e) => setShowCancelled(e.target.checked)} />}
            label={`Show cancelled (${account.totals.cancelledCharges})`}
          />
          {editable && (
            <Button variant="contained" startIcon={<Add />} onClick={() => setPosting(true)}>
              Post a charge
            </Button>
          )}
        </>
      }
    >
      <Box sx={{ display: 'flex', gap: 3, flexWrap: 'wrap', mb: 1.5 }} data-testid="charge-totals">
        <Typography>
          Charged: <strong>{formatRupees(account.totals.charged)}</strong>
        </Typography>
        {account.totals.packageCovered > 0 && (
          <Typography>
            Covered by the package: <strong>{formatRupees(account.totals.packageCovered)}</strong>
          </Typography>
        )}
        <Typography>
          Billable: <strong>{formatRupees(account.totals.billable)}</strong>
        </Typography>
        <Typography>
          Not yet on a final bill: <strong>{formatRupees(account.totals.unbilled)}</strong>
        </Typography>
      </Box>
      <TableContainer sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="Charges">
          <TableHead>
            <TableRow>
              <TableCell>Date</TableCell>
              <TableCell>Service</TableCell>
              <TableCell align="right">Qty</TableCell>
              <TableCell align="right">Unit price</TableCell>
              <TableCell align="right">Amount</TableCell>
              <TableCell>Payment</TableCell>
              <TableCell>Source</TableCell>
              <TableCell>Posted</TableCell>
              <TableCell>
                <Box
                  component="span"
                  sx={{
                    position: 'absolute',
                    width: 1,
                    height: 1,
                    overflow: 'hidden',
                    clip: 'rect(0 0 0 0)',
                  }}
                >
                  Actions
                </Box>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {groups.length === 0 && (
              <TableRow>
                <TableCell colSpan={columns}>
                  <Typography color="text.secondary">No charges yet</Typography>
                </TableCell>
              </TableRow>
            )}
            {groups.map(([group, rows]) => {
              const subtotal = rows.filter((c) => c.status === 'active').reduce((s, c) => s + c.amount, 0);
              return (
                <Fragment key={group}>
                  <TableRow sx={{ bgcolor: 'grey.100' }}>
                    <TableCell component="th" scope="rowgroup" colSpan={4} sx={{ fontWeight: 700 }}>
                      {serviceGroupLabel(group)}
                    </TableCell>
                    <TableCell align="right" sx={{ fontWeight: 700 }}>
                      {formatRupees(subtotal)}
                    </TableCell>
                    <TableCell colSpan={4} />
                  </TableRow>
                  {rows.map((c) => {
                    const cancelled = c.status === 'cancelled';
                    return (
                      <TableRow key={c.id} data-testid="charge-row">
                        <TableCell sx={{ whiteSpace: 'nowrap' }}>
                          {formatCalendarDate(c.serviceDate)}
                        </TableCell>
                        <TableCell>
                          <Box
                            component="span"
                            sx={{ textDecoration: cancelled ? 'line-through' : undefined }}
                          >
                            {c.serviceName}
                          </Box>{' '}
                          <Typography component="span" variant="body2" color="text.secondary">
                            {c.serviceCode}
                          </Typography>
                          {c.packageCovered && (
                            <Chip size="small" variant="outlined" label="In package" sx={{ ml: 1 }} />
                          )}
                          {payFirst(c) && !cancelled && (
                            <Chip
                              size="small"
                              color="warning"
                              variant="outlined"
                              label="Pay before service"
                              sx={{ ml: 1 }}
                              data-testid="pay-before-chip"
                            />
                          )}
                          {cancelled && (
                            <Typography variant="body2" color="error">
                              Cancelled by {c.cancelledBy}: {c.cancelReason}
                            </Typography>
                          )}
                          {c.note && (
                            <Typography variant="body2" color="text.secondary">
                              {c.note}
                            </Typography>
                          )}
                        </TableCell>
                        <TableCell align="right">{c.quantity}</TableCell>
                        <TableCell align="right">{formatRupees(c.unitPrice)}</TableCell>
                        <TableCell align="right">{formatRupees(c.amount)}</TableCell>
                        <TableCell>
                          {cancelled ? (
                            <Typography variant="body2" color="text.secondary">
                              —
                            </Typography>
                          ) : (
                            <Chip
                              size="small"
                              variant={c.paid ? 'filled' : 'outlined'}
                              color={c.paid ? 'success' : payFirst(c) ? 'warning' : 'default'}
                              icon={c.paid ? <CheckCircle /> : <HourglassEmpty />}
                              label={c.paid ? 'Paid' : 'Not paid'}
                              data-testid="charge-paid-state"
                            />
                          )}
                        </TableCell>
                        <TableCell>{chargeSourceLabel(c.sourceType)}</TableCell>
                        <TableCell>
                          {c.postedBy}
                          <Typography variant="body2" color="text.secondary">
                            {formatDateTime(c.postedAt)}
                          </Typography>
                        </TableCell>
                        <TableCell>
                          {editable && !cancelled && !c.invoiceId && (
                            <Button
                              size="small"
                              color="error"
                              onClick={() => {
                                cancel.reset();
                                setCancelling(c);
                              }}
                              aria-label={`Cancel charge ${c.serviceName}`}
                            >
                              Cancel
                            </Button>
                          )}
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </Fragment>
              );
            })}
          </TableBody>
        </Table>
      </TableContainer>
      <PostChargeDialog open={posting} account={account} today={today} onClose={() => setPosting(false)} />
      <ReasonDialog
        open={!!cancelling}
        title={`Cancel charge: ${cancelling?.serviceName ?? ''}`}
        message={
          cancelling
            ? `${cancelling.quantity} × ${formatRupees(cancelling.unitPrice)} = ${formatRupees(cancelling.amount)}. The charge stays on the account, marked cancelled with your reason.`
            : undefined
        }
        label="Reason for cancelling"
        confirmLabel="Cancel charge"
        danger
        busy={cancel.isPending}
        error={cancel.error}
        onCancel={() => setCancelling(null)}
        onConfirm={(reason) =>
          cancelling &&
          cancel.mutate(
            { id: cancelling.id, reason, version: cancelling.version },
            { onSuccess: () => setCancelling(null) },
          )
        }
      />
    </Section>
  );
}
