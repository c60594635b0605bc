import PictureAsPdf from '@mui/icons-material/PictureAsPdf';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import { useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { formatRupees } from '../../../ui/money';
import { useOpenPdf } from '../../../ui/open-pdf';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { invoiceKindLabels, invoiceStatusLabels } from '../billing-labels';
import { type InvoiceSummary, useAccountInvoices, useCreditInvoice } from '../hooks/use-billing';
import { Section } from './section';

/** The account's bills and credit notes with their shares, what is paid and the PDFs. */
export function InvoicesSection({ accountId }: { accountId: string }) {
  const { can } = useAuth();
  const invoices = useAccountInvoices(accountId);
  const openPdf = useOpenPdf();
  const credit = useCreditInvoice();
  const [crediting, setCrediting] = useState<InvoiceSummary | null>(null);
  const columns: Column<InvoiceSummary>[] = [
    { id: 'number', header: 'Number', render: (i) => i.number ?? 'Draft' },
    { id: 'kind', header: 'Kind', render: (i) => invoiceKindLabels[i.kind] },
    {
      id: 'status',
      header: 'Status',
      render: (i) => (
        <Chip
          size="small"
          variant="outlined"
          color={i.status === 'cancelled' ? 'default' : 'primary'}
          label={
            i.status === 'cancelled' ? `Cancelled: ${i.cancelReason ?? ''}` : invoiceStatusLabels[i.status]
          }
        />
      ),
    },
    {
      id: 'issued',
      header: 'Issued',
      render: (i) => `${formatDateTime(i.issuedAt)}${i.issuedByName ? ` · ${i.issuedByName}` : ''}`,
    },
    { id: 'total', header: 'Total', align: 'right', render: (i) => formatRupees(i.total) },
    { id: 'payer', header: "Payer's share", align: 'right', render: (i) => formatRupees(i.payerShare) },
    { id: 'patient', header: "Patient's share", align: 'right', render: (i) => formatRupees(i.patientShare) },
    { id: 'paid', header: 'Paid', align: 'right', render: (i) => formatRupees(i.paid) },
    {
      id: 'balance',
      header: 'Balance',
      align: 'right',
      render: (i) =>
        i.kind === 'ipd-interim' || i.kind === 'credit-note'
          ? '—'
          : i.balance > 0
            ? formatRupees(i.balance)
            : 'Paid',
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (i) => (
        <Stack direction="row" spacing={1}>
          <Button
            size="small"
            startIcon={<PictureAsPdf />}
            aria-label={`PDF of ${i.number ?? 'the draft'}`}
            onClick={() =>
              openPdf.mutate({
                path: `/billing/invoices/${i.id}/invoice.pdf`,
                filename: `${i.number ?? i.id}.pdf`,
              })
            }
          >
            PDF
          </Button>
          {can('billing:approve') &&
            i.status === 'final' &&
            i.kind !== 'credit-note' &&
            i.kind !== 'ipd-interim' && (
              <Button size="small" color="error" onClick={() => setCrediting(i)}>
                Credit note
              </Button>
            )}
        </Stack>
      ),
    },
  ];
  return (
    <Section title="Invoices">
      <DataTable
        label="Invoices"
        columns={columns}
        rows={invoices.data ?? []}
        rowKey={(i) => i.id}
        loading={invoices.isLoading}
        emptyText="No bill issued yet"
      />
      <ProblemAlert error={invoices.error ?? openPdf.error} sx={{ mt: 1 }} />
      <ReasonDialog
        open={!!crediting}
        title={`Cancel ${crediting?.number ?? ''} with a credit note`}
        message="The bill is cancelled by a credit note of the same amount; its charges can be billed again and payments allocated to it are freed."
        label="Reason"
        confirmLabel="Issue credit note"
        danger
        busy={credit.isPending}
        error={credit.error}
        onCancel={() => setCrediting(null)}
        onConfirm={(reason) =>
          crediting &&
          credit.mutate(
            { id: crediting.id, reason, version: crediting.version },
            { onSuccess: () => setCrediting(null) },
          )
        }
      />
    </Section>
  );
}
