import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import type { AccountDetail, InvoicePreview } from '@newhms/contracts';
import { useState } from 'react';
import { ApiError } from '../../../app/api-client';
import { useAuth } from '../../../app/auth/auth-context';
import { ConfirmDialog } from '../../../ui/confirm-dialog';
import { formatPercent, formatRupees } from '../../../ui/money';
import { useOpenPdf } from '../../../ui/open-pdf';
import { ProblemAlert } from '../../../ui/problem-alert';
import { invoiceKindLabels, serviceGroupLabel } from '../billing-labels';
import { type IssuableKind, useInvoicePreview, useIssueInvoice } from '../hooks/use-billing';
import { Section } from './section';

function Figure({ label, value, strong }: { label: string; value: number; strong?: boolean }) {
  return (
    <TableRow>
      <TableCell component="th" scope="row" sx={{ fontWeight: strong ? 700 : 400, border: 0, py: 0.25 }}>
        {label}
      </TableCell>
      <TableCell align="right" sx={{ fontWeight: strong ? 700 : 400, border: 0, py: 0.25 }}>
        {formatRupees(value)}
      </TableCell>
    </TableRow>
  );
}

/** The bill as it would be issued now: by service group, GST summary, totals and the patient/payer split. */
export function BillPreview({ preview }: { preview: InvoicePreview }) {
  return (
    <Stack spacing={2}>
      <Table size="small" aria-label="Bill preview by service group">
        <TableHead>
          <TableRow>
            <TableCell>Service group</TableCell>
            <TableCell align="right">Amount</TableCell>
            <TableCell align="right">Discount</TableCell>
            <TableCell align="right">Tax</TableCell>
            <TableCell align="right">Total</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {preview.groups.map((g) => (
            <TableRow key={g.serviceGroup}>
              <TableCell>{serviceGroupLabel(g.serviceGroup)}</TableCell>
              <TableCell align="right">{formatRupees(g.amount)}</TableCell>
              <TableCell align="right">{g.discount ? formatRupees(-g.discount) : '—'}</TableCell>
              <TableCell align="right">{g.tax ? formatRupees(g.tax) : '—'}</TableCell>
              <TableCell align="right">{formatRupees(g.total)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {preview.taxSummary.some((t) => t.tax > 0) && (
        <Table size="small" aria-label="GST summary">
          <TableHead>
            <TableRow>
              <TableCell>Tax code</TableCell>
              <TableCell>HSN/SAC</TableCell>
              <TableCell align="right">Rate</TableCell>
              <TableCell align="right">Taxable</TableCell>
              <TableCell align="right">GST</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {preview.taxSummary.map((t) => (
              <TableRow key={`${t.taxCode}:${t.rateBp}`}>
                <TableCell>{t.taxCode}</TableCell>
                <TableCell>{t.hsnSac ?? '—'}</TableCell>
                <TableCell align="right">{formatPercent(t.rateBp)}</TableCell>
                <TableCell align="right">{formatRupees(t.taxable)}</TableCell>
                <TableCell align="right">{formatRupees(t.tax)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Box sx={{ display: 'flex', gap: 4, flexWrap: 'wrap', alignItems: 'flex-start' }}>
        <Table size="small" aria-label="Bill totals" sx={{ width: 'auto', minWidth: 280 }}>
          <TableBody>
            <Figure label="Gross" value={preview.gross} />
            <Figure label="Discount" value={-preview.discount} />
            <Figure label="GST" value={preview.tax} />
            {preview.roundOff !== 0 && <Figure label="Round-off" value={preview.roundOff} />}
            <Figure label="Total" value={preview.total} strong />
            <Figure label="Payer's share" value={preview.payerShare} />
            <Figure label="Patient's share" value={preview.patientShare} strong />
          </TableBody>
        </Table>
        {preview.split && (
          <Box sx={{ minWidth: 0, maxWidth: 480 }} data-testid="split-explanation">
            <Typography sx={{ fontWeight: 600 }}>How the payer's share was found</Typography>
            <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
              {preview.split.planCode && <li>Plan {preview.split.planCode}</li>}
              {preview.split.nonPayable > 0 && (
                <li>Not payable by the payer: {formatRupees(preview.split.nonPayable)}</li>
              )}
              {preview.split.roomRent && (
                <li>
                  Room rent above the limit of {formatRupees(preview.split.roomRent.limitPerDay)} a day:
                  proportionate deduction {formatRupees(preview.split.roomRent.deduction)} (ratio{' '}
                  {preview.split.roomRent.ratio})
                </li>
              )}
              {preview.split.copay && (
                <li>
                  Co-pay {formatPercent(preview.split.copay.bp)}: {formatRupees(preview.split.copay.amount)}
                </li>
              )}
              {preview.split.cap && preview.split.cap.reduction > 0 && (
                <li>
                  Above the approved limit of {formatRupees(preview.split.cap.limit)}:{' '}
                  {formatRupees(preview.split.cap.reduction)} to the patient
                </li>
              )}
            </Box>
          </Box>
        )}
        {preview.splitSkipped && <Alert severity="info">No payer share: {preview.splitSkipped}</Alert>}
      </Box>
    </Stack>
  );
}

/** The bill preview of the account and the buttons that issue an OPD bill, an interim or the final bill. */
export function BillSection({ account }: { account: AccountDetail }) {
  const { can } = useAuth();
  const kinds: IssuableKind[] = account.kind === 'opd' ? ['opd'] : ['ipd-interim', 'ipd-final'];
  const [kind, setKind] = useState<IssuableKind>(kinds[0] ?? 'opd');
  const [confirming, setConfirming] = useState(false);
  const preview = useInvoicePreview(account.id, kind, account.status === 'open');
  const issue = useIssueInvoice();
  const openPdf = useOpenPdf();
  const nothing = preview.error instanceof ApiError && preview.error.code === 'BILLING_NOTHING_TO_BILL';
  const label = invoiceKindLabels[kind];
  const lowerLabel = kind === 'opd' ? 'OPD bill' : label.toLowerCase();
  return (
    <Section title="Bill preview" testId="bill-section">
      {account.status !== 'open' ? (
        <Typography color="text.secondary">
          The final bill has been issued; see the invoices below.
        </Typography>
      ) : (
        <Stack spacing={2}>
          {kinds.length > 1 && (
            <ToggleButtonGroup
              exclusive
              value={kind}
              onChange={(_, next: IssuableKind | null) => next && setKind(next)}
              aria-label="Kind of bill"
              size="small"
            >
              {kinds.map((k) => (
                <ToggleButton key={k} value={k}>
                  {invoiceKindLabels[k]}
                </ToggleButton>
              ))}
            </ToggleButtonGroup>
          )}
          {preview.isFetching && <LinearProgress aria-label="Computing the bill" />}
          {nothing ? (
            <Typography color="text.secondary">Nothing to bill: every charge is billed already.</Typography>
          ) : (
            <ProblemAlert error={preview.error} />
          )}
          {preview.data && !nothing && <BillPreview preview={preview.data} />}
          {can('billing:invoice') && preview.data && !nothing && (
            <Box>
              <Button variant="contained" onClick={() => setConfirming(true)} disabled={issue.isPending}>
                Issue {lowerLabel}
              </Button>
            </Box>
          )}
          <ProblemAlert error={issue.error} />
        </Stack>
      )}
      {issue.data && (
        <Alert
          severity="success"
          data-testid="bill-issued"
          sx={{ mt: 2 }}
          action={
            <Button
              color="inherit"
              onClick={() =>
                issue.data &&
                openPdf.mutate({
                  path: `/billing/invoices/${issue.data.id}/invoice.pdf`,
                  filename: `${issue.data.number ?? issue.data.id}.pdf`,
                })
              }
            >
              Print
            </Button>
          }
        >
          {invoiceKindLabels[issue.data.kind]} {issue.data.number} issued: {formatRupees(issue.data.total)},
          patient pays {formatRupees(issue.data.patientShare)}.
        </Alert>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Issue the ${lowerLabel}?`}
        message={
          kind === 'ipd-interim'
            ? `An interim bill of ${formatRupees(preview.data?.total)} is a statement to date; the charges stay open for the final bill.`
            : `The bill of ${formatRupees(preview.data?.total)} gets its number and cannot be edited afterwards; only a credit note cancels it.`
        }
        confirmLabel="Issue"
        busy={issue.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          issue.mutate({ accountId: account.id, kind, version: account.version });
        }}
      />
    </Section>
  );
}
