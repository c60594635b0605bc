import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import type { DiscountListItem, Refund } from '@newhms/contracts';
import { useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { formatRupees } from '../../../ui/money';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { discountReasonLabels, paymentModeLabels } from '../billing-labels';
import { DecisionDialog } from '../components/decision-dialog';
import { discountValue } from '../components/discounts-section';
import { Section } from '../components/section';
import { useFacilityDiscounts, useRefunds } from '../hooks/use-billing';

type Deciding = { kind: 'discount' | 'refund'; id: string; version: number; subject: string };

function episodeOf(d: DiscountListItem): string {
  return d.accountKind === 'ipd' ? `In-patient stay ${d.admissionNumber ?? ''}`.trim() : 'Out-patient visit';
}

/** Approvals at /billing/approvals: refunds to approve, and the facility's discounts waiting, oldest first. */
export function ApprovalsPage() {
  const requested = useRefunds({ status: 'requested' });
  const pending = useFacilityDiscounts('pending');
  const discounts = pending.data?.pages.flatMap((p) => p.items) ?? [];
  const [deciding, setDeciding] = useState<Deciding | null>(null);
  const discountColumns: Column<DiscountListItem>[] = [
    { id: 'patient', header: 'Patient', render: (d) => `${d.patientName} · MRN ${d.mrn}` },
    {
      id: 'episode',
      header: 'Account',
      render: (d) => (
        <Link component={RouterLink} to={`/billing/accounts/${d.accountId}`}>
          {episodeOf(d)}
        </Link>
      ),
    },
    { id: 'value', header: 'Discount', align: 'right', render: discountValue },
    { id: 'on', header: 'On', render: (d) => d.chargeName ?? 'The whole bill', hideBelow: 'md' },
    {
      id: 'reason',
      header: 'Reason',
      render: (d) => [discountReasonLabels[d.reason], d.note].filter(Boolean).join(': '),
    },
    {
      id: 'by',
      header: 'Requested by',
      render: (d) => `${d.requestedByName}, ${formatDateTime(d.requestedAt)}`,
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (d) => (
        <Button
          size="small"
          aria-label={`Decide the discount of ${discountValue(d)} for ${d.patientName}`}
          onClick={() =>
            setDeciding({
              kind: 'discount',
              id: d.id,
              version: d.version,
              subject: `${discountValue(d)} · ${discountReasonLabels[d.reason]} · ${d.patientName} (${episodeOf(d)}) · requested by ${d.requestedByName}`,
            })
          }
        >
          Decide
        </Button>
      ),
    },
  ];
  const refundColumns: Column<Refund>[] = [
    { id: 'patient', header: 'Patient', render: (r) => `${r.patientName} · MRN ${r.mrn}` },
    { id: 'receipt', header: 'Of receipt', render: (r) => r.receiptNumber },
    { id: 'amount', header: 'Amount', align: 'right', render: (r) => formatRupees(r.amount) },
    { id: 'mode', header: 'Refund by', render: (r) => paymentModeLabels[r.mode] },
    { id: 'reason', header: 'Reason', render: (r) => r.reason },
    {
      id: 'by',
      header: 'Requested by',
      render: (r) => `${r.requestedByName}, ${formatDateTime(r.requestedAt)}`,
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (r) => (
        <Button
          size="small"
          aria-label={`Decide the refund of ${formatRupees(r.amount)} to ${r.patientName}`}
          onClick={() =>
            setDeciding({
              kind: 'refund',
              id: r.id,
              version: r.version,
              subject: `Refund ${formatRupees(r.amount)} to ${r.patientName} by ${paymentModeLabels[r.mode]}: ${r.reason} (requested by ${r.requestedByName})`,
            })
          }
        >
          Decide
        </Button>
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title="Approvals"
        subtitle="Refunds and discounts above the limits wait here for an approver"
      />
      <Stack spacing={3}>
        <Section title="Refunds to approve">
          <DataTable
            label="Refunds to approve"
            columns={refundColumns}
            rows={requested.data ?? []}
            rowKey={(r) => r.id}
            loading={requested.isLoading}
            emptyText="No refund waits for approval"
          />
          <ProblemAlert error={requested.error} sx={{ mt: 1 }} />
        </Section>
        <Section title="Discounts to approve">
          <DataTable
            label="Discounts to approve"
            columns={discountColumns}
            rows={discounts}
            rowKey={(d) => d.id}
            loading={pending.isLoading}
            emptyText="No discount waits for approval"
            hasMore={pending.hasNextPage}
            loadingMore={pending.isFetchingNextPage}
            onLoadMore={() => pending.fetchNextPage()}
          />
          <ProblemAlert error={pending.error} sx={{ mt: 1 }} />
        </Section>
      </Stack>
      <DecisionDialog
        open={!!deciding}
        kind={deciding?.kind ?? 'refund'}
        id={deciding?.id ?? ''}
        version={deciding?.version ?? 0}
        subject={deciding?.subject ?? ''}
        onClose={() => setDeciding(null)}
      />
    </>
  );
}
