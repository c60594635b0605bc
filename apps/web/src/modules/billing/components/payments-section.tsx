import PictureAsPdf from '@mui/icons-material/PictureAsPdf';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { AccountDetail, Refund } from '@newhms/contracts';
import { useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { formatRupees } from '../../../ui/money';
import { useOpenPdf } from '../../../ui/open-pdf';
import { ProblemAlert } from '../../../ui/problem-alert';
import { paymentKindLabels, paymentModeLabels, refundStatusLabels } from '../billing-labels';
import {
  type PaymentSummary,
  useAccountLedger,
  useAccountPayments,
  useAllocatePayment,
  usePayRefund,
  useRefunds,
} from '../hooks/use-billing';
import { RefundDialog } from './refund-dialog';
import { Section } from './section';
import { TakePaymentDialog } from './take-payment-dialog';

type Movement = NonNullable<ReturnType<typeof useAccountLedger>['data']>['movements'][number];

const movementLabels: Record<Movement['kind'], string> = {
  deposit: 'Deposit',
  payment: 'Payment',
  allocation: 'Applied to a bill',
  'allocation-reversed': 'Application reversed',
  refund: 'Refund',
};

function Amount({ label, value, testId }: { label: string; value: number; testId?: string }) {
  return (
    <Box>
      <Typography variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography sx={{ fontWeight: 700, fontSize: '1.15rem' }} data-testid={testId}>
        {formatRupees(value)}
      </Typography>
    </Box>
  );
}

/** Deposits and payments of the account with the running balance; take a payment or deposit; refunds. */
export function PaymentsSection({ account }: { account: AccountDetail }) {
  const { can } = useAuth();
  const ledger = useAccountLedger(account.id);
  const payments = useAccountPayments(account.id);
  const refunds = useRefunds({ patientId: account.patientId });
  const allocate = useAllocatePayment();
  const payRefund = usePayRefund();
  const openPdf = useOpenPdf();
  const [taking, setTaking] = useState<'payment' | 'deposit' | null>(null);
  const [refunding, setRefunding] = useState<PaymentSummary | null>(null);
  const balance = ledger.data?.balance;
  const due = balance?.outstanding ?? 0;
  const accountPaymentIds = new Set((payments.data ?? []).map((p) => p.id));
  const accountRefunds = (refunds.data ?? []).filter((r) => accountPaymentIds.has(r.paymentId));

  const paymentColumns: Column<PaymentSummary>[] = [
    { id: 'receipt', header: 'Receipt', render: (p) => p.receiptNumber },
    {
      id: 'when',
      header: 'Received',
      render: (p) => `${formatDateTime(p.receivedAt)} · ${p.receivedByName}`,
    },
    { id: 'kind', header: 'Kind', render: (p) => paymentKindLabels[p.kind] },
    {
      id: 'mode',
      header: 'Mode',
      render: (p) => `${paymentModeLabels[p.mode]}${p.reference ? ` · ${p.reference}` : ''}`,
    },
    { id: 'amount', header: 'Amount', align: 'right', render: (p) => formatRupees(p.amount) },
    { id: 'allocated', header: 'Applied', align: 'right', render: (p) => formatRupees(p.allocated) },
    { id: 'available', header: 'Unapplied', align: 'right', render: (p) => formatRupees(p.available) },
    {
      id: 'actions',
      header: 'Actions',
      render: (p) => (
        <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }}>
          <Button
            size="small"
            startIcon={<PictureAsPdf />}
            aria-label={`Receipt ${p.receiptNumber} PDF`}
            onClick={() =>
              openPdf.mutate({
                path: `/billing/payments/${p.id}/receipt.pdf`,
                filename: `${p.receiptNumber}.pdf`,
              })
            }
          >
            Receipt
          </Button>
          {can('billing:collect') && p.available > 0 && due > 0 && p.status === 'completed' && (
            <Button
              size="small"
              disabled={allocate.isPending}
              onClick={() => allocate.mutate({ id: p.id, auto: true })}
              aria-label={`Apply receipt ${p.receiptNumber} to the bills`}
            >
              Apply to bills
            </Button>
          )}
          {can('billing:collect') && p.available > 0 && p.status === 'completed' && (
            <Button size="small" color="error" onClick={() => setRefunding(p)}>
              Refund
            </Button>
          )}
        </Stack>
      ),
    },
  ];
  const movementColumns: Column<Movement>[] = [
    { id: 'at', header: 'When', render: (m) => formatDateTime(m.at) },
    { id: 'kind', header: 'Movement', render: (m) => movementLabels[m.kind] },
    { id: 'ref', header: 'Reference', render: (m) => m.reference },
    { id: 'desc', header: 'Details', render: (m) => m.description },
    { id: 'amount', header: 'Amount', align: 'right', render: (m) => formatRupees(m.amount) },
    { id: 'balance', header: 'Balance held', align: 'right', render: (m) => formatRupees(m.balance) },
  ];
  const refundColumns: Column<Refund>[] = [
    { id: 'receipt', header: 'Of receipt', render: (r) => r.receiptNumber },
    { id: 'amount', header: 'Amount', align: 'right', render: (r) => formatRupees(r.amount) },
    { id: 'mode', header: 'By', render: (r) => paymentModeLabels[r.mode] },
    { id: 'reason', header: 'Reason', render: (r) => r.reason },
    {
      id: 'status',
      header: 'Status',
      render: (r) => (
        <Chip
          size="small"
          variant="outlined"
          label={`${refundStatusLabels[r.status]}${r.refundNumber ? ` · ${r.refundNumber}` : ''}`}
        />
      ),
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (r) =>
        r.status === 'approved' && can('billing:collect') ? (
          <Button
            size="small"
            disabled={payRefund.isPending}
            onClick={() => payRefund.mutate({ id: r.id, version: r.version })}
          >
            Pay out
          </Button>
        ) : r.status === 'paid' ? (
          <Button
            size="small"
            startIcon={<PictureAsPdf />}
            onClick={() =>
              openPdf.mutate({
                path: `/billing/refunds/${r.id}/voucher.pdf`,
                filename: `${r.refundNumber ?? r.id}.pdf`,
              })
            }
          >
            Voucher
          </Button>
        ) : null,
    },
  ];
  return (
    <Section
      title="Deposits and payments"
      testId="payments-section"
      actions={
        can('billing:collect') && (
          <>
            {account.kind === 'ipd' && (
              <Button variant="outlined" onClick={() => setTaking('deposit')}>
                Take a deposit
              </Button>
            )}
            <Button variant="contained" onClick={() => setTaking('payment')}>
              Take a payment
            </Button>
          </>
        )
      }
    >
      {balance && (
        <Box
          sx={{ display: 'flex', gap: 4, flexWrap: 'wrap', mb: 2 }}
          data-testid="account-balance"
          aria-label="Balance"
          role="group"
        >
          <Amount label="Deposits" value={balance.deposits} />
          <Amount label="Payments" value={balance.payments} />
          <Amount label="Applied to bills" value={balance.allocated} />
          <Amount label="Refunded" value={balance.refunded} />
          <Amount label="Unapplied (held)" value={balance.available} testId="balance-available" />
          <Amount label="Balance due" value={balance.outstanding} testId="balance-due" />
        </Box>
      )}
      <Stack spacing={2}>
        <DataTable
          label="Payments"
          columns={paymentColumns}
          rows={payments.data ?? []}
          rowKey={(p) => p.id}
          loading={payments.isLoading}
          emptyText="Nothing received yet"
        />
        {(ledger.data?.movements.length ?? 0) > 0 && (
          <DataTable
            label="Deposit ledger"
            columns={movementColumns}
            rows={ledger.data?.movements ?? []}
            rowKey={(m) => `${m.paymentId}:${m.kind}:${m.at}:${m.invoiceId ?? ''}`}
          />
        )}
        {accountRefunds.length > 0 && (
          <DataTable label="Refunds" columns={refundColumns} rows={accountRefunds} rowKey={(r) => r.id} />
        )}
        <ProblemAlert
          error={ledger.error ?? payments.error ?? allocate.error ?? payRefund.error ?? openPdf.error}
        />
      </Stack>
      <TakePaymentDialog
        open={taking !== null}
        patientId={account.patientId}
        accountId={account.id}
        due={due}
        initialKind={taking ?? 'payment'}
        onClose={() => setTaking(null)}
      />
      <RefundDialog payment={refunding} onClose={() => setRefunding(null)} />
    </Section>
  );
}
